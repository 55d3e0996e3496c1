from math import comb

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given

from dynamics.errors import ParameterError
from dynamics.finite.chain import (
    DIRECT_MAX_STATES,
    absorption,
    markov_chain,
    population_states,
    state_index,
    stationary_distribution,
    stationary_method,
)
from dynamics.finite.processes import fermi, moran, wright_fisher
from dynamics.finite.simulation import simulate
from tests.dynamics.finite.helpers import pearson_pvalue
from tests.dynamics.finite.strategies import games, sizes

# A 3-strategy rock-paper-scissors-like game with a dominated-ish third row.
RPS = np.array([[2, 1, 4], [4, 2, 1], [1, 4, 2]])
RPS_4 = np.array([[2, 1, 4, 3], [4, 2, 1, 3], [1, 4, 2, 3], [3, 3, 3, 2]])


@given(sizes, sizes)
def test_population_states_enumerate_compositions(N, n):
    S = population_states(N, n)
    assert len(S) == comb(N + n - 1, n - 1)
    assert np.all(S.sum(axis=1) == N) and np.all(S >= 0)
    assert len({tuple(r) for r in S}) == len(S)
    np.testing.assert_array_equal(state_index(S, N), np.arange(len(S)))


@given(games(max_n=3), sizes)
def test_transition_matrix_is_row_stochastic(A, N):
    for p in (
        moran(A, N, w=0.5, mu=0.1),
        fermi(A, N, beta=2.0, mu=0.05),
        wright_fisher(A, N, w=0.5, mu=0.1),
    ):
        P = markov_chain(p).P
        assert P.min() >= 0
        np.testing.assert_allclose(np.asarray(P.sum(axis=1)).ravel(), 1.0, atol=1e-12)


def test_neutral_absorption_probability_and_times():
    N = 9
    ab = absorption(markov_chain(moran([[1, 1], [1, 1]], N)))
    l_ = population_states(N, 2)[:, 0]
    np.testing.assert_allclose(ab.probability[:, 0], l_ / N, atol=1e-12)
    # neutral Moran from one mutant: mean absorption time N H_{N-1}, conditional fixation
    # time N (N - 1) steps (Antal & Scheuring 2006)
    assert ab.time[1] == pytest.approx(N * sum(1 / k for k in range(1, N)), rel=1e-10)
    assert ab.conditional_time[1, 0] == pytest.approx(N * (N - 1), rel=1e-10)


def test_absorption_needs_no_mutation():
    with pytest.raises(ParameterError, match="mu = 0"):
        absorption(markov_chain(moran(RPS, 5, w=0.5, mu=0.1)))


def test_two_strategy_stationary_satisfies_detailed_balance():
    # a birth-death chain is reversible: pi_l T+(l) = pi_{l+1} T-(l+1)
    mc = markov_chain(fermi([[3, 0], [5, 1]], 12, beta=0.7, mu=0.05))
    pi = mc.stationary()
    P = mc.P.toarray()
    up = np.array([P[k, k + 1] for k in range(12)])
    down = np.array([P[k + 1, k] for k in range(12)])
    np.testing.assert_allclose(pi[:-1] * up, pi[1:] * down, rtol=1e-9)


def test_iterative_and_direct_stationary_agree():
    mc = markov_chain(moran(RPS, 15, w=0.4, mu=0.02))
    np.testing.assert_allclose(
        mc.stationary(method="iterative"), mc.stationary(method="direct"), atol=1e-9
    )
    with pytest.raises(ParameterError, match="method"):
        mc.stationary(method="magic")
    with pytest.raises(ParameterError, match="square"):
        stationary_distribution(np.ones((2, 3)))


def test_wright_fisher_chain_refuses_huge_dense_matrix():
    with pytest.raises(ParameterError, match="MAX_DENSE_STATES"):
        markov_chain(wright_fisher(np.ones((4, 4)), 60, w=0.1))


# Samples: RUNS independent runs, each observed once after BURN_IN steps. The exact law of the
# state after BURN_IN steps is computed from the chain; its total-variation distance to the
# stationary law (asserted below 1e-4) bounds the bias, far below the chi-square test's
# resolution with 4000 samples (~ 1/sqrt(4000) = 0.016). Independent samples make Pearson's
# test valid; states with expected count < 5 are pooled. We require p > 0.001 (a fixed seed:
# a false alarm has probability 0.001).
RUNS = 4000
ALPHA = 1e-3


