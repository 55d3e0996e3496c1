import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modal import (
    LIBRARY,
    SEED_AGENTS,
    Agent,
    ModalTypeError,
    Move,
    UnknownAgentError,
    box,
    cooperation_matrix,
    explain,
    opp,
    outcome,
    parse_formula,
    round_robin,
)
from modal.checks import slow_cooperation_matrix

from .strategies import agents, modalized


def test_library_round_robin_matches_slow() -> None:
    lib = list(LIBRARY.values())
    assert np.array_equal(cooperation_matrix(lib), slow_cooperation_matrix(lib))


@settings(max_examples=40)
@given(st.lists(agents(), min_size=1, max_size=5, unique_by=lambda a: a.name))
def test_batch_agrees_with_slow_evaluator(pool) -> None:  # type: ignore[no-untyped-def]
    players = [*pool, *SEED_AGENTS]
    assert np.array_equal(cooperation_matrix(players), slow_cooperation_matrix(players))


def test_duplicate_names_rejected() -> None:
    with pytest.raises(ModalTypeError, match="'FairBot' appears twice"):
        cooperation_matrix([LIBRARY["FairBot"], LIBRARY["FairBot"]])


def test_boxes_moving_past_world_63_fall_back_to_the_slow_evaluator() -> None:
    from modal import wait_fair_bot

    # □^71⊥ stays true until world 70: 64 packed worlds cannot see it settle
    deep = wait_fair_bot(70)
    players = [deep, LIBRARY["PrudentBot"], LIBRARY["CooperateBot"], LIBRARY["FairBot"]]
    assert np.array_equal(cooperation_matrix(players), slow_cooperation_matrix(players))


def _slow_round_robin(cands, refs, env=None):  # type: ignore[no-untyped-def]
    c = [[outcome(a, r, env)[0] is Move.C for r in refs] for a in cands]
    w = [[outcome(r, a, env)[0] is Move.C for r in refs] for a in cands]
    s = [outcome(a, a, env)[0] is Move.C for a in cands]
    return np.array(c, bool), np.array(w, bool), np.array(s, bool)


@settings(max_examples=40)
@given(st.lists(agents(), min_size=1, max_size=6, unique_by=lambda a: a.name))
def test_round_robin_agrees_with_slow_evaluator(pool) -> None:  # type: ignore[no-untyped-def]
    refs = [*SEED_AGENTS, LIBRARY["MagicBot"]]
    rr = round_robin(pool, refs)
    c, w, s = _slow_round_robin(pool, refs)
    assert np.array_equal(rr.cooperates, c)
    assert np.array_equal(rr.cooperated_with, w)
    assert np.array_equal(rr.self_play, s)
    assert not rr.slow_fallback


def test_round_robin_stops_when_every_box_is_stable() -> None:
    lib = list(LIBRARY.values())
    rr = round_robin(lib, SEED_AGENTS)
    # the world-by-world evaluator's own stopping world, over every pair played
    latest = max(
        max(explain(a, r).stable_from, explain(r, a).stable_from, explain(a, a).stable_from)
        for a in lib
        for r in SEED_AGENTS
    )
    assert rr.stable_from is not None and rr.stable_from <= latest
    assert rr.stable_from < 10  # nowhere near the 64 packed worlds
    assert len(rr) == len(lib)


def test_round_robin_is_rectangular_and_matches_the_square() -> None:
    lib = list(LIBRARY.values())
    square = cooperation_matrix(lib)
    cols = [lib.index(LIBRARY[n]) for n in ("FairBot", "MagicBot", "IndignationBot")]
    rr = round_robin(lib, [lib[j] for j in cols])
    assert rr.cooperates.shape == (len(lib), 3)
    assert np.array_equal(rr.cooperates, square[:, cols])
    assert np.array_equal(rr.cooperated_with, square[cols, :].T)
    assert np.array_equal(rr.self_play, np.diag(square))


def test_round_robin_bad_input() -> None:
    fb = LIBRARY["FairBot"]
    with pytest.raises(ModalTypeError, match="candidates: .*'FairBot' appears twice"):
        round_robin([fb, fb], SEED_AGENTS)
    ghost = Agent("Seer", box(opp("Ghost")))
    with pytest.raises(UnknownAgentError, match="'Ghost'"):
        round_robin([ghost], SEED_AGENTS)
    cand = Agent("Cand", box(opp()))
    fan = Agent("Fan", box(opp("Cand")))
    rr = round_robin([cand], [fan])  # a reference naming a candidate: solved with it
    assert rr.cooperates.tolist() == [[True]] and rr.cooperated_with.tolist() == [[True]]
    empty = round_robin([], SEED_AGENTS)
    assert empty.cooperates.shape == (0, 4)


