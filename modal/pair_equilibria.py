"""Pure equilibria (X, Y) among *pairs* of depth-1 agents (no self atom): the joint search.

Step 2 of the argument in :mod:`modal.equilibrium_search`, for two different agents: the
behaviours of X and of its partner Y against each other, CooperateBot, DefectBot, a family F of
exploiters and the named agents are enumerated at once, each leaf a class of pairs that behave
alike in every one of these matches. A member of F that exploits X or Y at a leaf refutes the
whole class; a class that F leaves is refuted by a truncated partner (step 3 there) when
ε < 1/T, or closed by refining F with an exploiter that the complete search of
:mod:`modal.behaviours` finds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from modal._programs import _BOX, _DIA, _closure, _compile, _square
from modal._search import _play, _witness
from modal.agents import Agent, CooperateBot, DefectBot, FairBot, depth, environment
from modal.batch import round_robin
from modal.behaviours import depth1_behaviours
from modal.equilibrium_search import EXPLOITERS, truncation
from modal.errors import ModalError, ModalTypeError
from modal.evaluate import Move, outcome
from modal.formula import Formula

__all__ = [
    "VERIFY_EVERY",
    "PairEquilibria",
    "depth1_pair_equilibria",
]

#: One in this many classes of pairs that the family exploits has its witnesses re-played by the
#: batch and world-by-world evaluators (every surviving class is re-played).
VERIFY_EVERY = 64


@dataclass(frozen=True)
class PairEquilibria:
    """Pure equilibria (X, Y) among pairs of depth-1 agents without the self atom, decided by a
    search over both agents' behaviours at once (see :func:`depth1_pair_equilibria`).

    Attributes
    ----------
    named, exploiters : tuple of Agent
        The alphabet's named agents, and the family F (the given one and those the refinement
        added).
    branches : int
        Leaves of the joint search: pairs of partial functions (g_X, g_Y), each fixed on every
        seen set that arises in the matches of X and Y against each other, CooperateBot,
        DefectBot, F and the named agents (both defect against CooperateBot and DefectBot).
    mutual : int
        Leaves where X and Y cooperate with each other (the only candidate outcomes).
    by_family : int
        Of those, the leaves where a member of F exploits X or Y (every ε).
    survivors : int
        The others: refuted by a truncated partner when ε < 1/T.
    worst : int
        The largest T = min(T_X, T_Y) over the survivors, T_X being the last world at which Y
        shows X a new vector (0 when there are none).
    example : tuple of Agent
        A survivor's witnesses (X, Y), if any.
    """

    named: tuple[Agent, ...]
    exploiters: tuple[Agent, ...]
    branches: int
    mutual: int
    by_family: int
    survivors: int
    worst: int
    example: tuple[Agent, ...]

    @property
    def all_refuted(self) -> bool:
        """Every candidate pair is exploited by a depth-1 member of the family: no pair of
        depth-≤1 agents but (DefectBot, DefectBot) is a pure equilibrium, at any ε > 0."""
        return self.survivors == 0

    @property
    def excluded_below(self) -> Fraction:
        """Every pair of depth-1 agents (no self atom) but (DefectBot, DefectBot) is refuted for
        0 < ε < this bound (1 when :attr:`all_refuted`: then at every ε > 0).

        Examples
        --------
        >>> PairEquilibria((), (), 0, 0, 0, 0, 0, ()).excluded_below
        Fraction(1, 1)
        """
        return Fraction(1) if self.worst == 0 else Fraction(1, self.worst)


def depth1_pair_equilibria(
    *,
    named: Sequence[Agent] = (CooperateBot, DefectBot, FairBot),
    exploiters: Sequence[Agent] = EXPLOITERS,
    rounds: int = 2,
    max_branches: int = 2_000_000,
) -> PairEquilibria:
    """Decide the pairs (X, Y) of depth-1 agents (no self atom) that could be pure equilibria.

    The search of :mod:`modal.behaviours` run on two unknown agents at once: at every world
    each of X and Y plays a function of the set of vectors it has seen in each of its matches
    (against the other, CooperateBot, DefectBot, the exploiters and the named agents), and the
    search branches on that function's value for every new seen set of either agent. Both must
    defect against CooperateBot and DefectBot (step 1 of the argument in
    :mod:`modal.equilibrium_search`), which fixes their value on the sets {C…C} and {D…D}. At
    each leaf the pair's outcome, the family's exploitations and the worlds T_X, T_Y of step 3
    are read off.

    **Refinement.** While some leaves survive the family, a witness pair of each is built, every
    depth-1 agent (no self atom) that exploits one of them is found by the complete search of
    :func:`modal.behaviours.depth1_behaviours`, the one exploiting most witnesses joins the
    family, and the pair search runs again (at most `rounds` times). A joining exploiter is
    only a guess from one witness; the next search decides whether it exploits the whole class.

    Raises
    ------
    ModalTypeError
        If an exploiter is deeper than 1, or `rounds` is negative.
    ModalError
        If the search exceeds `max_branches` leaves, or a survivor's truncated partner fails to
        exploit it (step 3 would be wrong).

    Examples
    --------
    >>> r = depth1_pair_equilibria(named=(CooperateBot, DefectBot))
    >>> r.mutual > 0, r.survivors, r.excluded_below
    (True, 0, Fraction(1, 1))
    """
    if not isinstance(rounds, int) or isinstance(rounds, bool) or rounds < 0:
        raise ModalTypeError(f"rounds must be a whole number >= 0, got {rounds!r}")
    env = environment([*named, *exploiters])
    for z in exploiters:
        if depth(z, env) > 1:
            raise ModalTypeError(f"exploiter {z.name!r} has depth {depth(z, env)} > 1")
    family = list(exploiters)
    for done in range(rounds + 1):
        result, found = _pair_search(named, family, max_branches)
        if not found or done == rounds:
            break
        tally: dict[Formula, int] = {}
        for x, y in _survivor_pairs(found, named):
            for w in (x, y):
                zs = depth1_behaviours(
                    [w], named=named, self_play=False, self_atom=False, verify=False
                )
                for b in zs:
                    if not b.cooperates[0] and b.cooperated_with[0]:
                        tally[b.witness.formula] = tally.get(b.witness.formula, 0) + 1
        if not tally:
            break
        best = min(tally, key=lambda f: (-tally[f], len(str(f)), str(f)))
        family.append(Agent(f"Exploiter{len(family) - len(exploiters) + 1}", best))
    return result


_Leaf = tuple[
    dict[frozenset[tuple[bool, ...]], bool], dict[frozenset[tuple[bool, ...]], bool], int, int
]
"""A surviving leaf of the pair search: (g_X, g_Y, T_X, T_Y)."""


def _survivor_pairs(found: Sequence[_Leaf], named: Sequence[Agent]) -> list[tuple[Agent, Agent]]:
    """Witness agents (X, Y) of the surviving leaves."""
    names = [a.name for a in named]
    return [
        (Agent("WX", _witness(gx, names, False)[0]), Agent("WY", _witness(gy, names, False)[0]))
        for gx, gy, *_ in found
    ]


def _pair_search(
    named: Sequence[Agent], exploiters: Sequence[Agent], max_branches: int
) -> tuple[PairEquilibria, list[_Leaf]]:
    """One joint search with a fixed family: the result, and the surviving leaves
    (g_X, g_Y, T_X, T_Y)."""
    env = environment([*named, *exploiters])
    universe = _closure([CooperateBot, DefectBot, *exploiters, *named], env)
    VO, s0 = _square(universe)
    if s0 is None:
        raise ModalError("the exploiters and named agents do not settle within 64 worlds")
    index = {a.name: i for i, a in enumerate(universe)}
    names = [a.name for a in named]
    progs = {a.name: _compile(a.formula) for a in universe}
    ops = {n: [op for op, *_ in p if op in (_BOX, _DIA)] for n, p in progs.items()}
    us = list(progs)
    other = {"X": "Y", "Y": "X"}
    width = 1 + len(names)
    forced = {frozenset({(True,) * width}): False, frozenset({(False,) * width}): False}

    def bit(y: str, n: str, world: int) -> bool:
        return bool((int(VO[index[y], index[n]]) >> min(world, 63)) & 1)

    Sets = dict[frozenset[tuple[bool, ...]], bool]
    Seen = dict[tuple[str, str], frozenset[tuple[bool, ...]]]
    Boxes = dict[tuple[str, str], tuple[bool, ...]]
    ctx = {p: [*us, other[p]] for p in other}
    empty: frozenset[tuple[bool, ...]] = frozenset()
    seen0: Seen = {(p, c): empty for p in other for c in ctx[p]}
    boxes0: Boxes = {(p, u): tuple(op == _BOX for op in ops[u]) for p in other for u in us}
    stack: list[tuple[int, dict[str, Sets], Seen, Boxes, dict[str, int]]] = [
        (0, {"X": dict(forced), "Y": dict(forced)}, seen0, boxes0, {"X": 0, "Y": 0})
    ]
    limit = s0 + 2 * len(us) * (1 << width) + 2 * (1 << width) + 2 * sum(map(len, ops.values()))
    visited: set[object] = set()
    branches = mutual = by_family = survivors = worst = 0
    found: list[_Leaf] = []
    sample: list[_Leaf] = []
    while stack:
        world, g, seen, boxes, grew = stack.pop()
        live = {
            p: frozenset((H, v) for H, v in g[p].items() if any(H >= seen[p, c] for c in ctx[p]))
            for p in other
        }
        key = (
            world,
            tuple(grew.values()),
            tuple(seen.values()),
            tuple(boxes.values()),
            live["X"],
            live["Y"],
        )
        if key in visited:
            continue
        visited.add(key)
        new = [
            (p, H)
            for p in other
            for H in sorted({seen[p, c] for c in ctx[p]}, key=sorted)
            if H not in g[p]
        ]
        if new:
            for choice in range(1 << len(new)):
                g2 = {p: dict(g[p]) for p in other}
                for i, (p, H) in enumerate(new):
                    g2[p][H] = bool(choice >> i & 1)
                stack.append((world, g2, seen, boxes, grew))
            continue
        mv = {p: {c: g[p][seen[p, c]] for c in ctx[p]} for p in other}
        plays = {}
        args = {}
        for p in other:
            for u in us:
                own, _ = _play(progs[u], False, mv[p][u], mv[p], boxes[p, u])
                plays[u, p] = own
                _, args[p, u] = _play(progs[u], own, mv[p][u], mv[p], boxes[p, u])
        seen2 = dict(seen)
        grew2 = dict(grew)
        for p, q in other.items():
            for u in us:
                seen2[p, u] = seen[p, u] | {(plays[u, p], *(bit(u, n, world) for n in names))}
            seen2[p, q] = seen[p, q] | {(mv[q][p], *(mv[q][n] for n in names))}
            if seen2[p, q] != seen[p, q]:
                grew2[p] = world
        boxes2 = {
            k: tuple(
                (s and x) if op == _BOX else (s or x)
                for op, s, x in zip(ops[k[1]], boxes[k], args[k], strict=True)
            )
            for k in boxes
        }
        if world >= s0 and seen2 == seen and boxes2 == boxes:
            branches += 1
            if branches > max_branches:
                raise ModalError(f"more than {max_branches} search branches")
            if mv["X"]["Y"] and mv["Y"]["X"]:
                mutual += 1
                hit = any(mv[p][z.name] and not plays[z.name, p] for p in other for z in exploiters)
                if hit:
                    by_family += 1
                    if by_family % VERIFY_EVERY == 1:
                        sample.append((g["X"], g["Y"], grew["X"], grew["Y"]))
                else:
                    survivors += 1
                    worst = max(worst, min(grew.values()))
                    found.append((g["X"], g["Y"], grew["X"], grew["Y"]))
            continue
        if world > limit:  # pragma: no cover - impossible: the state is monotone
            raise ModalError("the pair search did not settle")
        stack.append((world + 1, g, seen2, boxes2, grew2))
    # the search on actual agents: a sample of the exploited classes' witnesses, re-played
    for x, y in _survivor_pairs(sample, named):
        duel = round_robin([x, y], [CooperateBot, DefectBot, *exploiters], env=env)
        both = outcome(x, y, {**env, x.name: x, y.name: y})
        hit = bool((duel.cooperates[:, 2:] & ~duel.cooperated_with[:, 2:]).any())
        if duel.cooperates[:, :2].any() or both != (Move.C, Move.C) or not hit:
            raise ModalError(f"the witnesses {x.formula} and {y.formula} do not re-play")
    # step 3 on actual agents: every survivor's witnesses, each exploited by the other truncated
    pair: tuple[Agent, ...] = ()
    for (x, y), (_, _, tx, ty) in zip(_survivor_pairs(found, named), found, strict=True):
        duel = round_robin(
            [truncation(y, tx + 1, "ZY"), truncation(x, ty + 1, "ZX")],
            [x, y],
            env={**env, x.name: x, y.name: y},
        )
        if (
            duel.cooperates[0, 0]
            or duel.cooperates[1, 1]
            or not (duel.cooperated_with[0, 0] and duel.cooperated_with[1, 1])
        ):
            raise ModalError(f"a truncated partner does not exploit {x.formula} or {y.formula}")
        if min(tx, ty) == worst and not pair:
            pair = (x, y)
    result = PairEquilibria(
        tuple(named), tuple(exploiters), branches, mutual, by_family, survivors, worst, pair
    )
    return result, found
