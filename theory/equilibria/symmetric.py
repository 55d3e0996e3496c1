"""Symmetric equilibria ``(x, x)`` of a symmetric game by searching the 2^n supports of one player.

For each support `S` the square system "every strategy in `S` earns `u` against `x`" is solved
(batched over all supports of one size with numpy; exact ``Fraction`` verification for rational
payoffs). A support whose system is singular but consistent may carry a continuum of equilibria:
its face is searched completely by :func:`~theory.equilibria.support.best_reply_vertices`, so the
result holds every extreme symmetric equilibrium also for degenerate games.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from itertools import combinations, islice
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from theory.equilibria._vertices import (
    COND_LIMIT,
    FILTER_TOL,
    HADAMARD_SAFE,
    Budget,
    OutOfBudget,
    exact_vertex,
    normalised,
)
from theory.equilibria.equilibrium import Equilibrium
from theory.equilibria.support import EquilibriumSet, best_reply_vertices
from theory.errors import PayoffValueError, ShapeError, TheoryError
from theory.games import as_game
from theory.linalg import (
    consistent,
    exact_kind,
    indifference_system,
    integer_scaled,
    solve_integer,
    to_fraction,
)

__all__ = ["symmetric_equilibria", "SYMMETRIC_LIMIT"]

# Acceptance tolerance of a float game's equilibria, on the payoffs mapped affinely onto [0, 1]
# (so relative to the payoff range; double precision ~1e-16; no exact re-check follows, unlike
# FILTER_TOL for rational games).
_FLOAT_TOL = 1e-9
# An indifference system (payoffs in [0, 1]) with |det| below this times (its largest
# entry)^(k+1) is taken as singular: well above the ~1e-16 relative rounding of an LU
# determinant.
_SINGULAR_DET = 1e-12
# Supports are generated and solved in batches of this many (memory stays ~ batch * k^2 floats
# whatever n is: a 24 x 24 game has 2.7e6 supports of size 12).
_BATCH = 4096
#: Without a budget, games with more supports than this are refused with a message (2^24).
SYMMETRIC_LIMIT = 2**24


def _batches(n: int, k: int) -> Iterator[np.ndarray]:
    it = combinations(range(n), k)
    while chunk := list(islice(it, _BATCH)):
        yield np.array(chunk, dtype=np.intp)


def _systems(Af: np.ndarray, supports: np.ndarray) -> np.ndarray:
    nS, k = supports.shape
    mats = np.zeros((nS, k + 1, k + 1))
    mats[:, :k, :k] = Af[supports[:, :, None], supports[:, None, :]]
    mats[:, :k, k] = -1.0
    mats[:, k, :k] = 1.0
    return mats


def _exact_point(P: np.ndarray, S: tuple[int, ...]) -> tuple[tuple[Fraction, ...], Fraction] | None:
    """The symmetric equilibrium with support exactly `S` (integer `P`): the best-reply vertex
    of support `S` indifferent on `S`, if every weight on `S` is positive."""
    v = exact_vertex(P, S, S)
    if v is None or any(v[0][c] == 0 for c in S):
        return None
    return v[0], v[1]


def _consistent(P: np.ndarray, S: tuple[int, ...]) -> bool:
    return consistent(*indifference_system(P, S, S))


def symmetric_equilibria(
    A: ArrayLike,
    *,
    exact: bool | None = None,
    budget: float | None = None,
    progress: bool = False,
) -> EquilibriumSet:
    """Symmetric Nash equilibria ``(x, x)`` of the symmetric game ``(A, A.T)``.

    Parameters
    ----------
    A : array_like, shape (n, n)
        The row player's payoffs (rational or float; substitute symbols first, or use
        :func:`~theory.equilibria.symbolic.symbolic_symmetric_equilibria`).
    exact : bool, optional
        Rational arithmetic with exact verification (default: when `A` is rational).
    budget : float, optional
        Seconds to spend; when spent, the equilibria found so far are returned with
        ``complete=False`` and ``stopped`` set. Without a budget, games with more than
        `SYMMETRIC_LIMIT` supports raise :class:`TheoryError`.
    progress : bool
        Show a progress bar (tqdm, on stderr) over the supports.

    Returns
    -------
    EquilibriumSet
        ``complete`` is true in exact mode (every extreme symmetric equilibrium, also for
        degenerate games); in float mode it is false when a singular support was met.
        ``degenerate_supports`` lists ``("symmetric", S)`` for equilibria with more best replies
        than support size and for singular, consistent supports.

    Notes
    -----
    Float payoffs are first mapped affinely onto [0, 1] (the equilibria do not change), so the
    tolerances are relative to the payoffs' range. Supports are streamed in batches: memory
    does not grow with the number of supports of one size.

    Examples
    --------
    >>> eqs = symmetric_equilibria([[0, 3], [1, 2]])
    >>> [e.x for e in eqs]
    [(Fraction(1, 2), Fraction(1, 2))]
    """
    g = as_game(A)
    if not g.is_symmetric:
        raise ShapeError("symmetric_equilibria needs one square matrix (the game (A, A.T))")
    kind = exact_kind(g.A)
    if kind == "symbolic":
        raise PayoffValueError("A has symbols: use symbolic_symmetric_equilibria or substitute")
    if exact is None:
        exact = kind == "rational"
    n = g.shape[0]
    if budget is None and 2**n - 1 > SYMMETRIC_LIMIT:
        raise TheoryError(
            f"a {n} x {n} game has {2**n - 1:.2e} supports (limit {SYMMETRIC_LIMIT:.2e} "
            "without a budget): pass budget=<seconds> (--budget) to list what is found in that "
            "time"
        )
    if budget is not None and (isinstance(budget, bool) or not budget > 0):
        raise TheoryError(f"budget must be a positive number of seconds, got {budget!r}")
    clock = Budget(budget, total=2**n - 1, progress=progress)
    found: dict[tuple[Any, ...], Any] = {}
    singular: list[tuple[int, ...]] = []
    stopped = None
    try:
        _search(g.A, n, exact, clock, found, singular)
    except OutOfBudget:
        stopped = clock.report()
    finally:
        clock.close()
    return _result(g.A, found, singular, exact, stopped)


def _search(
    A: np.ndarray,
    n: int,
    exact: bool,
    clock: Budget,
    found: dict[tuple[Any, ...], Any],
    singular: list[tuple[int, ...]],
) -> None:
    """Fill `found` (equilibria) and `singular` (singular supports) support size by size."""
    P = None
    if exact:
        P = integer_scaled(np.vectorize(to_fraction, otypes=[object])(A))
        big = max(abs(int(v)) for v in P.flat)
        # integers up to 2**40 are exact floats and their determinants are decided by the
        # Hadamard bound; larger ones (10**400) are filtered on the [0, 1] image instead
        integer_filter = big < 2**40
        Af = P.astype(float) if integer_filter else normalised(P)
        fbig = float(big) if integer_filter else 1.0
    else:
        integer_filter = False
        Af = normalised(A)
        fbig = 1.0
    for k in range(1, n + 1):
        for supports in _batches(n, k):
            clock.tick(len(supports))
            _solve_batch(P, Af, fbig, supports, k, n, exact, integer_filter, found, singular)
    if exact:
        assert P is not None
        for S in singular:  # search the face of S completely
            sub = P[:, list(S)]
            for vert in best_reply_vertices(sub):
                zf = [Fraction(0)] * n
                for c, w in zip(S, vert.z, strict=True):
                    zf[c] = w
                supp = {S[i] for i in vert.support}
                best = {r for r in vert.best_replies}
                if supp <= best:
                    found.setdefault(tuple(zf), (tuple(zf), vert.u))


def _solve_batch(
    P: np.ndarray | None,
    Af: np.ndarray,
    big: float,
    supports: np.ndarray,
    k: int,
    n: int,
    exact: bool,
    integer_filter: bool,
    found: dict[tuple[Any, ...], Any],
    singular: list[tuple[int, ...]],
) -> None:
    mats = _systems(Af, supports)
    det = np.linalg.det(mats)
    scale = np.abs(mats).max(axis=(1, 2)) ** (k + 1)
    if integer_filter:
        hadamard = (np.sqrt(k + 1.0) * max(big, 1)) ** (k + 1)
        small = np.abs(det) < 0.5
        certain = small & (hadamard < HADAMARD_SAFE)
    else:
        small = np.abs(det) <= _SINGULAR_DET * scale
        certain = small if not exact else np.zeros_like(small)
    ok = ~small
    cand = set(np.flatnonzero(small & ~certain).tolist())
    if ok.any():
        M = mats[ok]
        rhs = np.zeros((M.shape[0], k + 1, 1))
        rhs[:, k, 0] = 1.0
        sol = np.linalg.solve(M, rhs)[:, :, 0]
        idx = np.flatnonzero(ok)
        z = np.zeros((M.shape[0], n))
        rows = np.arange(M.shape[0])[:, None]
        z[rows, supports[idx]] = sol[:, :k]
        u = sol[:, k]
        tol = (FILTER_TOL if exact else _FLOAT_TOL) * (1.0 + big)
        good = (sol[:, :k] > -tol).all(axis=1) & ((z @ Af.T) <= u[:, None] + tol).all(axis=1)
        if exact:
            good |= np.linalg.cond(M) > COND_LIMIT
            cand |= set(idx[good].tolist())
        else:
            for i in np.flatnonzero(good & (sol[:, :k] > tol).all(axis=1)):
                zi = np.clip(z[i], 0.0, None)
                found[tuple(np.round(zi / zi.sum(), 12))] = (zi / zi.sum(), float(u[i]))
    if exact:
        assert P is not None
        for c_i in sorted(cand):
            S = tuple(int(s) for s in supports[c_i])
            res = _exact_point(P, S)
            if res is None:
                if solve_integer(*indifference_system(P, S, S)) is None and _consistent(P, S):
                    singular.append(S)
                continue
            found[res[0]] = res
    for i in np.flatnonzero(certain):
        S = tuple(int(s) for s in supports[i])
        if P is None or _consistent(P, S):
            singular.append(S)


def _result(  # type: ignore[type-arg]
    A: np.ndarray, found: dict, singular: list, exact: bool, stopped: str | None
) -> EquilibriumSet:
    n = A.shape[0]
    An = None if exact else normalised(A)
    eqs: list[Equilibrium] = []
    witnesses: set[tuple[str, tuple[int, ...]]] = {("symmetric", S) for S in singular}
    Ae = np.vectorize(to_fraction, otypes=[object])(A) if exact else A.astype(float)
    for z, _ in found.values():
        x = tuple(z) if exact else tuple(float(v) for v in z)
        pay = [sum((Ae[r, c] * x[c] for c in range(n)), start=0) for r in range(n)]
        u = sum((x[r] * pay[r] for r in range(n)), start=0)
        if exact:
            best = [r for r in range(n) if pay[r] == u]
        else:
            assert An is not None
            payn = An @ np.array(x)
            best = [r for r in range(n) if payn[r] >= payn.max() - _FLOAT_TOL]
        supp = [i for i in range(n) if x[i] != 0]
        if len(best) > len(supp):
            witnesses.add(("symmetric", tuple(supp)))
        eqs.append(Equilibrium(x, x, u, u))
    eqs.sort(key=lambda e: (len(e.support_x), e.support_x, tuple(map(float, e.x))))
    return EquilibriumSet(
        tuple(eqs),
        "symmetric",
        exact,
        stopped is None and (exact or not singular),
        bool(witnesses),
        tuple(sorted(witnesses)),
        stopped=stopped,
    )
