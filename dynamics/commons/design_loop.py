"""Social Environment Design as a learning loop on the Harvest commons: vote → principal →
learning agents → next round (seed 003's repeated Stackelberg–Markov game).

Each round ``k`` of :func:`social_environment_design`:

1. **Vote.** The agents report their selfishness (truthfully, or the ``reports`` given, e.g. a
   manipulation found by :func:`theory.policy.voting.find_manipulation`); a rule of
   :data:`theory.policy.voting.RULES` maps the reports to the weight η of the principal's
   objective ``O = η Σ_i y_i + (1 − η) min_i y_i`` (the seed's interpolation between the
   utilitarian and the egalitarian objective, :func:`theory.policy.welfare.welfare_rows`).
2. **Principal.** For every tax schedule of the principal's grid (``plan.schedules``), the agents
   learn (:func:`~dynamics.commons.harvest_learning.train_harvesters`, ``plan.runs`` independent
   runs, warm-started from the society's policies, every episode starting from the round's
   orchard); each run's learned policies then play ``plan.evaluations`` fresh episodes, and the
   schedule's value is the mean objective of the round's incomes ``y_i`` (apples after tax and
   rebate), with its standard error over the runs. ``plan.planner = "search"`` picks the best
   value (exhaustive search: the seed's Stackelberg leader on a grid small enough to search);
   ``"learning"`` is a softmax policy-gradient planner (:mod:`dynamics.economy.learners`, one
   categorical over the grid, as the AI Economist's planner) that learns from single sampled
   episodes of the learned followers and commits to its most probable schedule.
3. **Play.** Run 0 of the chosen schedule's training is the society: its policies play the
   round (one episode of ``harvest.episode`` steps) from the round's orchard; the last orchard
   and those policies start the next round.
4. **Solution concept** (the seed's (ε, δ)-strong Stackelberg–Markov–Nash equilibrium):
   ε is the principal's gap to the best schedule of the exhaustive search (0 for ``"search"``
   by construction), with the standard error of the difference; δ_i is agent ``i``'s gain from
   a best response: a deviator, warm-started at its own policy, learns for
   ``plan.deviation_iterations`` iterations against the others' frozen policies (all N
   deviators batched), and its mean episode reward is compared with its reward in the learned
   profile over ``plan.evaluations · plan.runs`` fresh episodes each, with the standard error of
   the difference; δ = max_i δ_i.

Modelling choices and departures, named:

* **Learning followers** are :mod:`dynamics.commons.harvest_learning`'s REINFORCE learners
  (no parameter sharing, PPO/GAE replaced by REINFORCE with a time-dependent baseline); the
  seed trains principal and agents at the same time-scale with PPO, here the followers learn
  to (approximate) best response for every schedule before the principal chooses: a
  Stackelberg leader facing learned best responses, as the seed's equilibrium concept asks.
* **The principal's objective** is measured on the round's incomes (apples after tax and
  rebate), as :func:`dynamics.commons.rounds.greedy_rounds` does in mean field; it is greedy
  (the current round only), the seed's own choice and open problem.
* **Batching**: every training, evaluation and deviation call is batched over runs × episodes
  (× deviators), and the grid's schedules are trained, and then valued, in one call for the
  whole grid (:func:`~dynamics.commons.harvest_learning.train_harvesters_under` and
  :func:`~dynamics.commons.harvest_learning.play_harvesters_under`: a per-copy schedule in
  :func:`~dynamics.commons.harvest.harvest_step`, a
  :class:`~dynamics.commons.harvest.ScheduleBatch`), each schedule on its own stream, so the
  values are exactly those of one call per schedule. ``executor=`` instead runs one job per
  schedule in parallel (a training and its evaluation, on the same streams: the same rounds).
* **Randomness**: round ``k`` draws from its own stream, the ``k + 1``-th of
  ``rng.spawn(rounds + 1)`` (the first draws the first orchard), so a run resumed from its
  first ``k`` rounds (``resume=``) equals the uninterrupted run with the same seed.

Examples
--------
>>> from theory.policy.tax import TaxSchedule
>>> h = Harvest(height=6, width=6, agents=2, view=2, period=10, episode=20)
>>> plan = DesignPlan((TaxSchedule([0], [0]), TaxSchedule([0], [1])), iterations=2, runs=2,
...                   episodes=2, evaluations=2, deviation_iterations=1)
>>> out = social_environment_design(h, plan, rounds=2, rng=0, progress=False)
>>> len(out), out.stocks.shape, [r.epsilon for r in out]
(2, (3,), [0.0, 0.0])
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike
from tqdm.auto import tqdm

from dynamics._checks import generator, integer_at_least
from dynamics.commons.harvest import (
    Harvest,
    HarvestState,
    ScheduleBatch,
    harvest_observations,
    harvest_reset,
    harvest_step,
)
from dynamics.commons.harvest_learning import (
    DEFAULT_DISCOUNT,
    HarvesterTraining,
    harvester_features,
    play_harvesters,
    play_harvesters_under,
    train_harvesters,
    train_harvesters_under,
)
from dynamics.economy.learners import (
    PolicyGradient,
    PolicyState,
    policy_gradient_update,
    sample_actions,
    softmax_policy,
)
from dynamics.errors import ParameterError, ParameterTypeError
from theory.policy.tax import TaxSchedule
from theory.policy.voting import RULES
from theory.policy.welfare import welfare_rows

__all__ = [
    "PLANNERS",
    "DesignPlan",
    "DesignRound",
    "DesignHistory",
    "voted_eta",
    "round_incomes",
    "social_environment_design",
    "social_environment_designs",
]

#: The principal's ways of choosing a schedule (see the module docstring).
PLANNERS = ("search", "learning")
#: The learning planner's learner: a larger entropy bonus than the followers' so that it keeps
#: sampling every schedule while their values are close, Adam's step 0.05 as the followers'.
PLANNER_LEARNER = PolicyGradient(0.05, 0.05)
#: Schedules sampled per update of the learning planner (its batch, over which the baseline and
#: the advantage's scale are taken).
PLANNER_BATCH = 16


@dataclass(frozen=True)
class DesignPlan:
    """The loop's settings: the principal's grid and rule, and how much everyone learns.

    Parameters
    ----------
    schedules : tuple of theory.policy.tax.TaxSchedule
        The principal's grid (at least one; all with the same number of brackets, so that the
        followers' features, which include the bracket of their next apple, carry over).
    rule : str
        A key of :data:`theory.policy.voting.RULES` (default ``"mean"``, the seed's rule).
    iterations : int >= 1
        The followers' policy updates per schedule and round.
    runs : int >= 2
        Independent trainings per schedule (the value's standard error is over them).
    episodes : int >= 2
        Copies per run per training iteration.
    evaluations : int >= 1
        Fresh episodes per run to value a schedule (and per deviator to measure δ, times runs).
    deviation_iterations : int >= 0
        The deviators' updates; 0 skips δ.
    planner : {"search", "learning"}
    planner_iterations : int >= 1
        The learning planner's updates (ignored by ``"search"``).
    learner : PolicyGradient or None
        The followers' (and deviators') learner; ``None`` is train_harvesters' default.

    Raises
    ------
    ParameterError
        An empty grid, schedules with different bracket counts, an unknown rule or planner, a
        count out of range; ``ParameterTypeError`` for a schedule that is not a TaxSchedule.

    Examples
    --------
    >>> DesignPlan((TaxSchedule([0], [0]),)).rule
    'mean'
    """

    schedules: tuple[TaxSchedule, ...]
    rule: str = "mean"
    iterations: int = 30
    runs: int = 4
    episodes: int = 4
    evaluations: int = 4
    deviation_iterations: int = 20
    planner: str = "search"
    planner_iterations: int = 200
    learner: PolicyGradient | None = None

    def __post_init__(self) -> None:
        # the grid is checked as a ScheduleBatch (at least one TaxSchedule, one bracket count)
        object.__setattr__(self, "schedules", ScheduleBatch(self.schedules).schedules)
        if not isinstance(self.rule, str) or self.rule not in RULES:
            raise ParameterError(f"rule must be one of {sorted(RULES)}, got {self.rule!r}")
        if self.planner not in PLANNERS:
            raise ParameterError(f"planner must be one of {PLANNERS}, got {self.planner!r}")
        for name, low in (
            ("iterations", 1),
            ("runs", 2),
            ("episodes", 2),
            ("evaluations", 1),
            ("deviation_iterations", 0),
            ("planner_iterations", 1),
        ):
            object.__setattr__(self, name, integer_at_least(getattr(self, name), name, low))
        if self.learner is not None and not isinstance(self.learner, PolicyGradient):
            raise ParameterTypeError(f"learner must be a PolicyGradient, got {self.learner!r}")


@dataclass(frozen=True)
class DesignRound:
    """One round of the loop.

    Attributes
    ----------
    round : int
        Its index, from 0.
    reports : tuple
        The reported selfishness of every agent.
    eta : Fraction or float
        The voted weight (exact for exact reports).
    values, value_se : ndarray (G,)
        Each schedule's estimated objective and its standard error (over runs).
    choice : int
        The principal's schedule (an index into the grid); ``schedule`` is that schedule.
    best : int
        The grid's best schedule by exhaustive search (the first maximum).
    epsilon, epsilon_se : float
        ``values[best] − values[choice]`` and its standard error (0 when they coincide).
    gains, gains_se : ndarray (N,) or None
        Each follower's gain from its trained deviation, and its standard error (None if δ
        was skipped).
    stock, dead : ndarray (S + 1,)
        Apples on the orchard, and the share of dead cells, before and after every step of the
        round's play.
    incomes : ndarray (N,)
        The round's apples after tax and rebate, per agent; ``objective`` their value of O.
    reward_curve : ndarray (T, R)
        The chosen schedule's learning curve (mean reward per agent and step).
    planner_curve : ndarray (P,) or None
        The learning planner's probability of its final choice after each update.
    final : HarvestState
        The commons at the end of the round's play (one copy): its orchard starts the next
        round (``apples``).
    policies : PolicyState
        The society's learned policies (N learners), the next round's warm start.
    """

    round: int
    reports: tuple[Fraction | float, ...]
    eta: Fraction | float
    values: np.ndarray
    value_se: np.ndarray
    choice: int
    schedule: TaxSchedule
    best: int
    epsilon: float
    epsilon_se: float
    gains: np.ndarray | None
    gains_se: np.ndarray | None
    stock: np.ndarray
    dead: np.ndarray
    incomes: np.ndarray
    objective: float
    reward_curve: np.ndarray
    planner_curve: np.ndarray | None
    final: HarvestState
    policies: PolicyState

    @property
    def apples(self) -> np.ndarray:
        """The orchard at the end of the round, bool (H, W): the next round's start."""
        return self.final.apples[0]

    @property
    def delta(self) -> float:
        """δ = the largest follower gain (NaN when δ was skipped)."""
        return float("nan") if self.gains is None else float(np.max(self.gains))

    @property
    def delta_se(self) -> float:
        """The standard error of the largest gain (NaN when δ was skipped)."""
        if self.gains is None or self.gains_se is None:
            return float("nan")
        return float(self.gains_se[int(np.argmax(self.gains))])