def test_big_formulas_in_the_batch_evaluator() -> None:
    many = parse_formula(" & ".join(["[]opp(me)"] * 600))
    wide = Agent("Wide", many)
    deep = Agent("Deep", parse_formula("[]" * 500 + "opp(me)"))
    players = [wide, deep, *SEED_AGENTS]
    fast = cooperation_matrix(players)
    # Wide is FairBot 600 times over; Deep cooperates with everyone: its box stays true until
    # world 500 against DefectBot, long past the 64 packed worlds (the slow path answers)
    assert fast[0, 2:].tolist() == fast[4, 2:].tolist()  # row 4 is FairBot
    assert outcome(wide, LIBRARY["FairBot"]) == (Move.C, Move.C)
    assert outcome(deep, LIBRARY["DefectBot"])[0] is Move.D
    rr = round_robin([wide, deep], SEED_AGENTS)
    assert rr.slow_fallback and rr.cooperates[1].tolist() == fast[1, 2:].tolist()


def test_candidates_sharing_a_formula_share_their_rows() -> None:
    # each distinct formula is evaluated once; equal formulas under other names (and other
    # objects) get the same moves as when they are evaluated alone
    from modal import LIBRARY, SEED_AGENTS, Agent, parse_formula, round_robin

    lib = list(LIBRARY.values())
    copies = [Agent(f"{a.name}_copy", parse_formula(str(a.formula))) for a in lib]
    mixed = [x for pair in zip(lib, copies, strict=True) for x in pair]
    rr = round_robin(mixed, SEED_AGENTS)
    alone = round_robin(lib, SEED_AGENTS)
    assert (rr.cooperates[0::2] == alone.cooperates).all()
    assert (rr.cooperates[1::2] == alone.cooperates).all()
    assert (rr.cooperated_with[1::2] == alone.cooperated_with).all()
    assert (rr.self_play[1::2] == alone.self_play).all()


def test_environment_names_the_agent_with_an_undefined_reference() -> None:
    import pytest

    from modal import Agent, UnknownAgentError, box, environment, opp
    from modal.errors import ModalTypeError

    with pytest.raises(UnknownAgentError, match="'Ghost'.*Seer"):
        environment([Agent("Seer", box(opp("Ghost")))])
    with pytest.raises(ModalTypeError, match="expected an Agent"):
        environment([Agent("Ok", box(opp())), "FairBot"])  # type: ignore[list-item]


