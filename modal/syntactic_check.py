"""The brute-force cross-check of the semantic equilibrium searches over small formulas.

:mod:`modal.equilibrium_search` and :mod:`modal.pair_equilibria` decide the pure equilibria
among depth-1 agents by behaviour; this module re-decides them by syntax, playing every depth-1
formula up to a size (the enumeration of :mod:`modal.enumerate`) with the batch evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modal.agents import Agent, CooperateBot, DefectBot, environment
from modal.batch import round_robin
from modal.enumerate import formulas
from modal.equilibrium_search import Depth1Equilibria, truncation
from modal.errors import ModalTypeError
from modal.formula import box_depth
from modal.pair_equilibria import PairEquilibria

__all__ = [
    "SyntacticCheck",
    "MAX_CHECK_SIZE",
    "syntactic_check",
]

#: Largest formula size :func:`syntactic_check` accepts: at 7 nodes 2 011 formulas defect against
#: CooperateBot and DefectBot (their square round robin takes seconds); at 8 about 9 000 (their
#: square round robin needs ~90 GiB).
MAX_CHECK_SIZE = 7


@dataclass(frozen=True)
class SyntacticCheck:
    """The brute-force cross-check of the semantic searches over small formulas.

    Attributes
    ----------
    formulas : int
        Depth-1 formulas searched (atoms ``opp(me)`` and ``opp(N)`` for the named agents).
    candidates : int
        Those that defect against CooperateBot and DefectBot.
    outside : int
        Candidates that cooperate with a copy of themselves but whose behaviour is not among the
        symmetric search's candidates (should be 0).
    by_family : int
        Candidates a member of the fixed family exploits (re-played by the batch evaluator): in
        no equilibrium, whatever the partner.
    pairs : int
        Ordered pairs (X, Y) of the other candidates that cooperate with each other (X = Y
        included).
    by_truncation : int
        Pairs where Y truncated after the pair search's worst T exploits X (re-played).
    unexploited : tuple of tuple of Agent
        Pairs that neither exploits (should be empty).
    """

    formulas: int
    candidates: int
    outside: int
    by_family: int
    pairs: int
    by_truncation: int
    unexploited: tuple[tuple[Agent, Agent], ...]


def syntactic_check(
    result: Depth1Equilibria, pairs: PairEquilibria, max_size: int
) -> SyntacticCheck:
    """Re-decide the searches by brute force over every depth-1 formula of ≤ `max_size` nodes.

    Each formula is played (batch evaluator) against CooperateBot, DefectBot, the family, a copy
    of itself and every other formula that defects against CooperateBot and DefectBot. Every
    self-cooperating candidate's behaviour must be one of ``result.candidates``; a candidate a
    family member exploits is in no equilibrium; for every pair of the others that cooperates
    both ways the partner truncated after ``pairs.worst`` worlds is re-played against it (step
    3 of the argument in :mod:`modal.equilibrium_search`, on actual agents; a truncation later
    than T works as well).

    Raises
    ------
    ModalTypeError
        If `result` allows the self atom (the syntactic grammar has none), or `max_size` is not
        from 1 to :data:`MAX_CHECK_SIZE`.

    Examples
    --------
    >>> from modal.equilibrium_search import depth1_pure_equilibria
    >>> from modal.pair_equilibria import depth1_pair_equilibria
    >>> c = syntactic_check(depth1_pure_equilibria(), depth1_pair_equilibria(), 5)
    >>> c.outside, c.unexploited, c.pairs == c.by_truncation
    (0, (), True)
    """
    if result.self_atom:
        raise ModalTypeError("syntactic_check needs a result without the self atom")
    if not isinstance(max_size, int) or not 1 <= max_size <= MAX_CHECK_SIZE:
        raise ModalTypeError(
            f"max_size must be a whole number from 1 to {MAX_CHECK_SIZE}, got {max_size!r}"
        )
    fam = list(result.exploiters)
    env = environment([*result.named, *fam])
    fs = [
        f
        for f in formulas(1, max_size, ("me", *(a.name for a in result.named)))
        if box_depth(f) == 1
    ]
    agents = [Agent(f"S{i}", f) for i, f in enumerate(fs)]
    rr = round_robin(agents, [CooperateBot, DefectBot, *fam], env=env)
    known = {(b.cooperates, b.cooperated_with) for b in result.candidates}
    cands = [i for i in range(len(agents)) if not rr.cooperates[i, :2].any()]
    outside = sum(
        (tuple(map(bool, rr.cooperates[i])), tuple(map(bool, rr.cooperated_with[i]))) not in known
        for i in cands
        if rr.self_play[i]
    )
    # a family member refutes every pair its victim is in; the others are paired up
    by_family = sum(bool((rr.cooperates[i, 2:] & ~rr.cooperated_with[i, 2:]).any()) for i in cands)
    ca = [agents[i] for i in cands if not (rr.cooperates[i, 2:] & ~rr.cooperated_with[i, 2:]).any()]
    m = round_robin(ca, ca, env=env).cooperates if ca else np.zeros((0, 0), dtype=bool)
    both = [(a, b) for a in range(len(ca)) for b in range(len(ca)) if m[a, b] and m[b, a]]
    zs = [truncation(ca[b], pairs.worst + 1, f"Z{k}") for k, (_, b) in enumerate(both)]
    duel = round_robin(zs, ca, env=env) if zs else None
    unexploited = tuple(
        (ca[a], ca[b])
        for k, (a, b) in enumerate(both)
        if duel is None or duel.cooperates[k, a] or not duel.cooperated_with[k, a]
    )
    return SyntacticCheck(
        len(fs),
        len(cands),
        outside,
        by_family,
        len(both),
        len(both) - len(unexploited),
        unexploited,
    )