@dataclass(frozen=True)
class DesignHistory:
    """The rounds played so far, in order, with the commons, the plan and the first orchard.

    ``interrupted`` is True when Ctrl-C stopped the loop (the rounds finished are kept; pass
    the history as ``resume`` to continue). Supports ``len()`` and iteration over rounds.
    """

    harvest: Harvest
    plan: DesignPlan
    initial_apples: np.ndarray
    rounds: tuple[DesignRound, ...]
    interrupted: bool = False

    def __len__(self) -> int:
        return len(self.rounds)

    def __iter__(self) -> Iterator[DesignRound]:
        return iter(self.rounds)

    @property
    def stocks(self) -> np.ndarray:
        """Apples on the orchard at the start of every round and after the last, shape (K + 1,)."""
        first = [int(self.initial_apples.sum())]
        return np.array(first + [int(r.stock[-1]) for r in self.rounds])

    @property
    def rates(self) -> np.ndarray:
        """The chosen schedule's rates in every round, shape (K, B)."""
        B = self.plan.schedules[0].brackets
        return np.array([[float(v) for v in r.schedule.rates] for r in self.rounds]).reshape(-1, B)

    @property
    def etas(self) -> np.ndarray:
        """The voted η of every round, as floats, shape (K,)."""
        return np.array([float(r.eta) for r in self.rounds])


