"""Two-level learning in the one-step labour economy: workers and a planner that learn together,
in the AI Economist's two phases, batched over independent runs.

Every run is an independent pair (workers, planner); ``runs`` of them train at once, each
iteration drawing ``schedules`` tax schedules per run from the planner and playing ``repeats``
episodes of each through :func:`~dynamics.economy.labour.labour_outcome` (so C = runs ×
schedules × repeats copies per call). The repeats of one schedule form a group: a worker's
advantage is measured against the other episodes of its own schedule (a state-dependent
baseline, :func:`~dynamics.economy.learners.policy_gradient_update`'s ``groups``), and the
planner's reward for a schedule is the mean welfare of its repeats.

- Workers: one softmax policy-gradient learner per (run, worker)
  (:mod:`dynamics.economy.learners`), whose observation is the schedule it faces, as one-hot
  features: a bias plus, for each bracket b, the index of its rate. With η = 0 a worker's utility
  is additive over the brackets' rates (T is linear in the rates), so this linear policy can
  represent the exact best response to every schedule; for η > 0 it is an approximation.
- Planner: one learner per (run, bracket), a categorical over the rate grid (the AI Economist's
  planner also picks each bracket's rate from a discrete set), with no observation (the
  economy's skills are fixed, so there is nothing to condition on); all brackets of a run share
  the run's welfare as reward.
- Curriculum (:class:`TwoPhaseCurriculum`): phase one, ``free_steps`` iterations in a tax-free
  world (workers only); phase two, ``joint_steps`` iterations of workers and planner together,
  the planner's largest allowed rate rising linearly from ``first_cap`` (10 %) to ``last_cap``
  (100 %) over the first ``anneal_steps`` (rates above the cap are masked out, as the AI
  Economist's annealing does); entropy bonuses on both sides.

Training shows a tqdm bar, can be stopped (Ctrl-C, or ``max_iterations`` per call) and resumed
from a checkpoint file: the random stream is saved with the weights, so a resumed run equals an
uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
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
from dynamics.economy.labour import LabourEconomy, labour_outcome
from dynamics.economy.learners import (
    PolicyGradient,
    PolicyState,
    greedy_actions,
    policy_gradient_update,
    sample_actions,
    softmax_policy,
)
from dynamics.errors import ParameterError

__all__ = [
    "TwoPhaseCurriculum",
    "PlannerTraining",
    "WorkerTraining",
    "train_planner",
    "train_planners",
    "train_workers",
    "worker_features",
]


@dataclass(frozen=True)
class TwoPhaseCurriculum:
    """The training plan: learners, phase lengths (iterations), the annealed rate cap, batch size.

    Examples
    --------
    >>> c = TwoPhaseCurriculum(free_steps=10, joint_steps=20, anneal_steps=10)
    >>> [round(c.rate_cap(t), 2) for t in (0, 10, 15, 20, 29)]
    [0.0, 0.1, 0.55, 1.0, 1.0]
    """

    workers: PolicyGradient = field(default_factory=lambda: PolicyGradient(0.05, 0.01))
    planner: PolicyGradient = field(default_factory=lambda: PolicyGradient(0.01, 0.05))
    free_steps: int = 200
    joint_steps: int = 1500
    anneal_steps: int = 400
    first_cap: float = 0.1
    last_cap: float = 1.0
    schedules: int = 16
    repeats: int = 8

    def __post_init__(self) -> None:
        for name in ("workers", "planner"):
            if not isinstance(getattr(self, name), PolicyGradient):
                raise ParameterError(
                    f"{name} must be a PolicyGradient, got {getattr(self, name)!r}"
                )
        for name, low in (
            ("free_steps", 0),
            ("joint_steps", 0),
            ("anneal_steps", 0),
            ("schedules", 2),
            ("repeats", 2),
        ):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < low:
                raise ParameterError(f"{name} must be an integer >= {low}, got {v!r}")
        if not 0 <= self.first_cap <= self.last_cap <= 1:
            raise ParameterError(
                f"caps must satisfy 0 <= first_cap <= last_cap <= 1, got {self.first_cap}, "
                f"{self.last_cap}"
            )

    @property
    def iterations(self) -> int:
        """free_steps + joint_steps."""
        return self.free_steps + self.joint_steps

    def rate_cap(self, t: int) -> float:
        """The planner's largest allowed rate at iteration t (0 in phase one: no taxes)."""
        if t < self.free_steps:
            return 0.0
        done = (t - self.free_steps) / self.anneal_steps if self.anneal_steps else 1.0
        return self.first_cap + (self.last_cap - self.first_cap) * min(1.0, done)


