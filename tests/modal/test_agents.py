import numpy as np
import pytest

from modal import (
    BOT,
    LIBRARY,
    SEED_AGENTS,
    Agent,
    AlmostMagicBot,
    CooperateBot,
    DefectBot,
    FairBot,
    IndignationBot,
    MagicBot,
    ModalTypeError,
    Move,
    SimpleMagicBot,
    UnboxedRecursionError,
    UnknownAgentError,
    WaitBot,
    WaitBot2,
    box,
    cooperation_matrix,
    depth,
    environment,
    explain,
    me,
    opp,
    outcome,
    parse_agents,
    parse_formula,
    round_robin,
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


# --- the self atom and the literature's agents -------------------------------------------------

C, D = Move.C, Move.D


def test_self_atom_must_be_boxed_and_adds_no_depth() -> None:
    with pytest.raises(UnboxedRecursionError, match="'Echo' uses me outside any box"):
        Agent("Echo", me())
    with pytest.raises(UnboxedRecursionError, match="uses me"):
        parse_agents("Bad := [] opp(me) & ~me")
    assert depth(Agent("SelfTrust", box(me()))) == 1
    assert depth(MagicBot) == 2  # [1]φ = □(¬□⊥ → φ): the consistency assumption costs a box


@pytest.mark.parametrize(
    ("agent", "miri"),
    [
        # MIRI's machine-intelligence/provability, src/Modal/Agents.hs (a = me, b = opp(me))
        (MagicBot, "[1]([] me -> opp(me))"),
        (SimpleMagicBot, "[](<> me -> opp(me))"),
        (AlmostMagicBot, "~[1]([]~me -> opp(me)) & [2](~[1]([]~me -> opp(me)) -> opp(me))"),
        (WaitBot, "~[]F & [1]opp(me)"),
        (WaitBot2, "~[]me & ([]~me | [1]opp(me))"),
        (IndignationBot, "~[](me -> ~opp(me))"),
    ],
)
def test_literature_agents_are_the_papers_formulas(agent: Agent, miri: str) -> None:
    assert agent.formula == parse_formula(miri)
    assert LIBRARY[agent.name] is agent


def test_wait_fair_bot_is_the_papers_definition() -> None:
    # WaitFairBot_K = ¬□^K⊥ ∧ □(¬□^K⊥ → opp(me))
    waited = ~box(box(BOT))
    assert wait_fair_bot(2).formula == waited & box(waited >> opp())
    assert wait_fair_bot(2).name == "WaitFairBot_2"
    assert [depth(wait_fair_bot(k)) for k in range(4)] == [1, 2, 3, 4]
    # it waits: it defects in the worlds below K, so against CooperateBot it only starts late
    ex = explain(wait_fair_bot(3), CooperateBot)
    assert [w[0] for w in ex.worlds[:4]] == [D, D, D, C]
    assert outcome(wait_fair_bot(3), CooperateBot) == (C, C)
    assert outcome(wait_fair_bot(3), DefectBot) == (D, D)


def test_magic_bot_against_the_seed_agents() -> None:
    # By hand on the GL frame (MagicBot = □(¬□⊥ → (□me → opp(me)))):
    # vs CooperateBot opp(me) = ⊤, the box holds everywhere: C.
    # vs DefectBot opp(me) = ⊥; at world 1 ¬□⊥ holds and □me holds (MagicBot cooperated at
    # world 0), so the inner implication fails, and from world 2 on the box is false: D.
    # vs FairBot: both cooperate at worlds 0 and 1, so at world 1 □me and opp(me) both hold,
    # the inner formula never fails: C, and FairBot proves it: C.
    assert outcome(MagicBot, CooperateBot) == (C, C)
    assert outcome(MagicBot, DefectBot) == (D, D)
    assert outcome(MagicBot, FairBot) == (C, C)
    assert [w[0] for w in explain(MagicBot, DefectBot).worlds[:3]] == [C, C, D]


def test_simple_magic_bot_behaves_exactly_like_magic_bot() -> None:
    # MIRI's Agents.hs: simpleMagicBot "Behaves exactly like magicBot" -- against every library
    # agent, in both directions, and in self-play
    lib = list(LIBRARY.values())
    rr = round_robin([MagicBot, SimpleMagicBot], lib)
    assert np.array_equal(rr.cooperates[0], rr.cooperates[1])
    assert np.array_equal(rr.cooperated_with[0], rr.cooperated_with[1])
    assert rr.self_play.tolist() == [True, True]
    assert outcome(MagicBot, SimpleMagicBot) == (C, C)


def test_indignation_bot_is_loebian_about_its_own_defection() -> None:
    # against CooperateBot, IB cooperates iff ¬□¬IB: its defection is a Henkin sentence
    # (¬IB ↔ □¬IB), provable by Löb's theorem, so it defects -- at every world of the frame
    assert all(w[0] is D for w in explain(IndignationBot, CooperateBot).worlds)
    assert outcome(IndignationBot, IndignationBot) == (D, D)


def test_self_atom_semantics_in_the_sentence_system() -> None:
    # □me against anyone: "PA proves I cooperate" -- Löb: the agent cooperates with everyone
    trusting = Agent("SelfTrust", box(me()))
    assert all(outcome(trusting, b)[0] is C for b in SEED_AGENTS)
    # □¬me: "PA proves I defect" -- Löb again: it defects with everyone
    doubting = Agent("SelfDoubt", box(~me()))
    assert all(outcome(doubting, b)[0] is D for b in SEED_AGENTS)


def test_depth_follows_a_thousand_agent_chain() -> None:
    chain = [Agent(f"A{i}", box(opp(f"A{i + 1}"))) for i in range(999)]
    chain.append(Agent("A999", box(box(opp("CooperateBot")))))
    env = environment(chain)
    assert depth(chain[0], env) == 2
    assert outcome(chain[0], FairBot, env) == (C, C)
    assert cooperation_matrix([chain[0], FairBot], env).all()
