"""Rest points of the replicator equation, their Jacobians, eigenvalues and stability; ESS.

The replicator equation of a symmetric game with payoff matrix `A` is
``x_i' = x_i ((A x)_i - x.A x)`` on the simplex. Its rest points are, face by face, the points
where every strategy in the support earns the same payoff. Jacobians are given in tangent
coordinates ``(x_0, ..., x_{n-2})`` with ``x_{n-1} = 1 - sum``, exact (``Fraction`` or sympy) when
the payoffs are exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np
import sympy
from numpy.typing import ArrayLike

from theory._stability import EIG_TOL, as_point, sign
from theory.errors import TheoryError
from theory.games import payoff_matrix
from theory.linalg import consistent, exact_kind, indifference, indifference_system
from theory.regions import Region, region_of
from theory.typing import ExprsLike, Params, Value

__all__ = [
    "RestPoint",
    "RestPoints",
    "RestPointStability",
    "replicator_rest_points",
    "replicator_jacobian",
    "tangent_eigenvalues",
    "classify_eigenvalues",
    "classify_rest_point",
    "EIG_TOL",
]


@dataclass(frozen=True)
class RestPoint:
    """A rest point `x` of the replicator equation with support `support` and payoff `payoff`.

    For symbolic payoffs `region` is where every weight on the support is positive; otherwise
    None.
    """

    x: tuple[Value, ...]  # Fraction, float or sympy entries, by the payoffs' kind
    support: tuple[int, ...]
    payoff: Value
    region: Region | None = None


@dataclass(frozen=True)
class RestPoints:
    """All rest points, support by support; `degenerate_supports` have a singular but
    consistent indifference system (a continuum of rest points may lie on that face)."""

    points: tuple[RestPoint, ...]
    degenerate_supports: tuple[tuple[int, ...], ...]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.points)

    def __len__(self) -> int:
        return len(self.points)


def _is_consistent_singular(M: np.ndarray, S: tuple[int, ...]) -> bool:
    mat, rhs = indifference_system(M, S, S)
    if exact_kind(M) == "float":
        F = np.array(mat, dtype=float)
        aug = np.column_stack([F, rhs])
        return bool(np.linalg.matrix_rank(F) == np.linalg.matrix_rank(aug))
    if exact_kind(M) == "rational":
        return consistent(mat, rhs)
    S_ = sympy.Matrix(mat)
    return bool(S_.rank() == S_.row_join(sympy.Matrix(rhs)).rank())


def replicator_rest_points(A: ArrayLike, *, params: Params = None) -> RestPoints:
    """Every isolated rest point of the replicator equation, one per support at most.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Payoffs of the symmetric game (exact, float or symbolic).
    params : sequence of sympy.Symbol, optional
        For symbolic `A`: the parameters of the region (default: the free symbols).

    Returns
    -------
    RestPoints
        The rest points (for symbolic `A`, those whose region is not empty), and the supports
        whose indifference system is singular yet consistent, where rest points are not isolated.

    Examples
    --------
    >>> rp = replicator_rest_points([[0, 1], [1, 0]])
    >>> [tuple(map(str, p.x)) for p in rp]
    [('1', '0'), ('0', '1'), ('1/2', '1/2')]
    """
    M = payoff_matrix(A, square=True)
    n = M.shape[0]
    kind = exact_kind(M)
    points: list[RestPoint] = []
    degenerate: list[tuple[int, ...]] = []
    for k in range(1, n + 1):
        for S in combinations(range(n), k):
            sol = indifference(M, S, S)
            if sol is None:
                if _is_consistent_singular(M, S):
                    degenerate.append(S)
                continue
            z, u = sol
            region = None
            if kind == "symbolic":
                region = region_of([w > 0 for w in z], params, matrix=M)
                if region.is_empty:
                    continue
            elif any(w <= 0 for w in z):  # exact (rational) or float weights alike
                continue
            x: list[Any] = [0.0] * n if kind == "float" else [Fraction(0)] * n
            if kind == "symbolic":
                x = [sympy.Integer(0)] * n
            for i, w in zip(S, z, strict=True):
                x[i] = w
            points.append(RestPoint(tuple(x), S, u, region))
    return RestPoints(tuple(points), tuple(degenerate))


def replicator_jacobian(A: ArrayLike, x: ExprsLike, *, tangent: bool = True) -> np.ndarray:
    """Jacobian of the replicator field at `x`.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Payoffs (exact, float or symbolic).
    x : array_like, shape (n,)
        The point (entries may be ``Fraction`` or sympy expressions).
    tangent : bool, default True
        In tangent coordinates of the simplex, shape ``(n-1, n-1)``: coordinates
        ``x_0..x_{n-2}`` with ``x_{n-1} = 1 - sum``. Otherwise the full ``(n, n)`` matrix of
        ``d x_i' / d x_j`` in the ambient space.

    Returns
    -------
    ndarray
        ``object`` dtype (exact or sympy) for exact input, ``float64`` otherwise.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> replicator_jacobian([[0, 1], [1, 0]], [F(1, 2), F(1, 2)])
    array([[Fraction(-1, 2)]], dtype=object)
    """
    M = payoff_matrix(A, square=True)
    n = M.shape[0]
    xs = as_point(x, n)
    exact = M.dtype == object or any(
        isinstance(v, Fraction | sympy.Basic | int) and not isinstance(v, bool) for v in xs
    )
    if not exact:
        Mf = M.astype(float)
        xf = np.array(xs, dtype=float)
        f = Mf @ xf
        fbar = xf @ f
        J = np.diag(f - fbar) + xf[:, None] * (Mf - (xf @ Mf)[None, :] - f[None, :])
        return J[:-1, :-1] - J[:-1, -1:] if tangent else J
    Mo = M.astype(object)
    f = [sum((Mo[i, j] * xs[j] for j in range(n)), start=0) for i in range(n)]
    g = [sum((xs[i] * Mo[i, j] for i in range(n)), start=0) for j in range(n)]
    fbar = sum((xs[i] * f[i] for i in range(n)), start=0)
    J = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            J[i, j] = xs[i] * (Mo[i, j] - g[j] - f[j]) + ((f[i] - fbar) if i == j else 0)
    out = J[:-1, :-1] - J[:-1, -1:] if tangent else J
    if any(isinstance(v, sympy.Basic) for v in out.flat):
        out = np.vectorize(lambda v: sympy.simplify(sympy.sympify(v)), otypes=[object])(out)
    return out


def tangent_eigenvalues(A: ArrayLike, x: ExprsLike) -> tuple[Any, ...]:
    """Eigenvalues of the tangent Jacobian at `x`, with multiplicity.

    Exact (sympy, possibly as functions of parameters) for exact input, complex floats otherwise.

    Examples
    --------
    >>> tangent_eigenvalues([[0, 1], [1, 0]], [0, 1])
    (1,)
    """
    J = replicator_jacobian(A, x)
    if J.dtype != object:
        return tuple(complex(v) for v in np.linalg.eigvals(J))
    ev = sympy.Matrix(J.tolist()).eigenvals()
    out: list[Any] = []
    for val, mult in ev.items():
        out.extend([sympy.simplify(val)] * int(mult))
    return tuple(out)


def classify_eigenvalues(eigenvalues: ExprsLike, *, tol: float = EIG_TOL) -> str:
    """Name a rest point by its linearisation's eigenvalues.

    One of ``"sink"``, ``"source"``, ``"saddle"``, ``"stable spiral"``, ``"unstable spiral"``,
    ``"centre"`` (all real parts zero, none zero itself) or ``"non-hyperbolic"``. Exact for sympy
    eigenvalues; `tol` applies to floats.

    Examples
    --------
    >>> classify_eigenvalues([-1 + 2j, -1 - 2j])
    'stable spiral'
    >>> classify_eigenvalues([1, -2])
    'saddle'
    """
    ev = list(eigenvalues)
    if not ev:
        return "sink"  # a vertex of a one-strategy game: nothing can move
    re, im = [], []
    for v in ev:
        if isinstance(v, sympy.Basic):
            re.append(sign(sympy.re(sympy.expand_complex(v)), tol))
            im.append(sign(sympy.im(sympy.expand_complex(v)), tol))
        elif isinstance(v, complex):
            re.append(sign(v.real, tol))
            im.append(sign(v.imag, tol))
        else:
            re.append(sign(v, tol))
            im.append(0)
    spiral = any(s != 0 for s in im)
    if all(s == 0 for s in re):
        return "centre" if all(s != 0 for s in im) else "non-hyperbolic"
    if any(s == 0 for s in re):
        return "non-hyperbolic"
    if all(s < 0 for s in re):
        return "stable spiral" if spiral else "sink"
    if all(s > 0 for s in re):
        return "unstable spiral" if spiral else "source"
    return "saddle"


@dataclass(frozen=True)
class RestPointStability:
    """Linear stability of a rest point.

    Attributes
    ----------
    x : tuple
        The rest point.
    eigenvalues : tuple
        Of the tangent Jacobian on the whole simplex.
    kind : str
        :func:`classify_eigenvalues` of `eigenvalues`.
    face_eigenvalues, face_kind
        The same within the face spanned by the support (the dynamics of the sub-game).
    transversal : tuple
        Invasion rates ``(A x)_j - x.A x`` of the strategies `j` outside the support; they are
        the remaining eigenvalues (the Jacobian is block triangular).
    """

    x: tuple[Value, ...]
    eigenvalues: tuple[Value, ...]
    kind: str
    face_eigenvalues: tuple[Value, ...]
    face_kind: str
    transversal: tuple[Value, ...]


def classify_rest_point(A: ArrayLike, x: ExprsLike, *, tol: float = EIG_TOL) -> RestPointStability:
    """Eigenvalues and classification of the rest point `x` of the replicator equation.

    Raises
    ------
    TheoryError
        If `x` is not a rest point (exactly, or within `tol` for floats).
    UndecidedStability
        If the eigenvalues depend on free symbols (substitute a value first).

    Examples
    --------
    >>> s = classify_rest_point([[0, 2], [1, 0]], [Fraction(2, 3), Fraction(1, 3)])
    >>> s.kind, s.eigenvalues
    ('sink', (-2/3,))
    """
    M = payoff_matrix(A, square=True)
    n = M.shape[0]
    xs = as_point(x, n)
    Mo = M.astype(object) if M.dtype == object else M
    f = [sum((Mo[i, j] * xs[j] for j in range(n)), start=0) for i in range(n)]
    fbar = sum((xs[i] * f[i] for i in range(n)), start=0)
    field = [xs[i] * (f[i] - fbar) for i in range(n)]
    if any(sign(sympy.simplify(v) if isinstance(v, sympy.Basic) else v, tol) for v in field):
        raise TheoryError(f"x = {xs} is not a rest point of the replicator equation")
    S = [i for i in range(n) if sign(xs[i], tol) != 0]
    ev = tangent_eigenvalues(M, xs)
    if len(S) > 1:
        sub = M[np.ix_(S, S)]
        face_ev = tangent_eigenvalues(sub, [xs[i] for i in S])
    else:
        face_ev = ()
    trans = tuple(f[j] - fbar for j in range(n) if j not in S)
    trans = tuple(sympy.simplify(v) if isinstance(v, sympy.Basic) else v for v in trans)
    return RestPointStability(
        tuple(xs),
        ev,
        classify_eigenvalues(ev, tol=tol),
        face_ev,
        classify_eigenvalues(face_ev, tol=tol) if face_ev else "sink",
        trans,
    )
