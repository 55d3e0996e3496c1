"""The Harvest commons with walking agents: a batched numpy core over copies and a PettingZoo
``ParallelEnv`` view of one copy (Social Environment Design's sequential social dilemma).

Apples grow on a grid by the seed's local rule (:mod:`dynamics.commons.grid`: an empty cell
regrows with probability ``p(k) = 0, 0.0025, 0.005, 0.025`` for ``k = 0, 1, 2, >= 3`` apples
within Euclidean radius 2); agents walk, pick apples and are paid as
:mod:`theory.commons.types` defines it, with the principal's bracket tax on each tax period's
apples rebated equally.

Modelling choices, named:

* **World**: a ``height × width`` **torus** (no edges, the default of
  :func:`~dynamics.commons.grid.neighbour_counts`), so every cell is alike and the
  mean-field mapping of :mod:`dynamics.commons.harvest_learning` applies. Both sides must be
  at least ``2 · REGROWTH_RADIUS + 1 = 5`` and ``2 · view + 1`` so that neither the regrowth
  neighbourhood nor an agent's view wraps onto itself.
* **Actions** (one per agent per step, :data:`HARVEST_ACTIONS`): 0 stay, 1 up, 2 down, 3 left,
  4 right (one cell, wrapping around the torus), 5 harvest: pick the apple on the agent's own
  cell, if there is one. Walking onto an apple does not pick it (unlike Perolat et al.'s
  Harvest, where stepping on an apple eats it): picking is a separate action, so an agent's
  harvest *effort* is the share of steps it spends picking, the quantity the mean-field model
  of :mod:`theory.commons` calls effort. There is no zapping beam (the seed's reward does not
  use one).
* **Collisions**: agents do not block each other and may share a cell. When several agents
  pick the same apple in one step, one of them gets it, chosen uniformly at random (each agent
  draws a priority per step; the highest wins); the others pick nothing.
* **Order within a step**: moves and picking (picking acts on the cell the agent stands on at
  the start of the step, as a picker does not move), then regrowth counted on the harvested
  grid (as :func:`~dynamics.commons.grid.simulate_harvest_grid`: harvest, then regrowth), then,
  at the end of a tax period, the tax. Apples may regrow under an agent.
* **View**: agent ``i`` sees the ``(2 view + 1)²`` window centred on itself (wrapping around
  the torus). :func:`harvest_observations` returns, per agent, the summary features
  :data:`OBSERVATION_FEATURES` followed by the window of apples (row-major, 1 = apple):
  ``apple_here`` (0/1), ``apples_up``, ``apples_down``, ``apples_left``, ``apples_right``
  (apples in the window's four cones: up is the cells with ``dr < 0`` and ``|dc| <= -dr``;
  cells on a diagonal count in both cones they border), ``apples_in_view`` (the whole window,
  own cell included), ``others_in_view`` (other agents in the window), ``period_apples`` (the
  agent's apples picked so far this tax period) and ``period_step`` (steps done in this tax
  period).
* **Tax period**: ``period`` consecutive steps; an episode is ``episode`` steps, a whole number
  of periods. At the end of a period (after that step's harvest) each agent's apples of the
  period ``a_i`` are taxed by the principal's schedule, ``T(a_i)`` with
  :meth:`theory.policy.tax.TaxSchedule.bracket_incomes` (the seed's marginal rates over
  brackets of apples), and the total is rebated equally, ``(1/N) Σ_j T(a_j)``, to every agent,
  the payer included. The schedule is fixed per :class:`Harvest` (the principal's choice is the
  loop's business: a new round is a new :class:`Harvest` via :meth:`Harvest.with_schedule`),
  unless a step is handed a :class:`ScheduleBatch`: then the copies run in G equal blocks,
  block ``g`` under the batch's ``g``-th schedule (many schedules in one core call).
* **Rewards**, per step and agent, as :mod:`theory.commons.types` defines them with ``a_j`` the
  apples picked this step: ``extrinsic_i = a_i − T_i + rebate_i`` (taxes and rebates are
  nonzero only at a period's last step, so over a period extrinsic is the seed's
  ``(1 − t) a_i + (t/N) Σ_j a_j`` for one bracket), ``intrinsic_i = σ_i a_i +
  (1 − σ_i)(Σ_j a_j − a_i)`` (others' apples as a sum, untaxed), and ``reward_i = β_i
  extrinsic_i + (1 − β_i) intrinsic_i − c · harvest_i``, with ``c`` = ``effort_cost`` per
  harvest action paid in full whatever the type (theory's cost of effort, outside the mix).
* **Initial orchard**: each cell holds an apple with probability ``density``, independently
  (or the orchard handed to :func:`harvest_reset`, e.g. a previous round's last one); agents
  start on uniformly random cells, independently.

Everything random is drawn from the ``rng`` handed to :func:`harvest_reset` and
:func:`harvest_step`, in a fixed order (reset: orchard, then positions; step: priorities, then
regrowth), so one copy stepped by :class:`HarvestEnv` and a batch of one stepped by the core
with the same stream are the same trajectory. The draws do not depend on the tax schedule.
Instead of one ``rng``, both take ``streams``: one stream per equal block of copies, block ``g``
drawing exactly what a call on that block alone with ``rng=streams[g]`` would draw, so G calls
of one schedule each (each on its own stream) fuse into one call with a :class:`ScheduleBatch`
and the same results.

Examples
--------
>>> h = Harvest(height=6, width=6, agents=2, view=2, period=5, episode=10)
>>> s = harvest_reset(h, 3, rng=0)
>>> out = harvest_step(h, s, np.full((3, 2), 5), rng=0)   # everyone picks
>>> out.picked.shape, out.state.step
((3, 2), 1)

Three schedules, two copies each, in one call:

>>> batch = ScheduleBatch([TaxSchedule([0], [t]) for t in (0, "1/2", 1)])
>>> s = harvest_reset(h, 6, rng=0)
>>> harvest_step(h, s, np.full((6, 2), 5), rng=0, schedules=batch).state.copies
6
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
from gymnasium import spaces
from numpy.typing import ArrayLike
from pettingzoo import ParallelEnv

from dynamics._checks import generator, generators, integer_at_least, live_agent_actions
from dynamics.commons.grid import REGROWTH_PROBABILITIES, REGROWTH_RADIUS, neighbour_counts
from dynamics.errors import ActionError, ParameterError, ParameterTypeError
from theory.commons.types import HarvesterType, as_harvester_types
from theory.policy.tax import TaxSchedule
from theory.policy.voting import AgentTypes

__all__ = [
    "HARVEST_ACTIONS",
    "HARVEST_ACTION",
    "NO_TAX",
    "OBSERVATION_FEATURES",
    "Harvest",
    "ScheduleBatch",
    "HarvestState",
    "HarvestStep",
    "harvest_reset",
    "harvest_step",
    "harvest_observations",
    "regrowth_probability",
    "HarvestEnv",
]

#: The actions' names, by index: stay, the four moves, and picking the apple underfoot.
HARVEST_ACTIONS = ("stay", "up", "down", "left", "right", "harvest")
#: The index of the harvest action.
HARVEST_ACTION = 5
#: The summary features at the head of every observation (see the module docstring).
OBSERVATION_FEATURES = (
    "apple_here",
    "apples_up",
    "apples_down",
    "apples_left",
    "apples_right",
    "apples_in_view",
    "others_in_view",
    "period_apples",
    "period_step",
)
#: The default schedule: one bracket from 0 at rate 0 (a value: a TaxSchedule is frozen).
NO_TAX = TaxSchedule([0], [0])
#: Row and column offsets of actions 0-5 (harvest does not move).
_MOVES = np.array([[0, 0], [-1, 0], [1, 0], [0, -1], [0, 1], [0, 0]], dtype=np.intp)
#: p(min(k, 3)) as floats, indexed by k.
_P = np.array([float(p) for p in REGROWTH_PROBABILITIES])


@dataclass(frozen=True)
class Harvest:
    """The fixed parameters of a Harvest commons (see the module docstring for the rules).

    Parameters
    ----------
    height, width : int >= max(5, 2 view + 1)
        The torus.
    agents : int >= 1
        N, the number of harvesters.
    view : int >= 1
        The partial view's radius: an agent sees a ``(2 view + 1)²`` window.
    types : tuple of theory.commons.HarvesterType, or theory.policy.voting.AgentTypes
        One (selfishness σ, trust β) per agent (stored as a tuple of ``HarvesterType``); empty
        (the default) means N selfish, trusting agents ``HarvesterType(1, 1)``, who count only
        their own apples after tax.
    schedule : theory.policy.TaxSchedule
        The principal's marginal rates over brackets of a tax period's apples (default: no tax).
    period : int >= 1
        Steps per tax period.
    episode : int >= 1
        Steps per episode, a multiple of ``period``.
    density : float in [0, 1]
        Each cell's chance of an apple at reset.
    effort_cost : float >= 0
        The cost ``c`` of one harvest action, in apples, paid in full by every type.

    Raises
    ------
    ParameterError
        Sizes too small for the regrowth radius or the view, counts below 1, an episode that is
        not a whole number of periods, a density outside [0, 1], a negative or non-finite cost,
        types that do not match the agents. ``ParameterTypeError`` for values of the wrong type.

    Examples
    --------
    >>> h = Harvest(height=10, width=10, agents=3)
    >>> len(h.types), h.trust.tolist()
    (3, [1.0, 1.0, 1.0])
    """

    height: int = 10
    width: int = 10
    agents: int = 4
    view: int = 3
    types: tuple[HarvesterType, ...] = ()
    schedule: TaxSchedule = NO_TAX
    period: int = 50
    episode: int = 100
    density: float = 0.5
    effort_cost: float = 0.0

    def __post_init__(self) -> None:
        for name, low in (
            ("view", 1),
            ("agents", 1),
            ("period", 1),
            ("episode", 1),
            ("height", 1),
            ("width", 1),
        ):
            object.__setattr__(self, name, integer_at_least(getattr(self, name), name, low))
        side = max(2 * REGROWTH_RADIUS + 1, 2 * self.view + 1)
        for name in ("height", "width"):
            if getattr(self, name) < side:
                raise ParameterError(
                    f"{name} must be >= {side} (2 x regrowth radius {REGROWTH_RADIUS} + 1 and "
                    f"2 x view {self.view} + 1, so that neither wraps onto itself), got "
                    f"{getattr(self, name)}"
                )
        if self.episode % self.period:
            raise ParameterError(
                f"episode ({self.episode}) must be a whole number of periods ({self.period})"
            )
        types: Any = self.types
        if isinstance(types, list | tuple) and len(types) == 0:
            types = (HarvesterType(1, 1),) * self.agents
        if isinstance(types, HarvesterType) or not isinstance(types, AgentTypes | list | tuple):
            raise ParameterTypeError(f"types must be a tuple of HarvesterType, got {types!r}")
        try:
            types = as_harvester_types(types)
        except TypeError as err:
            raise ParameterTypeError(f"types: {err}") from None
        except ValueError as err:
            raise ParameterError(f"types: {err}") from None
        if len(types) != self.agents:
            raise ParameterError(
                f"types must give one HarvesterType per agent ({self.agents}), got {len(types)}"
            )
        object.__setattr__(self, "types", tuple(types))
        if not isinstance(self.schedule, TaxSchedule):
            raise ParameterTypeError(f"schedule must be a TaxSchedule, got {self.schedule!r}")
        for name, bottom, top in (("density", 0.0, 1.0), ("effort_cost", 0.0, np.inf)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
                raise ParameterTypeError(f"{name} must be a real number, got {v!r}")
            if not (bottom <= v <= top) or not np.isfinite(v):
                raise ParameterError(
                    f"{name} must be a finite number in [{bottom}, {top}], got {v!r}"
                )
            object.__setattr__(self, name, float(v))

    @property
    def cells(self) -> int:
        """height × width."""
        return self.height * self.width

    @property
    def selfishness(self) -> np.ndarray:
        """σ of every agent, float array (N,)."""
        return np.array([float(t.selfishness) for t in self.types])

    @property
    def trust(self) -> np.ndarray:
        """β of every agent, float array (N,)."""
        return np.array([float(t.trust) for t in self.types])

    @property
    def observation_size(self) -> int:
        """Length of an agent's observation: the summary features, then the window."""
        return len(OBSERVATION_FEATURES) + (2 * self.view + 1) ** 2

    def with_schedule(self, schedule: TaxSchedule) -> Harvest:
        """The same commons under another tax schedule (a new round's principal).

        Examples
        --------
        >>> Harvest().with_schedule(TaxSchedule([0, 10], [0, "1/2"])).schedule.brackets
        2
        """
        return replace(self, schedule=schedule)


