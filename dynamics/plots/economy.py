"""Plots of learning economies: learning curves over independent runs, with a band; a frame of
the Gather-and-Build world."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from dynamics.economy.gather_build import GatherBuildState

__all__ = ["plot_learning_curves", "plot_gather_build", "plot_tradeoff_intervals"]


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


def plot_gather_build(state: GatherBuildState, *, copy: int = 0, ax: Axes | None = None) -> Axes:
    """One copy of a Gather-and-Build world: wood (green) and stone (grey) units, their source
    patches (pale), houses coloured by owner, agents as numbered circles with their coins.

    Examples
    --------
    >>> from dynamics.economy.gather_build import GatherBuild, gather_build_reset
    >>> ax = plot_gather_build(gather_build_reset(GatherBuild(size=10), 1, rng=0))
    >>> ax.get_title()
    'Gather-and-Build, step 0'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5.5))
    H = state.wood.shape[1]
    img = np.ones((H, H, 3))
    img[state.wood_source[copy]] = (0.85, 0.95, 0.85)
    img[state.stone_source[copy]] = (0.9, 0.9, 0.9)
    img[state.wood[copy]] = (0.15, 0.55, 0.2)
    img[state.stone[copy]] = (0.45, 0.45, 0.5)
    tab = plt.get_cmap("tab10")

    def colours(i: int) -> tuple[float, ...]:  # tab10 without its green and grey (the resources)
        return tuple(tab([0, 1, 3, 4, 5, 6, 8, 9][i % 8]))

    owners = state.houses[copy]
    for i in np.unique(owners[owners >= 0]):
        img[owners == i] = colours(int(i))[:3]
    ax.imshow(img, origin="upper", interpolation="nearest")
    for i, (r, c) in enumerate(state.position[copy]):
        ax.plot(c, r, "o", ms=13, mfc=colours(i), mec="k")
        ax.text(c, r, str(i), ha="center", va="center", fontsize=8, color="w")
    coins = ", ".join(f"{i}: {v:.0f}" for i, v in enumerate(state.coins[copy]))
    ax.set_xlabel(f"coins {coins}; houses in the owner's colour")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"Gather-and-Build, step {state.t}")
    return ax


def plot_tradeoff_intervals(
    points: Mapping[str, tuple[tuple[float, float, float], tuple[float, float, float]]],
    *,
    ax: Axes | None = None,
) -> Axes:
    """Equality against productivity with intervals: ``points`` maps a label to
    ((productivity mean, low, high), (equality mean, low, high)); grey curves are the eq·prod
    iso-lines through each point.

    Examples
    --------
    >>> ax = plot_tradeoff_intervals({"a": ((10.0, 8.0, 12.0), (0.5, 0.4, 0.6))})
    >>> ax.get_xlabel()
    'productivity (total coins)'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    finite = [v for (p, e) in points.values() for v in (*p, *e) if np.isfinite(v)]
    xmax = max([p[2] for p, _ in points.values() if np.isfinite(p[2])] + [1e-9]) * 1.15
    for k, (label, (p, e)) in enumerate(points.items()):
        xerr = [[p[0] - p[1]], [p[2] - p[0]]]
        yerr = [[e[0] - e[1]], [e[2] - e[0]]]
        ax.errorbar(
            p[0],
            e[0],
            xerr=xerr,
            yerr=yerr,
            fmt="osD^v"[k % 5],
            ms=8,
            capsize=4,
            label=f"{label}: mean prod × mean eq {p[0] * e[0]:.2f}",
        )
        if p[0] * e[0] > 0:
            x = np.linspace(max(p[0] * e[0], 1e-9), xmax, 100)
            ax.plot(x, p[0] * e[0] / x, color="0.8", lw=0.8, zorder=0)
    ax.set_xlim(0, xmax)
    ax.set_ylim(
        min([0.0, *finite]) if not finite else min(0.0, min(e[1] for _, e in points.values())), 1.05
    )
    ax.set_xlabel("productivity (total coins)")
    ax.set_ylabel("equality 1 − gini·N/(N−1)")
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return ax
