"""Parameter regions: where a symbolic answer (an equilibrium, a best reply, a rest point) holds.

A :class:`Region` is the same object whatever the number of parameters: the parameters, the
sympy condition on them, ``value in region``, :attr:`Region.is_empty` and interval notation as its
``str``. With one parameter it is computed exactly, as a sympy set within the parameter's domain
(see :func:`parameter_domain`), and :meth:`Region.as_set` returns that set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np
import sympy

from theory._semialgebraic import OPS, RELATIONS, merged_terms
from theory.errors import TheoryError
from theory.typing import Params

__all__ = [
    "Region",
    "region_of",
    "parameter_domain",
    "format_region",
    "free_parameters",
]


@dataclass(frozen=True)
class Region:
    """The parameter values where a condition holds.

    Attributes
    ----------
    params : tuple of sympy.Symbol
        The parameters, in order.
    condition : sympy.Boolean
        Where the region holds, as a sympy condition on `params` (``sympy.true`` everywhere,
        ``sympy.false`` nowhere).

    Examples
    --------
    >>> e = sympy.Symbol("e", positive=True)
    >>> r = region_of([1 - 3 * e >= 0], [e])
    >>> str(r), sympy.Rational(1, 4) in r, {e: 1} in r, r.is_empty
    ('(0, 1/3]', True, False, False)
    >>> r.as_set()
    Interval.Lopen(0, 1/3)
    """

    params: tuple[sympy.Symbol, ...]
    condition: sympy.Basic  # a sympy Boolean (relations combined with And/Or, true, false)
    # With one parameter: the exact set the condition describes (computed once, not compared).
    _set: sympy.Set | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_set(cls, param: sympy.Symbol, values: sympy.Set) -> Region:
        """The region of one parameter given as a sympy set of its values.

        Examples
        --------
        >>> e = sympy.Symbol("e")
        >>> str(Region.from_set(e, sympy.Interval(0, 1)))
        '[0, 1]'
        """
        cond = sympy.false if values is sympy.S.EmptySet else values.as_relational(param)
        return cls((param,), cond, values)

    def as_set(self) -> sympy.Set:
        """The region as a sympy set of values of its single parameter.

        Raises
        ------
        TheoryError
            If the region has more than one parameter.
        """
        if len(self.params) != 1:
            raise TheoryError(
                f"as_set needs a region of one parameter, this one has {len(self.params)}: "
                f"{', '.join(map(str, self.params))}"
            )
        if self._set is not None:
            return self._set
        p = self.params[0]
        if self.condition is sympy.false:
            return sympy.S.EmptySet
        if self.condition is sympy.true:
            return parameter_domain(p)
        return self.condition.as_set().intersect(parameter_domain(p))  # type: ignore[attr-defined]

    def as_sympy(self) -> sympy.Basic:
        """The set of values for one parameter (:meth:`as_set`), the condition for several.

        Examples
        --------
        >>> x, y = sympy.symbols("x y")
        >>> region_of([x <= 1], [x]).as_sympy(), region_of([x <= y], [x, y]).as_sympy()
        (Interval(-oo, 1), x <= y)
        """
        return self.as_set() if len(self.params) == 1 else self.condition

    @property
    def is_empty(self) -> bool:
        """True if no parameter values satisfy the condition."""
        if len(self.params) == 1:
            return self.as_set() is sympy.S.EmptySet
        return self.condition is sympy.false

    def __contains__(self, values: object) -> bool:
        """``{param: value, ...} in region``; with one parameter a bare value also works."""
        if not isinstance(values, Mapping):
            if len(self.params) != 1:
                raise TheoryError(
                    f"values must map each of the parameters {list(map(str, self.params))} "
                    f"to a number, got {values!r}"
                )
            values = {self.params[0]: values}
        by_name = {str(k): v for k, v in values.items()}
        missing = [str(p) for p in self.params if str(p) not in by_name]
        if missing:
            raise TheoryError(f"values has no value for the parameters {missing}")
        point = {p: _sympy_number(by_name[str(p)], str(p)) for p in self.params}
        if len(self.params) == 1:
            return bool(self.as_set().contains(point[self.params[0]]) is sympy.true)
        held = self.condition.subs(point)
        if held not in (sympy.true, sympy.false):
            held = sympy.simplify(held)
        return bool(held is sympy.true)

    def intersect(self, other: Region) -> Region:
        """Where both regions hold (the parameters of both).

        Examples
        --------
        >>> e = sympy.Symbol("e", positive=True)
        >>> str(region_of([e <= 1], [e]).intersect(region_of([e >= 1], [e])))
        '{1}'
        """
        if self.params == other.params and len(self.params) == 1:
            return Region.from_set(self.params[0], self.as_set().intersect(other.as_set()))
        ps = tuple(dict.fromkeys((*self.params, *other.params)))
        return _several(ps, sympy.And(self.condition, other.condition))

    __and__ = intersect

    @property
    def boundary(self) -> tuple[sympy.Expr, ...]:
        """The end points of a one-parameter region, sorted (empty for several parameters)."""
        if len(self.params) != 1:
            return ()
        return tuple(sorted(self.as_set().boundary, key=lambda q: float(q)))

    def __str__(self) -> str:
        if len(self.params) == 1:
            return format_region(self.as_set())
        return str(self.condition)


def _sympy_number(value: Any, name: str) -> sympy.Expr:  # Any: checked here
    if isinstance(value, bool) or value is None:
        raise TheoryError(f"the value of {name} must be a number, got {value!r}")
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    try:
        out = sympy.sympify(value)
    except (sympy.SympifyError, TypeError):
        raise TheoryError(f"the value of {name} must be a number, got {value!r}") from None
    if not isinstance(out, sympy.Expr) or out.free_symbols:
        raise TheoryError(f"the value of {name} must be a number, got {value!r}")
    return out


def free_parameters(M: np.ndarray, *, params: Params = None) -> tuple[sympy.Symbol, ...]:
    """The parameters of a symbolic matrix: `params` checked, or every free symbol of `M`.

    Examples
    --------
    >>> e = sympy.Symbol("e")
    >>> free_parameters(np.array([[e, 1]], dtype=object))
    (e,)
    """
    if params is None:
        free: set[sympy.Symbol] = set()
        for v in M.flat:
            if isinstance(v, sympy.Basic):
                free |= v.free_symbols  # type: ignore[arg-type]
        return tuple(sorted(free, key=str))
    if isinstance(params, sympy.Symbol):
        return (params,)
    if isinstance(params, str):
        raise TheoryError(f"params must be sympy Symbols, got {params!r}")
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


def _critical_points(expr: sympy.Expr, p: sympy.Symbol) -> list[sympy.Expr] | None:
    """Real roots of the numerator and denominator of a rational function; None otherwise."""
    num, den = sympy.fraction(sympy.together(expr))
    out: list[sympy.Expr] = []
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


def _holds(c: Any, p: sympy.Symbol, value: sympy.Expr) -> bool:  # Any: a sympy relation
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
    crit: set[sympy.Expr] = set()
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
            mid: sympy.Expr = sympy.Integer(0)
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


def region_of(
    conditions: Sequence[sympy.Basic | bool],
    params: Params = None,
    *,
    matrix: np.ndarray | None = None,
) -> Region:
    """The :class:`Region` where all `conditions` (sympy relations) hold.

    Parameters
    ----------
    conditions : sequence of sympy relations
        Inequalities in the parameters (``sympy.true``/``sympy.false`` are allowed).
    params : Symbol or sequence of Symbol, optional
        The parameters (default: the free symbols of `matrix`).
    matrix : ndarray, optional
        The payoff matrix whose free symbols are the parameters when `params` is None.

    Returns
    -------
    Region
        With one parameter, exact for rational functions of it and within its domain (see
        :func:`parameter_domain`). With several, the simplified conjunction, with the
        parameters' sign assumptions.

    Examples
    --------
    >>> e = sympy.Symbol("e", positive=True)
    >>> region_of([1 - 3 * e / 2 >= 0, 1 + 2 * e <= 2 - e], [e]).as_set()
    Interval.Lopen(0, 1/3)
    """
    ps = free_parameters(
        matrix if matrix is not None else np.empty((0, 0), dtype=object), params=params
    )
    conds = []
    for c in conditions:
        c = sympy.sympify(c)
        if c is sympy.true:
            continue
        if c is sympy.false:
            if len(ps) == 1:
                return Region.from_set(ps[0], sympy.S.EmptySet)
            return Region(ps, sympy.false)
        conds.append(c)
    if len(ps) == 1:
        p = ps[0]
        for c in conds:
            if c.free_symbols - {p}:
                raise TheoryError(f"condition {c} has symbols besides the parameter {p}")
        return Region.from_set(p, _univariate_region(conds, p, parameter_domain(p)))
    return _several(ps, sympy.And(*conds))


def _several(ps: tuple[sympy.Symbol, ...], cond: sympy.Basic) -> Region:
    """The region of a condition on several parameters: its disjunctive normal form with each
    conjunction merged and those certified empty left out (for two parameters by a cell
    decomposition, exactly), then the parameters' sign assumptions."""
    terms = _feasible_terms(cond, ps)
    if not terms:
        return Region(ps, sympy.false)
    assume = [p > 0 for p in ps if p.is_positive]
    assume += [p >= 0 for p in ps if p.is_nonnegative and not p.is_positive]
    return Region(ps, sympy.And(sympy.Or(*terms), *assume))