@dataclass(frozen=True)
class ScheduleBatch:
    """G tax schedules with one bracket count, for a batch of copies stepped in one core call:
    the C copies split into G equal consecutive blocks, block ``g`` (copies ``g·C/G`` to
    ``(g + 1)·C/G − 1``) taxed by ``schedules[g]`` (schedule-major, as
    :func:`~dynamics.commons.harvest_learning.train_harvesters_under` lays out its runs).

    The schedules' cut-offs and rates are turned into float arrays once, here, so that a step
    taxes every copy with one vectorised expression. Supports ``len()`` (G) and iteration over
    the schedules.

    Parameters
    ----------
    schedules : sequence of theory.policy.TaxSchedule
        At least one, all with the same number of brackets (a learner's features include the
        bracket of its next apple, so the bracket count is part of the commons' shape).

    Raises
    ------
    ParameterError
        No schedule, or schedules with different bracket counts; ``ParameterTypeError`` for an
        item that is not a TaxSchedule.

    Examples
    --------
    >>> b = ScheduleBatch([TaxSchedule([0], [0]), TaxSchedule([0], ["1/2"])])
    >>> len(b), b.brackets, b.rates.tolist(), b.of_copies(4).tolist()
    (2, 1, [[0.0], [0.5]], [0, 0, 1, 1])
    """

    schedules: tuple[TaxSchedule, ...]
    #: Each schedule's lower cut-offs m_b as floats, shape (G, B) (read-only).
    lower: np.ndarray = field(init=False, repr=False, compare=False)
    #: Each schedule's bracket widths m_{b+1} − m_b as floats, ∞ for the last, shape (G, B).
    widths: np.ndarray = field(init=False, repr=False, compare=False)
    #: Each schedule's marginal rates τ_b as floats, shape (G, B).
    rates: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        grid: Any = self.schedules
        if isinstance(grid, TaxSchedule) or not isinstance(grid, Sequence):
            raise ParameterTypeError(f"schedules must be a sequence of TaxSchedule, got {grid!r}")
        grid = tuple(grid)
        if not grid:
            raise ParameterError("schedules must hold at least one TaxSchedule, got none")
        for g, sched in enumerate(grid):
            if not isinstance(sched, TaxSchedule):
                raise ParameterTypeError(f"schedules[{g}] = {sched!r} is not a TaxSchedule")
        if len({sched.brackets for sched in grid}) > 1:
            raise ParameterError(
                "schedules must all have the same number of brackets, got "
                f"{[sched.brackets for sched in grid]}"
            )
        object.__setattr__(self, "schedules", grid)
        arrays = [sched.float_arrays() for sched in grid]  # (lower, upper, rates) each
        lo, hi, rates = (np.array([a[k] for a in arrays]) for k in range(3))
        object.__setattr__(self, "lower", lo)
        object.__setattr__(self, "widths", hi - lo)
        object.__setattr__(self, "rates", rates)
        for name in ("lower", "widths", "rates"):
            getattr(self, name).flags.writeable = False

    def __len__(self) -> int:
        return len(self.schedules)

    def __iter__(self) -> Iterator[TaxSchedule]:
        return iter(self.schedules)

    @property
    def brackets(self) -> int:
        """B, the number of brackets of every schedule."""
        return self.schedules[0].brackets

    def of_copies(self, copies: int) -> np.ndarray:
        """The schedule of each of ``copies`` copies (an index into the batch), int (C,).

        Raises
        ------
        ParameterError
            If ``copies`` is not a positive multiple of the number of schedules.
        """
        C = integer_at_least(copies, "copies", 1)
        return np.repeat(np.arange(len(self)), _block(C, len(self), "schedules"))


