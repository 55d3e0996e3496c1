"""Exact enumeration of all extreme Nash equilibria of a bimatrix game, in rationals.

Each player's mixed strategies that are vertices of the best-reply polyhedron
``{(z, u): z >= 0, sum z = 1, P z <= u}`` are enumerated support by support: a vertex with
support `S` is the unique solution of "the replies in `T` earn `u`" for some `T` of the same
size. Float linear algebra, batched with numpy, only proposes candidates; every vertex is then
solved and checked in ``Fraction`` arithmetic. Extreme equilibria are the pairs of vertices where
each support lies in the other player's best replies; they are complete also for degenerate
games (every equilibrium is a convex combination of extreme ones within a component).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import combinations
from math import comb, gcd, lcm

import numpy as np
from numpy.typing import ArrayLike

from theory.equilibria._pivoting import TooDegenerate, pivot_vertices
from theory.equilibria._vertices import (
    COND_LIMIT,
    FILTER_TOL,
    HADAMARD_SAFE,
    Budget,
    OutOfBudget,
    exact_vertex,
)
from theory.equilibria.components import Component, components_of
from theory.equilibria.equilibrium import Equilibrium
from theory.errors import PayoffValueError, TheoryError
from theory.games import Game, GameLike, as_game
from theory.linalg import (
    exact_kind,
    integer_scaled,
    to_fraction,
)

__all__ = [
    "EquilibriumSet",
    "Vertex",
    "best_reply_vertices",
    "exact_equilibria",
    "iter_equilibria",
    "ENUMERATION_LIMIT",
]

#: Without a budget, games whose support enumeration would solve more linear systems than this
#: are refused with a message: a 14 x 14 game (2 C(28, 14) = 8e7, under a minute by pivoting)
#: is accepted, a 15 x 15 one (3.1e8) needs a budget.
ENUMERATION_LIMIT = 10**8


@dataclass(frozen=True)
class EquilibriumSet:
    """Equilibria found by one method, and what is known about their completeness.

    Attributes
    ----------
    equilibria : tuple of Equilibrium
    method : str
    exact : bool
        Entries are ``Fraction`` and were verified exactly.
    complete : bool
        Every extreme equilibrium is listed (guaranteed by the method for this game).
    degenerate : bool or None
        Whether the game is degenerate (None: not determined by this method).
    degenerate_supports : tuple of (str, tuple of int)
        ``("row", S)`` / ``("column", S)``: supports of vertex strategies with more pure best
        replies than support size, the witnesses of degeneracy.
    dropped : int
        Float candidates that failed the best-response check and its exact refinement
        (float methods only; they are not listed).
    fallback : str or None
        The method that supplied the equilibria when the requested float method found none
        (``"exact"``), so that no finite game is reported without an equilibrium.
    stopped : str or None
        Why the enumeration stopped early (a budget), with what was done; then
        ``complete`` is false and the listed equilibria are the ones found so far.

    ``components`` groups the extreme equilibria into the game's connected sets of equilibria
    (see :func:`~theory.equilibria.components.components_of`).
    """

    equilibria: tuple[Equilibrium, ...]
    method: str
    exact: bool
    complete: bool
    degenerate: bool | None
    degenerate_supports: tuple[tuple[str, tuple[int, ...]], ...] = field(default=())
    dropped: int = 0
    fallback: str | None = None
    stopped: str | None = None

    @property
    def components(self) -> tuple[Component, ...]:
        """The connected components of the equilibria (maximal Nash subsets joined)."""
        return components_of(self.equilibria)

    def __iter__(self) -> Iterator[Equilibrium]:
        return iter(self.equilibria)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __getitem__(self, i: int) -> Equilibrium:
        return self.equilibria[i]


@dataclass(frozen=True)
class Vertex:
    """A vertex `z` of a best-reply polyhedron, its value `u` and its best replies."""

    z: tuple[Fraction, ...]
    u: Fraction
    best_replies: frozenset[int]

    @cached_property
    def support(self) -> frozenset[int]:
        """Pure strategies played with positive probability."""
        return frozenset(i for i, p in enumerate(self.z) if p != 0)


def best_reply_vertices(P: ArrayLike) -> list[Vertex]:
    """All vertices of ``{(z, u): z >= 0, sum z = 1, P z <= u}`` for a rational matrix `P`.

    Rows of `P` are the replies, columns the mixed strategy's pure strategies. Exact.

    Examples
    --------
    >>> P = np.array([[1, 0], [0, 1]], dtype=object)
    >>> sorted(tuple(map(str, v.z)) for v in best_reply_vertices(P))
    [('0', '1'), ('1', '0'), ('1/2', '1/2')]
    """
    Pi = integer_scaled(np.asarray(P, dtype=object))
    return [v.vertex(Pi) for v in _vertices(Pi, Budget())]


class _Found:
    """A vertex as the enumeration finds it: integer weights `w` (``z = w / sum(w)``) and best
    replies; the ``Fraction`` strategy is made only when an equilibrium needs it."""

    __slots__ = ("w", "best_replies", "support", "_z")

    def __init__(self, w: tuple[int, ...], best_replies: frozenset[int]) -> None:
        self.w = w
        self.best_replies = best_replies
        self.support = frozenset(i for i, v in enumerate(w) if v)
        self._z: tuple[Fraction, ...] | None = None

    @property
    def z(self) -> tuple[Fraction, ...]:
        if self._z is None:
            total = sum(self.w)
            self._z = tuple(Fraction(v, total) for v in self.w)
        return self._z

    def vertex(self, P: np.ndarray) -> Vertex:
        """The public :class:`Vertex`, its value `u` against the integer matrix `P`."""
        r0 = min(self.best_replies)
        u = Fraction(sum(int(P[r0, j]) * v for j, v in enumerate(self.w) if v), sum(self.w))
        return Vertex(self.z, u, self.best_replies)


def _weights(z: tuple[Fraction, ...]) -> tuple[int, ...]:
    """The primitive integer direction of a rational strategy (the key :class:`_Found` uses)."""
    den = lcm(*(v.denominator for v in z))
    w = [int(v * den) for v in z]
    g = gcd(*w)
    return tuple(v // g for v in w)


def _vertices(P: np.ndarray, budget: Budget) -> Iterator[_Found]:
    """The vertices of the best-reply polyhedron of integer `P`, each once, as found.

    Exact integer pivoting over the feasible bases first (fast); if the polyhedron is too
    degenerate for it, the support-by-support enumeration (:func:`_support_vertices`).
    """
    found: set[tuple[int, ...]] = set()
    try:
        for w, best in pivot_vertices(P, budget.tick):
            found.add(w)
            yield _Found(w, best)
        return
    except TooDegenerate:
        pass
    done = {_Found(w, frozenset()).z for w in found}
    for v in _support_vertices(P, budget, done):
        yield _Found(_weights(v.z), v.best_replies)


def _support_vertices(
    P: np.ndarray, budget: Budget, found: set[tuple[Fraction, ...]]
) -> Iterator[Vertex]:
    """Vertices by solving "replies R earn u on support C" for all R, C of equal size
    (float linear algebra proposes, exact arithmetic decides); skips those in `found`."""
    nr, nc = P.shape
    big = max(abs(int(v)) for v in P.flat)
    use_float = big < 2**40
    Pf = P.astype(float) if use_float else None
    for k in range(1, min(nr, nc) + 1):
        rows_all = list(combinations(range(nr), k))
        R_idx = np.array(rows_all, dtype=np.intp)
        # Hadamard's bound on |det|; only the float filter needs it (and big < 2**40 there)
        hadamard = (np.sqrt(k + 1.0) * max(big, 1)) ** (k + 1) if use_float else np.inf
        for C in combinations(range(nc), k):
            budget.tick(len(rows_all))
            if Pf is None:
                cand = range(len(rows_all))
                certain_singular = np.zeros(len(rows_all), dtype=bool)
            else:
                cand, certain_singular = _float_candidates(Pf, R_idx, C, k, big, hadamard)
            for i in cand:
                if certain_singular[i]:
                    continue
                sol = exact_vertex(P, rows_all[i], C)
                if sol is not None and sol[0] not in found:
                    found.add(sol[0])
                    yield Vertex(*sol)


def _float_candidates(Pf, R_idx, C, k, big, hadamard):  # type: ignore[no-untyped-def]
    """Indices of reply sets R whose system may give a feasible vertex (a superset)."""
    nR = R_idx.shape[0]
    mats = np.zeros((nR, k + 1, k + 1))
    mats[:, :k, :k] = Pf[np.ix_(range(Pf.shape[0]), C)][R_idx]
    mats[:, :k, k] = -1.0
    mats[:, k, :k] = 1.0
    det = np.linalg.det(mats)
    small = np.abs(det) < 0.5
    singular = small & (hadamard < HADAMARD_SAFE)
    unsure = small & ~singular
    ok = ~small
    keep = np.zeros(nR, dtype=bool)
    keep |= unsure
    if ok.any():
        M = mats[ok]
        inv = np.linalg.inv(M)
        sol = inv[:, :, k]  # the right-hand side is e_k
        z, u = sol[:, :k], sol[:, k]
        tol = FILTER_TOL * (1.0 + big)
        pay = z @ Pf[:, C].T  # (cand, nr)
        good = (z >= -tol).all(axis=1) & (pay <= u[:, None] + tol).all(axis=1)
        # 1-norm condition number from the inverse we already have
        cond = np.abs(M).sum(axis=1).max(axis=1) * np.abs(inv).sum(axis=1).max(axis=1)
        good |= cond > COND_LIMIT
        keep[np.flatnonzero(ok)[good]] = True
    return np.flatnonzero(keep), singular


def _rational_game(game: Game) -> tuple[np.ndarray, np.ndarray]:
    kind = exact_kind(game.A)
    if kind == "symbolic":
        raise PayoffValueError("exact enumeration needs numeric payoffs: substitute the symbols")
    conv = np.vectorize(to_fraction, otypes=[object])
    return conv(game.A), conv(game.B)


def _systems(m: int, n: int) -> int:
    """Linear systems the enumeration of an m x n game solves: C(m+n, m) - 1 per player."""
    return 2 * (comb(m + n, m) - 1)


def _pair(A: np.ndarray, B: np.ndarray, xv: _Found, yv: _Found) -> Equilibrium:
    sx, sy = xv.support, yv.support
    u = sum((A[i, j] * xv.z[i] * yv.z[j] for i in sx for j in sy), Fraction(0))
    v = sum((B[i, j] * xv.z[i] * yv.z[j] for i in sx for j in sy), Fraction(0))
    return Equilibrium(xv.z, yv.z, u, v)


def _enumerate(
    A: np.ndarray, B: np.ndarray, budget: Budget, X: list[_Found], Y: list[_Found]
) -> Iterator[Equilibrium]:
    """Extreme equilibria as the row player's vertices are found; fills `X` and `Y`."""
    PA, PB = integer_scaled(A), integer_scaled(B.T)
    Y.extend(_vertices(PA, budget))
    by_support: dict[frozenset[int], list[_Found]] = {}
    for yv in Y:
        by_support.setdefault(yv.support, []).append(yv)
    # a symmetric game's two polyhedra are one: do not enumerate it twice
    xs = iter(Y) if PA.shape == PB.shape and (PA == PB).all() else _vertices(PB, budget)
    # y vertices with more best replies than support size (few unless the game is all ties)
    y_degenerate = [yv for yv in Y if len(yv.best_replies) > len(yv.support)]
    for xv in xs:
        X.append(xv)
        if len(xv.best_replies) == len(xv.support):
            # supp y within BR(x) and supp x within BR(y): |supp y| <= |BR x| = |supp x| <=
            # |BR y|, so either supp y = BR(x) or y is degenerate
            same = by_support.get(xv.best_replies, [])
            rest = [yv for yv in y_degenerate if yv.support < xv.best_replies]
            candidates: Iterator[_Found] = iter(same + rest)
        else:
            candidates = (yv for sy, ys in by_support.items() if sy <= xv.best_replies for yv in ys)
        for yv in candidates:
            if xv.support <= yv.best_replies:
                yield _pair(A, B, xv, yv)


