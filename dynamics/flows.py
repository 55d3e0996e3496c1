"""Evolutionary flows on the simplex as batched right-hand sides.

Every flow takes the game first, a square payoff matrix ``A`` of a symmetric game, then states
as rows, ``x`` of shape ``(k, n)`` (one state is a batch of one): ``(A x)_i`` is the expected
payoff of strategy ``i`` against a random member of population ``x``. The public functions
validate their input once; the integrator and the basins call the kernels (``DYNAMICS``)
directly on checked arrays.

Dynamics (Sandholm, *Population Games and Evolutionary Dynamics*, 2010, ch. 5-6):

- replicator: ``x_i' = x_i (f_i - x.f)``;
- best response: ``x' = b(x) - x`` with ``b`` the uniform mixture over the pure best responses;
- logit (temperature ``1/eta``): ``x' = softmax(eta f) - x``;
- Brown-von Neumann-Nash: ``x_i' = [f_i - x.f]_+ - x_i sum_j [f_j - x.f]_+``;
- Smith: ``x_i' = sum_j x_j [f_i - f_j]_+ - x_i sum_j [f_j - f_i]_+``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from dynamics import _kernels
from dynamics._checks import PARAMETERS, MatrixLike, kernel_parameters, positive_finite
from dynamics.errors import ParameterError, SimplexError
from theory.games import float_matrix

__all__ = [
    "SIMPLEX_ATOL",
    "BR_TIE_ATOL",
    "DYNAMICS",
    "PARAMETERS",
    "as_states",
    "game_matrix",
    "replicator",
    "best_response",
    "logit",
    "brown_von_neumann_nash",
    "smith",
    "flow",
    "numeric_jacobian",
]

#: States may miss the simplex by this much (entries >= -SIMPLEX_ATOL, ``|sum - 1| <= SIMPLEX_ATOL``
#: * n): room for the round-off of an integration step, far below any meaningful share.
SIMPLEX_ATOL = 1e-9
#: Payoffs within this of the maximum count as tied best responses (round-off of ``x @ A.T``).
BR_TIE_ATOL = 1e-12

Kernel = Callable[..., np.ndarray]


def game_matrix(A: MatrixLike) -> np.ndarray:
    """The payoff matrix of a symmetric game as a ``float64`` array, validated.

    Accepts what :func:`theory.games.payoff_matrix` accepts (ints, ``Fraction``, floats,
    numeric sympy expressions) and requires it square.

    Raises
    ------
    theory.errors.ShapeError, theory.errors.PayoffValueError
        Ragged, non-square, symbolic or non-finite input.

    Examples
    --------
    >>> from fractions import Fraction
    >>> game_matrix([[Fraction(1, 2), 0], [0, 1]])
    array([[0.5, 0. ],
           [0. , 1. ]])
    """
    return float_matrix(A, square=True, name="A")


def as_states(x: ArrayLike, n: int | None = None, *, name: str = "x") -> np.ndarray:
    """Validate points of the simplex; return them as a ``float64`` array of shape ``(k, n)``.

    Parameters
    ----------
    x : array_like, shape (n,) or (k, n)
        One state or a batch of states (rows).
    n : int, optional
        The required number of strategies.
    name : str, default "x"
        The argument's name in error messages.

    Raises
    ------
    SimplexError
        Wrong shape, non-finite entries, entries below ``-SIMPLEX_ATOL``, or rows whose sum
        differs from 1 by more than ``n * SIMPLEX_ATOL``.

    Examples
    --------
    >>> as_states([0.5, 0.5])
    array([[0.5, 0.5]])
    >>> as_states([0.7, 0.7])
    Traceback (most recent call last):
    ...
    dynamics.errors.SimplexError: x[0] sums to 1.4, not 1 (off the simplex by 4.0e-01)
    """
    try:
        X = np.array(x, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise SimplexError(f"{name} is not an array of numbers: {err}") from None
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2 or X.shape[1] == 0:
        raise SimplexError(f"{name} must have shape (n,) or (k, n), got {np.shape(x)}")
    if n is not None and X.shape[1] != n:
        raise SimplexError(f"{name} has {X.shape[1]} strategies, the game has {n}")
    if not np.all(np.isfinite(X)):
        row = int(np.argwhere(~np.isfinite(X))[0, 0])
        raise SimplexError(f"{name}[{row}] = {X[row].tolist()} is not finite")
    neg = np.argwhere(X < -SIMPLEX_ATOL)
    if neg.size:
        r, c = (int(v) for v in neg[0])
        raise SimplexError(f"{name}[{r}] has a negative share {float(X[r, c])!r} (strategy {c})")
    sums = X.sum(axis=1)
    off = np.flatnonzero(np.abs(sums - 1.0) > SIMPLEX_ATOL * X.shape[1])
    if off.size:
        r = int(off[0])
        raise SimplexError(
            f"{name}[{r}] sums to {float(sums[r])!r}, not 1 (off the simplex by {sums[r] - 1:.1e})"
        )
    return X


def _replicator(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    f = x @ A.T
    return x * (f - np.sum(x * f, axis=1, keepdims=True))


def _best_response_mix(f: np.ndarray) -> np.ndarray:
    best = f >= f.max(axis=1, keepdims=True) - BR_TIE_ATOL
    return best / best.sum(axis=1, keepdims=True)


def _best_response(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    return _best_response_mix(x @ A.T) - x


def _logit(A: np.ndarray, x: np.ndarray, eta: float = 10.0) -> np.ndarray:
    return _kernels.softmax(eta * (x @ A.T)) - x


def _bnn(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    f = x @ A.T
    excess = np.maximum(f - np.sum(x * f, axis=1, keepdims=True), 0.0)
    return excess - x * excess.sum(axis=1, keepdims=True)


def _smith(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    f = x @ A.T
    gain = np.maximum(f[:, :, None] - f[:, None, :], 0.0)  # gain[k, i, j] = [f_i - f_j]_+
    inflow = np.einsum("kij,kj->ki", gain, x)
    return inflow - x * gain.sum(axis=1)


#: The dynamics by name: kernel ``(A, x, **params) -> x'`` on validated float arrays (a square
#: ``float64`` matrix and states of shape ``(k, n)``); it trusts them and checks nothing.
DYNAMICS: dict[str, Kernel] = {
    "replicator": _replicator,
    "best_response": _best_response,
    "logit": _logit,
    "bnn": _bnn,
    "smith": _smith,
}


def _checked(A: MatrixLike, x: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    M = game_matrix(A)
    return M, as_states(x, M.shape[0])


def replicator(A: MatrixLike, x: ArrayLike) -> np.ndarray:
    """Replicator field ``x_i (f_i - x.f)`` at ``k`` states.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Payoff matrix; ``(A x)_i`` is strategy ``i``'s payoff.
    x : array_like, shape (n,) or (k, n)
        States on the simplex (rows).

    Returns
    -------
    ndarray, shape (k, n)
        The velocity at each state; rows sum to 0.

    Raises
    ------
    SimplexError
        If a state is off the simplex.

    Examples
    --------
    >>> replicator([[0, 1], [1, 0]], [0.5, 0.5])
    array([[0., 0.]])
    >>> replicator([[1, 0], [0, 0]], [0.5, 0.5])
    array([[ 0.125, -0.125]])
    """
    M, X = _checked(A, x)
    return _replicator(M, X)


def best_response(A: MatrixLike, x: ArrayLike) -> np.ndarray:
    """Best-response field ``b(x) - x``; ties share the best response uniformly.

    Examples
    --------
    >>> best_response([[1, 0], [0, 0]], [0.5, 0.5])
    array([[ 0.5, -0.5]])
    """
    M, X = _checked(A, x)
    return _best_response(M, X)


def logit(A: MatrixLike, x: ArrayLike, *, eta: float = 10.0) -> np.ndarray:
    """Logit field ``softmax(eta A x) - x``; ``eta`` is the inverse noise level (``eta >= 0``).

    Raises
    ------
    ParameterError
        If `eta` is not a finite number ``>= 0``.

    Examples
    --------
    >>> logit([[1, 0], [0, 1]], [0.5, 0.5], eta=1.0)
    array([[0., 0.]])
    """
    checked = kernel_parameters("logit", eta=eta)
    M, X = _checked(A, x)
    with np.errstate(over="raise", invalid="raise"):
        try:
            return _logit(M, X, **checked)
        except FloatingPointError:
            raise ParameterError(
                f"eta = {eta!r} times the payoffs overflows floating point"
            ) from None


def brown_von_neumann_nash(A: MatrixLike, x: ArrayLike) -> np.ndarray:
    """Brown-von Neumann-Nash field (excess-payoff dynamics).

    Examples
    --------
    >>> brown_von_neumann_nash([[1, 0], [0, 0]], [0.5, 0.5])
    array([[ 0.125, -0.125]])
    """
    M, X = _checked(A, x)
    return _bnn(M, X)


def smith(A: MatrixLike, x: ArrayLike) -> np.ndarray:
    """Smith field (pairwise payoff comparison).

    Examples
    --------
    >>> smith([[1, 0], [0, 0]], [0.5, 0.5])
    array([[ 0.25, -0.25]])
    """
    M, X = _checked(A, x)
    return _smith(M, X)


def flow(name: str) -> Kernel:
    """The kernel ``(A, x, **params) -> x'`` of a dynamic by name (see ``DYNAMICS``).

    Raises
    ------
    ParameterError
        For an unknown name; the message lists the known ones.

    Examples
    --------
    >>> flow("replicator") is DYNAMICS["replicator"]
    True
    """
    try:
        return DYNAMICS[name]
    except (KeyError, TypeError):
        raise ParameterError(f"dynamic must be one of {sorted(DYNAMICS)}, got {name!r}") from None


def numeric_jacobian(
    A: MatrixLike,
    x: ArrayLike,
    *,
    dynamic: str = "replicator",
    step: float = 1e-6,
    tangent: bool = True,
    **params: float,
) -> np.ndarray:
    """Jacobian of a flow's field at one state, by central differences (error ``O(step^2)``).

    The field is the kernel's formula extended off the simplex. With ``tangent=True`` it is
    given in the coordinates of :func:`theory.stability.replicator_jacobian`: ``x_0..x_{n-2}``
    with ``x_{n-1} = 1 - sum``, shape ``(n-1, n-1)``; otherwise the ambient ``(n, n)`` matrix.

    Examples
    --------
    >>> numeric_jacobian([[0, 1], [1, 0]], [0.5, 0.5], tangent=False).round(6)
    array([[-0.5,  0. ],
           [ 0. , -0.5]])
    >>> numeric_jacobian([[0, 1], [1, 0]], [0.5, 0.5]).round(6)
    array([[-0.5]])
    """
    checked = kernel_parameters(dynamic, **params)
    M, X = _checked(A, x)
    if X.shape[0] != 1:
        raise SimplexError(f"x must be one state, got {X.shape[0]}")
    positive_finite(step, "step")
    J = _kernels.numeric_jacobian(flow(dynamic), M, X, step=step, tangent=tangent, **checked)
    if not np.all(np.isfinite(J)):
        raise ParameterError(
            f"the {dynamic} Jacobian overflows floating point (payoffs up to "
            f"{np.max(np.abs(M)):.3g}); divide the payoffs by a constant"
        )
    return J
