import networkx as nx
import pytest

from dynamics.errors import ParameterError
from dynamics.society.graphs import GRAPH_KINDS, edge_array, interaction_graph

CASES = [(k, n) for k in GRAPH_KINDS for n in (2, 5, 16, 64) if k != "small-world" or n > 4]


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
