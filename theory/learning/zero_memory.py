"""Zero-memory Q-learners: the seed's equilibrium conditions, derived with sympy.

A learner without memory has one state and two Q-values, ``Q_t`` (trade) and ``Q_s`` (steal).
Against a partner who trades with probability ``p`` (whatever it is), the Q-learning fixed point
satisfies (seed, *Zero memory agents*)

    Q_t = 3 p + r max(Q_t, Q_s),        Q_s = 4 p + 1 (1 - p) + r max(Q_t, Q_s),

so ``Q_s - Q_t = p + (1 - p) = 1``: stealing is greedy whatever the partner does, and two such
learners end at always-steal, each with wellbeing 1 (instead of 3 for mutual trade).

Examples
--------
>>> zero_memory_fixed_point().gap
1
>>> zero_memory_fixed_point(p_trade=0, discount="1/2").q_steal
2
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from theory.errors import TheoryError
from theory.learning.policies import WELLBEING
from theory.typing import RealLike, Value

__all__ = ["P_TRADE", "DISCOUNT", "ZeroMemoryFixedPoint", "zero_memory_fixed_point"]

P_TRADE = sympy.Symbol("p", nonnegative=True)  #: the partner's probability of trading
DISCOUNT = sympy.Symbol("r", nonnegative=True)  #: the learner's discount, 0 <= r < 1


@dataclass(frozen=True)
class ZeroMemoryFixedPoint:
    """The zero-memory Q-learning fixed point and the branch that was ruled out.

    Attributes
    ----------
    q_trade, q_steal : sympy.Expr
        ``Q_t`` and ``Q_s`` at the fixed point (steal greedy).
    gap : sympy.Expr
        ``Q_s - Q_t`` from the two equations alone, before the max is resolved.
    greedy : str
        ``"S"``: the greedy move.
    trade_branch_consistent : bool
        Whether the branch ``max(Q_t, Q_s) = Q_t`` has a consistent solution (it never has).
    """

    q_trade: Value
    q_steal: Value
    gap: Value
    greedy: str
    trade_branch_consistent: bool


def _param(value: Any, symbol: sympy.Symbol, name: str, upper_open: bool) -> Any:
    if value is None:
        return symbol
    try:
        x = sympy.nsimplify(value) if isinstance(value, str | float) else sympy.sympify(value)
    except (sympy.SympifyError, TypeError) as err:
        raise TheoryError(f"{name} must be a number, got {value!r}") from err
    if x.is_number and (x < 0 or x > 1 or (upper_open and x == 1)):
        raise TheoryError(f"{name} must lie in [0, 1{')' if upper_open else ']'}, got {value!r}")
    return x


def zero_memory_fixed_point(
    p_trade: RealLike | None = None, discount: RealLike | None = None
) -> ZeroMemoryFixedPoint:
    """Solve the seed's zero-memory equilibrium conditions with sympy.

    Parameters
    ----------
    p_trade : number in [0, 1], optional
        The partner's probability of trading; symbolic ``p`` if omitted.
    discount : number in [0, 1), optional
        The discount ``r``; symbolic if omitted.

    Raises
    ------
    TheoryError
        If a parameter is outside its range.

    Examples
    --------
    >>> fp = zero_memory_fixed_point()
    >>> sympy.simplify(fp.q_steal - (3 * P_TRADE + 1) / (1 - DISCOUNT)), fp.trade_branch_consistent
    (0, False)
    """
    p = _param(p_trade, P_TRADE, "p_trade", upper_open=False)
    r = _param(discount, DISCOUNT, "discount", upper_open=True)
    qt, qs, m = sympy.symbols("Q_t Q_s M")
    tt, ts, st, ss = (WELLBEING[a][b] for a, b in ("TT", "TS", "ST", "SS"))
    eq_t = sympy.Eq(qt, tt * p + ts * (1 - p) + r * m)
    eq_s = sympy.Eq(qs, st * p + ss * (1 - p) + r * m)
    gap = sympy.simplify(eq_s.rhs - eq_t.rhs)
    # branch max = Q_s: a linear system with a unique solution for r < 1
    sol = sympy.solve([eq_t.subs(m, qs), eq_s.subs(m, qs)], [qt, qs], dict=True)[0]
    q_trade, q_steal = sympy.simplify(sol[qt]), sympy.simplify(sol[qs])
    # branch max = Q_t: consistent only if Q_t >= Q_s, i.e. gap <= 0, which fails since gap = 1
    sol_t = sympy.solve([eq_t.subs(m, qt), eq_s.subs(m, qt)], [qt, qs], dict=True)
    consistent = any(sympy.simplify(s[qt] - s[qs]) >= 0 for s in sol_t) if sol_t else False
    greedy = "S" if sympy.simplify(q_steal - q_trade) > 0 else "T"
    return ZeroMemoryFixedPoint(q_trade, q_steal, gap, greedy, bool(consistent))
