"""Repeated rounds of Social Environment Design on the commons, with a greedy principal.

Each round: the agents vote (η = mean reported selfishness, the seed's rule) → the principal
picks the harvest tax that maximises that round's objective ``η Σ_i y_i + (1 - η) min_i y_i`` →
the agents play for ``T`` time units → the final stock is the next round's start.

Modelling choices, named:

* **Truthful, fixed types**: types are drawn once and reported truthfully, so η is the same in
  every round (the vote is still taken each round).
* **Agents play the stationary Nash efforts** of :func:`theory.commons.steady_state_nash` for the
  announced tax (equal split where only the total is determined; the least-effort equilibrium if
  several), whatever the current stock: they are not re-optimising the round's transient.
* **Greedy principal** (the seed's open problem): it maximises the current round's objective
  only, predicting the round with the exact mean-field transient
  (:func:`~theory.commons.round_harvest`) from the stock it observes; taxes come from a finite
  grid (11 rates 0, 0.1,
  ..., 1 by default, as Social Environment Design's grid per bracket); ties go to the lowest tax.
* **Incomes** ``y_i`` are apples after tax and equal rebate (the seed writes apples collected;
  the utilitarian term is the same either way, the egalitarian term sees redistribution).
* **Play** is either the mean field (exact) or the stochastic ``M``-site orchard of
  :mod:`dynamics.commons.stochastic`, one principal per run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from dynamics._checks import integer_at_least
from dynamics.commons.stochastic import simulate_commons
from dynamics.errors import ParameterError
from theory.commons import (
    HarvestCommons,
    HarvesterType,
    as_harvester_types,
    round_harvest,
    steady_state_nash,
    steady_stock,
    stock_path,
)
from theory.policy.voting import AgentTypes, eta_mean_selfishness
from theory.policy.welfare import eta_interpolation, welfare_rows

__all__ = [
    "DEFAULT_TAX_GRID",
    "RoundsResult",
    "GreedyLimit",
    "nash_efforts_by_tax",
    "greedy_limits",
    "greedy_rounds",
]

#: The greedy principal's tax grid: 0, 0.1, ..., 1 (Social Environment Design's grid).
DEFAULT_TAX_GRID = tuple(i / 10 for i in range(11))


@dataclass(frozen=True)
class RoundsResult:
    """Trajectory of repeated rounds.

    ``stocks`` has shape ``(runs, rounds_done + 1)``; ``taxes`` and ``harvest`` (total apples
    per round) have shape ``(runs, rounds_done)``. ``interrupted`` is True when a
    ``KeyboardInterrupt`` stopped the loop (everything computed so far is kept).
    """

    round_length: float
    eta: float
    tax_grid: tuple[float, ...]
    stocks: np.ndarray
    taxes: np.ndarray
    harvest: np.ndarray
    interrupted: bool = False

    @property
    def long_run_stock(self) -> float:
        """Mean stock over the last half of the rounds (and over runs)."""
        tail = self.stocks[:, self.stocks.shape[1] // 2 :]
        return float(tail.mean())


def nash_efforts_by_tax(
    commons: HarvestCommons,
    types: Sequence[HarvesterType] | AgentTypes,
    tax_grid: Sequence[float | Fraction | str] = DEFAULT_TAX_GRID,
) -> np.ndarray:
    """The agents' stationary Nash efforts for every tax of the grid, shape ``(taxes, N)``.

    Examples
    --------
    >>> from theory.commons import HarvesterType
    >>> nash_efforts_by_tax(HarvestCommons(1, 100, 1, 10), [HarvesterType(1, 1)] * 2, [0, 1])
    array([[0.3, 0.3],
           [0.2, 0.2]])
    """
    rows = []
    for t in tax_grid:
        equilibria = steady_state_nash(commons, types, t, continuum="equal")
        rows.append([float(v) for v in equilibria[0].efforts])
    return np.array(rows)


@dataclass(frozen=True)
class GreedyLimit:
    """The greedy principal's tax and the stock it settles at, for very short or long rounds."""

    short_tax: Fraction | float
    short_stock: Any  # Any: exact (int, Fraction) for exact input, else float or sympy number
    long_tax: Fraction | float
    long_stock: Any  # Any: as short_stock


def greedy_limits(
    commons: HarvestCommons,
    types: Sequence[HarvesterType] | AgentTypes,
    tax_grid: Sequence[float | Fraction | str] = DEFAULT_TAX_GRID,
) -> GreedyLimit:
    """Exact limits of the greedy rounds as ``T -> 0`` and ``T -> infinity``.

    Short rounds: a round's apples are ``q e_i x T`` to first order, so every agent's income is
    proportional to the current stock and the principal's choice does not depend on it; the
    stock then settles at the stable stock of the chosen tax. Long rounds: the round is
    dominated by the stationary harvest ``q e_i x*(E)``, and the principal picks the tax whose
    steady state scores best. Ties go to the lowest tax. Exact for exact input.

    Examples
    --------
    >>> from theory.commons import HarvesterType
    >>> lim = greedy_limits(HarvestCommons(1, 100, 1), [HarvesterType(1, 1)] * 4, ["0", "1"])
    >>> lim.short_tax, lim.short_stock, lim.long_tax, lim.long_stock
    (Fraction(0, 1), 20, Fraction(1, 1), 50)
    """
    types = as_harvester_types(types)
    if len(types) < 2:
        raise ParameterError("greedy rounds need at least 2 agents (a vote and a minimum)")
    eta = eta_mean_selfishness([ty.selfishness for ty in types])
    best: dict[str, tuple[Any, Any, Any]] = {}
    for raw in tax_grid:
        eq = steady_state_nash(commons, types, raw, continuum="equal")[0]
        t = Fraction(raw) if isinstance(raw, str | int | Fraction) else float(raw)
        E = eq.total_effort
        x = steady_stock(commons, E)
        for label, stock in (("short", 1), ("long", x)):
            apples = [commons.q * e * stock for e in eq.efforts]
            mean = sum(apples) / len(apples)
            incomes = [(1 - t) * a + t * mean for a in apples]
            score = eta_interpolation(incomes, eta)
            if label not in best or score > best[label][0]:
                best[label] = (score, t, x)
    return GreedyLimit(best["short"][1], best["short"][2], best["long"][1], best["long"][2])


