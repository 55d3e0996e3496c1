"""Basins of attraction: sample or grid the simplex, follow every start, classify its fate.

A start's fate is decided, in this order, by

1. entering the trapping set ``{x_i > 1 - r_i}`` of a strict-Nash vertex ``i``
   (:func:`dynamics.longrun.trapping_radius`): a proof that the orbit converges there;
   fate ``"rest <name>"``;
2. an itinerary of vertex visits that ends with a full round of a repeating pattern
   (:func:`dynamics.longrun.heteroclinic_cycle`): fate ``"cycle C→P→F"``;
3. strategies whose share stayed below ``EXTINCT`` throughout the second half of the run
   (present at the start, collapsed since): fate ``"extinct D"``; a share of 1e-100 is no
   individual in any population (the cycle itself takes C and P down to 1e-20 and
   below and back), but the flow never makes it exactly 0, so this is a
   finite-time verdict, stated as such;
4. a final state where the field is below ``REST_SPEED`` at a linearly stable rest point
   (numeric Jacobian on the tangent space): fate ``"rest (x1, ..., xn)"``;
5. otherwise ``"undecided"`` (integrate longer), also for a run that exhausted the
   integrator's step budget before ``t_end`` (its final state is the last one reached).

:func:`basins` and :func:`basin_sizes` say when they are unsure: where more than ``undecided``
(default ``UNDECIDED_SHARE``) of a chunk's starts are undecided at ``t_end``, those starts are
run again from the start with the horizon doubled, up to ``t_max`` (default
``HORIZON_CAP * t_end``); a fate decided at a longer horizon replaces "undecided" (the verdicts
1-4 do not expire: a longer run only decides more). The result's ``horizon``
(:class:`Horizon`) states the share still undecided and what was done, and if that share is
still above the limit an :class:`~dynamics.errors.UndecidedWarning` says so.

A fate is a :class:`Fate` value (kind, strategy indices), compared as a value; its ``str()`` is
the label quoted above. Fractions come with Wilson score intervals (Wilson, JASA 22, 1927).
"""

from __future__ import annotations

import math
import sys
import warnings
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from itertools import chain, combinations, combinations_with_replacement
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from tqdm import tqdm

from dynamics import _kernels
from dynamics._checks import MatrixLike, generator, integer_at_least, kernel_parameters
from dynamics._integrator import Coordinates, coordinates, run
from dynamics._responses import (
    RESPONSES,
    PayoffLogShares,
    PayoffShares,
    bimatrix,
    block_matrix,
    blockwise,
    matrix_payoffs,
    pair_coordinates,
    pair_states,
)
from dynamics.errors import DynamicsError, ParameterError, UndecidedWarning
from dynamics.flows import DYNAMICS, as_states, game_matrix
from dynamics.integrate import output_times, step_control
from dynamics.longrun import ItineraryTracker, heteroclinic_cycle
from theory.games import Game, GameLike  # noqa: F401 - Game resolves GameLike's forward reference

__all__ = [
    "REST_SPEED",
    "EXTINCT",
    "Z95",
    "MAX_ENTRIES",
    "UNDECIDED_SHARE",
    "HORIZON_CAP",
    "FateKind",
    "Fate",
    "Horizon",
    "Basins",
    "BasinSizes",
    "wilson_interval",
    "simplex_sample",
    "simplex_grid",
    "classify_fates",
    "basins",
    "basin_sizes",
    "two_population_basins",
    "two_population_basin_sizes",
]

#: A final state with ``max |x'|`` below this is a candidate rest point: integrating with
#: rtol 1e-6 leaves field residuals ~1e-7 at a converged state, 1e-5 is a margin of 100;
#: slow states that are not near a linearly stable rest point fail the eigenvalue test.
REST_SPEED = 1e-5
#: A share that stayed below this over the second half of the run counts as extinct.
EXTINCT = 1e-100
#: Two-sided 95% standard normal quantile.
Z95 = 1.959963984540054
#: Largest array of starts (points x strategies) :func:`simplex_grid` and :func:`simplex_sample`
#: make: 10**7 float64 entries are 80 MB (2.5 million starts of 4 strategies); more is refused
#: before allocating (``simplex_grid(4, 10**4)`` would be 1.7e11 points, a MemoryError). Any
#: number of random starts streams through :func:`basin_sizes`.
MAX_ENTRIES = 10**7
#: Default share of undecided starts above which :func:`basins` and :func:`basin_sizes` extend
#: the horizon (and warn if that does not help): one start in twenty unknown is the most a
#: fraction quoted to two digits can carry without saying so.
UNDECIDED_SHARE = 0.05
#: Default longest horizon, as a multiple of ``t_end`` (three doublings): slow spirals (RPS with
#: win 2 and loss 1 converges at rate 1/6) decide within it; an orbit still undecided at 8 t_end
#: is reported, not chased further.
HORIZON_CAP = 8
#: Chunks :func:`basin_sizes` keeps submitted to an executor at once (a bounded queue: memory
#: does not grow with the number of starts, and 64 chunks keep any pool here busy).
_IN_FLIGHT = 64