@dataclass(frozen=True)
class PlannerTraining:
    """What :func:`train_planner` learned, for ``R`` runs.

    Attributes
    ----------
    welfare : ndarray (T, R)
        Mean welfare of the episodes of each iteration (the learning curve; phase one first).
    rate_cap : ndarray (T,)
        The planner's largest allowed rate at each iteration (0 in phase one).
    rate_indices, rates : ndarray (R, B)
        Each run's learned schedule: the planner's most probable rate per bracket under the
        final cap, as grid indices and as rates.
    labour_indices, labour : ndarray (R, N)
        The workers' most probable labour at that schedule.
    workers : PolicyState
        R·N learners (run-major), F = 1 + B·G features, A labour levels.
    planner : PolicyState
        R·B learners (run-major), one feature, G rates.
    iterations : int
        Iterations done so far (T); ``finished`` is True when that is the whole curriculum.
    seconds : float
        Wall time of this call.
    """

    welfare: np.ndarray
    rate_cap: np.ndarray
    rate_indices: np.ndarray
    rates: np.ndarray
    labour_indices: np.ndarray
    labour: np.ndarray
    workers: PolicyState
    planner: PolicyState
    iterations: int
    finished: bool
    seconds: float


def worker_features(economy: LabourEconomy, rate_indices: np.ndarray) -> np.ndarray:
    """Active one-hot features of every worker facing schedules ``rate_indices`` (..., B):
    shape (..., N, 1 + B): the bias (feature 0) and ``1 + b·G + index_b`` for each bracket b.

    Examples
    --------
    >>> from theory.policy.economy import PRESETS
    >>> e = LabourEconomy([1.0, 2.0], PRESETS["one_step"], [0, 10])
    >>> worker_features(e, np.array([[3, 0]])).tolist()
    [[[0, 4, 12], [0, 4, 12]]]
    """
    G = len(economy.rate_grid)
    B = economy.brackets
    f = 1 + np.arange(B) * G + rate_indices
    bias = np.zeros(rate_indices.shape[:-1] + (1,), dtype=np.intp)
    one = np.concatenate([bias, f], axis=-1)[..., None, :]
    return np.broadcast_to(one, rate_indices.shape[:-1] + (economy.workers, 1 + B))


