"""Two-population flows on the product of simplices (dynamics.two_populations)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamics._responses import RESPONSES
from dynamics.errors import ParameterError, SimplexError
from dynamics.flows import DYNAMICS, replicator
from dynamics.two_populations import integrate_two_populations, two_population_field
from theory.errors import ShapeError
from theory.two_populations import two_population_rest_points

PENNIES = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
SEXES = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])
ZERO_SUM = ([[3, -1], [-2, 1]], [[-3, 1], [2, -1]])  # interior equilibrium x* = (3/7, 4/7)


def interior(n, k, rng):
    return rng.dirichlet(np.ones(n), size=k)


@pytest.mark.parametrize("name", sorted(DYNAMICS))
def test_payoff_form_kernels_are_the_flows(name):
    rng = np.random.default_rng(1)
    A = rng.normal(size=(4, 4))
    x = interior(4, 20, rng)
    params = {"eta": 3.0} if name == "logit" else {}
    assert np.allclose(RESPONSES[name](x, x @ A.T, **params), DYNAMICS[name](A, x, **params))


@settings(max_examples=20, deadline=None)
@given(st.integers(2, 4), st.integers(0, 2**32 - 1))
def test_symmetric_game_with_equal_populations_is_the_one_population_replicator(n, seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, n))
    x = interior(n, 5, rng)
    v = two_population_field((A, A.T), x, x)
    assert np.allclose(v.x, replicator(A, x)) and np.allclose(v.y, replicator(A, x))


@pytest.mark.parametrize("name", sorted(DYNAMICS))
def test_fields_are_tangent_to_both_simplices(name):
    rng = np.random.default_rng(2)
    A, B = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    v = two_population_field((A, B), interior(3, 10, rng), interior(2, 10, rng), dynamic=name)
    assert v.x.shape == (10, 3) and v.y.shape == (10, 2)
    assert np.allclose(v.x.sum(axis=1), 0) and np.allclose(v.y.sum(axis=1), 0)


def conserved(x, y, xs, ys):
    return np.log(x) @ xs + np.log(y) @ ys


@pytest.mark.parametrize("game", [PENNIES, ZERO_SUM])
def test_zero_sum_orbits_keep_their_conserved_quantity(game):
    """H = x*.log x + y*.log y is constant along orbits of a zero-sum game with an interior
    equilibrium (x*, y*) (Hofbauer & Sigmund 1998, 11.2): the orbits are closed."""
    p = two_population_rest_points(game)[-1]
    xs, ys = np.array(p.x, dtype=float), np.array(p.y, dtype=float)
    assert np.all(xs > 0) and np.all(ys > 0)
    rng = np.random.default_rng(3)
    x0, y0 = interior(2, 16, rng), interior(2, 16, rng)
    tr = integrate_two_populations(game, x0, y0, 60.0, rtol=1e-9, atol=1e-11, n_out=301)
    assert tr.success.all()
    H = conserved(tr.x, tr.y, xs, ys)  # (k, T)
    drift = np.abs(H - H[:, :1]).max(axis=1)
    assert np.all(drift < 1e-7 * np.abs(H[:, 0]))
    # the orbit moves (not stuck at the centre) and its time average is the equilibrium
    assert np.all(np.ptp(tr.x[:, :, 0], axis=1) > 1e-3)
    H_mean = np.abs(tr.mean_x - xs).max()
    assert H_mean < 0.1


def test_battle_of_the_sexes_goes_to_the_strict_equilibria():
    tr = integrate_two_populations(SEXES, [[0.9, 0.1], [0.2, 0.8]], [0.5, 0.5], 40.0)
    assert np.allclose(tr.x[:, -1], [[1, 0], [0, 1]], atol=1e-6)
    assert np.allclose(tr.y[:, -1], [[1, 0], [0, 1]], atol=1e-6)


@pytest.mark.parametrize("name", ["best_response", "logit", "bnn", "smith"])
def test_other_dynamics_stay_on_the_simplices(name):
    rng = np.random.default_rng(4)
    tr = integrate_two_populations(
        SEXES, interior(2, 8, rng), interior(2, 8, rng), 10.0, dynamic=name, n_out=11
    )
    assert tr.success.all()
    assert np.allclose(tr.x.sum(axis=2), 1) and np.allclose(tr.y.sum(axis=2), 1)
    assert (tr.x >= 0).all() and (tr.y >= 0).all()
    if name != "logit":  # the strict equilibria attract these too
        ends = np.round(tr.x[:, -1, 0], 2)
        assert set(np.round(ends)) <= {0.0, 1.0}


def test_bad_input():
    with pytest.raises(ShapeError):
        two_population_field(([[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]]), [0.5, 0.5], [1, 0])
    with pytest.raises(SimplexError, match="y"):
        two_population_field(SEXES, [0.5, 0.5], [0.7, 0.7])
    with pytest.raises(SimplexError, match="x0"):
        integrate_two_populations(SEXES, [0.5, 0.6], [0.5, 0.5], 1.0)
    with pytest.raises(SimplexError):
        two_population_field(SEXES, [[0.5, 0.5]] * 2, [[0.5, 0.5]] * 3)
    with pytest.raises(ParameterError):
        two_population_field(SEXES, [0.5, 0.5], [0.5, 0.5], dynamic="nope")


def test_populations_of_different_sizes():
    """3 x 2: the row strategy 2 is strictly dominated and dies out; the rest is pennies-like."""
    A = [[1, -1], [-1, 1], [-2, -2]]
    B = [[-1, 1], [1, -1], [0, 0]]
    rng = np.random.default_rng(5)
    tr = integrate_two_populations((A, B), interior(3, 6, rng), interior(2, 6, rng), 40.0)
    assert tr.x.shape[2] == 3 and tr.y.shape[2] == 2
    assert np.allclose(tr.x.sum(axis=2), 1) and np.allclose(tr.y.sum(axis=2), 1)
    assert np.all(tr.x[:, -1, 2] < 1e-6)
    v = two_population_field((A, B), tr.x[:, -1], tr.y[:, -1])
    assert v.x.shape == (6, 3)
