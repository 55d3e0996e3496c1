"""Symmetric d-player group games: payoffs as functions of the co-players' strategy counts.

A :class:`GroupGame` is played in groups of `d` drawn from one population with `n` strategies.
The payoff of a player using strategy ``i`` depends only on the counts ``(k_0, ..., k_{n-1})`` of
strategies among its ``d - 1`` co-players (``sum k = d - 1``). The game stores that payoff table,
exact (``int``, ``Fraction``), float or symbolic (sympy), as an immutable, hashable value.

For two strategies (0 = cooperate, 1 = defect, as in the constructors below) write ``a_j`` and
``b_j`` for the payoffs of a cooperator and a defector with ``j`` cooperating co-players. With
``x`` the share of cooperators, the replicator equation is ``x' = x (1 - x) g(x)`` with the
*gain function* in Bernstein form (Gokhale & Traulsen 2010; Pacheco et al. 2009)

    g(x) = sum_j C(d-1, j) x^j (1 - x)^(d-1-j) (a_j - b_j),

so interior rest points are the roots of ``g`` in ``(0, 1)``, stable where ``g`` falls. The
number of interior roots is at most the number of sign changes of ``a_j - b_j``.

The families (``k`` is the number of cooperators in the group, the focal player included):

- :func:`public_goods_game`: cooperators pay ``c``; the pot ``r c k`` is shared by all ``d``.
- :func:`stag_hunt_game` (N-person stag hunt, Pacheco et al. 2009): the pot is produced only if
  ``k >= threshold``.
- :func:`collective_risk_game` (Santos & Pacheco 2011): each holds an endowment ``b``;
  cooperators give ``c b``; if fewer than ``threshold`` cooperate, all lose what they kept with
  probability ``risk``.
- :func:`snowdrift_game` (N-person snowdrift, Zheng et al. 2007): the benefit ``b`` goes to all
  if anyone cooperates; the cost ``c`` is shared by the cooperators.
- :func:`volunteers_dilemma` (Diekmann 1985): ``b`` to all if one volunteers at cost ``c``.

With more strategies, :func:`group_simplex_rest_points` finds every isolated rest point face by
face (exact polynomial systems: Gröbner bases and real roots), with its Jacobian's eigenvalues.

Examples
--------
>>> g = public_goods_game(5, r=3, c=1)
>>> g.payoff(0, (2, 2)), g.payoff(1, (2, 2))
(Fraction(4, 5), Fraction(6, 5))
>>> gain_coefficients(g)
(Fraction(-2, 5), Fraction(-2, 5), Fraction(-2, 5), Fraction(-2, 5), Fraction(-2, 5))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from itertools import combinations
from typing import Any

import numpy as np
import sympy

from theory._numbers import number, parameter
from theory._stability import EIG_TOL, sign
from theory.errors import (
    PayoffValueError,
    ShapeError,
    TheoryError,
    TheoryTypeError,
    UndecidedStability,
)
from theory.games import parameter_values, parameters, substitute
from theory.stability import classify_eigenvalues
from theory.typing import ExprLike, Value

__all__ = [
    "GroupGame",
    "group_game",
    "compositions",
    "public_goods_game",
    "stag_hunt_game",
    "collective_risk_game",
    "snowdrift_game",
    "volunteers_dilemma",
    "gain_coefficients",
    "gain_function",
    "GroupRestPoint",
    "group_rest_points",
    "group_payoffs",
    "GroupSimplexRestPoint",
    "GroupSimplexRestPoints",
    "group_simplex_rest_points",
]

_ERRORS = (PayoffValueError, PayoffValueError)


@cache
def _compositions(n: int, total: int) -> tuple[tuple[int, ...], ...]:
    if n == 1:
        return ((total,),)
    return tuple(
        (k, *rest) for k in range(total, -1, -1) for rest in _compositions(n - 1, total - k)
    )


def compositions(n: int, total: int) -> tuple[tuple[int, ...], ...]:
    """All count vectors of `n` strategies summing to `total`, in the order of a game's table.

    Lexicographically decreasing: ``(total, 0, ...)`` first, ``(0, ..., total)`` last; for
    ``n = 2`` the `j`-th composition is ``(total - j, j)``.

    Examples
    --------
    >>> compositions(3, 2)
    ((2, 0, 0), (1, 1, 0), (1, 0, 1), (0, 2, 0), (0, 1, 1), (0, 0, 2))
    """
    n = _whole(n, "n", 1)
    total = _whole(total, "total", 0)
    return _compositions(n, total)


def _whole(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise TheoryTypeError(f"{name} = {value!r} is not an integer")
    if int(value) < minimum:
        raise TheoryError(f"{name} must be at least {minimum}, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class GroupGame:
    """A symmetric game played in groups of `group_size` with `strategies` strategies.

    Attributes
    ----------
    group_size : int
        ``d >= 2``, the number of players in a group.
    strategies : int
        ``n >= 2``.
    table : tuple of tuples
        ``table[i][c]``: payoff of strategy ``i`` when the co-players' counts are
        ``compositions(n, d - 1)[c]``; ``int``, ``Fraction``, ``float`` or sympy entries (all
        floats as soon as one is).
    name : str
        A label (the family and its parameters), not part of equality.

    Build one with :func:`group_game` or a family constructor.

    Examples
    --------
    >>> g = volunteers_dilemma(3, b=2, c=1)
    >>> g.payoff(1, (0, 2)), g.payoff(1, (1, 1)), g == volunteers_dilemma(3, b=2, c=1)
    (0, 2, True)
    >>> len({g, volunteers_dilemma(3, b=2, c=1)})
    1
    """

    group_size: int
    strategies: int
    table: tuple[tuple[Value, ...], ...]
    name: str = ""

    def __post_init__(self) -> None:
        d = _whole(self.group_size, "d", 2)
        n = _whole(self.strategies, "strategies", 2)
        m = len(_compositions(n, d - 1))
        if len(self.table) != n or any(len(row) != m for row in self.table):
            raise ShapeError(
                f"table must have {n} rows of {m} payoffs (one per composition of the "
                f"{d - 1} co-players), got {[len(r) for r in self.table]}"
            )
        rows = [
            [
                number(v, f"payoff[{i}][{c}]", symbolic=True, errors=_ERRORS)
                for c, v in enumerate(row)
            ]
            for i, row in enumerate(self.table)
        ]
        flat = [v for row in rows for v in row]
        if any(isinstance(v, float) for v in flat):
            if any(isinstance(v, sympy.Basic) for v in flat):
                raise PayoffValueError("payoffs mix floats with symbolic expressions")
            rows = [[float(v) for v in row] for row in rows]
        object.__setattr__(self, "group_size", d)
        object.__setattr__(self, "strategies", n)
        object.__setattr__(self, "table", tuple(tuple(r) for r in rows))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GroupGame):
            return NotImplemented
        return (self.group_size, self.strategies, self.table) == (
            other.group_size,
            other.strategies,
            other.table,
        )

    def __hash__(self) -> int:
        return hash((self.group_size, self.strategies, self.table))

    @property
    def compositions(self) -> tuple[tuple[int, ...], ...]:
        """The co-players' count vectors, in the order of the columns of ``table``."""
        return _compositions(self.strategies, self.group_size - 1)

    @property
    def is_exact(self) -> bool:
        """True unless the payoffs are floats."""
        return not any(isinstance(v, float) for row in self.table for v in row)

    @property
    def is_symbolic(self) -> bool:
        """True if a payoff has free symbols."""
        return any(
            isinstance(v, sympy.Basic) and bool(v.free_symbols) for r in self.table for v in r
        )

    def payoff(self, strategy: int, counts: Sequence[int]) -> Value:
        """The payoff of `strategy` when its ``d - 1`` co-players' counts are `counts`.

        Raises
        ------
        ShapeError
            If `counts` has the wrong length, a negative entry, or does not sum to ``d - 1``.
        """
        i = _whole(strategy, "strategy", 0)
        if i >= self.strategies:
            raise TheoryError(f"strategy must be below {self.strategies}, got {strategy}")
        return self.table[i][self._column(counts)]

    def _column(self, counts: Sequence[int]) -> int:
        c = tuple(int(v) for v in counts)
        if len(c) != self.strategies or any(v < 0 for v in c):
            raise ShapeError(
                f"counts = {tuple(counts)} must be {self.strategies} non-negative counts"
            )
        if sum(c) != self.group_size - 1:
            raise ShapeError(
                f"counts = {c} sum to {sum(c)}, not d - 1 = {self.group_size - 1} co-players"
            )
        return _compositions(self.strategies, self.group_size - 1).index(c)

    @property
    def parameters(self) -> tuple[sympy.Symbol, ...]:
        """The free symbols of the payoffs, sorted by name."""
        return parameters(np.array(self.table, dtype=object))

    def at(
        self, values: Mapping[sympy.Symbol | str, object] | None = None, /, **named: object
    ) -> GroupGame:
        """The game with a value for every parameter, checked and substituted as
        :meth:`theory.games.Game.at` does (exact values stay exact; errors name the symbol).

        Examples
        --------
        >>> r = sympy.Symbol("r", positive=True)
        >>> public_goods_game(3, r=r, c=1).at({r: 2}) == public_goods_game(3, r=2, c=1)
        True
        >>> public_goods_game(3, r=r, c=1).at(r="-1")
        Traceback (most recent call last):
        ...
        theory.errors.GameParameterError: r = '-1' is outside the domain of r: r must be positive
        """
        checked = parameter_values(self.parameters, {**dict(values or {}), **named})
        table = substitute(np.array(self.table, dtype=object), checked, "table")
        return GroupGame(self.group_size, self.strategies, tuple(map(tuple, table)), self.name)

    def __repr__(self) -> str:
        label = f"{self.name}, " if self.name else ""
        return f"GroupGame({label}d={self.group_size}, strategies={self.strategies})"


