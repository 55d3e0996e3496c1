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
    CooperateBot,
    DefectBot,
    FairBot,
    PrudentBot,
    cooperation_matrix,
    depth,
    explain,
    round_robin,
)
from modal.behaviours import BehaviourSet, depth1_behaviours
from modal.checks import (
    cooperation_lemma_counterexamples,
    fair_exploiter_behaviours,
    fair_exploiters,
    slow_cooperation_matrix,
)
from modal.enumerate import enumerate_agents, formulas
from modal.formula import size
from numpol.experiments.modal_combat_pure import mc05_claim, pure_equilibrium_evidence
from numpol.registry import Claim, Experiment, Result, Table
from theory.best_response import pure_equilibria
from theory.modal_game import invaders, modal_game

__all__ = ["EXPERIMENTS", "ENUMERATION_BOUNDS"]

ENUMERATION_BOUNDS = (2, 7)
"""Depth ≤ 2 and at most 7 formula nodes: ~12 000 formulas, seconds to evaluate."""

DEPTH1_BOUNDS = (1, 7)
GOOD_MIXTURE_AGENTS = (CooperateBot, FairBot, PrudentBot)
# The good mixture is an equilibrium of the four agents for 0 < ε ≤ 1/3 (DefectBot earns
# 1 + 2ε against it, the mixture 2 − ε); the payoff of a fixed behaviour against the mixture is
# linear in ε, so the two ends decide the whole range [0, 1/3].
EPS_ENDS = (Fraction(0), Fraction(1, 3))
ENUMERATION_REFERENCES = tuple(
    LIBRARY[n]
    for n in ("CooperateBot", "DefectBot", "FairBot", "PrudentBot", "TrollBot", "JustBot")
    + ("UnfairBot",)
)
"""Classes of the syntactic enumeration: behaviour against Barasz et al.'s (2014) agents."""
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
            f"the two evaluators also agree on all {len(lib) ** 2} pairs of the {len(lib)} "
            "literature agents (MIRI's self-atom agents included)"
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
            evidence="none",
            evidence_note="depth is a definition read off the formulas; nothing to simulate",
        ),
    )
    return Result(
        claims=claims,
        tables=(table, pay, lib_table),
        text="Why FairBot and PrudentBot cooperate, world by world:\n\n```\n" + why + "\n```",
    )


