"""Stability of the replicator equation's rest points in the four-agent game (seed 001).

The table of every rest point with its exact tangent-Jacobian eigenvalues as functions of ε, its
type and ESS status at ε = 1/10; row X-EQ-01 checks the exact eigenvalues against numpy's
eigenvalues of a finite-difference Jacobian (an independent numerical computation).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from dynamics.flows import numeric_jacobian
from modal import SEED_AGENTS
from numpol.experiments.equilibria import EPS, mixture_label
from numpol.experiments.evolution_verdicts import SLOW_SPIRAL
from numpol.registry import Claim, Experiment, Result, SeedHolds, Table
from theory.ess import is_ess
from theory.modal_game import modal_game
from theory.regions import format_region
from theory.stability import classify_rest_point, replicator_jacobian, replicator_rest_points

__all__ = ["EXPERIMENTS", "stated_spiral_verdict"]


def stated_spiral_verdict(eigenvalues: Any, stated: Any, face: Any) -> SeedHolds:
    """X-EQ-01's verdict: the exact eigenvalues are the stated ones, and the face pair spirals
    slowly outward.

    Parameters
    ----------
    eigenvalues, stated : sequence of sympy numbers
        The exact eigenvalues at the good equilibrium and those the row states (as multisets).
    face : sequence of sympy numbers
        The eigenvalues within the C–F–P face.

    Returns
    -------
    {"yes", "no"}
        ``yes`` iff the two multisets are equal exactly and some face eigenvalue λ has
        0 < Re λ < ``SLOW_SPIRAL`` · abs(Im λ)
        (see :data:`numpol.experiments.evolution_verdicts.SLOW_SPIRAL`).

    Examples
    --------
    >>> import sympy
    >>> lam = sympy.Rational(1, 400) + sympy.I / 10
    >>> stated_spiral_verdict([lam, -1], [-1, lam], [lam])
    'yes'
    >>> stated_spiral_verdict([lam, -1], [-1, lam.conjugate()], [lam])
    'no'
    """
    ex, st = [sympy.sympify(v) for v in eigenvalues], [sympy.sympify(v) for v in stated]
    unmatched = list(st)
    for v in ex:
        hit = next((w for w in unmatched if sympy.simplify(v - w) == 0), None)
        if hit is None:
            return "no"
        unmatched.remove(hit)
    slow = any(
        bool(sympy.im(v) != 0) and bool(0 < sympy.re(v) < SLOW_SPIRAL * abs(sympy.im(v)))
        for v in map(sympy.sympify, face)
    )
    return "yes" if not unmatched and slow else "no"


def _run_stability(rng: np.random.Generator) -> Result:
    A = modal_game(SEED_AGENTS, EPS)
    rps = replicator_rest_points(A, params=EPS)
    at = Fraction(1, 10)
    Ar = modal_game(SEED_AGENTS, at)
    rows = []
    max_err = 0.0
    for p in rps:
        ev_txt = _eigen_text(A, p.x)
        xr = [sympy.sympify(v).subs(EPS, sympy.Rational(1, 10)) for v in p.x]
        if (sympy.Rational(1, 10) in p.region) and all(v >= 0 for v in xr):
            xq = [Fraction(str(v)) for v in xr]
            s = classify_rest_point(Ar, xq)
            kind = f"{s.kind} (face: {s.face_kind})"
            try:
                ess = "ESS" if is_ess(Ar, xq) else "not ESS"
            except ValueError:
                ess = "not an equilibrium"
            # independent check: numpy eigenvalues of a finite-difference Jacobian
            max_err = max(max_err, _fd_check(Ar, xq, s.eigenvalues))
        else:
            kind, ess = "not in the simplex at ε = 1/10", ""
        rows.append(
            (
                mixture_label(p.x),
                format_region(p.region),
                ev_txt,
                kind,
                ess,
            )
        )
    # finite-difference step 1e-6: error O(h^2) ~ 1e-12 on eigenvalues of size >= 1e-2
    fd_tol = 1e-6
    # the row's statement, at ε = 1/10: the eigenvalues 3ε − 1 and ε(ε ± √(ε² + 24ε − 16))/4
    e = sympy.Rational(1, 10)
    root = sympy.sqrt(e**2 + 24 * e - 16)
    stated = [3 * e - 1, e * (e + root) / 4, e * (e - root) / 4]
    good = classify_rest_point(Ar, (0, at, 1 - 3 * at / 2, at / 2))
    claim = Claim(
        "X-EQ-01",
        "the good equilibrium spirals outward slowly: eigenvalues 3ε−1 and ε(ε ± √(ε²+24ε−16))/4",
        "exact tangent-Jacobian eigenvalues at every rest point (table); at the good one the "
        "face pair has real part ε²/4 > 0 and imaginary part ≈ ±ε for ε < 4√10 − 12",
        f"numpy eigenvalues of central-difference Jacobians at ε = 1/10: max error {max_err:.1e}",
        max_err < fd_tol,
        stated_spiral_verdict(good.eigenvalues, stated, good.face_eigenvalues),
        f"finite-difference tolerance {fd_tol}; the good equilibrium is a saddle of the whole "
        "simplex for ε < 1/3 (DefectBot's invasion rate 3ε − 1 < 0) and an unstable spiral in "
        "the C-F-P face. Verdict (exact, ε = 1/10): yes iff its exact eigenvalues are the "
        "stated ones and the face pair has 0 < Re λ < "
        f"{SLOW_SPIRAL:.3f} |Im λ| (slow: the amplitude less than doubles per turn)",
    )
    return Result(
        claims=(claim,),
        tables=(
            Table(
                "Rest points of the replicator equation, exact tangent-Jacobian eigenvalues "
                "(coordinates D, C, F), classification and ESS at ε = 1/10",
                ("rest point", "exists for ε in", "eigenvalues", "type at ε = 1/10", "ESS"),
                tuple(rows),
            ),
        ),
    )


def _eigen_text(A: np.ndarray, x: Any) -> str:
    """Exact eigenvalues of the tangent Jacobian: explicit for factors of degree <= 2 of the
    characteristic polynomial, "roots of ..." for irreducible higher-degree factors."""
    lam = sympy.Symbol("λ")
    J = sympy.Matrix(replicator_jacobian(A, x).tolist())
    poly = sympy.factor(J.charpoly(lam).as_expr())
    parts = []
    for fac, mult in sympy.factor_list(poly)[1]:
        deg = sympy.degree(fac, lam)
        if deg <= 2:
            vals = [sympy.factor(r) for r in sympy.solve(fac, lam)]
            parts += [str(v) for v in vals] * int(mult)
        else:
            parts.append(f"roots of {sympy.collect(sympy.expand(fac), lam)}")
    return ", ".join(parts)


def _fd_check(Ar: np.ndarray, x: list[Fraction], exact_ev: tuple[Any, ...]) -> float:
    """Largest distance between numpy's eigenvalues of the central-difference Jacobian
    (:func:`dynamics.flows.numeric_jacobian`, tangent coordinates) and the exact ones."""
    J = numeric_jacobian(Ar.astype(float), [float(v) for v in x], step=1e-6)
    num = np.sort_complex(np.linalg.eigvals(J))
    ex = np.sort_complex(np.array([complex(sympy.N(v)) for v in exact_ev]))
    return float(np.abs(num - ex).max())


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment(
        "equilibria-stability",
        "Replicator rest points: exact eigenvalues and classification (X-EQ-01)",
        _run_stability,
    ),
)
