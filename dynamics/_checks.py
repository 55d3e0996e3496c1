"""Private argument checks shared by the modules of :mod:`dynamics`."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from dynamics.errors import ActionError, ParameterError, ParameterTypeError
from theory.typing import MatrixLike

__all__ = [
    "live_agent_actions",
    "MatrixLike",
    "PARAMETERS",
    "generator",
    "generators",
    "integer_at_least",
    "kernel_parameters",
    "positive_finite",
]


def live_agent_actions(agents: list[str], actions: dict[str, Any]) -> None:
    """Check a ``ParallelEnv.step`` actions dict: the episode is running and the keys are exactly
    the live `agents` (an :class:`~dynamics.errors.ActionError` names what is missing or extra)."""
    if not agents:
        raise ActionError("the episode is over: call reset() before step()")
    missing = sorted(set(agents) - set(actions))
    extra = sorted(set(actions) - set(agents))
    if missing or extra:
        raise ActionError(f"actions must name every live agent: missing {missing}, extra {extra}")


def integer_at_least(value: Any, name: str, low: int) -> int:
    """`value` as an ``int`` if it is an integer (``int``, numpy integer or an integral
    ``Fraction``, not ``bool``) >= `low`.

    Raises
    ------
    ParameterError
        Otherwise, naming `name` and the value (:class:`ParameterTypeError`, a subclass, for a
        value that is not an integer at all).

    Examples
    --------
    >>> integer_at_least(np.int64(3), "runs", 1)
    3
    >>> integer_at_least(True, "runs", 1)
    Traceback (most recent call last):
        ...
    dynamics.errors.ParameterTypeError: runs must be an integer >= 1, got True
    """
    if isinstance(value, Fraction) and value.denominator == 1:
        value = value.numerator  # an integral Fraction is the integer it spells
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ParameterTypeError(f"{name} must be an integer >= {low}, got {value!r}")
    if value < low:
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


def generator(rng: Any, name: str = "rng") -> np.random.Generator:
    """`rng` as a ``Generator``: a non-negative integer seed, a ``Generator`` or ``None``.

    Raises
    ------
    ParameterError
        For a negative seed; :class:`ParameterTypeError` for a bool, a float or another type.

    Examples
    --------
    >>> bool(generator(3).integers(10) == np.random.default_rng(3).integers(10))
    True
    >>> generator(-1)
    Traceback (most recent call last):
        ...
    dynamics.errors.ParameterError: rng must be a seed >= 0, a Generator or None, got -1
    """
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    integer = isinstance(rng, int | np.integer) and not isinstance(rng, bool)
    if integer and rng >= 0:
        return np.random.default_rng(int(rng))
    cls = ParameterError if integer else ParameterTypeError
    raise cls(f"{name} must be a seed >= 0, a Generator or None, got {rng!r}")


def generators(streams: Any, name: str = "streams") -> list[np.random.Generator]:
    """`streams` as a list of ``Generator`` (one random stream per block of a batch).

    Raises
    ------
    ParameterTypeError
        For anything but a non-empty sequence of ``numpy.random.Generator``, naming `name`.

    Examples
    --------
    >>> len(generators(np.random.default_rng(0).spawn(3)))
    3
    """
    items = list(streams) if isinstance(streams, list | tuple) else None
    if not items or not all(isinstance(s, np.random.Generator) for s in items):
        raise ParameterTypeError(
            f"{name} must be a non-empty sequence of numpy Generators, got {streams!r}"
        )
    return items


#: The parameters each dynamic takes (keywords of the kernels in ``DYNAMICS``); any other keyword
#: is refused by ``kernel_parameters``, so a misspelt one cannot be ignored silently.
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
