"""Private kernels of dynamics (dynamics._kernels): the fast row reductions equal numpy's."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dynamics._kernels import logsumexp, row_max, row_sum, softmax

finite = st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10).flatmap(lambda n: arrays(np.float64, (5, n), elements=finite)))
def test_row_reductions_are_numpys_bit_for_bit(z: np.ndarray) -> None:
    # the integrator's results (seeded basin counts, doctests) depend on these bits
    assert np.array_equal(row_max(z), z.max(axis=1, keepdims=True))
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.array_equal(row_sum(z), z.sum(axis=1, keepdims=True), equal_nan=True)


@pytest.mark.parametrize("n", range(1, 10))
def test_softmax_and_logsumexp_unchanged_on_wide_ranges(n: int) -> None:
    z = np.random.default_rng(n).normal(scale=50.0, size=(2000, n))
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    assert np.array_equal(softmax(z), e / e.sum(axis=1, keepdims=True))
    assert np.array_equal(logsumexp(z), m + np.log(np.sum(e, axis=1, keepdims=True)))


def test_row_reductions_propagate_nan_like_numpy() -> None:
    z = np.array([[1.0, np.nan, 2.0], [np.nan, 0.0, 0.0], [3.0, 4.0, np.nan]])
    assert np.array_equal(row_max(z), z.max(axis=1, keepdims=True), equal_nan=True)
    assert np.array_equal(row_sum(z), z.sum(axis=1, keepdims=True), equal_nan=True)
