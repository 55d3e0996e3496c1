"""Equilibria as expressions in parameters (such as a modelling cost ε), each with its region.

For each pair of equal-size supports the indifference systems are solved symbolically; the
equilibrium exists where every probability is ≥ 0 and no pure strategy does better. With one
parameter the region is a sympy ``Interval``/``Union``. Equal-size supports give every equilibrium
for parameter values where the game is non-degenerate; :func:`degenerate_parameter_values` lists the
finitely many values where it is not, to be checked one by one with the exact enumeration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import sympy

from theory.errors import TheoryError
from theory.games import as_game
from theory.linalg import indifference, indifference_system

__all__ = [
    "SymbolicEquilibrium",
    "symbolic_equilibria",
    "symbolic_symmetric_equilibria",
    "degenerate_parameter_values",
    "region_of",
    "parameter_domain",
    "format_region",
]


def _params(M: np.ndarray, params: Any) -> tuple[sympy.Symbol, ...]:
    if params is None:
        free: set[sympy.Symbol] = set()
        for v in M.flat:
            if isinstance(v, sympy.Basic):
                free |= v.free_symbols  # type: ignore[arg-type]
        return tuple(sorted(free, key=str))
    if isinstance(params, sympy.Symbol):
        return (params,)
    out = tuple(params)
    bad = [p for p in out if not isinstance(p, sympy.Symbol)]
    if bad:
        raise TheoryError(f"params must be sympy Symbols, got {bad!r}")
    return out


def parameter_domain(p: sympy.Symbol) -> sympy.Set:
    """The values a parameter may take by its assumptions: (0, ∞), [0, ∞) or the reals.

    Examples
    --------
    >>> parameter_domain(sympy.Symbol("e", positive=True))
    Interval.open(0, oo)
    """
    if p.is_positive:
        return sympy.Interval.open(0, sympy.oo)
    if p.is_nonnegative:
        return sympy.Interval(0, sympy.oo)
    return sympy.S.Reals


def _critical_points(expr: Any, p: sympy.Symbol) -> list[Any] | None:
    """Real roots of the numerator and denominator of a rational function; None otherwise."""
    num, den = sympy.fraction(sympy.together(expr))
    out: list[Any] = []
    for part in (num, den):
        if p not in part.free_symbols:
            continue
        try:
            poly = sympy.Poly(part, p)
        except sympy.PolynomialError:
            return None
        if not all(c.is_rational for c in poly.all_coeffs()):
            return None
        out.extend(sympy.real_roots(poly))
    return out


def _holds(c: Any, p: sympy.Symbol, value: Any) -> bool:
    lhs = sympy.together(c.lhs - c.rhs)
    num, den = sympy.fraction(lhs)
    d = sympy.simplify(den.subs(p, value))
    if d == 0:
        return False
    val = sympy.simplify(lhs.subs(p, value))
    return bool(c.func(val, 0))


def _univariate_region(conds: list[Any], p: sympy.Symbol, domain: sympy.Set) -> sympy.Set:
    """Exact region of rational-function inequalities: test every critical point and one point
    between consecutive critical points (the signs are constant there)."""
    crit: set[Any] = set()
    for c in conds:
        pts = _critical_points(c.lhs - c.rhs, p)
        if pts is None:  # not a rational function: let sympy do it
            fallback: sympy.Set = domain
            for cc in conds:
                fallback = fallback.intersect(
                    sympy.solve_univariate_inequality(cc, p, relational=False, domain=domain)
                )
            return fallback
        crit.update(pts)
    lo, hi = domain.inf, domain.sup
    pts = sorted((q for q in crit if q.is_real and lo <= q <= hi), key=lambda q: float(q))
    inner = [q for q in pts if q not in (lo, hi)]
    edges = [lo, *inner, hi]
    region: sympy.Set = sympy.S.EmptySet
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        if a == -sympy.oo and b == sympy.oo:
            mid: Any = sympy.Integer(0)
        elif a == -sympy.oo:
            mid = b - 1
        elif b == sympy.oo:
            mid = a + 1
        else:
            mid = (a + b) / 2
        if all(_holds(c, p, mid) for c in conds):
            region = region.union(sympy.Interval.open(a, b))
    for q in pts:
        if q in domain and all(_holds(c, p, q) for c in conds):
            region = region.union(sympy.FiniteSet(q))
    return region


def region_of(conditions: Sequence[Any], params: Any, M: np.ndarray | None = None) -> Any:
    """Where all `conditions` (sympy relations) hold.

    With one parameter: a sympy ``Set`` within the parameter's domain (see
    :func:`parameter_domain`), exact for rational functions of the parameter. With several:
    a simplified sympy Boolean.

    Examples
    --------
    >>> e = sympy.Symbol("e", positive=True)
    >>> region_of([1 - 3 * e / 2 >= 0, 1 + 2 * e <= 2 - e], [e])
    Interval.Lopen(0, 1/3)
    """
    ps = _params(M if M is not None else np.empty((0, 0), dtype=object), params)
    conds = []
    for c in conditions:
        c = sympy.sympify(c)
        if c is sympy.true:
            continue
        if c is sympy.false:
            return sympy.S.EmptySet if len(ps) == 1 else sympy.false
        conds.append(c)
    if len(ps) == 1:
        p = ps[0]
        for c in conds:
            if c.free_symbols - {p}:
                raise TheoryError(f"condition {c} has symbols besides the parameter {p}")
        return _univariate_region(conds, p, parameter_domain(p))
    assume = [p > 0 for p in ps if p.is_positive] + [p >= 0 for p in ps if p.is_nonnegative]
    return sympy.simplify(sympy.And(*conds, *assume))


@dataclass(frozen=True)
class SymbolicEquilibrium:
    """One equilibrium as expressions, and the parameter region where it exists.

    `x`, `y` are the two players' mixed strategies (one entry per pure strategy), `u`, `v` their
    payoffs, `region` a sympy Set (one parameter) or Boolean (several).
    """

    support_x: tuple[int, ...]
    support_y: tuple[int, ...]
    x: tuple[Any, ...]
    y: tuple[Any, ...]
    u: Any
    v: Any
    region: Any

    @property
    def is_symmetric(self) -> bool:
        """Same strategy for both players (as expressions)."""
        return all(sympy.simplify(a - b) == 0 for a, b in zip(self.x, self.y, strict=True))

    def at(self, values: dict[Any, Any]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """The strategies with parameter values substituted (exact for rational values)."""
        sub = {k: sympy.nsimplify(v) for k, v in values.items()}
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
    region: Any


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
        region = region_of(conds, ps, M)
        if not _empty(region):
            out[(S, T)] = _SymVertex(S, T, tuple(z), u, gaps, region)
    return out


def _intersect(a: Any, b: Any) -> Any:
    if isinstance(a, sympy.Set):
        return a.intersect(b)
    return sympy.simplify(sympy.And(a, b))


def symbolic_equilibria(
    game: Any, params: Any = None, *, B: Any = None
) -> list[SymbolicEquilibrium]:
    """All equilibria on equal-size support pairs, as expressions with their regions.

    Parameters
    ----------
    game : array_like or Game
        One square matrix (the symmetric game ``(A, A.T)``), a pair, or a :class:`Game`;
        entries may contain sympy symbols.
    params : Symbol or sequence of Symbol, optional
        The parameters (default: every free symbol).
    B : array_like, optional
        The column player's payoffs, if `game` is a single matrix of a bimatrix game.

    Returns
    -------
    list of SymbolicEquilibrium
        Those with a non-empty region, supports in increasing size. Complete for every parameter
        value outside :func:`degenerate_parameter_values`; regions are closed where the
        inequalities are weak (at an end point the equilibrium may coincide with another).

    Examples
    --------
    >>> e = sympy.Symbol("e", positive=True)
    >>> eqs = symbolic_equilibria([[2, 0], [3 - e, 1 - e]], e)
    >>> [(q.x, q.y, q.region) for q in eqs]  # doctest: +NORMALIZE_WHITESPACE
    [((1, 0), (1, 0), Interval(1, oo)), ((1, 0), (0, 1), {1}), ((0, 1), (1, 0), {1}),
     ((0, 1), (0, 1), Interval.Lopen(0, 1))]
    """
    g = as_game(game, B)
    A, Bm = g.A.astype(object), g.B.astype(object)
    ps = _params(np.concatenate([A.ravel(), Bm.ravel()]).reshape(1, -1), params)
    m, n = g.shape
    pairs = _equal_size_supports(m, n)
    Y = _sym_vertices(A, ps, [(J, I) for I, J in pairs])
    X = _sym_vertices(Bm.T.copy(), ps, pairs)
    out: list[SymbolicEquilibrium] = []
    for I, J in pairs:
        if (J, I) not in Y or (I, J) not in X:
            continue
        yv, xv = Y[(J, I)], X[(I, J)]
        region = _intersect(xv.region, yv.region)
        if _empty(region):
            continue
        out.append(SymbolicEquilibrium(I, J, xv.z, yv.z, yv.u, xv.u, region))
    return out


def _equal_size_supports(m: int, n: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Every ``(I, J)`` with ``I`` ⊆ range(m), ``J`` ⊆ range(n), ``|I| = |J| >= 1``: by size,
    then ``I``, then ``J`` in lexicographic order."""
    return [
        (I, J)
        for k in range(1, min(m, n) + 1)
        for I in combinations(range(m), k)
        for J in combinations(range(n), k)
    ]


