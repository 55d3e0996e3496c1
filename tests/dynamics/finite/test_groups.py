"""Finite populations playing group games (dynamics.finite.groups)."""

from fractions import Fraction as Fr

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamics.errors import ParameterError
from dynamics.finite.chain import stationary_distribution
from dynamics.finite.fixation import fixation_probability, small_mutation_limit
from dynamics.finite.groups import (
    group_fixation_probability,
    group_process,
    group_small_mutation_limit,
    group_stationary_distribution,
    group_transition_matrix,
    sampled_payoffs,
)
from dynamics.finite.processes import fermi, moran
from theory.group_games import (
    group_game,
    public_goods_game,
    stag_hunt_game,
    volunteers_dilemma,
)


def matrix_game(A):
    n = len(A)
    return group_game(lambda i, k: sum(A[i][j] * k[j] for j in range(n)), 2, strategies=n)


RPS = [[0, -1, 2], [2, 0, -1], [-1, 2, 0]]


def test_pairwise_group_game_is_the_matrix_process():
    """d = 2: hypergeometric sampling of one co-player is the self-excluding average."""
    A = [[3, 0], [5, 1]]
    for N in (2, 5, 12):
        ours = group_fixation_probability(
            group_process(matrix_game(A), N, rule="moran", w=Fr(1, 3)), 0, 1
        )
        assert ours == fixation_probability(moran(A, N, w=Fr(1, 3)), 0, 1)
        ours_f = group_fixation_probability(group_process(matrix_game(A), N, beta=0.7), 1, 0)
        assert ours_f == pytest.approx(fixation_probability(fermi(A, N, beta=0.7), 1, 0), rel=1e-12)


def test_pairwise_three_strategies_small_mutation_limit_and_chain():
    N = 6
    ours = group_small_mutation_limit(group_process(matrix_game(RPS), N, beta=0.5))
    theirs = small_mutation_limit(fermi(RPS, N, beta=0.5))
    assert np.allclose(ours.fixation, theirs.fixation, rtol=1e-12)
    assert np.allclose(ours.stationary, theirs.stationary, rtol=1e-10)
    from dynamics.finite.chain import markov_chain

    P = group_transition_matrix(group_process(matrix_game(RPS), N, beta=0.5, mu=0.05))
    Q = markov_chain(fermi(RPS, N, beta=0.5, mu=0.05)).P
    assert np.allclose(P.toarray(), Q.toarray(), atol=1e-14)


