"""Vertices of a best-reply polyhedron by exact integer pivoting over its feasible bases.

Private to :mod:`theory.equilibria`. With ``Q = P - min(P) + 1 > 0`` the vertices ``(z, u)`` of
``{(z, u): z >= 0, sum z = 1, P z <= u}`` are the nonzero vertices ``y = z / (u - min P + 1)``
of the polytope ``{y >= 0, Q y <= 1}``. Its feasible bases are visited breadth-first from the
origin by simplex pivots (every pivot allowed by the ratio test, degenerate ones included): the
graph of feasible bases of a polytope is connected, so every vertex is met. The tableau is kept
in integers, fraction-free: after a pivot on ``(r, c)`` every other row becomes
``(a_rc * row_i - a_ic * row_r) / d`` with ``d`` the previous pivot, an exact division (Bareiss,
the integer pivoting of Lemke–Howson implementations). No float enters, so no tolerance.

A highly degenerate polytope can have very many bases per vertex (the zero game): when the
bases visited exceed `SPARE_BASES` plus `BASES_PER_VERTEX` per vertex found, the generator
raises :class:`TooDegenerate` and the caller falls back to the support-by-support enumeration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from fractions import Fraction
from math import gcd

import numpy as np

__all__ = ["SPARE_BASES", "BASES_PER_VERTEX", "TooDegenerate", "pivot_vertices"]

# A non-degenerate polytope has one feasible basis per vertex; a random integer game a few
# more. Beyond this many bases per vertex found (plus the spare) the polytope is so degenerate
# (ties everywhere, as in the zero game) that enumerating supports is cheaper.
BASES_PER_VERTEX = 10
SPARE_BASES = 2000

Found = tuple[tuple[Fraction, ...], Fraction, frozenset[int]]


class TooDegenerate(Exception):
    """Too many feasible bases per vertex: use the support enumeration instead."""


def pivot_vertices(P: np.ndarray, tick: Callable[[int], None] | None = None) -> Iterator[Found]:
    """``(z, u, best replies)`` for every vertex of the polyhedron of integer `P`, as found.

    Raises :class:`TooDegenerate` when the bases far outnumber the vertices. `tick`, if
    given, is called with the number of bases visited since its last call (budget, progress).
    """
    nr, nc = P.shape
    low = min(int(v) for v in P.flat)
    start = np.zeros((nr, nc + nr + 1), dtype=object)  # y_0.., s_0.., right-hand side
    start[:, :nc] = [[int(v) - low + 1 for v in row] for row in P]
    start[:, nc:-1] = [[int(i == k) for k in range(nr)] for i in range(nr)]
    start[:, -1] = 1
    basis0 = tuple(nc + i for i in range(nr))  # the slacks: the origin
    seen = {frozenset(basis0)}
    # depth first; a pending basis is its parent's tableau and the pivot, done when visited
    # (so memory holds the tableaux along the path, not one per discovered basis)
    queue: list[tuple[np.ndarray, int, int, int, tuple[int, ...]]] = [(start, -1, -1, 1, basis0)]
    found: set[tuple[int, ...]] = set()
    count = 0
    while queue:
        parent, r0, c0, d0, basis = queue.pop()
        T = parent if r0 < 0 else _pivot(parent, r0, c0, d0)
        d = 1 if r0 < 0 else parent[r0, c0]
        count += 1
        if count > SPARE_BASES + BASES_PER_VERTEX * len(found):
            raise TooDegenerate
        if tick is not None:
            tick(1)
        vertex = _vertex(T, basis, nc, nr, P, found)
        if vertex is not None:
            yield vertex
        nonbasic = sorted(set(range(nc + nr)) - set(basis))
        for c, rows in zip(nonbasic, _ratio_test(T, nonbasic), strict=True):
            for r in rows:
                nb = basis[:r] + (c,) + basis[r + 1 :]
                key = frozenset(nb)
                if key in seen:
                    continue
                seen.add(key)
                queue.append((T, r, c, d, nb))


def _ratio_test(T: np.ndarray, cols: list[int]) -> list[list[int]]:
    """For each entering column, the rows attaining the least ``rhs_i / a_ic`` over a_ic > 0.

    Floats pick the near-minimal rows (a relative 1e-9 window, far above the 1e-16 rounding of
    the entries); exact integer cross-multiplication decides among them. Entries too large for
    floats are compared exactly throughout.
    """
    try:
        F = T.astype(float)
    except OverflowError:
        F = None
    if F is None or not np.isfinite(F).all():
        return [_exact_min(T, c, [i for i in range(T.shape[0]) if T[i, c] > 0]) for c in cols]
    a = F[:, cols]
    rhs = F[:, -1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(a > 0, rhs / np.where(a > 0, a, 1.0), np.inf)
    least = ratio.min(axis=0)
    near = ratio <= least * (1 + 1e-9)
    single = near.sum(axis=0) == 1
    first = ratio.argmin(axis=0).tolist()
    return [
        [first[k]] if single[k] else _exact_min(T, c, np.flatnonzero(near[:, k]).tolist())
        for k, c in enumerate(cols)
    ]


def _exact_min(T: np.ndarray, c: int, rows: list[int]) -> list[int]:
    best: list[int] = []
    for i in rows:
        if not best:
            best = [i]
            continue
        j = best[0]
        lhs, rhs = T[i, -1] * T[j, c], T[j, -1] * T[i, c]
        if lhs < rhs:
            best = [i]
        elif lhs == rhs:
            best.append(i)
    return best


def _pivot(T: np.ndarray, r: int, c: int, d: int) -> np.ndarray:
    """Fraction-free pivot on ``(r, c)``; `d` is the previous pivot (every division exact)."""
    p = T[r, c]
    out = (T * p - np.outer(T[:, c], T[r])) // d
    out[r] = T[r]
    return out


def _vertex(
    T: np.ndarray,
    basis: tuple[int, ...],
    nc: int,
    nr: int,
    P: np.ndarray,
    found: set[tuple[int, ...]],
) -> Found | None:
    """The vertex of a basis, unless it is the origin or already in `found` (then added)."""
    y = [0] * nc
    tight_slack = set(range(nr))
    for i, var in enumerate(basis):
        value = T[i, -1]
        if var < nc:
            y[var] = value
        elif value != 0:
            tight_slack.discard(var - nc)
    total = sum(y)
    if total == 0:
        return None
    g = gcd(*y)
    key = tuple(v // g for v in y)  # the direction of y: the vertex, whatever the basis
    if key in found:
        return None
    found.add(key)
    z = tuple(Fraction(v, total) for v in y)
    r0 = min(tight_slack)
    u = Fraction(sum(int(P[r0, j]) * y[j] for j in range(nc) if y[j]), total)
    return z, u, frozenset(tight_slack)
