"""Evolution among many modal agents (seed 001's next step): rows X-MOD-01 … X-MOD-03.

The pool is the literature's agents (:data:`modal.LIBRARY`) and one witness of every depth-1
behaviour against the seed's four agents, self-play included
(:func:`modal.behaviours.depth1_behaviours`), merged into the distinct strategies of the
penalised game (:func:`dynamics.modal_evolution.agent_pool`). Compute
(:func:`dynamics.modal_evolution.modal_evolution`), judge (each row an exact method against an
independent numerical or stochastic one, with a rule that can fail), render (tables, two figures).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from dynamics.longrun import trapping_radius
from dynamics.modal_evolution import (
    AgentPool,
    ModalEvolution,
    agent_pool,
    entry_growth_rates,
    modal_evolution,
)
from modal import LIBRARY, SEED_AGENTS, round_robin
from modal.behaviours import depth1_behaviours
from numpol.agreement import Agreement, exactly_equal, within_relative
from numpol.experiments.evolution_basins import basin_shrinks
from numpol.registry import Claim, Experiment, Result, Table

__all__ = ["EXPERIMENTS", "EPS", "STARTS", "POPULATION", "BETA", "modal_pool", "pool_labels"]

EPS = (
    Fraction(1, 2),
    Fraction(1, 3),
    Fraction(1, 5),
    Fraction(1, 10),
    Fraction(1, 20),
    Fraction(1, 50),
)
"""The penalties swept: beyond, at and below the good equilibrium's limit 1/3."""
#: Random interior starts of the replicator flow per penalty.
STARTS = 200
# A measured entry rate must match the exact invasion fitness within this: the entrant's share
# 1e-6 moves every payoff by at most 3e-6 and the resident by O(1e-6) over t = 1, so the
# measured rate errs by ~1e-5 at most (integration at rtol 1e-10 adds ~1e-9); 1e-4 is 10x that.
ENTRY_TOL = 1e-4
#: Finite population size and Fermi selection intensity of the small-mutation limit.
POPULATION, BETA = 30, 1.0


def modal_pool() -> AgentPool:
    """The literature's agents and a witness of every depth-1 behaviour against the seed's four
    agents (self-play included), merged into distinct strategies.

    Examples
    --------
    >>> pool = modal_pool()
    >>> len(pool), pool.members[pool.index("FairBot")]
    (48, ('FairBot', 'JustBot', 'B18'))
    """
    return agent_pool([*LIBRARY.values(), *depth1_behaviours(SEED_AGENTS).agents()])


def pool_labels(pool: AgentPool) -> list[str]:
    """Library names as they are; a witness by its moves against D, C, F, P and itself."""
    rr = round_robin(pool.agents, SEED_AGENTS, env=pool.env)
    out = []
    for i, a in enumerate(pool.agents):
        if a.name in LIBRARY:
            out.append(a.name)
            continue
        moves = "".join("C" if c else "D" for c in rr.cooperates[i])
        out.append(f"{a.name} [{moves}|{'C' if rr.self_play[i] else 'D'}]")
    return out


