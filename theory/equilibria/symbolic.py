"""Equilibria as expressions in parameters (such as a modelling cost ε), each with its region.

For each pair of equal-size supports the indifference systems are solved symbolically; the
equilibrium exists where every probability is ≥ 0 and no pure strategy does better; its region
(a :class:`~theory.regions.Region`) is exact for one parameter. Equal-size supports give every
equilibrium for parameter values where the game is non-degenerate;
:func:`degenerate_parameter_values` lists the finitely many values where it is not, to be checked
one by one with the exact enumeration.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import sympy

from theory._numbers import sympy_value
from theory.errors import TheoryError
from theory.games import GameLike, as_game
from theory.linalg import indifference, indifference_system
from theory.regions import Region, free_parameters, parameter_domain, region_of
from theory.typing import ExprLike, Params

__all__ = [
    "SymbolicEquilibrium",
    "SymbolicEquilibria",
    "symbolic_equilibria",
    "symbolic_symmetric_equilibria",
    "degenerate_parameter_values",
]


@dataclass(frozen=True)
class SymbolicEquilibrium:
    """One equilibrium as expressions, and the parameter region where it exists.

    `x`, `y` are the two players' mixed strategies (one entry per pure strategy), `u`, `v` their
    payoffs (sympy expressions), `region` where the equilibrium exists.
    """

    support_x: tuple[int, ...]
    support_y: tuple[int, ...]
    x: tuple[sympy.Expr, ...]
    y: tuple[sympy.Expr, ...]
    u: sympy.Expr
    v: sympy.Expr
    region: Region

    @property
    def is_symmetric(self) -> bool:
        """Same strategy for both players (as expressions)."""
        return all(sympy.simplify(a - b) == 0 for a, b in zip(self.x, self.y, strict=True))

    def at(
        self, values: Mapping[sympy.Symbol, ExprLike]
    ) -> tuple[tuple[sympy.Expr, ...], tuple[sympy.Expr, ...]]:
        """The strategies with parameter values substituted (exact for rational values)."""
        sub = {k: sympy_value(v) for k, v in values.items()}
        return (
            tuple(sympy.sympify(a).subs(sub) for a in self.x),
            tuple(sympy.sympify(b).subs(sub) for b in self.y),
        )


@dataclass(frozen=True)
class _SymVertex:
    support: tuple[int, ...]  # the mixer's strategies
    tight: tuple[int, ...]  # the replies made indifferent
    z: tuple[Any, ...]
    u: Any
    pay: tuple[Any, ...]  # every reply's payoff minus u
    region: Region


@dataclass(frozen=True)
class SymbolicEquilibria:
    """The equilibria found by :func:`symbolic_equilibria` or
    :func:`symbolic_symmetric_equilibria`, and the parameters of their regions.

    Iterating, ``len`` and indexing go over `equilibria`.
    """

    equilibria: tuple[SymbolicEquilibrium, ...]
    params: tuple[sympy.Symbol, ...]

    def __iter__(self) -> Iterator[SymbolicEquilibrium]:
        return iter(self.equilibria)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __getitem__(self, i: int) -> SymbolicEquilibrium:
        return self.equilibria[i]


def _side(M: np.ndarray, rows: tuple[int, ...], cols: tuple[int, ...], n: int):  # type: ignore[no-untyped-def]
    """Mixed strategy on `cols` making `rows` of `M` indifferent, full length, with its payoff."""
    sol = indifference(M, rows, cols)
    if sol is None:
        return None
    z, u = sol
    full: list[Any] = [sympy.Integer(0)] * n
    for c, w in zip(cols, z, strict=True):
        full[c] = sympy.sympify(w)
    return full, sympy.sympify(u)


def _gaps(M: np.ndarray, z: list[Any], u: Any) -> tuple[Any, ...]:
    return tuple(
        sympy.factor(
            sympy.cancel(sum((sympy.sympify(M[r, c]) * z[c] for c in range(len(z))), start=-u))
        )
        for r in range(M.shape[0])
    )


def _sym_vertices(
    M: np.ndarray, ps: tuple[sympy.Symbol, ...], pairs: Any
) -> dict[tuple[tuple[int, ...], tuple[int, ...]], _SymVertex]:
    """Generic vertices ``(support, tight)`` of ``{z >= 0, sum z = 1, M z <= u}`` with the region
    of parameters where they are feasible (weights >= 0, no reply above u)."""
    out = {}
    nr, nc = M.shape
    for S, T in pairs:
        sol = _side(M, T, S, nc)
        if sol is None:
            continue
        z, u = sol
        gaps = _gaps(M, z, u)
        conds = [z[c] >= 0 for c in S] + [gaps[r] <= 0 for r in range(nr) if r not in T]
        region = region_of(conds, ps, matrix=M)
        if not region.is_empty:
            out[(S, T)] = _SymVertex(S, T, tuple(z), u, gaps, region)
    return out


def symbolic_equilibria(game: GameLike, *, params: Params = None) -> SymbolicEquilibria:
    """All equilibria on equal-size support pairs, as expressions with their regions.

    Parameters
    ----------
    game : array_like, pair, Game or nashpy.Game
        One square matrix (the symmetric game ``(A, A.T)``), a pair ``(A, B)``, or a game (see
        :func:`~theory.games.as_game`); entries may contain sympy symbols.
    params : Symbol or sequence of Symbol, optional
        The parameters (default: every free symbol).

    Returns
    -------
    SymbolicEquilibria
        The equilibria with a non-empty region, supports in increasing size. Complete for
        every parameter value outside :func:`degenerate_parameter_values`; regions are closed
        where the inequalities are weak (at an end point the equilibrium may coincide with another).

    Examples
    --------
    >>> e = sympy.Symbol("e", positive=True)
    >>> eqs = symbolic_equilibria([[2, 0], [3 - e, 1 - e]], params=e)
    >>> [(q.x, q.y, str(q.region)) for q in eqs]  # doctest: +NORMALIZE_WHITESPACE
    [((1, 0), (1, 0), '[1, ∞)'), ((1, 0), (0, 1), '{1}'), ((0, 1), (1, 0), '{1}'),
     ((0, 1), (0, 1), '(0, 1]')]
    """
    g = as_game(game)
    A, Bm = g.A.astype(object), g.B.astype(object)
    ps = free_parameters(np.concatenate([A.ravel(), Bm.ravel()]).reshape(1, -1), params=params)
    m, n = g.shape
    pairs = _equal_size_supports(m, n)
    Y = _sym_vertices(A, ps, [(J, I) for I, J in pairs])
    X = _sym_vertices(Bm.T.copy(), ps, pairs)
    out: list[SymbolicEquilibrium] = []
    for I, J in pairs:
        if (J, I) not in Y or (I, J) not in X:
            continue
        yv, xv = Y[(J, I)], X[(I, J)]
        region = xv.region.intersect(yv.region)
        if region.is_empty:
            continue
        out.append(SymbolicEquilibrium(I, J, xv.z, yv.z, yv.u, xv.u, region))
    return SymbolicEquilibria(tuple(out), ps)


def _equal_size_supports(m: int, n: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Every ``(I, J)`` with ``I`` ⊆ range(m), ``J`` ⊆ range(n), ``|I| = |J| >= 1``: by size,
    then ``I``, then ``J`` in lexicographic order."""
    return [
        (I, J)
        for k in range(1, min(m, n) + 1)
        for I in combinations(range(m), k)
        for J in combinations(range(n), k)
    ]


