import numpy as np
import pytest

from dynamics.errors import (
    DynamicsError,
    ParameterError,
    ProbabilityError,
    UnknownChannelError,
    UnknownSocietyAgentError,
)
from dynamics.society.framework import UNCHANGED, Action, Choice, Send, Society, SocietyAgent


def _counter(name, target=None, probs=(1.0,)):
    def inc(m, psi):
        sends = (Send(target, "in", delay=1.0),) if target else ()
        return [(p, Action(state=psi + i + 1, sends=sends)) for i, p in enumerate(probs)]

    return SocietyAgent(name, {"in": inc}, 0, float)


def test_omega_is_the_sum_of_wellbeing_over_time():
    s = Society([_counter("a", "b"), _counter("b")], rng=0)
    s.post("a", "in")
    s.post("a", "in", delay=0.5)
    h = s.run()
    assert h.times.tolist() == [0.0, 0.0, 0.5, 1.0, 1.5]
    np.testing.assert_array_equal(h.omega, h.wellbeing.sum(axis=1))
    assert h.omega[-1] == s.omega() == 2 + 2  # each got 2 messages, each adding 1
    assert s.wellbeing("a") == 2.0


def test_random_tie_rule_is_seeded_and_fifo_keeps_order():
    order = []

    def log(m, psi):
        order.append(m.payload)
        return [(1.0, Action())]

    def run(rule, seed):
        order.clear()
        s = Society([SocietyAgent("x", {"in": log})], rng=seed, tie_rule=rule)
        for i in range(20):
            s.post("x", "in", i)
        s.run()
        return list(order)

    assert run("fifo", 0) == list(range(20))
    assert run("random", 1) == run("random", 1)
    assert run("random", 1) != run("random", 2)
    assert sorted(run("random", 3)) == list(range(20))


def test_actions_follow_their_probabilities():
    # 4000 draws of a 0.3/0.7 choice: binomial SE = sqrt(.21/4000) = 0.0072; allow 4 SE
    s = Society([_counter("a", probs=(0.3, 0.7))], rng=5)
    for _ in range(4000):
        s.post("a", "in")
    s.run(record=False)
    assert abs((s.states["a"] - 4000) / 4000 - 0.7) < 4 * 0.0072


def test_choice_distribution_and_unchanged_state():
    a = SocietyAgent(
        "a", {"in": lambda m, psi: Choice([0.0, 1.0], lambda i: Action(state=i))}, None
    )
    b = SocietyAgent("b", {"in": lambda m, psi: [(1.0, Action(state=UNCHANGED))]}, "keep")
    s = Society([a, b], rng=0)
    s.post("a", "in")
    s.post("b", "in")
    s.run()
    assert s.states == {"a": 1, "b": "keep"}


def test_unknown_channel_names_agent_and_channel():
    s = Society([_counter("a")])
    with pytest.raises(UnknownChannelError, match=r"'out'.*'a'"):
        s.post("a", "out")


def test_message_to_missing_agent_names_sender():
    s = Society([_counter("a", target="ghost")], rng=0)
    s.post("a", "in")
    with pytest.raises(UnknownSocietyAgentError, match=r"from 'a'.*'ghost'"):
        s.run()
    with pytest.raises(UnknownSocietyAgentError, match="nobody"):
        s.wellbeing("nobody")


@pytest.mark.parametrize("probs", [(0.5, 0.4), (1.2, -0.2), (float("nan"),)])
def test_probabilities_must_sum_to_one(probs):
    s = Society([_counter("a", probs=probs)], rng=0)
    s.post("a", "in")
    with pytest.raises(ProbabilityError, match=r"channel 'in' of agent 'a'"):
        s.run()
    assert issubclass(ProbabilityError, DynamicsError)


def test_other_bad_input():
    with pytest.raises(ParameterError, match="two agents"):
        Society([_counter("a"), _counter("a")])
    with pytest.raises(ParameterError, match="tie_rule"):
        Society([_counter("a")], tie_rule="lifo")
    with pytest.raises(ParameterError, match="delay"):
        Society([_counter("a")]).post("a", "in", delay=-1)
    with pytest.raises(TypeError, match="SocietyAgent"):
        Society(["a"])  # type: ignore[list-item]
    s = Society([SocietyAgent("a", {"in": lambda m, psi: [(1.0, "nope")]})])
    s.post("a", "in")
    with pytest.raises(TypeError, match="not an Action"):
        s.run()
    s = Society([SocietyAgent("a", {"in": lambda m, psi: []})])
    s.post("a", "in")
    with pytest.raises(ProbabilityError, match="no actions"):
        s.run()


def test_run_limits():
    s = Society([_counter("a", "a")], rng=0)
    s.post("a", "in")
    assert s.run(max_deliveries=5).deliveries == 5
    assert s.run(until=9.5).times[-1] == 9.0
    with pytest.raises(ParameterError, match="max_deliveries"):
        s.run(max_deliveries=-1)
