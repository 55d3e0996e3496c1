"""Social Environment Design's agent types on the commons: row X-SED-07 (multiple equilibria).

"theory" is the exact active-set enumeration of :func:`theory.commons.steady_state_nash`;
"simulation" is an independent numerical check: sequential best-response dynamics in which
each agent maximises its reward over its own effort with a bounded scalar optimiser, from random
starting profiles, never using the closed-form marginal coefficients
(:mod:`theory.commons.best_response`). compute → judge → render.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numpol.agreement import exactly_equal
from numpol.registry import Claim, Experiment, Result, Table
from theory.commons import (
    BEST_RESPONSE_XATOL,
    HarvestCommons,
    HarvestNash,
    best_response_dynamics,
    numerical_best_response,
    steady_state_nash,
)
from theory.policy.voting import draw_types

__all__ = ["EXPERIMENTS", "TypesEvidence", "compute_types", "judge_types"]

COMMONS = HarvestCommons(1, 100, 1, 10)
N_AGENTS, SEEDS, TAXES = 4, 300, (0, 0.5, 1)
# A numerically optimised best response is accurate to the optimiser's xatol (1e-10 in effort
# units of r/q = 1); a profile counts as a known equilibrium within 1e-6, and best-response
# dynamics stop when no effort moves by more than 1e-9 in a sweep.
MATCH_ATOL, MOVE_ATOL, SWEEPS, STARTS = 1e-6, 1e-9, 400, 12


@dataclass(frozen=True)
class TypesEvidence:
    """How many draws have several equilibria; for the draw with most, its exact equilibria,
    whether each passes the numerical best-response test, and where the dynamics ended."""

    multiple: int
    draws: int
    seed: int
    tax: float
    found: tuple[HarvestNash, ...]
    stable: bool
    ends: tuple[np.ndarray, ...]


def compute_types(rng: np.random.Generator) -> TypesEvidence:
    """Enumerate the exact equilibria of 300 draws × 3 taxes; for the draw with the most, test
    each equilibrium by numerical best responses and run best-response dynamics from random
    starts (:mod:`theory.commons.best_response`, never the closed-form coefficients)."""
    counts, example = 0, None
    for seed in range(SEEDS):
        types = draw_types(N_AGENTS, rng=seed)
        for tax in TAXES:
            found = steady_state_nash(COMMONS, types, tax, continuum="equal")
            if len(found) > 1:
                counts += 1
                if example is None or len(found) > len(example[2]):
                    example = (seed, tax, found)
    if example is None:  # the row below would be vacuous
        raise RuntimeError("no draw has several equilibria")
    seed, tax, found = example
    types = draw_types(N_AGENTS, rng=seed)
    exact = [np.array(e.efforts, dtype=float) for e in found]
    stable = all(
        abs(numerical_best_response(COMMONS, types, eq, i, tax) - eq[i]) < MATCH_ATOL
        for eq in exact
        for i in range(N_AGENTS)
    )
    run = best_response_dynamics(
        COMMONS, types, tax, starts=STARTS, sweeps=SWEEPS, move_atol=MOVE_ATOL, rng=rng
    )
    return TypesEvidence(counts, SEEDS * len(TAXES), seed, tax, tuple(found), stable, run.ends)


def _reached(ev: TypesEvidence) -> tuple[set[int], int]:
    exact = [np.array(e.efforts, dtype=float) for e in ev.found]
    reached = {
        j for end in ev.ends for j, eq in enumerate(exact) if np.max(np.abs(end - eq)) < MATCH_ATOL
    }
    strays = sum(all(np.max(np.abs(end - eq)) >= MATCH_ATOL for eq in exact) for end in ev.ends)
    return reached, strays


def judge_types(ev: TypesEvidence) -> Claim:
    """X-SED-07: every exact equilibrium passes the numerical best-response test, and every
    best-response run ends at one of them (a run ending elsewhere is an equilibrium the
    enumeration missed, or a wrong one)."""
    reached, strays = _reached(ev)
    ag = exactly_equal(strays, 0, what="best-response runs ending off the enumerated set")
    return Claim(
        "X-SED-07",
        "With Social Environment Design's types, the commons can have several steady-state "
        "Nash equilibria (which agents harvest is not determined)",
        f"exact enumeration: {ev.multiple} of {ev.draws} draws (4 uniform types x taxes "
        f"{TAXES}) have several equilibria; seed {ev.seed}, tax {ev.tax}: {len(ev.found)} "
        "equilibria",
        f"numerical best responses confirm all {len(ev.found)}: {ev.stable}; best-response "
        f"dynamics from {STARTS} random starts: {len(ev.ends)} converged, reaching "
        f"{len(reached)} of them, {strays} elsewhere",
        bool(ev.stable and ag.agrees and reached),
        # "can have several": shown by an exactly enumerated draw with several equilibria, each
        # confirmed a best response numerically
        "yes" if ev.multiple > 0 and len(ev.found) > 1 and ev.stable else "no",
        "The seed does not discuss equilibrium selection; verdict: yes iff some draw has "
        "several exact equilibria, all confirmed as best responses. Multiplicity needs "
        "some C_i <= 0, "
        "C_i = beta(1 - t) + (1 - beta)(2 sigma - 1) (with every C_i > 0 the total solves "
        "u = sum_i max(0, (A_i - B_i u)/C_i), whose right side falls in u: one solution): "
        "agents who weigh others' apples above their own and trust the principal little, "
        "typically at high tax, where efforts are strong strategic substitutes. Then the "
        "principal's tax does not pin down who harvests, and best-response dynamics select "
        f"only some of the equilibria. Match tolerance {MATCH_ATOL:g} (optimiser xatol "
        f"{BEST_RESPONSE_XATOL:g}). The row fails if an enumerated profile is not a best "
        "response, or a run ends at a profile the enumeration does not list",
        rule=ag.rule,
    )


def render_types(ev: TypesEvidence) -> Table:
    """The chosen draw's equilibria and which the dynamics reached."""
    reached, _ = _reached(ev)
    return Table(
        f"Equilibria for seed {ev.seed}, tax {ev.tax} (efforts in units of r/q)",
        ("#", "efforts", "stock", "reached by BR dynamics"),
        tuple(
            (
                str(j),
                ", ".join(f"{float(v):.4f}" for v in e.efforts),
                f"{float(e.stock):.2f}",
                "yes" if j in reached else "no",
            )
            for j, e in enumerate(ev.found)
        ),
    )


def _run(rng: np.random.Generator) -> Result:
    ev = compute_types(rng)
    return Result(claims=(judge_types(ev),), tables=(render_types(ev),))


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment(
        "commons-types",
        "SED agent types: multiple steady-state equilibria (X-SED-07)",
        _run,
        cost=12,
    ),
)
