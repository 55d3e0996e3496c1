"""Exact enumeration of extreme equilibria (theory.equilibria.support) against oracles."""

import time
import warnings
from fractions import Fraction
from fractions import Fraction as Fr

import nashpy
import numpy as np
import pytest
from hypothesis import given, settings

from tests.theory.games_strategies import bimatrix_games, symmetric_games
from tests.theory.modal_game import modal_game, seed_equilibria
from theory.equilibria import (
    Vertex,
    best_reply_vertices,
    equilibria,
    exact_equilibria,
    is_equilibrium,
    iter_equilibria,
)
from theory.errors import PayoffValueError, TheoryError
from theory.games import Game

# nashpy's float equilibria are accurate to ~1e-10 on integer games of size <= 4.
NASHPY_TOL = 1e-7


def as_set(eqs):
    return sorted((tuple(map(float, e.x)), tuple(map(float, e.y))) for e in eqs)


def nashpy_set(A, B, method="vertex"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = nashpy.Game(np.asarray(A, float), np.asarray(B, float))
        pairs = list(getattr(g, f"{method}_enumeration")())
    out = []
    for x, y in pairs:
        key = (tuple(map(float, x)), tuple(map(float, y)))
        if not any(
            np.allclose(key[0], o[0], atol=NASHPY_TOL)
            and np.allclose(key[1], o[1], atol=NASHPY_TOL)
            for o in out
        ):
            out.append(key)
    return sorted(out)


def same_sets(a, b):
    """Same equilibria up to NASHPY_TOL, in any order."""

    def close(p, q):
        return np.allclose(p[0], q[0], atol=NASHPY_TOL) and np.allclose(p[1], q[1], atol=NASHPY_TOL)

    return len(a) == len(b) and all(any(close(p, q) for q in b) for p in a)


def test_matching_pennies():
    eqs = exact_equilibria(Game([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]))
    assert len(eqs) == 1 and eqs[0].x == (Fr(1, 2), Fr(1, 2)) and eqs[0].u == 0
    assert eqs.exact and eqs.complete and eqs.degenerate is False


def test_battle_of_the_sexes():
    eqs = exact_equilibria(Game([[3, 0], [0, 2]], [[2, 0], [0, 3]]))
    got = {(e.x, e.y) for e in eqs}
    assert got == {
        ((1, 0), (1, 0)),
        ((0, 1), (0, 1)),
        ((Fr(3, 5), Fr(2, 5)), (Fr(2, 5), Fr(3, 5))),
    }
    mixed = [e for e in eqs if len(e.support_x) == 2][0]
    assert mixed.u == Fr(6, 5) and mixed.v == Fr(6, 5)
    assert all(isinstance(p, Fr) for e in eqs for p in e.x + e.y)


@pytest.mark.parametrize("eps", ["1/10", "1/7", "1/5", "49/200"])
def test_modal_game_three_symmetric_equilibria(eps):
    e = Fr(eps)
    A = modal_game(eps)
    eqs = exact_equilibria(Game.symmetric(A))
    got = {(e_.x, e_.u) for e_ in eqs}
    want = {(tuple(Fr(v) for v in x), Fr(u)) for x, u in seed_equilibria(e)}
    assert got == want
    assert all(q.is_symmetric for q in eqs)
    assert eqs.degenerate is False
    assert len(eqs) == len(nashpy_set(A.astype(float), A.T.astype(float), "support"))


@pytest.mark.parametrize("eps", ["3/10", "2/5", "3/4", "2"])
def test_modal_game_counts_beyond_a_quarter(eps):
    """Past ε = 1/4 the seed's count changes; nashpy agrees on the count (non-degenerate ε)."""
    A = modal_game(eps)
    eqs = exact_equilibria(Game.symmetric(A))
    assert eqs.degenerate is False
    want = {"3/10": 5, "2/5": 3, "3/4": 1, "2": 1}[eps]
    assert len(eqs) == want
    assert same_sets(as_set(eqs), nashpy_set(A, A.T, "vertex"))
    assert same_sets(as_set(eqs), nashpy_set(A, A.T, "support"))


def test_degenerate_game_lists_extreme_points_of_component():
    # Row strategy 0 dominates; the column player is indifferent: x = (1, 0), y anything.
    eqs = exact_equilibria(Game([[1, 1], [0, 0]], [[1, 1], [1, 1]]))
    assert {(e.x, e.y) for e in eqs} == {((1, 0), (1, 0)), ((1, 0), (0, 1))}
    assert eqs.degenerate is True
    assert ("row", (0,)) in eqs.degenerate_supports


def test_von_stengel_nondegenerate_example():
    # von Stengel, "Equilibrium computation for two-player games", AGT (2007), ch. 3.
    A = [[3, 3], [2, 5], [0, 6]]
    B = [[3, 2], [2, 6], [3, 1]]
    eqs = exact_equilibria(Game(A, B))
    assert eqs.degenerate is False
    assert {(e.x, e.y) for e in eqs} == {
        ((1, 0, 0), (1, 0)),
        ((Fr(4, 5), Fr(1, 5), 0), (Fr(2, 3), Fr(1, 3))),
        ((0, Fr(1, 3), Fr(2, 3)), (Fr(1, 3), Fr(2, 3))),
    }


def test_von_stengel_degenerate_example_where_nashpy_support_misses_one():
    # Same source: B[0] = (3, 3) makes x = (1, 0, 0) have two best replies; the equilibria are
    # the component {(1,0,0)} x [(1,0), (2/3,1/3)] and one isolated equilibrium.
    A = [[3, 3], [2, 5], [0, 6]]
    B = [[3, 3], [2, 6], [3, 1]]
    eqs = exact_equilibria(Game(A, B))
    assert eqs.degenerate is True
    assert eqs.degenerate_supports == (("row", (0,)),)
    want = {
        ((1, 0, 0), (1, 0)),
        ((1, 0, 0), (Fr(2, 3), Fr(1, 3))),
        ((0, Fr(1, 3), Fr(2, 3)), (Fr(1, 3), Fr(2, 3))),
    }
    assert {(e.x, e.y) for e in eqs} == want
    assert len(nashpy_set(A, B, "support")) == 2  # misses the component's second end
    via_support = equilibria((A, B), method="support")
    assert via_support.degenerate is True and via_support.complete is False


def test_degenerate_integer_game_where_nashpy_support_misses_some():
    """On a degenerate game nashpy's support enumeration can miss equilibria; ours does not.

    Every extreme equilibrium of a tie-heavy game is exact and checks out; convex combinations
    within a component (the midpoint of two listed ones sharing x) are equilibria too.
    """
    A = np.array([[2, 2, 0], [2, 2, 1], [0, 1, 1]])
    eqs = exact_equilibria(Game.symmetric(A))
    assert eqs.degenerate is True
    for e in eqs:
        assert is_equilibrium(A, e.x, e.y)
    pairs = [(p, q) for p in eqs for q in eqs if p.x == q.x and p.y != q.y]
    for p, q in pairs:
        mid = tuple((a + b) / 2 for a, b in zip(p.y, q.y, strict=True))
        assert is_equilibrium(A, p.x, mid)


def test_float_payoffs_are_taken_exactly():
    eqs = exact_equilibria(Game.symmetric([[0.5, 0.0], [0.0, 0.25]]))
    assert {e.x for e in eqs} == {(1, 0), (0, 1), (Fr(1, 3), Fr(2, 3))}


def test_symbolic_payoffs_rejected():
    import sympy

    with pytest.raises(PayoffValueError, match="substitute"):
        exact_equilibria(Game.symmetric([[sympy.Symbol("e"), 0], [0, 1]]))


def test_best_reply_vertices_of_identity():
    V = best_reply_vertices(np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=object))
    assert len(V) == 7  # one per non-empty support: the uniform strategy on it
    assert all(v.best_replies == v.support for v in V)


