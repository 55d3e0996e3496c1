"""Sign conditions on rational functions of parameters: canonical relations, conjunctions, and
an exact test of whether a conjunction in two parameters can hold (a cylindrical cell sample).

Private to :mod:`theory`: :mod:`theory.regions` and :mod:`theory.stability_regions` build their
regions from these.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import sympy

__all__ = [
    "OPS",
    "ALL_SIGNS",
    "atom",
    "relation",
    "rel",
    "conjunction",
    "feasible",
    "feasible_terms",
]

OPS: dict[str, frozenset[int]] = {
    "<": frozenset({-1}),
    "<=": frozenset({-1, 0}),
    "=": frozenset({0}),
    "!=": frozenset({-1, 1}),
    ">": frozenset({1}),
    ">=": frozenset({0, 1}),
}


def atom(expr: sympy.Expr, signs: frozenset[int]) -> tuple[sympy.Expr | None, frozenset[int]]:
    """``sign(expr) in signs`` in a canonical form ``(e, signs')``: factors of known sign (by
    the parameters' assumptions) dropped, the sign of `e` normalised; ``(None, ...)`` when the
    sign is known (then `signs'` is all signs if it holds, empty if not)."""
    e = sympy.factor(sympy.cancel(sympy.sympify(expr)))
    flip = 1
    keep = []
    for f in sympy.Mul.make_args(e):
        if f.is_positive:
            continue
        if f.is_negative:
            flip = -flip
            continue
        if f.is_zero:
            return None, ALL_SIGNS if 0 in signs else frozenset()
        keep.append(f)
    if not keep:
        return None, ALL_SIGNS if flip in signs else frozenset()
    core = sympy.Mul(*keep)
    if core.could_extract_minus_sign():
        core, flip = -core, -flip
    return core, frozenset(flip * s for s in signs)


ALL_SIGNS = frozenset({-1, 0, 1})


def relation(core: sympy.Expr, signs: frozenset[int]) -> sympy.Basic:
    """``sign(core) in signs`` as one sympy relation, a sum written with its negative terms on
    the right (``C > V`` for ``C - V > 0``)."""
    if signs == ALL_SIGNS:
        return sympy.true
    if not signs:
        return sympy.false
    op = {v: k for k, v in OPS.items()}[signs]
    return {
        "<": sympy.Lt,
        ">": sympy.Gt,
        "<=": sympy.Le,
        ">=": sympy.Ge,
        "=": sympy.Eq,
        "!=": sympy.Ne,
    }[op](*_sides(core), evaluate=False)


def _sides(core: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    if isinstance(core, sympy.Add):
        neg = [t for t in core.args if t.could_extract_minus_sign()]
        pos = [t for t in core.args if not t.could_extract_minus_sign()]
        if pos and neg:
            return sympy.Add(*pos), -sympy.Add(*neg)
    return core, sympy.Integer(0)


def rel(expr: sympy.Expr, op: str) -> sympy.Basic:
    """``expr op 0`` in canonical form (see :func:`atom`); ``true``/``false`` when known."""
    core, signs = atom(expr, OPS[op])
    if core is None:
        return sympy.true if signs else sympy.false
    return relation(core, signs)


def conjunction(atoms: tuple[sympy.Basic, ...]) -> sympy.Basic:
    """A conjunction of relations with the relations on one expression merged: ``false`` when
    two contradict, each expression once."""
    merged: dict[sympy.Expr, frozenset[int]] = {}
    for a in atoms:
        if a is sympy.true:
            continue
        if a is sympy.false:
            return sympy.false
        op = _RELATIONS[type(a)]
        core, signs = atom(a.lhs - a.rhs, OPS[op])
        if core is None:
            if not signs:
                return sympy.false
            continue
        merged[core] = merged.get(core, ALL_SIGNS) & signs
        if not merged[core]:
            return sympy.false
    return sympy.And(*(relation(c, s) for c, s in merged.items()))


_RELATIONS = {
    sympy.Lt: "<",
    sympy.Gt: ">",
    sympy.Le: "<=",
    sympy.Ge: ">=",
    sympy.Eq: "=",
    sympy.Ne: "!=",
}


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


def feasible(atoms: tuple[sympy.Basic, ...], ps: tuple[sympy.Symbol, ...]) -> bool | None:
    """Whether the conjunction of `atoms` holds at some point of the parameters' domains.

    Exact for two parameters ``(p, q)`` and rational-function atoms: the values of `p` where the
    atoms' polynomials change their real roots in `q` (roots of the coefficients, discriminants
    and pairwise resultants in `q`: McCallum's projection of square-free factors) cut the `p`
    axis into cells; over a rational point of each open cell, and at each rational critical
    value, the set in `q` is decided exactly (:func:`theory.regions.region_of`). True: a point
    was found; False: no cell holds one; None: not decided (more than two parameters, atoms that
    are not rational functions, or an irrational critical value where only a curve might lie).
    """
    from theory.regions import parameter_domain, region_of

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
    from theory.regions import parameter_domain

    p, q = ps
    fs = []
    for a in atoms:
        num, den = sympy.fraction(sympy.together(a.lhs - a.rhs))
        fs.append((sympy.Poly(num, *ps), sympy.Poly(den, *ps), _RELATIONS[type(a)]))
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


def feasible_terms(cond: sympy.Basic, ps: tuple[sympy.Symbol, ...]) -> list[sympy.Basic]:
    """The conjunctions of `cond`'s disjunctive normal form, each merged (:func:`conjunction`),
    those certified empty (:func:`feasible`) or contradictory left out; repeated ones once."""
    if cond is sympy.false:
        return []
    dnf = sympy.to_dnf(cond) if cond is not sympy.true else sympy.true
    out: list[sympy.Basic] = []
    for term in dnf.args if isinstance(dnf, sympy.Or) else (dnf,):
        atoms = term.args if isinstance(term, sympy.And) else (term,)
        c = conjunction(atoms)
        if c is sympy.false or c in out:
            continue
        if c is not sympy.true and len(ps) > 1:
            merged = c.args if isinstance(c, sympy.And) else (c,)
            if feasible(merged, ps) is False:
                continue
        out.append(c)
    return out