def _block(copies: int, groups: int, what: str) -> int:
    """Copies per block when ``copies`` split into ``groups`` equal blocks (one per item of
    ``what``), or the package's error naming both counts."""
    if copies % groups:
        raise ParameterError(
            f"{copies} copies do not split into {groups} equal blocks, one per item of {what} "
            f"({groups} given): the copies must be a multiple of {groups}"
        )
    return copies // groups


def _schedule_batch(schedules: Any) -> ScheduleBatch | None:
    if schedules is None or isinstance(schedules, ScheduleBatch):
        return schedules
    return ScheduleBatch(schedules)


def _streams(rng: Any, streams: Any, copies: int) -> list[np.random.Generator]:
    """The random streams of a call on ``copies`` copies: ``[rng]``, or one per block."""
    if streams is None:
        return [generator(rng)]
    if rng is not None:
        raise ParameterError("give rng or streams (one per block of copies), not both")
    gens = generators(streams)
    _block(copies, len(gens), "streams")
    return gens


def _uniforms(streams: list[np.random.Generator], shape: tuple[int, ...]) -> np.ndarray:
    """Uniforms of ``shape`` (copies first): block ``g`` of the copies from ``streams[g]``."""
    if len(streams) == 1:
        return streams[0].random(shape)
    part = (shape[0] // len(streams), *shape[1:])
    return np.concatenate([s.random(part) for s in streams])


@dataclass(frozen=True)
class HarvestState:
    """The state of C copies (arrays are not modified by the core: each step makes new ones).

    Attributes
    ----------
    apples : bool ndarray (C, H, W)
    positions : int ndarray (C, N, 2)
        Each agent's (row, column).
    step : int
        Steps done in the episode (the same in every copy).
    period_apples : int ndarray (C, N)
        Apples each agent picked so far in the current tax period (0 right after a period ends).
    picked : int ndarray (C, N)
        Apples each agent picked since reset.
    taxes, rebates : float ndarray (C, N)
        Each agent's taxes paid and rebates received since reset.
    """

    apples: np.ndarray
    positions: np.ndarray
    step: int
    period_apples: np.ndarray
    picked: np.ndarray
    taxes: np.ndarray
    rebates: np.ndarray

    @property
    def copies(self) -> int:
        """C, the number of copies."""
        return int(self.apples.shape[0])

    @property
    def stock(self) -> np.ndarray:
        """Apples on each copy's orchard, int array (C,)."""
        return self.apples.sum(axis=(1, 2))

    def copy_of(self, c: int) -> HarvestState:
        """Copy ``c`` alone, as a batch of one.

        Examples
        --------
        >>> harvest_reset(Harvest(), 3, rng=0).copy_of(1).apples.shape
        (1, 10, 10)
        """
        c = integer_at_least(c, "c", 0)
        if c >= self.copies:
            raise ParameterError(f"c must be < {self.copies} copies, got {c}")
        return self.copies_of(c, c + 1)

    def copies_of(self, start: int, stop: int) -> HarvestState:
        """Copies ``start`` to ``stop − 1`` as a batch of their own (e.g. one schedule's block
        of a :class:`ScheduleBatch` call).

        Examples
        --------
        >>> harvest_reset(Harvest(), 6, rng=0).copies_of(2, 4).apples.shape
        (2, 10, 10)
        """
        start = integer_at_least(start, "start", 0)
        stop = integer_at_least(stop, "stop", start + 1)
        if stop > self.copies:
            raise ParameterError(f"stop must be <= {self.copies} copies, got {stop}")
        part = slice(start, stop)
        return HarvestState(
            self.apples[part].copy(),
            self.positions[part].copy(),
            self.step,
            self.period_apples[part].copy(),
            self.picked[part].copy(),
            self.taxes[part].copy(),
            self.rebates[part].copy(),
        )


@dataclass(frozen=True)
class HarvestStep:
    """One step of C copies: the new ``state`` and per-agent arrays (C, N).

    ``picked`` apples picked this step (int); ``harvested`` 1 where the agent chose the harvest
    action; ``taxes`` and ``rebates`` (nonzero only at a period's last step); ``extrinsic =
    picked − taxes + rebates``; ``intrinsic``; ``reward`` (see the module docstring); ``done``
    after the episode's last step; ``period_end`` when this step closed a tax period.
    """

    state: HarvestState
    picked: np.ndarray
    harvested: np.ndarray
    extrinsic: np.ndarray
    intrinsic: np.ndarray
    reward: np.ndarray
    taxes: np.ndarray
    rebates: np.ndarray
    done: bool
    period_end: bool


def _harvest(harvest: Any) -> Harvest:
    if not isinstance(harvest, Harvest):
        raise ParameterTypeError(f"harvest must be a Harvest, got {type(harvest).__name__}")
    return harvest


def _orchard(harvest: Harvest, apples: Any, copies: int) -> np.ndarray:
    g = np.asarray(apples)
    shape = (harvest.height, harvest.width)
    if g.shape == shape:
        g = np.broadcast_to(g, (copies, *shape))
    if g.shape != (copies, *shape):
        raise ParameterError(
            f"apples must have shape {shape} or ({copies}, {shape[0]}, {shape[1]}), got {g.shape}"
        )
    if g.dtype != bool and not (np.issubdtype(g.dtype, np.number) and np.isin(g, (0, 1)).all()):
        raise ParameterError("apples must be booleans or 0/1 (empty/apple)")
    return np.array(g, dtype=bool)


def harvest_reset(
    harvest: Harvest,
    copies: int,
    *,
    rng: int | np.random.Generator | None = None,
    apples: ArrayLike | None = None,
    streams: Sequence[np.random.Generator] | None = None,
) -> HarvestState:
    """C fresh copies: the orchard (random at ``harvest.density``, or ``apples``), agents on
    uniformly random cells, nothing picked yet.

    Parameters
    ----------
    harvest : Harvest
    copies : int >= 1
    rng : None, int or numpy.random.Generator
    apples : array_like of bool or 0/1, shape (H, W) or (C, H, W), optional
        The orchard to start from (e.g. a previous round's final orchard); no draw is made for
        it.
    streams : sequence of G numpy.random.Generator, optional
        Instead of ``rng``: block ``g`` of the C copies (C a multiple of G) is drawn from
        ``streams[g]`` exactly as ``harvest_reset(harvest, C // G, rng=streams[g])`` would
        draw it (see the module docstring).

    Raises
    ------
    ParameterError
        A bad count, an orchard of the wrong shape or values, copies that do not split into
        one block per stream, or both ``rng`` and ``streams``.

    Examples
    --------
    >>> h = Harvest(height=5, width=5, agents=2, view=1)
    >>> s = harvest_reset(h, 2, rng=0, apples=np.ones((5, 5), dtype=bool))
    >>> s.stock.tolist(), s.positions.shape
    ([25, 25], (2, 2, 2))
    """
    harvest = _harvest(harvest)
    C = integer_at_least(copies, "copies", 1)
    gens = _streams(rng, streams, C)
    H, W, N = harvest.height, harvest.width, harvest.agents
    grid = None if apples is None else _orchard(harvest, apples, C)
    part = C // len(gens)
    orchards, drawn = [], []
    for gen in gens:  # block by block, each as a call on that block alone would draw it
        if grid is None:
            orchards.append(gen.random((part, H, W)) < harvest.density)
        drawn.append(gen.integers(0, H * W, (part, N)))
    if grid is None:
        grid = np.concatenate(orchards)
    cells = np.concatenate(drawn)
    positions = np.stack([cells // W, cells % W], axis=-1).astype(np.intp)
    zeros = np.zeros((C, N))
    return HarvestState(
        grid,
        positions,
        0,
        np.zeros((C, N), dtype=np.int64),
        np.zeros((C, N), dtype=np.int64),
        zeros,
        zeros.copy(),
    )


def _check_state(harvest: Harvest, state: Any) -> HarvestState:
    if not isinstance(state, HarvestState):
        raise ParameterTypeError(f"state must be a HarvestState, got {type(state).__name__}")
    C = state.copies
    H, W, N = harvest.height, harvest.width, harvest.agents
    if state.apples.shape != (C, H, W) or state.positions.shape != (C, N, 2):
        raise ParameterError(
            f"state does not belong to this Harvest: apples {state.apples.shape}, positions "
            f"{state.positions.shape}, expected ({C}, {H}, {W}) and ({C}, {N}, 2)"
        )
    return state


def _check_actions(actions: Any, shape: tuple[int, int]) -> np.ndarray:
    a = np.asarray(actions)
    if a.dtype == bool or not np.issubdtype(a.dtype, np.integer):
        raise ActionError(f"actions must be integer action indices, got dtype {a.dtype}")
    if a.shape != shape:
        raise ActionError(f"actions must have shape {shape} (copies, agents), got {a.shape}")
    high = len(HARVEST_ACTIONS)
    if a.size and (a.min() < 0 or a.max() >= high):
        raise ActionError(f"actions must lie in [0, {high - 1}], got values {a.min()}..{a.max()}")
    return a.astype(np.intp, copy=False)


def regrowth_probability(harvest: Harvest, apples: ArrayLike) -> np.ndarray:
    """Each cell's chance of growing an apple in the regrowth phase of a step: ``p(min(k, 3))``
    for an empty cell with ``k`` apples within the regrowth radius
    (:func:`~dynamics.commons.grid.neighbour_counts` on the torus), 0 for a cell with an apple.

    Parameters
    ----------
    harvest : Harvest
    apples : array_like of bool, shape (H, W) or (C, H, W)
        The orchard after the step's harvest.

    Returns
    -------
    float ndarray (C, H, W)

    Examples
    --------
    >>> h = Harvest(height=5, width=5, agents=1, view=1)
    >>> g = np.zeros((5, 5), dtype=bool); g[2, 2] = True
    >>> float(regrowth_probability(h, g)[0, 2, 3]), float(regrowth_probability(h, g)[0, 2, 2])
    (0.0025, 0.0)
    """
    harvest = _harvest(harvest)
    g = np.asarray(apples)
    if g.ndim == 2:
        g = g[None]
    return _regrowth_probability(_orchard(harvest, g, g.shape[0] if g.ndim == 3 else 1))


def _regrowth_probability(apples: np.ndarray) -> np.ndarray:
    k = np.minimum(neighbour_counts(apples), len(_P) - 1)
    return np.where(apples, 0.0, _P[k])


def harvest_step(
    harvest: Harvest,
    state: HarvestState,
    actions: ArrayLike,
    *,
    rng: int | np.random.Generator | None = None,
    schedules: ScheduleBatch | Sequence[TaxSchedule] | None = None,
    streams: Sequence[np.random.Generator] | None = None,
) -> HarvestStep:
    """Step every copy once (moves and picking, regrowth, the tax at a period's end); the input
    ``state`` is left as it was.

    Parameters
    ----------
    harvest : Harvest
    state : HarvestState
    actions : int array (C, N)
        Each agent's action index (:data:`HARVEST_ACTIONS`).
    rng : None, int or numpy.random.Generator
    schedules : ScheduleBatch or sequence of G TaxSchedule, optional
        Tax copy block ``g`` (C a multiple of G) by the ``g``-th schedule instead of
        ``harvest.schedule`` (:class:`ScheduleBatch`; pass a ScheduleBatch made once when
        stepping many times). The step is otherwise the same: on block ``g`` it equals
        ``harvest_step(harvest.with_schedule(schedules[g]), ...)``.
    streams : sequence of numpy.random.Generator, optional
        Instead of ``rng``: block ``g`` of the copies draws from ``streams[g]`` exactly what a
        step of that block alone with ``rng=streams[g]`` would (module docstring).

    Raises
    ------
    ActionError
        Actions of the wrong shape, type or range; a step after the episode's end.
    ParameterError
        A state of another shape than ``harvest``'s; schedules with different bracket counts;
        copies that do not split into one block per schedule or per stream; both ``rng`` and
        ``streams``.

    Examples
    --------
    >>> h = Harvest(height=5, width=5, agents=2, view=1, period=1, episode=2,
    ...             schedule=TaxSchedule([0], [1]))
    >>> s = harvest_reset(h, 1, rng=0, apples=np.ones((5, 5), dtype=bool))
    >>> out = harvest_step(h, s, [[5, 0]], rng=0)   # agent 0 picks, all of it taxed and shared
    >>> out.picked.tolist(), out.extrinsic.tolist(), out.taxes.sum() == out.rebates.sum()
    ([[1, 0]], [[0.5, 0.5]], np.True_)
    """
    harvest = _harvest(harvest)
    state = _check_state(harvest, state)
    C, N = state.copies, harvest.agents
    gens = _streams(rng, streams, C)
    batch = _schedule_batch(schedules)
    if batch is not None:
        _block(C, len(batch), "schedules")
    if state.step >= harvest.episode:
        raise ActionError(f"the episode is over ({harvest.episode} steps): reset before stepping")
    a = _check_actions(actions, (C, N))
    return _step(harvest, state, a, gens, batch)


def _tax_arrays(
    harvest: Harvest, batch: ScheduleBatch | None, copies: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lower cut-offs, widths, rates) of every copy's schedule, shape (C or 1, 1, B) each:
    the batch's, or ``harvest.schedule`` for every copy."""
    if batch is None:
        lo, hi, rates = harvest.schedule.float_arrays()
        return lo[None, None], (hi - lo)[None, None], rates[None, None]
    g = batch.of_copies(copies)
    return batch.lower[g, None], batch.widths[g, None], batch.rates[g, None]


def _step(
    harvest: Harvest,
    state: HarvestState,
    a: np.ndarray,
    gens: list[np.random.Generator],
    batch: ScheduleBatch | None,
) -> HarvestStep:
    """One step on checked input (the module docstring's rules); ``gens`` one stream per block
    of copies, ``batch`` the copies' schedules (None: ``harvest.schedule``)."""
    C, N = a.shape
    H, W = harvest.height, harvest.width
    cc = np.arange(C)[:, None]
    priority = _uniforms(gens, (C, N))
    # ---- picking: on the cell the agent stands on, one winner per apple
    r, c = state.positions[..., 0], state.positions[..., 1]
    picks = (a == HARVEST_ACTION) & state.apples[cc, r, c]
    cell = r * W + c
    # the winner of a cell is the picker of highest priority there: compare every pair of agents
    same = (cell[:, :, None] == cell[:, None, :]) & picks[:, None, :]
    beaten = same & (priority[:, None, :] > priority[:, :, None])
    won = picks & ~beaten.any(axis=2)
    apples = state.apples.copy()
    apples[np.broadcast_to(cc, (C, N))[won], r[won], c[won]] = False
    # ---- moves (pickers stay)
    d = _MOVES[a]
    positions = np.stack([(r + d[..., 0]) % H, (c + d[..., 1]) % W], axis=-1)
    # ---- regrowth on the harvested grid
    apples |= _uniforms(gens, (C, H, W)) < _regrowth_probability(apples)
    # ---- taxes at a period's end
    got = won.astype(np.int64)
    period_apples = state.period_apples + got
    step = state.step + 1
    period_end = step % harvest.period == 0
    if period_end:
        # T(a) = Σ_b τ_b min(max(a − m_b, 0), m_{b+1} − m_b), each copy by its own schedule
        lower, widths, rates = _tax_arrays(harvest, batch, C)
        income = np.clip(period_apples[..., None] - lower, 0.0, widths)
        taxes = (income * rates).sum(axis=-1)
        rebates = np.broadcast_to(taxes.mean(axis=1, keepdims=True), (C, N)).copy()
        period_apples = np.zeros_like(period_apples)
    else:
        taxes = np.zeros((C, N))
        rebates = np.zeros((C, N))
    gotf = got.astype(float)
    extrinsic = gotf - taxes + rebates
    sigma, beta = harvest.selfishness, harvest.trust
    intrinsic = sigma * gotf + (1 - sigma) * (gotf.sum(axis=1, keepdims=True) - gotf)
    harvested = (a == HARVEST_ACTION).astype(np.int64)
    reward = beta * extrinsic + (1 - beta) * intrinsic - harvest.effort_cost * harvested
    new = HarvestState(
        apples,
        positions.astype(np.intp),
        step,
        period_apples,
        state.picked + got,
        state.taxes + taxes,
        state.rebates + rebates,
    )
    return HarvestStep(
        new,
        got,
        harvested,
        extrinsic,
        intrinsic,
        reward,
        taxes,
        rebates,
        step >= harvest.episode,
        bool(period_end),
    )


def _windows(harvest: Harvest, grid: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Each agent's (2v+1)² window of a (C, H, W) grid on the torus, flattened row-major:
    shape (C, N, (2v+1)²). One gather from the flat grid (a fancy index over four axes was
    five times slower)."""
    v, H, W = harvest.view, harvest.height, harvest.width
    off = np.arange(-v, v + 1)
    rows = (positions[..., 0, None] + off) % H  # (C, N, S)
    cols = (positions[..., 1, None] + off) % W
    C, N = positions.shape[:2]
    base = (np.arange(C) * (H * W))[:, None, None, None]
    flat = base + rows[..., :, None] * W + cols[..., None, :]
    return grid.reshape(-1)[flat.reshape(C, N, -1)]


@lru_cache(maxsize=16)
def _cones(view: int) -> np.ndarray:
    """Masks (4, S²) of the up, down, left and right cones of a window (own cell excluded),
    float32 (for a matrix product)."""
    off = np.arange(-view, view + 1)
    dr, dc = off[:, None], off[None, :]
    cones = np.stack(
        [
            (dr < 0) & (np.abs(dc) <= -dr),
            (dr > 0) & (np.abs(dc) <= dr),
            (dc < 0) & (np.abs(dr) <= -dc),
            (dc > 0) & (np.abs(dr) <= dc),
        ]
    )
    return cones.reshape(4, -1).astype(np.float32)


def harvest_observations(harvest: Harvest, state: HarvestState) -> np.ndarray:
    """Every agent's partial view, float32 array (C, N, F): the summary features
    :data:`OBSERVATION_FEATURES`, then the ``(2 view + 1)²`` window of apples, row-major.

    Examples
    --------
    >>> h = Harvest(height=5, width=5, agents=2, view=1)
    >>> s = harvest_reset(h, 1, rng=0, apples=np.ones((5, 5), dtype=bool))
    >>> obs = harvest_observations(h, s)
    >>> obs.shape, obs[0, 0, :6].tolist()
    ((1, 2, 18), [1.0, 3.0, 3.0, 3.0, 3.0, 9.0])
    """
    harvest = _harvest(harvest)
    state = _check_state(harvest, state)
    return _observations(harvest, state)


def _observations(harvest: Harvest, state: HarvestState) -> np.ndarray:
    C, N = state.copies, harvest.agents
    v = harvest.view
    S = 2 * v + 1
    win = _windows(harvest, state.apples, state.positions)
    counts = win.astype(np.float32) @ _cones(v).T  # (C, N, 4)
    # other agents in each agent's window: torus distance per axis <= view
    dr = np.abs(state.positions[:, :, None, 0] - state.positions[:, None, :, 0])
    dc = np.abs(state.positions[:, :, None, 1] - state.positions[:, None, :, 1])
    dr = np.minimum(dr, harvest.height - dr)
    dc = np.minimum(dc, harvest.width - dc)
    near = (dr <= v) & (dc <= v)
    others = near.sum(axis=2) - 1
    out = np.empty((C, N, len(OBSERVATION_FEATURES) + S * S), dtype=np.float32)
    out[..., 0] = win[..., (S * S) // 2]
    out[..., 1:5] = counts
    out[..., 5] = win.sum(axis=2)
    out[..., 6] = others
    out[..., 7] = state.period_apples
    out[..., 8] = state.step % harvest.period
    out[..., len(OBSERVATION_FEATURES) :] = win
    return out


class HarvestEnv(ParallelEnv):  # type: ignore[misc]
    """One copy of a :class:`Harvest` behind PettingZoo's ``ParallelEnv`` API.

    Agents ``harvester_0 .. harvester_{N−1}``, each with ``Discrete(6)`` actions
    (:data:`HARVEST_ACTIONS`) and a ``Box`` observation, :func:`harvest_observations` of its
    copy; rewards are :class:`HarvestStep`'s ``reward``. Every step calls the batched core on a
    batch of one with the env's own random stream (seeded by ``reset(seed=)``), so the env and
    :func:`harvest_step` cannot disagree. The episode ends by truncation after
    ``harvest.episode`` steps (the commons has no terminal state). The principal's schedule is
    fixed per env (``harvest.schedule``). ``reset(options={"apples": grid})`` starts from a given
    orchard.

    Examples
    --------
    >>> env = HarvestEnv(Harvest(height=6, width=6, agents=2, view=1, period=2, episode=4))
    >>> obs, infos = env.reset(seed=0)
    >>> obs, rewards, terms, truncs, infos = env.step({a: 5 for a in env.agents})
    >>> sorted(rewards), env.state.step
    (['harvester_0', 'harvester_1'], 1)
    """

    metadata = {"name": "harvest_commons_v0", "render_modes": []}

    def __init__(self, harvest: Harvest) -> None:
        self.harvest = _harvest(harvest)
        n = harvest.agents
        self.possible_agents = [f"harvester_{i}" for i in range(n)]
        self.agents: list[str] = []
        high = float(max(harvest.episode, (2 * harvest.view + 1) ** 2, n))
        self._obs_spaces = {
            a: spaces.Box(0.0, high, (harvest.observation_size,), np.float32)
            for a in self.possible_agents
        }
        self._act_spaces = {a: spaces.Discrete(len(HARVEST_ACTIONS)) for a in self.possible_agents}
        self._rng = np.random.default_rng()
        self.state: HarvestState | None = None
        self.last_step: HarvestStep | None = None

    def observation_space(self, agent: str) -> spaces.Space:
        return self._obs_spaces[agent]

    def action_space(self, agent: str) -> spaces.Space:
        return self._act_spaces[agent]

    def _observe(self) -> dict[str, np.ndarray]:
        assert self.state is not None
        obs = _observations(self.harvest, self.state)[0]
        return {a: obs[i] for i, a in enumerate(self.possible_agents)}

    def reset(
        self, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, np.ndarray], dict[str, dict[str, Any]]]:
        if seed is not None:
            self._rng = generator(seed, "seed")
            for k, agent in enumerate(self.possible_agents):
                self._act_spaces[agent].seed(seed + k)
        apples = None if not options else options.get("apples")
        self.state = harvest_reset(self.harvest, 1, rng=self._rng, apples=apples)
        self.last_step = None
        self.agents = list(self.possible_agents)
        return self._observe(), {a: {} for a in self.agents}

    def step(self, actions: dict[str, Any]) -> tuple[dict[str, Any], ...]:
        if self.state is None:
            raise ActionError("the episode is over: call reset() before step()")
        live_agent_actions(self.agents, actions)
        row = []
        for agent in self.possible_agents:
            v = np.asarray(actions[agent])
            if v.size != 1:
                raise ActionError(f"{agent}'s action must be one index, got shape {v.shape}")
            row.append(v.reshape(()))
        out = harvest_step(self.harvest, self.state, np.array([row]), rng=self._rng)
        self.state, self.last_step = out.state, out
        obs = self._observe()
        rewards = {a: float(out.reward[0, i]) for i, a in enumerate(self.possible_agents)}
        terms = {a: False for a in self.agents}
        truncs = {a: out.done for a in self.agents}
        infos: dict[str, dict[str, Any]] = {
            a: {"picked": int(out.picked[0, i])} for i, a in enumerate(self.possible_agents)
        }
        if out.done:
            self.agents = []
        return obs, rewards, terms, truncs, infos
