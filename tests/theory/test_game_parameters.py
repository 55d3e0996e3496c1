"""Tests of a game's parameters: ``Game.parameters``, ``Game.at`` and ``parameter_values``."""

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from theory.errors import GameParameterError, PayoffValueError, ShapeError
from theory.games import Game, float_matrix, parameter_values, parameters, payoff_matrix

V, C = sympy.symbols("V C", positive=True)
a = sympy.Symbol("a", positive=True)
HAWK_DOVE = Game.symmetric([[(V - C) / 2, V], [0, V / 2]])
RPS = Game.symmetric([[0, -1, a], [a, 0, -1], [-1, a, 0]])


def test_parameters_sorted_by_name():
    assert HAWK_DOVE.parameters == (C, V)
    assert parameters([[1, 2], [3, 4]]) == ()
    b = sympy.Symbol("b")
    assert parameters(([[b, 0], [0, 1]], [[0, a], [1, 1]])) == (a, b)  # both players' payoffs


def test_exact_values_stay_exact():
    g = HAWK_DOVE.at(V=2, C="3")
    assert g.A.dtype == object
    assert g.A.tolist() == [[Fraction(-1, 2), 2], [0, 1]]
    assert g == Game.symmetric([[Fraction(-1, 2), 2], [0, 1]])
    assert HAWK_DOVE.at(V="0.1", C=Fraction(1, 5)).A[0, 0] == Fraction(-1, 20)  # text is exact


def test_float_values_give_a_float_game_rounded_once():
    g = HAWK_DOVE.at(V=0.1, C=0.3)
    assert g.A.dtype == np.float64
    # computed exactly at the floats' binary values, then rounded once
    expected = float((Fraction(0.1) - Fraction(0.3)) / 2)
    assert g.A[0, 0] == expected


def test_mapping_by_symbol_or_name_and_keywords_agree():
    assert RPS.at({a: 2}) == RPS.at({"a": 2}) == RPS.at(a=2)


def test_a_numeric_game_takes_no_values():
    g = Game.symmetric([[1, 2], [3, 4]])
    assert g.at() == g
    with pytest.raises(GameParameterError, match=r"a is not a parameter .*parameters: none"):
        g.at(a=1)


@pytest.mark.parametrize(
    ("values", "pattern"),
    [
        ({"V": 1}, r"no value for the parameter C \(the parameters: C, V\)"),
        ({}, r"no value for the parameters C, V"),
        ({"V": 1, "C": 2, "D": 3}, r"D is not a parameter of the game \(the parameters: C, V\)"),
        ({"V": -1, "C": 2}, r"V = -1 is outside the domain of V: V must be positive"),
        ({"V": 0, "C": 2}, r"V must be positive"),
        ({"V": "x", "C": 2}, r"V = 'x' is not a number .*parameter V"),
        ({"V": float("nan"), "C": 2}, r"V = nan is not finite"),
        ({"V": sympy.Symbol("b"), "C": 2}, r"free symbols b; a number is needed .*parameter V"),
        ({"V": None, "C": 2}, r"V = None is not a number"),
        ({"V": True, "C": 2}, r"V = True is not a number"),
        ({sympy.Symbol("V"): 1, "C": 2}, r"V is not the game's parameter V"),  # other assumptions
    ],
)
def test_bad_values_name_the_symbol(values, pattern):
    with pytest.raises(GameParameterError, match=pattern):
        HAWK_DOVE.at(values)


def test_integer_and_nonnegative_domains():
    n = sympy.Symbol("n", integer=True)
    k = sympy.Symbol("k", nonnegative=True)
    g = Game.symmetric([[n, k], [0, 1]])
    assert g.at(n=3, k=0).A[0, 0] == 3
    with pytest.raises(GameParameterError, match="n must be integer"):
        g.at(n="1/2", k=0)
    with pytest.raises(GameParameterError, match="k must be nonnegative"):
        g.at(n=1, k=-0.5)


def test_payoffs_not_finite_at_the_values():
    g = Game.symmetric([[V / C, 0], [0, 1]])
    c0 = sympy.Symbol("c")
    g0 = Game.symmetric([[1 / c0, 0], [0, 1]])
    assert g.at(V=1, C=2).A[0, 0] == Fraction(1, 2)
    with pytest.raises(GameParameterError, match=r"A\[0, 0\] = 1/c is not finite at c = 0"):
        g0.at(c=0)


def test_numeric_functions_refuse_a_symbolic_game_naming_its_parameters():
    from dynamics.flows import replicator

    with pytest.raises(PayoffValueError, match=r"parameter\(s\) a; .*Game.at\(a=...\)"):
        replicator(RPS, [1 / 3, 1 / 3, 1 / 3])
    with pytest.raises(PayoffValueError, match=r"C, V"):
        float_matrix(HAWK_DOVE)


def test_a_symmetric_game_object_is_its_matrix():
    g = RPS.at(a=2)
    assert payoff_matrix(g, square=True).tolist() == g.A.tolist()
    with pytest.raises(ShapeError, match="symmetric game"):
        payoff_matrix(Game([[1, 0], [0, 1]], [[1, 1], [0, 0]]), square=True)


@settings(max_examples=40, deadline=None)
@given(
    st.fractions(min_value=Fraction(1, 50), max_value=10, max_denominator=50),
    st.fractions(min_value=Fraction(1, 50), max_value=10, max_denominator=50),
)
def test_at_is_the_game_built_with_the_values(v, c):
    """Substituting exact values is building the game with them in the first place."""
    direct = Game.symmetric([[(v - c) / 2, v], [0, v / 2]])
    assert HAWK_DOVE.at(V=v, C=c) == direct
    assert HAWK_DOVE.at(V=str(v), C=str(c)) == direct
    assert parameter_values((C, V), {"V": v, "C": c}) == {
        V: sympy.Rational(v.numerator, v.denominator),
        C: sympy.Rational(c.numerator, c.denominator),
    }


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=1e-3, max_value=1e3), st.floats(min_value=1e-3, max_value=1e3))
def test_float_values_match_float_arithmetic(v, c):
    g = HAWK_DOVE.at(V=v, C=c)
    assert np.allclose(g.A, [[(v - c) / 2, v], [0, v / 2]], rtol=1e-15, atol=0)
