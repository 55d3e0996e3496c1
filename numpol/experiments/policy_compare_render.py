"""Tables and figures of the AI Economist's comparison (AE-04..06): the render step of
:mod:`numpol.experiments.policy_compare`."""

from __future__ import annotations

import numpy as np

from numpol.experiments.policy_compare import (
    AE_PUBLISHED,
    RESTARTS,
    CompareEvidence,
    optimised_search,
)
from numpol.registry import Table

__all__ = ["render_compare"]


def render_compare(
    ev: CompareEvidence,
) -> tuple[tuple[Table, ...], tuple[tuple[str, object], ...], str]:
    """The comparison table, the restarts table, the published figures, one figure per preset."""
    import matplotlib.pyplot as plt

    from dynamics.plots.policy import plot_schedules, plot_tradeoff

    rows, restarts, figs = [], [], []
    for name, p in ev.presets.items():
        for k, o in p.outcomes.items():
            rows.append(
                (
                    name,
                    k,
                    f"{o.productivity:.1f}",
                    f"{o.equality:.3f}",
                    f"{o.eq_times_prod:.1f}",
                    f"{p.brute_scores[k][0]:.1f} / {p.brute_scores[k][1]:.3f}",
                    " ".join(f"{100 * float(r):.0f}" for r in o.schedule.rates),
                    " ".join(f"{v:.1f}" for v in o.equilibrium.income),
                    f"{o.equilibrium.kkt_residual:.0e}",
                )
            )
        s = optimised_search(p)
        for v, r in sorted(
            zip(s.restart_values, s.restart_rates, strict=True), key=lambda t: -t[0]
        ):
            restarts.append(
                (
                    name,
                    f"{v:.3f}",
                    " ".join(f"{100 * x:.0f}" for x in r),
                    "yes" if any(np.array_equal(r, q) for q in s.optimal_rates) else "no",
                )
            )
        restarts.append(
            (
                name,
                f"grid {p.grid.value:.3f}",
                " ".join(f"{100 * x:.0f}" for x in p.grid.rates),
                f"{len(p.grid.optimal_rates)} tied",
            )
        )
        out = list(p.outcomes.values())
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
        plot_schedules(
            {k: o.schedule for k, o in p.outcomes.items() if k != "free market"},
            incomes=p.outcomes["optimised"].equilibrium.income,
            ax=axes[0],
        )
        axes[0].set_title(f"{name}: marginal tax rates (▲: incomes, optimised schedule)")
        plot_tradeoff(out, ax=axes[1])
        axes[1].set_title(f"{name}: equality vs productivity")
        fig.tight_layout()
        figs.append((f"schedules_{name}", fig))
    table = Table(
        "Baselines vs the optimised schedule (eq·prod objective; US cut-offs; N = 4, free-market "
        "incomes 25/63/159/400 coins; Nash agents)",
        (
            "preset",
            "schedule",
            "prod",
            "eq",
            "eq·prod",
            "brute force prod / eq",
            "rates %",
            "incomes",
            "KKT",
        ),
        tuple(rows),
    )
    rest = Table(
        f"The optimiser's {RESTARTS} restarts per preset (best first) and the exhaustive grid",
        ("preset", "eq·prod", "rates %", "optimal"),
        tuple(restarts),
    )
    fm_prod, _, fm_score = AE_PUBLISHED["free market"]
    pub = Table(
        "The AI Economist's published comparison (prod / eq / eq·prod), ratios to its free market",
        ("schedule", "prod", "eq", "eq·prod", "prod ratio", "eq·prod ratio"),
        tuple(
            (k, str(p), f"{e:.2f}", str(s), f"{p / fm_prod:.2f}", f"{s / fm_score:.2f}")
            for k, (p, e, s) in AE_PUBLISHED.items()
        ),
    )
    text = (
        "Four agents, one period, no trade: a labour-supply economy, not the gather-and-build "
        "world, so levels are not comparable with the AI Economist's (its numbers are summed "
        "over an episode); ratios are. Run times per preset: "
        + ", ".join(f"{k} {p.seconds:.1f} s" for k, p in ev.presets.items())
        + "."
    )
    return (table, rest, pub), tuple(figs), text
