"""Who cooperates with whom: the outcome table of a set of modal agents.

Pure logic; the payoffs (the seed's PD minus ε × depth) are ``theory.modal_game``'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from modal.agents import Agent
from modal.batch import cooperation_matrix
from modal.evaluate import Move

__all__ = ["outcome_matrix"]


def outcome_matrix(
    agents: Sequence[Agent], env: Mapping[str, Agent] | None = None
) -> tuple[tuple[tuple[Move, Move], ...], ...]:
    """``M[i][j]`` = (move of agent i, move of agent j) when they meet.

    Examples
    --------
    >>> from modal.agents import SEED_AGENTS
    >>> [" ".join(a.value + b.value for a, b in row) for row in outcome_matrix(SEED_AGENTS)]
    ['DD DC DD DD', 'CD CC CC CD', 'DD CC CC CC', 'DD DC CC CC']
    """
    coop = cooperation_matrix(agents, env)
    n = len(agents)

    def mv(b: bool) -> Move:
        return Move.C if b else Move.D

    return tuple(tuple((mv(coop[i, j]), mv(coop[j, i])) for j in range(n)) for i in range(n))
