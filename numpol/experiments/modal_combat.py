"""Modal combat (seed 001): outcomes, depths, and the claims about all modal agents.

Rows MC-01, MC-02, MC-05, MC-08. The "theory" column comes from the bit-packed batch evaluator,
the "simulation" column from the independent world-by-world evaluator (or, for the claims about
every agent, from the exhaustive search re-checked pair by pair).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from modal import (
    LIBRARY,
    SEED_AGENTS,
    Agent,
    DefectBot,
    FairBot,
    PrudentBot,
    cooperation_matrix,
    depth,
    explain,
)
from modal.checks import (
    cooperation_lemma_counterexamples,
    fair_exploiters,
    slow_cooperation_matrix,
)
from modal.enumerate import enumerate_agents
from numpol.registry import Claim, Experiment, Result, Table
from theory.best_response import pure_equilibria
from theory.modal_game import invaders, modal_game

__all__ = ["EXPERIMENTS", "ENUMERATION_BOUNDS"]

ENUMERATION_BOUNDS = (2, 7)
"""Depth ≤ 2 and at most 7 formula nodes: ~12 000 formulas, seconds to evaluate."""

DEPTH1_BOUNDS = (1, 7)
EPS_GRID = (Fraction(1, 100), Fraction(1, 10), Fraction(1, 4), Fraction(1, 3))

# The seed's own words, as data: "CooperateBot cooperates with everyone. DefectBot defects
# against everyone. FairBot defects against only DefectBot. PrudentBot defects against
# CooperateBot and DefectBot and cooperates with itself and FairBot." (rows/cols: SEED_AGENTS)
SEED_SAYS = np.array([[0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 1, 1], [0, 0, 1, 1]], dtype=bool)
SEED_DEPTHS = {"CooperateBot": 0, "DefectBot": 0, "FairBot": 1, "PrudentBot": 2}


def _cd(b: bool) -> str:
    return "C" if b else "D"


def _label(agent: Agent) -> str:
    """An enumerated agent's formula, with the library's name when it is a library agent's."""
    for known in LIBRARY.values():
        if known.formula == agent.formula:
            return f"{agent.name} = {known.name}"
    return agent.name


def _outcomes(rng: np.random.Generator) -> Result:
    fast = cooperation_matrix(SEED_AGENTS)
    slow = slow_cooperation_matrix(SEED_AGENTS)
    names = [a.name for a in SEED_AGENTS]
    rows = tuple(
        (a, *(f"{_cd(fast[i, j])}{_cd(fast[j, i])}" for j in range(4))) for i, a in enumerate(names)
    )
    table = Table("Outcomes (row's move, column's move)", ("", *names), rows)
    lib = list(LIBRARY.values())
    lib_fast = cooperation_matrix(lib)
    lib_table = Table(
        "Literature agents: does the row cooperate with the column?",
        ("", *(a.name for a in lib)),
        tuple((a.name, *(_cd(lib_fast[i, j]) for j in range(len(lib)))) for i, a in enumerate(lib)),
    )
    eps = Fraction(1, 10)
    A = modal_game(SEED_AGENTS, eps)
    pay = Table(
        f"Penalised payoffs (row player), eps = {eps}",
        ("", *names),
        tuple((a, *(str(A[i, j]) for j in range(4))) for i, a in enumerate(names)),
    )
    depths = {a.name: depth(a) for a in SEED_AGENTS}
    why = explain(FairBot, PrudentBot).table()
    lib_agree = bool(np.array_equal(lib_fast, slow_cooperation_matrix(lib)))
    claims = (
        Claim(
            "MC-01",
            "outcome table of the four agents (16 ordered pairs)",
            "batch evaluator: " + "; ".join(" ".join(r[1:]) for r in rows),
            "world-by-world evaluator: "
            + ("same 16 outcomes" if np.array_equal(fast, slow) else "DIFFERENT"),
            bool(np.array_equal(fast, slow)) and lib_agree,
            "yes" if np.array_equal(fast, SEED_SAYS) else "no",
            "the two evaluators also agree on all 100 pairs of the 10 literature agents"
            if lib_agree
            else "the evaluators disagree on the literature agents",
        ),
        Claim(
            "MC-02",
            "depths CooperateBot 0, DefectBot 0, FairBot 1, PrudentBot 2",
            ", ".join(f"{k} {v}" for k, v in depths.items()),
            "n/a (a definition)",
            True,
            "yes" if depths == SEED_DEPTHS else "no",
        ),
    )
    return Result(
        claims=claims,
        tables=(table, pay, lib_table),
        text="Why FairBot and PrudentBot cooperate, world by world:\n\n```\n" + why + "\n```",
    )


