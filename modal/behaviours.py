"""Exhaustion by behaviour: every realisable behaviour of every depth-1 agent, by semantics.

The syntactic enumeration (:mod:`modal.enumerate`) lists formulas up to a size and can only
say "no agent up to 8 nodes does X". Here the depth-1 agents are enumerated by what they can
*do*, which is finite, so claims about **all** depth-1 agents are decided completely.

**The argument.** Fix a finite alphabet of atoms: the self atom ``me``, ``opp(me)``, and
``opp(N)`` for the named agents N of a given finite set (each of depth ≤ 1, so that naming them
keeps the agent at depth ≤ 1). In a match "X against Y", at world n of the linear GL frame the
atoms take a value vector v_n ∈ A = {0, 1}^(2+|N|). A depth-1 formula is a Boolean combination
of boxes □φ (◇φ = ¬□¬φ) whose arguments φ are Boolean combinations of atoms, and
□φ holds at world n iff φ(v_m) holds for every m < n. So the formula's value at world n is a
function of the *seen set* H_n = {v_m : m < n} ⊆ A alone: □φ is "H_n avoids φ's false
vectors". Conversely every function g from seen sets to {C, D} is a depth-≤1 agent: with χ_v
the conjunction of literals that describes v, the formula

    ⋁_{H : g(H) = C}  ( ⋀_{v ∈ H} ◇χ_v  ∧  ⋀_{v ∈ A∖H} □¬χ_v )

holds at world n exactly when g(H_n) = C (restricted to the sets that occur, this is the
*witness* formula built below). A letterless GL sentence is equivalent to a Boolean
combination of the □^k⊥ (it is eventually constant on the frame), so the agents X plays are
fixed, eventually constant sequences, and X's moves are determined by g on the finitely many
seen sets that actually arise in its matches.

So the search walks the worlds of all of X's matches at once (against every reference, against
every agent those name, and against a copy of itself): when X's move depends on a seen set
whose value g has not fixed yet, it branches on both values. The state (every seen set, and the
box values of the agents playing X) only grows, so each branch reaches a world where the state
repeats and every move is final (the fixed-point argument of :mod:`modal.evaluate`). Every leaf
is a realisable behaviour (its witness formula realises it, which :func:`depth1_behaviours`
re-checks with the evaluator when asked), and every depth-1 agent over the alphabet follows one
branch, so the list is complete. What stays open is only the alphabet: naming agents outside the
named set can add atom sequences that this set does not produce.

With ``self_atom=False`` the alphabet is the seed's own (``opp(me)`` and ``opp(N)``, no ``me``):
the vectors lose their first component and the same argument applies. ``matching=True`` keeps
only the agents □(me ↔ opp(me)) ∧ φ, and ``settled=True`` records when each behaviour's
self-play stops seeing new vectors; :mod:`modal.equilibrium_search` uses both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from modal._programs import _BOX, _DIA, _closure, _compile, _square
from modal._search import _play, _witness
from modal.agents import Agent, CooperateBot, DefectBot, FairBot, depth, environment
from modal.batch import round_robin
from modal.errors import ModalError, ModalTypeError
from modal.formula import BOT, TOP, Box, Iff, me, opp

__all__ = ["Behaviour", "BehaviourSet", "depth1_behaviours", "CANDIDATE"]

CANDIDATE = "X"
"""The name the searched agent plays under (so no library agent may be called this)."""

_SELF = "<self>"


@dataclass(frozen=True)
class Behaviour:
    """One realisable behaviour of a depth-≤1 agent against the references.

    Attributes
    ----------
    cooperates : tuple of bool
        Does the agent cooperate with each reference?
    cooperated_with : tuple of bool
        Does each reference cooperate with it?
    self_play : bool or None
        Does it cooperate with a copy of itself? (None when self-play was not searched.)
    depth : int
        0 if a constant agent (CooperateBot or DefectBot) has it, else 1.
    witness : Agent
        A depth-`depth` agent with exactly this behaviour (built from the search's branch).
    settled : int or None
        The latest world, over every agent of the search with this behaviour, at which the
        agent saw a new vector in self-play (its self-play seen set grows no more after it);
        None unless the search was asked for it (``settled=True``).
    """

    cooperates: tuple[bool, ...]
    cooperated_with: tuple[bool, ...]
    self_play: bool | None
    depth: int
    witness: Agent
    settled: int | None = None


@dataclass(frozen=True)
class BehaviourSet:
    """The result of :func:`depth1_behaviours`: every behaviour, once.

    Attributes
    ----------
    behaviours : tuple of Behaviour
        One per distinct (moves against the references, moves of the references, self-play).
    references, named : tuple of Agent
        The agents played, and the agents the candidates may name in ``opp(...)``.
    branches : int
        Leaves of the search (partial functions from seen sets to moves).
    verified : bool
        Whether every witness was re-played by :func:`modal.round_robin` and matched.
    """

    behaviours: tuple[Behaviour, ...]
    references: tuple[Agent, ...]
    named: tuple[Agent, ...]
    branches: int
    verified: bool

    def __len__(self) -> int:
        return len(self.behaviours)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.behaviours)

    def agents(self, prefix: str = "B") -> tuple[Agent, ...]:
        """The witnesses as agents with distinct names ``{prefix}00``, ``{prefix}01``, ...

        Examples
        --------
        >>> from modal.agents import SEED_AGENTS
        >>> [a.name for a in depth1_behaviours(SEED_AGENTS, verify=False).agents()[:2]]
        ['B00', 'B01']
        """
        width = len(str(max(len(self.behaviours) - 1, 0))) if len(self.behaviours) > 10 else 2
        width = max(width, 2)
        return tuple(
            Agent(f"{prefix}{i:0{width}d}", b.witness.formula)
            for i, b in enumerate(self.behaviours)
        )

    def without_self_play(self) -> set[tuple[tuple[bool, ...], tuple[bool, ...]]]:
        """The distinct behaviours against the references alone (self-play ignored)."""
        return {(b.cooperates, b.cooperated_with) for b in self.behaviours}


def depth1_behaviours(
    references: Sequence[Agent],
    *,
    named: Sequence[Agent] = (CooperateBot, DefectBot, FairBot),
    env: Mapping[str, Agent] | None = None,
    self_play: bool = True,
    self_atom: bool = True,
    matching: bool = False,
    settled: bool = False,
    verify: bool = True,
    max_branches: int = 2_000_000,
) -> BehaviourSet:
    """Every behaviour of every agent of depth ≤ 1 against `references` (and against itself).

    Parameters
    ----------
    references : sequence of Agent
        The agents played.
    named : sequence of Agent
        The agents a candidate may name in ``opp(...)`` (each of depth ≤ 1).
    self_play : bool
        Also play the candidate against a copy of itself (then it plays every named agent too,
        whose moves its copy reads). Without self-play only the references and the agents they
        name are played, which keeps the search small for a large alphabet; ``self_play`` of
        every result is then None.
    self_atom : bool
        Whether the candidates may use the self atom ``me`` (the literature's extension). Without
        it the alphabet is the seed's own: ``opp(me)`` and ``opp(N)``, and a candidate's move is a
        function of the set of *opponent* vectors seen.
    matching : bool
        Search only the agents that defect whenever a vector with ``me`` ≠ ``opp(me)`` has been
        seen, i.e. the agents □(me ↔ opp(me)) ∧ φ (needs `self_atom`). Such an agent cooperates
        with an opponent only if the opponent did what it did at every lower world, so in the
        limit it is never exploited.
    settled : bool
        Record ``Behaviour.settled`` (needs `self_play`); the search then tells nodes apart
        by world as well, which is slower.
    verify : bool
        Re-play every witness formula with :func:`modal.round_robin` (an independent check).
    max_branches : int
        Stop with an error beyond this many search leaves.

    Raises
    ------
    ModalTypeError
        If a named agent is deeper than 1, or is called ``X``.
    ModalError
        If the search exceeds `max_branches`, or a witness fails its re-play.

    Examples
    --------
    >>> from modal.agents import SEED_AGENTS
    >>> bs = depth1_behaviours(SEED_AGENTS)
    >>> len(bs), len(bs.without_self_play()), bs.verified
    (37, 21, True)
    """
    env = environment([*references, *named], env)
    for a in named:
        if depth(a, env) > 1:
            raise ModalTypeError(f"named agent {a.name!r} has depth {depth(a, env)} > 1")
    if matching and not self_atom:
        raise ModalTypeError("matching=True needs self_atom=True (it constrains the self atom)")
    if settled and not self_play:
        raise ModalTypeError("settled=True needs self_play=True (it is about self-play)")
    if CANDIDATE in env:
        raise ModalTypeError(f"no agent may be called {CANDIDATE!r}: the candidate plays as it")
    names = [a.name for a in named]
    universe = _closure([*references, *named], env)
    index = {a.name: i for i, a in enumerate(universe)}
    VO, s0 = _square(universe)
    if s0 is None:
        raise ModalError("the references do not settle within 64 worlds")
    played = _closure(list(references), env)
    contexts = [a.name for a in (universe if self_play else played)]
    contexts += [_SELF] if self_play else []
    progs = {n: _compile(env[n].formula) for n in contexts if n != _SELF}
    box_ops = {n: [op for op, *_ in p if op in (_BOX, _DIA)] for n, p in progs.items()}

    def bit(y: str, n: str, world: int) -> bool:
        return bool((int(VO[index[y], index[n]]) >> min(world, 63)) & 1)

    def run(
        name: str, xs: Mapping[str, bool], ys: bool, boxes: tuple[bool, ...]
    ) -> tuple[bool, list[bool]]:
        """`name` against X at one world: its move, and its boxes' arguments."""
        return _play(progs[name], ys, xs[name], xs, boxes)

    found: dict[tuple[tuple[bool, ...], tuple[bool, ...], bool | None], tuple[int, dict]] = {}
    latest: dict[tuple[tuple[bool, ...], tuple[bool, ...], bool | None], int] = {}
    start_boxes = {
        n: tuple(op == _BOX for op in box_ops[n]) for n in progs
    }  # world 0: □ true, ◇ false
    empty: frozenset[tuple[bool, ...]] = frozenset()
    # Seen sets only grow (at most 2^(2+|named|) vectors each) and boxes only fall (□) or rise
    # (◇), so after the references settle (s0) the state repeats within this many worlds.
    width = len(names) + (2 if self_atom else 1)
    limit = s0 + len(contexts) * (1 << width) + sum(map(len, box_ops.values())) + 2
    head = 0 if self_atom else 1  # drop the self atom's component of each vector
    # a search node: (world, g, seen sets per context, box states per agent, the last world
    # at which the self-play seen set grew)
    Node = tuple[
        int,
        dict[frozenset[tuple[bool, ...]], bool],
        dict[str, frozenset[tuple[bool, ...]]],
        dict[str, tuple[bool, ...]],
        int,
    ]
    stack: list[Node] = [(0, {}, {c: empty for c in contexts}, start_boxes, 0)]
    branches = 0
    visited: set[object] = set()
    while stack:
        world, g, seen, boxes, grew = stack.pop()
        # Seen sets only grow, so g matters from here on only on supersets of a current seen
        # set: two nodes that agree on that (and on the state) have the same leaves.
        live = {H: v for H, v in g.items() if any(H >= seen[c] for c in contexts)}
        key_node = (
            (world, grew) if settled else min(world, s0),
            tuple(seen[c] for c in contexts),
            tuple(boxes[y] for y in progs),
            frozenset(live.items()),
        )
        if key_node in visited:
            continue
        visited.add(key_node)
        new = sorted({seen[c] for c in contexts if seen[c] not in g}, key=sorted)
        if new:
            # a matching agent defects once a vector with me != opp(me) has been seen
            free = [H for H in new if not (matching and any(v[0] != v[1] for v in H))]
            forced = {H: False for H in new if H not in free}
            for choice in range(1 << len(free)):
                g2 = {**g, **forced}
                for i, H in enumerate(free):
                    g2[H] = bool(choice >> i & 1)
                stack.append((world, g2, seen, boxes, grew))
            continue
        xs = {c: g[seen[c]] for c in contexts}
        moves_y: dict[str, bool] = {}
        args: dict[str, list[bool]] = {}
        for y in progs:
            moves_y[y], _ = run(y, xs, False, boxes[y])
        for y in progs:
            _, args[y] = run(y, xs, moves_y[y], boxes[y])
        seen2 = {}
        for c in contexts:
            if c == _SELF:
                v = (xs[c], xs[c], *(xs[n] for n in names))
            else:
                v = (xs[c], moves_y[c], *(bit(c, n, world) for n in names))
            seen2[c] = seen[c] | {v[head:]}
        boxes2 = {
            y: tuple(
                (s and x) if op == _BOX else (s or x)
                for op, s, x in zip(box_ops[y], boxes[y], args[y], strict=True)
            )
            for y in progs
        }
        if self_play and seen2[_SELF] != seen[_SELF]:
            grew = world
        if world >= s0 and seen2 == seen and boxes2 == boxes:
            branches += 1
            if branches > max_branches:
                raise ModalError(f"more than {max_branches} search branches")
            key = (
                tuple(xs[r.name] for r in references),
                tuple(moves_y[r.name] for r in references),
                xs[_SELF] if self_play else None,
            )
            if key not in found:
                found[key] = (1, g)
            latest[key] = max(latest.get(key, 0), grew)
            continue
        if world > limit:  # pragma: no cover - impossible: the state is monotone
            raise ModalError("the behaviour search did not settle")
        stack.append((world + 1, g, seen2, boxes2, grew))

    # the two depth-0 agents: the constant functions (their behaviours are found above too)
    const = round_robin([Agent(f"{CANDIDATE}C", TOP), Agent(f"{CANDIDATE}D", BOT)], references)
    for i, move in enumerate((True, False)):
        key = (
            tuple(bool(x) for x in const.cooperates[i]),
            tuple(bool(x) for x in const.cooperated_with[i]),
            bool(const.self_play[i]) if self_play else None,
        )
        if matching and move:
            continue  # CooperateBot is not matching (it cooperates whatever it has seen)
        found[key] = (0, {empty: move})
        latest.setdefault(key, 0)  # a constant agent's self-play sees one vector, at world 0
    behaviours = []
    for k, (_, g) in sorted(found.items(), key=lambda kv: str(kv[0])):
        f, dd = _witness(g, names, self_atom)
        if matching and f != BOT:  # keep the witness matching (g is D off matching sets anyway)
            f, dd = Box(Iff(me(), opp())) & f if f != TOP else Box(Iff(me(), opp())), 1
        done = latest[k] if settled else None
        behaviours.append(Behaviour(*k, dd, Agent(CANDIDATE, f), done))
    verified = False
    if verify and behaviours:
        _verify(behaviours, references, env)
        verified = True
    return BehaviourSet(tuple(behaviours), tuple(references), tuple(named), branches, verified)


def _verify(
    behaviours: Sequence[Behaviour], references: Sequence[Agent], env: Mapping[str, Agent]
) -> None:
    """Re-play every witness with the batch evaluator; any mismatch is an error."""
    cands = [Agent(f"{CANDIDATE}{i}", b.witness.formula) for i, b in enumerate(behaviours)]
    rr = round_robin(cands, references, env=env)
    for i, b in enumerate(behaviours):
        sp = bool(rr.self_play[i]) if b.self_play is not None else None
        got = (
            tuple(bool(x) for x in rr.cooperates[i]),
            tuple(bool(x) for x in rr.cooperated_with[i]),
            sp,
        )
        if got != (b.cooperates, b.cooperated_with, b.self_play):
            raise ModalError(f"witness {b.witness.formula} does not realise its behaviour")
        if depth(cands[i], {**env, cands[i].name: cands[i]}) != b.depth:
            raise ModalError(f"witness {b.witness.formula} has the wrong depth")