def group_game(
    payoff: Callable[[int, tuple[int, ...]], ExprLike],
    d: int,
    *,
    strategies: int = 2,
    name: str = "",
) -> GroupGame:
    """A :class:`GroupGame` from ``payoff(i, counts)`` over all compositions of ``d - 1``.

    Parameters
    ----------
    payoff : callable
        ``payoff(i, counts) -> number``: the payoff of strategy ``i`` when the co-players'
        counts are ``counts`` (a tuple of `strategies` ints summing to ``d - 1``).
    d : int
        Group size, at least 2.
    strategies : int, default 2

    Examples
    --------
    >>> g = group_game(lambda i, k: k[0] * 2 - i, 3)   # 2 per cooperating co-player; D pays 1
    >>> g.table
    ((4, 2, 0), (3, 1, -1))
    """
    d = _whole(d, "d", 2)
    n = _whole(strategies, "strategies", 2)
    table = tuple(tuple(payoff(i, c) for c in _compositions(n, d - 1)) for i in range(n))
    return GroupGame(d, n, table, name)


def _two(
    d: int, cooperator: Callable[[int], ExprLike], defector: Callable[[int], ExprLike], name: str
) -> GroupGame:
    """A 2-strategy game from payoffs as functions of `k`, cooperators in the group."""
    return group_game(lambda i, c: cooperator(c[0] + 1) if i == 0 else defector(c[0]), d, name=name)


