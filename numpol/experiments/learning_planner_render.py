"""Tables and figures of the learning-planner experiment (X-AE-L1..L6): the render step of
:mod:`numpol.experiments.learning_planner` and :mod:`numpol.experiments.learning_planner_ae`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from dynamics.plots.economy import plot_learning_curves
from dynamics.plots.policy import plot_schedules
from numpol.experiments.learning_planner import (
    CUTOFFS,
    REPORT_CURRICULUM,
    LearningPlannerRun,
    rates_percent,
)
from numpol.experiments.learning_planner_ae import MEASURES, AELearningRun
from numpol.registry import Table
from theory.policy.economy import follower_equilibria
from theory.policy.tax import TaxSchedule

__all__ = ["render_learning_planner", "render_ae_learning"]


def render_learning_planner(
    run: LearningPlannerRun,
) -> tuple[tuple[Table, ...], tuple[tuple[str, object], ...]]:
    """The learned-vs-exact table and the figure (learning curves; learned and exact schedules)."""
    e = run.economy
    opt = run.exact.value
    rows = tuple(
        (
            f"{label} {r}",
            rates_percent(rates),
            f"{v:.2f}",
            f"{100 * (1 - v / opt):.2f}",
            f"{training.welfare[-50:, r].mean():.1f}",
        )
        for label, training, values in (
            ("two-phase", run.two_phase, run.two_phase_values),
            ("one-phase", run.one_phase, run.one_phase_values),
        )
        for r, (rates, v) in enumerate(zip(training.rates, values, strict=True))
    )
    table = Table(
        "Learned vs exact Stackelberg schedules (one-step economy, 3 brackets, eq·prod; exact "
        f"optimum {rates_percent(run.exact.rates)} %, eq·prod {opt:.2f})",
        ("run", "learned rates %", "exact eq·prod", "gap %", "sampled welfare (last 50)"),
        rows,
    )
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.4))
    plot_learning_curves(
        {"two phases": run.two_phase.welfare, "one phase": run.one_phase.welfare},
        optimum=opt,
        phase_end=REPORT_CURRICULUM.free_steps,
        smooth=20,
        ax=axes[0],
    )
    axes[0].set_ylabel("welfare eq·prod of sampled episodes")
    axes[0].set_title(
        "learning curves (band: lowest to highest of 4 runs)\nsampled play: discrete labour, "
        "exploring policies; the exact line scores continuous best responses",
        fontsize=9,
    )
    schedules = {"exact optimum": TaxSchedule(CUTOFFS, run.exact.rates)}
    for r, rates in enumerate(run.two_phase.rates):
        schedules[f"learned, run {r}"] = TaxSchedule(CUTOFFS, rates)
    exact_incomes = follower_equilibria(
        CUTOFFS, run.exact.rates[None, :], e.skills, e.preferences
    ).income[0]
    plot_schedules(schedules, incomes=exact_incomes, ax=axes[1])
    axes[1].set_title("learned (two phases) vs exact schedule (▲: incomes at the optimum)")
    fig.tight_layout()
    return (table,), (("learning_planner", fig),)


def render_ae_learning(ae: AELearningRun) -> Table:
    """The schedules' exact and learned measures side by side."""
    rows = tuple(
        (
            n,
            rates_percent(ae.rates[k]),
            *(
                f"{ae.exact[m][k]:.{d}f} / {ae.learned[m][k].mean():.{d}f} ± "
                f"{ae.learned[m][k].std(ddof=1) / np.sqrt(ae.learned[m].shape[1]):.{d}f}"
                for m, d in zip(MEASURES, (2, 4, 2), strict=True)
            ),
        )
        for k, n in enumerate(ae.names)
    )
    return Table(
        "AE-04/05 with learning workers (X-AE-L4, L5): exact / learned mean ± SE over "
        f"{ae.learned['productivity'].shape[1]} seeds",
        ("schedule", "rates %", "productivity", "equality", "eq·prod"),
        rows,
    )
