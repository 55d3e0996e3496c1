"""Pure equilibria of the penalised game among *all* depth-≤1 agents: for every X, some exploiter.

The seed conjectures that (DefectBot, DefectBot) is the only pure equilibrium of the prisoner's
dilemma (CC 2, DD 1, DC 3/0) in which an agent of depth d pays dε. A profile (X, Y) is an
equilibrium iff no agent Z *of any kind* does better against Y than X does (and likewise for
Y); the quantifier over Z is what a finite search must handle. This module handles it for X and
Y of depth ≤ 1 (over an alphabet, see :mod:`modal.behaviours`), in four steps.

**1. Necessary conditions (any ε > 0).** A depth-0 agent is CooperateBot or DefectBot; against
either, DefectBot is the only best reply, so (DefectBot, DefectBot) is the only equilibrium with
a depth-0 player. If both have depth 1, each must earn at least DefectBot's 1 > 1 − ε, so the
outcome is mutual cooperation (2 − ε each), and each must defect against CooperateBot (else
CooperateBot earns 2) and DefectBot (else DefectBot earns 3): a *candidate* pair. It then
remains to find an exploiter: Z defecting against X while X cooperates with Z earns
3 − d(Z)ε > 2 − ε iff d(Z) < 1 + 1/ε; a depth-1 exploiter therefore refutes the pair at every
ε > 0 (for ε > 1 DefectBot's 1 already beats 2 − ε).

**2. A finite family of exploiters.** The behaviour of a depth-1 X against CooperateBot,
DefectBot, its partner and a fixed finite family F is one of finitely many, and the search
enumerates all of them, for X and its partner Y at once (:func:`depth1_pair_equilibria`): each
leaf is a class of pairs that behave alike in every one of these matches. If a member of F
exploits X or Y at a leaf, it exploits every pair of that class: this is how the "for every X
some Z" quantifier becomes finite. F starts small (:data:`EXPLOITERS`) and is refined: for a
surviving class, the complete depth-1 search against its witness proposes an exploiter, and
the search runs again with it.

**3. The truncation exploiter (seed's language, no self atom).** Without the self atom a
depth-1 agent's move is a function g of the set of opponent vectors (opp(me), opp(N)…) it has
seen. A candidate defects at world 1 against every agent: at world 0 every modalised agent plays
one move c against everyone, so the set seen at world 1 is {c…c}, which is what CooperateBot
(c = C) or DefectBot (c = D) shows it forever, and g defects there. So the all-D vector is seen
in every match of a candidate. Let Y be X's partner (X itself for a symmetric pair) and T the
last world at which Y shows X a new vector. Then Z = Y ∧ □^(T+1)⊥ plays exactly as Y at the
worlds 0…T (every sentence about Z has Y's value there: induction over worlds) and defects
against everyone afterwards, showing the all-D vector, already seen. X sees the same set as
against Y, so it cooperates; Z defects: an exploiter of depth T + 1, profitable iff ε < 1/T.
The searches record T for every class, and every class left by F is checked this way on its
witnesses, so without refinement the result still holds for ε < 1/T.

**4. The self atom breaks the conjecture.** With ``me`` (the literature's extension, depth by
boxes only), an agent □(me ↔ opp(me)) ∧ φ cooperates only with an opponent that matched its
move at every lower world, so in the limit it is never exploited; the search restricted to such
agents (``matching=True``) finds one that defects against CooperateBot and DefectBot and
cooperates with itself, e.g. □(me ↔ opp(me)) ∧ ◇¬me: (X, X) is then a pure equilibrium for
0 < ε ≤ 1 (no deviation earns more than max(1, 2 − ε)). Its me-free equivalent ("cooperate iff
the opponent played D at world 0 and C since") has depth 2, and a depth-1 agent (◇⊤) cooperates
with that: the self atom hides a level of depth.

What stays open: depth-1 agents naming agents outside the alphabet (each adds an atom, so
classes the search has not seen); and X or Y of depth ≥ 2, whose moves depend on the
*sequence* of seen sets (a set of (vector, seen set) pairs), a space doubly exponential in the
alphabet that :mod:`modal.behaviours` does not enumerate; exploiters of depth 2…k (profitable
for ε < 1/(k − 1)) are needed only where no depth-1 exploiter exists, which the searches here
never met.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from modal._programs import _BOX, _DIA, _closure, _compile, _square
from modal._search import _play, _witness
from modal.agents import Agent, CooperateBot, DefectBot, FairBot, depth, environment
from modal.batch import round_robin
from modal.behaviours import Behaviour, depth1_behaviours
from modal.enumerate import formulas
from modal.errors import ModalError, ModalTypeError
from modal.evaluate import Move, outcome
from modal.formula import BOT, Box, Formula, box_depth, incon, opp

__all__ = [
    "EXPLOITERS",
    "Depth1Equilibria",
    "depth1_pure_equilibria",
    "truncation",
    "SyntacticCheck",
    "MAX_CHECK_SIZE",
    "VERIFY_EVERY",
    "syntactic_check",
    "PairEquilibria",
    "depth1_pair_equilibria",
]

#: The starting family of exploiters (step 2): DefectBot paying for one box (□⊥: C at world 0
#: only) and □⊥ ∨ □opp(FairBot). Over the default alphabet they leave 7 classes of pairs (all
#: with T ≤ 3), which the refinement then closes.
EXPLOITERS: tuple[Agent, ...] = (
    Agent("DefectBot1", Box(BOT)),
    Agent("FairFriend", Box(BOT) | Box(opp(FairBot.name))),
)


#: Largest formula size :func:`syntactic_check` accepts: at 7 nodes 2 011 formulas defect against
#: CooperateBot and DefectBot (their square round robin takes seconds); at 8 about 9 000 (their
#: square round robin needs ~90 GiB).
MAX_CHECK_SIZE = 7


#: One in this many classes of pairs that the family exploits has its witnesses re-played by the
#: batch and world-by-world evaluators (every surviving class is re-played).
VERIFY_EVERY = 64


def truncation(agent: Agent, worlds: int, name: str | None = None) -> Agent:
    """``agent ∧ □^worlds ⊥``: plays as `agent` at the worlds below `worlds`, then defects.

    With `worlds` = T + 1 it is the exploiter of step 3 of the module's argument.

    Examples
    --------
    >>> from modal.agents import FairBot
    >>> str(truncation(FairBot, 2))
    'FairBot|2 := ([]opp(me) & [][]F)'
    """
    if not isinstance(worlds, int) or isinstance(worlds, bool) or worlds < 1:
        raise ModalTypeError(f"worlds must be a whole number >= 1, got {worlds!r}")
    return Agent(name or f"{agent.name}|{worlds}", agent.formula & incon(worlds))


@dataclass(frozen=True)
class Depth1Equilibria:
    """Symmetric pure equilibria (X, X) among depth-1 agents, decided by behaviour.

    Attributes
    ----------
    self_atom : bool
        Whether the agents may use the self atom ``me``.
    named : tuple of Agent
        The alphabet's named agents.
    exploiters : tuple of Agent
        The fixed family F (step 2).
    behaviours : int
        X's behaviours against CooperateBot, DefectBot, F and itself, all searched.
    candidates : tuple of Behaviour
        The depth-1 behaviours that defect against CooperateBot and DefectBot and cooperate with
        a copy of themselves (step 1); each holds for a class of agents.
    exploited_by : tuple of (Agent or None)
        For each candidate, a member of F that exploits every agent with that behaviour.
    settled : tuple of int
        For each candidate, the last world at which any of its agents sees a new vector in
        self-play (T of step 3).
    unexploitable : tuple of Behaviour
        Self atom only: candidates among the agents □(me ↔ opp(me)) ∧ φ, which no agent exploits
        (step 4): each is a pure equilibrium (X, X) for 0 < ε ≤ 1.
    """

    self_atom: bool
    named: tuple[Agent, ...]
    exploiters: tuple[Agent, ...]
    behaviours: int
    candidates: tuple[Behaviour, ...]
    exploited_by: tuple[Agent | None, ...]
    settled: tuple[int, ...]
    unexploitable: tuple[Behaviour, ...]

    def __len__(self) -> int:
        return len(self.candidates)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.candidates)

    @property
    def survivors(self) -> tuple[Behaviour, ...]:
        """Candidates that no member of F exploits."""
        return tuple(b for b, z in zip(self.candidates, self.exploited_by, strict=True) if not z)

    @property
    def counterexample(self) -> Agent | None:
        """An agent X with (X, X) a pure equilibrium for 0 < ε ≤ 1, if one was found."""
        return self.unexploitable[0].witness if self.unexploitable else None

    @property
    def excluded_below(self) -> Fraction | None:
        """Every symmetric (X, X) of depth-1 agents is refuted for 0 < ε < this bound (None when
        a counterexample was found, or when the self atom leaves step 3 unavailable).

        1 when F exploits every candidate (depth-1 exploiters: every ε; and ε ≥ 1 needs none);
        else 1/T for the largest T of a survivor.
        """
        if self.unexploitable:
            return None
        pairs = zip(self.candidates, self.exploited_by, self.settled, strict=True)
        worst = max((t for _, z, t in pairs if z is None), default=0)
        if worst == 0:
            return Fraction(1)
        return None if self.self_atom else Fraction(1, worst)


def depth1_pure_equilibria(
    *,
    named: Sequence[Agent] = (CooperateBot, DefectBot, FairBot),
    self_atom: bool = False,
    exploiters: Sequence[Agent] = EXPLOITERS,
) -> Depth1Equilibria:
    """Decide which symmetric profiles (X, X) of depth-1 agents can be pure equilibria.

    Parameters
    ----------
    named : sequence of Agent
        The agents a candidate may name (its alphabet, see :mod:`modal.behaviours`).
    self_atom : bool
        Allow the self atom ``me`` (then the matching agents of step 4 are searched too).
    exploiters : sequence of Agent
        The fixed family F tried against every candidate; each must have depth ≤ 1 so that an
        exploitation found holds for every ε.

    Raises
    ------
    ModalTypeError
        If an exploiter is deeper than 1.

    Examples
    --------
    >>> r = depth1_pure_equilibria()
    >>> len(r.candidates), len(r.survivors), r.excluded_below, r.counterexample
    (4, 1, Fraction(1, 3), None)
    """
    env = environment([*named, *exploiters])
    for z in exploiters:
        if depth(z, env) > 1:
            raise ModalTypeError(f"exploiter {z.name!r} has depth {depth(z, env)} > 1")
    refs = [CooperateBot, DefectBot, *exploiters]
    beh = depth1_behaviours(refs, named=named, self_atom=self_atom, settled=True)
    cands = tuple(
        b
        for b in beh
        if b.depth == 1 and b.self_play and not b.cooperates[0] and not b.cooperates[1]
    )
    hit: list[Agent | None] = []
    for b in cands:
        zs = [
            z
            for j, z in enumerate(exploiters)
            if b.cooperates[2 + j] and not b.cooperated_with[2 + j]
        ]
        hit.append(zs[0] if zs else None)
    settled = tuple(b.settled or 0 for b in cands)
    if not self_atom:  # step 3 on actual agents: each candidate's witness, truncated, exploits it
        for b, t in zip(cands, settled, strict=True):
            w = Agent("W", b.witness.formula)
            duel = round_robin([truncation(w, t + 1, "Z")], [w], env={**env, "W": w})
            if duel.cooperates[0, 0] or not duel.cooperated_with[0, 0]:
                raise ModalError(f"the truncation at world {t + 1} does not exploit {w.formula}")
    unexploitable: tuple[Behaviour, ...] = ()
    if self_atom:
        safe = depth1_behaviours([CooperateBot, DefectBot], named=(), self_atom=True, matching=True)
        unexploitable = tuple(
            b for b in safe if b.depth == 1 and b.self_play and not any(b.cooperates)
        )
    return Depth1Equilibria(
        self_atom,
        tuple(named),
        tuple(exploiters),
        len(beh),
        cands,
        tuple(hit),
        settled,
        unexploitable,
    )


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
    defect against CooperateBot and DefectBot (step 1 of the module's argument), which fixes
    their value on the sets {C…C} and {D…D}. At each leaf the pair's outcome, the family's
    exploitations and the worlds T_X, T_Y of step 3 are read off.

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


@dataclass(frozen=True)
class SyntacticCheck:
    """The brute-force cross-check of the semantic searches over small formulas.

    Attributes
    ----------
    formulas : int
        Depth-1 formulas searched (atoms ``opp(me)`` and ``opp(N)`` for the named agents).
    candidates : int
        Those that defect against CooperateBot and DefectBot.
    outside : int
        Candidates that cooperate with a copy of themselves but whose behaviour is not among the
        symmetric search's candidates (should be 0).
    by_family : int
        Candidates a member of the fixed family exploits (re-played by the batch evaluator): in
        no equilibrium, whatever the partner.
    pairs : int
        Ordered pairs (X, Y) of the other candidates that cooperate with each other (X = Y
        included).
    by_truncation : int
        Pairs where Y truncated after the pair search's worst T exploits X (re-played).
    unexploited : tuple of tuple of Agent
        Pairs that neither exploits (should be empty).
    """

    formulas: int
    candidates: int
    outside: int
    by_family: int
    pairs: int
    by_truncation: int
    unexploited: tuple[tuple[Agent, Agent], ...]


def syntactic_check(
    result: Depth1Equilibria, pairs: PairEquilibria, max_size: int
) -> SyntacticCheck:
    """Re-decide the searches by brute force over every depth-1 formula of ≤ `max_size` nodes.

    Each formula is played (batch evaluator) against CooperateBot, DefectBot, the family, a copy
    of itself and every other formula that defects against CooperateBot and DefectBot. Every
    self-cooperating candidate's behaviour must be one of ``result.candidates``; a candidate a
    family member exploits is in no equilibrium; for every pair of the others that cooperates
    both ways the partner truncated after ``pairs.worst`` worlds is re-played against it (step
    3 of the module's argument on actual agents; a truncation later than T works as well).

    Raises
    ------
    ModalTypeError
        If `result` allows the self atom (the syntactic grammar has none), or `max_size` is not
        from 1 to :data:`MAX_CHECK_SIZE`.

    Examples
    --------
    >>> c = syntactic_check(depth1_pure_equilibria(), depth1_pair_equilibria(), 5)
    >>> c.outside, c.unexploited, c.pairs == c.by_truncation
    (0, (), True)
    """
    if result.self_atom:
        raise ModalTypeError("syntactic_check needs a result without the self atom")
    if not isinstance(max_size, int) or not 1 <= max_size <= MAX_CHECK_SIZE:
        raise ModalTypeError(
            f"max_size must be a whole number from 1 to {MAX_CHECK_SIZE}, got {max_size!r}"
        )
    fam = list(result.exploiters)
    env = environment([*result.named, *fam])
    fs = [
        f
        for f in formulas(1, max_size, ("me", *(a.name for a in result.named)))
        if box_depth(f) == 1
    ]
    agents = [Agent(f"S{i}", f) for i, f in enumerate(fs)]
    rr = round_robin(agents, [CooperateBot, DefectBot, *fam], env=env)
    known = {(b.cooperates, b.cooperated_with) for b in result.candidates}
    cands = [i for i in range(len(agents)) if not rr.cooperates[i, :2].any()]
    outside = sum(
        (tuple(map(bool, rr.cooperates[i])), tuple(map(bool, rr.cooperated_with[i]))) not in known
        for i in cands
        if rr.self_play[i]
    )
    # a family member refutes every pair its victim is in; the others are paired up
    by_family = sum(bool((rr.cooperates[i, 2:] & ~rr.cooperated_with[i, 2:]).any()) for i in cands)
    ca = [agents[i] for i in cands if not (rr.cooperates[i, 2:] & ~rr.cooperated_with[i, 2:]).any()]
    m = round_robin(ca, ca, env=env).cooperates if ca else np.zeros((0, 0), dtype=bool)
    both = [(a, b) for a in range(len(ca)) for b in range(len(ca)) if m[a, b] and m[b, a]]
    zs = [truncation(ca[b], pairs.worst + 1, f"Z{k}") for k, (_, b) in enumerate(both)]
    duel = round_robin(zs, ca, env=env) if zs else None
    unexploited = tuple(
        (ca[a], ca[b])
        for k, (a, b) in enumerate(both)
        if duel is None or duel.cooperates[k, a] or not duel.cooperated_with[k, a]
    )
    return SyntacticCheck(
        len(fs),
        len(cands),
        outside,
        by_family,
        len(both),
        len(both) - len(unexploited),
        unexploited,
    )
