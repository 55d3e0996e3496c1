"""Flows, basins, finite populations, agent-based societies and plots."""

from dynamics.errors import DynamicsError, ParameterError, SimplexError

__all__ = ["DynamicsError", "SimplexError", "ParameterError"]