@given(bimatrix_games(max_actions=4))
def test_every_equilibrium_is_exact_and_verified(game):
    A, B = game
    eqs = exact_equilibria(Game(A, B))
    assert len(eqs) >= 1  # Nash: every finite game has one (an extreme one, too)
    for e in eqs:
        assert is_equilibrium((A, B), e.x, e.y)
        assert e.u == sum(
            A[i, j] * e.x[i] * e.y[j] for i in range(len(e.x)) for j in range(len(e.y))
        )


@given(bimatrix_games(max_actions=4))
def test_exact_and_nashpy_agree_on_nondegenerate_games(game):
    A, B = game
    eqs = exact_equilibria(Game(A, B))
    if eqs.degenerate:
        return
    assert same_sets(as_set(eqs), nashpy_set(A, B, "vertex"))


@given(symmetric_games(max_actions=4))
def test_float_methods_through_dispatch_agree(A):
    """Non-degenerate games: vertex enumeration agrees with the exact set; nashpy's support
    enumeration returns a subset (it can drop equilibria silently, see below)."""
    exact = equilibria(A)
    if exact.degenerate:
        return
    vertex = equilibria(A, method="vertex")
    assert not vertex.exact
    assert same_sets(as_set(exact), as_set(vertex))
    support = equilibria(A, method="support")
    found = as_set(exact)
    assert all(any(same_sets([p], [q]) for q in found) for p in as_set(support))
    assert not support.complete and not vertex.complete


