"""Modal agents: a name and a fully modalised formula in the opponent; the literature's agents.

An agent's formula says when it cooperates. Its opponent atoms ``opp(Y)`` read "my opponent
cooperates with Y" (Y = ``me`` or a named agent) and its self atom ``me`` reads "I cooperate with
my opponent". **Modalisation rule:** every atom of either kind must stand under a box (□ or ◇);
that is what makes the mutual recursion between agents (and an agent's reference to its own move)
a well-defined provability fixed point: a sentence may depend on itself only through
provability, and the GL fixed-point theorem then gives it a unique value. ``me`` outside a box
("cooperate iff I cooperate") has no unique value and is refused like an unboxed ``opp``.

**Depth** (the seed's): the larger of the box depth of the agent's code and the depth of every
agent it runs its opponent on. The self atom runs no agent, so it adds nothing beyond the boxes
it stands under.

The literature's agents are written in the papers' notation translated atom for atom: MIRI's
modal-combat code (machine-intelligence/provability, ``src/Modal/Agents.hs``) writes ``a`` for
"I cooperate" (our ``me``), ``b`` for "they cooperate with me" (our ``opp(me)``) and ``[k]φ`` for
□(¬□^k⊥ → φ) (our ``box(φ, k)``, text ``[k]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter

from modal.errors import ModalTypeError, UnboxedRecursionError, UnknownAgentError
from modal.formula import (
    BOT,
    ME,
    TOP,
    Box,
    Diamond,
    Formula,
    Me,
    Opp,
    atoms,
    box,
    box_depth,
    dia,
    incon,
    me,
    opp,
)
from modal.parser import parse_definition, parse_definitions

__all__ = [
    "Agent",
    "CooperateBot",
    "DefectBot",
    "FairBot",
    "PrudentBot",
    "TrollBot",
    "JustBot",
    "UnfairBot",
    "NiceBot",
    "ReverseFairBot",
    "MagicBot",
    "SimpleMagicBot",
    "AlmostMagicBot",
    "WaitBot",
    "WaitBot2",
    "IndignationBot",
    "wait_fair_bot",
    "LIBRARY",
    "SEED_AGENTS",
    "depth",
    "environment",
    "parse_agent",
    "parse_agents",
]


@dataclass(frozen=True)
class Agent:
    """A modal agent: ``name`` cooperates with an opponent exactly when ``formula`` holds.

    Raises
    ------
    UnboxedRecursionError
        If an opponent atom stands outside every box.

    Examples
    --------
    >>> Agent("FairBot", box(opp())).depth_of_code
    1
    >>> Agent("Bad", opp())
    Traceback (most recent call last):
    ...
    modal.errors.UnboxedRecursionError: agent 'Bad' uses opp(me) outside any box []: ...
    """

    name: str
    formula: Formula

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name or self.name == ME:
            raise ModalTypeError(
                f"an agent needs a non-empty name other than 'me', got {self.name!r}"
            )
        if not isinstance(self.formula, Formula):
            raise ModalTypeError(
                f"agent {self.name!r}: formula must be a Formula, got {type(self.formula).__name__}"
            )
        unboxed = _unboxed_atom(self.formula)
        if unboxed is not None:
            raise UnboxedRecursionError(self.name, str(unboxed))

    @property
    def depth_of_code(self) -> int:
        """Box depth of this agent's own formula (see :func:`depth` for the seed's depth)."""
        return box_depth(self.formula)

    @cached_property
    def references(self) -> frozenset[str]:
        """Names of the agents this agent runs its opponent on (``me`` excluded)."""
        return atoms(self.formula) - {ME}

    def __str__(self) -> str:
        return f"{self.name} := {self.formula}"


def _unboxed_atom(f: Formula) -> Formula | None:
    """The first atom (opponent or self) outside every box, in reading order; iterative."""
    stack = [f]
    seen: set[int] = set()
    while stack:
        g = stack.pop()
        if isinstance(g, Opp | Me):
            return g
        if isinstance(g, Box | Diamond) or id(g) in seen:
            continue
        seen.add(id(g))
        stack.extend(reversed(g.children()))
    return None


CooperateBot = Agent("CooperateBot", TOP)
"""Cooperates with everyone: ⊤ (Barasz et al. 2014, "Robust cooperation in the PD")."""

DefectBot = Agent("DefectBot", BOT)
"""Defects against everyone: ⊥ (Barasz et al. 2014)."""

FairBot = Agent("FairBot", box(opp()))
"""Cooperates iff it can prove its opponent cooperates with it: □opp(me) (Barasz et al. 2014)."""

PrudentBot = Agent("PrudentBot", box(opp()) & box(~box(BOT) >> ~opp(DefectBot.name)))
"""□opp(me) ∧ □(¬□⊥ → ¬opp(DefectBot)): cooperates iff PA proves the opponent cooperates with it
and PA+1 proves the opponent defects against DefectBot (Barasz et al. 2014; the seed)."""

TrollBot = Agent("TrollBot", box(opp(DefectBot.name)))
"""Cooperates iff PA proves the opponent cooperates with DefectBot: □opp(DefectBot). Barasz et
al. 2014 use it to show no modal agent is optimal against every opponent."""

JustBot = Agent("JustBot", box(opp(FairBot.name)))
"""Cooperates iff PA proves the opponent cooperates with FairBot: □opp(FairBot). Rewards those
who are nice to the fair; the name follows the modal-combat folklore, the formula is as here."""

UnfairBot = Agent("UnfairBot", box(~opp()))
"""Cooperates iff PA proves the opponent defects against it: □¬opp(me) (LaVictoire, discussion
of Barasz et al. 2014: no modal agent gets both FairBot and UnfairBot to cooperate)."""


MagicBot = Agent("MagicBot", box(box(me()) >> opp(), 1))
"""[1](□me → opp(me)): cooperates iff PA+1 proves "if PA proves I cooperate, they cooperate".
MIRI's ``MB`` = ``[1](□a → b)`` (machine-intelligence/provability, ``src/Modal/Agents.hs``)."""

