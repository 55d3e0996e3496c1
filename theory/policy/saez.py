"""The Saez optimal marginal rate τ = (1 − G)/(1 − G + a·e): closed forms for Pareto tails and a
binned estimator on the model's own income distribution, as the AI Economist's baseline does.

- a(z) is the local Pareto parameter z̄(z)/(z̄(z) − z), z̄(z) the mean income above z (Saez 2001,
  eq. (8)'s empirical form; it equals α at every z for a Pareto(α) distribution);
- G(z) is the mean welfare weight of the agents above z, weights normalised to mean 1 over the
  population (the AI Economist's default: inverse-income weights g_i ∝ 1/z_i);
- e is the elasticity of income with respect to the net-of-tax rate 1 − τ, measured on the model
  (:func:`theory.policy.economy.income_elasticity`).

The binned estimator evaluates τ(z) on bins of width ``bin_width`` coins (at most ``MAX_BINS`` per
bracket, wider ones beyond) inside each bracket and
gives the bracket their mean (the top bracket: bins up to the highest income); a bracket with
no income above its lower cut-off gets the rate of the bracket below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike

from theory._numbers import Real, fraction, plain, vector
from theory.errors import NoConvergence, PolicyError, PolicyTypeError
from theory.policy.economy import Preferences, follower_equilibria, income_elasticity
from theory.policy.tax import TaxSchedule, free_market
from theory.typing import RealLike, RealsLike

#: At most this many bins per bracket in :func:`saez_rates_binned` (wider bins beyond). τ(z)
#: jumps only at the N agents' incomes, so the bin mean is off from the bracket mean by at most
#: ~N / MAX_BINS; memory grows as bins × N.
MAX_BINS = 100_000

#: The errors this module raises for a bad number (see theory._numbers).
_ERRORS = (PolicyTypeError, PolicyError)

__all__ = [
    "saez_rate",
    "pareto_top_rate",
    "local_pareto_parameter",
    "welfare_weights",
    "saez_rates_binned",
    "MAX_BINS",
    "SaezSchedule",
    "saez_schedule",
]


@dataclass(frozen=True)
class SaezSchedule:
    """The Saez baseline found by :func:`saez_schedule`: the `schedule`, the `rounds` of
    re-estimation used, the last max `change` of a rate, and whether it `converged` (change ≤
    ``tol``; a schedule with ``converged=False`` is the last iterate of an iteration without a
    fixed point, returned only with ``strict=False``)."""

    schedule: TaxSchedule
    rounds: int
    change: float
    converged: bool = True


def saez_rate(G: RealLike, a: RealLike, e: RealLike) -> Real | int:
    """τ = (1 − G)/(1 − G + a e), exact for exact input.

    Raises
    ------
    PolicyError
        G outside [0, 1], a ≤ 0 or e < 0, or G = 1 with a e = 0 (0/0).

    Examples
    --------
    >>> saez_rate(0, 2, "1/2")
    Fraction(1, 2)
    >>> saez_rate("1/2", 3, 1)
    Fraction(1, 7)
    """
    g, aa, ee = (
        fraction(G, "G", errors=_ERRORS),
        fraction(a, "a", errors=_ERRORS),
        fraction(e, "e", errors=_ERRORS),
    )
    if not 0 <= g <= 1:
        raise PolicyError(f"G must lie in [0, 1], got {G!r}")
    if aa <= 0:
        raise PolicyError(f"a must be positive, got {a!r}")
    if ee < 0:
        raise PolicyError(f"e must be non-negative, got {e!r}")
    den = 1 - g + aa * ee
    if den == 0:
        raise PolicyError("G = 1 with a·e = 0 leaves the Saez rate undefined (0/0)")
    out = (1 - g) / den
    return plain(out) if isinstance(out, Fraction) else float(out)


def pareto_top_rate(alpha: RealLike, e: RealLike, G: RealLike = 0) -> Real | int:
    """The top rate for a Pareto(α) tail: a = α at every income, τ = (1 − G)/(1 − G + α e);
    G = 0 is the revenue-maximising (Rawlsian) 1/(1 + α e).

    Examples
    --------
    >>> pareto_top_rate(2, "1/4")
    Fraction(2, 3)
    """
    return saez_rate(G, alpha, e)


def _incomes(incomes: RealsLike) -> np.ndarray:
    z = np.asarray(vector(incomes, "incomes", errors=_ERRORS), dtype=float)
    if np.any(z < 0):
        raise PolicyError(f"incomes must be non-negative, got {z.tolist()}")
    return z


def local_pareto_parameter(incomes: RealsLike, z: RealsLike) -> np.ndarray:
    """a(z) = z̄(z)/(z̄(z) − z) with z̄(z) the mean of the incomes strictly above z (NaN where
    none is above), at each z.

    Examples
    --------
    >>> local_pareto_parameter([1.0, 2.0, 3.0], [0.0, 1.5])
    array([1. , 2.5])
    """
    x = _incomes(incomes)
    zz = np.atleast_1d(np.asarray(z, dtype=float))
    above = x[None, :] > zz[:, None]
    cnt = above.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        zbar = np.where(cnt > 0, (above * x).sum(axis=1) / np.maximum(cnt, 1), np.nan)
        return zbar / (zbar - zz)


def welfare_weights(incomes: RealsLike, kind: str = "inverse_income") -> np.ndarray:
    """Welfare weights normalised to mean 1: ``inverse_income`` (∝ 1/z, the AI Economist's
    default; zero incomes get the largest finite weight's value) or ``utilitarian`` (all 1).

    Examples
    --------
    >>> welfare_weights([1.0, 3.0])
    array([1.5, 0.5])
    """
    x = _incomes(incomes)
    if kind == "utilitarian":
        return np.ones_like(x)
    if kind != "inverse_income":
        raise PolicyError(f"unknown weights {kind!r}; known: ['inverse_income', 'utilitarian']")
    pos = x > 0
    if not pos.any():
        return np.ones_like(x)
    g = np.where(pos, 1.0 / np.where(pos, x, 1.0), np.max(1.0 / x[pos]))
    return g / g.mean()


def saez_rates_binned(
    incomes: RealsLike,
    cutoffs: RealsLike,
    elasticity: float,
    *,
    weights: str = "inverse_income",
    bin_width: float = 1.0,
) -> np.ndarray:
    """Bracket rates from the Saez formula on the income distribution ``incomes`` (module doc).

    Examples
    --------
    >>> saez_rates_binned([10.0, 30.0], [0, 20], 1.0, bin_width=5.0).round(4)
    array([0.1125, 0.1099])
    """
    x = _incomes(incomes)
    e = float(fraction(elasticity, "elasticity", errors=_ERRORS))
    if e < 0:
        raise PolicyError(f"elasticity must be non-negative, got {elasticity!r}")
    if not bin_width > 0:
        raise PolicyError(f"bin_width must be positive, got {bin_width!r}")
    cut, _, _ = free_market(cutoffs).float_arrays()
    g = welfare_weights(x, weights)
    top = float(x.max())
    rates = np.zeros(len(cut))
    for b, lo in enumerate(cut):
        hi = cut[b + 1] if b + 1 < len(cut) else top
        if lo >= top or hi <= lo:
            rates[b] = rates[b - 1] if b > 0 else 0.0
            continue
        end = min(hi, top)
        if (end - lo) / bin_width <= MAX_BINS:
            zs = np.arange(lo, end, bin_width)
        else:  # e.g. one income of 1e9 coins: 1e9 bins would need ~20 GB; same mean, coarser
            zs = np.linspace(lo, end, MAX_BINS, endpoint=False)
        a = local_pareto_parameter(x, zs)
        above = x[None, :] > zs[:, None]
        G = (above * g).sum(axis=1) / above.sum(axis=1)
        den = 1 - G + a * e
        tau = np.where(den > 0, (1 - G) / np.where(den > 0, den, 1.0), 0.0)
        rates[b] = float(np.clip(tau, 0.0, 1.0).mean())
    return rates


def saez_schedule(
    cutoffs: RealsLike,
    skills: ArrayLike,
    preferences: Preferences,
    *,
    nash: bool = True,
    weights: str = "inverse_income",
    rounds: int = 30,
    tol: float = 1e-6,
    strict: bool = True,
) -> SaezSchedule:
    """The Saez baseline as a fixed point: start untaxed, set the bracket rates from the binned
    formula on the equilibrium incomes, re-solve, repeat (the AI Economist re-estimates its Saez
    rates on the incomes it observes). The elasticity is the model's, at the free market.

    Returns a :class:`SaezSchedule`: the schedule, the rounds used and the last max change of a
    rate (≤ ``tol`` if it converged).

    The re-estimation need not have a fixed point (the AI Economist's preferences on 3
    brackets cycle: the change is 0.04 at round 30 and 0.08 at round 60). Then the last
    iterate is not a Saez schedule: with ``strict=True`` (the default) that is an error; with
    ``strict=False`` it is returned flagged ``converged=False``, for a caller that reports it.

    Raises
    ------
    NoConvergence
        If the rates still move by more than `tol` after `rounds` rounds and `strict` is true
        (the message gives the last change and the range the rates moved in).

    Examples
    --------
    >>> from theory.policy.economy import PRESETS, calibrate_skills
    >>> p = PRESETS["one_step"]
    >>> out = saez_schedule([0, 100], calibrate_skills([25.0, 400.0], p), p)
    >>> [round(float(r), 3) for r in out.schedule.rates], out.change < 1e-6
    ([0.335, 0.227], True)
    """
    w = np.asarray(vector(skills, "skills", errors=_ERRORS), dtype=float)
    cut, _, _ = free_market(cutoffs).float_arrays()
    e = income_elasticity(w, preferences)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
        raise PolicyError(f"rounds must be a positive integer, got {rounds!r}")
    rates = np.zeros(len(cut))
    change = np.inf
    used = 0
    history = []
    for used in range(1, rounds + 1):  # noqa: B007 - the count is returned
        z = follower_equilibria(cut, rates[None, :], w, preferences, nash=nash).income[0]
        new = saez_rates_binned(z, cut, e, weights=weights)
        change = float(np.abs(new - rates).max())
        rates = new
        history.append(rates)
        if change <= tol:
            break
    converged = change <= tol
    if not converged and strict:
        last = np.array(history[-10:])
        lows, highs = last.min(axis=0), last.max(axis=0)
        moves = ", ".join(f"[{lo:.3f}, {hi:.3f}]" for lo, hi in zip(lows, highs, strict=True))
        raise NoConvergence(
            used,
            f"saez_schedule's re-estimated rates still move by {change:.3g} > tol {tol:g} "
            f"(over the last {len(last)} rounds each bracket's rate moved in {moves}); the "
            "last iterate is not a Saez schedule (strict=False returns it flagged)",
        )
    return SaezSchedule(TaxSchedule(tuple(cutoffs), rates), used, change, converged)
