"""Economies with learning agents and a learning planner (the AI Economist), checked against the
exact solutions of :mod:`theory.policy`.

Layout (shared with the learning societies that come next, e.g. Social Environment Design):

- environments: the one-step labour economy (:mod:`dynamics.economy.labour`) and
  Gather-and-Build (:mod:`dynamics.economy.gather_build`);
- an environment is a **batched numpy core** (a pure function of arrays over copies × agents:
  :func:`~dynamics.economy.labour.labour_outcome`) and a **PettingZoo ``ParallelEnv`` view** of
  one copy that calls the same core (:class:`~dynamics.economy.labour.LabourEconomyEnv`);
- **learners** (:mod:`dynamics.economy.learners`) are independent softmax policy-gradient
  learners over one-hot observation features, vectorised over copies × agents; a planner is the
  same learner with one categorical per tax bracket;
- **training** (:mod:`dynamics.economy.training`) runs the AI Economist's two phases over many
  independent runs at once, with progress, interruption and checkpoints;
- the planner's exact counterpart is :func:`theory.policy.principal.grid_search` (the Stackelberg
  optimum on the same rate grid), the workers' is
  :func:`theory.policy.economy.follower_equilibrium`.
"""

from dynamics.economy.gather_build import (
    MOVES,
    GatherBuild,
    GatherBuildEnv,
    GatherBuildState,
    GatherBuildStep,
    Ledger,
    gather_build_reset,
    gather_build_step,
    ledger,
)
from dynamics.economy.gather_build_training import (
    DISCOUNT,
    ELASTICITY_RANGE,
    FEATURE_BLOCKS,
    KIND_PRIOR,
    OCCUPATIONS,
    REGIMES,
    SAEZ_TOL_STEPS,
    GatherBuildEvaluation,
    GatherBuildTraining,
    evaluate_gather_build,
    gather_build_feature_count,
    gather_build_features,
    occupations,
    scaled_us_cutoffs,
    train_gather_build,
    train_gather_build_runs,
)
from dynamics.economy.labour import (
    LABOUR_HEADROOM,
    LabourEconomy,
    LabourEconomyEnv,
    LabourOutcome,
    labour_outcome,
)
from dynamics.economy.learners import (
    OPTIMISERS,
    PolicyGradient,
    PolicyState,
    apply_gradient,
    greedy_actions,
    normalised_advantages,
    policy_gradient,
    policy_gradient_update,
    sample_actions,
    softmax_policy,
)
from dynamics.economy.training import (
    PlannerTraining,
    TwoPhaseCurriculum,
    WorkerTraining,
    train_planner,
    train_planners,
    train_workers,
    worker_features,
)

__all__ = [
    "MOVES",
    "GatherBuild",
    "GatherBuildEnv",
    "GatherBuildState",
    "GatherBuildStep",
    "gather_build_reset",
    "gather_build_step",
    "Ledger",
    "ledger",
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
    "LABOUR_HEADROOM",
    "LabourEconomy",
    "LabourEconomyEnv",
    "LabourOutcome",
    "labour_outcome",
    "OPTIMISERS",
    "PolicyState",
    "PolicyGradient",
    "greedy_actions",
    "normalised_advantages",
    "policy_gradient",
    "apply_gradient",
    "policy_gradient_update",
    "sample_actions",
    "softmax_policy",
    "PlannerTraining",
    "TwoPhaseCurriculum",
    "WorkerTraining",
    "train_planner",
    "train_planners",
    "train_workers",
    "worker_features",
]
