"""The seed's four-agent game (DefectBot, CooperateBot, FairBot, PrudentBot), shared by tests.

A shorthand over :func:`theory.modal_game.modal_game` for the seed's four agents (default: the
symbolic ε), with the seed's equilibria to compare against.
"""

import sympy

from modal import SEED_AGENTS
from theory.modal_game import modal_game as _modal_game

EPS = sympy.Symbol("epsilon", positive=True)
D, C, F, P = range(4)


def modal_game(eps=EPS):
    """The penalised payoff matrix at `eps` (a symbol or a rational like "1/10")."""
    return _modal_game(SEED_AGENTS, eps)


def seed_equilibria(e):
    """The seed's three symmetric equilibria at rational e, as (x, payoff)."""
    return [
        ((1, 0, 0, 0), 1),
        ((1 - e, 0, e, 0), 1),
        ((0, e, 1 - 3 * e / 2, e / 2), 2 - e),
    ]