def wilson_interval(successes: int, trials: int, *, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    Examples
    --------
    >>> [round(v, 4) for v in wilson_interval(0, 100)]
    [0.0, 0.037]
    >>> [round(v, 4) for v in wilson_interval(50, 100)]
    [0.4038, 0.5962]
    """
    if not (isinstance(trials, int | np.integer) and trials > 0):
        raise ParameterError(f"trials must be a positive integer, got {trials!r}")
    if not (isinstance(successes, int | np.integer) and 0 <= successes <= trials):
        raise ParameterError(f"successes must be an integer in [0, {trials}], got {successes!r}")
    p = successes / trials
    den = 1 + z * z / trials
    mid = (p + z * z / (2 * trials)) / den
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / den
    return max(0.0, mid - half), min(1.0, mid + half)


def simplex_sample(
    n: int,
    k: int,
    *,
    support: Sequence[int] | None = None,
    rng: int | np.random.Generator | None = None,
) -> np.ndarray:
    """``k`` points uniform on the simplex (Dirichlet(1, ..., 1)), shape ``(k, n)``.

    Parameters
    ----------
    support : sequence of int, optional
        Only these strategies are present (a face); default all (the interior).

    Examples
    --------
    >>> x = simplex_sample(4, 3, support=[1, 2, 3], rng=0)
    >>> x.shape, bool(np.all(x[:, 0] == 0)), np.allclose(x.sum(axis=1), 1)
    ((3, 4), True, True)
    """
    rng = generator(rng)
    n = integer_at_least(n, "n", 2)
    k = integer_at_least(k, "k", 1)
    _refuse_large(k, n, f"simplex_sample({n}, {k})")
    try:
        S = list(range(n)) if support is None else [integer_at_least(i, "i", 0) for i in support]
    except (TypeError, ParameterError):
        S = []
    if len(S) < 1 or len(set(S)) != len(S) or min(S) < 0 or max(S) >= n:
        raise ParameterError(f"support must be distinct indices in 0..{n - 1}, got {support!r}")
    x = np.zeros((k, n))
    x[:, S] = rng.dirichlet(np.ones(len(S)), size=k)
    return x


def _refuse_large(points: int | None, n: int, call: str) -> None:
    """Refuse ``points`` x ``n`` entries beyond ``MAX_ENTRIES`` (``None``: far beyond)."""
    if points is None or points * n > MAX_ENTRIES:
        raise ParameterError(
            f"{call} would make more than MAX_ENTRIES = {MAX_ENTRIES:.0e} numbers; use a "
            "coarser grid, or basin_sizes to stream random starts"
        )


def _lattice_count(top: int, parts: int) -> int | None:
    """``comb(top, parts)``, or ``None`` if it is far above ``MAX_ENTRIES`` (judged from
    log-gamma first, so that ``simplex_grid(10**4, 10**9)`` does not compute a huge integer)."""
    log_count = math.lgamma(top + 1) - math.lgamma(parts + 1) - math.lgamma(top - parts + 1)
    if log_count > math.log(MAX_ENTRIES) + 1:
        return None
    return math.comb(top, parts)


def simplex_grid(n: int, resolution: int, *, interior: bool = True) -> np.ndarray:
    """Lattice points ``c / resolution`` of the simplex (all coordinates positive if `interior`).

    Examples
    --------
    >>> simplex_grid(3, 4)
    array([[0.25, 0.25, 0.5 ],
           [0.25, 0.5 , 0.25],
           [0.5 , 0.25, 0.25]])
    """
    n = integer_at_least(n, "n", 2)
    resolution = integer_at_least(resolution, "resolution", 1)
    if interior and resolution < n:
        raise ParameterError(f"no interior lattice point with resolution {resolution} < n = {n}")
    counted = (
        _lattice_count(resolution - 1, n - 1)
        if interior
        else _lattice_count(resolution + n - 1, n - 1)
    )
    _refuse_large(counted, n, f"simplex_grid({n}, {resolution})")
    count = int(counted or 0)
    # compositions of `resolution` into n parts (>= 1 if interior) in lexicographic order, as the
    # differences of their sorted partial sums ("stars and bars")
    cuts: Iterator[tuple[int, ...]] = (
        combinations(range(1, resolution), n - 1)
        if interior
        else combinations_with_replacement(range(resolution + 1), n - 1)
    )
    C = np.fromiter(chain.from_iterable(cuts), dtype=np.int64, count=count * (n - 1))
    bounds = np.zeros((count, n + 1), dtype=np.int64)
    bounds[:, 1:n] = C.reshape(count, n - 1)
    bounds[:, n] = resolution
    return np.diff(bounds, axis=1) / resolution


#: The kinds of fate of an orbit: a rest point, a cycle, an extinction or undecided.
FateKind = Literal["rest", "cycle", "extinct", "undecided"]


@dataclass(frozen=True)
class Fate:
    """Where a start ends up: a value callers compare (``fate.kind``, ``fate.strategies``).

    Attributes
    ----------
    kind : {"rest", "cycle", "extinct", "undecided"}
    strategies : tuple of int
        ``"rest"`` at a vertex: ``(i,)`` (two populations at a pure profile: ``(i, m + j)``,
        the columns of ``[x | y]``); ``"rest"`` at another rest point: its support;
        ``"cycle"``: the vertices in the order visited, from the smallest; ``"extinct"``: the
        strategies that died out; ``"undecided"``: ``()``.
    point : tuple of float, optional
        A rest point that is not a vertex, to the label's three decimals (so starts that reach
        one rest point share one fate); ``None`` otherwise.
    names : tuple of str
        Strategy names for the label (default the indices); not part of the value: fates
        compare and hash by ``kind``, ``strategies`` and ``point``.

    Examples
    --------
    >>> f = Fate("cycle", (1, 3, 2), names=("D", "C", "F", "P"))
    >>> str(f), f.kind, f == Fate("cycle", (1, 3, 2))
    ('cycle C→P→F', 'cycle', True)
    >>> str(Fate("rest", (0, 1), point=(0.5, 0.5))), str(Fate("extinct", (0, 2)))
    ('rest (0.500, 0.500)', 'extinct 0,2')
    """

    kind: FateKind
    strategies: tuple[int, ...] = ()
    point: tuple[float, ...] | None = None
    names: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.kind not in ("rest", "cycle", "extinct", "undecided"):
            raise ParameterError(
                f"kind must be 'rest', 'cycle', 'extinct' or 'undecided', got {self.kind!r}"
            )

    def _name(self, i: int) -> str:
        return self.names[i] if i < len(self.names) else str(i)

    def __str__(self) -> str:
        if self.kind == "undecided":
            return "undecided"
        if self.kind == "rest" and self.point is not None:
            return "rest (" + ", ".join(f"{v:.3f}" for v in self.point) + ")"
        if self.kind == "rest" and len(self.strategies) == 1:
            return f"rest {self._name(self.strategies[0])}"
        if self.kind == "rest":  # a pure profile of several populations
            return "rest (" + ", ".join(self._name(i) for i in self.strategies) + ")"
        if self.kind == "cycle":
            return "cycle " + "→".join(self._name(i) for i in self.strategies)
        return "extinct " + ",".join(self._name(i) for i in self.strategies)


@dataclass(frozen=True)
class Horizon:
    """How long the starts were followed, and how many stayed undecided.

    Attributes
    ----------
    requested : float
        The ``t_end`` asked for.
    reached : float
        The longest horizon any start was run to (``requested`` if none was extended).
    t_max : float
        The longest horizon allowed.
    undecided : float
        Share of the starts still undecided at the end.
    limit : float
        The share above which the horizon is extended (and, if still above, a warning given).

    Examples
    --------
    >>> h = Horizon(60.0, 480.0, 480.0, 0.0, 0.05)
    >>> h.extended, h.sure, str(h)
    (True, True, 'horizon extended from t = 60 to 480: 0.0% undecided (limit 5.0%)')
    """

    requested: float
    reached: float
    t_max: float
    undecided: float
    limit: float

    @property
    def extended(self) -> bool:
        """True if some starts were run beyond ``requested``."""
        return self.reached > self.requested

    @property
    def sure(self) -> bool:
        """True if no more than ``limit`` of the starts are undecided."""
        return self.undecided <= self.limit

    def __str__(self) -> str:
        share = f"{100 * self.undecided:.1f}% undecided (limit {100 * self.limit:.1f}%)"
        if self.extended:
            head = f"horizon extended from t = {self.requested:g} to {self.reached:g}"
        else:
            head = f"t = {self.requested:g}"
        tail = "" if self.sure else f"; more than the limit even at t_max = {self.t_max:g}"
        return f"{head}: {share}{tail}"


@dataclass(frozen=True)
class Basins:
    """Fates of a set of starts.

    Attributes
    ----------
    starts : ndarray, shape (k, n)
    fates : tuple of Fate, length k
    t_end : float
    final : ndarray, shape (k, n)
        States at ``t_end`` (at the longer horizon for the starts run again); a start that
        exhausted the integrator's step budget keeps the last state it reached.
    horizon : Horizon or None
        How long the starts were followed and the share undecided (:func:`basins` sets it).

    Examples
    --------
    >>> b = Basins(np.eye(2), (Fate("rest", (0,)), Fate("rest", (1,))), 1.0, np.eye(2))
    >>> b.fraction(Fate("rest", (0,)))[0], [str(f) for f in b.distinct]
    (0.5, ['rest 0', 'rest 1'])
    """

    starts: np.ndarray
    fates: tuple[Fate, ...]
    t_end: float
    final: np.ndarray
    horizon: Horizon | None = None

    @property
    def distinct(self) -> tuple[Fate, ...]:
        """Distinct fates, most frequent first (ties by label)."""
        counts: dict[Fate, int] = {}
        for f in self.fates:
            counts[f] = counts.get(f, 0) + 1
        return tuple(sorted(counts, key=lambda f: (-counts[f], str(f))))

    def fraction(self, fate: Fate, *, z: float = Z95) -> tuple[float, float, float]:
        """``(p, low, high)``: share of starts with this fate and its Wilson interval."""
        if not isinstance(fate, Fate):
            raise ParameterError(f"fate must be a Fate, got {fate!r}")
        hits = sum(f == fate for f in self.fates)
        lo, hi = wilson_interval(hits, len(self.fates), z=z)
        return hits / len(self.fates), lo, hi

    def table(self) -> list[tuple[Fate, int, float, float, float]]:
        """Rows ``(fate, count, p, low, high)`` for every fate, most frequent first."""
        rows = []
        for f in self.distinct:
            p, lo, hi = self.fraction(f)
            rows.append((f, sum(g == f for g in self.fates), p, lo, hi))
        return rows


def _names(names: Sequence[str] | None, n: int) -> tuple[str, ...]:
    if names is None:
        return tuple(str(i) for i in range(n))
    if len(names) != n:
        raise ParameterError(f"names must have {n} entries, got {len(names)}")
    return tuple(str(s) for s in names)


@dataclass(frozen=True)
class _Setup:
    """The checked arguments of :func:`classify_fates`, shared by every chunk of :func:`basins`:
    the game rescaled if its payoffs are huge (``M``, ``params``, ``time_scale``, see
    :func:`dynamics._kernels.rescaled`; fates and trapping radii do not see the rescaling)."""

    M: np.ndarray
    t_end: float
    names: tuple[str, ...]
    dynamic: str
    rtol: float
    atol: float
    params: dict[str, float]
    time_scale: float
    blocks: tuple[int, ...] = ()

    def velocity(self, X: np.ndarray) -> np.ndarray:
        """The flow's field at full-share rows ``X`` (``[x | y]`` for two populations)."""
        if not self.blocks:
            return np.asarray(DYNAMICS[self.dynamic](self.M, X, **self.params))
        return blockwise(RESPONSES[self.dynamic], X, X @ self.M.T, self.blocks, self.params)

    def tangent_jacobian(self, x: np.ndarray) -> np.ndarray:
        """Central-difference Jacobian at one state, on the tangent space of its simplex (or
        product of simplices: each population's last share is one minus the others)."""
        if not self.blocks:
            kernel = DYNAMICS[self.dynamic]
            return _kernels.numeric_jacobian(
                kernel, self.M, x[None, :], step=1e-6, tangent=True, **self.params
            )
        J = _kernels.numeric_jacobian(
            lambda M, X: self.velocity(X), self.M, x[None, :], step=1e-6, tangent=False
        )
        ends = np.cumsum(self.blocks)
        last = np.repeat(ends - 1, self.blocks)  # the last share of each column's population
        keep = np.setdiff1d(np.arange(ends[-1]), ends - 1)
        return np.asarray(J[np.ix_(keep, keep)] - J[np.ix_(keep, last[keep])])

    def coordinates(self) -> Coordinates | PayoffLogShares | PayoffShares:
        if not self.blocks:
            return coordinates(self.M, self.dynamic, self.params)
        M = self.M
        return pair_coordinates(matrix_payoffs(M), self.blocks, self.dynamic, self.params)