def _checked_budget(
    game: Game, budget: float | None, progress: bool, limit: int = ENUMERATION_LIMIT
) -> Budget:
    m, n = game.shape
    work = _systems(m, n)
    if budget is None and work > limit:
        raise TheoryError(
            f"a {m} x {n} game needs {work:.2e} linear systems for all equilibria (limit "
            f"{limit:.0e} without a budget): pass budget=<seconds> (--budget) to list what is "
            "found in that time, or use method='lemke_howson' for some equilibria"
        )
    if budget is not None and (isinstance(budget, bool) or not budget > 0):
        raise TheoryError(f"budget must be a positive number of seconds, got {budget!r}")
    return Budget(budget, total=work, progress=progress)


def iter_equilibria(
    game: GameLike, *, budget: float | None = None, progress: bool = False
) -> Iterator[Equilibrium]:
    """The extreme equilibria one at a time, in exact arithmetic, as they are found.

    The column player's vertices are enumerated first, then each row vertex yields its
    equilibria at once. With a `budget` (seconds) the generator simply ends when it is spent;
    :func:`exact_equilibria` says so in its result.

    Examples
    --------
    >>> eqs = iter_equilibria(Game.symmetric([[3, 0], [5, 1]]))
    >>> next(eqs).x
    (Fraction(0, 1), Fraction(1, 1))
    """
    g = as_game(game)
    A, B = _rational_game(g)
    clock = _checked_budget(g, budget, progress)
    try:
        yield from _enumerate(A, B, clock, [], [])
    except OutOfBudget:
        return
    finally:
        clock.close()