@settings(max_examples=15, deadline=None)
@given(st.lists(modalized(), min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_many_candidates_at_once_agree_with_the_world_by_world_evaluator(fs, rnd) -> None:  # type: ignore[no-untyped-def]
    # one batch of many formulas (the gathered program table, the packed operand selections),
    # some repeated as the same object and some as an equal copy, against the slow evaluator
    fs = [*fs, *rnd.sample(fs, len(fs) // 2), *(parse_formula(str(f)) for f in fs[:3])]
    pool = [Agent(f"X{i}", f) for i, f in enumerate(fs)]
    refs = [*SEED_AGENTS, LIBRARY["MagicBot"]]
    rr = round_robin(pool, refs)
    c, w, s = _slow_round_robin(pool, refs)
    assert np.array_equal(rr.cooperates, c)
    assert np.array_equal(rr.cooperated_with, w)
    assert np.array_equal(rr.self_play, s)


def test_formulas_with_colliding_hashes_are_told_apart(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # the store groups formulas by structure (connective and children's nodes), never by a
    # formula's hash: with every Formula hash forced equal, unequal formulas keep their own rows
    import modal.batch
    from modal._programs import _Dag
    from modal.formula import Formula

    lib = list(LIBRARY.values())
    copies = [Agent(f"{a.name}_copy", parse_formula(str(a.formula))) for a in lib]
    mixed = [*lib, *copies]
    expected = round_robin(mixed, SEED_AGENTS)
    kinds = len({str(a.formula) for a in lib})  # distinct formulas, counted by their text
    monkeypatch.setattr(Formula, "__hash__", lambda self: 7)
    assert len({a.formula for a in lib}) == kinds  # the hash is constant, equality decides
    _, first, row = modal.batch._formula_groups(_Dag(), mixed)
    distinct = [mixed[i] for i in first.tolist()]
    assert len(distinct) == kinds and len(row) == len(mixed)
    assert all(distinct[k].formula == a.formula for k, a in zip(row, mixed, strict=True))
    monkeypatch.setattr(modal._programs, "_STORE", [_Dag()])  # a fresh store for the round robin
    rr = round_robin(mixed, SEED_AGENTS)
    assert np.array_equal(rr.cooperates, expected.cooperates)
    assert np.array_equal(rr.cooperated_with, expected.cooperated_with)
    assert np.array_equal(rr.self_play, expected.self_play)


@st.composite
def _sharing_candidates(draw):  # type: ignore[no-untyped-def]
    """Candidates built from a few subformula *objects* reused across and within formulas
    (atoms anywhere inside the boxes, the self atom ``me`` included), some roots ⊤/⊥."""
    from modal.formula import BOT, TOP, And, Box, Diamond, Iff, Implies, Not, Or

    from .strategies import formulas

    pool = draw(st.lists(formulas(), min_size=1, max_size=4))
    boxes = [Box(p) for p in pool] + [Diamond(p) for p in pool]
    boxes += [Box(And(p, b)) for p, b in zip(pool, boxes, strict=False)]  # a box inside a box
    parts = [*boxes, TOP, BOT]
    links = [And, Or, Implies, Iff, lambda a, b: Not(a), lambda a, b: a, lambda a, b: And(a, a)]
    out = []
    for _ in range(draw(st.integers(1, 12))):
        x, y = draw(st.sampled_from(parts)), draw(st.sampled_from(parts))
        out.append(draw(st.sampled_from(links))(x, y))
    return out


@settings(max_examples=30, deadline=None)
@given(_sharing_candidates(), st.randoms(use_true_random=False))
def test_shared_subformulas_and_self_atoms_agree_with_the_world_by_world_evaluator(fs, rnd) -> None:  # type: ignore[no-untyped-def]
    # the formula store interns every subformula once (by object, then by equality) and gives
    # each candidate one register per distinct subformula: shared objects, equal copies from
    # the parser and repeated formulas must all give the slow evaluator's moves
    fs = [*fs, *(parse_formula(str(f)) for f in rnd.sample(fs, (len(fs) + 1) // 2))]
    pool = [Agent(f"S{i}", f) for i, f in enumerate(fs)]
    refs = [*SEED_AGENTS, LIBRARY["MagicBot"], LIBRARY["IndignationBot"]]
    rr = round_robin(pool, refs)
    c, w, s = _slow_round_robin(pool, refs)
    assert np.array_equal(rr.cooperates, c)
    assert np.array_equal(rr.cooperated_with, w)
    assert np.array_equal(rr.self_play, s)


def test_only_candidates_still_moving_at_world_63_take_the_slow_path(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # □^71⊥ changes at world 70, past the 64 packed worlds: that candidate (and only it) is
    # played by the world-by-world evaluator; every other row stays the batch's, all exact
    import modal.batch
    from modal import wait_fair_bot

    late = wait_fair_bot(70)
    pool = [*LIBRARY.values(), late]
    slowed: list[str] = []
    real = modal.batch._slow

    def spy(cands, refs, env):  # type: ignore[no-untyped-def]
        slowed.extend(a.name for a in cands)
        return real(cands, refs, env)

    monkeypatch.setattr(modal.batch, "_slow", spy)
    rr = round_robin(pool, SEED_AGENTS)
    assert slowed == [late.name]
    assert rr.slow_fallback and rr.stable_from is None
    c, w, s = _slow_round_robin(pool, SEED_AGENTS)
    assert np.array_equal(rr.cooperates, c)
    assert np.array_equal(rr.cooperated_with, w)
    assert np.array_equal(rr.self_play, s)


def test_candidates_override_the_environment_where_some_agent_names_them() -> None:
    # a candidate called FairBot is the FairBot that JustBot (a reference) and another
    # candidate run; candidates nobody names stay out of the environment but are all checked
    from modal import environment

    fake = Agent("FairBot", parse_formula("F"))  # a "FairBot" that always defects
    fan = Agent("Fan", parse_formula("[]opp(FairBot)"))
    pool = [fake, fan, Agent("Plain", parse_formula("[]opp(me)"))]
    refs = [LIBRARY["JustBot"], *SEED_AGENTS[:2]]
    rr = round_robin(pool, refs)
    c, w, s = _slow_round_robin(pool, refs, environment([*refs, *pool]))
    assert np.array_equal(rr.cooperates, c)
    assert np.array_equal(rr.cooperated_with, w)
    assert np.array_equal(rr.self_play, s)
    assert not rr.cooperated_with[1, 0]  # JustBot runs Fan against the fake FairBot: D
    with pytest.raises(ModalTypeError, match="candidates: expected an Agent, got str"):
        round_robin([*pool, "FairBot"], refs)  # type: ignore[list-item]
    with pytest.raises(UnknownAgentError, match="'Ghost' \\(in Seer\\)"):
        round_robin([*pool, Agent("Seer", parse_formula("[]opp(Ghost)"))], refs)
