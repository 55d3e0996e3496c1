"""Vertices of a best-reply polyhedron by exact integer pivoting over its feasible bases.

Private to :mod:`theory.equilibria`. With ``Q = P - min(P) + 1 > 0`` the vertices ``(z, u)`` of
``{(z, u): z >= 0, sum z = 1, P z <= u}`` are the nonzero vertices ``y = z / (u - min P + 1)``
of the polytope ``{y >= 0, Q y <= 1}``. Its feasible bases are visited depth first from the
origin by simplex pivots (every pivot allowed by the ratio test, degenerate ones included): the
graph of feasible bases of a polytope is connected, so every vertex is met. The tableau is kept
in integers, fraction-free: after a pivot on ``(r, c)`` every other row becomes
``(a_rc * row_i - a_ic * row_r) / d`` with ``d`` the previous pivot, an exact division (Bareiss,
the integer pivoting of Lemke–Howson implementations). No rounded number is ever kept, so no
tolerance.

Speed: the pivots are done a batch of bases at a time with numpy. A tableau whose entries fit
in int64 is pivoted in float64 and rounded to the nearest integer when a bound proves the
rounding exact: each entry of ``(p * T - T_c T_r) / d`` is computed with absolute error at most
``6 * 2**-53 * (p |T| + |T_c| |T_r|) / d`` (three roundings and the exact integer inputs below
2**53), so where that bound is below 1/4 the nearest integer is the exact Bareiss entry. The
other pivots (larger entries, huge payoffs) are done in Python integers, as before. The ratio
test compares floats and decides near-ties exactly (see :func:`_step`).

A highly degenerate polytope can have very many bases per vertex (the zero game): when the
bases visited exceed `SPARE_BASES` plus `BASES_PER_VERTEX` per vertex found, and pivoting them
has cost more than the whole support-by-support enumeration would (`SYSTEMS_PER_BASIS` of its
linear systems per basis), the generator raises :class:`TooDegenerate` and the caller falls
back to that enumeration. The second condition matters: the depth-first walk can meet a
vertex with thousands of bases early (a random 14 x 14 game with payoffs 0..9 has one: 2,594
bases for its first 34 vertices, 34,363 bases for all 20,662), where finishing the walk takes
seconds and the support enumeration (4e7 systems) many minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from math import comb

import numpy as np

__all__ = [
    "SPARE_BASES",
    "BASES_PER_VERTEX",
    "SYSTEMS_PER_BASIS",
    "BATCH",
    "TooDegenerate",
    "pivot_vertices",
]

# A non-degenerate polytope has one feasible basis per vertex; a random integer game a few
# more. Beyond this many bases per vertex found (plus the spare) the polytope is so degenerate
# (ties everywhere, as in the zero game) that enumerating supports is cheaper.
BASES_PER_VERTEX = 10
SPARE_BASES = 2000
# One pivot costs about as much as this many linear systems of the support enumeration
# (measured: ~35 us per basis of a 14 x 14 game, 5-10 us per batched support system).
SYSTEMS_PER_BASIS = 4
# Bases pivoted together with numpy: large enough to amortise numpy's per-call cost, small
# enough that the first vertices come at once.
BATCH = 256

#: A vertex found: the primitive integer direction ``w`` of ``y`` (``z = w / sum(w)``) and the
#: best replies (the rows tight at it).
Found = tuple[tuple[int, ...], frozenset[int]]

# Bound (p |T| + |T_c| |T_r|) / d below which the float pivot rounds to the exact entry:
# 6 * 2**-53 * bound < 1/4 with room to spare.
_EXACT_FLOAT = 2.0**47
_INT53 = 2.0**53
_INT62 = 2**62


class TooDegenerate(Exception):
    """Too many feasible bases per vertex: use the support enumeration instead."""


# a basis waiting to be visited: its parent's tableau, the parent's row variables, the pivot
# (row, column), the parent's scale d, and the child's basis as a bit mask
_Pending = tuple[np.ndarray, np.ndarray, int, int, int, int]


def pivot_vertices(P: np.ndarray, tick: Callable[[int], None] | None = None) -> Iterator[Found]:
    """``(w, best replies)`` for every vertex of the polyhedron of integer `P`, as found.

    ``z = w / sum(w)``. Raises :class:`TooDegenerate` when the bases far outnumber the
    vertices. `tick`, if given, is called with the number of bases visited since its last
    call (budget, progress).
    """
    nr, nc = P.shape
    ncol = nc + nr
    low = min(int(v) for v in P.flat)
    start = np.zeros((nr, ncol + 1), dtype=object)  # y_0.., s_0.., right-hand side
    start[:, :nc] = [[int(v) - low + 1 for v in row] for row in P]
    start[:, nc:-1] = [[int(i == k) for k in range(nr)] for i in range(nr)]
    start[:, -1] = 1
    if max(start.flat) < _INT62:
        start = start.astype(np.int64)
    systems = comb(nr + nc, nr) - 1  # what the support enumeration would solve
    rows0 = np.arange(nc, ncol)  # the slacks: the origin
    seen = {sum(1 << int(v) for v in rows0)}
    found: set[tuple[int, ...]] = set()
    count = 0
    visit: list[tuple[np.ndarray, np.ndarray, np.ndarray | int]] = [(start[None], rows0[None], 1)]
    pending: list[_Pending] = []
    while visit:
        for T, rows, d in visit:
            K = T.shape[0]
            count += K
            if tick is not None:
                tick(K)
            vertices, children = _step(T, rows, nc)
            for _, w, best in vertices:
                if w not in found:
                    found.add(w)
                    yield w, best
            if (
                count > SPARE_BASES + BASES_PER_VERTEX * len(found)
                and count * SYSTEMS_PER_BASIS > systems
            ):
                raise TooDegenerate
            _push(pending, seen, T, rows, d, children)
        visit = _pivot_batch(pending)


def _push(
    pending: list[_Pending],
    seen: set[int],
    T: np.ndarray,
    rows: np.ndarray,
    d: np.ndarray | int,
    children: list[tuple[int, int, int]],
) -> None:
    """Queue the unseen bases reached from the tableaux `T` by the pivots `children`."""
    masks = [sum(1 << v for v in r) for r in rows.tolist()]
    dd = [d] * T.shape[0] if isinstance(d, int) else d.tolist()
    for k, r, c in children:
        key = masks[k] ^ (1 << int(rows[k, r])) | (1 << c)
        if key in seen:
            continue
        seen.add(key)
        pending.append((T[k], rows[k], r, c, dd[k], key))


def _pivot_batch(pending: list[_Pending]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray | int]]:
    """Pop up to `BATCH` pending bases and pivot them: ``(tableaux, row variables, scales)``
    groups (int64 ones together, Python-integer ones one by one)."""
    if not pending:
        return []
    take = pending[-BATCH:]
    del pending[-BATCH:]
    fast = [e for e in take if e[0].dtype == np.int64]
    out: list[tuple[np.ndarray, np.ndarray, np.ndarray | int]] = []
    slow = [e for e in take if e[0].dtype != np.int64]
    if fast:
        T = np.stack([e[0] for e in fast])
        K = T.shape[0]
        ks = np.arange(K)
        r = np.array([e[2] for e in fast])
        c = np.array([e[3] for e in fast])
        d = np.array([e[4] for e in fast], dtype=np.int64)
        p = T[ks, r, c]
        F = T.astype(float)
        pf, df = p.astype(float), d.astype(float)
        col = F[ks, :, c]  # (K, nr)
        row = F[ks, r, :]  # (K, m)
        big = np.abs(F).max(axis=(1, 2))
        bound = (pf * big + np.abs(col).max(axis=1) * np.abs(row).max(axis=1)) / df
        ok = (bound < _EXACT_FLOAT) & (big < _INT53) & (pf < _INT53) & (df < _INT53)
        new = (pf[:, None, None] * F - col[:, :, None] * row[:, None, :]) / df[:, None, None]
        new = np.rint(new)
        new[ks, r, :] = F[ks, r, :]
        rows = np.stack([e[1] for e in fast])
        rows[ks, r] = c
        good = np.flatnonzero(ok)
        if good.size:
            out.append((new[good].astype(np.int64), rows[good], p[good]))
        slow += [fast[i] for i in np.flatnonzero(~ok)]
    for Tp, rows_p, r0, c0, d0, _ in slow:
        T1 = _pivot(Tp.astype(object), r0, c0, d0)
        if max(abs(v) for v in T1.flat) < _INT62:
            T1 = T1.astype(np.int64)
        rows1 = rows_p.copy()
        rows1[r0] = c0
        out.append((T1[None], rows1[None], int(Tp[r0, c0])))
    return out


def _pivot(T: np.ndarray, r: int, c: int, d: int) -> np.ndarray:
    """Fraction-free pivot on ``(r, c)`` in Python integers; `d` is the previous pivot."""
    p = T[r, c]
    out = (T * p - np.outer(T[:, c], T[r])) // d
    out[r] = T[r]
    return out


def _step(
    T: np.ndarray, rows: np.ndarray, nc: int
) -> tuple[list[tuple[int, tuple[int, ...], frozenset[int]]], list[tuple[int, int, int]]]:
    """The vertices of a batch of feasible tableaux and the pivots to their neighbour bases.

    `T` is ``(K, nr, ncol + 1)`` (int64 or Python integers), `rows[k, i]` the basic variable of
    row ``i`` of tableau ``k``. Returns ``(k, w, best replies)`` for each tableau whose basis is
    not the origin and ``(k, r, c)`` for every pivot the ratio test allows: for a nonbasic
    column ``c`` the rows ``r`` attaining the least ``rhs_r / T_rc`` over ``T_rc > 0``. Floats
    pick the near-minimal rows (a relative 1e-9 window, far above the 1e-16 rounding of the
    ratios); exact integer cross-multiplication decides among several.
    """
    K, nr, m = T.shape
    ncol = m - 1
    ks = np.arange(K)[:, None]
    rhs = T[:, :, -1]
    Y = np.zeros((K, ncol), dtype=T.dtype)
    Y[ks, rows] = rhs
    y = Y[:, :nc]
    tight = Y[:, nc:] == 0
    vertices = []
    has = np.flatnonzero((y > 0).any(axis=1))
    if has.size:
        g = np.gcd.reduce(y[has], axis=1)
        W = (y[has] // g[:, None]).tolist()
        for i, k in enumerate(has.tolist()):
            vertices.append((k, tuple(W[i]), frozenset(np.flatnonzero(tight[k]).tolist())))
    nonbasic = np.ones((K, ncol), dtype=bool)
    nonbasic[ks, rows] = False
    A = T[:, :, :ncol]
    pos = A > 0
    children: list[tuple[int, int, int]] = []
    try:
        F = T.astype(float)
        finite = bool(np.isfinite(F).all())
    except OverflowError:
        finite = False
    if not finite:  # entries beyond floats: every column exactly
        for k, c in zip(*np.nonzero(nonbasic), strict=True):
            cand = np.flatnonzero(pos[k, :, c]).tolist()
            children += [(int(k), r, int(c)) for r in _exact_min(T[k], int(c), cand)]
        return vertices, children
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(pos, F[:, :, -1:] / np.where(pos, F[:, :, :ncol], 1.0), np.inf)
    least = ratio.min(axis=1)  # (K, ncol)
    near = pos & (ratio <= least[:, None, :] * (1 + 1e-9))
    nnear = near.sum(axis=1)
    first = ratio.argmin(axis=1)
    k1, c1 = np.nonzero(nonbasic & (nnear == 1))
    children += zip(k1.tolist(), first[k1, c1].tolist(), c1.tolist(), strict=True)
    for k, c in zip(*np.nonzero(nonbasic & (nnear > 1)), strict=True):
        cand = np.flatnonzero(near[k, :, c]).tolist()
        children += [(int(k), r, int(c)) for r in _exact_min(T[k], int(c), cand)]
    return vertices, children


def _exact_min(T: np.ndarray, c: int, rows: list[int]) -> list[int]:
    """The rows among `rows` with the least ``T[i, -1] / T[i, c]`` (all ``T[i, c] > 0``),
    compared by exact cross-multiplication in Python integers."""
    best: list[int] = []
    for i in rows:
        if not best:
            best = [i]
            continue
        j = best[0]
        lhs, rhs = int(T[i, -1]) * int(T[j, c]), int(T[j, -1]) * int(T[i, c])
        if lhs < rhs:
            best = [i]
        elif lhs == rhs:
            best.append(i)
    return best
