"""Learning in Gather-and-Build: workers that learn to move, gather, build and trade, and a
planner that learns the bracket rates, in the AI Economist's two phases, side by side with the
seed's baselines (free market, US federal, Saez), batched over copies × agents × runs.

Modelling and learning choices, named:

- **Runs.** ``seeds`` independent runs; run ``s`` has its own four agents, whose skills are drawn
  once (:func:`~dynamics.economy.gather_build.gather_build_reset`'s Pareto draws) and kept for
  every episode (the AI Economist's agents keep theirs); maps and spawn cells are redrawn every
  episode. Phase one trains ``seeds`` runs tax-free; at its end each run's workers are copied into
  the four **regimes** (:data:`REGIMES`), which continue in phase two side by side (so a
  comparison between regimes is paired: same agents, same phase-one policies).
- **Workers** are :mod:`~dynamics.economy.learners`' softmax policy-gradient learners, one per
  (regime, run, agent), over the one-hot observation features of :func:`gather_build_features`
  (:data:`FEATURE_BLOCKS`): holdings × whether the cell is buildable (so "build when holding wood
  and stone on a free cell" is one weight), the direction of the nearest wood and stone unit ×
  the holding of that resource (so "walk to wood while short of it" is representable), coins (so
  "bid when rich"), the best ask and bid of each resource's book (so "sell into a high bid",
  "buy from a cheap ask"), and the marginal rate the agent now faces (so labour can respond to
  taxes). A linear policy on these features cannot plan routes around houses; it can represent
  a gatherer, a builder and a trader.
- **Worker update**: REINFORCE over whole episodes, each step's action credited with its
  discounted return-to-go (discount ``discount``, default :data:`DISCOUNT`) of utility changes;
  the advantage is the return minus the mean over all steps of the learner's episodes of the
  iteration, divided by their standard deviation
  (:func:`~dynamics.economy.learners.normalised_advantages`; a baseline per time step over the few
  episodes of an iteration was measured to be too noisy: the workers collapsed to idling within
  20 iterations), Adam steps, an entropy bonus. The initial policy gives each action kind (no-op,
  move, build, market order) a stated share (:data:`KIND_PRIOR`; uniform over the 4P + 6
  actions would be mostly orders, and nobody would ever build).
- **Planner**: one categorical per (run, bracket) over the world's rate grid, without
  observation, drawing one schedule per episode (the AI Economist's planner observes the
  economy and may change rates every period; ours is state-free, so a per-period choice would
  be the same draw); ``schedules`` schedules per iteration, each played in ``repeats`` episodes,
  its reward the repeats' mean final eq·prod of coins (the seed's social welfare).
- **Curriculum** (:class:`~dynamics.economy.training.TwoPhaseCurriculum`): phase one tax-free;
  phase two with every regime's rates capped by the cap annealed from 10 % to 100 % (rates
  above it masked for the planner and lowered to the largest allowed grid rate for the fixed
  schedules, as Foundation anneals every tax model).
- **Baselines**: free market (all rates 0); US federal (the 2018 rates on the world's cut-offs,
  :func:`scaled_us_cutoffs`); **Saez**: every ``saez_every`` iterations of phase two the rates are
  re-estimated by :func:`theory.policy.saez.saez_rates_binned` on the Saez runs' period incomes
  of the last iteration and rounded to the rate grid, as the AI Economist re-estimates its Saez
  rates on observed incomes. The elasticity is the arc elasticity of mean period income between
  the run's US-federal and free-market regimes at the same iteration, log(z̄_US/z̄_free) /
  log(1 − τ̄_US) (τ̄_US the income-weighted mean marginal rate faced under US federal), clipped
  to :data:`ELASTICITY_RANGE` (kept from the last estimate when it is undefined). The
  re-estimation need not settle: ``GatherBuildTraining.saez_converged`` says per run whether
  the last change was at most one grid step (:data:`SAEZ_TOL_STEPS`); otherwise the last
  iterate is used, flagged.

Training shows a tqdm bar, can be stopped (Ctrl-C or ``max_iterations``) and resumed from a
checkpoint without losing finished iterations; :func:`train_gather_build_runs` runs batches on
an ``Executor``.
"""

from __future__ import annotations

import hashlib
import json
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from tqdm import tqdm

from dynamics._checkpoints import (
    load_checkpoint,
    over_streams,
    policy_state,
    restore_stream,
    save_checkpoint,
)
from dynamics.economy.gather_build import (
    BUILD_LABOUR,
    MOVE_LABOUR,
    TRADE_LABOUR,
    GatherBuild,
    GatherBuildState,
    gather_build_reset,
    gather_build_step,
    ledger,
)
from dynamics.economy.learners import (
    PolicyState,
    apply_gradient,
    normalised_advantages,
    policy_gradient,
    policy_gradient_update,
    sample_actions,
    softmax_policy,
)
from dynamics.economy.training import TwoPhaseCurriculum
from dynamics.errors import ParameterError
from theory.policy.saez import saez_rates_binned
from theory.policy.tax import US_FEDERAL_2018_CUTOFFS, US_FEDERAL_2018_RATES
from theory.policy.welfare import welfare_rows