def format_region(region: Region | sympy.Set) -> str:
    """A region (or a sympy set) as interval notation: ``(0, 1/3]``, ``{1/4}``, ``∪``.

    Examples
    --------
    >>> format_region(sympy.Interval.Lopen(0, sympy.Rational(1, 3)))
    '(0, 1/3]'
    """
    if isinstance(region, Region):
        return str(region)
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


def _polynomials(atoms: tuple[sympy.Basic, ...], ps: tuple[sympy.Symbol, ...]) -> list[Any] | None:
    """The irreducible factors (in `ps`, rational coefficients) of the atoms' numerators and
    denominators; None if an atom is not a rational function with rational coefficients."""
    out: list[Any] = []
    for a in atoms:
        num, den = sympy.fraction(sympy.together(a.lhs - a.rhs))
        for part in (num, den):
            if not part.free_symbols:
                continue
            try:
                poly = sympy.Poly(part, *ps)
            except sympy.PolynomialError:
                return None
            if not poly.domain.is_QQ and not poly.domain.is_ZZ:
                return None
            for f, _ in poly.factor_list()[1]:
                if f.total_degree() > 0 and f not in out:
                    out.append(f)
    return out


def _real_roots(f: Any, p: sympy.Symbol) -> list[sympy.Expr]:  # Any: a sympy Poly
    poly = sympy.Poly(f, p)
    if poly.degree() <= 0:
        return []
    return list(set(sympy.real_roots(poly)))


