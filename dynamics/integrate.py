"""Integration of many initial conditions at once, and of one with ``solve_ivp``.

:func:`integrate` advances a batch of ``k`` states as one stacked system with the
Dormand-Prince 5(4) pair (the tableau of :class:`scipy.integrate.RK45`), each trajectory with its
own time and its own step-size control, so a trajectory creeping past a vertex takes large steps
while its neighbour crossing an edge takes small ones. Output at common times ``t_eval`` comes
from the pair's 4th-order dense output.

The replicator flow is integrated in log coordinates ``z_i = log x_i``, ``z_i' = f_i - x.f``:
shares stay positive and on the simplex exactly (``x = softmax(z)``) however close an orbit
comes to a face, which is what heteroclinic cycles do, and the error control is relative in every
share. Other dynamics are integrated in ``x`` and projected back onto the simplex after each
step (they point inwards on the faces, so the projection only removes round-off).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.integrate import RK45, solve_ivp
from tqdm import tqdm

from dynamics._checks import positive_finite
from dynamics.errors import ParameterError
from dynamics.flows import _softmax, as_states, flow, game_matrix

__all__ = ["Trajectories", "integrate", "integrate_single", "Observer"]

_C, _A, _B, _E, _P = RK45.C, RK45.A, RK45.B, RK45.E, RK45.P
_SAFETY, _MIN_FACTOR, _MAX_FACTOR = 0.9, 0.2, 10.0
_ERR_EXP = -1.0 / 5.0  # 1 / (error estimator order + 1)

#: ``observer(rows, t, x)``: called after every accepted step with the batch indices of the
#: trajectories that stepped, their new times and their new states (rows of ``x``).
Observer = Callable[[np.ndarray, np.ndarray, np.ndarray], None]


@dataclass(frozen=True)
class Trajectories:
    """Integrated trajectories.

    Attributes
    ----------
    t : ndarray, shape (m,)
        Output times.
    x : ndarray, shape (k, m, n)
        States at the output times; ``x[j, i]`` is trajectory ``j`` at ``t[i]``.
    mean : ndarray, shape (k, n)
        Time averages ``(1/T) int_0^T x dt`` over the time each trajectory reached.
    t_reached : ndarray, shape (k,)
        The time each trajectory reached (``t[-1]`` unless the run was interrupted or ran out
        of steps); outputs after it are NaN.
    steps, rejected : ndarray of int, shape (k,)
        Accepted and rejected steps per trajectory.
    dynamic : str
        The dynamic's name.

    Examples
    --------
    >>> tr = integrate([[1, 1], [0, 0]], [[0.5, 0.5]], 1.0, n_out=3)
    >>> tr.x.shape, bool(tr.success[0]), round(float(tr.final[0, 0]), 6)
    ((1, 3, 2), True, 0.731059)
    """

    t: np.ndarray
    x: np.ndarray
    mean: np.ndarray
    t_reached: np.ndarray
    steps: np.ndarray
    rejected: np.ndarray
    dynamic: str

    @property
    def final(self) -> np.ndarray:
        """States at the last output time, shape ``(k, n)``."""
        return self.x[:, -1, :]

    @property
    def success(self) -> np.ndarray:
        """True for trajectories that reached the last output time."""
        return self.t_reached >= self.t[-1]


def _times(t_end: float, t_eval: Any, n_out: int) -> np.ndarray:
    positive_finite(t_end, "t_end")
    if t_eval is None:
        if not (isinstance(n_out, int) and n_out >= 2):
            raise ParameterError(f"n_out must be an integer >= 2, got {n_out!r}")
        return np.linspace(0.0, float(t_end), n_out)
    te = np.asarray(t_eval, dtype=np.float64)
    if te.ndim != 1 or te.size == 0 or np.any(np.diff(te) <= 0) or te[0] < 0 or te[-1] > t_end:
        raise ParameterError("t_eval must be a non-empty increasing array inside [0, t_end]")
    return te


def integrate(
    A: Any,
    x0: Any,
    t_end: float,
    *,
    dynamic: str = "replicator",
    t_eval: Any = None,
    n_out: int = 201,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    max_step: float = np.inf,
    min_step: float | None = None,
    max_iterations: int = 200_000,
    observer: Observer | None = None,
    progress: bool = False,
    **params: float,
) -> Trajectories:
    """Integrate a batch of initial conditions with adaptive Dormand-Prince 5(4) steps.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Payoff matrix of the symmetric game.
    x0 : array_like, shape (n,) or (k, n)
        Initial states on the simplex.
    t_end : float
        Final time.
    dynamic : str, default "replicator"
        A name in :data:`dynamics.flows.DYNAMICS`.
    t_eval : array_like, optional
        Increasing output times in ``[0, t_end]``; default ``n_out`` equally spaced ones.
    rtol, atol : float
        Per-trajectory error control, RMS over components, ``atol + rtol |y|``. For the
        replicator ``y = log x``, so ``atol`` bounds the *relative* error of every share.
    max_step : float, default inf
        Largest step.
    min_step : float, optional
        Smallest step; a step this short is accepted whatever its error estimate. Default
        ``1e-4 t_end`` for ``best_response`` (a discontinuous field: near a switching surface the
        error estimate does not shrink with the step, and the orbit chatters along it as the
        Filippov solution does) and ``1e-12 t_end`` otherwise.
    max_iterations : int
        Bound on the batch's step attempts; trajectories not finished by then keep NaN outputs.
    observer : callable, optional
        ``observer(rows, t, x)`` after every accepted step (see :data:`Observer`).
    progress : bool, default False
        Show a tqdm bar over the slowest trajectory's time. Ctrl-C stops the run and returns
        what was computed (``t_reached`` tells how far each trajectory got).
    **params
        Parameters of the dynamic (``eta`` for logit).

    Returns
    -------
    Trajectories

    Raises
    ------
    SimplexError, ParameterError, theory.errors.TheoryError
        Bad states, times, tolerances or payoffs.

    Examples
    --------
    >>> A = [[0, 1], [1, 0]]   # anti-coordination: the interior rest point is stable
    >>> tr = integrate(A, [[0.9, 0.1], [0.2, 0.8]], 40.0, n_out=3)
    >>> np.round(tr.final, 6)
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    M = game_matrix(A)
    n = M.shape[0]
    X0 = as_states(x0, n, name="x0")
    te = _times(t_end, t_eval, n_out)
    rtol, atol = positive_finite(rtol, "rtol"), positive_finite(atol, "atol")
    max_step = positive_finite(max_step, "max_step") if np.isfinite(max_step) else np.inf
    if min_step is None:
        min_step = float(te[-1]) * (1e-4 if dynamic == "best_response" else 1e-12)
    min_step = positive_finite(min_step, "min_step")
    kernel = flow(dynamic)
    log = dynamic == "replicator"
    k = X0.shape[0]

    if log:
        with np.errstate(divide="ignore"):
            Z0 = np.log(np.clip(X0, 0.0, None))

        def to_x(Y: np.ndarray) -> np.ndarray:
            return _softmax(Y[:, :n])

        def rhs(Y: np.ndarray) -> np.ndarray:
            z = Y[:, :n]
            e = np.exp(z - z.max(axis=1, keepdims=True))
            x = e / e.sum(axis=1, keepdims=True)
            f = x @ M.T
            out = np.empty_like(Y)
            out[:, :n] = f - np.sum(x * f, axis=1, keepdims=True)
            out[:, n:] = x
            return out

    else:
        Z0 = np.clip(X0, 0.0, None)
        Z0 /= Z0.sum(axis=1, keepdims=True)

        def to_x(Y: np.ndarray) -> np.ndarray:
            return Y[:, :n]

        def rhs(Y: np.ndarray) -> np.ndarray:
            x = Y[:, :n]
            out = np.empty_like(Y)
            out[:, :n] = kernel(x, M, **params)
            out[:, n:] = x
            return out

    out = np.full((k, te.size, n), np.nan)
    Y = np.concatenate([Z0, np.zeros((k, n))], axis=1)
    F = rhs(Y)
    nxt = np.zeros(k, dtype=np.int64)
    first = te[0] == 0.0
    if first:
        out[:, 0] = X0
        nxt[:] = 1
    t = np.zeros(k)
    # initial step: 1% of the time for the state to change by its tolerance (Hairer I, II.4)
    scale = atol + rtol * np.abs(np.where(np.isfinite(Y[:, :n]), Y[:, :n], 0.0))
    d1 = np.sqrt(np.mean((F[:, :n] / scale) ** 2, axis=1))
    h = np.where(d1 > 1e-5, 0.01 / np.maximum(d1, 1e-300), 1e-3)
    h = np.minimum(np.minimum(h, max_step), float(te[-1]))
    rows = np.arange(k)
    mean = np.full((k, n), np.nan)
    t_reached = np.zeros(k)
    steps = np.zeros(k, dtype=np.int64)
    rejected = np.zeros(k, dtype=np.int64)
    T = float(te[-1])
    bar = tqdm(total=T, disable=not progress, desc=f"{dynamic} x{k}", unit="t")
    shown = 0.0
    K = np.empty((7, *Y.shape))
    try:
        for _ in range(max_iterations):
            if rows.size == 0:
                break
            h = np.minimum(h, T - t)
            K = K[:, : rows.size]
            K[0] = F
            for s in range(1, 6):
                dy = _combine(_A[s, :s], K)
                K[s] = rhs(Y + h[:, None] * dy)
            Ynew = Y + h[:, None] * _combine(_B, K)
            Fnew = rhs(Ynew)
            K[6] = Fnew
            err = h[:, None] * _combine(_E, K[:, :, :n])
            finite = np.isfinite(Y[:, :n])
            ymax = np.maximum(np.abs(np.where(finite, Y[:, :n], 0.0)), np.abs(Ynew[:, :n]))
            ratio = np.where(finite, err / (atol + rtol * np.where(finite, ymax, 0.0)), 0.0)
            enorm = np.sqrt(np.mean(ratio**2, axis=1))
            ok = (enorm <= 1.0) | (h <= min_step)
            with np.errstate(divide="ignore"):
                factor = _SAFETY * np.where(enorm > 0, enorm, 1e-300) ** _ERR_EXP
            factor = np.clip(factor, _MIN_FACTOR, np.where(ok, _MAX_FACTOR, 1.0))
            if np.any(ok):
                a = np.flatnonzero(ok)
                told, tnew = t[a], t[a] + h[a]
                # dense output at every output time passed by this step
                while True:
                    ia = nxt[rows[a]]
                    pend = ia < te.size
                    pend[pend] &= te[ia[pend]] <= tnew[pend] + 1e-12 * T
                    if not pend.any():
                        break
                    p = a[pend]
                    g = rows[p]
                    theta = (te[nxt[g]] - told[pend]) / h[p]
                    powers = np.cumprod(np.repeat(theta[None, :], 4, axis=0), axis=0)
                    coef = _P @ powers  # (7, len(p))
                    yint = Y[p, :n] + h[p, None] * np.einsum("sr,srd->rd", coef, K[:, p, :n])
                    out[g, nxt[g]] = _project(_softmax(yint) if log else yint)
                    nxt[g] += 1
                if not log:
                    Ynew[a, :n] = _project(Ynew[a, :n])
                Y[a], F[a], t[a] = Ynew[a], Fnew[a], tnew
                steps[rows[a]] += 1
                if observer is not None:
                    observer(rows[a], tnew, to_x(Ynew[a]))
                if not log:
                    F[a] = rhs(Y[a])
            rejected[rows[~ok]] += 1
            h = np.clip(h * factor, min_step, max_step)
            if log:
                Y[:, :n] -= _logsumexp(Y[:, :n])  # z = log x exactly normalised
            done = t >= T * (1 - 1e-12)
            if done.any():
                g = rows[done]
                mean[g] = Y[done, n:] / T
                t_reached[g] = T
                keep = ~done
                rows, Y, F, t, h = rows[keep], Y[keep], F[keep], t[keep], h[keep]
            if progress and rows.size and t.min() > shown:
                bar.update(float(t.min()) - shown)
                shown = float(t.min())
    except KeyboardInterrupt:
        bar.write(f"interrupted: {rows.size} of {k} trajectories unfinished")
    finally:
        bar.close()
    if rows.size:  # interrupted or out of iterations: keep the partial time averages
        t_reached[rows] = t
        with np.errstate(invalid="ignore", divide="ignore"):
            mean[rows] = Y[:, n:] / t[:, None]
    return Trajectories(te, out, mean, t_reached, steps, rejected, dynamic)


