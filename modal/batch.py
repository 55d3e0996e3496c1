"""Fast round robins: every sentence's truth over worlds 0..63 packed into one ``uint64``.

Bit n of ``V[x, y]`` is the truth of "agent x cooperates with agent y" at world n of the linear
GL frame. In this packing ``□φ`` is ``φ ^ (φ + 1)`` (the bits up to and including φ's first false
bit) and ◇φ is ``~□~φ``, so an agent's formula is evaluated against all opponents at once with
a few numpy word operations. Starting from ``V = 0``, each sweep makes one more world correct
(the value at world n reads only worlds below n), so the sweeps reach the unique fixed point in
at most 64 steps, usually far fewer; a fixed point is exact on all 64 worlds.

The outcome is the value at world 63, which is the standard-model truth when every box has
stopped changing by then (see :mod:`modal.evaluate` for the argument). That is checked: if any
box still differs between worlds 62 and 63, the whole round robin is recomputed with the slow
evaluator instead, so the answer is never wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from modal.agents import Agent, environment
from modal.errors import ModalTypeError
from modal.evaluate import Move, outcome
from modal.formula import (
    ME,
    And,
    Bot,
    Box,
    Diamond,
    Formula,
    Iff,
    Implies,
    Not,
    Opp,
    Or,
    Top,
)

__all__ = ["cooperation_matrix", "WORLDS"]

#: Kripke worlds evaluated per batch: one bit each in a 64-bit word.
WORLDS = 64
_ONE = np.uint64(1)
_ALL = np.uint64(0xFFFF_FFFF_FFFF_FFFF)
_BIT62 = np.uint64(1 << 62)
_BIT63 = np.uint64(1 << 63)


def _closure(agents: Sequence[Agent], env: Mapping[str, Agent]) -> list[Agent]:
    order = {a.name: a for a in agents}
    stack = list(agents)
    while stack:
        a = stack.pop()
        for ref in a.references:
            if ref not in order:
                order[ref] = env[ref]
                stack.append(env[ref])
    return list(order.values())


def _evaluate(
    f: Formula, me: int, V: NDArray[np.uint64], index: Mapping[str, int], unstable: list[bool]
) -> NDArray[np.uint64] | np.uint64:
    """Bits of `f` for agent `me` against every opponent (vector over opponents)."""
    if isinstance(f, Top):
        return _ALL
    if isinstance(f, Bot):
        return np.uint64(0)
    if isinstance(f, Opp):
        raise AssertionError("atoms are read through their box")  # pragma: no cover
    if isinstance(f, Box | Diamond):
        inner = _inner(f.arg, me, V, index, unstable)
        if isinstance(f, Diamond):
            inner = ~inner
        out = inner ^ (inner + _ONE)
        if isinstance(f, Diamond):
            out = ~out
        if np.any((out & _BIT62).astype(bool) != (out & _BIT63).astype(bool)):
            unstable[0] = True
        return out
    return _combine(f, lambda g: _evaluate(g, me, V, index, unstable))


def _inner(
    f: Formula, me: int, V: NDArray[np.uint64], index: Mapping[str, int], unstable: list[bool]
) -> NDArray[np.uint64] | np.uint64:
    """Like :func:`_evaluate` but where atoms may occur (inside a box)."""
    if isinstance(f, Opp):
        return V[:, me] if f.target == ME else V[:, index[f.target]]
    if isinstance(f, Box | Diamond):
        return _evaluate(f, me, V, index, unstable)
    if isinstance(f, Top | Bot):
        return _evaluate(f, me, V, index, unstable)
    return _combine(f, lambda g: _inner(g, me, V, index, unstable))


def _combine(f: Formula, ev):  # type: ignore[no-untyped-def]
    if isinstance(f, Not):
        return ~ev(f.arg)
    if isinstance(f, And):
        return ev(f.left) & ev(f.right)
    if isinstance(f, Or):
        return ev(f.left) | ev(f.right)
    if isinstance(f, Implies):
        return ~ev(f.left) | ev(f.right)
    if isinstance(f, Iff):
        return ~(ev(f.left) ^ ev(f.right))
    raise ModalTypeError(f"not a formula node: {f!r}")  # pragma: no cover


def _sweep(
    everyone: Sequence[Agent], V: NDArray[np.uint64], index: Mapping[str, int], unstable: list[bool]
) -> NDArray[np.uint64]:
    """Jacobi sweeps from V to the fixed point (each sweep fixes one more world)."""
    for _ in range(WORLDS + 1):
        unstable[0] = False
        new = np.empty_like(V)
        for i, a in enumerate(everyone):
            new[i, :] = _evaluate(a.formula, i, V, index, unstable)
        if np.array_equal(new, V):
            break
        V = new
    return V


def cooperation_matrix(
    agents: Sequence[Agent], env: Mapping[str, Agent] | None = None
) -> NDArray[np.bool_]:
    """``M[i, j]``: does ``agents[i]`` cooperate with ``agents[j]``? All pairs at once.

    Parameters
    ----------
    agents : sequence of Agent
        The players (names must be distinct).
    env : mapping of str to Agent, optional
        Definitions of agents referred to by name (default: :data:`modal.LIBRARY`).

    Examples
    --------
    >>> from modal.agents import SEED_AGENTS
    >>> cooperation_matrix(SEED_AGENTS).astype(int)
    array([[0, 0, 0, 0],
           [1, 1, 1, 1],
           [0, 1, 1, 1],
           [0, 0, 1, 1]])
    """
    names = [a.name for a in agents]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise ModalTypeError(f"agent names must be distinct; {dup!r} appears twice")
    env = environment(agents, env)
    everyone = _closure(list(agents), env)
    index = {a.name: i for i, a in enumerate(everyone)}
    m = len(everyone)
    V = np.zeros((m, m), dtype=np.uint64)
    unstable = [False]
    with np.errstate(over="ignore"):  # x + 1 wraps for all-ones words, as the □ trick needs
        V = _sweep(everyone, V, index, unstable)
    n = len(agents)
    if unstable[0]:  # some box still moving at world 63: fall back to the slow evaluator
        return np.array(
            [[outcome(a, b, env)[0] is Move.C for b in agents] for a in agents], dtype=bool
        ).reshape(n, n)
    return ((V[:n, :n] & _BIT63) != 0).astype(bool)
