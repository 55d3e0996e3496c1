"""equilibria(game, method=...) over every method, and its errors."""

from fractions import Fraction

import nashpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.theory.games_strategies import bimatrix_games, symmetric_games
from tests.theory.modal_game import modal_game
from theory.equilibria import METHODS, equilibria, is_equilibrium
from theory.errors import TheoryError


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_finds_defect_on_modal_game(method):
    A = modal_game("1/10")
    res = equilibria(A, method=method)
    assert res.method == method
    assert any(np.allclose(np.array(q.x, float), [1, 0, 0, 0]) for q in res)


def test_lemke_howson_is_not_complete_and_misses_one():
    A = modal_game("1/10")
    res = equilibria(A, method="lemke_howson")
    assert not res.complete
    assert len(res) < len(equilibria(A))  # misses (9/10, 0, 1/10, 0), as peers.md says


def test_accepts_nashpy_game():
    g = nashpy.Game(np.array([[1.0, -1.0], [-1.0, 1.0]]))
    (q,) = equilibria(g)
    assert q.x == (0.5, 0.5)


def test_errors():
    with pytest.raises(TheoryError, match="known"):
        equilibria([[1, 0], [0, 1]], method="magic")
    with pytest.raises(TheoryError, match="symmetric"):
        equilibria(([[1, 0], [0, 1]], [[0, 1], [1, 0]]), method="symmetric")


# --- the float path: verified, any payoff scale, never zero equilibria (issue 16) ---------

PD = np.array([[3.0, 0.0], [5.0, 1.0]])
RPS = np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]])
FLOAT_METHODS = ["vertex", "support", "lemke_howson"]


def _floats(q):
    return tuple(np.round(np.array(q.x, float), 9)), tuple(np.round(np.array(q.y, float), 9))


@pytest.mark.parametrize("method", FLOAT_METHODS)
@pytest.mark.parametrize("scale", [1e-12, 1.0, 1e8])
def test_prisoners_dilemma_at_any_scale(method, scale):
    # at 1e8 nashpy's vertex enumeration found no equilibrium; at 1e-12 the default raised
    res = equilibria(PD * scale, method=method)
    assert [_floats(q) for q in res] == [((0.0, 1.0), (0.0, 1.0))]
    assert res[0].u == pytest.approx(scale)
    assert res.dropped == 0 and res.fallback is None


def test_prisoners_dilemma_tiny_default_method_is_exact():
    (q,) = equilibria(PD * 1e-12)
    assert q.x == (0, 1) and q.u == Fraction(1e-12)


@pytest.mark.parametrize("method", ["vertex", "support"])
def test_shifted_rock_paper_scissors_has_one_equilibrium(method):
    # shifted by 1e6, nashpy's vertex enumeration listed 49 "equilibria", (R, R) among them
    res = equilibria(RPS + 1e6, method=method)
    assert len(res) == 1
    assert np.allclose(res[0].x, [1 / 3] * 3) and np.allclose(res[0].y, [1 / 3] * 3)
    assert res[0].u == pytest.approx(1e6)


@pytest.mark.parametrize("scale", [1e-12, 1e6])
def test_symmetric_float_search_is_relative_to_the_payoffs(scale):
    # at 1e-12 (C, C) was listed; at 1e6 nothing, and regular supports flagged degenerate
    res = equilibria(PD * scale, method="symmetric")
    assert [q.x for q in res] == [(0.0, 1.0)]
    assert res.complete and not res.degenerate and res.degenerate_supports == ()


def test_symmetric_with_a_huge_integer_is_exact():
    big = 10**400
    res = equilibria([[big, 0], [5, 1]], method="symmetric")  # OverflowError before
    assert res.exact and res.complete and len(res) == 3
    assert all(is_equilibrium([[big, 0], [5, 1]], q.x, q.y) for q in res)
    assert Fraction(1, big - 4) in res[2].x


@pytest.mark.parametrize("method", sorted(METHODS))
def test_one_by_one_game(method):
    res = equilibria(np.array([[2.5]]), method=method)  # QhullError from nashpy's vertex method
    assert [(tuple(map(float, q.x)), float(q.u)) for q in res] == [((1.0,), 2.5)]


@pytest.mark.parametrize("method", sorted(METHODS))
def test_payoffs_of_wildly_different_sizes(method):
    A = np.array([[1, 1e100], [-1e100, 4]])  # scipy ValueError / TypeError before
    res = equilibria(A, method=method)
    assert [_floats(q) for q in res] == [((1.0, 0.0), (1.0, 0.0))]