def _setup(
    M: np.ndarray,
    t_end: float,
    names: Sequence[str] | None,
    dynamic: str,
    rtol: float,
    atol: float,
    params: dict[str, float],
    blocks: tuple[int, ...] = (),
) -> _Setup:
    checked = kernel_parameters(dynamic, **params)  # unknown names fail here, before any work
    T = float(output_times(t_end, n_out=2)[-1])
    control = step_control(dynamic, T, rtol=rtol, atol=atol)
    # two populations: a shift of column c adds c's share times the shift to every payoff of
    # both populations alike, so each population's differences, all the dynamics see, stay
    game = _kernels.rescaled(M, dynamic, checked, T)
    if blocks and names is None:
        names = [f"R{i}" for i in range(blocks[0])] + [f"C{j}" for j in range(blocks[1])]
    return _Setup(
        game.M,
        T,
        _names(names, M.shape[0]),
        dynamic,
        control.rtol,
        control.atol,
        game.params,
        game.time_scale,
        blocks,
    )


def classify_fates(
    A: MatrixLike,
    x0: ArrayLike,
    t_end: float,
    *,
    names: Sequence[str] | None = None,
    dynamic: str = "replicator",
    rtol: float = 1e-6,
    atol: float = 1e-8,
    **params: float,
) -> Basins:
    """Integrate every start to `t_end` and classify its fate (see the module docstring).

    Trapping sets are used for the replicator only (their proof is the replicator's).
    `params` go to the dynamic (``eta`` for logit).

    Examples
    --------
    >>> b = classify_fates([[1, 0], [0, 2]], [[0.9, 0.1], [0.2, 0.8]], 50.0, names="XY")
    >>> [str(f) for f in b.fates], b.fates[0] == Fate("rest", (0,))
    (['rest X', 'rest Y'], True)
    """
    M = game_matrix(A)
    X0 = as_states(x0, M.shape[0], name="x0")
    return _classify_fates(_setup(M, t_end, names, dynamic, rtol, atol, params), X0)


