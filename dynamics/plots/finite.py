"""Plots of finite populations: agent means against the flow, the 1/sqrt(N) law, stationary laws."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

__all__ = ["plot_agent_means", "plot_distance_scaling", "plot_stationary"]


def plot_agent_means(
    means: Mapping[int, tuple[np.ndarray, np.ndarray]],
    flow_t: np.ndarray,
    flow_x: np.ndarray,
    labels: Sequence[str],
    *,
    ax: Axes | None = None,
) -> Axes:
    """Mean agent paths (``{N: (time, mean (T, n))}``) dashed over the flow (solid).

    Examples
    --------
    >>> t = np.linspace(0, 1, 5); x = np.full((5, 2), 0.5)
    >>> plot_agent_means({10: (t, x)}, t, x, ["a", "b"]).get_xlabel()
    'flow time t'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    styles = ["dotted", "dashed", "dashdot", (0, (5, 1))]
    for i, name in enumerate(labels):
        ax.plot(flow_t, flow_x[:, i], color=colours[i % len(colours)], lw=2, label=f"{name} (flow)")
    for k, (N, (t, m)) in enumerate(sorted(means.items())):
        for i in range(m.shape[1]):
            ax.plot(
                t,
                m[:, i],
                color=colours[i % len(colours)],
                ls=styles[k % len(styles)],
                lw=1.2,
                label=f"agent mean, N = {N}" if i == 0 else None,
            )
    ax.set_xlabel("flow time t")
    ax.set_ylabel("share of the population")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7, ncol=2, loc="upper right")
    return ax


def plot_distance_scaling(
    N: ArrayLike, distances: Mapping[str, ArrayLike], *, ax: Axes | None = None
) -> Axes:
    """Distances to the flow against N on log-log axes, with a 1/sqrt(N) guide.

    Examples
    --------
    >>> plot_distance_scaling([10, 100], {"spread": [0.3, 0.1]}).get_xscale()
    'log'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    Ns = np.asarray(N, dtype=float)
    for name, d in distances.items():
        ax.loglog(Ns, d, "o-", label=name)
    first = np.asarray(next(iter(distances.values())), dtype=float)[0]
    ax.loglog(Ns, first * np.sqrt(Ns[0] / Ns), "k:", label=r"$\propto 1/\sqrt{N}$")
    ax.set_xlabel("number of agents N")
    ax.set_ylabel("distance to the replicator flow")
    ax.legend(fontsize=8)
    return ax


def plot_stationary(
    rows: Sequence[str], stationary: ArrayLike, labels: Sequence[str], *, ax: Axes | None = None
) -> Axes:
    """Grouped bars: one group per row (e.g. a value of eps), one bar per strategy.

    Examples
    --------
    >>> plot_stationary(["a"], [[0.5, 0.5]], ["x", "y"]).get_ylabel()
    'stationary probability'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    P = np.asarray(stationary, dtype=float)
    width = 0.8 / P.shape[1]
    x = np.arange(len(rows))
    for i, name in enumerate(labels):
        ax.bar(x + (i - (P.shape[1] - 1) / 2) * width, P[:, i], width, label=name)
    ax.set_xticks(x, rows)
    ax.set_ylabel("stationary probability")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8)
    return ax
