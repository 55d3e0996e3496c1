"""Learning harvesters: independent softmax policy-gradient learners on the Harvest commons,
vectorised over runs × agents with episodes batched, and the mean-field reading of their play.

Learners are :mod:`dynamics.economy.learners`' (REINFORCE with a baseline, an entropy bonus and
Adam), one per (run, agent), ``L = runs · N`` learners in one weight array; each run plays
``episodes`` copies of the commons at once (:func:`~dynamics.commons.harvest.harvest_step` on
``runs · episodes`` copies, run-major).

Modelling choices, named:

* **Policy**: linear softmax over one-hot features of the agent's observation
  (:func:`harvester_features`): a bias; whether there is an apple underfoot crossed with the
  apple density of the view in four bands (so "pick only where the orchard is dense", a
  conserving policy, and "pick everything" are both representable); the view cone with the
  most apples (or none), so walking towards apples is; and the tax bracket the agent's next
  apple of the period falls in, so a response to the marginal rate is.
* **Credit**: each step's action is credited with the discounted return-to-go of the agent's
  own rewards, ``G_t = Σ_{s >= t} γ^{s - t} r_s`` (``discount`` γ, 0.98 by default: a horizon
  of about 50 steps, long enough for a pick to be weighed against the apples it stops growing
  nearby, short enough for a usable signal); the baseline is the mean return of the same step
  over the run's ``episodes`` copies (``groups`` = steps in
  :func:`~dynamics.economy.learners.policy_gradient_update`, a time-dependent baseline).
  The seed's agents use PPO with GAE and parameter sharing; these use REINFORCE without
  sharing (each agent its own weights, since types differ), a named departure.
* **Episodes**: every iteration starts ``episodes`` fresh copies per run from ``apples`` (the
  same orchard, e.g. the previous round's last one) or from a random orchard at
  ``harvest.density``, and plays one whole episode; one update per iteration.

Mean-field reading (:func:`mean_field_commons`): the grid maps to
:class:`theory.commons.HarvestCommons` with carrying capacity ``K`` = cells, intrinsic growth
``r = 12 p(1) = 3/100`` per step (the linearisation of the local regrowth rule at an empty
neighbourhood, :func:`dynamics.commons.grid.mean_field_collapse_harvest`'s growth factor minus 1),
catchability ``q = 1/K`` (an agent picking blindly with probability ``e`` per step finds an apple
with probability ``x/K``, so it harvests ``q e x``) and cost ``c`` = ``effort_cost``. Learned
agents do not pick blindly, so their *effective* effort is measured from what they pick:
``e_i = a_i / (q x̄)`` with ``a_i`` their apples per step and ``x̄`` the mean stock.

Examples
--------
>>> h = Harvest(height=6, width=6, agents=2, view=2, period=10, episode=20)
>>> out = train_harvesters(h, iterations=3, runs=2, episodes=4, rng=0, progress=False)
>>> out.reward.shape, out.final.copies, out.policies.weights.shape
((3, 2), 8, (4, 15, 6))
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from tqdm.auto import tqdm

from dynamics._checkpoints import load_checkpoint, policy_state, restore_stream, save_checkpoint
from dynamics._checks import generator, generators, integer_at_least
from dynamics.commons.grid import REGROWTH_PROBABILITIES, dead_sites, neighbourhood_offsets
from dynamics.commons.harvest import (
    HARVEST_ACTIONS,
    OBSERVATION_FEATURES,
    Harvest,
    HarvestState,
    ScheduleBatch,
    harvest_observations,
    harvest_reset,
    harvest_step,
)
from dynamics.economy.learners import (
    PolicyGradient,
    PolicyState,
    policy_gradient_update,
    sample_actions,
    softmax_policy,
)
from dynamics.errors import ParameterError, ParameterTypeError
from theory.commons.model import HarvestCommons
from theory.policy.tax import TaxSchedule

__all__ = [
    "DENSITY_BANDS",
    "DEFAULT_DISCOUNT",
    "HarvesterTraining",
    "HarvestPlay",
    "harvester_features",
    "harvester_feature_count",
    "train_harvesters",
    "train_harvesters_under",
    "play_harvesters",
    "play_harvesters_under",
    "mean_field_commons",
]

#: The upper ends of the view-density bands of :func:`harvester_features` (apples in view over
#: cells in view): [0, 1/8), [1/8, 1/4), [1/4, 1/2), [1/2, 1]. The mean-field collapse and fold
#: of the regrowth rule lie at densities below 1/4, so the bands separate a sparse, a thinning
#: and a healthy neighbourhood.
DENSITY_BANDS = (0.125, 0.25, 0.5)
#: The default discount of the return-to-go (see the module docstring).
DEFAULT_DISCOUNT = 0.98

_COL = {name: k for k, name in enumerate(OBSERVATION_FEATURES)}


def harvester_feature_count(harvest: Harvest) -> int:
    """F, the number of one-hot features of :func:`harvester_features`: 1 bias, 2 × 4 (apple
    underfoot × density band), 5 (fullest cone or none) and B (the next apple's bracket).

    Examples
    --------
    >>> harvester_feature_count(Harvest())
    15
    """
    return 1 + 2 * (len(DENSITY_BANDS) + 1) + 5 + harvest.schedule.brackets


def harvester_features(
    harvest: Harvest,
    observations: np.ndarray,
    *,
    schedules: ScheduleBatch | Sequence[TaxSchedule] | None = None,
) -> np.ndarray:
    """The active one-hot features, int array (..., 4), of observations (..., F_obs) from
    :func:`~dynamics.commons.harvest.harvest_observations` (see the module docstring).

    With ``schedules`` (a :class:`~dynamics.commons.harvest.ScheduleBatch` or its schedules),
    ``observations`` are (C, N, F_obs) and the bracket feature of copy block ``g`` is read on
    the ``g``-th schedule's cut-offs, as ``harvest.with_schedule(schedules[g])`` would.

    Examples
    --------
    >>> from dynamics.commons.harvest import harvest_observations
    >>> h = Harvest(height=5, width=5, agents=1, view=1)
    >>> s = harvest_reset(h, 1, rng=0, apples=np.ones((5, 5), dtype=bool))
    >>> harvester_features(h, harvest_observations(h, s)).tolist()   # bias, here+dense, up, b0
    [[[0, 8, 9, 14]]]
    """
    obs = np.asarray(observations)
    window = (2 * harvest.view + 1) ** 2
    here = obs[..., _COL["apple_here"]] > 0
    density = obs[..., _COL["apples_in_view"]] / window
    band = np.searchsorted(np.asarray(DENSITY_BANDS), density, side="right")
    bands = len(DENSITY_BANDS) + 1
    cones = obs[..., _COL["apples_up"] : _COL["apples_right"] + 1]
    direction = np.where(cones.max(axis=-1) > 0, cones.argmax(axis=-1), 4)
    next_apple = obs[..., _COL["period_apples"]] + 1
    if schedules is None:
        upper = np.asarray(harvest.schedule.cutoffs[1:], dtype=float)
        bracket = np.searchsorted(upper, next_apple, side="left")
    else:  # the brackets below the next apple, each copy on its own schedule's cut-offs
        batch = (
            schedules if isinstance(schedules, ScheduleBatch) else ScheduleBatch(tuple(schedules))
        )
        if obs.ndim != 3:
            raise ParameterError(
                f"observations must be (copies, agents, features) with schedules, got {obs.shape}"
            )
        upper = batch.lower[batch.of_copies(obs.shape[0]), None, 1:]  # (C, 1, B - 1)
        bracket = (upper < next_apple[..., None]).sum(axis=-1)
    out = np.empty(obs.shape[:-1] + (4,), dtype=np.intp)
    out[..., 0] = 0
    out[..., 1] = 1 + here * bands + band
    out[..., 2] = 1 + 2 * bands + direction
    out[..., 3] = 1 + 2 * bands + 5 + bracket
    return out


@dataclass(frozen=True)
class HarvesterTraining:
    """What :func:`train_harvesters` learned, for R runs of N agents (T iterations done).

    Attributes
    ----------
    harvest : Harvest
    policies : PolicyState
        R·N learners (run-major), :func:`harvester_feature_count` features, 6 actions.
    reward : ndarray (T, R)
        Mean reward per agent and step in each iteration's episodes (the learning curve).
    apples : ndarray (T, R)
        Apples picked per agent and step.
    stock : ndarray (T, R)
        Mean orchard density over the episodes' steps.
    effort : ndarray (T, R)
        Share of agents' steps spent on the harvest action.
    final : HarvestState
        The last iteration's final states: R·E copies, run-major (copy ``r·E + e``).
    iterations : int
        Iterations done (T); ``finished`` when that is all that were asked for.
    seconds : float
        Wall time of this call.
    """

    harvest: Harvest
    policies: PolicyState
    reward: np.ndarray
    apples: np.ndarray
    stock: np.ndarray
    effort: np.ndarray
    final: HarvestState
    iterations: int
    finished: bool
    seconds: float

    @property
    def runs(self) -> int:
        """R, the number of independent runs."""
        return int(self.reward.shape[1])


def _fingerprint(harvest: Harvest, *parts: Any) -> str:
    """A digest of the training's settings; arrays by their bytes (numpy's repr elides long
    ones, so two orchards could print alike)."""
    digest = hashlib.sha256(json.dumps(repr(harvest)).encode())
    for p in parts:
        if isinstance(p, np.ndarray):
            digest.update(repr((p.shape, p.dtype.str)).encode() + p.tobytes())
        else:
            digest.update(json.dumps(repr(p)).encode())
    return digest.hexdigest()


def _policy_check(initial: Any, learners: int, features: int) -> PolicyState:
    if initial is None:
        return PolicyState.zeros(learners, features, len(HARVEST_ACTIONS))
    if isinstance(initial, HarvesterTraining):
        initial = initial.policies
    if not isinstance(initial, PolicyState):
        raise ParameterTypeError(
            f"initial must be a PolicyState or a HarvesterTraining, got {type(initial).__name__}"
        )
    want = (learners, features, len(HARVEST_ACTIONS))
    if initial.weights.shape != want:
        raise ParameterError(
            f"initial policies have shape {initial.weights.shape}, this training needs {want} "
            "(runs·agents, features, actions)"
        )
    return initial


def _orchards(harvest: Harvest, apples: Any, runs: int, copies: int) -> np.ndarray | None:
    """Per-run orchards (H, W) or (R, H, W) repeated to R·copies copies, run-major."""
    if apples is None:
        return None
    g = np.asarray(apples)
    shape = (harvest.height, harvest.width)
    if g.shape == shape:
        g = np.broadcast_to(g, (runs, *shape))
    if g.shape != (runs, *shape):
        raise ParameterError(
            f"apples must have shape {shape} or ({runs}, {shape[0]}, {shape[1]}) (one per run), "
            f"got {g.shape}"
        )
    return np.repeat(g, copies, axis=0)


def _actions(
    harvest: Harvest,
    policies: PolicyState,
    state: HarvestState,
    runs: int,
    gens: list[np.random.Generator],
    batch: ScheduleBatch | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sample every agent's action: (features (E, L, 4), probs (E, L, A), actions (E, L),
    the same actions as (C, N)); learner block ``g`` (of ``len(gens)`` equal blocks, each a
    block of runs) draws from ``gens[g]``."""
    C, N = state.copies, harvest.agents
    E = C // runs
    obs = harvest_observations(harvest, state)
    feats = harvester_features(harvest, obs, schedules=batch)  # (C, N, 4)
    feats = feats.reshape(runs, E, N, 4).transpose(1, 0, 2, 3).reshape(E, runs * N, 4)
    probs = softmax_policy(policies.weights, feats)
    if len(gens) == 1:
        acts = sample_actions(probs, rng=gens[0])
    else:
        w = probs.shape[1] // len(gens)
        acts = np.concatenate(
            [sample_actions(probs[:, g * w : (g + 1) * w], rng=s) for g, s in enumerate(gens)],
            axis=1,
        )
    grid = acts.reshape(E, runs, N).transpose(1, 0, 2).reshape(C, N)
    return feats, probs, acts, grid