def symbolic_symmetric_equilibria(A: GameLike, *, params: Params = None) -> SymbolicEquilibria:
    """Symmetric equilibria ``(x, x)`` of the symmetric game `A`, searching 2^n supports.

    Examples
    --------
    >>> e = sympy.Symbol("e", positive=True)
    >>> [q.x for q in symbolic_symmetric_equilibria([[0, 1 + e], [1, 0]], params=e)]
    [((e + 1)/(e + 2), 1/(e + 2))]
    """
    g = as_game(A)
    if not g.is_symmetric:
        raise TheoryError("symbolic_symmetric_equilibria needs a symmetric game (B = A.T)")
    M = g.A.astype(object)
    ps = free_parameters(M, params=params)
    n = M.shape[0]
    supports = [S for k in range(1, n + 1) for S in combinations(range(n), k)]
    V = _sym_vertices(M, ps, [(S, S) for S in supports])
    return SymbolicEquilibria(
        tuple(SymbolicEquilibrium(S, S, v.z, v.z, v.u, v.u, v.region) for (S, _), v in V.items()),
        ps,
    )


def _zero_set(expr: Any, p: sympy.Symbol, where: sympy.Set) -> sympy.Set:
    if sympy.cancel(expr) == 0:
        return where
    num, _ = sympy.fraction(sympy.together(expr))
    return sympy.solveset(num, p, domain=sympy.S.Reals).intersect(where)


def degenerate_parameter_values(game: GameLike, param: sympy.Symbol) -> sympy.Set:
    """Parameter values where the game may be degenerate (a superset), as a sympy Set.

    A game is degenerate when some mixed strategy with `k` pure strategies in its support has
    more than `k` pure best replies; such a strategy is found at a vertex of a best-reply
    polyhedron. Each generic vertex (support `S`, indifferent replies `T`, ``|S| = |T|``) is a
    rational function of `param`; it turns degenerate where it is feasible and another reply
    ties (its payoff gap vanishes) or a weight on `S` vanishes. The union of those values, with
    the values where a generic system turns singular, is returned.

    Examples
    --------
    >>> e = sympy.Symbol("e", positive=True)
    >>> degenerate_parameter_values([[2, 0], [3 - e, 1 - e]], e)
    {1}
    """
    g = as_game(game)
    if not isinstance(param, sympy.Symbol):
        raise TheoryError(f"param must be a sympy Symbol, got {param!r}")
    ps = (param,)
    values: sympy.Set = sympy.S.EmptySet
    for P in (g.B.T.astype(object), g.A.astype(object)):
        nr, nc = P.shape
        pairs = _equal_size_supports(nc, nr)
        for (S, T), v in _sym_vertices(P, ps, pairs).items():
            for r in range(nr):
                if r not in T:
                    values = values.union(_zero_set(v.pay[r], param, v.region.as_set()))
            for c in S:
                values = values.union(_zero_set(v.z[c], param, v.region.as_set()))
            mat = sympy.Matrix(indifference_system(P, T, S)[0])
            det = sympy.cancel(mat.det(method="berkowitz"))
            values = values.union(_zero_set(det, param, parameter_domain(param)))
    return values
