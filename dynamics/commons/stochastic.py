"""The commons as a stochastic birth-death process on ``M`` sites, and its linear-noise limit.

Modelling choices, named:

* **Sites**: the orchard has ``M`` sites, each empty or holding one apple; ``n`` apples stand for
  the stock ``x = K n / M``, so ``M -> infinity`` at fixed ``K`` is the mean field of
  :mod:`theory.commons.model`.
* **Global regrowth** (well mixed): an empty site is seeded at rate ``r n / M``, so apples appear
  at total rate ``r n (1 - n/M)`` -- the logistic term. (The Harvest game's *local* rule is in
  :mod:`dynamics.commons.grid`.)
* **Harvest**: every apple is picked at rate ``q E``; the picker is agent ``i`` with probability
  ``e_i / E``. ``n = 0`` is absorbing: "if all apples are harvested, they never grow back".
* **Exact simulation**: Gillespie's direct method, one clock per run, all runs advanced together
  in numpy arrays.

The linear-noise approximation (van Kampen) for the density ``phi = n/M``, with drift
``f(phi) = r phi (1 - phi) - qE phi`` and noise intensity ``g(phi) = r phi (1 - phi) + qE phi``:
``Var(n) ~ M S(t)`` with ``S' = 2 f'(phi) S + g(phi)``, and a mean shift ``<n>/M = phi + m/M``
with ``m' = f'(phi) m + f''(phi) S / 2``. At the interior rest point ``phi* = 1 - u``,
``u = qE/r``, this gives ``S* = g/(2|f'|) = u``: ``SD(x) = K sqrt(u / M)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.integrate import solve_ivp
from tqdm.auto import tqdm

from dynamics._checks import integer_at_least
from dynamics.errors import ParameterError
from theory.commons import HarvestCommons

__all__ = [
    "CommonsRun",
    "LinearNoise",
    "simulate_commons",
    "linear_noise",
    "stationary_variance",
    "agreement_tolerance",
    "K_SIGMA",
]

#: Simulation means are compared with the mean field within K_SIGMA standard errors plus the
#: O(1/M) linear-noise mean shift. Runs are independent, so the mean of R runs has variance
#: Var/R, Gaussian by the CLT for R >= 100; 4 SE leave a two-sided false-alarm probability of
#: 6.3e-5 per comparison, under 0.3 % for the <= 50 comparisons a test or experiment makes.
K_SIGMA = 4.0


@dataclass(frozen=True)
class CommonsRun:
    """Runs of the stochastic commons.

    ``stock`` has shape ``(runs, len(times))`` in stock units (``K n / M``); ``harvests`` has
    shape ``(runs, N)``: apples each agent picked in ``[0, times[-1]]``, in the same units;
    ``extinct`` marks runs with no apple left at the end. If a ``KeyboardInterrupt`` stopped the
    run, ``interrupted`` is True and only the sample times every run had reached are kept
    (``harvests`` then counts up to the interruption).
    """

    times: np.ndarray
    stock: np.ndarray
    harvests: np.ndarray
    extinct: np.ndarray
    sites: int
    interrupted: bool = False


@dataclass(frozen=True)
class LinearNoise:
    """Linear-noise prediction: deterministic stock, its variance and mean shift, per time."""

    times: np.ndarray
    mean: np.ndarray
    variance: np.ndarray
    bias: np.ndarray


def _times(times: Any) -> np.ndarray:
    t = np.atleast_1d(np.asarray(times, dtype=float))
    if t.ndim != 1 or not np.all(np.isfinite(t)) or np.any(t < 0) or np.any(np.diff(t) < 0):
        raise ParameterError(f"times must be finite, non-negative and increasing, got {times!r}")
    return t


def _params(commons: HarvestCommons) -> tuple[float, float, float]:
    if not isinstance(commons, HarvestCommons):
        raise ParameterError(f"commons must be a HarvestCommons, got {commons!r}")
    try:
        return float(commons.r), float(commons.K), float(commons.q)
    except TypeError as err:
        raise ParameterError("the simulation needs numeric commons parameters") from err


def _initial_counts(x0: Any, K: float, M: int, runs: int) -> np.ndarray:
    x = np.broadcast_to(np.asarray(x0, dtype=float), (runs,))
    if not np.all(np.isfinite(x)) or np.any(x < 0) or np.any(x > K):
        raise ParameterError(f"x0 must lie in [0, K] = [0, {K}], got {x0!r}")
    return np.rint(x * M / K).astype(np.int64)


def _efforts(efforts: Any, runs: int) -> np.ndarray:
    e = np.asarray(efforts, dtype=float)
    if e.ndim == 1:
        e = np.broadcast_to(e, (runs, e.size))
    if e.ndim != 2 or e.shape[0] != runs or e.shape[1] < 1:
        raise ParameterError(f"efforts must have shape (N,) or (runs, N), got {np.shape(efforts)}")
    if not np.all(np.isfinite(e)) or np.any(e < 0):
        raise ParameterError(f"efforts must be finite and non-negative, got {efforts!r}")
    return e


def simulate_commons(
    commons: HarvestCommons,
    efforts: ArrayLike,
    *,
    sites: int,
    x0: ArrayLike,
    times: ArrayLike,
    runs: int = 1,
    progress: bool = False,
    rng: int | np.random.Generator | None = None,
) -> CommonsRun:
    """Simulate ``runs`` independent orchards of ``sites`` sites exactly (Gillespie).

    Parameters
    ----------
    commons : HarvestCommons
    efforts : array_like, shape (N,) or (runs, N)
        Each agent's effort (per run if 2-D).
    sites : int
        Number of sites ``M >= 1``.
    x0 : float or array_like (runs,)
        Initial stock in ``[0, K]``; rounded to ``n0 = round(x0 M / K)`` apples.
    times : array_like
        Increasing sample times; the stock is recorded at each.
    runs : int
    progress : bool
        Show a tqdm bar over the sample times reached by every run.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    CommonsRun

    Examples
    --------
    >>> run = simulate_commons(HarvestCommons(1.0, 1.0), [0.5], sites=50, x0=0.5, times=[0, 1],
    ...                        runs=3, rng=1)
    >>> run.stock.shape, run.harvests.shape
    ((3, 2), (3, 1))
    """
    rng = np.random.default_rng(rng)
    r, K, q = _params(commons)
    M = integer_at_least(sites, "sites", 1)
    runs = integer_at_least(runs, "runs", 1)
    t_obs = _times(times)
    n = _initial_counts(x0, K, M, runs)
    e = _efforts(efforts, runs)
    E = e.sum(axis=1)
    cum = np.cumsum(e, axis=1)
    t_end = t_obs[-1]
    now = np.zeros(runs)
    nxt = np.zeros(runs, dtype=np.int64)  # next sample index per run
    counts = np.zeros((runs, len(t_obs)), dtype=np.int64)
    picked = np.zeros(e.shape, dtype=np.int64)
    rows = np.arange(runs)
    bar = tqdm(total=len(t_obs), disable=not progress, desc="samples")
    interrupted = False
    try:
        while True:
            birth = r * n * (1.0 - n / M)
            death = q * E * n
            total = birth + death
            with np.errstate(divide="ignore"):
                dt = np.where(total > 0, rng.exponential(size=runs) / total, np.inf)
            then = now + dt
            # record the current state at every sample time passed before the next event
            while True:
                due = (nxt < len(t_obs)) & (t_obs[np.minimum(nxt, len(t_obs) - 1)] < then)
                if not due.any():
                    break
                counts[due, nxt[due]] = n[due]
                nxt[due] += 1
            bar.update(int(nxt.min()) - bar.n)
            if np.all(nxt >= len(t_obs)):
                break
            fire = then <= t_end
            is_birth = rng.random(runs) * total < birth
            n = n + np.where(fire, np.where(is_birth, 1, -1), 0)
            harvested = fire & ~is_birth
            if harvested.any():
                u = rng.random(runs) * E
                who = np.minimum((cum < u[:, None]).sum(axis=1), e.shape[1] - 1)
                np.add.at(picked, (rows[harvested], who[harvested]), 1)
            now = then
    except KeyboardInterrupt:
        interrupted = True
    finally:
        bar.close()
    done = int(nxt.min())
    if interrupted:
        t_obs, counts = t_obs[:done], counts[:, :done]
    unit = K / M
    extinct = n == 0  # the state at the last event not after times[-1] (or the interruption)
    return CommonsRun(t_obs, counts * unit, picked * unit, extinct, M, interrupted)


def linear_noise(
    commons: HarvestCommons, effort: float, *, sites: int, x0: float, times: ArrayLike
) -> LinearNoise:
    """Linear-noise prediction for the stock at total effort ``E`` from ``x0`` (``M`` sites).

    The initial density is the simulator's ``round(x0 M / K) / M``; the variance starts at 0.

    Examples
    --------
    >>> ln = linear_noise(HarvestCommons(1.0, 1.0), 0.5, sites=1000, x0=0.5, times=[0, 50])
    >>> float(ln.variance[-1]) * 1000   # the stationary value u = qE/r
    0.5
    """
    r, K, q = _params(commons)
    M = integer_at_least(sites, "sites", 1)
    t_obs = _times(times)
    E = float(effort)
    if not np.isfinite(E) or E < 0:
        raise ParameterError(f"effort must be finite and non-negative, got {effort!r}")
    phi0 = float(_initial_counts(x0, K, M, 1)[0]) / M

    def rhs(_: float, y: np.ndarray) -> list[float]:
        phi, S, m = y
        slope = r * (1 - 2 * phi) - q * E
        return [
            r * phi * (1 - phi) - q * E * phi,
            2 * slope * S + r * phi * (1 - phi) + q * E * phi,
            slope * m - r * S,
        ]

    sol = solve_ivp(
        rhs,
        (0.0, t_obs[-1]),
        [phi0, 0.0, 0.0],
        t_eval=t_obs,
        rtol=1e-10,
        atol=1e-13,
        method="LSODA",
    )
    phi, S, m = sol.y
    return LinearNoise(t_obs, K * phi, K**2 * S / M, K * m / M)


def stationary_variance(commons: HarvestCommons, effort: float, *, sites: int) -> float:
    """Stationary linear-noise variance of the stock, ``K^2 u / M`` with ``u = qE/r < 1``.

    Examples
    --------
    >>> stationary_variance(HarvestCommons(1.0, 100.0), 0.25, sites=100)
    25.0
    """
    r, K, q = _params(commons)
    M = integer_at_least(sites, "sites", 1)
    u = q * float(effort) / r
    if not 0 <= u < 1:
        raise ParameterError(f"effort must lie in [0, r/q) for an interior stock, got {effort!r}")
    return K**2 * u / M


def agreement_tolerance(noise: LinearNoise, runs: int, *, k: float = K_SIGMA) -> np.ndarray:
    """``k`` standard errors of a ``runs``-run mean, plus the ``O(1/M)`` mean shift, per time.

    Examples
    --------
    >>> ln = linear_noise(HarvestCommons(1.0, 1.0), 0.5, sites=1000, x0=0.5, times=[50])
    >>> float(agreement_tolerance(ln, 100)[0]) > 4 * (0.5 / 1000 / 100) ** 0.5
    True
    """
    runs = integer_at_least(runs, "runs", 1)
    return k * np.sqrt(noise.variance / runs) + np.abs(noise.bias)