def _classify_fates(setup: _Setup, X0: np.ndarray) -> Basins:
    """:func:`classify_fates` on checked arguments: one integration per support pattern."""
    fates: list[Fate] = [Fate("undecided")] * X0.shape[0]
    final = np.empty_like(X0)
    supports = X0 > 0
    patterns = np.unique(supports, axis=0)
    if patterns.shape[0] == 1:  # one face (all interior starts): no scatter
        fin, fts = _classify_face(setup, X0, np.flatnonzero(patterns[0]))
        return Basins(X0, tuple(fts), setup.t_end, fin)
    for pattern in patterns:
        rows = np.flatnonzero(np.all(supports == pattern, axis=1))
        fin, fts = _classify_face(setup, X0[rows], np.flatnonzero(pattern))
        final[rows] = fin
        for r, f in zip(rows, fts, strict=True):
            fates[r] = f
    return Basins(X0, tuple(fates), setup.t_end, final)


def _classify_face(setup: _Setup, X0: np.ndarray, S: np.ndarray) -> tuple[np.ndarray, list[Fate]]:
    """Fates of starts that share the support `S` (a face the replicator keeps invariant)."""
    M, dynamic, nm = setup.M, setup.dynamic, setup.names
    n = M.shape[0]
    p = max(len(setup.blocks), 1)  # populations: the integrator's state is [x | y] / p
    traps: dict[int, float] = {}
    pairs = _PairTraps(setup, S, X0.shape[0])
    if dynamic == "replicator" and S.size >= 1 and not setup.blocks:
        sub = M[np.ix_(S, S)]
        traps = {int(S[i]): _kernels.trapping_radius(sub, i) for i in range(S.size)}
    tracker = ItineraryTracker(X0.shape[0], n, traps=traps, window_from=setup.t_end / 2)
    te = output_times(setup.t_end, n_out=2)
    control = step_control(dynamic, float(te[-1]), rtol=setup.rtol, atol=setup.atol)

    last = np.full(X0.shape, np.nan)  # the last state each start reached

    def observe(rows: np.ndarray, t: np.ndarray, x: np.ndarray) -> None:
        last[rows] = x * p
        tracker(rows, t, x * p)
        if setup.blocks:
            pairs(rows, x * p)

    tr = run(
        setup.coordinates(),
        X0 / p,
        te,
        control,
        dynamic=dynamic,
        observer=observe,
        time_scale=setup.time_scale,
        keep_partial=False,  # Ctrl-C stops the whole count: no start becomes "undecided" by it
        averages=False,  # fates need no time averages
    )
    success = tr.t_reached >= te[-1]
    # a start out of steps before t_end keeps the last state it reached (a trapped one has its
    # fate all the same: it converges to its vertex), never the NaN of an unreached output
    final = np.where(success[:, None], tr.x[:, -1, :] * p, last)
    speed = np.max(np.abs(setup.velocity(final)), axis=1)
    # a trapped start rests at its vertex: one Fate object per vertex, shared, and no Python
    # loop over the (in a long count, most) starts that are trapped
    trapped = tracker.trapped.tolist()
    at_vertex = {t: Fate("rest", (t,), names=nm) for t in set(trapped) if t >= 0}
    fates: list[Fate | None] = [at_vertex.get(t) for t in trapped]
    for j in np.flatnonzero(tracker.trapped < 0).tolist():
        if pairs.trapped[j] >= 0:
            fates[j] = Fate("rest", pairs.profiles[pairs.trapped[j]], names=nm)
            continue
        # a vertex itinerary is one population's; two populations have no cycle test here
        cyc = None if setup.blocks else heteroclinic_cycle(tracker.itinerary(j))
        if cyc is not None:
            fates[j] = Fate("cycle", cyc, names=nm)
            continue
        if not success[j]:  # out of steps: the late window and final state are unseen
            fates[j] = Fate("undecided", names=nm)
            continue
        gone = np.flatnonzero((X0[j] > 0) & (tracker.late_max[j] < EXTINCT))
        if gone.size:
            fates[j] = Fate("extinct", tuple(int(i) for i in gone), names=nm)
            continue
        if speed[j] < REST_SPEED:
            eig = np.linalg.eigvals(setup.tangent_jacobian(final[j])).real
            if eig.size == 0 or np.max(eig) < 0:  # one strategy: its vertex is the simplex
                point = tuple(round(float(v), 3) for v in final[j])
                support = tuple(i for i, v in enumerate(point) if v != 0)
                fates[j] = Fate("rest", support, point=point, names=nm)
                continue
        fates[j] = Fate("undecided", names=nm)
    return final, fates  # type: ignore[return-value]  # every start got its fate above


