"""Fast round robins: every sentence's truth over worlds 0..63 packed into one ``uint64``.

Bit n of a word is the truth of a sentence "X cooperates with Y" at world n of the linear GL frame.
In this packing ``□φ`` is ``φ ^ (φ + 1)`` (the bits up to and including φ's first false bit) and
``◇φ`` is ``~□~φ``, so an agent's formula is evaluated against many opponents at once with a few
numpy word operations. Each formula is compiled once into a post-order program (no recursion,
so formulas of any depth up to :data:`modal.formula.MAX_FORMULA_SIZE` work).

**Sweeps, and when to stop.** Starting from all-false words, each Jacobi sweep makes one more
world correct: after sweep t the sentences and boxes are right on worlds 0..t−1 (a value at world
n reads only worlds below n). The box values at world n+1 are a function of those at world n
(see :mod:`modal.evaluate`), so as soon as every box of the system has the same value at worlds
t−1 and t−2, nothing changes from world t−2 on: the evaluation stops there, after
``stable_from + 2`` sweeps (the seed's agents settle by world 2, the literature's by world 6),
and the value at world ``stable_from`` is the standard-model truth. :class:`RoundRobin` reports
``stable_from``. If some box still moves at world 63, the pairs are recomputed with the
world-by-world evaluator instead (``slow_fallback``), so the answer is never wrong.

**Rectangular round robins.** :func:`round_robin` plays N candidates against k references
without the (N + k)² square: the references and the agents they (or the candidates) name are
solved once among themselves; then every candidate's formula runs as a register program
vectorised across *all candidates at once* (one numpy operation per program position, not per
candidate), against the references and against a copy of itself (self-play), world by world
until every box is stable; a candidate whose boxes still move at world 63 is handed to the
world-by-world evaluator (and only that one). Candidates that share a formula share their
moves: each distinct formula is evaluated once. The formulas are interned in a store of
distinct subformulas (hash-consing: a formula seen before, as the same object or as an equal
one, costs one lookup), and the programs of new formulas are compiled together, level by level,
with numpy: no per-candidate Python beyond that lookup, so 10⁵ all-distinct candidates against
4 references run at millions of matchups per second (``benchmarks/bench_modal.py``).

The bit-sliced register machine that runs the candidates' programs is the package's private
``modal._bitsliced``; this module checks the input, finds the distinct formulas, solves the
references' system, and hands the candidates still moving at world 63 to the slow evaluator.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter

import numpy as np
from numpy.typing import NDArray

from modal._bitsliced import _candidates_fixed_point
from modal._programs import (
    _ONE,
    WORLDS,
    _closure,
    _Dag,
    _dag,
    _square,
)
from modal.agents import LIBRARY, Agent, environment
from modal.errors import ModalTypeError, UnknownAgentError
from modal.evaluate import Move, outcome

__all__ = ["cooperation_matrix", "round_robin", "RoundRobin", "WORLDS"]


@dataclass(frozen=True)
class RoundRobin:
    """Every candidate against every reference, and against a copy of itself.

    Attributes
    ----------
    candidates, references : tuple of Agent
        The rows and the columns.
    cooperates : ndarray of bool, shape (N, k)
        ``cooperates[i, j]``: candidate i cooperates with reference j.
    cooperated_with : ndarray of bool, shape (N, k)
        ``cooperated_with[i, j]``: reference j cooperates with candidate i.
    self_play : ndarray of bool, shape (N,)
        Does candidate i cooperate with a copy of itself?
    stable_from : int or None
        The first world from which no box of the system changes (the evaluation stopped at world
        ``stable_from + 1``); None if some box still changed at world 63.
    slow_fallback : bool
        True when some box still changed at world 63: the world-by-world evaluator answered
        for the candidates whose matches still changed (and only those, unless the references'
        own system did not settle).

    Examples
    --------
    >>> from modal.agents import SEED_AGENTS, MagicBot
    >>> rr = round_robin([MagicBot], SEED_AGENTS)
    >>> rr.cooperates.astype(int).tolist(), rr.cooperated_with.astype(int).tolist()
    ([[0, 1, 1, 0]], [[0, 1, 1, 0]])
    >>> bool(rr.self_play[0]), rr.stable_from
    (True, 4)
    """

    candidates: tuple[Agent, ...]
    references: tuple[Agent, ...]
    cooperates: NDArray[np.bool_]
    cooperated_with: NDArray[np.bool_]
    self_play: NDArray[np.bool_]
    stable_from: int | None
    slow_fallback: bool

    def __len__(self) -> int:
        return len(self.candidates)


def _by_name(agents: Sequence[Agent], what: str) -> dict[str, Agent]:
    """Name -> agent, refusing anything but agents and repeated names (C-level passes only)."""
    if not all(map(isinstance, agents, repeat(Agent))):
        bad = next(a for a in agents if not isinstance(a, Agent))
        raise ModalTypeError(f"{what}: expected an Agent, got {type(bad).__name__}: {bad!r}")
    names = list(map(attrgetter("name"), agents))
    by_name = dict(zip(names, agents, strict=True))
    if len(by_name) != len(names):
        dup = next(nm for nm, k in Counter(names).items() if k > 1)
        raise ModalTypeError(f"{what}: agent names must be distinct; {dup!r} appears twice")
    return by_name


def round_robin(
    candidates: Sequence[Agent],
    references: Sequence[Agent],
    *,
    env: Mapping[str, Agent] | None = None,
) -> RoundRobin:
    """Play every candidate against every reference (both moves) and against itself.

    Parameters
    ----------
    candidates : sequence of Agent
        The rows: N agents, distinct names (may be large: 10⁵ and more).
    references : sequence of Agent
        The columns: k agents, distinct names.
    env : mapping of str to Agent, optional
        Definitions of agents referred to by name (default: :data:`modal.LIBRARY`).

    Returns
    -------
    RoundRobin
        The moves, self-play, and the world from which the system was stable.

    Raises
    ------
    UnknownAgentError
        If an agent refers to a name with no definition.
    ModalTypeError
        If names repeat. (A reference that names a candidate is fine: that candidate is then
        solved together with the references.)
    """
    candidates = list(candidates)
    references = list(references)
    by_name = _by_name(candidates, "candidates")
    _by_name(references, "references")
    # A candidate's moves are a function of its formula alone (names only label the rows), so
    # each distinct formula is evaluated once and its row copied to the candidates that share it.
    store = _dag()
    roots, first, row = _formula_groups(store, candidates)
    flat, lens = store.programs(roots)
    codes = -1 - flat[:, 1:]  # leaf codes; opp(name) is 4 + the name's index in the store
    named = {store.names[k - 4] for k in np.unique(codes[codes >= 4]).tolist()}
    # The environment is `env` (default LIBRARY) overridden by the references, then by the
    # candidates; a candidate matters to it only if some agent names it, and only those are put
    # in (10^5 candidates need no dictionary of their own). Every candidate's names are checked.
    base = LIBRARY if env is None else env
    mentioned = named.union(*(a.references for a in (*references, *base.values())))
    env = environment([*references, *(by_name[x] for x in sorted(mentioned & by_name.keys()))], env)
    unknown = named - env.keys()
    if unknown:
        culprit = next(a for a in candidates if a.references & unknown)
        raise UnknownAgentError(min(culprit.references & unknown), culprit.name)
    others = _closure([*references, *(env[n] for n in sorted(named))], env)
    oindex = {a.name: j for j, a in enumerate(others)}
    VO, s0 = _square(others)
    n, m = len(candidates), len(others)
    ref_cols = [oindex[r.name] for r in references]
    if s0 is None:
        return _slow(candidates, references, env)
    if n == 0:
        empty = np.zeros((0, len(references)), dtype=bool)
        return RoundRobin((), tuple(references), empty, empty.copy(), np.zeros(0, bool), s0, False)
    X, Y, s, moving = _candidates_fixed_point(store, flat, lens, others, oindex, VO, s0)
    coop, coop_with, self_play = X[:, ref_cols], Y[:, ref_cols], X[:, m]
    if moving is not None:  # these formulas' boxes still change at world 63: the slow path
        redo = np.flatnonzero(moving)
        slow = _slow([candidates[i] for i in first[redo].tolist()], references, env)
        coop[redo], coop_with[redo], self_play[redo] = (
            slow.cooperates,
            slow.cooperated_with,
            slow.self_play,
        )
    return RoundRobin(
        tuple(candidates),
        tuple(references),
        coop[row],
        coop_with[row],
        self_play[row],
        s,
        moving is not None,
    )


def _formula_groups(
    store: _Dag, candidates: Sequence[Agent]
) -> tuple[NDArray[np.int64], NDArray[np.intp], NDArray[np.intp]]:
    """The distinct formulas' nodes in the store (sorted), the first candidate holding each,
    and each candidate's index among them.

    A formula is found by identity, then by structure (its connective and its children's
    nodes), so equal formulas are one group whatever the objects, and unequal formulas with
    colliding hashes are not."""
    nodes = store.nodes(list(map(attrgetter("formula"), candidates)))
    roots, first, row = np.unique(nodes, return_index=True, return_inverse=True)
    return roots, first.astype(np.intp), row.reshape(-1).astype(np.intp)


def _slow(
    candidates: Sequence[Agent], references: Sequence[Agent], env: Mapping[str, Agent]
) -> RoundRobin:
    c = np.array(
        [[outcome(a, r, env)[0] is Move.C for r in references] for a in candidates], dtype=bool
    ).reshape(len(candidates), len(references))
    w = np.array(
        [[outcome(r, a, env)[0] is Move.C for r in references] for a in candidates], dtype=bool
    ).reshape(len(candidates), len(references))
    sp = np.array([outcome(a, a, env)[0] is Move.C for a in candidates], dtype=bool)
    return RoundRobin(tuple(candidates), tuple(references), c, w, sp, None, True)


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

    See Also
    --------
    round_robin : candidates × references, self-play, and the world where evaluation stopped.

    Examples
    --------
    >>> from modal.agents import SEED_AGENTS
    >>> cooperation_matrix(SEED_AGENTS).astype(int)
    array([[0, 0, 0, 0],
           [1, 1, 1, 1],
           [0, 1, 1, 1],
           [0, 0, 1, 1]])
    """
    agents = list(agents)
    _by_name(agents, "agents")
    env = environment(agents, env)
    everyone = _closure(agents, env)
    V, s = _square(everyone)
    n = len(agents)
    if s is None:  # some box still moving at world 63: fall back to the slow evaluator
        return np.array(
            [[outcome(a, b, env)[0] is Move.C for b in agents] for a in agents], dtype=bool
        ).reshape(n, n)
    return ((V[:n, :n] >> np.uint64(s)) & _ONE).astype(bool)
