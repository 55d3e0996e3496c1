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
enumerates all of them, for X and its partner Y at once
(:func:`modal.pair_equilibria.depth1_pair_equilibria`): each
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

**Where each part lives.** This module holds the argument, the symmetric search
(:func:`depth1_pure_equilibria`, steps 1, 3 and 4), the starting family :data:`EXPLOITERS` and
the :func:`truncation` exploiter of step 3; :mod:`modal.pair_equilibria` the joint search over
pairs (X, Y) and its refinement of the family (step 2); :mod:`modal.syntactic_check` the
brute-force cross-check of both searches over every small depth-1 formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from modal.agents import Agent, CooperateBot, DefectBot, FairBot, depth, environment
from modal.batch import round_robin
from modal.behaviours import Behaviour, depth1_behaviours
from modal.errors import ModalError, ModalTypeError
from modal.formula import BOT, Box, incon, opp

__all__ = [
    "EXPLOITERS",
    "Depth1Equilibria",
    "depth1_pure_equilibria",
    "truncation",
]

#: The starting family of exploiters (step 2): DefectBot paying for one box (□⊥: C at world 0
#: only) and □⊥ ∨ □opp(FairBot). Over the default alphabet they leave 7 classes of pairs (all
#: with T ≤ 3), which the refinement then closes.
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
