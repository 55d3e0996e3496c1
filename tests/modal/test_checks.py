from modal import box, opp
from modal.checks import fair_exploiters
from modal.enumerate import enumerate_agents


def test_depth_one_cannot_mutually_cooperate_with_fairbot_and_exploit_cooperatebot() -> None:
    fx = fair_exploiters(enumerate_agents(1, 6))
    assert fx.mutual == ()
    # ...but read literally ("cooperates with FairBot") the claim fails: ~[]opp(me) does it
    assert any(a.formula == ~box(opp()) for a in fx.one_sided)
