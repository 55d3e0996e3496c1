"""Symbolic equilibria with exact ε-regions, on the seed's modal game and small examples."""

from fractions import Fraction as Fr

import pytest
import sympy

from tests.theory.modal_game import EPS, modal_game, seed_equilibria
from theory.equilibria import (
    degenerate_parameter_values,
    exact_equilibria,
    symbolic_equilibria,
    symbolic_symmetric_equilibria,
)
from theory.errors import TheoryError
from theory.games import Game

e = EPS
I = sympy.Interval


@pytest.fixture(scope="module")
def modal_symbolic():
    return symbolic_equilibria(modal_game(), params=e)


def by_support(eqs):
    return {(q.support_x, q.support_y): q for q in eqs}


@pytest.mark.slow  # builds the module fixture (symbolic enumeration, ~3-5 s)
def test_seed_three_equilibria_with_exact_ranges(modal_symbolic):
    eqs = by_support(modal_symbolic)
    d = eqs[((0,), (0,))]
    assert d.x == (1, 0, 0, 0) and d.u == 1 and d.region.as_set() == I.open(0, sympy.oo)
    df = eqs[((0, 2), (0, 2))]
    assert sympy.simplify(df.x[0] - (1 - e)) == 0 and df.x[2] == e
    assert df.u == 1 and df.region.as_set() == I.Lopen(0, sympy.Rational(1, 2))
    good = eqs[((1, 2, 3), (1, 2, 3))]
    assert [
        sympy.simplify(a - b) for a, b in zip(good.x, (0, e, 1 - 3 * e / 2, e / 2), strict=True)
    ] == [0] * 4
    assert sympy.simplify(good.u - (2 - e)) == 0
    assert good.region.as_set() == I.Lopen(0, sympy.Rational(1, 3))


def test_all_equilibria_symmetric_and_two_more_past_a_quarter(modal_symbolic):
    """No asymmetric equilibrium for any non-degenerate ε > 0; two extra symmetric ones on
    [1/4, 1/2] and [1/4, 1/3] (the seed's count of three holds for ε < 1/4)."""
    assert all(q.is_symmetric for q in modal_symbolic)
    eqs = by_support(modal_symbolic)
    assert set(eqs) == {
        ((0,), (0,)),
        ((0, 2), (0, 2)),
        ((0, 1, 2), (0, 1, 2)),
        ((1, 2, 3), (1, 2, 3)),
        ((0, 1, 2, 3), (0, 1, 2, 3)),
    }
    q = sympy.Rational(1, 4)
    assert eqs[((0, 1, 2), (0, 1, 2))].region.as_set() == I(q, sympy.Rational(1, 2))
    assert eqs[((0, 1, 2, 3), (0, 1, 2, 3))].region.as_set() == I(q, sympy.Rational(1, 3))


@pytest.mark.slow
def test_degenerate_values_of_modal_game():
    vals = degenerate_parameter_values(modal_game(), e)
    assert vals == sympy.FiniteSet(
        sympy.Rational(1, 4), sympy.Rational(1, 3), sympy.Rational(1, 2), 1
    )


@pytest.mark.parametrize("eps", ["1/10", "3/10", "2/5", "3/2"])
def test_symbolic_matches_exact_enumeration(modal_symbolic, eps):
    val = sympy.Rational(eps)
    exact = exact_equilibria(Game.symmetric(modal_game(eps)))
    sub = set()
    for q in modal_symbolic:
        if val in q.region:
            x, y = q.at({e: val})
            sub.add((tuple(Fr(str(v)) for v in x), tuple(Fr(str(v)) for v in y)))
    assert sub == {(p.x, p.y) for p in exact}


def test_seed_equilibria_at_several_rational_eps(modal_symbolic):
    good = by_support(modal_symbolic)[((1, 2, 3), (1, 2, 3))]
    for eps in ("1/10", "1/5", "1/4"):
        x, _ = good.at({e: sympy.Rational(eps)})
        assert tuple(Fr(str(v)) for v in x) == seed_equilibria(Fr(eps))[2][0]


def test_symmetric_search_matches(modal_symbolic):
    sym = symbolic_symmetric_equilibria(modal_game(), params=e)
    assert {q.support_x: q.region for q in sym} == {q.support_x: q.region for q in modal_symbolic}
    assert sym.params == modal_symbolic.params == (e,)


def test_params_must_be_symbols():
    with pytest.raises(TheoryError, match="Symbols"):
        symbolic_equilibria([[e, 0], [0, 1]], params=["e"])
    with pytest.raises(TheoryError):
        degenerate_parameter_values([[e, 0], [0, 1]], "e")


def test_symmetric_needs_symmetric_game():
    with pytest.raises(TheoryError):
        symbolic_symmetric_equilibria(([[e, 0], [0, 1]], [[1, 0], [0, e]]))


def test_bimatrix_matching_pennies_with_parameter():
    a = sympy.Symbol("a", positive=True)
    eqs = symbolic_equilibria(([[a, -1], [-1, 1]], [[-1, 1], [1, -1]]), params=a)
    assert len(eqs) == 1
    (q,) = eqs
    assert sympy.simplify(q.y[0] - 2 / (a + 3)) == 0 and q.region.as_set() == I.open(0, sympy.oo)


def test_result_is_a_frozen_collection(modal_symbolic):
    assert len(modal_symbolic) == len(modal_symbolic.equilibria) == 5
    assert modal_symbolic[0] is modal_symbolic.equilibria[0]
    assert list(modal_symbolic) == list(modal_symbolic.equilibria)
    with pytest.raises(AttributeError):
        modal_symbolic.params = ()  # type: ignore[misc]