def _settings(
    harvest: Any, iterations: Any, runs: Any, episodes: Any, learner: Any, discount: Any
) -> tuple[int, int, int, PolicyGradient]:
    """The checked (T, R, E, learner) of a training."""
    if not isinstance(harvest, Harvest):
        raise ParameterTypeError(f"harvest must be a Harvest, got {type(harvest).__name__}")
    T = integer_at_least(iterations, "iterations", 1)
    R = integer_at_least(runs, "runs", 1)
    E = integer_at_least(episodes, "episodes", 2)
    lrn = PolicyGradient(0.05, 0.01) if learner is None else learner
    if not isinstance(lrn, PolicyGradient):
        raise ParameterTypeError(f"learner must be a PolicyGradient, got {lrn!r}")
    if isinstance(discount, bool) or not isinstance(discount, int | float) or not 0 < discount <= 1:
        raise ParameterError(f"discount must be a number in (0, 1], got {discount!r}")
    return T, R, E, lrn


def _iteration(
    harvest: Harvest,
    batch: ScheduleBatch | None,
    gens: list[np.random.Generator],
    policies: PolicyState,
    runs: int,
    episodes: int,
    learner: PolicyGradient,
    discount: float,
    start_orchard: np.ndarray | None,
) -> tuple[PolicyState, np.ndarray, HarvestState]:
    """One training iteration of ``runs`` runs, in ``len(gens)`` equal blocks of runs (block
    ``g`` under the batch's ``g``-th schedule, drawing from ``gens[g]``): the updated policies,
    the iteration's curves (4, runs) and its final states."""
    R, E, N, S = runs, episodes, harvest.agents, harvest.episode
    G = len(gens)
    state = harvest_reset(harvest, R * E, apples=start_orchard, streams=gens)
    feats = np.empty((S, E, R * N, 4), dtype=np.intp)
    probs = np.empty((S, E, R * N, len(HARVEST_ACTIONS)))
    acts = np.empty((S, E, R * N), dtype=np.intp)
    rewards = np.empty((S, E, R * N))
    stock = np.zeros(R * E)
    picked = np.zeros(R * E)
    efforts = np.zeros(R * E)
    for s in range(S):
        feats[s], probs[s], acts[s], grid = _actions(harvest, policies, state, R, gens, batch)
        out = harvest_step(harvest, state, grid, schedules=batch, streams=gens)
        rewards[s] = out.reward.reshape(R, E, N).transpose(1, 0, 2).reshape(E, R * N)
        state = out.state
        stock += state.stock
        picked += out.picked.sum(axis=1)
        efforts += out.harvested.sum(axis=1)
    # discounted return-to-go, G_s = r_s + γ G_{s+1}, backwards (a cumulative sum of
    # γ^s r_s divided by γ^s would underflow on long episodes)
    returns = rewards.copy()
    for s in range(S - 2, -1, -1):
        returns[s] += discount * returns[s + 1]
    policies = policy_gradient_update(
        learner,
        policies,
        feats.reshape(S * E, R * N, 4),
        acts.reshape(S * E, R * N),
        returns.reshape(S * E, R * N),
        probs.reshape(S * E, R * N, len(HARVEST_ACTIONS)),
        groups=S,
    )
    curves = np.empty((4, R))
    r = R // G
    for g in range(G):  # block by block, the very sums a call on the block alone makes
        block = np.ascontiguousarray(rewards[:, :, g * r * N : (g + 1) * r * N])
        curves[0, g * r : (g + 1) * r] = block.reshape(S, E, r, N).mean(axis=(0, 1, 3))
    curves[1] = picked.reshape(R, E).mean(axis=1) / (S * N)
    curves[2] = stock.reshape(R, E).mean(axis=1) / (S * harvest.cells)
    curves[3] = efforts.reshape(R, E).mean(axis=1) / (S * N)
    return policies, curves, state