SimpleMagicBot = Agent("SimpleMagicBot", box(dia(me()) >> opp()))
"""□(◇me → opp(me)); MIRI's ``sMB`` = ``□(◇a → b)``, noted there to "behave exactly like
MagicBot" (``Agents.hs``)."""

_AMB_CORE = ~box(box(~me()) >> opp(), 1)
AlmostMagicBot = Agent("AlmostMagicBot", _AMB_CORE & box(_AMB_CORE >> opp(), 2))
"""¬[1](□¬me → opp(me)) ∧ [2](¬[1](□¬me → opp(me)) → opp(me)); MIRI's ``aMB``."""

WaitBot = Agent("WaitBot", ~box(BOT) & box(opp(), 1))
"""¬□⊥ ∧ [1]opp(me); MIRI's ``WB`` = ``¬□⊥ ∧ [1]b``."""

WaitBot2 = Agent("WaitBot2", ~box(me()) & (box(~me()) | box(opp(), 1)))
"""¬□me ∧ (□¬me ∨ [1]opp(me)); MIRI's ``WB_2`` = ``¬□a ∧ (□¬a ∨ [1]b)``."""

IndignationBot = Agent("IndignationBot", ~box(me() >> ~opp()))
"""¬□(me → ¬opp(me)): defects iff PA proves "if I cooperate, they defect"; MIRI's ``IB``
(``Agents.hs``; the web interface's IndignationBot, ``src/WebInterface.jsexe/index.html``)."""

ReverseFairBot = Agent("ReverseFairBot", ~box(~opp()) & box(opp()))
"""¬□¬opp(me) ∧ □opp(me); MIRI's ``FB_r``."""

NiceBot = Agent("NiceBot", box(opp(CooperateBot.name)))
"""□opp(CooperateBot); MIRI's ``NB`` (``agents/standard.cd``)."""


