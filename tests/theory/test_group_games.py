"""Symmetric d-player group games, their gain functions and rest points (theory.group_games)."""

import itertools
import math
from fractions import Fraction as Fr

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.theory.games_strategies import symmetric_games
from theory.errors import PayoffValueError, ShapeError, TheoryError, UndecidedStability
from theory.group_games import (
    GroupGame,
    GroupSimplexRestPoint,
    collective_risk_game,
    compositions,
    gain_coefficients,
    gain_function,
    group_game,
    group_payoffs,
    group_rest_points,
    group_simplex_rest_points,
    public_goods_game,
    snowdrift_game,
    stag_hunt_game,
    volunteers_dilemma,
)
from theory.stability import replicator_rest_points


def matrix_as_group_game(A):
    """The pairwise game A as a group game with d = 2."""
    A = np.asarray(A, dtype=object)
    n = A.shape[0]
    return group_game(lambda i, k: sum(A[i, j] * k[j] for j in range(n)), 2, strategies=n)


def sign_changes(values):
    signs = [v > 0 for v in values if v != 0]
    return sum(a != b for a, b in zip(signs, signs[1:], strict=False))


# --- the object -------------------------------------------------------------------------------


@given(st.integers(1, 4), st.integers(0, 6))
def test_compositions_are_all_count_vectors_once(n, total):
    comps = compositions(n, total)
    assert len(comps) == math.comb(total + n - 1, n - 1) == len(set(comps))
    assert all(len(c) == n and sum(c) == total and min(c) >= 0 for c in comps)


def test_games_are_values():
    g = stag_hunt_game(5, r=4, threshold=3)
    assert g == stag_hunt_game(5, r="4", threshold=3)
    assert hash(g) == hash(stag_hunt_game(5, r=Fr(4), threshold=3))
    assert g != stag_hunt_game(5, r=4, threshold=2)
    with pytest.raises(AttributeError):
        g.group_size = 3  # type: ignore[misc]


def test_payoff_by_counts():
    g = public_goods_game(4, r=2, c=1)
    # a cooperator with two cooperating co-players: pot 2 * 3 shared by 4, minus its cost
    assert g.payoff(0, (2, 1)) == Fr(1, 2)
    assert g.payoff(1, (2, 1)) == 1


def test_float_and_symbolic_payoffs():
    assert public_goods_game(3, r=2.5).table[0][0] == pytest.approx(1.5)
    assert not public_goods_game(3, r=2.5).is_exact
    r = sympy.Symbol("r", positive=True)
    g = public_goods_game(3, r=r, c=1)
    assert g.is_symbolic
    assert set(gain_coefficients(g)) == {r / 3 - 1}
    assert g.at({r: 2}) == public_goods_game(3, r=2)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: public_goods_game(1, r=2), TheoryError),  # d < 2
        (lambda: public_goods_game(True, r=2), TheoryError),
        (lambda: public_goods_game(3, r=float("nan")), PayoffValueError),
        (lambda: public_goods_game(3, r=None), PayoffValueError),
        (lambda: stag_hunt_game(3, r=2, threshold=4), TheoryError),
        (lambda: collective_risk_game(3, threshold=2, risk=2), TheoryError),
        (lambda: public_goods_game(3, r=2).payoff(0, (1, 0)), ShapeError),  # sums to 1, not 2
        (lambda: public_goods_game(3, r=2).payoff(0, (3, -1)), ShapeError),
        (lambda: public_goods_game(3, r=2).payoff(0, (1, 1, 0)), ShapeError),
        (lambda: GroupGame(3, 2, ((1, 2, 3), (1, 2))), ShapeError),
        (lambda: group_payoffs(public_goods_game(3, r=2), [0.7, 0.7]), ShapeError),
        (lambda: group_payoffs(public_goods_game(3, r=2), [Fr(1, 2), Fr(1, 3)]), ShapeError),
        (lambda: group_payoffs(public_goods_game(3, r=2), [1.2, -0.2]), ShapeError),
        (lambda: group_payoffs(public_goods_game(3, r=2), [1]), ShapeError),
    ],
)
def test_bad_input_raises_theory_errors(call, error):
    with pytest.raises(error):
        call()


