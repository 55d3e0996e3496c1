"""The message-passing framework: agents, channels, behaviours P(a | m, psi), a scheduler.

An agent owns named channels. A message arriving on a channel is handled by that channel's
*behaviour*, a function of the message ``m`` and the agent's internal state ``psi`` that returns a
probability distribution over *actions* ``a``: a list of ``(probability, Action)`` pairs, or a
:class:`Choice` (an array of probabilities and a function building the chosen action). An action
sets a new internal state and/or sends messages to other agents' channels after a delay.

A :class:`Society` delivers messages in time order from a priority queue of timed deliveries.
**Tie rule:** deliveries due at the same time are delivered in a uniformly random order, drawn from
the society's seeded generator when the message is sent (``tie_rule="random"``), or in the order
they were sent (``tie_rule="fifo"``). Each agent has a wellbeing ``W(psi)``; the collective
wellbeing ``Omega = sum W`` is recorded after every delivery that changes a state.

Examples
--------
>>> def ping(m, psi):
...     return [(1.0, Action(state=psi + 1, sends=(Send("b", "in", delay=1.0),)))]
>>> def pong(m, psi):
...     return [(0.5, Action(state=psi + 1)), (0.5, Action(state=psi))]
>>> a, b = SocietyAgent("a", {"in": ping}, 0, float), SocietyAgent("b", {"in": pong}, 0, float)
>>> s = Society([a, b], rng=1)
>>> s.post("a", "in")
>>> h = s.run()
>>> s.states["a"], h.times.tolist()
(1, [0.0, 0.0, 1.0])
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from dynamics._checks import generator
from dynamics.errors import (
    ParameterError,
    ProbabilityError,
    UnknownChannelError,
    UnknownSocietyAgentError,
)

__all__ = [
    "UNCHANGED",
    "Send",
    "Action",
    "Message",
    "Choice",
    "Behaviour",
    "SocietyAgent",
    "SocietyHistory",
    "Society",
    "DELIVERY_TIE_RULES",
    "PROBABILITY_TOL",
]

#: Action probabilities must sum to 1 within this tolerance: sums of a few float probabilities
#: carry rounding errors of order 1e-16 per term, far below it.
PROBABILITY_TOL = 1e-9
#: How messages delivered at the same time are ordered: at random, or first in first out.
DELIVERY_TIE_RULES = ("random", "fifo")


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


#: Returned as the new state by a behaviour that leaves the agent's state as it was.
UNCHANGED: Any = _Unchanged()  # Any: a marker that stands in for any state; keeps the state


@dataclass(frozen=True)
class Send:
    """A message to agent `to`'s `channel`, delivered `delay` time units after the action."""

    to: str
    channel: str
    payload: Any = None  # Any: whatever the receiving behaviour understands
    delay: float = 0.0


@dataclass(frozen=True)
class Action:
    """A new internal state (or :data:`UNCHANGED`) and the messages to send."""

    state: Any = UNCHANGED  # Any: the agent's own state type, or UNCHANGED
    sends: tuple[Send, ...] = ()


@dataclass(frozen=True)
class Message:
    """A delivered message: when, from whom, to whom, on which channel, what."""

    time: float
    sender: str | None
    recipient: str
    channel: str
    payload: Any  # Any: whatever the receiving behaviour understands


@dataclass(frozen=True)
class Choice:
    """A distribution over many actions, unlisted: ``make(i)`` with probability ``p[i]``."""

    probabilities: ArrayLike
    make: Callable[[int], Action]


#: ``behaviour(message, state)``: the actions an agent may take, with their probabilities,
#: or a :class:`Choice`.
Behaviour = Callable[[Message, Any], "Sequence[tuple[float, Action]] | Choice"]


@dataclass(frozen=True)
class SocietyAgent:
    """An agent: a name, its channels' behaviours, its initial state and its wellbeing ``W``."""

    name: str
    channels: Mapping[str, Behaviour]
    state: Any = None  # Any: the agent's internal state psi, of the behaviours' own type
    wellbeing: Callable[[Any], float] = field(default=lambda psi: 0.0)  # Any: psi, as above


@dataclass(frozen=True)
class SocietyHistory:
    """Omega (and each agent's wellbeing) after every delivery that changed a state."""

    times: np.ndarray
    omega: np.ndarray
    wellbeing: np.ndarray  # shape (len(times), number of agents), columns in `agents` order
    agents: tuple[str, ...]
    deliveries: int


