"""The numbers rule (CONTRIBUTING.md §1): one conversion per input type, in one module."""

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from theory._numbers import count, exact, fraction, number, parameter, plain, unify, vector
from theory.commons.errors import CommonsError, CommonsTypeError
from theory.errors import PolicyError, PolicyTypeError, TheoryError, TheoryTypeError
from theory.linalg import solve_exact, to_fraction


def test_the_rule_table():
    assert number(3, "x") == 3 and type(number(np.int64(3), "x")) is int
    assert number(Fraction(1, 10), "x") == Fraction(1, 10)
    assert type(number(Fraction(4, 2), "x")) is int
    assert number(sympy.Rational(1, 10), "x") == Fraction(1, 10)
    for text in ("1/10", "0.1", "1e-1", " 0.1 ", "+0.10"):
        assert number(text, "x") == Fraction(1, 10)
    assert number(0.1, "x") == 0.1 and type(number(np.float32(0.5), "x")) is float
    e = sympy.Symbol("e")
    assert number(1 - e, "x", symbolic=True) == 1 - e
    assert number(sympy.sqrt(2), "x") == pytest.approx(2**0.5)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (True, TheoryTypeError),
        (None, TheoryTypeError),
        (1 + 2j, TheoryTypeError),
        ("a tenth", TheoryTypeError),
        ([1], TheoryTypeError),
        (sympy.I, TheoryTypeError),
        (sympy.Symbol("e"), TheoryTypeError),  # free symbols where a number is needed
        (float("nan"), TheoryError),
        (float("-inf"), TheoryError),
        ("nan", TheoryError),
        ("-Infinity", TheoryError),
        ("1/0", TheoryError),
        (sympy.oo, TheoryError),
    ],
)
def test_bad_input_raises_naming_the_argument(value, error):
    with pytest.raises(error, match="^eps"):
        number(value, "eps")


def test_the_callers_error_classes():
    with pytest.raises(PolicyTypeError, match="z"):
        fraction("x", "z", errors=(PolicyTypeError, PolicyError))
    with pytest.raises(PolicyError, match="z"):
        fraction(float("inf"), "z", errors=(PolicyTypeError, PolicyError))
    with pytest.raises(CommonsError, match="must be positive"):
        parameter("-1/2", "r", positive=True, errors=(CommonsTypeError, CommonsError))
    with pytest.raises(CommonsTypeError, match="not an integer"):
        count(2.0, "n", errors=(CommonsTypeError, CommonsError))


@given(st.fractions())
def test_text_is_the_rational_it_spells(q):
    assert number(str(q), "x") == q
    assert number(f"{q.numerator}/{q.denominator}", "x") == q


@given(st.decimals(allow_nan=False, allow_infinity=False, places=6))
def test_decimal_text_is_exact(d):
    assert number(str(d), "x") == Fraction(d)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_stay_floats_and_exact_uses_their_binary_value(x):
    assert number(x, "x") == x and isinstance(number(x, "x"), float)
    assert exact(x, "x") == Fraction(x)  # never limit_denominator
    assert to_fraction(x) == Fraction(x)


def test_exact_never_guesses():
    assert exact(0.1, "x") != Fraction(1, 10)
    assert exact("0.1", "x") == Fraction(1, 10)


def test_vector_unify_plain():
    assert vector(["1/2", 1, "0.25"], "w") == (Fraction(1, 2), Fraction(1), Fraction(1, 4))
    assert vector([0.5, "1/4"], "w").dtype == np.float64
    with pytest.raises(TheoryError, match="at least 2"):
        vector([1], "w", min_len=2)
    e = sympy.Symbol("e")
    assert unify(Fraction(1, 2), e) == (sympy.Rational(1, 2), e)
    assert unify(Fraction(1, 2), 0.5) == (0.5, 0.5)
    assert plain(Fraction(3)) == 3 and type(plain(Fraction(3))) is int


def test_linalg_solves_text_and_floats_exactly():
    assert solve_exact([[1, 1], [1, -1]], ["0.5", 0]) == [Fraction(1, 4), Fraction(1, 4)]
    z = solve_exact([[0.1]], [1])
    assert z == [1 / Fraction(0.1)]