def _combine(coef: np.ndarray, K: np.ndarray) -> np.ndarray:
    """``sum_s coef[s] K[s]`` over the nonzero coefficients (faster than tensordot here)."""
    out = coef[0] * K[0]
    for c, k in zip(coef[1:], K[1 : len(coef)], strict=True):
        if c != 0.0:
            out += c * k
    return out


def _logsumexp(z: np.ndarray) -> np.ndarray:
    m = np.max(z, axis=1, keepdims=True)
    return m + np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))


def _project(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, None)
    return x / x.sum(axis=1, keepdims=True)


def integrate_single(
    A: Any,
    x0: Any,
    t_end: float,
    *,
    dynamic: str = "replicator",
    t_eval: Any = None,
    n_out: int = 201,
    method: str = "RK45",
    rtol: float = 1e-6,
    atol: float = 1e-8,
    **params: float,
) -> Trajectories:
    """One trajectory with :func:`scipy.integrate.solve_ivp`, in the shares ``x`` themselves.

    The reference the batched integrator is checked and benchmarked against; any
    ``solve_ivp`` method (``"RK45"``, ``"DOP853"``, ``"LSODA"``, ...). Outputs are projected
    onto the simplex (clipped at 0, renormalised): in ``x`` coordinates shares below ``atol``
    carry no relative accuracy, which is why :func:`integrate` uses log coordinates.

    Examples
    --------
    >>> tr = integrate_single([[0, 1], [1, 0]], [0.9, 0.1], 20.0, n_out=2)
    >>> np.round(tr.final, 6)
    array([[0.5, 0.5]])
    """
    M = game_matrix(A)
    X0 = as_states(x0, M.shape[0], name="x0")
    if X0.shape[0] != 1:
        raise ParameterError(f"x0 must be one state, got {X0.shape[0]}")
    te = _times(t_end, t_eval, n_out)
    kernel = flow(dynamic)
    n = M.shape[0]

    def fun(_t: float, y: np.ndarray) -> np.ndarray:
        x = y[:n][None, :]
        return np.concatenate([kernel(x, M, **params)[0], x[0]])

    sol = solve_ivp(
        fun,
        (0.0, float(te[-1])),
        np.concatenate([X0[0], np.zeros(n)]),
        method=method,
        t_eval=te,
        rtol=rtol,
        atol=atol,
    )
    if not sol.success:  # pragma: no cover - solve_ivp failures are rare on these flows
        raise ParameterError(f"solve_ivp failed: {sol.message}")
    x = _project(sol.y[:n].T)[None, :, :]  # solve_ivp drifts off the simplex by ~atol
    T = float(te[-1])
    return Trajectories(
        te,
        x,
        sol.y[n:, -1][None, :] / T,
        np.array([T]),
        np.array([sol.nfev // 6]),
        np.array([0]),
        dynamic,
    )