def _params(**values: ExprLike) -> list[object]:
    return [parameter(v, k, errors=_ERRORS) for k, v in values.items()]


def public_goods_game(d: int, *, r: ExprLike, c: ExprLike = 1) -> GroupGame:
    """Linear public goods game: cooperators pay `c`, the pot ``r c k`` is shared by all `d`.

    Cooperator: ``r c k / d - c``; defector: ``r c k / d`` (``k`` cooperators in the group).
    For ``r < d`` defection dominates: ``a_j - b_j = c (r / d - 1) < 0``.

    Examples
    --------
    >>> public_goods_game(3, r=2, c=1).table
    ((1, Fraction(1, 3), Fraction(-1, 3)), (Fraction(4, 3), Fraction(2, 3), 0))
    """
    d = _whole(d, "d", 2)
    r_, c_ = _params(r=r, c=c)
    return _two(
        d,
        lambda k: r_ * c_ * k / d - c_,  # type: ignore[operator]
        lambda k: r_ * c_ * k / d,  # type: ignore[operator]
        f"public goods r={r}, c={c}",
    )


def stag_hunt_game(d: int, *, r: ExprLike, threshold: int, c: ExprLike = 1) -> GroupGame:
    """N-person stag hunt (Pacheco et al. 2009): the pot ``r c k`` is shared only if ``k >= M``.

    Cooperator: ``r c k / d [k >= M] - c``; defector: ``r c k / d [k >= M]``, with ``M`` the
    `threshold` (``1 <= M <= d``).

    Examples
    --------
    >>> stag_hunt_game(3, r=2, threshold=2).table[0]
    (1, Fraction(1, 3), -1)
    """
    d = _whole(d, "d", 2)
    M = _whole(threshold, "threshold", 1)
    if M > d:
        raise TheoryError(f"threshold must be at most d = {d}, got {M}")
    r_, c_ = _params(r=r, c=c)
    return _two(
        d,
        lambda k: (r_ * c_ * k / d if k >= M else 0) - c_,  # type: ignore[operator]
        lambda k: r_ * c_ * k / d if k >= M else 0,  # type: ignore[operator]
        f"stag hunt r={r}, M={M}, c={c}",
    )