@dataclass(frozen=True)
class _Plan:
    """The horizons a chunk may use (``setups[0]`` at ``t_end``, then doubling up to
    ``t_max``) and the undecided share above which it moves to the next."""

    setups: tuple[_Setup, ...]
    t_max: float
    limit: float


def _plan(
    M: np.ndarray,
    t_end: float,
    names: Sequence[str] | None,
    dynamic: str,
    rtol: float,
    atol: float,
    params: dict[str, float],
    undecided: float,
    t_max: float | None,
    blocks: tuple[int, ...] = (),
) -> _Plan:
    first = _setup(M, t_end, names, dynamic, rtol, atol, params, blocks)
    T = first.t_end
    if not (isinstance(undecided, int | float) and 0 <= undecided <= 1) or isinstance(
        undecided, bool
    ):
        raise ParameterError(f"undecided must be a share in [0, 1], got {undecided!r}")
    cap = HORIZON_CAP * T if t_max is None else t_max
    if not (isinstance(cap, int | float) and math.isfinite(cap) and cap >= T):
        raise ParameterError(f"t_max must be a finite number >= t_end = {T:g}, got {t_max!r}")
    horizons = [T]
    while horizons[-1] < cap:
        horizons.append(min(2 * horizons[-1], float(cap)))
    setups = [first]
    setups += [_setup(M, h, names, dynamic, rtol, atol, params, blocks) for h in horizons[1:]]
    return _Plan(tuple(setups), float(cap), float(undecided))


def _classify_chunk(plan: _Plan, X0: np.ndarray) -> Basins:
    """Fates of one chunk at ``t_end``; while more than ``plan.limit`` of them are undecided,
    the undecided starts again at the next horizon."""
    first = plan.setups[0]
    b = _classify_fates(first, X0)
    fates, final, reached = list(b.fates), b.final.copy(), first.t_end
    for setup in plan.setups[1:]:
        rows = [i for i, f in enumerate(fates) if f.kind == "undecided"]
        if len(rows) <= plan.limit * len(fates):
            break
        again = _classify_fates(setup, X0[rows])
        reached = setup.t_end
        for r, f, x in zip(rows, again.fates, again.final, strict=True):
            fates[r], final[r] = f, x
    share = sum(f.kind == "undecided" for f in fates) / len(fates)
    horizon = Horizon(first.t_end, reached, plan.t_max, share, plan.limit)
    return Basins(X0, tuple(fates), first.t_end, final, horizon)


def _horizon(plan: _Plan, undecided: int, total: int, reached: float) -> Horizon:
    """The whole run's :class:`Horizon`; an :class:`UndecidedWarning` if it is unsure."""
    h = Horizon(plan.setups[0].t_end, reached, plan.t_max, undecided / max(total, 1), plan.limit)
    if not h.sure:
        warnings.warn(
            f"{undecided} of {total} starts ({100 * h.undecided:.1f}%) are undecided at "
            f"t = {h.reached:g}, more than the {100 * h.limit:g}% allowed even at t_max = "
            f"{h.t_max:g}: their fates are unknown (raise t_max, or read the fractions as "
            "bounds)",
            UndecidedWarning,
            stacklevel=3,
        )
    return h


