"""Exact vertices of best-reply polyhedra, and the float tolerances of the candidate filters.

Private to :mod:`theory.equilibria`: shared by the bimatrix enumeration
(:mod:`~theory.equilibria.support`) and the symmetric search (:mod:`~theory.equilibria.symmetric`).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from theory.linalg import indifference_system, solve_integer

__all__ = ["FILTER_TOL", "COND_LIMIT", "HADAMARD_SAFE", "exact_vertex"]

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
