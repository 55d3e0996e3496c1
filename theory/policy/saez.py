"""The Saez optimal marginal rate τ = (1 − G)/(1 − G + a·e): closed forms for Pareto tails and a
binned estimator on the model's own income distribution, as the AI Economist's baseline does.

- a(z) is the local Pareto parameter z̄(z)/(z̄(z) − z), z̄(z) the mean income above z (Saez 2001,
  eq. (8)'s empirical form; it equals α at every z for a Pareto(α) distribution);
- G(z) is the mean welfare weight of the agents above z, weights normalised to mean 1 over the
  population (the AI Economist's default: inverse-income weights g_i ∝ 1/z_i);
- e is the elasticity of income with respect to the net-of-tax rate 1 − τ, measured on the model
  (:func:`income_elasticity`).

The binned estimator evaluates τ(z) on bins of width ``bin_width`` coins (at most ``MAX_BINS`` per
bracket, wider ones beyond) inside each bracket and
gives the bracket their mean (the top bracket: bins up to the highest income); a bracket with
no income above its lower cut-off gets the rate of the bracket below it.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from theory._numbers import Real, fraction, plain, vector
from theory.errors import PolicyError, PolicyTypeError
from theory.policy.economy import Preferences, _best_response
from theory.policy.tax import TaxSchedule, free_market

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
    "income_elasticity",
    "saez_schedule",
]


def saez_rate(G: Any, a: Any, e: Any) -> Real | int:
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


def pareto_top_rate(alpha: Any, e: Any, G: Any = 0) -> Real | int:
    """The top rate for a Pareto(α) tail: a = α at every income, τ = (1 − G)/(1 − G + α e);
    G = 0 is the revenue-maximising (Rawlsian) 1/(1 + α e).

    Examples
    --------
    >>> pareto_top_rate(2, "1/4")
    Fraction(2, 3)
    """
    return saez_rate(G, alpha, e)


def _incomes(incomes: Any) -> np.ndarray:
    z = np.asarray(vector(incomes, "incomes", errors=_ERRORS), dtype=float)
    if np.any(z < 0):
        raise PolicyError(f"incomes must be non-negative, got {z.tolist()}")
    return z


def local_pareto_parameter(incomes: Any, z: Any) -> np.ndarray:
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


def welfare_weights(incomes: Any, kind: str = "inverse_income") -> np.ndarray:
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
    incomes: Any,
    cutoffs: Any,
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


def income_elasticity(
    skills: Any, preferences: Preferences, *, rate: float = 0.0, h: float = 1e-4
) -> float:
    """e = d ln Σz / d ln(1 − τ) under a flat rate τ with the rebate held fixed at 0 (price-taking,
    uncompensated), by a central difference of step ``h`` in ln(1 − τ).

    Closed forms (checked in the tests): 1/η − 1 for γ = 1, 1/(γ − 1) for η = 0.

    Examples
    --------
    >>> from theory.policy.economy import PRESETS
    >>> round(income_elasticity([1.0, 2.0], PRESETS["one_step"]), 6)
    1.0
    """
    w = np.asarray(vector(skills, "skills", errors=_ERRORS), dtype=float)
    if not 0 <= rate < 1:
        raise PolicyError(f"rate must lie in [0, 1), got {rate!r}")
    s0 = np.log(1 - rate)
    taus = 1 - np.exp([s0 - h, s0 + h])
    cut = np.zeros(1)
    l, _ = _best_response(w, cut, taus[:, None], np.zeros((2, len(w))), 0.0, preferences)
    total = (w * l).sum(axis=1)
    return float((np.log(total[1]) - np.log(total[0])) / (2 * h))


def saez_schedule(
    cutoffs: Any,
    skills: Any,
    preferences: Preferences,
    *,
    nash: bool = True,
    weights: str = "inverse_income",
    rounds: int = 30,
    tol: float = 1e-6,
) -> tuple[TaxSchedule, int, float]:
    """The Saez baseline as a fixed point: start untaxed, set the bracket rates from the binned
    formula on the equilibrium incomes, re-solve, repeat (the AI Economist re-estimates its Saez
    rates on the incomes it observes). The elasticity is the model's, at the free market.

    Returns the schedule, the rounds used and the last max change of a rate (≤ ``tol`` if it
    converged).

    Examples
    --------
    >>> from theory.policy.economy import PRESETS, calibrate_skills
    >>> p = PRESETS["one_step"]
    >>> sched, rounds, change = saez_schedule([0, 100], calibrate_skills([25.0, 400.0], p), p)
    >>> [round(float(r), 3) for r in sched.rates], change < 1e-6
    ([0.335, 0.227], True)
    """
    from theory.policy.economy import equilibria

    w = np.asarray(vector(skills, "skills", errors=_ERRORS), dtype=float)
    cut, _, _ = free_market(cutoffs).float_arrays()
    e = income_elasticity(w, preferences)
    rates = np.zeros(len(cut))
    change = np.inf
    used = 0
    for used in range(1, rounds + 1):  # noqa: B007 - the count is returned
        z = equilibria(cut, rates[None, :], w, preferences, nash=nash)["income"][0]
        new = saez_rates_binned(z, cut, e, weights=weights)
        change = float(np.abs(new - rates).max())
        rates = new
        if change <= tol:
            break
    return TaxSchedule(tuple(cutoffs), rates), used, change
