"""The commons' thresholds and equilibrium efforts, derived by sympy from their conditions.

See :mod:`theory.commons.model` for the model and its named modelling choices; the numeric
functions there evaluate the expressions derived here, and the tests check they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy

from theory.commons.errors import CommonsError

__all__ = ["CommonsClosedForms", "closed_forms"]


@dataclass(frozen=True)
class CommonsClosedForms:
    """Closed forms derived by sympy in the symbols ``r, K, q, c, E, N, t`` (see `closed_forms`)."""

    steady_stock: sympy.Expr
    collapse_effort: sympy.Expr
    msy_effort: sympy.Expr
    msy_harvest: sympy.Expr
    open_access_effort: sympy.Expr
    social_optimum_effort: sympy.Expr
    cournot_effort: sympy.Expr
    taxed_nash_effort: sympy.Expr
    corrective_tax: sympy.Expr
    taxed_nash_effort_rebate_ignored: sympy.Expr
    corrective_tax_rebate_ignored: sympy.Expr
    symbols: tuple[sympy.Symbol, ...]


@lru_cache(maxsize=1)
def closed_forms() -> CommonsClosedForms:
    """Derive every threshold and equilibrium effort of the commons with sympy.

    Each field is the solution sympy finds for the defining condition, not a typed-in formula:
    the nonzero root of the stock equation; the effort where it vanishes; the stationary point
    of the yield, of the rent, and of one agent's (taxed) payoff at a symmetric profile; the tax
    at which the taxed Nash effort equals the social optimum.

    Returns
    -------
    CommonsClosedForms

    Examples
    --------
    >>> cf = closed_forms()
    >>> cf.corrective_tax
    (K*q - c)/(K*q + c)
    >>> cf.cournot_effort
    N*r*(K*q - c)/(K*q**2*(N + 1))
    """
    r, K, q, c, E, N, t = sympy.symbols("r K q c E N t", positive=True)
    x, e, ei = sympy.symbols("x e e_i", positive=True)
    x_star = next(s for s in sympy.solve(r * x * (1 - x / K) - q * x * E, x) if s != 0)
    collapse = sympy.solve(x_star, E)[0]
    yield_ = q * E * x_star
    msy = sympy.solve(sympy.diff(yield_, E), E)[0]
    rent_ = yield_ - c * E
    optimum = sympy.solve(sympy.diff(rent_, E), E)[0]
    open_access = sympy.solve(q * x_star - c, E)[0]
    # one agent's payoff with own effort e_i while the N - 1 others play e; tax t, equal rebate
    total = ei + (N - 1) * e
    stock_i = x_star.subs(E, total)
    payoff = (1 - t) * q * ei * stock_i + t / N * q * total * stock_i - c * ei
    foc = sympy.diff(payoff, ei).subs(ei, e)
    taxed = sympy.factor(N * sympy.solve(foc, e)[0])
    cournot = sympy.factor(taxed.subs(t, 0))
    tax = sympy.solve(sympy.Eq(taxed, optimum), t)
    # agents who treat the rebate as a lump sum: the same payoff without its own-effort effect
    lump = (1 - t) * q * ei * stock_i - c * ei
    taxed_lump = sympy.factor(N * sympy.solve(sympy.diff(lump, ei).subs(ei, e), e)[0])
    tax_lump = sympy.solve(sympy.Eq(taxed_lump, optimum), t)
    if len(tax) != 1 or len(tax_lump) != 1:  # pragma: no cover - guards a sympy change
        raise CommonsError(f"expected one corrective tax, sympy found {tax}, {tax_lump}")
    return CommonsClosedForms(
        steady_stock=sympy.factor(x_star),
        collapse_effort=collapse,
        msy_effort=msy,
        msy_harvest=sympy.factor(yield_.subs(E, msy)),
        open_access_effort=sympy.factor(open_access),
        social_optimum_effort=sympy.factor(optimum),
        cournot_effort=cournot,
        taxed_nash_effort=taxed,
        corrective_tax=sympy.factor(tax[0]),
        taxed_nash_effort_rebate_ignored=taxed_lump,
        corrective_tax_rebate_ignored=sympy.factor(tax_lump[0]),
        symbols=(r, K, q, c, E, N, t),
    )
