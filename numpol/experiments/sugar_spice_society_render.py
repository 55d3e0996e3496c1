"""Tables and figures of sugar and spice Experiment 2 (SS-09): the render step of
:mod:`numpol.experiments.sugar_spice_society`."""

from __future__ import annotations

from collections import Counter

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from dynamics.plots.society import plot_growth, plot_omega_history, plot_policy_shares
from dynamics.society import FrameworkRun
from numpol.experiments.sugar_spice_society import (
    KINDS,
    PER_AGENT,
    RUNS,
    SEARCH_N,
    SEARCH_STARTS,
    SIZES,
    Continuation,
    GrowthCell,
)
from numpol.registry import Table

__all__ = ["render_growth"]


def render_growth(
    cells: tuple[GrowthCell, ...],
    continued: tuple[Continuation, ...],
    search: dict[str, Counter[str]],
    ring8: FrameworkRun,
) -> tuple[tuple[Table, ...], tuple[tuple[str, Figure], ...]]:
    """Experiment 2's tables (growth cells, continued runs, best-response search) and figures
    (Omega/N by size, the agents' policies on the complete and ring graphs, and Omega/N over
    time of one run `ring8` on a ring of N = 8)."""
    sizes = SIZES
    mean: dict[str, list[float]] = {}
    se: dict[str, list[float]] = {}
    rows = []
    for c in cells:
        mean.setdefault(c.kind, []).append(c.omega_mean)
        se.setdefault(c.kind, []).append(c.omega_se)
        rows.append(
            (
                c.kind,
                str(c.n),
                f"{c.omega_mean:.3f} ± {c.omega_se:.3f}",
                f"{c.converged:.2f}",
                f"{c.greedy:.2f}",
                f"{c.fixed_runs}/{c.runs}",
                *(f"{v:.2f}" for _, v in c.shares),
            )
        )
    table = Table(
        f"Experiment 2: time-averaged Omega/N (last quarter; mean ± SE of {RUNS} runs of "
        f"{PER_AGENT} encounters per agent), share of agents converged, share greedy against "
        "their neighbours, runs at a network fixed point, and the converged agents' policies",
        (
            "graph",
            "N",
            "Omega/N",
            "converged",
            "greedy",
            "fixed-point runs",
            *(name for name, _ in cells[0].shares),
        ),
        tuple(rows),
    )
    families = sorted({f for c in search.values() for f in c})
    search_table = Table(
        f"Network fixed points reached by best-response dynamics from {SEARCH_STARTS} random "
        f"profiles, N = {SEARCH_N} (by the policies they use)",
        ("fixed point", *KINDS),
        tuple((f, *(str(search[k][f]) for k in KINDS)) for f in families),
    )
    cont_table = Table(
        "Experiment 2 continued: the same societies after the main phase, continued with their "
        "Q-values and memories (share of agents converged / greedy against their neighbours)",
        (
            "graph",
            "N",
            "alpha",
            "more encounters per agent",
            "converged before",
            "after",
            "greedy before",
            "after",
        ),
        tuple(
            (
                c.kind,
                str(c.n),
                str(c.alpha),
                str(c.per_agent),
                f"{c.converged_before:.2f}",
                f"{c.converged:.2f}",
                f"{c.greedy_before:.2f}",
                f"{c.greedy:.2f}",
            )
            for c in continued
        ),
    )
    fig, ax = plt.subplots(figsize=(7, 4))
    plot_growth(sizes, mean, se, ax=ax)
    ax.set_ylim(0.8, 3.5)  # room for the legend above the 3 line
    ax.set_title(f"Experiment 2: collective wellbeing per agent (mean ± 2 SE of {RUNS} runs)")
    fig.tight_layout()
    fig2, axes = plt.subplots(1, 2, figsize=(12, 4), sharey=True)
    for ax2, kind in zip(axes, ("complete", "ring"), strict=True):
        cs = [c for c in cells if c.kind == kind]
        shares = {name: [dict(c.shares)[name] for c in cs] for name, _ in cs[0].shares}
        plot_policy_shares(
            [c.n for c in cs], shares, ax=ax2, title=f"{kind} graph", greedy=[c.greedy for c in cs]
        )
    axes[0].get_legend().remove()  # the same legend twice; the right panel's serves both
    fig2.suptitle(
        "Experiment 2: agents at the end of the run: converged (same policy over the last half) "
        "by policy, and not converged",
        fontsize=10,
    )
    fig2.tight_layout()
    fig3, ax3 = plt.subplots(figsize=(7, 3))
    plot_omega_history(ring8.history.times, ring8.history.omega, 8, ax=ax3, smooth=200)
    ax3.set_title(
        "One run on a ring of N = 8: Ω/N over simulated time (running mean of 200 records)",
        fontsize=10,
    )
    fig3.tight_layout()
    figures = (("growth", fig), ("shares", fig2), ("omega_ring8", fig3))
    return (table, cont_table, search_table), figures
