"""Formulas of provability logic (GL) with the two modal-combat atoms.

The atoms are the two kinds of sentence a modal agent may reason about:

* ``opp(Y)`` -- "my opponent cooperates with Y" (Y a named agent, or ``me``: the agent itself);
* ``me`` -- the *self atom*, "I cooperate with my opponent" (the variable ``a`` of MIRI's modal
  combat code, machine-intelligence/provability, ``src/Modal/Agents.hs``, where ``b`` is our
  ``opp(me)``).

Both must stand under a box in an agent's formula (see :class:`modal.agents.Agent`): a sentence
"X cooperates with Y" may refer to itself, or to its opponent's view of it, only through
provability, which is what makes the system of sentences a well-defined GL fixed point.
The self atom adds no depth of its own: the seed's depth counts boxes and the agents run on,
and ``me`` runs no new agent, so ``□me`` has depth 1 like ``□opp(me)``.

Formulas are immutable, hashable trees. Python operators build them: ``~a`` (not), ``a & b``,
``a | b``, ``a >> b`` (implies); :func:`box`, :func:`dia`, :func:`iff`, :func:`opp`, :func:`me`
and :func:`incon` do the rest. ``str(f)`` is the text syntax that
:func:`modal.parser.parse_formula` reads back.

Every walk over a formula here and in the evaluators is iterative (an explicit stack), so deep
formulas (500 nested boxes, 600 conjuncts) work; each node caches its hash, size and box depth at
construction, so equality, hashing and the size check cost nothing extra. A formula may have at
most :data:`MAX_FORMULA_SIZE` nodes (counted as a tree, shared subformulas counted each time).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from modal.errors import FormulaTooLargeError, ModalTypeError

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
    "Me",
    "TOP",
    "BOT",
    "ME",
    "MAX_FORMULA_SIZE",
    "box",
    "dia",
    "iff",
    "opp",
    "me",
    "incon",
    "box_depth",
    "atoms",
    "subformulas",
    "size",
]

#: The name of the agent itself in an agent's formula (its opponent is ``opp``).
ME = "me"
"""The target of ``opp(me)``: the agent itself."""

MAX_FORMULA_SIZE = 200_000
"""Largest formula (tree nodes) accepted. Every walk is linear in the size; at this bound
``str``, parsing and evaluation of one formula take a fraction of a second, and a shared
subformula (``f & f`` doubled 40 times) cannot make a walk run for hours."""


_NO_ATOMS: frozenset[str] = frozenset()


def _check(f: object) -> Formula:
    if not isinstance(f, Formula):
        raise ModalTypeError(f"expected a Formula, got {type(f).__name__}: {f!r}")
    return f


class Formula:
    """Base of all formula nodes; use the operators to combine them."""

    __slots__ = ("_hash", "_size", "_depth", "_atoms")
    _hash: int
    _size: int
    _depth: int
    _atoms: frozenset[str]

    def _finish(self, key: tuple[Any, ...], kids: tuple[Formula, ...], modal: bool) -> None:
        s = 1 + sum(k._size for k in kids)
        if s > MAX_FORMULA_SIZE:
            raise FormulaTooLargeError(s, MAX_FORMULA_SIZE)
        object.__setattr__(self, "_size", s)
        d = max((k._depth for k in kids), default=0) + (1 if modal else 0)
        object.__setattr__(self, "_depth", d)
        if isinstance(self, Opp):
            found: frozenset[str] = frozenset(key)
        elif len(kids) == 1 or (len(kids) == 2 and not kids[1]._atoms):
            found = kids[0]._atoms
        elif len(kids) == 2:
            found = kids[0]._atoms | kids[1]._atoms if kids[0]._atoms else kids[1]._atoms
        else:
            found = _NO_ATOMS
        object.__setattr__(self, "_atoms", found)
        object.__setattr__(
            self, "_hash", hash((type(self).__name__, key, *(k._hash for k in kids)))
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"formulas are immutable; cannot set {name!r}")

    def __invert__(self) -> Formula:
        return Not(self)

    def __and__(self, other: Formula) -> Formula:
        return And(self, _check(other))

    def __or__(self, other: Formula) -> Formula:
        return Or(self, _check(other))

    def __rshift__(self, other: Formula) -> Formula:
        return Implies(self, _check(other))

    def children(self) -> tuple[Formula, ...]:
        """The immediate subformulas."""
        return ()

    def _key(self) -> tuple[Any, ...]:
        return ()

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self._key() + self.children())

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Formula):
            return NotImplemented
        stack: list[tuple[Formula, Formula]] = [(self, other)]
        while stack:
            a, b = stack.pop()
            if a is b:
                continue
            if (
                type(a) is not type(b)
                or a._hash != b._hash
                or a._size != b._size
                or a._key() != b._key()
            ):
                return False
            stack.extend(zip(a.children(), b.children(), strict=True))
        return True

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __str__(self) -> str:
        return _render(self, _text)

    def __repr__(self) -> str:
        return _render(self, _repr)


class Top(Formula):
    """Truth (⊤): CooperateBot's whole code."""

    __slots__ = ()

    def __init__(self) -> None:
        self._finish((), (), False)


