"""Stability and ESS as functions of parameters (theory.parametric_stability)."""

from fractions import Fraction as Fr

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.theory.modal_game import EPS, C, D, F, P, modal_game
from theory.errors import DomainError, GameParameterError, TheoryError, UndecidedStability
from theory.ess import is_ess
from theory.parametric_stability import (
    REST_POINT_KINDS,
    hurwitz_determinants,
    stability_regions,
)
from theory.stability import (
    classify_eigenvalues,
    classify_rest_point,
    replicator_jacobian,
    replicator_rest_points,
)

a, b = sympy.symbols("a b", positive=True)
V, Cost = sympy.symbols("V C", positive=True)
THIRD = sympy.Rational(1, 3)
HAWK_DOVE = [[(V - Cost) / 2, V], [0, V / 2]]


def rps(win, loss=1):
    return [[0, -loss, win], [win, 0, -loss], [-loss, win, 0]]


def numeric_kind(A, x, values):
    """The kind from numpy's eigenvalues of the float Jacobian at the substituted point."""
    sub = {k: float(v) for k, v in values.items()}
    Af = np.array([[float(sympy.sympify(v).subs(sub)) for v in row] for row in A])
    xf = np.array([float(sympy.sympify(v).subs(sub)) for v in x])
    J = replicator_jacobian(Af, xf)
    ev = np.linalg.eigvals(J)
    return classify_eigenvalues([complex(v) for v in ev], tol=1e-9), ev


def test_rps_win_a_loss_1():
    sr = stability_regions(rps(a), [THIRD] * 3)
    assert sr.kinds["stable spiral"].as_set() == sympy.Interval.open(1, sympy.oo)
    assert sr.kinds["centre"].as_set() == sympy.FiniteSet(1)
    assert sr.kinds["unstable spiral"].as_set() == sympy.Interval.open(0, 1)
    for k in ("sink", "source", "saddle", "non-hyperbolic"):
        assert sr.kinds[k].is_empty
    assert sr.face_kinds == sr.kinds  # interior: the face is the simplex
    assert sr.ess.as_set() == sympy.Interval.open(1, sympy.oo)
    assert sr.undecided == ()
    assert sr.kind_at(1) == "centre" and sr.kind_at({"a": "3/2"}) == "stable spiral"
    assert sr.is_ess_at(2) and not sr.is_ess_at(1)


def test_rps_two_parameters():
    # stable iff win > loss, a centre at equality, for every pair of positive payoffs
    sr = stability_regions(rps(a, b), [THIRD] * 3)
    assert sr.kinds["stable spiral"].condition == sympy.Gt(a, b)
    assert sr.kinds["unstable spiral"].condition == sympy.Lt(a, b)
    assert sr.kinds["centre"].condition == sympy.Eq(a, b)
    for win, loss, kind in [(2, 1, "stable spiral"), (1, 2, "unstable spiral"), (3, 3, "centre")]:
        assert sr.kind_at({a: win, b: loss}) == kind
        assert sr.is_ess_at({a: win, b: loss}) == (win > loss)


def test_hawk_dove_mixed_ess_for_every_v_below_c():
    x = [V / Cost, 1 - V / Cost]
    sr = stability_regions(HAWK_DOVE, x)
    # the domain and the ESS region are exactly V < C
    assert sr.domain.condition == sympy.Gt(Cost, V)
    assert sr.ess.condition == sr.domain.condition
    assert sr.kinds["sink"].condition == sr.domain.condition
    assert all(sr.kinds[k].condition is sympy.false for k in REST_POINT_KINDS if k != "sink")
    for v, c in [(1, 2), (Fr(1, 10), 7), (99, 100)]:
        assert sr.kind_at({V: v, Cost: c}) == "sink" and sr.is_ess_at({"V": v, "C": c})
        # the single-point functions agree once the values are in
        A = [[Fr(v - c, 2), v], [0, Fr(v, 2)]]
        assert is_ess(A, [Fr(v) / c, 1 - Fr(v) / c])
    with pytest.raises(DomainError, match="outside the domain"):
        sr.kind_at({V: 3, Cost: 2})


def test_modal_good_equilibrium():
    A = modal_game()
    good = [0, EPS, 1 - 3 * EPS / 2, EPS / 2]
    sr = stability_regions(A, good)
    third = sympy.Rational(1, 3)
    assert sr.support == (C, F, P)
    assert sr.domain.as_set() == sympy.Interval.open(0, sympy.Rational(2, 3))
    # a saddle of the simplex for 0 < ε < 1/3 (DefectBot invades beyond it) ...
    assert sr.kinds["saddle"].as_set() == sympy.Interval.open(0, third)
    assert sr.kinds["non-hyperbolic"].as_set() == sympy.FiniteSet(third)
    # ... and an unstable spiral within its face, there and a little beyond
    spiral = sr.face_kinds["unstable spiral"].as_set()
    assert sympy.Interval.open(0, third).is_subset(spiral)
    assert spiral == sympy.Interval.open(0, 4 * sympy.sqrt(10) - 12)
    assert sr.ess.is_empty
    assert sr.transversal[0] == sympy.factor(3 * EPS - 1)  # DefectBot's invasion rate
    assert D not in sr.support


def test_hurwitz_determinants():
    a1, a2, a3 = sympy.symbols("a1 a2 a3")
    assert hurwitz_determinants([a1, a2, a3]) == (
        a1,
        sympy.factor(a1 * a2 - a3),
        sympy.factor(a3 * (a1 * a2 - a3)),
    )


