"""MC-05 (seed 001): is (DefectBot, DefectBot) the only pure equilibrium among all modal agents?

Compute → judge → render for the row built by :mod:`numpol.experiments.modal_combat`: the
syntactic enumeration's pure equilibria (computed there), the semantic search over every depth-1
agent (:mod:`modal.equilibrium_search`, with and without the self atom), its brute-force
cross-check, and both readings of the seed's lemma. The verdict is the seed's language's (agents
are formulas in the opponent run on agents, no self atom); the self-atom result is reported
beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from modal.agents import Agent
from modal.equilibrium_search import (
    Depth1Equilibria,
    SyntacticCheck,
    depth1_pure_equilibria,
    pair_settle_bound,
    syntactic_check,
)
from numpol.registry import Claim, SeedHolds

__all__ = ["PureEquilibriumEvidence", "pure_equilibrium_evidence", "mc05_verdict", "mc05_claim"]

#: Size bound of the brute-force cross-check (depth-1 formulas of at most this many nodes:
#: 6 642 formulas, about a second).
CHECK_SIZE = 7


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
        The semantic search over every depth-1 agent, without and with the self atom.
    check : SyntacticCheck
        The brute-force re-decision over small formulas.
    pair_bound : int
        T of :func:`modal.equilibrium_search.pair_settle_bound` (asymmetric pairs).
    lemma : tuple of (int, int, str)
        For k = 1 and 2: counterexamples to the literal lemma, to the mutual reading, and an
        example of the latter.
    """

    only_defect: bool
    enumeration: str
    seed_language: Depth1Equilibria
    self_atom: Depth1Equilibria
    check: SyntacticCheck
    pair_bound: int
    lemma: tuple[tuple[int, int, str], ...]


def pure_equilibrium_evidence(
    only_defect: bool,
    enumeration: str,
    lemma: tuple[tuple[int, int, str], ...],
) -> PureEquilibriumEvidence:
    """Run the semantic searches and the cross-check (about 3 s) around the enumeration's result.

    Examples
    --------
    >>> ev = pure_equilibrium_evidence(True, "test", ())
    >>> ev.seed_language.excluded_below, ev.self_atom.counterexample is not None
    (Fraction(1, 3), True)
    """
    seed = depth1_pure_equilibria()
    return PureEquilibriumEvidence(
        only_defect,
        enumeration,
        seed,
        depth1_pure_equilibria(self_atom=True),
        syntactic_check(seed, CHECK_SIZE),
        pair_settle_bound(seed.named),
        lemma,
    )


def mc05_verdict(only_defect: bool, search: Depth1Equilibria) -> SeedHolds:
    """ "no" if the enumeration finds another pure equilibrium or the search a certified one;
    else "open" (no proof covers agents of depth ≥ 2, nor every ε).

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
    enumeration; this adds the semantic search and its brute-force cross-check."""
    s, m, c = ev.seed_language, ev.self_atom, ev.check
    cx: Agent | None = m.counterexample
    exploited = sum(z is not None for z in s.exploited_by)
    worst = max((t for z, t in zip(s.exploited_by, s.settled, strict=True) if z is None), default=0)
    sym = (
        f"every depth-1 agent X by behaviour (alphabet opp(me), opp(N) for N in "
        f"{', '.join(a.name for a in s.named)}; {s.behaviours} behaviours against CooperateBot, "
        f"DefectBot, the exploiters {', '.join(z.name for z in s.exploiters)} and a copy): "
        f"(X, X) needs X to defect against CooperateBot and DefectBot and cooperate with itself; "
        f"{len(s)} behaviours do, {exploited} are exploited by a depth-1 exploiter (every eps), "
        f"the other {len(s.survivors)} by X truncated after its self-play settles "
        f"(T = {worst}, depth T + 1): symmetric pairs refuted for "
        f"{_eps(s.excluded_below)}; asymmetric pairs (X, Y) of depth <= 1 by Y truncated, "
        f"for 0 < eps < 1/{ev.pair_bound}. With the self atom: "
        + (f"(X, X) is a pure equilibrium for 0 < eps <= 1, X = {cx.formula}" if cx else "none")
    )
    check = (
        f"; brute force over the {c.formulas} depth-1 formulas of <= {CHECK_SIZE} nodes: "
        f"{c.candidates} candidates, {c.outside} outside the semantic ones, {c.by_family} "
        f"exploited by the family and {c.by_truncation} by their truncation (re-played), "
        f"{len(c.unexploited)} unexploited"
    )
    (l1, m1, e1), (l2, m2, e2) = ev.lemma if len(ev.lemma) == 2 else ((0, 0, ""), (0, 0, ""))
    verdict = mc05_verdict(ev.only_defect, s)
    note = (
        "Seed's language (opponent atoms only): "
        + ("OTHER pure equilibria found. " if verdict == "no" else "no other pure equilibrium ")
        + f"up to the enumeration's bound, and for every pair of depth-<=1 agents over the "
        f"alphabet when {_eps(s.excluded_below)} (symmetric) or 0 < eps < 1/{ev.pair_bound} "
        "(any pair); eps > 1 needs nothing (2 - eps < 1). The quantifier over deviations Z is "
        "finite because X's move against Z is a function of the set of vectors Z shows it: a "
        "fixed exploiter family decides whole behaviour classes, and for the rest Y "
        "truncated after world T shows X the same set and then defects (modal.equilibrium_"
        "search). With the self atom (MIRI's extension, depth = box depth) the conjecture is "
        "FALSE: "
        + (
            f"X = {cx.formula} cooperates only with opponents that matched its moves at every "
            "lower world, so nobody exploits it; its me-free equivalent has depth 2, so the self "
            "atom hides a level of depth. "
            if cx
            else "no counterexample. "
        )
        + f"The seed's lemma read literally fails ({l1} counterexample pairs at k = 1, {l2} at "
        f"k = 2 within the bound), and read as mutual cooperation (a depth-k agent mutually "
        f"cooperating with a depth-k X implies a depth-(k-1) one that does) fails too: {m1} "
        f"pairs at k = 1 (e.g. {e1}), {m2} at k = 2 (e.g. {e2}). Open: eps >= 1/T where a "
        "depth-2...T exploiter might not exist; depth-1 agents naming agents outside the "
        "alphabet; agents of depth >= 2 (their move depends on the sequence of seen sets, a "
        "doubly exponential space modal.behaviours does not enumerate)."
    )
    return Claim(
        "MC-05",
        "DefectBot is the only pure equilibrium among all modal agents (seed's language)",
        f"pure equilibria of the game on all classes ({ev.enumeration}); {sym}",
        second + check,
        agreement and c.outside == 0 and not c.unexploited,
        verdict,
        note,
        rule="disagree if the world-by-world evaluator gives another move on the enumerated "
        "classes, a small formula's candidate behaviour is not a semantic candidate, or a "
        "constructed exploiter fails its re-play; verdict no if another pure equilibrium is "
        "found (enumeration) or certified (semantic search), else open",
    )