class Bot(Formula):
    """Falsity (⊥): DefectBot's whole code."""

    __slots__ = ()

    def __init__(self) -> None:
        self._finish((), (), False)


class Opp(Formula):
    """The atom "the opponent cooperates with `target`"; target ``"me"`` is the agent itself."""

    __slots__ = ("target",)
    target: str

    def __init__(self, target: str = ME) -> None:
        if not isinstance(target, str) or not target:
            raise ModalTypeError(f"opp() needs an agent name or 'me', got {target!r}")
        object.__setattr__(self, "target", target)
        self._finish((target,), (), False)

    def _key(self) -> tuple[Any, ...]:
        return (self.target,)


class Me(Formula):
    """The self atom "I cooperate with my opponent" (MIRI's ``a``; must stand under a box)."""

    __slots__ = ()

    def __init__(self) -> None:
        self._finish((), (), False)


class _Unary(Formula):
    __slots__ = ("arg",)
    arg: Formula

    def __init__(self, arg: Formula) -> None:
        object.__setattr__(self, "arg", _check(arg))
        self._finish((), (arg,), isinstance(self, Box | Diamond))

    def children(self) -> tuple[Formula, ...]:
        return (self.arg,)


class Not(_Unary):
    """Negation."""

    __slots__ = ()


class Box(_Unary):
    """Provability: □φ, "PA proves φ"."""

    __slots__ = ()


class Diamond(_Unary):
    """Consistency: ◇φ = ¬□¬φ."""

    __slots__ = ()


class _Binary(Formula):
    __slots__ = ("left", "right")
    left: Formula
    right: Formula

    def __init__(self, left: Formula, right: Formula) -> None:
        object.__setattr__(self, "left", _check(left))
        object.__setattr__(self, "right", _check(right))
        self._finish((), (left, right), False)

    def children(self) -> tuple[Formula, ...]:
        return (self.left, self.right)


class And(_Binary):
    """Conjunction."""

    __slots__ = ()


class Or(_Binary):
    """Disjunction."""

    __slots__ = ()


class Implies(_Binary):
    """Material implication."""

    __slots__ = ()


class Iff(_Binary):
    """Biconditional."""

    __slots__ = ()


_SYMBOL: dict[type[Formula], str] = {And: "&", Or: "|", Implies: "->", Iff: "<->"}
_PREFIX: dict[type[Formula], str] = {Not: "~", Box: "[]", Diamond: "<>"}
_LEAF_TEXT: dict[type[Formula], str] = {Top: "T", Bot: "F", Me: "me"}


