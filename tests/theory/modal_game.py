"""The seed's four-agent game (DefectBot, CooperateBot, FairBot, PrudentBot), shared by tests."""

import sympy

from modal import SEED_AGENTS, payoff_matrix

EPS = sympy.Symbol("epsilon", positive=True)
D, C, F, P = range(4)


def modal_game(eps=EPS):
    """The penalised payoff matrix at `eps` (a symbol or a rational like "1/10")."""
    return payoff_matrix(SEED_AGENTS, eps)


def seed_equilibria(e):
    """The seed's three symmetric equilibria at rational e, as (x, payoff)."""
    return [
        ((1, 0, 0, 0), 1),
        ((1 - e, 0, e, 0), 1),
        ((0, e, 1 - 3 * e / 2, e / 2), 2 - e),
    ]
