"""Learning theory for Sugar and spice world: zero-memory and memory-one Q-learners, exactly.

- :mod:`~theory.learning.policies`: moves, states, the 16 memory-one policies, the wellbeing table.
- :mod:`~theory.learning.zero_memory`: the seed's zero-memory equilibrium conditions (sympy).
- :mod:`~theory.learning.chains`: policy pairs under noise as Markov chains; exact stationary
  distributions and wellbeing as rational functions of the noise, and their limits.
- :mod:`~theory.learning.qvalues`: exact optimal Q-values against a noisy partner; greedy moves.
- :mod:`~theory.learning.point_attractors`: fixed points of Q-learning, the learning graph over
  joint greedy policies and its attractors (terminal strongly connected components).
"""

from theory.learning.chains import (
    NOISE,
    PairSummary,
    all_pairs,
    average_wellbeing,
    noise_limit,
    pair_stationary_distribution,
    pair_summary,
    transition_matrix,
)
from theory.learning.point_attractors import (
    RULES,
    attractors,
    fixed_points,
    learning_graph,
    reachable_attractors,
)
from theory.learning.policies import (
    ALWAYS_STEAL,
    ALWAYS_TRADE,
    GRIM,
    MOVES,
    NAMED_POLICIES,
    POLICIES,
    STATES,
    TFT,
    WELLBEING,
    WSLS,
    MemoryOnePolicyError,
    check_policy,
    partner_state,
    policy_name,
)
from theory.learning.qvalues import (
    greedy_moves,
    greedy_policy,
    is_greedy,
    optimal_q_values,
    policy_q_values,
)
from theory.learning.zero_memory import (
    DISCOUNT,
    P_TRADE,
    ZeroMemoryFixedPoint,
    zero_memory_fixed_point,
)

__all__ = [
    "RULES",
    "attractors",
    "fixed_points",
    "learning_graph",
    "reachable_attractors",
    "NOISE",
    "PairSummary",
    "all_pairs",
    "average_wellbeing",
    "noise_limit",
    "pair_summary",
    "pair_stationary_distribution",
    "transition_matrix",
    "ALWAYS_STEAL",
    "ALWAYS_TRADE",
    "GRIM",
    "MOVES",
    "NAMED_POLICIES",
    "POLICIES",
    "STATES",
    "TFT",
    "WELLBEING",
    "WSLS",
    "MemoryOnePolicyError",
    "check_policy",
    "partner_state",
    "policy_name",
    "greedy_moves",
    "greedy_policy",
    "is_greedy",
    "optimal_q_values",
    "policy_q_values",
    "DISCOUNT",
    "P_TRADE",
    "ZeroMemoryFixedPoint",
    "zero_memory_fixed_point",
]
