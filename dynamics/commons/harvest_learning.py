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
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from tqdm.auto import tqdm

from dynamics._checkpoints import load_checkpoint, policy_state, restore_stream, save_checkpoint
from dynamics._checks import generator, integer_at_least
from dynamics.commons.grid import REGROWTH_PROBABILITIES, dead_sites, neighbourhood_offsets
from dynamics.commons.harvest import (
    HARVEST_ACTIONS,
    OBSERVATION_FEATURES,
    Harvest,
    HarvestState,
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

__all__ = [
    "DENSITY_BANDS",
    "DEFAULT_DISCOUNT",
    "HarvesterTraining",
    "HarvestPlay",
    "harvester_features",
    "harvester_feature_count",
    "train_harvesters",
    "play_harvesters",
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


def harvester_features(harvest: Harvest, observations: np.ndarray) -> np.ndarray:
    """The active one-hot features, int array (..., 4), of observations (..., F_obs) from
    :func:`~dynamics.commons.harvest.harvest_observations` (see the module docstring).

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
    upper = np.asarray(harvest.schedule.cutoffs[1:], dtype=float)
    bracket = np.searchsorted(upper, obs[..., _COL["period_apples"]] + 1, side="left")
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
    gen: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sample every agent's action: (features (E, L, 4), probs (E, L, A), actions (E, L),
    the same actions as (C, N))."""
    C, N = state.copies, harvest.agents
    E = C // runs
    obs = harvest_observations(harvest, state)
    feats = harvester_features(harvest, obs)  # (C, N, 4)
    feats = feats.reshape(runs, E, N, 4).transpose(1, 0, 2, 3).reshape(E, runs * N, 4)
    probs = softmax_policy(policies.weights, feats)
    acts = sample_actions(probs, rng=gen)
    grid = acts.reshape(E, runs, N).transpose(1, 0, 2).reshape(C, N)
    return feats, probs, acts, grid


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
            state = harvest_reset(harvest, R * E, rng=gen, apples=start_orchard)
            feats = np.empty((S, E, R * N, 4), dtype=np.intp)
            probs = np.empty((S, E, R * N, len(HARVEST_ACTIONS)))
            acts = np.empty((S, E, R * N), dtype=np.intp)
            rewards = np.empty((S, E, R * N))
            stock = np.zeros(R * E)
            picked = np.zeros(R * E)
            efforts = np.zeros(R * E)
            for s in range(S):
                feats[s], probs[s], acts[s], grid = _actions(harvest, policies, state, R, gen)
                out = harvest_step(harvest, state, grid, rng=gen)
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
                lrn,
                policies,
                feats.reshape(S * E, R * N, 4),
                acts.reshape(S * E, R * N),
                returns.reshape(S * E, R * N),
                probs.reshape(S * E, R * N, len(HARVEST_ACTIONS)),
                groups=S,
            )
            per_run = rewards.reshape(S, E, R, N).mean(axis=(0, 1, 3))
            curves[0, t] = per_run
            curves[1, t] = picked.reshape(R, E).mean(axis=1) / (S * N)
            curves[2, t] = stock.reshape(R, E).mean(axis=1) / (S * harvest.cells)
            curves[3, t] = efforts.reshape(R, E).mean(axis=1) / (S * N)
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
    if not isinstance(harvest, Harvest):
        raise ParameterTypeError(f"harvest must be a Harvest, got {type(harvest).__name__}")
    S = integer_at_least(steps, "steps", 1)
    R = integer_at_least(runs, "runs", 1)
    C = integer_at_least(copies, "copies", 1)
    N = harvest.agents
    pol = _policy_check(policies, R * N, harvester_feature_count(harvest))
    long = replace(harvest, episode=-(-S // harvest.period) * harvest.period)
    state = harvest_reset(long, R * C, rng=gen, apples=_orchards(long, apples, R, C))
    stock = np.empty((S + 1, R * C), dtype=np.int64)
    dead = np.empty((S + 1, R * C))
    stock[0] = state.stock
    dead[0] = dead_sites(state.apples).mean(axis=(1, 2))
    picked = np.zeros((R * C, N), dtype=np.int64)
    harvests = np.zeros((R * C, N), dtype=np.int64)
    for s in tqdm(range(S), desc="play", disable=not progress, leave=False):
        grid = _actions(long, pol, state, R, gen)[3]
        out = harvest_step(long, state, grid, rng=gen)
        state = out.state
        stock[s + 1] = state.stock
        dead[s + 1] = dead_sites(state.apples).mean(axis=(1, 2))
        picked += out.picked
        harvests += out.harvested
    return HarvestPlay(
        stock.reshape(S + 1, R, C),
        dead.reshape(S + 1, R, C),
        picked.reshape(R, C, N),
        harvests.reshape(R, C, N),
        state,
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
