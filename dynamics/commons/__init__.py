"""The stochastic harvest commons: birth-death sites, the Harvest game's local regrowth, rounds."""

from dynamics.commons.grid import (
    REGROWTH_PROBABILITIES,
    REGROWTH_RADIUS,
    GridRun,
    dead_sites,
    mean_field_collapse_harvest,
    mean_field_fold_harvest,
    mean_field_regrowth,
    mean_field_step,
    neighbour_counts,
    neighbourhood_offsets,
    simulate_harvest_grid,
)
from dynamics.commons.rounds import (
    DEFAULT_TAX_GRID,
    GreedyLimit,
    RoundsResult,
    greedy_limits,
    greedy_rounds,
    nash_efforts_by_tax,
)
from dynamics.commons.stochastic import (
    K_SIGMA,
    CommonsRun,
    LinearNoise,
    agreement_tolerance,
    linear_noise,
    simulate_commons,
    stationary_variance,
)

__all__ = [
    "REGROWTH_PROBABILITIES",
    "REGROWTH_RADIUS",
    "GridRun",
    "dead_sites",
    "mean_field_collapse_harvest",
    "mean_field_fold_harvest",
    "mean_field_regrowth",
    "mean_field_step",
    "neighbour_counts",
    "neighbourhood_offsets",
    "simulate_harvest_grid",
    "DEFAULT_TAX_GRID",
    "GreedyLimit",
    "RoundsResult",
    "greedy_limits",
    "greedy_rounds",
    "nash_efforts_by_tax",
    "K_SIGMA",
    "CommonsRun",
    "LinearNoise",
    "agreement_tolerance",
    "linear_noise",
    "simulate_commons",
    "stationary_variance",
]