def collective_risk_game(
    d: int, *, threshold: int, risk: ExprLike, c: ExprLike = "1/10", b: ExprLike = 1
) -> GroupGame:
    """Collective-risk dilemma (Santos & Pacheco 2011).

    Defector: ``b ([k >= M] + (1 - risk) [k < M])``; cooperator: the same minus ``c b``, with
    ``M`` the `threshold` and ``k`` the cooperators in the group.

    Examples
    --------
    >>> collective_risk_game(2, threshold=2, risk="1/2").table
    ((Fraction(9, 10), Fraction(2, 5)), (Fraction(1, 2), Fraction(1, 2)))
    """
    d = _whole(d, "d", 2)
    M = _whole(threshold, "threshold", 1)
    if M > d:
        raise TheoryError(f"threshold must be at most d = {d}, got {M}")
    risk_, c_, b_ = _params(risk=risk, c=c, b=b)
    if not isinstance(risk_, sympy.Basic) and not 0 <= risk_ <= 1:  # type: ignore[operator]
        raise TheoryError(f"risk must be in [0, 1], got {risk!r}")

    def defector(k: int) -> ExprLike:
        return b_ if k >= M else b_ * (1 - risk_)  # type: ignore[operator, return-value]

    return _two(
        d,
        lambda k: defector(k) - c_ * b_,  # type: ignore[operator]
        defector,
        f"collective risk M={M}, risk={risk}, c={c}, b={b}",
    )


def snowdrift_game(d: int, *, b: ExprLike, c: ExprLike) -> GroupGame:
    """N-person snowdrift (Zheng et al. 2007): `b` to all if any cooperate, `c` split among them.

    Cooperator: ``b - c / k``; defector: ``b`` if ``k >= 1`` else 0. For ``d = 2`` this is the
    snowdrift game ``[[b - c/2, b - c], [b, 0]]``.

    Examples
    --------
    >>> snowdrift_game(2, b=2, c=1).table
    ((Fraction(3, 2), 1), (2, 0))
    """
    d = _whole(d, "d", 2)
    b_, c_ = _params(b=b, c=c)
    return _two(
        d,
        lambda k: b_ - c_ / k,  # type: ignore[operator]
        lambda k: b_ if k >= 1 else 0,  # type: ignore[return-value]
        f"snowdrift b={b}, c={c}",
    )


def volunteers_dilemma(d: int, *, b: ExprLike, c: ExprLike) -> GroupGame:
    """Volunteer's dilemma (Diekmann 1985): all get `b` if someone volunteers, at cost `c`.

    Cooperator (volunteer): ``b - c``; defector: ``b`` if another volunteers, else 0. For
    ``0 < c < b`` the interior rest point is ``x* = 1 - (c / b)^(1 / (d - 1))``.

    Examples
    --------
    >>> volunteers_dilemma(3, b=4, c=1).table
    ((3, 3, 3), (4, 4, 0))
    """
    d = _whole(d, "d", 2)
    b_, c_ = _params(b=b, c=c)
    return _two(
        d,
        lambda k: b_ - c_,  # type: ignore[operator]
        lambda k: b_ if k >= 1 else 0,  # type: ignore[return-value]
        f"volunteer's dilemma b={b}, c={c}",
    )


# ---------------------------------------------------------------------------------------------
# two strategies: the gain function


def _two_strategies(game: GroupGame) -> None:
    if not isinstance(game, GroupGame):
        raise TheoryTypeError(f"game must be a GroupGame, got {type(game).__name__}")
    if game.strategies != 2:
        raise ShapeError(f"game must have 2 strategies, got {game.strategies}")


def gain_coefficients(game: GroupGame) -> tuple[Value, ...]:
    """The Bernstein coefficients ``a_j - b_j``, ``j = 0..d-1`` cooperating co-players.

    Examples
    --------
    >>> gain_coefficients(volunteers_dilemma(3, b=4, c=1))   # one volunteer is enough
    (3, -1, -1)
    """
    _two_strategies(game)
    # composition (d-1-j, j) is column j: j co-players play strategy 1; so a_j is column d-1-j
    m = game.group_size
    gains = [game.table[0][m - 1 - j] - game.table[1][m - 1 - j] for j in range(m)]
    return tuple(sympy.simplify(g) if isinstance(g, sympy.Basic) else g for g in gains)