def test_hypergeometric_payoffs_exact():
    g = public_goods_game(3, r=3, c=1)
    p = group_process(g, 5, rule="moran", w=Fr(1, 10))
    (pi,) = sampled_payoffs(p, [[2, 3]])
    # a cooperator's 2 co-players come from 1 C and 3 D: E[k co-cooperators] = 2 * 1/4
    assert pi[0] == Fr(3, 3) * (1 + Fr(1, 2)) - 1
    assert pi[1] == Fr(3, 3) * (2 * Fr(2, 4))


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 6), st.integers(0, 4), st.integers(0, 2**32 - 1))
def test_sampled_payoffs_tend_to_the_infinite_population(d, extra, seed):
    """As N grows, hypergeometric sampling approaches binomial sampling (group_payoffs)."""
    from theory.group_games import group_payoffs

    g = stag_hunt_game(d, r=3, threshold=max(1, d // 2))
    N = 4000
    x0 = int(np.random.default_rng(seed).integers(1, N))
    p = group_process(g, N)
    finite = sampled_payoffs(p, [[x0, N - x0]])[0]
    infinite = np.array([float(v) for v in group_payoffs(g, [Fr(x0, N), Fr(N - x0, N)])])
    assert np.allclose(finite, infinite, atol=5 * d / N)


@pytest.mark.parametrize("N", [10, 50, 100])
def test_public_goods_cooperator_fixes_below_neutral(N):
    for rule in ("fermi", "moran"):
        p = group_process(public_goods_game(5, r=3), N, rule=rule, beta=1.0, w=0.1)
        rho_c = group_fixation_probability(p, 0, 1)
        rho_d = group_fixation_probability(p, 1, 0)
        assert rho_c < 1 / N < rho_d


def test_fixation_matches_the_absorbing_chain():
    """The product formula against a direct solve of the absorption equations."""
    g = stag_hunt_game(4, r=3, threshold=2)
    p = group_process(g, 12, beta=2.0)
    P = group_transition_matrix(p).toarray()  # states by count of strategy 0: 0..N
    N = 12
    # absorption into state N from the transient states 1..N-1
    Q = P[1:N, 1:N]
    R = P[1:N, N]
    h = np.linalg.solve(np.eye(N - 1) - Q, R)
    assert group_fixation_probability(p, 0, 1) == pytest.approx(h[0], rel=1e-10)


def test_full_stationary_distribution_birth_death_equals_sparse_solve():
    p = group_process(volunteers_dilemma(5, b=3, c=1), 30, beta=2.0, mu=0.01)
    closed = group_stationary_distribution(p)
    solved = stationary_distribution(group_transition_matrix(p))
    assert np.allclose(closed, solved, atol=1e-12)


def test_small_mutation_limit_is_the_limit_of_the_full_chain():
    p0 = group_process(stag_hunt_game(5, r=4, threshold=3), 20, beta=1.0)
    sml = group_small_mutation_limit(p0)
    p = group_process(stag_hunt_game(5, r=4, threshold=3), 20, beta=1.0, mu=1e-7)
    pi = group_stationary_distribution(p)
    assert pi[0] + pi[-1] > 0.999
    assert pi[-1] / (pi[0] + pi[-1]) == pytest.approx(sml.stationary[0], rel=1e-4)


def test_exact_small_mutation_limit():
    p = group_process(public_goods_game(3, r=2), 6, rule="moran", w=Fr(1, 5))
    sml = group_small_mutation_limit(p)
    assert all(isinstance(v, Fr) for v in sml.stationary)
    rho_c, rho_d = sml.fixation[1, 0], sml.fixation[0, 1]
    assert sml.stationary[0] == rho_c / (rho_c + rho_d)


def test_simulated_fixation_agrees():
    """Direct simulation of the Fermi chain from one mutant agrees with the exact value."""
    p = group_process(stag_hunt_game(4, r=3.5, threshold=2), 8, beta=1.5)
    P = group_transition_matrix(p).toarray()
    rng = np.random.default_rng(7)
    runs, fixed = 4000, 0
    cum = np.cumsum(P, axis=1)
    for _ in range(runs):
        s = 1
        while 0 < s < 8:
            s = int(np.searchsorted(cum[s], rng.random(), side="right"))
        fixed += s == 8
    rho = group_fixation_probability(p, 0, 1)
    se = np.sqrt(rho * (1 - rho) / runs)
    assert abs(fixed / runs - rho) < 4 * se


@pytest.mark.parametrize(
    "call",
    [
        lambda: group_process(public_goods_game(5, r=3), 4),  # d > N
        lambda: group_process(public_goods_game(5, r=3), 1.5),
        lambda: group_process(public_goods_game(5, r=3), 10, rule="wright"),
        lambda: group_process(public_goods_game(5, r=3), 10, beta=-1),
        lambda: group_process(public_goods_game(5, r=3), 10, mu=2),
        lambda: group_process(public_goods_game(5, r=3), 10, rule="moran", w=1),  # fitness <= 0
        lambda: group_process([[1, 0], [0, 1]], 10),
        lambda: group_fixation_probability(group_process(public_goods_game(3, r=2), 5), 0, 0),
        lambda: group_fixation_probability(group_process(public_goods_game(3, r=2), 5), 0, 2),
        lambda: sampled_payoffs(group_process(public_goods_game(3, r=2), 5), [[1, 1]]),
        lambda: group_stationary_distribution(group_process(public_goods_game(3, r=2), 5)),
    ],
)
def test_bad_input(call):
    with pytest.raises(ParameterError):
        call()


def test_small_mutation_limit_under_strong_selection():
    """A fixation probability of 1e-19 must not make the embedded chain look reducible."""
    p = group_process(public_goods_game(5, r=3), 100, beta=1.0)
    sml = group_small_mutation_limit(p)
    rho_c, rho_d = sml.fixation[1, 0], sml.fixation[0, 1]
    assert 0 < rho_c < 1e-15
    assert sml.stationary[0] == pytest.approx(rho_c / (rho_c + rho_d), rel=1e-9)
    assert sml.stationary[1] == pytest.approx(1.0)