def train_harvesters(
    harvest: Harvest,
    *,
    iterations: int,
    runs: int = 4,
    episodes: int = 8,
    learner: PolicyGradient | None = None,
    discount: float = DEFAULT_DISCOUNT,
    initial: PolicyState | HarvesterTraining | None = None,
    apples: ArrayLike | None = None,
    rng: int | np.random.Generator | None = None,
    progress: bool = True,
    checkpoint: str | Path | None = None,
) -> HarvesterTraining:
    """Train R independent runs of N learning harvesters for ``iterations`` episodes-batches.

    Parameters
    ----------
    harvest : Harvest
        The commons, its types and its (fixed) tax schedule.
    iterations : int >= 1
        Policy updates; each plays one whole episode in ``episodes`` copies per run.
    runs : int >= 1
        Independent runs (each its own learners), trained side by side.
    episodes : int >= 2
        Copies per run per iteration (the baseline is their mean return at each step).
    learner : PolicyGradient, optional
        Step size, entropy bonus, step rule; default ``PolicyGradient(0.05, 0.01)`` (Adam).
    discount : float in (0, 1]
        γ of the return-to-go.
    initial : PolicyState or HarvesterTraining, optional
        Policies to continue from (e.g. the previous round's), shape (R·N, F, 6).
    apples : array_like, (H, W) or (R, H, W), optional
        The orchard every episode of a run starts from; random at ``harvest.density`` if None.
    rng : None, int or numpy.random.Generator
        The random stream; ignored when resuming (the checkpoint's own is used).
    progress : bool
        Show a tqdm bar.
    checkpoint : path, optional
        A ``.npz`` file: resumed from when it exists (it must belong to the same commons,
        settings and runs), written at the end and on Ctrl-C (which is then re-raised).

    Raises
    ------
    ParameterError
        Bad counts, discount, learner, initial policies or orchards; ``CheckpointError`` for a
        checkpoint of another training or one that cannot be read.

    Examples
    --------
    >>> h = Harvest(height=6, width=6, agents=2, view=2, period=10, episode=20)
    >>> a = train_harvesters(h, iterations=2, runs=1, episodes=2, rng=3, progress=False)
    >>> b = train_harvesters(h, iterations=2, runs=1, episodes=2, rng=3, progress=False)
    >>> bool(np.array_equal(a.policies.weights, b.policies.weights))
    True
    """
    gen = generator(rng)
    T, R, E, lrn = _settings(harvest, iterations, runs, episodes, learner, discount)
    N, S = harvest.agents, harvest.episode
    F = harvester_feature_count(harvest)
    policies = _policy_check(initial, R * N, F)
    start_orchard = _orchards(harvest, apples, R, E)
    curves = np.zeros((4, T, R))
    t0 = 0
    path = None if checkpoint is None else Path(checkpoint)
    fp = _fingerprint(harvest, T, R, E, lrn, float(discount), start_orchard)
    data = None if path is None else load_checkpoint(path, fp)
    if data is not None:
        t0 = int(data["t"])
        policies = policy_state(data, "policies")
        curves[:, :t0] = data["curves"]
        restore_stream(data, gen)

    def save(t: int, done: PolicyState, stream: Mapping[str, Any]) -> None:
        """Write the policies and stream as they were when iteration t began (atomically)."""
        if path is not None:
            save_checkpoint(path, fp, t, {"policies": done}, {"curves": curves[:, :t]}, stream)

    start = time.perf_counter()
    state = None
    t = t0
    snapshot = (policies, gen.bit_generator.state)
    try:
        for t in tqdm(range(t0, T), desc="harvesters", disable=not progress, leave=False):
            # an interrupted iteration is dropped whole: the checkpoint keeps the policies and
            # the stream as they were when it began, so a resumed run equals an unbroken one
            snapshot = (policies, gen.bit_generator.state)
            policies, curves[:, t], state = _iteration(
                harvest, None, [gen], policies, R, E, lrn, float(discount), start_orchard
            )
        t = T
    except KeyboardInterrupt:
        save(t, *snapshot)
        raise
    save(t, policies, gen.bit_generator.state)
    if state is None:  # resumed from a finished checkpoint: play one episode for the final state
        state = play_harvesters(
            harvest, policies, steps=S, runs=R, copies=E, rng=gen, apples=apples
        ).final
    return HarvesterTraining(
        harvest=harvest,
        policies=policies,
        reward=curves[0, :t].copy(),
        apples=curves[1, :t].copy(),
        stock=curves[2, :t].copy(),
        effort=curves[3, :t].copy(),
        final=state,
        iterations=t,
        finished=t == T,
        seconds=time.perf_counter() - start,
    )


