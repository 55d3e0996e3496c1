"""Connected components of a game's equilibria, from its extreme equilibria.

The equilibria of a bimatrix game form finitely many connected sets. Following Avis, Rosenberg,
Savani and von Stengel (2010, "Enumeration of Nash equilibria for two-player games", Economic
Theory 42), take the bipartite graph whose nodes are the row and column strategies of extreme
equilibria and whose edges are the extreme equilibria. A *maximal Nash subset* is a maximal
biclique ``(X, Y)`` of that graph: every pair in ``conv(X) x conv(Y)`` is an equilibrium. A
*component* is a union of maximal Nash subsets joined by shared vertices, i.e. the union of the
products ``conv(X) x conv(Y)`` of the bicliques of one connected part of the graph.

Payoffs are bilinear, so over a component they range between their least and greatest values
at the extreme equilibria; both bounds are reported (equal for most components).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from theory.equilibria.equilibrium import Equilibrium
from theory.typing import Value

__all__ = ["NashSubset", "Component", "components_of"]

Strategy = tuple[Value, ...]


@dataclass(frozen=True)
class NashSubset:
    """A maximal Nash subset: every ``(x, y)`` in ``conv(x_vertices) x conv(y_vertices)`` is an
    equilibrium, and no extreme equilibrium can be added to either side."""

    x_vertices: tuple[Strategy, ...]
    y_vertices: tuple[Strategy, ...]


@dataclass(frozen=True)
class Component:
    """A connected set of equilibria: the union of its maximal Nash subsets.

    Attributes
    ----------
    nash_subsets : tuple of NashSubset
    equilibria : tuple of Equilibrium
        The extreme equilibria in the component.
    u, v : tuple (least, greatest)
        The range of each player's payoff over the component.
    """

    nash_subsets: tuple[NashSubset, ...]
    equilibria: tuple[Equilibrium, ...]
    u: tuple[Value, Value]
    v: tuple[Value, Value]

    @property
    def is_isolated(self) -> bool:
        """A single equilibrium (one extreme equilibrium, a point)."""
        return len(self.equilibria) == 1


def _maximal_bicliques(
    edges: set[tuple[int, int]], xs: list[int]
) -> list[tuple[frozenset[int], frozenset[int]]]:
    """Maximal bicliques of a bipartite graph: the closed pairs of its Galois connection.

    Every maximal biclique's y-side is an intersection of neighbourhoods of x-nodes, so close
    the family of neighbourhoods under intersection, then take each set's common x-neighbours.
    """
    nbr = {x: frozenset(y for a, y in edges if a == x) for x in xs}
    family: set[frozenset[int]] = set(nbr.values())
    frontier = set(family)
    while frontier:
        new = {f & g for f in frontier for g in nbr.values()} - family - {frozenset()}
        family |= new
        frontier = new
    out = []
    for ys in family:
        X = frozenset(x for x in xs if ys <= nbr[x])
        Y = frozenset.intersection(*(nbr[x] for x in X))
        if Y == ys:
            out.append((X, Y))
    return sorted(out, key=lambda b: (sorted(b[0]), sorted(b[1])))


def components_of(equilibria: Sequence[Equilibrium]) -> tuple[Component, ...]:
    """The components of the equilibria spanned by a complete list of extreme equilibria.

    Duplicates in the list are removed. For an incomplete list (a float method, a spent
    budget) the components are those of the equilibria given.

    Examples
    --------
    >>> from theory.equilibria import exact_equilibria
    >>> from theory.games import Game
    >>> # the column player is indifferent, the row player prefers row 0 unless y = column 1
    >>> comps = exact_equilibria(Game([[1, 0], [0, 0]], [[0, 0], [0, 0]])).components
    >>> [(len(c.nash_subsets), len(c.equilibria)) for c in comps]
    [(2, 3)]
    >>> [(len(s.x_vertices), len(s.y_vertices)) for s in comps[0].nash_subsets]
    [(1, 2), (2, 1)]
    >>> comps[0].u
    (Fraction(0, 1), Fraction(1, 1))
    """
    unique: dict[tuple[Strategy, Strategy], Equilibrium] = {}
    for q in equilibria:
        unique.setdefault((q.x, q.y), q)
    xs = list(dict.fromkeys(x for x, _ in unique))
    ys = list(dict.fromkeys(y for _, y in unique))
    xi = {x: i for i, x in enumerate(xs)}
    yi = {y: j for j, y in enumerate(ys)}
    edges = {(xi[x], yi[y]) for x, y in unique}
    # connected parts of the bipartite graph (union-find over x-nodes through shared y-nodes)
    parent = list(range(len(xs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_x: dict[int, int] = {}
    for i, j in sorted(edges):
        if j in first_x:
            parent[root(i)] = root(first_x[j])
        else:
            first_x[j] = i
    parts: dict[int, list[int]] = {}
    for i in range(len(xs)):
        parts.setdefault(root(i), []).append(i)
    comps = []
    for members in sorted(parts.values(), key=min):
        part_edges = {(i, j) for i, j in edges if i in members}
        subsets = tuple(
            NashSubset(tuple(xs[i] for i in sorted(X)), tuple(ys[j] for j in sorted(Y)))
            for X, Y in _maximal_bicliques(part_edges, members)
        )
        eqs = tuple(unique[(xs[i], ys[j])] for i, j in sorted(part_edges))
        us = [q.u for q in eqs]
        vs = [q.v for q in eqs]
        comps.append(Component(subsets, eqs, (min(us), max(us)), (min(vs), max(vs))))
    return tuple(comps)