def _feasible(atoms: tuple[sympy.Basic, ...], ps: tuple[sympy.Symbol, ...]) -> bool | None:
    """Whether the conjunction of `atoms` holds at some point of the parameters' domains.

    Exact for two parameters ``(p, q)`` and rational-function atoms: the values of `p` where the
    atoms' polynomials change their real roots in `q` (roots of the coefficients, discriminants
    and pairwise resultants in `q`: McCallum's projection of square-free factors) cut the `p`
    axis into cells; over a rational point of each open cell, and at each rational critical
    value, the set in `q` is decided exactly (:func:`theory.regions.region_of`). True: a point
    was found; False: no cell holds one; None: not decided (more than two parameters, atoms that
    are not rational functions, or an irrational critical value where only a curve might lie).
    """
    if len(ps) != 2:
        return None
    p, q = ps
    polys = _polynomials(atoms, ps)
    if polys is None:
        return None
    if _witness(atoms, ps):
        return True
    crit: set[sympy.Expr] = set()
    for f in polys:
        fq = sympy.Poly(f, q)
        for c in fq.all_coeffs():
            crit.update(_real_roots(sympy.Poly(c, p), p))
        if fq.degree() >= 2:
            crit.update(_real_roots(sympy.Poly(sympy.discriminant(fq.as_expr(), q), p), p))
    for f, g in combinations(polys, 2):
        if sympy.Poly(f, q).degree() >= 1 and sympy.Poly(g, q).degree() >= 1:
            r = sympy.resultant(f.as_expr(), g.as_expr(), q)
            if r != 0:
                crit.update(_real_roots(sympy.Poly(r, p), p))
    dom = parameter_domain(p)
    lo, hi = dom.inf, dom.sup
    pts = sorted((c for c in crit if c.is_real and lo < c < hi), key=lambda c: float(c))
    edges = [lo, *pts, hi]
    samples: list[sympy.Expr] = []
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        if a == -sympy.oo and b == sympy.oo:
            samples.append(sympy.Integer(0))
        elif a == -sympy.oo:
            samples.append(sympy.floor(b) - 1)
        elif b == sympy.oo:
            samples.append(sympy.floor(a) + 1)
        else:
            samples.append(_rational_between(a, b))
    strict_only = all(type(x) in (sympy.Lt, sympy.Gt, sympy.Ne) for x in atoms)
    uncertain = False
    for c in [*pts, *([lo] if lo in dom else [])]:
        if c.is_rational:
            samples.append(c)
        elif not strict_only:
            uncertain = True
    for p0 in samples:
        conds = [x.subs(p, p0) for x in atoms]
        if any(x is sympy.false for x in conds):
            continue
        if not region_of([x for x in conds if x is not sympy.true], [q]).is_empty:
            return True
    return None if uncertain else False