def _batch_and_streams(
    schedules: Any, rng: Any, streams: Any
) -> tuple[ScheduleBatch, list[np.random.Generator]]:
    """The checked schedules and one stream per schedule (``rng.spawn(G)`` by default)."""
    batch = schedules if isinstance(schedules, ScheduleBatch) else ScheduleBatch(schedules)
    G = len(batch)
    if streams is None:
        return batch, generator(rng).spawn(G)
    if rng is not None:
        raise ParameterError("give rng or streams (one per schedule), not both")
    gens = generators(streams)
    if len(gens) != G:
        raise ParameterError(f"streams must give one Generator per schedule ({G}), got {len(gens)}")
    return batch, gens


def _tiled(policies: PolicyState, times: int) -> PolicyState:
    """``times`` copies of the learners of ``policies``, block after block."""
    return PolicyState(
        np.concatenate([policies.weights] * times),
        np.concatenate([policies.moments] * times, axis=1),
        policies.steps,
    )


def _grid_orchards(
    harvest: Harvest, apples: Any, schedules: int, runs: int, copies: int
) -> np.ndarray | None:
    """Starting orchards of G schedules' runs × copies, schedule-major: ``apples`` (H, W) or
    (R, H, W) for every schedule, or (G, R, H, W), one set per schedule."""
    if apples is None:
        return None
    g = np.asarray(apples)
    if g.ndim != 4:
        return np.concatenate([_orchards(harvest, g, runs, copies)] * schedules)
    if g.shape[0] != schedules:
        raise ParameterError(
            f"apples of shape {g.shape} must give one set of orchards per schedule "
            f"({schedules}), or be (H, W) or (R, H, W) for every schedule"
        )
    return np.concatenate([_orchards(harvest, a, runs, copies) for a in g])


