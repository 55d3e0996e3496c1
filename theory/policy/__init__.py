"""Policy theory: tax schedules with redistribution, welfare functions, voting on objectives, and
the economy as a Stackelberg game with a principal that picks the tax schedule.

The submodules: :mod:`~theory.policy.tax`, :mod:`~theory.policy.welfare`,
:mod:`~theory.policy.voting`, :mod:`~theory.policy.economy`, :mod:`~theory.policy.saez`,
:mod:`~theory.policy.principal`, :mod:`~theory.policy.brute_force`.
"""

from theory.policy.brute_force import GRID_POINTS, GridBestResponses, grid_best_responses
from theory.policy.economy import (
    PRESETS,
    FollowerEquilibria,
    FollowerEquilibrium,
    Preferences,
    calibrate_skills,
    crra,
    follower_equilibria,
    follower_equilibrium,
    income_elasticity,
)
from theory.policy.principal import (
    GridSearch,
    OptimisedRates,
    PolicyOutcome,
    compare_baselines,
    evaluate,
    grid_search,
    optimise_rates,
)
from theory.policy.saez import SaezSchedule, saez_rate, saez_rates_binned, saez_schedule
from theory.policy.tax import TaxSchedule, free_market, redistribute, us_federal_2018
from theory.policy.voting import audit_rules, draw_types, eta_mean_selfishness, find_manipulation
from theory.policy.welfare import (
    egalitarian,
    equality,
    eta_interpolation,
    gini,
    nash_welfare,
    power_mean,
    productivity,
    utilitarian,
)

__all__ = [
    "TaxSchedule",
    "us_federal_2018",
    "free_market",
    "redistribute",
    "gini",
    "equality",
    "productivity",
    "utilitarian",
    "nash_welfare",
    "egalitarian",
    "power_mean",
    "eta_interpolation",
    "draw_types",
    "eta_mean_selfishness",
    "audit_rules",
    "find_manipulation",
    "Preferences",
    "PRESETS",
    "crra",
    "calibrate_skills",
    "FollowerEquilibrium",
    "FollowerEquilibria",
    "income_elasticity",
    "follower_equilibrium",
    "follower_equilibria",
    "saez_rate",
    "saez_rates_binned",
    "saez_schedule",
    "SaezSchedule",
    "GridSearch",
    "OptimisedRates",
    "PolicyOutcome",
    "evaluate",
    "grid_search",
    "optimise_rates",
    "compare_baselines",
    "GRID_POINTS",
    "GridBestResponses",
    "grid_best_responses",
]
