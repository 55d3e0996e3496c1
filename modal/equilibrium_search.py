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
CooperateBot earns 2) and DefectBot (else DefectBot earns 3): a *candidate*. It then remains
to find an exploiter: Z with Z defecting against X while X cooperates with Z earns
3 − d(Z)ε > 2 − ε iff d(Z) < 1 + 1/ε. (For ε > 1 no candidate pair beats DefectBot's 1.)

**2. A finite family of exploiters.** X's behaviour against CooperateBot, DefectBot, a copy
of itself and a fixed finite family F of agents is one of finitely many (the semantic
enumeration of :mod:`modal.behaviours`, complete over the alphabet). If every candidate
behaviour is exploited by a member of F of depth 1, then *every* depth-1 X with that behaviour
is exploited, for every ε: this is how the "for every X some Z" quantifier becomes finite.

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
T is finite for every pair and bounded by the monotone state of the match (seen sets only grow,
boxes change once): see :func:`pair_settle_bound`. For symmetric pairs the search records T
exactly for every behaviour (:attr:`modal.behaviours.Behaviour.settled`).

**4. The self atom breaks the conjecture.** With ``me`` (the literature's extension, depth by
boxes only), an agent □(me ↔ opp(me)) ∧ φ cooperates only with an opponent that matched its
move at every lower world, so in the limit it is never exploited; the search restricted to such
agents (``matching=True``) finds one that defects against CooperateBot and DefectBot and
cooperates with itself, e.g. □(me ↔ opp(me)) ∧ ◇¬me: (X, X) is then a pure equilibrium for
0 < ε ≤ 1 (no deviation earns more than max(1, 2 − ε)). Its me-free equivalent ("cooperate iff
the opponent played D at world 0 and C since") has depth 2, and a depth-1 agent (◇⊤) cooperates
with that: the self atom hides a level of depth.

What stays open: depth-1 agents naming agents outside the alphabet (each adds an atom); ε ≥ 1/T
for the candidates no depth-1 exploiter of F catches (an exploiter of depth 2…T might exist);
and X or Y of depth ≥ 2, whose behaviours depend on the *sequence* of seen sets (a set of
(vector, seen set) pairs), a space doubly exponential in the alphabet that
:mod:`modal.behaviours` does not enumerate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from modal._programs import _BOX, _DIA, _closure, _compile, _square
from modal.agents import Agent, CooperateBot, DefectBot, FairBot, depth, environment
from modal.batch import round_robin
from modal.behaviours import Behaviour, depth1_behaviours
from modal.enumerate import formulas
from modal.errors import ModalError, ModalTypeError
from modal.formula import BOT, Box, box_depth, incon, opp

__all__ = [
    "EXPLOITERS",
    "Depth1Equilibria",
    "depth1_pure_equilibria",
    "pair_settle_bound",
    "truncation",
    "SyntacticCheck",
    "syntactic_check",
]

#: The fixed depth-1 exploiters searched by default: DefectBot paying for one box (□⊥: C at
#: world 0 only) and □⊥ ∨ □opp(FairBot). Together they exploit every symmetric candidate whose
#: self-play settles by world 2 (the smallest family found that brings T from 4 down to 3).
EXPLOITERS: tuple[Agent, ...] = (
    Agent("DefectBot1", Box(BOT)),
    Agent("FairFriend", Box(BOT) | Box(opp(FairBot.name))),
)


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
    return Agent(name or f"{agent.name}|{worlds}", agent.formula & incon(worlds - 1))


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


def pair_settle_bound(named: Sequence[Agent] = (CooperateBot, DefectBot, FairBot)) -> int:
    """A world T by which, in every match of two depth-1 agents X, Y (no self atom) over the
    alphabet `named`, both have seen every vector they will ever see (step 3's T ≤ this).

    After the named agents' own matches settle (world s0), the state of the system — the seen
    set of each of the 2(1 + |U|) contexts (X and Y against each other and against the closure
    U of the named agents; ≤ 2^(1 + |named|) vectors each) and the box values of U's agents
    against X and Y (each changes once) — only grows, and a world that does not grow it is
    final. So every pair of depth-1 candidates is refuted for 0 < ε < 1/T.

    Raises
    ------
    ModalError
        If the named agents do not settle within 64 worlds.

    Examples
    --------
    >>> pair_settle_bound()
    131
    """
    env = environment(named)
    universe = _closure(list(named), env)
    _, s0 = _square(universe)
    if s0 is None:
        raise ModalError("the named agents do not settle within 64 worlds")
    boxes = sum(
        sum(1 for op, *_ in _compile(env[u.name].formula) if op in (_BOX, _DIA)) for u in universe
    )
    return s0 + 2 * (1 + len(universe)) * (1 << (1 + len(named))) + 2 * boxes


@dataclass(frozen=True)
class SyntacticCheck:
    """The brute-force cross-check of :func:`depth1_pure_equilibria` over small formulas.

    Attributes
    ----------
    formulas : int
        Depth-1 formulas searched (atoms ``opp(me)`` and ``opp(N)`` for the named agents).
    candidates : int
        Those that defect against CooperateBot and DefectBot and cooperate with a copy.
    outside : int
        Candidates whose behaviour is not among the semantic search's candidates (should be 0).
    by_family : int
        Candidates a member of the fixed family exploits (re-played by the batch evaluator).
    by_truncation : int
        The others, exploited by their truncation ``X ∧ □^(T+1)⊥`` with T their behaviour's
        :attr:`Depth1Equilibria.settled` (re-played).
    unexploited : tuple of Agent
        Candidates that neither exploits (should be empty).
    """

    formulas: int
    candidates: int
    outside: int
    by_family: int
    by_truncation: int
    unexploited: tuple[Agent, ...]


def syntactic_check(result: Depth1Equilibria, max_size: int) -> SyntacticCheck:
    """Re-decide `result` by brute force over every depth-1 formula of at most `max_size` nodes.

    Each formula is played (batch evaluator) against CooperateBot, DefectBot, the family and a
    copy of itself; every candidate's behaviour must be one of ``result.candidates``, and an
    exploiter is constructed and re-played for each: a family member, or its truncation at the
    candidate's T (step 3 of the module's argument, checked on actual agents).

    Raises
    ------
    ModalTypeError
        If `result` allows the self atom (the syntactic grammar has none).

    Examples
    --------
    >>> c = syntactic_check(depth1_pure_equilibria(), 5)
    >>> c.outside, len(c.unexploited), c.candidates > 0
    (0, 0, True)
    """

    if result.self_atom:
        raise ModalTypeError("syntactic_check needs a result without the self atom")
    fam = list(result.exploiters)
    refs = [CooperateBot, DefectBot, *fam]
    env = environment([*result.named, *fam])
    fs = [
        f
        for f in formulas(1, max_size, ("me", *(a.name for a in result.named)))
        if box_depth(f) == 1
    ]
    agents = [Agent(f"S{i}", f) for i, f in enumerate(fs)]
    rr = round_robin(agents, refs, env=env)
    known = {
        (b.cooperates, b.cooperated_with): t
        for b, z, t in zip(result.candidates, result.exploited_by, result.settled, strict=True)
    }
    cands = [i for i in range(len(agents)) if rr.self_play[i] and not rr.cooperates[i, :2].any()]
    outside = by_family = 0
    pending: list[tuple[Agent, Agent]] = []
    for i in cands:
        key = (tuple(map(bool, rr.cooperates[i])), tuple(map(bool, rr.cooperated_with[i])))
        if key not in known:
            outside += 1
        if any(rr.cooperates[i, 2:] & ~rr.cooperated_with[i, 2:]):
            by_family += 1
        else:
            pending.append((agents[i], truncation(agents[i], known.get(key, 0) + 1, f"Z{i}")))
    unexploited: list[Agent] = []
    for x, z in pending:
        duel = round_robin([z], [x], env={**env, x.name: x})
        if duel.cooperates[0, 0] or not duel.cooperated_with[0, 0]:
            unexploited.append(x)
    return SyntacticCheck(
        len(fs),
        len(cands),
        outside,
        by_family,
        len(pending) - len(unexploited),
        tuple(unexploited),
    )
