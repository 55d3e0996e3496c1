"""Exact Q-values of a memory-one learner against a fixed, noisy memory-one partner.

Against a partner who plays the deterministic memory-one policy ``partner`` and flips each
intended move with probability ``noise``, the learner faces a Markov decision process: the state
is the last joint move (learner's side), the learner's move and the partner's noisy reply give the
wellbeing and the next state. Q-learning is off-policy, so whatever the learner's own exploration,
its Q-values converge (for a stationary partner, decaying learning rates and every state-action
visited infinitely often) to the optimal Q-values ``Q*`` of this process, which solve

    Q*(s, a) = sum_b P(b | s) [ W(a, b) + r max_a' Q*((a, b), a') ].

This module computes ``Q*`` exactly (rational arithmetic, policy iteration) and the learner's
greedy moves.

Examples
--------
>>> Q = optimal_q_values("SSSS", noise="1/20", discount="9/10")
>>> Q["TT"]["S"] - Q["TT"]["T"]
Fraction(1, 1)
>>> greedy_policy("SSSS", noise="1/20", discount="9/10")
'SSSS'
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any

from theory._numbers import exact
from theory.errors import TheoryError, TheoryTypeError
from theory.learning.policies import MOVES, STATES, WELLBEING, check_policy
from theory.linalg import solve_exact
from theory.typing import RealLike

__all__ = [
    "policy_q_values",
    "optimal_q_values",
    "greedy_moves",
    "greedy_policy",
    "is_greedy",
]


def _probability(value: Any, name: str, *, open_high: bool) -> Fraction:
    """A parameter in ``[0, 1]`` (``[0, 1)`` if `open_high`) as an exact ``Fraction``.

    By the rule of :mod:`theory._numbers`: text such as ``"0.05"`` is exactly 1/20, a float
    counts at its exact binary value (never ``limit_denominator``).

    Examples
    --------
    >>> _probability("0.9", "discount", open_high=True)
    Fraction(9, 10)
    """
    x = exact(value, name, errors=(TheoryTypeError, TheoryError))
    if x < 0 or x > 1 or (open_high and x == 1):
        bracket = ")" if open_high else "]"
        raise TheoryError(f"{name} must lie in [0, 1{bracket}, got {value!r}")
    return x


def _reply(partner: str, e: Fraction) -> list[dict[str, Fraction]]:
    """P(partner's move b | state s), for each state in learner's view."""
    out = []
    for s in STATES:
        intended = partner[STATES.index(s[::-1])]
        out.append({b: (1 - e if b == intended else e) for b in MOVES})
    return out


def _q_of(policy: str, partner: str, e: Fraction, r: Fraction) -> list[dict[str, Fraction]]:
    reply = _reply(partner, e)
    # V(s) = sum_b P(b|s) [W(pi(s), b) + r V((pi(s), b))], a 4x4 linear system (I - r P_pi) V = R
    A = [[Fraction(int(i == j)) for j in range(4)] for i in range(4)]
    R = [Fraction(0)] * 4
    for i in range(4):
        a = policy[i]
        for b, p in reply[i].items():
            R[i] += p * WELLBEING[a][b]
            A[i][STATES.index(a + b)] -= r * p
    V = solve_exact(A, R)
    assert V is not None  # I - r P with r < 1 and P stochastic is non-singular
    return [
        {
            a: sum(
                (p * (WELLBEING[a][b] + r * V[STATES.index(a + b)]) for b, p in reply[i].items()),
                Fraction(0),
            )
            for a in MOVES
        }
        for i in range(4)
    ]


def _parameters(noise: RealLike, discount: RealLike) -> tuple[Fraction, Fraction]:
    e = _probability(noise, "noise", open_high=False)
    r = _probability(discount, "discount", open_high=True)
    return e, r


def policy_q_values(
    policy: str, partner: str, *, noise: RealLike, discount: RealLike
) -> dict[str, dict[str, Fraction]]:
    """Exact Q-values ``Q^policy(s, a)`` of following `policy` after one move `a` in state `s`.

    Examples
    --------
    >>> Q = policy_q_values("SSSS", "SSSS", noise=0, discount="1/2")
    >>> Q["SS"]["S"], Q["SS"]["T"]
    (Fraction(2, 1), Fraction(1, 1))
    """
    p = check_policy(policy, "policy")
    q = check_policy(partner, "partner")
    e, r = _parameters(noise, discount)
    return dict(zip(STATES, _q_of(p, q, e, r), strict=True))


@lru_cache(maxsize=8192)
def _optimal(partner: str, e: Fraction, r: Fraction) -> tuple[dict[str, Fraction], ...]:
    policy = partner  # any start; policy iteration keeps the current move on ties
    for _ in range(64):
        Q = _q_of(policy, partner, e, r)
        better = "".join(
            ("S" if policy[i] == "T" else "T")
            if Q[i]["S" if policy[i] == "T" else "T"] > Q[i][policy[i]]
            else policy[i]
            for i in range(4)
        )
        if better == policy:
            return tuple(Q)
        policy = better
    raise TheoryError("policy iteration did not converge")  # pragma: no cover - finite MDP


def optimal_q_values(
    partner: str, *, noise: RealLike, discount: RealLike
) -> dict[str, dict[str, Fraction]]:
    """The exact optimal Q-values ``Q*(s, a)`` against `partner` (see the module docstring).

    Parameters
    ----------
    partner : str
        The partner's memory-one policy.
    noise : rational in [0, 1]
        Probability that the partner's intended move is flipped (``epsilon / 2`` for an
        epsilon-greedy partner).
    discount : rational in [0, 1)
        The learner's discount ``r``.

    Returns
    -------
    dict
        ``Q[state][move]`` as :class:`~fractions.Fraction`.

    Examples
    --------
    >>> Q = optimal_q_values("TSST", noise=0, discount="9/10")
    >>> Q["TT"]["T"], Q["TT"]["S"]
    (Fraction(30, 1), Fraction(146, 5))
    """
    q = check_policy(partner, "partner")
    e, r = _parameters(noise, discount)
    return dict(zip(STATES, _optimal(q, e, r), strict=True))


def greedy_moves(partner: str, *, noise: RealLike, discount: RealLike) -> dict[str, frozenset[str]]:
    """The set of greedy moves (maximising ``Q*``) in each state; two moves on a tie.

    Examples
    --------
    >>> greedy_moves("SSSS", noise=0, discount="1/2")["TT"]
    frozenset({'S'})
    """
    Q = optimal_q_values(partner, noise=noise, discount=discount)
    return {s: frozenset(a for a in MOVES if Q[s][a] == max(Q[s].values())) for s in STATES}


def greedy_policy(
    partner: str, *, noise: RealLike, discount: RealLike, current: str | None = None
) -> str:
    """The learner's greedy policy against `partner`; ties keep `current`'s move (else trade).

    Examples
    --------
    >>> greedy_policy("TSST", noise="1/20", discount="9/10")
    'TSST'
    """
    G = greedy_moves(partner, noise=noise, discount=discount)
    cur = check_policy(current, "current") if current is not None else None
    out = []
    for i, s in enumerate(STATES):
        if cur is not None and cur[i] in G[s]:
            out.append(cur[i])
        else:
            out.append("T" if "T" in G[s] else "S")
    return "".join(out)


def is_greedy(
    policy: str, partner: str, *, noise: RealLike, discount: RealLike, strict: bool = False
) -> bool:
    """True if `policy` is greedy against `partner` in every state (uniquely so if `strict`).

    Examples
    --------
    >>> is_greedy("TSSS", "TSSS", noise="1/20", discount="9/10")
    True
    """
    p = check_policy(policy, "policy")
    G = greedy_moves(partner, noise=noise, discount=discount)
    return all(p[i] in G[s] and (not strict or len(G[s]) == 1) for i, s in enumerate(STATES))
