"""Sign conditions on rational functions of parameters: canonical relations and conjunctions.

Private to :mod:`theory`: :mod:`theory.regions` and :mod:`theory.parametric_stability` build their
regions from these.
"""

from __future__ import annotations

import sympy

__all__ = [
    "OPS",
    "ALL_SIGNS",
    "RELATIONS",
    "atom",
    "relation",
    "rel",
    "conjunction",
    "merged_terms",
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
        op = RELATIONS[type(a)]
        core, signs = atom(a.lhs - a.rhs, OPS[op])
        if core is None:
            if not signs:
                return sympy.false
            continue
        merged[core] = merged.get(core, ALL_SIGNS) & signs
        if not merged[core]:
            return sympy.false
    return sympy.And(*(relation(c, s) for c, s in merged.items()))


RELATIONS = {
    sympy.Lt: "<",
    sympy.Gt: ">",
    sympy.Le: "<=",
    sympy.Ge: ">=",
    sympy.Eq: "=",
    sympy.Ne: "!=",
}


def merged_terms(cond: sympy.Basic) -> list[sympy.Basic]:
    """The conjunctions of `cond`'s disjunctive normal form, each merged (:func:`conjunction`),
    the contradictory ones left out; repeated ones once."""
    if cond is sympy.false:
        return []
    dnf = sympy.to_dnf(cond) if cond is not sympy.true else sympy.true
    out: list[sympy.Basic] = []
    for term in dnf.args if isinstance(dnf, sympy.Or) else (dnf,):
        atoms = term.args if isinstance(term, sympy.And) else (term,)
        c = conjunction(atoms)
        if c is not sympy.false and c not in out:
            out.append(c)
    return out