def train_harvesters_under(
    harvest: Harvest,
    schedules: ScheduleBatch | Sequence[TaxSchedule],
    *,
    iterations: int,
    runs: int = 4,
    episodes: int = 8,
    learner: PolicyGradient | None = None,
    discount: float = DEFAULT_DISCOUNT,
    initial: PolicyState | HarvesterTraining | None = None,
    apples: ArrayLike | None = None,
    rng: int | np.random.Generator | None = None,
    streams: Sequence[np.random.Generator] | None = None,
    progress: bool = True,
) -> tuple[HarvesterTraining, ...]:
    """Train the harvesters under each of G tax schedules, all in one batched call: G·R runs
    (schedule-major) step together through the core (a
    :class:`~dynamics.commons.harvest.ScheduleBatch`: each block of runs taxed by its own
    schedule), so each step is one call for the whole grid instead of one per schedule.

    Training ``g`` is exactly ``train_harvesters(harvest.with_schedule(schedules[g]), ...,
    rng=streams[g])`` with the same options: each schedule draws from its own stream, as
    many one-schedule calls would, and the learners of different schedules never meet.

    Parameters
    ----------
    harvest : Harvest
        The commons and its types (its own schedule is not used).
    schedules : ScheduleBatch or sequence of G TaxSchedule
        The same number of brackets each.
    iterations, runs, episodes, learner, discount, progress
        As :func:`train_harvesters`, for every schedule.
    apples : array_like (H, W), (R, H, W) or (G, R, H, W), optional
        The orchards the episodes start from: as :func:`train_harvesters`'s for every
        schedule, or one set per schedule.
    initial : PolicyState (R·N, F, 6) or HarvesterTraining, optional
        Policies every schedule's training continues from (e.g. the society's).
    rng : None, int or numpy.random.Generator
        Spawns the G streams (``rng.spawn(G)``) when ``streams`` is not given.
    streams : sequence of G numpy.random.Generator, optional
        Schedule ``g``'s stream.

    Returns
    -------
    tuple of HarvesterTraining
        One per schedule, in order (its ``harvest`` is ``harvest.with_schedule(schedules[g])``;
        its ``seconds`` is the whole call's).

    Raises
    ------
    ParameterError
        As :func:`train_harvesters`; schedules with different bracket counts; a number of
        streams other than G; both ``rng`` and ``streams``.

    Examples
    --------
    >>> from theory.policy.tax import TaxSchedule
    >>> h = Harvest(height=6, width=6, agents=2, view=2, period=10, episode=20)
    >>> grid = [TaxSchedule([0], [0]), TaxSchedule([0], [1])]
    >>> both = train_harvesters_under(h, grid, iterations=2, runs=1, episodes=2, rng=3,
    ...                               progress=False)
    >>> one = train_harvesters(h.with_schedule(grid[1]), iterations=2, runs=1, episodes=2,
    ...                        rng=np.random.default_rng(3).spawn(2)[1], progress=False)
    >>> bool(np.array_equal(both[1].policies.weights, one.policies.weights))
    True
    """
    T, R, E, lrn = _settings(harvest, iterations, runs, episodes, learner, discount)
    batch, gens = _batch_and_streams(schedules, rng, streams)
    G, N = len(batch), harvest.agents
    base = harvest.with_schedule(batch.schedules[0])
    F = harvester_feature_count(base)
    policies = _tiled(_policy_check(initial, R * N, F), G)
    start_orchard = _grid_orchards(base, apples, G, R, E)
    curves = np.zeros((4, T, G * R))
    start = time.perf_counter()
    state = None
    for t in tqdm(range(T), desc="harvesters", disable=not progress, leave=False):
        policies, curves[:, t], state = _iteration(
            base, batch, gens, policies, G * R, E, lrn, float(discount), start_orchard
        )
    assert state is not None  # T >= 1
    seconds = time.perf_counter() - start
    L = R * N
    return tuple(
        HarvesterTraining(
            harvest=harvest.with_schedule(sched),
            policies=PolicyState(
                policies.weights[g * L : (g + 1) * L].copy(),
                policies.moments[:, g * L : (g + 1) * L].copy(),
                policies.steps,
            ),
            reward=curves[0, :, g * R : (g + 1) * R].copy(),
            apples=curves[1, :, g * R : (g + 1) * R].copy(),
            stock=curves[2, :, g * R : (g + 1) * R].copy(),
            effort=curves[3, :, g * R : (g + 1) * R].copy(),
            final=state.copies_of(g * R * E, (g + 1) * R * E),
            iterations=T,
            finished=True,
            seconds=seconds,
        )
        for g, sched in enumerate(batch)
    )


