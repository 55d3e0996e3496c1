from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamics.errors import ParameterError
from dynamics.finite.chain import absorption, markov_chain
from dynamics.finite.fixation import fixation_probability, small_mutation_limit
from dynamics.finite.processes import fermi, moran, wright_fisher
from tests.dynamics.finite.strategies import games, sizes


@given(st.integers(2, 40))
def test_neutral_mutant_fixes_with_probability_one_over_n(N):
    assert fixation_probability(moran([[1, 1], [1, 1]], N), 0, 1) == Fraction(1, N)
    assert fixation_probability(fermi([[2, 0], [0, 2]], N, beta=0.0), 0, 1) == pytest.approx(1 / N)


def test_neutral_wright_fisher_fixation_from_the_chain():
    assert fixation_probability(wright_fisher([[1, 1], [1, 1]], 12, w=0), 0, 1) == pytest.approx(
        1 / 12, rel=1e-10
    )


@given(
    st.integers(2, 30),
    st.fractions(Fraction(1, 10), 10, max_denominator=10),
    st.sampled_from([Fraction(1, 10), Fraction(1, 2), Fraction(1)]),
)
def test_moran_constant_advantage_closed_form(N, r, w):
    # payoffs make the fitness of the mutant r times the resident's: f_res = 1, f_mut = r
    # with f = 1 - w + w pi: pi_res = 1, pi_mut = 1 + (r - 1) / w
    a = 1 + (r - 1) / w
    if 1 - w + w * min(a, 1) <= 0:
        return
    rho = fixation_probability(moran([[a, a], [1, 1]], N, w=w), 0, 1)
    expected = Fraction(1, N) if r == 1 else (1 - 1 / r) / (1 - 1 / r**N)
    assert rho == expected


@given(games(max_n=2, min_n=2), sizes, st.integers(1, 6))
def test_closed_form_matches_absorbing_chain(A, N, k):
    k = min(k, N - 1)
    for p in (
        moran(A, N, w=Fraction(1, 3)),
        fermi(A, N, beta=0.8),
        moran(A, N, w=0.7, mapping="exponential"),
    ):
        ab = absorption(markov_chain(p))
        # state (k, N - k) has index k in lexicographic order
        assert float(fixation_probability(p, 0, 1, k=k)) == pytest.approx(
            ab.probability[k, 0], rel=1e-9, abs=1e-14
        )


def test_fixation_argument_errors():
    p = moran([[1, 2], [3, 1]], 5, w=0.5)
    with pytest.raises(ParameterError, match="differ"):
        fixation_probability(p, 0, 0)
    with pytest.raises(ParameterError, match="resident"):
        fixation_probability(p, 0, 2)
    with pytest.raises(ParameterError, match="k must"):
        fixation_probability(p, 0, 1, k=5)


def test_small_mutation_limit_is_the_mu_to_zero_limit_of_the_full_chain():
    A = np.array([[1, 3, 1, 1], [0, 2, 2, 0], [0.9, 1.9, 1.9, 1.9], [0.8, 2.8, 1.8, 1.8]])
    sml = small_mutation_limit(moran(A, 10, w=0.5))
    mc = markov_chain(moran(A, 10, w=0.5, mu=1e-6))
    pi = mc.stationary()
    mono = pi[mc.monomorphic()]
    # with mu = 1e-6 the population is mixed a fraction O(N mu) of the time and the embedded
    # chain is exact up to O(N mu) = 1e-5; 1e-4 leaves room for that and for round-off
    assert mono.sum() > 1 - 1e-4
    np.testing.assert_allclose(mono / mono.sum(), sml.stationary, atol=1e-4)
    np.testing.assert_allclose(sml.transition.sum(axis=1), 1.0)


def test_small_mutation_limit_is_exact_for_exact_input():
    sml = small_mutation_limit(moran([[3, 0], [5, 1]], 6, w=Fraction(1, 2)))
    assert sml.stationary.dtype == object and sum(sml.stationary) == 1
    rho_d = sml.fixation[0, 1]  # a defector invading cooperators
    rho_c = sml.fixation[1, 0]
    # two strategies: stationary odds equal the ratio of fixation probabilities
    assert sml.stationary[1] / sml.stationary[0] == rho_d / rho_c


def test_exact_stationary_law_of_the_embedded_chain():
    from dynamics.finite.fixation import _stationary_exact

    F = Fraction
    T = np.array([[F(1, 2), F(1, 2), F(0)], [F(1, 4), F(1, 2), F(1, 4)], [F(0), F(1, 3), F(2, 3)]])
    pi = _stationary_exact(T.astype(object))
    # detailed balance by hand: pi1 = 2 pi0 (pi0/2 = pi1/4), pi2 = 3/4 pi1 (pi1/4 = pi2/3)
    assert list(pi) == [F(2, 9), F(4, 9), F(1, 3)]
    assert all(sum(pi[i] * T[i, j] for i in range(3)) == pi[j] for j in range(3))
    with pytest.raises(ParameterError, match="reducible"):
        _stationary_exact(np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object))


@pytest.mark.parametrize("w", [1000.0, 1e5])
def test_strong_exponential_selection_does_not_overflow(w):
    # f = exp(w pi) overflows at w pi > 709: the ratios are taken in log space
    rho = fixation_probability(moran([[2, 2], [1, 1]], 10, w=w, mapping="exponential"), 0, 1)
    # gamma_l = exp(-w (2 - 1)): essentially certain fixation, 1 - 1/r with r = e^w
    assert rho == pytest.approx(1.0, rel=1e-12)
    back = fixation_probability(moran([[2, 2], [1, 1]], 10, w=w, mapping="exponential"), 1, 0)
    assert back == 0.0 or (np.isfinite(back) and back < 1e-300)
    # matches the ordinary formula where exp does not overflow
    small = moran([[2, 0.5], [1.5, 1]], 12, w=3.0, mapping="exponential")
    l_ = np.arange(1, 12)
    pi_m = (2 * (l_ - 1) + 0.5 * (12 - l_)) / 11
    pi_r = (1.5 * l_ + 1 * (12 - l_ - 1)) / 11
    gam = np.exp(3.0 * pi_r) / np.exp(3.0 * pi_m)
    exact = 1 / (1 + np.cumprod(gam).sum())
    assert fixation_probability(small, 0, 1) == pytest.approx(exact, rel=1e-10)


def test_strong_exponential_selection_in_the_wright_fisher_chain():
    p = wright_fisher([[2, 2], [1, 1]], 8, w=1000.0, mapping="exponential")
    rho = fixation_probability(p, 0, 1)
    assert np.isfinite(rho) and rho == pytest.approx(1.0, abs=1e-9)
