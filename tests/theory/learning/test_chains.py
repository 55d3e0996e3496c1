from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from tests.theory.learning.strategies import noises, policies
from theory.errors import TheoryError
from theory.learning.chains import (
    NOISE,
    average_wellbeing,
    noise_limit,
    pair_stationary_distribution,
    pair_summary,
    transition_matrix,
)
from theory.learning.policies import ALWAYS_STEAL, GRIM, TFT, WSLS

# Float oracle: the stationary distribution by a dense eigen-solve agrees with the exact one to
# rounding; 1e-9 is far above double-precision error for a 4x4 well-conditioned chain.
FLOAT_TOL = 1e-9


@given(policies, policies, noises)
def test_exact_stationary_matches_float_eigenvector(p, q, e):
    pi = pair_stationary_distribution(p, q, e)
    assert sum(pi) == 1 and all(x >= 0 for x in pi)
    P = np.array(transition_matrix(p, q, e).tolist(), dtype=float)
    w, v = np.linalg.eig(P.T)
    ref = np.real(v[:, np.argmin(abs(w - 1))])
    np.testing.assert_allclose(np.array(pi, dtype=float), ref / ref.sum(), atol=FLOAT_TOL)


@given(policies, policies, noises)
def test_symbolic_equals_rational_substitution(p, q, e):
    sym = average_wellbeing(p, q)
    rat = average_wellbeing(p, q, e)
    value = sympy.Rational(e.numerator, e.denominator)
    diffs = [sympy.simplify(s.subs(NOISE, value) - r) for s, r in zip(sym, rat, strict=True)]
    assert diffs == [0, 0]


@given(policies, policies)
def test_swapping_the_agents_swaps_the_wellbeing(p, q):
    e = Fraction(1, 7)
    a, b = average_wellbeing(p, q, e)
    assert average_wellbeing(q, p, e) == (b, a)


def test_rows_sum_to_one_symbolically():
    P = transition_matrix(WSLS, TFT)
    assert all(sympy.simplify(sum(P.row(i)) - 1) == 0 for i in range(4))


def test_seed_wellbeing_values():
    assert pair_summary(WSLS, WSLS).wellbeing_limit == (3, 3)  # SS-06
    assert pair_summary(ALWAYS_STEAL, WSLS).wellbeing_limit[0] == sympy.Rational(5, 2)  # SS-07
    assert average_wellbeing(ALWAYS_STEAL, WSLS, 0)[0] == sympy.Rational(5, 2)
    assert pair_summary(ALWAYS_STEAL, ALWAYS_STEAL).wellbeing_limit == (1, 1)
    # SS-05: mutual "steal unless both traded" beats mutual always-steal for 0 < e < 1/2 ...
    gap = sympy.factor(
        average_wellbeing(GRIM, GRIM)[0] - average_wellbeing(ALWAYS_STEAL, ALWAYS_STEAL)[0]
    )
    assert sympy.simplify(gap - NOISE * (1 - 2 * NOISE)) == 0
    # ... by a margin that vanishes with the noise
    assert pair_summary(GRIM, GRIM).wellbeing_limit == (1, 1)


def test_limit_helper():
    assert noise_limit((NOISE**2 + NOISE) / (3 * NOISE)) == sympy.Rational(1, 3)


def test_reducible_chain_at_zero_noise_is_an_error():
    with pytest.raises(TheoryError, match="TSTS"):
        pair_stationary_distribution(TFT, TFT, 0)


@pytest.mark.parametrize("bad", [2, -1, "abc(", True])
def test_bad_noise(bad):
    with pytest.raises(TheoryError, match="noise"):
        transition_matrix(WSLS, WSLS, bad)


def test_bad_policy():
    with pytest.raises(TheoryError, match="policy2"):
        average_wellbeing(WSLS, "TSX")


def test_mutual_tit_for_tat_under_vanishing_noise_visits_all_joint_moves_equally():
    # the seed's open question, in the chain: noisy mutual TFT -> uniform, W -> (3+0+4+1)/4 = 2
    s = pair_summary(TFT, TFT)
    assert s.stationary_limit == (sympy.Rational(1, 4),) * 4
    assert s.wellbeing_limit == (2, 2)


@pytest.mark.parametrize(
    "noise", [float("nan"), np.nan, float("inf"), sympy.nan, sympy.zoo, 1j, "nan", (0.1,)]
)
def test_noise_that_is_not_a_real_number_is_the_packages_error(noise):
    with pytest.raises(TheoryError, match="noise"):
        transition_matrix("TTTT", "SSSS", noise)
    with pytest.raises(TheoryError, match="noise"):
        pair_stationary_distribution("TSST", "TSST", noise)


@given(
    noise=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.fractions(-1, 2, max_denominator=9),
        st.integers(-2, 3),
        st.sampled_from(["0.1", "1/3", "x", "", "nan", "oo", None, True, 1j, (0.5,), sympy.nan]),
    )
)
def test_fuzz_transition_matrix_noise(noise):
    """Any noise: a row-stochastic matrix, or the package's own error."""
    try:
        P = transition_matrix("TSST", "SSSS", noise)
    except TheoryError:
        return
    if P.free_symbols:
        return  # a symbolic noise such as "x"
    floats = any(isinstance(v, sympy.Float) for v in P)
    for i in range(4):
        total = sum(P.row(i))
        if floats:  # a float noise: rows sum to 1 up to a few ulps of round-off
            assert abs(float(total) - 1) <= 8 * np.finfo(float).eps
        else:
            assert sympy.simplify(total - 1) == 0
        assert all(v >= 0 for v in P.row(i))
