"""Pictures of learning: belief paths on the simplex, regrets against time, QRE branches.

Every function takes ``ax=None``, draws, and returns the ``Axes``.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from dynamics.errors import ParameterError
from dynamics.plots.simplex import ternary

__all__ = ["plot_belief_paths", "plot_regrets", "plot_qre_branch"]


def plot_belief_paths(
    paths: ArrayLike,
    *,
    labels: Sequence[str] = ("0", "1", "2"),
    ax: Axes | None = None,
    mark: ArrayLike | None = None,
) -> Axes:
    """Paths of empirical frequencies of a 3-action player on the simplex.

    Parameters
    ----------
    paths : array_like, shape (runs, T, 3)
        For example ``FictitiousPlay.x``.
    labels : three str
        Vertex labels (vertex 0 lower left, 1 lower right, 2 on top).
    mark : array_like, shape (3,), optional
        A point to mark (an equilibrium).

    Examples
    --------
    >>> import numpy as np
    >>> ax = plot_belief_paths(np.array([[[1, 0, 0], [0.5, 0.5, 0], [1 / 3, 1 / 3, 1 / 3]]]))
    >>> len(ax.lines)
    2
    """
    P = np.asarray(paths, dtype=float)
    if P.ndim != 3 or P.shape[2] != 3:
        raise ParameterError(f"paths must have shape (runs, T, 3), got {P.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.5))
    corners = ternary(np.eye(3))
    ax.plot(*np.vstack([corners, corners[:1]]).T, color="black", lw=1)
    for (cx, cy), text, dy in zip(corners, labels, (-0.06, -0.06, 0.03), strict=True):
        ax.text(cx, cy + dy, text, ha="center")
    colours = plt.get_cmap("viridis")(np.linspace(0, 0.9, len(P)))
    for path, colour in zip(P, colours, strict=True):
        xy = ternary(path)
        ax.plot(xy[:, 0], xy[:, 1], color=colour, lw=0.8)
    if mark is not None:
        m = ternary(mark)
        ax.scatter(m[:, 0], m[:, 1], color="red", zorder=3, s=25)
    ax.set_xlim(-0.1, 1.1)
    ax.set_ylim(-0.12, 0.96)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def plot_regrets(
    times: ArrayLike,
    regrets: dict[str, ArrayLike],
    *,
    reference: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Mean regret against rounds on log-log axes, with an optional ``c / sqrt(T)`` line.

    Parameters
    ----------
    times : array_like, shape (T,)
        Recorded rounds.
    regrets : dict of str to array_like, shape (runs, T) or (T,)
        Curves by label; runs are averaged.
    reference : float, optional
        Draw ``reference / sqrt(T)`` dashed.

    Examples
    --------
    >>> ax = plot_regrets([1, 10, 100], {"rm": [1.0, 0.3, 0.1]}, reference=1.0)
    >>> ax.get_xscale(), len(ax.lines)
    ('log', 2)
    """
    t = np.asarray(times, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    for label, r in regrets.items():
        R = np.asarray(r, dtype=float)
        mean = R.mean(axis=0) if R.ndim == 2 else R
        ax.loglog(t, np.maximum(mean, 1e-12), label=label)
    if reference is not None:
        ax.loglog(t, reference / np.sqrt(t), "k--", lw=0.8, label=f"{reference:.3g}/√T")
    ax.set_xlabel("rounds T")
    ax.set_ylabel("mean regret")
    ax.legend(fontsize=8)
    return ax


def plot_qre_branch(
    precision: ArrayLike,
    probabilities: ArrayLike,
    *,
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """One player's QRE probabilities along a traced branch, against the precision.

    Parameters
    ----------
    precision : array_like, shape (k,)
        ``QRECorrespondence.precision``.
    probabilities : array_like, shape (k, m)
        ``QRECorrespondence.x`` (or ``.y``).

    Examples
    --------
    >>> ax = plot_qre_branch([0, 1, 2], [[0.5, 0.5], [0.6, 0.4], [0.7, 0.3]])
    >>> len(ax.lines)
    2
    """
    lam = np.asarray(precision, dtype=float)
    X = np.asarray(probabilities, dtype=float)
    if X.ndim != 2 or X.shape[0] != lam.size:
        raise ParameterError(f"probabilities must have shape ({lam.size}, m), got {X.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    names = labels if labels is not None else [str(i) for i in range(X.shape[1])]
    for i, name in enumerate(names):
        ax.plot(lam, X[:, i], label=name)
    ax.set_xlabel("precision λ")
    ax.set_ylabel("probability")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=8)
    return ax