def test_an_unverifiable_candidate_is_dropped_and_the_exact_method_steps_in(monkeypatch):
    def wrong(self):
        yield np.array([1.0, 0.0]), np.array([1.0, 0.0])  # (C, C): not an equilibrium

    monkeypatch.setattr(nashpy.Game, "vertex_enumeration", wrong)
    res = equilibria(PD, method="vertex")
    assert res.dropped == 1 and res.fallback == "exact"
    assert [_floats(q) for q in res] == [((0.0, 1.0), (0.0, 1.0))] and not res.exact


def test_an_inaccurate_candidate_is_refined_exactly(monkeypatch):
    def rough(self):
        yield np.array([0.5 + 1e-6, 0.5 - 1e-6]), np.array([0.5, 0.5])

    monkeypatch.setattr(nashpy.Game, "vertex_enumeration", rough)
    res = equilibria(([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]), method="vertex")
    assert res.dropped == 0 and res.fallback is None
    assert [(q.x, q.y) for q in res] == [((0.5, 0.5), (0.5, 0.5))]


def test_a_solver_failure_falls_back_to_exact(monkeypatch):
    def broken(self):
        raise ValueError("solver trouble")
        yield  # pragma: no cover

    monkeypatch.setattr(nashpy.Game, "support_enumeration", broken)
    res = equilibria(PD, method="support")
    assert res.fallback == "exact" and len(res) == 1 and res.complete


@pytest.mark.parametrize("method", sorted(METHODS))
def test_hawk_dove_retaliator_lists_each_equilibrium_once(method):
    A = [[-1, 2, -1], [0, 1, 1], [-1, 1, 1]]
    res = equilibria(A, method=method)
    keys = [_floats(q) for q in res]
    assert len(keys) == len(set(keys))
    assert all(is_equilibrium(A, np.array(q.x, float), np.array(q.y, float)) for q in res)


def test_too_large_a_game_needs_a_budget():
    A = np.zeros((15, 15), dtype=int)
    with pytest.raises(TheoryError, match="budget"):
        equilibria(A)
    with pytest.raises(TheoryError, match="budget"):
        equilibria(np.zeros((25, 25), dtype=int), method="symmetric")
    with pytest.raises(TheoryError, match="budget"):
        equilibria(PD, budget=-1)


# --- invariance under positive affine maps of each player's payoffs (every method) -------


def _affine(M, scale, shift):
    return [[scale * v + shift for v in row] for row in M]


@settings(max_examples=25, deadline=None)
@given(
    game=bimatrix_games(max_actions=3),
    ea=st.integers(-12, 12),
    eb=st.integers(-12, 12),
    shift=st.integers(-9, 9),
    method=st.sampled_from(sorted(set(METHODS) - {"symmetric"})),
)
def test_equilibria_are_invariant_under_affine_maps(game, ea, eb, shift, method):
    A, B = game
    base = equilibria((A, B), method="exact")
    if base.degenerate:  # float methods need not find every extreme equilibrium then
        return
    if method == "exact":  # exact payoffs: any scale 1e-12..1e12 and shift up to 1e12
        a, b = Fraction(10) ** ea, Fraction(10) ** eb
        game2 = (_affine(A.tolist(), a, shift * 10**12), _affine(B.tolist(), b, -shift * b))
    else:
        # floats: the shift is limited to 1e6 times the scale, beyond which the float entries
        # cannot hold the payoff differences (the float game is then another game)
        a, b = 10.0**ea, 10.0**eb
        game2 = (
            np.array(_affine(A.tolist(), a, shift * a * 1e5)),
            np.array(_affine(B.tolist(), b, -shift * b * 1e5)),
        )
    res = equilibria(game2, method=method)
    want = {_floats(q) for q in base}
    got = {_floats(q) for q in res}
    assert got <= want if method == "lemke_howson" else got == want
    assert len(res) >= 1


@settings(max_examples=25, deadline=None)
@given(A=symmetric_games(max_actions=4), ea=st.integers(-12, 12), shift=st.integers(-9, 9))
def test_symmetric_search_is_invariant_under_affine_maps(A, ea, shift):
    base = {_floats(q) for q in equilibria(A, method="symmetric")}
    exact2 = _affine(A.tolist(), Fraction(10) ** ea, shift * 10**12)
    assert {_floats(q) for q in equilibria(exact2, method="symmetric")} == base
    if not equilibria(A, method="symmetric").degenerate:
        a = 10.0**ea
        float2 = np.array(_affine(A.tolist(), a, shift * a * 1e5))
        assert {_floats(q) for q in equilibria(float2, method="symmetric")} == base
