"""A 3-D view of the simplex of four strategies: orbits inside a regular tetrahedron, seen with
an orthographic projection; edges hidden behind the front faces are dashed.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.typing import ColorType
from mpl_toolkits.mplot3d import Axes3D, proj3d
from mpl_toolkits.mplot3d.art3d import Line3DCollection
from numpy.typing import ArrayLike

from dynamics.errors import ParameterError

__all__ = ["plot_tetrahedron"]

_TETRA = np.array(
    [[1.0, 1.0, 1.0], [1.0, -1.0, -1.0], [-1.0, 1.0, -1.0], [-1.0, -1.0, 1.0]]
) / np.sqrt(3)


def plot_tetrahedron(
    trajectories: ArrayLike,
    *,
    ax: Axes3D | None = None,
    labels: Sequence[str] | None = None,
    color: ColorType | None = None,
    orbit_labels: Sequence[str] | None = None,
    elev: float = 10.0,
    azim: float = 10.0,
) -> Axes3D:
    """Orbits of a 4-strategy flow inside a 3-D tetrahedron; returns the 3-D Axes.

    The default view looks across two opposite edges, so the outline is a quadrilateral with
    every vertex on it (no vertex hides inside the outline), vertex 0 nearest. Depth cues: edges
    hidden behind the front faces are dashed, and orbits fade with distance from the viewer
    (opaque at the front, light at the back). Each vertex label sits outside the tetrahedron,
    away from its edges. `orbit_labels` names the orbits in a legend. Orbits are drawn through
    the given samples: pass densely sampled trajectories (e.g. ``integrate(..., t_eval=...)``)
    for smooth curves.

    Raises
    ------
    ParameterError
        Trajectories not of shape (k, m, 4), or `orbit_labels` of the wrong length.

    Examples
    --------
    >>> ax = plot_tetrahedron(np.full((1, 2, 4), 0.25))
    >>> ax.name
    '3d'
    """
    T = np.asarray(trajectories, dtype=np.float64)
    T = T[None] if T.ndim == 2 else T
    if T.ndim != 3 or T.shape[2] != 4:
        raise ParameterError(f"trajectories must have shape (k, m, 4), got {T.shape}")
    if ax is None:
        fig = plt.figure(figsize=(6, 5.5))
        ax = fig.add_subplot(projection="3d")
    if orbit_labels is not None and len(orbit_labels) != len(T):
        raise ParameterError(
            f"orbit_labels must name each of the {len(T)} orbits, got {len(orbit_labels)}"
        )
    eye, right, up = _view_frame(elev, azim)
    ax.view_init(elev=elev, azim=azim)
    ax.set_proj_type("ortho")
    hidden = _hidden_edges(eye)
    for i in range(4):
        for j in range(i + 1, 4):
            behind = (i, j) in hidden
            ax.plot(
                *_TETRA[[i, j]].T,
                color="0.45" if behind else "black",
                lw=0.7 if behind else 0.9,
                ls=(0, (4, 3)) if behind else "-",
            )
    ax.scatter(*_TETRA.T, s=12, color="black", depthshade=False)
    cmap = plt.get_cmap("tab10")
    near = float(np.max(_TETRA @ eye))
    for k, orbit in enumerate(T):
        xyz = orbit @ _TETRA
        c = color if color is not None else cmap(k % 10)
        segments = np.stack([xyz[:-1], xyz[1:]], axis=1)
        depth = (segments.mean(axis=1) @ eye + near) / (2 * near)  # 0 at the back, 1 at the front
        rgba = np.tile(to_rgba(c), (len(segments), 1))
        rgba[:, 3] = 0.25 + 0.75 * np.clip(depth, 0.0, 1.0)
        ax.add_collection3d(Line3DCollection(segments, colors=rgba, linewidths=0.9))
        label = None if orbit_labels is None else orbit_labels[k]
        ax.plot([], [], [], color=c, lw=1.2, label=label)  # the legend's handle
        ax.scatter(*xyz[0], s=14, color=c, depthshade=False)
    lim = 1.05 / np.sqrt(3)
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), zlim=(-lim, lim))
    ax.set_box_aspect((1.0, 1.0, 1.0))
    ax.set_axis_off()
    names = ["0", "1", "2", "3"] if labels is None else [str(s) for s in labels]
    M = ax.get_proj()  # the view is final now
    for p, lab in zip(_TETRA, names, strict=True):
        # 2-D labels at the projected vertex, offset outwards on the screen so no edge runs
        # through them (and, unlike 3-D text, counted when a figure is saved with a tight bbox)
        d = np.array([p @ right, p @ up])
        d = d / max(float(np.hypot(*d)), 1e-12)
        ha = "left" if d[0] > 0.3 else "right" if d[0] < -0.3 else "center"
        va = "bottom" if d[1] > 0.3 else "top" if d[1] < -0.3 else "center"
        x2, y2, _ = proj3d.proj_transform(*p, M)
        ax.annotate(lab, (x2, y2), xytext=tuple(5 * d), textcoords="offset points", ha=ha, va=va)
    if orbit_labels is not None:
        ax.legend(
            fontsize=7,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.08),
            ncols=2,
            title="orbits by their start (dot)",
            title_fontsize=7,
        )
    return ax


def _view_frame(elev: float, azim: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit vectors towards the viewer, to the screen's right and up, for a 3-D Axes view."""
    e, a = np.radians(elev), np.radians(azim)
    eye = np.array([np.cos(e) * np.cos(a), np.cos(e) * np.sin(a), np.sin(e)])
    right = np.array([-np.sin(a), np.cos(a), 0.0])
    return eye, right, np.cross(eye, right)


def _hidden_edges(eye: np.ndarray) -> set[tuple[int, int]]:
    """Edges of the tetrahedron on no face turned towards the viewer (the face opposite vertex
    ``l`` has outward normal ``-_TETRA[l]``)."""
    towards = _TETRA @ eye
    out = set()
    for i in range(4):
        for j in range(i + 1, 4):
            k, m = (v for v in range(4) if v not in (i, j))
            if min(towards[k], towards[m]) > 0:
                out.add((i, j))
    return out