def _invasion(ev: ModalEvolution, names: list[str]) -> tuple[Claim, Table]:
    pool = ev.pool
    mix = {pool.index("CooperateBot"): 0, pool.index("FairBot"): 1, pool.index("PrudentBot"): 2}
    rows, none_below, d_above = [], True, True
    d = pool.index("DefectBot")
    checks: list[Agreement] = []
    for k, e in enumerate(ev.eps):
        x = np.zeros(len(pool))
        parts = (e, 1 - 3 * e / 2, e / 2)
        if min(parts) < 0:  # no good mixture beyond 2/3: nothing to invade
            continue
        for i, which in mix.items():
            x[i] = float(parts[which])
        exact = ev.invasion[k]
        measured = entry_growth_rates(pool.game(e).astype(float), x)
        err = float(np.max(np.abs(measured - exact.astype(float))))
        inv = [names[i] for i in range(len(pool)) if exact[i] > 0]
        neutral = [names[i] for i in range(len(pool)) if exact[i] == 0 and x[i] == 0]
        # the rates within ENTRY_TOL (absolute: rates are O(1), scale 1), and the same invaders
        checks.append(
            within_relative(
                measured, exact.astype(float), rtol=ENTRY_TOL, scale=1.0, what=f"eps {e} rates"
            )
        )
        seen = {i for i in range(len(pool)) if measured[i] > ENTRY_TOL}
        checks.append(
            exactly_equal(
                seen, {i for i in range(len(pool)) if exact[i] > 0}, what=f"eps {e} invaders"
            )
        )
        if e <= Fraction(1, 3):
            none_below &= not inv
        else:
            d_above &= exact[d] > 0
        best = max(v for i, v in enumerate(exact) if x[i] == 0)
        rows.append(
            (
                str(e),
                str(best),
                ", ".join(inv) or "none",
                ", ".join(neutral) or "none",
                f"{err:.1e}",
            )
        )
    agreed = checks[0]
    for c in checks[1:]:
        agreed = agreed & c
    claim = Claim(
        "X-MOD-01",
        f"no strategy of the {len(pool)}-strategy pool (the literature's agents and every depth-1 "
        "behaviour against the seed's agents) invades the good equilibrium for eps <= 1/3; "
        "DefectBot invades beyond",
        "exact invasion fitness (payoff against C eps, F 1-3eps/2, P eps/2 minus 2 - eps): "
        + "; ".join(f"eps {r[0]}: best entrant {r[1]}, invaders {r[2]}" for r in rows),
        "replicator flow from the mixture with one entrant at share 1e-6, log-growth over "
        f"t = 1: largest deviation from the exact fitness {max(float(r[4]) for r in rows):.1e} "
        f"(tolerance {ENTRY_TOL:g}); "
        + ("same invaders" if all(c for c in checks[1::2]) else "DIFFERENT invaders"),
        agreed.agrees,
        "yes" if none_below and d_above else "no",
        "The seed's argument (MC-08) covers every modal agent; this row checks it on the pool "
        "with two methods. Entrants at exactly 0 are neutral (they earn 2 - eps against the "
        "mixture): they can drift in, not invade. Tolerance: see ENTRY_TOL.",
        rule=agreed.rule,
    )
    table = Table(
        "Invasion of the good equilibrium by the pool (exact fitness; flow check)",
        ("eps", "best entrant's fitness", "invaders", "neutral entrants", "flow deviation"),
        tuple(rows),
    )
    return claim, table


