from fractions import Fraction

from modal import SEED_AGENTS, Agent, box, opp, payoff_matrix
from modal.checks import fair_exploiters, invaders
from modal.enumerate import enumerate_agents
from theory.best_response import PureEquilibrium, pure_equilibria


def test_depth_one_cannot_mutually_cooperate_with_fairbot_and_exploit_cooperatebot() -> None:
    fx = fair_exploiters(enumerate_agents(1, 6))
    assert fx.mutual == ()
    # ...but read literally ("cooperates with FairBot") the claim fails: ~[]opp(me) does it
    assert any(a.formula == ~box(opp()) for a in fx.one_sided)


def test_unique_pure_equilibrium_among_the_four() -> None:
    for eps in ("1/100", "1/10", "1/2", "2"):
        assert pure_equilibria(payoff_matrix(SEED_AGENTS, eps)) == [PureEquilibrium(0, 0)]


def test_invaders_detects_a_profitable_entrant() -> None:
    # at eps = 1/2 the good mixture is not an equilibrium: DefectBot earns 1 + 2 eps > 2 - eps
    dbs = invaders(SEED_AGENTS, Fraction(1, 2))
    assert [a.name for a, _ in dbs] == ["DefectBot"]
    assert dbs[0][1] == 2
    assert invaders([*SEED_AGENTS, Agent("FB2", box(opp()))], Fraction(1, 10)) == []
