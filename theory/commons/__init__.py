"""The harvest commons: mean-field stock dynamics, thresholds, Nash efforts, corrective taxes."""

from theory.commons.best_response import (
    BEST_RESPONSE_XATOL,
    BestResponseRun,
    best_response_dynamics,
    numerical_best_response,
)
from theory.commons.errors import CommonsError, CommonsTypeError
from theory.commons.model import (
    HarvestCommons,
    StockEquilibrium,
    SustainableYield,
    collapse_effort,
    corrective_tax,
    cournot_effort,
    maximum_sustainable_yield,
    open_access_effort,
    rent,
    social_optimum_effort,
    steady_stock,
    stock_equilibria,
    sustainable_yield,
    taxed_nash_effort,
)
from theory.commons.symbolic import CommonsClosedForms, closed_forms
from theory.commons.transient import round_harvest, stock_path
from theory.commons.types import (
    MAX_ENUMERATED_AGENTS,
    HarvesterType,
    HarvestNash,
    MarginalCoefficients,
    as_harvester_types,
    harvester_rewards,
    marginal_coefficients,
    steady_state_nash,
)

__all__ = [
    "BEST_RESPONSE_XATOL",
    "BestResponseRun",
    "best_response_dynamics",
    "numerical_best_response",
    "CommonsError",
    "CommonsTypeError",
    "CommonsClosedForms",
    "HarvestCommons",
    "StockEquilibrium",
    "SustainableYield",
    "closed_forms",
    "collapse_effort",
    "corrective_tax",
    "cournot_effort",
    "stock_equilibria",
    "maximum_sustainable_yield",
    "open_access_effort",
    "rent",
    "round_harvest",
    "social_optimum_effort",
    "steady_stock",
    "stock_path",
    "sustainable_yield",
    "taxed_nash_effort",
    "MAX_ENUMERATED_AGENTS",
    "HarvesterType",
    "HarvestNash",
    "as_harvester_types",
    "harvester_rewards",
    "MarginalCoefficients",
    "marginal_coefficients",
    "steady_state_nash",
]