def voted_eta(
    reports: ArrayLike | Sequence[Fraction | float], rule: str = "mean"
) -> Fraction | float:
    """η elected by ``rule`` (:data:`theory.policy.voting.RULES`) from reported selfishness.

    Exact (a ``Fraction``) for exact reports.

    Raises
    ------
    ParameterError
        An unknown rule, reports outside [0, 1] or fewer than two, or a rule that elects no
        objective (no Condorcet winner).

    Examples
    --------
    >>> voted_eta([Fraction(1, 4), 1, 1])
    Fraction(3, 4)
    >>> voted_eta([0.2, 0.9, 0.4], "median")
    0.4
    """
    if not isinstance(rule, str) or rule not in RULES:
        raise ParameterError(f"rule must be one of {sorted(RULES)}, got {rule!r}")
    values = _reports(reports)
    eta = RULES[rule](list(values))
    if eta is None:
        raise ParameterError(f"the {rule} rule elects no objective for reports {list(values)}")
    return (
        eta
        if isinstance(eta, Fraction)
        else (Fraction(eta) if isinstance(eta, int) else float(eta))
    )


def _reports(reports: object) -> tuple[Fraction | float, ...]:
    if isinstance(reports, str) or not hasattr(reports, "__iter__"):
        raise ParameterTypeError(f"reports must be a sequence of numbers, got {reports!r}")
    out: list[Fraction | float] = []
    for i, v in enumerate(reports):  # type: ignore[attr-defined]
        if isinstance(v, bool) or not isinstance(
            v, int | float | Fraction | np.integer | np.floating
        ):
            raise ParameterTypeError(f"reports[{i}] must be a real number, got {v!r}")
        x = Fraction(int(v)) if isinstance(v, int | np.integer) else v
        x = x if isinstance(x, Fraction) else float(x)
        if not (0 <= x <= 1):
            raise ParameterError(f"reports must lie in [0, 1], got reports[{i}] = {v!r}")
        out.append(x)
    if len(out) < 2:
        raise ParameterError(f"reports must name at least two agents, got {len(out)}")
    return tuple(out)


