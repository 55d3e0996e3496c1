"""Introspection dynamics: simulation against the exact chain, Gibbs form in potential games."""

import numpy as np
import pytest

from dynamics.errors import ParameterError
from dynamics.learning import (
    introspection_dynamics,
    introspection_stationary,
    introspection_transition_matrix,
)

CHICKEN = ([[6, 2], [7, 0]], [[6, 7], [2, 0]])


def test_transition_matrix_is_stochastic_and_follows_the_fermi_rule() -> None:
    P = introspection_transition_matrix(CHICKEN, beta=0.7)
    assert np.allclose(P.sum(axis=1), 1.0) and P.min() >= 0
    # from (C, C): the row player (chosen w.p. 1/2) switches to D (gain 1) w.p. 1/(1+e^-0.7)
    assert P[0, 2] == pytest.approx(0.5 / (1 + np.exp(-0.7)), abs=1e-15)
    assert P[0, 3] == 0.0  # one player moves at a time


def test_potential_game_stationary_distribution_is_gibbs() -> None:
    # a coordination game with A = B is an exact potential game with potential A; the Fermi
    # rule with symmetric proposals satisfies detailed balance with pi ~ exp(beta A)
    A = np.array([[4.0, 0.0, 1.0], [0.0, 2.0, 0.0], [1.0, 0.0, 3.0]])
    for beta in (0.0, 0.5, 2.0):
        pi = introspection_stationary((A, A), beta=beta)
        gibbs = np.exp(beta * A) / np.exp(beta * A).sum()
        np.testing.assert_allclose(pi, gibbs, rtol=1e-10)


def test_simulated_occupancy_approaches_the_stationary_distribution() -> None:
    beta, steps, runs = 0.6, 4000, 200
    pi = introspection_stationary(CHICKEN, beta=beta)
    sim = introspection_dynamics(CHICKEN, steps=steps, beta=beta, runs=runs, rng=3)
    occ = sim.occupancy.reshape(runs, -1)
    se = occ.std(axis=0, ddof=1) / np.sqrt(runs)
    # ergodic averages: five standard errors over independent runs, plus 5e-3 for the start
    # (mixing time ~10 steps here, so the transient biases a 4000-step average by < 1e-2/4)
    assert np.all(np.abs(occ.mean(axis=0) - pi.ravel()) <= 5 * se + 5e-3)


def test_matches_nashpy_in_distribution() -> None:
    import nashpy

    saved = np.random.get_state()  # noqa: NPY002 - restored below
    np.random.seed(0)  # noqa: NPY002 - nashpy draws from numpy's global generator only
    try:
        g = nashpy.Game(np.array(CHICKEN[0], float), np.array(CHICKEN[1], float))
        visits = np.zeros(4)
        for a in g.introspection_dynamics(number_of_iterations=20_000, beta=0.6):
            visits[a[0] * 2 + a[1]] += 1
    finally:
        np.random.set_state(saved)  # noqa: NPY002
    pi = introspection_stationary(CHICKEN, beta=0.6).ravel()
    # one chain of 20000 steps: standard deviation of an occupation frequency ~ 0.01 here
    assert np.abs(visits / visits.sum() - pi).max() < 0.05


def test_seeds_initial_and_bad_input() -> None:
    a = introspection_dynamics(CHICKEN, steps=100, beta=1.0, runs=5, initial=(0, 0), rng=4)
    b = introspection_dynamics(CHICKEN, steps=100, beta=1.0, runs=5, initial=(0, 0), rng=4)
    np.testing.assert_array_equal(a.occupancy, b.occupancy)
    with pytest.raises(ParameterError, match="beta"):
        introspection_dynamics(CHICKEN, steps=10, beta=-1.0)
    with pytest.raises(ParameterError, match="initial"):
        introspection_dynamics(CHICKEN, steps=10, beta=1.0, initial=(2, 0))
    with pytest.raises(ParameterError, match="at least 2 actions"):
        introspection_stationary(([[1, 2]], [[1, 2]]), beta=1.0)
