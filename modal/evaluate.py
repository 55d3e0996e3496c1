"""Outcomes of modal combat: the provability fixed point, evaluated on the linear GL frame.

For agents A and B we build the finite system of sentences ``X cooperates with Y`` reachable from
``A vs B`` and ``B vs A``: in X's formula played against Y the atom ``opp(Z)`` is the sentence
``Y cooperates with Z`` (with Z = X for ``opp(me)``), and the self atom ``me`` is the sentence
``X cooperates with Y`` itself. Every atom stands under a box, so the truth
of every sentence at world n of the linear Kripke frame 0 < 1 < 2 < ... depends only on worlds
below n: the worlds are evaluated one by one. ``□φ`` holds at n iff φ holds at every m < n.

**The bound.** Let B be the number of distinct pairs (boxed subformula, context) in the system.
Each such box is true at world 0 and, once false, stays false, and the box values at world n+1
are a function of those at world n; so they stop changing after at most B steps, and from the
first world n with box values equal to those of world n-1 every sentence is constant. The
evaluation therefore stops after at most B + 2 worlds, and the constant value is the sentence's
truth in the standard model of arithmetic (the GL fixed-point theorem with Solovay's
arithmetical soundness, as in Barasz et al. 2014, "Robust cooperation in the prisoner's dilemma").
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from modal.agents import Agent, environment
from modal.formula import (
    ME,
    And,
    Bot,
    Box,
    Diamond,
    Formula,
    Iff,
    Implies,
    Me,
    Not,
    Opp,
    Or,
    Top,
    atoms,
)

__all__ = ["Move", "Sentence", "Explanation", "outcome", "explain", "sentence_system"]


class Move(Enum):
    """A move of the prisoner's dilemma."""

    C = "C"
    D = "D"

    def __str__(self) -> str:
        return self.value


Sentence = tuple[str, str]
"""``(X, Y)``: the sentence "X cooperates with Y"."""


def sentence_system(a: Agent, b: Agent, env: Mapping[str, Agent]) -> list[Sentence]:
    """The sentences reachable from ``a vs b`` and ``b vs a``, in discovery order."""
    order: list[Sentence] = []
    seen: set[Sentence] = set()
    queue: deque[Sentence] = deque([(a.name, b.name), (b.name, a.name)])
    targets: dict[str, list[str]] = {}
    while queue:
        s = queue.popleft()
        if s in seen:
            continue
        seen.add(s)
        order.append(s)
        x, y = s
        if x not in targets:
            targets[x] = sorted(atoms(env[x].formula))
        for t in targets[x]:
            queue.append((y, x if t == ME else t))
    return order


