"""Errors raised by :mod:`dynamics`: each is also a builtin, so generic handlers still catch it."""

from __future__ import annotations

__all__ = [
    "DynamicsError",
    "SimplexError",
    "ParameterError",
    "UnknownChannelError",
    "UnknownSocietyAgentError",
    "ProbabilityError",
    "CheckpointError",
    "ParameterTypeError",
    "UndecidedWarning",
    "ActionError",
]


class DynamicsError(ValueError):
    """Root of dynamics' errors."""


class SimplexError(DynamicsError):
    """A state off the probability simplex (negative entries, or not summing to 1)."""


class ParameterError(DynamicsError):
    """A parameter outside its domain (population size < 2, a rate outside [0, 1], ...)."""


class ParameterTypeError(ParameterError, TypeError):
    """A parameter of the wrong type (a dict where a QLearning is needed, a float count, ...)."""


class UnknownChannelError(DynamicsError, KeyError):
    """A message to a channel the receiving agent does not have."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownSocietyAgentError(DynamicsError, KeyError):
    """A message to, or a query about, an agent that does not exist."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ProbabilityError(DynamicsError):
    """A behaviour's action probabilities that are negative or do not sum to 1."""


class CheckpointError(DynamicsError):
    """A sweep folder's file that cannot be read, or that belongs to another sweep or task."""


class UndecidedWarning(UserWarning):
    """More basin starts undecided than the share a caller allows, even at the longest horizon
    tried: their fates are unknown, not a fate of their own."""


class ActionError(DynamicsError):
    """An environment action that is not in the agent's action space (an index out of range, a
    float where an index is needed, an array of the wrong shape, a missing agent)."""