def _fingerprint(economy: LabourEconomy, curriculum: TwoPhaseCurriculum, runs: int) -> str:
    text = json.dumps(
        [
            economy.skills.tolist(),
            repr(economy.preferences),
            [float(m) for m in economy.schedule.cutoffs],
            economy.rate_grid.tolist(),
            economy.levels,
            economy.objective,
            repr(curriculum),
            runs,
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _save(
    path: Path,
    fingerprint: str,
    t: int,
    workers: PolicyState,
    planner: PolicyState,
    curve: np.ndarray,
    gen: np.random.Generator,
) -> None:
    save_checkpoint(
        path, fingerprint, t, {"workers": workers, "planner": planner}, {"welfare": curve[:t]}, gen
    )


def train_planner(
    economy: LabourEconomy,
    curriculum: TwoPhaseCurriculum | None = None,
    *,
    runs: int = 4,
    rng: int | np.random.Generator | None = None,
    checkpoint: str | Path | None = None,
    checkpoint_every: int = 200,
    max_iterations: int | None = None,
    progress: bool = True,
) -> PlannerTraining:
    """Train workers and planner of ``runs`` independent runs in two phases (module docstring).

    Parameters
    ----------
    economy : LabourEconomy
    curriculum : TwoPhaseCurriculum, optional
        Default ``TwoPhaseCurriculum()``.
    runs : int
        Independent runs trained side by side (each its own workers and planner).
    rng : int, Generator or None
        The random stream (episodes' actions); ignored when resuming (the checkpoint's is used).
    checkpoint : path, optional
        A ``.npz`` file: resumed from when it exists (and belongs to the same economy,
        curriculum and runs), written every ``checkpoint_every`` iterations, at the end and on
        Ctrl-C.
    max_iterations : int, optional
        Stop after this many iterations in this call (``finished`` is then False); with a
        checkpoint, the next call continues.
    progress : bool
        Show a tqdm bar.

    Raises
    ------
    ParameterError
        Bad runs, economy or curriculum. ``CheckpointError``: a checkpoint of another training.

    Examples
    --------
    >>> from theory.policy.economy import PRESETS
    >>> e = LabourEconomy([1.0, 2.0], PRESETS["one_step"], [0], levels=11,
    ...                   rate_grid=[0.0, 0.5, 1.0])
    >>> c = TwoPhaseCurriculum(free_steps=50, joint_steps=100, anneal_steps=50)
    >>> out = train_planner(e, c, runs=2, rng=0, progress=False)
    >>> out.welfare.shape, out.rates.shape, out.finished
    ((150, 2), (2, 1), True)
    """
    gen = np.random.default_rng(rng)
    if not isinstance(economy, LabourEconomy):
        raise ParameterError(f"economy must be a LabourEconomy, got {type(economy).__name__}")
    cur = TwoPhaseCurriculum() if curriculum is None else curriculum
    if not isinstance(cur, TwoPhaseCurriculum):
        raise ParameterError(f"curriculum must be a TwoPhaseCurriculum, got {cur!r}")
    for name, v, low in (("runs", runs, 1), ("checkpoint_every", checkpoint_every, 1)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < low:
            raise ParameterError(f"{name} must be an integer >= {low}, got {v!r}")
    if max_iterations is not None and (
        isinstance(max_iterations, bool)
        or not isinstance(max_iterations, int)
        or max_iterations < 0
    ):
        raise ParameterError(f"max_iterations must be an integer >= 0, got {max_iterations!r}")
    start = time.perf_counter()
    N, B, A = economy.workers, economy.brackets, economy.levels
    G = len(economy.rate_grid)
    S, M, R, T = cur.schedules, cur.repeats, runs, cur.iterations
    E = S * M
    zero_rate = int(np.flatnonzero(economy.rate_grid == 0)[0])
    wS = PolicyState.zeros(R * N, 1 + B * G, A)
    pS = PolicyState.zeros(R * B, 1, G)
    curve = np.zeros((T, R))
    t0 = 0
    path = None if checkpoint is None else Path(checkpoint)
    fp = _fingerprint(economy, cur, R)
    if path is not None and (data := load_checkpoint(path, fp)) is not None:
        t0 = int(data["t"])
        wS, pS = policy_state(data, "workers"), policy_state(data, "planner")
        curve[:t0] = np.asarray(data["welfare"])
        restore_stream(data, gen)
    stop = T if max_iterations is None else min(T, t0 + max_iterations)
    planner_features = np.zeros((S, R * B, 1), dtype=np.intp)
    t = t0
    try:
        for t in tqdm(
            range(t0, stop), desc="two-phase training", disable=not progress, leave=False
        ):
            cap = cur.rate_cap(t)
            if t < cur.free_steps:
                drawn = np.full((S, R, B), zero_rate, dtype=np.intp)
            else:
                mask = (economy.rate_grid <= cap + 1e-12)[None, None, :]
                p_probs = softmax_policy(pS.weights, planner_features, mask=mask)
                p_act = sample_actions(p_probs, rng=gen)
                drawn = p_act.reshape(S, R, B)
            rates = np.repeat(drawn, M, axis=0)  # M episodes per drawn schedule: a group
            feats = worker_features(economy, rates).reshape(E, R * N, 1 + B)
            w_probs = softmax_policy(wS.weights, feats)
            w_act = sample_actions(w_probs, rng=gen)
            out = labour_outcome(economy, w_act.reshape(E * R, N), rates.reshape(E * R, B))
            utility = out.utility.reshape(E, R * N)
            wS = policy_gradient_update(cur.workers, wS, feats, w_act, utility, w_probs, groups=S)
            welfare = out.welfare.reshape(S, M, R).mean(axis=1)  # each schedule's mean welfare
            if t >= cur.free_steps:
                reward = np.repeat(welfare, B, axis=1)  # each bracket of run r gets r's welfare
                pS = policy_gradient_update(
                    cur.planner, pS, planner_features, p_act, reward, p_probs
                )
            curve[t] = welfare.mean(axis=0)
            if path is not None and (t + 1) % checkpoint_every == 0:
                _save(path, fp, t + 1, wS, pS, curve, gen)
        t = stop
    except KeyboardInterrupt:
        if path is not None:
            _save(path, fp, t, wS, pS, curve, gen)
        raise
    if path is not None:
        _save(path, fp, t, wS, pS, curve, gen)
    done = t
    last_cap = cur.rate_cap(max(done - 1, 0)) if done > cur.free_steps else 0.0
    allowed = economy.rate_grid <= last_cap + 1e-12
    logits = np.where(allowed, pS.weights[:, 0, :], -np.inf)
    r_idx = logits.argmax(axis=1).reshape(R, B)
    lab = greedy_actions(
        wS.weights, worker_features(economy, r_idx).reshape(1, R * N, 1 + B)
    ).reshape(R, N)
    return PlannerTraining(
        welfare=curve[:done].copy(),
        rate_cap=np.array([cur.rate_cap(s) for s in range(done)]),
        rate_indices=r_idx,
        rates=economy.rate_grid[r_idx],
        labour_indices=lab,
        labour=np.take_along_axis(economy.labour_levels, lab.T, axis=1).T,
        workers=wS,
        planner=pS,
        iterations=done,
        finished=done == T,
        seconds=time.perf_counter() - start,
    )


@dataclass(frozen=True)
class WorkerTraining:
    """What :func:`train_workers` learned: one run per schedule.

    Attributes
    ----------
    utility : ndarray (T, K, N)
        Mean utility of each worker in each iteration (the learning curves).
    labour_indices, labour : ndarray (K, N)
        The workers' most probable labour at the end, as level indices and as labour.
    """

    utility: np.ndarray
    labour_indices: np.ndarray
    labour: np.ndarray


def train_workers(
    economy: LabourEconomy,
    rate_indices: np.ndarray,
    *,
    learner: PolicyGradient | None = None,
    steps: int = 500,
    episodes: int = 64,
    rng: int | np.random.Generator | None = None,
    progress: bool = True,
) -> WorkerTraining:
    """Workers alone, learning their labour under K fixed schedules (one independent run each),
    with the same learners and features as :func:`train_planner`.

    Parameters
    ----------
    rate_indices : int array (K, B)
        The schedules, as indices into ``economy.rate_grid``.

    Raises
    ------
    ParameterError, ActionError
        Bad counts, learner or economy; schedules of the wrong shape or off the grid.

    Examples
    --------
    >>> from theory.policy.economy import PRESETS
    >>> e = LabourEconomy([1.0, 2.0], PRESETS["one_step"], [0], levels=11)
    >>> out = train_workers(e, np.array([[0]]), steps=300, rng=0, progress=False)
    >>> out.labour.round(3)  # the exact best responses are w/2 = 0.5 and 1.0
    array([[0.5, 1. ]])
    """
    gen = np.random.default_rng(rng)
    if not isinstance(economy, LabourEconomy):
        raise ParameterError(f"economy must be a LabourEconomy, got {type(economy).__name__}")
    lrn = PolicyGradient() if learner is None else learner
    if not isinstance(lrn, PolicyGradient):
        raise ParameterError(f"learner must be a PolicyGradient, got {lrn!r}")
    for name, v, low in (("steps", steps, 1), ("episodes", episodes, 2)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < low:
            raise ParameterError(f"{name} must be an integer >= {low}, got {v!r}")
    N, B, A = economy.workers, economy.brackets, economy.levels
    G = len(economy.rate_grid)
    idx = np.asarray(rate_indices)
    labour_outcome(economy, np.zeros((len(idx) if idx.ndim else 1, N), dtype=np.intp), idx)
    K, E = idx.shape[0], episodes
    rates = np.broadcast_to(idx, (E, K, B))
    feats = worker_features(economy, rates).reshape(E, K * N, 1 + B)
    state = PolicyState.zeros(K * N, 1 + B * G, A)
    curve = np.zeros((steps, K, N))
    for t in tqdm(range(steps), desc="workers", disable=not progress, leave=False):
        probs = softmax_policy(state.weights, feats)
        act = sample_actions(probs, rng=gen)
        out = labour_outcome(economy, act.reshape(E * K, N), rates.reshape(E * K, B))
        utility = out.utility.reshape(E, K * N)
        state = policy_gradient_update(lrn, state, feats, act, utility, probs)
        curve[t] = out.utility.reshape(E, K, N).mean(axis=0)
    lab = greedy_actions(state.weights, feats[:1]).reshape(K, N)
    return WorkerTraining(
        utility=curve,
        labour_indices=lab,
        labour=np.take_along_axis(economy.labour_levels, lab.T, axis=1).T,
    )


def train_planners(
    economy: LabourEconomy,
    curriculum: TwoPhaseCurriculum | None = None,
    *,
    batches: int,
    runs: int = 4,
    rng: int | np.random.Generator | None = None,
    executor: Executor | None = None,
) -> tuple[PlannerTraining, ...]:
    """``batches`` independent calls of :func:`train_planner` (``runs`` runs each), one spawned
    random stream per call, on ``executor`` when given (a process pool, or a dask.distributed
    client's executor for more than one machine), else one after the other. Same ``rng``, same
    results, whatever the executor.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from theory.policy.economy import PRESETS
    >>> e = LabourEconomy([1.0, 2.0], PRESETS["one_step"], [0], levels=5, rate_grid=[0.0, 1.0])
    >>> c = TwoPhaseCurriculum(free_steps=5, joint_steps=10, anneal_steps=5)
    >>> with ThreadPoolExecutor(2) as pool:
    ...     out = train_planners(e, c, batches=2, runs=1, rng=0, executor=pool)
    >>> again = train_planners(e, c, batches=2, runs=1, rng=0)
    >>> all(np.array_equal(a.welfare, b.welfare) for a, b in zip(out, again))
    True
    """
    return over_streams(
        train_planner, batches, rng, executor, economy, curriculum, runs=runs, progress=False
    )
