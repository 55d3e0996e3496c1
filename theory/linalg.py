"""Exact linear algebra: the solvers behind equilibria, rest points and fixation probabilities.

Entries are Python ``int``/``Fraction`` (exact), ``float`` or sympy expressions; a float handed
to an exact routine counts at its exact binary value (:func:`to_fraction`, the rule of
``CONTRIBUTING.md`` §1), never rationalised by guessing. One kernel, :func:`indifference`, solves
"the strategies in `rows` earn the same payoff against a mixed strategy supported on `cols`",
which is the heart of support enumeration and rest points; :func:`solve_exact` and
:func:`solve_integer` solve square rational systems (used by ``dynamics.finite`` as well).

Examples
--------
>>> from theory.linalg import solve_exact
>>> solve_exact([[1, 1], [1, -1]], ["1/2", 0])
[Fraction(1, 4), Fraction(1, 4)]
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np
import sympy

from theory._numbers import exact

__all__ = [
    "solve_exact",
    "solve_integer",
    "indifference",
    "indifference_system",
    "to_fraction",
    "integer_scaled",
    "exact_kind",
    "rank_exact",
    "consistent",
]

# A pivot smaller than this (relative to the row's largest entry) counts as zero for floats:
# payoffs are O(1)-O(10^3) and double precision carries ~16 digits.
FLOAT_PIVOT_TOL = 1e-12


def exact_kind(M: np.ndarray) -> str:
    """``"float"``, ``"rational"`` (int/Fraction) or ``"symbolic"`` (any sympy entry).

    Examples
    --------
    >>> exact_kind(np.array([[1, Fraction(1, 2)]], dtype=object)), exact_kind(np.eye(2))
    ('rational', 'float')
    """
    if M.dtype != object:
        return "float"
    if any(isinstance(v, sympy.Basic) for v in M.flat):
        return "symbolic"
    return "rational"


def to_fraction(v: Any) -> Fraction:  # Any: an exact entry (numbers rule), or a float
    """An exact entry as a ``Fraction``; a float at its exact binary value (``_numbers.exact``).

    Examples
    --------
    >>> to_fraction(3), to_fraction("1/10"), to_fraction(0.5)
    (Fraction(3, 1), Fraction(1, 10), Fraction(1, 2))
    """
    if isinstance(v, Fraction):
        return v
    if type(v) is int:  # the hot path of the solvers
        return Fraction(v)
    return exact(v, "entry")


def integer_scaled(M: np.ndarray) -> np.ndarray:
    """A rational matrix times the LCM of its denominators: same equilibria, integer entries.

    Examples
    --------
    >>> integer_scaled(np.array([[Fraction(1, 2), 1], [Fraction(1, 3), 0]], dtype=object))
    array([[3, 6],
           [2, 0]], dtype=object)
    """
    fr = [to_fraction(v) for v in M.flat]
    d = lcm(*(f.denominator for f in fr)) if fr else 1
    return np.array([int(f * d) for f in fr], dtype=object).reshape(M.shape)


def solve_exact(
    M: Sequence[Sequence[Any]],  # Any: int, Fraction, rational text or sympy rational
    b: Sequence[Any],  # Any: as M
) -> list[Fraction] | None:
    """Solve the square rational system ``M z = b`` by Gaussian elimination; None if singular.

    Examples
    --------
    >>> solve_exact([[2, 1], [1, 3]], [3, 5])
    [Fraction(4, 5), Fraction(7, 5)]
    >>> solve_exact([[1, 2], [2, 4]], [1, 2]) is None
    True
    """
    n = len(M)
    rows = [[to_fraction(v) for v in row] + [to_fraction(r)] for row, r in zip(M, b, strict=True)]
    for c in range(n):
        p = next((r for r in range(c, n) if rows[r][c] != 0), None)
        if p is None:
            return None
        rows[c], rows[p] = rows[p], rows[c]
        piv = rows[c][c]
        for r in range(n):
            if r != c and rows[r][c] != 0:
                f = rows[r][c] / piv
                rows[r] = [a - f * q for a, q in zip(rows[r], rows[c], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def solve_integer(M: Sequence[Sequence[int]], b: Sequence[int]) -> tuple[list[int], int] | None:
    """Solve the square integer system ``M z = b`` without fractions: ``z = nums / den``.

    Bareiss's fraction-free elimination (every division is exact), then back substitution on
    ``den * z``, an integer vector by Cramer's rule. ``den > 0``; None if `M` is singular.

    Examples
    --------
    >>> solve_integer([[2, 1], [1, 3]], [3, 5])
    ([4, 7], 5)
    >>> solve_integer([[1, 2], [2, 4]], [1, 2]) is None
    True
    """
    n = len(M)
    A = [[int(v) for v in row] + [int(r)] for row, r in zip(M, b, strict=True)]
    prev = 1
    for k in range(n):
        if A[k][k] == 0:
            p = next((r for r in range(k + 1, n) if A[r][k] != 0), None)
            if p is None:
                return None
            A[k], A[p] = A[p], A[k]
        akk = A[k][k]
        rk = A[k]
        for i in range(k + 1, n):
            ri = A[i]
            aik = ri[k]
            for j in range(k + 1, n + 1):
                ri[j] = (ri[j] * akk - aik * rk[j]) // prev
            ri[k] = 0
        prev = akk
    D = A[n - 1][n - 1]
    X = [0] * n
    X[n - 1] = A[n - 1][n]
    for i in range(n - 2, -1, -1):
        row = A[i]
        acc = row[n] * D - sum(row[j] * X[j] for j in range(i + 1, n))
        X[i] = acc // row[i]
    if D < 0:
        D, X = -D, [-v for v in X]
    return X, D


def rank_exact(M: Sequence[Sequence[Any]]) -> int:  # Any: as for solve_exact
    """Rank of a rational matrix (``Fraction`` elimination).

    Examples
    --------
    >>> rank_exact([[1, 2], [2, 4]]), rank_exact([[1, 0], [0, 1]])
    (1, 2)
    """
    rows = [[to_fraction(v) for v in row] for row in M]
    rank = 0
    ncols = len(rows[0]) if rows else 0
    for c in range(ncols):
        p = next((r for r in range(rank, len(rows)) if rows[r][c] != 0), None)
        if p is None:
            continue
        rows[rank], rows[p] = rows[p], rows[rank]
        piv = rows[rank]
        for r in range(rank + 1, len(rows)):
            if rows[r][c] != 0:
                f = rows[r][c] / piv[c]
                rows[r] = [a - f * q for a, q in zip(rows[r], piv, strict=True)]
        rank += 1
    return rank


def consistent(
    mat: Sequence[Sequence[Any]],  # Any: as for solve_exact
    rhs: Sequence[Any],  # Any: as for solve_exact
) -> bool:
    """Whether the rational system ``mat z = rhs`` has a solution (rank test).

    Examples
    --------
    >>> consistent([[1, 1], [2, 2]], [1, 2]), consistent([[1, 1], [2, 2]], [1, 3])
    (True, False)
    """
    aug = [list(row) + [r] for row, r in zip(mat, rhs, strict=True)]
    return rank_exact(mat) == rank_exact(aug)


def indifference_system(
    M: np.ndarray, rows: Sequence[int], cols: Sequence[int]
) -> tuple[list, list]:
    """Rows ``(M z)_r - u = 0`` for r in rows, then ``sum z = 1``; unknowns ``(z_cols, u)``.

    Returns ``(mat, rhs)`` as lists, the entries of `M` unchanged (the system every support
    solver in :mod:`theory` builds).

    Examples
    --------
    >>> import numpy as np
    >>> indifference_system(np.array([[3, 0], [5, 1]], dtype=object), [0, 1], [1])
    ([[0, -1], [1, -1], [1, 0]], [0, 0, 1])
    """
    k = len(cols)
    mat = [[M[r, c] for c in cols] + [-1] for r in rows]
    mat.append([1] * k + [0])
    rhs = [0] * len(rows) + [1]
    return mat, rhs


def _solve_symbolic(S: sympy.Matrix, b: sympy.Matrix) -> list[Any] | None:
    """The solution of ``S z = b`` as factored expressions; None if ``det S`` is identically 0.

    Entries that are rational functions of the parameters are solved over the field of rational
    functions (sympy's ``DomainMatrix``: no expression swell, each entry reduced as it is
    formed); other entries (radicals, functions) by sympy's expression arithmetic.
    """
    from sympy.polys.matrices import DomainMatrix

    A = DomainMatrix.from_Matrix(S)
    B = DomainMatrix.from_Matrix(b)
    A, B = A.unify(B)
    if A.domain.is_EX or A.domain.is_EXRAW:
        det = sympy.cancel(S.det(method="berkowitz"))
        if det == 0:
            return None
        return [sympy.factor(sympy.cancel(v)) for v in S.LUsolve(b)]
    K = A.domain.get_field()
    A, B = A.convert_to(K), B.convert_to(K)
    if A.det() == K.zero:
        return None
    return [sympy.factor(v) for v in A.lu_solve(B).to_Matrix()]


def indifference(
    M: np.ndarray, rows: Sequence[int], cols: Sequence[int]
) -> tuple[list[Any], Any] | None:  # Any: Fraction, float or sympy, as M is
    """The mixed strategy `z` on `cols` (summing to 1) making every row in `rows` earn `u`.

    Requires ``len(rows) == len(cols)``. Returns ``(z, u)`` with `z` the weights on `cols`,
    exact (``Fraction``), symbolic (simplified sympy) or float as `M` is; None if the system is
    singular (for symbolic `M`: singular for generic parameter values).

    Examples
    --------
    >>> import numpy as np
    >>> M = np.array([[3, 0], [5, 1]], dtype=object)
    >>> indifference(M, [0, 1], [0, 1]) is None
    False
    >>> indifference(M, [0, 1], [0, 1])
    ([Fraction(-1, 1), Fraction(2, 1)], Fraction(-3, 1))
    """
    mat, rhs = indifference_system(M, rows, cols)
    kind = exact_kind(M)
    if kind == "rational":
        sol = solve_exact(mat, rhs)
        return None if sol is None else (sol[:-1], sol[-1])
    if kind == "symbolic":
        out = _solve_symbolic(sympy.Matrix(mat), sympy.Matrix(rhs))
        return None if out is None else (out[:-1], out[-1])
    F = np.array(mat, dtype=float)
    try:
        lu = np.linalg.solve(F, np.array(rhs, dtype=float))
    except np.linalg.LinAlgError:
        return None
    if np.linalg.cond(F) > 1 / FLOAT_PIVOT_TOL:
        return None
    return [float(v) for v in lu[:-1]], float(lu[-1])
