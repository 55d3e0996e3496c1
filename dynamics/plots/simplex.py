"""Simplex pictures: ternary phase portraits, faces and a 3-D view of the tetrahedron, basin
maps, and time series of shares. Every function takes ``ax=None`` and returns what it drew on.

Rest points are marked by their linear stability on the whole simplex
(:func:`theory.stability.classify_rest_point`): filled for sinks and stable spirals, grey for
saddles, white for sources and unstable spirals, light blue for centres and other
non-hyperbolic points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.typing import ColorType
from numpy.typing import ArrayLike

from dynamics._checks import MatrixLike, kernel_parameters
from dynamics.basins import Fate
from dynamics.errors import ParameterError
from dynamics.flows import as_states, flow, game_matrix
from dynamics.plots._markers import MARKER_FACE as _FACE
from dynamics.plots._markers import stability as _stability
from dynamics.plots._markers import stability_handles as _stability_handles
from dynamics.plots.tetrahedron import plot_tetrahedron

__all__ = [
    "ternary",
    "plot_simplex_flow",
    "plot_faces",
    "plot_tetrahedron",
    "plot_basin_map",
    "plot_shares",
    "plot_basin_fractions",
]

_CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])


def ternary(x: ArrayLike) -> np.ndarray:
    """Cartesian coordinates of points of the 2-simplex (rows ``(x0, x1, x2)``).

    Vertex 0 at the lower left, 1 at the lower right, 2 on top.

    Examples
    --------
    >>> ternary([[1, 0, 0], [0, 0, 1]]).round(3)
    array([[0.   , 0.   ],
           [0.5  , 0.866]])
    """
    X = np.atleast_2d(np.asarray(x, dtype=np.float64))
    return np.asarray(X @ _CORNERS)


def _face(n: int, face: Sequence[int] | None) -> list[int]:
    idx = list(range(3)) if face is None else [int(i) for i in face]
    if len(idx) != 3 or len(set(idx)) != 3 or min(idx) < 0 or max(idx) >= n:
        raise ParameterError(f"face must be three distinct strategy indices < {n}, got {face!r}")
    return idx


def _triangle(ax: Axes, labels: Sequence[str]) -> None:
    ax.plot(*np.vstack([_CORNERS, _CORNERS[:1]]).T, color="black", lw=1)
    offsets = [(0.0, -0.06), (0.0, -0.06), (0.0, 0.05)]
    for (px, py), (dx, dy), lab in zip(_CORNERS, offsets, labels, strict=True):
        ax.text(px + dx, py + dy, lab, ha="center", va="center", fontsize=9)
    ax.set_xlim(-0.1, 1.1)
    ax.set_ylim(-0.12, 0.96)
    ax.set_aspect("equal")
    ax.axis("off")


def plot_simplex_flow(
    A: MatrixLike,
    *,
    ax: Axes | None = None,
    face: Sequence[int] | None = None,
    labels: Sequence[str] | None = None,
    dynamic: str = "replicator",
    density: float = 1.2,
    resolution: int = 80,
    rest_points: bool = True,
    trajectories: ArrayLike | None = None,
    legend: bool = False,
    **params: float,
) -> Axes:
    """Ternary phase portrait: streamlines coloured by speed, rest points by stability.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Payoff matrix; ``n = 3``, or more with `face` choosing three strategies (the others
        absent: the face is invariant for the replicator; for the other dynamics the picture
        shows the field's components along the face, while absent best replies may enter).
    face : sequence of three ints, optional
    labels : sequence of str, optional
        Names of the ``n`` strategies.
    dynamic : str
        A name in :data:`dynamics.flows.DYNAMICS`.
    density, resolution
        Streamline density and grid points per side.
    rest_points : bool
        Mark the replicator's rest points on the face (exact, from :mod:`theory.stability`).
    trajectories : array_like, shape (k, m, n), optional
        Orbits to draw on top (projected on the face).
    legend : bool, default False
        Explain the rest-point markers.
    **params
        Parameters of the dynamic (``eta`` for logit).

    Examples
    --------
    >>> ax = plot_simplex_flow([[0, 1, -1], [-1, 0, 1], [1, -1, 0]], labels="RPS")
    >>> ax.get_title()
    'replicator'
    """
    from theory.games import payoff_matrix

    exact = payoff_matrix(A, square=True)
    M = game_matrix(A)
    n = M.shape[0]
    if n < 3:
        raise ParameterError(
            f"a {n}-strategy game's states form a line, not a triangle: draw its portrait "
            "with dynamics.plots.line.plot_line_flow"
        )
    idx = _face(n, face)
    names = [str(i) for i in range(n)] if labels is None else [str(s) for s in labels]
    if len(names) != n:
        raise ParameterError(f"labels must have {n} entries, got {len(names)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.4))
    kernel = flow(dynamic)
    params = kernel_parameters(dynamic, **params)
    gx, gy = np.meshgrid(np.linspace(0, 1, resolution), np.linspace(0, np.sqrt(3) / 2, resolution))
    l2 = gy / (np.sqrt(3) / 2)
    l1 = gx - 0.5 * l2
    l0 = 1 - l1 - l2
    bary = np.stack([l0, l1, l2], axis=-1).reshape(-1, 3)
    inside = np.all(bary >= -1e-12, axis=1)
    X = np.zeros((bary.shape[0], n))
    X[:, idx] = np.clip(bary, 0, None)
    X[~inside] = np.nan
    V = np.full((bary.shape[0], 3), np.nan)
    V[inside] = kernel(M, X[inside] / X[inside].sum(axis=1, keepdims=True), **params)[:, idx]
    vxy = V @ _CORNERS
    u = vxy[:, 0].reshape(gx.shape)
    v = vxy[:, 1].reshape(gx.shape)
    speed = np.hypot(u, v)
    ax.streamplot(
        gx,
        gy,
        u,
        v,
        color=speed,
        cmap="viridis",
        density=density,
        linewidth=0.8,
        arrowsize=0.9,
        broken_streamlines=True,
    )
    _triangle(ax, [names[i] for i in idx])
    if trajectories is not None:
        T = np.asarray(trajectories, dtype=np.float64)
        T = T[None] if T.ndim == 2 else T
        for orbit in T:
            sub = orbit[:, idx]
            sub = sub / np.maximum(sub.sum(axis=1, keepdims=True), 1e-300)
            ax.plot(*ternary(sub).T, color="crimson", lw=1.0)
            ax.plot(*ternary(sub[:1]).T, "o", color="crimson", ms=3)
    if rest_points and dynamic == "replicator":
        from theory.stability import replicator_rest_points

        sub_exact = exact[np.ix_(idx, idx)]
        for p in replicator_rest_points(sub_exact):
            full: list[Any] = [0] * n if exact.dtype == object else [0.0] * n
            for i, w in zip(idx, p.x, strict=True):
                full[i] = w
            kind = _stability(exact, tuple(full))
            pt = ternary(np.array([float(w) for w in p.x]))[0]
            ax.scatter(
                [pt[0]],
                [pt[1]],
                s=45,
                zorder=5,
                linewidths=1.2,
                c=_FACE[kind],
                edgecolors="black",
            )
    if legend:
        ax.legend(handles=_stability_handles(), loc="upper right", fontsize=8, frameon=False)
    ax.set_title(dynamic)
    return ax


def plot_faces(
    A: MatrixLike,
    *,
    axes: np.ndarray | Sequence[Axes] | None = None,
    labels: Sequence[str] | None = None,
    **kw: Any,  # Any: the keyword options of plot_simplex_flow, of several types
) -> np.ndarray:
    """Phase portraits of the four faces of a 4-strategy game; returns the array of Axes.

    Examples
    --------
    >>> axes = plot_faces(np.eye(4))
    >>> axes.shape
    (2, 2)
    """
    n = game_matrix(A).shape[0]
    if n != 4:
        raise ParameterError(f"plot_faces needs a 4-strategy game, got n = {n}")
    if axes is None:
        _, axes = plt.subplots(2, 2, figsize=(9, 8))
    axes = np.asarray(axes)
    faces = [(1, 2, 3), (0, 1, 2), (0, 2, 3), (0, 1, 3)]
    names = [str(i) for i in range(n)] if labels is None else list(labels)
    for ax, face in zip(axes.flat, faces, strict=True):
        plot_simplex_flow(A, ax=ax, face=face, labels=labels, **kw)
        ax.set_title("face " + "".join(names[i][0] for i in face), fontsize=10)
    if kw.get("rest_points", True):
        axes.flat[0].figure.legend(
            handles=_stability_handles(),
            loc="lower center",
            ncol=3,
            frameon=False,
            title="rest points (linear stability in the whole simplex)",
        )
    return axes


def plot_basin_map(
    starts: ArrayLike,
    fates: Sequence[Fate | str],
    *,
    ax: Axes | None = None,
    face: Sequence[int] | None = None,
    labels: Sequence[str] | None = None,
    s: float = 6.0,
    colors: Mapping[str, ColorType] | None = None,
) -> Axes:
    """Starts coloured by fate, in the ternary coordinates of a face (starts are projected:
    their shares on the face's three strategies, renormalised).

    `fates` are :class:`dynamics.basins.Fate` values (``Basins.fates``) or any labels of the
    caller's; equal values share a colour, the legend shows ``str(fate)`` and the count.
    `colors` fixes the colour of fates by ``str(fate)`` (so several panels agree); others get
    the next colours of ``tab10``.

    Examples
    --------
    >>> ax = plot_basin_map([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]], ["a", "b"])
    >>> len(ax.get_legend().get_texts())
    2
    """
    X = as_states(starts, name="starts")
    if len(fates) != X.shape[0]:
        raise ParameterError(f"{len(fates)} fates for {X.shape[0]} starts")
    idx = _face(X.shape[1], face)
    names = [str(i) for i in range(X.shape[1])] if labels is None else [str(v) for v in labels]
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.4))
    sub = X[:, idx]
    sub = sub / np.maximum(sub.sum(axis=1, keepdims=True), 1e-300)
    xy = ternary(sub)
    counts: dict[Fate | str, int] = {}
    for f in fates:
        counts[f] = counts.get(f, 0) + 1
    kinds = sorted(counts, key=lambda f: (-counts[f], str(f)))
    cmap = plt.get_cmap("tab10")
    fixed = {} if colors is None else dict(colors)
    for c, f in enumerate(kinds):
        sel = np.array([g == f for g in fates])
        col = fixed.get(str(f), cmap(c % 10))
        ax.scatter(xy[sel, 0], xy[sel, 1], s=s, color=col, label=f"{f} ({sel.sum()})")
    _triangle(ax, [names[i] for i in idx])
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=2,
        fontsize=8,
        markerscale=2,
        frameon=False,
    )
    return ax


def plot_shares(
    t: ArrayLike,
    x: ArrayLike,
    *,
    ax: Axes | None = None,
    labels: Sequence[str] | None = None,
    log: bool = False,
    floor: float = 1e-40,
) -> Axes:
    """Shares of each strategy against time (``log=True``: log10 scale down to `floor`, shows
    the depths a heteroclinic orbit reaches).

    Examples
    --------
    >>> ax = plot_shares([0, 1], [[0.5, 0.5], [0.4, 0.6]], labels="ab")
    >>> [l.get_label() for l in ax.get_lines()]
    ['a', 'b']
    """
    T = np.asarray(t, dtype=np.float64)
    X = np.asarray(x, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] != T.size:
        raise ParameterError(f"x must have shape (len(t), n), got {X.shape} for {T.size} times")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.2))
    names = [str(i) for i in range(X.shape[1])] if labels is None else [str(v) for v in labels]
    for i, lab in enumerate(names):
        ax.plot(T, X[:, i], label=lab, lw=1.1)
    if log:
        ax.set_yscale("log")
        ax.set_ylim(floor, 2.0)
    spec = ax.get_subplotspec()
    if spec is None or spec.is_last_row():  # not under a panel that shares its x axis below
        ax.set_xlabel("t")
    ax.set_ylabel("share")
    # outside, right of the panel: shares fill the whole height, no corner is free of lines
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, borderaxespad=0.0)
    return ax


def plot_basin_fractions(
    params: Sequence[float],
    fractions: Sequence[tuple[float, float, float]],
    *,
    ax: Axes | None = None,
    xlabel: str = "eps",
    logx: bool = True,
    label: str | None = None,
    ticklabels: Sequence[str] | None = None,
) -> Axes:
    """A basin's share against a parameter, with interval bars: rows ``(p, low, high)``.

    Call it again on the same `ax` for another share (give each a `label` for the legend).
    With `logx` the x label says "(log scale)"; `ticklabels` replace the parameter values at
    the ticks (e.g. exact fractions).

    Examples
    --------
    >>> ax = plot_basin_fractions([0.1, 0.2], [(0.1, 0.05, 0.2), (0.3, 0.2, 0.4)])
    >>> ax.get_xlabel()
    'eps'
    """
    x = np.asarray(params, dtype=np.float64)
    F = np.asarray(fractions, dtype=np.float64)
    if F.shape != (x.size, 3):
        raise ParameterError(f"fractions must have shape ({x.size}, 3), got {F.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    # an interval's end may miss its share by round-off (a Wilson interval at 0 or 1)
    err = np.clip([F[:, 0] - F[:, 1], F[:, 2] - F[:, 0]], 0.0, None)
    ax.errorbar(x, F[:, 0], yerr=err, fmt="o-", capsize=3, label=label)
    if logx:
        ax.set_xscale("log")
        ax.minorticks_off()
    ax.set_xticks(x)
    if ticklabels is not None and len(ticklabels) != x.size:
        raise ParameterError(f"ticklabels must label the {x.size} values, got {len(ticklabels)}")
    ax.set_xticklabels([f"{v:g}" for v in x] if ticklabels is None else list(ticklabels))
    ax.set_xlabel(f"{xlabel} (log scale)" if logx else xlabel)
    if label is not None:
        ax.legend(fontsize=8)
    ax.set_ylabel("fraction of starts")
    ax.set_ylim(bottom=0)
    return ax
