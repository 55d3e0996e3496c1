"""One Nash equilibrium of a bimatrix game: the result type every method returns."""

from __future__ import annotations

from dataclasses import dataclass

from theory.typing import Value

__all__ = ["Equilibrium"]


@dataclass(frozen=True)
class Equilibrium:
    """A Nash equilibrium: mixed strategies `x` (row) and `y` (column), payoffs `u` and `v`."""

    x: tuple[Value, ...]
    y: tuple[Value, ...]
    u: Value
    v: Value

    @property
    def support_x(self) -> tuple[int, ...]:
        """Row strategies played with positive probability."""
        return tuple(i for i, p in enumerate(self.x) if p != 0)

    @property
    def support_y(self) -> tuple[int, ...]:
        """Column strategies played with positive probability."""
        return tuple(i for i, p in enumerate(self.y) if p != 0)

    @property
    def is_symmetric(self) -> bool:
        """Both players use the same mixed strategy."""
        return all(a == b for a, b in zip(self.x, self.y, strict=True))
