"""Payoff matrices and games: validation once at the edge, then plain arrays.

Every area of the toolkit validates its payoff input with :func:`payoff_matrix`. Exact entries
(``int``, :class:`fractions.Fraction`, sympy expressions) stay exact in an ``object`` array;
as soon as one entry is a float the whole matrix is ``float64``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Union

import numpy as np
import sympy
from numpy.typing import ArrayLike

from theory._numbers import number
from theory.errors import GameParameterError, PayoffValueError, ShapeError, TheoryError
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
    "parameters",
    "parameter_values",
    "substitute",
    "ParameterValues",
]

#: Values for a game's parameters: by name (``"a"``) or by symbol, each an int, ``Fraction``,
#: text (``"1/2"``: exact), float or sympy number.
ParameterValues = Mapping[str | sympy.Symbol, object]

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


def payoff_matrix(A: MatrixLike | Game, *, square: bool = False, name: str = "A") -> np.ndarray:
    """A validated two-dimensional payoff matrix.

    Parameters
    ----------
    A : array_like, shape (m, n), or Game
        Payoffs: ints, ``Fraction``, text (``"1/10"``, ``"0.1"``: exact), floats or real sympy
        expressions (nested lists or an array); see ``theory._numbers``. A :class:`Game` gives
        its row player's matrix; with `square` it must be symmetric (``B = A.T``).
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
    if isinstance(A, Game):  # one object for a game (CONTRIBUTING.md 4): its matrix, checked
        if not square:
            return np.array(A.A)
        if not A.is_symmetric:
            raise ShapeError(
                f"{name} is a game with B != A.T; this needs a symmetric game (one matrix)"
            )
        return np.array(A.A)
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
        free = [str(s) for s in parameters(M)]
        raise PayoffValueError(
            f"{name} has symbolic entries, in the parameter(s) {', '.join(free)}; a number is "
            f"needed for each: give values with Game.at({', '.join(f + '=...' for f in free)})"
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

    @property
    def parameters(self) -> tuple[sympy.Symbol, ...]:
        """The free symbols of the payoffs, sorted by name (empty for a numeric game)."""
        return parameters(self)

    def at(self, values: ParameterValues | None = None, /, **named: object) -> Game:
        """The game with a value for every parameter: exact values stay exact.

        Values come as keywords (``g.at(a="1/2")``) or as a mapping by name or symbol
        (``g.at({a: 2})``). Text and ``Fraction`` are exact rationals, a float makes the entries
        it enters floats (the whole game is then a float game); see :func:`parameter_values` for
        the checks. The result is a numeric :class:`Game` that every flow, plot, basin,
        finite-population process, stability and equilibrium function takes.

        Raises
        ------
        GameParameterError
            A parameter without a value, a value for a name that is not a parameter, a value
            that is not a number, or one outside the parameter's domain (its sympy assumptions),
            naming the symbol; or payoffs that are not finite at these values.

        Examples
        --------
        >>> a = sympy.Symbol("a", positive=True)
        >>> rps = Game.symmetric([[0, -1, a], [a, 0, -1], [-1, a, 0]])
        >>> rps.parameters
        (a,)
        >>> rps.at(a="1/2").A[0].tolist()
        [0, -1, Fraction(1, 2)]
        >>> rps.at(a=0.5).A.dtype
        dtype('float64')
        >>> rps.at(a=-1)
        Traceback (most recent call last):
        ...
        theory.errors.GameParameterError: a = -1 is outside the domain of a: a must be positive
        """
        checked = parameter_values(self.parameters, {**dict(values or {}), **named})
        return Game(substitute(self.A, checked, "A"), substitute(self.B, checked, "B"))

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


def parameters(game: GameLike | np.ndarray) -> tuple[sympy.Symbol, ...]:
    """The free symbols of a game's payoffs (both players'), sorted by name.

    Examples
    --------
    >>> v, c = sympy.symbols("V C", positive=True)
    >>> parameters([[(v - c) / 2, v], [0, v / 2]])
    (C, V)
    """
    if isinstance(game, np.ndarray) and game.ndim == 2:
        cells: list[Any] = list(game.flat)
    else:
        g = as_game(game)
        cells = [*g.A.flat, *g.B.flat]
    free = {s for v in cells if isinstance(v, sympy.Basic) for s in v.free_symbols}
    return tuple(sorted(free, key=str))


#: The sympy assumptions :func:`parameter_values` checks a value against, in the order a
#: failing one is reported (those a symbol has, then those it has not; the others are implied
#: by these or say nothing about a real number).
_DOMAIN = (
    "positive",
    "negative",
    "nonnegative",
    "nonpositive",
    "nonzero",
    "zero",
    "integer",
    "rational",
    "real",
)


def parameter_values(
    symbols: Sequence[sympy.Symbol], values: ParameterValues
) -> dict[sympy.Symbol, Any]:  # Any: a sympy number (Rational or Float)
    """Check values for the parameters `symbols`: the one place parameter values are read.

    Every symbol needs a value and every value a symbol (by name or the symbol itself). A value
    is read by the numbers rule (``theory._numbers``): ints, ``Fraction`` and text are exact
    (``"0.1"`` is 1/10), floats stay floats. It must satisfy the symbol's assumptions
    (``Symbol("V", positive=True)`` takes no ``0``).

    Returns
    -------
    dict
        Symbol to sympy number: ``Rational`` for exact values, ``Float`` for floats.

    Raises
    ------
    GameParameterError
        Naming the symbol: a missing or unknown value, a value that is not a number (NaN, text
        that is not a number, an expression with symbols), or one outside the domain.

    Examples
    --------
    >>> a, b = sympy.symbols("a b")
    >>> parameter_values((a, b), {"a": "1/2", b: 0.25})
    {a: 1/2, b: 0.250000000000000}
    >>> parameter_values((a, b), {"a": 1})
    Traceback (most recent call last):
    ...
    theory.errors.GameParameterError: no value for the parameter b (the parameters: a, b)
    """
    by_name = {str(s): s for s in symbols}
    listed = ", ".join(by_name) if by_name else "none"
    given: dict[sympy.Symbol, object] = {}
    for key, value in values.items():
        name = key.name if isinstance(key, sympy.Symbol) else key
        if not isinstance(name, str) or name not in by_name:
            raise GameParameterError(
                f"{key} is not a parameter of the game (the parameters: {listed})"
            )
        if isinstance(key, sympy.Symbol) and key != by_name[name]:
            raise GameParameterError(
                f"{key} is not the game's parameter {name}: their assumptions differ "
                f"({key.assumptions0} and {by_name[name].assumptions0})"
            )
        given[by_name[name]] = value
    missing = [str(s) for s in symbols if s not in given]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise GameParameterError(
            f"no value for the parameter{plural} {', '.join(missing)} (the parameters: {listed})"
        )
    out: dict[sympy.Symbol, Any] = {}
    for sym, value in given.items():
        try:
            v = number(value, str(sym), errors=(GameParameterError, GameParameterError))
        except GameParameterError as err:
            raise GameParameterError(f"{err} (a value for the parameter {sym})") from None
        num = sympy.Float(v) if isinstance(v, float) else sympy.Rational(Fraction(v))
        stated = sym.assumptions0
        checks = [(k, True) for k in _DOMAIN if stated.get(k) is True]
        checks += [(k, False) for k in _DOMAIN if stated.get(k) is False]  # what is, then isn't
        for key, wanted in checks:
            holds = getattr(num, f"is_{key}")
            if holds is not None and holds != wanted:
                what = key if wanted else f"not {key}"
                raise GameParameterError(
                    f"{sym} = {value!r} is outside the domain of {sym}: {sym} must be {what}"
                )
        out[sym] = num
    return out


def substitute(M: np.ndarray, values: Mapping[sympy.Symbol, Any], name: str) -> np.ndarray:
    """`M` at `values` checked by :func:`parameter_values`: exact values give exact entries; an
    entry a float value enters is computed exactly at the float's binary value and rounded once,
    to a float. The one substitution every parametrised game (:meth:`Game.at`,
    :meth:`theory.group_games.GroupGame.at`) uses.

    Examples
    --------
    >>> a = sympy.Symbol("a")
    >>> M = np.array([[a, 1], [2 * a, 0]], dtype=object)
    >>> substitute(M, parameter_values((a,), {"a": "1/3"}), "A").tolist()
    [[Fraction(1, 3), 1], [Fraction(2, 3), 0]]
    """
    floats = {s for s, v in values.items() if isinstance(v, sympy.Float)}
    exact = {s: sympy.Rational(Fraction(float(v))) if s in floats else v for s, v in values.items()}
    out = np.empty(M.shape, dtype=object)
    for idx, v in np.ndenumerate(M):
        if not isinstance(v, sympy.Basic) or not v.free_symbols:
            out[idx] = v
            continue
        w = sympy.sympify(v).xreplace(exact)
        if w.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            at = ", ".join(f"{s} = {values[s]}" for s in sorted(v.free_symbols, key=str))
            raise GameParameterError(
                f"{name}[{', '.join(map(str, idx))}] = {v} is not finite at {at}"
            )
        if v.free_symbols & floats:
            out[idx] = float(w)  # a Rational's float is correctly rounded
        else:
            out[idx] = w
    try:
        return payoff_matrix(out, name=name)
    except TheoryError as err:
        raise GameParameterError(f"{err} at these parameter values") from None


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