def _empty(region: Any) -> bool:
    return region is sympy.S.EmptySet or region is sympy.false or region is False


def symbolic_symmetric_equilibria(A: Any, params: Any = None) -> list[SymbolicEquilibrium]:
    """Symmetric equilibria ``(x, x)`` of the symmetric game `A`, searching 2^n supports.

    Examples
    --------
    >>> e = sympy.Symbol("e", positive=True)
    >>> [q.x for q in symbolic_symmetric_equilibria([[0, 1 + e], [1, 0]], e)]
    [((e + 1)/(e + 2), 1/(e + 2))]
    """
    g = as_game(A)
    if not g.is_symmetric:
        raise TheoryError("symbolic_symmetric_equilibria needs a symmetric game (B = A.T)")
    M = g.A.astype(object)
    ps = _params(M, params)
    n = M.shape[0]
    supports = [S for k in range(1, n + 1) for S in combinations(range(n), k)]
    V = _sym_vertices(M, ps, [(S, S) for S in supports])
    return [SymbolicEquilibrium(S, S, v.z, v.z, v.u, v.u, v.region) for (S, _), v in V.items()]


def _zero_set(expr: Any, p: sympy.Symbol, where: sympy.Set) -> sympy.Set:
    if sympy.cancel(expr) == 0:
        return where
    num, _ = sympy.fraction(sympy.together(expr))
    return sympy.solveset(num, p, domain=sympy.S.Reals).intersect(where)


