from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given

from dynamics.errors import DynamicsError, ParameterError
from dynamics.finite.processes import (
    as_counts,
    fermi,
    moran,
    offspring_distribution,
    transition_probabilities,
    wright_fisher,
)
from tests.dynamics.finite.strategies import games, intensities, rates, sizes
from theory.errors import ShapeError

PD = [[3, 0], [5, 1]]


@pytest.mark.parametrize("N", [1, 0, -3, 2.5, True, "10"])
def test_population_size_below_two_or_not_integer_rejected(N):
    with pytest.raises(ParameterError, match="N"):
        moran(PD, N)


@pytest.mark.parametrize("mu", [-0.1, 1.5, float("nan"), "0.1", None])
def test_mutation_rate_outside_unit_interval_rejected(mu):
    with pytest.raises(ParameterError, match="mu"):
        fermi(PD, 10, mu=mu)


@pytest.mark.parametrize("w", [-0.5, 2, float("inf")])
def test_linear_intensity_outside_unit_interval_rejected(w):
    with pytest.raises(ParameterError, match="w"):
        moran(PD, 10, w=w)


def test_other_parameter_errors():
    with pytest.raises(ParameterError, match="beta"):
        fermi(PD, 10, beta=-1.0)
    with pytest.raises(ParameterError, match="not positive"):
        moran([[0, -3], [1, 1]], 10, w=1)  # 1 - 1 + 1 * (-3) < 0
    with pytest.raises(ParameterError, match="mapping"):
        moran(PD, 10, mapping="quadratic")
    with pytest.raises(ParameterError, match="symbolic"):
        moran([[sympy.Symbol("e"), 0], [0, 1]], 10)
    with pytest.raises(ShapeError):
        moran([[1, 2, 3], [4, 5, 6]], 10)
    assert issubclass(ParameterError, DynamicsError)


def test_exponential_mapping_allows_negative_payoffs():
    p = moran([[0, -3], [1, 1]], 10, w=2.0, mapping="exponential")
    assert p.intensity == 2.0 and not p.is_exact


@pytest.mark.parametrize(
    "counts, match",
    [
        ([1, 2, 7], "3 strategies but the game has 2"),
        ([3, 3], "sum to N"),
        ([-1, 11], "negative"),
        ([2.5, 7.5], "whole"),
        ([[["x"]]], "integer counts"),
    ],
)
def test_bad_counts_rejected(counts, match):
    with pytest.raises(ParameterError, match=match):
        as_counts(moran(PD, 10, w=0.5), counts)


@given(games(), sizes, intensities, rates)
def test_moran_transitions_are_probabilities_and_exact(A, N, w, mu):
    from dynamics.finite.chain import population_states

    p = moran(A, N, w=w, mu=mu)
    S = population_states(N, p.n)
    T = transition_probabilities(p, S)
    assert T.dtype == object  # exact in, exact out
    stay = 1 - T.sum(axis=(1, 2))
    assert all(v >= 0 for v in T.flat) and all(0 <= v <= 1 for v in stay)
    # an absent strategy cannot lose an individual
    s_idx, i_idx = np.nonzero(S == 0)
    assert all(v == 0 for v in T[s_idx, i_idx, :].flat)
    Tf = transition_probabilities(moran(A, N, w=float(w), mu=float(mu)), S)
    np.testing.assert_allclose(Tf, T.astype(float), rtol=1e-12, atol=1e-15)


@given(games(), sizes, rates)
def test_offspring_distribution_sums_to_one(A, N, mu):
    from dynamics.finite.chain import population_states

    for p in (wright_fisher(A, N, w=Fraction(1, 2), mu=mu), moran(A, N, w=0.3, mu=float(mu))):
        q = offspring_distribution(p, population_states(N, p.n))
        np.testing.assert_allclose(q.astype(float).sum(axis=1), 1.0, rtol=1e-12)


def test_fermi_neutral_transition_is_half_imitation():
    p = fermi([[1, 1], [1, 1]], 4, beta=3.0)
    T = transition_probabilities(p, np.array([[1, 3]]))
    # focal an A (1/4), model a B (3/3 of the others), copy with probability 1/2
    assert T[0, 0, 1] == pytest.approx(1 / 4 * 1 * 0.5)
    assert T[0, 1, 0] == pytest.approx(3 / 4 * 1 / 3 * 0.5)


def test_wright_fisher_has_no_single_step_transitions():
    with pytest.raises(ParameterError, match="Wright-Fisher"):
        transition_probabilities(wright_fisher(PD, 4, w=0.1), np.array([[1, 3]]))
