"""MC-05 (seed 001): is (DefectBot, DefectBot) the only pure equilibrium among all modal agents?

Compute → judge → render for the row built by :mod:`numpol.experiments.modal_combat`: the
syntactic enumeration's pure equilibria (computed there), the semantic search over every depth-1
agent (:mod:`modal.equilibrium_search`, with and without the self atom, and over pairs:
:mod:`modal.pair_equilibria`), its brute-force cross-check (:mod:`modal.syntactic_check`), and
both readings of the seed's lemma. The verdict is the seed's language's (agents are formulas in
the opponent run on agents, no self atom); the self-atom result is reported beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from modal.agents import Agent
from modal.equilibrium_search import Depth1Equilibria, depth1_pure_equilibria
from modal.formula import size
from modal.pair_equilibria import PairEquilibria, depth1_pair_equilibria
from modal.syntactic_check import SyntacticCheck, syntactic_check
from numpol.registry import Claim, SeedHolds

__all__ = ["PureEquilibriumEvidence", "pure_equilibrium_evidence", "mc05_verdict", "mc05_claim"]

#: Size bound of the brute-force cross-check (depth-1 formulas of at most this many nodes:
#: 1 458 formulas, 415 of them candidates, well under a second; 7 nodes takes ~10 s).
CHECK_SIZE = 6


@dataclass(frozen=True)
class PureEquilibriumEvidence:
    """Everything MC-05 is judged on.

    Attributes
    ----------
    only_defect : bool
        The syntactic enumeration's pure equilibria are (DefectBot, DefectBot) alone at every ε.
    enumeration : str
        Its bound and equilibria, as text (computed by the caller).
    seed_language, self_atom : Depth1Equilibria
        The semantic search over symmetric pairs of depth-1 agents, without and with the self
        atom.
    pairs : PairEquilibria
        The semantic search over all pairs of depth-1 agents (no self atom).
    check : SyntacticCheck
        The brute-force re-decision over small formulas.
    lemma : tuple of (int, int, str)
        For k = 1 and 2: counterexamples to the literal lemma, to the mutual reading, and an
        example of the latter.
    """

    only_defect: bool
    enumeration: str
    seed_language: Depth1Equilibria
    self_atom: Depth1Equilibria
    pairs: PairEquilibria
    check: SyntacticCheck
    lemma: tuple[tuple[int, int, str], ...]


def pure_equilibrium_evidence(
    only_defect: bool,
    enumeration: str,
    lemma: tuple[tuple[int, int, str], ...],
) -> PureEquilibriumEvidence:
    """Run the semantic searches and the cross-check (about 4 s) around the enumeration's result.

    Examples
    --------
    >>> ev = pure_equilibrium_evidence(True, "test", ())
    >>> ev.pairs.survivors, ev.seed_language.excluded_below, ev.self_atom.counterexample is not None
    (0, Fraction(1, 1), True)
    """
    pairs = depth1_pair_equilibria()
    seed = depth1_pure_equilibria(exploiters=pairs.exploiters)
    return PureEquilibriumEvidence(
        only_defect,
        enumeration,
        seed,
        depth1_pure_equilibria(self_atom=True),
        pairs,
        syntactic_check(seed, pairs, CHECK_SIZE),
        lemma,
    )


def mc05_verdict(only_defect: bool, search: Depth1Equilibria) -> SeedHolds:
    """ "no" if the enumeration finds another pure equilibrium or the search a certified one;
    else "open": the searches cover agents of depth ≤ 1 over an alphabet, and the enumeration
    deeper agents only up to a size; no proof covers all modal agents.

    Examples
    --------
    >>> from modal.equilibrium_search import depth1_pure_equilibria
    >>> mc05_verdict(True, depth1_pure_equilibria())
    'open'
    >>> mc05_verdict(True, depth1_pure_equilibria(self_atom=True))  # the self atom's language
    'no'
    """
    if not only_defect or search.counterexample is not None or search.unexploitable:
        return "no"
    return "open"


def _eps(bound: Fraction | None) -> str:
    return "no eps" if bound is None else f"0 < eps < {bound}"


def mc05_claim(ev: PureEquilibriumEvidence, agreement: bool, second: str) -> Claim:
    """The MC-05 row: `agreement` and `second` are the caller's independent re-check of the
    enumeration; this adds the semantic searches and their brute-force cross-check.

    Examples
    --------
    >>> ev = pure_equilibrium_evidence(False, "test", ((1, 1, "a"), (0, 0, "none")))
    >>> mc05_claim(ev, True, "re-check").seed_holds  # the enumeration found another equilibrium
    'no'
    """
    s, m, p, c = ev.seed_language, ev.self_atom, ev.pairs, ev.check
    cx: Agent | None = m.counterexample
    given = len(p.exploiters) - sum(z.name.startswith("Exploiter") for z in p.exploiters)
    family = ", ".join(
        z.name if i < given else f"{z.name} ({size(z.formula)} nodes, found by refinement)"
        for i, z in enumerate(p.exploiters)
    )
    pair_text = (
        "none but (DefectBot, DefectBot) at any eps > 0"
        if p.all_refuted
        else f"none but (DefectBot, DefectBot) for {_eps(p.excluded_below)}"
    )
    theory = (
        f"pure equilibria of the game on all classes ({ev.enumeration}). Every pair of depth-1 "
        f"agents by behaviour (alphabet opp(me), opp(N) for N in "
        f"{', '.join(a.name for a in p.named)}): a pair besides (DefectBot, DefectBot) needs "
        "both of depth 1, mutual cooperation, and both defecting against CooperateBot and "
        f"DefectBot; both agents searched at once against the exploiter family {family}: "
        f"{p.branches} classes of pairs, {p.mutual} cooperate both ways, {p.by_family} of them "
        f"exploited by a depth-1 family member, {p.survivors} left"
        + (
            f" (each exploited by the partner truncated after T <= {p.worst} worlds, for eps < 1/T)"
            if p.survivors
            else ""
        )
        + f": {pair_text}. "
        f"Symmetric pairs alone: {len(s)} candidate behaviours of {s.behaviours}, "
        f"{len(s.survivors)} unexploited. With the self atom: "
        + (f"(X, X) is a pure equilibrium for 0 < eps <= 1, X = {cx.formula}" if cx else "none")
    )
    check = (
        f"; every class left by the family re-played on its witnesses against the truncated "
        f"partner; brute force over the {c.formulas} depth-1 formulas of <= {CHECK_SIZE} "
        f"nodes: {c.candidates} defect against CooperateBot and DefectBot, {c.outside} "
        f"self-cooperators outside the semantic candidates, {c.by_family} exploited by the "
        f"family (re-played), {c.pairs} mutually cooperating pairs of the rest, "
        f"{len(c.unexploited)} unexploited"
    )
    (l1, m1, e1), (l2, m2, e2) = ev.lemma if len(ev.lemma) == 2 else ((0, 0, ""), (0, 0, ""))
    verdict = mc05_verdict(ev.only_defect, s)
    note = (
        "Seed's language (agents are formulas in the opponent run on agents, no self atom): "
        + ("OTHER pure equilibria found. " if verdict == "no" else "no other pure equilibrium ")
        + "up to the enumeration's bound, and among all pairs of depth-<=1 agents over the "
        f"alphabet {pair_text.removeprefix('none but (DefectBot, DefectBot) ')}, decided "
        "completely: a depth-1 agent's move against any Z is a function of the set of vectors "
        "Z shows it, so its behaviour against CooperateBot, DefectBot, its partner and a finite "
        "exploiter family is one of finitely many, all searched; an exploiter found for a class "
        "exploits every pair in it (modal.equilibrium_search). With the self atom (MIRI's "
        "extension, depth = box depth) the conjecture is FALSE: "
        + (
            f"X = {cx.formula} cooperates only with an opponent that matched its moves at every "
            "lower world, so nobody exploits it, and (X, X) is a pure equilibrium for "
            "0 < eps <= 1; its me-free equivalent has depth 2, so the self atom hides a level "
            "of depth. "
            if cx
            else "no counterexample. "
        )
        + f"The seed's lemma read literally fails ({l1} counterexample pairs at k = 1, {l2} at "
        "k = 2 within the bound), and read as mutual cooperation (a depth-k agent mutually "
        "cooperating with a depth-k X implies a depth-(k-1) agent that does) fails too: "
        f"{m1} pairs at k = 1 (e.g. {e1}), {m2} at k = 2 (e.g. {e2}); the conjecture does not "
        "rest on it at depth 1. Open: "
        + (
            ""
            if p.all_refuted
            else f"{p.excluded_below} <= eps <= 1 for {p.survivors} classes of pairs; "
        )
        + "depth-1 agents naming agents outside the alphabet; pairs with an agent of depth >= 2 "
        "(its move depends on the sequence of seen sets, a doubly exponential space "
        "modal.behaviours does not enumerate), except as the enumeration covers them."
    )
    return Claim(
        "MC-05",
        "DefectBot is the only pure equilibrium among all modal agents (seed's language)",
        theory,
        second + check,
        agreement and c.outside == 0 and not c.unexploited,
        verdict,
        note,
        rule="disagree if the world-by-world evaluator gives another move on the enumerated "
        "classes, a small formula's candidate behaviour is not a semantic candidate, or a "
        "constructed exploiter fails its re-play; verdict no if another pure equilibrium is "
        "found (enumeration) or certified (semantic search), else open",
    )
