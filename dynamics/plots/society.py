"""Plots for societies: attractor frequencies, Omega over time, and the growing society.

Examples
--------
>>> ax = plot_attractor_frequencies(["SSSS/SSSS", "TSST/TSST"], [0.3, 0.6], [0.25, 0.55],
...                                 [0.35, 0.65], theory=[True, True])
>>> ax.get_ylabel()
'fraction of runs'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

__all__ = ["plot_attractor_frequencies", "plot_omega_history", "plot_growth", "plot_policy_shares"]


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    return ax


def plot_attractor_frequencies(
    labels: Sequence[str],
    freq: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    *,
    theory: Sequence[bool] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Bars of how often each final policy pair was reached, with confidence intervals.

    Bars of pairs that are theoretical fixed points are dark, others light.
    """
    ax = _axes(ax)
    f = np.asarray(freq, dtype=float)
    err = np.array([f - np.asarray(low), np.asarray(high) - f])
    colors = ["tab:blue" if (theory is None or t) else "lightgray" for t in (theory or f)]
    x = np.arange(len(labels))
    ax.bar(x, f, yerr=err, color=colors, capsize=3)
    ax.set_xticks(x, labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("fraction of runs")
    ax.set_ylim(0, max(1e-9, float(np.max(np.asarray(high)))) * 1.1)
    if theory is not None:
        ax.set_title("final policy pairs (dark: theoretical fixed point)", fontsize=10)
    return ax


def plot_omega_history(
    times: ArrayLike, omega: ArrayLike, n: int, *, ax: Axes | None = None, smooth: int = 1
) -> Axes:
    """Omega / n against time, optionally as a running mean over `smooth` records."""
    ax = _axes(ax)
    y = np.asarray(omega, dtype=float) / n
    t = np.asarray(times, dtype=float)
    if smooth > 1 and len(y) >= smooth:
        y = np.convolve(y, np.ones(smooth) / smooth, mode="valid")
        t = t[smooth - 1 :]
    ax.plot(t, y, lw=0.8)
    ax.set_xlabel("time")
    ax.set_ylabel(r"$\Omega / N$")
    return ax


def plot_growth(
    sizes: Sequence[int],
    mean: Mapping[str, Sequence[float]],
    se: Mapping[str, Sequence[float]],
    *,
    ax: Axes | None = None,
) -> Axes:
    """Omega / N against N (log scale), one line with 2-SE bars per interaction graph.

    The graphs' points are spread a little sideways so that their error bars do not hide each
    other. Dotted lines: 3, every encounter a trade (the optimum), and 1, every encounter a
    theft (both always steal, without noise).

    Examples
    --------
    >>> ax = plot_growth([2, 4], {"ring": [1.8, 1.6]}, {"ring": [0.1, 0.1]})
    >>> ax.get_xscale()
    'log'
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax)
    k = len(mean)
    for j, (name, m) in enumerate(mean.items()):
        ns = np.asarray(list(sizes)[-len(m) :], dtype=float)
        shift = 2.0 ** (0.06 * (j - (k - 1) / 2))  # sideways by a few % of an octave
        ax.errorbar(ns * shift, m, yerr=2 * np.asarray(se[name]), marker="o", capsize=3, label=name)
    ax.set_xscale("log", base=2)
    ax.axhline(3, color="k", ls=":", lw=0.8, label="3: all trade (optimum)")
    ax.axhline(1, color="k", ls="--", lw=0.8, label="1: all steal (no noise)")
    ax.set_xlabel("number of agents N")
    ax.set_ylabel(r"time-averaged $\Omega / N$")
    ax.legend(fontsize=8, ncols=2, loc="upper right")
    return ax


def plot_policy_shares(
    sizes: Sequence[int],
    shares: Mapping[str, Sequence[float]],
    *,
    ax: Axes | None = None,
    title: str = "",
    greedy: Sequence[float] | None = None,
) -> Axes:
    """Stacked shares of agents' final policies against N.

    A share named ``"not converged"`` is drawn last, hatched grey, so that it is not read as a
    policy. `greedy`, if given, is drawn as a black line: the share of agents whose policy is
    greedy against their neighbours (a network fixed point needs all of them).

    Examples
    --------
    >>> ax = plot_policy_shares([2, 4], {"always steal": [0.5, 0.2], "not converged": [0.5, 0.8]},
    ...                         greedy=[0.6, 0.3])
    >>> [p.get_hatch() for p in ax.patches][-1]
    '//'
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax)
    x = np.arange(len(sizes))
    bottom = np.zeros(len(sizes))
    names = [k for k in shares if k != "not converged"] + [
        k for k in shares if k == "not converged"
    ]
    for name in names:
        s = shares[name]
        if name == "not converged":
            ax.bar(x, s, bottom=bottom, label=name, color="0.85", hatch="//", edgecolor="0.5")
        else:
            ax.bar(x, s, bottom=bottom, label=name)
        bottom += np.asarray(s, dtype=float)
    if greedy is not None:
        ax.plot(x, greedy, "k-o", ms=4, label="greedy against neighbours")
    ax.set_xticks(x, [str(n) for n in sizes])
    ax.set_xlabel("number of agents N")
    ax.set_ylabel("share of agents")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    if title:
        ax.set_title(title, fontsize=10)
    return ax
