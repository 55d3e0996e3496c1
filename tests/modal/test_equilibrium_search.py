from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modal import (
    LIBRARY,
    Agent,
    CooperateBot,
    DefectBot,
    FairBot,
    ModalTypeError,
    PrudentBot,
    outcome,
    round_robin,
)
from modal.behaviours import depth1_behaviours
from modal.equilibrium_search import EXPLOITERS, depth1_pure_equilibria, truncation
from modal.evaluate import Move
from modal.formula import BOT, TOP, Box, Diamond, Formula, Iff, Not, Opp, me, opp

from .duels import exploits


@pytest.fixture(scope="module")
def self_atom():  # type: ignore[no-untyped-def]
    return depth1_pure_equilibria(self_atom=True)


def test_seed_language_every_candidate_is_exploited(seed_language) -> None:  # type: ignore[no-untyped-def]
    r = seed_language
    assert len(r) == 4 and r.counterexample is None and r.unexploitable == ()
    for b, z, t in zip(r.candidates, r.exploited_by, r.settled, strict=True):
        w = Agent("W", b.witness.formula)
        # a candidate, re-played with the slow evaluator
        assert outcome(w, CooperateBot)[0] is Move.D and outcome(w, DefectBot)[0] is Move.D
        assert outcome(w, Agent("W2", w.formula), {**LIBRARY, "W": w, "W2": w})[0] is Move.C
        if z is not None:
            assert exploits(z, w)
        assert t >= 1 and exploits(truncation(w, t + 1, "Z"), w)
    # one class escapes the family; its agents' self-play settles by world 3
    assert [t for z, t in zip(r.exploited_by, r.settled, strict=True) if z is None] == [3]
    assert r.excluded_below == Fraction(1, 3)


def test_truncation_before_the_set_is_complete_fails(seed_language) -> None:  # type: ignore[no-untyped-def]
    # the argument needs T: cut one world earlier and the survivor is not exploited any more
    b = seed_language.survivors[0]
    w = Agent("W", b.witness.formula)
    assert not exploits(truncation(w, 2, "Z"), w)


def test_self_atom_counterexample_is_an_equilibrium(self_atom) -> None:  # type: ignore[no-untyped-def]
    x = self_atom.counterexample
    assert x is not None and self_atom.excluded_below is None
    w = Agent("W", x.formula)
    rr = round_robin([w], [CooperateBot, DefectBot, FairBot, PrudentBot])
    assert not rr.cooperates[0].any() and bool(rr.self_play[0])
    # no depth-1 agent with the self atom, over the alphabet, exploits it (semantic, complete)
    zs = depth1_behaviours([w], self_play=False)
    assert not any(not z.cooperates[0] and z.cooperated_with[0] for z in zs)
    # and no formula of the size-bounded syntactic enumeration does (brute force, depth <= 2)
    from modal.enumerate import formulas

    fs = formulas(2, 5, ("me", "CooperateBot", "DefectBot", "FairBot"))
    rr2 = round_robin([Agent(f"S{i}", f) for i, f in enumerate(fs)], [w], env={**LIBRARY, "W": w})
    assert not (~rr2.cooperates[:, 0] & rr2.cooperated_with[:, 0]).any()


def test_the_hand_written_matching_agent() -> None:
    # □(me ↔ opp(me)) ∧ ◇¬me: defects at world 0, then cooperates with exact matchers only
    x = Agent("Matcher", Box(Iff(me(), opp())) & Diamond(Not(me())))
    rr = round_robin([x], [CooperateBot, DefectBot, FairBot, PrudentBot])
    assert not rr.cooperates[0].any() and bool(rr.self_play[0])
    # its me-free equivalent ("D at world 0, C since") is cooperated with by the depth-1 ◇T
    assert outcome(x, Agent("Late", Diamond(TOP)))[0] is Move.C


ATOMS = st.one_of(
    st.just(TOP),
    st.just(BOT),
    st.sampled_from(("me", *(a.name for a in (CooperateBot, DefectBot, FairBot)))).map(Opp),
)


def _depth1(atoms: st.SearchStrategy[Formula]) -> st.SearchStrategy[Formula]:
    inner = st.recursive(
        atoms,
        lambda kids: st.one_of(
            kids.map(Not),
            st.tuples(kids, kids).map(lambda t: t[0] & t[1]),
            st.tuples(kids, kids).map(lambda t: t[0] | t[1]),
        ),
        max_leaves=4,
    )
    boxed = inner.flatmap(lambda f: st.sampled_from([Box(f), Diamond(f)]))
    return st.recursive(
        boxed,
        lambda kids: st.one_of(
            kids.map(Not),
            st.tuples(kids, kids).map(lambda t: t[0] & t[1]),
            st.tuples(kids, kids).map(lambda t: t[0] | t[1]),
        ),
        max_leaves=5,
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(_depth1(ATOMS), min_size=1, max_size=20))
def test_random_candidates_are_exploited(seed_language, fs) -> None:  # type: ignore[no-untyped-def]
    # any me-free depth-1 candidate: its behaviour is a semantic candidate's, and it is
    # exploited by the family or by its own truncation at that candidate's T
    r = seed_language
    refs = [CooperateBot, DefectBot, *EXPLOITERS]
    xs = [Agent(f"R{i}", f) for i, f in enumerate(fs)]
    rr = round_robin(xs, refs, env={**LIBRARY, **{z.name: z for z in EXPLOITERS}})
    known = {
        (b.cooperates, b.cooperated_with): t for b, t in zip(r.candidates, r.settled, strict=True)
    }
    for i, x in enumerate(xs):
        if rr.cooperates[i, :2].any() or not rr.self_play[i]:
            continue
        key = (tuple(map(bool, rr.cooperates[i])), tuple(map(bool, rr.cooperated_with[i])))
        assert key in known
        if not (rr.cooperates[i, 2:] & ~rr.cooperated_with[i, 2:]).any():
            assert exploits(truncation(x, known[key] + 1, "Z"), x)


def test_bad_input() -> None:
    with pytest.raises(ModalTypeError, match="'PrudentBot' has depth 2"):
        depth1_pure_equilibria(exploiters=(PrudentBot,))
    with pytest.raises(ModalTypeError, match="worlds must be"):
        truncation(FairBot, 0)
