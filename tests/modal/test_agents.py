import pytest

from modal import (
    LIBRARY,
    SEED_AGENTS,
    Agent,
    FairBot,
    ModalTypeError,
    UnboxedRecursionError,
    UnknownAgentError,
    box,
    depth,
    environment,
    opp,
    parse_agents,
    wait_fair_bot,
)


def test_seed_depths() -> None:
    assert {a.name: depth(a) for a in SEED_AGENTS} == {
        "DefectBot": 0,
        "CooperateBot": 0,
        "FairBot": 1,
        "PrudentBot": 2,
    }


def test_depth_counts_the_agents_run_on() -> None:
    deep = Agent("Deep", box(box(box(opp()))))
    shallow = Agent("Shallow", box(opp("Deep")))
    assert depth(shallow, environment([deep])) == 3
    assert depth(wait_fair_bot(2)) == 3  # ¬□□⊥ ∧ □(¬□□⊥ → opp(me)): box depth K + 1
    assert depth(LIBRARY["JustBot"]) == 1


def test_mutual_recursion_between_named_agents() -> None:
    a, b = parse_agents("A := []opp(B)\nB := [][]opp(A)")
    env = environment([a, b])
    assert depth(a, env) == depth(b, env) == 2


def test_unboxed_recursion_names_agent_and_atom() -> None:
    with pytest.raises(UnboxedRecursionError, match=r"'Loop' uses opp\(me\)"):
        Agent("Loop", box(opp()) & ~opp())
    with pytest.raises(UnboxedRecursionError, match="opp\\(FairBot\\)"):
        parse_agents("Bad := opp(FairBot)")


def test_unknown_agent_is_named() -> None:
    with pytest.raises(UnknownAgentError, match="'Ghost' \\(in Seer\\)"):
        environment([Agent("Seer", box(opp("Ghost")))])


def test_bad_agent_arguments() -> None:
    with pytest.raises(ModalTypeError):
        Agent("", box(opp()))
    with pytest.raises(ModalTypeError):
        Agent("me", box(opp()))
    with pytest.raises(ModalTypeError):
        Agent("X", "[]opp(me)")  # type: ignore[arg-type]
    with pytest.raises(ModalTypeError):
        wait_fair_bot(-1)
    with pytest.raises(ModalTypeError):
        environment(["FairBot"])  # type: ignore[list-item]


def test_agents_are_hashable_values() -> None:
    assert {FairBot, Agent("FairBot", box(opp()))} == {FairBot}
