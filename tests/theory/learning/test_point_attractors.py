from fractions import Fraction

import networkx as nx
import pytest
from hypothesis import given

from tests.theory.learning.strategies import discounts, noises
from theory.errors import TheoryError
from theory.learning.point_attractors import (
    RULES,
    attractors,
    fixed_points,
    learning_graph,
    reachable_attractors,
)
from theory.learning.policies import ALWAYS_STEAL, GRIM, TFT, WSLS
from theory.learning.qvalues import is_greedy

E, R = Fraction(1, 20), Fraction(9, 10)  # epsilon-greedy with epsilon = 1/10, discount 9/10
SEED_THREE = {(ALWAYS_STEAL, ALWAYS_STEAL), (GRIM, GRIM), (WSLS, WSLS)}


def test_seed_three_are_exactly_the_fixed_points():
    assert set(fixed_points(noise=E, discount=R)) == SEED_THREE
    assert set(fixed_points(noise=E, discount=R, strict=True)) == SEED_THREE


def test_tit_for_tat_is_not_a_fixed_point_but_can_be():
    assert (TFT, TFT) not in fixed_points(noise=E, discount=R)
    # the set depends on the discount and the noise: at r = 2/3, noise 1/4 mutual TFT is one
    assert (TFT, TFT) in fixed_points(noise=Fraction(1, 4), discount=Fraction(2, 3))
    assert (WSLS, WSLS) not in fixed_points(noise=Fraction(1, 4), discount=Fraction(2, 3))


def test_mutual_tit_for_tat_leads_to():
    br = reachable_attractors((TFT, TFT), noise=E, discount=R, rule="best_response")
    assert br == [frozenset({(ALWAYS_STEAL, ALWAYS_STEAL)})]
    one = reachable_attractors((TFT, TFT), noise=E, discount=R, rule="one_state")
    assert {next(iter(a)) for a in one} == SEED_THREE


@given(noises, discounts)
def test_sinks_are_exactly_the_fixed_points(e, r):
    fps = set(fixed_points(noise=e, discount=r))
    for rule in RULES:
        G = learning_graph(noise=e, discount=r, rule=rule)
        sinks = {n for n in G if G.out_degree(n) == 0}
        assert sinks == fps
        for p, q in fps:
            assert is_greedy(p, q, noise=e, discount=r) and is_greedy(q, p, noise=e, discount=r)


@given(noises, discounts)
def test_attractors_are_terminal_components_and_always_steal_is_one(e, r):
    G = learning_graph(noise=e, discount=r, rule="one_state")
    A = attractors(G)
    assert frozenset({(ALWAYS_STEAL, ALWAYS_STEAL)}) in A
    for comp in A:
        assert all(set(G.successors(n)) <= comp for n in comp)
        assert nx.is_strongly_connected(G.subgraph(comp))
    # every node reaches some attractor
    reach = set().union(*A)
    assert all(reach & (nx.descendants(G, n) | {n}) for n in G)


def test_errors():
    with pytest.raises(TheoryError, match="rule"):
        learning_graph(noise=E, discount=R, rule="fast")
    with pytest.raises(TheoryError, match="start"):
        reachable_attractors(TFT, noise=E, discount=R)  # type: ignore[arg-type]
    with pytest.raises(TheoryError, match=r"start\[1\]"):
        reachable_attractors((TFT, "TT"), noise=E, discount=R)
