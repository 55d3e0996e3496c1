"""Minimax against nashpy's LP, exact certificates, and the non-zero-sum error."""

from fractions import Fraction

import nashpy
import numpy as np
import pytest
from hypothesis import given, settings

from tests.theory.games_strategies import bimatrix_games
from theory.errors import NotZeroSum
from theory.games import Game
from theory.zero_sum import is_zero_sum, minimax, zero_sum_game


def test_matching_pennies_and_rock_paper_scissors() -> None:
    s = minimax(zero_sum_game([[1, -1], [-1, 1]]))
    assert s.value == 0 and s.x == (Fraction(1, 2),) * 2 and s.y == (Fraction(1, 2),) * 2
    rps = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]  # skew-symmetric: (A, A.T) is zero-sum
    assert minimax(rps).x == (Fraction(1, 3),) * 3


def test_saddle_point_game_has_pure_strategies() -> None:
    s = minimax(zero_sum_game([[4, 2, 3], [1, 0, 5]]))
    assert (s.value, s.x, s.y) == (2, (1, 0), (0, 1, 0))


def test_non_zero_sum_input_is_refused_naming_the_cell() -> None:
    with pytest.raises(NotZeroSum, match=r"A\[0, 1\] \+ B\[0, 1\] = 1, not 0") as err:
        minimax(([[0, 1], [1, 0]], [[0, 0], [-1, 0]]))
    assert (err.value.row, err.value.column) == (0, 1)
    with pytest.raises(NotZeroSum):
        minimax([[3, 0], [5, 1]])  # the prisoner's dilemma as a symmetric game
    assert not is_zero_sum([[3, 0], [5, 1]])


def test_float_games_and_nashpy_games() -> None:
    A = np.array([[0.5, -1.25], [-0.75, 2.0]])
    s = minimax(nashpy.Game(A, -A))
    assert not s.exact
    x, y = nashpy.Game(A).linear_program()
    assert s.x == pytest.approx(x, abs=1e-9) and s.y == pytest.approx(y, abs=1e-9)
    assert s.value == pytest.approx(x @ A @ y, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(bimatrix_games(max_actions=5))
def test_value_is_certified_and_matches_nashpy(game: tuple[np.ndarray, np.ndarray]) -> None:
    A = game[0] - 4  # mixed signs
    s = minimax(Game(A, -A))
    assert s.exact
    # the certificate, recomputed here: x guarantees the value, y holds the row player to it
    assert min(np.array(s.x, dtype=object) @ A) == s.value == max(A @ np.array(s.y, dtype=object))
    x, y = nashpy.Game(A.astype(float)).linear_program()
    # nashpy's HiGHS solution is optimal to ~1e-9 for payoffs of size <= 5
    assert min(x @ A) == pytest.approx(float(s.value), abs=1e-7)
