"""Checks of the seed's claims about *all* modal agents, by exhaustion up to stated bounds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from modal.agents import LIBRARY, Agent, CooperateBot, DefectBot, FairBot
from modal.batch import cooperation_matrix
from modal.behaviours import BehaviourSet
from modal.enumerate import Enumeration
from modal.errors import ModalTypeError
from modal.evaluate import Move, outcome

__all__ = [
    "FairExploiters",
    "fair_exploiters",
    "fair_exploiter_behaviours",
    "cooperation_lemma_counterexamples",
    "slow_cooperation_matrix",
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


def cooperation_lemma_counterexamples(enum: Enumeration, k: int) -> list[tuple[Agent, Agent]]:
    """Pairs (A, X) of enumerated depth-k agents where A cooperates with X but X cooperates with
    no enumerated agent of depth k − 1 (the seed's lemma, read literally, says there are none;
    a CooperateBot that pays for one box, ``[]T``, cooperating with a DefectBot that pays for
    one box, ``[]F``, already is one).

    Examples
    --------
    >>> from modal.enumerate import enumerate_agents
    >>> pairs = cooperation_lemma_counterexamples(enumerate_agents(1, 3), 1)
    >>> [(a.name, x.name) for a, x in pairs][0]
    ('[]T', '[]F')
    """
    agents = list(enum.agents)
    if DefectBot.name not in {a.name for a in agents}:
        agents += [a for a in (CooperateBot, DefectBot) if a not in agents]
    depths = [enum.depths[i] if i < len(enum.depths) else 0 for i in range(len(agents))]
    m = cooperation_matrix(agents, {**LIBRARY})
    lower = [i for i, d in enumerate(depths) if d == k - 1]
    level = [i for i, d in enumerate(depths) if d == k]
    return [
        (agents[a], agents[x])
        for a in level
        for x in level
        if m[a, x] and not any(m[x, j] for j in lower)
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
