"""Phase portraits of two-strategy games: the state space is a line, not a triangle.

A state is ``(1 - p, p)`` with ``p`` the share of the second strategy. The portrait draws the
velocity ``p'`` against ``p`` (above the line, it moves right; below, left), arrows along the
line in the direction of motion, and the replicator's rest points marked by their linear
stability as in :mod:`dynamics.plots.simplex`: filled for sinks, white for sources, light blue
for non-hyperbolic points.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from dynamics._checks import MatrixLike, integer_at_least, kernel_parameters
from dynamics.errors import ParameterError
from dynamics.flows import flow, game_matrix
from dynamics.plots._markers import MARKER_FACE, stability, stability_handles

__all__ = ["plot_line_flow"]


def plot_line_flow(
    A: MatrixLike,
    *,
    ax: Axes | None = None,
    labels: Sequence[str] | None = None,
    dynamic: str = "replicator",
    resolution: int = 401,
    arrows: int = 13,
    rest_points: bool = True,
    trajectories: ArrayLike | None = None,
    legend: bool = False,
    **params: float,
) -> Axes:
    """Phase portrait of a two-strategy game: velocity, direction arrows and rest points.

    Parameters
    ----------
    A : array_like, shape (2, 2), or a symmetric :class:`theory.games.Game`
        Payoff matrix (a symbolic game with values: ``game.at(a=...)``).
    labels : sequence of two str, optional
        Names of the strategies (the left end is all of the first, the right end all of the
        second).
    dynamic : str
        A name in :data:`dynamics.flows.DYNAMICS`.
    resolution : int, default 401
        Points at which the velocity is drawn.
    arrows : int, default 13
        Direction arrows along the line (none where the velocity vanishes).
    rest_points : bool
        Mark the replicator's rest points (exact, from :mod:`theory.stability`).
    trajectories : array_like, shape (k, m, 2), optional
        Orbits to draw under the line, one level each: start (dot) to end (bar).
    legend : bool, default False
        Explain the rest-point markers.
    **params
        Parameters of the dynamic (``eta`` for logit).

    Raises
    ------
    ParameterError
        A game that does not have two strategies (larger games: :mod:`dynamics.plots.simplex`).

    Examples
    --------
    >>> ax = plot_line_flow([[-1, 2], [0, 1]], labels=["Hawk", "Dove"])
    >>> ax.get_title(), ax.get_xlabel()
    ('replicator', 'share of Dove')
    """
    from theory.games import payoff_matrix

    exact = payoff_matrix(A, square=True)
    M = game_matrix(A)
    n = M.shape[0]
    if n != 2:
        raise ParameterError(
            f"plot_line_flow draws 2-strategy games, got n = {n} "
            "(3 or more: dynamics.plots.simplex.plot_simplex_flow)"
        )
    names = ["0", "1"] if labels is None else [str(s) for s in labels]
    if len(names) != 2:
        raise ParameterError(f"labels must have 2 entries, got {len(names)}")
    resolution = integer_at_least(resolution, "resolution", 3)
    arrows = integer_at_least(arrows, "arrows", 0)
    kernel = flow(dynamic)
    checked = kernel_parameters(dynamic, **params)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 2.8))
    p = np.linspace(0.0, 1.0, resolution)
    X = np.column_stack([1 - p, p])
    v = kernel(M, X, **checked)[:, 1]
    scale = float(np.max(np.abs(v))) or 1.0
    ax.axhline(0.0, color="black", lw=1.0)
    ax.plot(p, v, color="tab:blue", lw=1.4, label="velocity of the share")
    ax.fill_between(p, v, 0, where=v > 0, color="tab:green", alpha=0.15, lw=0)
    ax.fill_between(p, v, 0, where=v < 0, color="tab:red", alpha=0.15, lw=0)
    if arrows:
        q = (np.arange(arrows) + 0.5) / arrows
        w = kernel(M, np.column_stack([1 - q, q]), **checked)[:, 1]
        moving = np.abs(w) > 1e-9 * scale  # round-off of a vanishing field draws no arrow
        for qi, wi in zip(q[moving], w[moving], strict=True):
            step = 0.5 / arrows * np.sign(wi)
            ax.annotate(
                "",
                xy=(qi + step / 2, 0.0),
                xytext=(qi - step / 2, 0.0),
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2},
            )
    if trajectories is not None:
        T = np.asarray(trajectories, dtype=np.float64)
        T = T[None] if T.ndim == 2 else T
        if T.ndim != 3 or T.shape[2] != 2:
            raise ParameterError(f"trajectories must have shape (k, m, 2), got {T.shape}")
        for k, orbit in enumerate(T):
            level = -0.06 * scale * (k + 1)  # one level per orbit, under the axis
            ax.plot(orbit[:, 1], np.full(orbit.shape[0], level), color="crimson", lw=1.0)
            ax.plot(orbit[:1, 1], [level], "o", color="crimson", ms=3)
            ax.plot(orbit[-1:, 1], [level], "|", color="crimson", ms=8)
    if rest_points and dynamic == "replicator":
        from theory.stability import replicator_rest_points

        for rp in replicator_rest_points(exact):
            kind = stability(exact, tuple(rp.x))
            ax.scatter(
                [float(rp.x[1])],
                [0.0],
                s=55,
                zorder=5,
                linewidths=1.2,
                c=MARKER_FACE[kind],
                edgecolors="black",
            )
    ax.set_xlim(-0.03, 1.03)
    ax.set_xticks([0, 0.5, 1], [f"0\n(all {names[0]})", "0.5", f"1\n(all {names[1]})"])
    ax.set_xlabel(f"share of {names[1]}")
    ax.set_ylabel(f"d/dt share of {names[1]}")
    if legend:
        ax.legend(handles=stability_handles(), loc="best", fontsize=8, frameon=False)
    ax.set_title(dynamic)
    return ax
