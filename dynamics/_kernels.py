"""Private kernels shared by the modules of :mod:`dynamics`: they trust their (checked) arrays.

The softmax, its normaliser and the projection onto the simplex (flows, integrator, basins), the
numeric Jacobian of a kernel and the trapping radius of a vertex (long run, basins).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["softmax", "logsumexp", "project", "numeric_jacobian", "trapping_radius"]


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise ``exp(z) / sum(exp(z))``, shifted by the row maximum (no overflow).

    Examples
    --------
    >>> softmax(np.log(np.array([[1.0, 3.0]])))
    array([[0.25, 0.75]])
    """
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def logsumexp(z: np.ndarray) -> np.ndarray:
    """Row-wise ``log sum exp(z)``, shape ``(k, 1)``: ``z - logsumexp(z)`` is ``log softmax(z)``.

    Examples
    --------
    >>> logsumexp(np.log(np.array([[1.0, 3.0]])))
    array([[1.386294]])
    """
    m = np.max(z, axis=1, keepdims=True)
    return np.asarray(m + np.log(np.sum(np.exp(z - m), axis=1, keepdims=True)))


def project(x: np.ndarray) -> np.ndarray:
    """Rows clipped at 0 and renormalised to sum 1 (removes an integrator's round-off).

    Examples
    --------
    >>> project(np.array([[-1e-12, 0.5]]))
    array([[0., 1.]])
    """
    x = np.clip(x, 0.0, None)
    return np.asarray(x / x.sum(axis=1, keepdims=True))


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


def trapping_radius(M: np.ndarray, i: int) -> float:
    """Trapping radius of vertex `i` of a checked square float matrix; see
    :func:`dynamics.longrun.trapping_radius`.

    Examples
    --------
    >>> trapping_radius(np.array([[1.0, 0.0], [0.0, 1.0]]), 0)
    0.5
    """
    n = M.shape[0]
    r = 1.0
    others = [k for k in range(n) if k != i]
    for j in others:
        a = M[i, i] - M[j, i]
        if a <= 0:
            return 0.0
        b = min(0.0, min((M[i, k] - M[j, k] for k in others), default=0.0))
        r = min(r, a / (a - b))
    return float(r)
