"""Finite populations: Moran, Wright-Fisher and pairwise-comparison processes, their exact
Markov chains, vectorised simulations, the modal agent simulation and parameter sweeps."""
