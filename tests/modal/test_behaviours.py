import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modal import (
    LIBRARY,
    SEED_AGENTS,
    Agent,
    CooperateBot,
    DefectBot,
    FairBot,
    ModalTypeError,
    PrudentBot,
    round_robin,
)
from modal.behaviours import depth1_behaviours
from modal.checks import fair_exploiter_behaviours
from modal.enumerate import formulas
from modal.formula import BOT, TOP, And, Box, Diamond, Formula, Me, Not, Opp, Or

NAMED = ("CooperateBot", "DefectBot", "FairBot")


@pytest.fixture(scope="module")
def seed_behaviours():  # type: ignore[no-untyped-def]
    return depth1_behaviours(SEED_AGENTS)


def _moves(rr, i):  # type: ignore[no-untyped-def]
    return (
        tuple(bool(x) for x in rr.cooperates[i]),
        tuple(bool(x) for x in rr.cooperated_with[i]),
        bool(rr.self_play[i]),
    )


def test_counts_and_witnesses(seed_behaviours) -> None:  # type: ignore[no-untyped-def]
    bs = seed_behaviours
    assert len(bs) == 37 and len(bs.without_self_play()) == 21
    assert bs.verified  # every witness was re-played by the batch evaluator
    depths = sorted(b.depth for b in bs)
    assert depths[:2] == [0, 0] and set(depths[2:]) == {1}  # CooperateBot and DefectBot
    # the witnesses, re-played here once more pair by pair with the world-by-world evaluator
    from modal import outcome

    for b in list(bs)[:6]:
        w = b.witness
        assert tuple(outcome(w, r)[0].value == "C" for r in SEED_AGENTS) == b.cooperates
        assert outcome(w, w)[0].value == ("C" if b.self_play else "D")


def test_syntactic_enumeration_stays_inside_and_is_reached_at_size_7(seed_behaviours) -> None:  # type: ignore[no-untyped-def]
    known = {(b.cooperates, b.cooperated_with, b.self_play) for b in seed_behaviours}
    reached = []
    for size in (5, 7):
        fs = formulas(1, size, ("me", *NAMED))
        rr = round_robin([Agent(f"S{i}", f) for i, f in enumerate(fs)], SEED_AGENTS)
        got = {_moves(rr, i) for i in range(len(fs))}
        assert got <= known
        reached.append(len(got))
    assert reached == [14, 22]  # 22 of 37 at 7 nodes, as issue 15 reports


def _depth1(draw_atoms: st.SearchStrategy[Formula]) -> st.SearchStrategy[Formula]:
    inner = st.recursive(
        draw_atoms,
        lambda kids: st.one_of(
            kids.map(Not),
            st.tuples(kids, kids).map(lambda t: And(*t)),
            st.tuples(kids, kids).map(lambda t: Or(*t)),
        ),
        max_leaves=4,
    )
    boxed = inner.flatmap(lambda f: st.sampled_from([Box(f), Diamond(f)]))
    return st.recursive(
        st.one_of(st.just(TOP), st.just(BOT), boxed),
        lambda kids: st.one_of(
            kids.map(Not),
            st.tuples(kids, kids).map(lambda t: And(*t)),
            st.tuples(kids, kids).map(lambda t: Or(*t)),
        ),
        max_leaves=4,
    )


ATOMS = st.one_of(
    st.just(TOP), st.just(BOT), st.just(Me()), st.sampled_from(("me", *NAMED)).map(Opp)
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_depth1(ATOMS), min_size=1, max_size=8))
def test_every_depth1_formula_has_a_found_behaviour(seed_behaviours, fs) -> None:  # type: ignore[no-untyped-def]
    # completeness, by brute force on random depth-1 formulas with the self atom
    known = {(b.cooperates, b.cooperated_with, b.self_play) for b in seed_behaviours}
    rr = round_robin([Agent(f"R{i}", f) for i, f in enumerate(fs)], SEED_AGENTS)
    for i in range(len(fs)):
        assert _moves(rr, i) in known


