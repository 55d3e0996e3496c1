"""Symmetric equilibria by the 2^n support search (theory.equilibria.symmetric)."""

from fractions import Fraction as Fr

import numpy as np
import pytest
import sympy
from hypothesis import given

from tests.theory.games_strategies import symmetric_games
from tests.theory.modal_game import modal_game, seed_equilibria
from theory.equilibria import exact_equilibria, is_equilibrium, symmetric_equilibria
from theory.errors import PayoffValueError, ShapeError, TheoryError
from theory.games import Game


@pytest.mark.parametrize("eps", ["1/10", "1/5", "1/100"])
def test_modal_game_seed_equilibria(eps):
    e = Fr(eps)
    res = symmetric_equilibria(modal_game(eps))
    assert res.exact and res.complete and not res.degenerate
    assert {(q.x, q.u) for q in res} == {
        (tuple(Fr(v) for v in x), Fr(u)) for x, u in seed_equilibria(e)
    }


def test_zero_game_is_degenerate_and_lists_the_vertices():
    # Every x is a symmetric equilibrium of the zero game; its extreme points are the vertices.
    res = symmetric_equilibria(np.zeros((3, 3), dtype=int))
    assert res.degenerate is True and res.complete
    assert {q.x for q in res} == {(1, 0, 0), (0, 1, 0), (0, 0, 1)}


def test_degenerate_face_with_a_segment():
    # Strategies 0 and 1 are copies: every mix of them is a symmetric equilibrium.
    A = [[1, 1, 0], [1, 1, 0], [0, 0, 0]]
    res = symmetric_equilibria(A)
    xs = {q.x for q in res}
    assert {(1, 0, 0), (0, 1, 0)} <= xs
    assert ("symmetric", (0, 1)) in res.degenerate_supports
    for q in res:
        assert is_equilibrium(A, q.x, q.x)


def test_float_mode():
    res = symmetric_equilibria(np.array([[0.0, 3.0], [1.0, 2.0]]))
    assert not res.exact
    assert len(res) == 1 and np.allclose(res[0].x, [0.5, 0.5])


def test_errors():
    with pytest.raises(ShapeError):
        symmetric_equilibria([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ShapeError):
        symmetric_equilibria(([[1, 0], [0, 1]], [[1, 0], [0, 2]]))
    with pytest.raises(PayoffValueError, match="symbolic"):
        symmetric_equilibria([[sympy.Symbol("e"), 0], [0, 1]])


@given(symmetric_games(max_actions=5))
def test_agrees_with_symmetric_part_of_full_enumeration(A):
    """Every game, degenerate ones included: the symmetric search finds exactly the symmetric
    extreme equilibria of the full exact enumeration (both are the vertices x of
    {A x <= u, x in simplex} with supp(x) within the best replies), each exact."""
    res = symmetric_equilibria(A)
    for q in res:
        assert is_equilibrium(A, q.x, q.x)
    full = exact_equilibria(Game.symmetric(A))
    assert {q.x for q in res} == {q.x for q in full if q.is_symmetric}


def test_float_search_works_at_any_payoff_scale():
    for scale in (1e-12, 1e-3, 1.0, 1e6, 1e12):
        res = symmetric_equilibria(np.array([[0.0, 3.0], [1.0, 2.0]]) * scale + 7 * scale)
        assert len(res) == 1 and np.allclose(res[0].x, [0.5, 0.5]) and res.complete


def test_budget_stops_the_search_with_what_was_found():
    rng = np.random.default_rng(3)
    A = rng.integers(0, 100, (18, 18))
    res = symmetric_equilibria(A, budget=0.2)
    assert not res.complete and "budget" in res.stopped
    assert all(is_equilibrium(A, q.x, q.y) for q in res)
    with pytest.raises(TheoryError, match="supports"):
        symmetric_equilibria(np.zeros((25, 25), int))
