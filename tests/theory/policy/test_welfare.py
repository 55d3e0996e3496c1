"""Welfare and inequality: exact Gini of known distributions, equality, objectives, errors."""

from fractions import Fraction
from itertools import permutations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from theory.errors import PolicyError, PolicyTypeError
from theory.policy.welfare import (
    egalitarian,
    equality,
    equality_times_productivity,
    eta_interpolation,
    gini,
    nash_welfare,
    power_mean,
    productivity,
    utilitarian,
    welfare_rows,
)

amounts = st.lists(st.integers(0, 50), min_size=2, max_size=9)


def _pairwise_gini(x):
    """The definition Σ_i Σ_j |x_i − x_j| / (2 N Σ x), as an independent oracle."""
    n, total = len(x), sum(x)
    return Fraction(sum(abs(a - b) for a in x for b in x), 2 * n * total) if total else 0


@given(amounts)
def test_gini_equals_pairwise_definition_exactly(x):
    assert gini(x) == _pairwise_gini(x)


def test_gini_of_equal_amounts_is_zero_and_of_one_owner_is_max():
    for n in range(1, 8):
        assert gini([3] * n) == 0
        assert gini([0] * (n - 1) + [5]) == Fraction(n - 1, n)
    assert gini([0, 0, 0]) == 0


def test_equality_is_one_for_equal_and_zero_for_one_owner():
    for n in range(2, 8):
        assert equality([2] * n) == 1
        assert equality([0] * (n - 1) + [9]) == 0


def test_gini_of_uniform_amounts_matches_closed_form():
    # x_i = i for i = 1..N: Σ|i − j| = N(N² − 1)/3 and Σx = N(N + 1)/2, so Gini = (N − 1)/(3N)
    for n in range(2, 30):
        assert gini(list(range(1, n + 1))) == Fraction(n - 1, 3 * n)


def test_gini_of_pareto_sample_approaches_closed_form():
    # Pareto(a) has Gini 1/(2a − 1); quantiles q_i = (i − 1/2)/N of Pareto(a = 2) over N = 20000
    # points: the quantile (midpoint) rule has O(N^(-1/2)) error for a = 2 (the tail term),
    # so 1e-2 is ~1.4 of that order at N = 20000 (the observed gap is 3e-3).
    a, n = 2.0, 20_000
    q = (np.arange(1, n + 1) - 0.5) / n
    x = (1 - q) ** (-1 / a)
    assert abs(gini(x) - 1 / (2 * a - 1)) < 1e-2


def test_float_and_exact_gini_agree():
    x = [1, 5, 2, 8, 0]
    assert gini(np.array(x, dtype=float)) == pytest.approx(float(gini(x)), abs=1e-15)


def test_productivity_and_eq_times_prod():
    assert productivity([1, 2, 3]) == 6
    assert equality_times_productivity([1, 3]) == 2
    assert isinstance(equality_times_productivity([1.0, 3.0]), float)


def test_objectives_known_values():
    assert utilitarian([1, 2, 3]) == 6
    assert egalitarian([4, 2, 3]) == 2
    assert nash_welfare([1, 4, 16]) == 4
    assert nash_welfare([0.0, 1.0]) == 0.0
    assert power_mean([1, 3], 2) == pytest.approx(5**0.5)
    assert power_mean([0, 3], -1) == 0


@given(st.lists(st.integers(1, 30), min_size=2, max_size=6))
def test_power_means_are_ordered_and_hit_the_named_objectives(x):
    ps = [float("-inf"), -2, -1, 0, 1, 2, float("inf")]
    vals = [float(power_mean(x, p)) for p in ps]
    assert all(a <= b + 1e-12 for a, b in zip(vals, vals[1:], strict=False))
    assert vals[0] == egalitarian(x)
    assert vals[3] == pytest.approx(float(nash_welfare(x)))
    assert power_mean(x, 1) == Fraction(utilitarian(x), len(x))


@given(amounts, st.fractions(0, 1))
def test_eta_interpolation_between_utilitarian_and_egalitarian(x, eta):
    v = eta_interpolation(x, eta)
    assert v == eta * utilitarian(x) + (1 - eta) * egalitarian(x)
    assert eta_interpolation(x, 1) == utilitarian(x)
    assert eta_interpolation(x, 0) == egalitarian(x)


def test_welfare_rows_match_scalar_functions():
    rng = np.random.default_rng(1)
    X = rng.uniform(0, 10, (20, 5))
    for name, fn in [
        ("eq_times_prod", equality_times_productivity),
        ("equality", equality),
        ("productivity", productivity),
        ("egalitarian", egalitarian),
        ("nash", nash_welfare),
    ]:
        want = np.array([fn(r) for r in X])
        assert np.allclose(welfare_rows(X, name), want, rtol=1e-12)
    assert np.allclose(welfare_rows(X, "eta", eta=0.3), [eta_interpolation(r, 0.3) for r in X])


@pytest.mark.parametrize(
    ("call", "err"),
    [
        (lambda: gini([]), PolicyError),
        (lambda: gini([1, -1]), PolicyError),
        (lambda: gini([1.0, float("nan")]), PolicyError),
        (lambda: gini([1, "x"]), PolicyTypeError),
        (lambda: gini([1, None]), PolicyTypeError),
        (lambda: gini("12"), PolicyTypeError),
        (lambda: gini(np.ones((2, 2))), PolicyError),
        (lambda: equality([3]), PolicyError),
        (lambda: eta_interpolation([1, 2], 2), PolicyError),
        (lambda: eta_interpolation([1, 2], float("nan")), PolicyError),
        (lambda: power_mean([1, 2], float("nan")), PolicyError),
        (lambda: welfare_rows([[1.0, 2.0]], "nope"), PolicyError),
        (lambda: welfare_rows([[1.0, 2.0]], "eta"), PolicyError),
        (lambda: welfare_rows([1.0, 2.0], "equality"), PolicyError),
        (lambda: welfare_rows([[1.0, np.inf]], "equality"), PolicyError),
    ],
)
def test_errors(call, err):
    with pytest.raises(err):
        call()


def test_unknown_objective_lists_the_known_ones():
    with pytest.raises(PolicyError, match="eq_times_prod"):
        welfare_rows([[1.0, 2.0]], "nope")


def test_gini_invariant_to_permutation_and_scale():
    x = [1, 4, 9, 0, 2]
    for perm in permutations(range(5)):
        assert gini([x[i] for i in perm]) == gini(x)
    assert gini([3 * v for v in x]) == gini(x)
