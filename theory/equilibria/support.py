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
from itertools import combinations

import numpy as np
from numpy.typing import ArrayLike

from theory.equilibria._vertices import COND_LIMIT, FILTER_TOL, HADAMARD_SAFE, exact_vertex
from theory.errors import PayoffValueError
from theory.games import Game, GameLike, as_game
from theory.linalg import (
    exact_kind,
    integer_scaled,
    to_fraction,
)
from theory.typing import Value

__all__ = ["Equilibrium", "EquilibriumSet", "Vertex", "best_reply_vertices", "exact_equilibria"]


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
    """

    equilibria: tuple[Equilibrium, ...]
    method: str
    exact: bool
    complete: bool
    degenerate: bool | None
    degenerate_supports: tuple[tuple[str, tuple[int, ...]], ...] = field(default=())

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

    @property
    def support(self) -> frozenset[int]:
        return frozenset(i for i, p in enumerate(self.z) if p != 0)


def best_reply_vertices(P: ArrayLike) -> list[Vertex]:
    """All vertices of ``{(z, u): z >= 0, sum z = 1, P z <= u}`` for a rational matrix `P`.

    Rows of `P` are the replies, columns the mixed strategy's pure strategies. Exact.

    Examples
    --------
    >>> P = np.array([[1, 0], [0, 1]], dtype=object)
    >>> [tuple(map(str, v.z)) for v in best_reply_vertices(P)]
    [('1', '0'), ('0', '1'), ('1/2', '1/2')]
    """
    P = integer_scaled(np.asarray(P, dtype=object))
    nr, nc = P.shape
    big = max(abs(int(v)) for v in P.flat)
    use_float = big < 2**40
    Pf = P.astype(float) if use_float else None
    found: dict[tuple[Fraction, ...], Vertex] = {}
    for k in range(1, min(nr, nc) + 1):
        rows_all = list(combinations(range(nr), k))
        R_idx = np.array(rows_all, dtype=np.intp)
        # Hadamard's bound on |det|; only the float filter needs it (and big < 2**40 there)
        hadamard = (np.sqrt(k + 1.0) * max(big, 1)) ** (k + 1) if use_float else np.inf
        for C in combinations(range(nc), k):
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
                    found[sol[0]] = Vertex(*sol)
    return list(found.values())


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


def exact_equilibria(game: GameLike) -> EquilibriumSet:
    """All extreme equilibria in ``Fraction`` arithmetic, each verified exactly.

    `game` is a square matrix (the symmetric game), a pair ``(A, B)``, a :class:`Game` or a
    nashpy Game. Float payoffs are converted to their exact binary rational values.

    Examples
    --------
    >>> eqs = exact_equilibria(Game.symmetric([[0, 3], [1, 2]]))
    >>> [(str(e.x[0]), str(e.y[0]), str(e.u)) for e in eqs]
    [('1', '0', '3'), ('0', '1', '1'), ('1/2', '1/2', '3/2')]
    """
    A, B = _rational_game(as_game(game))
    X = best_reply_vertices(B.T)  # row player's mixed strategies; replies: columns
    Y = best_reply_vertices(A)
    by_support: dict[frozenset[int], list[Vertex]] = {}
    for yv in Y:
        by_support.setdefault(yv.support, []).append(yv)
    eqs: list[Equilibrium] = []
    for xv in X:
        sx = xv.support
        for sy, ys in by_support.items():
            if not sy <= xv.best_replies:
                continue
            for yv in ys:
                if sx <= yv.best_replies:
                    u = sum((A[i, j] * xv.z[i] * yv.z[j] for i in sx for j in sy), Fraction(0))
                    v = sum((B[i, j] * xv.z[i] * yv.z[j] for i in sx for j in sy), Fraction(0))
                    eqs.append(Equilibrium(xv.z, yv.z, u, v))
    eqs.sort(key=lambda e: (len(e.support_x), e.support_x, e.support_y, e.x, e.y))
    witnesses = [
        ("row", tuple(sorted(v.support))) for v in X if len(v.best_replies) > len(v.support)
    ]
    witnesses += [
        ("column", tuple(sorted(v.support))) for v in Y if len(v.best_replies) > len(v.support)
    ]
    return EquilibriumSet(
        tuple(eqs), "exact", True, True, bool(witnesses), tuple(sorted(set(witnesses)))
    )
