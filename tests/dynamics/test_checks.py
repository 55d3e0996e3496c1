"""The shared argument checks of dynamics (private helpers)."""

import numpy as np
import pytest

from dynamics._checks import integer_at_least, positive_finite
from dynamics.errors import ParameterError


@pytest.mark.parametrize("value", [2, np.int64(2), np.int8(5), 10**20])
def test_integers_at_or_above_the_bound_pass_as_int(value):
    out = integer_at_least(value, "runs", 2)
    assert out == value and type(out) is int


@pytest.mark.parametrize("value", [1, True, False, 2.0, "2", None, np.float64(3)])
def test_everything_else_names_the_argument_and_value(value):
    with pytest.raises(ParameterError, match=r"runs must be an integer >= 2, got "):
        integer_at_least(value, "runs", 2)


@pytest.mark.parametrize("value", [1, 0.5, 1e300, np.float64(2.5)])
def test_positive_finite_numbers_pass_as_float(value):
    out = positive_finite(value, "t_end")
    assert out == value and type(out) is float


@pytest.mark.parametrize("value", [0, -1.0, float("inf"), float("nan"), "1", None, np.int64(3)])
def test_other_values_are_not_positive_finite_numbers(value):
    with pytest.raises(ParameterError, match=r"t_end must be a positive finite number, got "):
        positive_finite(value, "t_end")
