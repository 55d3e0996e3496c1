import pytest
from hypothesis import given

from modal import (
    LIBRARY,
    SEED_AGENTS,
    Agent,
    CooperateBot,
    DefectBot,
    FairBot,
    Move,
    PrudentBot,
    box,
    explain,
    opp,
    outcome,
    parse_agents,
)

from .strategies import agents

C, D = Move.C, Move.D

# The seed: "CooperateBot cooperates with everyone. DefectBot defects against everyone. FairBot
# defects against only DefectBot. PrudentBot defects against CooperateBot and DefectBot and
# cooperates with itself and FairBot."
SEED_TABLE = {
    "DefectBot": [D, D, D, D],
    "CooperateBot": [C, C, C, C],
    "FairBot": [D, C, C, C],
    "PrudentBot": [D, D, C, C],
}


def test_seed_outcome_table() -> None:
    for a in SEED_AGENTS:
        assert [outcome(a, b)[0] for b in SEED_AGENTS] == SEED_TABLE[a.name]
        for b in SEED_AGENTS:
            assert outcome(a, b)[1] == outcome(b, a)[0]


@pytest.mark.parametrize(
    ("a", "b", "moves"),
    [
        ("FairBot", "FairBot", (C, C)),  # Löbian cooperation
        ("UnfairBot", "FairBot", (D, D)),
        ("TrollBot", "CooperateBot", (C, C)),  # CooperateBot provably cooperates with DefectBot
        ("TrollBot", "FairBot", (D, D)),  # PA cannot prove FairBot cooperates with DefectBot
        ("JustBot", "FairBot", (C, C)),
        ("WaitFairBot_1", "CooperateBot", (C, C)),
        ("WaitFairBot_2", "DefectBot", (D, D)),
        ("FairBot", "WaitFairBot_2", (D, D)),  # depth 1 < 2: FairBot cannot wait long enough
    ],
)
def test_literature_matches(a: str, b: str, moves: tuple[Move, Move]) -> None:
    assert outcome(LIBRARY[a], LIBRARY[b]) == moves


def test_explain_shows_why() -> None:
    ex = explain(PrudentBot, CooperateBot)
    assert ex.sentences[0] == ("PrudentBot", "CooperateBot")
    # PrudentBot trusts CooperateBot's defection against DefectBot only until world 2
    assert [w[0] for w in ex.worlds] == [C, C, D, D]
    assert ex.stable_from == 2
    assert "stable from world 2" in ex.table()


@given(agents("A"), agents("B"))
def test_world_bound(a: Agent, b: Agent) -> None:
    ex = explain(a, b)
    assert len(ex.worlds) <= ex.box_count + 2
    assert ex.worlds[ex.stable_from] == ex.worlds[-1]


def test_self_play_and_user_agents() -> None:
    a, b = parse_agents("Alice := []opp(Bob)\nBob := []opp(me) & []opp(Alice)")
    env = {**LIBRARY, "Alice": a, "Bob": b}
    assert outcome(a, b, env) == (C, C)
    assert outcome(DefectBot, DefectBot) == (D, D)
    assert outcome(FairBot, Agent("F2", box(opp()))) == (C, C)
