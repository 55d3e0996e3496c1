"""Gather-and-Build, the AI Economist's world, as a batched numpy core over copies and a
PettingZoo ``ParallelEnv`` view of one copy.

Modelling choices, named (the AI Economist's Foundation is the reference; where this differs it
says so):

- **World**: an ``size × size`` grid per copy. Wood and stone grow on *source* cells laid out as
  square patches (``patches`` of each resource, side ``patch``, placed at random); a source cell
  holds at most one unit and an empty one regrows a unit with probability ``regrow`` per step.
- **Agents** start on random free cells. Actions (one per agent per step): 0 no-op, 1–4 move
  up/down/left/right, 5 build, then the market orders ``6 + (resource·2 + side)·P + price``
  (resource 0 wood, 1 stone; side 0 bid, 1 ask; price 0..P−1 coins). A move into the grid's edge
  or a house is a no-op (no labour). Agents do not block each other.
- **Gather**: moving onto a cell with a unit collects it, plus a bonus unit with probability equal
  to the agent's *harvester skill*. Agents move and gather one after the other in index order
  within a step (so two agents entering one cell cannot both collect its unit).
- **Build**: one wood and one stone become a house on the agent's cell (if the cell has neither a
  house nor a source); the agent earns its *builder skill* in coins.
- **Market**: a continuous double auction per resource. A bid escrows its price in coins, an ask
  escrows one unit; each agent keeps at most ``max_orders`` open orders per resource and side, and
  an order that cannot be placed (no capacity, too few coins, no unit) is not placed. Orders are
  matched after every step: while the highest bid is at least the lowest ask of *another* agent,
  they trade at the price of the older order (the ask on a tie); the buyer's unused escrow comes
  back. When the best bid and the best ask belong to the same agent, matching of that resource
  stops for the step (Foundation forbids self-trades the same way). Orders expire after
  ``order_life`` steps, and the book is cleared (escrow returned) at the end of every tax period,
  so that taxes are paid from liquid coins.
- **Labour**: move 0.21, build 2.1, placing an order 0.05 (Foundation's costs); a no-op is free.
  Utility is isoelastic in coins minus labour, u = crra_η(coins + 1) − labour with η = 0.23
  (:func:`theory.policy.economy.crra`; the +1 keeps u finite at zero coins for every η).
- **Taxes**: ``tax_periods`` periods per episode; at the end of each the period's income (the
  increase of the agent's coins, escrow included, floored at 0) is taxed by the planner's bracket
  rates on ``cutoffs`` (:meth:`theory.policy.tax.TaxSchedule.bracket_incomes`) and the total is
  rebated equally. The planner's action (a rate index per bracket) sets the rates of the period
  in which it acts last.
- **Skills**: harvester skill and builder skill from Pareto distributions (shape
  ``pareto_shape``): builder payout ``10 · min(Pareto, 3)`` coins (the AI Economist's
  10–30 coin range), harvester bonus probability ``min(0.5·(Pareto − 1), 1)``.
- Rewards: a worker's is the change of its utility over the step; the planner's the change of
  eq·prod of coins (:func:`theory.policy.welfare.welfare_rows`).

Everything random is drawn from the ``rng`` handed to :func:`gather_build_reset` and
:func:`gather_build_step`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from gymnasium import spaces
from numpy.typing import ArrayLike
from pettingzoo import ParallelEnv

from dynamics._checks import live_agent_actions
from dynamics.errors import ActionError, ParameterError
from theory.policy.economy import crra
from theory.policy.principal import RATE_GRID
from theory.policy.tax import US_FEDERAL_2018_CUTOFFS, TaxSchedule, free_market
from theory.policy.welfare import welfare_rows

__all__ = [
    "GatherBuild",
    "GatherBuildState",
    "GatherBuildStep",
    "gather_build_reset",
    "gather_build_step",
    "MOVES",
    "GatherBuildEnv",
    "Ledger",
    "ledger",
]

#: Row and column offsets of actions 1–4 (up, down, left, right).
MOVES = np.array([[0, 0], [-1, 0], [1, 0], [0, -1], [0, 1]])
MOVE_LABOUR, BUILD_LABOUR, TRADE_LABOUR = 0.21, 2.1, 0.05  # Foundation's labour costs
ETA = 0.23  # Foundation's isoelastic curvature


@dataclass(frozen=True)
class GatherBuild:
    """The fixed parameters of a Gather-and-Build world (see the module docstring).

    Raises
    ------
    ParameterError
        Non-positive sizes or counts, probabilities outside [0, 1], bad cut-offs, patches that do
        not fit the grid.

    Examples
    --------
    >>> GatherBuild().actions
    50
    """

    size: int = 25
    agents: int = 4
    steps: int = 1000
    tax_periods: int = 10
    patches: int = 2
    patch: int = 4
    regrow: float = 0.01
    max_orders: int = 5
    order_life: int = 50
    prices: int = 11
    pareto_shape: float = 4.0
    cutoffs: tuple[Any, ...] = US_FEDERAL_2018_CUTOFFS  # Any: numbers TaxSchedule accepts
    rate_grid: tuple[float, ...] = RATE_GRID

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if f.type == "int" and (isinstance(v, bool) or not isinstance(v, int) or v < 1):
                raise ParameterError(f"{f.name} must be an integer >= 1, got {v!r}")
        if not 0 <= self.regrow <= 1:
            raise ParameterError(f"regrow must lie in [0, 1], got {self.regrow!r}")
        if not self.pareto_shape > 0:
            raise ParameterError(f"pareto_shape must be > 0, got {self.pareto_shape!r}")
        if self.steps % self.tax_periods:
            raise ParameterError(f"steps ({self.steps}) must be a multiple of tax_periods")
        if self.patch > self.size or self.agents < 2:
            raise ParameterError("patch must fit the grid and there must be >= 2 agents")
        try:
            free_market(self.cutoffs)
        except ValueError as err:
            raise ParameterError(f"cutoffs: {err}") from None
        g = np.asarray(self.rate_grid, dtype=float)
        if g.ndim != 1 or g.size == 0 or not np.all((g >= 0) & (g <= 1)):
            raise ParameterError(f"rate_grid must be rates in [0, 1], got {self.rate_grid!r}")

    @property
    def actions(self) -> int:
        """The number of worker actions: 6 + 4 × prices."""
        return 6 + 4 * self.prices

    @property
    def brackets(self) -> int:
        """The number of tax brackets."""
        return len(self.cutoffs)

    @property
    def period(self) -> int:
        """Steps per tax period."""
        return self.steps // self.tax_periods


@dataclass
class GatherBuildState:
    """The state of C copies (mutable arrays, stepped in place by :func:`gather_build_step`).

    Shapes: ``wood``, ``stone``, ``wood_source``, ``stone_source`` (C, H, W) bool;
    ``wood_cells``, ``stone_cells`` (C, S) the flat indices of the source cells, padded, with
    ``wood_valid``, ``stone_valid`` (C, S) marking the real ones (regrowth draws only there);
    ``houses``
    (C, H, W) int (owner, −1 none); ``position`` (C, N, 2); ``inventory`` (C, N, 2) int (wood,
    stone, not counting escrow); ``coins``, ``labour``, ``harvest``, ``build``, ``period_start``
    (C, N) float; ``bids``, ``asks`` (C, 2, N, K) int prices (−1: no order; resource first) with
    ``bid_time``, ``ask_time`` the step each was placed; ``rates`` (C, B) rate indices; ``t``
    steps done; ``gathered`` (C, 2) int units taken from the grid or created as bonus;
    ``houses_built`` (C,) int; ``taxes`` (C,) total taxes collected; ``rebates`` (C,) total
    rebated; ``utility`` (C, N) and ``welfare`` (C,) now (kept so that a step computes them once);
    ``activity`` (C, N, 3) int: each agent's houses built, units gathered (bonuses included) and
    market orders placed so far (what its occupation is judged by); ``income`` (C, N) each
    agent's pre-tax income in the last finished tax period (0 before the first).
    """

    wood: np.ndarray
    stone: np.ndarray
    wood_source: np.ndarray
    stone_source: np.ndarray
    wood_cells: np.ndarray
    wood_valid: np.ndarray
    stone_cells: np.ndarray
    stone_valid: np.ndarray
    houses: np.ndarray
    position: np.ndarray
    inventory: np.ndarray
    coins: np.ndarray
    labour: np.ndarray
    harvest: np.ndarray
    build: np.ndarray
    period_start: np.ndarray
    bids: np.ndarray
    asks: np.ndarray
    bid_time: np.ndarray
    ask_time: np.ndarray
    rates: np.ndarray
    t: int
    gathered: np.ndarray
    houses_built: np.ndarray
    taxes: np.ndarray
    rebates: np.ndarray
    utility: np.ndarray
    welfare: np.ndarray
    activity: np.ndarray
    income: np.ndarray

    def copy(self) -> GatherBuildState:
        """A deep copy."""
        return GatherBuildState(
            **{  # type: ignore[arg-type]
                f.name: (v.copy() if isinstance(v := getattr(self, f.name), np.ndarray) else v)
                for f in fields(self)
            }
        )

    def slice(self, c: int) -> GatherBuildState:
        """Copy ``c`` alone, as a batch of one (a view: writes go to this state)."""
        return GatherBuildState(
            **{  # type: ignore[arg-type]
                f.name: (v[c : c + 1] if isinstance(v := getattr(self, f.name), np.ndarray) else v)
                for f in fields(self)
            }
        )


@dataclass(frozen=True)
class GatherBuildStep:
    """Rewards of one step: ``workers`` (C, N), ``planner`` (C,); ``done`` after the last step."""

    workers: np.ndarray
    planner: np.ndarray
    done: bool


def _utility_and_welfare(state: GatherBuildState) -> tuple[np.ndarray, np.ndarray]:
    """Every worker's utility and each copy's eq·prod of coins (escrow included), computing the
    escrow once."""
    held = state.coins + _escrow_coins(state)
    return crra(held + 1.0, ETA) - state.labour, welfare_rows(held, "eq_times_prod")


def _per_agent(x: np.ndarray) -> np.ndarray:
    """Sum of a (C, 2, N, K) book array over resources and slots, (C, N): a matrix product and
    one addition, as numpy's reductions over short axes are slow."""
    C, R, N, K = x.shape
    per = (x.reshape(-1, K) @ np.ones(K)).reshape(C, R, N)
    return per[:, 0] + per[:, 1]