class _PairTraps:
    """Trap entries of two populations under the replicator, an observer of full-share rows.

    A strict equilibrium ``(i, j)`` of the game on the face `S` has the trapping box
    ``{x_i > 1 - r_x, y_j > 1 - r_y}``: there row ``i`` is the strict best reply to every ``y``
    (``r_y`` is :func:`dynamics._kernels.trapping_radius` of ``A`` at row ``i``, column ``j``)
    and column ``j`` to every ``x``, so ``x_i`` and ``y_j`` only grow, the box is invariant and
    the orbit converges to ``(e_i, e_j)``: a proof, as a single population's trapping set is.
    """

    def __init__(self, setup: _Setup, S: np.ndarray, k: int) -> None:
        self.boxes: list[tuple[int, int, float, float]] = []
        self.profiles: list[tuple[int, int]] = []
        self.trapped = np.full(k, -1, dtype=np.int64)
        if setup.dynamic != "replicator" or not setup.blocks:
            return
        m = setup.blocks[0]
        rows, cols = S[S < m], S[S >= m]
        A = setup.M[np.ix_(rows, cols)]  # the face's payoffs to the row population
        BT = setup.M[np.ix_(cols, rows)]  # and to the column population (B^T)
        for a, i in enumerate(rows):
            for b, j in enumerate(cols):
                ry = _kernels.trapping_radius(A, a, b)
                rx = _kernels.trapping_radius(BT, b, a)
                if rx > 0 and ry > 0:
                    self.boxes.append((int(i), int(j), rx, ry))
                    self.profiles.append((int(i), int(j)))

    def __call__(self, rows: np.ndarray, x: np.ndarray) -> None:
        for b, (i, j, rx, ry) in enumerate(self.boxes):
            hit = (x[:, i] > 1 - rx) & (x[:, j] > 1 - ry) & (self.trapped[rows] < 0)
            if hit.any():
                self.trapped[rows[hit]] = b


def basins(
    A: MatrixLike,
    x0: ArrayLike,
    t_end: float,
    *,
    names: Sequence[str] | None = None,
    dynamic: str = "replicator",
    executor: Executor | None = None,
    chunk: int = 2_000,
    progress: bool = False,
    undecided: float = UNDECIDED_SHARE,
    t_max: float | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    **params: float,
) -> Basins:
    """:func:`classify_fates` over many starts, in chunks, optionally on an ``Executor``, with
    the horizon extended where too many starts are undecided (see the module docstring).

    Parameters
    ----------
    executor : concurrent.futures.Executor, optional
        Where the chunks run (a ``ProcessPoolExecutor``, a dask ``Client.get_executor()``,
        ...); default: here, one chunk after another.
    chunk : int, default 2000
        Starts per task.
    progress : bool, default False
        A tqdm bar over the chunks. Ctrl-C stops the run and returns the fates of the chunks
        that finished (the returned ``starts`` are those starts, fewer than `x0`'s); a chunk
        under way is dropped, not counted. Many random starts: :func:`basin_sizes` streams them.
    undecided : float, default UNDECIDED_SHARE
        Where more than this share of a chunk's starts is undecided, run those again with the
        horizon doubled, up to `t_max`; if more than this share of all starts is still
        undecided, warn (:class:`~dynamics.errors.UndecidedWarning`).
    t_max : float, optional
        The longest horizon (default ``HORIZON_CAP * t_end``; ``t_end`` itself: never extend,
        only warn).

    Returns
    -------
    Basins
        With ``horizon`` saying the share undecided and how far the horizon went.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(2) as ex:
    ...     b = basins([[1, 0], [0, 2]], [[0.9, 0.1], [0.2, 0.8]], 50.0, executor=ex, chunk=1)
    >>> [str(f) for f in b.fates]
    ['rest 0', 'rest 1']
    """
    M = game_matrix(A)
    X0 = as_states(x0, M.shape[0], name="x0")
    chunk = integer_at_least(chunk, "chunk", 1)
    plan = _plan(M, t_end, names, dynamic, rtol, atol, params, undecided, t_max)
    return _chunked(plan, X0, chunk, executor, progress)


def _chunked(
    plan: _Plan, X0: np.ndarray, chunk: int, executor: Executor | None, progress: bool
) -> Basins:
    """:func:`basins`' loop over chunks of checked starts."""
    parts = [X0[i : i + chunk] for i in range(0, X0.shape[0], chunk)]
    results: list[Basins] = []
    bar = tqdm(total=len(parts), disable=not progress, desc="basins", unit="chunk")
    futures: list[Future[Basins]] = []
    try:
        if executor is None:
            for p in parts:
                results.append(_classify_chunk(plan, p))
                bar.update()
        else:
            futures = [executor.submit(_classify_chunk, plan, p) for p in parts]
            for fut in futures:
                results.append(fut.result())
                bar.update()
    except KeyboardInterrupt:
        for fut in futures:
            fut.cancel()
        bar.write(f"interrupted: {len(results)} of {len(parts)} chunks finished", file=sys.stderr)
    finally:
        bar.close()
    if not results:
        raise DynamicsError("interrupted before any chunk finished")
    done = sum(r.starts.shape[0] for r in results)
    fates = tuple(f for r in results for f in r.fates)
    reached = max(r.horizon.reached for r in results if r.horizon is not None)
    unknown = sum(f.kind == "undecided" for f in fates)
    return Basins(
        X0[:done],
        fates,
        plan.setups[0].t_end,
        np.concatenate([r.final for r in results]),
        _horizon(plan, unknown, done, reached),
    )