def _all_agents(rng: np.random.Generator) -> Result:
    d_max, s_max = ENUMERATION_BOUNDS
    enum = enumerate_agents(d_max, s_max)
    reps = list(enum.agents)
    # independent re-check of the enumerated round robin with the slow evaluator
    fast = cooperation_matrix(reps, {**LIBRARY})
    slow = slow_cooperation_matrix(reps, {**LIBRARY})
    same = bool(np.array_equal(fast, slow))
    eq_rows = []
    only_defect = True
    for eps in EPS_GRID:
        env = {**LIBRARY, **{a.name: a for a in reps}}
        eqs = [(q.row, q.column) for q in pure_equilibria(modal_game(reps, eps, env=env))]
        names = sorted({f"({_label(reps[i])}, {_label(reps[j])})" for i, j in eqs})
        eq_rows.append((str(eps), str(len(eqs)), ", ".join(names)))
        only_defect &= all(reps[i].formula == DefectBot.formula == reps[j].formula for i, j in eqs)
        only_defect &= len(eqs) == 1
    lemma1 = cooperation_lemma_counterexamples(enum, 1)
    lemma2 = cooperation_lemma_counterexamples(enum, 2)
    bound = (
        f"depth <= {d_max}, <= {s_max} formula nodes: {enum.searched} formulas, {len(reps)} classes"
    )
    example = f"{lemma1[0][0].name} cooperates with {lemma1[0][1].name}" if lemma1 else "none"
    mc05 = Claim(
        "MC-05",
        "DefectBot is the only pure equilibrium among all modal agents",
        f"pure equilibria of the game on all classes ({bound}): "
        + "; ".join(f"eps {r[0]}: {r[2]}" for r in eq_rows),
        "world-by-world evaluator on the same classes: "
        + ("same round robin" if same else "DIFFERENT round robin"),
        same,
        "open",
        f"Conjecture consistent up to the bound ({bound}; eps in {', '.join(map(str, EPS_GRID))}): "
        + ("only (DefectBot, DefectBot). " if only_defect else "OTHER equilibria found. ")
        + f"The seed's lemma, read literally (a depth-k agent cooperating with a depth-k X implies "
        f"a depth-(k-1) agent X cooperates with), is false: {len(lemma1)} counterexample pairs at "
        f"k = 1 and {len(lemma2)} at k = 2 within the bound, e.g. {example} and that agent "
        "cooperates with neither CooperateBot nor DefectBot.",
    )
    d1, s1 = DEPTH1_BOUNDS
    enum1 = enumerate_agents(d1, s1)
    fx = fair_exploiters(enum1)
    eps = Fraction(1, 10)
    inv = invaders(reps, eps)
    one = fx.one_sided[0].name if fx.one_sided else "none"
    mc08 = Claim(
        "MC-08",
        "no depth-1 agent mutually cooperates with FairBot and defects against CooperateBot; "
        "so no modal agent invades the good equilibrium",
        f"depth-1 agents (size <= {s1}, {enum1.searched} formulas): {len(fx.mutual)} mutually "
        f"cooperate with FairBot and defect against CooperateBot",
        f"payoff of every class ({bound}) against the good mixture at eps = {eps}: "
        f"{len(inv)} earn more than 2 - eps",
        not fx.mutual and not inv,
        "open",
        "Holds up to the stated bounds. Read literally ('cooperates with FairBot'), it is false: "
        f"{len(fx.one_sided)} depth-1 classes cooperate with FairBot and defect against "
        f"CooperateBot, e.g. {one}, but FairBot defects against each of them, so they are "
        "exploited; the seed's argument needs mutual cooperation, and that version holds.",
    )
    table = Table(
        f"Pure equilibria of the penalised game on every enumerated class ({bound})",
        ("eps", "count", "equilibria"),
        tuple(eq_rows),
    )
    inv_table = Table(
        "Depth-1 agents that cooperate with FairBot and defect against CooperateBot",
        ("agent", "FairBot cooperates back?"),
        tuple((a.name, "no") for a in fx.one_sided) + tuple((a.name, "yes") for a in fx.mutual),
    )
    return Result(claims=(mc05, mc08), tables=(table, inv_table))


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment(
        "modal-outcomes", "Outcomes, depths and payoffs of the seed's four agents", _outcomes
    ),
    Experiment("modal-all-agents", "Claims about every modal agent, by exhaustion", _all_agents),
)
