"""Flows of d-player group games (dynamics.group_flows)."""

from fractions import Fraction as Fr

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamics.errors import ParameterError, SimplexError
from dynamics.flows import DYNAMICS, flow
from dynamics.group_flows import group_field, group_payoff_map, integrate_group
from theory.group_games import (
    group_game,
    group_payoffs,
    group_rest_points,
    public_goods_game,
    stag_hunt_game,
    volunteers_dilemma,
)


def matrix_game(A):
    n = len(A)
    return group_game(lambda i, k: sum(A[i][j] * k[j] for j in range(n)), 2, strategies=n)


@pytest.mark.parametrize("name", sorted(DYNAMICS))
def test_pairwise_group_game_has_the_matrix_flows(name):
    A = [[0, -1, 2], [3, 0, -1], [-1, 1, 0]]
    x = np.random.default_rng(0).dirichlet(np.ones(3), size=7)
    params = {"eta": 2.0} if name == "logit" else {}
    ours = group_field(matrix_game(A), x, dynamic=name, **params)
    assert np.allclose(ours, flow(name)(np.array(A, float), x, **params))


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 6), st.integers(2, 3), st.integers(0, 2**32 - 1))
def test_vectorised_payoffs_match_the_exact_ones(d, n, seed):
    rng = np.random.default_rng(seed)
    vals = rng.integers(-5, 6, size=1000)

    def payoff(i, k):
        return int(vals[(i * 97 + 31 * sum(j * c for j, c in enumerate(k))) % 1000])

    g = group_game(payoff, d, strategies=n)
    w = rng.integers(0, 6, size=n)
    w[0] += 1
    x = [Fr(int(v), int(w.sum())) for v in w]
    exact = np.array([float(v) for v in group_payoffs(g, x)])
    assert np.allclose(group_payoff_map(g)(np.array([[float(v) for v in x]])), exact)


def test_vertices_are_handled():
    g = stag_hunt_game(4, r=3, threshold=2)
    f = group_payoff_map(g)(np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert np.allclose(f, [[2.0, 2.25], [-1.0, 0.0]])


def test_volunteers_converge_to_the_closed_form():
    d, b, c = 5, 16, 1
    tr = integrate_group(volunteers_dilemma(d, b=b, c=c), [[0.95, 0.05], [0.01, 0.99]], 200.0)
    assert np.allclose(tr.final[:, 0], 1 - (c / b) ** (1 / (d - 1)), atol=1e-6)


def test_public_goods_below_d_goes_to_defection():
    tr = integrate_group(public_goods_game(5, r=3), [[0.99, 0.01]], 200.0)
    assert tr.final[0, 0] < 1e-6


def test_stag_hunt_basins_split_at_the_unstable_root():
    g = stag_hunt_game(10, r=9, threshold=5)
    low, high = (float(p.x) for p in group_rest_points(g) if p.x not in (0, 1))
    starts = [[low - 0.02, 1 - low + 0.02], [low + 0.02, 1 - low - 0.02]]
    tr = integrate_group(g, starts, 400.0)
    assert tr.final[0, 0] < 1e-6
    assert tr.final[1, 0] == pytest.approx(high, abs=1e-6)


def test_bad_input():
    with pytest.raises(ParameterError):
        group_field([[1, 0], [0, 1]], [0.5, 0.5])
    with pytest.raises(SimplexError):
        group_field(public_goods_game(3, r=2), [0.5, 0.6])
    with pytest.raises(SimplexError):
        group_field(public_goods_game(3, r=2), [0.5, 0.3, 0.2])
    with pytest.raises(ParameterError):
        integrate_group(public_goods_game(3, r=2), [0.5, 0.5], 1.0, dynamic="nope")
