import networkx as nx
import pytest

from dynamics.errors import ParameterError
from dynamics.society.graphs import GRAPH_KINDS, edge_array, interaction_graph

CASES = [
    (k, n)
    for k in GRAPH_KINDS
    for n in (2, 5, 16, 64)
    if (k != "small-world" or n > 4) and (k != "lattice" or n != 5)
] + [("lattice", 6), ("lattice", 8)]


@pytest.mark.parametrize(("kind", "n"), CASES)
def test_named_graphs_are_connected_on_n_nodes(kind, n):
    G = interaction_graph(kind, n, rng=0)
    assert sorted(G) == list(range(n)) and nx.is_connected(G)
    assert (edge_array(G)[:, 0] < edge_array(G)[:, 1]).all()


def test_small_world_is_seeded():
    a = interaction_graph("small-world", 30, rng=1)
    b = interaction_graph("small-world", 30, rng=1)
    assert sorted(a.edges()) == sorted(b.edges())


def test_user_graph_is_relabelled():
    G = interaction_graph(nx.Graph([("x", "y"), ("y", "z")]))
    assert sorted(G) == [0, 1, 2] and G.number_of_edges() == 2


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("torus", 4), "kind"),
        (("ring", 1), "n must"),
        (("ring", 2.5), "n must"),
        (("small-world", 4), "small-world"),
        ((nx.DiGraph([(0, 1)]),), "undirected"),
        ((nx.Graph([(0, 0), (0, 1)]),), "self-loops"),
        ((nx.empty_graph(3),), "no edges"),
    ],
)
def test_bad_graphs(args, match):
    with pytest.raises(ParameterError, match=match):
        interaction_graph(*args)


@pytest.mark.parametrize("n", [3, 7, 13])
def test_a_prime_number_of_agents_has_no_lattice(n):
    # a 1 x n "lattice" would silently be a path; a ring is the cycle
    with pytest.raises(ParameterError, match=rf"n = {n} agents would be a 1 x {n} path"):
        interaction_graph("lattice", n)


def test_lattices_are_tori_when_both_sides_reach_three():
    G = interaction_graph("lattice", 12)  # 3 x 4, wrapped
    assert {d for _, d in G.degree()} == {4} and G.number_of_edges() == 24
    H = interaction_graph("lattice", 8)  # 2 x 4: an open grid, as documented
    assert nx.grid_2d_graph(2, 4).number_of_edges() == H.number_of_edges()


def test_numpy_integers_and_integral_fractions_are_sizes():
    from fractions import Fraction

    import numpy as np

    assert interaction_graph("ring", np.int64(5)).number_of_nodes() == 5
    assert interaction_graph("complete", Fraction(4)).number_of_nodes() == 4
    with pytest.raises(ParameterError, match="integer"):
        interaction_graph("ring", Fraction(9, 2))
