"""Private kernels shared by the modules of :mod:`dynamics`: they trust their (checked) arrays.

The softmax, its normaliser and the projection onto the simplex (flows, integrator, basins), the
numeric Jacobian of a kernel, the trapping radius of a vertex (long run, basins) and the rescaling
of a game with huge payoffs (integrator, basins).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dynamics.errors import ParameterError

__all__ = [
    "COLUMN_LOOP",
    "row_max",
    "row_sum",
    "excess",
    "softmax",
    "logsumexp",
    "project",
    "numeric_jacobian",
    "trapping_radius",
    "PAYOFF_SCALE",
    "TIME_SCALED",
    "Rescaled",
    "rescaled",
]

#: Payoffs up to this size (in absolute value) are integrated as given. Larger ones are first
#: shifted and scaled (:func:`rescaled`): with payoffs of size ``s`` the field moves at speed
#: ``~s``, so the integrator's step-size floor (a fraction of ``t_end``) would accept steps ``s``
#: times too long, and ``x @ A.T`` overflows near 1e308. 2**20 leaves every game of the report,
#: and any payoffs a person types, on the unchanged path.
PAYOFF_SCALE = 2.0**20
#: The dynamics whose field is homogeneous of degree 1 in the payoffs: scaling them by ``c > 0``
#: runs the same orbit ``c`` times faster (``x_{cA}(t) = x_A(c t)``).
TIME_SCALED = ("replicator", "bnn", "smith")
#: Largest ``eta * |payoff|`` for logit's softmax: its argument and their differences stay finite.
_LOGIT_ARGUMENT = 1e300


#: Rows of at most this many entries are computed column by column. numpy's reductions along
#: a short last axis, and broadcasts of a ``(k, 1)`` column over it, run one tiny inner loop
#: per row: ~40x a vectorised pass per column (measured on 10^4 x 4: 430 us for
#: ``max(axis=1)``, 11 us for ``maximum`` of the columns). Below 8 terms numpy adds in the same
#: left-to-right order, so the column loops give the same bits (pairwise summation starts at 8).
COLUMN_LOOP = 7


def row_max(x: np.ndarray) -> np.ndarray:
    """Row-wise maximum of a 2-d array, shape ``(k, 1)`` (NaN propagates, as ``max``).

    Examples
    --------
    >>> row_max(np.array([[1.0, 3.0, 2.0]]))
    array([[3.]])
    """
    if x.shape[1] > COLUMN_LOOP:
        return np.asarray(x.max(axis=1, keepdims=True))
    out = x[:, 0].copy()
    for i in range(1, x.shape[1]):
        np.maximum(out, x[:, i], out=out)
    return out[:, None]


def row_sum(x: np.ndarray) -> np.ndarray:
    """Row-wise sum of a 2-d array, shape ``(k, 1)``, bit for bit ``x.sum(axis=1)``.

    Examples
    --------
    >>> row_sum(np.array([[1.0, 3.0, 2.0]]))
    array([[6.]])
    """
    if x.shape[1] > COLUMN_LOOP:
        return np.asarray(x.sum(axis=1, keepdims=True))
    out = x[:, 0].copy()
    for i in range(1, x.shape[1]):
        np.add(out, x[:, i], out=out)
    return out[:, None]


def excess(x: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Row-wise ``f - x.f``: each payoff's excess over the population's mean payoff.

    Examples
    --------
    >>> excess(np.array([[0.25, 0.75]]), np.array([[1.0, 3.0]]))
    array([[-1.5,  0.5]])
    """
    if x.shape[1] > COLUMN_LOOP:
        return np.asarray(f - np.sum(x * f, axis=1, keepdims=True))
    mean = x[:, 0] * f[:, 0]
    for i in range(1, x.shape[1]):
        mean += x[:, i] * f[:, i]
    out = np.empty_like(f)
    for i in range(x.shape[1]):
        np.subtract(f[:, i], mean, out=out[:, i])
    return out


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise ``exp(z) / sum(exp(z))``, shifted by the row maximum (no overflow).

    Examples
    --------
    >>> softmax(np.log(np.array([[1.0, 3.0]])))
    array([[0.25, 0.75]])
    """
    if z.shape[1] > COLUMN_LOOP:
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return np.asarray(e / e.sum(axis=1, keepdims=True))
    m = row_max(z)[:, 0]
    e = np.empty_like(z)
    for i in range(z.shape[1]):
        np.exp(z[:, i] - m, out=e[:, i])
    total = row_sum(e)[:, 0]
    for i in range(z.shape[1]):
        e[:, i] /= total
    return e


def logsumexp(z: np.ndarray) -> np.ndarray:
    """Row-wise ``log sum exp(z)``, shape ``(k, 1)``: ``z - logsumexp(z)`` is ``log softmax(z)``.

    Examples
    --------
    >>> logsumexp(np.log(np.array([[1.0, 3.0]])))
    array([[1.386294]])
    """
    if z.shape[1] > COLUMN_LOOP:
        m = np.max(z, axis=1, keepdims=True)
        return np.asarray(m + np.log(np.sum(np.exp(z - m), axis=1, keepdims=True)))
    m = row_max(z)[:, 0]
    total = np.exp(z[:, 0] - m)
    for i in range(1, z.shape[1]):
        total += np.exp(z[:, i] - m)
    return np.asarray(m + np.log(total))[:, None]


def project(x: np.ndarray) -> np.ndarray:
    """Rows clipped at 0 and renormalised to sum 1 (removes an integrator's round-off).

    Examples
    --------
    >>> project(np.array([[-1e-12, 0.5]]))
    array([[0., 1.]])
    """
    x = np.clip(x, 0.0, None)
    if x.shape[1] > COLUMN_LOOP:
        return np.asarray(x / x.sum(axis=1, keepdims=True))
    total = row_sum(x)[:, 0]
    for i in range(x.shape[1]):
        x[:, i] /= total
    return x


def numeric_jacobian(
    kernel: Callable[..., np.ndarray],
    M: np.ndarray,
    X: np.ndarray,
    *,
    step: float,
    tangent: bool,
    **params: float,
) -> np.ndarray:
    """Central-difference Jacobian of ``kernel(M, x)`` at one state ``X`` (shape (1, n)); see
    :func:`dynamics.flows.numeric_jacobian`.

    Examples
    --------
    >>> from dynamics.flows import DYNAMICS
    >>> M, X = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.5, 0.5]])
    >>> numeric_jacobian(DYNAMICS["replicator"], M, X, step=1e-6, tangent=True).round(6)
    array([[-0.5]])
    """
    E = np.eye(M.shape[0]) * step
    J = np.asarray((kernel(M, X + E, **params) - kernel(M, X - E, **params)).T / (2 * step))
    return J[:-1, :-1] - J[:-1, -1:] if tangent else J


def trapping_radius(M: np.ndarray, i: int, column: int | None = None) -> float:
    """Trapping radius of vertex `i` of a checked square float matrix; see
    :func:`dynamics.longrun.trapping_radius`.

    With `column` ``j`` (a bimatrix game's payoff matrix ``M``, any shape): the largest ``r``
    such that row `i` earns strictly more than every other row against every opponent state
    with weight above ``1 - r`` on column `j` (``j = i`` is the symmetric case).

    Examples
    --------
    >>> trapping_radius(np.array([[1.0, 0.0], [0.0, 1.0]]), 0)
    0.5
    >>> trapping_radius(np.array([[3.0, 0.0, 0.0], [0.0, 1.0, 1.0]]), 0, 0)
    0.75
    """
    j = i if column is None else column
    r = 1.0
    columns = [k for k in range(M.shape[1]) if k != j]
    for other in range(M.shape[0]):
        if other == i:
            continue
        a = M[i, j] - M[other, j]
        if a <= 0:
            return 0.0
        b = min(0.0, min((M[i, k] - M[other, k] for k in columns), default=0.0))
        r = min(r, a / (a - b))
    return float(r)


@dataclass(frozen=True)
class Rescaled:
    """A game with the same orbits as the given one: ``x_given(t) = x_M(time_scale * t)``.

    ``params`` are the dynamic's parameters for ``M`` (logit's ``eta`` absorbs the scale).
    """

    M: np.ndarray
    time_scale: float
    params: dict[str, float]


def rescaled(M: np.ndarray, dynamic: str, params: dict[str, float], horizon: float) -> Rescaled:
    """The game `M` shifted and scaled to payoffs of size at most 2, when ``max |M| >
    PAYOFF_SCALE`` (else `M` itself), by invariances that are exact for each dynamic:

    - adding ``c_j`` to column ``j`` adds ``c.x`` to every payoff ``f_i = (A x)_i``; the
      replicator, best response, logit, BNN and Smith fields see only differences ``f_i - f_j``
      or ``f_i - x.f``, so none of them changes (the shift is the column's mid-range);
    - dividing the payoffs by a power of two ``s`` (exact in binary floating point) slows the
      replicator, BNN and Smith flows by ``s`` (``TIME_SCALED``: run to ``s * horizon``), leaves
      best response unchanged, and multiplies logit's ``eta`` by ``s``.

    Raises
    ------
    ParameterError
        If the scaled horizon (or logit's ``eta * s``) overflows floating point: the run would
        be more than 1e308 of the game's own time units, which no integrator can follow.

    Examples
    --------
    >>> r = rescaled(np.array([[3e20, 1e20], [1e20, 3e20]]), "smith", {}, 10.0)
    >>> bool(np.max(np.abs(r.M)) < 2), r.time_scale == 2.0**66
    (True, True)
    """
    big = float(np.max(np.abs(M)))
    eta = params.get("eta", 10.0) if dynamic == "logit" else 1.0
    if big <= PAYOFF_SCALE and eta * big <= _LOGIT_ARGUMENT:
        return Rescaled(M, 1.0, params)
    half = M / 2
    mid = half.max(axis=0) + half.min(axis=0)  # (max + min) / 2 per column, without overflow
    S = M - mid  # |S| <= (max - min) / 2 <= max |M|: no overflow
    spread = float(np.max(np.abs(S)))
    if spread == 0.0:  # every column constant: no strategy ever does better than another
        return Rescaled(np.zeros_like(M), 1.0, params)
    exponent = int(np.frexp(spread)[1]) - 1  # 2**exponent <= spread < 2**(exponent + 1)
    if spread <= PAYOFF_SCALE:
        exponent = 0  # the shift was enough
    scale = 2.0**exponent
    Mr = S / scale
    if dynamic in TIME_SCALED:
        with np.errstate(over="ignore"):
            T = horizon * scale
        if not np.isfinite(T) or T > 1e300:
            raise ParameterError(
                f"payoffs spread over {spread:.3g} make t_end = {horizon:g} a run of "
                f"{horizon:g} x {scale:.3g} time units of the game's own scale, beyond floating "
                f"point: the {dynamic} orbit of A / c is that of A slowed by c; divide the "
                "payoffs or shorten t_end"
            )
        return Rescaled(Mr, scale, params)
    if dynamic == "logit":
        with np.errstate(over="ignore"):
            eta_r = eta * scale
        if not eta_r * float(np.max(np.abs(Mr))) <= _LOGIT_ARGUMENT:
            raise ParameterError(
                f"logit: eta = {eta:g} times payoffs spread over {spread:.3g} overflows floating "
                "point (eta x payoff must stay below 1e300); best_response is the eta -> inf limit"
            )
        return Rescaled(Mr, 1.0, {**params, "eta": eta_r})
    return Rescaled(Mr, 1.0, params)
