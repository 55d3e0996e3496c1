"""Learning in games: fictitious play, stochastic fictitious play, regret matching, Hedge,
imitation and introspection dynamics, batched over runs and seeded.

Each process is checked against the theory of where it must end: Nash equilibria
(:mod:`theory.equilibria`), minimax values (:mod:`theory.zero_sum`), correlated equilibria
(:mod:`theory.correlated`) and quantal response equilibria (:mod:`theory.qre`).
"""

from dynamics.learning.fictitious import (
    FictitiousPlay,
    continuous_fictitious_play,
    fictitious_play,
    stochastic_fictitious_play,
)
from dynamics.learning.imitation import ImitationDynamics, imitation_dynamics
from dynamics.learning.introspection import (
    IntrospectionDynamics,
    introspection_dynamics,
    introspection_stationary,
    introspection_transition_matrix,
)
from dynamics.learning.regret import Hedge, RegretMatching, hedge, regret_matching

__all__ = [
    "Hedge",
    "ImitationDynamics",
    "IntrospectionDynamics",
    "RegretMatching",
    "hedge",
    "imitation_dynamics",
    "introspection_dynamics",
    "introspection_stationary",
    "introspection_transition_matrix",
    "regret_matching",
    "FictitiousPlay",
    "continuous_fictitious_play",
    "fictitious_play",
    "stochastic_fictitious_play",
]