def test_mc08_against_the_good_mixture() -> None:
    bs = depth1_behaviours((CooperateBot, FairBot, PrudentBot), self_play=False)
    fx = fair_exploiter_behaviours(bs)
    assert fx.mutual == ()
    assert fx.one_sided  # cooperating with FairBot one-sidedly is possible (and exploited)
    assert all(b.self_play is None for b in bs)
    assert bs.verified


def test_more_named_agents_more_behaviours() -> None:
    lib = [LIBRARY[n] for n in (*NAMED, "TrollBot", "JustBot")]
    small = depth1_behaviours(SEED_AGENTS, self_play=False)
    big = depth1_behaviours(SEED_AGENTS, named=lib, self_play=False)
    assert small.without_self_play() < big.without_self_play()


def test_bad_input() -> None:
    with pytest.raises(ModalTypeError, match="'PrudentBot' has depth 2"):
        depth1_behaviours(SEED_AGENTS, named=(PrudentBot,))
    with pytest.raises(ModalTypeError, match="called 'X'"):
        depth1_behaviours([*SEED_AGENTS, Agent("X", TOP)])
    with pytest.raises(ModalTypeError, match="must include FairBot"):
        fair_exploiter_behaviours(depth1_behaviours([CooperateBot], self_play=False))
    assert np.all([b.depth in (0, 1) for b in depth1_behaviours([CooperateBot])])


def test_without_the_self_atom() -> None:
    bs = depth1_behaviours(SEED_AGENTS, self_atom=False)
    with_me = depth1_behaviours(SEED_AGENTS)
    assert bs.verified
    assert all("me" not in str(b.witness.formula).replace("opp(me)", "") for b in bs)
    # fewer agents, so no behaviour the self atom's search lacks
    got = {(b.cooperates, b.cooperated_with, b.self_play) for b in bs}
    assert got <= {(b.cooperates, b.cooperated_with, b.self_play) for b in with_me}
    # brute force: every me-free depth-1 formula up to 6 nodes has a found behaviour
    fs = formulas(1, 6, ("me", *NAMED))
    rr = round_robin([Agent(f"S{i}", f) for i, f in enumerate(fs)], SEED_AGENTS)
    assert {_moves(rr, i) for i in range(len(fs))} <= got


def test_matching_agents_are_never_exploited() -> None:
    bs = depth1_behaviours([CooperateBot, FairBot], named=(), matching=True)
    assert bs.verified and all(b.depth == 0 or "me" in str(b.witness.formula) for b in bs)
    for b in bs:
        w = Agent("W", b.witness.formula)
        # every depth-1 agent, by behaviour, against the witness: none defects on a cooperator
        zs = depth1_behaviours([w], named=(), self_play=False, verify=False)
        assert not any(not z.cooperates[0] and z.cooperated_with[0] for z in zs)
    # the unrestricted search has exploitable agents (so the check above can fail)
    free = depth1_behaviours([CooperateBot, FairBot], named=())
    assert len(free) > len(bs)


def test_settled_worlds() -> None:
    bs = depth1_behaviours([CooperateBot, DefectBot], settled=True)
    plain = depth1_behaviours([CooperateBot, DefectBot])
    assert [b.witness for b in bs] == [b.witness for b in plain]
    assert all(b.settled is not None and b.settled >= 0 for b in bs)
    assert all(b.settled is None for b in plain)
    # each witness's own self-play sees its last new vector no later than its class's world
    from modal import explain

    for b in bs:
        w, w2 = Agent("W", b.witness.formula), Agent("W2", b.witness.formula)
        e = explain(w, w2, {**LIBRARY, "W": w, "W2": w2})
        assert e.stable_from <= b.settled + 2


def test_new_options_bad_input() -> None:
    with pytest.raises(ModalTypeError, match="matching=True needs self_atom=True"):
        depth1_behaviours([CooperateBot], matching=True, self_atom=False)
    with pytest.raises(ModalTypeError, match="settled=True needs self_play=True"):
        depth1_behaviours([CooperateBot], settled=True, self_play=False)
