"""Tables and figures of the harvest commons over time (SED-05, X-SED-06): the render step of
:mod:`numpol.experiments.commons_rounds`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from dynamics.plots.commons import (
    plot_long_run_stock,
    plot_regrowth_bistability,
    plot_round_trajectories,
)
from numpol.agreement import K_SE
from numpol.experiments.commons_rounds import LENGTHS, RegrowthEvidence, RoundsEvidence
from numpol.registry import Table

__all__ = ["render_rounds", "render_regrowth"]


def render_rounds(
    ev: RoundsEvidence,
) -> tuple[tuple[Table, ...], tuple[tuple[str, Figure], ...]]:
    """SED-05's tables (long-run stock by round length; the seed-like types) and its figure
    (trajectories over rounds; long-run stock against round length, with the stochastic rounds
    and their tolerance band)."""
    lim, msy = ev.limits, float(ev.msy_stock)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
    plot_round_trajectories(
        list(ev.trajectories), msy_stock=msy, short_stock=float(lim.short_stock), ax=ax1
    )
    ax1.set_title("Greedy principal: stock over rounds (4 selfish agents)")
    st = ev.stochastic
    plot_long_run_stock(
        LENGTHS,
        list(ev.long_run),
        msy_stock=msy,
        short_stock=float(lim.short_stock),
        long_stock=float(lim.long_stock),
        stochastic=([s[0] for s in st], [s[1] for s in st], [K_SE * s[2] + 1.0 for s in st]),
        ax=ax2,
    )
    ax2.set_title("Long-run stock vs round length")
    fig.tight_layout()
    tables = (
        Table(
            "Long-run stock vs round length (4 selfish agents, c = 0)",
            ("T", "long-run stock"),
            tuple((f"{T:g}", f"{x:.3f}") for T, x in zip(LENGTHS, ev.long_run, strict=True)),
        ),
        Table(
            "Seed-like types (uniform sigma, beta; c = 10): greedy rounds",
            ("round length", "eta (vote)", "last tax", "long-run stock", "MSY stock"),
            ev.seed_rows,
        ),
    )
    return tables, (("commons_multi_round", fig),)


def render_regrowth(ev: RegrowthEvidence) -> tuple[tuple[str, Figure], ...]:
    """X-SED-06's figure: the mean-field bistability curve with the 20x20 sweep on it."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    plot_regrowth_bistability(
        np.linspace(0.0, 0.06, 61),
        simulated={"20x20 torus from full, 1500 steps": (list(ev.sweep_h), list(ev.sweep_density))},
        ax=ax,
    )
    ax.set_title(
        "Local regrowth rule: bistability\n(regrowth probability 0, .0025, .005, .025 with "
        "0, 1, 2, ≥ 3 apples within radius 2)",
        fontsize=10,
    )
    return (("commons_local_regrowth", fig),)
