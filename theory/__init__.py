"""Games, equilibria (exact, symbolic, numerical), stability, learning theory, policy theory.

The everyday names are here; the subpackages :mod:`theory.equilibria`, :mod:`theory.learning`,
:mod:`theory.policy` and :mod:`theory.commons` hold the rest. The dispatcher ``equilibria`` is
not re-exported, since it would shadow its subpackage: ``from theory.equilibria import
equilibria``; nor is ``modal_game``, for the same reason: ``from theory.modal_game import
modal_game``, nor ``linear_program``: ``from theory.linear_program import linear_program``.

Examples
--------
>>> from theory import symmetric_equilibria
>>> len(symmetric_equilibria([[1, 0], [0, 1]]).equilibria)
3
"""

from theory._numbers import number
from theory.best_response import best_responses, pure_equilibria
from theory.correlated import (
    CorrelatedEquilibrium,
    CorrelatedPolytope,
    correlated_distance,
    correlated_polytope,
    correlated_regret,
    correlated_vertices,
    is_correlated_equilibrium,
    optimal_correlated_equilibrium,
)
from theory.equilibria import (
    degenerate_parameter_values,
    exact_equilibria,
    is_equilibrium,
    symbolic_equilibria,
    symbolic_symmetric_equilibria,
    symmetric_equilibria,
    verify_equilibrium,
)
from theory.errors import (
    DomainError,
    GameParameterError,
    InfeasibleProgram,
    NoConvergence,
    NotAnEquilibrium,
    NotZeroSum,
    PayoffValueError,
    PolicyError,
    PolicyTypeError,
    ShapeError,
    TheoryError,
    TheoryTypeError,
    UnboundedProgram,
    UndecidedStability,
)
from theory.ess import is_ess, is_neutrally_stable
from theory.games import (
    Game,
    GameLike,
    ParameterValues,
    as_game,
    float_matrix,
    is_symmetric,
    parameter_values,
    parameters,
    payoff_matrix,
)
from theory.group_games import (
    GroupGame,
    GroupRestPoint,
    GroupSimplexRestPoint,
    GroupSimplexRestPoints,
    collective_risk_game,
    compositions,
    gain_coefficients,
    gain_function,
    group_game,
    group_payoffs,
    group_rest_points,
    group_simplex_rest_points,
    public_goods_game,
    snowdrift_game,
    stag_hunt_game,
    volunteers_dilemma,
)
from theory.linear_program import LinearProgramSolution
from theory.modal_game import BASE_GAMES, SEED_PD, base_game, invaders, invasion_fitness
from theory.parametric_stability import (
    REST_POINT_KINDS,
    StabilityRegions,
    UndecidedRegion,
    hurwitz_determinants,
    stability_regions,
)
from theory.qre import (
    QRECorrespondence,
    QuantalResponseEquilibrium,
    logit_qre,
    nash_gap,
    qre_correspondence,
)
from theory.regions import Region
from theory.stability import (
    classify_eigenvalues,
    classify_rest_point,
    replicator_jacobian,
    replicator_rest_points,
    tangent_eigenvalues,
)
from theory.two_populations import (
    TwoPopulationRestPoint,
    TwoPopulationStability,
    classify_two_population_rest_point,
    two_population_jacobian,
    two_population_rest_points,
)
from theory.zero_sum import MinimaxSolution, is_zero_sum, minimax, zero_sum_game

__all__ = [
    "SEED_PD",
    "BASE_GAMES",
    "base_game",
    "invaders",
    "invasion_fitness",
    "number",
    "Game",
    "GameLike",
    "GameParameterError",
    "ParameterValues",
    "parameter_values",
    "parameters",
    "Region",
    "NoConvergence",
    "NotAnEquilibrium",
    "PayoffValueError",
    "PolicyError",
    "PolicyTypeError",
    "ShapeError",
    "TheoryError",
    "TheoryTypeError",
    "UndecidedStability",
    "as_game",
    "best_responses",
    "classify_eigenvalues",
    "classify_rest_point",
    "degenerate_parameter_values",
    "exact_equilibria",
    "float_matrix",
    "is_equilibrium",
    "is_ess",
    "is_neutrally_stable",
    "is_symmetric",
    "payoff_matrix",
    "pure_equilibria",
    "replicator_jacobian",
    "replicator_rest_points",
    "symbolic_equilibria",
    "symbolic_symmetric_equilibria",
    "symmetric_equilibria",
    "tangent_eigenvalues",
    "verify_equilibrium",
    # learning in games (issue 21): LPs, correlated equilibria, zero-sum games, QRE
    "CorrelatedEquilibrium",
    "CorrelatedPolytope",
    "DomainError",
    "InfeasibleProgram",
    "LinearProgramSolution",
    "MinimaxSolution",
    "NotZeroSum",
    "QRECorrespondence",
    "QuantalResponseEquilibrium",
    "UnboundedProgram",
    "correlated_distance",
    "correlated_polytope",
    "correlated_regret",
    "correlated_vertices",
    "is_correlated_equilibrium",
    "is_zero_sum",
    "logit_qre",
    "minimax",
    "nash_gap",
    "optimal_correlated_equilibrium",
    "qre_correspondence",
    "zero_sum_game",
    "GroupGame",
    "GroupRestPoint",
    "GroupSimplexRestPoint",
    "GroupSimplexRestPoints",
    "group_simplex_rest_points",
    "collective_risk_game",
    "compositions",
    "gain_coefficients",
    "gain_function",
    "group_game",
    "group_payoffs",
    "group_rest_points",
    "public_goods_game",
    "snowdrift_game",
    "stag_hunt_game",
    "volunteers_dilemma",
    "TwoPopulationRestPoint",
    "TwoPopulationStability",
    "classify_two_population_rest_point",
    "two_population_jacobian",
    "two_population_rest_points",
    # stability as a function of parameters (issue 13)
    "REST_POINT_KINDS",
    "StabilityRegions",
    "UndecidedRegion",
    "hurwitz_determinants",
    "stability_regions",
]
