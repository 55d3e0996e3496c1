"""The principal as Stackelberg leader: pick bracket rates that maximise the voted objective given
the followers' equilibrium (:mod:`theory.policy.economy`).

Modelling choices, named:

- Objectives are measured on post-tax-and-rebate coins c_i (the AI Economist's coin endowments;
  Social Environment Design's apples after tax), by :func:`theory.policy.welfare.welfare_rows`:
  ``eq_times_prod`` (the AI Economist), ``eta`` (ηΣc + (1 − η)min c, the voted objective),
  ``utilitarian``, ``nash``, ``egalitarian``, ``equality``, ``productivity``.
- A schedule whose followers' iteration did not converge is not a candidate (objective −inf).
- Search: exhaustive on a rate grid when it is small (3 brackets × 11 rates = 1331 schedules,
  as Social Environment Design's principal), otherwise differential evolution (seeded, batched)
  polished by a batched coordinate search; the baselines are always candidates, so the optimum
  is never worse than any of them on the principal's own objective.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import differential_evolution
from tqdm import tqdm

from theory.errors import PolicyError
from theory.policy.economy import (
    DEFAULT_INCOMES,
    FollowerEquilibrium,
    Preferences,
    calibrate_skills,
    follower_equilibria,
    follower_equilibrium,
)
from theory.policy.tax import (
    US_FEDERAL_2018_CUTOFFS,
    US_FEDERAL_2018_RATES,
    TaxSchedule,
    free_market,
    us_federal_2018,
)
from theory.policy.welfare import equality, welfare_rows
from theory.typing import RealsLike, Seed

__all__ = [
    "RATE_GRID",
    "GRID_TIE_RTOL",
    "OPTIMUM_RTOL",
    "PolicyOutcome",
    "GridSearch",
    "OptimisedRates",
    "evaluate",
    "objective_values",
    "grid_search",
    "optimise_rates",
    "compare_baselines",
]


RATE_GRID: tuple[float, ...] = tuple(k / 10 for k in range(11))
"""Social Environment Design's rate grid: 0, 10, ..., 100 %."""

#: Objective values within ``GRID_TIE_RTOL × max(1, |best|)`` of the best are ties: the followers'
#: equilibrium is solved to a rebate tolerance of 1e-10 relative (theory.policy.economy), so
#: differences below ~1e-10 of the scale are round-off (3e-14 on 240 picked (0, 0, 0.1) over
#: (0, 0, 0) once), while 1e-9 still separates every real difference seen (>= 1e-5).
GRID_TIE_RTOL = 1e-9
#: Restarts of :func:`optimise_rates` whose value is within ``OPTIMUM_RTOL × |best|`` of the best
#: reached the optimum: the coordinate polish ends with rate steps of 0.05/4^4 ≈ 2e-4, which
#: moves an objective of slope <= 1 per unit rate (relative) by <= 2e-4 near a kink; 1e-6 is
#: below that only where the optimum is smooth, so it separates distinct local optima (the
#: one_step economy's 346.47 and 347.86 differ by 4e-3) but not optimiser noise at a kink --
#: the spread over restarts is reported beside it.
OPTIMUM_RTOL = 1e-6


def _ties(vals: np.ndarray, rtol: float) -> np.ndarray:
    """Indices of the values within ``rtol · max(1, |best|)`` of the best (finite), in order."""
    best = float(np.max(vals))
    return np.flatnonzero(vals >= best - rtol * max(1.0, abs(best)))


@dataclass(frozen=True)
class PolicyOutcome:
    """One schedule, its followers' equilibrium and its scores on post-tax coins; for an
    optimised schedule, the `search` that found it (its restarts and their spread)."""

    name: str
    schedule: TaxSchedule
    equilibrium: FollowerEquilibrium
    equality: float
    productivity: float
    eq_times_prod: float
    objective: float
    search: OptimisedRates | None = None


@dataclass(frozen=True)
class GridSearch:
    """The result of :func:`grid_search`: the best `rates` (shape (B,)) and their `value`, every
    searched row `all_rates` (shape (K, B)) with its value in `all_values` (shape (K,)), and
    `optimal_rates` (shape (M, B)): every row tied with the best within ``GRID_TIE_RTOL``, in
    lexicographic order (`rates` is the first)."""

    rates: np.ndarray
    value: float
    all_rates: np.ndarray
    all_values: np.ndarray
    optimal_rates: np.ndarray


