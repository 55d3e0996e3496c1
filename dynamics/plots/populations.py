"""Two populations and groups: the unit square of a 2 x 2 bimatrix game, the line of a
two-strategy group game. Every function takes ``ax=None`` and returns the ``Axes``.

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
from dynamics.two_populations import integrate_two_populations, two_population_field
from theory.games import GameLike, as_game
from theory.two_populations import (
    classify_two_population_rest_point,
    two_population_rest_points,
)

__all__ = ["plot_unit_square"]

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