def _check(round_length: Any, rounds: Any, tax_grid: Any, types: Any) -> tuple[float, int, tuple]:
    T = float(round_length)
    if not np.isfinite(T) or T <= 0:
        raise ParameterError(f"round_length must be positive and finite, got {round_length!r}")
    rounds = integer_at_least(rounds, "rounds", 1)
    grid = tuple(float(t) for t in tax_grid)
    if not grid or any(not 0 <= t <= 1 for t in grid):
        raise ParameterError(f"tax_grid must be non-empty rates in [0, 1], got {tax_grid!r}")
    if len(tuple(types)) < 2:
        raise ParameterError("greedy rounds need at least 2 agents (a vote and a minimum)")
    return T, rounds, grid


def greedy_rounds(
    commons: HarvestCommons,
    types: Sequence[HarvesterType] | AgentTypes,
    *,
    round_length: float,
    rounds: int,
    x0: float,
    tax_grid: Sequence[float | Fraction | str] = DEFAULT_TAX_GRID,
    sites: int | None = None,
    runs: int = 1,
    progress: bool = False,
    rng: int | np.random.Generator | None = None,
) -> RoundsResult:
    """Play ``rounds`` rounds of vote → greedy tax → play; mean field if ``sites`` is None.

    Parameters
    ----------
    commons : HarvestCommons
    types : sequence of theory.commons.HarvesterType, or theory.policy.voting.AgentTypes
        At least two agents.
    round_length : float
        ``T``, the time each round's play lasts.
    rounds : int
    x0 : float
        Stock at the start of the first round, in ``[0, K]``.
    tax_grid : sequence of float in [0, 1]
    sites : int or None
        Play on the stochastic ``M``-site orchard (``runs`` independent histories) if given.
    runs : int
    progress : bool
        Show a tqdm bar over rounds.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    RoundsResult

    Examples
    --------
    >>> from theory.commons import HarvesterType
    >>> res = greedy_rounds(HarvestCommons(1.0, 100.0, 1.0, 10.0), [HarvesterType(1, 1)] * 3,
    ...                     round_length=50.0, rounds=3, x0=100.0)
    >>> res.taxes.shape, round(float(res.stocks[0, -1]), 1)
    ((1, 3), 50.0)
    """
    rng = np.random.default_rng(rng)
    types = as_harvester_types(types)
    T, rounds, grid = _check(round_length, rounds, tax_grid, types)
    stochastic = sites is not None
    if stochastic:  # checked here: int(sites) would truncate 30.5 to 30
        sites = integer_at_least(sites, "sites", 1)
        runs = integer_at_least(runs, "runs", 1)
    eta = float(eta_mean_selfishness([ty.selfishness for ty in types]))
    efforts = nash_efforts_by_tax(commons, types, grid)  # (G, N)
    totals = efforts.sum(axis=1)
    share = np.divide(
        efforts, totals[:, None], out=np.zeros_like(efforts), where=totals[:, None] > 0
    )
    taxes = np.array(grid)
    R = runs if stochastic else 1
    if not np.isfinite(x0) or not 0 <= float(x0) <= float(commons.K):
        raise ParameterError(f"x0 must lie in [0, K], got {x0!r}")
    x = np.full(R, float(x0))
    stocks, chosen, harvest = [x.copy()], [], []
    interrupted = False
    try:
        for _ in tqdm(range(rounds), disable=not progress, desc="rounds"):
            # the vote: types are fixed and truthful, so eta is recomputed but unchanged
            eta = float(eta_mean_selfishness([ty.selfishness for ty in types]))
            H = round_harvest(commons, totals[None, :], x[:, None], T)  # (R, G)
            apples = H[:, :, None] * share[None]  # (R, G, N)
            incomes = (1 - taxes)[None, :, None] * apples + (
                taxes[None, :, None] * apples.mean(axis=2, keepdims=True)
            )
            score = welfare_rows(incomes.reshape(-1, len(types)), "eta", eta=eta).reshape(R, -1)
            pick = np.argmax(score, axis=1)  # first maximum: the lowest tax among ties
            if sites is not None:
                play = simulate_commons(
                    commons,
                    efforts[pick],
                    sites=sites,
                    x0=x,
                    times=[0.0, T],
                    runs=R,
                    rng=rng,
                )
                x = play.stock[:, -1]
                harvest.append(play.harvests.sum(axis=1))
            else:
                harvest.append(H[np.arange(R), pick])
                x = stock_path(commons, totals[pick], x, T)
            chosen.append(taxes[pick])
            stocks.append(np.asarray(x, dtype=float).copy())
    except KeyboardInterrupt:
        interrupted = True
    return RoundsResult(
        round_length=T,
        eta=eta,
        tax_grid=grid,
        stocks=np.stack(stocks, axis=1),
        taxes=np.stack(chosen, axis=1) if chosen else np.zeros((R, 0)),
        harvest=np.stack(harvest, axis=1) if harvest else np.zeros((R, 0)),
        interrupted=interrupted,
    )