def gain_function(game: GroupGame, x: sympy.Symbol | None = None) -> sympy.Expr:
    """The gain function ``g(x)`` of a 2-strategy game as a sympy polynomial in `x`.

    ``x`` is the share of strategy 0; ``x' = x (1 - x) g(x)`` under the replicator.

    Examples
    --------
    >>> sympy.expand(gain_function(volunteers_dilemma(3, b=4, c=1)))
    4*x**2 - 8*x + 3
    """
    x = sympy.Symbol("x") if x is None else x
    coef = gain_coefficients(game)
    m = len(coef) - 1
    return sympy.Add(
        *[math.comb(m, j) * x**j * (1 - x) ** (m - j) * _sym(a) for j, a in enumerate(coef)]
    )


def _sym(v: Value) -> sympy.Expr:
    if isinstance(v, Fraction):
        return sympy.Rational(v.numerator, v.denominator)
    return sympy.sympify(v)


@dataclass(frozen=True)
class GroupRestPoint:
    """A rest point of the 2-strategy group replicator ``x' = x (1 - x) g(x)``.

    Attributes
    ----------
    x : sympy.Expr or float
        The share of strategy 0: exact (rational, radical or ``CRootOf``) for exact payoffs.
    slope : sympy.Expr or float
        The derivative of the field at `x` (the eigenvalue of the one-dimensional flow).
    stable : bool
        True if `slope` is negative (an attractor); for the vertices with zero slope, whether
        the sign of ``g`` makes it attracting.
    """

    x: Value
    slope: Value
    stable: bool

    def __float__(self) -> float:
        return float(self.x)


def group_rest_points(game: GroupGame, *, tol: float = EIG_TOL) -> tuple[GroupRestPoint, ...]:
    """Rest points of the replicator of a 2-strategy group game, in increasing `x`.

    The vertices ``x = 0`` and ``x = 1`` and the roots of the gain function in ``(0, 1)``,
    exact for exact payoffs (sympy's real roots of a rational polynomial), each with the slope
    of the field and its stability.

    Raises
    ------
    UndecidedStability
        For symbolic payoffs (substitute values with :meth:`GroupGame.at` first).
    TheoryError
        If the gain function vanishes identically (every point is at rest).

    Examples
    --------
    >>> [(str(p.x), p.stable) for p in group_rest_points(volunteers_dilemma(3, b=4, c=1))]
    [('0', False), ('1/2', True), ('1', False)]
    """
    _two_strategies(game)
    if game.is_symbolic:
        raise UndecidedStability(
            "the rest points of a symbolic game depend on its parameters; substitute values "
            "with GroupGame.at first"
        )
    x = sympy.Symbol("x")
    coef = gain_coefficients(game)
    if game.is_exact:
        g = sympy.Poly(gain_function(game, x), x, domain="QQ")
    else:
        g = sympy.Poly(gain_function(game, x), x, domain="RR")
    if g.is_zero or (not game.is_exact and all(abs(float(v)) <= tol for v in coef)):
        raise TheoryError("the gain function vanishes: every share is a rest point")
    field = sympy.Poly(x * (1 - x), x) * g
    out = [_vertex(field, 0, game.is_exact, tol)]
    if game.is_exact:
        # sympy's real roots of a rational polynomial, with multiplicity, in increasing order
        roots = [r for r in sympy.real_roots(g) if 0 < r < 1]
        for r in sorted(set(roots), key=lambda r: sympy.N(r, 30)):
            mult = roots.count(r)
            out.append(_interior(g, x, r, mult, exact=True, tol=tol))
    else:
        coeffs = [float(c) for c in g.all_coeffs()]
        found: np.ndarray = np.roots(coeffs) if g.degree() > 0 else np.array([])
        real = sorted(
            {float(r.real) for r in found if abs(r.imag) <= 1e-9 and tol < r.real < 1 - tol}
        )
        for r in real:
            out.append(_interior(g, x, r, 1, exact=False, tol=tol))
    out.append(_vertex(field, 1, game.is_exact, tol))
    return tuple(out)


def _interior(
    g: sympy.Poly,
    x: sympy.Symbol,
    r: Any,  # Any: a float, or a sympy algebraic number (Rational, radical, CRootOf)
    mult: int,
    *,
    exact: bool,
    tol: float,
) -> GroupRestPoint:
    """An interior root `r` of multiplicity `mult`: the field's slope is ``r (1 - r) g'(r)``."""
    if not exact:
        fslope = float(r * (1 - r) * g.diff(x).eval(r))
        return GroupRestPoint(r, fslope, fslope < -tol)
    if mult == 1:  # g'(r) != 0 at a simple root: its sign is decided numerically, safely
        slope_expr = r * (1 - r) * g.diff(x).as_expr().subs(x, r)
        slope = _tidy(slope_expr)  # exact: never nsimplify an exact rational
        return GroupRestPoint(_tidy(r), slope, bool(sympy.N(slope_expr, 50) < 0))
    # a multiple root: the first non-vanishing derivative of g decides
    der = g
    for _ in range(mult):
        der = der.diff(x)
    s = sympy.N(der.as_expr().subs(x, r), 50)
    # odd multiplicity: stable iff g falls through the root; even: one-sided, not an attractor
    return GroupRestPoint(_tidy(r), 0, bool(mult % 2 == 1 and s < 0))


