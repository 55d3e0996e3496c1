"""Games, equilibria (exact, symbolic, numerical), stability, learning theory, policy theory."""

from theory.errors import NoConvergence, PayoffValueError, ShapeError, TheoryError

__all__ = ["TheoryError", "ShapeError", "PayoffValueError", "NoConvergence"]