# --- d = 2 is the matrix game ------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(symmetric_games(max_actions=3), st.data())
def test_pairwise_group_game_has_the_matrix_payoffs(A, data):
    n = A.shape[0]
    w = data.draw(st.lists(st.integers(0, 5), min_size=n, max_size=n).filter(any))
    x = [Fr(v, sum(w)) for v in w]
    expected = tuple(sum(A[i, j] * x[j] for j in range(n)) for i in range(n))
    assert group_payoffs(matrix_as_group_game(A), x) == expected


@settings(max_examples=30, deadline=None)
@given(symmetric_games(max_actions=2))
def test_pairwise_rest_points_are_the_matrix_replicators(A):
    g = matrix_as_group_game(A)
    if all(v == 0 for v in gain_coefficients(g)):
        return
    ours = [p.x for p in group_rest_points(g)]
    theirs = sorted(Fr(p.x[0]) for p in replicator_rest_points(A))
    assert [Fr(v) for v in ours] == theirs


# --- closed forms ------------------------------------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(st.integers(2, 12), st.fractions(Fr(1, 10), 20))
def test_public_goods_below_d_defection_dominates(d, r):
    if r >= d:
        r = Fr(d) - Fr(1, 7)
    g = public_goods_game(d, r=r, c=1)
    assert all(v == r / d - 1 < 0 for v in gain_coefficients(g))
    points = group_rest_points(g)
    assert [(p.x, p.stable) for p in points] == [(0, True), (1, False)]


def test_public_goods_above_d_cooperation_dominates():
    points = group_rest_points(public_goods_game(5, r=6))
    assert [(p.x, p.stable) for p in points] == [(0, False), (1, True)]


@pytest.mark.parametrize(("d", "b", "c"), [(2, 3, 1), (3, 4, 1), (5, 3, 2), (8, 10, 1)])
def test_volunteers_dilemma_closed_form(d, b, c):
    points = group_rest_points(volunteers_dilemma(d, b=b, c=c))
    assert len(points) == 3
    inner = points[1]
    expected = 1 - sympy.Rational(c, b) ** sympy.Rational(1, d - 1)
    assert (
        sympy.simplify(sympy.sympify(inner.x) - expected) == 0
        or abs(float(inner.x) - float(expected)) < 1e-14
    )
    assert inner.stable and not points[0].stable and not points[2].stable


def test_snowdrift_d2_is_the_matrix_snowdrift():
    b, c = 3, 2
    (x0, inner, x1) = group_rest_points(snowdrift_game(2, b=b, c=c))
    assert inner.x == Fr(b - c) / (b - Fr(c, 2)) and inner.stable
    assert not x0.stable and not x1.stable


@pytest.mark.parametrize(("d", "b", "c"), [(3, 2, 1), (5, 3, 1), (10, 2, 1), (6, 5, 4)])
def test_snowdrift_interior_equilibrium(d, b, c):
    """Zheng et al. 2007: g(x) = b (1-x)^(d-1) - c (1 - (1-x)^d) / (d x); one stable root."""
    points = group_rest_points(snowdrift_game(d, b=b, c=c))
    inner = [p for p in points if p.x not in (0, 1)]
    assert len(inner) == 1 and inner[0].stable
    x = float(inner[0].x)
    closed = b * (1 - x) ** (d - 1) - c * (1 - (1 - x) ** d) / (d * x)
    assert abs(closed) < 1e-12 * b
    assert abs(float(gain_function(snowdrift_game(d, b=b, c=c)).subs("x", x))) < 1e-12 * b


