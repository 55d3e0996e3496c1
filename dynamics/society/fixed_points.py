"""Network-level fixed points of Q-learning in Sugar and spice world (Experiment 2, N > 2).

A learner of the vectorised engine keeps one table ``Q[s, a]`` for all its partners, indexed by
the last joint move with the partner it is meeting. Against neighbours that play fixed noisy
memory-one policies its Q-values therefore converge to the optimal Q-values of one Markov
decision process whose partner is a *mixture*: in state ``s`` the partner is neighbour ``j`` with
probability

    w_j(s) = rho_ij(s) / sum_k rho_ik(s),

where ``rho_ij`` is the stationary distribution of the memory of the pair ``(i, j)`` (it changes
only when they meet, each neighbour being met equally often), and the mixed partner steals with
probability ``noise + (1 - 2 noise) * sum_j w_j(s) [j steals in s]``. A profile of policies is a
**network fixed point** when every agent's policy is greedy with respect to these ``Q*`` (ties
allowed): no amount of further learning at the slow-learning limit changes any agent's policy.
With one neighbour this is the pair fixed point of :func:`theory.learning.fixed_points`.

Everything is exact (``Fraction``): the noise and discount are rationals.

Examples
--------
>>> import networkx as nx
>>> check = network_fixed_point(nx.complete_graph(3), ("TSST",) * 3, noise="1/20",
...                             discount="9/10")
>>> check.is_fixed_point
True
>>> neighbourhood_greedy_moves("SSSS", ("TSST", "SSSS"), noise="1/20", discount="9/10")["TT"]
frozenset({'S'})
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import networkx as nx
import numpy as np

from dynamics._checks import generator, integer_at_least
from dynamics.errors import ParameterError, ParameterTypeError
from dynamics.society.graphs import interaction_graph
from theory import number
from theory.learning import MOVES, POLICIES, STATES, WELLBEING, pair_stationary_distribution
from theory.linalg import solve_exact
from theory.typing import RealLike

__all__ = [
    "NeighbourhoodGreedyMoves",
    "NetworkFixedPoint",
    "neighbourhood_greedy_moves",
    "network_fixed_point",
    "best_response_search",
]


@dataclass(frozen=True)
class NeighbourhoodGreedyMoves:
    """The greedy moves of a learner against its neighbourhood, state by state.

    Attributes
    ----------
    policy : str
        The learner's own policy (it weighs the neighbours in each state).
    moves : tuple of frozenset of str
        The greedy moves in the states ``TT, TS, ST, SS`` (two on a tie); ``result["SS"]``
        reads one state.
    """

    policy: str
    moves: tuple[frozenset[str], ...]

    def __getitem__(self, state: str) -> frozenset[str]:
        if state not in STATES:
            raise ParameterError(f"state must be one of {STATES}, got {state!r}")
        return self.moves[STATES.index(state)]

    def as_dict(self) -> dict[str, frozenset[str]]:
        """The moves by state, as :func:`theory.learning.greedy_moves` gives them."""
        return dict(zip(STATES, self.moves, strict=True))

    def __len__(self) -> int:
        return len(self.moves)


@dataclass(frozen=True)
class NetworkFixedPoint:
    """Whether each agent's policy is greedy against its neighbourhood.

    Attributes
    ----------
    profile : tuple of str
        Every agent's memory-one policy (agent ``i`` plays ``profile[i]``).
    greedy : tuple of bool
        ``greedy[i]``: agent ``i``'s move in every state maximises its exact ``Q*``.
    best_replies : tuple of str
        A greedy policy for each agent (its own move where it ties).
    """

    profile: tuple[str, ...]
    greedy: tuple[bool, ...]
    best_replies: tuple[str, ...]

    @property
    def is_fixed_point(self) -> bool:
        """True when every agent is greedy: a point attractor of slow Q-learning."""
        return all(self.greedy)

    def __len__(self) -> int:
        return len(self.profile)


def _parameters(noise: RealLike, discount: RealLike) -> tuple[Fraction, Fraction]:
    errors = (ParameterTypeError, ParameterError)
    e = Fraction(number(noise, "noise", errors=errors))
    r = Fraction(number(discount, "discount", errors=errors))
    if not 0 < e < Fraction(1, 2):
        raise ParameterError(
            f"noise must lie in (0, 1/2) (every state visited, moves informative), got {noise!r}"
        )
    if not 0 <= r < 1:
        raise ParameterError(f"discount must lie in [0, 1), got {discount!r}")
    return e, r


def _policy(p: object, name: str) -> str:
    if not isinstance(p, str) or p not in POLICIES:
        raise ParameterError(f"{name} must be a memory-one policy such as 'TSST', got {p!r}")
    return p


@lru_cache(maxsize=1024)
def _rho(p: str, q: str, e: Fraction) -> tuple[Fraction, ...]:
    """Stationary distribution of the pair (p, q)'s memory, from p's side, exactly."""
    return tuple(Fraction(str(x)) for x in pair_stationary_distribution(p, q, e))


@lru_cache(maxsize=65536)
def _greedy(
    policy: str, partners: tuple[tuple[str, int], ...], e: Fraction, r: Fraction
) -> tuple[frozenset[str], ...]:
    """Greedy moves per state against the mixed partner (partners: (policy, count), sorted)."""
    steal = []
    for i, s in enumerate(STATES):
        mass = [(k * _rho(policy, q, e)[i], q) for q, k in partners]
        total = sum((m for m, _ in mass), Fraction(0))
        share = sum((m for m, q in mass if q[STATES.index(s[::-1])] == "S"), Fraction(0)) / total
        steal.append(e + (1 - 2 * e) * share)
    reply = [{"S": p, "T": 1 - p} for p in steal]
    current = policy  # policy iteration from the agent's own policy
    for _ in range(64):
        M = [[Fraction(int(i == j)) for j in range(4)] for i in range(4)]
        R = [Fraction(0)] * 4
        for i in range(4):
            a = current[i]
            for b, p in reply[i].items():
                R[i] += p * WELLBEING[a][b]
                M[i][STATES.index(a + b)] -= r * p
        V = solve_exact(M, R)
        assert V is not None  # I - r P with r < 1 is non-singular
        Q = [
            {
                a: sum(
                    (
                        p * (WELLBEING[a][b] + r * V[STATES.index(a + b)])
                        for b, p in reply[i].items()
                    ),
                    Fraction(0),
                )
                for a in MOVES
            }
            for i in range(4)
        ]
        better = "".join(
            current[i]
            if Q[i][current[i]] >= max(Q[i].values())
            else max(Q[i], key=Q[i].__getitem__)
            for i in range(4)
        )
        if better == current:
            return tuple(
                frozenset(a for a in MOVES if Q[i][a] == max(Q[i].values())) for i in range(4)
            )
        current = better
    raise ParameterError("policy iteration did not converge")  # pragma: no cover - finite MDP


def neighbourhood_greedy_moves(
    policy: str, partners: tuple[str, ...] | list[str], *, noise: RealLike, discount: RealLike
) -> NeighbourhoodGreedyMoves:
    """Greedy moves in each state of a learner playing `policy` against its `partners`.

    Parameters
    ----------
    policy : str
        The learner's own policy (it decides how often each partner is met in each state).
    partners : sequence of str
        Its neighbours' policies, one per neighbour (repeats count).
    noise : rational in (0, 1/2)
        Probability that an intended move is flipped (``epsilon / 2``).
    discount : rational in [0, 1)

    Examples
    --------
    >>> neighbourhood_greedy_moves("TSST", ["TSST"], noise="1/20", discount="9/10")["SS"]
    frozenset({'T'})
    """
    p = _policy(policy, "policy")
    if len(partners) == 0:
        raise ParameterError("partners must list at least one neighbour's policy, got none")
    counts = Counter(_policy(q, "partners") for q in partners)
    e, r = _parameters(noise, discount)
    return NeighbourhoodGreedyMoves(p, _greedy(p, tuple(sorted(counts.items())), e, r))


def _check(
    neighbours: list[list[int]], profile: tuple[str, ...], e: Fraction, r: Fraction
) -> NetworkFixedPoint:
    greedy, best = [], []
    for i, p in enumerate(profile):
        counts = Counter(profile[j] for j in neighbours[i])
        G = _greedy(p, tuple(sorted(counts.items())), e, r)
        greedy.append(all(p[k] in G[k] for k in range(4)))
        best.append("".join(p[k] if p[k] in G[k] else next(iter(G[k])) for k in range(4)))
    return NetworkFixedPoint(tuple(profile), tuple(greedy), tuple(best))


def _neighbours(graph: nx.Graph) -> list[list[int]]:
    G = interaction_graph(graph)
    out = [sorted(G.neighbors(i)) for i in range(G.number_of_nodes())]
    if any(not nb for nb in out):
        raise ParameterError(
            "every agent of graph needs a neighbour (an isolated node never learns)"
        )
    return out


def network_fixed_point(
    graph: nx.Graph, profile: tuple[str, ...] | list[str], *, noise: RealLike, discount: RealLike
) -> NetworkFixedPoint:
    """Check whether a profile of memory-one policies is a network fixed point of Q-learning.

    Parameters
    ----------
    graph : networkx.Graph
        Who meets whom (nodes ``0 .. n-1``, as :func:`~dynamics.society.interaction_graph`).
    profile : sequence of str
        Agent ``i``'s policy ``profile[i]``.
    noise, discount : rational
        As in :func:`neighbourhood_greedy_moves`.

    Examples
    --------
    >>> import networkx as nx
    >>> network_fixed_point(nx.path_graph(3), ["SSSS"] * 3, noise="1/20",
    ...                     discount="9/10").greedy
    (True, True, True)
    """
    nb = _neighbours(graph)
    prof = tuple(_policy(p, "profile") for p in profile)
    if len(prof) != len(nb):
        raise ParameterError(f"profile must give one policy per agent ({len(nb)}), got {len(prof)}")
    e, r = _parameters(noise, discount)
    return _check(nb, prof, e, r)


def best_response_search(
    graph: nx.Graph,
    profile: tuple[str, ...] | list[str],
    *,
    noise: RealLike,
    discount: RealLike,
    max_steps: int = 10_000,
    rng: int | np.random.Generator | None = None,
) -> NetworkFixedPoint:
    """Asynchronous best-response dynamics from `profile` until a network fixed point.

    At each step one agent that is not greedy, drawn at random, switches to its greedy policy
    (keeping its move where it ties). Returns the last profile's check: a fixed point unless
    `max_steps` ran out (then ``is_fixed_point`` is False: a cycle or a long transient).

    Examples
    --------
    >>> import networkx as nx
    >>> end = best_response_search(nx.cycle_graph(4), ["TTTT"] * 4, noise="1/20",
    ...                            discount="9/10", rng=0)
    >>> end.is_fixed_point, end.profile[0]
    (True, 'SSSS')
    """
    rng = generator(rng)
    nb = _neighbours(graph)
    prof = [_policy(p, "profile") for p in profile]
    if len(prof) != len(nb):
        raise ParameterError(f"profile must give one policy per agent ({len(nb)}), got {len(prof)}")
    max_steps = integer_at_least(max_steps, "max_steps", 0)
    e, r = _parameters(noise, discount)
    check = _check(nb, tuple(prof), e, r)
    for _ in range(max_steps):
        movers = [i for i, g in enumerate(check.greedy) if not g]
        if not movers:
            break
        i = movers[int(rng.integers(len(movers)))]
        prof[i] = check.best_replies[i]
        check = _check(nb, tuple(prof), e, r)
    return check