@dataclass(frozen=True)
class BasinSizes:
    """How many random starts reached each fate: counts only, so memory does not grow with the
    number of starts (see :func:`basin_sizes`).

    Attributes
    ----------
    counts : tuple of (Fate, int)
        Every fate reached and its number of starts, most frequent first (ties by label).
    starts : int
        Starts classified; fractions are of these.
    requested : int
        Starts asked for; more than `starts` if Ctrl-C stopped the run.
    t_end : float
    sample : Basins or None
        The first starts (up to ``keep``) with their fates and final states, for a basin map.
    horizon : Horizon or None
        How long the starts were followed and the share undecided (:func:`basin_sizes` sets it).

    Examples
    --------
    >>> b = BasinSizes(((Fate("rest", (0,)), 3), (Fate("rest", (1,)), 1)), 4, 4, 1.0, None)
    >>> b.complete, b.fraction(Fate("rest", (0,)))[0], len(b)
    (True, 0.75, 2)
    """

    counts: tuple[tuple[Fate, int], ...]
    starts: int
    requested: int
    t_end: float
    sample: Basins | None = None
    horizon: Horizon | None = None

    @property
    def complete(self) -> bool:
        """True if every requested start was classified (False after Ctrl-C)."""
        return self.starts == self.requested

    def __len__(self) -> int:
        return len(self.counts)

    def __iter__(self) -> Iterator[tuple[Fate, int]]:
        return iter(self.counts)

    def fraction(self, fate: Fate, *, z: float = Z95) -> tuple[float, float, float]:
        """``(p, low, high)``: share of the classified starts with this fate, Wilson interval."""
        if not isinstance(fate, Fate):
            raise ParameterError(f"fate must be a Fate, got {fate!r}")
        if self.starts == 0:
            raise DynamicsError("no start was classified (interrupted at once)")
        hits = dict(self.counts).get(fate, 0)
        lo, hi = wilson_interval(hits, self.starts, z=z)
        return hits / self.starts, lo, hi

    def table(self) -> list[tuple[Fate, int, float, float, float]]:
        """Rows ``(fate, count, p, low, high)`` for every fate, most frequent first."""
        return [(f, c, *self.fraction(f)) for f, c in self.counts]


def basin_sizes(
    A: MatrixLike,
    starts: int,
    t_end: float,
    *,
    rng: int | np.random.Generator | None = None,
    names: Sequence[str] | None = None,
    dynamic: str = "replicator",
    executor: Executor | None = None,
    chunk: int = 2_000,
    keep: int = 0,
    progress: bool = False,
    undecided: float = UNDECIDED_SHARE,
    t_max: float | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    **params: float,
) -> BasinSizes:
    """Fates of `starts` uniform random interior starts, streamed in chunks and counted.

    The starts are drawn chunk by chunk from `rng` as ``simplex_sample(n, starts, rng=rng)``
    draws them all at once (the same numbers, so the same counts as
    ``basins(A, simplex_sample(n, starts, rng=rng), t_end)``), but only one chunk per worker is
    ever held: memory is constant in `starts` (10**9 starts need no 30 GiB).

    Parameters
    ----------
    starts : int
        Number of random starts.
    executor : concurrent.futures.Executor, optional
        Where the chunks run; at most 64 chunks are submitted ahead of the results.
    chunk : int, default 2000
        Starts per task.
    keep : int, default 0
        Keep the first `keep` starts with their fates (``sample``), e.g. for a basin map.
    progress : bool, default False
        A tqdm bar over the starts. Ctrl-C stops the run: the chunk under way is dropped, and
        the counts of the finished chunks come back with ``complete`` False.
    undecided, t_max
        As for :func:`basins`: the horizon extended chunk by chunk where more than `undecided`
        of the starts are undecided, and a warning if too many still are; see ``horizon``.

    Other parameters are those of :func:`classify_fates`.

    Examples
    --------
    >>> b = basin_sizes([[1, 0], [0, 2]], 300, 50.0, rng=1, chunk=100)
    >>> [(str(f), c) for f, c in b.counts], b.complete
    ([('rest 1', 202), ('rest 0', 98)], True)
    """
    gen = generator(rng)
    M = game_matrix(A)
    n = M.shape[0]
    total = integer_at_least(starts, "starts", 1)
    chunk = integer_at_least(chunk, "chunk", 1)
    keep = integer_at_least(keep, "keep", 0)
    plan = _plan(M, t_end, names, dynamic, rtol, atol, params, undecided, t_max)

    def draw(size: int) -> np.ndarray:
        return gen.dirichlet(np.ones(n), size=size)

    return _streamed(plan, draw, total, chunk, executor, keep, progress)


def _streamed(
    plan: _Plan,
    draw: Callable[[int], np.ndarray],
    total: int,
    chunk: int,
    executor: Executor | None,
    keep: int,
    progress: bool,
) -> BasinSizes:
    """:func:`basin_sizes`' loop: `total` starts drawn ``draw(size)`` a chunk at a time."""
    setup = plan.setups[0]
    counts: dict[Fate, int] = {}
    kept: list[Basins] = []
    done = 0
    reached = setup.t_end
    pending: deque[Future[Basins]] = deque()

    def parts() -> Iterator[np.ndarray]:
        for i in range(0, total, chunk):
            yield draw(min(chunk, total - i))

    def add(b: Basins) -> None:
        nonlocal done, reached
        if b.horizon is not None:
            reached = max(reached, b.horizon.reached)
        # count by identity first (C speed: most starts share a few Fate objects), then merge
        # equal fates by value
        ids = [id(f) for f in b.fates]
        objects = dict(zip(ids, b.fates, strict=True))
        for i, c in Counter(ids).items():
            f = objects[i]
            counts[f] = counts.get(f, 0) + c
        if done < keep:
            kept.append(
                Basins(
                    b.starts[: keep - done], b.fates[: keep - done], b.t_end, b.final[: keep - done]
                )
            )
        done += len(b.fates)
        bar.update(len(b.fates))

    bar = tqdm(total=total, disable=not progress, desc="basins", unit="start", unit_scale=True)
    try:
        if executor is None:
            for p in parts():
                add(_classify_chunk(plan, p))
        else:
            for p in parts():
                pending.append(executor.submit(_classify_chunk, plan, p))
                if len(pending) >= _IN_FLIGHT:
                    add(pending.popleft().result())
            while pending:
                add(pending.popleft().result())
    except KeyboardInterrupt:
        for fut in pending:
            fut.cancel()
        bar.write(f"interrupted: {done} of {total} starts classified", file=sys.stderr)
    finally:
        bar.close()
    ordered = tuple(sorted(counts.items(), key=lambda fc: (-fc[1], str(fc[0]))))
    sample = None
    if kept:
        sample = Basins(
            np.concatenate([b.starts for b in kept]),
            tuple(f for b in kept for f in b.fates),
            setup.t_end,
            np.concatenate([b.final for b in kept]),
        )
    unknown = counts.get(Fate("undecided"), 0)
    horizon = _horizon(plan, unknown, done, reached) if done else None
    return BasinSizes(ordered, done, total, setup.t_end, sample, horizon)


