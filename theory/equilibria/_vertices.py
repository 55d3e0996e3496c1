"""Exact vertices of best-reply polyhedra, and the float tolerances of the candidate filters.

Private to :mod:`theory.equilibria`: shared by the bimatrix enumeration
(:mod:`~theory.equilibria.support`) and the symmetric search (:mod:`~theory.equilibria.symmetric`).
"""

from __future__ import annotations

import time
from fractions import Fraction

import numpy as np
from tqdm import tqdm

from theory.linalg import indifference_system, solve_integer, to_fraction

__all__ = [
    "FILTER_TOL",
    "COND_LIMIT",
    "HADAMARD_SAFE",
    "exact_vertex",
    "Budget",
    "OutOfBudget",
    "normalised",
]

# Candidate filter: float solutions are accepted for the exact check if the constraints hold
# within this (scaled by the payoff size). Loose on purpose: it only costs extra exact checks.
FILTER_TOL = 1e-6
# Systems whose float condition number exceeds this are solved exactly without filtering,
# since double precision (1e-16) times the condition number could exceed the filter tolerance.
COND_LIMIT = 1e8
# Integer matrices whose Hadamard bound is below this have float determinants accurate to far
# better than 0.5 (LU error ~ k * 1e-16 * bound), so |det| < 0.5 means exactly singular.
HADAMARD_SAFE = 1e12


def exact_vertex(
    P: np.ndarray, R: tuple[int, ...], C: tuple[int, ...]
) -> tuple[tuple[Fraction, ...], Fraction, frozenset[int]] | None:
    """Solve "replies `R` earn u against z on `C`" exactly (integer `P`).

    Returns ``(z, u, best replies)`` if the solution is a vertex of
    ``{(z, u): z >= 0, sum z = 1, P z <= u}``, else None.
    """
    sol = solve_integer(*indifference_system(P, R, C))
    if sol is None:
        return None
    nums, den = sol  # z_c = nums[i] / den, u = nums[-1] / den, den > 0
    if any(w < 0 for w in nums[:-1]):
        return None
    U = nums[-1]
    pay = [sum(P[r, c] * w for c, w in zip(C, nums, strict=False)) for r in range(P.shape[0])]
    if any(p > U for p in pay):
        return None
    z = [Fraction(0)] * P.shape[1]
    for c, w in zip(C, nums, strict=False):
        z[c] = Fraction(w, den)
    return tuple(z), Fraction(U, den), frozenset(r for r, p in enumerate(pay) if p == U)


class OutOfBudget(Exception):
    """Raised inside an enumeration when its time budget is spent (caught by the caller)."""


class Budget:
    """Counts the linear systems an enumeration solves, shows progress, enforces a time limit.

    `seconds` None: no limit. `total`: the number of systems expected (for the bar and the
    report). A mutable helper of one enumeration call, not a result.
    """

    def __init__(
        self, seconds: float | None = None, *, total: int = 0, progress: bool = False
    ) -> None:
        self.seconds = seconds
        self.total = total
        self.done = 0
        self.start = time.monotonic()
        self.bar = (
            tqdm(total=total, unit="system", unit_scale=True, desc="equilibria", leave=False)
            if progress
            else None
        )

    def tick(self, n: int) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        if self.seconds is not None and time.monotonic() - self.start > self.seconds:
            raise OutOfBudget

    def report(self) -> str:
        share = f" of {self.total:.3g}" if self.total else ""
        return (
            f"stopped by the budget of {self.seconds:g} s after {self.done:.3g}{share} linear "
            "systems: the equilibria listed are those found so far"
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def normalised(M: np.ndarray) -> np.ndarray:
    """`M` mapped affinely onto [0, 1] (exactly, then rounded to floats): same equilibria.

    Works for float and exact (int/Fraction) entries of any size; a constant matrix maps to 0.
    """
    F = [to_fraction(v) for v in M.flat]
    lo, hi = min(F), max(F)
    span = hi - lo
    if span == 0:
        return np.zeros(M.shape)
    return np.array([float((f - lo) / span) for f in F]).reshape(M.shape)