# Small rationals tried first as a witness (most regions that hold anywhere hold at one of these).
_TRIES = (sympy.Rational(1, 3), sympy.Rational(1, 2), 1, sympy.Rational(3, 2), 2, 3, 5)


def _witness(atoms: tuple[sympy.Basic, ...], ps: tuple[sympy.Symbol, ...]) -> bool:
    """Whether the atoms all hold at one of a few rational points of the parameters' domains
    (exact evaluation); False says nothing."""
    p, q = ps
    fs = []
    for a in atoms:
        num, den = sympy.fraction(sympy.together(a.lhs - a.rhs))
        fs.append((sympy.Poly(num, *ps), sympy.Poly(den, *ps), RELATIONS[type(a)]))
    for x in (v for v in _TRIES if v in parameter_domain(p)):
        for y in (v for v in _TRIES if v in parameter_domain(q)):
            ok = True
            for num, den, op in fs:
                d = den.eval({p: x, q: y})
                if d == 0:
                    ok = False
                    break
                v = num.eval({p: x, q: y}) * d  # the sign of num/den
                sgn = int(bool(v > 0)) - int(bool(v < 0))
                if sgn not in OPS[op]:
                    ok = False
                    break
            if ok:
                return True
    return False


def _rational_between(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
    """A simple rational strictly between the real algebraic numbers a < b."""
    mid = sympy.Rational((float(a) + float(b)) / 2)
    for k in range(1, 60):
        cand = sympy.Rational(round(float(mid) * 2**k), 2**k)
        if a < cand < b:
            return cand
    return sympy.nsimplify((a + b) / 2, rational=True)  # pragma: no cover - tiny gaps


def _feasible_terms(cond: sympy.Basic, ps: tuple[sympy.Symbol, ...]) -> list[sympy.Basic]:
    """:func:`merged_terms` of `cond`, those certified empty (:func:`_feasible`) left out."""
    out = []
    for c in merged_terms(cond):
        if c is not sympy.true and len(ps) > 1:
            atoms = c.args if isinstance(c, sympy.And) else (c,)
            if _feasible(atoms, ps) is False:
                continue
        out.append(c)
    return out