@dataclass(frozen=True)
class OptimisedRates:
    """The result of :func:`optimise_rates`: the best bracket `rates` found and their `value`;
    each restart's best rates (`restart_rates`, shape (R, B)) and value (`restart_values`,
    shape (R,)). :attr:`optimal_rates` are the restarts that reached the best within
    ``OPTIMUM_RTOL``; :attr:`spread` is best minus worst restart value."""

    rates: np.ndarray
    value: float
    restart_rates: np.ndarray
    restart_values: np.ndarray

    @property
    def optimal_rates(self) -> np.ndarray:
        """The restarts' rates whose value is within ``OPTIMUM_RTOL`` of the best."""
        v = self.restart_values
        ok = v >= self.value - OPTIMUM_RTOL * max(1.0, abs(self.value))
        return self.restart_rates[ok]

    @property
    def spread(self) -> float:
        """Best minus worst restart value (0 for one restart)."""
        return float(self.value - np.min(self.restart_values))


def objective_values(
    cutoffs: RealsLike,
    rates: ArrayLike,
    skills: ArrayLike,
    preferences: Preferences,
    *,
    objective: str = "eq_times_prod",
    eta: float | None = None,
    nash: bool = True,
) -> np.ndarray:
    """The objective at the followers' equilibrium of each row of ``rates`` (shape (K, B));
    −inf where the equilibrium iteration did not converge.

    Examples
    --------
    >>> from theory.policy.economy import PRESETS
    >>> objective_values([0], [[0.0], [0.5]], [1.0, 2.0], PRESETS["one_step"], objective="equality")
    array([0.4, 0.7])
    """
    out = follower_equilibria(cutoffs, rates, skills, preferences, nash=nash)
    vals = welfare_rows(out.consumption, objective, eta=eta)
    return np.where(out.converged, vals, -np.inf)


def evaluate(
    schedule: TaxSchedule,
    skills: ArrayLike,
    preferences: Preferences,
    *,
    objective: str = "eq_times_prod",
    eta: float | None = None,
    nash: bool = True,
    name: str = "",
) -> PolicyOutcome:
    """Score one schedule: equality, productivity and eq·prod of post-tax coins, and the objective.

    Examples
    --------
    >>> from theory.policy.economy import PRESETS
    >>> from theory.policy.tax import free_market
    >>> out = evaluate(free_market([0]), [1.0, 2.0], PRESETS["one_step"])
    >>> out.productivity, out.equality
    (2.5, 0.4)
    """
    eq = follower_equilibrium(schedule, skills, preferences, nash=nash)
    c = eq.consumption
    value = float(welfare_rows(c[None, :], objective, eta=eta)[0]) if eq.converged else -np.inf
    e, p = float(equality(c)), float(c.sum())
    return PolicyOutcome(name, schedule, eq, e, p, e * p, value)


def _check_grid(rate_grid: RealsLike) -> np.ndarray:
    g = np.unique(np.asarray(rate_grid, dtype=float))
    if g.ndim != 1 or g.size == 0 or not np.all((g >= 0) & (g <= 1)):
        raise PolicyError(f"rate_grid must be rates in [0, 1], got {rate_grid!r}")
    return g


