"""Plots of tax policy: marginal-rate schedules (the AI Economist's figure) and the
equality–productivity trade-off."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from theory.policy.principal import PolicyOutcome
from theory.policy.tax import TaxSchedule

__all__ = ["plot_schedules", "plot_tradeoff"]


def plot_schedules(
    schedules: Mapping[str, TaxSchedule],
    *,
    incomes: ArrayLike | None = None,
    z_max: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Marginal rate (%) against income (coins) for each schedule, as step functions; the
    ``incomes`` (e.g. the equilibrium incomes under one schedule) are marked on the axis.

    Examples
    --------
    >>> from theory.policy.tax import free_market, us_federal_2018
    >>> ax = plot_schedules({"US federal": us_federal_2018(), "free market": free_market()})
    >>> ax.get_xlabel()
    'income z (coins)'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    tops = [float(s.cutoffs[-1]) for s in schedules.values()]
    inc = [] if incomes is None else np.asarray(incomes, dtype=float).ravel().tolist()
    zm = z_max if z_max is not None else 1.25 * max([*tops, *inc])
    styles = ["-", "--", "-.", ":"]
    for k, (name, s) in enumerate(schedules.items()):
        lo, _, rates = s.float_arrays()
        x = np.append(lo, zm)
        y = 100 * np.append(rates, rates[-1])
        ax.step(x, y, where="post", lw=2.2 - 0.3 * (k % 4), ls=styles[k % 4], label=name)
    if inc:
        ax.plot(inc, np.zeros(len(inc)), "k^", ms=8, clip_on=False, label="incomes")
        ax.axvspan(max(inc), zm, color="0.93", zorder=0, label="above every income")
    ax.set_xlim(0, zm)
    ax.set_ylim(-2, 102)
    ax.set_xlabel("income z (coins)")
    ax.set_ylabel("marginal tax rate (%)")
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def plot_tradeoff(outcomes: Sequence[PolicyOutcome], *, ax: Axes | None = None) -> Axes:
    """Equality against productivity for each outcome (eq·prod in the legend), with the eq·prod
    iso-curves through each point in grey.

    Examples
    --------
    >>> ax = plot_tradeoff([])
    >>> ax.get_ylabel()
    'equality 1 − gini·N/(N−1)'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    for k, o in enumerate(outcomes):
        marker = "osD^v"[k % 5]
        # hollow markers of different shapes: outcomes that coincide stay visible
        ax.plot(
            o.productivity,
            o.equality,
            marker,
            ms=11 - k,
            mfc="none",
            mew=2,
            label=f"{o.name} (eq·prod {o.eq_times_prod:.0f})",
        )
    if outcomes:
        p = np.linspace(
            0.6 * min(o.productivity for o in outcomes),
            1.1 * max(o.productivity for o in outcomes),
            100,
        )
        for k, o in enumerate(outcomes):
            ax.plot(
                p,
                o.eq_times_prod / p,
                color="0.8",
                lw=0.8,
                zorder=0,
                label="equal eq·prod" if k == 0 else None,
            )
        ax.set_xlim(p[0], p[-1])
        ax.set_ylim(0, 1)
        ax.legend(loc="best", fontsize=8)
    ax.set_xlabel("productivity Σ coins")
    ax.set_ylabel("equality 1 − gini·N/(N−1)")
    ax.grid(alpha=0.3)
    return ax
