"""Validation of commons inputs: exact numbers stay exact, floats stay floats, symbols stay symbols.

Private helpers shared by the modules of :mod:`theory.commons`. An ``int``, a ``Fraction`` or a
rational sympy number becomes a ``Fraction``; a float stays a finite ``float``; any other sympy
expression (a symbol such as ``r``) is kept symbolic. :func:`unify` then brings several values to
one common kind so the formulas compute in one arithmetic.
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from theory.commons.errors import CommonsError, CommonsTypeError

__all__: list[str] = []

Number = Any  # Fraction | float | sympy.Expr: the three arithmetics the formulas run in


def param(value: Any, name: str, *, positive: bool = False, nonnegative: bool = False) -> Number:
    """One validated real parameter (a ``"p/q"`` string is exact); raises naming ``name``."""
    if isinstance(value, bool | np.bool_) or value is None:
        raise CommonsTypeError(f"{name} = {value!r} is not a number")
    if isinstance(value, numbers.Integral):
        out: Number = Fraction(int(value))
    elif isinstance(value, Fraction):
        out = value
    elif isinstance(value, str):
        try:
            out = Fraction(value.strip())
        except (ValueError, ZeroDivisionError) as err:
            raise CommonsTypeError(f"{name} = {value!r} is not a rational number") from err
    elif isinstance(value, sympy.Basic):
        if not isinstance(value, sympy.Expr) or value.is_real is False:
            raise CommonsTypeError(f"{name} = {value!r} is not a real number")
        if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
            raise CommonsError(f"{name} = {value} is not finite")
        out = Fraction(int(value.p), int(value.q)) if isinstance(value, sympy.Rational) else value
    elif isinstance(value, numbers.Real):
        out = float(value)
        if not math.isfinite(out):
            raise CommonsError(f"{name} = {value!r} is not finite")
    else:
        raise CommonsTypeError(f"{name} = {value!r} ({type(value).__name__}) is not a real number")
    if isinstance(out, sympy.Expr):
        if positive and out.is_positive is False:
            raise CommonsError(f"{name} must be positive, got {out}")
        if nonnegative and out.is_nonnegative is False:
            raise CommonsError(f"{name} must be non-negative, got {out}")
        return out
    if positive and not out > 0:
        raise CommonsError(f"{name} must be positive, got {value!r}")
    if nonnegative and not out >= 0:
        raise CommonsError(f"{name} must be non-negative, got {value!r}")
    return out


def unify(*values: Number) -> tuple[Number, ...]:
    """The values in one arithmetic: sympy if any is symbolic, else float if any is, else exact."""
    if any(isinstance(v, sympy.Expr) for v in values):
        return tuple(
            sympy.sympify(v)
            if not isinstance(v, Fraction)
            else sympy.Rational(v.numerator, v.denominator)
            for v in values
        )
    if any(isinstance(v, float) for v in values):
        return tuple(float(v) for v in values)
    return tuple(Fraction(v) for v in values)


def is_symbolic(*values: Number) -> bool:
    """True if any value is a (non-rational) sympy expression."""
    return any(isinstance(v, sympy.Expr) for v in values)


def plain(value: Number) -> Number:
    """A ``Fraction`` with denominator 1 as ``int``; anything else unchanged."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return value


def count(value: Any, name: str, *, minimum: int = 1) -> int:
    """A whole number of agents (or rounds) at least ``minimum``."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise CommonsTypeError(f"{name} = {value!r} is not an integer")
    if int(value) < minimum:
        raise CommonsError(f"{name} must be at least {minimum}, got {value!r}")
    return int(value)