def grid_search(
    cutoffs: RealsLike,
    skills: ArrayLike,
    preferences: Preferences,
    *,
    rate_grid: RealsLike = RATE_GRID,
    objective: str = "eq_times_prod",
    eta: float | None = None,
    nash: bool = True,
    brackets: Sequence[int] | None = None,
    max_schedules: int = 200_000,
    chunk: int = 4096,
) -> GridSearch:
    """Exhaustive search over every schedule with rates on ``rate_grid`` in every bracket (or
    only in `brackets`, the others untaxed: e.g. leaving out brackets that every agent crosses,
    whose tax comes back as an equal rebate, and those above every income).

    Returns a :class:`GridSearch` (the best rates and value, every row and its value, and the
    rows tied with the best). Values within ``GRID_TIE_RTOL · max(1, |best|)`` of the best are
    ties (the followers' equilibrium is not solved more precisely than that), and ties go to
    the first row in lexicographic order. Searches of four chunks or more show a progress bar.

    Raises
    ------
    PolicyError
        More than ``max_schedules`` schedules, or a bad grid.

    Examples
    --------
    >>> from theory.policy.economy import PRESETS
    >>> out = grid_search([0], [1.0, 2.0], PRESETS["one_step"],
    ...                   rate_grid=[0, 0.5, 1], objective="egalitarian")
    >>> out.rates, round(out.value, 4)
    (array([0.5]), 0.6562)
    """
    g = _check_grid(rate_grid)
    welfare_rows(np.ones((1, 2)), objective, eta=eta)  # validate the objective once, up front
    B = len(TaxSchedule(cutoffs, [0] * len(list(cutoffs))).rates)
    free = list(range(B)) if brackets is None else [int(b) for b in brackets]
    if not free or len(set(free)) != len(free) or not all(0 <= b < B for b in free):
        raise PolicyError(f"brackets must be distinct indices in 0..{B - 1}, got {brackets!r}")
    if g.size ** len(free) > max_schedules:
        raise PolicyError(
            f"{g.size}^{len(free)} = {g.size ** len(free)} schedules exceed max_schedules"
        )
    rows = np.zeros((g.size ** len(free), B))
    rows[:, free] = np.array(list(itertools.product(g, repeat=len(free))), dtype=float)
    starts = range(0, len(rows), chunk)
    bar = tqdm(starts, desc="grid search", unit="chunk", disable=len(starts) < 4, leave=False)
    vals = np.concatenate(
        [
            objective_values(
                cutoffs,
                rows[i : i + chunk],
                skills,
                preferences,
                objective=objective,
                eta=eta,
                nash=nash,
            )
            for i in bar
        ]
    )
    if not np.any(np.isfinite(vals)):
        raise PolicyError("no schedule on the grid has a converged followers' equilibrium")
    tied = _ties(vals, GRID_TIE_RTOL)
    k = int(tied[0])
    return GridSearch(rows[k], float(vals[k]), rows, vals, rows[tied])


def optimise_rates(
    cutoffs: RealsLike,
    skills: ArrayLike,
    preferences: Preferences,
    *,
    objective: str = "eq_times_prod",
    eta: float | None = None,
    nash: bool = True,
    candidates: Sequence[RealsLike] | np.ndarray = (),
    maxiter: int = 60,
    popsize: int = 12,
    restarts: int = 1,
    rng: Seed = None,
) -> OptimisedRates:
    """Global (differential evolution, seeded and batched) + local (coordinate search on shrinking
    grids, batched: ``_coordinate_polish``) maximisation of the
    objective over bracket rates in [0, 1]; every row of ``candidates`` (e.g. the baselines) is
    seeded into the initial population and kept if it is better.

    The problem can have several strict local optima (the one_step economy on the 7 US
    brackets: 346.474 and 347.858), which one run of differential evolution need not tell
    apart: ``restarts`` independent runs (the first on `rng`'s stream, the others on spawned
    streams) are made and the best kept; the result lists every restart's best, so the spread
    and the set of optimal schedules can be reported.

    Raises
    ------
    PolicyError
        Candidates outside [0, 1], a bad objective, or `restarts` < 1.

    Examples
    --------
    >>> from theory.policy.economy import PRESETS
    >>> out = optimise_rates([0], [1.0, 2.0], PRESETS["one_step"], objective="egalitarian",
    ...                      rng=0, maxiter=20)
    >>> # closed form: c_1 = (1 − τ/2)(1 + 3τ/2)/2, max at 2/3
    >>> round(float(out.rates[0]), 3), round(out.value, 4)
    (0.667, 0.6667)
    """
    gen = np.random.default_rng(rng)
    if isinstance(restarts, bool) or not isinstance(restarts, int) or restarts < 1:
        raise PolicyError(f"restarts must be a positive integer, got {restarts!r}")
    welfare_rows(np.ones((1, 2)), objective, eta=eta)  # validate the objective once, up front
    B = len(TaxSchedule(cutoffs, [0] * len(list(cutoffs))).rates)
    cand = (
        np.asarray(candidates, dtype=float).reshape(-1, B) if len(candidates) else np.empty((0, B))
    )
    if cand.size and not np.all((cand >= 0) & (cand <= 1)):
        raise PolicyError("candidate rates must lie in [0, 1]")

    def neg(x: np.ndarray) -> np.ndarray:  # x: (B, S) when vectorised
        X = np.clip(np.atleast_2d(x.T), 0.0, 1.0)
        v = objective_values(
            cutoffs, X, skills, preferences, objective=objective, eta=eta, nash=nash
        )
        return np.where(np.isfinite(v), -v, 1e300)

    size = max(popsize * B, len(cand) + 5)
    streams = [gen, *gen.spawn(restarts - 1)]
    bests, values = [], []
    for stream in tqdm(streams, desc="restarts", unit="run", disable=restarts < 4, leave=False):
        init = stream.uniform(0, 1, (size, B))
        init[: len(cand)] = cand
        res = differential_evolution(
            neg,
            [(0.0, 1.0)] * B,
            init=init,
            maxiter=maxiter,
            tol=1e-10,
            seed=stream,
            polish=False,
            vectorized=True,
            updating="deferred",
        )
        local = _coordinate_polish(neg, np.clip(res.x, 0.0, 1.0))
        pool = np.vstack([cand, res.x, local])
        vals = -neg(pool.T)
        k = int(np.argmax(vals))
        bests.append(pool[k])
        values.append(float(vals[k]))
    V = np.array(values)
    k = int(np.argmax(V))
    return OptimisedRates(bests[k], float(V[k]), np.array(bests), V)


