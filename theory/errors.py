"""Errors raised by :mod:`theory`: each is also a builtin, so generic handlers still catch it."""

from __future__ import annotations

__all__ = [
    "TheoryError",
    "TheoryTypeError",
    "ShapeError",
    "PayoffValueError",
    "NoConvergence",
    "PolicyError",
    "PolicyTypeError",
    "NotAnEquilibrium",
    "UndecidedStability",
    "NotZeroSum",
    "InfeasibleProgram",
    "UnboundedProgram",
    "DomainError",
    "GameParameterError",
]


class TheoryError(ValueError):
    """Root of theory's errors."""


class TheoryTypeError(TheoryError, TypeError):
    """An argument of the wrong type (a bool, None or text where a number is needed)."""


class ShapeError(TheoryError):
    """Arrays of incompatible or invalid shapes (ragged, non-square where required)."""


class PayoffValueError(TheoryError, TypeError):
    """A payoff entry that is NaN, infinite or not a number."""


class NoConvergence(TheoryError, ArithmeticError):
    """An iteration that did not reach its fixed point."""

    def __init__(self, iterations: int, detail: str = "") -> None:
        super().__init__(
            f"no fixed point after {iterations} iterations" + (f": {detail}" if detail else "")
        )
        self.iterations = iterations


class PolicyError(TheoryError):
    """A tax schedule, welfare input, vote or economy parameter outside its domain."""


class PolicyTypeError(PolicyError, TypeError):
    """A policy input that is not a real number (a string, None, a complex number, ...)."""


class NotAnEquilibrium(TheoryError):
    """A strategy profile with a profitable pure deviation (stored: who, strategy, gain)."""

    def __init__(self, player: str, strategy: int, gain: object) -> None:
        super().__init__(f"the {player} player gains {gain} by deviating to strategy {strategy}")
        self.player = player
        self.strategy = strategy
        self.gain = gain


class UndecidedStability(TheoryError):
    """A stability question outside what the exact test decides (said in the message)."""


class NotZeroSum(TheoryError):
    """A game given to a zero-sum solver whose payoffs do not sum to zero in every cell."""

    def __init__(self, row: int, column: int, total: object) -> None:
        super().__init__(
            f"the game is not zero-sum: A[{row}, {column}] + B[{row}, {column}] = {total}, not 0"
            " (pass the pair (A, -A), e.g. zero_sum_game(A))"
        )
        self.row = row
        self.column = column
        self.total = total


class InfeasibleProgram(TheoryError):
    """A linear program whose constraints have no solution (an empty polytope)."""


class UnboundedProgram(TheoryError):
    """A linear program whose objective is unbounded on its feasible set."""


class DomainError(TheoryError):
    """A parameter outside its domain (a negative precision, a non-positive horizon, ...)."""


class GameParameterError(TheoryError):
    """Values for a game's parameters that are missing, unknown, not numbers, or outside a
    parameter's stated domain (its sympy assumptions, e.g. ``positive=True``); the message
    names the symbol."""