def test_stag_hunt_two_interior_rest_points():
    """Pacheco et al. 2009: with a threshold 1 < M < d and r large enough (r < d) there is a
    lower, unstable (coordination) and an upper, stable (coexistence) interior rest point."""
    d, M = 10, 5
    found = {}
    for r in range(1, d):  # r < d: defection is the only stable vertex
        points = group_rest_points(stag_hunt_game(d, r=r, threshold=M))
        inner = [p for p in points if p.x not in (0, 1)]
        found[r] = len(inner)
        if len(inner) == 2:
            low, high = inner
            assert not low.stable and high.stable and float(low.x) < float(high.x)
            assert points[0].stable  # full defection is always stable
        coeffs = gain_coefficients(stag_hunt_game(d, r=r, threshold=M))
        assert len(inner) <= sign_changes(coeffs)  # the Bernstein bound
    assert found[1] == 0 and found[9] == 2
    assert sorted(set(found.values())) == [0, 2]


def test_collective_risk_two_interior_rest_points_at_high_risk():
    high = [p for p in group_rest_points(collective_risk_game(6, threshold=3, risk="0.9"))]
    low = [p for p in group_rest_points(collective_risk_game(6, threshold=3, risk="0.05"))]
    assert len(high) == 4 and [p.stable for p in high] == [True, False, True, False]
    assert len(low) == 2


@settings(max_examples=15, deadline=None)
@given(
    st.integers(2, 6),
    st.lists(st.integers(-5, 5), min_size=14, max_size=14),
)
def test_rest_points_are_roots_with_the_right_stability(d, raw):
    table = (tuple(raw[:d]), tuple(raw[7 : 7 + d]))
    g = GroupGame(d, 2, table)
    if all(v == 0 for v in gain_coefficients(g)):
        with pytest.raises(TheoryError):
            group_rest_points(g)
        return
    points = group_rest_points(g)
    x = sympy.Symbol("x")
    gx = gain_function(g, x)
    inner = [p for p in points if p.x not in (0, 1)]
    assert len(inner) <= sign_changes(gain_coefficients(g))
    for p in inner:
        assert abs(float(gx.subs(x, p.x))) < 1e-9
        # stability agrees with the sign of the field just either side of the root
        v = float(p.x)
        h = 1e-7
        left, right = float(gx.subs(x, v - h)), float(gx.subs(x, v + h))
        if left * right < 0:
            assert p.stable == (left > 0 > right)


def test_symbolic_rest_points_are_undecided():
    r = sympy.Symbol("r", positive=True)
    with pytest.raises(UndecidedStability):
        group_rest_points(public_goods_game(3, r=r))


def test_float_game_rest_points():
    points = group_rest_points(volunteers_dilemma(3, b=4.0, c=1.0))
    assert [p.stable for p in points] == [False, True, False]
    assert points[1].x == pytest.approx(0.5, abs=1e-12)


# ---------------------------------------------------------------------------------------------
# k strategies: rest points on every face


def _shares(p: GroupSimplexRestPoint) -> np.ndarray:
    return np.array([float(sympy.N(sympy.sympify(v), 30)) for v in p.x])


def _tangent_jacobian(game: GroupGame, x: np.ndarray, step: float = 1e-6) -> np.ndarray:
    """Central differences of the replicator on dynamics' float payoffs (an independent
    implementation), extended off the simplex as the polynomial it is."""
    n = x.size

    def field(y: np.ndarray) -> np.ndarray:
        full = np.append(y, 1 - y.sum())
        f = group_payoffs_float(game, full)
        return (full * (f - full @ f))[:-1]

    J = np.empty((n - 1, n - 1))
    for j in range(n - 1):
        e = np.zeros(n - 1)
        e[j] = step
        J[:, j] = (field(x[:-1] + e) - field(x[:-1] - e)) / (2 * step)
    return J


def test_three_player_rock_paper_scissors_has_a_centre():
    rps = group_game(lambda i, k: k[(i + 1) % 3] - k[(i + 2) % 3], 3, strategies=3)
    found = group_simplex_rest_points(rps)
    assert found.complete and len(found) == 4  # three vertices (saddles) and the centre
    interior = [p for p in found if p.support == (0, 1, 2)]
    assert interior[0].x == (Fr(1, 3),) * 3 and interior[0].kind == "centre"
    assert all(p.kind == "saddle" for p in found if len(p.support) == 1)


@pytest.mark.parametrize("seed", range(6))
def test_face_rest_points_match_a_numeric_root_finder(seed):
    from scipy.optimize import root

    from dynamics.group_flows import group_field

    rng = np.random.default_rng(seed)
    d, n = (2, 4) if seed == 5 else (int(rng.integers(2, 4)), 3)
    game = group_game(lambda i, k: int(rng.integers(-5, 6)), d, strategies=n)
    found = group_simplex_rest_points(game)
    assert found.complete
    exact = [(p.support, _shares(p)) for p in found]
    for p, (_, x) in zip(found, exact, strict=True):
        # a rest point of the float field, and its stability that of the numeric Jacobian
        assert np.abs(group_field(game, x)).max() < 1e-12
        ev = np.sort_complex(np.linalg.eigvals(_tangent_jacobian(game, x)))
        ours = np.sort_complex(np.array([complex(sympy.N(v)) for v in p.eigenvalues]))
        assert np.allclose(ev, ours, atol=1e-5), (p, ev)
    # every root the numeric solver finds inside a face is one of ours, and it finds ours
    hit: set[int] = set()
    for size in range(2, n + 1):
        for S in itertools.combinations(range(n), size):

            def equal_payoffs(y: np.ndarray, S: tuple[int, ...] = S) -> np.ndarray:
                x = np.zeros(n)
                x[list(S)] = np.append(y, 1 - y.sum())
                f = group_payoffs_float(game, x)
                return f[list(S[:-1])] - f[S[-1]]

            for start in rng.dirichlet(np.ones(size), 25):
                sol = root(equal_payoffs, start[:-1], tol=1e-13)
                shares = np.append(sol.x, 1 - sol.x.sum())
                if not sol.success or shares.min() <= 1e-9 or np.abs(sol.fun).max() > 1e-10:
                    continue
                x = np.zeros(n)
                x[list(S)] = shares
                match = [
                    i
                    for i, (supp, y) in enumerate(exact)
                    if supp == S and np.allclose(x, y, atol=1e-7)
                ]
                assert match, (S, x)
                hit.update(match)
    inner = {i for i, (supp, _) in enumerate(exact) if len(supp) > 1}
    assert len(hit) >= len(inner) / 2  # 25 starts per face find most of them


def group_payoffs_float(game: GroupGame, x: np.ndarray) -> np.ndarray:
    from dynamics.group_flows import group_payoff_map

    return group_payoff_map(game)(x[None, :])[0]


def test_two_strategy_faces_agree_with_the_gain_function():
    game = stag_hunt_game(5, r=3, threshold=3)
    by_gain = group_rest_points(game)
    by_faces = group_simplex_rest_points(game)
    assert [float(p.x) for p in by_gain] == sorted(float(_shares(p)[0]) for p in by_faces)
    for p in by_faces:
        q = next(q for q in by_gain if abs(float(q.x) - _shares(p)[0]) < 1e-12)
        assert (p.kind == "sink") == q.stable


def test_face_rest_points_degenerate_float_and_symbolic_games():
    flat = group_game(lambda i, k: 1, 3, strategies=3)  # every share is at rest
    found = group_simplex_rest_points(flat)
    assert not found.complete and (0, 1, 2) in found.degenerate
    floats = group_game(lambda i, k: float(k[i]) - 0.5 * i, 3, strategies=3)
    assert all(isinstance(v, float) for p in group_simplex_rest_points(floats) for v in p.x)
    r = sympy.Symbol("r", positive=True)
    with pytest.raises(UndecidedStability):
        group_simplex_rest_points(public_goods_game(3, r=r))
    with pytest.raises(TheoryError, match="GroupGame"):
        group_simplex_rest_points([[1, 0], [0, 1]])  # type: ignore[arg-type]