def test_nashpy_support_enumeration_is_never_claimed_complete():
    """nashpy tests probabilities with ``prob >= 0`` and no tolerance: on the raw payoffs a
    computed -6e-18 drops the equilibrium (0, 7/8, 1/8) of this non-degenerate game. On the
    payoffs mapped onto [0, 1] (what `equilibria` hands nashpy) it is found here, but nothing
    guarantees it, so the result is still not marked complete."""
    A = [[0, 0, 0], [0, 1, 0], [3, 0, 7]]
    raw = nashpy.Game(np.array(A, float), np.array(A, float).T)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy's "even number: degenerate" (it is not)
        assert len(list(raw.support_enumeration())) == 2
    exact = equilibria(A)
    assert exact.degenerate is False and len(exact) == 3
    assert ((0, Fr(7, 8), Fr(1, 8))) in {q.x for q in exact}
    support = equilibria(A, method="support")
    assert not support.complete and support.dropped == 0
    assert same_sets(as_set(exact), as_set(support))
    # an odd count and no degeneracy warning from nashpy, yet some of the 7 may be missing:
    B = [[0, 0, 0, 0], [0, 0, 1, 0], [0, 2, 0, 0], [1, 0, 0, 2]]
    assert equilibria(B).degenerate is False and len(equilibria(B)) == 7
    assert len(equilibria(B, method="support")) <= 7


# --- lazy enumeration and budgets (issue 16) ----------------------------------------------


@settings(max_examples=30, deadline=None)
@given(bimatrix_games(max_actions=4))
def test_iter_equilibria_yields_the_same_equilibria(game):
    g = Game(*game)
    lazy = list(iter_equilibria(g))
    assert len(lazy) == len(set((q.x, q.y) for q in lazy))
    assert set((q.x, q.y) for q in lazy) == {(q.x, q.y) for q in exact_equilibria(g)}


def test_iter_equilibria_is_lazy():
    rng = np.random.default_rng(1)
    g = Game(rng.integers(0, 100, (9, 9)), rng.integers(0, 100, (9, 9)))
    t0 = time.perf_counter()
    first = next(iter_equilibria(g))
    assert is_equilibrium(g, first.x, first.y)
    assert time.perf_counter() - t0 < 30  # the column player's vertices, then one row vertex


def test_a_spent_budget_returns_what_was_found_marked_incomplete():
    rng = np.random.default_rng(0)
    g = Game(rng.integers(0, 100, (12, 12)), rng.integers(0, 100, (12, 12)))
    res = exact_equilibria(g, budget=0.3)
    assert not res.complete and res.stopped and "budget" in res.stopped
    assert all(is_equilibrium(g, q.x, q.y) for q in res)
    lazy = list(iter_equilibria(g, budget=0.3))
    assert all(is_equilibrium(g, q.x, q.y) for q in lazy)


