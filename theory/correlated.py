"""Correlated and coarse correlated equilibria of bimatrix games: polytopes, LPs, vertices.

A distribution ``p`` over action profiles (an ``(m, n)`` array summing to 1) is a *correlated
equilibrium* (Aumann 1974) if no player gains by a switching rule "when told to play ``i``,
play ``i'`` instead":

    sum_j p[i, j] (A[i', j] - A[i, j]) <= 0   for all i != i',
    sum_i p[i, j] (B[i, j'] - B[i, j]) <= 0   for all j != j',

and a *coarse correlated equilibrium* (Hannan; Moulin and Vial 1978) if no player gains by
committing to one action ``i'`` before the recommendation: ``sum_{i,j} p[i, j] (A[i', j] -
A[i, j]) <= 0`` for all ``i'`` (and likewise for the column player). Each row of these
constraints is an *incentive* row of :class:`CorrelatedPolytope`; ``incentive @ p.ravel()``
lists the gains of all switching rules.

Distances to the set, for learned distributions (:func:`correlated_regret`,
:func:`correlated_distance`):

- the *regret* of ``p`` is the largest gain of a switching rule, ``max(0, max(incentive @ p))``:
  ``p`` is an ε-correlated equilibrium exactly when its regret is at most ε (the quantity
  regret matching drives to zero at rate ``1/sqrt(T)``, Hart and Mas-Colell 2000);
- the *distance* of ``p`` is the total-variation (L1) distance ``min ||p - q||_1`` over
  equilibria ``q``, a linear program.

Linear programs go through :func:`theory.linear_program.linear_program`: exact and certified
for rational payoffs. Vertices (:func:`correlated_vertices`) are enumerated over bases, for
small games.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from math import comb
from typing import Any, Literal

import numpy as np

from theory.errors import DomainError, PayoffValueError, ShapeError
from theory.games import Game, GameLike, as_game, is_symbolic, payoff_matrix
from theory.linalg import solve_exact
from theory.linear_program import linear_program
from theory.typing import MatrixLike

__all__ = [
    "CE_ATOL",
    "CorrelatedPolytope",
    "CorrelatedEquilibrium",
    "correlated_polytope",
    "optimal_correlated_equilibrium",
    "correlated_vertices",
    "is_correlated_equilibrium",
    "correlated_regret",
    "correlated_distance",
]

#: Float games and distributions: an incentive gain below this times the payoff scale counts as
#: no gain (products of O(1) probabilities and O(10^3) payoffs carry ~1e-13 relative round-off).
CE_ATOL = 1e-9

#: Bases to try in :func:`correlated_vertices` before refusing (a 3 x 3 game needs ~2e5).
MAX_BASES = 2_000_000

Objective = Literal["welfare", "row", "column"]


@dataclass(frozen=True)
class CorrelatedPolytope:
    """The (coarse) correlated equilibria of a game as ``incentive @ p <= 0``, ``p`` in the simplex.

    Attributes
    ----------
    incentive : ndarray, shape (r, m * n)
        One row per switching rule; entry ``(r, i * n + j)`` is the rule's gain at profile
        ``(i, j)``. ``object`` (exact) for rational payoffs, ``float64`` otherwise.
    rules : tuple of (player, recommended, deviation)
        ``player`` is ``"row"`` or ``"column"``; ``recommended`` is ``None`` for coarse rules.
    shape : (int, int)
        Numbers of row and column actions.
    coarse : bool
        True for the coarse correlated equilibria.
    """

    incentive: np.ndarray
    rules: tuple[tuple[str, int | None, int], ...]
    shape: tuple[int, int]
    coarse: bool

    def __len__(self) -> int:
        return len(self.rules)


@dataclass(frozen=True)
class CorrelatedEquilibrium:
    """A (coarse) correlated equilibrium optimising a linear objective.

    Attributes
    ----------
    distribution : tuple of tuple
        ``distribution[i][j]`` is the probability of recommending ``(i, j)``.
    value : Fraction or float
        The objective's optimal value.
    payoffs : tuple
        Expected payoffs ``(row, column)`` under the distribution.
    exact : bool
        True if solved and certified in rationals.
    coarse : bool
        True if optimised over the coarse correlated equilibria.
    """

    distribution: tuple[tuple[Any, ...], ...]  # Any: Fraction when exact, float otherwise
    value: Any  # Any: Fraction when exact, float otherwise
    payoffs: tuple[Any, Any]  # Any: as value
    exact: bool
    coarse: bool


def _numeric_game(game: GameLike) -> Game:
    g = as_game(game)
    if is_symbolic(g.A) or is_symbolic(g.B):
        raise PayoffValueError("correlated equilibria need numeric payoffs; substitute symbols")
    if g.is_exact:
        fr = np.vectorize(Fraction, otypes=[object])
        return Game(fr(g.A), fr(g.B))
    return g


def _incentive(g: Game, coarse: bool) -> CorrelatedPolytope:
    A, B = g.A, g.B
    m, n = g.shape
    zero: Any = Fraction(0) if g.is_exact else 0.0
    rows: list[list[Any]] = []
    rules: list[tuple[str, int | None, int]] = []
    for d in range(m):
        for i in [None] if coarse else [i for i in range(m) if i != d]:
            r = [zero] * (m * n)
            for a in range(m) if i is None else [i]:
                for j in range(n):
                    r[a * n + j] = A[d, j] - A[a, j]
            rows.append(r)
            rules.append(("row", i, d))
    for d in range(n):
        for c in [None] if coarse else [c for c in range(n) if c != d]:
            r = [zero] * (m * n)
            for b in range(n) if c is None else [c]:
                for i in range(m):
                    r[i * n + b] = B[i, d] - B[i, b]
            rows.append(r)
            rules.append(("column", c, d))
    dtype = object if g.is_exact else np.float64
    G = np.array(rows, dtype=dtype).reshape(len(rows), m * n)
    G.setflags(write=False)
    return CorrelatedPolytope(G, tuple(rules), (m, n), coarse)


def correlated_polytope(game: GameLike, *, coarse: bool = False) -> CorrelatedPolytope:
    """The incentive constraints of the (coarse) correlated equilibria.

    Parameters
    ----------
    game : Game, nashpy Game, pair (A, B) or square matrix
        The game (see :func:`theory.games.as_game`).
    coarse : bool, default False
        Coarse correlated equilibria (one rule per player and action) instead.

    Examples
    --------
    >>> P = correlated_polytope([[6, 2], [7, 0]])        # chicken
    >>> len(P), P.rules[0], [str(v) for v in P.incentive[0]]
    (4, ('row', 1, 0), ['0', '0', '-1', '2'])
    """
    return _incentive(_numeric_game(game), coarse)


def _objective(g: Game, objective: Objective | MatrixLike) -> np.ndarray:
    if isinstance(objective, str):
        table = {"welfare": g.A + g.B, "row": g.A, "column": g.B}
        if objective not in table:
            raise DomainError(
                f"objective must be 'welfare', 'row', 'column' or an (m, n) matrix, "
                f"got {objective!r}"
            )
        return np.asarray(table[objective])
    W = payoff_matrix(objective, name="objective")
    if W.shape != g.shape:
        raise ShapeError(f"objective has shape {W.shape}, the game {g.shape}")
    if is_symbolic(W):
        raise PayoffValueError("objective has symbolic entries")
    return np.vectorize(Fraction, otypes=[object])(W) if W.dtype == object else W


def optimal_correlated_equilibrium(
    game: GameLike,
    objective: Objective | MatrixLike = "welfare",
    *,
    coarse: bool = False,
    minimize: bool = False,
) -> CorrelatedEquilibrium:
    """A (coarse) correlated equilibrium maximising (or minimising) a linear objective.

    Parameters
    ----------
    game : Game, nashpy Game, pair (A, B) or square matrix
        The game.
    objective : {"welfare", "row", "column"} or array_like, shape (m, n)
        ``A + B``, ``A``, ``B``, or any weights ``W``: the objective is ``sum W[i, j] p[i, j]``.
    coarse : bool, default False
        Optimise over the coarse correlated equilibria.
    minimize : bool, default False
        Minimise instead.

    Returns
    -------
    CorrelatedEquilibrium
        Exact and certified (:func:`theory.linear_program.linear_program`) for rational input.

    Examples
    --------
    Aumann's chicken: the best correlated equilibrium beats every Nash equilibrium's welfare
    (at most 28/3 = 9.33):

    >>> ce = optimal_correlated_equilibrium([[6, 2], [7, 0]])
    >>> ce.value, [[str(p) for p in row] for row in ce.distribution]
    (Fraction(21, 2), [['1/2', '1/4'], ['1/4', '0']])
    """
    g = _numeric_game(game)
    W = _objective(g, objective)
    P = _incentive(g, coarse)
    m, n = g.shape
    one: Any = Fraction(1) if g.is_exact and W.dtype == object else 1.0
    c = (-W if minimize else W).ravel()
    sol = linear_program(
        c,
        A_ub=P.incentive,
        b_ub=[0 * one] * len(P),
        A_eq=[[one] * (m * n)],
        b_eq=[one],
    )
    p = np.array(sol.x, dtype=object if sol.exact else np.float64).reshape(m, n)
    value = -sol.value if minimize else sol.value
    payoffs = (_expect(g.A, p), _expect(g.B, p))
    return CorrelatedEquilibrium(
        tuple(tuple(r) for r in p.tolist()), value, payoffs, sol.exact, coarse
    )


def _expect(M: np.ndarray, p: np.ndarray) -> Any:
    total = sum((a * q for a, q in zip(M.flat, p.flat, strict=True)), start=0 * M.flat[0])
    return total if M.dtype == object and p.dtype == object else float(total)


def _distribution(g: Game, p: MatrixLike, name: str = "p") -> np.ndarray:
    m, n = g.shape
    arr = np.asarray(p, dtype=object)
    if arr.shape != (m, n):
        raise ShapeError(f"{name} must have shape {(m, n)}, got {arr.shape}")
    exact = g.is_exact and all(
        isinstance(v, int | Fraction | np.integer) and not isinstance(v, bool) for v in arr.flat
    )
    if exact:
        q = np.vectorize(Fraction, otypes=[object])(arr)
        if any(v < 0 for v in q.flat) or sum(q.flat) != 1:
            raise PayoffValueError(f"{name} is not a probability distribution (sum {sum(q.flat)})")
        return q
    try:
        q = arr.astype(np.float64)
    except (TypeError, ValueError):
        raise PayoffValueError(f"{name} has non-numeric entries") from None
    if not np.all(np.isfinite(q)) or np.any(q < -CE_ATOL) or abs(q.sum() - 1) > CE_ATOL * q.size:
        raise PayoffValueError(f"{name} is not a probability distribution (sum {q.sum()!r})")
    return q


def correlated_regret(game: GameLike, p: MatrixLike, *, coarse: bool = False) -> Fraction | float:
    """The largest gain of a switching rule under `p`: `p` is an ε-CE iff this is <= ε.

    Zero exactly on the (coarse) correlated equilibria; exact for exact `p` and payoffs.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> correlated_regret([[6, 2], [7, 0]], [[F(1, 3), F(1, 3)], [F(1, 3), 0]])
    Fraction(0, 1)
    >>> correlated_regret([[6, 2], [7, 0]], [[1, 0], [0, 0]])      # (C, C): D gains 1
    Fraction(1, 1)
    """
    g = _numeric_game(game)
    q = _distribution(g, p)
    P = _incentive(g, coarse)
    gains = P.incentive.astype(q.dtype) @ q.ravel()
    if q.dtype == object:
        return max(Fraction(0), *gains)
    return max(0.0, float(gains.max()))


def is_correlated_equilibrium(game: GameLike, p: MatrixLike, *, coarse: bool = False) -> bool:
    """True if no switching rule gains (exactly; floats to :data:`CE_ATOL` of the scale).

    Examples
    --------
    >>> is_correlated_equilibrium([[6, 2], [7, 0]], [[0, 1], [0, 0]])
    True
    """
    g = _numeric_game(game)
    r = correlated_regret(g, p, coarse=coarse)
    if isinstance(r, Fraction):
        return r == 0
    scale = max(1.0, float(np.abs(np.asarray(g.A, dtype=float)).max()),
                float(np.abs(np.asarray(g.B, dtype=float)).max()))
    return bool(r <= CE_ATOL * scale)


def correlated_distance(game: GameLike, p: MatrixLike, *, coarse: bool = False) -> Fraction | float:
    """The L1 (twice total-variation) distance from `p` to the (coarse) correlated equilibria.

    Solves ``min sum |p - q|`` over equilibria ``q`` as a linear program (exact for exact input).

    Examples
    --------
    >>> correlated_distance([[6, 2], [7, 0]], [[1, 0], [0, 0]])    # to [[1/2, 1/4], [1/4, 0]]
    Fraction(1, 1)
    """
    g = _numeric_game(game)
    q0 = _distribution(g, p)
    P = _incentive(g, coarse)
    m, n = g.shape
    k = m * n
    exact = q0.dtype == object and P.incentive.dtype == object
    one: Any = Fraction(1) if exact else 1.0
    zero = 0 * one
    G = P.incentive.astype(object if exact else np.float64)
    eye = np.eye(k, dtype=np.int64).astype(G.dtype) * one
    # variables (q, t): min sum t  s.t.  G q <= 0,  q - t <= p,  -q - t <= -p,  sum q = 1
    A_ub = np.vstack([
        np.hstack([G, np.zeros((len(P), k), dtype=G.dtype) * one]),
        np.hstack([eye, -eye]),
        np.hstack([-eye, -eye]),
    ])
    pv = q0.ravel().astype(G.dtype)
    b_ub = np.concatenate([np.zeros(len(P), dtype=G.dtype) * one, pv, -pv])
    A_eq = [[one] * k + [zero] * k]
    sol = linear_program(
        [zero] * k + [-one] * k, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[one]
    )
    return -sol.value if sol.exact else max(0.0, -float(sol.value))


def correlated_vertices(game: GameLike, *, coarse: bool = False) -> tuple[np.ndarray, ...]:
    """The vertices of the (coarse) correlated-equilibrium polytope of a small game.

    Every basis (``m n - 1`` tight inequalities among the incentive rows and ``p >= 0``, plus
    ``sum p = 1``) is solved in floats in batches; the feasible solutions of exact games are
    then re-solved and checked in rationals, so each returned vertex is exact and verified.

    Returns
    -------
    tuple of ndarray, shape (m, n)
        Distinct vertices, sorted; ``object`` arrays of ``Fraction`` for rational payoffs.

    Raises
    ------
    DomainError
        If there are more than ``MAX_BASES`` candidate bases (games beyond about 3 x 3).

    Examples
    --------
    >>> V = correlated_vertices([[6, 2], [7, 0]])
    >>> len(V), [[str(p) for p in v.ravel()] for v in V][:2]
    (5, [['0', '0', '1', '0'], ['0', '2/5', '2/5', '1/5']])
    """
    g = _numeric_game(game)
    P = _incentive(g, coarse)
    m, n = g.shape
    k = m * n
    H = np.vstack([P.incentive, -np.eye(k, dtype=np.int64).astype(P.incentive.dtype)])
    Hf = H.astype(np.float64)
    total = comb(len(H), k - 1)
    if total > MAX_BASES:
        raise DomainError(
            f"the game {g.shape} has {total} candidate bases (more than {MAX_BASES}); "
            "vertex enumeration is for small games"
        )
    scale = max(1.0, float(np.abs(Hf).max()))
    tol = CE_ATOL * scale
    found: dict[tuple[Any, ...], np.ndarray] = {}
    subsets = combinations(range(len(H)), k - 1)
    batch = 20_000
    while True:
        chunk = np.array(list(_take(subsets, batch)), dtype=np.int64)
        if chunk.size == 0:
            break
        M = np.concatenate([Hf[chunk], np.ones((len(chunk), 1, k))], axis=1)
        s = np.linalg.svd(M, compute_uv=False)
        ok = s[:, -1] > 1e-10 * s[:, 0]
        rhs = np.zeros((int(ok.sum()), k, 1))
        rhs[:, -1, 0] = 1.0
        sol = np.linalg.solve(M[ok], rhs)[..., 0]
        feasible = np.all(sol @ Hf.T <= 10 * tol, axis=1)
        for rows, z in zip(chunk[ok][feasible], sol[feasible], strict=True):
            if g.is_exact:
                ex = solve_exact([list(H[r]) for r in rows] + [[1] * k], [0] * (k - 1) + [1])
                if ex is None or any(
                    sum((a * v for a, v in zip(h, ex, strict=True)), start=Fraction(0)) > 0
                    for h in H
                ):
                    continue
                key: tuple[Any, ...] = tuple(ex)
                found.setdefault(key, np.array(ex, dtype=object).reshape(m, n))
            else:
                key = tuple(np.round(z / tol).astype(np.int64).tolist())
                found.setdefault(key, np.maximum(z, 0.0).reshape(m, n))
    return tuple(found[key] for key in sorted(found))


def _take(it: Any, n: int) -> list[Any]:
    out = []
    for _ in range(n):
        try:
            out.append(next(it))
        except StopIteration:
            break
    return out
