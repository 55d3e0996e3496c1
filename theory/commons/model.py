"""The harvest commons in mean field: logistic regrowth minus harvest (the Gordon–Schaefer model).

The stock ``x`` (apples on the orchard) follows

    dx/dt = r x (1 - x/K) - q x E,        E = sum_i e_i,

with intrinsic growth rate ``r``, carrying capacity ``K``, catchability ``q`` and total effort
``E``. Agent ``i`` harvests ``q e_i x`` apples per unit time and pays ``c`` per unit of effort.

Modelling choices, named:

* **Apples are the numeraire**: an apple is worth 1 (the Harvest game's reward per apple), so the
  effort cost ``c`` is measured in apples per unit effort and rent is ``q E x - c E``.
* **Steady-state payoffs**: agents, the planner and the tax designer compare *stationary* harvest
  rates ``q e_i x*(E)`` with ``x*(E) = K (1 - qE/r)``, the stable stock at effort ``E`` (the
  Gordon–Schaefer convention). Transients are solved exactly in :mod:`theory.commons.transient`
  for the repeated rounds of :mod:`dynamics.commons.rounds`.
* **Cournot (Nash) agents anticipate the stock**: each knows that its own effort lowers
  ``x*(E)``; open access is the zero-rent (free-entry) limit, ``N -> infinity``.
* **Harvest tax with equal rebate**: a linear tax ``t`` on apples collected (one bracket of the
  seed's bracketed tax, from 0 upwards), the revenue shared equally among all ``N`` agents, the
  payer included. By default each agent counts its own ``1/N`` share (Nash,
  ``rebate="counted"``); with ``rebate="ignored"`` agents treat the rebate as a lump sum they
  do not affect (still anticipating the stock), the AI Economist's price-taking convention.
* The **social optimum** maximises total rent ``q E x*(E) - c E`` (maximum economic yield); the
  **maximum sustainable yield** maximises apples ``q E x*(E)`` and ignores cost.

Every formula here is derived symbolically by :func:`theory.commons.symbolic.closed_forms`
(sympy solves the first-order conditions); the numeric functions evaluate the same expressions
exactly for exact input (``int``/``Fraction`` give ``Fraction``), in floats for floats and
symbolically for symbols.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from theory._numbers import Number, count, is_symbolic, parameter, plain, unify
from theory.commons.errors import CommonsError, CommonsTypeError
from theory.typing import ExprLike

#: The errors this module raises for a bad number (see theory._numbers).
_ERRORS = (CommonsTypeError, CommonsError)

__all__ = [
    "HarvestCommons",
    "StockEquilibrium",
    "SustainableYield",
    "steady_stock",
    "stock_equilibria",
    "collapse_effort",
    "sustainable_yield",
    "rent",
    "maximum_sustainable_yield",
    "open_access_effort",
    "social_optimum_effort",
    "cournot_effort",
    "taxed_nash_effort",
    "corrective_tax",
]


@dataclass(frozen=True)
class HarvestCommons:
    """Parameters of the commons: growth rate, carrying capacity, catchability, effort cost.

    Parameters
    ----------
    r : number
        Intrinsic growth rate of the stock, ``r > 0``.
    K : number
        Carrying capacity, ``K > 0``.
    q : number
        Catchability: apples per unit effort per unit stock, ``q > 0``.
    c : number, default 0
        Cost per unit effort, in apples, ``c >= 0``.

    Raises
    ------
    CommonsError
        If a parameter is out of its domain, NaN or infinite.
    CommonsTypeError
        If a parameter is not a real number.

    Examples
    --------
    >>> HarvestCommons(1, 100, 1, 10).K
    Fraction(100, 1)
    """

    r: Number
    K: Number
    q: Number = 1
    c: Number = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "r", parameter(self.r, "r", positive=True, errors=_ERRORS))
        object.__setattr__(self, "K", parameter(self.K, "K", positive=True, errors=_ERRORS))
        object.__setattr__(self, "q", parameter(self.q, "q", positive=True, errors=_ERRORS))
        object.__setattr__(self, "c", parameter(self.c, "c", nonnegative=True, errors=_ERRORS))

    @property
    def cost_ratio(self) -> Number:
        """``gamma = c / (q K)``: the stock share below which harvesting no longer pays."""
        r, K, q, c = unify(self.r, self.K, self.q, self.c)
        return c / (q * K)


@dataclass(frozen=True)
class StockEquilibrium:
    """A rest point of the stock: its value and whether it is (asymptotically) stable."""

    stock: Number
    stable: bool


@dataclass(frozen=True)
class SustainableYield:
    """An effort, the stable stock it leads to, and the harvest per unit time it sustains."""

    effort: Number
    stock: Number
    harvest: Number


def _effort(value: Any, name: str = "effort") -> Number:
    return parameter(value, name, nonnegative=True, errors=_ERRORS)


def _numeric(commons: HarvestCommons, *values: Number) -> None:
    if is_symbolic(commons.r, commons.K, commons.q, commons.c, *values):
        raise CommonsTypeError("stability needs numeric parameters; use closed_forms() for symbols")


def steady_stock(commons: HarvestCommons, effort: ExprLike) -> Number:
    """The stable stock ``x*(E) = max(0, K (1 - qE/r))`` at total effort ``E``.

    For symbolic input the branch ``K (1 - qE/r)``, valid below `collapse_effort`, is returned.

    Examples
    --------
    >>> steady_stock(HarvestCommons(1, 100, 1), "1/4")
    75
    >>> steady_stock(HarvestCommons(1, 100, 1), 2)
    0
    """
    E = _effort(effort)
    r, K, q, E = unify(commons.r, commons.K, commons.q, E)
    x = K * (1 - q * E / r)
    if is_symbolic(x):
        return x
    return plain(max(x, 0 * x))


def stock_equilibria(commons: HarvestCommons, effort: ExprLike) -> tuple[StockEquilibrium, ...]:
    """Rest points of ``dx/dt = r x (1 - x/K) - q E x`` with their stability.

    ``x = 0`` has eigenvalue ``r - qE``; ``x* = K (1 - qE/r)`` exists for ``qE < r`` with
    eigenvalue ``-(r - qE)``. At ``qE = r`` the two merge (a transcritical bifurcation) and
    ``x = 0`` is stable, though not exponentially (the flow is ``-(r/K) x^2``).

    Examples
    --------
    >>> [(e.stock, e.stable) for e in stock_equilibria(HarvestCommons(1, 10, 1), "1/2")]
    [(0, False), (5, True)]
    """
    E = _effort(effort)
    _numeric(commons, E)
    r, K, q, E = unify(commons.r, commons.K, commons.q, E)
    growth_at_zero = r - q * E
    rest = [StockEquilibrium(0, bool(growth_at_zero <= 0))]
    if growth_at_zero > 0:
        rest.append(StockEquilibrium(plain(K * growth_at_zero / r), True))
    return tuple(rest)


def collapse_effort(commons: HarvestCommons) -> Number:
    """The collapse threshold ``E_c = r / q``: at or above it the stock goes extinct.

    Examples
    --------
    >>> collapse_effort(HarvestCommons(2, 100, 4))
    Fraction(1, 2)
    """
    r, q = unify(commons.r, commons.q)
    return plain(r / q)


def sustainable_yield(commons: HarvestCommons, effort: ExprLike) -> Number:
    """Harvest per unit time at the stable stock: ``q E x*(E)``.

    Examples
    --------
    >>> sustainable_yield(HarvestCommons(1, 100, 1), "1/2")
    25
    """
    E = _effort(effort)
    q, E = unify(commons.q, E)
    return plain(q * E * steady_stock(commons, E))


def rent(commons: HarvestCommons, effort: ExprLike) -> Number:
    """Total rent at the stable stock: ``q E x*(E) - c E`` (apples are worth 1).

    Examples
    --------
    >>> rent(HarvestCommons(1, 100, 1, 10), "9/20")
    Fraction(81, 4)
    """
    E = _effort(effort)
    c, E = unify(commons.c, E)
    return plain(sustainable_yield(commons, E) - c * E)


def maximum_sustainable_yield(commons: HarvestCommons) -> SustainableYield:
    """The maximum sustainable yield: effort ``r/(2q)``, stock ``K/2``, harvest ``rK/4``.

    Examples
    --------
    >>> maximum_sustainable_yield(HarvestCommons(1, 100, 1))
    SustainableYield(effort=Fraction(1, 2), stock=50, harvest=25)
    """
    r, K, q = unify(commons.r, commons.K, commons.q)
    return SustainableYield(plain(r / (2 * q)), plain(K / 2), plain(r * K / 4))


def _clip(x: Number) -> Number:
    return x if is_symbolic(x) else plain(max(x, 0 * x))


def open_access_effort(commons: HarvestCommons) -> Number:
    """Open access (bionomic) effort ``(r/q)(1 - c/(qK))``: entry until rent per effort is zero.

    Zero when ``c >= qK`` (harvesting never pays). The stock there is ``c/q``.

    Examples
    --------
    >>> open_access_effort(HarvestCommons(1, 100, 1, 10))
    Fraction(9, 10)
    """
    r, q, gamma = unify(commons.r, commons.q, commons.cost_ratio)
    return _clip(r / q * (1 - gamma))


def social_optimum_effort(commons: HarvestCommons) -> Number:
    """The rent-maximising (maximum economic yield) effort: half the open-access effort.

    Examples
    --------
    >>> social_optimum_effort(HarvestCommons(1, 100, 1, 10))
    Fraction(9, 20)
    """
    E = open_access_effort(commons)
    (E,) = unify(E)
    return plain(E / 2)


def _rebate(rebate: Any) -> str:
    if rebate not in ("counted", "ignored"):
        raise CommonsError(f"rebate must be 'counted' or 'ignored', got {rebate!r}")
    return str(rebate)


def taxed_nash_effort(
    commons: HarvestCommons, n_agents: ExprLike, tax: ExprLike = 0, *, rebate: str = "counted"
) -> Number:
    """Total effort of the symmetric Nash equilibrium of ``N`` agents under a rebated harvest tax.

    With ``gamma = c/(qK)`` and ``u = qE/r``. If agents count their own rebate share,
    ``alpha = 1 - t (N-1)/N`` is the share of a marginal apple they keep, and the first-order
    condition ``alpha q x* + q (E/N) dx*/dE = c`` gives ``u = (alpha - gamma)/(alpha + 1/N)``.
    If they ignore it, ``(1 - t)(q x* + q (E/N) dx*/dE) = c`` gives
    ``u = (1 - gamma/(1 - t)) N/(N + 1)``. Zero effort when harvesting does not pay.

    Examples
    --------
    >>> taxed_nash_effort(HarvestCommons(1, 100, 1, 10), 3)
    Fraction(27, 40)
    >>> taxed_nash_effort(HarvestCommons(1, 100, 1, 10), 3, "9/11")
    Fraction(9, 20)
    >>> taxed_nash_effort(HarvestCommons(1, 100, 1, 10), 3, "9/11", rebate="ignored")
    Fraction(27, 80)
    """
    N = count(n_agents, "n_agents", errors=_ERRORS)
    mode = _rebate(rebate)
    t = parameter(tax, "tax", nonnegative=True, errors=_ERRORS)
    if not is_symbolic(t) and t > 1:
        raise CommonsError(f"tax must lie in [0, 1], got {tax!r}")
    r, q, gamma, t = unify(commons.r, commons.q, commons.cost_ratio, t)
    if mode == "counted":
        alpha = 1 - t * (N - 1) / N
        return _clip(r / q * (alpha - gamma) / (alpha + _reciprocal(N, alpha)))
    if not is_symbolic(t) and t == 1:
        return 0
    keep = 1 - t
    return _clip(r / q * (keep - gamma) / keep * N / (N + 1))


def _reciprocal(n: int, like: Number) -> Number:
    """``1/n`` in the arithmetic of ``like``."""
    if is_symbolic(like):
        return sympy.Rational(1, n)
    return Fraction(1, n) if isinstance(like, Fraction) else 1.0 / n


def cournot_effort(commons: HarvestCommons, n_agents: ExprLike) -> Number:
    """Total effort of ``N`` untaxed Cournot agents: ``N/(N+1)`` times the open-access effort.

    ``N = 1`` is the sole owner (the social optimum); ``N -> infinity`` is open access.

    Examples
    --------
    >>> cournot_effort(HarvestCommons(1, 100, 1, 10), 1)
    Fraction(9, 20)
    """
    return taxed_nash_effort(commons, n_agents, 0)


def corrective_tax(
    commons: HarvestCommons, n_agents: ExprLike = 2, *, rebate: str = "counted"
) -> Number:
    """The harvest tax with equal rebate whose Nash equilibrium is the social optimum.

    Rebate counted (default): ``t* = (1 - gamma)/(1 + gamma) = (qK - c)/(qK + c)`` for every
    ``N >= 2``. The rebate returns ``1/N`` of an agent's own tax, which scales the tax's bite
    by ``(N-1)/N`` -- exactly the share of the stock externality an agent does not already
    bear -- so the rate is **independent of N**. For ``N = 1`` every tax is neutral; 0 is
    returned.

    Rebate ignored (a lump sum to the agent): ``t* = (N-1)(1-gamma)/(N(1+gamma) - (1-gamma))``,
    which **rises with N** from 0 (a sole owner needs no tax) to the same limit
    ``(1-gamma)/(1+gamma)``: the tax must cover the growing share of the externality that no
    one internalises. With ``c >= qK`` nobody harvests and the tax is 0.

    Raises
    ------
    CommonsError
        ``rebate="ignored"`` with ``c = 0`` and ``N >= 2``: without a cost the tax only rescales
        payoffs and no rate works (sympy's formula would give the degenerate ``t = 1``).

    Examples
    --------
    >>> corrective_tax(HarvestCommons(1, 100, 1, 10), 5)
    Fraction(9, 11)
    >>> corrective_tax(HarvestCommons(1, 100, 1, 10), 1)
    0
    >>> corrective_tax(HarvestCommons(1, 100, 1, 10), 5, rebate="ignored")
    Fraction(18, 23)
    """
    N = count(n_agents, "n_agents", errors=_ERRORS)
    mode = _rebate(rebate)
    (gamma,) = unify(commons.cost_ratio)
    if N == 1:
        return 0
    if mode == "counted":
        return _clip((1 - gamma) / (1 + gamma))
    if not is_symbolic(gamma) and gamma == 0:
        raise CommonsError(
            "with c = 0 a tax whose rebate agents ignore only rescales their payoff: no linear "
            "tax restores the optimum (rebate='ignored' needs c > 0)"
        )
    return _clip((N - 1) * (1 - gamma) / (N * (1 + gamma) - (1 - gamma)))
