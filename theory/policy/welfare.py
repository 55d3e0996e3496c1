"""Welfare and inequality: an exact Gini for every N, the AI Economist's equality and productivity,
utilitarian, Nash and egalitarian welfare, power means, and Social Environment Design's
η-interpolation.

Every function takes a 1-D sequence of non-negative amounts (coins, apples, utilities). Exact
input (``int``, ``Fraction``, rational sympy numbers, ``"p/q"`` strings) gives an exact
``Fraction`` (shown as ``int`` when whole); one float makes the computation float64.
:func:`welfare_rows` evaluates an objective on many economies at once (rows of a float array),
for the principal's searches.

References
----------
Zheng et al., *The AI Economist* (2020/2022): eq = 1 − gini·N/(N − 1), prod = Σ coins,
swf = eq·prod. Zhang et al., *Social Environment Design* (2024): O = ηΣa + (1 − η)min a.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from numpy.typing import ArrayLike

from theory._numbers import Real, fraction, is_exact, plain, vector
from theory.errors import PolicyError, PolicyTypeError
from theory.typing import RealLike, RealsLike

#: The errors this module raises for a bad number (see theory._numbers).
_ERRORS = (PolicyTypeError, PolicyError)

__all__ = [
    "gini",
    "equality",
    "productivity",
    "equality_times_productivity",
    "utilitarian",
    "nash_welfare",
    "egalitarian",
    "power_mean",
    "eta_interpolation",
    "OBJECTIVES",
    "welfare_rows",
]


def _amounts(values: RealsLike, name: str = "values", *, min_len: int = 1) -> Any:
    x = vector(values, name, min_len=min_len, errors=_ERRORS)
    if (is_exact(x) and any(v < 0 for v in x)) or (not is_exact(x) and np.any(x < 0)):
        raise PolicyError(f"{name} must be non-negative, got {list(x)!r}")
    return x


def gini(values: RealsLike) -> Real | int:
    """The Gini coefficient ``Σ_i Σ_j |x_i − x_j| / (2 N Σ x)``, exactly, for every N.

    Computed from the sorted amounts as Σ_i (2i − N − 1) x_(i) / (N Σ x), an identity (not the
    large-N approximation 1 − 2/(N + 1) Σ cumsum/Σ that the AI Economist uses for N ≥ 30).
    Its maximum for N agents is (N − 1)/N (one agent owns everything); all-zero amounts are
    perfectly equal, Gini 0.

    Parameters
    ----------
    values : sequence of non-negative numbers, length N ≥ 1

    Returns
    -------
    Fraction or int (exact input) or float

    Raises
    ------
    PolicyError
        Negative, NaN or infinite amounts, or an empty sequence.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0
    >>> gini([0, 0, 0, 8])
    Fraction(3, 4)
    >>> gini([1.0, 2.0, 3.0])
    0.2222...
    """
    x = _amounts(values)
    n = len(x)
    if is_exact(x):
        s = sorted(x)
        total = sum(s, Fraction(0))
        if total == 0:
            return 0
        num = sum(((2 * i - n - 1) * v for i, v in enumerate(s, start=1)), Fraction(0))
        return plain(num / (n * total))
    return float(_gini_rows(x[None, :])[0])


def _gini_rows(X: np.ndarray) -> np.ndarray:
    """Gini of each row of a non-negative float array (all-zero rows give 0)."""
    s = np.sort(X, axis=-1)
    n = s.shape[-1]
    k = 2.0 * np.arange(1, n + 1) - n - 1
    total = s.sum(axis=-1)
    num = s @ k
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.where(total > 0, num / (n * np.where(total > 0, total, 1.0)), 0.0)
    return g


def equality(values: RealsLike) -> Real | int:
    """The AI Economist's equality 1 − gini·N/(N − 1): 1 for equal amounts, 0 when one agent
    owns everything.

    Raises
    ------
    PolicyError
        Fewer than two agents (N/(N − 1) is undefined), or any error of :func:`gini`.

    Examples
    --------
    >>> equality([5, 5, 5])
    1
    >>> equality([0, 0, 7])
    0
    >>> equality([1, 3])
    Fraction(1, 2)
    """
    x = _amounts(values, min_len=2)
    n = len(x)
    g = gini(x if not is_exact(x) else list(x))
    if isinstance(g, float):
        return 1.0 - g * n / (n - 1)
    return plain(1 - Fraction(g) * n / (n - 1))


def productivity(values: RealsLike) -> Real | int:
    """Σ coins, the AI Economist's productivity.

    Examples
    --------
    >>> productivity([1, 2, "1/2"])
    Fraction(7, 2)
    """
    x = _amounts(values)
    return plain(sum(x, Fraction(0))) if is_exact(x) else float(np.sum(x))


def equality_times_productivity(values: RealsLike) -> Real | int:
    """eq·prod, the AI Economist's social welfare.

    Examples
    --------
    >>> equality_times_productivity([1, 3])
    2
    """
    e, p = equality(values), productivity(values)
    return plain(e * p) if not isinstance(e * p, float) else float(e * p)  # type: ignore[operator]


def utilitarian(values: RealsLike) -> Real | int:
    """Σ_i a_i, Social Environment Design's utilitarian objective (amounts may be negative).

    Examples
    --------
    >>> utilitarian([1, -2, 4])
    3
    """
    x = vector(values, "values", errors=_ERRORS)
    return plain(sum(x, Fraction(0))) if is_exact(x) else float(np.sum(x))


def egalitarian(values: RealsLike) -> Real | int:
    """min_i a_i, the egalitarian (Rawlsian) objective.

    Examples
    --------
    >>> egalitarian([3, "1/2", 2])
    Fraction(1, 2)
    """
    x = vector(values, "values", errors=_ERRORS)
    return plain(min(x)) if is_exact(x) else float(np.min(x))


def nash_welfare(values: RealsLike) -> Real | int:
    """(Π_i a_i)^(1/n), the Nash welfare objective as Social Environment Design writes it.

    Exact input gives a ``Fraction`` when the n-th root is rational, else a float.

    Examples
    --------
    >>> nash_welfare([2, 8])
    4
    >>> nash_welfare([1, 2])
    1.414213...
    """
    x = _amounts(values)
    n = len(x)
    if is_exact(x):
        prod = math.prod(x, start=Fraction(1))
        root = sympy.root(sympy.Rational(prod.numerator, prod.denominator), n)
        if root.is_Rational:
            return plain(Fraction(int(root.p), int(root.q)))
        return float(root)
    return float(np.exp(np.mean(np.log(x)))) if np.all(x > 0) else 0.0


def power_mean(values: RealsLike, p: RealLike) -> Real | int:
    """The power mean M_p = (mean a^p)^(1/p); p = 0 the geometric mean, p = ±inf max/min.

    M_1 is the mean (utilitarian/N), M_0 the Nash welfare, M_−inf the egalitarian minimum; M_p
    rises with p. Zero amounts give M_p = 0 for p ≤ 0 (the limit).

    Raises
    ------
    PolicyError
        Negative amounts, or NaN ``p``.

    Examples
    --------
    >>> power_mean([1, 4], 1)
    Fraction(5, 2)
    >>> power_mean([1, 4], 0)
    2
    >>> power_mean([1, 4], float("-inf"))
    1
    >>> power_mean([1.0, 4.0], -1)
    1.6
    """
    x = _amounts(values)
    if isinstance(p, float) and math.isinf(p):
        return egalitarian(values) if p < 0 else (plain(max(x)) if is_exact(x) else float(max(x)))
    q = fraction(p, "p", errors=_ERRORS)
    if q == 0:
        return nash_welfare(values)
    if q < 0 and any(v == 0 for v in x):
        return 0 if is_exact(x) else 0.0
    if is_exact(x) and isinstance(q, Fraction) and q.denominator == 1:
        k = int(q)
        mean = sum((v**k for v in x), Fraction(0)) / len(x)
        root = sympy.root(sympy.Rational(mean.numerator, mean.denominator), k)
        if root.is_Rational:
            return plain(Fraction(int(root.p), int(root.q)))
        return float(root)
    xf = np.asarray([float(v) for v in x])
    return float(np.mean(xf ** float(q)) ** (1.0 / float(q)))


def eta_interpolation(values: RealsLike, eta: RealLike) -> Real | int:
    """Social Environment Design's objective ηΣ_i a_i + (1 − η)min_i a_i, 0 ≤ η ≤ 1.

    η = 1 is the utilitarian (productivity) objective, η = 0 the egalitarian one. The seed's
    voting rule sets η to the mean reported selfishness
    (:func:`~theory.policy.voting.eta_mean_selfishness`). Amounts may be negative (rewards).

    Raises
    ------
    PolicyError
        ``eta`` outside [0, 1] or NaN.

    Examples
    --------
    >>> eta_interpolation([1, 2, 3], "1/2")
    Fraction(7, 2)
    >>> eta_interpolation([1, 2, 3], 1)
    6
    >>> eta_interpolation([1.0, 2.0, 3.0], 0.25)
    2.25
    """
    x = vector(values, "values", errors=_ERRORS)
    e = fraction(eta, "eta", errors=_ERRORS)
    if not 0 <= e <= 1:
        raise PolicyError(f"eta must lie in [0, 1], got {eta!r}")
    if is_exact(x) and isinstance(e, Fraction):
        return plain(e * sum(x, Fraction(0)) + (1 - e) * min(x))
    xf = np.asarray([float(v) for v in x])
    return float(float(e) * xf.sum() + (1 - float(e)) * xf.min())


def _eq_rows(X: np.ndarray) -> np.ndarray:
    n = X.shape[-1]
    return 1.0 - _gini_rows(X) * n / (n - 1)


OBJECTIVES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "eq_times_prod": lambda X: _eq_rows(X) * X.sum(axis=-1),
    "equality": _eq_rows,
    "productivity": lambda X: X.sum(axis=-1),
    "utilitarian": lambda X: X.sum(axis=-1),
    "nash": lambda X: np.exp(np.mean(np.log(np.maximum(X, 1e-300)), axis=-1)),
    "egalitarian": lambda X: X.min(axis=-1),
}
"""Objectives by name, each on rows of a float array (one economy per row)."""


def welfare_rows(X: ArrayLike, objective: str, *, eta: float | None = None) -> np.ndarray:
    """An objective evaluated on each row of ``X`` (shape (k, N)), as floats.

    ``objective`` is a key of :data:`OBJECTIVES` or ``"eta"`` (then ``eta`` is required).
    ``"nash"`` treats zeros as 1e-300 (the geometric mean is 0 to float precision).

    Raises
    ------
    PolicyError
        Unknown objective (the message lists the known ones), a missing or out-of-range eta,
        or ``X`` not 2-D / fewer than 2 columns.

    Examples
    --------
    >>> welfare_rows([[1.0, 3.0], [2.0, 2.0]], "eq_times_prod")
    array([2., 4.])
    >>> welfare_rows([[1.0, 3.0]], "eta", eta=0.5)
    array([2.5])
    """
    A = np.asarray(X, dtype=float)
    if A.ndim != 2 or A.shape[1] < 2:
        raise PolicyError(f"X must have shape (k, N) with N >= 2, got {A.shape}")
    if not np.all(np.isfinite(A)):
        raise PolicyError("X contains NaN or inf")
    if objective == "eta":
        if eta is None or not 0 <= float(eta) <= 1:
            raise PolicyError(f"objective 'eta' needs eta in [0, 1], got {eta!r}")
        return float(eta) * A.sum(axis=1) + (1 - float(eta)) * A.min(axis=1)
    try:
        fn = OBJECTIVES[objective]
    except KeyError:
        known = sorted([*OBJECTIVES, "eta"])
        raise PolicyError(f"unknown objective {objective!r}; known: {known}") from None
    return fn(A)
