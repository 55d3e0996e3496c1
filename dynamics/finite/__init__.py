"""Finite populations: Moran, Wright-Fisher and pairwise-comparison processes, their exact Markov
chains, vectorised simulations, the modal agent simulation and its flow limit, and sweeps."""

from dynamics.finite.agents import AgentRuns, euler_map, round_time, simulate_agents
from dynamics.finite.chain import (
    Absorption,
    MarkovChain,
    absorption,
    markov_chain,
    population_states,
    state_index,
    stationary_distribution,
    stationary_method,
)
from dynamics.finite.convergence import FlowConvergence, flow_convergence
from dynamics.finite.fixation import SmallMutationLimit, fixation_probability, small_mutation_limit
from dynamics.finite.groups import (
    GroupProcess,
    group_fixation_probability,
    group_process,
    group_small_mutation_limit,
    group_stationary_distribution,
    group_transition_matrix,
    sampled_payoffs,
)
from dynamics.finite.processes import (
    Process,
    as_counts,
    fermi,
    moran,
    offspring_distribution,
    relative_fitness,
    transition_probabilities,
    wright_fisher,
)
from dynamics.finite.simulation import CountTrajectories, Fixations, fixations, simulate
from dynamics.finite.sweeps import SweepResult, grid, simulation_task, sweep
from dynamics.finite.two_populations import (
    TwoPopulationProcess,
    simulate_two_populations,
    two_population_fermi,
    two_population_fixation,
    two_population_moran,
    two_population_stationary_distribution,
    two_population_transition_matrix,
)

__all__ = [
    "Process",
    "moran",
    "fermi",
    "wright_fisher",
    "as_counts",
    "offspring_distribution",
    "transition_probabilities",
    "relative_fitness",
    "MarkovChain",
    "Absorption",
    "markov_chain",
    "population_states",
    "state_index",
    "stationary_distribution",
    "stationary_method",
    "absorption",
    "SmallMutationLimit",
    "fixation_probability",
    "small_mutation_limit",
    "CountTrajectories",
    "Fixations",
    "simulate",
    "fixations",
    "AgentRuns",
    "simulate_agents",
    "round_time",
    "euler_map",
    "FlowConvergence",
    "flow_convergence",
    "SweepResult",
    "grid",
    "sweep",
    "simulation_task",
    "GroupProcess",
    "group_process",
    "sampled_payoffs",
    "group_fixation_probability",
    "group_small_mutation_limit",
    "group_transition_matrix",
    "group_stationary_distribution",
    "TwoPopulationProcess",
    "two_population_fermi",
    "two_population_moran",
    "two_population_fixation",
    "simulate_two_populations",
    "two_population_transition_matrix",
    "two_population_stationary_distribution",
]
