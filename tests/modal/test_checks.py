from modal import box, opp
from modal.checks import fair_exploiters
from modal.enumerate import enumerate_agents


def test_depth_one_cannot_mutually_cooperate_with_fairbot_and_exploit_cooperatebot() -> None:
    fx = fair_exploiters(enumerate_agents(1, 6))
    assert fx.mutual == ()
    # ...but read literally ("cooperates with FairBot") the claim fails: ~[]opp(me) does it
    assert any(a.formula == ~box(opp()) for a in fx.one_sided)


def test_symmetric_candidates_are_necessary_and_their_exploiters_exploit() -> None:
    from modal import LIBRARY, CooperateBot, DefectBot, round_robin
    from modal.agents import Agent
    from modal.checks import symmetric_candidates

    sc = symmetric_candidates()
    assert sc.candidates and len(sc.exploiters) == len(sc.candidates)
    for b, z in zip(sc.candidates, sc.exploiters, strict=True):
        w = Agent("W", b.witness.formula)
        rr = round_robin([w], [CooperateBot, DefectBot])
        # the necessary conditions, re-played: defects against both, cooperates with itself
        assert not rr.cooperates[0].any() and bool(rr.self_play[0])
        assert z is not None
        # the exploiter, re-played independently: it defects, W cooperates with it
        zz = Agent("Z", z.witness.formula)
        rr2 = round_robin([zz], [w], env={**LIBRARY, "W": w})
        assert not rr2.cooperates[0, 0] and rr2.cooperated_with[0, 0]


def test_lemma_readings() -> None:
    from modal import cooperation_matrix
    from modal.checks import cooperation_lemma_counterexamples

    enum = enumerate_agents(1, 5)
    literal = cooperation_lemma_counterexamples(enum, 1)
    mutual = cooperation_lemma_counterexamples(enum, 1, mutual=True)
    assert literal and mutual
    m = cooperation_matrix(list(enum.agents))
    index = {a.name: i for i, a in enumerate(enum.agents)}
    cb = index["T"]  # CooperateBot's formula, the only depth-0 agent anyone cooperates with
    for a, x in mutual:
        i, j = index[a.name], index[x.name]
        assert m[i, j] and m[j, i] and not (m[j, cb] and m[cb, j])
    # ~[]F cooperates with ~[]opp(me) both ways, and ~[]opp(me) defects against CooperateBot
    assert ("~[]F", "~[]opp(me)") in {(a.name, x.name) for a, x in mutual}
