"""Payoff matrices and games: validation once at the edge, then plain arrays.

Every area of the toolkit validates its payoff input with :func:`payoff_matrix`. Exact entries
(``int``, :class:`fractions.Fraction`, sympy expressions) stay exact in an ``object`` array;
as soon as one entry is a float the whole matrix is ``float64``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Union

import numpy as np
import sympy
from numpy.typing import ArrayLike

from theory._numbers import number
from theory.errors import PayoffValueError, ShapeError
from theory.typing import MatrixLike

__all__ = [
    "payoff_matrix",
    "float_matrix",
    "is_exact",
    "is_symbolic",
    "Game",
    "as_game",
    "is_symmetric",
    "GameLike",
]

#: What every function taking a game accepts: one square matrix (the symmetric game
#: ``(A, A.T)``), a pair ``(A, B)``, a :class:`Game` or a nashpy ``Game`` (untyped, so not named
#: here). Entries may be ints, ``Fraction``, floats or sympy expressions, hence ``ArrayLike`` or
#: nested sequences.
GameLike = Union["Game", tuple[ArrayLike, ArrayLike], ArrayLike, Sequence[Sequence[object]]]


def _entry(value: Any, name: str, index: tuple[int, ...]) -> tuple[Any, bool]:
    """One validated entry (by the rule of ``theory._numbers``) and whether it is a float."""
    where = f"{name}[{', '.join(map(str, index))}]"
    try:
        v = number(value, where, symbolic=True, errors=(PayoffValueError, PayoffValueError))
    except PayoffValueError as err:
        err.index = index  # type: ignore[attr-defined]  # where, for callers that map it back
        raise
    return v, isinstance(v, float)


def payoff_matrix(A: MatrixLike, *, square: bool = False, name: str = "A") -> np.ndarray:
    """A validated two-dimensional payoff matrix.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Payoffs: ints, ``Fraction``, text (``"1/10"``, ``"0.1"``: exact), floats or real sympy
        expressions (nested lists or an array); see ``theory._numbers``.
    square : bool, default False
        Require ``m == n`` (a symmetric game's single matrix).
    name : str, default "A"
        The argument's name, used in error messages.

    Returns
    -------
    ndarray, shape (m, n)
        ``float64`` if any entry is a float; otherwise ``object`` holding Python ``int``,
        ``Fraction`` and sympy expressions (sympy rationals become ``int``/``Fraction``).
        Always a new array.

    Raises
    ------
    ShapeError
        If `A` is ragged, empty, not two-dimensional, or not square when `square` is true.
    PayoffValueError
        If an entry is NaN, infinite, complex, boolean or not a number.

    Examples
    --------
    >>> payoff_matrix([[1, 2], [3, 4]])
    array([[1, 2],
           [3, 4]], dtype=object)
    >>> payoff_matrix([[1, 2.5], [3, 4]]).dtype
    dtype('float64')
    """
    if isinstance(A, np.ndarray) and A.dtype.kind == "f":
        M = np.array(A, dtype=np.float64)
        _check_shape(M, square, name)
        bad = np.argwhere(~np.isfinite(M))
        if bad.size:
            i = tuple(int(k) for k in bad[0])
            raise PayoffValueError(f"{name}[{i[0]}, {i[1]}] = {M[i]!r} is not finite")
        return M
    if isinstance(A, str | bytes):
        raise PayoffValueError(f"{name} = {A!r} is not a payoff matrix")
    try:
        raw = np.array(A, dtype=object)
    except ValueError as err:  # ragged nesting that numpy refuses outright
        raise ShapeError(f"{name} is ragged: {err}") from None
    if raw.ndim == 2 and any(isinstance(v, list | tuple | np.ndarray) for v in raw.flat):
        raise ShapeError(f"{name} is ragged or has more than two dimensions")
    if raw.ndim != 2:
        if raw.ndim == 1 and any(isinstance(v, list | tuple | np.ndarray) for v in raw.flat):
            raise ShapeError(f"{name} is ragged: rows of lengths {[len(r) for r in raw]}")
        raise ShapeError(f"{name} must be two-dimensional, got shape {raw.shape}")
    _check_shape(raw, square, name)
    out = np.empty(raw.shape, dtype=object)
    any_float = False
    for idx, v in np.ndenumerate(raw):
        out[idx], is_float = _entry(v, name, idx)
        any_float |= is_float
    if any_float:
        if is_symbolic(out):
            raise PayoffValueError(f"{name} mixes floats with symbolic expressions")
        return out.astype(np.float64)
    return out


def _check_shape(M: np.ndarray, square: bool, name: str) -> None:
    if M.ndim != 2:
        raise ShapeError(f"{name} must be two-dimensional, got shape {M.shape}")
    if M.size == 0:
        raise ShapeError(f"{name} is empty (shape {M.shape})")
    if square and M.shape[0] != M.shape[1]:
        raise ShapeError(f"{name} must be square, got shape {M.shape}")


def float_matrix(
    A: Any,  # Any: anything may come in; payoff_matrix is the check
    *,
    square: bool = False,
    name: str = "A",
) -> np.ndarray:
    """:func:`payoff_matrix` as ``float64`` (symbolic entries are rejected).

    Examples
    --------
    >>> float_matrix([[1, 0], [0, 1]])
    array([[1., 0.],
           [0., 1.]])
    """
    M = payoff_matrix(A, square=square, name=name)
    if M.dtype == object and is_symbolic(M):
        free = sorted(
            {str(s) for v in M.flat if isinstance(v, sympy.Basic) for s in v.free_symbols}
        )
        raise PayoffValueError(
            f"{name} has symbolic entries (free symbols {free}); substitute them"
        )
    try:
        return M.astype(np.float64)
    except OverflowError:
        for idx, v in np.ndenumerate(M):
            try:
                float(v)
            except OverflowError:
                raise PayoffValueError(
                    f"{name}[{', '.join(map(str, idx))}] is too large for a float "
                    f"(beyond {np.finfo(np.float64).max:.3g})"
                ) from None
        raise


def is_exact(M: np.ndarray) -> bool:
    """True if a validated matrix holds exact entries (``object`` dtype).

    Examples
    --------
    >>> is_exact(payoff_matrix([[1, 2]])), is_exact(payoff_matrix([[1.0, 2]]))
    (True, False)
    """
    return bool(M.dtype == object)


def is_symbolic(M: np.ndarray) -> bool:
    """True if a matrix holds a sympy expression with free symbols.

    Examples
    --------
    >>> is_symbolic(payoff_matrix([[sympy.Symbol("e"), 1]]))
    True
    """
    return M.dtype == object and any(
        isinstance(v, sympy.Basic) and bool(v.free_symbols) for v in M.flat
    )


def _same(X: np.ndarray, Y: np.ndarray) -> bool:
    if X.shape != Y.shape:
        return False
    if X.dtype == object or Y.dtype == object:
        return all(_equal_entries(a, b) for a, b in zip(X.flat, Y.flat, strict=True))
    return bool(np.array_equal(X, Y))


def _equal_entries(a: Any, b: Any) -> bool:
    if isinstance(a, sympy.Basic) or isinstance(b, sympy.Basic):
        return bool(sympy.simplify(sympy.sympify(a) - sympy.sympify(b)) == 0)
    return bool(a == b)


@dataclass(frozen=True, eq=False)
class Game:
    """A bimatrix game: payoffs `A` to the row player and `B` to the column player.

    Build it with ``Game(A, B)``, ``Game.symmetric(A)`` (``B = A.T``) or :func:`as_game`, which
    also accepts a nashpy ``Game``. The matrices are validated and read-only.

    Examples
    --------
    >>> g = Game.symmetric([[3, 0], [5, 1]])
    >>> g.B
    array([[3, 5],
           [0, 1]], dtype=object)
    >>> g.is_symmetric, g.shape
    (True, (2, 2))
    """

    A: np.ndarray
    B: np.ndarray

    def __post_init__(self) -> None:
        A = payoff_matrix(self.A, name="A")
        B = payoff_matrix(self.B, name="B")
        if A.shape != B.shape:
            raise ShapeError(f"A and B differ in shape: {A.shape} and {B.shape}")
        if A.dtype != B.dtype:  # one float matrix makes the game a float game
            A, B = A.astype(np.float64), B.astype(np.float64)
        A.setflags(write=False)
        B.setflags(write=False)
        object.__setattr__(self, "A", A)
        object.__setattr__(self, "B", B)

    @classmethod
    def symmetric(cls, A: ArrayLike) -> Game:
        """The symmetric game ``(A, A.T)`` of one square matrix."""
        M = payoff_matrix(A, square=True)
        return cls(M, M.T.copy())

    @property
    def shape(self) -> tuple[int, int]:
        """Numbers of row and column strategies."""
        return (int(self.A.shape[0]), int(self.A.shape[1]))

    @property
    def is_exact(self) -> bool:
        """True for int/Fraction/sympy payoffs."""
        return is_exact(self.A)

    @property
    def is_symmetric(self) -> bool:
        """True if ``B == A.T`` (exactly)."""
        return self.shape[0] == self.shape[1] and _same(self.B, self.A.T)

    def to_nashpy(self) -> Any:  # Any: nashpy has no type hints
        """The same game as a ``nashpy.Game`` (floats; symbolic entries are rejected)."""
        import nashpy

        return nashpy.Game(float_matrix(self.A, name="A"), float_matrix(self.B, name="B"))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Game):
            return NotImplemented
        return _same(self.A, other.A) and _same(self.B, other.B)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Game(A={self.A.tolist()}, B={self.B.tolist()})"


def as_game(game: GameLike) -> Game:
    """A :class:`Game` from a Game, a nashpy ``Game``, a pair ``(A, B)`` or one square matrix.

    One matrix is the symmetric game ``(A, A.T)``.

    Raises
    ------
    ShapeError, PayoffValueError
        As :func:`payoff_matrix`; a single matrix must be square.

    Examples
    --------
    >>> import nashpy
    >>> as_game(nashpy.Game([[1.0, -1.0], [-1.0, 1.0]])).B
    array([[-1.,  1.],
           [ 1., -1.]])
    >>> as_game([[1, 0], [0, 1]]).is_symmetric
    True
    """
    game_: Any = game  # Any: the union is told apart at run time, below
    if isinstance(game_, Game):
        return game_
    if type(game_).__module__.startswith("nashpy") and hasattr(game_, "payoff_matrices"):
        A0, B0 = game_.payoff_matrices
        return Game(np.asarray(A0), np.asarray(B0))
    if isinstance(game_, tuple) and len(game_) == 2:
        first = np.array(game_[0], dtype=object)
        if first.ndim == 2:
            return Game(game_[0], game_[1])
    return Game.symmetric(game_)


def is_symmetric(game: GameLike) -> bool:
    """True if the game (see :func:`as_game`) has ``B == A.T``.

    Examples
    --------
    >>> is_symmetric(([[1, 2], [3, 4]], [[1, 3], [2, 4]]))
    True
    >>> is_symmetric(([[1, 2], [3, 4]], [[1, 2], [3, 4]]))
    False
    """
    return as_game(game).is_symmetric
