"""Map of the best-response entry model: which starting counts ever add a given type."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from dynamics.errors import ParameterError

__all__ = ["plot_entry_map"]


def plot_entry_map(
    start: ArrayLike,
    hit: ArrayLike,
    *,
    x: Sequence[int],
    y: Sequence[int],
    ax: Axes | None = None,
    xlabel: str = "",
    ylabel: str = "",
) -> Axes:
    """Share of starts with ``hit`` (e.g. "a DefectBot entered"), by two summed counts.

    Parameters
    ----------
    start : array_like of int, shape (k, n)
        Initial counts.
    hit : array_like of bool, shape (k,)
    x, y : sequences of int
        Types whose counts are summed on each axis (e.g. FairBots + PrudentBots).

    Examples
    --------
    >>> ax = plot_entry_map([[1, 0], [0, 1], [1, 1]], [True, False, False], x=[0], y=[1])
    >>> ax.images[0].get_array().shape
    (2, 2)
    """
    S = np.asarray(start)
    H = np.asarray(hit, dtype=bool)
    if S.ndim != 2 or H.shape != (S.shape[0],):
        raise ParameterError(f"start (k, n) and hit (k,) must match, got {S.shape}, {H.shape}")
    gx, gy = S[:, list(x)].sum(axis=1), S[:, list(y)].sum(axis=1)
    share = np.full((gy.max() + 1, gx.max() + 1), np.nan)
    for i in range(share.shape[0]):
        for j in range(share.shape[1]):
            sel = (gy == i) & (gx == j)
            if sel.any():
                share[i, j] = H[sel].mean()
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 4.2))
    im = ax.imshow(share, origin="lower", cmap="Reds", vmin=0, vmax=1, aspect="auto")
    ax.figure.colorbar(im, ax=ax, label="share of starts")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax
