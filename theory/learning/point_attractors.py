"""Fixed points and attractors of Q-learning among pairs of memory-one policies.

A pair of policies is a *fixed point* of Q-learning when each agent's policy is greedy with
respect to its exact optimal Q-values against the other (:mod:`theory.learning.qvalues`): no
amount of further learning changes either policy. These are the seed's *point attractors*.

The learning dynamics between policy pairs is modelled as a directed graph over the 256 joint
greedy policies. Once an agent's Q-values have tracked its partner's current policy, its greedy
move changes in every state where it is not greedy; Q-values move continuously, so states flip one
at a time, in an order set by the initial Q-values. Two rules are offered:

``"one_state"``
    an edge for every single state of either agent whose move is not greedy, flipped to the greedy
    move (every order in which Q-learning can flip its moves is a path);
``"best_response"``
    an edge for either agent jumping to its whole greedy policy (ties keep the current move).

The attractors of the learning dynamics are the terminal strongly connected components of this
graph; a component of one node without a way out is a fixed point.

Examples
--------
>>> sorted(fixed_points(noise="1/20", discount="9/10"))
[('SSSS', 'SSSS'), ('TSSS', 'TSSS'), ('TSST', 'TSST')]
"""

from __future__ import annotations

import networkx as nx

from theory.errors import TheoryError
from theory.learning.policies import POLICIES, STATES, check_policy
from theory.learning.qvalues import greedy_moves, greedy_policy
from theory.typing import RealLike

__all__ = ["fixed_points", "learning_graph", "attractors", "reachable_attractors", "RULES"]

#: The learning rules whose point attractors are computed.
RULES = ("one_state", "best_response")


def fixed_points(
    *, noise: RealLike, discount: RealLike, strict: bool = False
) -> list[tuple[str, str]]:
    """Every pair of memory-one policies that is a fixed point of Q-learning.

    Parameters
    ----------
    noise : rational in [0, 1]
        Probability that each intended move is flipped (``epsilon / 2`` for epsilon-greedy).
    discount : rational in [0, 1)
        Both agents' discount ``r``.
    strict : bool
        Require each policy to be the unique greedy policy (no ties in Q-values).

    Examples
    --------
    >>> ("TSTS", "TSTS") in fixed_points(noise="1/4", discount="2/3")
    True
    """
    greedy = {q: greedy_moves(q, noise=noise, discount=discount) for q in POLICIES}

    def ok(p: str, q: str) -> bool:
        G = greedy[q]
        return all(p[i] in G[s] and (not strict or len(G[s]) == 1) for i, s in enumerate(STATES))

    return [(p, q) for p in POLICIES for q in POLICIES if ok(p, q) and ok(q, p)]


def _flip(policy: str, i: int) -> str:
    return policy[:i] + ("S" if policy[i] == "T" else "T") + policy[i + 1 :]


def learning_graph(*, noise: RealLike, discount: RealLike, rule: str = "one_state") -> nx.DiGraph:
    """The transition graph of the learning dynamics over joint greedy policies.

    Nodes are pairs ``(policy1, policy2)``; see the module docstring for the `rule`.

    Raises
    ------
    TheoryError
        If `rule` is not one of :data:`RULES`.

    Examples
    --------
    >>> G = learning_graph(noise="1/20", discount="9/10")
    >>> G.number_of_nodes(), G.out_degree(("SSSS", "SSSS"))
    (256, 0)
    """
    if rule not in RULES:
        raise TheoryError(f"rule must be one of {RULES}, got {rule!r}")
    greedy = {q: greedy_moves(q, noise=noise, discount=discount) for q in POLICIES}
    G = nx.DiGraph()
    for p in POLICIES:
        for q in POLICIES:
            G.add_node((p, q))
            bad_p = [i for i, s in enumerate(STATES) if p[i] not in greedy[q][s]]
            bad_q = [i for i, s in enumerate(STATES) if q[i] not in greedy[p][s]]
            if rule == "one_state":
                G.add_edges_from(((p, q), (_flip(p, i), q)) for i in bad_p)
                G.add_edges_from(((p, q), (p, _flip(q, i))) for i in bad_q)
            else:
                if bad_p:
                    new = greedy_policy(q, noise=noise, discount=discount, current=p)
                    G.add_edge((p, q), (new, q))
                if bad_q:
                    new = greedy_policy(p, noise=noise, discount=discount, current=q)
                    G.add_edge((p, q), (p, new))
    return G


def attractors(graph: nx.DiGraph) -> list[frozenset[tuple[str, str]]]:
    """The terminal strongly connected components of a learning graph, largest first.

    Examples
    --------
    >>> A = attractors(learning_graph(noise="1/20", discount="9/10"))
    >>> [sorted(c) for c in A if len(c) == 1][:1]
    [[('SSSS', 'SSSS')]]
    """
    C = nx.condensation(graph)
    comps = [frozenset(C.nodes[n]["members"]) for n in C.nodes if C.out_degree(n) == 0]
    return sorted(comps, key=lambda c: (-len(c), sorted(c)))


def reachable_attractors(
    start: tuple[str, str], *, noise: RealLike, discount: RealLike, rule: str = "one_state"
) -> list[frozenset[tuple[str, str]]]:
    """The attractors the learning dynamics can reach from the policy pair `start`.

    Examples
    --------
    >>> [sorted(a) for a in reachable_attractors(("TSTS", "TSTS"), noise="1/20",
    ...                                          discount="9/10", rule="best_response")]
    [[('SSSS', 'SSSS')]]
    """
    if not (isinstance(start, tuple) and len(start) == 2):
        raise TheoryError(f"start must be a pair of policies, got {start!r}")
    node = (check_policy(start[0], "start[0]"), check_policy(start[1], "start[1]"))
    G = learning_graph(noise=noise, discount=discount, rule=rule)
    reach = nx.descendants(G, node) | {node}
    return [a for a in attractors(G) if a <= reach]
