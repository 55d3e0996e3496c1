"""Tests of theory.games: validation of payoff matrices and the Game value object."""

from fractions import Fraction

import nashpy
import numpy as np
import pytest
import sympy

from theory.errors import PayoffValueError, ShapeError, TheoryError
from theory.games import (
    Game,
    as_game,
    float_matrix,
    is_exact,
    is_symbolic,
    is_symmetric,
    payoff_matrix,
)


def test_exact_entries_stay_exact():
    M = payoff_matrix([[1, Fraction(1, 3)], [np.int64(2), sympy.Rational(1, 2)]])
    assert M.dtype == object
    assert M[0, 1] == Fraction(1, 3) and isinstance(M[1, 1], Fraction)
    assert isinstance(M[1, 0], int)


def test_float_makes_float64():
    M = payoff_matrix([[1, 0.5], [Fraction(1, 4), 2]])
    assert M.dtype == np.float64
    assert M[1, 0] == 0.25


def test_numpy_arrays():
    assert payoff_matrix(np.eye(2)).dtype == np.float64
    M = payoff_matrix(np.array([[1, 2], [3, 4]]))
    assert M.dtype == object and isinstance(M[0, 0], int)


def test_symbolic_entries():
    e = sympy.Symbol("epsilon", positive=True)
    M = payoff_matrix([[1 - e, 2], [sympy.Integer(3), 0]])
    assert is_symbolic(M) and is_exact(M)
    assert M[1, 0] == 3 and isinstance(M[1, 0], int)


def test_returns_new_array():
    A = np.zeros((2, 2))
    M = payoff_matrix(A)
    M[0, 0] = 5
    assert A[0, 0] == 0


@pytest.mark.parametrize(
    "bad",
    [
        [[1, 2], [3]],
        [1, 2, 3],
        [[[1]]],
        [],
        [[]],
        np.zeros((2, 0)),
        np.zeros((2, 2, 2)),
        5,
    ],
)
def test_shape_errors(bad):
    with pytest.raises(ShapeError):
        payoff_matrix(bad)


def test_square_required():
    with pytest.raises(ShapeError, match="square"):
        payoff_matrix([[1, 2, 3], [4, 5, 6]], square=True)
    assert payoff_matrix([[1, 2, 3], [4, 5, 6]]).shape == (2, 3)


@pytest.mark.parametrize(
    "entry",
    [
        float("nan"),
        float("inf"),
        -np.inf,
        "a",
        None,
        True,
        1 + 2j,
        sympy.nan,
        sympy.oo,
        sympy.zoo,
        sympy.I,
        sympy.Eq(sympy.Symbol("x"), 1),
        object(),
    ],
)
def test_value_errors(entry):
    with pytest.raises(PayoffValueError) as info:
        payoff_matrix([[1, entry], [0, 0]], name="M")
    assert "M[0, 1]" in str(info.value)
    assert isinstance(info.value, TheoryError | TypeError)


def test_nan_in_float_array_named():
    A = np.zeros((2, 2))
    A[1, 0] = np.nan
    with pytest.raises(PayoffValueError, match=r"A\[1, 0\]"):
        payoff_matrix(A)


def test_string_input_rejected():
    with pytest.raises(PayoffValueError):
        payoff_matrix("[[1, 2]]")


def test_float_mixed_with_symbols_rejected():
    with pytest.raises(PayoffValueError, match="mixes"):
        payoff_matrix([[0.5, sympy.Symbol("x")]])


def test_float_matrix_rejects_symbols():
    with pytest.raises(PayoffValueError, match=r"parameter\(s\) x; .*Game.at\(x=...\)"):
        float_matrix([[1, sympy.Symbol("x")]])
    assert float_matrix([[Fraction(1, 2)]])[0, 0] == 0.5


def test_game_symmetric_and_read_only():
    g = Game.symmetric([[3, 0], [5, 1]])
    assert g.is_symmetric and g.is_exact
    assert g.B[0, 1] == 5
    with pytest.raises(ValueError):
        g.A[0, 0] = 9


def test_game_shape_mismatch():
    with pytest.raises(ShapeError, match="differ"):
        Game([[1, 2]], [[1], [2]])


def test_game_float_and_exact_mix_is_float():
    g = Game([[1, 2]], [[0.5, 1.0]])
    assert g.A.dtype == np.float64 and not g.is_exact


def test_nashpy_round_trip():
    ng = nashpy.Game(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.0, 1.0], [1.0, 0.0]]))
    g = as_game(ng)
    back = g.to_nashpy()
    for X, Y in zip(back.payoff_matrices, ng.payoff_matrices, strict=True):
        np.testing.assert_array_equal(X, Y)
    assert as_game(nashpy.Game(np.array([[1, 2], [3, 4]]))).B.tolist() == [[-1, -2], [-3, -4]]


def test_to_nashpy_rejects_symbols():
    e = sympy.Symbol("e")
    with pytest.raises(PayoffValueError):
        Game.symmetric([[e, 1], [0, 1]]).to_nashpy()


def test_as_game_forms():
    A = [[1, 2], [3, 4]]
    assert as_game(A) == Game(A, [[1, 3], [2, 4]])
    assert as_game((A, A)) == Game(A, A)
    g = Game(A, A)
    assert as_game(g) is g
    with pytest.raises(ShapeError):
        as_game([[1, 2, 3]])


def test_is_symmetric_symbolic():
    e = sympy.Symbol("e")
    A = [[1 - e, 2], [3, 0]]
    assert is_symmetric((A, [[sympy.expand(1 - e), 3], [2, 0]]))
    assert not is_symmetric((A, [[1 + e, 3], [2, 0]]))
    assert not is_symmetric(([[1, 2, 3]], [[1, 2, 3]]))
    assert Game(A, A) != 3