def _text(f: Formula, kids: list[str]) -> str:
    t = type(f)
    if t in _LEAF_TEXT:
        return _LEAF_TEXT[t]
    if isinstance(f, Opp):
        return f"opp({f.target})"
    if isinstance(f, _Unary):
        return _PREFIX[t] + kids[0]
    return f"({kids[0]} {_SYMBOL[t]} {kids[1]})"


def _repr(f: Formula, kids: list[str]) -> str:
    if isinstance(f, Opp):
        return f"Opp(target={f.target!r})"
    if isinstance(f, _Unary):
        return f"{type(f).__name__}(arg={kids[0]})"
    if isinstance(f, _Binary):
        return f"{type(f).__name__}(left={kids[0]}, right={kids[1]})"
    return f"{type(f).__name__}()"


def _render(f: Formula, node: Any) -> str:
    """Post-order rendering with an explicit stack (no recursion)."""
    done: dict[int, str] = {}
    stack: list[tuple[Formula, bool]] = [(f, False)]
    while stack:
        g, expanded = stack.pop()
        if id(g) in done:
            continue
        kids = g.children()
        if expanded or not kids:
            done[id(g)] = node(g, [done[id(k)] for k in kids])
        else:
            stack.append((g, True))
            stack.extend((k, False) for k in reversed(kids))
    return done[id(f)]


#: The true formula ⊤.
TOP: Formula = Top()
#: The false formula ⊥.
BOT: Formula = Bot()


def incon(k: int) -> Formula:
    """□^k⊥: "PA + k−1 consistency statements is inconsistent" (⊥ for k = 0).

    Examples
    --------
    >>> str(incon(2))
    '[][]F'
    """
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise ModalTypeError(f"incon needs a whole number k >= 0, got {k!r}")
    f: Formula = BOT
    for _ in range(k):
        f = Box(f)
    return f


def box(f: Formula, k: int = 0) -> Formula:
    """□f, or for ``k > 0`` MIRI's ``[k]f`` = □(¬□^k⊥ → f): "PA + Con^k(PA) proves f".

    Examples
    --------
    >>> str(box(opp()))
    '[]opp(me)'
    >>> str(box(opp(), 1))
    '[](~[]F -> opp(me))'
    """
    f = _check(f)
    if k == 0:
        return Box(f)
    return Box(Implies(Not(incon(k)), f))


def dia(f: Formula, k: int = 0) -> Formula:
    """◇f, or for ``k > 0`` ``<k>f`` = ¬[k]¬f = ◇(¬□^k⊥ ∧ f)."""
    f = _check(f)
    if k == 0:
        return Diamond(f)
    return Diamond(And(Not(incon(k)), f))


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


def me() -> Formula:
    """The self atom "I cooperate with my opponent"; text ``me``.

    Examples
    --------
    >>> str(box(box(me()) >> opp(), 1))  # MagicBot
    '[](~[]F -> ([]me -> opp(me)))'
    """
    return _ME


_ME: Formula = Me()


def subformulas(f: Formula) -> Iterator[Formula]:
    """Every subformula, parents before children (with repeats)."""
    stack = [f]
    while stack:
        g = stack.pop()
        yield g
        stack.extend(reversed(g.children()))


def atoms(f: Formula) -> frozenset[str]:
    """Targets of the opponent atoms in `f` (``"me"`` included; the self atom is not one).

    Examples
    --------
    >>> sorted(atoms(box(opp()) & box(~opp("DefectBot"))))
    ['DefectBot', 'me']
    """
    return _check(f)._atoms


def box_depth(f: Formula) -> int:
    """Maximal nesting of □ and ◇ in `f`.

    Examples
    --------
    >>> box_depth(box(opp()) & box(~box(BOT) >> ~opp("DefectBot")))
    2
    """
    return _check(f)._depth


def size(f: Formula) -> int:
    """Number of nodes of `f` (as a tree)."""
    return _check(f)._size