def _vertex(field: sympy.Poly, p: int, exact: bool, tol: float) -> GroupRestPoint:
    """The vertex ``x = p``: stable if the first non-vanishing derivative of the field is odd
    and negative there."""
    x = field.gens[0]
    slope = field.diff(x).eval(p)
    slope = _tidy(slope) if exact else float(slope)
    der = field
    for order in range(1, field.degree() + 1):
        der = der.diff(x)
        v = der.eval(p)
        s = sign(_tidy(v) if exact else float(v), tol)
        if s != 0:
            return GroupRestPoint(p if exact else float(p), slope, order % 2 == 1 and s < 0)
    return GroupRestPoint(p if exact else float(p), slope, False)


def _tidy(v: Value) -> Value:
    if isinstance(v, sympy.Rational):
        return Fraction(int(v.p), int(v.q)) if v.q != 1 else int(v.p)
    return v


# ---------------------------------------------------------------------------------------------
# any number of strategies: expected payoffs


def group_payoffs(game: GroupGame, x: Sequence[ExprLike]) -> tuple[Value, ...]:
    """Expected payoff of each strategy in a population with shares `x` (exact if `x` is).

    Co-players are drawn independently: ``f_i(x) = sum_k multinomial(d-1; k) prod_l x_l^k_l
    a_i(k)`` over the compositions ``k`` of ``d - 1``.

    Raises
    ------
    ShapeError
        If `x` has the wrong length or is off the simplex (exact input must sum to 1 exactly).

    Examples
    --------
    >>> group_payoffs(public_goods_game(3, r=2, c=1), [Fraction(1, 2), Fraction(1, 2)])
    (Fraction(1, 3), Fraction(2, 3))
    """
    if not isinstance(game, GroupGame):
        raise TheoryTypeError(f"game must be a GroupGame, got {type(game).__name__}")
    xs = [number(v, f"x[{i}]", symbolic=True) for i, v in enumerate(x)]
    if len(xs) != game.strategies:
        raise ShapeError(f"x must have {game.strategies} shares, got {len(xs)}")
    if not any(isinstance(v, sympy.Basic) for v in xs):
        if any(v < -1e-12 for v in xs):
            raise ShapeError(f"x = {tuple(x)} has a negative share")
        total = sum(xs)
        exact = not any(isinstance(v, float) for v in xs)
        if (total != 1) if exact else abs(total - 1) > 1e-9 * len(xs):
            raise ShapeError(f"x = {tuple(x)} sums to {total}, not 1 (off the simplex)")
    weights = [_multinomial_weight(k, xs) for k in game.compositions]
    return tuple(
        sum((w * a for w, a in zip(weights, row, strict=True)), start=0) for row in game.table
    )


def _multinomial_weight(k: tuple[int, ...], x: Sequence[Value]) -> Value:
    coef = math.factorial(sum(k))
    for kl in k:
        coef //= math.factorial(kl)
    out: Value = coef
    for xl, kl in zip(x, k, strict=True):
        if kl:
            out = out * xl**kl
    return out


# ---------------------------------------------------------------------------------------------
# any number of strategies: rest points on every face of the simplex

#: Digits of the numeric evaluation that decides whether an algebraic root is real and inside
#: the simplex, and of the eigenvalues at an irrational rest point: a root of a polynomial
#: system with integer coefficients of this toolkit's size is far further than 1e-40 from the
#: boundary unless it is on it (then the exact test sees a zero).
_DIGITS = 50
_IMAG = sympy.Rational(1, 10**40)


@dataclass(frozen=True)
class GroupSimplexRestPoint:
    """A rest point of the replicator of a group game with any number of strategies.

    Attributes
    ----------
    x : tuple
        The shares: ``int``/``Fraction`` where rational, sympy algebraic numbers (radicals or
        ``CRootOf``) otherwise, for exact payoffs; floats for float payoffs.
    support : tuple of int
        The strategies present (the face whose relative interior holds `x`).
    payoff : sympy.Expr, Fraction or float
        The common expected payoff of the strategies in the support.
    eigenvalues : tuple
        Of the replicator's Jacobian on the tangent space of the simplex (``n - 1`` of them):
        exact at rational points, complex floats (from 50-digit arithmetic) otherwise.
    kind : str
        :func:`theory.stability.classify_eigenvalues` of them (``"sink"``: asymptotically
        stable).
    """

    x: tuple[Value, ...]
    support: tuple[int, ...]
    payoff: Value
    eigenvalues: tuple[Value, ...]
    kind: str


