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

The pieces are separate, as in :mod:`scipy.integrate`'s ``_ivp`` (in the private
``dynamics._integrator``): a coordinates object for shares or log-shares (``to_internal``,
``to_shares``, ``rhs``, what to do after a step), one embedded Runge-Kutta step, one step-size
controller and the dense output, driven by one loop on checked arrays; :func:`integrate` is the
public edge that checks them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.integrate
from numpy.typing import ArrayLike

from dynamics._checks import MatrixLike, integer_at_least, kernel_parameters, positive_finite
from dynamics._integrator import Observer, StepControl, coordinates, run
from dynamics._kernels import project, rescaled
from dynamics.errors import DynamicsError, ParameterError
from dynamics.flows import as_states, flow, game_matrix

__all__ = [
    "Trajectories",
    "integrate",
    "integrate_single",
    "output_times",
    "step_control",
    "Observer",
    "SOLVE_IVP_METHODS",
]

#: The :func:`scipy.integrate.solve_ivp` methods :func:`integrate_single` accepts.
SOLVE_IVP_METHODS = ("RK23", "RK45", "DOP853", "Radau", "BDF", "LSODA")


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
    steps : ndarray of int, shape (k,)
        Accepted steps per trajectory.
    rejected : ndarray of int, shape (k,), or None
        Rejected step attempts per trajectory; ``None`` from :func:`integrate_single` (scipy's
        solvers retry rejected steps inside ``step()`` and do not report them).
    nfev : ndarray of int, shape (k,)
        Evaluations of the field per trajectory.
    dynamic : str
        The dynamic's name.
    interrupted : bool
        True if Ctrl-C stopped the run: the outputs are what was computed, not the run asked
        for (``t_reached`` says how far each trajectory got).

    Examples
    --------
    >>> tr = integrate([[1, 1], [0, 0]], [[0.5, 0.5]], 1.0, n_out=3)
    >>> tr.x.shape, bool(tr.success[0]), round(float(tr.final[0, 0]), 6)
    ((1, 3, 2), True, 0.731059)
    >>> bool(tr.nfev[0] == 1 + 6 * (tr.steps[0] + tr.rejected[0]))
    True
    """

    t: np.ndarray
    x: np.ndarray
    mean: np.ndarray
    t_reached: np.ndarray
    steps: np.ndarray
    rejected: np.ndarray | None
    nfev: np.ndarray
    dynamic: str
    interrupted: bool = False

    @property
    def final(self) -> np.ndarray:
        """States at the last output time, shape ``(k, n)``."""
        return self.x[:, -1, :]

    @property
    def success(self) -> np.ndarray:
        """True for trajectories that reached the last output time."""
        return self.t_reached >= self.t[-1]


# ---------------------------------------------------------------------------------------------
# the public edge and the loop


def output_times(t_end: float, *, t_eval: ArrayLike | None = None, n_out: int = 201) -> np.ndarray:
    """Checked output times: `t_eval`, or `n_out` equally spaced ones in ``[0, t_end]``.

    Examples
    --------
    >>> output_times(1.0, n_out=3)
    array([0. , 0.5, 1. ])
    """
    positive_finite(t_end, "t_end")
    if t_eval is None:
        if not (isinstance(n_out, int) and n_out >= 2):
            raise ParameterError(f"n_out must be an integer >= 2, got {n_out!r}")
        return np.linspace(0.0, float(t_end), n_out)
    te = np.asarray(t_eval, dtype=np.float64)
    if te.ndim != 1 or te.size == 0 or np.any(np.diff(te) <= 0) or te[0] < 0 or te[-1] > t_end:
        raise ParameterError("t_eval must be a non-empty increasing array inside [0, t_end]")
    return te


def step_control(
    dynamic: str,
    T: float,
    *,
    rtol: float,
    atol: float,
    max_step: float = np.inf,
    min_step: float | None = None,
) -> StepControl:
    """Checked tolerances and step bounds of a `dynamic` run to time `T` (see :func:`integrate`).

    Examples
    --------
    >>> step_control("best_response", 10.0, rtol=1e-6, atol=1e-8).min_step
    0.001
    """
    rtol, atol = positive_finite(rtol, "rtol"), positive_finite(atol, "atol")
    max_step = positive_finite(max_step, "max_step") if np.isfinite(max_step) else np.inf
    if min_step is None:
        min_step = T * (1e-4 if dynamic == "best_response" else 1e-12)
    return StepControl(rtol, atol, positive_finite(min_step, "min_step"), max_step)


def integrate(
    A: MatrixLike,
    x0: ArrayLike,
    t_end: float,
    *,
    dynamic: str = "replicator",
    t_eval: ArrayLike | None = None,
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
        what was computed (``interrupted`` is set; ``t_reached`` tells how far each trajectory
        got).
    **params
        Parameters of the dynamic (``eta`` for logit); any other keyword is refused
        (``dynamics.flows.kernel_parameters``).

    Returns
    -------
    Trajectories

    Raises
    ------
    SimplexError, ParameterError, theory.errors.TheoryError
        Bad states, times, tolerances, parameters or payoffs.
    DynamicsError
        A state left floating point (it cannot after the rescaling below; a safety net).

    Notes
    -----
    Payoffs larger than ``2**20`` are first shifted per column and divided by a power of two,
    by invariances exact for each dynamic (``dynamics._kernels.rescaled``): every dynamic
    here ignores a constant added to a column; the replicator, BNN and Smith flows of ``A / c``
    are those of ``A`` slowed by ``c`` (integrated to ``c t_end``), best response does not see
    the scale, and logit's ``eta`` takes it. So payoffs of 1e20 or 1e300 give the orbit, not
    NaN; a horizon beyond floating point in the game's own time is a ``ParameterError``.

    Examples
    --------
    >>> A = [[0, 1], [1, 0]]   # anti-coordination: the interior rest point is stable
    >>> tr = integrate(A, [[0.9, 0.1], [0.2, 0.8]], 40.0, n_out=3)
    >>> np.round(tr.final, 6)
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    checked = kernel_parameters(dynamic, **params)
    M = game_matrix(A)
    X0 = as_states(x0, M.shape[0], name="x0")
    te = output_times(t_end, t_eval=t_eval, n_out=n_out)
    control = step_control(
        dynamic, float(te[-1]), rtol=rtol, atol=atol, max_step=max_step, min_step=min_step
    )
    budget = integer_at_least(max_iterations, "max_iterations", 1)
    game = rescaled(M, dynamic, checked, float(te[-1]))
    out = run(
        coordinates(game.M, dynamic, game.params),
        X0,
        te,
        control,
        dynamic=dynamic,
        max_iterations=budget,
        observer=observer,
        progress=progress,
        time_scale=game.time_scale,
    )
    return Trajectories(
        out.t,
        out.x,
        out.mean,
        out.t_reached,
        out.steps,
        out.rejected,
        out.nfev,
        dynamic,
        out.interrupted,
    )


def integrate_single(
    A: MatrixLike,
    x0: ArrayLike,
    t_end: float,
    *,
    dynamic: str = "replicator",
    t_eval: ArrayLike | None = None,
    n_out: int = 201,
    method: Literal["RK23", "RK45", "DOP853", "Radau", "BDF", "LSODA"] = "RK45",
    rtol: float = 1e-6,
    atol: float = 1e-8,
    **params: float,
) -> Trajectories:
    """One trajectory with a :func:`scipy.integrate.solve_ivp` solver, in the shares ``x``.

    The reference the batched integrator is checked and benchmarked against; any of
    ``SOLVE_IVP_METHODS``. The solver is driven step by step as ``solve_ivp`` drives it (same
    outputs), so ``steps`` counts its accepted steps and ``nfev`` its field evaluations for every
    method; ``rejected`` is ``None`` (scipy's solvers do not report them). Outputs are projected
    onto the simplex (clipped at 0, renormalised): in ``x`` coordinates shares below ``atol``
    carry no relative accuracy, which is why :func:`integrate` uses log coordinates.

    Raises
    ------
    ParameterError
        More than one state, an unknown `method`, bad times, tolerances or parameters of the
        dynamic, or a solver failure. Huge payoffs are rescaled as in :func:`integrate`.

    Examples
    --------
    >>> tr = integrate_single([[0, 1], [1, 0]], [0.9, 0.1], 20.0, n_out=2)
    >>> np.round(tr.final, 6)
    array([[0.5, 0.5]])
    >>> bool(tr.steps[0] > 0 and tr.nfev[0] > tr.steps[0]), tr.rejected
    (True, None)
    """
    M = game_matrix(A)
    X0 = as_states(x0, M.shape[0], name="x0")
    if X0.shape[0] != 1:
        raise ParameterError(f"x0 must be one state, got {X0.shape[0]}")
    if method not in SOLVE_IVP_METHODS:
        raise ParameterError(f"method must be one of {SOLVE_IVP_METHODS}, got {method!r}")
    te = output_times(t_end, t_eval=t_eval, n_out=n_out)
    rtol, atol = positive_finite(rtol, "rtol"), positive_finite(atol, "atol")
    kernel = flow(dynamic)
    game = rescaled(M, dynamic, kernel_parameters(dynamic, **params), float(te[-1]))
    Mr, scale, checked = game.M, game.time_scale, game.params
    n = M.shape[0]

    def fun(_t: float, y: np.ndarray) -> np.ndarray:
        x = y[:n][None, :]
        return np.concatenate([kernel(Mr, x, **checked)[0], x[0]])

    T = float(te[-1])
    solver = getattr(scipy.integrate, method)(
        fun, 0.0, np.concatenate([X0[0], np.zeros(n)]), T * scale, rtol=rtol, atol=atol
    )
    ys, i, steps = [], 0, 0
    while solver.status == "running":  # the loop of solve_ivp with t_eval
        message = solver.step()
        if solver.status == "failed":  # pragma: no cover - rare on these flows
            raise ParameterError(f"{method} failed at t = {solver.t:.6g}: {message}")
        steps += 1
        i_new = int(np.searchsorted(te * scale, solver.t, side="right"))
        if i_new > i:
            ys.append(solver.dense_output()(te[i:i_new] * scale))
            i = i_new
    y = np.hstack(ys)
    if not np.all(np.isfinite(y)):
        raise DynamicsError(f"{method}: the {dynamic} flow left floating point")
    x = project(y[:n].T)[None, :, :]  # the solver drifts off the simplex by ~atol
    return Trajectories(
        te,
        x,
        y[n:, -1][None, :] / (T * scale),
        np.array([T]),
        np.array([steps]),
        None,
        np.array([solver.nfev]),
        dynamic,
    )
