"""Private machinery of :mod:`dynamics.integrate`, split as :mod:`scipy.integrate`'s ``_ivp`` is.

A coordinates object (:class:`LogShares` or :class:`Shares`: ``to_internal``, ``to_shares``,
``rhs``, ``accept``, ``normalise``), one embedded Runge-Kutta step (:func:`dopri_step`), one
step-size controller (:class:`StepControl`), the dense output (:func:`dense_output`), and
:func:`run`, the loop that drives them on checked arrays (it trusts them: callers validate).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np
from scipy.integrate import RK45
from tqdm import tqdm

from dynamics._kernels import excess, logsumexp, project, row_sum, softmax
from dynamics.errors import DynamicsError
from dynamics.flows import Kernel, flow

__all__ = [
    "LogShares",
    "Shares",
    "Coordinates",
    "coordinates",
    "dopri_step",
    "StepControl",
    "dense_output",
    "Run",
    "run",
    "Observer",
]

_C, _A, _B, _E, _P = RK45.C, RK45.A, RK45.B, RK45.E, RK45.P
_SAFETY, _MIN_FACTOR, _MAX_FACTOR = 0.9, 0.2, 10.0
_ERR_EXP = -1.0 / 5.0  # 1 / (error estimator order + 1)
_STAGES = 6  # field evaluations per attempted step: stages 2..6 and the new point (FSAL)
# Smallest step of a rescaled game (payoffs of size ~1, so its field changes on times ~1): a
# floor of a fraction of a horizon of 1e20 such units would accept steps far past stability.
_RESCALED_MIN_STEP = 1e-6

#: ``observer(rows, t, x)``: called after every accepted step with the batch indices of the
#: trajectories that stepped, their new times and their new states (rows of ``x``).
Observer = Callable[[np.ndarray, np.ndarray, np.ndarray], None]


class Run(NamedTuple):
    """The arrays of :class:`dynamics.integrate.Trajectories`, in its field order, and whether
    Ctrl-C stopped the run."""

    t: np.ndarray
    x: np.ndarray
    mean: np.ndarray
    t_reached: np.ndarray
    steps: np.ndarray
    rejected: np.ndarray
    nfev: np.ndarray
    interrupted: bool


# ---------------------------------------------------------------------------------------------
# coordinates


@dataclass(frozen=True)
class LogShares:
    """Log coordinates ``z = log x`` of the replicator flow: ``z_i' = f_i - x.f``, ``x =
    softmax(z)``. Shares stay positive exactly; ``z`` is renormalised after every iteration
    (``softmax`` does not see the shift, so the field's value stays valid)."""

    M: np.ndarray
    refresh_after_accept: bool = field(default=False, init=False)

    def to_internal(self, X: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.log(np.clip(X, 0.0, None))

    def to_shares(self, Z: np.ndarray) -> np.ndarray:
        return softmax(Z)

    def rhs(self, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The field in these coordinates and the shares, at rows ``Z``."""
        x = softmax(Z)
        f = x @ self.M.T
        return excess(x, f), x

    def accept(self, Z: np.ndarray) -> np.ndarray:
        return Z

    def normalise(self, Z: np.ndarray) -> None:
        Z -= logsumexp(Z)  # z = log x exactly normalised


@dataclass(frozen=True)
class Shares:
    """The shares ``x`` themselves, for any kernel; an accepted step is projected back onto the
    simplex (clip at 0, renormalise), after which the field is evaluated afresh."""

    M: np.ndarray
    kernel: Kernel
    params: dict[str, float]
    refresh_after_accept: bool = field(default=True, init=False)

    def to_internal(self, X: np.ndarray) -> np.ndarray:
        return project(X)

    def to_shares(self, Z: np.ndarray) -> np.ndarray:
        return Z

    def rhs(self, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.kernel(self.M, Z, **self.params), Z

    def accept(self, Z: np.ndarray) -> np.ndarray:
        return project(Z)

    def normalise(self, Z: np.ndarray) -> None:
        return None


Coordinates = LogShares | Shares


def coordinates(M: np.ndarray, dynamic: str, params: dict[str, float]) -> Coordinates:
    kernel = flow(dynamic)
    return LogShares(M) if dynamic == "replicator" else Shares(M, kernel, params)


def _augmented_rhs(coords: Coordinates, n: int) -> Callable[[np.ndarray], np.ndarray]:
    """The right-hand side of ``Y = [z, int_0^t x]``: the flow and the running integral of the
    shares (for the time averages)."""

    def rhs(Y: np.ndarray) -> np.ndarray:
        dz, x = coords.rhs(Y[:, :n])
        out = np.empty_like(Y)
        out[:, :n] = dz
        out[:, n:] = x
        return out

    return rhs


# ---------------------------------------------------------------------------------------------
# step, step control, dense output


def _combine(coef: np.ndarray, K: np.ndarray) -> np.ndarray:
    """``sum_s coef[s] K[s]`` over the nonzero coefficients (faster than tensordot here)."""
    out = coef[0] * K[0]
    for c, k in zip(coef[1:], K[1 : len(coef)], strict=True):
        if c != 0.0:
            out += c * k
    return out


def dopri_step(
    rhs: Callable[[np.ndarray], np.ndarray],
    Y: np.ndarray,
    F: np.ndarray,
    h: np.ndarray,
    K: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """One Dormand-Prince 5(4) step of every row from ``Y`` (field ``F``) with its own ``h``.

    Fills the stages ``K`` (shape (7, k, d)); returns the 5th-order solution and its field.
    """
    K[0] = F
    for s in range(1, 6):
        K[s] = rhs(Y + h[:, None] * _combine(_A[s, :s], K))
    Ynew = Y + h[:, None] * _combine(_B, K)
    Fnew = rhs(Ynew)
    K[6] = Fnew
    return Ynew, Fnew


@dataclass(frozen=True)
class StepControl:
    """Per-row error control ``atol + rtol |y|`` (RMS over components; components that are
    ``-inf``, i.e. log of an absent strategy, do not count) and the step-size update."""

    rtol: float
    atol: float
    min_step: float
    max_step: float

    def initial(self, Z: np.ndarray, dZ: np.ndarray, T: float) -> np.ndarray:
        """1% of the time for the state to change by its tolerance (Hairer I, II.4)."""
        scale = self.atol + self.rtol * np.abs(np.where(np.isfinite(Z), Z, 0.0))
        d1 = np.sqrt(row_sum((dZ / scale) ** 2)[:, 0] / dZ.shape[1])  # the RMS
        h = np.where(d1 > 1e-5, 0.01 / np.maximum(d1, 1e-300), 1e-3)
        return np.asarray(np.minimum(np.minimum(h, self.max_step), T))

    def error_norm(self, err: np.ndarray, Z: np.ndarray, Znew: np.ndarray) -> np.ndarray:
        finite = np.isfinite(Z)
        ymax = np.maximum(np.abs(np.where(finite, Z, 0.0)), np.abs(Znew))
        ratio = np.where(finite, err / (self.atol + self.rtol * np.where(finite, ymax, 0.0)), 0.0)
        return np.asarray(np.sqrt(row_sum(ratio**2)[:, 0] / ratio.shape[1]))  # the RMS

    def accepted(self, enorm: np.ndarray, h: np.ndarray) -> np.ndarray:
        """A step within tolerance, or one already at the smallest step, is accepted."""
        return np.asarray((enorm <= 1.0) | (h <= self.min_step))

    def next_step(self, h: np.ndarray, enorm: np.ndarray, ok: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            factor = _SAFETY * np.where(enorm > 0, enorm, 1e-300) ** _ERR_EXP
        factor = np.clip(factor, _MIN_FACTOR, np.where(ok, _MAX_FACTOR, 1.0))
        return np.asarray(np.clip(h * factor, self.min_step, self.max_step))


def dense_output(Z: np.ndarray, h: np.ndarray, K: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """The pair's 4th-order interpolant at fractions ``theta`` of the steps from ``Z``."""
    powers = np.cumprod(np.repeat(theta[None, :], 4, axis=0), axis=0)
    coef = _P @ powers  # (7, len(theta))
    return np.asarray(Z + h[:, None] * np.einsum("sr,srd->rd", coef, K))


def run(
    coords: Coordinates,
    X0: np.ndarray,
    te: np.ndarray,
    control: StepControl,
    *,
    dynamic: str,
    max_iterations: int = 200_000,
    observer: Observer | None = None,
    progress: bool = False,
    time_scale: float = 1.0,
    keep_partial: bool = True,
    averages: bool = True,
) -> Run:
    """:func:`dynamics.integrate.integrate` on checked states ``X0`` (k, n), output times
    ``te`` and step control.

    `coords` may be those of a rescaled game (:func:`dynamics._kernels.rescaled`) whose orbit
    runs `time_scale` times slower: the loop then runs in its time, and the times it reports
    (outputs, ``t_reached``, the observer's) are the given game's. Ctrl-C returns what was
    computed if `keep_partial`, else propagates (a caller that must not count a half-done
    batch). A state that leaves floating point raises :class:`dynamics.errors.DynamicsError`.
    Without `averages` the running integral of the shares is not carried (``mean`` is NaN):
    the states are the same bits, at about half the work (the step control never sees it).
    """
    te_given = te
    if time_scale != 1.0:
        te = te * time_scale
        control = replace(  # the floor stays below the rescaled game's own time scale (~1)
            control,
            min_step=min(control.min_step * time_scale, _RESCALED_MIN_STEP),
            max_step=control.max_step * time_scale,
        )
    k, n = X0.shape
    if averages:
        rhs = _augmented_rhs(coords, n)
        Y = np.concatenate([coords.to_internal(X0), np.zeros((k, n))], axis=1)
    else:
        Y = coords.to_internal(X0)

        def rhs(Z: np.ndarray) -> np.ndarray:
            return coords.rhs(Z)[0]

    out = np.full((k, te.size, n), np.nan)
    F = rhs(Y)
    nfev = np.ones(k, dtype=np.int64)
    nxt = np.zeros(k, dtype=np.int64)
    if te[0] == 0.0:
        out[:, 0] = X0
        nxt[:] = 1
    t = np.zeros(k)
    T = float(te[-1])
    h = control.initial(Y[:, :n], F[:, :n], T)
    rows = np.arange(k)
    mean = np.full((k, n), np.nan)
    t_reached = np.zeros(k)
    steps = np.zeros(k, dtype=np.int64)
    rejected = np.zeros(k, dtype=np.int64)
    bar = tqdm(total=T, disable=not progress, desc=f"{dynamic} x{k}", unit="t")
    interrupted = False
    shown = 0.0
    K = np.empty((7, *Y.shape))
    # overflow in a trial stage is rejected by the error control; a non-finite accepted state
    # is raised below
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            for _ in range(max_iterations):
                if rows.size == 0:
                    break
                h = np.minimum(h, T - t)
                K = K[:, : rows.size]
                Ynew, Fnew = dopri_step(rhs, Y, F, h, K)
                nfev[rows] += _STAGES
                err = h[:, None] * _combine(_E, K[:, :, :n])
                enorm = control.error_norm(err, Y[:, :n], Ynew[:, :n])
                ok = control.accepted(enorm, h)
                if np.any(ok):
                    every = bool(ok.all())  # then whole arrays, not gathered copies
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
                        zint = dense_output(Y[p, :n], h[p], K[:, p, :n], theta)
                        out[g, nxt[g]] = project(coords.to_shares(zint))
                        nxt[g] += 1
                    if every:
                        Ynew[:, :n] = coords.accept(Ynew[:, :n])
                        shares = coords.to_shares(Ynew[:, :n])
                    else:
                        Ynew[a, :n] = coords.accept(Ynew[a, :n])
                        shares = coords.to_shares(Ynew[a, :n])
                    integrals = Ynew[:, n:] if every else Ynew[a, n:]
                    if not (np.all(np.isfinite(shares)) and np.all(np.isfinite(integrals))):
                        raise DynamicsError(
                            f"the {dynamic} flow left floating point near t = "
                            f"{float(tnew.min()) / time_scale:.4g} (payoffs up to "
                            f"{float(np.max(np.abs(coords.M))):.3g}); divide the payoffs by a "
                            "constant"
                        )
                    if every:
                        Y, F, t = Ynew, Fnew, tnew
                    else:
                        Y[a], F[a], t[a] = Ynew[a], Fnew[a], tnew
                    steps[rows[a]] += 1
                    if observer is not None:
                        observer(rows[a], tnew / time_scale, shares)
                    if coords.refresh_after_accept:
                        F[a] = rhs(Y[a])
                        nfev[rows[a]] += 1
                rejected[rows[~ok]] += 1
                h = control.next_step(h, enorm, ok)
                coords.normalise(Y[:, :n])
                done = t >= T * (1 - 1e-12)
                if done.any():
                    g = rows[done]
                    if averages:  # a mean of simplex states: only round-off leaves the simplex
                        mean[g] = project(Y[done, n:] / T)
                    t_reached[g] = T
                    keep = ~done
                    rows, Y, F, t, h = rows[keep], Y[keep], F[keep], t[keep], h[keep]
                if progress and rows.size and t.min() > shown:
                    bar.update(float(t.min()) - shown)
                    shown = float(t.min())
        except KeyboardInterrupt:
            if not keep_partial:
                raise
            bar.write(f"interrupted: {rows.size} of {k} trajectories unfinished", file=sys.stderr)
            interrupted = True
        finally:
            bar.close()
    if rows.size:  # interrupted or out of iterations: keep the partial time averages
        t_reached[rows] = t
        if averages:
            with np.errstate(invalid="ignore", divide="ignore"):
                mean[rows] = Y[:, n:] / t[:, None]
    t_reached /= time_scale
    return Run(te_given, out, mean, t_reached, steps, rejected, nfev, interrupted)