def degenerate_parameter_values(game: Any, param: sympy.Symbol, *, B: Any = None) -> sympy.Set:
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
    g = as_game(game, B)
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
                    values = values.union(_zero_set(v.pay[r], param, v.region))
            for c in S:
                values = values.union(_zero_set(v.z[c], param, v.region))
            mat = sympy.Matrix(indifference_system(P, T, S)[0])
            det = sympy.cancel(mat.det(method="berkowitz"))
            values = values.union(_zero_set(det, param, parameter_domain(param)))
    return values


def format_region(region: Any) -> str:
    """A sympy set as interval notation: ``(0, 1/3]``, ``{1/4}``, unions with ``∪``.

    Examples
    --------
    >>> format_region(sympy.Interval.Lopen(0, sympy.Rational(1, 3)))
    '(0, 1/3]'
    """
    if isinstance(region, sympy.Interval):
        lo = "(" if region.left_open else "["
        hi = ")" if region.right_open else "]"
        a = "∞" if region.end == sympy.oo else str(region.end)
        return f"{lo}{region.start}, {a}{hi}"
    if isinstance(region, sympy.Union):
        return " ∪ ".join(format_region(r) for r in region.args)
    if isinstance(region, sympy.FiniteSet):
        return "{" + ", ".join(str(v) for v in sorted(region, key=float)) + "}"
    if region is sympy.S.EmptySet:
        return "∅"
    return str(region)
