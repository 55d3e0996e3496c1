"""Plots of evolution among many modal agents: survivors against ε, sorted shares.

Both take plain arrays (what :class:`dynamics.modal_evolution.ModalEvolution` holds), so they
draw any many-strategy sweep.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

__all__ = ["plot_survivors", "plot_sorted_shares"]

#: Shares below this are drawn at it (a log axis has no 0; the flow never makes a share 0).
SHARE_FLOOR = 1e-30


def plot_survivors(
    eps: Sequence[object],
    survival: ArrayLike,
    names: Sequence[str],
    *,
    ax: Axes | None = None,
) -> Axes:
    """Heat map: for each ε (column) the share of runs in which each strategy (row) survived.

    Only strategies that survived some run are drawn, most persistent first; the title of the
    colour bar says how many never survived.

    Parameters
    ----------
    eps : sequence
        The penalties, one per row of `survival` (drawn as labels).
    survival : array_like, shape (len(eps), n)
        Shares of runs survived (``ModalEvolution.survival``).
    names : sequence of str, length n

    Examples
    --------
    >>> ax = plot_survivors(["1/10", "1/20"], [[1.0, 0.0, 0.5], [0.2, 0.0, 1.0]], "abc")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['c', 'a']
    """
    S = np.asarray(survival, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.2 * len(eps) + 3, 0.28 * S.shape[1] + 1.5))
    keep = np.flatnonzero(S.max(axis=0) > 0)
    order = keep[np.argsort(-S[:, keep].sum(axis=0), kind="stable")]
    img = ax.imshow(S[:, order].T, aspect="auto", cmap="viridis", vmin=0, vmax=1)
    for (c, r), v in np.ndenumerate(S[:, order]):
        ax.text(
            c,
            r,
            f"{v:.2f}",
            ha="center",
            va="center",
            fontsize=7,
            color="black" if v > 0.6 else "white",
        )
    ax.set_xticks(range(len(eps)), [str(e) for e in eps])
    ax.set_yticks(range(len(order)), [str(names[i]) for i in order])
    ax.set_xlabel("modelling penalty ε")
    cb = ax.figure.colorbar(img, ax=ax)
    cb.set_label(f"share of runs survived ({S.shape[1] - len(order)} strategies never did)")
    return ax


def plot_sorted_shares(
    eps: Sequence[object],
    shares: ArrayLike,
    *,
    ax: Axes | None = None,
    floor: float = SHARE_FLOOR,
) -> Axes:
    """Rank-share curves: each ε's final shares sorted from largest to smallest, log scale.

    Parameters
    ----------
    eps : sequence
        The penalties, one per row of `shares` (the legend).
    shares : array_like, shape (len(eps), n)
        Population shares (e.g. ``ModalEvolution.uniform``).
    floor : float
        Shares below it are drawn at it.

    Examples
    --------
    >>> ax = plot_sorted_shares(["1/10"], [[0.2, 0.7, 0.1]])
    >>> ax.get_yscale(), ax.lines[0].get_ydata().tolist()
    ('log', [0.7, 0.2, 0.1])
    """
    X = np.asarray(shares, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    ranks = np.arange(1, X.shape[1] + 1)
    for e, row in zip(eps, X, strict=True):
        ax.plot(ranks, np.maximum(np.sort(row)[::-1], floor), "o-", ms=3, lw=1, label=f"ε = {e}")
    ax.set_yscale("log")
    ax.set_ylim(floor / 10, 2)
    ax.set_xlabel("rank of the strategy")
    ax.set_ylabel("population share")
    ax.legend(fontsize=8)
    return ax
