"""Plots of Social Environment Design's loop: stock and tax over rounds, (ε, δ) per round (a
round's orchard is :func:`dynamics.plots.commons.plot_harvest` of its ``final`` state)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from dynamics.commons.design_loop import DesignHistory
from dynamics.commons.rounds import RoundsResult

__all__ = ["plot_design_rounds", "plot_design_equilibrium"]


def plot_design_rounds(
    histories: Sequence[DesignHistory],
    *,
    mean_field: RoundsResult | None = None,
    label: str = "learning loop",
    color: str = "tab:green",
    ax: Axes | None = None,
) -> Axes:
    """The stock at every round boundary of each loop (thin lines), their mean (thick), the
    chosen tax of each round as markers on a second axis (right, 0..1), and the mean-field greedy
    rounds from the same first stock (dashed, with its taxes as crosses).

    Examples
    --------
    >>> ax = plot_design_rounds([])
    >>> ax.get_xlabel()
    'round'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    taxes = ax.twinx()
    taxes.set_ylim(-0.05, 1.4)  # the top quarter is the legend's
    taxes.set_yticks([0, 0.25, 0.5, 0.75, 1])
    taxes.set_ylabel("tax rate chosen", fontsize=8)
    stocks = [h.stocks for h in histories]
    for k, (h, s) in enumerate(zip(histories, stocks, strict=True)):
        ax.plot(np.arange(len(s)), s, color=color, lw=0.8, alpha=0.5)
        jitter = 0.08 * (k - (len(histories) - 1) / 2)
        taxes.plot(
            np.arange(len(h)) + 0.5 + jitter, h.rates[:, 0], "o", color=color, ms=3, alpha=0.7
        )
    if stocks:
        n = min(len(s) for s in stocks)
        mean = np.mean([s[:n] for s in stocks], axis=0)
        ax.plot(np.arange(n), mean, "-o", color=color, lw=2, ms=3, label=f"{label} (mean)")
    if mean_field is not None:
        x = mean_field.stocks[0]
        ax.plot(np.arange(len(x)), x, "k--", lw=1.2, label="mean-field greedy rounds")
        taxes.plot(np.arange(mean_field.taxes.shape[1]) + 0.5, mean_field.taxes[0], "kx", ms=5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("round")
    ax.set_ylabel("apples on the orchard")
    top = max([float(np.max(s)) for s in stocks] + [1.0])
    if mean_field is not None:
        top = max(top, float(np.max(mean_field.stocks)))
    ax.set_ylim(0, 1.4 * top)  # headroom for the legend above the lines
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="upper center", ncol=2)
    return ax


def plot_design_equilibrium(histories: Sequence[DesignHistory], *, ax: Axes | None = None) -> Axes:
    """ε (the principal's gap to the grid's best) and δ (the followers' largest deviation gain)
    of every round, each ± its standard error, loops side by side.

    Examples
    --------
    >>> ax = plot_design_equilibrium([])
    >>> ax.get_ylabel()
    'apples'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for k, h in enumerate(histories):
        x = np.arange(len(h)) + 0.1 * (k - (len(histories) - 1) / 2)
        eps = np.array([r.epsilon for r in h])
        eps_se = np.array([r.epsilon_se for r in h])
        delta = np.array([r.delta for r in h])
        delta_se = np.array([r.delta_se for r in h])
        first = k == 0
        ax.errorbar(
            x,
            eps,
            yerr=eps_se,
            fmt="s",
            color="tab:blue",
            ms=4,
            capsize=2,
            label="ε (principal)" if first else None,
        )
        if np.any(np.isfinite(delta)):
            ax.errorbar(
                x,
                delta,
                yerr=delta_se,
                fmt="o",
                color="tab:red",
                ms=4,
                capsize=2,
                label="δ (followers)" if first else None,
            )
    ax.axhline(0, color="k", lw=0.8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("round")
    ax.set_ylabel("apples")
    if histories:
        ax.legend(fontsize=8)
    return ax