class Society:
    """Agents exchanging messages, run by a discrete-event scheduler (see the module docstring).

    Parameters
    ----------
    agents : iterable of SocietyAgent
        Agents with distinct names.
    rng : int or numpy.random.Generator, optional
        Seeds the choice of actions and the tie rule.
    tie_rule : {"random", "fifo"}
        How deliveries due at the same time are ordered.

    Raises
    ------
    ParameterError
        Two agents with one name, or an unknown tie rule.
    """

    def __init__(
        self,
        agents: Sequence[SocietyAgent],
        *,
        rng: int | np.random.Generator | None = None,
        tie_rule: str = "random",
    ):
        self.rng = generator(rng)
        if tie_rule not in DELIVERY_TIE_RULES:
            raise ParameterError(f"tie_rule must be one of {DELIVERY_TIE_RULES}, got {tie_rule!r}")
        self.tie_rule = tie_rule
        self.agents: dict[str, SocietyAgent] = {}
        for a in agents:
            if not isinstance(a, SocietyAgent):
                raise TypeError(f"agents must be SocietyAgent objects, got {a!r}")
            if a.name in self.agents:
                raise ParameterError(f"two agents are named {a.name!r}")
            self.agents[a.name] = a
        self.names = tuple(self.agents)
        self.states: dict[str, Any] = {n: a.state for n, a in self.agents.items()}
        self._w = np.array([float(a.wellbeing(a.state)) for a in self.agents.values()])
        self._col = {n: i for i, n in enumerate(self.names)}
        self._queue: list[tuple[float, float, int, Message]] = []
        self._seq = 0
        self.time = 0.0
        self.deliveries = 0

    def omega(self) -> float:
        """The collective wellbeing now: the sum of every agent's ``W(psi)``."""
        return float(self._w.sum())

    def wellbeing(self, name: str) -> float:
        """Agent `name`'s wellbeing now."""
        self._check_agent(name, "wellbeing of")
        return float(self._w[self._col[name]])

    def _check_agent(self, name: str, what: str) -> None:
        if name not in self.agents:
            raise UnknownSocietyAgentError(f"{what} agent {name!r}, which does not exist")

    def post(
        self,
        recipient: str,
        channel: str,
        payload: Any = None,  # Any: whatever the receiving behaviour understands
        *,
        delay: float = 0.0,
        sender: str | None = None,
    ) -> None:
        """Schedule a delivery to `recipient`'s `channel` `delay` time units from now.

        Raises
        ------
        UnknownSocietyAgentError, UnknownChannelError
            If the recipient or its channel does not exist (naming the sender).
        ParameterError
            If the delay is negative or not finite.
        """
        who = f"message from {sender!r}" if sender is not None else "posted message"
        if recipient not in self.agents:
            raise UnknownSocietyAgentError(
                f"{who} on channel {channel!r} to agent {recipient!r}, which does not exist"
            )
        if channel not in self.agents[recipient].channels:
            raise UnknownChannelError(
                f"{who} to unknown channel {channel!r} of agent {recipient!r} "
                f"(its channels: {sorted(self.agents[recipient].channels)})"
            )
        if not (isinstance(delay, int | float) and math.isfinite(delay) and delay >= 0):
            raise ParameterError(
                f"{who} to {recipient!r}.{channel}: delay must be a finite "
                f"number >= 0, got {delay!r}"
            )
        t = self.time + float(delay)
        tie = float(self.rng.random()) if self.tie_rule == "random" else 0.0
        self._seq += 1
        msg = Message(t, sender, recipient, channel, payload)
        heapq.heappush(self._queue, (t, tie, self._seq, msg))

    def _sample(self, dist: Any, msg: Message) -> Action:
        where = f"behaviour of channel {msg.channel!r} of agent {msg.recipient!r}"
        if isinstance(dist, Choice):
            p = np.asarray(dist.probabilities, dtype=float)
            make: Callable[[int], Action] = dist.make
        else:
            pairs = list(dist)
            if not pairs:
                raise ProbabilityError(f"{where} returned no actions")
            p = np.array([float(q) for q, _ in pairs])
            make = lambda i: pairs[i][1]  # noqa: E731
        if p.ndim != 1 or p.size == 0 or np.any(~np.isfinite(p)) or np.any(p < 0):
            raise ProbabilityError(f"{where}: probabilities must be finite and >= 0, got {p}")
        total = float(p.sum())
        if abs(total - 1.0) > PROBABILITY_TOL:
            raise ProbabilityError(f"{where}: probabilities sum to {total!r}, not 1")
        i = (
            0
            if p.size == 1
            else int(np.searchsorted(np.cumsum(p), self.rng.random() * total, side="right"))
        )
        action = make(min(i, p.size - 1))
        if not isinstance(action, Action):
            raise TypeError(f"{where} returned {action!r}, not an Action")
        return action

    def step(self) -> Message | None:
        """Deliver the next message (None if the queue is empty) and apply the chosen action."""
        if not self._queue:
            return None
        t, _, _, msg = heapq.heappop(self._queue)
        self.time = t
        agent = self.agents[msg.recipient]
        action = self._sample(agent.channels[msg.channel](msg, self.states[msg.recipient]), msg)
        if action.state is not UNCHANGED:
            self.states[msg.recipient] = action.state
            self._w[self._col[msg.recipient]] = float(agent.wellbeing(action.state))
        for s in action.sends:
            if not isinstance(s, Send):
                raise TypeError(f"agent {msg.recipient!r} sent {s!r}, not a Send")
            self.post(s.to, s.channel, s.payload, delay=s.delay, sender=msg.recipient)
        self.deliveries += 1
        return msg

    def run(
        self, *, until: float = math.inf, max_deliveries: int | None = None, record: bool = True
    ) -> SocietyHistory:
        """Deliver messages until the queue is empty, time passes `until`, or the cap is hit.

        Omega is recorded at the start and after every delivery (if `record`). An interrupt
        (Ctrl-C) stops the run and returns the history so far.
        """
        if max_deliveries is not None and max_deliveries < 0:
            raise ParameterError(f"max_deliveries must be >= 0, got {max_deliveries!r}")
        times, rows = [self.time], [self._w.copy()]
        done = 0
        try:
            while self._queue and self._queue[0][0] <= until:
                if max_deliveries is not None and done >= max_deliveries:
                    break
                self.step()
                done += 1
                if record:
                    times.append(self.time)
                    rows.append(self._w.copy())
        except KeyboardInterrupt:
            pass
        W = np.array(rows)
        return SocietyHistory(np.array(times), W.sum(axis=1), W, self.names, done)
