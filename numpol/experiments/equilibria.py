"""Equilibria of the seed's four-agent modal game (seed 001, "Pure/Mixed Equilibria").

Rows MC-03 and MC-04 (MC-06 and MC-07 are in :mod:`numpol.experiments.equilibria_mixed`). The
"theory" column is symbolic in ε (sympy, exact regions). The "simulation" column comes from
learning agents (introspection dynamics) at random ε, in a game built independently of
:func:`theory.modal_game.modal_game` (moves from the world-by-world evaluator, payoffs as the
seed writes them). Also the symbolic
equilibria table and a figure of the equilibria against ε; the stability table is in
:mod:`numpol.experiments.equilibria_stability`.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

import numpy as np
import sympy

from dynamics.learning.introspection import introspection_dynamics
from modal import SEED_AGENTS, depth
from modal.checks import slow_cooperation_matrix
from numpol.registry import Claim, Experiment, Result, Table
from theory.best_response import best_responses, pure_equilibria
from theory.modal_game import modal_game
from theory.regions import format_region

__all__ = ["EXPERIMENTS", "EPS", "NAMES"]

#: The penalty ε per unit of modal depth, as a positive symbol.
EPS = sympy.Symbol("epsilon", positive=True)
#: The seed's four agents, in the order of the matrices' rows.
NAMES = tuple(a.name for a in SEED_AGENTS)
SHORT = ("D", "C", "F", "P")
N_FLOAT_EPS = 60
"""Random float ε per check in the simulation column (uniform on each interval)."""
N_LEARN_EPS = 20
"""Random ε at which learning agents look for best replies and pure equilibria."""
# nashpy's float equilibria on this 4x4 game are accurate to ~1e-12; two equilibria or a
# probability and its formula closer than this are the same.
FLOAT_TOL = 1e-8


def mixture_label(x: Any) -> str:
    parts = [f"{SHORT[i]} {sympy.factor(v)}" for i, v in enumerate(x) if sympy.sympify(v) != 0]
    return ", ".join(parts)


# The second method of MC-03/MC-04: learning agents (introspection dynamics, Fermi switching
# with selection intensity BETA) on a game built another way: moves from the world-by-world
# evaluator, the seed's prisoner's dilemma as the seed writes it, ε per unit of depth.
SEED_PD_WORDS = {(True, True): 2, (False, False): 1, (False, True): 3, (True, False): 0}
BETA = 200.0
# A switch that loses g is taken with probability 1/(1 + exp(BETA g)): gaps g >= RESOLVE give
# at most e^-10 per step, so runs sit at strict best replies; random ε closer than RESOLVE to a
# break point (where two replies nearly tie) are redrawn, and counted.
RESOLVE = 10 / BETA
LEARN_RUNS, LEARN_STEPS = 200, 300
# A profile "found" by the learners: at least this share of runs ends there (a non-equilibrium
# profile keeps a share below e^-10 per step in the stationary state; an equilibrium that some
# starts reach gets a share of order 1/16 or more).
FOUND_SHARE = 0.05


@lru_cache(maxsize=1)
def _seed_pd_and_depths() -> tuple[np.ndarray, np.ndarray]:
    """The four agents' prisoner's dilemma payoffs (world-by-world evaluator) and depths."""
    coop = slow_cooperation_matrix(SEED_AGENTS)
    n = len(SEED_AGENTS)
    pd = np.array([[SEED_PD_WORDS[coop[i, j], coop[j, i]] for j in range(n)] for i in range(n)])
    return pd.astype(float), np.array([depth(a) for a in SEED_AGENTS], dtype=float)


def _learned_game(eps: float) -> np.ndarray:
    """The four agents' game at ε, from the world-by-world evaluator and the seed's words."""
    pd, d = _seed_pd_and_depths()
    return pd - eps * d[:, None]


def _learned(eps: float, rng: np.random.Generator, opponent: int | None = None) -> set[Any]:
    """What learners find at ε: best replies to `opponent`, or (if None) pure equilibria."""
    A = _learned_game(eps)
    if opponent is None:
        run = introspection_dynamics(
            (A, A.T), steps=LEARN_STEPS, beta=BETA, runs=LEARN_RUNS, rng=rng
        )
        ends: list[Any] = [tuple(int(v) for v in a) for a in run.actions]
    else:  # the opponent "player" chooses between two copies of itself: it never changes
        col = A[:, [opponent, opponent]]
        run = introspection_dynamics(
            (col, np.zeros_like(col)), steps=LEARN_STEPS // 2, beta=BETA, runs=LEARN_RUNS, rng=rng
        )
        ends = [int(a) for a in run.actions[:, 0]]
    counts = Counter(ends)
    return {k for k, c in counts.items() if c >= FOUND_SHARE * len(ends)}


def _draw_eps(rng: np.random.Generator, k: int, breaks: list[float]) -> tuple[list[float], int]:
    """k random ε in (RESOLVE, 3), redrawing those within RESOLVE of a break point."""
    out: list[float] = []
    redrawn = 0
    while len(out) < k:
        v = float(rng.uniform(RESOLVE, 3.0))
        if any(abs(v - b) < RESOLVE for b in breaks):
            redrawn += 1
            continue
        out.append(v)
    return out, redrawn


def _run_pure(rng: np.random.Generator) -> Result:
    A = modal_game(SEED_AGENTS, EPS)
    table = best_responses(A, params=EPS)
    rows = tuple(
        (NAMES[b.opponent], NAMES[b.reply], str(b.payoff), format_region(b.region))
        for b in table.entries
    )
    # second method: learners facing each opponent at random ε
    eps_draws, redrawn = _draw_eps(rng, N_LEARN_EPS, [float(b) for b in table.breakpoints])
    mismatches = 0
    for v in eps_draws:
        want = [
            {b.reply for b in table.entries if b.opponent == j and b.region and v in b.region}
            for j in range(4)
        ]
        mismatches += any(_learned(v, rng, j) != want[j] for j in range(4))
    seed_table = {
        0: (0,),
        1: (0,),
        2: (1,),
    }
    seed_ok = all(
        {b.reply for b in table.entries if b.opponent == j} == set(r) for j, r in seed_table.items()
    ) and {(b.reply, format_region(b.region)) for b in table.entries if b.opponent == 3} == {
        (2, "(0, 1]"),
        (0, "[1, ∞)"),
    }
    mc03 = Claim(
        "MC-03",
        "best replies: to C and D, D; to F, C; to P, F while ε < 1 (D beyond)",
        "; ".join(f"to {r[0]}: {r[1]} on {r[3]}" for r in rows)
        + f"; break points ε = {', '.join(map(str, table.breakpoints))}",
        f"learning agents (introspection dynamics, β = {BETA:g}, {LEARN_RUNS} runs) facing each "
        f"opponent in a game built from the world-by-world evaluator and the seed's payoffs, at "
        f"{N_LEARN_EPS} random ε in ({RESOLVE:g}, 3): the replies where ≥ {FOUND_SHARE:.0%} of "
        f"runs end equal the table's at {N_LEARN_EPS - mismatches}",
        mismatches == 0,
        "yes" if seed_ok else "no",
        "at ε = 1 FairBot and DefectBot tie against PrudentBot; for all ε > 0 every other reply "
        f"is unique. {redrawn} random ε within {RESOLVE:g} of a break point were redrawn (gaps "
        "too small for the learners to resolve).",
        rule=f"at every random ε the replies where >= {FOUND_SHARE:.0%} of the learners end "
        "equal the exact best replies; fails if learners settle on a reply outside its exact "
        "region or never on one inside",
    )
    pure = pure_equilibria(A, params=EPS)
    pure_txt = "; ".join(
        f"({NAMES[q.row]}, {NAMES[q.column]}) on {format_region(q.region)}"
        for q in pure
        if q.region is not None
    )
    only_defect = (
        len(pure) == 1
        and (pure[0].row, pure[0].column) == (0, 0)
        and pure[0].region is not None
        and pure[0].region.as_set() == sympy.Interval.open(0, sympy.oo)
    )
    sim_same = 0
    for v in eps_draws:
        exact = {(q.row, q.column) for q in pure if q.region is not None and v in q.region}
        sim_same += _learned(v, rng) == exact
    mc04 = Claim(
        "MC-04",
        "among the four, (DefectBot, DefectBot) is the unique pure equilibrium",
        f"mutual best replies (symbolic): {pure_txt}",
        f"two learning agents (introspection dynamics, β = {BETA:g}, {LEARN_RUNS} runs of "
        f"{LEARN_STEPS} steps from random profiles) in the world-by-world game at "
        f"{N_LEARN_EPS} random ε: the profiles where ≥ {FOUND_SHARE:.0%} of runs end are the "
        f"exact pure equilibria at {sim_same}",
        only_defect and sim_same == N_LEARN_EPS,
        "yes" if only_defect else "no",
        "",
        rule=f"at every random ε the profiles where >= {FOUND_SHARE:.0%} of the runs end equal "
        "the exact pure equilibria there; fails if the learners settle on another profile or "
        "never reach an equilibrium",
    )
    return Result(
        claims=(mc03, mc04),
        tables=(
            Table(
                "Pure best replies of the four-agent game, exact ε-regions (ε > 0)",
                ("opponent", "best reply", "payoff", "ε-region"),
                rows,
            ),
        ),
        text='The seed\'s "Pure Equilibria" argument as a table: for each opponent, each pure '
        "reply that is a best one and the exact set of ε where it is.",
    )


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment(
        "equilibria-pure", "Best replies and pure equilibria, exact in ε (MC-03, MC-04)", _run_pure
    ),
)
