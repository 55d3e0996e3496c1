"""Stability as a function of parameters: where a rest point is a sink, a saddle, a spiral, an ESS.

For a rest point ``x`` of the replicator equation given by expressions in the parameters, the
tangent Jacobian's eigenvalues are those of the face spanned by the support (the sub-game's
Jacobian) and the invasion rates ``(A x)_j - x.A x`` of the strategies outside it (the
Jacobian is block triangular). The face's characteristic polynomial is read by the
Routh–Hurwitz conditions (all roots in the left half plane), the same conditions on
``p(-λ)`` (all in the right half plane), its discriminant (complex roots: a spiral), its constant
term (a zero root) and Orlando's Hurwitz determinant (a pair ``±iω``: a centre). Each kind is then
a finite union of sign conditions on rational functions of the parameters: exact sympy sets for
one parameter (:func:`theory.regions.region_of`), a semialgebraic condition for several.

Decided exactly: faces of up to four strategies (characteristic polynomials of degree ≤ 3) and ESS
with up to two alternative best replies. Beyond that the parts that the conditions leave open
are returned in ``StabilityRegions.undecided`` with the reason, never guessed.

Examples
--------
>>> a = sympy.Symbol("a", positive=True)
>>> rps = [[0, -1, a], [a, 0, -1], [-1, a, 0]]
>>> third = sympy.Rational(1, 3)
>>> sr = stability_regions(rps, [third, third, third])
>>> str(sr.kinds["stable spiral"]), str(sr.kinds["centre"]), str(sr.kinds["unstable spiral"])
('(1, ∞)', '{1}', '(0, 1)')
>>> str(sr.ess), sr.kind_at({"a": 2})
('(1, ∞)', 'stable spiral')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from types import MappingProxyType
from typing import Any

import numpy as np
import sympy
from numpy.typing import ArrayLike

from theory._semialgebraic import merged_terms, rel
from theory._stability import as_point, ess_form, leading_minors
from theory.errors import DomainError, GameParameterError, TheoryError, UndecidedStability
from theory.games import parameter_values, payoff_matrix
from theory.regions import Region, free_parameters, region_of
from theory.stability import replicator_jacobian
from theory.typing import ExprsLike, Params

__all__ = [
    "REST_POINT_KINDS",
    "UndecidedRegion",
    "StabilityRegions",
    "stability_regions",
    "hurwitz_determinants",
]

#: The kinds of rest point, as :func:`theory.stability.classify_eigenvalues` names them.
REST_POINT_KINDS = (
    "sink",
    "stable spiral",
    "source",
    "unstable spiral",
    "saddle",
    "centre",
    "non-hyperbolic",
)


@dataclass(frozen=True)
class UndecidedRegion:
    """Parameter values where a question was not decided exactly, and why.

    `question` is ``"kind"``, ``"face kind"`` or ``"ESS"``.
    """

    question: str
    region: Region
    reason: str


@dataclass(frozen=True)
class StabilityRegions:
    """Where a parametrised rest point is of each kind, and where it is an ESS.

    Attributes
    ----------
    x : tuple of sympy.Expr
        The rest point, as expressions in `params`.
    support : tuple of int
        The strategies with a weight that is not identically zero.
    params : tuple of sympy.Symbol
        The parameters.
    domain : Region
        Where `x` is a rest point with this support: every weight on the support positive, each
        parameter in its domain (:func:`theory.regions.parameter_domain`).
    kinds : mapping of str to Region
        For each of :data:`REST_POINT_KINDS`, where the rest point is of that kind on the
        whole simplex (within `domain`; disjoint).
    face_kinds : mapping of str to Region
        The same for the dynamics within the support's face (empty regions for a vertex).
    ess : Region
        Where `x` is an evolutionarily stable strategy (Haigh's criterion, within `domain`).
    undecided : tuple of UndecidedRegion
        Parts of `domain` where a question was left open, each with the reason.
    face_polynomial : sympy.Expr
        The characteristic polynomial of the face's tangent Jacobian, in the symbol `lam`.
    lam : sympy.Symbol
        Its variable.
    transversal : tuple of sympy.Expr
        The invasion rates of the strategies outside the support (the other eigenvalues).
    """

    x: tuple[sympy.Expr, ...]
    support: tuple[int, ...]
    params: tuple[sympy.Symbol, ...]
    domain: Region
    kinds: Mapping[str, Region]
    face_kinds: Mapping[str, Region]
    ess: Region
    undecided: tuple[UndecidedRegion, ...]
    face_polynomial: sympy.Expr
    lam: sympy.Symbol
    transversal: tuple[sympy.Expr, ...]

    def _point(self, values: Mapping[Any, Any] | object) -> dict[sympy.Symbol, sympy.Expr]:
        """Values checked by :func:`theory.games.parameter_values` (a bare number for one
        parameter), floats at their exact binary value, inside `domain`."""
        if not isinstance(values, Mapping):
            if len(self.params) != 1:
                raise GameParameterError(
                    f"values must map each of the parameters {', '.join(map(str, self.params))}"
                    f" to a number, got {values!r}"
                )
            values = {self.params[0]: values}
        given = parameter_values(self.params, values)
        point = {  # in the parameters' order
            k: sympy.Rational(Fraction(float(given[k]))) if given[k].is_Float else given[k]
            for k in self.params
        }
        if point not in self.domain:
            raise DomainError(f"the values {_show(point)} are outside the domain {self.domain}")
        return point

    def _lookup(self, regions: Mapping[str, Region], question: str, values: object) -> str:
        point = self._point(values)
        for kind, region in regions.items():
            if point in region:
                return kind
        for u in self.undecided:
            if u.question == question and point in u.region:
                raise UndecidedStability(
                    f"the {question} at {_show(point)} is undecided: {u.reason}"
                )
        raise UndecidedStability(f"no {question} holds at {_show(point)}")  # pragma: no cover

    def kind_at(self, values: Mapping[Any, Any] | object) -> str:
        """The kind of the rest point at parameter values (a mapping by symbol or name; a bare
        number for one parameter).

        Raises
        ------
        GameParameterError
            If a parameter is missing, unknown, given a non-number or a value outside its
            domain (:func:`theory.games.parameter_values`), naming the symbol.
        DomainError
            If the values are outside `domain` (the rest point does not exist there).
        UndecidedStability
            If the values lie in an undecided region.
        """
        return self._lookup(self.kinds, "kind", values)

    def face_kind_at(self, values: Mapping[Any, Any] | object) -> str:
        """The kind within the support's face at parameter values (see :meth:`kind_at`)."""
        return self._lookup(self.face_kinds, "face kind", values)

    def is_ess_at(self, values: Mapping[Any, Any] | object) -> bool:
        """Whether the rest point is an ESS at parameter values (see :meth:`kind_at`)."""
        point = self._point(values)
        if point in self.ess:
            return True
        for u in self.undecided:
            if u.question == "ESS" and point in u.region:
                raise UndecidedStability(f"the ESS at {_show(point)} is undecided: {u.reason}")
        return False


def _show(point: Mapping[sympy.Symbol, sympy.Expr]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in point.items())


def hurwitz_determinants(coefficients: ExprsLike) -> tuple[sympy.Expr, ...]:
    """The Hurwitz determinants ``Δ_1 … Δ_d`` of ``λ^d + a_1 λ^(d-1) + … + a_d``.

    All roots have negative real parts iff every ``Δ_k > 0`` (Routh–Hurwitz). By Orlando's
    formula ``Δ_(d-1)`` vanishes iff two roots sum to zero (a pair ``±iω`` among them).

    Parameters
    ----------
    coefficients : sequence
        ``a_1, ..., a_d`` (the monic polynomial's lower coefficients).

    Examples
    --------
    >>> a, b = sympy.symbols("a b")
    >>> hurwitz_determinants([a, b])
    (a, a*b)
    """
    a = [sympy.Integer(1), *(sympy.sympify(c) for c in coefficients)]
    d = len(a) - 1

    def coef(k: int) -> sympy.Expr:
        return a[k] if 0 <= k <= d else sympy.Integer(0)

    H = sympy.Matrix(d, d, lambda i, j: coef(2 * (j + 1) - (i + 1)))
    return tuple(sympy.factor(H[:k, :k].det(method="berkowitz")) for k in range(1, d + 1))


def _face_conditions(
    coeffs: list[sympy.Expr],
) -> tuple[dict[str, sympy.Basic], sympy.Basic, str | None]:
    """Conditions for each kind of a face with monic characteristic polynomial
    ``λ^d + coeffs[0] λ^(d-1) + ... + coeffs[d-1]``; the condition left undecided, and why.

    Keys: the kinds, and "empty" for d = 0. Unlisted kinds never occur.
    """
    d = len(coeffs)
    if d == 0:
        return {"empty": sympy.true}, sympy.false, None
    if d == 1:
        lam = -coeffs[0]
        return (
            {"sink": rel(lam, "<"), "source": rel(lam, ">"), "non-hyperbolic": rel(lam, "=")},
            sympy.false,
            None,
        )
    if d == 2:
        T, D = -coeffs[0], coeffs[1]
        disc = T**2 - 4 * D
        return (
            {
                "sink": sympy.And(rel(T, "<"), rel(D, ">"), rel(disc, ">=")),
                "stable spiral": sympy.And(rel(T, "<"), rel(disc, "<")),
                "source": sympy.And(rel(T, ">"), rel(D, ">"), rel(disc, ">=")),
                "unstable spiral": sympy.And(rel(T, ">"), rel(disc, "<")),
                "saddle": rel(D, "<"),
                "centre": sympy.And(rel(T, "="), rel(D, ">")),
                "non-hyperbolic": rel(D, "="),
            },
            sympy.false,
            None,
        )
    a = coeffs
    stable = sympy.And(*(rel(h, ">") for h in hurwitz_determinants(a)))
    flipped = [(-1) ** (k + 1) * c for k, c in enumerate(a)]  # (-1)^d p(-λ), monic
    unstable = sympy.And(*(rel(h, ">") for h in hurwitz_determinants(flipped)))
    orlando = hurwitz_determinants(a)[-2]
    if d == 3:
        a1, a2, a3 = a
        disc = _cubic_discriminant(a1, a2, a3)
        zero_pair = sympy.And(rel(orlando, "="), rel(a2, ">"))  # λ = ±i√a2
        return (
            {
                "sink": sympy.And(stable, rel(disc, ">=")),
                "stable spiral": sympy.And(stable, rel(disc, "<")),
                "source": sympy.And(unstable, rel(disc, ">=")),
                "unstable spiral": sympy.And(unstable, rel(disc, "<")),
                "non-hyperbolic": sympy.Or(rel(a3, "="), zero_pair),
                "saddle": sympy.And(
                    rel(a3, "!="), sympy.Not(zero_pair), sympy.Not(stable), sympy.Not(unstable)
                ),
            },
            sympy.false,
            None,
        )
    # d >= 4: stable/unstable by Routh–Hurwitz; node or spiral, and saddles next to a root pair
    # ±r, are not decided.
    hyperbolic_sure = sympy.And(rel(a[-1], "!="), rel(orlando, "!="))
    decided = {
        "non-hyperbolic": rel(a[-1], "="),
        "saddle": sympy.And(hyperbolic_sure, sympy.Not(stable), sympy.Not(unstable)),
    }
    undecided = sympy.Or(stable, unstable, sympy.And(rel(a[-1], "!="), rel(orlando, "=")))
    reason = (
        f"a face of {d + 1} strategies: Routh–Hurwitz decides stable or unstable, but whether "
        "the eigenvalues are complex (node or spiral), and the kind where two eigenvalues sum "
        "to zero, are only decided for faces of up to four strategies"
    )
    return decided, undecided, reason


def _cubic_discriminant(b: sympy.Expr, c: sympy.Expr, d: sympy.Expr) -> sympy.Expr:
    """Discriminant of ``λ³ + b λ² + c λ + d``: < 0 iff a pair of complex roots."""
    return sympy.factor(
        sympy.cancel(b**2 * c**2 - 4 * c**3 - 4 * b**3 * d - 27 * d**2 + 18 * b * c * d)
    )


class _Regions:
    """Turns conditions into Regions within a domain: exact sets for one parameter (each
    conjunct of the condition's disjunctive normal form by :func:`region_of`), the condition
    itself for several."""

    def __init__(self, ps: tuple[sympy.Symbol, ...], domain: list[sympy.Basic]) -> None:
        self.ps = ps
        self.domain_conds = domain
        self.domain = self.region(sympy.true)

    def region(self, cond: sympy.Basic) -> Region:
        cond = sympy.sympify(cond)
        if len(self.ps) != 1:  # empty conjunctions certified and left out by region_of
            return region_of([sympy.And(*self.domain_conds, cond)], self.ps)
        p = self.ps[0]
        out: sympy.Set = sympy.S.EmptySet
        for term in self.terms(cond):
            conds = list(term.args) if isinstance(term, sympy.And) else [term]
            out = out.union(region_of(conds, [p]).as_set())
        return Region.from_set(p, out)

    def terms(self, cond: sympy.Basic) -> list[sympy.Basic]:
        """The merged conjunctions of `cond`'s disjunctive normal form within the domain."""
        return merged_terms(sympy.And(*self.domain_conds, cond))

    def rest(self, taken: list[Region]) -> Region:
        """The domain minus the union of `taken`."""
        if len(self.ps) == 1:
            s = self.domain.as_set()
            for r in taken:
                s = s - r.as_set()
            return Region.from_set(self.ps[0], s)
        return self.region(sympy.Not(sympy.Or(*(r.condition for r in taken))))


def stability_regions(A: ArrayLike, x: ExprsLike, *, params: Params = None) -> StabilityRegions:
    """Where the rest point `x` of the replicator equation is a sink, saddle, spiral…, and an ESS.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Payoffs of the symmetric game, exact or sympy expressions in the parameters.
    x : sequence of length n
        A rest point as expressions in the parameters (a rest point for every parameter value;
        a weight identically zero puts the strategy outside the support), e.g. a
        :class:`~theory.stability.RestPoint`'s `x` or a
        :class:`~theory.equilibria.symbolic.SymbolicEquilibrium`'s.
    params : Symbol or sequence of Symbol, optional
        The parameters (default: every free symbol of `A` and `x`). Their sign assumptions
        (``positive=True``) are their domains.

    Returns
    -------
    StabilityRegions
        One :class:`~theory.regions.Region` per kind (on the simplex and in the face), where it
        is an ESS, and what was left undecided, with the reason.

    Raises
    ------
    TheoryError
        If `x` is not a rest point for every parameter value, or `A` holds floats.

    Examples
    --------
    >>> V, C = sympy.symbols("V C", positive=True)
    >>> hawk_dove = [[(V - C) / 2, V], [0, V / 2]]
    >>> sr = stability_regions(hawk_dove, [V / C, 1 - V / C])
    >>> sr.kind_at({V: 1, C: 3}), sr.is_ess_at({"V": 2, "C": 5})
    ('sink', True)
    >>> sr.kind_at({V: 3, C: 1})
    Traceback (most recent call last):
    ...
    theory.errors.DomainError: the values C = 1, V = 3 are outside the domain C > V
    """
    M = payoff_matrix(A, square=True)
    if M.dtype != object:
        raise TheoryError(
            "stability_regions needs exact or symbolic payoffs A (floats have no regions; "
            "classify_rest_point classifies a float rest point)"
        )
    n = M.shape[0]
    xs = [sympy.sympify(v) for v in as_point(x, n)]
    Ms = sympy.Matrix(n, n, lambda i, j: sympy.sympify(M[i, j]))
    if params is None:
        free: set[sympy.Symbol] = set(Ms.free_symbols)
        for v in xs:
            free |= v.free_symbols
        ps = tuple(sorted(free, key=str))
    else:
        ps = free_parameters(M, params=params)
    extra = (set(Ms.free_symbols).union(*(v.free_symbols for v in xs))) - set(ps)
    if extra:
        raise TheoryError(
            f"A and x hold the symbols {', '.join(sorted(map(str, extra)))}, "
            f"which are not among params {', '.join(map(str, ps))}"
        )
    if not ps:
        raise TheoryError(
            "A and x have no parameters: classify_rest_point(A, x) and is_ess(A, x) decide them"
        )
    S = [i for i in range(n) if sympy.simplify(xs[i]) != 0]
    xs = [sympy.factor(sympy.cancel(v)) if i in S else sympy.Integer(0) for i, v in enumerate(xs)]
    if not S or sympy.simplify(sum(xs) - 1) != 0:
        raise TheoryError(f"x = {xs} must be a mixed strategy: its weights sum to 1")
    f = [sympy.cancel(sum((Ms[i, j] * xs[j] for j in S), start=sympy.Integer(0))) for i in range(n)]
    fbar = sympy.cancel(sum((xs[i] * f[i] for i in S), start=sympy.Integer(0)))
    for i in S:
        if sympy.simplify(f[i] - fbar) != 0:
            raise TheoryError(
                f"x = {xs} is not a rest point for every value of {', '.join(map(str, ps))}: "
                f"strategy {i} earns {sympy.factor(f[i] - fbar)} more than the average"
            )
    transversal = tuple(sympy.factor(sympy.cancel(f[j] - fbar)) for j in range(n) if j not in S)
    R = _Regions(ps, [rel(xs[i], ">") for i in S])
    lam = sympy.Symbol("lam")
    if len(S) > 1:
        sub = np.array([[M[i, j] for j in S] for i in S], dtype=object)
        J = sympy.Matrix(replicator_jacobian(sub, [xs[i] for i in S]).tolist())
        poly = sympy.Poly(J.charpoly(lam).as_expr(), lam)
        coeffs = [sympy.factor(sympy.cancel(c)) for c in poly.all_coeffs()[1:]]
        face_poly = sympy.Poly([1, *coeffs], lam).as_expr()
    else:
        coeffs, face_poly = [], sympy.Integer(1)
    face, face_open, reason = _face_conditions(coeffs)
    undecided: list[UndecidedRegion] = []

    face_kinds = {k: R.region(face.get(k, sympy.false)) for k in REST_POINT_KINDS}
    if reason is not None:
        undecided.append(UndecidedRegion("face kind", R.region(face_open), reason))
    kinds = _combine(face, transversal, R)
    if reason is not None:
        taken = [r for r in kinds.values()]
        undecided.append(UndecidedRegion("kind", R.rest(taken), reason))
    ess, ess_open = _ess(Ms, xs, S, transversal, R)
    undecided.extend(ess_open)
    return StabilityRegions(
        tuple(xs),
        tuple(S),
        ps,
        R.domain,
        MappingProxyType(kinds),
        MappingProxyType(face_kinds),
        ess,
        tuple(u for u in undecided if not u.region.is_empty),
        face_poly,
        lam,
        transversal,
    )


def _combine(
    face: dict[str, sympy.Basic], transversal: tuple[sympy.Expr, ...], R: _Regions
) -> dict[str, Region]:
    """The kinds on the whole simplex from the face's kinds and the invasion rates' signs
    (as :func:`theory.stability.classify_eigenvalues` names them)."""
    F = lambda k: face.get(k, sympy.false)  # noqa: E731
    empty = face.get("empty", sympy.false)
    neg = sympy.And(*(rel(t, "<") for t in transversal))
    pos = sympy.And(*(rel(t, ">") for t in transversal))
    zero = sympy.Or(*(rel(t, "=") for t in transversal))
    conds: dict[str, sympy.Basic] = {
        "sink": sympy.And(sympy.Or(F("sink"), empty), neg),
        "stable spiral": sympy.And(F("stable spiral"), neg),
        "source": sympy.And(sympy.Or(F("source"), empty), pos),
        "unstable spiral": sympy.And(F("unstable spiral"), pos),
        "centre": F("centre") if not transversal else sympy.false,
        "non-hyperbolic": sympy.Or(
            F("non-hyperbolic"), zero, F("centre") if transversal else sympy.false
        ),
    }
    if not transversal and "empty" in face:  # a one-strategy game: nothing moves
        conds = {k: sympy.false for k in conds}
        conds["sink"] = sympy.true
    out = {k: R.region(c) for k, c in conds.items()}
    # a saddle: some eigenvalue of each sign, none on the axis
    mixed = sympy.Or(
        F("saddle"),
        sympy.And(
            sympy.Or(F("sink"), F("stable spiral")), sympy.Or(*(rel(t, ">") for t in transversal))
        ),
        sympy.And(
            sympy.Or(F("source"), F("unstable spiral")),
            sympy.Or(*(rel(t, "<") for t in transversal)),
        ),
        sympy.Or(
            *(
                sympy.And(rel(s, "<"), rel(t, ">"))
                for i, s in enumerate(transversal)
                for j, t in enumerate(transversal)
                if i != j
            )
        ),
    )
    hyperbolic_face = sympy.Or(
        *(F(k) for k in REST_POINT_KINDS if k not in ("non-hyperbolic", "centre")), empty
    )
    out["saddle"] = R.region(sympy.And(mixed, sympy.Not(zero), hyperbolic_face))
    return {k: out[k] for k in REST_POINT_KINDS}


def _ess(
    Ms: Any,  # Any: the sympy payoff Matrix
    xs: list[sympy.Expr],
    S: list[int],
    transversal: tuple[sympy.Expr, ...],
    R: _Regions,
) -> tuple[Region, list[UndecidedRegion]]:
    """Where `x` is an ESS (Haigh's criterion), case by case over which strategies outside the
    support are alternative best replies; the cases with three or more are undecided."""
    n = Ms.shape[0]
    outside = [j for j in range(n) if j not in S]
    yes: list[sympy.Basic] = []
    undecided: list[UndecidedRegion] = []
    for k in range(len(outside) + 1):
        for T in combinations(range(len(outside)), k):
            case = sympy.And(
                *(rel(transversal[t], "=" if t in T else "<") for t in range(len(outside)))
            )
            if case is sympy.false:
                continue
            ties = [outside[t] for t in T]
            if len(ties) > 2:
                undecided.append(
                    UndecidedRegion(
                        "ESS",
                        R.region(case),
                        f"{len(ties)} alternative best replies outside the support: the "
                        "copositivity test is only exact for up to two",
                    )
                )
                continue
            Q, nf, nd = ess_form(Ms, S, ties)
            if nd == 0:
                yes.append(case)
                continue
            QF = -Q[:nf, :nf]
            definite = sympy.And(*(rel(m, ">") for m in leading_minors(QF))) if nf else sympy.true
            if nd == nf:
                yes.append(sympy.And(case, definite))
                continue
            Rm = -Q[nf:, nf:]
            if nf:
                Rm = (Rm - Q[nf:, :nf] * QF.inv() * Q[:nf, nf:]).applyfunc(sympy.cancel)
            if Rm.shape[0] == 1:
                cop = rel(Rm[0, 0], ">")
            else:
                a, b, c = Rm[0, 0], Rm[0, 1], Rm[1, 1]
                cop = sympy.And(
                    rel(a, ">"), rel(c, ">"), sympy.Or(rel(b, ">="), rel(b * b - a * c, "<"))
                )
            yes.append(sympy.And(case, definite, cop))
    return R.region(sympy.Or(*yes)), undecided
