"""When do theory and a second method agree? One rule per kind of evidence, written once.

Every judgement in :mod:`numpol.experiments` turns its comparison into an :class:`Agreement`
with one of these functions, so a tolerance is stated (and justified) here, not as a local
``k = 4`` in one module and ``3`` in the next:

- :func:`within_standard_errors`: a simulated mean against an exact value, within ``K_SE``
  standard errors (plus a stated systematic shift, e.g. a finite-size bias);
- :func:`within_wilson`: an exact probability inside the Wilson interval of a simulated
  proportion, at the same ``K_SE``;
- :func:`exactly_equal`: exact values (``int``, ``Fraction``, sympy, tuples and sets of them)
  compared with ``==``; a float is refused, since float equality is not evidence;
- :func:`within_relative`: floats against each other (or against an exact value) within a
  relative tolerance of the data's scale, ``FLOAT_RTOL`` unless a coarser one is stated.

An :class:`Agreement` carries its verdict and its rule in words: the rule says what result
would have made the row disagree, and goes into the report's notes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from dynamics.basins import wilson_interval
from numpol.errors import NumpolError

__all__ = [
    "K_SE",
    "FLOAT_RTOL",
    "Agreement",
    "within_standard_errors",
    "within_wilson",
    "exactly_equal",
    "within_relative",
]

#: Simulated means are compared with exact values within K_SE standard errors (and Wilson
#: intervals use z = K_SE). The runs behind one estimate are independent, so by the CLT the
#: error of a mean over >= 30 runs is close to normal: a true claim lands outside 4 SE with
#: two-sided probability 6.3e-5, which keeps the family-wise false-alarm probability of the
#: whole report (about 100 stochastic comparisons) under 1 %, while an error of 5 SE is still
#: caught more than 80 % of the time. (dynamics.commons.K_SIGMA is the same 4, for the same
#: reason.)
K_SE = 4.0
#: Floats against exact values (or two float evaluations of different algorithms) agree within
#: this relative tolerance of the data's scale: a double carries 1.1e-16 relative error per
#: operation and the computations compared here chain fewer than 10^4 operations (<= 1e-12),
#: so 1e-9 leaves a margin of 1000 while any formula error (1e-3 and up) still fails.
FLOAT_RTOL = 1e-9


@dataclass(frozen=True)
class Agreement:
    """A verdict and the rule that produced it.

    Parameters
    ----------
    agrees : bool
        Whether the two methods agree under `rule`.
    rule : str
        The comparison made, with its numbers: what result would have made it fail.

    Examples
    --------
    >>> a = within_standard_errors(1.02, 1, 0.01)
    >>> bool(a), a.rule
    (True, '|1.02 − 1| = 0.02 ≤ 4 SE = 0.04')
    >>> bool(a & exactly_equal(2, 3))
    False
    """

    agrees: bool
    rule: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "agrees", bool(self.agrees))

    def __bool__(self) -> bool:
        return self.agrees

    def __and__(self, other: Agreement) -> Agreement:
        """Both agree; the rules joined."""
        return Agreement(self.agrees and other.agrees, f"{self.rule}; {other.rule}")

    def __str__(self) -> str:
        return f"{'agrees' if self.agrees else 'DISAGREES'}: {self.rule}"


def _real(value: Any, name: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise NumpolError(f"{name} must be a real number, got {value!r}") from None
    if not math.isfinite(out) or isinstance(value, bool):
        raise NumpolError(f"{name} must be a finite real number, got {value!r}")
    return out


def within_standard_errors(
    estimate: Any, target: Any, se: Any, *, k: float = K_SE, shift: Any = 0.0
) -> Agreement:
    """A simulated mean against an exact value: ``|estimate − target| ≤ k·se + shift``.

    Parameters
    ----------
    estimate, target : real
        The simulated mean and the exact value (``Fraction`` and sympy numbers are accepted).
    se : real
        The standard error of `estimate` (sample SD over the square root of the runs), >= 0.
    k : float
        Standard errors allowed; ``K_SE`` unless the caller states why not.
    shift : real
        A systematic allowance stated by the caller (a finite-size bias, a grid spacing), >= 0.

    Raises
    ------
    NumpolError
        If a number is not finite, or `se`, `k` or `shift` is negative.

    Examples
    --------
    >>> within_standard_errors(2.678, 2.729, 0.0006).agrees
    False
    >>> within_standard_errors(0.5, 0.49, 0.001, shift=0.01).rule
    '|0.5 − 0.49| = 0.01 ≤ 4 SE + 0.01 = 0.014'
    """
    est, tgt = _real(estimate, "estimate"), _real(target, "target")
    s, kk, sh = _real(se, "se"), _real(k, "k"), _real(shift, "shift")
    for name, v in (("se", s), ("k", kk), ("shift", sh)):
        if v < 0:
            raise NumpolError(f"{name} must be >= 0, got {v!r}")
    diff, tol = abs(est - tgt), kk * s + sh
    allowance = f"{kk:g} SE" + (f" + {sh:.3g}" if sh else "")
    return Agreement(diff <= tol, f"|{est:.4g} − {tgt:.4g}| = {diff:.2g} ≤ {allowance} = {tol:.2g}")


def within_wilson(successes: int, trials: int, p: Any, *, z: float = K_SE) -> Agreement:
    """An exact probability `p` inside the Wilson interval of ``successes / trials`` at `z`.

    Raises
    ------
    NumpolError
        If `p` is not a number in [0, 1] (a bad count raises
        :class:`dynamics.errors.ParameterError` from :func:`dynamics.basins.wilson_interval`).

    Examples
    --------
    >>> within_wilson(48, 100, 0.5).agrees, within_wilson(20, 100, 0.5).agrees
    (True, False)
    """
    pp = _real(p, "p")
    if not 0 <= pp <= 1:
        raise NumpolError(f"p must be a probability in [0, 1], got {p!r}")
    lo, hi = wilson_interval(successes, trials, z=z)
    return Agreement(
        lo <= pp <= hi,
        f"{pp:.4g} in the z = {z:g} Wilson interval of {successes}/{trials}: [{lo:.4g}, {hi:.4g}]",
    )


def _exact(value: Any, name: str) -> None:
    if isinstance(value, float | np.floating | complex):
        raise NumpolError(f"{name} must be exact (int, Fraction, sympy), got the float {value!r}")
    if isinstance(value, tuple | list | frozenset | set):
        for v in value:
            _exact(v, name)


def exactly_equal(a: Any, b: Any, *, what: str = "values") -> Agreement:
    """Exact values compared with ``==`` (numbers, or tuples/sets of them); floats refused.

    Examples
    --------
    >>> from fractions import Fraction
    >>> exactly_equal(Fraction(1, 2), Fraction(2, 4)).agrees
    True
    >>> exactly_equal({1, 2}, {1, 3}, what="supports").rule
    'supports equal exactly: {1, 2} vs {1, 3}'
    >>> exactly_equal(0.5, 0.5)
    Traceback (most recent call last):
    ...
    numpol.errors.NumpolError: a must be exact (int, Fraction, sympy), got the float 0.5
    """
    _exact(a, "a")
    _exact(b, "b")
    same = bool(a == b)
    return Agreement(same, f"{what} equal exactly: {_short(a)} vs {_short(b)}")


def _short(v: Any) -> str:
    if isinstance(v, tuple | list):
        s = "(" + ", ".join(map(str, v)) + ")"
    elif isinstance(v, set | frozenset):
        s = "{" + ", ".join(sorted(map(str, v))) + "}"
    else:
        s = str(v)
    return s if len(s) <= 60 else s[:57] + "..."


def within_relative(
    a: Any, b: Any, *, rtol: float = FLOAT_RTOL, scale: Any = None, what: str = "values"
) -> Agreement:
    """Floats (or arrays of them) agree within `rtol` of the data's scale.

    ``max |a − b| ≤ rtol · scale`` with `scale` the largest ``|a|``, ``|b|`` unless given (give
    it where values near 0 would make a relative test meaningless, e.g. a budget gap on incomes
    of size 10^3).

    Raises
    ------
    NumpolError
        If the arrays differ in shape, hold a NaN or an infinity, or `rtol` is negative.

    Examples
    --------
    >>> within_relative(1.0, 1.0 + 1e-12).agrees, within_relative(1.0, 1.001).agrees
    (True, False)
    >>> within_relative([0.0, 1e-13], [0.0, 0.0], scale=1.0).agrees
    True
    """
    try:
        x = np.asarray(a, dtype=float)
        y = np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        raise NumpolError(f"{what}: a and b must be real numbers or arrays of them") from None
    if x.shape != y.shape:
        raise NumpolError(f"{what}: a and b differ in shape, {x.shape} vs {y.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise NumpolError(f"{what}: a and b must be finite")
    if rtol < 0:
        raise NumpolError(f"rtol must be >= 0, got {rtol!r}")
    sc = (
        _real(scale, "scale")
        if scale is not None
        else float(max(np.max(np.abs(x), initial=0.0), np.max(np.abs(y), initial=0.0)))
    )
    gap = float(np.max(np.abs(x - y), initial=0.0))
    return Agreement(
        gap <= rtol * sc,
        f"{what}: max |difference| = {gap:.2g} ≤ {rtol:g} × scale {sc:.3g}",
    )
