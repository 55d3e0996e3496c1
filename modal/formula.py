"""Formulas of provability logic (GL) with the modal-combat atom "the opponent cooperates with Y".

Formulas are immutable, hashable trees. Python operators build them: ``~a`` (not), ``a & b``,
``a | b``, ``a >> b`` (implies); :func:`box`, :func:`dia`, :func:`iff` and :func:`opp` do the rest.
``str(f)`` is the text syntax that :func:`modal.parser.parse_formula` reads back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from modal.errors import ModalTypeError

__all__ = [
    "Formula",
    "Top",
    "Bot",
    "Not",
    "And",
    "Or",
    "Implies",
    "Iff",
    "Box",
    "Diamond",
    "Opp",
    "TOP",
    "BOT",
    "box",
    "dia",
    "iff",
    "opp",
    "ME",
    "box_depth",
    "atoms",
    "subformulas",
    "size",
]

#: The name of the agent itself in an agent's formula (its opponent is ``opp``).
ME = "me"


class Formula:
    """Base of all formula nodes; use the operators to combine them."""

    __slots__ = ()

    def __invert__(self) -> Formula:
        return Not(self)

    def __and__(self, other: Formula) -> Formula:
        return And(self, _check(other))

    def __or__(self, other: Formula) -> Formula:
        return Or(self, _check(other))

    def __rshift__(self, other: Formula) -> Formula:
        return Implies(self, _check(other))

    def children(self) -> tuple[Formula, ...]:
        return ()


def _check(f: object) -> Formula:
    if not isinstance(f, Formula):
        raise ModalTypeError(f"expected a Formula, got {type(f).__name__}: {f!r}")
    return f


@dataclass(frozen=True, slots=True)
class Top(Formula):
    """Truth (⊤): CooperateBot's whole code."""

    def __str__(self) -> str:
        return "T"


@dataclass(frozen=True, slots=True)
class Bot(Formula):
    """Falsity (⊥): DefectBot's whole code."""

    def __str__(self) -> str:
        return "F"


@dataclass(frozen=True, slots=True)
class Opp(Formula):
    """The atom "the opponent cooperates with `target`"; target ``"me"`` is the agent itself."""

    target: str = ME

    def __post_init__(self) -> None:
        if not isinstance(self.target, str) or not self.target:
            raise ModalTypeError(f"opp() needs an agent name or 'me', got {self.target!r}")

    def __str__(self) -> str:
        return f"opp({self.target})"


@dataclass(frozen=True, slots=True)
class _Unary(Formula):
    arg: Formula

    def __post_init__(self) -> None:
        _check(self.arg)

    def children(self) -> tuple[Formula, ...]:
        return (self.arg,)

    def __str__(self) -> str:
        return f"{_PREFIX[type(self).__name__]}{self.arg}"


@dataclass(frozen=True, slots=True)
class Not(_Unary):
    """Negation."""


@dataclass(frozen=True, slots=True)
class Box(_Unary):
    """Provability: □φ, "PA proves φ"."""


@dataclass(frozen=True, slots=True)
class Diamond(_Unary):
    """Consistency: ◇φ = ¬□¬φ."""


@dataclass(frozen=True, slots=True)
class _Binary(Formula):
    left: Formula
    right: Formula

    def __post_init__(self) -> None:
        _check(self.left)
        _check(self.right)

    def children(self) -> tuple[Formula, ...]:
        return (self.left, self.right)

    def __str__(self) -> str:
        return f"({self.left} {_SYMBOL[type(self).__name__]} {self.right})"


@dataclass(frozen=True, slots=True)
class And(_Binary):
    """Conjunction."""


@dataclass(frozen=True, slots=True)
class Or(_Binary):
    """Disjunction."""


@dataclass(frozen=True, slots=True)
class Implies(_Binary):
    """Material implication."""


@dataclass(frozen=True, slots=True)
class Iff(_Binary):
    """Biconditional."""


_SYMBOL = {"And": "&", "Or": "|", "Implies": "->", "Iff": "<->"}
_PREFIX = {"Not": "~", "Box": "[]", "Diamond": "<>"}


#: The true formula ⊤.
TOP: Formula = Top()
#: The false formula ⊥.
BOT: Formula = Bot()


def box(f: Formula) -> Formula:
    """□f.

    Examples
    --------
    >>> str(box(opp()))
    '[]opp(me)'
    """
    return Box(_check(f))


def dia(f: Formula) -> Formula:
    """◇f."""
    return Diamond(_check(f))


def iff(a: Formula, b: Formula) -> Formula:
    """a ↔ b."""
    return Iff(_check(a), _check(b))


def opp(target: str = ME) -> Formula:
    """The atom "the opponent cooperates with `target`" (default: with me).

    Examples
    --------
    >>> str(box(opp()) & box(~box(BOT) >> ~opp("DefectBot")))
    '([]opp(me) & [](~[]F -> ~opp(DefectBot)))'
    """
    return Opp(target)


def subformulas(f: Formula) -> Iterator[Formula]:
    """Every subformula, parents before children (with repeats)."""
    stack = [f]
    while stack:
        g = stack.pop()
        yield g
        stack.extend(reversed(g.children()))


def atoms(f: Formula) -> frozenset[str]:
    """Targets of the opponent atoms in `f` (``"me"`` included).

    Examples
    --------
    >>> sorted(atoms(box(opp()) & box(~opp("DefectBot"))))
    ['DefectBot', 'me']
    """
    return frozenset(g.target for g in subformulas(f) if isinstance(g, Opp))


def box_depth(f: Formula) -> int:
    """Maximal nesting of □ and ◇ in `f`.

    Examples
    --------
    >>> box_depth(box(opp()) & box(~box(BOT) >> ~opp("DefectBot")))
    2
    """
    inner = max((box_depth(c) for c in f.children()), default=0)
    return inner + (1 if isinstance(f, Box | Diamond) else 0)


def size(f: Formula) -> int:
    """Number of nodes of `f`."""
    return sum(1 for _ in subformulas(f))
