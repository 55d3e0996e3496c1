"""Errors raised by :mod:`theory`: each is also a builtin, so generic handlers still catch it."""

from __future__ import annotations

__all__ = ["TheoryError", "ShapeError", "PayoffValueError", "NoConvergence"]


class TheoryError(ValueError):
    """Root of theory's errors."""


class ShapeError(TheoryError):
    """Arrays of incompatible or invalid shapes (ragged, non-square where required)."""


class PayoffValueError(TheoryError, TypeError):
    """A payoff entry that is NaN, infinite or not a number."""


class NoConvergence(TheoryError, ArithmeticError):
    """An iteration that did not reach its fixed point."""

    def __init__(self, iterations: int) -> None:
        super().__init__(f"no fixed point after {iterations} iterations")
        self.iterations = iterations