@dataclass(frozen=True)
class HarvestPlay:
    """Learned play without learning: R runs × C copies for S steps.

    Attributes
    ----------
    stock : int ndarray (S + 1, R, C)
        Apples on the orchard before the first step and after every step.
    dead : float ndarray (S + 1, R, C)
        Share of cells that are dead (empty with no apple within the regrowth radius:
        :func:`dynamics.commons.grid.dead_sites`).
    picked, harvests : int ndarray (R, C, N)
        Apples each agent picked, and harvest actions it took, over the S steps.
    final : HarvestState
        The states after the last step, R·C copies, run-major.
    """

    stock: np.ndarray
    dead: np.ndarray
    picked: np.ndarray
    harvests: np.ndarray
    final: HarvestState


def _play(
    long: Harvest,
    batch: ScheduleBatch | None,
    gens: list[np.random.Generator],
    policies: PolicyState,
    steps: int,
    runs: int,
    copies: int,
    orchards: np.ndarray | None,
    progress: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, HarvestState]:
    """Learned play of ``runs`` runs × ``copies`` copies (blocks of runs by ``gens``, as
    :func:`_iteration`): stock (S + 1, R·C), dead (S + 1, R·C), picked and harvests (R·C, N),
    the final states."""
    S, R, C, N = steps, runs, copies, long.agents
    state = harvest_reset(long, R * C, apples=orchards, streams=gens)
    stock = np.empty((S + 1, R * C), dtype=np.int64)
    dead = np.empty((S + 1, R * C))
    stock[0] = state.stock
    dead[0] = dead_sites(state.apples).mean(axis=(1, 2))
    picked = np.zeros((R * C, N), dtype=np.int64)
    harvests = np.zeros((R * C, N), dtype=np.int64)
    for s in tqdm(range(S), desc="play", disable=not progress, leave=False):
        grid = _actions(long, policies, state, R, gens, batch)[3]
        out = harvest_step(long, state, grid, schedules=batch, streams=gens)
        state = out.state
        stock[s + 1] = state.stock
        dead[s + 1] = dead_sites(state.apples).mean(axis=(1, 2))
        picked += out.picked
        harvests += out.harvested
    return stock, dead, picked, harvests, state


