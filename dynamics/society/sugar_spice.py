"""Sugar and spice world, version 1, written agent by agent on the message-passing framework.

Agents ``"0" .. "n-1"`` farm sugar (even) or spice (odd); version 1's wellbeing table does not
depend on the crop. A ``"world"`` agent runs the encounters over channels:

``world.tick``
    choose an edge of the interaction graph uniformly (a :class:`Choice` over the edges) and send
    ``meet`` (with the partner's id) to both ends;
``agent.meet``
    choose a move from the Q-values in the state of the last encounter with that partner
    (probabilities ``1 - noise`` / ``noise`` for epsilon-greedy, Boltzmann for softmax) and send
    it to ``world.move``;
``world.move``
    once both moves are in, send ``outcome`` to both and the next ``tick`` one time unit later;
``agent.outcome``
    update the Q-values and the memory of that partner, and set the wellbeing of the encounter.

``W(psi)`` of a learner is the wellbeing of its most recent encounter (0 before the first); the
world's is 0, so ``Omega`` is the learners' sum. Same dynamics as
:func:`dynamics.society.ensemble.run_ensemble`, one run at a time (slow; the reference engine).

Examples
--------
>>> import networkx as nx
>>> run = run_framework(nx.complete_graph(2), QLearning(), encounters=50, rng=0)
>>> run.history.deliveries, len(run.policies)
(350, 2)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import ArrayLike

from dynamics._checks import generator, integer_at_least
from dynamics.errors import ParameterTypeError
from dynamics.society.ensemble import initial_state
from dynamics.society.framework import (
    Action,
    Choice,
    Message,
    Send,
    Society,
    SocietyAgent,
    SocietyHistory,
)
from dynamics.society.graphs import edge_array, interaction_graph
from dynamics.society.qlearning import (
    WELLBEING_TABLE,
    QLearning,
    policy_codes,
    policy_strings,
    steal_probability,
)

__all__ = ["LearnerState", "FrameworkRun", "sugar_spice_society", "run_framework"]

WORLD = "world"


@dataclass(frozen=True)
class LearnerState:
    """A learner's internal state psi: Q-values, memory of each partner, last wellbeing."""

    q: np.ndarray  # (n_states, 2)
    memory: tuple[int, ...]  # joint-move state with each agent (own side)
    crop: str
    last_wellbeing: float = 0.0


@dataclass(frozen=True)
class FrameworkRun:
    """The society after the run, its Omega history and the agents' final greedy policies."""

    society: Society
    history: SocietyHistory
    q: np.ndarray  # (n, n_states, 2)
    policies: tuple[str, ...]


def _learner(name: str, params: QLearning, psi: LearnerState) -> SocietyAgent:
    one = params.n_states == 4

    def meet(m: Message, s: LearnerState) -> list[tuple[float, Action]]:
        state = s.memory[m.payload] if one else 0
        p = float(steal_probability(s.q[state], params))
        return [
            (1 - p, Action(sends=(Send(WORLD, "move", (name, 0)),))),
            (p, Action(sends=(Send(WORLD, "move", (name, 1)),))),
        ]

    def outcome(m: Message, s: LearnerState) -> list[tuple[float, Action]]:
        partner, mine, yours = m.payload
        state = s.memory[partner] if one else 0
        nxt = 2 * mine + yours if one else 0
        w = float(WELLBEING_TABLE[mine, yours])
        q = s.q.copy()
        q[state, mine] += params.alpha * (w + params.discount * q[nxt].max() - q[state, mine])
        memory = s.memory[:partner] + (nxt,) + s.memory[partner + 1 :] if one else s.memory
        return [(1.0, Action(state=replace(s, q=q, memory=memory, last_wellbeing=w)))]

    return SocietyAgent(name, {"meet": meet, "outcome": outcome}, psi, lambda s: s.last_wellbeing)


def _world(edges: np.ndarray, encounters: int) -> SocietyAgent:
    m_edges = len(edges)
    uniform = np.full(m_edges, 1.0 / m_edges)

    def tick(m: Message, s: Any) -> Choice:
        def make(i: int) -> Action:
            u, v = int(edges[i, 0]), int(edges[i, 1])
            return Action(sends=(Send(str(u), "meet", v), Send(str(v), "meet", u)))

        return Choice(uniform, make)

    def move(m: Message, s: tuple[tuple[tuple[int, int], ...], int]) -> list[tuple[float, Action]]:
        pending, count = s
        if not pending:
            return [(1.0, Action(state=((m.payload,), count)))]
        (u, a), (v, b) = (int(pending[0][0]), pending[0][1]), (int(m.payload[0]), m.payload[1])
        sends = [Send(str(u), "outcome", (v, a, b)), Send(str(v), "outcome", (u, b, a))]
        if count + 1 < encounters:
            sends.append(Send(WORLD, "tick", delay=1.0))
        return [(1.0, Action(state=((), count + 1), sends=tuple(sends)))]

    return SocietyAgent(WORLD, {"tick": tick, "move": move}, ((), 0))


def sugar_spice_society(
    graph: nx.Graph,
    params: QLearning,
    *,
    encounters: int,
    q0: ArrayLike | None = None,
    rng: int | np.random.Generator | None = None,
    tie_rule: str = "random",
) -> Society:
    """The Sugar and spice society, ready to run (a first ``tick`` is posted).

    Initial Q-values and memories are drawn as in :func:`~dynamics.society.ensemble.run_ensemble`.
    """
    rng = generator(rng)
    encounters = integer_at_least(encounters, "encounters", 1)
    if not isinstance(params, QLearning):
        raise ParameterTypeError(
            f"params must be a QLearning (e.g. QLearning(**params) for a dict), got {params!r}"
        )
    G = interaction_graph(graph)
    n = G.number_of_nodes()
    q, mem = initial_state(n, params, 1, q0=q0, rng=rng)
    agents = [
        _learner(
            str(i),
            params,
            LearnerState(
                q[0, i], tuple(int(x) for x in mem[0, i]), "sugar" if i % 2 == 0 else "spice"
            ),
        )
        for i in range(n)
    ]
    society = Society([*agents, _world(edge_array(G), encounters)], rng=rng, tie_rule=tie_rule)
    society.post(WORLD, "tick")
    return society


def run_framework(
    graph: nx.Graph,
    params: QLearning,
    *,
    encounters: int,
    q0: ArrayLike | None = None,
    rng: int | np.random.Generator | None = None,
    tie_rule: str = "random",
    record: bool = True,
) -> FrameworkRun:
    """Run one Sugar and spice society on the framework for `encounters` encounters."""
    society = sugar_spice_society(
        graph, params, encounters=encounters, q0=q0, rng=rng, tie_rule=tie_rule
    )
    history = society.run(record=record)
    learners = [n for n in society.names if n != WORLD]
    q = np.array([society.states[n].q for n in learners])
    return FrameworkRun(
        society, history, q, tuple(str(x) for x in policy_strings(policy_codes(q, params), params))
    )
