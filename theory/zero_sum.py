"""Two-player zero-sum games: the minimax value and optimal strategies by linear programming.

The row player's maximin LP (von Neumann; Nisan et al., *Algorithmic Game Theory*, 2007, §1.4.2)
is solved by :func:`theory.linear_program.linear_program`: exactly, in rationals, when the
payoffs are rational; with HiGHS otherwise. The column player's optimal strategy is the LP's
dual solution. Either way the answer is checked independently of the LP: the row strategy
guarantees at least the value against every column and the column strategy concedes at most
the value against every row (exactly for rational payoffs; to :data:`MINIMAX_RTOL` of the
payoff scale for floats).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from theory.errors import NotZeroSum, PayoffValueError, TheoryError
from theory.games import Game, GameLike, as_game, is_symbolic, payoff_matrix
from theory.linear_program import linear_program
from theory.typing import MatrixLike

__all__ = ["MINIMAX_RTOL", "MinimaxSolution", "minimax", "zero_sum_game", "is_zero_sum"]

#: Float games: ``|A + B|`` below this times the payoff scale counts as zero-sum, and the minimax
#: check allows this much (HiGHS solves to ~1e-9 relative; payoffs carry ~16 digits).
MINIMAX_RTOL = 1e-7


@dataclass(frozen=True)
class MinimaxSolution:
    """The value of a zero-sum game and a pair of optimal (maximin, minimax) strategies.

    Attributes
    ----------
    value : Fraction or float
        What the row player can guarantee and the column player can hold him to.
    x, y : tuple
        Optimal mixed strategies of the row and the column player.
    exact : bool
        True if computed and checked in exact rational arithmetic.
    """

    value: Any  # Any: Fraction when exact, float otherwise
    x: tuple[Any, ...]  # Any: as value
    y: tuple[Any, ...]  # Any: as value
    exact: bool


def zero_sum_game(A: MatrixLike) -> Game:
    """The zero-sum game ``(A, -A)`` of the row player's payoff matrix.

    Examples
    --------
    >>> zero_sum_game([[1, -1], [-1, 1]]).B
    array([[-1, 1],
           [1, -1]], dtype=object)
    """
    M = payoff_matrix(A)
    return Game(M, -M)


def _first_nonzero_sum(g: Game) -> tuple[int, int, Any] | None:
    S = g.A + g.B
    if g.is_exact:
        if is_symbolic(g.A) or is_symbolic(g.B):
            raise PayoffValueError("a zero-sum game needs numeric payoffs; substitute the symbols")
        bad = [(i, j) for (i, j), v in np.ndenumerate(S) if v != 0]
    else:
        scale = max(1.0, float(np.abs(g.A).max()))
        far = np.argwhere(np.abs(S) > MINIMAX_RTOL * scale)
        bad = [(int(i), int(j)) for i, j in far]
    if not bad:
        return None
    i, j = bad[0]
    return i, j, S[i, j]


def is_zero_sum(game: GameLike) -> bool:
    """True if ``A + B = 0`` in every cell (exactly; floats to :data:`MINIMAX_RTOL`).

    Examples
    --------
    >>> is_zero_sum(([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])), is_zero_sum([[0, 1], [1, 0]])
    (True, False)
    """
    return _first_nonzero_sum(as_game(game)) is None


def minimax(game: GameLike) -> MinimaxSolution:
    """The value and optimal strategies of a two-player zero-sum game.

    Parameters
    ----------
    game : Game, nashpy Game, pair (A, B) or square matrix
        A zero-sum game, ``B = -A`` (see :func:`zero_sum_game`); a single square matrix is the
        symmetric game ``(A, A.T)``, zero-sum when `A` is skew-symmetric (rock-paper-scissors).

    Returns
    -------
    MinimaxSolution
        Exact (``Fraction``) for rational payoffs, float otherwise; always checked: ``x``
        guarantees ``value`` against every column and ``y`` concedes at most ``value``.

    Raises
    ------
    NotZeroSum
        If some cell has ``A[i, j] + B[i, j] != 0`` (named in the message).
    PayoffValueError, ShapeError
        Symbolic, non-finite or badly shaped payoffs.

    Examples
    --------
    >>> s = minimax(zero_sum_game([[2, -1], [-1, 1]]))
    >>> s.value, s.x, s.y
    (Fraction(1, 5), (Fraction(2, 5), Fraction(3, 5)), (Fraction(2, 5), Fraction(3, 5)))
    >>> minimax([[1, 0], [0, 1]])
    Traceback (most recent call last):
        ...
    theory.errors.NotZeroSum: the game is not zero-sum: A[0, 0] + B[0, 0] = 2, not 0 ...
    """
    g = as_game(game)
    bad = _first_nonzero_sum(g)
    if bad is not None:
        raise NotZeroSum(*bad)
    return _minimax(g.A)


def _minimax(A: np.ndarray) -> MinimaxSolution:
    """Kernel on a validated payoff matrix (object of int/Fraction, or float64)."""
    m, n = A.shape
    exact = A.dtype == object
    if exact:
        A = np.array([Fraction(v) for v in A.flat], dtype=object).reshape(A.shape)
        low = min(A.flat)
        shift: Any = 1 - low
        one: Any = 1
    else:
        low = float(A.min())
        shift = 1.0 - low
        one = 1.0
    P = A + shift  # all entries >= 1, so the value is >= 1 > 0
    # variables (x_1..x_m, v): max v  s.t.  v - (P^T x)_j <= 0,  sum x = 1
    A_ub = np.hstack([-P.T, np.full((n, 1), one, dtype=P.dtype)])
    b_ub = np.zeros(n, dtype=P.dtype) if not exact else np.array([0] * n, dtype=object)
    A_eq = np.array([[one] * m + [0 * one]], dtype=P.dtype)
    c = [0 * one] * m + [one]
    sol = linear_program(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[one])
    x = np.array(sol.x[:m], dtype=P.dtype)
    y = np.array(sol.dual_ub, dtype=P.dtype)  # the column player's strategy: Σ y = 1 at v > 0
    value = sol.value - shift
    guaranteed = min((x @ A).tolist())
    conceded = max((A @ y).tolist())
    if exact:
        ok = guaranteed == value == conceded and sum(y) == 1 and all(v >= 0 for v in y)
    else:
        tol = MINIMAX_RTOL * max(1.0, float(np.abs(A).max()))
        ok = guaranteed >= value - tol and conceded <= value + tol and abs(y.sum() - 1) <= tol
        y = np.maximum(y, 0.0)
        y = y / y.sum()
    if not ok:  # pragma: no cover - would be an LP bug, not a property of the input
        raise TheoryError("internal error: the minimax strategies failed their check")
    return MinimaxSolution(value, tuple(x.tolist()), tuple(y.tolist()), exact)
