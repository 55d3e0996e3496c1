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
    AlmostMagicBot,
    CooperateBot,
    DefectBot,
    FairBot,
    IndignationBot,
    JustBot,
    MagicBot,
    NiceBot,
    PrudentBot,
    ReverseFairBot,
    SimpleMagicBot,
    TrollBot,
    UnfairBot,
    WaitBot,
    WaitBot2,
    depth,
    environment,
    parse_agent,
    parse_agents,
    wait_fair_bot,
)
from modal.batch import RoundRobin, cooperation_matrix, round_robin
from modal.errors import (
    FormulaTooLargeError,
    ModalError,
    ModalSyntaxError,
    ModalTypeError,
    UnboxedRecursionError,
    UnknownAgentError,
)
from modal.evaluate import Explanation, Move, explain, outcome
from modal.formula import BOT, MAX_FORMULA_SIZE, TOP, Formula, box, dia, iff, incon, me, opp
from modal.outcomes import outcome_matrix
from modal.parser import parse_formula

__all__ = [
    "Agent",
    "AlmostMagicBot",
    "FormulaTooLargeError",
    "IndignationBot",
    "MAX_FORMULA_SIZE",
    "MagicBot",
    "NiceBot",
    "ReverseFairBot",
    "RoundRobin",
    "SimpleMagicBot",
    "WaitBot",
    "WaitBot2",
    "incon",
    "me",
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
    "round_robin",
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