__all__ = [
    "REGIMES",
    "OCCUPATIONS",
    "DISCOUNT",
    "ELASTICITY_RANGE",
    "SAEZ_TOL_STEPS",
    "KIND_PRIOR",
    "FEATURE_BLOCKS",
    "gather_build_feature_count",
    "gather_build_features",
    "scaled_us_cutoffs",
    "GatherBuildTraining",
    "train_gather_build",
    "train_gather_build_runs",
    "GatherBuildEvaluation",
    "evaluate_gather_build",
    "occupations",
]

#: The tax regimes trained side by side in phase two, in this order.
REGIMES = ("free market", "US federal", "Saez", "planner")
#: Occupations, by the largest of an agent's houses built, units gathered and orders placed
#: (:func:`occupations`); ``idle`` when it did none of them.
OCCUPATIONS = ("builder", "gatherer", "trader", "idle")
#: Default discount of the workers' returns-to-go: a house's payout must reach back over the
#: walk to wood and stone that made it (~100 steps at 0.99; at 0.95 the workers learned to idle).
DISCOUNT = 0.99
#: Clip of the Saez baseline's measured elasticity: below 0.1 the formula's rates approach 100 %
#: on noise alone, above 5 they approach 0; both ends are outside measured taxable-income
#: elasticities (Saez, Slemrod & Giertz 2012 survey 0.1–1).
ELASTICITY_RANGE = (0.1, 5.0)
#: The Saez re-estimation counts as settled when its last change is at most this many rate-grid
#: steps in every bracket (the estimate is noisy: the incomes are one iteration's episodes).
SAEZ_TOL_STEPS = 1
#: The initial policy's probabilities of the action kinds: no-op, move (split over four), build,
#: market order (split over 4P). Uniform over actions would be mostly orders, and a random ask
#: escrows the unit an agent needs to build: measured on a 6 × 6 world, random agents then built
#: 0.03 houses per episode and learners never found building.
KIND_PRIOR = (0.2, 0.4, 0.3, 0.1)
#: Guard for the annealed cap: rates within this of the cap are allowed (float cap arithmetic).
_CAP_EPS = 1e-12

#: The one-hot feature blocks of :func:`gather_build_features`, (name, size) in order; the last
#: block's size is the rate grid's length (G), given here as 0.
FEATURE_BLOCKS = (
    ("bias", 1),
    ("wood 0/1/2+ × stone 0/1/2+ × cell buildable", 18),
    ("direction of the nearest wood unit (none/up/down/left/right) × wood 0/1/2+", 15),
    ("direction of the nearest stone unit × stone 0/1/2+", 15),
    ("coins < 1, < P, < 3P, more (P: the price levels)", 4),
    ("wood book: best ask none/low/high × best bid none/low/high", 9),
    ("stone book: best ask × best bid", 9),
    ("marginal rate now faced (rate-grid index)", 0),
)


def gather_build_feature_count(world: GatherBuild) -> int:
    """The number of features F of :func:`gather_build_features` for ``world``.

    Examples
    --------
    >>> gather_build_feature_count(GatherBuild())
    82
    """
    return sum(size for _, size in FEATURE_BLOCKS) + len(world.rate_grid)


def _offsets(world: GatherBuild) -> np.ndarray:
    sizes = [size for _, size in FEATURE_BLOCKS[:-1]]
    return np.concatenate([[0], np.cumsum(sizes)])


