"""Private argument checks shared by the modules of :mod:`dynamics`."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from dynamics.errors import ParameterError
from theory.typing import MatrixLike

__all__ = [
    "MatrixLike",
    "PARAMETERS",
    "integer_at_least",
    "kernel_parameters",
    "positive_finite",
    "random_generator",
]


def integer_at_least(value: Any, name: str, low: int) -> int:
    """`value` as an ``int`` if it is an integer >= `low`: an ``int``, a numpy integer or a
    whole ``Fraction`` (the numbers rule, CONTRIBUTING.md §1); not ``bool``, not a float.

    Raises
    ------
    ParameterError
        Otherwise, naming `name` and the value.

    Examples
    --------
    >>> integer_at_least(np.int64(3), "runs", 1), integer_at_least(Fraction(4, 2), "runs", 1)
    (3, 2)
    >>> integer_at_least(True, "runs", 1)
    Traceback (most recent call last):
        ...
    dynamics.errors.ParameterError: runs must be an integer >= 1, got True
    """
    whole = isinstance(value, int | np.integer) or (
        isinstance(value, Fraction) and value.denominator == 1
    )
    if isinstance(value, bool) or not whole or value < low:
        raise ParameterError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


def random_generator(rng: Any) -> np.random.Generator:
    """``np.random.default_rng(rng)``, with numpy's errors for a bad seed (``-1``, ``1.5``, a
    string) turned into a :class:`ParameterError` naming ``rng``.

    Examples
    --------
    >>> random_generator(-1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    dynamics.errors.ParameterError: rng must be None, a non-negative integer or ..., got -1
    """
    if isinstance(rng, bool):
        raise ParameterError(
            f"rng must be None, a non-negative integer or a numpy Generator, got {rng!r}"
        )
    try:
        return np.random.default_rng(rng)
    except (TypeError, ValueError):
        raise ParameterError(
            f"rng must be None, a non-negative integer or a numpy Generator, got {rng!r}"
        ) from None


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


#: The parameters each dynamic takes (keywords of the kernels in ``DYNAMICS``); any other keyword
#: is refused by :func:`kernel_parameters`, so a misspelt one cannot be ignored silently.
PARAMETERS: dict[str, tuple[str, ...]] = {
    "replicator": (),
    "best_response": (),
    "logit": ("eta",),
    "bnn": (),
    "smith": (),
}


def kernel_parameters(dynamic: str, **params: float) -> dict[str, float]:
    """The checked parameters of a dynamic, as floats: what every public path passes on.

    ``eta`` (logit) is the inverse noise level, a finite number ``>= 0`` (``0`` is uniform
    choice). An ``int``, a numpy number or a ``Fraction`` is accepted; ``bool`` is not.

    Raises
    ------
    ParameterError
        An unknown `dynamic`, a keyword the dynamic does not take (naming it and the accepted
        ones), or a value outside its domain.

    Examples
    --------
    >>> kernel_parameters("logit", eta=2)
    {'eta': 2.0}
    >>> kernel_parameters("smith", etaa=5)
    Traceback (most recent call last):
    ...
    dynamics.errors.ParameterError: the smith dynamic takes no parameters, got etaa=5
    """
    if not isinstance(dynamic, str) or dynamic not in PARAMETERS:
        raise ParameterError(f"dynamic must be one of {sorted(PARAMETERS)}, got {dynamic!r}")
    accepted = PARAMETERS[dynamic]
    for key, value in params.items():
        if key not in accepted:
            takes = ("parameters " + ", ".join(accepted)) if accepted else "no parameters"
            raise ParameterError(f"the {dynamic} dynamic takes {takes}, got {key}={value!r}")
    out = {}
    for key, value in params.items():  # eta, the only parameter so far
        ok = isinstance(value, int | float | Fraction | np.integer | np.floating)
        if isinstance(value, bool) or not ok or not math.isfinite(value) or value < 0:
            raise ParameterError(
                f"{key} is an inverse noise level, a finite number >= 0, got {value!r}"
            )
        out[key] = float(value)
    return out
