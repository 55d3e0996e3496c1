"""Logit quantal response equilibria: the principal branch traced against the precision.

At precision ``λ >= 0`` a logit QRE of a bimatrix game ``(A, B)`` is a pair with

    x = softmax(λ A y),        y = softmax(λ B^T x)

(McKelvey and Palfrey 1995): each player plays a smoothed best reply. At ``λ = 0`` the unique
QRE is uniform play; the *principal branch* starting there reaches, as ``λ`` grows, a Nash
equilibrium (the logit solution, almost every game). It is traced by pseudo-arclength
continuation in log-probabilities (Turocy 2005), so turning points, where the branch folds back
in ``λ``, are followed rather than jumped over.

QRE are the rest points of the logit dynamic ``x' = softmax(λ A y) - x`` and the limits of
stochastic fictitious play with logit choice (:func:`dynamics.learning.stochastic_fictitious_play`)
where that converges (Hofbauer and Sandholm 2002). Each point is a softmax fixed point, so its
Nash gap is bounded: every player's expected deviation gain is at most ``ln(actions) / λ``
(:func:`nash_gap` checks this in the tests).

The values are transcendental, so the results are floats, each verified before return: the
fixed-point residual is below :data:`QRE_ATOL`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from theory._numbers import number
from theory.errors import DomainError, NoConvergence, TheoryTypeError
from theory.games import GameLike, as_game, float_matrix
from theory.typing import RealLike

__all__ = [
    "QRE_ATOL",
    "QuantalResponseEquilibrium",
    "QRECorrespondence",
    "logit_qre",
    "qre_correspondence",
    "nash_gap",
]

#: A traced point is accepted when ``|x - softmax(λ A y)|`` and ``|y - softmax(λ B^T x)|`` are
#: below this (Newton converges quadratically to ~1e-14; probabilities are O(1)).
QRE_ATOL = 1e-9

_NEWTON_ITERATIONS = 6
_MIN_COSINE = 0.9
_MAX_STEPS = 100_000


@dataclass(frozen=True)
class QuantalResponseEquilibrium:
    """A logit QRE at one precision.

    Attributes
    ----------
    x, y : ndarray, shapes (m,) and (n,)
        Mixed strategies of the row and the column player.
    precision : float
        ``λ``.
    """

    x: np.ndarray
    y: np.ndarray
    precision: float


@dataclass(frozen=True)
class QRECorrespondence:
    """The principal branch of the logit QRE correspondence, as traced points.

    Attributes
    ----------
    precision : ndarray, shape (k,)
        ``λ`` along the branch (increasing except across turning points).
    x, y : ndarray, shapes (k, m) and (k, n)
        The QRE at each traced point.
    """

    precision: np.ndarray
    x: np.ndarray
    y: np.ndarray

    def __len__(self) -> int:
        return int(self.precision.size)

    def __iter__(self) -> Iterator[QuantalResponseEquilibrium]:
        for lam, x, y in zip(self.precision, self.x, self.y, strict=True):
            yield QuantalResponseEquilibrium(x, y, float(lam))


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def _residual(A: np.ndarray, B: np.ndarray, w: np.ndarray) -> np.ndarray:
    m, n = A.shape
    u, v, lam = w[:m], w[m : m + n], w[-1]
    x, y = np.exp(u), np.exp(v)
    f, g = A @ y, B.T @ x
    return np.concatenate([
        (u[1:] - u[0]) - lam * (f[1:] - f[0]),
        [x.sum() - 1.0],
        (v[1:] - v[0]) - lam * (g[1:] - g[0]),
        [y.sum() - 1.0],
    ])


def _jacobian(A: np.ndarray, B: np.ndarray, w: np.ndarray) -> np.ndarray:
    m, n = A.shape
    u, v, lam = w[:m], w[m : m + n], w[-1]
    x, y = np.exp(u), np.exp(v)
    f, g = A @ y, B.T @ x
    J = np.zeros((m + n, m + n + 1))
    for i in range(1, m):
        J[i - 1, i] += 1.0
        J[i - 1, 0] -= 1.0
        J[i - 1, m : m + n] = -lam * (A[i] - A[0]) * y
        J[i - 1, -1] = -(f[i] - f[0])
    J[m - 1, :m] = x
    for j in range(1, n):
        r = m + j - 1
        J[r, m + j] += 1.0
        J[r, m] -= 1.0
        J[r, :m] = -lam * (B[:, j] - B[:, 0]) * x
        J[r, -1] = -(g[j] - g[0])
    J[m + n - 1, m : m + n] = y
    return J


def _tangent(J: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    _, _, vt = np.linalg.svd(J)
    t = vt[-1]
    if previous is None:
        return t if t[-1] > 0 else -t
    return t if t @ previous > 0 else -t


def _newton(
    A: np.ndarray, B: np.ndarray, w: np.ndarray, extra: Any, h: float | None = None
) -> np.ndarray | None:
    """Newton on H(w) = 0 plus one extra equation ``(row, rhs)``; None if it fails.

    With a predictor step `h`, the corrector must also stay close and contract (Allgower and
    Georg, *Introduction to Numerical Continuation Methods*, 1990, §6.1): a first correction
    above ``h / 4`` or a second one above half the first means the step was too long and the
    predictor may be heading for another branch.
    """
    row, target = extra
    previous = None
    for _ in range(_NEWTON_ITERATIONS):
        H = np.append(_residual(A, B, w), row @ w - target)
        if np.max(np.abs(H)) < 1e-12:
            return w
        M = np.vstack([_jacobian(A, B, w), row])
        try:
            step = np.linalg.solve(M, -H)
        except np.linalg.LinAlgError:
            return None
        size = float(np.linalg.norm(step))
        if h is not None and (
            (previous is None and size > h / 4) or (previous is not None and size > previous / 2)
        ):
            return None
        previous = size
        w = w + step
        if not np.all(np.isfinite(w)) or np.any(w[:-1] > 1e-6):
            return None
    H = np.append(_residual(A, B, w), row @ w - target)
    return w if np.max(np.abs(H)) < 1e-10 else None


def _checked_game(game: GameLike) -> tuple[np.ndarray, np.ndarray]:
    g = as_game(game)
    return float_matrix(g.A, name="A"), float_matrix(g.B, name="B")


def _precision(value: RealLike, name: str) -> float:
    """A precision by the numbers rule (text such as "1/2" is exact), as a float >= 0."""
    v = number(value, name, errors=(TheoryTypeError, DomainError))
    if not v >= 0:
        raise DomainError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(v)


def _trace(
    A: np.ndarray, B: np.ndarray, lam_max: float, step: float
) -> tuple[list[np.ndarray], np.ndarray]:
    m, n = A.shape
    w = np.concatenate([np.full(m, -np.log(m)), np.full(n, -np.log(n)), [0.0]])
    points = [w]
    if lam_max == 0:
        return points, w
    scale = max(float(np.ptp(A)), float(np.ptp(B)), 1e-300)
    h = step / scale
    t = _tangent(_jacobian(A, B, w), None)
    for _ in range(_MAX_STEPS):
        pred = w + h * t
        new = _newton(A, B, pred, (t, t @ pred), h)
        if new is not None and new[-1] <= 0:  # the branch never returns to λ = 0
            new = None
        t_new = None if new is None else _tangent(_jacobian(A, B, new), t)
        # accept only a step whose tangent turns by less than ~25 degrees: a larger turn means
        # the predictor may have jumped to another branch
        if new is None or t_new is None or t_new @ t < _MIN_COSINE:
            h /= 2
            if h < 1e-12 / scale:
                raise NoConvergence(len(points))
            continue
        if new[-1] >= lam_max:
            # land exactly on lam_max: Newton with λ fixed, from the bracketing points
            s = (lam_max - w[-1]) / (new[-1] - w[-1])
            e = np.zeros(m + n + 1)
            e[-1] = 1.0
            end = _newton(A, B, w + s * (new - w), (e, lam_max))
            if end is None:
                h /= 2
                continue
            points.append(end)
            return points, end
        t, w = t_new, new
        points.append(w)
        h *= 1.5
    raise NoConvergence(_MAX_STEPS)


def _verified(A: np.ndarray, B: np.ndarray, w: np.ndarray) -> QuantalResponseEquilibrium:
    m, n = A.shape
    x, y, lam = np.exp(w[:m]), np.exp(w[m : m + n]), float(w[-1])
    x, y = x / x.sum(), y / y.sum()
    err = max(
        np.abs(x - _softmax(lam * (A @ y))).max(), np.abs(y - _softmax(lam * (B.T @ x))).max()
    )
    if err > QRE_ATOL:  # pragma: no cover - Newton's acceptance test is 100x stricter
        raise NoConvergence(_NEWTON_ITERATIONS)
    return QuantalResponseEquilibrium(x, y, lam)


def qre_correspondence(
    game: GameLike, *, max_precision: RealLike, step: RealLike = 0.05
) -> QRECorrespondence:
    """The principal branch of the logit QRE correspondence from ``λ = 0`` to `max_precision`.

    Parameters
    ----------
    game : Game, nashpy Game, pair (A, B) or square matrix
        The game (see :func:`theory.games.as_game`); payoffs are used as floats.
    max_precision : float
        The largest ``λ`` (>= 0). Multiply by the payoff range to compare games.
    step : float, default 0.05
        First arclength step, in units of ``1 / payoff range`` (adapted as the trace proceeds).

    Returns
    -------
    QRECorrespondence
        Traced points, each verified to be a softmax fixed point to :data:`QRE_ATOL`.

    Raises
    ------
    DomainError
        A negative or infinite `max_precision`.
    NoConvergence
        If the continuation cannot proceed (a singular branch point).

    References
    ----------
    McKelvey and Palfrey, *Games Econ. Behav.* 10 (1995); Turocy, *Games Econ. Behav.* 51
    (2005).

    Examples
    --------
    >>> br = qre_correspondence(([[1, 0], [0, 2]], [[1, 0], [0, 2]]), max_precision=20)
    >>> float(br.precision[-1]), br.x[-1].round(4).tolist()
    (20.0, [0.0, 1.0])
    """
    A, B = _checked_game(game)
    lam_max = _precision(max_precision, "max_precision")
    stepf = _precision(step, "step")
    if stepf == 0:
        raise DomainError("step must be > 0")
    points, _ = _trace(A, B, lam_max, stepf)
    eqs = [_verified(A, B, w) for w in points]
    return QRECorrespondence(
        np.array([e.precision for e in eqs]),
        np.array([e.x for e in eqs]),
        np.array([e.y for e in eqs]),
    )


def logit_qre(game: GameLike, precision: RealLike) -> QuantalResponseEquilibrium:
    """The logit QRE on the principal branch at one precision.

    Parameters
    ----------
    game : Game, nashpy Game, pair (A, B) or square matrix
        The game.
    precision : float
        ``λ >= 0``; 0 gives uniform play.

    Raises
    ------
    DomainError
        A negative or infinite `precision`.

    Examples
    --------
    Matching pennies with a prize of 9 for the row player at (0, 0): the Nash equilibrium has
    him mix (1/2, 1/2), but his quantal response leans to the big prize (the own-payoff effect).

    >>> q = logit_qre(([[9, 0], [0, 1]], [[0, 1], [1, 0]]), 2.0)
    >>> q.x.round(4).tolist(), q.y.round(4).tolist()
    ([0.8608, 0.1392], [0.1911, 0.8089])
    """
    A, B = _checked_game(game)
    lam = _precision(precision, "precision")
    _, end = _trace(A, B, lam, 0.05)
    return _verified(A, B, end)


def nash_gap(game: GameLike, x: ArrayLike, y: ArrayLike) -> tuple[float, float]:
    """Each player's largest gain from a pure deviation at ``(x, y)`` (floats).

    Examples
    --------
    >>> nash_gap(([[1, 0], [0, 1]], [[1, 0], [0, 1]]), [0.5, 0.5], [1, 0])
    (0.5, 0.0)
    """
    A, B = _checked_game(game)
    xv, yv = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return (
        float((A @ yv).max() - xv @ A @ yv),
        float((xv @ B).max() - xv @ B @ yv),
    )