@dataclass(frozen=True)
class GroupSimplexRestPoints:
    """Every isolated rest point found, by face; `complete` is False if a face holds a
    continuum of rest points (``degenerate`` lists those supports; their points are not in
    `points`)."""

    points: tuple[GroupSimplexRestPoint, ...]
    complete: bool
    degenerate: tuple[tuple[int, ...], ...] = ()

    def __len__(self) -> int:
        return len(self.points)

    def __iter__(self) -> Iterator[GroupSimplexRestPoint]:
        return iter(self.points)


def group_simplex_rest_points(game: GroupGame, *, tol: float = EIG_TOL) -> GroupSimplexRestPoints:
    """All isolated rest points of the replicator of a group game, face by face, exactly.

    On the face with support ``S`` a rest point makes every strategy of ``S`` earn the same:
    ``f_i(x) = f_j(x)`` for ``i, j`` in ``S``, a polynomial system of degree ``d - 1`` in the
    ``|S| - 1`` free shares. Each face's system is solved exactly (a lex Gröbner basis, then
    sympy's roots); the real roots inside the face are the rest points, each with the
    eigenvalues of the replicator's Jacobian on the simplex's tangent space. A face whose
    system has a continuum of solutions (e.g. two strategies earning alike everywhere) is
    reported in `degenerate`. Float payoffs are solved at their exact binary values and the
    answers given as floats.

    Raises
    ------
    UndecidedStability
        For symbolic payoffs (substitute values with :meth:`GroupGame.at` first).

    Examples
    --------
    >>> # a 3-player rock-paper-scissors: win 1 per beaten co-player, lose 1 per winner
    >>> rps = group_game(lambda i, k: k[(i + 1) % 3] - k[(i + 2) % 3], 3, strategies=3)
    >>> interior = [p for p in group_simplex_rest_points(rps) if len(p.support) == 3]
    >>> [str(v) for v in interior[0].x], interior[0].kind
    (['1/3', '1/3', '1/3'], 'centre')
    """
    if not isinstance(game, GroupGame):
        raise TheoryTypeError(f"game must be a GroupGame, got {type(game).__name__}")
    if game.is_symbolic:
        raise UndecidedStability(
            "the rest points of a symbolic game depend on its parameters; substitute values "
            "with GroupGame.at first"
        )
    exact = game.is_exact
    n = game.strategies
    xs = sympy.symbols(f"x0:{n}", real=True)
    table = [[_sym(Fraction(v) if isinstance(v, float) else v) for v in row] for row in game.table]
    weights = [_multinomial_weight(k, xs) for k in game.compositions]
    f = [
        sympy.expand(sum((w * a for w, a in zip(weights, row, strict=True)), start=0))
        for row in table
    ]
    tangent = {xs[-1]: 1 - sum(xs[:-1])}
    mean = sum((xs[i] * f[i] for i in range(n)), start=sympy.Integer(0))
    field = sympy.Matrix(
        [sympy.expand((xs[i] * (f[i] - mean)).subs(tangent)) for i in range(n - 1)]
    )
    jacobian = field.jacobian(xs[:-1])
    points: list[GroupSimplexRestPoint] = []
    degenerate: list[tuple[int, ...]] = []
    for size in range(1, n + 1):
        for S in combinations(range(n), size):
            found = _face_solutions(f, xs, S)
            if found is None:
                degenerate.append(S)
                continue
            for values in found:
                x = [sympy.Integer(0)] * n
                for i, v in zip(S, values, strict=True):
                    x[i] = v
                point = dict(zip(xs, x, strict=True))
                payoff = f[S[0]].subs(point)
                ev = _tangent_eigenvalues(jacobian, xs, x)
                kind = classify_eigenvalues(ev, tol=tol)
                out_x = tuple(_tidy(v) if exact else float(sympy.N(v, _DIGITS)) for v in x)
                out_payoff = _tidy(payoff) if exact else float(sympy.N(payoff, _DIGITS))
                if not exact:
                    ev = tuple(complex(sympy.N(v, _DIGITS)) for v in ev)
                points.append(GroupSimplexRestPoint(out_x, S, out_payoff, tuple(ev), kind))
    return GroupSimplexRestPoints(tuple(points), not degenerate, tuple(degenerate))


