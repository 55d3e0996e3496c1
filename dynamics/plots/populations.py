"""Two populations and groups: the unit square of a 2 x 2 bimatrix game, orbits on a product
of simplices beyond 2 x 2. Every function takes ``ax=None`` (or ``axes=None``) and returns the
``Axes``.

On the unit square the horizontal axis is the row population's share of its first strategy,
``x_0``, and the vertical axis the column population's, ``y_0``. Rest points of the
two-population replicator are marked by their linear stability
(:func:`theory.two_populations.classify_two_population_rest_point`): black for sinks, grey for
saddles, white for sources, light blue for centres.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from dynamics.errors import ParameterError
from dynamics.plots.simplex import ternary
from dynamics.two_populations import integrate_two_populations, two_population_field
from theory.games import GameLike, as_game
from theory.two_populations import (
    classify_two_population_rest_point,
    two_population_rest_points,
)

__all__ = ["plot_unit_square", "plot_product_orbits"]

_FACE = {
    "sink": "black",
    "stable spiral": "black",
    "saddle": "0.6",
    "source": "white",
    "unstable spiral": "white",
}
_NEUTRAL = "#9ecae1"


def plot_unit_square(
    game: GameLike,
    *,
    ax: Axes | None = None,
    dynamic: str = "replicator",
    labels: Sequence[str] = ("x", "y"),
    resolution: int = 41,
    density: float = 1.1,
    orbits: ArrayLike | None = None,
    t_end: float = 20.0,
    rest_points: bool = True,
    **params: float,
) -> Axes:
    """Phase portrait of a 2 x 2 bimatrix game played by two populations, on the unit square.

    Parameters
    ----------
    game : Game, pair (A, B) of 2 x 2 matrices, or one 2 x 2 matrix ``(A, A.T)``
    dynamic : str
        A name in :data:`dynamics.flows.DYNAMICS`.
    labels : (str, str)
        Names of the two populations (axes: the share of each one's first strategy).
    resolution, density
        Grid points per side and streamline density.
    orbits : array_like, shape (k, 2), optional
        Starting points ``(x_0, y_0)`` of orbits integrated to `t_end` and drawn on top.
    rest_points : bool
        Mark the replicator's rest points, by stability (exact, from theory).

    Raises
    ------
    ParameterError
        If the game is not 2 x 2.

    Examples
    --------
    >>> ax = plot_unit_square(([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]))
    >>> tuple(map(float, ax.get_xlim()))
    (0.0, 1.0)
    """
    g = as_game(game)
    if g.shape != (2, 2):
        raise ParameterError(f"the unit square shows 2 x 2 games, got {g.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 4.4))
    s = np.linspace(0.0, 1.0, resolution)
    gx, gy = np.meshgrid(s, s)
    X = np.stack([gx.ravel(), 1 - gx.ravel()], axis=1)
    Y = np.stack([gy.ravel(), 1 - gy.ravel()], axis=1)
    v = two_population_field(g, X, Y, dynamic=dynamic, **params)
    u, w = v.x[:, 0].reshape(gx.shape), v.y[:, 0].reshape(gx.shape)
    ax.streamplot(
        gx, gy, u, w, color=np.hypot(u, w), cmap="viridis", density=density, linewidth=0.8
    )
    if orbits is not None:
        starts = np.atleast_2d(np.asarray(orbits, dtype=np.float64))
        x0 = np.stack([starts[:, 0], 1 - starts[:, 0]], axis=1)
        y0 = np.stack([starts[:, 1], 1 - starts[:, 1]], axis=1)
        options: dict[str, Any] = dict(params)  # the dynamic's parameters (eta)
        tr = integrate_two_populations(g, x0, y0, t_end, dynamic=dynamic, **options)
        for k in range(starts.shape[0]):
            ax.plot(tr.x[k, :, 0], tr.y[k, :, 0], color="crimson", lw=1.0)
            ax.plot(tr.x[k, :1, 0], tr.y[k, :1, 0], "o", color="crimson", ms=3)
    if rest_points and dynamic == "replicator":
        for p in two_population_rest_points(g):
            kind = classify_two_population_rest_point(g, p.x, p.y).kind
            ax.scatter(
                [float(p.x[0])],
                [float(p.y[0])],
                s=50,
                zorder=5,
                c=_FACE.get(kind, _NEUTRAL),
                edgecolors="black",
                clip_on=False,
            )
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.0, 1.0)
    ax.set_aspect("equal")
    ax.set_xlabel(f"{labels[0]}: share of strategy 0")
    ax.set_ylabel(f"{labels[1]}: share of strategy 0")
    ax.set_title(dynamic)
    return ax


def plot_product_orbits(
    game: GameLike,
    x0: ArrayLike,
    y0: ArrayLike,
    t_end: float,
    *,
    axes: Sequence[Axes] | None = None,
    dynamic: str = "replicator",
    labels: Sequence[str] = ("row population", "column population"),
    names: Sequence[Sequence[str]] | None = None,
    n_out: int = 301,
    rest_points: bool = True,
    **params: float,
) -> tuple[Axes, Axes]:
    """Orbits of two populations on a product of simplices, one panel per population.

    The projection of an orbit ``(x(t), y(t))`` onto each population's own simplex: a triangle
    for a population of 3 strategies (vertex 0 lower left, 1 lower right, 2 on top), otherwise
    its shares against time. Orbit ``k`` has the same colour in both panels; a dot marks its
    start. With `rest_points` (replicator only) the strict equilibria, the only asymptotically
    stable rest points of the two-population replicator, are marked (black) in each
    population's panel at their pure strategy, the other rest points' projections in grey.

    Parameters
    ----------
    game : Game, pair (A, B), square matrix or nashpy Game
    x0, y0 : array_like, shapes (k, m) and (k, n)
        Starts (one state of either is repeated to match the other's batch).
    axes : pair of Axes, optional
        Where to draw; default a new figure with two panels.
    names : pair of sequences of str, optional
        Strategy names of each population; default ``R0, R1, ...`` and ``C0, C1, ...``.

    Examples
    --------
    >>> A = [[3, 0, 0], [0, 2, 0], [0, 0, 1]]
    >>> ax_x, ax_y = plot_product_orbits((A, A), [[0.5, 0.3, 0.2]], [[0.2, 0.3, 0.5]], 20.0)
    >>> ax_x.get_title()
    'row population'
    """
    g = as_game(game)
    m, n = g.shape
    if names is None:
        names = ([f"R{i}" for i in range(m)], [f"C{j}" for j in range(n)])
    if len(names) != 2 or len(names[0]) != m or len(names[1]) != n:
        raise ParameterError(f"names must be two lists of {m} and {n} strategy names")
    options: dict[str, Any] = dict(params)  # the dynamic's parameters (eta)
    tr = integrate_two_populations(g, x0, y0, t_end, dynamic=dynamic, n_out=n_out, **options)
    if axes is None:
        _, pair = plt.subplots(1, 2, figsize=(9.0, 4.2))
        axes = (pair[0], pair[1])
    if len(axes) != 2:
        raise ParameterError(f"axes must be two Axes, got {len(axes)}")
    colours = plt.get_cmap("tab10")
    marks: tuple[list[tuple[list[float], bool]], list[tuple[list[float], bool]]] = ([], [])
    if rest_points and dynamic == "replicator":
        for p in two_population_rest_points(g):
            stable = classify_two_population_rest_point(g, p.x, p.y).kind == "sink"
            marks[0].append(([float(v) for v in p.x], stable))
            marks[1].append(([float(v) for v in p.y], stable))
    for which, (ax, shares, label) in enumerate(zip(axes, (tr.x, tr.y), labels, strict=True)):
        strategies = list(names[which])
        points = sorted(marks[which], key=lambda ps: ps[1])  # stable ones drawn on top
        if shares.shape[2] == 3:
            ax.plot(*ternary(np.vstack([np.eye(3), np.eye(3)[:1]])).T, color="black", lw=1)
            offsets = (-0.06, -0.06, 0.05)
            for corner, lab, dy in zip(ternary(np.eye(3)), strategies, offsets, strict=True):
                ax.text(corner[0], corner[1] + dy, lab, ha="center", va="center", fontsize=9)
            for k in range(shares.shape[0]):
                xy = ternary(shares[k])
                ax.plot(xy[:, 0], xy[:, 1], color=colours(k % 10), lw=1.0)
                ax.plot(xy[:1, 0], xy[:1, 1], "o", color=colours(k % 10), ms=3)
            for point, stable in points:
                c = ternary([point])[0]
                ax.scatter(
                    [c[0]],
                    [c[1]],
                    s=40,
                    zorder=5,
                    edgecolors="black",
                    c="black" if stable else "0.7",
                    clip_on=False,
                )
            ax.set_xlim(-0.1, 1.1)
            ax.set_ylim(-0.12, 0.96)
            ax.set_aspect("equal")
            ax.axis("off")
        else:
            styles = ["-", "--", ":", "-."]
            for k in range(shares.shape[0]):
                for i in range(shares.shape[2]):
                    ax.plot(
                        tr.t,
                        shares[k, :, i],
                        color=colours(k % 10),
                        lw=1.0,
                        ls=styles[i % len(styles)],
                        label=strategies[i] if k == 0 else None,
                    )
            ax.set_xlabel("t")
            ax.set_ylabel("share")
            ax.set_ylim(-0.02, 1.02)
            ax.legend(fontsize=8, title="strategy (line style)", title_fontsize=8)
        ax.set_title(label)
    return axes[0], axes[1]