def wait_fair_bot(k: int) -> Agent:
    """WaitFairBot_K = ¬□^K⊥ ∧ □(¬□^K⊥ → opp(me)).

    It defects in the worlds below K of the GL frame (where □^K⊥ holds) and from world K on acts
    as FairBot relative to PA + K consistency statements, so an agent of depth below K cannot
    tell it from DefectBot (Barasz et al. 2014, "Robust cooperation in the prisoner's dilemma",
    §7, the obstacle to optimality; the definition as stated in issue 15). Its depth is K + 1;
    WaitFairBot_0 is FairBot's code.

    The library's earlier ``WaitFairBot-k`` (¬□^(k+1)⊥ → □opp(me)) was not this agent and is gone.

    Examples
    --------
    >>> str(wait_fair_bot(1))
    'WaitFairBot_1 := (~[]F & [](~[]F -> opp(me)))'
    """
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise ModalTypeError(f"wait_fair_bot needs a whole number k >= 0, got {k!r}")
    waited = ~incon(k)
    return Agent(f"WaitFairBot_{k}", waited & box(waited >> opp()))


SEED_AGENTS: tuple[Agent, ...] = (DefectBot, CooperateBot, FairBot, PrudentBot)
"""The seed's four agents, in the seed's order (DefectBot, CooperateBot, FairBot, PrudentBot)."""

LIBRARY: dict[str, Agent] = {
    a.name: a
    for a in (
        CooperateBot,
        DefectBot,
        FairBot,
        PrudentBot,
        TrollBot,
        JustBot,
        UnfairBot,
        NiceBot,
        ReverseFairBot,
        MagicBot,
        SimpleMagicBot,
        AlmostMagicBot,
        WaitBot,
        WaitBot2,
        IndignationBot,
        wait_fair_bot(1),
        wait_fair_bot(2),
        wait_fair_bot(3),
    )
}
"""The literature's agents by name (19)."""


def environment(
    agents: Iterable[Agent] = (), base: Mapping[str, Agent] | None = None
) -> dict[str, Agent]:
    """Name → agent: `base` (default :data:`LIBRARY`) overridden by `agents`, closed and checked.

    Raises
    ------
    UnknownAgentError
        If some agent runs its opponent on a name with no definition.

    Examples
    --------
    >>> sorted(environment([parse_agent("Me := []opp(FairBot)")], base={}))
    Traceback (most recent call last):
    ...
    modal.errors.UnknownAgentError: unknown agent 'FairBot' (in Me)
    """
    env = dict(LIBRARY if base is None else base)
    agents = list(agents)
    if not all(isinstance(a, Agent) for a in agents):
        a = next(a for a in agents if not isinstance(a, Agent))
        raise ModalTypeError(f"expected an Agent, got {type(a).__name__}: {a!r}")
    env.update(zip(map(attrgetter("name"), agents), agents, strict=True))
    # one C-level union over every agent's references: 10^5 candidates cost milliseconds
    named: set[str] = set().union(*map(attrgetter("references"), env.values()))
    if not named <= env.keys():
        for a in env.values():  # the first agent that names an undefined one, for the message
            missing = sorted(r for r in a.references if r not in env)
            if missing:
                raise UnknownAgentError(missing[0], a.name)
    return env


def depth(agent: Agent, env: Mapping[str, Agent] | None = None) -> int:
    """The seed's depth: the larger of the box depth of the agent's code and the depth of every
    agent it runs its opponent on.

    Mutual references between named agents are followed once (a cycle adds nothing).

    Examples
    --------
    >>> [depth(a) for a in SEED_AGENTS]
    [0, 0, 1, 2]
    >>> depth(TrollBot), depth(JustBot)
    (1, 1)
    """
    env = environment([agent], env)
    # the largest box depth over every agent reachable through references (iterative walk)
    best = 0
    seen = {agent.name}
    stack = [agent]
    while stack:
        a = stack.pop()
        best = max(best, a.depth_of_code)
        for ref in a.references:
            if ref not in seen:
                seen.add(ref)
                stack.append(env[ref])
    return best


def parse_agent(text: str) -> Agent:
    """An agent from ``Name := formula``.

    Examples
    --------
    >>> parse_agent("PrudentBot := [] opp(me) & [](~[]F -> ~opp(DefectBot))") == PrudentBot
    True
    """
    d = parse_definition(text)
    return Agent(d.name, d.formula)


def parse_agents(text: str) -> list[Agent]:
    """Agents from a text with one definition per line (``#`` comments allowed)."""
    return [Agent(d.name, d.formula) for d in parse_definitions(text)]