def _all_agents(rng: np.random.Generator) -> Result:
    d_max, s_max = ENUMERATION_BOUNDS
    enum = enumerate_agents(d_max, s_max, references=ENUMERATION_REFERENCES)
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
    bound = (
        f"depth <= {d_max}, <= {s_max} formula nodes: {enum.searched} formulas, {len(reps)} classes"
    )
    lemma = []
    for k in (1, 2):
        literal = cooperation_lemma_counterexamples(enum, k)
        mutual = cooperation_lemma_counterexamples(enum, k, mutual=True)
        example = f"{mutual[0][0].name} with {mutual[0][1].name}" if mutual else "none"
        lemma.append((len(literal), len(mutual), example))
    evidence = pure_equilibrium_evidence(
        only_defect,
        f"{bound}: " + "; ".join(f"eps {r[0]}: {r[2]}" for r in eq_rows),
        tuple(lemma),
    )
    mc05 = mc05_claim(
        evidence,
        same,
        "world-by-world evaluator on the same classes: "
        + ("same round robin" if same else "DIFFERENT round robin"),
    )
    d1, s1 = DEPTH1_BOUNDS
    enum1 = enumerate_agents(d1, s1, references=ENUMERATION_REFERENCES)
    fx = fair_exploiters(enum1)
    eps = Fraction(1, 10)
    inv = invaders(reps, eps)
    # every depth-1 agent, by behaviour (modal.behaviours): the alphabet is me, opp(me) and
    # opp(N) for every library agent N of depth <= 1
    alphabet = tuple(a for a in LIBRARY.values() if depth(a) <= 1)
    beh = depth1_behaviours(GOOD_MIXTURE_AGENTS, named=alphabet, self_play=False)
    fx_sem = fair_exploiter_behaviours(beh)
    witnesses = [Agent(f"W{i}", b.witness.formula) for i, b in enumerate(beh)]
    eps_checked = tuple(sorted({*EPS_ENDS, *EPS_GRID}))
    inv_sem = {e: invaders(witnesses, e) for e in eps_checked}
    n_inv = sum(len(v) for v in inv_sem.values())
    syn_in, syn_total, syn_count, shortest = _syntactic_inside(beh, s1)

    def show(b: Agent) -> str:  # the shortest syntactic formula with b's behaviour, if any
        return shortest.get(_behaviour_of(beh, b), f"a witness of {size(b.formula)} nodes")

    one = show(fx_sem.one_sided[0]) if fx_sem.one_sided else "none"
    alphabet_text = ", ".join(a.name for a in alphabet)
    mc08 = Claim(
        "MC-08",
        "no depth-1 agent mutually cooperates with FairBot and defects against CooperateBot; "
        "so no modal agent invades the good equilibrium",
        f"every depth-1 agent, by behaviour ({len(beh)} behaviours against CooperateBot, FairBot "
        f"and PrudentBot; alphabet me, opp(me), opp(N) for N in the {len(alphabet)} library "
        f"agents of depth <= 1; {beh.branches} search leaves): {len(fx_sem.mutual)} mutually "
        "cooperate with FairBot and defect against CooperateBot; "
        f"{n_inv} earn more than 2 - eps against the good mixture at eps in "
        f"{{{', '.join(map(str, eps_checked))}}} (payoff linear in eps: none on [0, 1/3], "
        "where the mixture is an equilibrium)",
        "every witness re-played by the batch evaluator: "
        + ("same behaviours" if beh.verified else "NOT CHECKED")
        + f"; the syntactic enumeration (depth <= 1, <= {s1} nodes, {syn_total} formulas) has "
        f"{syn_count} of these behaviours and {syn_total - syn_in} outside them; its "
        f"{len(fx.mutual)} mutual exploiters, and {len(inv)} invaders at eps = {eps} among "
        f"the classes of {bound}",
        beh.verified
        and syn_in == syn_total
        and not fx.mutual
        and not inv
        and bool(fx_sem.mutual) == bool(fx.mutual),
        "no" if fx_sem.mutual or n_inv else "open",  # computed: a found exploiter refutes
        "Decided for every depth-1 agent whose atoms are me, opp(me) and opp(N) for N among "
        f"{alphabet_text} (modal.behaviours: a depth-1 agent is a function of the set of atom "
        "vectors seen at lower worlds; the search branches on every such function): none "
        "mutually cooperates with FairBot while defecting against CooperateBot, and none invades. "
        "Depth 0 is CooperateBot or DefectBot; an agent of depth >= 2 pays >= 2 eps and earns at "
        "most 3 eps + 2(1 - 3eps/2) + 2(eps/2) against the mixture (FairBot and PrudentBot are "
        "unexploitable), i.e. at most 2 - eps: no invader at any depth. Open only for depth-1 "
        "agents that name agents outside the alphabet (each named agent adds an atom sequence). "
        f"Read literally ('cooperates with FairBot') the claim is false: {len(fx_sem.one_sided)} "
        f"behaviours cooperate with FairBot and defect against CooperateBot, e.g. {one}, but "
        "FairBot defects against each of them.",
        rule="disagree if a witness fails its re-play, a syntactic formula's behaviour is not "
        "among the semantic ones, either search finds a mutual exploiter or an invader, or the "
        "two searches differ on whether one exists; verdict no if one is found, else open",
    )
    table = Table(
        f"Pure equilibria of the penalised game on every enumerated class ({bound})",
        ("eps", "count", "equilibria"),
        tuple(eq_rows),
    )
    inv_table = Table(
        "Depth-1 behaviours that cooperate with FairBot and defect against CooperateBot "
        "(a witness formula for each)",
        ("witness", "FairBot cooperates back?"),
        tuple((show(a), "no") for a in fx_sem.one_sided)
        + tuple((show(a), "yes") for a in fx_sem.mutual),
    )
    return Result(claims=(mc05, mc08), tables=(table, inv_table))


Moves = tuple[tuple[bool, ...], tuple[bool, ...]]


def _behaviour_of(beh: BehaviourSet, witness: Agent) -> Moves:
    b = next(b for b in beh if b.witness is witness)
    return b.cooperates, b.cooperated_with


def _syntactic_inside(beh: BehaviourSet, max_size: int) -> tuple[int, int, int, dict[Moves, str]]:
    """How many depth-<=1 formulas up to `max_size` nodes (atoms opp(me), opp(CooperateBot),
    opp(DefectBot), opp(FairBot)) have a behaviour of `beh`; of how many; how many of `beh`'s
    behaviours they reach; and the shortest formula for each behaviour reached."""
    targets = ("me", CooperateBot.name, DefectBot.name, FairBot.name)
    fs = formulas(1, max_size, targets)
    cands = [Agent(f"S{i}", f) for i, f in enumerate(fs)]
    rr = round_robin(cands, beh.references)
    known = beh.without_self_play()
    got = [
        (tuple(bool(x) for x in rr.cooperates[i]), tuple(bool(x) for x in rr.cooperated_with[i]))
        for i in range(len(cands))
    ]
    shortest: dict[Moves, str] = {}
    for f, g in zip(fs, got, strict=True):  # formulas come smallest first
        shortest.setdefault(g, str(f))
    return sum(g in known for g in got), len(got), len(set(got) & known), shortest


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment(
        "modal-outcomes", "Outcomes, depths and payoffs of the seed's four agents", _outcomes
    ),
    Experiment("modal-all-agents", "Claims about every modal agent, by exhaustion", _all_agents),
)
