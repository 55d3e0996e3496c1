"""Errors raised by :mod:`dynamics`: each is also a builtin, so generic handlers still catch it."""

from __future__ import annotations

__all__ = ["DynamicsError", "SimplexError", "ParameterError"]


class DynamicsError(ValueError):
    """Root of dynamics' errors."""


class SimplexError(DynamicsError):
    """A state off the probability simplex (negative entries, or not summing to 1)."""


class ParameterError(DynamicsError):
    """A parameter outside its domain (population size < 2, a rate outside [0, 1], ...)."""
