"""Provability-logic (GL) agents for the open-source prisoner's dilemma ("modal combat").

Agents are formulas of GL in their opponent; their outcomes are provability fixed points,
evaluated on the linear Kripke frame of GL (the penalised game, ε × modal depth, is
``theory.modal_game``).

Examples
--------
>>> from modal import FairBot, PrudentBot, outcome
>>> outcome(FairBot, PrudentBot)
(<Move.C: 'C'>, <Move.C: 'C'>)
"""

from modal.agents import (
    LIBRARY,
    SEED_AGENTS,
    Agent,
    CooperateBot,
    DefectBot,
    FairBot,
    JustBot,
    PrudentBot,
    TrollBot,
    UnfairBot,
    depth,
    environment,
    parse_agent,
    parse_agents,
    wait_fair_bot,
)
from modal.batch import cooperation_matrix
from modal.errors import (
    ModalError,
    ModalSyntaxError,
    ModalTypeError,
    UnboxedRecursionError,
    UnknownAgentError,
)
from modal.evaluate import Explanation, Move, explain, outcome
from modal.formula import BOT, TOP, Formula, box, dia, iff, opp
from modal.outcomes import outcome_matrix
from modal.parser import parse_formula

__all__ = [
    "Agent",
    "BOT",
    "CooperateBot",
    "DefectBot",
    "Explanation",
    "FairBot",
    "Formula",
    "JustBot",
    "LIBRARY",
    "ModalError",
    "ModalSyntaxError",
    "ModalTypeError",
    "Move",
    "PrudentBot",
    "SEED_AGENTS",
    "TOP",
    "TrollBot",
    "UnboxedRecursionError",
    "UnfairBot",
    "UnknownAgentError",
    "box",
    "cooperation_matrix",
    "depth",
    "dia",
    "environment",
    "explain",
    "iff",
    "opp",
    "outcome",
    "outcome_matrix",
    "parse_agent",
    "parse_agents",
    "parse_formula",
    "wait_fair_bot",
]
