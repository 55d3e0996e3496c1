"""A random generator that stops a simulation with ``KeyboardInterrupt`` (interrupt tests)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["InterruptingGenerator"]


class InterruptingGenerator(np.random.Generator):
    """A PCG64 generator that raises ``KeyboardInterrupt`` on the call of `method` (``"random"``
    or ``"exponential"``) that follows `after` such calls; the other method is not counted."""

    def __init__(self, seed: int, after: int, method: str) -> None:
        super().__init__(np.random.PCG64(seed))
        if method not in ("random", "exponential"):
            raise ValueError(f"method must be 'random' or 'exponential', got {method!r}")
        self.after = after
        self.method = method

    def _count(self, method: str) -> None:
        if method == self.method:
            self.after -= 1
            if self.after < 0:
                raise KeyboardInterrupt

    def random(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self._count("random")
        return super().random(*args, **kwargs)

    def exponential(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self._count("exponential")
        return super().exponential(*args, **kwargs)
