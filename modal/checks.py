"""Checks of the seed's claims about *all* modal agents, by exhaustion up to stated bounds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from modal.agents import LIBRARY, Agent, CooperateBot, DefectBot, FairBot
from modal.batch import cooperation_matrix
from modal.behaviours import Behaviour, BehaviourSet, depth1_behaviours
from modal.enumerate import Enumeration
from modal.errors import ModalTypeError
from modal.evaluate import Move, outcome

__all__ = [
    "FairExploiters",
    "fair_exploiters",
    "fair_exploiter_behaviours",
    "cooperation_lemma_counterexamples",
    "slow_cooperation_matrix",
    "SymmetricCandidates",
    "symmetric_candidates",
]


def slow_cooperation_matrix(
    agents: Sequence[Agent], env: Mapping[str, Agent] | None = None
) -> np.ndarray:
    """:func:`modal.cooperation_matrix` recomputed pair by pair with the world-by-world evaluator.

    The independent check of the fast evaluator.

    Examples
    --------
    >>> from modal.agents import SEED_AGENTS
    >>> slow_cooperation_matrix(SEED_AGENTS).astype(int).tolist()
    [[0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 1, 1], [0, 0, 1, 1]]
    """
    return np.array(
        [[outcome(a, b, env)[0] is Move.C for b in agents] for a in agents], dtype=bool
    ).reshape(len(agents), len(agents))


@dataclass(frozen=True)
class FairExploiters:
    """Depth-1 agents that defect against CooperateBot and cooperate with FairBot.

    ``one_sided`` cooperate with FairBot while FairBot defects against them (they are exploited);
    ``mutual`` also get FairBot's cooperation: the seed proves there are none.
    """

    one_sided: tuple[Agent, ...]
    mutual: tuple[Agent, ...]


def fair_exploiters(enum: Enumeration) -> FairExploiters:
    """Among the enumerated depth-1 agents, those that cooperate with FairBot and defect
    against CooperateBot (the seed's depth-1 claim).

    Examples
    --------
    >>> from modal.enumerate import enumerate_agents
    >>> fair_exploiters(enumerate_agents(1, 5)).mutual
    ()
    """
    agents = [a for a, d in zip(enum.agents, enum.depths, strict=True) if d == 1]
    m = cooperation_matrix([*agents, FairBot, CooperateBot], {**LIBRARY})
    n = len(agents)
    one: list[Agent] = []
    mutual: list[Agent] = []
    for k, a in enumerate(agents):
        if m[k, n] and not m[k, n + 1]:
            (mutual if m[n, k] else one).append(a)
    return FairExploiters(tuple(one), tuple(mutual))


def cooperation_lemma_counterexamples(
    enum: Enumeration, k: int, *, mutual: bool = False
) -> list[tuple[Agent, Agent]]:
    """Pairs (A, X) of enumerated depth-k agents where A cooperates with X but X cooperates with
    no enumerated agent of depth k − 1 (the seed's lemma, read literally, says there are none;
    a CooperateBot that pays for one box, ``[]T``, cooperating with a DefectBot that pays for
    one box, ``[]F``, already is one).

    With ``mutual=True``, the stronger reading that the seed's argument needs (issue 19): A and
    X cooperate with each other, and no enumerated depth-(k − 1) agent does so with X.

    Examples
    --------
    >>> from modal.enumerate import enumerate_agents
    >>> pairs = cooperation_lemma_counterexamples(enumerate_agents(1, 3), 1)
    >>> [(a.name, x.name) for a, x in pairs][0]
    ('[]T', '[]F')
    >>> pairs = cooperation_lemma_counterexamples(enumerate_agents(1, 3), 1, mutual=True)
    >>> [(a.name, x.name) for a, x in pairs][0]
    ('~[]F', '~[]opp(me)')
    """
    agents = list(enum.agents)
    if DefectBot.name not in {a.name for a in agents}:
        agents += [a for a in (CooperateBot, DefectBot) if a not in agents]
    depths = [enum.depths[i] if i < len(enum.depths) else 0 for i in range(len(agents))]
    m = cooperation_matrix(agents, {**LIBRARY})
    lower = [i for i, d in enumerate(depths) if d == k - 1]
    level = [i for i, d in enumerate(depths) if d == k]
    # the mutual reading asks both ways, for the pair and for the lower-depth agent
    both = m & m.T if mutual else m
    return [
        (agents[a], agents[x])
        for a in level
        for x in level
        if both[a, x] and not any(both[x, j] for j in lower)
    ]


def fair_exploiter_behaviours(behaviours: BehaviourSet) -> FairExploiters:
    """The seed's depth-1 claim decided over *every* depth-1 behaviour (see
    :mod:`modal.behaviours`): the behaviours that defect against CooperateBot and cooperate with
    FairBot, one-sided or mutual, each given by its witness agent.

    Raises
    ------
    ModalTypeError
        If CooperateBot or FairBot is not among the references.

    Examples
    --------
    >>> from modal.agents import SEED_AGENTS
    >>> from modal.behaviours import depth1_behaviours
    >>> fx = fair_exploiter_behaviours(depth1_behaviours(SEED_AGENTS, self_play=False))
    >>> len(fx.mutual), len(fx.one_sided)
    (0, 4)
    """
    names = [a.name for a in behaviours.references]
    for needed in (CooperateBot.name, FairBot.name):
        if needed not in names:
            raise ModalTypeError(f"references must include {needed}; got {names}")
    cb, fb = names.index(CooperateBot.name), names.index(FairBot.name)
    one: list[Agent] = []
    mutual: list[Agent] = []
    for b in behaviours:
        if b.cooperates[fb] and not b.cooperates[cb]:
            (mutual if b.cooperated_with[fb] else one).append(b.witness)
    return FairExploiters(tuple(one), tuple(mutual))


@dataclass(frozen=True)
class SymmetricCandidates:
    """Depth-1 behaviours that could make a symmetric pure equilibrium (X, X) other than
    DefectBot's, and whether each witness is exploited (see :func:`symmetric_candidates`).

    Attributes
    ----------
    candidates : tuple of Behaviour
        Every depth-1 behaviour that defects against CooperateBot and DefectBot and cooperates
        with a copy of itself.
    exploiters : tuple of (Behaviour or None)
        For each candidate's witness W, a depth-1 behaviour that defects against W while W
        cooperates with it (None: no depth-1 agent over the alphabet exploits W).
    named : tuple of Agent
        The alphabet (agents a depth-1 formula may name).
    behaviours : int
        Depth-1 behaviours against CooperateBot, DefectBot and a copy, all searched.
    """

    candidates: tuple[Behaviour, ...]
    exploiters: tuple[Behaviour | None, ...]
    named: tuple[Agent, ...]
    behaviours: int

    @property
    def all_exploited(self) -> bool:
        """Every candidate's witness is exploited by some depth-1 agent."""
        return all(e is not None for e in self.exploiters)