@pytest.mark.parametrize(
    "process, burn_in",
    [
        (fermi(RPS, 6, beta=1.0, mu=0.1), 400),
        (moran(RPS, 6, w=0.5, mu=0.1), 400),
        (wright_fisher(RPS, 6, w=0.5, mu=0.1), 60),
    ],
    ids=["fermi", "moran", "wright-fisher"],
)
def test_stationary_distribution_matches_long_simulations(process, burn_in):
    mc = markov_chain(process)
    pi = mc.stationary()
    start = np.array([6, 0, 0])
    law = np.zeros(len(pi))
    law[mc.index(start)] = 1.0
    for _ in range(burn_in):
        law = mc.P.T @ law
    assert 0.5 * np.abs(law - pi).sum() < 1e-4
    final = simulate(process, start, steps=burn_in, runs=RUNS, every=burn_in, rng=2026).counts[-1]
    observed = np.bincount(mc.index(final), minlength=len(pi))
    expected = RUNS * pi
    assert pearson_pvalue(observed, expected) > ALPHA


def test_reducible_chain_has_no_unique_stationary_law():
    with pytest.raises(ParameterError, match="reducible"):
        markov_chain(moran([[1, 2], [3, 1]], 5, w=0.5)).stationary()


def test_iterative_stationary_across_hundreds_of_decades():
    # strong selection: stationary probabilities span > 100 decades; detailed balance in log
    # space is the oracle (fixing one component, as the direct method does, would over/underflow)
    mc = markov_chain(fermi([[3, 0], [5, 1]], 150, beta=5.0, mu=0.01))
    P = mc.P.tocsr()
    up = np.array([P[k, k + 1] for k in range(150)])
    down = np.array([P[k + 1, k] for k in range(150)])
    log_pi = np.concatenate([[0.0], np.cumsum(np.log(up) - np.log(down))])
    exact = np.exp(log_pi - log_pi.max())
    exact /= exact.sum()
    assert exact.min() < 1e-100
    pi = mc.stationary(method="iterative")
    # absolute error far below the largest probabilities; the residual criterion is 1e-12
    np.testing.assert_allclose(pi, exact, atol=1e-10)


@pytest.mark.parametrize(
    ("P", "match"),
    [
        ([[0.5, np.nan], [0.25, 0.75]], "NaN"),
        ([[0.5, 0.4], [0.25, 0.75]], "sum to 1"),
        ([[1.5, -0.5], [0.25, 0.75]], "negative"),
        ([[0.5, 0.5], [np.inf, 0.75]], "NaN or infinite"),
        ([[True, False], [False, True]], "real"),
        ([["a", "b"], ["c", "d"]], "real"),
        (np.zeros((0, 0)), "non-empty square"),
    ],
)
def test_stationary_distribution_refuses_what_is_not_a_transition_matrix(P, match):
    with pytest.raises(ParameterError, match=match):
        stationary_distribution(P)
    raw = np.asarray(P)
    if raw.dtype.kind == "f" and raw.size:  # the same checks on a sparse matrix
        with pytest.raises(ParameterError, match=match):
            stationary_distribution(sp.csr_matrix(raw))


def test_the_solver_is_chosen_by_size_and_reported():
    assert stationary_method(DIRECT_MAX_STATES) == "direct"
    assert stationary_method(DIRECT_MAX_STATES + 1) == "iterative"
    assert stationary_method(10, "iterative") == "iterative"
    with pytest.raises(ParameterError, match="method"):
        stationary_method(10, "magic")
    # 4 strategies, N = 80: 91881 states, above the direct solver's size (58 s, 2.6 GB)
    assert comb(83, 3) > DIRECT_MAX_STATES


@pytest.mark.slow
def test_a_large_moran_chain_is_solved_iteratively():
    mc = markov_chain(moran(RPS_4, 50, w=0.1, mu=0.01))  # 23,426 states
    assert stationary_method(mc.P.shape[0]) == "iterative"
    pi = mc.stationary()
    assert abs(pi.sum() - 1) < 1e-12 and np.all(pi >= 0)
    residual = np.abs(pi @ mc.P - pi).max()
    assert residual < 1e-9 * pi.max()


@pytest.mark.parametrize("method", ["direct", "iterative"])
def test_a_transient_state_zero_gets_probability_zero(method):
    # hypothesis found this: the direct solver pinned pi_0 = 1, but nothing enters state 0, so
    # it returned (1, 0, 0), which is not stationary
    P = np.array([[0, 0, 1], [0, 0.8, 0.2], [0, 1, 0]])
    pi = stationary_distribution(P, method=method)
    np.testing.assert_allclose(pi, [0, 5 / 6, 1 / 6], atol=1e-9)


def test_a_transient_state_zero_with_two_closed_classes_is_refused():
    P = np.array([[0, 0.5, 0.5], [0, 1, 0], [0, 0, 1]])
    with pytest.raises(ParameterError, match="unique"):
        stationary_distribution(P, method="direct")
