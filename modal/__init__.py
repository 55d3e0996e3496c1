"""Provability-logic (GL) agents for the open-source prisoner's dilemma ("modal combat")."""

from modal.errors import (
    ModalError,
    ModalSyntaxError,
    ModalTypeError,
    UnboxedRecursionError,
    UnknownAgentError,
)

__all__ = [
    "ModalError",
    "ModalSyntaxError",
    "ModalTypeError",
    "UnboxedRecursionError",
    "UnknownAgentError",
]
