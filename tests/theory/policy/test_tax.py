"""Tax schedules: T(z) exactly as the seeds write it, at and around every US cut-off; errors."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from theory.errors import PolicyError, PolicyTypeError
from theory.policy.tax import (
    US_FEDERAL_2018_CUTOFFS,
    US_FEDERAL_2018_RATES,
    TaxSchedule,
    free_market,
    redistribute,
    us_federal_2018,
)

# The IRS 2019 single-filer table (the AI Economist's "2018" cut-offs), in dollars / 1000.
IRS_TAX_AT_CUTOFF = [
    Fraction(0),
    Fraction("0.970"),
    Fraction("4.543"),
    Fraction("14.3825"),
    Fraction("32.7485"),
    Fraction("46.6285"),
    Fraction("153.7985"),
]


def _seed_formula(z, cutoffs, rates):
    """The seeds' indicator sum, literally: τ_b((m_{b+1} − m_b)1[z > m_{b+1}] + (z − m_b)1[...])."""
    m = [*cutoffs, None]
    total = Fraction(0)
    for b, t in enumerate(rates):
        lo, hi = m[b], m[b + 1]
        sat = hi is not None and z > hi
        inside = lo < z and (hi is None or z <= hi)
        total += t * ((hi - lo) * sat if hi is not None else 0) + t * (z - lo) * inside
    return total


def test_us_tax_at_every_cutoff_matches_the_irs_table():
    t = us_federal_2018()
    for m, want in zip(US_FEDERAL_2018_CUTOFFS, IRS_TAX_AT_CUTOFF, strict=True):
        assert t.tax(m) == want


def test_us_tax_around_every_cutoff():
    t = us_federal_2018()
    eps = Fraction(1, 10**9)
    rates = [*US_FEDERAL_2018_RATES]
    for b, m in enumerate(US_FEDERAL_2018_CUTOFFS):
        assert t.tax(m + eps) == t.tax(m) + rates[b] * eps  # the new bracket's rate above
        if b > 0:
            assert t.tax(m - eps) == t.tax(m) - rates[b - 1] * eps  # the old one below
            assert t.marginal_rate(m) == rates[b - 1]  # the seed's 1[m_b < z <= m_{b+1}]
        assert t.marginal_rate(m + eps) == rates[b]


@given(st.fractions(0, 1000))
def test_tax_equals_the_seed_indicator_formula(z):
    t = us_federal_2018()
    assert t.tax(z) == _seed_formula(z, US_FEDERAL_2018_CUTOFFS, US_FEDERAL_2018_RATES)


@given(st.lists(st.floats(0, 900), min_size=1, max_size=10))
def test_vectorised_taxes_match_exact(zs):
    t = us_federal_2018()
    assert np.allclose(t.taxes(zs), [float(t.tax(Fraction(z))) for z in zs], rtol=1e-12)


@given(st.lists(st.fractions(0, 700), min_size=1, max_size=8))
def test_redistribution_balances_the_budget_exactly(zs):
    post = redistribute(us_federal_2018(), zs)
    assert sum(post) == sum(zs)
    taxes = [us_federal_2018().tax(z) for z in zs]
    share = sum(taxes) / len(zs)
    assert all(p == z - t + share for p, z, t in zip(post, zs, taxes, strict=True))


def test_float_inputs_give_floats_and_free_market_is_untaxed():
    assert isinstance(us_federal_2018().tax(50.0), float)
    assert free_market().tax(123) == 0
    assert redistribute(free_market(), [1.0, 2.0]) == (1.0, 2.0)
    assert TaxSchedule([0], ["1/4"]).post_tax_income(8) == 6


@pytest.mark.parametrize(
    ("call", "err"),
    [
        (lambda: TaxSchedule([1, 2], [0, 0]), PolicyError),
        (lambda: TaxSchedule([0, 2, 2], [0, 0, 0]), PolicyError),
        (lambda: TaxSchedule([0, 3, 2], [0, 0, 0]), PolicyError),
        (lambda: TaxSchedule([0, 1], [0.1]), PolicyError),
        (lambda: TaxSchedule([0], [1.5]), PolicyError),
        (lambda: TaxSchedule([0], [-0.1]), PolicyError),
        (lambda: TaxSchedule([0], [float("nan")]), PolicyError),
        (lambda: TaxSchedule([0, float("inf")], [0, 0]), PolicyError),
        (lambda: TaxSchedule([], []), PolicyError),
        (lambda: TaxSchedule([0], ["x"]), PolicyTypeError),
        (lambda: TaxSchedule([0], [None]), PolicyTypeError),
        (lambda: TaxSchedule([0], [1j]), PolicyTypeError),
        (lambda: us_federal_2018().tax(-1), PolicyError),
        (lambda: us_federal_2018().tax(float("nan")), PolicyError),
        (lambda: us_federal_2018().taxes([-1.0]), PolicyError),
        (lambda: redistribute(us_federal_2018(), [-1]), PolicyError),
        (lambda: redistribute(us_federal_2018(), []), PolicyError),
    ],
)
def test_errors(call, err):
    with pytest.raises(err):
        call()


def test_error_names_the_argument():
    with pytest.raises(PolicyError, match=r"rates\[1\]"):
        TaxSchedule([0, 1], [0, 2])
