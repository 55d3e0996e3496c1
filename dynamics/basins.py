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
   integrator's step budget before ``t_end`` (its final state is NaN).

A fate is a :class:`Fate` value (kind, strategy indices), compared as a value; its ``str()`` is
the label quoted above. Fractions come with Wilson score intervals (Wilson, JASA 22, 1927).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from tqdm import tqdm

from dynamics import _kernels
from dynamics._checks import MatrixLike
from dynamics._integrator import coordinates, run
from dynamics.errors import DynamicsError, ParameterError
from dynamics.flows import DYNAMICS, as_states, flow, game_matrix
from dynamics.integrate import output_times, step_control
from dynamics.longrun import ItineraryTracker, heteroclinic_cycle

__all__ = [
    "REST_SPEED",
    "EXTINCT",
    "Z95",
    "FateKind",
    "Fate",
    "Basins",
    "wilson_interval",
    "simplex_sample",
    "simplex_grid",
    "classify_fates",
    "basins",
]

#: A final state with ``max |x'|`` below this is a candidate rest point: integrating with
#: rtol 1e-6 leaves field residuals ~1e-7 at a converged state, 1e-5 is a margin of 100;
#: slow states that are not near a linearly stable rest point fail the eigenvalue test.
REST_SPEED = 1e-5
#: A share that stayed below this over the second half of the run counts as extinct.
EXTINCT = 1e-100
#: Two-sided 95% standard normal quantile.
Z95 = 1.959963984540054


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
    rng = np.random.default_rng(rng)
    if not (isinstance(n, int) and n >= 2):
        raise ParameterError(f"n must be an integer >= 2, got {n!r}")
    if not (isinstance(k, int) and k >= 1):
        raise ParameterError(f"k must be a positive integer, got {k!r}")
    S = list(range(n)) if support is None else [int(i) for i in support]
    if len(S) < 1 or len(set(S)) != len(S) or min(S) < 0 or max(S) >= n:
        raise ParameterError(f"support must be distinct indices in 0..{n - 1}, got {support!r}")
    x = np.zeros((k, n))
    x[:, S] = rng.dirichlet(np.ones(len(S)), size=k)
    return x


def simplex_grid(n: int, resolution: int, *, interior: bool = True) -> np.ndarray:
    """Lattice points ``c / resolution`` of the simplex (all coordinates positive if `interior`).

    Examples
    --------
    >>> simplex_grid(3, 4)
    array([[0.25, 0.25, 0.5 ],
           [0.25, 0.5 , 0.25],
           [0.5 , 0.25, 0.25]])
    """
    if not (isinstance(n, int) and n >= 2):
        raise ParameterError(f"n must be an integer >= 2, got {n!r}")
    if not (isinstance(resolution, int) and resolution >= 1):
        raise ParameterError(f"resolution must be a positive integer, got {resolution!r}")
    lo = 1 if interior else 0

    def comps(total: int, parts: int) -> list[list[int]]:
        if parts == 1:
            return [[total]] if total >= lo else []
        return [[c, *rest] for c in range(lo, total + 1) for rest in comps(total - c, parts - 1)]

    pts = comps(resolution, n)
    if not pts:
        raise ParameterError(f"no interior lattice point with resolution {resolution} < n = {n}")
    return np.array(pts, dtype=np.float64) / resolution


#: The kinds of fate of an orbit: a rest point, a cycle, an extinction or undecided.
FateKind = Literal["rest", "cycle", "extinct", "undecided"]


@dataclass(frozen=True)
class Fate:
    """Where a start ends up: a value callers compare (``fate.kind``, ``fate.strategies``).

    Attributes
    ----------
    kind : {"rest", "cycle", "extinct", "undecided"}
    strategies : tuple of int
        ``"rest"`` at a vertex: ``(i,)``; ``"rest"`` at another rest point: its support;
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
        if self.kind == "rest":
            return f"rest {self._name(self.strategies[0])}"
        if self.kind == "cycle":
            return "cycle " + "→".join(self._name(i) for i in self.strategies)
        return "extinct " + ",".join(self._name(i) for i in self.strategies)


@dataclass(frozen=True)
class Basins:
    """Fates of a set of starts.

    Attributes
    ----------
    starts : ndarray, shape (k, n)
    fates : tuple of Fate, length k
    t_end : float
    final : ndarray, shape (k, n)
        States at ``t_end``.

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
    """The checked arguments of :func:`classify_fates`, shared by every chunk of :func:`basins`."""

    M: np.ndarray
    t_end: float
    names: tuple[str, ...]
    dynamic: str
    rtol: float
    atol: float
    params: dict[str, float]


