"""Evolutionary stability: ESS and neutral stability of a symmetric equilibrium, exactly.

Haigh's criterion: `x` is an ESS iff it is a symmetric Nash equilibrium and ``z.A z < 0`` for
every nonzero ``z = y - x`` with ``y`` a best reply to `x`; the cone of such `z` is handled by a
Schur complement over the alternative best replies outside the support.
"""

from __future__ import annotations

from typing import Any

import sympy
from numpy.typing import ArrayLike

from theory._numbers import sympy_value
from theory._stability import EIG_TOL, as_point, ess_form, leading_minors, sign
from theory.errors import TheoryError, UndecidedStability
from theory.games import payoff_matrix
from theory.typing import ExprsLike

__all__ = ["is_ess", "is_neutrally_stable"]


def _ess_forms(A: ArrayLike, x: ExprsLike, tol: float) -> tuple[Any, Any, int]:
    """The second-order form of the ESS test: ``Q`` over (free support directions, new best
    replies), and the number of free directions; raises if `x` is not a symmetric equilibrium."""
    M = payoff_matrix(A, square=True)
    n = M.shape[0]
    xs = as_point(x, n)
    Ms = sympy.Matrix(M.tolist())
    X = sympy.Matrix([sympy_value(v) if M.dtype == object else v for v in xs])
    f = Ms * X
    fbar = (X.T * f)[0]
    S = [i for i in range(n) if sign(xs[i], tol) != 0]
    gaps = [sympy.simplify(f[i] - fbar) for i in range(n)]
    signs = [sign(g, tol) if isinstance(g, sympy.Basic) else sign(float(g), tol) for g in gaps]
    if any(s > 0 for s in signs):
        j = signs.index(1)
        raise TheoryError(f"x = {xs} is not a symmetric equilibrium: strategy {j} does better")
    T = [i for i in range(n) if signs[i] == 0]
    return ess_form(Ms, S, T)


def is_ess(A: ArrayLike, x: ExprsLike, *, tol: float = EIG_TOL) -> bool:
    """Whether `x` is an evolutionarily stable strategy of the symmetric game `A`.

    `x` must be a symmetric Nash equilibrium, and ``z.A z < 0`` for every nonzero ``z = y - x``
    with ``y`` a best reply to `x` (Haigh's criterion: the form is negative definite on the
    support's directions, and its Schur complement negative on the cone of new best replies).

    Raises
    ------
    TheoryError
        If `x` is not a symmetric Nash equilibrium.
    UndecidedStability
        With three or more alternative best replies outside the support (not implemented), or
        symbolic payoffs whose sign is undecided.

    Examples
    --------
    >>> from fractions import Fraction
    >>> is_ess([[1, 0], [0, 1]], [1, 0])
    True
    >>> is_ess([[0, 1], [1, 0]], [Fraction(1, 2), Fraction(1, 2)])
    True
    >>> is_ess([[1, 0], [0, 1]], [Fraction(1, 2), Fraction(1, 2)])
    False
    """
    Q, nf, nd = _ess_forms(A, x, tol)
    if nd == 0:
        return True
    QF = -Q[:nf, :nf]
    if nf and any(sign(m, tol) <= 0 for m in leading_minors(QF)):
        return False
    if nd == nf:
        return True
    R = -Q[nf:, nf:]
    if nf:
        R = (R - Q[nf:, :nf] * QF.inv() * Q[:nf, nf:]).applyfunc(sympy.simplify)
    return _strictly_copositive(R, tol)


def _strictly_copositive(R: Any, tol: float) -> bool:
    """Strict copositivity of a symmetric 1x1 or 2x2 matrix (exact criterion)."""
    if R.shape[0] == 1:
        return sign(R[0, 0], tol) > 0
    if R.shape[0] == 2:
        a, b, c = R[0, 0], R[0, 1], R[1, 1]
        if sign(a, tol) <= 0 or sign(c, tol) <= 0:
            return False
        return sign(b, tol) >= 0 or sign(b * b - a * c, tol) < 0
    raise UndecidedStability(
        f"{R.shape[0]} alternative best replies outside the support: "
        "the copositivity test is not implemented"
    )


def is_neutrally_stable(A: ArrayLike, x: ExprsLike, *, tol: float = EIG_TOL) -> bool:
    """Whether `x` is a neutrally stable strategy: ``z.A z <= 0`` on the same cone as `is_ess`.

    Decided exactly when `x` has no alternative best replies outside its support (the form must
    be negative semi-definite on the support's directions).

    Raises
    ------
    TheoryError
        If `x` is not a symmetric Nash equilibrium.
    UndecidedStability
        If `x` has alternative best replies outside its support and the ESS test fails.

    Examples
    --------
    >>> from fractions import Fraction
    >>> is_neutrally_stable([[0, 0], [0, 0]], [Fraction(1, 2), Fraction(1, 2)])
    True
    """
    if is_ess(A, x, tol=tol):
        return True
    Q, nf, nd = _ess_forms(A, x, tol)
    if nd != nf:
        raise UndecidedStability("x has alternative best replies outside its support")
    eig = sympy.Matrix(-Q).eigenvals()
    return all(sign(sympy.re(v), tol) >= 0 for v in eig)