def round_incomes(state: HarvestState) -> np.ndarray:
    """Apples after tax and rebate since reset, ``picked − taxes + rebates``, shape (C, N).

    Examples
    --------
    >>> h = Harvest(height=5, width=5, agents=2, view=1, period=1, episode=1,
    ...             schedule=TaxSchedule([0], [1]))
    >>> s = harvest_reset(h, 1, rng=0, apples=np.ones((5, 5), dtype=bool))
    >>> round_incomes(harvest_step(h, s, [[5, 0]], rng=0).state).tolist()
    [[0.5, 0.5]]
    """
    if not isinstance(state, HarvestState):
        raise ParameterTypeError(f"state must be a HarvestState, got {type(state).__name__}")
    return state.picked - state.taxes + state.rebates


@dataclass(frozen=True)
class _Rollout:
    """Episodes of C copies with per-copy policies: what learning and valuing need."""

    features: np.ndarray  # (S, C, N, 4)
    probs: np.ndarray  # (S, C, N, A)
    actions: np.ndarray  # (S, C, N)
    rewards: np.ndarray  # (S, C, N)
    final: HarvestState


def _rollout(
    harvest: Harvest,
    weights: np.ndarray,
    apples: np.ndarray,
    gen: np.random.Generator,
) -> _Rollout:
    """Play one episode in C copies, copy ``c``'s agents following ``weights[c]`` (C, N, F, A)
    and starting from the orchard ``apples`` (H, W); learned policies, sampled actions."""
    C, N, F, A = weights.shape
    S = harvest.episode
    flat = weights.reshape(C * N, F, A)
    state = harvest_reset(harvest, C, rng=gen, apples=apples)
    feats = np.empty((S, C, N, 4), dtype=np.intp)
    probs = np.empty((S, C, N, A))
    acts = np.empty((S, C, N), dtype=np.intp)
    rewards = np.empty((S, C, N))
    for s in range(S):
        f = harvester_features(harvest, harvest_observations(harvest, state))  # (C, N, 4)
        p = softmax_policy(flat, f.reshape(1, C * N, 4))[0]  # (C·N, A)
        a = sample_actions(p, rng=gen).reshape(C, N)
        out = harvest_step(harvest, state, a, rng=gen)
        feats[s], probs[s], acts[s], rewards[s] = f, p.reshape(C, N, A), a, out.reward
        state = out.state
    return _Rollout(feats, probs, acts, rewards, state)