def _coordinate_polish(
    neg: Any, x: np.ndarray, *, step: float = 0.05, points: int = 21, rounds: int = 5
) -> np.ndarray:
    """Local search: for each bracket in turn, try ``points`` rates within ±step of the current
    one (all at once, one batched equilibrium call) and keep the best; shrink the step 4× per
    round. Never worse than the start (the start is among the points)."""
    best = x.copy()
    offsets = np.linspace(-1.0, 1.0, points)
    for _ in range(rounds):
        for b in range(len(best)):
            trial = np.repeat(best[None, :], points, axis=0)
            trial[:, b] = np.clip(best[b] + step * offsets, 0.0, 1.0)
            vals = neg(trial.T)
            k = int(np.argmin(vals))
            if vals[k] < neg(best[:, None])[0]:
                best = trial[k]
        step /= 4
    return best


def compare_baselines(
    preferences: Preferences,
    *,
    incomes: RealsLike = DEFAULT_INCOMES,
    cutoffs: RealsLike = US_FEDERAL_2018_CUTOFFS,
    objective: str = "eq_times_prod",
    eta: float | None = None,
    nash: bool = True,
    maxiter: int = 60,
    restarts: int = 1,
    rng: Seed = None,
) -> tuple[PolicyOutcome, ...]:
    """The AI Economist's comparison in this model: free market, US federal, Saez and the
    principal's optimised schedule, on the US cut-offs, for agents whose free-market incomes are
    ``incomes`` (:func:`theory.policy.economy.calibrate_skills`).

    The Saez schedule is :func:`theory.policy.saez.saez_schedule`'s fixed point; the optimiser
    is :func:`optimise_rates` with all three baselines as candidates and `restarts` runs; the
    optimised outcome carries that search (``.search``: every restart's value and rates).

    Raises
    ------
    NoConvergence
        If the Saez re-estimation has no fixed point on these cut-offs (never a silent iterate).

    Examples
    --------
    >>> from theory.policy.economy import PRESETS
    >>> out = compare_baselines(PRESETS["one_step"], maxiter=3, rng=0)
    >>> [o.name for o in out]
    ['free market', 'US federal', 'Saez', 'optimised']
    >>> out[3].objective >= max(o.objective for o in out[:3])
    True
    """
    from theory.policy.saez import saez_schedule

    if len(list(incomes)) < 2:
        raise PolicyError(f"incomes must list at least two agents, got {list(incomes)!r}")
    w = calibrate_skills(incomes, preferences)
    saez = saez_schedule(cutoffs, w, preferences, nash=nash).schedule
    base = {
        "free market": free_market(cutoffs),
        "US federal": TaxSchedule(cutoffs, US_FEDERAL_2018_RATES)
        if len(list(cutoffs)) == len(US_FEDERAL_2018_RATES)
        else us_federal_2018(),
        "Saez": saez,
    }
    cands = [np.asarray(s.float_arrays()[2]) for s in base.values()]
    search = optimise_rates(
        cutoffs,
        w,
        preferences,
        objective=objective,
        eta=eta,
        nash=nash,
        candidates=cands,
        maxiter=maxiter,
        restarts=restarts,
        rng=rng,
    )
    base["optimised"] = TaxSchedule(cutoffs, search.rates)
    out = [
        evaluate(s, w, preferences, objective=objective, eta=eta, nash=nash, name=k)
        for k, s in base.items()
    ]
    out[-1] = replace(out[-1], search=search)
    return tuple(out)
