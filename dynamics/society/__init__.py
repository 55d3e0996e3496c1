"""Agent-based societies: the message-passing framework and Sugar and spice world.

- :mod:`~dynamics.society.framework`: agents, channels, behaviours P(a | m, psi), the scheduler.
- :mod:`~dynamics.society.graphs`: who meets whom (networkx graphs).
- :mod:`~dynamics.society.qlearning`: Q-learning parameters shared by both engines.
- :mod:`~dynamics.society.sugar_spice`: Sugar and spice world on the framework.
- :mod:`~dynamics.society.ensemble`: the same world, vectorised over many runs.
- :mod:`~dynamics.society.fixed_points`: network fixed points of Q-learning, exactly.
"""

from dynamics.society.ensemble import EnsembleResult, run_ensemble
from dynamics.society.fixed_points import (
    NeighbourhoodGreedyMoves,
    NetworkFixedPoint,
    best_response_search,
    neighbourhood_greedy_moves,
    network_fixed_point,
)
from dynamics.society.framework import (
    UNCHANGED,
    Action,
    Choice,
    Message,
    Send,
    Society,
    SocietyAgent,
    SocietyHistory,
)
from dynamics.society.graphs import GRAPH_KINDS, edge_array, interaction_graph
from dynamics.society.qlearning import QLearning, policy_codes, policy_strings, steal_probability
from dynamics.society.sugar_spice import FrameworkRun, LearnerState, run_framework

__all__ = [
    "EnsembleResult",
    "run_ensemble",
    "NeighbourhoodGreedyMoves",
    "NetworkFixedPoint",
    "best_response_search",
    "neighbourhood_greedy_moves",
    "network_fixed_point",
    "UNCHANGED",
    "Action",
    "SocietyAgent",
    "Choice",
    "Message",
    "Send",
    "Society",
    "SocietyHistory",
    "GRAPH_KINDS",
    "edge_array",
    "interaction_graph",
    "QLearning",
    "policy_codes",
    "policy_strings",
    "steal_probability",
    "FrameworkRun",
    "LearnerState",
    "run_framework",
]
