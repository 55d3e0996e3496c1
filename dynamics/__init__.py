"""Flows, integrators, long-run behaviour, basins, the entry model; finite populations
(:mod:`dynamics.finite`), societies (:mod:`dynamics.society`), the commons
(:mod:`dynamics.commons`) and plots (:mod:`dynamics.plots`, the only place matplotlib is used).

``basins``, ``integrate`` and ``modal_evolution`` are not re-exported here, because they share
their names with their modules: ``from dynamics.integrate import integrate``,
``from dynamics.basins import basins``, ``from dynamics.modal_evolution import modal_evolution``.

Examples
--------
>>> import numpy as np
>>> from dynamics import replicator
>>> replicator(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.5, 0.5]]))
array([[0., 0.]])
"""

from dynamics.basins import (
    Basins,
    classify_fates,
    simplex_grid,
    simplex_sample,
    two_population_basin_sizes,
    two_population_basins,
)
from dynamics.entry import EntryRun, best_response_entry, count_grid
from dynamics.errors import DynamicsError, ParameterError, SimplexError
from dynamics.flows import (
    DYNAMICS,
    best_response,
    brown_von_neumann_nash,
    flow,
    logit,
    numeric_jacobian,
    replicator,
    smith,
)
from dynamics.group_flows import group_field, group_payoff_map, integrate_group
from dynamics.integrate import Trajectories, integrate_single
from dynamics.longrun import heteroclinic_cycle, time_share, vertex_itinerary
from dynamics.modal_evolution import (
    ENTRY_SHARE,
    SURVIVAL_SHARE,
    AgentPool,
    ModalEvolution,
    Survival,
    agent_pool,
    entry_growth_rates,
    survival,
)
from dynamics.rest_points import ROOT_MATCH, newton_rest_points
from dynamics.two_populations import (
    TwoPopulationTrajectories,
    TwoPopulationVelocity,
    integrate_two_populations,
    two_population_field,
)

__all__ = [
    "ROOT_MATCH",
    "newton_rest_points",
    "Basins",
    "DYNAMICS",
    "DynamicsError",
    "EntryRun",
    "ParameterError",
    "SimplexError",
    "Trajectories",
    "best_response",
    "best_response_entry",
    "brown_von_neumann_nash",
    "classify_fates",
    "count_grid",
    "flow",
    "heteroclinic_cycle",
    "integrate_single",
    "logit",
    "numeric_jacobian",
    "replicator",
    "simplex_grid",
    "simplex_sample",
    "smith",
    "time_share",
    "vertex_itinerary",
    "group_field",
    "group_payoff_map",
    "integrate_group",
    "TwoPopulationTrajectories",
    "TwoPopulationVelocity",
    "integrate_two_populations",
    "two_population_field",
    "ENTRY_SHARE",
    "SURVIVAL_SHARE",
    "AgentPool",
    "ModalEvolution",
    "Survival",
    "agent_pool",
    "entry_growth_rates",
    "survival",
    "two_population_basins",
    "two_population_basin_sizes",
]