def _stretched(
    harvest: Harvest, steps: Any, runs: Any, copies: Any
) -> tuple[Harvest, int, int, int]:
    """The checked (commons with its episode covering ``steps``, S, R, C) of a play."""
    if not isinstance(harvest, Harvest):
        raise ParameterTypeError(f"harvest must be a Harvest, got {type(harvest).__name__}")
    S = integer_at_least(steps, "steps", 1)
    R = integer_at_least(runs, "runs", 1)
    C = integer_at_least(copies, "copies", 1)
    return replace(harvest, episode=-(-S // harvest.period) * harvest.period), S, R, C


def play_harvesters(
    harvest: Harvest,
    policies: PolicyState | HarvesterTraining,
    *,
    steps: int,
    runs: int,
    copies: int = 1,
    apples: ArrayLike | None = None,
    rng: int | np.random.Generator | None = None,
    progress: bool = False,
) -> HarvestPlay:
    """Play learned (stochastic) policies for ``steps`` steps, which may exceed an episode:
    the commons is ``harvest`` with its episode stretched to a whole number of periods covering
    ``steps``. Policies do not change.

    Parameters
    ----------
    policies : PolicyState (R·N, F, 6) or HarvesterTraining
    steps : int >= 1
    runs : int >= 1
        R, as in the training the policies come from.
    copies : int >= 1
        Copies per run.
    apples : array_like (H, W) or (R, H, W), optional
        Starting orchards (per run); random at ``harvest.density`` if None.

    Examples
    --------
    >>> h = Harvest(height=6, width=6, agents=2, view=2, period=10, episode=20)
    >>> t = train_harvesters(h, iterations=1, runs=1, episodes=2, rng=0, progress=False)
    >>> p = play_harvesters(h, t, steps=50, runs=1, copies=3, rng=0)
    >>> p.stock.shape, p.picked.shape
    ((51, 1, 3), (1, 3, 2))
    """
    gen = generator(rng)
    long, S, R, C = _stretched(harvest, steps, runs, copies)
    N = harvest.agents
    pol = _policy_check(policies, R * N, harvester_feature_count(harvest))
    stock, dead, picked, harvests, state = _play(
        long, None, [gen], pol, S, R, C, _orchards(long, apples, R, C), progress
    )
    return HarvestPlay(
        stock.reshape(S + 1, R, C),
        dead.reshape(S + 1, R, C),
        picked.reshape(R, C, N),
        harvests.reshape(R, C, N),
        state,
    )


def play_harvesters_under(
    harvest: Harvest,
    schedules: ScheduleBatch | Sequence[TaxSchedule],
    policies: Sequence[PolicyState | HarvesterTraining],
    *,
    steps: int,
    runs: int,
    copies: int = 1,
    apples: ArrayLike | None = None,
    rng: int | np.random.Generator | None = None,
    streams: Sequence[np.random.Generator] | None = None,
    progress: bool = False,
) -> tuple[HarvestPlay, ...]:
    """Play G schedules' learned policies, each under its schedule, in one batched call
    (G·R runs × C copies through the core with a
    :class:`~dynamics.commons.harvest.ScheduleBatch`).

    Play ``g`` is exactly ``play_harvesters(harvest.with_schedule(schedules[g]),
    policies[g], ..., rng=streams[g])`` with the same options.

    Parameters
    ----------
    schedules : ScheduleBatch or sequence of G TaxSchedule
    policies : sequence of G PolicyState (R·N, F, 6) or HarvesterTraining
        Schedule ``g``'s learners (e.g. :func:`train_harvesters_under`'s trainings).
    steps, runs, copies, progress
        As :func:`play_harvesters`, for every schedule.
    apples : array_like (H, W), (R, H, W) or (G, R, H, W), optional
        Starting orchards: per run for every schedule, or one set per schedule (e.g. each
        training's last orchards).
    rng : None, int or numpy.random.Generator
        Spawns the G streams (``rng.spawn(G)``) when ``streams`` is not given.
    streams : sequence of G numpy.random.Generator, optional

    Raises
    ------
    ParameterError
        As :func:`play_harvesters`; not one policy set and one stream per schedule; both
        ``rng`` and ``streams``.

    Examples
    --------
    >>> from theory.policy.tax import TaxSchedule
    >>> h = Harvest(height=6, width=6, agents=2, view=2, period=10, episode=20)
    >>> grid = [TaxSchedule([0], [0]), TaxSchedule([0], [1])]
    >>> ts = train_harvesters_under(h, grid, iterations=1, runs=1, episodes=2, rng=0,
    ...                             progress=False)
    >>> plays = play_harvesters_under(h, grid, ts, steps=30, runs=1, copies=3, rng=0)
    >>> len(plays), plays[0].stock.shape
    (2, (31, 1, 3))
    """
    long, S, R, C = _stretched(harvest, steps, runs, copies)
    batch, gens = _batch_and_streams(schedules, rng, streams)
    G, N = len(batch), harvest.agents
    if isinstance(policies, PolicyState | HarvesterTraining) or not isinstance(policies, Sequence):
        raise ParameterTypeError(
            f"policies must be a sequence of one PolicyState per schedule, got {policies!r}"
        )
    if len(policies) != G:
        raise ParameterError(
            f"policies must give one PolicyState per schedule ({G}), got {len(policies)}"
        )
    long = long.with_schedule(batch.schedules[0])
    F = harvester_feature_count(long)
    parts = [_policy_check(p, R * N, F) for p in policies]
    pol = PolicyState(
        np.concatenate([p.weights for p in parts]),
        np.concatenate([p.moments for p in parts], axis=1),
        0,
    )
    orchards = _grid_orchards(long, apples, G, R, C)
    stock, dead, picked, harvests, state = _play(
        long, batch, gens, pol, S, G * R, C, orchards, progress
    )
    K = R * C
    return tuple(
        HarvestPlay(
            stock[:, g * K : (g + 1) * K].reshape(S + 1, R, C),
            dead[:, g * K : (g + 1) * K].reshape(S + 1, R, C),
            picked[g * K : (g + 1) * K].reshape(R, C, N),
            harvests[g * K : (g + 1) * K].reshape(R, C, N),
            state.copies_of(g * K, (g + 1) * K),
        )
        for g in range(G)
    )


def mean_field_commons(harvest: Harvest) -> HarvestCommons:
    """The :class:`theory.commons.HarvestCommons` a Harvest grid maps to (module docstring):
    ``r = 12 p(1)``, ``K`` = cells, ``q = 1/K``, ``c`` = the effort cost; exact Fractions.

    Examples
    --------
    >>> m = mean_field_commons(Harvest(height=10, width=10))
    >>> m.r, m.K, m.q
    (Fraction(3, 100), Fraction(100, 1), Fraction(1, 100))
    """
    if not isinstance(harvest, Harvest):
        raise ParameterTypeError(f"harvest must be a Harvest, got {type(harvest).__name__}")
    r = len(neighbourhood_offsets()) * REGROWTH_PROBABILITIES[1]
    K = Fraction(harvest.cells)
    return HarvestCommons(r, K, 1 / K, Fraction(harvest.effort_cost))
