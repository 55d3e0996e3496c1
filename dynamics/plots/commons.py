"""Plots of the harvest commons: the phase diagram, multi-round trajectories, regrowth bistability,
a frame of the Harvest grid.

Every function takes ``ax=None``, draws, and returns the matplotlib ``Axes``.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from dynamics.commons import (
    Harvest,
    HarvestState,
    RoundsResult,
    dead_sites,
    mean_field_collapse_harvest,
    mean_field_fold_harvest,
    mean_field_step,
)
from theory.commons import (
    HarvestCommons,
    collapse_effort,
    cournot_effort,
    open_access_effort,
    social_optimum_effort,
)

__all__ = [
    "JUMP_GAP",
    "plot_commons_phase_diagram",
    "plot_round_trajectories",
    "plot_long_run_stock",
    "plot_regrowth_bistability",
    "plot_harvest",
]

JUMP_GAP = 2e-3
"""Relative distance from each mean-field jump at which extra points are drawn."""


def plot_commons_phase_diagram(
    commons: HarvestCommons,
    *,
    n_agents: Sequence[int] = (2, 5, 20),
    simulated: tuple[ArrayLike, ArrayLike, ArrayLike] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Stock against total effort: the transcritical bifurcation, yield, and the named efforts.

    Efforts are scaled by the collapse effort ``r/q``, stock and yield by ``K`` and ``rK/4``.
    ``simulated`` = (efforts, mean stocks, error bars) overlays stochastic runs.

    Examples
    --------
    >>> ax = plot_commons_phase_diagram(HarvestCommons(1, 100, 1, 10))
    >>> ax.get_xlabel()
    'total effort  qE / r'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    Ec, K = float(collapse_effort(commons)), float(commons.K)
    u = np.linspace(0, 1.6, 321)
    stock = np.maximum(1 - u, 0)
    ax.plot(u, stock, color="tab:green", lw=2.2, label="stable stock  x*/K")
    ax.plot(
        u[u <= 1],
        np.zeros((u <= 1).sum()),
        color="tab:green",
        ls="--",
        lw=1.4,
        label="x = 0 unstable",
    )
    ax.plot(
        u[u >= 1],
        np.zeros((u >= 1).sum()),
        color="tab:red",
        lw=2.2,
        label="x = 0 stable (collapse)",
    )
    ax.plot(u, 4 * u * stock, color="0.45", ls=":", lw=1.6, label="sustainable yield / MSY")
    marks = [(float(social_optimum_effort(commons)) / Ec, "optimum", "tab:blue")]
    marks += [
        (float(cournot_effort(commons, n)) / Ec, f"Nash N={n}", "tab:orange") for n in n_agents
    ]
    marks += [
        (float(open_access_effort(commons)) / Ec, "open access", "tab:purple"),
        (0.5, "MSY", "0.3"),
        (1.0, "collapse", "tab:red"),
    ]
    for x, label, color in marks:
        ax.axvline(x, color=color, lw=0.9, alpha=0.7)
        ax.text(x + 0.006, 1.22, label, rotation=90, fontsize=7.5, color=color, ha="left", va="top")
    if simulated is not None:
        e, mean, err = (np.asarray(v, dtype=float) for v in simulated)
        ax.errorbar(
            e / Ec,
            mean / K,
            yerr=err / K,
            fmt="o",
            color="k",
            ms=4,
            capsize=2,
            label="stochastic sites (mean ± tol)",
        )
    ax.set_xlim(0, 1.6)  # past 1.5, so the legend fits right of the collapse line
    ax.set_ylim(-0.05, 1.25)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_xlabel("total effort  qE / r")
    ax.set_ylabel("stock x / K   (yield / (rK/4))")
    ax.legend(fontsize=7.5, loc="lower right", bbox_to_anchor=(1.0, 0.06))
    return ax


def plot_round_trajectories(
    results: Sequence[RoundsResult],
    *,
    msy_stock: float,
    short_stock: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Stock at the start of each round against elapsed time, one line per round length.

    Examples
    --------
    >>> ax = plot_round_trajectories([], msy_stock=50.0)
    >>> ax.get_ylabel()
    'stock at round start'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    colors = plt.cm.viridis(np.linspace(0, 0.9, max(len(results), 1)))
    for res, color in zip(results, colors, strict=False):
        t = np.arange(res.stocks.shape[1]) * res.round_length
        mean = res.stocks.mean(axis=0)
        ax.plot(t, mean, "-o", ms=2.5, color=color, label=f"T = {res.round_length:g}")
        if res.stocks.shape[0] > 1:
            lo, hi = np.percentile(res.stocks, [10, 90], axis=0)
            ax.fill_between(t, lo, hi, color=color, alpha=0.2)
    ax.axhline(msy_stock, color="k", ls="--", lw=1, label="MSY stock K/2")
    if short_stock is not None:
        ax.axhline(short_stock, color="tab:red", ls=":", lw=1, label="short-round limit")
    ax.set_xlabel("time (rounds × round length T)")
    ax.set_ylabel("stock at round start")
    ax.legend(fontsize=8)
    return ax


def plot_long_run_stock(
    round_lengths: ArrayLike,
    stocks: ArrayLike,
    *,
    msy_stock: float,
    short_stock: float,
    long_stock: float,
    stochastic: tuple[ArrayLike, ArrayLike, ArrayLike] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Long-run stock against round length (log axis), with the exact short/long limits.

    Examples
    --------
    >>> ax = plot_long_run_stock([1, 10], [20, 50], msy_stock=50, short_stock=20, long_stock=50)
    >>> ax.get_xscale()
    'log'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(round_lengths, stocks, "-o", color="tab:blue", ms=4, label="greedy rounds (mean field)")
    if stochastic is not None:
        T, mean, err = stochastic
        ax.errorbar(
            T,
            mean,
            yerr=err,
            fmt="s",
            color="k",
            ms=4,
            capsize=2,
            label="greedy rounds (stochastic sites)",
        )
    ax.axhline(msy_stock, color="k", ls="--", lw=1, label="MSY stock")
    ax.axhline(short_stock, color="tab:red", ls=":", lw=1.2, label="exact limit T → 0")
    ax.axhline(long_stock, color="tab:green", ls=":", lw=1.2, label="exact limit T → ∞")
    ax.set_xscale("log")
    ax.set_xlabel("round length T")
    ax.set_ylabel("long-run stock")
    # centre left is empty: the stock sits at the short-round limit there
    ax.legend(fontsize=8, loc="center left")
    return ax


def plot_regrowth_bistability(
    harvests: ArrayLike,
    *,
    simulated: dict[str, tuple[ArrayLike, ArrayLike]] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Mean-field rest densities of the local regrowth rule against harvest, from a full and
    from a sparse orchard, with the collapse threshold 3/103 and optional grid runs. The mean
    field is drawn at the given `harvests` and on a fine grid between the smallest and largest.

    Examples
    --------
    >>> ax = plot_regrowth_bistability([0.0, 0.02])
    >>> ax.get_xlabel()
    'harvest probability per apple and step  h'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    h = np.asarray(harvests, dtype=float)
    if h.size >= 2:
        # the mean field jumps at 3/103 (from sparse) and at the fold (from full): add points just
        # either side of each, or a coarse grid draws the jumps as sloping lines
        edges = [float(mean_field_collapse_harvest()), mean_field_fold_harvest()[0]]
        near = [e * (1 + s) for e in edges for s in (-JUMP_GAP, JUMP_GAP)]
        h = np.union1d(h, [x for x in near if h.min() < x < h.max()])
    for start, style, label in (
        (1.0, "-", "mean field from full"),
        (0.01, "--", "mean field from sparse"),
    ):
        phi = np.full(h.shape, start)
        for _ in range(4000):
            phi = mean_field_step(phi, h)
        ax.plot(h, phi, style, lw=2, label=label)
    ax.axvline(
        float(mean_field_collapse_harvest()),
        color="tab:red",
        lw=1,
        ls=":",
        label="h = 3/103 (empty state turns stable)",
    )
    for label, (hs, dens) in (simulated or {}).items():
        ax.plot(hs, dens, "o", ms=5, label=label)
    ax.set_xlabel("harvest probability per apple and step  h")
    ax.set_ylabel("apple density")
    ax.legend(fontsize=8)
    return ax


def plot_harvest(
    harvest: Harvest, state: HarvestState, *, copy: int = 0, ax: Axes | None = None
) -> Axes:
    """One copy of a Harvest commons: apples (green), dead cells (dark: empty with no apple
    within the regrowth radius, so they cannot regrow), other empty cells (pale), agents as
    numbered circles, and agent 0's view as a dashed square (wrapping on the torus is not
    drawn).

    Examples
    --------
    >>> from dynamics.commons import harvest_reset
    >>> h = Harvest(height=8, width=8, agents=2, view=2)
    >>> ax = plot_harvest(h, harvest_reset(h, 1, rng=0))
    >>> ax.get_title()
    'Harvest commons, step 0: 2 agents, stock 31 / 64'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5.5))
    apples = state.apples[copy]
    img = np.ones(apples.shape + (3,))
    img[...] = (0.96, 0.93, 0.85)
    img[dead_sites(apples)[0]] = (0.35, 0.3, 0.25)
    img[apples] = (0.15, 0.6, 0.2)
    ax.imshow(img, origin="upper", interpolation="nearest")
    tab = plt.get_cmap("tab10")
    for i, (r, c) in enumerate(state.positions[copy]):
        colour = tab([0, 1, 3, 4, 6, 9][i % 6])  # tab10 without green and the dark colours
        ax.plot(c, r, "o", ms=12, mfc=colour, mec="k")
        ax.text(c, r, str(i), ha="center", va="center", fontsize=7, color="w")
    r, c = state.positions[copy, 0]
    v = harvest.view
    ax.add_patch(
        plt.Rectangle((c - v - 0.5, r - v - 0.5), 2 * v + 1, 2 * v + 1, fill=False, ls="--", lw=1.2)
    )
    ax.set_xlim(-0.5, harvest.width - 0.5)
    ax.set_ylim(harvest.height - 0.5, -0.5)
    ax.set_xticks([])
    ax.set_yticks([])
    picked = ", ".join(f"{i}: {n}" for i, n in enumerate(state.picked[copy]))
    ax.set_xlabel(f"apples picked {picked}\ndark: dead cells; dashed: agent 0's view")
    ax.set_title(
        f"Harvest commons, step {state.step}: {harvest.agents} agents, "
        f"stock {int(apples.sum())} / {harvest.cells}"
    )
    return ax