def _setup(
    M: np.ndarray,
    t_end: float,
    names: Sequence[str] | None,
    dynamic: str,
    rtol: float,
    atol: float,
    params: dict[str, float],
) -> _Setup:
    flow(dynamic)  # an unknown name fails here, before any work
    control = step_control(dynamic, float(output_times(t_end, n_out=2)[-1]), rtol=rtol, atol=atol)
    return _Setup(
        M, float(t_end), _names(names, M.shape[0]), dynamic, control.rtol, control.atol, params
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
    for pattern in np.unique(supports, axis=0):
        rows = np.flatnonzero(np.all(supports == pattern, axis=1))
        fin, fts = _classify_face(setup, X0[rows], np.flatnonzero(pattern))
        final[rows] = fin
        for r, f in zip(rows, fts, strict=True):
            fates[r] = f
    return Basins(X0, tuple(fates), setup.t_end, final)


def _classify_face(setup: _Setup, X0: np.ndarray, S: np.ndarray) -> tuple[np.ndarray, list[Fate]]:
    """Fates of starts that share the support `S` (a face the replicator keeps invariant)."""
    M, dynamic, params, nm = setup.M, setup.dynamic, setup.params, setup.names
    n = M.shape[0]
    traps: dict[int, float] = {}
    if dynamic == "replicator" and S.size >= 1:
        sub = M[np.ix_(S, S)]
        traps = {int(S[i]): _kernels.trapping_radius(sub, i) for i in range(S.size)}
    tracker = ItineraryTracker(X0.shape[0], n, traps=traps, window_from=setup.t_end / 2)
    te = output_times(setup.t_end, n_out=2)
    control = step_control(dynamic, float(te[-1]), rtol=setup.rtol, atol=setup.atol)
    tr = run(coordinates(M, dynamic, params), X0, te, control, dynamic=dynamic, observer=tracker)
    final = tr.x[:, -1, :]
    success = tr.t_reached >= te[-1]
    kernel = DYNAMICS[dynamic]
    speed = np.max(np.abs(kernel(M, final, **params)), axis=1)
    fates = []
    for j in range(X0.shape[0]):
        if tracker.trapped[j] >= 0:
            fates.append(Fate("rest", (int(tracker.trapped[j]),), names=nm))
            continue
        cyc = heteroclinic_cycle(tracker.itinerary(j))
        if cyc is not None:
            fates.append(Fate("cycle", cyc, names=nm))
            continue
        if not success[j]:  # out of steps: the late window and final state are unseen
            fates.append(Fate("undecided", names=nm))
            continue
        gone = np.flatnonzero((X0[j] > 0) & (tracker.late_max[j] < EXTINCT))
        if gone.size:
            fates.append(Fate("extinct", tuple(int(i) for i in gone), names=nm))
            continue
        if speed[j] < REST_SPEED:
            J = _kernels.numeric_jacobian(
                kernel, M, final[j][None, :], step=1e-6, tangent=True, **params
            )
            if np.max(np.linalg.eigvals(J).real) < 0:
                point = tuple(round(float(v), 3) for v in final[j])
                support = tuple(i for i, v in enumerate(point) if v != 0)
                fates.append(Fate("rest", support, point=point, names=nm))
                continue
        fates.append(Fate("undecided", names=nm))
    return final, fates


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
    rtol: float = 1e-6,
    atol: float = 1e-8,
    **params: float,
) -> Basins:
    """:func:`classify_fates` over many starts, in chunks, optionally on an ``Executor``.

    Parameters
    ----------
    executor : concurrent.futures.Executor, optional
        Where the chunks run (a ``ProcessPoolExecutor``, a dask ``Client.get_executor()``,
        ...); default: here, one chunk after another.
    chunk : int, default 2000
        Starts per task.
    progress : bool, default False
        A tqdm bar over the chunks. Ctrl-C stops the run and returns the fates of the chunks
        that finished (the returned ``starts`` are those starts).

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
    if not (isinstance(chunk, int) and chunk >= 1):
        raise ParameterError(f"chunk must be a positive integer, got {chunk!r}")
    setup = _setup(M, t_end, names, dynamic, rtol, atol, params)
    parts = [X0[i : i + chunk] for i in range(0, X0.shape[0], chunk)]
    results: list[Basins] = []
    bar = tqdm(total=len(parts), disable=not progress, desc="basins", unit="chunk")
    try:
        if executor is None:
            for p in parts:
                results.append(_classify_fates(setup, p))
                bar.update()
        else:
            futures = [executor.submit(_classify_fates, setup, p) for p in parts]
            for fut in futures:
                results.append(fut.result())
                bar.update()
    except KeyboardInterrupt:
        bar.write(f"interrupted: {len(results)} of {len(parts)} chunks finished")
    finally:
        bar.close()
    if not results:
        raise DynamicsError("interrupted before any chunk finished")
    done = sum(r.starts.shape[0] for r in results)
    return Basins(
        X0[:done],
        tuple(f for r in results for f in r.fates),
        float(t_end),
        np.concatenate([r.final for r in results]),
    )
