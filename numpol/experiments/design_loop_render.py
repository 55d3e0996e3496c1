"""Tables and figures of the design-loop experiment (X-SED-L4..L6): the render step of
:mod:`numpol.experiments.design_loop`."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from dynamics.plots.commons import plot_harvest
from dynamics.plots.design_loop import plot_design_equilibrium, plot_design_rounds
from dynamics.plots.economy import plot_learning_curves
from numpol.experiments.design_loop import LONG, SHORT, DesignLoopEvidence
from numpol.registry import Table

__all__ = ["render_design_loop", "round_rows"]


def round_rows(history: object) -> tuple[tuple[str, ...], ...]:
    """One table row per round of a :class:`dynamics.commons.DesignHistory`: η, the values
    (± SE) of the grid, the choice, ε, δ (± SE), the stock at the start and the end.

    Examples
    --------
    >>> round_rows(())
    ()
    """
    rows = []
    for r in history:  # type: ignore[attr-defined]
        values = ", ".join(f"{v:.1f}±{s:.1f}" for v, s in zip(r.values, r.value_se, strict=True))
        delta = "–" if r.gains is None else f"{r.delta:.2f}±{r.delta_se:.2f}"
        rows.append(
            (
                str(r.round),
                str(r.eta),
                values,
                f"{float(r.schedule.rates[0]):g}",
                f"{r.epsilon:.2f}±{r.epsilon_se:.2f}",
                delta,
                f"{r.stock[0]} → {r.stock[-1]}",
            )
        )
    return tuple(rows)


def render_design_loop(
    ev: DesignLoopEvidence,
) -> tuple[tuple[Table, ...], tuple[tuple[str, Figure], ...]]:
    """The per-round table of the first short-round loop, the voting table, and two figures:
    stock and tax over rounds (short and long rounds, against the mean field) with (ε, δ) per
    round; learning curves and the orchard at the end of the last round."""
    header = ("round", "η", "value per schedule (0, 1/2, 1)", "tax", "ε", "δ", "stock")
    t1 = Table(
        f"Design loop, short rounds ({SHORT.episode} steps), first of {len(ev.short)} loops "
        "(learning planner; values in apples of the objective)",
        header,
        round_rows(ev.short[0]),
    )
    vote = []
    for label, group in (("truthful", ev.truthful), ("strategic", ev.strategic)):
        for k, h in enumerate(group):
            r = h.rounds[0]
            vote.append(
                (
                    label,
                    str(k),
                    ", ".join(str(v) for v in r.reports),
                    str(r.eta),
                    f"{float(r.schedule.rates[0]):g}",
                    ", ".join(f"{v:g}" for v in r.incomes),
                    str(r.stock[-1]),
                )
            )
    t2 = Table(
        f"Strategic reporting through the loop: {ev.manipulation}",
        ("reports", "seed", "reported σ", "η", "tax", "incomes after tax", "last stock"),
        tuple(vote),
    )
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.4))
    plot_design_rounds(ev.short, mean_field=ev.mean_field_short, ax=axes[0])
    axes[0].set_title(f"short rounds ({SHORT.episode} steps): stock and tax (dots)", fontsize=9)
    plot_design_rounds(ev.long, mean_field=ev.mean_field_long, color="tab:purple", ax=axes[1])
    axes[1].set_title(f"long rounds ({LONG.episode} steps): stock and tax (dots)", fontsize=9)
    plot_design_equilibrium(ev.short, ax=axes[2])
    axes[2].set_title("(ε, δ) per round, short rounds, ± 1 SE", fontsize=9)
    fig.tight_layout()
    fig2, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2), width_ratios=(2, 1))
    first = ev.short[0]
    curves = {
        f"round {r.round} (tax {float(r.schedule.rates[0]):g})": r.reward_curve for r in first
    }
    plot_learning_curves(curves, ax=a1)
    a1.set_ylabel("reward per agent and step")
    a1.set_title(
        "followers' learning curves under the chosen schedule, each round warm-started\n"
        "(band: the principal's 2 training runs)",
        fontsize=9,
    )
    last = first.rounds[-1]
    plot_harvest(first.harvest.with_schedule(last.schedule), last.final, ax=a2)
    a2.set_title(f"after round {last.round}: {a2.get_title()}", fontsize=9)
    fig2.tight_layout()
    return (t1, t2), (("design_loop_rounds", fig), ("design_loop_learning", fig2))
