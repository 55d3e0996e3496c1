"""Exhaustive enumeration of modal agents up to a depth and a formula size, modulo behaviour.

Used to check claims about "every modal agent of depth k" by exhaustion, up to a stated bound.
The grammar: an agent's formula is a Boolean combination (¬, ∧, ∨) of ⊤, ⊥ and boxes; inside a
box stand Boolean combinations of the opponent atoms and of boxes one level shallower. The atoms
are ``opp(me)`` and ``opp(R)`` for the named agents R given (of depth below the bound, so that
the agent's depth stays within it). Commutative duplicates and double negations are skipped; the
rest are grouped by behaviour: the moves of the agent against each reference agent and of each
reference agent against it, its move against a copy of itself (self-play decides population
payoffs), together with the agent's depth. For *all* depth-1 agents, by semantics rather than
size, see :mod:`modal.behaviours`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from modal.agents import LIBRARY, Agent, CooperateBot, DefectBot, FairBot, depth, environment
from modal.batch import round_robin
from modal.errors import ModalError, ModalTypeError
from modal.formula import BOT, TOP, And, Box, Formula, Not, Opp, Or, box_depth
from modal.parser import parse_formula

__all__ = ["Enumeration", "formulas", "enumerate_agents"]


def _pairs(a: list[Formula], b: list[Formula], same: bool) -> Iterator[tuple[Formula, Formula]]:
    for x in a:
        for y in b:
            if same and str(x) >= str(y):
                continue  # commutative: keep one order, no x & x
            yield x, y


def formulas(max_depth: int, max_size: int, targets: Sequence[str] = ("me",)) -> list[Formula]:
    """Every fully modalised formula of box depth ≤ `max_depth` and at most `max_size` nodes.

    Examples
    --------
    >>> [str(f) for f in formulas(1, 2)]
    ['T', 'F', '~T', '~F', '[]T', '[]F', '[]opp(me)']
    """

    @cache
    def grow(d: int, inner: bool, s: int) -> tuple[Formula, ...]:
        """Formulas of exactly s nodes, box depth ≤ d; atoms allowed iff `inner`."""
        out: list[Formula] = []
        if s == 1:
            out += [TOP, BOT]
            if inner:
                out += [Opp(t) for t in targets]
            return tuple(out)
        for f in grow(d, inner, s - 1):
            if not isinstance(f, Not):
                out.append(Not(f))
        if d > 0:
            out += [Box(f) for f in grow(d - 1, True, s - 1)]
        for left in range(1, s - 1):
            right = s - 1 - left
            if left > right:
                continue
            a, b = list(grow(d, inner, left)), list(grow(d, inner, right))
            for x, y in _pairs(a, b, left == right):
                out += [And(x, y), Or(x, y)]
        return tuple(out)

    return [f for s in range(1, max_size + 1) for f in grow(max_depth, False, s)]


@dataclass(frozen=True)
class Enumeration:
    """The result of :func:`enumerate_agents`.

    Attributes
    ----------
    agents : tuple of Agent
        One representative (the smallest formula) per class of behaviour and depth.
    depths : tuple of int
        Their depths.
    searched : int
        How many formulas were generated and evaluated.
    references : tuple of Agent
        The agents behaviour was measured against.
    """

    agents: tuple[Agent, ...]
    depths: tuple[int, ...]
    searched: int
    references: tuple[Agent, ...]


def enumerate_agents(
    max_depth: int,
    max_size: int,
    *,
    references: Sequence[Agent] | None = None,
    named: Sequence[Agent] = (CooperateBot, DefectBot, FairBot),
    env: Mapping[str, Agent] | None = None,
    chunk: int = 20_000,
) -> Enumeration:
    """All agents up to `max_depth` and `max_size`, one per class of behaviour and depth.

    Parameters
    ----------
    max_depth, max_size : int
        Bounds on the seed's depth and on the formula's node count.
    references : sequence of Agent, optional
        The agents behaviour is measured against (default: every agent of :data:`LIBRARY`).
    named : sequence of Agent
        Agents that may appear in ``opp(...)`` atoms; those deeper than `max_depth` are dropped.
    chunk : int
        Agents evaluated per batch.

    Examples
    --------
    >>> e = enumerate_agents(1, 3)
    >>> sorted({a.name for a in e.agents} & {"T", "F", "[]opp(me)"})
    ['F', 'T', '[]opp(me)']
    """
    if max_depth < 0 or max_size < 1:
        raise ModalTypeError(f"need max_depth >= 0 and max_size >= 1, got {max_depth}, {max_size}")
    env = environment((), env)
    refs = list(LIBRARY.values() if references is None else references)
    named_depth = {a.name: depth(a, env) for a in named}
    ok_named = [a for a in named if named_depth[a.name] <= max_depth]
    targets = ("me", *(a.name for a in ok_named))
    full_env = {**env, **{a.name: a for a in refs}}
    # A candidate is named by its formula's text, which is rendered only for the chosen ones;
    # a formula whose text is the name of an agent in scope is left out (it would shadow it).
    shadowed = set()
    for name in full_env:
        try:
            f = parse_formula(name)
        except ModalError:
            continue
        if str(f) == name:
            shadowed.add(f)
    fs = [f for f in formulas(max_depth, max_size, targets) if f not in shadowed]
    # evaluated under placeholder names no agent in scope has
    prefix = "#"
    while any(n.startswith(prefix) for n in full_env):
        prefix += "#"
    candidates = [Agent(f"{prefix}{i}", f) for i, f in enumerate(fs)]
    best: dict[tuple[bytes, int], int] = {}
    for start in range(0, len(candidates), chunk):
        block = candidates[start : start + chunk]
        rr = round_robin(block, refs, env=full_env)
        moves = np.concatenate([rr.cooperates, rr.cooperated_with, rr.self_play[:, None]], axis=1)
        for k, a in enumerate(block):
            # the seed's depth: box depth, or the depth of a named agent run on (computed once)
            d = max([box_depth(a.formula), *(named_depth[r] for r in a.references)])
            key = (moves[k].tobytes(), d)
            if key not in best:
                best[key] = start + k
    chosen = [Agent(str(fs[i]), fs[i]) for i in best.values()]
    return Enumeration(
        tuple(chosen), tuple(depth(a, full_env) for a in chosen), len(candidates), tuple(refs)
    )
