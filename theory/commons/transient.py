"""The exact transient of the commons under constant effort: stock path and round harvest.

With ``rho = r - qE`` the stock obeys the logistic equation ``x' = rho x - (r/K) x^2``, solved
in closed form; these float functions broadcast over efforts, initial stocks and times, and
serve the repeated rounds of :mod:`dynamics.commons.rounds`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from theory._numbers import is_symbolic
from theory.commons.errors import CommonsError, CommonsTypeError
from theory.commons.model import HarvestCommons

__all__ = ["stock_path", "round_harvest"]


def _float_arrays(*values: Any, names: tuple[str, ...]) -> list[np.ndarray]:
    out = []
    for v, name in zip(values, names, strict=True):
        try:
            a = np.asarray(v, dtype=float)
        except (TypeError, ValueError) as err:
            raise CommonsTypeError(f"{name} = {v!r} is not a real array") from err
        if not np.all(np.isfinite(a)):
            raise CommonsError(f"{name} contains NaN or inf: {v!r}")
        if np.any(a < 0):
            raise CommonsError(f"{name} must be non-negative, got {v!r}")
        out.append(a)
    return out


def _floats(commons: HarvestCommons) -> tuple[float, float, float]:
    if is_symbolic(commons.r, commons.K, commons.q):
        raise CommonsTypeError("the transient needs numeric parameters, got symbols")
    return float(commons.r), float(commons.K), float(commons.q)


def _growth_integral(rho: np.ndarray, time: np.ndarray) -> np.ndarray:
    """``(exp(rho t) - 1) / rho``, equal to ``t`` at ``rho = 0``; ``rho t`` capped at 700."""
    s = np.minimum(rho * time, 700.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(rho == 0, time, np.expm1(s) / np.where(rho == 0, 1.0, rho))
    return h


def stock_path(
    commons: HarvestCommons, effort: ArrayLike, x0: ArrayLike, time: ArrayLike
) -> np.ndarray:
    """The exact stock at time ``t`` from ``x0`` under constant total effort (float, broadcast).

    With ``rho = r - qE`` the flow is logistic, ``x(t) = x0 e^{rho t} / (1 + x0 (r/K) h)``,
    ``h = (e^{rho t} - 1)/rho`` (``= t`` at ``rho = 0``).

    Examples
    --------
    >>> float(stock_path(HarvestCommons(1, 100, 1), 0.5, 50.0, 3.0))
    50.0
    """
    r, K, q = _floats(commons)
    E, x0, t = _float_arrays(effort, x0, time, names=("effort", "x0", "time"))
    rho = r - q * E
    h = _growth_integral(rho, t)
    growth = np.exp(np.minimum(rho * t, 700.0))
    out = x0 * growth / (1 + x0 * (r / K) * h)
    # beyond the cap the stock has reached its rest point to machine precision
    return np.where(rho * t > 700.0, np.maximum(K * rho / r, 0.0), out)


def round_harvest(
    commons: HarvestCommons, effort: ArrayLike, x0: ArrayLike, duration: ArrayLike
) -> np.ndarray:
    """Total apples harvested in ``[0, T]`` from ``x0`` at constant total effort ``E``.

    ``q E int_0^T x dt = q E (K/r) log(1 + x0 (r/K) h)``, computed as
    ``rho T + log(a + (1 - a) e^{-rho T})`` with ``a = x0 r/(K rho)`` when ``rho T > 0`` so that
    long rounds do not overflow.

    Examples
    --------
    >>> round(float(round_harvest(HarvestCommons(1, 100, 1), 0.5, 50.0, 2.0)), 9)
    50.0
    """
    r, K, q = _floats(commons)
    E, x0, T = _float_arrays(effort, x0, duration, names=("effort", "x0", "duration"))
    rho = r - q * E
    s = rho * T
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a = x0 * r / (K * np.where(rho == 0, 1.0, rho))
        grow = s + np.log(a + (1 - a) * np.exp(-np.maximum(s, 0.0)))
        decay = np.log1p(x0 * (r / K) * _growth_integral(rho, T))
        log_term = np.where((s > 0) & (x0 > 0), grow, decay)
    return q * E * (K / r) * log_term
