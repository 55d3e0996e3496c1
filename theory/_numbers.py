"""The one place where user numbers become the numbers theory computes with.

One rule per input type (``CONTRIBUTING.md`` §1):

- ``int`` and numpy integers stay exact (``int``; :func:`fraction` gives a ``Fraction`` where a
  division follows);
- ``Fraction`` and sympy ``Rational`` become a ``Fraction`` (``int`` when the denominator is 1);
- a ``str`` (``"3"``, ``"1/10"``, ``"0.1"``, ``"1e-3"``) is the rational it spells, exactly;
- ``float`` and numpy floating stay a finite ``float``, never rationalised by guessing (an exact
  algorithm handed one uses its exact binary value, :func:`exact`);
- another real sympy expression stays symbolic where the caller takes parameters
  (``symbolic=True``); a constant one (``sqrt(2)``) is a ``float`` otherwise, and one with free
  symbols is an error naming them;
- ``bool``, ``None``, complex numbers, NaN and ±inf raise the caller's own error classes.

Each function takes ``errors=(TypeErrorClass, ValueErrorClass)``: the package's own subclasses
of :class:`TypeError` and :class:`ValueError` to raise, so a policy input raises
``PolicyTypeError``/``PolicyError`` and a payoff ``PayoffValueError``. Messages name the
argument and the value.

Examples
--------
>>> from theory._numbers import number
>>> number("0.1", "eps"), number(0.5, "eps"), number(3, "eps")
(Fraction(1, 10), 0.5, 3)
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from theory.errors import TheoryError, TheoryTypeError

__all__ = [
    "Errors",
    "Number",
    "Real",
    "number",
    "fraction",
    "exact",
    "parameter",
    "vector",
    "is_exact",
    "plain",
    "sympy_value",
    "unify",
    "is_symbolic",
    "count",
]

#: A number as theory computes with it: exact, float, or a sympy expression in parameters.
Number = Any  # Any: int | Fraction | float | sympy.Expr (sympy is untyped)
#: A real number without parameters: exact or float.
Real = Fraction | float
#: The (type error, value error) classes a caller wants raised.
Errors = tuple[type[Exception], type[Exception]]

_DEFAULT: Errors = (TheoryTypeError, TheoryError)


def _bad_type(value: Any, name: str, errors: Errors) -> Exception:
    return errors[0](f"{name} = {value!r} ({type(value).__name__}) is not a real number")


def number(value: Any, name: str, *, symbolic: bool = False, errors: Errors = _DEFAULT) -> Number:
    """One real number by the rule of this module: ``int``, ``Fraction``, ``float`` or sympy.

    Parameters
    ----------
    value : int, Fraction, str, float, numpy scalar or sympy expression
        The user's number.
    name : str
        The argument's name, used in error messages.
    symbolic : bool, default False
        Keep a sympy expression with free symbols (a parameter such as ε) instead of refusing it.
    errors : (type, type), default (TheoryTypeError, TheoryError)
        The classes raised for a value of the wrong type and for a bad value (NaN, inf).

    Returns
    -------
    int, Fraction, float or sympy.Expr
        ``int`` for integers (and rationals with denominator 1), ``Fraction`` for other
        rationals and for decimal text, ``float`` for floats, sympy for symbolic expressions.

    Examples
    --------
    >>> number("1e-3", "eps"), number(Fraction(4, 2), "eps")
    (Fraction(1, 1000), 2)
    >>> number(float("nan"), "eps")
    Traceback (most recent call last):
    ...
    theory.errors.TheoryError: eps = nan is not finite
    """
    type_error, value_error = errors
    if isinstance(value, bool | np.bool_) or value is None:
        raise type_error(f"{name} = {value!r} is not a number")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, Fraction):
        return plain(value)
    if isinstance(value, str):
        if value.strip().lower().lstrip("+-") in {"nan", "inf", "infinity"}:
            raise value_error(f"{name} = {value!r} is not finite")
        try:
            return plain(Fraction(value.strip()))
        except ZeroDivisionError:
            raise value_error(f"{name} = {value!r} is not a number (division by zero)") from None
        except ValueError:
            raise type_error(
                f"{name} = {value!r} is not a number (write it as 3, 1/10, 0.1 or 1e-3)"
            ) from None
    if isinstance(value, sympy.Basic):
        if not isinstance(value, sympy.Expr):
            raise type_error(f"{name} = {value!r} is not a numeric expression")
        if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
            raise value_error(f"{name} = {value} is not finite")
        if value.is_real is False:
            raise type_error(f"{name} = {value} is not real")
        if value.is_Rational:
            return plain(Fraction(int(value.p), int(value.q)))
        if value.free_symbols:
            if symbolic:
                return value
            symbols = ", ".join(sorted(map(str, value.free_symbols)))
            raise type_error(f"{name} = {value} has the free symbols {symbols}; a number is needed")
        if symbolic:
            return value
        if not value.is_number or value.is_real is not True:
            raise type_error(f"{name} = {value!r} is not a real number")
        return number(float(value), name, errors=errors)
    if isinstance(value, numbers.Real):
        v = float(value)
        if not math.isfinite(v):
            raise value_error(f"{name} = {value!r} is not finite")
        return v
    raise _bad_type(value, name, errors)


def fraction(value: Any, name: str, *, errors: Errors = _DEFAULT) -> Real:
    """A real number where a division follows: exact input as a ``Fraction``, floats as floats.

    Examples
    --------
    >>> fraction(3, "n"), fraction("0.25", "t"), fraction(0.25, "t")
    (Fraction(3, 1), Fraction(1, 4), 0.25)
    """
    v = number(value, name, errors=errors)
    return v if isinstance(v, float) else Fraction(v)


def exact(value: Any, name: str, *, errors: Errors = _DEFAULT) -> Fraction:
    """A real number as a ``Fraction``, for exact algorithms: a float is its exact binary value.

    Never ``limit_denominator``: ``exact(0.1)`` is the double nearest 1/10, not 1/10 (write
    ``"0.1"`` or ``Fraction(1, 10)`` for that).

    Examples
    --------
    >>> exact("0.1", "noise"), exact(0.5, "noise")
    (Fraction(1, 10), Fraction(1, 2))
    >>> exact(0.1, "noise") == Fraction(1, 10)
    False
    """
    return Fraction(number(value, name, errors=errors))


def parameter(
    value: Any,
    name: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    errors: Errors = _DEFAULT,
) -> Number:
    """A model parameter: exact as a ``Fraction``, a float, or a sympy expression (kept).

    A symbolic value is refused only where its assumptions contradict the sign asked for.

    Examples
    --------
    >>> parameter("1/2", "r", positive=True), parameter(sympy.Symbol("r"), "r")
    (Fraction(1, 2), r)
    >>> parameter(-1, "K", positive=True)
    Traceback (most recent call last):
    ...
    theory.errors.TheoryError: K must be positive, got -1
    """
    value_error = errors[1]
    out = number(value, name, symbolic=True, errors=errors)
    if isinstance(out, sympy.Expr):
        if positive and out.is_positive is False:
            raise value_error(f"{name} must be positive, got {out}")
        if nonnegative and out.is_nonnegative is False:
            raise value_error(f"{name} must be non-negative, got {out}")
        return out
    if not isinstance(out, float):
        out = Fraction(out)
    if positive and not out > 0:
        raise value_error(f"{name} must be positive, got {value!r}")
    if nonnegative and not out >= 0:
        raise value_error(f"{name} must be non-negative, got {value!r}")
    return out


def vector(values: Any, name: str, *, min_len: int = 1, errors: Errors = _DEFAULT) -> Any:
    """A 1-D sequence: a tuple of ``Fraction`` if every entry is exact, else a float64 array.

    Examples
    --------
    >>> vector(["1/2", 3], "w")
    (Fraction(1, 2), Fraction(3, 1))
    >>> vector([0.5, 3], "w")
    array([0.5, 3. ])
    """
    type_error, value_error = errors
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        if values.ndim != 1:
            raise value_error(f"{name} must be one-dimensional, got shape {values.shape}")
        if values.dtype.kind == "f":
            if not np.all(np.isfinite(values)):
                raise value_error(f"{name} contains NaN or inf: {values!r}")
            out_f = values.astype(float)
            if out_f.size < min_len:
                raise value_error(f"{name} needs at least {min_len} entries, got {out_f.size}")
            return out_f
        values = values.tolist()
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise type_error(f"{name} must be a sequence of numbers, got {values!r}")
    items = [fraction(v, f"{name}[{i}]", errors=errors) for i, v in enumerate(values)]
    if len(items) < min_len:
        raise value_error(f"{name} needs at least {min_len} entries, got {len(items)}")
    if all(isinstance(v, Fraction) for v in items):
        return tuple(items)
    return np.array([float(v) for v in items], dtype=float)


def is_exact(values: tuple[Real, ...] | np.ndarray) -> bool:
    """True for the exact (tuple of ``Fraction``) form of :func:`vector`."""
    return isinstance(values, tuple)


def plain(value: Number) -> Number:
    """A ``Fraction`` with denominator 1 as ``int``; anything else unchanged.

    Examples
    --------
    >>> plain(Fraction(4, 2)), plain(Fraction(1, 2)), plain(0.5)
    (2, Fraction(1, 2), 0.5)
    """
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return value


def sympy_value(value: Any) -> Any:  # Any: a number or sympy expression in, sympy out
    """`value` as a sympy number, exactly: ``Fraction`` and ``int`` become ``Rational``, sympy
    stays as it is, and only floats and text are rationalised (``sympy.nsimplify``).

    ``sympy.nsimplify`` must never see an exact rational: it reads it as a float and may return
    a nearby surd, e.g. ``nsimplify(Rational(100382531, 327487461))`` is a product of powers.

    Examples
    --------
    >>> sympy_value(Fraction(100382531, 327487461))
    100382531/327487461
    >>> sympy_value(0.5), sympy_value("1/3")
    (1/2, 1/3)
    """
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, numbers.Integral):
        return sympy.Integer(int(value))
    return sympy.nsimplify(value)


def unify(*values: Number) -> tuple[Number, ...]:
    """The values in one arithmetic: sympy if any is symbolic, else float if any is, else exact.

    Examples
    --------
    >>> unify(1, Fraction(1, 2)), unify(1, 0.5)
    ((Fraction(1, 1), Fraction(1, 2)), (1.0, 0.5))
    """
    if any(isinstance(v, sympy.Expr) for v in values):
        return tuple(
            sympy.Rational(v.numerator, v.denominator)
            if isinstance(v, Fraction)
            else sympy.sympify(v)
            for v in values
        )
    if any(isinstance(v, float) for v in values):
        return tuple(float(v) for v in values)
    return tuple(Fraction(v) for v in values)


def is_symbolic(*values: Number) -> bool:
    """True if any value is a (non-rational) sympy expression."""
    return any(isinstance(v, sympy.Expr) for v in values)


def count(value: Any, name: str, *, minimum: int = 1, errors: Errors = _DEFAULT) -> int:
    """A whole number (of agents, rounds, ...) at least `minimum`; text is not accepted.

    Examples
    --------
    >>> count(3, "n")
    3
    """
    type_error, value_error = errors
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise type_error(f"{name} = {value!r} is not an integer")
    if int(value) < minimum:
        raise value_error(f"{name} must be at least {minimum}, got {value!r}")
    return int(value)
