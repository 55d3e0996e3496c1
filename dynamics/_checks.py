"""Private argument checks shared by the modules of :mod:`dynamics`."""

from __future__ import annotations

from typing import Any

import numpy as np

from dynamics.errors import ParameterError
from theory.typing import MatrixLike

__all__ = ["MatrixLike", "integer_at_least", "positive_finite"]


def integer_at_least(value: Any, name: str, low: int) -> int:
    """`value` as an ``int`` if it is an integer (``int`` or numpy integer, not ``bool``) >= `low`.

    Raises
    ------
    ParameterError
        Otherwise, naming `name` and the value.

    Examples
    --------
    >>> integer_at_least(np.int64(3), "runs", 1)
    3
    >>> integer_at_least(True, "runs", 1)
    Traceback (most recent call last):
        ...
    dynamics.errors.ParameterError: runs must be an integer >= 1, got True
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise ParameterError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


def positive_finite(value: Any, name: str) -> float:
    """`value` as a ``float`` if it is a positive finite ``int`` or ``float``.

    Raises
    ------
    ParameterError
        Otherwise, naming `name` and the value.

    Examples
    --------
    >>> positive_finite(2, "t_end")
    2.0
    >>> positive_finite(float("inf"), "t_end")
    Traceback (most recent call last):
        ...
    dynamics.errors.ParameterError: t_end must be a positive finite number, got inf
    """
    if not (isinstance(value, int | float) and np.isfinite(value) and value > 0):
        raise ParameterError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)