def _survivors(ev: ModalEvolution, names: list[str]) -> tuple[Claim, Table]:
    pool = ev.pool
    d = pool.index("DefectBot")
    rows = []
    radii: list[str] = []
    strict = True
    for k, e in enumerate(ev.eps):
        A = pool.game(e)
        # exact: DefectBot is a strict Nash equilibrium of the whole pool's game
        strict &= all(A[d, d] > A[j, d] for j in range(len(pool)) if j != d)
        radii.append(f"{trapping_radius(A.astype(float), d):.3g}")
        p, lo, hi = ev.defect_trapped[k]
        surv = ev.survival[k]
        top = [f"{names[i]} {surv[i]:.2f}" for i in np.argsort(-surv)[:6] if surv[i] > 0]
        rows.append(
            (
                str(e),
                f"{p:.3f} [{lo:.3f}, {hi:.3f}]",
                f"{np.median(ev.runs[k].counts):g}",
                "; ".join(top),
            )
        )
    # the basin shrinks: each interval lies below the previous one's as eps falls, once it has
    # left 1 (at and beyond 1/3 DefectBot takes almost every start)
    shrinks = basin_shrinks(
        [ev.defect_trapped[k] for k, e in enumerate(ev.eps) if e <= Fraction(1, 3)]
    )
    cycle = {pool.index(n) for n in ("CooperateBot", "FairBot", "PrudentBot")}
    small = [k for k, e in enumerate(ev.eps) if e <= Fraction(1, 10)]
    top3 = all(
        {int(i) for i in np.argsort(-ev.survival[k], kind="stable")[:3]} == cycle for k in small
    )
    claim = Claim(
        "X-MOD-02",
        f"among all {len(pool)} strategies of the pool, the DefectBot basin shrinks as eps → 0 "
        "and the most persistent survivors are the seed's cycle, FairBot, PrudentBot and "
        "CooperateBot (eps <= 1/10)",
        "exact: DefectBot is a strict Nash equilibrium of the pool's game at every eps "
        + ("(yes)" if strict else "(NO)")
        + ", so it keeps a basin; the radius r of its trapping set {x_D > 1 - r} (a proof the "
        "flow ends at D from there) is "
        + ", ".join(f"{r} at eps {e}" for r, e in zip(radii, ev.eps, strict=True)),
        f"replicator flow, {STARTS} starts per eps (the uniform mixture and uniform random "
        "interior starts), run to 40/eps: share entering DefectBot's trapping set "
        + "; ".join(f"eps {r[0]}: {r[1]}" for r in rows),
        bool(strict and shrinks),
        "yes" if shrinks and top3 else "no",
        "95% Wilson intervals; agreement = D strict (exact) and each interval at eps <= 1/3 lies "
        "below the previous one's (the last only not above). Survival: largest share over the "
        "second half of a run >= 1e-6 (a finite-time verdict).",
        rule="disagree if DefectBot is not a strict equilibrium at some eps, or a DefectBot-basin "
        "interval at eps <= 1/3 is not below the previous one's (the last: a larger estimate)",
    )
    table = Table(
        f"Survivors of the replicator flow among {len(pool)} strategies ({STARTS} starts per eps)",
        ("eps", "DefectBot basin [95% CI]", "median survivors per run", "most persistent"),
        tuple(rows),
    )
    return claim, table


def _run(rng: np.random.Generator) -> Result:
    import matplotlib.pyplot as plt

    from dynamics.plots.modal_evolution import plot_sorted_shares, plot_survivors

    # X-MOD-03 lives in modal_evolution_finite, which imports this module's constants
    from numpol.experiments.modal_evolution_finite import finite

    s1, s2 = rng.spawn(2)
    pool = modal_pool()
    names = pool_labels(pool)
    ev = modal_evolution(pool, EPS, starts=STARTS, population=POPULATION, beta=BETA, rng=s1)
    c1, t1 = _invasion(ev, names)
    c2, t2 = _survivors(ev, names)
    c3, t3 = finite(ev, names, s2)
    fig, ax = plt.subplots(figsize=(7.5, 4.6), layout="constrained")
    plot_survivors([str(e) for e in EPS], ev.survival, names, ax=ax)
    ax.set_title(f"Survivors of the replicator flow among {len(pool)} modal strategies")
    fig2, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    plot_sorted_shares([str(e) for e in EPS], ev.uniform, ax=a1)
    a1.set_title("Flow from the uniform mixture: shares at t = 40/ε", fontsize=10)
    plot_sorted_shares([str(e) for e in EPS], ev.stationary, ax=a2, floor=1e-6)
    a2.set_title(f"Finite population (N = {POPULATION}): time in each strategy", fontsize=10)
    a2.set_ylabel("long-run share of time")
    pool_table = Table(
        "The pool: strategies and the agents merged into each (witness labels: moves against "
        "DefectBot, CooperateBot, FairBot, PrudentBot | against itself)",
        ("strategy", "depth", "members"),
        tuple(
            (names[i], str(pool.depths[i]), ", ".join(pool.members[i])) for i in range(len(pool))
        ),
    )
    data: dict[str, Any] = {"evolution": ev}
    return Result(
        claims=(c1, c2, c3),
        tables=(t1, t2, t3, pool_table),
        figures=(("modal_survivors", fig), ("modal_sorted_shares", fig2)),
        text="Evolution among the literature's agents and every depth-1 behaviour: exact "
        "invasion fitness, replicator runs and finite populations at several penalties.",
        data=data,
    )


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment("modal-evolution", "Evolution among many modal agents (seed 001's next step)", _run),
)
