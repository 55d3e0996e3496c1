"""Linear programs, exact over the rationals where the data are rational.

One solver for the zero-sum (:mod:`theory.zero_sum`) and correlated-equilibrium
(:mod:`theory.correlated`) problems::

    maximise  c . z   subject to   A_ub z <= b_ub,   A_eq z = b_eq,   z >= 0.

- Rational data (``int``, ``Fraction``, sympy rationals): a two-phase dense simplex over
  ``Fraction`` with Bland's rule (so degenerate programs cannot cycle). The optimum is then
  *certified*: the dual solution is read off the final tableau and checked exactly for dual
  feasibility and a zero duality gap, so an exact answer is a proof of optimality, not a claim.
- Float data: scipy's HiGHS, followed by the same check in floats, with a tolerance relative to
  the data's scale (:data:`LP_RTOL`).

An empty feasible set raises :class:`~theory.errors.InfeasibleProgram` and an unbounded
objective :class:`~theory.errors.UnboundedProgram`; degenerate programs (ties in the ratio test,
redundant equalities) are solved like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeAlias

import numpy as np
import sympy
from numpy.typing import ArrayLike

from theory.errors import (
    InfeasibleProgram,
    PayoffValueError,
    ShapeError,
    TheoryError,
    UnboundedProgram,
)
from theory.games import is_symbolic, payoff_matrix
from theory.typing import MatrixLike

__all__ = ["LP_RTOL", "LinearProgramSolution", "linear_program"]

#: One row of numbers: ints, ``Fraction``, floats, sympy rationals or decimal text.
VectorLike: TypeAlias = ArrayLike | Sequence[object]

#: Float programs: residuals and the duality gap may reach this times the data's largest entry
#: (HiGHS's default feasibility/optimality tolerances are 1e-7, relative to unit-scaled data).
LP_RTOL = 1e-6


@dataclass(frozen=True)
class LinearProgramSolution:
    """An optimal solution of :func:`linear_program` and its certificate.

    Attributes
    ----------
    x : tuple
        An optimal point (``Fraction`` entries when exact, ``float`` otherwise).
    value : Fraction or float
        The optimal value of the objective.
    dual_ub, dual_eq : tuple
        Optimal dual multipliers of the inequality (all >= 0) and equality rows; the dual
        objective ``b_ub . dual_ub + b_eq . dual_eq`` equals `value`.
    exact : bool
        True if solved and certified in exact rational arithmetic.
    """

    x: tuple[Any, ...]  # Any: Fraction when exact, float otherwise
    value: Any  # Any: Fraction when exact, float otherwise
    dual_ub: tuple[Any, ...]  # Any: as x
    dual_eq: tuple[Any, ...]  # Any: as x
    exact: bool


def _data(M: Any, name: str, cols: int | None) -> np.ndarray:
    """A validated 2-D array (object with Fractions, or float64); rows may be zero."""
    arr = np.asarray(M, dtype=object) if not isinstance(M, np.ndarray) else M
    if arr.size == 0:
        return np.zeros((0, cols or 0), dtype=object)
    P = payoff_matrix(arr, name=name)
    if is_symbolic(P):
        raise PayoffValueError(f"{name} has symbolic entries; a linear program needs numbers")
    if P.dtype == object:
        P = np.array([_fraction(v) for v in P.flat], dtype=object).reshape(P.shape)
    if cols is not None and P.shape[1] != cols:
        raise ShapeError(f"{name} has {P.shape[1]} columns, the objective has {cols} entries")
    return P


def _fraction(v: Any) -> Fraction:
    if isinstance(v, sympy.Basic):
        r = sympy.Rational(v)
        return Fraction(int(r.p), int(r.q))
    return Fraction(v)


def _vector(b: Any, name: str, size: int) -> np.ndarray:
    if b is None:
        if size:
            raise ShapeError(f"{name} is missing for {size} constraint rows")
        return np.zeros(0, dtype=object)
    v = np.asarray(b, dtype=object).ravel()
    if v.size != size:
        raise ShapeError(f"{name} has {v.size} entries, the constraint matrix has {size} rows")
    if size == 0:
        return v
    return _data(v[None, :], name, None)[0]


def linear_program(
    c: VectorLike,
    *,
    A_ub: MatrixLike | None = None,
    b_ub: VectorLike | None = None,
    A_eq: MatrixLike | None = None,
    b_eq: VectorLike | None = None,
) -> LinearProgramSolution:
    """Maximise ``c @ z`` over ``A_ub z <= b_ub``, ``A_eq z = b_eq``, ``z >= 0``.

    Parameters
    ----------
    c : array_like, shape (k,)
        The objective (maximised; pass ``-c`` to minimise).
    A_ub, b_ub : array_like, shapes (p, k) and (p,), optional
        Inequality rows.
    A_eq, b_eq : array_like, shapes (q, k) and (q,), optional
        Equality rows.

    Returns
    -------
    LinearProgramSolution
        Exact (``Fraction``) and certified by an exact dual solution if every entry is rational;
        float (scipy HiGHS) and checked to :data:`LP_RTOL` of the data's scale otherwise.

    Raises
    ------
    InfeasibleProgram
        If no ``z >= 0`` satisfies the constraints.
    UnboundedProgram
        If the objective grows without bound.
    ShapeError, PayoffValueError
        Inconsistent shapes; NaN, infinite, symbolic or non-numeric data.

    References
    ----------
    Chvátal, *Linear Programming* (1983), ch. 2-3 and 5 (two phases, Bland's rule, duality).

    Examples
    --------
    >>> s = linear_program([1, 1], A_ub=[[1, 2], [3, 1]], b_ub=[4, 6])
    >>> s.x, s.value, s.exact
    ((Fraction(8, 5), Fraction(6, 5)), Fraction(14, 5), True)
    >>> linear_program([1], A_ub=[[1]], b_ub=[-1])
    Traceback (most recent call last):
        ...
    theory.errors.InfeasibleProgram: the linear program is infeasible (phase 1 ends at 1 > 0)
    """
    cv = _data(np.asarray(c, dtype=object).ravel()[None, :], "c", None)[0]
    k = cv.size
    Aub = _data(A_ub if A_ub is not None else np.zeros((0, k)), "A_ub", k)
    Aeq = _data(A_eq if A_eq is not None else np.zeros((0, k)), "A_eq", k)
    bub = _vector(b_ub, "b_ub", Aub.shape[0])
    beq = _vector(b_eq, "b_eq", Aeq.shape[0])
    parts = [cv, Aub.ravel(), Aeq.ravel(), bub, beq]
    if all(p.dtype == object for p in parts):
        return _exact(cv, Aub, bub, Aeq, beq)
    return _floating(*(p.astype(np.float64) for p in (cv, Aub, bub, Aeq, beq)))


def _exact(
    c: np.ndarray, Aub: np.ndarray, bub: np.ndarray, Aeq: np.ndarray, beq: np.ndarray
) -> LinearProgramSolution:
    k, p, q = c.size, Aub.shape[0], Aeq.shape[0]
    rows = p + q
    # Columns: k originals, p slacks, `rows` artificials; the artificial block ends as B^-1.
    width = k + p + rows
    zero, one = Fraction(0), Fraction(1)
    T: list[list[Fraction]] = []
    sign: list[int] = []
    for r in range(rows):
        coeffs = list(Aub[r]) if r < p else list(Aeq[r - p])
        rhs = bub[r] if r < p else beq[r - p]
        s = -1 if rhs < 0 else 1
        row = [Fraction(v) * s for v in coeffs] + [zero] * (p + rows) + [Fraction(rhs) * s]
        if r < p:
            row[k + r] = Fraction(s)
        row[k + p + r] = one
        T.append(row)
        sign.append(s)
    basis = [k + p + r for r in range(rows)]
    artificial = set(basis)

    phase1 = [zero] * (k + p) + [-one] * rows
    _simplex(T, basis, phase1, allowed=range(width))
    infeasibility = -sum((phase1[b] * T[r][-1] for r, b in enumerate(basis)), start=zero)
    if infeasibility > 0:
        raise InfeasibleProgram(
            f"the linear program is infeasible (phase 1 ends at {infeasibility} > 0)"
        )
    # Drive zero-level artificials out of the basis; a row with no other pivot is redundant.
    r = 0
    while r < len(T):
        if basis[r] in artificial:
            col = next((j for j in range(k + p) if T[r][j] != 0), None)
            if col is None:
                del T[r], basis[r]
                continue
            _pivot(T, basis, r, col)
        r += 1
    cost = [Fraction(v) for v in c] + [zero] * (p + rows)
    _simplex(T, basis, cost, allowed=range(k + p))

    x = [zero] * width
    for r, b in enumerate(basis):
        x[b] = T[r][-1]
    # Duals y = c_B B^-1, undoing each row's sign flip.
    y = [
        sign[i] * sum((cost[b] * T[r][k + p + i] for r, b in enumerate(basis)), start=zero)
        for i in range(rows)
    ]
    z = tuple(x[:k])
    value = sum((ci * zi for ci, zi in zip(c, z, strict=True)), start=zero)
    _certify_exact(c, Aub, bub, Aeq, beq, z, y, value)
    return LinearProgramSolution(z, value, tuple(y[:p]), tuple(y[p:]), True)


def _pivot(T: list[list[Fraction]], basis: list[int], r: int, col: int) -> None:
    piv = T[r][col]
    T[r] = [v / piv for v in T[r]]
    pr = T[r]
    for i, row in enumerate(T):
        if i != r and row[col] != 0:
            f = row[col]
            T[i] = [a - f * b for a, b in zip(row, pr, strict=True)]
    basis[r] = col


def _simplex(
    T: list[list[Fraction]], basis: list[int], cost: list[Fraction], allowed: range
) -> None:
    """Primal simplex from a feasible canonical tableau; Bland's rule (no cycling)."""
    while True:
        in_basis = set(basis)
        entering = None
        for j in allowed:
            if j in in_basis:
                continue
            reduced = cost[j] - sum(
                (cost[b] * T[r][j] for r, b in enumerate(basis)), start=Fraction(0)
            )
            if reduced > 0:
                entering = j
                break
        if entering is None:
            return
        best: tuple[Fraction, int, int] | None = None
        for r, b in enumerate(basis):
            a = T[r][entering]
            if a > 0:
                key = (T[r][-1] / a, b, r)
                if best is None or key[:2] < best[:2]:
                    best = key
        if best is None:
            raise UnboundedProgram(
                f"the linear program is unbounded (variable {entering} can grow without limit)"
            )
        _pivot(T, basis, best[2], entering)


def _certify_exact(
    c: np.ndarray,
    Aub: np.ndarray,
    bub: np.ndarray,
    Aeq: np.ndarray,
    beq: np.ndarray,
    z: tuple[Fraction, ...],
    y: list[Fraction],
    value: Fraction,
) -> None:
    """Primal feasibility, dual feasibility and a zero gap, exactly (weak duality => optimal)."""
    p = Aub.shape[0]
    zv = np.array(z, dtype=object)
    yu, ye = np.array(y[:p], dtype=object), np.array(y[p:], dtype=object)
    ok = all(v >= 0 for v in z) and all(v >= 0 for v in yu)
    ok = ok and all(Aub @ zv <= bub) and all(Aeq @ zv == beq)
    ok = ok and all(Aub.T @ yu + Aeq.T @ ye >= c)
    ok = ok and (bub @ yu + beq @ ye if p + Aeq.shape[0] else 0) == value
    if not ok:  # pragma: no cover - a bug in the simplex, never a property of the input
        raise TheoryError("internal error: the simplex's optimality certificate failed")


def _floating(
    c: np.ndarray, Aub: np.ndarray, bub: np.ndarray, Aeq: np.ndarray, beq: np.ndarray
) -> LinearProgramSolution:
    from scipy.optimize import linprog

    res = linprog(
        -c,
        A_ub=Aub if Aub.size else None,
        b_ub=bub if Aub.size else None,
        A_eq=Aeq if Aeq.size else None,
        b_eq=beq if Aeq.size else None,
        bounds=(0, None),
        method="highs",
    )
    if res.status == 2:
        raise InfeasibleProgram(f"the linear program is infeasible ({res.message})")
    if res.status == 3:
        raise UnboundedProgram(f"the linear program is unbounded ({res.message})")
    if res.status != 0:
        raise TheoryError(f"the linear program was not solved: {res.message}")
    z = np.maximum(res.x, 0.0)
    y_ub = -res.ineqlin.marginals if Aub.size else np.zeros(0)
    y_eq = -res.eqlin.marginals if Aeq.size else np.zeros(0)
    scale = max(1.0, *(float(np.abs(a).max(initial=0)) for a in (c, Aub, bub, Aeq, beq)))
    tol = LP_RTOL * scale * max(1.0, float(z.sum()))
    value = float(c @ z)
    dual = float(bub @ y_ub + beq @ y_eq)
    ok = (
        np.all(Aub @ z <= bub + tol)
        and np.all(np.abs(Aeq @ z - beq) <= tol)
        and np.all(y_ub >= -tol)
        and np.all(Aub.T @ y_ub + Aeq.T @ y_eq >= c - tol)
        and abs(dual - value) <= tol * max(1.0, float(np.abs(y_ub).sum() + np.abs(y_eq).sum()))
    )
    if not ok:
        raise TheoryError(
            f"the float linear program's solution failed its check at tolerance {tol:.1e}; "
            "pass exact (rational) data"
        )
    return LinearProgramSolution(
        tuple(float(v) for v in z),
        value,
        tuple(float(v) for v in y_ub),
        tuple(float(v) for v in y_eq),
        False,
    )