@dataclass(frozen=True)
class Explanation:
    """The world-by-world table of a match.

    Attributes
    ----------
    sentences : tuple of (str, str)
        The system's sentences ``(X, Y)`` = "X cooperates with Y".
    worlds : tuple of tuple of Move
        ``worlds[n][i]``: the move of sentence i's X against its Y at world n.
    stable_from : int
        The first world from which nothing changes; its row is the outcome.
    box_count : int
        The number B of (boxed subformula, context) pairs: the bound is B + 2 worlds.
    """

    sentences: tuple[Sentence, ...]
    worlds: tuple[tuple[Move, ...], ...]
    stable_from: int
    box_count: int

    def table(self) -> str:
        """The table as text, one row per world.

        Examples
        --------
        >>> from modal.agents import FairBot, PrudentBot
        >>> print(explain(FairBot, PrudentBot).table())
        world | FairBot>PrudentBot | PrudentBot>FairBot | FairBot>DefectBot | DefectBot>FairBot
        0     | C                  | C                  | C                 | D
        1     | C                  | C                  | D                 | D
        2     | C                  | C                  | D                 | D
        stable from world 1
        """
        heads = ["world"] + [f"{x}>{y}" for x, y in self.sentences]
        widths = [len(h) for h in heads]
        lines = [" | ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip()]
        for n, row in enumerate(self.worlds):
            cells = [str(n)] + [str(m) for m in row]
            lines.append(
                " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
            )
        lines.append(f"stable from world {self.stable_from}")
        return "\n".join(lines)


@lru_cache(maxsize=1 << 12)
def _postorder(f: Formula) -> tuple[Formula, ...]:
    """Distinct nodes of `f`, children before parents, not descending below boxes (iterative;
    cached: the world-by-world loop asks for the same few formulas at every world)."""
    order: list[Formula] = []
    seen: set[int] = set()
    stack: list[tuple[Formula, bool]] = [(f, False)]
    while stack:
        g, expanded = stack.pop()
        if id(g) in seen:
            continue
        if expanded or isinstance(g, Box | Diamond) or not g.children():
            seen.add(id(g))
            order.append(g)
        else:
            stack.append((g, True))
            stack.extend((k, False) for k in g.children())
    return tuple(order)


def _eval(
    f: Formula,
    ctx: Sentence,
    atoms: Mapping[Sentence, bool],
    boxes: Mapping[tuple[Formula, Sentence], bool],
) -> bool:
    """Truth of `f` in context ``ctx = (X, Y)`` at one world, given that world's sentence values
    (for atoms) and box values. Post-order over an explicit list: the slow, obviously-correct
    evaluator, without recursion."""
    x, y = ctx
    val: dict[int, bool] = {}
    order = _postorder(f)  # perhaps of an equal formula's objects: its root is the last
    for g in order:
        if isinstance(g, Top):
            v = True
        elif isinstance(g, Bot):
            v = False
        elif isinstance(g, Opp):
            v = atoms[(y, x if g.target == ME else g.target)]
        elif isinstance(g, Me):
            v = atoms[ctx]
        elif isinstance(g, Box | Diamond):
            v = boxes[(g, ctx)]
        elif isinstance(g, Not):
            v = not val[id(g.arg)]
        elif isinstance(g, And):
            v = val[id(g.left)] and val[id(g.right)]
        elif isinstance(g, Or):
            v = val[id(g.left)] or val[id(g.right)]
        elif isinstance(g, Implies):
            v = (not val[id(g.left)]) or val[id(g.right)]
        elif isinstance(g, Iff):
            v = val[id(g.left)] == val[id(g.right)]
        else:  # pragma: no cover - Formula is closed
            raise TypeError(f"not a formula node: {g!r}")
        val[id(g)] = v
    return val[id(order[-1])]


def _modal_nodes(f: Formula) -> list[Formula]:
    """Distinct boxes and diamonds of `f`, inner before outer (iterative)."""
    order: list[Formula] = []
    seen: set[Formula] = set()
    done: set[int] = set()
    stack: list[tuple[Formula, bool]] = [(f, False)]
    while stack:
        g, expanded = stack.pop()
        if id(g) in done:
            continue
        if expanded or not g.children():
            done.add(id(g))
            if isinstance(g, Box | Diamond) and g not in seen:
                seen.add(g)
                order.append(g)
        else:
            stack.append((g, True))
            stack.extend((k, False) for k in g.children())
    return order


def explain(a: Agent, b: Agent, env: Mapping[str, Agent] | None = None) -> Explanation:
    """Evaluate ``a`` vs ``b`` world by world until stable, keeping every world's values.

    Parameters
    ----------
    a, b : Agent
        The two players.
    env : mapping of str to Agent, optional
        Definitions of the agents they refer to by name (default: :data:`modal.LIBRARY`).

    Raises
    ------
    UnknownAgentError
        If an agent refers to a name with no definition.
    """
    env = environment([a, b], env)
    sentences = sentence_system(a, b, env)
    nodes_of: dict[str, list[Formula]] = {}
    for x, _ in sentences:
        if x not in nodes_of:
            nodes_of[x] = _modal_nodes(env[x].formula)
    modal_nodes = [(g, (x, y)) for x, y in sentences for g in nodes_of[x]]
    # children before parents, so nested boxes read the previous world's values
    boxes: dict[tuple[Formula, Sentence], bool] = {}
    prev_atoms: dict[Sentence, bool] = {}
    prev_boxes: dict[tuple[Formula, Sentence], bool] = {}
    worlds: list[tuple[Move, ...]] = []
    n = 0
    while True:
        if n == 0:
            boxes = {k: isinstance(k[0], Box) for k in modal_nodes}  # □ vacuous, ◇ false
        else:
            boxes = {}
            for g, ctx in modal_nodes:
                inner = _eval(g.arg, ctx, prev_atoms, prev_boxes)  # type: ignore[attr-defined]
                if isinstance(g, Box):
                    boxes[(g, ctx)] = prev_boxes[(g, ctx)] and inner
                else:
                    boxes[(g, ctx)] = prev_boxes[(g, ctx)] or inner
        values = {s: _eval(env[s[0]].formula, s, {}, boxes) for s in sentences}
        worlds.append(tuple(Move.C if values[s] else Move.D for s in sentences))
        if n > 0 and boxes == prev_boxes:
            return Explanation(tuple(sentences), tuple(worlds), n - 1, len(modal_nodes))
        prev_atoms, prev_boxes = values, boxes
        n += 1


def outcome(a: Agent, b: Agent, env: Mapping[str, Agent] | None = None) -> tuple[Move, Move]:
    """The moves of ``a`` and ``b`` when they play each other.

    Examples
    --------
    >>> from modal.agents import CooperateBot, DefectBot, FairBot, PrudentBot
    >>> outcome(FairBot, PrudentBot)
    (<Move.C: 'C'>, <Move.C: 'C'>)
    >>> outcome(PrudentBot, CooperateBot)
    (<Move.D: 'D'>, <Move.C: 'C'>)
    """
    ex = explain(a, b, env)
    last = ex.worlds[-1]
    return last[0], last[ex.sentences.index((b.name, a.name))]
