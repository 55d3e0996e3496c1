"""Modal agents: a name and a fully modalised formula in the opponent; the literature's agents.

An agent's formula says when it cooperates; its opponent atoms ``opp(Y)`` read "my opponent
cooperates with Y" (Y = ``me`` or a named agent) and must all stand under a box: that is what
makes the mutual recursion between agents a well-defined provability fixed point.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from modal.errors import ModalTypeError, UnboxedRecursionError, UnknownAgentError
from modal.formula import (
    BOT,
    ME,
    TOP,
    Box,
    Diamond,
    Formula,
    Opp,
    atoms,
    box,
    box_depth,
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

    @property
    def references(self) -> frozenset[str]:
        """Names of the agents this agent runs its opponent on (``me`` excluded)."""
        return atoms(self.formula) - {ME}

    def __str__(self) -> str:
        return f"{self.name} := {self.formula}"


def _unboxed_atom(f: Formula) -> Opp | None:
    if isinstance(f, Opp):
        return f
    if isinstance(f, Box | Diamond):
        return None
    for c in f.children():
        found = _unboxed_atom(c)
        if found is not None:
            return found
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


def wait_fair_bot(k: int) -> Agent:
    """WaitFairBot-k: ``¬□^(k+1)⊥ → □opp(me)``.

    In the standard model ``□^(k+1)⊥`` is false, so the agent acts as FairBot; in the worlds
    0..k of the GL frame it cooperates unconditionally, so an agent that reasons fewer than k+1
    levels deep cannot tell it from CooperateBot. Modelled on the WaitDefectBot-k family that
    Barasz et al. (2014) use against optimality; the formula is as given here.

    Examples
    --------
    >>> str(wait_fair_bot(1))
    'WaitFairBot-1 := (~[][]F -> []opp(me))'
    """
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise ModalTypeError(f"wait_fair_bot needs a whole number k >= 0, got {k!r}")
    f: Formula = BOT
    for _ in range(k + 1):
        f = box(f)
    return Agent(f"WaitFairBot-{k}", ~f >> box(opp()))


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
        wait_fair_bot(0),
        wait_fair_bot(1),
        wait_fair_bot(2),
    )
}
"""The literature's agents by name."""


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
    for a in agents:
        if not isinstance(a, Agent):
            raise ModalTypeError(f"expected an Agent, got {type(a).__name__}: {a!r}")
        env[a.name] = a
    for a in env.values():
        for ref in a.references:
            if ref not in env:
                raise UnknownAgentError(ref, a.name)
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
    memo: dict[str, int] = {}

    def visit(a: Agent, seen: frozenset[str]) -> int:
        if a.name in memo:
            return memo[a.name]
        d = a.depth_of_code
        for ref in a.references:
            if ref not in seen:
                d = max(d, visit(env[ref], seen | {ref}))
        memo[a.name] = d
        return d

    return visit(agent, frozenset({agent.name}))


def parse_agent(text: str) -> Agent:
    """An agent from ``Name := formula``.

    Examples
    --------
    >>> parse_agent("PrudentBot := [] opp(me) & [](~[]F -> ~opp(DefectBot))") == PrudentBot
    True
    """
    name, f = parse_definition(text)
    return Agent(name, f)


def parse_agents(text: str) -> list[Agent]:
    """Agents from a text with one definition per line (``#`` comments allowed)."""
    return [Agent(name, f) for name, f in parse_definitions(text)]
