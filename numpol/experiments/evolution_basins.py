"""The DefectBot basin as eps → 0, and the best-response entry model (seed 001).

Row MC-12 (theory: exact trapping radii and saddle positions; simulation: basins of 2000 uniform
interior starts from :mod:`dynamics.basins`; judged by :func:`basin_shrinks`) and the figures of
the ``evolution-basins`` experiment; its row MC-13 (the entry model) is computed and judged in
:mod:`numpol.experiments.evolution_entry`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from dynamics.basins import Fate, basins, simplex_sample, wilson_interval
from dynamics.longrun import trapping_radius
from modal import SEED_AGENTS
from numpol.experiments.evolution import SHORT
from numpol.experiments.evolution_entry import entry, entry_map_figure
from numpol.registry import Claim, Experiment, Result, SeedHolds, Table
from theory.modal_game import modal_game
from theory.stability import replicator_rest_points

__all__ = ["EXPERIMENTS", "basin_shrinks", "basin_verdict"]

D, C, F, P = range(4)
REST_D = Fate("rest", (D,))
# one colour per fate in every panel of the basin maps
FATE_COLOURS = {
    "DefectBot": "tab:red",
    "not decided by t = 40/ε": "0.7",
    "cycle C→P→F": "tab:blue",
    "extinct D": "tab:green",
    "extinct D,C": "tab:olive",
}


def _edge_saddles(eps: Fraction) -> tuple[Any, Any]:
    """Exact F share of the D/F rest point and P share of the D/P rest point."""
    pts = {p.support: p.x for p in replicator_rest_points(modal_game(SEED_AGENTS, eps))}
    return pts[(D, F)][F], pts[(D, P)][P]


def basin_shrinks(fractions: list[tuple[float, float, float]]) -> bool:
    """Whether a basin shrinks along a falling penalty: each Wilson interval ``(p, lo, hi)``
    lies entirely below the previous one's, the last (near 0) only with an estimate not above.

    Examples
    --------
    >>> basin_shrinks([(0.5, 0.4, 0.6), (0.2, 0.1, 0.3), (0.01, 0.0, 0.05), (0.0, 0.0, 0.02)])
    True
    >>> basin_shrinks([(0.5, 0.4, 0.6), (0.45, 0.35, 0.55), (0.0, 0.0, 0.02)])
    False
    """
    fr = fractions
    return all(fr[i + 1][2] < fr[i][1] for i in range(len(fr) - 2)) and fr[-1][0] <= fr[-2][0]


def basin_verdict(fractions: list[tuple[float, float, float]], settled: bool) -> SeedHolds:
    """MC-12's verdict: does the DefectBot basin shrink as ε falls?

    Parameters
    ----------
    fractions : list of (p, lo, hi)
        The basin fraction and its Wilson interval at each penalty, largest ε first.
    settled : bool
        Whether the D-or-not fates were unchanged when the horizon doubled (otherwise the
        fractions are not yet the basins').

    Returns
    -------
    {"yes", "no", "open"}
        ``yes`` if settled and :func:`basin_shrinks`; ``no`` if settled and at some step the
        interval lies entirely above the previous one's (the basin grows as ε falls); ``open``
        otherwise (overlapping intervals, or fates not settled at the horizon).

    Examples
    --------
    >>> shrink = [(0.5, 0.4, 0.6), (0.2, 0.1, 0.3), (0.0, 0.0, 0.02)]
    >>> basin_verdict(shrink, True), basin_verdict(shrink, False)
    ('yes', 'open')
    >>> basin_verdict([(0.2, 0.1, 0.3), (0.5, 0.4, 0.6), (0.0, 0.0, 0.02)], True)
    'no'
    """
    if not settled:
        return "open"
    if basin_shrinks(fractions):
        return "yes"
    grows = any(b[1] > a[2] for a, b in zip(fractions, fractions[1:], strict=False))
    return "no" if grows else "open"


def _basin_eps(rng: np.random.Generator) -> Result:
    eps_list = (Fraction(1, 5), Fraction(1, 10), Fraction(1, 20), Fraction(1, 40))
    k = 2000
    x0 = simplex_sample(4, k, rng=rng)
    rows, fr = [], []
    maps = {}
    undecided: list[float] = []
    stable = True
    for eps in eps_list:
        A = modal_game(SEED_AGENTS, eps).astype(float)
        t_end = float(40 / eps)
        # a fixed horizon, as the row and the figure state ("by t = 40/eps"): the undecided
        # share is reported here, so the basins' own horizon extension is switched off
        b = basins(A, x0, t_end, names=SHORT, undecided=1.0)
        maps[eps] = b
        p, lo, hi = b.fraction(REST_D)
        fr.append((p, lo, hi))
        # the verdict must not change when the horizon doubles (checked on 300 starts)
        again = basins(A, x0[:300], 2 * t_end, names=SHORT, undecided=1.0)
        stable &= all(
            (f == REST_D) == (g == REST_D) for f, g in zip(b.fates[:300], again.fates, strict=True)
        )
        xf, xp = _edge_saddles(eps)
        others = ", ".join(f"{f}: {c}" for f, c, *_ in b.table() if f != REST_D)
        undecided.append(sum(f.kind == "undecided" for f in b.fates) / k)
        rows.append(
            (
                str(eps),
                f"{t_end:g}",
                f"{p:.4f}",
                f"[{lo:.4f}, {hi:.4f}]",
                f"{trapping_radius(A, D):.6g}",
                f"{xf}, {xp}",
                others,
            )
        )
    shrinking = basin_shrinks(fr)
    claim = Claim(
        "MC-12",
        "the DefectBot basin shrinks as eps → 0",
        "D is the strict best response on {x_D > 1 - r}, r = "
        + ", ".join(f"{r[4]}" for r in rows)
        + "; the saddles on the D–F and D–P edges sit at x_F, x_P = "
        + "; ".join(f"{r[5]}" for r in rows)
        + f" (exact, eps = {', '.join(r[0] for r in rows)}): the basin's boundary closes in on "
        "the D vertex as eps → 0",
        "fraction of 2000 uniform interior starts that enter D's trapping set by t = 40/eps: "
        + "; ".join(f"eps={r[0]}: {r[2]} {r[3]}" for r in rows)
        + f"; verdicts unchanged at t = 80/eps (300 starts): {'yes' if stable else 'no'}; "
        "not yet decided (neither D nor a classified cycle or rest point) by t = 40/eps: "
        + ", ".join(f"{u:.0%}" for u in undecided),
        bool(shrinking and stable),
        basin_verdict(fr, stable),
        "95% Wilson intervals; agreement = each interval lies entirely below the previous one's "
        "(the last, near 0, only not above), and no D-or-not verdict changes when t doubles. "
        "Starts not yet decided by t = 40/eps count as 'not DefectBot': the basin fraction is "
        "that of starts that have entered D's trapping set by then (the doubling check bounds "
        "how many would enter later). Would disagree if a smaller eps gave a basin interval not "
        "below the previous one, or if doubling t changed a verdict. Seed verdict: yes if the "
        "intervals shrink so and the fates are settled; no if some interval lies entirely above "
        "the previous one's (the basin grows as eps falls); open otherwise.",
    )
    table = Table(
        "DefectBot basin vs eps (2000 uniform interior starts)",
        (
            "eps",
            "t",
            "D basin",
            "95% CI",
            "D trap radius",
            "D/F, D/P saddles (x_F, x_P)",
            "other fates",
        ),
        tuple(rows),
    )
    return Result(
        claims=(claim,), tables=(table,), data={"fractions": (eps_list, fr), "maps": maps}
    )


def _run(rng: np.random.Generator) -> Result:
    import matplotlib.pyplot as plt

    from dynamics.plots.simplex import plot_basin_fractions

    s1, s2 = rng.spawn(2)
    basin, entry_result = _basin_eps(s1), entry(s2)
    eps_list, fr = basin.data["fractions"]
    maps = basin.data["maps"]
    fig, ax = plt.subplots(figsize=(6, 3.8))
    ticks = [str(e) for e in eps_list]
    plot_basin_fractions(
        [float(e) for e in eps_list],
        fr,
        ax=ax,
        label="DefectBot by t = 40/ε",
        xlabel="modelling penalty ε",
        ticklabels=ticks,
    )
    undecided = [
        (k / n, *wilson_interval(k, n))
        for k, n in (
            (sum(f.kind == "undecided" for f in maps[e].fates), len(maps[e].fates))
            for e in eps_list
        )
    ]
    plot_basin_fractions(
        [float(e) for e in eps_list],
        undecided,
        ax=ax,
        label="not decided by t = 40/ε",
        xlabel="modelling penalty ε",
        ticklabels=ticks,
    )
    ax.set_ylim(0, 1)
    ax.set_title(
        f"{len(maps[eps_list[0]].fates)} interior starts, 95% Wilson intervals", fontsize=10
    )
    fig.tight_layout()
    from dynamics.plots.simplex import plot_basin_map

    bands = ((0.0, 0.1), (0.1, 0.3), (0.3, 1.0))
    fig2, axs = plt.subplots(2, 3, figsize=(13, 9.4))
    for row, eps in zip(axs, (Fraction(1, 5), Fraction(1, 20)), strict=True):
        b = maps[eps]
        fates = [
            "DefectBot"
            if f == REST_D
            else "not decided by t = 40/ε"
            if f.kind == "undecided"
            else str(f)
            for f in b.fates
        ]
        for ax, (lo, hi) in zip(row, bands, strict=True):
            sel = (b.starts[:, C] >= lo) & (b.starts[:, C] < hi)
            plot_basin_map(
                b.starts[sel],
                [f for f, k in zip(fates, sel, strict=True) if k],
                ax=ax,
                face=(0, 2, 3),
                labels=("DefectBot", "CooperateBot", "FairBot", "PrudentBot"),
                s=4,
                colors=FATE_COLOURS,
            )
            ax.set_title(f"ε = {eps}, CooperateBot share in [{lo:g}, {hi:g})", fontsize=9)
    fig2.suptitle(
        "Fates of interior starts, in slices by CooperateBot share (each start at its D, F, P "
        "shares renormalised)",
        fontsize=10,
    )
    fig2.tight_layout()
    fig3 = entry_map_figure(entry_result.data["maps"])
    figs: tuple[tuple[str, Any], ...] = (
        ("basin_vs_eps", fig),
        ("basin_maps", fig2),
        ("entry_map", fig3),
    )
    return Result(
        claims=basin.claims + entry_result.claims,
        tables=basin.tables + entry_result.tables,
        figures=figs,
        text="The DefectBot basin of the replicator flow for several penalties, and the seed's "
        "second model, in which one best-responding agent enters at a time.",
    )


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment(
        "evolution-basins",
        "DefectBot basin vs eps and best-response entry (seed 001)",
        _run,
        cost=30,
    ),
)