def _escrow_coins(state: GatherBuildState) -> np.ndarray:
    return _per_agent(np.maximum(state.bids, 0).astype(float))


def gather_build_reset(
    world: GatherBuild, copies: int, *, rng: int | np.random.Generator | None = None
) -> GatherBuildState:
    """C fresh copies: patches, full sources, agents on random free cells, Pareto skills.

    Examples
    --------
    >>> s = gather_build_reset(GatherBuild(), 3, rng=0)
    >>> s.position.shape, int(s.wood.sum(axis=(1, 2))[0]) == int(s.wood_source[0].sum())
    ((3, 4, 2), True)
    """
    rng = np.random.default_rng(rng)
    if not isinstance(world, GatherBuild):
        raise ParameterError(f"world must be a GatherBuild, got {type(world).__name__}")
    if isinstance(copies, bool) or not isinstance(copies, int | np.integer) or copies < 1:
        raise ParameterError(f"copies must be an integer >= 1, got {copies!r}")
    C, H, N, K = int(copies), world.size, world.agents, world.max_orders
    src = np.zeros((2, C, H, H), dtype=bool)
    rows = np.arange(C)[:, None, None]
    off = np.arange(world.patch)
    for r in range(2):
        for _ in range(world.patches):
            top = rng.integers(0, H - world.patch + 1, (C, 2))
            ii = (top[:, 0, None] + off)[:, :, None]
            jj = (top[:, 1, None] + off)[:, None, :]
            src[r][rows, ii, jj] = True
    src[1] &= ~src[0]  # a cell is a source of one resource at most
    free = ~(src[0] | src[1])
    pos = np.empty((C, N, 2), dtype=np.intp)
    for c in range(C):  # random free cells (every grid has many)
        spots = np.flatnonzero(free[c])
        pick = rng.choice(spots, N, replace=False)
        pos[c] = np.stack([pick // H, pick % H], axis=1)
    a = world.pareto_shape
    harvest = np.minimum(0.5 * rng.pareto(a, (C, N)), 1.0)  # Pareto − 1 is numpy's Lomax
    build = 10.0 * np.minimum(rng.pareto(a, (C, N)) + 1.0, 3.0)
    z = np.zeros((C, N))
    cells, valid = [], []
    for r in range(2):
        flat = src[r].reshape(C, H * H)
        S = max(1, int(flat.sum(axis=1).max()))
        order = np.argsort(~flat, axis=1, kind="stable")[:, :S]  # source cells first
        cells.append(np.ascontiguousarray(order))
        valid.append(np.take_along_axis(flat, order, axis=1))
    state = GatherBuildState(
        wood=src[0].copy(),
        stone=src[1].copy(),
        wood_source=src[0],
        stone_source=src[1],
        wood_cells=cells[0],
        wood_valid=valid[0],
        stone_cells=cells[1],
        stone_valid=valid[1],
        houses=np.full((C, H, H), -1, dtype=np.intp),
        position=pos,
        inventory=np.zeros((C, N, 2), dtype=np.int64),
        coins=z.copy(),
        labour=z.copy(),
        harvest=harvest,
        build=build,
        period_start=z.copy(),
        bids=np.full((C, 2, N, K), -1, dtype=np.int64),
        asks=np.full((C, 2, N, K), -1, dtype=np.int64),
        bid_time=np.zeros((C, 2, N, K), dtype=np.int64),
        ask_time=np.zeros((C, 2, N, K), dtype=np.int64),
        rates=np.zeros((C, world.brackets), dtype=np.intp),
        t=0,
        gathered=np.zeros((C, 2), dtype=np.int64),
        houses_built=np.zeros(C, dtype=np.int64),
        taxes=np.zeros(C),
        rebates=np.zeros(C),
        utility=z.copy(),
        welfare=np.zeros(C),
        activity=np.zeros((C, N, 3), dtype=np.int64),
        income=z.copy(),
    )
    state.utility, state.welfare = _utility_and_welfare(state)
    return state


def _check(actions: Any, shape: tuple[int, ...], high: int, name: str) -> np.ndarray:
    a = np.asarray(actions)
    if a.dtype == bool or not np.issubdtype(a.dtype, np.integer):
        raise ActionError(f"{name} must be integer action indices, got dtype {a.dtype}")
    if a.shape != shape:
        raise ActionError(f"{name} must have shape {shape}, got {a.shape}")
    if a.size and (a.min() < 0 or a.max() >= high):
        raise ActionError(f"{name} must lie in [0, {high - 1}], got values {a.min()}..{a.max()}")
    return a.astype(np.intp, copy=False)


def gather_build_step(
    world: GatherBuild,
    state: GatherBuildState,
    actions: ArrayLike,
    rates: ArrayLike | None = None,
    *,
    rng: int | np.random.Generator | None = None,
) -> GatherBuildStep:
    """Step every copy once, in place (see the module docstring for the rules).

    Parameters
    ----------
    actions : int array (C, N)
        Each worker's action.
    rates : int array (C, B), optional
        The planner's rate indices for the current period (kept from before when None).

    Raises
    ------
    ActionError
        Actions of the wrong shape, type or range; a step after the episode's end.

    Examples
    --------
    >>> w = GatherBuild()
    >>> s = gather_build_reset(w, 2, rng=0)
    >>> out = gather_build_step(w, s, np.zeros((2, 4), dtype=int), rng=0)
    >>> out.workers.shape, s.t
    ((2, 4), 1)
    """
    rng = np.random.default_rng(rng)
    C, N = state.coins.shape
    if state.t >= world.steps:
        raise ActionError("the episode is over: reset before stepping")
    a = _check(actions, (C, N), world.actions, "actions")
    if rates is not None:
        state.rates = _check(rates, (C, world.brackets), len(world.rate_grid), "rates").copy()
    u0, w0 = state.utility, state.welfare
    H = world.size
    cc = np.arange(C)
    # ---- moves and gathering, agent by agent
    for i in range(N):
        move = (a[:, i] >= 1) & (a[:, i] <= 4)
        target = state.position[:, i] + MOVES[np.where(move, a[:, i], 0)]
        inside = np.all((target >= 0) & (target < H), axis=1)
        tr, tc = np.clip(target[:, 0], 0, H - 1), np.clip(target[:, 1], 0, H - 1)
        ok = move & inside & (state.houses[cc, tr, tc] < 0)
        state.position[ok, i] = target[ok]
        state.labour[ok, i] += MOVE_LABOUR
        r, c = state.position[:, i, 0], state.position[:, i, 1]
        for k, grid in enumerate((state.wood, state.stone)):
            got = ok & grid[cc, r, c]
            grid[cc[got], r[got], c[got]] = False
            bonus = got & (rng.random(C) < state.harvest[:, i])
            units = got.astype(np.int64) + bonus
            state.inventory[:, i, k] += units
            state.gathered[:, k] += units
            state.activity[:, i, 1] += units
    # ---- building
    r, c = state.position[..., 0], state.position[..., 1]
    for i in range(N):
        ri, ci = r[:, i], c[:, i]
        can = (
            (a[:, i] == 5)
            & np.all(state.inventory[:, i] >= 1, axis=1)
            & (state.houses[cc, ri, ci] < 0)
            & ~state.wood_source[cc, ri, ci]
            & ~state.stone_source[cc, ri, ci]
        )
        state.inventory[can, i] -= 1
        state.houses[cc[can], ri[can], ci[can]] = i
        state.coins[can, i] += state.build[can, i]
        state.labour[can, i] += BUILD_LABOUR
        state.houses_built += can
        state.activity[:, i, 0] += can
    # ---- market orders
    P = world.prices
    order = a >= 6
    code = np.where(order, a - 6, 0)
    res, side, price = code // (2 * P), (code // P) % 2, code % P
    for i in range(N):
        for book, placed, is_bid in (
            (state.bids, state.bid_time, True),
            (state.asks, state.ask_time, False),
        ):
            want = order[:, i] & (side[:, i] == (0 if is_bid else 1))
            slots = book[cc, res[:, i], i]  # (C, K)
            empty = slots < 0
            if is_bid:
                afford = state.coins[:, i] >= price[:, i]
            else:
                afford = state.inventory[cc, i, res[:, i]] >= 1
            place = want & empty.any(axis=1) & afford
            slot = empty.argmax(axis=1)
            book[cc[place], res[place, i], i, slot[place]] = price[place, i]
            placed[cc[place], res[place, i], i, slot[place]] = state.t
            state.activity[place, i, 2] += 1
            if is_bid:
                state.coins[place, i] -= price[place, i]
            else:
                state.inventory[cc[place], i, res[place, i]] -= 1
        state.labour[order[:, i], i] += TRADE_LABOUR
    _match(state, world)
    # ---- ageing, expiry, regrowth
    old = state.t - world.order_life  # placed at or before: older than order_life after this step
    _cancel(state, state.bid_time <= old, state.ask_time <= old)
    here = r * H + c  # (C, N) flat cells of the agents
    for grid, cells, valid in (
        (state.wood, state.wood_cells, state.wood_valid),
        (state.stone, state.stone_cells, state.stone_valid),
    ):
        flat = grid.reshape(C, H * H)
        occupied = cells == here[:, :1]
        for i in range(1, N):  # a loop over agents: any() over a short axis is slow
            occupied |= cells == here[:, i : i + 1]
        empty = valid & ~flat[cc[:, None], cells] & ~occupied
        grow = empty & (rng.random(cells.shape) < world.regrow)
        flat[cc[:, None].repeat(cells.shape[1], axis=1)[grow], cells[grow]] = True
    state.t += 1
    # ---- taxes at the end of a period
    if state.t % world.period == 0:
        _cancel(state, state.bids >= 0, state.asks >= 0)
        z = np.maximum(state.coins - state.period_start, 0.0)
        state.income = z
        sched = TaxSchedule(world.cutoffs, [0] * world.brackets)
        tau = np.asarray(world.rate_grid, dtype=float)[state.rates]
        T = np.minimum(np.einsum("cnb,cb->cn", sched.bracket_incomes(z), tau), z)
        rebate = T.mean(axis=1)
        state.coins += rebate[:, None] - T
        state.taxes += T.sum(axis=1)
        state.rebates += rebate * N
        state.period_start = state.coins.copy()
    state.utility, state.welfare = _utility_and_welfare(state)
    return GatherBuildStep(state.utility - u0, state.welfare - w0, state.t >= world.steps)


def _cancel(state: GatherBuildState, bid_mask: np.ndarray, ask_mask: np.ndarray) -> None:
    """Cancel the masked orders and return their escrow."""
    bid_mask = bid_mask & (state.bids >= 0)
    ask_mask = ask_mask & (state.asks >= 0)
    C, R, N, K = state.bids.shape
    state.coins += _per_agent(np.where(bid_mask, state.bids, 0).astype(float))
    units = (ask_mask.reshape(-1, K).astype(float) @ np.ones(K)).reshape(C, R, N)
    state.inventory += units.transpose(0, 2, 1).astype(np.int64)
    state.bids[bid_mask] = -1
    state.asks[ask_mask] = -1


def _match(state: GatherBuildState, world: GatherBuild) -> None:
    """Match crossing bids and asks of different agents, per copy and resource (module docs).

    Each new order trades at most once and the book is uncrossed after a step (but for an
    agent's own bid and ask), so ``agents`` rounds suffice; each round works only on the
    (copy, resource) pairs that still cross."""
    C, R, N, K = state.bids.shape
    bp = state.bids.reshape(C * R, N * K)  # views: writes reach the state
    ap = state.asks.reshape(C * R, N * K)
    bt = state.bid_time.reshape(C * R, N * K)
    at = state.ask_time.reshape(C * R, N * K)
    big = np.iinfo(np.int64).max // 4
    rows = np.arange(C * R)
    for _ in range(N):
        # best bid: highest price, then oldest; best ask: lowest price, then oldest
        bkey = np.where(bp[rows] >= 0, bp[rows] * 2**32 - bt[rows], -big)
        akey = np.where(ap[rows] >= 0, ap[rows] * 2**32 + at[rows], big)
        bi, ai = bkey.argmax(axis=1), akey.argmin(axis=1)
        bprice, aprice = bp[rows, bi], ap[rows, ai]
        trade = (bprice >= 0) & (aprice >= 0) & (bprice >= aprice) & (bi // K != ai // K)
        if not trade.any():
            return
        rows, bi, ai, bprice, aprice = (
            rows[trade],
            bi[trade],
            ai[trade],
            bprice[trade],
            aprice[trade],
        )
        price = np.where(bt[rows, bi] < at[rows, ai], bprice, aprice)  # the older order's price
        c, r, b, s = rows // R, rows % R, bi // K, ai // K
        # one agent may trade wood and stone in the same round: accumulate, never overwrite
        np.add.at(state.coins, (c, b), bprice - price)  # unused escrow back to the buyer
        np.add.at(state.coins, (c, s), price)
        np.add.at(state.inventory, (c, b, r), 1)
        bp[rows, bi] = -1
        ap[rows, ai] = -1


@dataclass(frozen=True)
class Ledger:
    """The accounts of C copies, each pair equal when the rules conserve what they should.

    ``held`` (C, 2): wood and stone in inventories, in open asks and in houses (one each);
    ``gathered`` (C, 2): units taken from the grid or created as harvest bonuses. ``coins``
    (C,): coins held and escrowed in bids; ``paid`` (C,): every house's payout to its builder
    (trades move coins, taxes are rebated). ``taxes``, ``rebates`` (C,): totals so far.
    """

    held: np.ndarray
    gathered: np.ndarray
    coins: np.ndarray
    paid: np.ndarray
    taxes: np.ndarray
    rebates: np.ndarray

    def largest_gap(self) -> float:
        """The largest difference in any pair, relative to max(1, the pair's size)."""
        gaps = [
            np.abs(a - b) / np.maximum(1.0, np.abs(b))
            for a, b in (
                (self.held, self.gathered),
                (self.coins, self.paid),
                (self.taxes, self.rebates),
            )
        ]
        return float(max(g.max() for g in gaps))


def ledger(state: GatherBuildState) -> Ledger:
    """The accounts of every copy of ``state`` (see :class:`Ledger`).

    Examples
    --------
    >>> s = gather_build_reset(GatherBuild(size=10), 2, rng=0)
    >>> ledger(s).largest_gap()
    0.0
    """
    C, R, N, K = state.bids.shape
    asks = (state.asks >= 0).sum(axis=3).sum(axis=2)
    held = state.inventory.sum(axis=1) + asks + state.houses_built[:, None]
    owner = state.houses.reshape(C, -1)
    payout = np.take_along_axis(state.build, np.maximum(owner, 0), axis=1)
    paid = np.where(owner >= 0, payout, 0.0).sum(axis=1)
    coins = state.coins.sum(axis=1) + np.maximum(state.bids, 0).sum(axis=(1, 2, 3))
    return Ledger(
        held, state.gathered.copy(), coins, paid, state.taxes.copy(), state.rebates.copy()
    )


VIEW = 2  # a worker sees the (2·VIEW + 1)² cells around it


class GatherBuildEnv(ParallelEnv):  # type: ignore[misc]
    """One copy of Gather-and-Build behind PettingZoo's ``ParallelEnv`` API.

    Agents ``worker_0 ..`` (``Discrete(world.actions)``) and ``planner``
    (``MultiDiscrete([len(rate_grid)] * B)``: the current period's rate indices). Every step calls
    :func:`gather_build_step` on a batch of one. A worker observes (time left, row, column, wood,
    stone, coins, labour, harvester and builder skill, the B rates) and its 5 × 5 neighbourhood's
    wood, stone and houses (−1 outside the grid); the planner observes (time left, every worker's
    coins, the B rates).

    Examples
    --------
    >>> env = GatherBuildEnv(GatherBuild(size=8, steps=20, tax_periods=2))
    >>> obs, infos = env.reset(seed=0)
    >>> acts = {a: env.action_space(a).sample() for a in env.agents}
    >>> obs, rewards, terms, truncs, infos = env.step(acts)
    >>> sorted(rewards) == sorted(env.possible_agents)
    True
    """

    metadata = {"name": "gather_build_v0", "render_modes": []}

    def __init__(self, world: GatherBuild) -> None:
        if not isinstance(world, GatherBuild):
            raise ParameterError(f"world must be a GatherBuild, got {type(world).__name__}")
        self.world = world
        n, b = world.agents, world.brackets
        self.possible_agents = [f"worker_{i}" for i in range(n)] + ["planner"]
        self.agents: list[str] = []
        side = 2 * VIEW + 1
        self._obs_spaces = {
            **{
                f"worker_{i}": spaces.Box(-np.inf, np.inf, (9 + b + 3 * side * side,), np.float32)
                for i in range(n)
            },
            "planner": spaces.Box(-np.inf, np.inf, (1 + n + b,), np.float32),
        }
        self._act_spaces = {
            **{f"worker_{i}": spaces.Discrete(world.actions) for i in range(n)},
            "planner": spaces.MultiDiscrete([len(world.rate_grid)] * b),
        }
        self._rng = np.random.default_rng()
        self.state: GatherBuildState | None = None

    def observation_space(self, agent: str) -> spaces.Space:
        return self._obs_spaces[agent]

    def action_space(self, agent: str) -> spaces.Space:
        return self._act_spaces[agent]

    def _observe(self) -> dict[str, np.ndarray]:
        s, w = self.state, self.world
        assert s is not None
        left = np.float32(1 - s.t / w.steps)
        rates = np.asarray(w.rate_grid, dtype=float)[s.rates[0]]
        grids = np.stack([s.wood[0], s.stone[0], s.houses[0] >= 0]).astype(np.float32)
        padded = np.pad(grids, ((0, 0), (VIEW, VIEW), (VIEW, VIEW)), constant_values=-1.0)
        obs = {}
        for i in range(w.agents):
            r, c = s.position[0, i]
            view = padded[:, r : r + 2 * VIEW + 1, c : c + 2 * VIEW + 1].ravel()
            own = [left, r, c, *s.inventory[0, i], s.coins[0, i], s.labour[0, i]]
            own += [s.harvest[0, i], s.build[0, i], *rates]
            obs[f"worker_{i}"] = np.concatenate([np.asarray(own, np.float32), view])
        obs["planner"] = np.asarray([left, *s.coins[0], *rates], np.float32)
        return obs

    def reset(
        self, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, np.ndarray], dict[str, dict[str, Any]]]:
        if seed is not None:
            self._rng = np.random.default_rng(seed)
            for k, agent in enumerate(self.possible_agents):
                self._act_spaces[agent].seed(seed + k)
        self.state = gather_build_reset(self.world, 1, rng=self._rng)
        self.agents = list(self.possible_agents)
        return self._observe(), {a: {} for a in self.agents}

    def step(self, actions: dict[str, Any]) -> tuple[dict[str, Any], ...]:
        if self.state is None:
            raise ActionError("the episode is over: call reset() before step()")
        live_agent_actions(self.agents, actions)
        n = self.world.agents
        for i in range(n):
            if np.asarray(actions[f"worker_{i}"]).size != 1:
                raise ActionError(f"worker_{i}'s action must be one index")
        a = np.array([[np.asarray(actions[f"worker_{i}"]).reshape(()) for i in range(n)]])
        rates = np.asarray(actions["planner"]).reshape(1, -1)
        out = gather_build_step(self.world, self.state, a, rates, rng=self._rng)
        rewards = {f"worker_{i}": float(out.workers[0, i]) for i in range(n)}
        rewards["planner"] = float(out.planner[0])
        obs = self._observe()
        terms = {agent: out.done for agent in self.agents}
        infos: dict[str, dict[str, Any]] = {agent: {} for agent in self.agents}
        if out.done:
            self.agents = []
        return obs, rewards, terms, {agent: False for agent in terms}, infos