def test_a_game_beyond_the_limit_is_refused_with_a_message():
    g = Game(np.zeros((15, 15), int), np.zeros((15, 15), int))
    with pytest.raises(TheoryError, match=r"15 x 15 game needs 3\.1\de\+08 linear systems"):
        exact_equilibria(g)
    with pytest.raises(TheoryError, match="budget"):
        next(iter_equilibria(g))
    res = exact_equilibria(Game(np.zeros((200, 200), int), np.zeros((200, 200), int)), budget=0.2)
    assert not res.complete and res.stopped


# --- the two vertex enumerations agree (integer pivoting, supports) ------------------------


@settings(max_examples=150, deadline=None)
@given(bimatrix_games(min_actions=1, max_actions=5, max_payoff=3))
def test_pivoting_and_support_enumeration_find_the_same_vertices(game):
    from theory.equilibria._pivoting import TooDegenerate, pivot_vertices
    from theory.equilibria._vertices import Budget
    from theory.equilibria.support import _Found, _support_vertices

    P = np.asarray(game[0], dtype=object)
    by_supports = {(v.z, v.u, v.best_replies) for v in _support_vertices(P, Budget(), set())}
    try:
        found = list(pivot_vertices(P))
        assert len(found) == len(set(found))
        assert {_Found(w, best).vertex(P) for w, best in found} == {Vertex(*v) for v in by_supports}
    except TooDegenerate:  # allowed only where bases far outnumber vertices
        assert len(by_supports) < 300


def test_a_too_degenerate_polytope_falls_back_to_supports(monkeypatch):
    from itertools import combinations

    import theory.equilibria._pivoting as pivoting
    from theory.equilibria._vertices import Budget
    from theory.equilibria.support import _support_vertices

    # rows: every pair of 4 strategies; against the uniform z all 6 rows tie, C(6, 4) bases
    P = np.array([[int(j in c) for j in range(4)] for c in combinations(range(4), 2)], object)
    monkeypatch.setattr(pivoting, "SPARE_BASES", 5)
    monkeypatch.setattr(pivoting, "BASES_PER_VERTEX", 1)
    monkeypatch.setattr(pivoting, "SYSTEMS_PER_BASIS", 10**6)
    with pytest.raises(pivoting.TooDegenerate):
        list(pivoting.pivot_vertices(P))
    got = {(v.z, v.best_replies) for v in best_reply_vertices(P)}
    assert got == {(v.z, v.best_replies) for v in _support_vertices(P, Budget(), set())}
    assert ((Fraction(1, 4),) * 4, frozenset(range(6))) in got


@settings(max_examples=60, deadline=None)
@given(bimatrix_games(min_actions=1, max_actions=7, max_payoff=20))
def test_float_rounded_pivots_equal_python_integer_pivots(game):
    # the batched float pivots (rounded where a bound proves it exact) against every pivot in
    # Python integers, and against the same game scaled by 10**300 (entries beyond int64) and
    # 10**400 (beyond floats: the exact ratio test throughout); the vertices are the same
    import theory.equilibria._pivoting as pivoting

    P = np.asarray(game[0], dtype=object)
    try:
        fast = list(pivoting.pivot_vertices(P))
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(pivoting, "_EXACT_FLOAT", 0.0)
            slow = list(pivoting.pivot_vertices(P))
        huge = list(pivoting.pivot_vertices(P * 10**300 + 7))
        beyond = list(pivoting.pivot_vertices(P * 10**400 - 3))
    except pivoting.TooDegenerate:
        return
    assert len(fast) == len(set(fast))
    assert set(fast) == set(slow) == set(huge) == set(beyond)


def test_an_early_degenerate_vertex_does_not_send_a_large_game_to_the_supports():
    # this 14 x 14 polytope meets a vertex with thousands of bases among its first 34 vertices;
    # it has 20,662 vertices on 34,363 bases: pivoting finishes in seconds where the support
    # enumeration (4e7 systems) would take many minutes
    from theory.equilibria._pivoting import pivot_vertices

    rng = np.random.default_rng(14000)
    rng.integers(0, 10, size=(14, 14))
    P = rng.integers(0, 10, size=(14, 14)).T.astype(object)
    assert sum(1 for _ in pivot_vertices(P)) == 20662
