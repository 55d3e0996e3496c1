from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamics.commons import K_SIGMA
from numpol.agreement import (
    FLOAT_RTOL,
    K_SE,
    Agreement,
    exactly_equal,
    within_relative,
    within_standard_errors,
    within_wilson,
)
from numpol.errors import NumpolError


def test_the_report_uses_one_k() -> None:
    assert K_SE == K_SIGMA == 4


def test_standard_errors_says_no_beyond_k() -> None:
    # Experiment 1's exact W 2.729 against a simulated 2.678 ± 0.0006 is 85 SE apart: "no"
    assert not within_standard_errors(2.678, 2.729, 0.0006)
    assert within_standard_errors(1 + 3.9 * 0.01, 1, 0.01)
    assert not within_standard_errors(1 + 4.1 * 0.01, 1, 0.01)
    assert within_standard_errors(1.045, Fraction(1), 0.01, shift=0.01)


def test_standard_errors_rejects_bad_input() -> None:
    with pytest.raises(NumpolError, match="se"):
        within_standard_errors(1, 1, -0.1)
    with pytest.raises(NumpolError, match="estimate"):
        within_standard_errors(float("nan"), 1, 0.1)
    with pytest.raises(NumpolError, match="target"):
        within_standard_errors(1, "x", 0.1)


def test_standard_errors_false_alarm_rate_is_small() -> None:
    # 2000 true claims, each a mean of 50 normal draws: at 4 SE we expect ~0.13 false alarms;
    # more than 3 would be a probability below 1e-3 (Poisson(0.13)).
    rng = np.random.default_rng(5)
    x = rng.normal(2.0, 1.5, (2000, 50))
    se = x.std(axis=1, ddof=1) / np.sqrt(50)
    alarms = sum(not within_standard_errors(m, 2.0, s) for m, s in zip(x.mean(1), se, strict=True))
    assert alarms <= 3


def test_wilson() -> None:
    assert within_wilson(480, 1000, 0.5)
    assert not within_wilson(400, 1000, 0.5)
    assert within_wilson(0, 100, 0)
    with pytest.raises(NumpolError, match="p must"):
        within_wilson(1, 10, 1.5)


def test_exact_equality_refuses_floats() -> None:
    assert exactly_equal((Fraction(1, 3), 2), (Fraction(2, 6), 2))
    assert not exactly_equal(Fraction(1, 3), Fraction(1, 4))
    with pytest.raises(NumpolError, match="float"):
        exactly_equal([1, 0.5], [1, 0.5])


def test_relative() -> None:
    assert within_relative([1e3, 2e3], [1e3 * (1 + 1e-12), 2e3])
    assert not within_relative([1e3, 2e3], [1e3 * (1 + 1e-6), 2e3])
    assert within_relative(0.3, 0.31, rtol=0.05)
    with pytest.raises(NumpolError, match="shape"):
        within_relative([1, 2], [1, 2, 3])
    with pytest.raises(NumpolError, match="finite"):
        within_relative([1, np.inf], [1, 2])
    assert FLOAT_RTOL == 1e-9


def test_agreement_combines_and_keeps_rules() -> None:
    both = within_relative(1, 1) & exactly_equal(1, 2, what="counts")
    assert isinstance(both, Agreement) and not both
    assert "counts equal exactly: 1 vs 2" in both.rule
    assert str(both).startswith("DISAGREES")


@given(st.floats(-1e6, 1e6), st.floats(0, 1e3), st.floats(0.1, 10))
def test_standard_errors_is_symmetric(target: float, se: float, k: float) -> None:
    est = target + 1.0
    assert bool(within_standard_errors(est, target, se, k=k)) == bool(
        within_standard_errors(target, est, se, k=k)
    )
