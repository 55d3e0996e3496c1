"""How close the agent simulation comes to the replicator flow, as a function of N.

For each population size the agent simulation (:mod:`dynamics.finite.agents`) is run ``runs``
times; its mean path is compared with the replicator flow integrated at the matching times
``t = r tau``. The tolerance is justified pointwise: the mean of ``runs`` independent runs has
standard error ``SE``; ``Z_FAMILY`` standard errors bound all the compared points at once
(Bonferroni) and the deterministic Euler gap of the model's time step (computed, not guessed) is
added. Single runs scatter about the flow by an RMS ``spread`` that the theory says falls like
``1/sqrt(N)``: the log-log slope of spread against N is fitted and reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from dynamics._checks import MatrixLike, generator
from dynamics.finite.agents import AgentRuns, euler_map, simulate_agents
from dynamics.integrate import integrate
from theory.games import float_matrix

__all__ = ["Z_FAMILY", "FlowConvergence", "flow_convergence"]

#: Standard errors allowed per compared point: a two-sided Bonferroni bound for a family
#: false-alarm rate of 1e-3 over 200 points (z = 4.42 for p = 5e-6).
Z_FAMILY = 4.42


@dataclass(frozen=True)
class FlowConvergence:
    """Agent means against the flow for several N.

    Attributes
    ----------
    N : ndarray (m,)
    time : ndarray (T,)
        Compared flow times.
    flow : ndarray (T, n)
        The replicator flow at those times.
    means : ndarray (m, T, n)
        Agent mean paths.
    distance : ndarray (m,)
        ``max |mean - flow|`` over times and strategies.
    tolerance : ndarray (m,)
        ``Z_FAMILY * max SE + euler_gap``.
    spread : ndarray (m,)
        RMS Euclidean distance of single runs from the flow.
    euler_gap : float
        ``max |Euler map - flow|``: the discretisation of the model's rounds.
    slope, slope_se : float
        Least-squares slope of ``log spread`` against ``log N`` and its standard error.
    """

    N: np.ndarray
    time: np.ndarray
    flow: np.ndarray
    means: np.ndarray
    distance: np.ndarray
    tolerance: np.ndarray
    spread: np.ndarray
    euler_gap: float
    slope: float
    slope_se: float

    @property
    def agrees(self) -> bool:
        """Every mean path within its tolerance."""
        return bool(np.all(self.distance <= self.tolerance))


def flow_convergence(
    A: MatrixLike,
    x0: ArrayLike,
    Ns: Sequence[int],
    *,
    rounds: int,
    h: float = 0.2,
    runs: int = 100,
    every: int = 1,
    rng: int | np.random.Generator | None = None,
) -> FlowConvergence:
    """Run the agent simulation for each N in `Ns` and measure its distance to the flow.

    The initial counts are ``floor(x0 * N)``, the remainder given to the largest share;
    `Ns` must be even.

    Examples
    --------
    >>> fc = flow_convergence([[3, 0], [5, 1]], [0.9, 0.1], [50, 200], rounds=20, runs=20,
    ...                       every=5, rng=0)
    >>> fc.distance.shape, fc.agrees
    ((2,), True)
    """
    rng = generator(rng)
    M = float_matrix(A, square=True)
    x = np.asarray(x0, dtype=np.float64)
    streams = rng.spawn(len(Ns))
    out: list[AgentRuns] = []
    for N, stream in zip(Ns, streams, strict=True):
        counts = np.floor(x * N).astype(np.int64)
        counts[np.argmax(x)] += N - counts.sum()
        out.append(
            simulate_agents(M, counts, rounds=rounds, h=h, runs=runs, every=every, rng=stream)
        )
    t = out[0].time
    flow = integrate(M, x, float(t[-1]), t_eval=t, rtol=1e-10, atol=1e-12).x[0]
    euler = euler_map(M, x, rounds, h)[out[0].rounds]
    gap = float(np.abs(euler - flow).max())
    means = np.stack([o.mean for o in out])
    distance = np.abs(means - flow).max(axis=(1, 2))
    tolerance = np.array([Z_FAMILY * np.nanmax(o.standard_error) + gap for o in out])
    spread = np.array(
        [np.sqrt(((o.frequencies - flow[:, None, :]) ** 2).sum(axis=2).mean()) for o in out]
    )
    fit = stats.linregress(np.log(np.asarray(Ns, dtype=float)), np.log(spread))
    return FlowConvergence(
        np.asarray(Ns),
        t,
        flow,
        means,
        distance,
        tolerance,
        spread,
        gap,
        float(fit.slope),
        float(fit.stderr),
    )