def _nearest(grid: np.ndarray, cells: np.ndarray, valid: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Direction (0 none, 1 up, 2 down, 3 left, 4 right: the move towards it) of each agent's
    nearest unit (Manhattan distance, ties to the first source cell), shape (C, N)."""
    C, H, W = grid.shape
    avail = valid & grid.reshape(C, H * W)[np.arange(C)[:, None], cells]  # (C, S)
    dr = (cells // W)[:, None, :] - pos[:, :, 0:1]  # (C, N, S)
    dc = (cells % W)[:, None, :] - pos[:, :, 1:2]
    dist = np.where(avail[:, None, :], np.abs(dr) + np.abs(dc), 1 << 30)
    j = dist.argmin(axis=2)[..., None]
    r = np.take_along_axis(dr, j, axis=2)[..., 0]
    c = np.take_along_axis(dc, j, axis=2)[..., 0]
    vertical = np.abs(r) >= np.abs(c)
    d = np.where(vertical, np.where(r < 0, 1, 2), np.where(c < 0, 3, 4))
    found = np.take_along_axis(dist, j, axis=2)[..., 0] < (1 << 30)
    return np.where(found & ((r != 0) | (c != 0)), d, 0)


def _book(asks: np.ndarray, bids: np.ndarray, prices: int) -> np.ndarray:
    """Per copy and resource: best ask bin × 3 + best bid bin (0 none, 1 ≤ half, 2 above)."""
    C, R = asks.shape[:2]
    a = np.where(asks >= 0, asks, prices).reshape(C, R, -1).min(axis=2)
    b = bids.reshape(C, R, -1).max(axis=2)
    half = (prices - 1) / 2
    abin = np.where(a >= prices, 0, np.where(a <= half, 1, 2))
    bbin = np.where(b < 0, 0, np.where(b <= half, 1, 2))
    return abin * 3 + bbin  # (C, 2)


def gather_build_features(world: GatherBuild, state: GatherBuildState) -> np.ndarray:
    """The active one-hot features of every worker, shape (C, N, K) with K = len(FEATURE_BLOCKS)
    (see :data:`FEATURE_BLOCKS` and the module docstring), integers in
    [0, gather_build_feature_count(world)).

    Examples
    --------
    >>> w = GatherBuild(size=8, patches=1, patch=2)
    >>> f = gather_build_features(w, gather_build_reset(w, 3, rng=0))
    >>> f.shape, bool(f.max() < gather_build_feature_count(w)), f[0, 0, 0].item()
    ((3, 4, 8), True, 0)
    """
    C, N = state.coins.shape
    off = _offsets(world)
    cc = np.arange(C)[:, None]
    pos = state.position
    r, c = pos[..., 0], pos[..., 1]
    wood = np.minimum(state.inventory[..., 0], 2)
    stone = np.minimum(state.inventory[..., 1], 2)
    free = (
        (state.houses[cc, r, c] < 0) & ~state.wood_source[cc, r, c] & ~state.stone_source[cc, r, c]
    )
    P = world.prices
    coins = np.searchsorted(np.array([1.0, P, 3.0 * P]), state.coins, side="right")
    book = _book(state.asks, state.bids, P)  # (C, 2)
    held = state.coins + _escrow(state)
    z = np.maximum(held - state.period_start, 0.0)
    cut = np.array([float(m) for m in world.cutoffs])
    bracket = np.searchsorted(cut, z, side="right") - 1
    rate = np.take_along_axis(state.rates, np.maximum(bracket, 0), axis=1)
    f = np.empty((C, N, len(FEATURE_BLOCKS)), dtype=np.intp)
    f[..., 0] = 0
    f[..., 1] = off[1] + (wood * 3 + stone) * 2 + free
    f[..., 2] = off[2] + _nearest(state.wood, state.wood_cells, state.wood_valid, pos) * 3 + wood
    f[..., 3] = (
        off[3] + _nearest(state.stone, state.stone_cells, state.stone_valid, pos) * 3 + stone
    )
    f[..., 4] = off[4] + coins
    f[..., 5] = off[5] + book[:, 0:1]
    f[..., 6] = off[6] + book[:, 1:2]
    f[..., 7] = off[7] + rate
    return f


def _escrow(state: GatherBuildState) -> np.ndarray:
    return np.maximum(state.bids, 0).sum(axis=(1, 3)).astype(float)


def scaled_us_cutoffs(period: int) -> tuple[Fraction, ...]:
    """The AI Economist's US-federal cut-offs (2018 brackets in dollars / 1000, for its tax
    periods of 100 steps) scaled to tax periods of ``period`` steps: × period / 100, so that the
    brackets stay in proportion to what an agent can earn in a period.

    Examples
    --------
    >>> [str(m) for m in scaled_us_cutoffs(100)[:3]]
    ['0', '97/10', '1579/40']
    >>> float(scaled_us_cutoffs(10)[1])
    0.97
    """
    if isinstance(period, bool) or not isinstance(period, int | np.integer) or period < 1:
        raise ParameterError(f"period must be an integer >= 1, got {period!r}")
    return tuple(Fraction(m) * Fraction(int(period), 100) for m in US_FEDERAL_2018_CUTOFFS)


def _us_indices(world: GatherBuild) -> np.ndarray:
    """The US federal rates as rate-grid indices (nearest grid rate), (B,)."""
    grid = np.asarray(world.rate_grid, dtype=float)
    rates = np.array([float(r) for r in US_FEDERAL_2018_RATES])
    if len(rates) != world.brackets:
        raise ParameterError(
            f"the US federal baseline needs {len(rates)} brackets, the world has {world.brackets}"
        )
    return np.abs(grid[None, :] - rates[:, None]).argmin(axis=1)


def _capped(world: GatherBuild, idx: np.ndarray, cap: float) -> np.ndarray:
    """Rate indices lowered to the largest grid rate ≤ cap."""
    grid = np.asarray(world.rate_grid, dtype=float)
    order = np.argsort(grid, kind="stable")
    allowed = grid[order] <= cap + _CAP_EPS
    best = order[np.flatnonzero(allowed).max()] if allowed.any() else order[0]
    return np.where(grid[idx] <= cap + _CAP_EPS, idx, best)


@dataclass(frozen=True)
class _Episodes:
    """What one batch of episodes recorded (copies ordered (E, runs))."""

    features: np.ndarray  # (T, E, L, K) int16
    actions: np.ndarray  # (T, E, L) int16
    rewards: np.ndarray  # (T, E, L)
    incomes: np.ndarray  # (P, E, R, N) pre-tax period incomes
    state: GatherBuildState


def _play(
    world: GatherBuild,
    weights: np.ndarray,
    skills: np.ndarray,
    rates: np.ndarray,
    episodes: int,
    gen: np.random.Generator,
) -> _Episodes:
    """``episodes`` episodes per run; ``skills`` (R, N, 2) (harvest, build), ``rates`` (E, R, B)."""
    R, N = skills.shape[:2]
    E, T, L = episodes, world.steps, R * N
    C = E * R
    state = gather_build_reset(world, C, rng=gen)
    state.harvest[:] = np.tile(skills[..., 0], (E, 1))
    state.build[:] = np.tile(skills[..., 1], (E, 1))
    feats = np.empty((T, E, L, len(FEATURE_BLOCKS)), dtype=np.int16)
    acts = np.empty((T, E, L), dtype=np.int16)
    rewards = np.empty((T, E, L))
    incomes = np.empty((world.tax_periods, E, R, N))
    flat_rates = rates.reshape(C, -1)
    for t in range(T):
        f = gather_build_features(world, state).reshape(E, L, -1)
        probs = softmax_policy(weights, f)
        a = sample_actions(probs, rng=gen)
        out = gather_build_step(
            world, state, a.reshape(C, N), flat_rates if t == 0 else None, rng=gen
        )
        feats[t], acts[t], rewards[t] = f, a, out.workers.reshape(E, L)
        if state.t % world.period == 0:
            incomes[state.t // world.period - 1] = state.income.reshape(E, R, N)
    return _Episodes(feats, acts, rewards, incomes, state)


#: Time steps per part of the workers' gradient (bounds the memory of one part).
_CHUNK_STEPS = 20


def _worker_update(
    learner_cfg: TwoPhaseCurriculum,
    state: PolicyState,
    played: _Episodes,
    discount: float,
) -> PolicyState:
    T, E, L, K = played.features.shape
    returns = np.empty_like(played.rewards)
    acc = np.zeros((E, L))
    for t in range(T - 1, -1, -1):
        acc = played.rewards[t] + discount * acc
        returns[t] = acc
    adv = normalised_advantages(returns.reshape(T * E, L), groups=1).reshape(T, E, L)
    g = np.zeros_like(state.weights)
    for t0 in range(0, T, _CHUNK_STEPS):
        t1 = min(T, t0 + _CHUNK_STEPS)
        f = played.features[t0:t1].reshape(-1, L, K).astype(np.intp)
        a = played.actions[t0:t1].reshape(-1, L).astype(np.intp)
        probs = softmax_policy(state.weights, f)
        part = policy_gradient(
            learner_cfg.workers, state.weights, f, a, adv[t0:t1].reshape(-1, L), probs
        )
        g += part * ((t1 - t0) / T)
    return apply_gradient(learner_cfg.workers, state, g)


@dataclass(frozen=True)
class GatherBuildTraining:
    """What :func:`train_gather_build` learned, for ``seeds`` runs × the four :data:`REGIMES`.

    Attributes
    ----------
    world : GatherBuild
    curriculum : TwoPhaseCurriculum
    skills : ndarray (S, N, 2)
        Each run's agents' harvester and builder skills.
    productivity, equality, welfare, utility : ndarray (T, 4, S)
        Per iteration, regime and run: the mean over its episodes of the final total coins, of
        1 − Gini·N/(N−1) of the final coins, of their product, and of the workers' mean final
        utility (phase one, common to the regimes, is repeated in each).
    rate_cap : ndarray (T,)
    rate_indices : ndarray (4, S, B)
        Each regime's schedule at the end as rate-grid indices under the final cap: free market
        zeros, US federal, the last Saez estimate, the planner's most probable rates.
    saez_rates : ndarray (U, S, B)
        Every Saez re-estimate (rates, on the grid, before the cap); ``saez_elasticity`` (U, S)
        the elasticity each used; ``saez_converged`` (S,) whether each run's last change was at
        most :data:`SAEZ_TOL_STEPS` grid steps.
    workers : PolicyState
        Phase one: S·N learners; phase two: 4·S·N (regime-major, then run, then agent).
    planner : PolicyState
        S·B learners (run-major), one feature, G rates.
    iterations, finished, seconds
        Iterations done, whether that is the whole curriculum, wall time of this call.
    """

    world: GatherBuild
    curriculum: TwoPhaseCurriculum
    skills: np.ndarray
    productivity: np.ndarray
    equality: np.ndarray
    welfare: np.ndarray
    utility: np.ndarray
    rate_cap: np.ndarray
    rate_indices: np.ndarray
    saez_rates: np.ndarray
    saez_elasticity: np.ndarray
    saez_converged: np.ndarray
    workers: PolicyState
    planner: PolicyState
    iterations: int
    finished: bool
    seconds: float

    @property
    def seeds(self) -> int:
        """The number of independent runs."""
        return int(self.skills.shape[0])


def _fingerprint(
    world: GatherBuild, cur: TwoPhaseCurriculum, seeds: int, discount: float, every: int
) -> str:
    text = json.dumps([repr(world), repr(cur), seeds, discount, every])
    return hashlib.sha256(text.encode()).hexdigest()


def _check_int(name: str, v: object, low: int) -> None:
    if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < low:
        raise ParameterError(f"{name} must be an integer >= {low}, got {v!r}")


def _elasticity(
    world: GatherBuild, free: np.ndarray, us: np.ndarray, us_idx: np.ndarray, previous: float
) -> float:
    """Arc elasticity of mean period income between free market and US federal (module doc)."""
    zf, zu = float(free.mean()), float(us.mean())
    if zf <= 0 or zu <= 0:
        return previous
    cut = np.array([float(m) for m in world.cutoffs])
    tau = np.asarray(world.rate_grid, dtype=float)[us_idx]
    b = np.maximum(np.searchsorted(cut, us.ravel(), side="right") - 1, 0)
    mean_tau = float((tau[b] * us.ravel()).sum() / us.sum())
    if not 0 < mean_tau < 1:
        return previous
    e = np.log(zu / zf) / np.log(1 - mean_tau)
    if not np.isfinite(e):
        return previous
    return float(np.clip(e, *ELASTICITY_RANGE))


def train_gather_build(
    world: GatherBuild,
    curriculum: TwoPhaseCurriculum | None = None,
    *,
    seeds: int = 5,
    discount: float = DISCOUNT,
    saez_every: int = 10,
    rng: int | np.random.Generator | None = None,
    checkpoint: str | Path | None = None,
    checkpoint_every: int = 20,
    max_iterations: int | None = None,
    progress: bool = True,
) -> GatherBuildTraining:
    """Train Gather-and-Build's workers and planner in two phases, with the three baselines
    alongside (module docstring).

    Parameters
    ----------
    world : GatherBuild
        Seven brackets (the US federal baseline's); see :func:`scaled_us_cutoffs`.
    curriculum : TwoPhaseCurriculum, optional
        Learners, phase lengths, cap, and ``schedules × repeats`` episodes per run and
        iteration. Default ``TwoPhaseCurriculum()``.
    seeds : int
        Independent runs (each its own agents).
    discount : float
        Discount of the workers' returns-to-go, in (0, 1].
    saez_every : int
        Iterations between the Saez baseline's re-estimations.
    rng, checkpoint, checkpoint_every, max_iterations, progress
        As in :func:`~dynamics.economy.training.train_planner`.

    Raises
    ------
    ParameterError
        Bad world, curriculum, counts or discount. ``CheckpointError``: a checkpoint of
        another training.

    Examples
    --------
    >>> from dynamics.economy.learners import PolicyGradient
    >>> w = GatherBuild(size=6, steps=20, tax_periods=2, patches=1, patch=2, prices=4,
    ...                 cutoffs=scaled_us_cutoffs(10))
    >>> c = TwoPhaseCurriculum(free_steps=2, joint_steps=2, anneal_steps=1, schedules=2,
    ...                        repeats=2)
    >>> out = train_gather_build(w, c, seeds=2, rng=0, progress=False)
    >>> out.welfare.shape, out.rate_indices.shape, out.finished
    ((4, 4, 2), (4, 2, 7), True)
    """
    gen = np.random.default_rng(rng)
    if not isinstance(world, GatherBuild):
        raise ParameterError(f"world must be a GatherBuild, got {type(world).__name__}")
    cur = TwoPhaseCurriculum() if curriculum is None else curriculum
    if not isinstance(cur, TwoPhaseCurriculum):
        raise ParameterError(f"curriculum must be a TwoPhaseCurriculum, got {cur!r}")
    _check_int("seeds", seeds, 1)
    _check_int("saez_every", saez_every, 1)
    _check_int("checkpoint_every", checkpoint_every, 1)
    if max_iterations is not None:
        _check_int("max_iterations", max_iterations, 0)
    if (
        isinstance(discount, bool)
        or not isinstance(discount, int | float)
        or not (0 < discount <= 1)
    ):
        raise ParameterError(f"discount must be a number in (0, 1], got {discount!r}")
    us_idx = _us_indices(world)
    start = time.perf_counter()
    S, N, B, G = int(seeds), world.agents, world.brackets, len(world.rate_grid)
    Rg = len(REGIMES)
    F, A = gather_build_feature_count(world), world.actions
    Sch, M, T = cur.schedules, cur.repeats, cur.iterations
    E = Sch * M
    grid = np.asarray(world.rate_grid, dtype=float)
    zero_rate = int(np.flatnonzero(grid == 0)[0]) if np.any(grid == 0) else int(grid.argmin())
    probe = gather_build_reset(world, S, rng=gen.spawn(1)[0])
    skills = np.stack([probe.harvest, probe.build], axis=-1)  # (S, N, 2)
    wS = PolicyState(
        np.broadcast_to(_kind_prior(world), (S * N, F, A)).copy(), np.zeros((2, S * N, F, A)), 0
    )
    pS = PolicyState.zeros(S * B, 1, G)
    curves = {k: np.zeros((T, Rg, S)) for k in ("productivity", "equality", "welfare", "utility")}
    U = max(0, (cur.joint_steps - 1) // saez_every)
    saez_hist = np.zeros((U, S, B), dtype=np.intp)
    saez_e = np.zeros((U, S))
    saez_now = np.full((S, B), zero_rate, dtype=np.intp)
    elasticity = np.ones(S)
    updates = 0
    t0 = 0
    path = None if checkpoint is None else Path(checkpoint)
    fp = _fingerprint(world, cur, S, float(discount), saez_every)
    if path is not None and (data := load_checkpoint(path, fp)) is not None:
        t0 = int(data["t"])
        wS, pS = policy_state(data, "workers"), policy_state(data, "planner")
        for k in curves:
            curves[k][:t0] = data[k]
        saez_hist[:] = data["saez_rates"]
        saez_e[:] = data["saez_elasticity"]
        saez_now[:] = data["saez_now"]
        elasticity[:] = data["elasticity"]
        updates = int(data["updates"])
        skills = np.array(data["skills"])
        restore_stream(data, gen)

    def save(t: int) -> None:
        if path is not None:
            arrays: dict[str, np.ndarray] = {k: v[:t] for k, v in curves.items()}
            arrays.update(
                saez_rates=saez_hist,
                saez_elasticity=saez_e,
                saez_now=saez_now,
                elasticity=elasticity,
                updates=np.array(updates),
                skills=skills,
            )
            save_checkpoint(path, fp, t, {"workers": wS, "planner": pS}, arrays, gen)

    stop = T if max_iterations is None else min(T, t0 + max_iterations)
    pf = np.zeros((Sch, S * B, 1), dtype=np.intp)
    t = t0
    try:
        for t in tqdm(range(t0, stop), desc="Gather-and-Build", disable=not progress, leave=False):
            joint = t >= cur.free_steps
            if joint and wS.weights.shape[0] == S * N:  # phase one ends: copy into the regimes
                wS = PolicyState(
                    np.tile(wS.weights, (Rg, 1, 1)), np.tile(wS.moments, (1, Rg, 1, 1)), wS.steps
                )
            cap = cur.rate_cap(t)
            if not joint:
                runs_skills = skills
                rates = np.full((E, S, B), zero_rate, dtype=np.intp)
            else:
                runs_skills = np.tile(skills, (Rg, 1, 1))
                mask = (grid <= cap + _CAP_EPS)[None, None, :]
                p_probs = softmax_policy(pS.weights, pf, mask=mask)
                p_act = sample_actions(p_probs, rng=gen)
                fixed = np.stack(
                    [
                        np.full((S, B), zero_rate),
                        np.broadcast_to(_capped(world, us_idx, cap), (S, B)),
                        _capped(world, saez_now, cap),
                    ]
                )  # (3, S, B)
                rates = np.concatenate(
                    [
                        np.broadcast_to(fixed.reshape(1, 3 * S, B), (E, 3 * S, B)),
                        np.repeat(p_act.reshape(Sch, S, B), M, axis=0),
                    ],
                    axis=1,
                )
            played = _play(world, wS.weights, runs_skills, rates, E, gen)
            wS = _worker_update(cur, wS, played, float(discount))
            R = runs_skills.shape[0]
            coins = played.state.coins.reshape(E, R, N)
            X = coins.reshape(E * R, N)
            prod = welfare_rows(X, "productivity").reshape(E, R)
            eq = welfare_rows(X, "equality").reshape(E, R)
            util = played.state.utility.reshape(E, R, N).mean(axis=2)
            for k, v in (("productivity", prod), ("equality", eq), ("utility", util)):
                curves[k][t] = np.broadcast_to(v.mean(axis=0).reshape(-1, S), (Rg, S))
            curves["welfare"][t] = np.broadcast_to((prod * eq).mean(axis=0).reshape(-1, S), (Rg, S))
            if joint:
                sw = (prod * eq)[:, 3 * S :].reshape(Sch, M, S).mean(axis=1)  # (Sch, S)
                reward = np.repeat(sw, B, axis=1)
                pS = policy_gradient_update(cur.planner, pS, pf, p_act, reward, p_probs)
                k = t - cur.free_steps + 1
                if k % saez_every == 0 and updates < U:
                    inc = played.incomes  # (P, E, R, N)
                    for s in range(S):
                        elasticity[s] = _elasticity(
                            world,
                            inc[:, :, s],
                            inc[:, :, S + s],
                            _capped(world, us_idx, cap),
                            float(elasticity[s]),
                        )
                        z = inc[:, :, 2 * S + s].ravel()
                        new = saez_rates_binned(
                            z, world.cutoffs, float(elasticity[s]), bin_width=_bin(z)
                        )
                        saez_now[s] = np.abs(grid[None, :] - new[:, None]).argmin(axis=1)
                    saez_hist[updates] = saez_now
                    saez_e[updates] = elasticity
                    updates += 1
            if (t + 1) % checkpoint_every == 0:
                save(t + 1)
        t = stop
    except KeyboardInterrupt:
        save(t)
        raise
    save(t)
    done = t
    last_cap = cur.rate_cap(max(done - 1, 0)) if done > cur.free_steps else 0.0
    logits = np.where(grid <= last_cap + _CAP_EPS, pS.weights[:, 0, :], -np.inf)
    planned = logits.argmax(axis=1).reshape(S, B)
    final = np.stack(
        [
            np.full((S, B), zero_rate),
            np.broadcast_to(_capped(world, us_idx, last_cap), (S, B)),
            _capped(world, saez_now, last_cap),
            planned,
        ]
    )
    if updates >= 2:
        change = np.abs(saez_hist[updates - 1] - saez_hist[updates - 2]).max(axis=1)
        converged = change <= SAEZ_TOL_STEPS
    else:
        converged = np.zeros(S, dtype=bool)
    return GatherBuildTraining(
        world=world,
        curriculum=cur,
        skills=skills,
        **{k: v[:done].copy() for k, v in curves.items()},
        rate_cap=np.array([cur.rate_cap(s) for s in range(done)]),
        rate_indices=final,
        saez_rates=grid[saez_hist[:updates]],
        saez_elasticity=saez_e[:updates].copy(),
        saez_converged=converged,
        workers=wS,
        planner=pS,
        iterations=done,
        finished=done == T,
        seconds=time.perf_counter() - start,
    )


def _kind_prior(world: GatherBuild) -> np.ndarray:
    """Initial logits (F, A): the bias feature's row gives the action kinds (no-op, move, build,
    market order) the probabilities :data:`KIND_PRIOR`, split evenly within a kind; others 0."""
    A, P = world.actions, world.prices
    p = np.empty(A)
    p[0], p[1:5], p[5], p[6:] = (
        KIND_PRIOR[0],
        KIND_PRIOR[1] / 4,
        KIND_PRIOR[2],
        KIND_PRIOR[3] / (4 * P),
    )
    W = np.zeros((gather_build_feature_count(world), A))
    W[0] = np.log(p)
    return W


def _bin(z: np.ndarray) -> float:
    """Bin width for the Saez estimator: 1/200 of the largest income (at least a tiny number):
    the rates are bracket means over bins, so the width only needs to resolve the incomes."""
    return max(float(z.max()) / 200.0, 1e-9)


def train_gather_build_runs(
    world: GatherBuild,
    curriculum: TwoPhaseCurriculum | None = None,
    *,
    batches: int,
    seeds: int = 5,
    rng: int | np.random.Generator | None = None,
    executor: Executor | None = None,
) -> tuple[GatherBuildTraining, ...]:
    """``batches`` independent calls of :func:`train_gather_build` (``seeds`` runs each), one
    spawned stream per call, on ``executor`` when given (a process pool, or a dask.distributed
    client's executor), else one after the other; same ``rng``, same results.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> w = GatherBuild(size=6, steps=10, tax_periods=1, patches=1, patch=2, prices=4)
    >>> c = TwoPhaseCurriculum(free_steps=1, joint_steps=1, anneal_steps=1, schedules=2,
    ...                        repeats=2)
    >>> with ThreadPoolExecutor(2) as pool:
    ...     out = train_gather_build_runs(w, c, batches=2, seeds=1, rng=0, executor=pool)
    >>> again = train_gather_build_runs(w, c, batches=2, seeds=1, rng=0)
    >>> all(np.array_equal(a.welfare, b.welfare) for a, b in zip(out, again))
    True
    """
    return over_streams(
        train_gather_build, batches, rng, executor, world, curriculum, seeds=seeds, progress=False
    )


@dataclass(frozen=True)
class GatherBuildEvaluation:
    """Fresh episodes played by trained policies (:func:`evaluate_gather_build`).

    Attributes
    ----------
    productivity, equality, welfare : ndarray (4, S, E)
        Per regime, run and episode: total final coins, 1 − Gini·N/(N−1), their product.
    coins : ndarray (4, S, E, N)
    activity : ndarray (4, S, E, N, 3)
        Houses built, units gathered, orders placed by each agent.
    rate_indices : ndarray (4, S, B)
        The schedules played (``GatherBuildTraining.rate_indices``).
    incomes : ndarray (4, S, E, P, N)
        Each agent's pre-tax income in each of the P tax periods.
    ledger_gap : float
        The largest relative gap of the accounts (:func:`~dynamics.economy.gather_build.ledger`)
        over all episodes at their end.
    state : GatherBuildState
        The final state of every copy, ordered (episode, regime, run).
    """

    productivity: np.ndarray
    equality: np.ndarray
    welfare: np.ndarray
    coins: np.ndarray
    activity: np.ndarray
    rate_indices: np.ndarray
    incomes: np.ndarray
    ledger_gap: float
    state: GatherBuildState


def evaluate_gather_build(
    training: GatherBuildTraining,
    *,
    episodes: int = 16,
    rng: int | np.random.Generator | None = None,
) -> GatherBuildEvaluation:
    """Play ``episodes`` fresh episodes per regime and run with the trained workers (sampled
    actions, as they were trained) under each regime's final schedule.

    Raises
    ------
    ParameterError
        A training that has not reached phase two, or bad ``episodes``.

    Examples
    --------
    >>> w = GatherBuild(size=6, steps=10, tax_periods=1, patches=1, patch=2, prices=4)
    >>> c = TwoPhaseCurriculum(free_steps=1, joint_steps=1, anneal_steps=1, schedules=2,
    ...                        repeats=2)
    >>> ev = evaluate_gather_build(train_gather_build(w, c, seeds=2, rng=0, progress=False),
    ...                            episodes=3, rng=1)
    >>> ev.welfare.shape, ev.activity.shape, ev.ledger_gap < 1e-9
    ((4, 2, 3), (4, 2, 3, 4, 3), True)
    """
    gen = np.random.default_rng(rng)
    if not isinstance(training, GatherBuildTraining):
        raise ParameterError(
            f"training must be a GatherBuildTraining, got {type(training).__name__}"
        )
    _check_int("episodes", episodes, 1)
    world, S = training.world, training.seeds
    N, Rg = world.agents, len(REGIMES)
    if training.workers.weights.shape[0] != Rg * S * N:
        raise ParameterError("training has not reached phase two: nothing to compare")
    E = int(episodes)
    rates = np.broadcast_to(
        training.rate_indices.reshape(1, Rg * S, -1), (E, Rg * S, world.brackets)
    )
    played = _play(
        world, training.workers.weights, np.tile(training.skills, (Rg, 1, 1)), rates, E, gen
    )
    st = played.state
    X = st.coins.reshape(E * Rg * S, N)

    def per_run(v: np.ndarray) -> np.ndarray:  # (E, Rg·S, ...) -> (Rg, S, E, ...)
        v = v.reshape((E, Rg, S) + v.shape[2:])
        return np.moveaxis(v, 0, 2)

    prod = welfare_rows(X, "productivity").reshape(E, Rg * S)
    eq = welfare_rows(X, "equality").reshape(E, Rg * S)
    return GatherBuildEvaluation(
        productivity=per_run(prod),
        equality=per_run(eq),
        welfare=per_run(prod * eq),
        coins=per_run(st.coins.reshape(E, Rg * S, N)),
        activity=per_run(st.activity.reshape(E, Rg * S, N, 3)),
        rate_indices=training.rate_indices.copy(),
        incomes=np.moveaxis(played.incomes.reshape(world.tax_periods, E, Rg, S, N), (0, 1), (3, 2)),
        ledger_gap=ledger(st).largest_gap(),
        state=st,
    )


def occupations(activity: np.ndarray) -> np.ndarray:
    """Each agent's occupation (index into :data:`OCCUPATIONS`) from its ``activity`` (..., 3):
    houses built, units gathered, orders placed. The occupation is the activity with the largest
    share of the agent's **labour** spent on the three (a house costs 2.1, a gathered unit one
    move, 0.21, an order 0.05: Foundation's labour costs), so that one house is not outweighed by
    two gathered units; ties go to the first (builder, gatherer, trader); none at all is idle.

    Examples
    --------
    >>> occupations(np.array([[3, 4, 0], [0, 5, 1], [0, 0, 9], [0, 0, 0]])).tolist()
    [0, 1, 2, 3]
    """
    a = np.asarray(activity)
    if a.shape[-1:] != (3,):
        raise ParameterError(f"activity must have shape (..., 3), got {a.shape}")
    if np.any(a < 0):
        raise ParameterError("activity counts must be non-negative")
    effort = a * np.array([BUILD_LABOUR, MOVE_LABOUR, TRADE_LABOUR])
    return np.where(effort.sum(axis=-1) > 0, effort.argmax(axis=-1), 3)