def symmetric_candidates(
    named: Sequence[Agent] = (CooperateBot, DefectBot, FairBot),
) -> SymmetricCandidates:
    """The depth-1 agents X for which (X, X) might be a pure equilibrium of the penalised game.

    For ε > 0, (X, X) with X of depth 1 pays 2 − ε at best (mutual cooperation). DefectBot
    (depth 0) earns 3 against X if X cooperates with it and CooperateBot earns 2 if X
    cooperates with it, both more than 2 − ε; so X must defect against both, and cooperate with
    itself. The semantic search (:func:`modal.behaviours.depth1_behaviours`, complete over the
    alphabet) lists every such behaviour; then, for each one's witness W, a second search over
    every depth-1 agent Z against W looks for an exploiter (Z defects, W cooperates: Z earns
    3 − ε > 2 − ε). An exploited witness is not an equilibrium strategy; other agents with the
    same behaviour against CooperateBot, DefectBot and themselves may react differently to Z,
    which this does not decide (that needs a search over pairs of unknown agents).

    Examples
    --------
    >>> sc = symmetric_candidates()
    >>> len(sc.candidates), sc.all_exploited
    (1, True)
    """
    refs = [CooperateBot, DefectBot]
    beh = depth1_behaviours(refs, named=named, self_play=True)
    cands = tuple(b for b in beh if b.depth == 1 and b.self_play and not any(b.cooperates))
    exploiters: list[Behaviour | None] = []
    for i, b in enumerate(cands):
        w = Agent(f"W{i}", b.witness.formula)
        found = depth1_behaviours([w], named=named, self_play=False)
        hit = [z for z in found if not z.cooperates[0] and z.cooperated_with[0]]
        exploiters.append(hit[0] if hit else None)
    return SymmetricCandidates(cands, tuple(exploiters), tuple(named), len(beh))
