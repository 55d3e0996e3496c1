"""The two-population replicator of a bimatrix game: rest points, exact Jacobians, stability.

Two populations play a bimatrix game ``(A, B)`` (:class:`theory.games.Game`): shares ``x`` of
the row population (``m`` strategies) meet shares ``y`` of the column population (``n``):

    x_i' = x_i ((A y)_i - x.A y),        y_j' = y_j ((B^T x)_j - y.B^T x).

A rest point with supports ``(S, T)`` makes every row in ``S`` earn the same against ``y`` and
every column in ``T`` earn the same against ``x``. Jacobians are in tangent coordinates
``(x_0, ..., x_{m-2}, y_0, ..., y_{n-2})`` (the last share of each population is one minus the
others), exact (``Fraction`` or sympy) when the payoffs are. Interior rest points of the
two-population replicator are never asymptotically stable (Hofbauer & Sigmund 1998, 10.4; the
flow preserves volume up to a change of velocity): a 2 x 2 game's interior point is a centre
(matching pennies) or a saddle (battle of the sexes).

Examples
--------
>>> from fractions import Fraction as F
>>> pennies = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
>>> classify_two_population_rest_point(pennies, [F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)]).kind
'centre'
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import numpy as np
import sympy

from theory._stability import EIG_TOL, as_point, sign
from theory.errors import TheoryError
from theory.games import Game, GameLike, as_game
from theory.linalg import exact_kind, indifference
from theory.regions import Region, region_of
from theory.stability import classify_eigenvalues
from theory.typing import ExprsLike, Params, Value

__all__ = [
    "TwoPopulationRestPoint",
    "TwoPopulationStability",
    "two_population_rest_points",
    "two_population_jacobian",
    "classify_two_population_rest_point",
]


@dataclass(frozen=True)
class TwoPopulationRestPoint:
    """A rest point ``(x, y)`` of the two-population replicator with supports ``(S, T)``.

    `payoffs` are the two populations' payoffs there; for symbolic games `region` is where every
    weight on the supports is positive, otherwise None.
    """

    x: tuple[Value, ...]
    y: tuple[Value, ...]
    supports: tuple[tuple[int, ...], tuple[int, ...]]
    payoffs: tuple[Value, Value]
    region: Region | None = None


def _zero(kind: str) -> Value:
    return 0.0 if kind == "float" else (sympy.Integer(0) if kind == "symbolic" else Fraction(0))


def _spread(weights: list[Value], support: tuple[int, ...], size: int, kind: str) -> tuple:
    out = [_zero(kind)] * size
    for i, w in zip(support, weights, strict=True):
        out[i] = w
    return tuple(out)


def two_population_rest_points(
    game: GameLike, *, params: Params = None
) -> tuple[TwoPopulationRestPoint, ...]:
    """Every rest point of the two-population replicator with supports of equal size.

    These are all the isolated rest points of a nondegenerate game (every vertex pair, and one
    point at most per pair of supports); a degenerate game may have continua, not listed.

    Parameters
    ----------
    game : Game, pair (A, B), square matrix or nashpy Game
        A single square matrix is the game ``(A, A.T)`` played by two populations.
    params : sympy.Symbol or iterable of them, optional
        For symbolic payoffs: the parameters of the regions (default: the free symbols).

    Examples
    --------
    >>> sexes = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> [(tuple(map(str, p.x)), tuple(map(str, p.y))) for p in two_population_rest_points(sexes)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [(('1', '0'), ('1', '0')), (('1', '0'), ('0', '1')), (('0', '1'), ('1', '0')),
     (('0', '1'), ('0', '1')), (('2/3', '1/3'), ('1/3', '2/3'))]
    """
    g = as_game(game)
    A, B = g.A, g.B
    m, n = g.shape
    kind = exact_kind(A) if exact_kind(A) == exact_kind(B) else "symbolic"
    if "float" in (exact_kind(A), exact_kind(B)):
        kind = "float"
    BT = B.T.copy()
    out: list[TwoPopulationRestPoint] = []
    for k in range(1, min(m, n) + 1):
        for S in combinations(range(m), k):
            for T in combinations(range(n), k):
                sy = indifference(A, S, T)  # y on T equalising the rows S of A
                sx = indifference(BT, T, S)  # x on S equalising the columns T of B
                if sy is None or sx is None:
                    continue
                (wy, u), (wx, v) = sy, sx
                region = None
                if kind == "symbolic":
                    M = np.concatenate([A, B], axis=0)
                    region = region_of([w > 0 for w in [*wx, *wy]], params, matrix=M)
                    if region.is_empty:
                        continue
                elif any(w <= 0 for w in [*wx, *wy]):
                    continue
                x = _spread(wx, S, m, kind)
                y = _spread(wy, T, n, kind)
                out.append(TwoPopulationRestPoint(x, y, (S, T), (u, v), region))
    return tuple(out)


def _exact(values: list[Value]) -> bool:
    return any(isinstance(v, Fraction | int | sympy.Basic) for v in values)


def two_population_jacobian(
    game: GameLike, x: ExprsLike, y: ExprsLike, *, tangent: bool = True
) -> np.ndarray:
    """Jacobian of the two-population replicator field at ``(x, y)``.

    Parameters
    ----------
    game : Game, pair (A, B), square matrix or nashpy Game
    x, y : array_like
        The two populations' shares (entries may be ``Fraction`` or sympy expressions).
    tangent : bool, default True
        In tangent coordinates ``(x_0..x_{m-2}, y_0..y_{n-2})``, shape ``(m+n-2, m+n-2)``;
        otherwise the ambient ``(m+n, m+n)`` matrix of partial derivatives.

    Returns
    -------
    ndarray
        ``object`` dtype (exact or sympy) for exact input, ``float64`` otherwise.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> two_population_jacobian(([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]), [F(1, 2)] * 2,
    ...                         [F(1, 2)] * 2)
    array([[Fraction(0, 1), Fraction(1, 1)],
           [Fraction(-1, 1), Fraction(0, 1)]], dtype=object)
    """
    g = as_game(game)
    m, n = g.shape
    xs, ys = as_point(x, m), as_point(y, n)
    exact = g.is_exact and _exact([*xs, *ys])
    if not exact:
        A, B = g.A.astype(float), g.B.astype(float)
        xs = [float(v) for v in xs]
        ys = [float(v) for v in ys]
    else:
        A, B = g.A.astype(object), g.B.astype(object)
    fx = [sum((A[i, j] * ys[j] for j in range(n)), start=0) for i in range(m)]
    fy = [sum((B[i, j] * xs[i] for i in range(m)), start=0) for j in range(n)]
    xA = [sum((xs[i] * A[i, j] for i in range(m)), start=0) for j in range(n)]
    By = [sum((B[i, j] * ys[j] for j in range(n)), start=0) for i in range(m)]
    ux = sum((xs[i] * fx[i] for i in range(m)), start=0)
    uy = sum((ys[j] * fy[j] for j in range(n)), start=0)
    J = np.empty((m + n, m + n), dtype=object)
    for i in range(m):
        for k in range(m):
            J[i, k] = ((fx[i] - ux) if i == k else 0) - xs[i] * fx[k]
        for l_ in range(n):
            J[i, m + l_] = xs[i] * (A[i, l_] - xA[l_])
    for j in range(n):
        for k in range(m):
            J[m + j, k] = ys[j] * (B[k, j] - By[k])
        for l_ in range(n):
            J[m + j, m + l_] = ((fy[j] - uy) if j == l_ else 0) - ys[j] * fy[l_]
    if tangent:
        cols = [*range(m - 1), *range(m, m + n - 1)]
        last = [m - 1] * (m - 1) + [m + n - 1] * (n - 1)
        J = J[np.ix_(cols, cols)] - J[np.ix_(cols, last)]
    if not exact:
        return J.astype(float)
    if any(isinstance(v, sympy.Basic) for v in J.flat):
        J = np.vectorize(lambda v: sympy.simplify(sympy.sympify(v)), otypes=[object])(J)
    return J


@dataclass(frozen=True)
class TwoPopulationStability:
    """Linear stability of a rest point ``(x, y)`` of the two-population replicator.

    `eigenvalues` are those of the tangent Jacobian (exact for exact input, complex floats
    otherwise); `kind` is :func:`theory.stability.classify_eigenvalues` of them.
    """

    x: tuple[Value, ...]
    y: tuple[Value, ...]
    eigenvalues: tuple[Value, ...]
    kind: str


def classify_two_population_rest_point(
    game: GameLike, x: ExprsLike, y: ExprsLike, *, tol: float = EIG_TOL
) -> TwoPopulationStability:
    """Eigenvalues and classification of the rest point ``(x, y)``.

    Raises
    ------
    TheoryError
        If ``(x, y)`` is not a rest point (exactly, or within `tol` for floats).
    UndecidedStability
        If the eigenvalues depend on free symbols.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> s = classify_two_population_rest_point(([[2, 0], [0, 1]], [[1, 0], [0, 2]]),
    ...                                        [F(2, 3), F(1, 3)], [F(1, 3), F(2, 3)])
    >>> s.kind, s.eigenvalues
    ('saddle', (-2/3, 2/3))
    """
    g = as_game(game)
    m, n = g.shape
    xs, ys = as_point(x, m), as_point(y, n)
    field = _field(g, xs, ys)
    if any(sign(sympy.simplify(v) if isinstance(v, sympy.Basic) else v, tol) for v in field):
        raise TheoryError(
            f"(x, y) = ({xs}, {ys}) is not a rest point of the two-population replicator"
        )
    Jt = two_population_jacobian(g, xs, ys)
    if Jt.dtype != object:
        ev: tuple[Value, ...] = tuple(complex(v) for v in np.linalg.eigvals(Jt))
    else:
        vals: list[Value] = []
        for val, mult in sympy.Matrix(Jt.tolist()).eigenvals().items():
            vals.extend([sympy.simplify(val)] * int(mult))
        ev = tuple(sorted(vals, key=lambda v: (float(sympy.re(v)), float(sympy.im(v)))))
    return TwoPopulationStability(tuple(xs), tuple(ys), ev, classify_eigenvalues(ev, tol=tol))


def _field(g: Game, xs: list[Value], ys: list[Value]) -> list[Value]:
    """The field ``x_i ((A y)_i - x.A y)``, ``y_j ((B^T x)_j - y.B^T x)`` at one point."""
    m, n = g.shape
    exact = g.is_exact and _exact([*xs, *ys])
    A = g.A.astype(object) if exact else g.A.astype(float)
    B = g.B.astype(object) if exact else g.B.astype(float)
    fx = [sum((A[i, j] * ys[j] for j in range(n)), start=0) for i in range(m)]
    fy = [sum((B[i, j] * xs[i] for i in range(m)), start=0) for j in range(n)]
    ux = sum((xs[i] * fx[i] for i in range(m)), start=0)
    uy = sum((ys[j] * fy[j] for j in range(n)), start=0)
    return [xs[i] * (fx[i] - ux) for i in range(m)] + [ys[j] * (fy[j] - uy) for j in range(n)]
