"""Checking a strategy profile: deviation gains, exactly for exact payoffs."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from theory.errors import NotAnEquilibrium, PayoffValueError, ShapeError
from theory.games import GameLike, as_game
from theory.typing import ExprsLike

__all__ = ["DeviationGains", "deviation_gains", "is_equilibrium", "verify_equilibrium", "EQ_TOL"]

#: Float profiles from nashpy or numpy solves are accurate to ~1e-12 for payoffs of size O(10);
#: a deviation gain below this counts as no gain.
EQ_TOL = 1e-9


def _strategy(z: Any, n: int, name: str, exact: bool, tol: float) -> np.ndarray:
    arr = np.asarray(z, dtype=object).ravel()
    if arr.size != n:
        raise ShapeError(f"{name} must have {n} entries, got {arr.size}")
    for i, v in enumerate(arr):
        if isinstance(v, bool) or not isinstance(
            v, int | float | Fraction | np.number | sympy.Basic
        ):
            raise PayoffValueError(f"{name}[{i}] = {v!r} is not a probability")
    if exact:
        vals = [Fraction(v) if not isinstance(v, sympy.Basic) else v for v in arr]
        if any((v < 0) is True or (v < 0) == sympy.true for v in vals):
            raise PayoffValueError(f"{name} = {list(arr)} has a negative probability")
        total = sum(vals, start=Fraction(0))
        if sympy.simplify(total - 1) != 0:
            raise PayoffValueError(f"{name} = {list(arr)} sums to {total}, not 1")
        return np.array(vals, dtype=object)
    f = arr.astype(float)
    if np.any(f < -tol) or abs(f.sum() - 1) > tol * n:
        raise PayoffValueError(f"{name} = {f.tolist()} is not a probability vector")
    return f


@dataclass(frozen=True)
class DeviationGains:
    """What each pure strategy earns above the profile's payoff: `row` for the row player's
    strategies, `column` for the column player's (``object`` arrays when exact)."""

    row: np.ndarray
    column: np.ndarray


def deviation_gains(
    game: GameLike, x: ExprsLike, y: ExprsLike, *, tol: float = EQ_TOL
) -> DeviationGains:
    """What each pure strategy earns above the profile's payoff, for each player.

    Exact (``Fraction``/sympy) when the payoffs and the profile are exact; float otherwise.

    Examples
    --------
    >>> gains = deviation_gains([[3, 0], [5, 1]], [0, 1], [0, 1])
    >>> [str(g) for g in gains.row], [str(g) for g in gains.column]
    (['-1', '0'], ['-1', '0'])
    """
    g = as_game(game)
    m, n = g.shape
    exact = g.is_exact and all(
        not isinstance(v, float | np.floating)
        for v in [*np.ravel(np.asarray(x, dtype=object)), *np.ravel(np.asarray(y, dtype=object))]
    )
    xs = _strategy(x, m, "x", exact, tol)
    ys = _strategy(y, n, "y", exact, tol)
    A = g.A if exact else g.A.astype(float)
    B = g.B if exact else g.B.astype(float)
    ra = A.dot(ys)
    cb = xs.dot(B)
    u = xs.dot(ra)
    v = cb.dot(ys)
    return DeviationGains(ra - u, cb - v)


def is_equilibrium(game: GameLike, x: ExprsLike, y: ExprsLike, *, tol: float = EQ_TOL) -> bool:
    """True if no pure strategy gains against `(x, y)`; exact for exact input, else within `tol`.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> is_equilibrium([[3, 0], [5, 1]], [F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)])
    False
    >>> is_equilibrium(([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]), [F(1, 2)] * 2, [F(1, 2)] * 2)
    True
    """
    try:
        verify_equilibrium(game, x, y, tol=tol)
    except NotAnEquilibrium:
        return False
    return True


def verify_equilibrium(game: GameLike, x: ExprsLike, y: ExprsLike, *, tol: float = EQ_TOL) -> None:
    """Raise :class:`NotAnEquilibrium` naming a profitable pure deviation, if there is one.

    Examples
    --------
    >>> verify_equilibrium([[3, 0], [5, 1]], [1, 0], [1, 0])
    Traceback (most recent call last):
    ...
    theory.errors.NotAnEquilibrium: the row player gains 2 by deviating to strategy 1
    """
    found = deviation_gains(game, x, y, tol=tol)
    for who, gains in (("row", found.row), ("column", found.column)):
        for i, gain in enumerate(gains):
            if isinstance(gain, sympy.Basic):
                gain = sympy.simplify(gain)
                positive = bool(gain.is_positive) if gain.free_symbols else bool(gain > 0)
            elif isinstance(gain, float | np.floating):
                positive = bool(gain > tol)
            else:
                positive = gain > 0
            if positive:
                raise NotAnEquilibrium(who, i, gain)