def _per_agent(policies: PolicyState, agents: int) -> np.ndarray:
    """Weights (R·N, F, A), run-major, as (R, N, F, A)."""
    L, F, A = policies.weights.shape
    return policies.weights.reshape(L // agents, agents, F, A)


def _mean_se(x: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error of the mean (sample SD / sqrt(n)) along ``axis``."""
    n = x.shape[axis]
    return x.mean(axis=axis), x.std(axis=axis, ddof=1) / np.sqrt(n)


def _deviation_gains(
    harvest: Harvest,
    society: np.ndarray,
    apples: np.ndarray,
    plan: DesignPlan,
    gen: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Every follower's gain from a trained deviation against the others' frozen ``society``
    policies (N, F, A): world ``i`` (``plan.episodes`` copies) has agent ``i`` learning."""
    N, F, A = society.shape
    E, Q = plan.episodes, plan.evaluations * plan.runs
    lrn = plan.learner if plan.learner is not None else PolicyGradient(0.05, 0.01)
    dev = PolicyState(society.copy(), np.zeros((2, N, F, A)), 0)
    S = harvest.episode
    powers = DEFAULT_DISCOUNT ** np.arange(S)
    me = np.arange(N)

    def worlds(copies: int) -> np.ndarray:
        w = np.broadcast_to(society, (N, copies, N, F, A)).copy()
        w[me, :, me] = dev.weights[:, None]  # world i: agent i plays the deviator's policy
        return w.reshape(N * copies, N, F, A)

    def mine(x: np.ndarray) -> np.ndarray:
        """Each world's deviator entries of (S, N·E, N, ...) as (S·E, N, ...), step-major."""
        y = x.reshape(S, N, E, N, *x.shape[3:])[:, me, :, me]  # (N, S, E, ...)
        return np.moveaxis(y, 0, 2).reshape(S * E, N, *x.shape[3:])

    for _ in range(plan.deviation_iterations):
        out = _rollout(harvest, worlds(E), apples, gen)
        r = mine(out.rewards).reshape(S, E, N)
        returns = np.cumsum((r * powers[:, None, None])[::-1], axis=0)[::-1] / powers[:, None, None]
        dev = policy_gradient_update(
            lrn,
            dev,
            mine(out.features),
            mine(out.actions),
            returns.reshape(S * E, N),
            mine(out.probs),
            groups=S,
        )
    deviating = _rollout(harvest, worlds(Q), apples, gen).rewards.sum(axis=0)  # (N·Q, N)
    own = deviating.reshape(N, Q, N)[me, :, me]  # (N, Q): agent i's return in world i
    base = _rollout(harvest, np.broadcast_to(society, (Q, N, F, A)), apples, gen)
    base_own = base.rewards.sum(axis=0).T  # (N, Q)
    gain = own.mean(axis=1) - base_own.mean(axis=1)
    se = np.sqrt(own.var(axis=1, ddof=1) / Q + base_own.var(axis=1, ddof=1) / Q)
    return gain, se


def _learning_planner(
    samples: np.ndarray, plan: DesignPlan, gen: np.random.Generator
) -> tuple[int, np.ndarray]:
    """A softmax policy-gradient planner over the G schedules: each update draws
    ``PLANNER_BATCH`` schedules and is paid one sampled episode's objective for each (from the
    evaluation episodes ``samples`` (G, M)); returns its most probable schedule and the curve of
    that schedule's probability."""
    G, M = samples.shape
    state = PolicyState.zeros(1, 1, G)
    feats = np.zeros((PLANNER_BATCH, 1, 1), dtype=np.intp)
    chosen = np.empty((plan.planner_iterations, G))
    for t in range(plan.planner_iterations):
        probs = softmax_policy(state.weights, feats)
        acts = sample_actions(probs, rng=gen)  # (B, 1)
        paid = samples[acts[:, 0], gen.integers(0, M, PLANNER_BATCH)][:, None]
        state = policy_gradient_update(PLANNER_LEARNER, state, feats, acts, paid, probs)
        chosen[t] = softmax_policy(state.weights, feats[:1])[0, 0]
    choice = int(np.argmax(state.weights[0, 0]))
    return choice, chosen[:, choice]


def _society(weights: np.ndarray) -> PolicyState:
    """N learners' weights (N, F, A) as a PolicyState with fresh Adam moments."""
    return PolicyState(weights.copy(), np.zeros((2, *weights.shape)), 0)


def _tiled(policies: PolicyState, runs: int) -> PolicyState:
    """The society's N policies, copied to ``runs`` runs (run-major), with fresh Adam moments."""
    w = np.tile(policies.weights, (runs, 1, 1))
    return PolicyState(w, np.zeros((2, *w.shape)), 0)


def _schedule_value(
    h: Harvest,
    plan: DesignPlan,
    warm: PolicyState | None,
    apples: np.ndarray,
    eta: float,
    train_stream: np.random.Generator,
    play_stream: np.random.Generator,
) -> tuple[HarvesterTraining, np.ndarray]:
    """Train the followers under one schedule and value it: the training and the objective of
    every evaluation episode, shape (R, M) (run-major)."""
    R, M = plan.runs, plan.evaluations
    t = train_harvesters(
        h,
        iterations=plan.iterations,
        runs=R,
        episodes=plan.episodes,
        learner=plan.learner,
        initial=warm,
        apples=apples,
        rng=train_stream,
        progress=False,
    )
    play = play_harvesters(h, t, steps=h.episode, runs=R, copies=M, apples=apples, rng=play_stream)
    y = round_incomes(play.final)  # (R·M, N), run-major
    return t, welfare_rows(y, "eta", eta=eta).reshape(R, M)


def _grid_values(
    harvest: Harvest,
    plan: DesignPlan,
    warm: PolicyState | None,
    apples: np.ndarray,
    eta: float,
    streams: list[np.random.Generator],
) -> tuple[tuple[HarvesterTraining, ...], np.ndarray]:
    """:func:`_schedule_value` for every schedule of the grid in one batched training and one
    batched evaluation (``streams``: the G training streams, then the G evaluation streams):
    the trainings and the objective of every evaluation episode, shape (G, R, M)."""
    G, R, M = len(plan.schedules), plan.runs, plan.evaluations
    trainings = train_harvesters_under(
        harvest,
        plan.schedules,
        iterations=plan.iterations,
        runs=R,
        episodes=plan.episodes,
        learner=plan.learner,
        initial=warm,
        apples=apples,
        streams=streams[:G],
        progress=False,
    )
    plays = play_harvesters_under(
        harvest,
        plan.schedules,
        trainings,
        steps=harvest.episode,
        runs=R,
        copies=M,
        apples=apples,
        streams=streams[G:],
    )
    y = [round_incomes(p.final) for p in plays]  # G × (R·M, N), run-major
    return trainings, np.stack([welfare_rows(v, "eta", eta=eta).reshape(R, M) for v in y])


def _round(
    harvest: Harvest,
    plan: DesignPlan,
    k: int,
    reports: tuple[Fraction | float, ...],
    apples: np.ndarray,
    policies: PolicyState | None,
    gen: np.random.Generator,
    executor: Executor | None = None,
) -> DesignRound:
    """Round ``k`` from the orchard ``apples`` and the society's ``policies`` (module docstring)."""
    eta = voted_eta(reports, plan.rule)
    G, R, N = len(plan.schedules), plan.runs, harvest.agents
    streams = gen.spawn(2 * G + 3)
    warm = None if policies is None else _tiled(policies, R)
    if executor is None:  # the whole grid in one batched call, each schedule on its streams
        trainings, samples = _grid_values(harvest, plan, warm, apples, float(eta), streams[: 2 * G])
    else:
        args = [
            (harvest.with_schedule(s), plan, warm, apples, float(eta), streams[g], streams[G + g])
            for g, s in enumerate(plan.schedules)
        ]
        done = [job.result() for job in [executor.submit(_schedule_value, *a) for a in args]]
        trainings = tuple(t for t, _ in done)
        samples = np.stack([v for _, v in done])  # (G, R, M)
    per_run = samples.mean(axis=2)  # (G, R): each training run's value
    values, value_se = _mean_se(per_run, axis=1)
    best = int(np.argmax(values))
    planner_curve = None
    if plan.planner == "search":
        choice = best
    else:
        choice, planner_curve = _learning_planner(samples.reshape(G, -1), plan, streams[-3])
    if choice == best:
        epsilon, epsilon_se = 0.0, 0.0
    else:  # the runs of different schedules are independent: the variances add
        epsilon = float(values[best] - values[choice])
        epsilon_se = float(np.sqrt(value_se[best] ** 2 + value_se[choice] ** 2))
    chosen = trainings[choice]
    h = harvest.with_schedule(plan.schedules[choice])
    society = _per_agent(chosen.policies, N)[0]  # run 0: (N, F, A)
    real = play_harvesters(
        h, _society(society), steps=h.episode, runs=1, apples=apples, rng=streams[-2]
    )
    gains = gains_se = None
    if plan.deviation_iterations > 0:
        gains, gains_se = _deviation_gains(h, society, apples, plan, streams[-1])
    incomes = round_incomes(real.final)[0]
    return DesignRound(
        round=k,
        reports=reports,
        eta=eta,
        values=values,
        value_se=value_se,
        choice=choice,
        schedule=plan.schedules[choice],
        best=best,
        epsilon=epsilon,
        epsilon_se=epsilon_se,
        gains=gains,
        gains_se=gains_se,
        stock=real.stock[:, 0, 0].copy(),
        dead=real.dead[:, 0, 0].copy(),
        incomes=incomes,
        objective=float(welfare_rows(incomes[None], "eta", eta=float(eta))[0]),
        reward_curve=chosen.reward.copy(),
        planner_curve=planner_curve,
        final=real.final,
        policies=_society(society),
    )


def social_environment_design(
    harvest: Harvest,
    plan: DesignPlan,
    *,
    rounds: int,
    reports: Sequence[Fraction | float] | None = None,
    progress: bool = True,
    resume: DesignHistory | None = None,
    executor: Executor | None = None,
    rng: int | np.random.Generator | None = None,
) -> DesignHistory:
    """Play ``rounds`` rounds of vote → principal → learning agents → next round.

    Parameters
    ----------
    harvest : Harvest
        The commons and its agents' true types (its own schedule is replaced every round).
    plan : DesignPlan
        The principal's grid and rule, and the learning budgets.
    rounds : int >= 1
        Rounds in all (with ``resume``, including those already played).
    reports : sequence of N numbers in [0, 1], optional
        The selfishness every agent reports in every round; truthful (the types' σ) if None.
    progress : bool
        A tqdm bar over rounds.
    resume : DesignHistory, optional
        A previous (possibly interrupted) history of the same commons and plan: its rounds are
        kept and the loop continues from its last orchard and policies. Pass the same integer
        ``rng`` seed to get the uninterrupted run's rounds.
    executor : concurrent.futures.Executor, optional
        Train and value the grid's schedules in parallel (one job per schedule, each on its
        own stream, so the rounds are the same with or without it); without it, the whole
        grid is trained and valued in one batched call per round.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    DesignHistory
        ``interrupted`` is True if Ctrl-C stopped the loop between or inside rounds (the rounds
        finished are kept).

    Raises
    ------
    ParameterError
        A bad count, reports of the wrong length or outside [0, 1], a history of another
        commons or plan; ``ParameterTypeError`` for arguments of the wrong type.
    """
    gen = generator(rng)
    if not isinstance(harvest, Harvest):
        raise ParameterTypeError(f"harvest must be a Harvest, got {type(harvest).__name__}")
    if not isinstance(plan, DesignPlan):
        raise ParameterTypeError(f"plan must be a DesignPlan, got {type(plan).__name__}")
    K = integer_at_least(rounds, "rounds", 1)
    if reports is None:
        said = tuple(t.selfishness for t in harvest.types)
        said = tuple(Fraction(v) if isinstance(v, int) else v for v in said)
        if harvest.agents < 2:
            raise ParameterError("the loop needs at least 2 agents (a vote and a minimum)")
    else:
        said = _reports(reports)
        if len(said) != harvest.agents:
            raise ParameterError(
                f"reports must give one value per agent ({harvest.agents}), got {len(said)}"
            )
    voted_eta(said, plan.rule)  # checked once, before any training
    streams = gen.spawn(K + 1)
    if resume is None:
        first = harvest_reset(harvest, 1, rng=streams[0]).apples[0]
        done: list[DesignRound] = []
    else:
        if not isinstance(resume, DesignHistory):
            raise ParameterTypeError(f"resume must be a DesignHistory, got {resume!r}")
        if resume.harvest != harvest or resume.plan != plan:
            raise ParameterError("resume is the history of another commons or plan")
        first = resume.initial_apples
        done = list(resume.rounds)
    apples = done[-1].apples if done else first
    policies = done[-1].policies if done else None
    interrupted = False
    try:
        for k in tqdm(range(len(done), K), desc="rounds", disable=not progress):
            r = _round(harvest, plan, k, said, apples, policies, streams[k + 1], executor)
            done.append(r)
            apples, policies = r.apples, r.policies
    except KeyboardInterrupt:
        interrupted = True
    return DesignHistory(harvest, plan, first, tuple(done), interrupted)


def social_environment_designs(
    harvest: Harvest,
    plan: DesignPlan,
    *,
    rounds: int,
    seeds: int,
    reports: Sequence[Fraction | float] | None = None,
    executor: Executor | None = None,
    rng: int | np.random.Generator | None = None,
) -> tuple[DesignHistory, ...]:
    """``seeds`` independent loops (:func:`social_environment_design`), one spawned random
    stream each, on ``executor`` when given (a process pool, or a dask.distributed client's
    executor), else one after the other. Same ``rng``, same histories, whatever the executor.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> h = Harvest(height=5, width=5, agents=2, view=1, period=5, episode=5)
    >>> plan = DesignPlan((TaxSchedule([0], [0]),), iterations=1, runs=2, episodes=2,
    ...                   evaluations=1, deviation_iterations=0)
    >>> with ThreadPoolExecutor(2) as pool:
    ...     a = social_environment_designs(h, plan, rounds=1, seeds=2, rng=0, executor=pool)
    >>> b = social_environment_designs(h, plan, rounds=1, seeds=2, rng=0)
    >>> [x.stocks.tolist() == y.stocks.tolist() for x, y in zip(a, b)]
    [True, True]
    """
    n = integer_at_least(seeds, "seeds", 1)
    streams = generator(rng).spawn(n)
    if executor is None:
        return tuple(
            social_environment_design(
                harvest, plan, rounds=rounds, reports=reports, progress=False, rng=s
            )
            for s in streams
        )
    jobs = [
        executor.submit(
            social_environment_design,
            harvest,
            plan,
            rounds=rounds,
            reports=reports,
            progress=False,
            rng=s,
        )
        for s in streams
    ]
    return tuple(job.result() for job in jobs)