# ---------------------------------------------------------------------------------------------
# two populations: the same fates on the product of two simplices


def two_population_basins(
    game: GameLike,
    x0: ArrayLike,
    y0: ArrayLike,
    t_end: float,
    *,
    names: Sequence[str] | None = None,
    dynamic: str = "replicator",
    executor: Executor | None = None,
    chunk: int = 2_000,
    progress: bool = False,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    undecided: float = UNDECIDED_SHARE,
    t_max: float | None = None,
    **params: float,
) -> Basins:
    """:func:`basins` for two populations playing a bimatrix game (the flows of
    :mod:`dynamics.two_populations`), on the product of their simplices.

    A state is the row ``[x | y]`` (``m + n`` shares, each population's summing to 1): the
    returned ``starts`` and ``final`` have those rows. Fates are decided as for one population,
    with the trapping box of a strict equilibrium ``(i, j)`` (``x_i > 1 - r_x`` and
    ``y_j > 1 - r_y``, where row ``i`` and column ``j`` are each other's strict best replies)
    in place of a vertex's trapping set: fate ``"rest (Ri, Cj)"``, strategies ``(i, m + j)``.
    There is no cycle test (the closed orbits around a centre, as in matching pennies, stay
    ``"undecided"``).

    Parameters
    ----------
    game : Game, pair (A, B), square matrix or nashpy Game
        A square matrix alone is the game ``(A, A.T)``.
    x0, y0 : array_like, shapes (k, m) and (k, n)
        The starts of each population (one state of either is repeated to match the other).
    names : sequence of str, optional
        ``m + n`` names for the labels; default ``R0, R1, ..., C0, C1, ...``.

    Other parameters are those of :func:`basins`.

    Raises
    ------
    theory.errors.ShapeError
        If ``A`` and ``B`` differ in shape.
    SimplexError
        If a start is off its simplex.

    Examples
    --------
    >>> sexes = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> b = two_population_basins(sexes, [[0.9, 0.1], [0.2, 0.8]], [0.5, 0.5], 30.0)
    >>> [str(f) for f in b.fates], b.fates[1].strategies
    (['rest (R0, C0)', 'rest (R1, C1)'], (1, 3))
    """
    A, B = bimatrix(game)
    m, n = A.shape
    X0 = pair_states(x0, y0, m, n, ("x0", "y0"))
    chunk = integer_at_least(chunk, "chunk", 1)
    plan = _plan(
        block_matrix(A, B), t_end, names, dynamic, rtol, atol, params, undecided, t_max, (m, n)
    )
    return _chunked(plan, X0, chunk, executor, progress)


def two_population_basin_sizes(
    game: GameLike,
    starts: int,
    t_end: float,
    *,
    rng: int | np.random.Generator | None = None,
    names: Sequence[str] | None = None,
    dynamic: str = "replicator",
    executor: Executor | None = None,
    chunk: int = 2_000,
    keep: int = 0,
    progress: bool = False,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    undecided: float = UNDECIDED_SHARE,
    t_max: float | None = None,
    **params: float,
) -> BasinSizes:
    """:func:`basin_sizes` for two populations: `starts` uniform random interior starts
    ``(x, y)``, streamed in chunks and counted (fates as :func:`two_population_basins`).

    Each chunk draws its ``x`` rows (Dirichlet(1, ..., 1) on the row simplex), then its ``y``
    rows, from `rng`; the same seed and chunk give the same counts.

    Examples
    --------
    >>> sexes = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> b = two_population_basin_sizes(sexes, 400, 30.0, rng=1)
    >>> [(str(f), c) for f, c in b.counts]   # the two strict equilibria, by symmetry alike
    [('rest (R0, C0)', 200), ('rest (R1, C1)', 200)]
    """
    gen = generator(rng)
    A, B = bimatrix(game)
    m, n = A.shape
    total = integer_at_least(starts, "starts", 1)
    chunk = integer_at_least(chunk, "chunk", 1)
    keep = integer_at_least(keep, "keep", 0)
    plan = _plan(
        block_matrix(A, B), t_end, names, dynamic, rtol, atol, params, undecided, t_max, (m, n)
    )

    def draw(size: int) -> np.ndarray:
        x = gen.dirichlet(np.ones(m), size=size)
        return np.concatenate([x, gen.dirichlet(np.ones(n), size=size)], axis=1)

    return _streamed(plan, draw, total, chunk, executor, keep, progress)
