"""Who meets whom: interaction graphs from networkx, with nodes relabelled ``0 .. n-1``.

Examples
--------
>>> G = interaction_graph("ring", 6)
>>> sorted(G.edges())[:2]
[(0, 1), (0, 5)]
>>> edge_array(interaction_graph("complete", 3)).tolist()
[[0, 1], [0, 2], [1, 2]]
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from dynamics._checks import generator, integer_at_least
from dynamics.errors import ParameterError

__all__ = ["GRAPH_KINDS", "interaction_graph", "edge_array"]

#: The interaction graphs :func:`interaction_graph` builds.
GRAPH_KINDS = ("complete", "ring", "lattice", "small-world")


def _lattice(n: int) -> nx.Graph:
    """A periodic rows x cols grid with rows the largest divisor of n not above sqrt(n)."""
    rows = max(d for d in range(1, math.isqrt(n) + 1) if n % d == 0)
    if rows == 1 and n > 2:
        raise ParameterError(
            f"a lattice of n = {n} agents would be a 1 x {n} path: n must have a divisor "
            f"between 2 and sqrt(n) (e.g. {_lattice_sizes_near(n)}); use 'ring' for a cycle"
        )
    # too thin (a side of 1 or 2) to wrap without multi-edges: then a plain grid
    G = nx.grid_2d_graph(rows, n // rows, periodic=rows > 2 and n // rows > 2)
    return nx.convert_node_labels_to_integers(G, ordering="sorted")


def _lattice_sizes_near(n: int) -> str:
    below = next(m for m in range(n - 1, 1, -1) if m == 2 or not _prime(m))
    above = next(m for m in range(n + 1, 2 * n + 2) if not _prime(m))
    return f"{below} or {above}"


def _prime(m: int) -> bool:
    return m >= 2 and all(m % d for d in range(2, math.isqrt(m) + 1))


def interaction_graph(
    kind: str | nx.Graph,
    n: int | None = None,
    *,
    k: int = 4,
    p: float = 0.1,
    rng: int | np.random.Generator | None = None,
) -> nx.Graph:
    """The graph along which agents meet.

    Parameters
    ----------
    kind : {"complete", "ring", "lattice", "small-world"} or networkx.Graph
        A named family or the user's own (undirected) graph. ``"lattice"`` is the most square
        ``rows x cols`` grid with ``rows * cols = n`` (``rows`` the largest divisor of ``n`` not
        above ``sqrt(n)``), wrapped into a torus when both sides are at least 3 (every agent
        then has four neighbours) and an open grid otherwise (``2 x 4`` for 8 agents); a prime
        ``n >= 3`` has no such grid and is refused (it would be a path). Two agents: one edge.
    n : int
        Number of agents (>= 2) for a named family; ignored for a user's graph.
    k, p : int, float
        Neighbours and rewiring probability of the small-world (connected Watts-Strogatz) graph.
    rng : int or numpy.random.Generator, optional
        Seeds the small-world rewiring.

    Raises
    ------
    ParameterError
        Unknown kind, too few agents, a prime number of agents for a lattice, a directed graph,
        self-loops, or no edges.

    Examples
    --------
    >>> interaction_graph("lattice", 16).number_of_edges()
    32
    """
    if isinstance(kind, nx.Graph):
        if kind.is_directed():
            raise ParameterError("the interaction graph must be undirected")
        if nx.number_of_selfloops(kind):
            raise ParameterError(
                f"the interaction graph has self-loops at {list(nx.nodes_with_selfloops(kind))[:5]}"
            )
        G = nx.convert_node_labels_to_integers(nx.Graph(kind))
    else:
        if kind not in GRAPH_KINDS:
            raise ParameterError(
                f"kind must be one of {GRAPH_KINDS} or a networkx Graph, got {kind!r}"
            )
        n = integer_at_least(n, "n", 2)
        if kind == "complete":
            G = nx.complete_graph(n)
        elif kind == "ring":
            G = nx.cycle_graph(n)
        elif kind == "lattice":
            G = _lattice(n)
        else:
            if not (2 <= k < n) or not (0 <= p <= 1):
                raise ParameterError(
                    f"small-world needs 2 <= k < n and 0 <= p <= 1, got k={k!r}, p={p!r}, n={n}"
                )
            seed = int(generator(rng).integers(2**31))
            G = nx.connected_watts_strogatz_graph(n, k, p, seed=seed)
    if G.number_of_edges() == 0:
        raise ParameterError("the interaction graph has no edges: nobody ever meets")
    return G


def edge_array(G: nx.Graph) -> np.ndarray:
    """The edges as an int array of shape (m, 2), each row ``(u, v)`` with ``u < v``, sorted."""
    return np.array(sorted((min(u, v), max(u, v)) for u, v in G.edges()), dtype=np.int64)
