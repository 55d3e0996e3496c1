"""Network fixed points of Q-learning: exact, the pair theory at N = 2, best-response search."""

from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamics.errors import ParameterError, ParameterTypeError
from dynamics.society import interaction_graph
from dynamics.society.fixed_points import (
    best_response_search,
    neighbourhood_greedy_moves,
    network_fixed_point,
)
from theory.learning import POLICIES, STATES, fixed_points, greedy_moves

E, R = Fraction(1, 20), Fraction(9, 10)


def test_two_agents_are_the_pair_theory():
    # with one neighbour the mixture is that neighbour: the pair fixed points, exactly
    G = nx.complete_graph(2)
    net = {
        (p, q)
        for p in POLICIES
        for q in POLICIES
        if network_fixed_point(G, (p, q), noise=E, discount=R).is_fixed_point
    }
    assert net == set(fixed_points(noise=E, discount=R))


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(POLICIES), st.sampled_from(POLICIES), st.integers(1, 4))
def test_identical_neighbours_are_one_neighbour(own, partner, k):
    # k copies of one partner weigh every state alike: the pair's greedy moves, for any own policy
    many = neighbourhood_greedy_moves(own, [partner] * k, noise=E, discount=R)
    assert many.as_dict() == greedy_moves(partner, noise=E, discount=R)


def test_mixed_neighbourhood_differs_from_each_partner():
    # against a win-stay lose-shift and an always-steal neighbour, an always-stealer's greedy
    # move after mutual theft is to steal (the always-stealer dominates that state), while
    # against win-stay lose-shift alone it would trade there
    mixed = neighbourhood_greedy_moves("SSSS", ["TSST", "SSSS"], noise=E, discount=R)
    alone = greedy_moves("TSST", noise=E, discount=R)
    assert mixed["SS"] == {"S"} and alone["SS"] == {"T"}


def test_homogeneous_fixed_points_of_regular_graphs():
    for kind, n in (("complete", 6), ("ring", 8), ("lattice", 16)):
        G = interaction_graph(kind, n)
        homo = {
            p
            for p in POLICIES
            if network_fixed_point(G, [p] * n, noise=E, discount=R).is_fixed_point
        }
        assert homo == {"SSSS", "TSSS", "TSST"}


def test_a_non_fixed_point_is_seen():
    # all tit-for-tat is not a fixed point at this noise and discount: the check must say no
    check = network_fixed_point(nx.cycle_graph(5), ["TSTS"] * 5, noise=E, discount=R)
    assert not check.is_fixed_point and not any(check.greedy) and len(check) == 5


def test_best_response_search_ends_at_a_fixed_point():
    rng = np.random.default_rng(0)
    G = interaction_graph("ring", 8)
    for _ in range(5):
        start = [POLICIES[i] for i in rng.integers(16, size=8)]
        end = best_response_search(G, start, noise=E, discount=R, rng=rng)
        assert end.is_fixed_point
        assert network_fixed_point(G, end.profile, noise=E, discount=R).is_fixed_point
    # with no steps allowed the start comes back unchanged, flagged
    stuck = best_response_search(G, ["TSTS"] * 8, noise=E, discount=R, max_steps=0, rng=1)
    assert stuck.profile == ("TSTS",) * 8 and not stuck.is_fixed_point


def test_bad_input_names_the_argument():
    G = nx.complete_graph(3)
    with pytest.raises(ParameterError, match="noise"):
        network_fixed_point(G, ["SSSS"] * 3, noise=0, discount=R)
    with pytest.raises(ParameterError, match="discount"):
        network_fixed_point(G, ["SSSS"] * 3, noise=E, discount=1)
    with pytest.raises(ParameterTypeError, match="noise"):
        network_fixed_point(G, ["SSSS"] * 3, noise=None, discount=R)
    with pytest.raises(ParameterError, match="profile"):
        network_fixed_point(G, ["SSSS"] * 2, noise=E, discount=R)
    with pytest.raises(ParameterError, match="profile"):
        network_fixed_point(G, ["SSSX"] * 3, noise=E, discount=R)
    with pytest.raises(ParameterError, match="partners"):
        neighbourhood_greedy_moves("SSSS", [], noise=E, discount=R)
    H = nx.Graph([(0, 1)])
    H.add_node(2)
    with pytest.raises(ParameterError, match="neighbour"):
        network_fixed_point(H, ["SSSS"] * 3, noise=E, discount=R)
    moves = neighbourhood_greedy_moves("SSSS", ["SSSS"], noise=E, discount=R)
    assert set(moves.as_dict()) == set(STATES) and len(moves) == 4
    with pytest.raises(ParameterError, match="state"):
        moves["XX"]