def exact_equilibria(
    game: GameLike, *, budget: float | None = None, progress: bool = False
) -> EquilibriumSet:
    """All extreme equilibria in ``Fraction`` arithmetic, each verified exactly.

    `game` is a square matrix (the symmetric game), a pair ``(A, B)``, a :class:`Game` or a
    nashpy Game. Float payoffs are converted to their exact binary rational values.

    Parameters
    ----------
    game : array_like, Game, nashpy.Game or pair
    budget : float, optional
        Seconds to spend; when spent, the equilibria found so far are returned with
        ``complete=False`` and ``stopped`` saying how far the enumeration got. Without a
        budget, games beyond `ENUMERATION_LIMIT` linear systems raise :class:`TheoryError`.
    progress : bool
        Show a progress bar (tqdm, on stderr) over the supports.

    Examples
    --------
    >>> eqs = exact_equilibria(Game.symmetric([[0, 3], [1, 2]]))
    >>> [(str(e.x[0]), str(e.y[0]), str(e.u)) for e in eqs]
    [('1', '0', '3'), ('0', '1', '1'), ('1/2', '1/2', '3/2')]
    """
    g = as_game(game)
    A, B = _rational_game(g)
    clock = _checked_budget(g, budget, progress)
    X: list[_Found] = []
    Y: list[_Found] = []
    eqs: list[Equilibrium] = []
    stopped = None
    try:
        eqs.extend(_enumerate(A, B, clock, X, Y))
    except OutOfBudget:
        stopped = clock.report()
    finally:
        clock.close()
    eqs.sort(key=lambda e: (len(e.support_x), e.support_x, e.support_y, e.x, e.y))
    witnesses = [
        ("row", tuple(sorted(v.support))) for v in X if len(v.best_replies) > len(v.support)
    ]
    witnesses += [
        ("column", tuple(sorted(v.support))) for v in Y if len(v.best_replies) > len(v.support)
    ]
    return EquilibriumSet(
        tuple(eqs),
        "exact",
        True,
        stopped is None,
        bool(witnesses) if stopped is None else (True if witnesses else None),
        tuple(sorted(set(witnesses))),
        stopped=stopped,
    )
