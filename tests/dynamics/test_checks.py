"""The shared integer check of dynamics (private helper)."""

import numpy as np
import pytest

from dynamics._checks import integer_at_least
from dynamics.errors import ParameterError


@pytest.mark.parametrize("value", [2, np.int64(2), np.int8(5), 10**20])
def test_integers_at_or_above_the_bound_pass_as_int(value):
    out = integer_at_least(value, "runs", 2)
    assert out == value and type(out) is int


@pytest.mark.parametrize("value", [1, True, False, 2.0, "2", None, np.float64(3)])
def test_everything_else_names_the_argument_and_value(value):
    with pytest.raises(ParameterError, match=r"runs must be an integer >= 2, got "):
        integer_at_least(value, "runs", 2)
