"""Pieces shared by :mod:`theory.stability` and :mod:`theory.ess`: exact signs and points.

Private to :mod:`theory`; both modules import from here, so neither imports the other.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from theory.errors import ShapeError, UndecidedStability

__all__ = ["EIG_TOL", "as_point", "sign", "ess_form", "leading_minors"]

#: Real parts within this of zero count as zero for float eigenvalues (payoffs O(1); numpy's
#: eigenvalues of a well-conditioned 10x10 matrix are accurate to ~1e-13).
EIG_TOL = 1e-10
# Significant digits used to decide the sign of an exact algebraic eigenvalue's real part.
_EVALF_DIGITS = 60


def as_point(x: Any, n: int) -> list[Any]:  # Any: entries may be Fraction, float or sympy
    """The entries of a strategy `x` as a list of length `n` (entries kept as given)."""
    pts = list(np.asarray(x, dtype=object).ravel())
    if len(pts) != n:
        raise ShapeError(f"x must have {n} entries (one per strategy), got {len(pts)}")
    return pts


def sign(v: Any, tol: float) -> int:  # Any: a sympy expression, Fraction, int or float
    """Sign of a real number: exact for sympy/Fraction input, with `tol` for floats."""
    if isinstance(v, sympy.Basic):
        if v.free_symbols:
            raise UndecidedStability(
                f"the sign of {v} depends on {sorted(map(str, v.free_symbols))}: "
                "theory.stability_regions(A, x) gives the parameter regions of each kind "
                "and of the ESS"
            )
        if sympy.simplify(v) == 0:
            return 0
        return 1 if sympy.N(v, _EVALF_DIGITS) > 0 else -1
    if isinstance(v, Fraction | int):
        return (v > 0) - (v < 0)
    return 0 if abs(v) <= tol else (1 if v > 0 else -1)


def ess_form(Ms: Any, S: list[int], T: list[int]) -> tuple[Any, int, int]:  # Any: sympy Matrix
    """Haigh's second-order form ``Q`` of the ESS test at a point with support `S` whose
    alternative best replies outside `S` are `T`: over the free directions of the support, then
    the new best replies; with the number of each kind of direction (free, all)."""
    n = Ms.shape[0]
    k = S[-1]
    dirs = [i for i in S if i != k] + [j for j in T if j not in S]
    P = sympy.zeros(n, len(dirs))
    for c, i in enumerate(dirs):
        P[i, c] = 1
        P[k, c] = -1
    Q = P.T * (Ms + Ms.T) / 2 * P
    return Q.applyfunc(sympy.simplify), len(S) - 1, len(dirs)


def leading_minors(Q: Any) -> list[Any]:  # Any: a sympy Matrix
    """The leading principal minors of a square sympy matrix, simplified."""
    return [sympy.simplify(Q[:k, :k].det()) for k in range(1, Q.shape[0] + 1)]
