"""Long-run behaviour of flows: rest points reached, cycles, boundary approaches, time averages.

A heteroclinic cycle shows itself as an *itinerary*: the orbit lingers near one vertex, moves to
the next, and so on, coming exponentially closer to the faces each round. We record a visit to
vertex ``i`` whenever ``x_i > VERTEX_SHARE`` and call the orbit cycling when the itinerary ends
with a full round of a repeating pattern (:func:`heteroclinic_cycle`). Interior periodic orbits
are found by recurrence (:func:`recurrence_period`).

For the replicator flow, ``d/dt log(x_i / x_j) = f_i - f_j`` integrates to the exact identity
``(A xbar)_i - (A xbar)_j = [log(x_i/x_j)]_0^T / T`` for the time average ``xbar``
(Hofbauer & Sigmund, *Evolutionary Games and Population Dynamics*, 1998, Thm 7.6.4):
:func:`average_identity_residual` checks computed averages against it. An orbit drawn to a
heteroclinic cycle has ``log x_i(T) / T`` bounded away from 0, so its time average need *not*
converge to the interior rest point (Gaunersdorfer, SIAM J. Appl. Math. 52, 1992).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from dynamics import _kernels
from dynamics._checks import MatrixLike, positive_finite
from dynamics.errors import ParameterError
from dynamics.flows import as_states, game_matrix

__all__ = [
    "VERTEX_SHARE",
    "ALMOST_ALL",
    "vertex_itinerary",
    "heteroclinic_cycle",
    "cycle_label",
    "time_share",
    "recurrence_period",
    "trapping_radius",
    "average_identity_residual",
    "ItineraryTracker",
]

#: A visit to vertex ``i``: ``x_i`` above this share (the orbit is "at" the vertex).
VERTEX_SHARE = 0.9
#: "Almost all" of one type: a share above 0.99.
ALMOST_ALL = 0.99


def vertex_itinerary(x: ArrayLike, *, share: float = VERTEX_SHARE) -> tuple[int, ...]:
    """The vertices an orbit visits, in order, without repeats.

    Parameters
    ----------
    x : array_like, shape (m, n)
        States along one orbit (rows in time order).
    share : float, default VERTEX_SHARE
        A visit to vertex ``i`` is a state with ``x_i > share`` (``share >= 1/2``).

    Examples
    --------
    >>> vertex_itinerary([[0.95, 0.05], [0.5, 0.5], [0.02, 0.98], [0.01, 0.99]])
    (0, 1)
    """
    if not 0.5 <= share < 1:
        raise ParameterError(f"share must be in [0.5, 1), got {share!r}")
    X = np.asarray(x, dtype=np.float64)
    if X.ndim != 2:
        raise ParameterError(f"x must have shape (m, n), got {X.shape}")
    at = np.where(X.max(axis=1) > share, X.argmax(axis=1), -1)
    at = at[at >= 0]
    if at.size == 0:
        return ()
    keep = np.concatenate([[True], at[1:] != at[:-1]])
    return tuple(int(v) for v in at[keep])


def heteroclinic_cycle(itinerary: Sequence[int], *, rounds: int = 1) -> tuple[int, ...] | None:
    """The repeating vertex pattern an itinerary ends with, or ``None``.

    The pattern has ``p >= 3`` distinct vertices (a replicator orbit cannot shuttle between two
    vertices: each edge flows one way) and the last ``rounds * p + 1`` visits follow it.
    It is returned rotated to start at its smallest vertex.

    Examples
    --------
    >>> heteroclinic_cycle((2, 1, 3, 2, 1, 3, 2))
    (1, 3, 2)
    >>> heteroclinic_cycle((0, 2, 0, 2, 0)) is None
    True
    """
    if not (isinstance(rounds, int) and rounds >= 1):
        raise ParameterError(f"rounds must be an integer >= 1, got {rounds!r}")
    it = list(itinerary)
    for p in range(3, len(it)):
        need = rounds * p + 1
        if need > len(it):
            break
        tail = it[-need:]
        if all(tail[i] == tail[i + p] for i in range(need - p)) and len(set(tail[:p])) == p:
            pattern = tail[:p]
            j = pattern.index(min(pattern))
            return tuple(pattern[j:] + pattern[:j])
    return None


def cycle_label(cycle: Sequence[int], names: Sequence[str]) -> str:
    """A cycle as text, e.g. ``"C→P→F"``.

    Examples
    --------
    >>> cycle_label((1, 3, 2), "DCFP")
    'C→P→F'
    """
    return "→".join(names[i] for i in cycle)


def time_share(x: ArrayLike, t: ArrayLike, i: int, *, share: float = ALMOST_ALL) -> float:
    """Fraction of the time ``[t_0, t_end]`` with ``x_i > share``, from states on a time grid.

    Each interval between output times counts with the indicator at its left end, so the error
    is at most (number of crossings) x (grid step) / (total time).

    Examples
    --------
    >>> time_share([[1.0, 0.0], [0.5, 0.5], [1.0, 0.0]], [0, 1, 4], 0)
    0.25
    """
    X, T = np.asarray(x, dtype=np.float64), np.asarray(t, dtype=np.float64)
    if X.ndim != 2 or T.shape != (X.shape[0],) or T.size < 2:
        raise ParameterError(f"x (m, n) and t (m,) must match, got {X.shape} and {T.shape}")
    if not 0 <= i < X.shape[1]:
        raise ParameterError(f"strategy index i={i} outside 0..{X.shape[1] - 1}")
    dt = np.diff(T)
    return float(np.sum(dt * (X[:-1, i] > share)) / (T[-1] - T[0]))


def recurrence_period(
    x: ArrayLike, t: ArrayLike, *, radius: float = 1e-3, min_gap: float | None = None
) -> float | None:
    """Time since the orbit last passed within `radius` of its final state, or ``None``.

    A periodic orbit returns to every point of itself; the first return time, searched no
    earlier than `min_gap` (default: a tenth of the time span) before the end, estimates its
    period (to within the grid step). A visit counts only if the orbit left the ball after it,
    so an orbit at rest is not periodic.

    Examples
    --------
    >>> t = np.linspace(0, 20, 2001)
    >>> x = np.stack([0.4 + 0.1 * np.cos(t), 0.3 + 0.1 * np.sin(t)], axis=1)
    >>> round(recurrence_period(x, t, radius=1e-3), 2)
    6.28
    """
    X, T = np.asarray(x, dtype=np.float64), np.asarray(t, dtype=np.float64)
    if X.ndim != 2 or T.shape != (X.shape[0],):
        raise ParameterError(f"x (m, n) and t (m,) must match, got {X.shape} and {T.shape}")
    gap = (T[-1] - T[0]) / 10 if min_gap is None else float(min_gap)
    dist = np.max(np.abs(X - X[-1]), axis=1)
    away = np.flatnonzero(dist >= radius)
    if away.size == 0:  # never left the ball: at rest, not periodic
        return None
    before = np.flatnonzero((T <= T[-1] - gap) & (dist < radius))
    before = before[before < away[-1]]  # a return needs an excursion after the earlier visit
    if before.size == 0:
        return None
    return float(T[-1] - T[before[-1]])


def trapping_radius(A: MatrixLike, i: int) -> float:
    """Largest ``r`` such that ``{x : x_i > 1 - r}`` traps replicator orbits and sends them to
    vertex ``i``; 0 if ``i`` is not a strict Nash equilibrium.

    In that set ``i`` is the strict best response: with ``a_j = A_ii - A_ji > 0`` and
    ``b_j = min(0, min_{k != i} (A_ik - A_jk))``, ``f_i - f_j >= a_j (1 - r) + b_j r > 0`` for
    ``r < a_j / (a_j - b_j)``; then ``x_i' = x_i sum_j x_j (f_i - f_j) > 0``, so ``x_i`` grows
    to 1.

    Examples
    --------
    >>> trapping_radius([[1, 3, 1, 1], [0, 2, 2, 0], [0.9, 1.9, 1.9, 1.9],
    ...                  [0.8, 2.8, 1.8, 1.8]], 0)    # DefectBot at eps = 1/10
    0.1
    >>> trapping_radius([[1, 0], [2, 0]], 0)
    0.0
    """
    M = game_matrix(A)
    n = M.shape[0]
    if not (isinstance(i, int | np.integer) and 0 <= i < n):
        raise ParameterError(f"vertex index i={i!r} outside 0..{n - 1}")
    return _kernels.trapping_radius(M, int(i))


def average_identity_residual(
    A: MatrixLike,
    x0: ArrayLike,
    xT: ArrayLike,
    mean: ArrayLike,
    T: float,
    *,
    min_share: float = 0.0,
) -> float:
    """How far a replicator time average misses the identity ``(A xbar)_i - (A xbar)_j =
    [log(x_i / x_j)]_0^T / T`` (over the strategies above `min_share` at both ends: an
    integrator in ``x`` coordinates gives shares below its ``atol`` no relative accuracy).

    Zero up to integration error: a check of an integrator's time averages. It also says when
    ``xbar`` approaches an interior rest point ``x*`` (``A x*`` constant): exactly when the
    log-ratios grow sub-linearly, i.e. the orbit does not approach the boundary exponentially.

    Examples
    --------
    >>> A = [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]     # rock-paper-scissors
    >>> x0 = [0.5, 0.3, 0.2]
    >>> average_identity_residual(A, x0, x0, [1/3, 1/3, 1/3], 10.0) < 1e-12
    True
    """
    M = game_matrix(A)
    n = M.shape[0]
    X0 = as_states(x0, n, name="x0")[0]
    XT = as_states(xT, n, name="xT")[0]
    XB = as_states(mean, n, name="mean")[0]
    T = positive_finite(T, "T")
    S = np.flatnonzero((X0 > min_share) & (XT > min_share))
    if S.size < 2:
        raise ParameterError("x0 and xT must share at least two positive strategies")
    drift = (np.log(XT[S]) - np.log(X0[S])) / T
    gap = (M @ XB)[S] - drift
    return float(gap.max() - gap.min())


class ItineraryTracker:
    """Online record of vertex visits and trap entries, an ``observer`` for ``integrate``.

    Parameters
    ----------
    k, n : int
        Number of trajectories and strategies.
    traps : dict of int to float, optional
        ``{vertex: radius}``: a trajectory with ``x_vertex > 1 - radius`` is settled there
        (see :func:`trapping_radius`).
    share : float, default VERTEX_SHARE
        Vertex-visit threshold.
    memory : int, default 12
        Visits kept per trajectory (the latest ones).
    window_from : float, default inf
        From this time on, ``late_max`` records every strategy's largest share.

    Examples
    --------
    >>> from dynamics.integrate import integrate
    >>> tracker = ItineraryTracker(1, 2, traps={0: 0.5})
    >>> _ = integrate([[1, 1], [0, 0]], [0.05, 0.95], 20.0, observer=tracker)
    >>> tracker.itinerary(0), int(tracker.trapped[0])
    ((1, 0), 0)
    """

    def __init__(
        self,
        k: int,
        n: int,
        *,
        traps: dict[int, float] | None = None,
        share: float = VERTEX_SHARE,
        memory: int = 12,
        window_from: float = np.inf,
    ) -> None:
        self.share = share
        self.traps = {int(v): float(r) for v, r in (traps or {}).items() if r > 0}
        self.visits = np.full((k, memory), -1, dtype=np.int64)  # ring buffer, latest last
        self.count = np.zeros(k, dtype=np.int64)
        self.trapped = np.full(k, -1, dtype=np.int64)
        self.trapped_at = np.full(k, np.nan)
        self.window_from = float(window_from)
        self.late_max = np.zeros((k, n))

    def __call__(self, rows: np.ndarray, t: np.ndarray, x: np.ndarray) -> None:
        top = x.max(axis=1)
        at = np.where(top > self.share, x.argmax(axis=1), -1)
        new = (at >= 0) & (at != self.visits[rows, -1])
        if new.any():
            r = rows[new]
            self.visits[r, :-1] = self.visits[r, 1:]
            self.visits[r, -1] = at[new]
            self.count[r] += 1
        late = t >= self.window_from
        if late.any():
            r = rows[late]
            self.late_max[r] = np.maximum(self.late_max[r], x[late])
        for v, rad in self.traps.items():
            hit = (x[:, v] > 1 - rad) & (self.trapped[rows] < 0)
            if hit.any():
                self.trapped[rows[hit]] = v
                self.trapped_at[rows[hit]] = t[hit]

    def itinerary(self, j: int) -> tuple[int, ...]:
        """The recorded visits of trajectory `j` (the latest ``memory`` of them)."""
        v = self.visits[j]
        return tuple(int(a) for a in v[v >= 0])
