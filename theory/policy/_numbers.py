"""Validation of policy inputs: exact numbers stay exact (``Fraction``), floats become float64.

Private helpers shared by the modules of :mod:`theory.policy`.
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from theory.errors import PolicyError, PolicyTypeError

__all__: list[str] = []

Real = Fraction | float


def scalar(value: Any, name: str) -> Real:
    """One real number: ``int``/``Fraction``/rational sympy/``"p/q"`` string -> ``Fraction``,
    float -> ``float``; NaN, inf, bools, complex and other types raise."""
    if isinstance(value, bool | np.bool_) or value is None:
        raise PolicyTypeError(f"{name} = {value!r} is not a number")
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError) as err:
            raise PolicyTypeError(f"{name} = {value!r} is not a rational number") from err
    if isinstance(value, sympy.Basic):
        if isinstance(value, sympy.Rational):
            return Fraction(int(value.p), int(value.q))
        if value.is_number and value.is_real:
            return scalar(float(value), name)
        raise PolicyTypeError(f"{name} = {value!r} is not a real number")
    if isinstance(value, numbers.Real):
        v = float(value)
        if not math.isfinite(v):
            raise PolicyError(f"{name} = {value!r} is not finite")
        return v
    raise PolicyTypeError(f"{name} = {value!r} ({type(value).__name__}) is not a real number")


def vector(values: Any, name: str, *, min_len: int = 1) -> Any:
    """A 1-D sequence: a tuple of ``Fraction`` if every entry is exact, else a float64 array."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        if values.ndim != 1:
            raise PolicyError(f"{name} must be one-dimensional, got shape {values.shape}")
        if values.dtype.kind == "f":
            if not np.all(np.isfinite(values)):
                raise PolicyError(f"{name} contains NaN or inf: {values!r}")
            out_f = values.astype(float)
            if out_f.size < min_len:
                raise PolicyError(f"{name} needs at least {min_len} entries, got {out_f.size}")
            return out_f
        values = values.tolist()
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise PolicyTypeError(f"{name} must be a sequence of numbers, got {values!r}")
    items = [scalar(v, f"{name}[{i}]") for i, v in enumerate(values)]
    if len(items) < min_len:
        raise PolicyError(f"{name} needs at least {min_len} entries, got {len(items)}")
    if all(isinstance(v, Fraction) for v in items):
        return tuple(items)
    return np.array([float(v) for v in items], dtype=float)


def is_exact(values: tuple[Real, ...] | np.ndarray) -> bool:
    """True for the exact (tuple of ``Fraction``) form of :func:`vector`."""
    return isinstance(values, tuple)


def plain(value: Real) -> int | Fraction | float:
    """A ``Fraction`` with denominator 1 as ``int``; anything else unchanged."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return value
