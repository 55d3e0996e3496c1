"""The seed's best-response entry model: row MC-13 (seed 001).

Compute (:func:`dynamics.entry.best_response_entry` from every count 0..6 of each type, both tie
rules), judge (:func:`entry_row_agrees`, a pure function of what the runs added, and the exact
first step against D's best-response cone), render (the claim row, the table and
:func:`entry_map_figure`). Part of the ``evolution-basins`` experiment
(:mod:`numpol.experiments.evolution_basins`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from dynamics.entry import best_response_entry, count_grid
from modal import SEED_AGENTS
from numpol.experiments.evolution import EPS, SHORT
from numpol.experiments.evolution_verdicts import eps_verdict
from numpol.registry import Claim, Result, Table
from theory.modal_game import modal_game

__all__ = ["STEPS", "VERY_FEW", "entry", "entry_row_agrees", "entry_holds", "entry_map_figure"]

D, C, F, P = range(4)
STEPS = 3000
"""Entrants per run of the entry model."""
#: The seed's "very few FairBots or PrudentBots", read as at most 3 of the two together: a
#: quarter of the largest F + P count on the grid of starts (6 + 6), fewer than either type's
#: share of a balanced start with 2 of each (F + P = 4).
VERY_FEW = 3


def entry_holds(*, switch: bool, d_only: bool, threshold: int) -> bool:
    """Whether MC-13's seed statement holds for one penalty and tie rule: starts with more than
    ``VERY_FEW`` FairBots + PrudentBots never add a DefectBot (`threshold`, the smallest F + P
    from which none does, is at most ``VERY_FEW + 1``), every start that never adds one adds
    only C, F and P (`switch`), and every other adds only DefectBots (`d_only`).

    Examples
    --------
    >>> entry_holds(switch=True, d_only=True, threshold=4)
    True
    >>> entry_holds(switch=True, d_only=True, threshold=9)
    False
    """
    return bool(switch and d_only and threshold <= VERY_FEW + 1)


def entry_row_agrees(
    eps: Fraction,
    *,
    switch: bool,
    first_ok: bool,
    d_only: bool,
    threshold: int,
    all_three: int,
    clean: int,
) -> bool:
    """MC-13's rule for one penalty and tie rule.

    Parameters
    ----------
    eps : Fraction
        The penalty.
    switch : bool
        Whether the starts that never add a DefectBot add only C, F and P.
    first_ok : bool
        Whether every first entrant matches D's exact best-response cone.
    d_only : bool
        Whether the starts that add a DefectBot add nothing else.
    threshold : int
        The smallest F + P count from which no start adds a DefectBot.
    all_three, clean : int
        Of the `clean` starts that never add a DefectBot, how many add all of C, F and P.

    Returns
    -------
    bool
        `switch`, `first_ok` and `d_only`; at eps = 1/10 (the seed's statement) also
        ``threshold <= 4`` and every clean start adding all three.

    Examples
    --------
    >>> from fractions import Fraction
    >>> kw = dict(switch=True, first_ok=True, d_only=True, all_three=10, clean=10)
    >>> entry_row_agrees(Fraction(1, 10), threshold=4, **kw)
    True
    >>> entry_row_agrees(Fraction(1, 10), threshold=9, **kw)
    False
    >>> entry_row_agrees(Fraction(1, 5), threshold=9, **kw)
    True
    """
    ok = switch and first_ok and d_only
    if eps == Fraction(1, 10):
        ok = ok and threshold <= 4 and all_three == clean
    return bool(ok)


def entry(rng: np.random.Generator) -> Result:
    """Row MC-13 and its table; ``data["maps"]`` holds, per eps, the grid of starts and which
    ever add a DefectBot (tie rule 'first') for :func:`entry_map_figure`."""
    rows = []
    ok = True
    summary = []
    maps: dict[Fraction, Any] = {}
    holds: dict[Fraction, bool | None] = {}
    for eps in (Fraction(1, 5), Fraction(1, 10), Fraction(1, 20)):
        Ae = modal_game(SEED_AGENTS, eps)
        G = count_grid(4, 6)
        for tie in ("first", "random"):
            run = best_response_entry(Ae, G, STEPS, tie=tie, rng=rng)
            d = run.ever_added(D)
            if tie == "first":
                maps[eps] = (G, d)
            fp = G[:, F] + G[:, P]
            m = int(fp[d].max()) + 1 if d.any() else 0
            added = run.types_added()
            clean = [s for s, dd in zip(added, d, strict=True) if not dd]
            all3 = sum(s == {C, F, P} for s in clean)
            switch = all(s <= {C, F, P} for s in clean)
            d_only = all(s == {D} for s, dd in zip(added, d, strict=True) if dd)
            # exact first step: D enters iff the counts lie in D's best-response cone
            diffs = [Ae[D] - Ae[j] for j in (C, F, P)]
            cone = np.array(
                [
                    all(sum(v * int(x) for v, x in zip(row, g, strict=True)) >= 0 for row in diffs)
                    for g in G
                ]
            )
            first_ok = bool(np.all((run.entrants[:, 0] == D) == cone)) if tie == "first" else True
            ok &= entry_row_agrees(
                eps,
                switch=switch,
                first_ok=first_ok,
                d_only=d_only,
                threshold=m,
                all_three=all3,
                clean=len(clean),
            )
            holds[eps] = holds.get(eps, True) and entry_holds(
                switch=switch, d_only=d_only, threshold=m
            )
            rows.append(
                (
                    str(eps),
                    tie,
                    f"{int(d.sum())}/{len(G)}",
                    str(m),
                    f"{'yes' if switch else 'no'} ({all3}/{len(clean)} add all three)",
                    "yes" if d_only else "no",
                    "yes" if first_ok else "no",
                )
            )
            summary.append(
                f"eps={eps} ({tie}): D added from {int(d.sum())}/{len(G)} starts, "
                f"never once F+P >= {m}"
            )
    Ae = modal_game(SEED_AGENTS, EPS)
    cone_txt = "; ".join(
        _linear([Ae[D, i] - Ae[j, i] for i in range(4)], SHORT.lower()) + " >= 0" for j in (C, F, P)
    )
    verdict, condition = eps_verdict(holds)
    claim = Claim(
        "MC-13",
        "best-response entry: unless very few FairBots/PrudentBots at the start, only F, P, C "
        "are added, never a DefectBot",
        f"exact (integer) comparisons; D is a best response to counts (d, c, f, p) iff "
        f"{cone_txt} (eps = 1/10)",
        f"counts 0..6 of each type (2400 starts), {STEPS} entrants: " + "; ".join(summary),
        bool(ok),
        verdict,
        "Ties: 'first' favours DefectBot (listed first), 'random' draws uniformly. Holds as "
        "stated for eps <= 1/10 (D only when F + P <= 3); at eps = 1/5 D still enters from starts "
        "with up to 8 FairBots+PrudentBots, so 'very few' depends on eps. A start either adds "
        "only DefectBots forever or never one. CooperateBots enter only once FairBots outnumber "
        "PrudentBots by about 1/eps, so at eps = 1/20 some runs add only F and P within the "
        "horizon. The first entrant matches the exact cone for every start. Seed verdict, per "
        "eps (both "
        f"tie rules): holds if no start with F + P > {VERY_FEW} ('very few' = at most "
        f"{VERY_FEW}) adds a DefectBot, the others add only C, F, P, and D-adders only D; yes if "
        "at every eps, conditional if only at the smaller ones.",
        condition=condition,
    )
    table = Table(
        "Best-response entry model: which starts ever add a DefectBot",
        (
            "eps",
            "tie rule",
            "starts adding D",
            "no D once F+P >=",
            "others add only C/F/P",
            "D-adders add only D",
            "1st entrant = exact cone",
        ),
        tuple(rows),
    )
    return Result(claims=(claim,), tables=(table,), data={"maps": maps})


def _linear(coefs: list[Any], names: str) -> str:
    """``1/10 d + 11/10 c - 9/10 f - 9/10 p`` from exact coefficients."""
    out = ""
    for c, nm in zip(coefs, names, strict=True):
        if c == 0:
            continue
        mag = "" if abs(c) == 1 else f"{abs(c)} "
        sign = "-" if c < 0 else "+"
        out += (f"{sign} " if out else ("-" if c < 0 else "")) + f"{mag}{nm} "
    return out.strip() or "0"


def entry_map_figure(maps: dict[Fraction, Any]) -> Any:
    """One panel per eps: the share of starts (by F + P and D + C counts) that ever add a
    DefectBot, from ``entry(...).data["maps"]``; one colour bar for all panels."""
    import matplotlib.pyplot as plt

    from dynamics.plots.entry import plot_entry_map

    fig3, axs3 = plt.subplots(1, 3, figsize=(15, 4.2), sharey=True, layout="constrained")
    for ax, (eps, (G, d)) in zip(axs3, maps.items(), strict=True):
        plot_entry_map(
            G,
            d,
            x=[F, P],
            y=[D, C],
            ax=ax,
            xlabel="FairBots + PrudentBots at start",
            ylabel="DefectBots + CooperateBots at start",
        )
        ax.set_title(f"ε = {eps}: starts that ever add a DefectBot", fontsize=10)
        ax.images[0].colorbar.remove()  # the three share one scale: one colour bar for all
    for ax in axs3[1:]:
        ax.set_ylabel("")
    fig3.colorbar(axs3[0].images[0], ax=list(axs3), label="share of starts", shrink=0.9)
    return fig3
