from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given

from tests.theory.learning.strategies import discounts, noises, policies
from theory.errors import TheoryError
from theory.learning.policies import ALWAYS_STEAL, ALWAYS_TRADE, STATES, WELLBEING
from theory.learning.qvalues import (
    greedy_moves,
    greedy_policy,
    is_greedy,
    optimal_q_values,
    policy_q_values,
)

# Value iteration in floats is an independent oracle: after k sweeps its error is at most
# r^k max|Q| / (1 - r); with r <= 0.99 and 6000 sweeps that is < 1e-20, so 1e-8 only allows
# for rounding.
VI_TOL = 1e-8


def _value_iteration(partner, e, r, sweeps=6000):
    e, r = float(e), float(r)
    Q = np.zeros((4, 2))
    moves = "TS"
    for _ in range(sweeps):
        V = Q.max(axis=1)
        new = np.zeros_like(Q)
        for i, s in enumerate(STATES):
            want = partner[STATES.index(s[::-1])]
            for j, a in enumerate(moves):
                for b in moves:
                    p = 1 - e if b == want else e
                    new[i, j] += p * (WELLBEING[a][b] + r * V[STATES.index(a + b)])
        Q = new
    return Q


@given(policies, noises, discounts)
def test_optimal_q_solves_bellman_optimality(partner, e, r):
    Q = optimal_q_values(partner, noise=e, discount=r)
    ref = _value_iteration(partner, e, r, sweeps=200 if r < Fraction(1, 2) else 6000)
    got = np.array([[float(Q[s][a]) for a in "TS"] for s in STATES])
    np.testing.assert_allclose(got, ref, atol=VI_TOL * max(1.0, float(np.abs(ref).max())))


@given(noises, discounts)
def test_against_a_memoryless_partner_stealing_gains_exactly_one(e, r):
    # the seed's zero-memory result, for a one-step-memory learner facing a partner who ignores
    # the past: Q(s, S) - Q(s, T) = 1 in every state
    for partner in (ALWAYS_STEAL, ALWAYS_TRADE, "TTTT"):
        Q = optimal_q_values(partner, noise=e, discount=r)
        assert all(Q[s]["S"] - Q[s]["T"] == 1 for s in STATES)
        assert greedy_policy(partner, noise=e, discount=r) == ALWAYS_STEAL


def test_policy_q_of_the_optimal_policy_is_optimal():
    e, r = Fraction(1, 20), Fraction(9, 10)
    best = greedy_policy("TSST", noise=e, discount=r)
    assert policy_q_values(best, "TSST", noise=e, discount=r) == optimal_q_values(
        "TSST", noise=e, discount=r
    )


def test_ties_keep_the_current_move():
    # with zero discount only the immediate wellbeing counts, and against a partner who trades in
    # a state the two moves differ by 1: no ties; at r = 0 and noise 1/2 the partner is a coin
    G = greedy_moves("TSTS", noise=Fraction(1, 2), discount=0)
    assert all(g == frozenset("S") for g in G.values())
    assert is_greedy("SSSS", "TSTS", noise=Fraction(1, 2), discount=0, strict=True)


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"noise": 2, "discount": 0}, "noise"),
        ({"noise": 0, "discount": 1}, "discount"),
        ({"noise": "x", "discount": 0}, "noise"),
        ({"noise": True, "discount": 0}, "noise"),
    ],
)
def test_bad_parameters(kw, name):
    with pytest.raises(TheoryError, match=name):
        optimal_q_values("TSST", **kw)


def test_bad_current():
    with pytest.raises(TheoryError, match="current"):
        greedy_policy("TSST", noise=0, discount=0, current="Q")