def _face_solutions(
    f: list[sympy.Expr], xs: tuple[sympy.Symbol, ...], S: tuple[int, ...]
) -> list[list[sympy.Expr]] | None:
    """The solutions in the relative interior of face `S`, as shares of `S` (None: a
    continuum)."""
    if len(S) == 1:
        return [[sympy.Integer(1)]]
    free = [xs[i] for i in S[:-1]]
    last = 1 - sum(free)
    subs = {xs[i]: 0 for i in range(len(xs)) if i not in S}
    subs[xs[S[-1]]] = last
    eqs = [sympy.expand((f[i] - f[S[-1]]).subs(subs)) for i in S[:-1]]
    eqs = [e for e in eqs if e != 0]
    if len(eqs) < len(free):
        return None  # an equation vanishes identically: a continuum (or nothing) on the face
    basis = sympy.groebner(eqs, *free, order="lex")
    if list(basis.exprs) == [1]:
        return []
    if not basis.is_zero_dimensional:
        return None
    out = []
    for sol in _lex_solutions(list(basis.exprs), free):
        values = [*sol, last.subs(dict(zip(free, sol, strict=True)))]
        numeric = [sympy.N(v, _DIGITS) for v in values]
        if all(abs(sympy.im(v)) < _IMAG and sympy.re(v) > 0 for v in numeric):
            out.append([_real(v) for v in values])
    return out


def _lex_solutions(basis: list[sympy.Expr], free: list[sympy.Symbol]) -> list[list[sympy.Expr]]:
    """The real solutions of a zero-dimensional system from its lex Gröbner basis.

    In general position (the shape lemma) the basis is ``x_i - p_i(t)`` for every variable but
    the last, ``t``, and ``q(t)``: the solutions are ``p_i(r)`` at the real roots ``r`` of ``q``
    (exact: rational or ``CRootOf``), found without radicals. Otherwise sympy's general solver.
    """
    t = free[-1]
    univariate = [g for g in basis if g.free_symbols <= {t}]
    shape: dict[sympy.Symbol, sympy.Expr] = {}
    for g in basis:
        if g in univariate:
            continue
        lead = [v for v in free[:-1] if v in g.free_symbols]
        v = lead[0] if lead else None
        poly = sympy.Poly(g, v) if v is not None else None
        if poly is None or poly.degree() != 1 or poly.LC().free_symbols or v in shape:
            shape = {}
            break
        shape[v] = sympy.expand(-poly.nth(0) / poly.LC())
    if (
        len(univariate) == 1
        and set(shape) == set(free[:-1])
        and all(p.free_symbols <= {t} for p in shape.values())
    ):
        out = []
        for r in dict.fromkeys(sympy.Poly(univariate[0], t).real_roots()):  # once each
            out.append([*(shape[v].subs(t, r) for v in free[:-1]), r])
        return out
    return [list(sol) for sol in sympy.solve_poly_system(basis, *free)]


def _real(v: sympy.Expr) -> sympy.Expr:
    """An algebraic number known (to 50 digits) to be real: its real part where sympy writes
    it with an imaginary part that cancels (three real roots of a cubic by radicals)."""
    if v.is_real:
        return v
    return sympy.simplify(sympy.re(sympy.expand_complex(v)))


def _tangent_eigenvalues(
    jacobian: sympy.Matrix, xs: tuple[sympy.Symbol, ...], x: list[sympy.Expr]
) -> tuple[Value, ...]:
    point = dict(zip(xs[:-1], x[:-1], strict=True))
    J = jacobian.subs(point)
    if all(v.is_Rational for v in x):
        vals: list[Value] = []
        for val, mult in J.eigenvals().items():
            vals.extend([sympy.simplify(val)] * int(mult))
        return tuple(sorted(vals, key=lambda v: (float(sympy.re(v)), float(sympy.im(v)))))
    import mpmath

    with mpmath.workdps(_DIGITS):
        entries = [[sympy.N(v, _DIGITS) for v in row] for row in J.tolist()]
        M = mpmath.matrix(
            [
                [
                    mpmath.mpc(mpmath.mpf(str(sympy.re(v))), mpmath.mpf(str(sympy.im(v))))
                    for v in row
                ]
                for row in entries
            ]
        )
        E, _ = mpmath.eig(M)
        ev = [complex(e) for e in E]
    return tuple(sorted(ev, key=lambda v: (v.real, v.imag)))
