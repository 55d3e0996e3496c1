"""Errors raised by :mod:`modal`: each is also a builtin, so generic handlers still catch it."""

from __future__ import annotations

__all__ = [
    "ModalError",
    "ModalSyntaxError",
    "UnknownAgentError",
    "UnboxedRecursionError",
    "ModalTypeError",
    "FormulaTooLargeError",
]


class ModalError(ValueError):
    """Root of modal's errors."""


class ModalTypeError(ModalError, TypeError):
    """An argument of the wrong type (e.g. a non-formula where a formula is needed)."""


class ModalSyntaxError(ModalError):
    """A text formula that does not parse; `column` is where (1-based)."""

    def __init__(self, message: str, text: str, column: int) -> None:
        pointer = " " * (column - 1) + "^"
        super().__init__(f"{message} at column {column}\n  {text}\n  {pointer}")
        self.text = text
        self.column = column


class UnknownAgentError(ModalError, KeyError):
    """A formula names an agent that resolves to no definition."""

    def __init__(self, name: str, where: str | None = None) -> None:
        loc = f" (in {where})" if where else ""
        super().__init__(f"unknown agent {name!r}{loc}")
        self.name = name

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class UnboxedRecursionError(ModalError):
    """An opponent atom or the self atom not under a box: the fixed point would be ill-defined."""

    def __init__(self, agent: str, atom: str) -> None:
        super().__init__(
            f"agent {agent!r} uses {atom} outside any box []: every recursion must pass under a box"
        )
        self.agent = agent
        self.atom = atom


class FormulaTooLargeError(ModalError):
    """A formula with more nodes than :data:`modal.formula.MAX_FORMULA_SIZE`."""

    def __init__(self, nodes: int, limit: int) -> None:
        super().__init__(
            f"formula has {nodes} nodes, more than the limit of {limit} (MAX_FORMULA_SIZE)"
        )
        self.nodes = nodes
        self.limit = limit
