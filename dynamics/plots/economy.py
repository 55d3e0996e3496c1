"""Plots of learning economies: learning curves over independent runs, with a band."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

__all__ = ["plot_learning_curves"]


def plot_learning_curves(
    curves: Mapping[str, ArrayLike],
    *,
    optimum: float | None = None,
    phase_end: int | None = None,
    smooth: int = 1,
    ax: Axes | None = None,
) -> Axes:
    """Each curve's mean over runs against the iteration, with a band from the lowest to the
    highest run; ``optimum`` as a dashed line, ``phase_end`` (the end of phase one) as a dotted one.

    Parameters
    ----------
    curves : mapping of str to array (T, R)
        A learning curve per run (columns), by label.
    smooth : int
        Width of a moving average applied to every run first (1: none).

    Examples
    --------
    >>> ax = plot_learning_curves({"welfare": np.ones((10, 3))}, optimum=1.0, phase_end=4)
    >>> ax.get_xlabel()
    'iteration'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for label, values in curves.items():
        Y = np.asarray(values, dtype=float)
        Y = Y.reshape(len(Y), -1)
        if smooth > 1 and len(Y) >= smooth:
            kernel = np.ones(smooth) / smooth
            Y = np.stack([np.convolve(y, kernel, mode="valid") for y in Y.T], axis=1)
        x = np.arange(len(Y)) + (smooth - 1 if smooth > 1 else 0)
        (line,) = ax.plot(x, Y.mean(axis=1), lw=1.8, label=f"{label} (mean of {Y.shape[1]} runs)")
        ax.fill_between(x, Y.min(axis=1), Y.max(axis=1), color=line.get_color(), alpha=0.25, lw=0)
    if optimum is not None:
        ax.axhline(optimum, color="k", ls="--", lw=1.2, label="exact optimum")
    if phase_end is not None:
        ax.axvline(phase_end, color="0.4", ls=":", lw=1.2, label="end of phase one")
    ax.set_xlabel("iteration")
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return ax