def test_large_face_is_undecided_with_reason():
    # five-strategy cyclic game: the interior point's face has degree 4, beyond the exact kinds
    n = 5
    A = [[0] * n for _ in range(n)]
    for i in range(n):
        A[i][(i + 1) % n] = -1
        A[i][(i - 1) % n] = a
    sr = stability_regions(A, [sympy.Rational(1, n)] * n)
    kinds = [u for u in sr.undecided if u.question == "kind"]
    assert kinds and "five strategies" not in kinds[0].reason and "5 strategies" in kinds[0].reason
    # two eigenvalues sum to zero at a = 1 (a centre, numerically): Orlando's determinant
    # vanishes there, which the degree-4 conditions leave open
    assert kinds[0].region.as_set() == sympy.FiniteSet(1)
    with pytest.raises(UndecidedStability, match="undecided"):
        sr.kind_at(1)
    # elsewhere two complex pairs with real parts of opposite signs: a saddle, as numpy says
    assert sr.kinds["saddle"].as_set() == sympy.Interval.open(0, sympy.oo) - sympy.FiniteSet(1)
    for value in (Fr(1, 3), 2, 5):
        assert sr.kind_at(value) == numeric_kind(A, [Fr(1, n)] * n, {a: value})[0] == "saddle"


def test_sign_error_points_to_regions():
    with pytest.raises(UndecidedStability, match="stability_regions"):
        classify_rest_point(rps(a), [THIRD] * 3)
    with pytest.raises(UndecidedStability, match="stability_regions"):
        is_ess(rps(a), [THIRD] * 3)


def test_bad_input():
    sr = stability_regions(rps(a, b), [THIRD] * 3)
    # parameter values are read by theory.games.parameter_values: errors name the symbol
    with pytest.raises(GameParameterError, match="no value for the parameter b"):
        sr.kind_at({a: 1})
    with pytest.raises(GameParameterError, match="c is not a parameter"):
        sr.kind_at({a: 1, b: 1, "c": 2})
    with pytest.raises(GameParameterError, match="parameter a"):
        sr.kind_at({a: sympy.Symbol("t"), b: 1})
    with pytest.raises(GameParameterError, match="parameter b"):
        sr.kind_at({a: 1, b: True})
    with pytest.raises(GameParameterError, match="outside the domain of a"):
        sr.kind_at({a: -1, b: 1})
    with pytest.raises(GameParameterError, match="must map each of the parameters a, b"):
        sr.kind_at(2)
    with pytest.raises(DomainError, match="outside the domain"):  # no such rest point there
        stability_regions(HAWK_DOVE, [V / Cost, 1 - V / Cost]).is_ess_at({V: 2, Cost: 1})
    with pytest.raises(TheoryError, match="not a rest point for every value"):
        stability_regions(rps(a), [sympy.Rational(1, 2), sympy.Rational(1, 2), 0])
    with pytest.raises(TheoryError, match="no parameters"):
        stability_regions(rps(2), [THIRD] * 3)
    with pytest.raises(TheoryError, match="floats"):
        stability_regions(rps(2.0), [THIRD] * 3)
    with pytest.raises(TheoryError, match="not among params"):
        stability_regions(rps(a, b), [THIRD] * 3, params=[a])
    assert sr.is_ess_at({a: 2.5, b: 0.5})  # floats at their exact value


# Random symmetric games linear in one parameter a: every rest point's regions against numpy's
# eigenvalues at random values of a inside them. Values closer than 1e-3 to a region's end point
# are skipped: there the float eigenvalues cannot tell the kinds apart (and the end points
# themselves are checked above, exactly); elsewhere the eigenvalues' real parts are far above
# numpy's round-off (~1e-15 for these O(10) entries), so the float kind must equal the region's.
entries = st.integers(-3, 3)


@st.composite
def linear_games(draw, n):
    A0 = draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=n, max_size=n))
    A1 = draw(
        st.lists(st.lists(st.integers(-1, 1), min_size=n, max_size=n), min_size=n, max_size=n)
    )
    return [[A0[i][j] + A1[i][j] * a for j in range(n)] for i in range(n)]


@settings(max_examples=6, deadline=None)
@given(
    linear_games(3),
    st.lists(st.fractions(Fr(1, 50), Fr(6)), min_size=3, max_size=3),
    st.data(),
)
def test_regions_match_numeric_eigenvalues(A, values, data):
    points = replicator_rest_points(A, params=[a]).points
    rp = data.draw(st.sampled_from(points))  # one rest point per game keeps the test quick
    sr = stability_regions(A, rp.x, params=[a])
    ends = set()
    for r in (*sr.kinds.values(), *sr.face_kinds.values(), sr.domain):
        ends |= {float(q) for q in r.boundary if q.is_finite}
    for v in values:
        if v not in sr.domain or any(abs(float(v) - q) < 1e-3 for q in ends):
            continue
        kind = sr.kind_at(v)
        assert sum(v in r for r in sr.kinds.values()) == 1  # the kinds are disjoint
        got, ev = numeric_kind(A, rp.x, {a: v})
        assert got == kind, (A, rp.x, v, ev)
        # the ESS region agrees with the single-point test at the same exact value
        Av = [[sympy.sympify(e).subs(a, v) for e in row] for row in A]
        xv = [sympy.sympify(w).subs(a, v) for w in rp.x]
        try:
            expected = is_ess(Av, xv)
        except UndecidedStability:
            continue  # is_ess leaves 3+ tied replies open
        except TheoryError:  # not a symmetric Nash equilibrium there
            expected = False
        assert expected == sr.is_ess_at(v)
