"""Bracket tax schedules with equal lump-sum redistribution, exactly as the seeds write them.

T(z) = Σ_b τ_b ((m_{b+1} − m_b) 1[z > m_{b+1}] + (z − m_b) 1[m_b < z ≤ m_{b+1}]), with cut-offs
0 = m_0 < m_1 < ... < m_{B−1} and m_B = ∞, and post-tax income with redistribution
z̃_i = z_i − T(z_i) + (1/N) Σ_j T(z_j) (every agent, the payer included, gets an equal share).

Units are the AI Economist's coins; its US federal schedule is the 2018 single-filer schedule with
cut-offs divided by 1000. Exact input (ints, ``Fraction``, ``"p/q"`` or decimal strings) gives exact
taxes; a float anywhere gives float64.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from theory._numbers import Real, fraction, is_exact, plain, vector
from theory.errors import PolicyError, PolicyTypeError
from theory.typing import RealLike, RealsLike

#: The errors this module raises for a bad number (see theory._numbers).
_ERRORS = (PolicyTypeError, PolicyError)

__all__ = [
    "TaxSchedule",
    "US_FEDERAL_2018_CUTOFFS",
    "US_FEDERAL_2018_RATES",
    "us_federal_2018",
    "free_market",
    "redistribute",
]

US_FEDERAL_2018_CUTOFFS: tuple[Fraction, ...] = tuple(
    Fraction(s) for s in ("0", "9.7", "39.475", "84.2", "160.725", "204.1", "510.3")
)
"""The 2018 US federal single-filer cut-offs in thousands of dollars = coins."""

US_FEDERAL_2018_RATES: tuple[Fraction, ...] = tuple(
    Fraction(p, 100) for p in (10, 12, 22, 24, 32, 35, 37)
)
"""The matching marginal rates 10, 12, 22, 24, 32, 35, 37 %."""


@dataclass(frozen=True)
class TaxSchedule:
    """A marginal-rate schedule: bracket b is (m_b, m_{b+1}] with rate τ_b; the last is unbounded.

    Parameters
    ----------
    cutoffs : sequence of numbers
        m_0 = 0 < m_1 < ... < m_{B−1}: the lower ends of the B brackets.
    rates : sequence of numbers in [0, 1]
        τ_0, ..., τ_{B−1}.

    Raises
    ------
    PolicyError
        Cut-offs not starting at 0 or not strictly increasing, rates outside [0, 1], NaN/inf,
        lengths that differ, no bracket.
    PolicyTypeError
        Entries that are not real numbers.

    Examples
    --------
    >>> t = TaxSchedule([0, 10], ["1/10", "1/2"])
    >>> t.tax(5), t.tax(10), t.tax(12)
    (Fraction(1, 2), 1, 2)
    >>> t.marginal_rate(10), t.marginal_rate(11)
    (Fraction(1, 10), Fraction(1, 2))
    """

    cutoffs: tuple[Real, ...]
    rates: tuple[Real, ...]

    def __init__(self, cutoffs: RealsLike, rates: RealsLike) -> None:
        m = vector(cutoffs, "cutoffs", errors=_ERRORS)
        r = vector(rates, "rates", errors=_ERRORS)
        if len(m) != len(r):
            raise PolicyError(f"{len(m)} cutoffs but {len(r)} rates: one rate per bracket")
        if m[0] != 0:
            raise PolicyError(f"cutoffs must start at 0, got cutoffs[0] = {m[0]}")
        for b in range(1, len(m)):
            if not m[b] > m[b - 1]:
                raise PolicyError(
                    f"cutoffs must increase strictly, got cutoffs[{b - 1}] = {m[b - 1]} "
                    f">= cutoffs[{b}] = {m[b]}"
                )
        for b, t in enumerate(r):
            if not 0 <= t <= 1:
                raise PolicyError(f"rates must lie in [0, 1], got rates[{b}] = {t}")
        object.__setattr__(self, "cutoffs", tuple(m))
        object.__setattr__(self, "rates", tuple(r))

    @property
    def brackets(self) -> int:
        """The number of brackets B."""
        return len(self.rates)

    @property
    def exact(self) -> bool:
        """True when every cut-off and rate is a ``Fraction``."""
        return all(isinstance(v, Fraction) for v in (*self.cutoffs, *self.rates))

    def with_rates(self, rates: RealsLike) -> TaxSchedule:
        """The same cut-offs with new rates.

        Examples
        --------
        >>> free_market().with_rates([0.5] * 7).tax(10.0)
        5.0
        """
        return TaxSchedule(self.cutoffs, rates)

    def _income(self, z: RealLike) -> Real:
        v = fraction(z, "z", errors=_ERRORS)
        if v < 0:
            raise PolicyError(f"income z must be non-negative, got {z!r}")
        return v

    def tax(self, z: RealLike) -> Real | int:
        """T(z), the bracket-clipped sum of the seeds (exact for exact z and schedule).

        Examples
        --------
        >>> us_federal_2018().tax("9.7")
        Fraction(97, 100)
        """
        v = self._income(z)
        exact = isinstance(v, Fraction) and self.exact
        m: list[Any] = [*self.cutoffs, None]
        total: Any = Fraction(0) if exact else 0.0
        for b, rate in enumerate(self.rates):
            lo, hi = m[b], m[b + 1]
            if hi is not None and v > hi:
                part = hi - lo
            elif lo < v and (hi is None or v <= hi):
                part = v - lo
            else:
                part = 0
            total += rate * part if exact else float(rate) * float(part)
        return plain(total) if exact else float(total)

    def taxes(self, z: RealsLike) -> np.ndarray:
        """T(z) for an array of incomes, as floats (vectorised over any shape).

        Examples
        --------
        >>> TaxSchedule([0, 10], [0.1, 0.5]).taxes([5.0, 12.0])
        array([0.5, 2. ])
        """
        return self.bracket_incomes(z) @ np.asarray(self.rates, dtype=float)

    def bracket_incomes(self, z: RealsLike) -> np.ndarray:
        """The part of each income that falls in each bracket, min(max(z − m_b, 0), m_{b+1} − m_b),
        as floats of shape ``z.shape + (B,)``: T(z) is this times the rates, for any rates on
        these cut-offs (so many schedules can share one call).

        Examples
        --------
        >>> TaxSchedule([0, 10], [0.1, 0.5]).bracket_incomes([5.0, 12.0])
        array([[ 5.,  0.],
               [10.,  2.]])
        """
        zz = np.asarray(z, dtype=float)
        if not np.all(np.isfinite(zz)) or np.any(zz < 0):
            raise PolicyError("incomes z must be finite and non-negative")
        lo = np.asarray(self.cutoffs, dtype=float)
        hi = np.append(lo[1:], np.inf)
        return np.clip(zz[..., None] - lo, 0.0, hi - lo)

    def marginal_rate(self, z: RealLike) -> Real | int:
        """τ_b of the bracket (m_b, m_{b+1}] that holds z (τ_0 at z = 0): the left derivative of T
        at a cut-off, as the seed's indicator 1[m_b < z ≤ m_{b+1}] assigns it.

        Examples
        --------
        >>> us_federal_2018().marginal_rate("9.7"), us_federal_2018().marginal_rate(10)
        (Fraction(1, 10), Fraction(3, 25))
        """
        v = self._income(z)
        b = sum(1 for m in self.cutoffs[1:] if v > m)
        return plain(self.rates[b]) if isinstance(self.rates[b], Fraction) else self.rates[b]

    def post_tax_income(self, z: RealLike) -> Real | int:
        """z − T(z), before redistribution.

        Examples
        --------
        >>> TaxSchedule([0], ["1/4"]).post_tax_income(8)
        6
        """
        v = self._income(z)
        t = self.tax(z)
        out = v - t  # type: ignore[operator]
        return plain(out) if isinstance(out, Fraction) else float(out)

    def float_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(lower cut-offs, upper cut-offs with ∞ last, rates) as float arrays."""
        lo = np.asarray(self.cutoffs, dtype=float)
        return lo, np.append(lo[1:], np.inf), np.asarray(self.rates, dtype=float)


def redistribute(schedule: TaxSchedule, incomes: RealsLike) -> tuple[Real | int, ...]:
    """Post-tax incomes z_i − T(z_i) + (1/N) Σ_j T(z_j): every agent, payer included, gets an
    equal share of the total tax, so Σ post-tax income = Σ income (the budget balances).

    Raises
    ------
    PolicyError
        Negative, NaN or infinite incomes, or none.

    Examples
    --------
    >>> redistribute(TaxSchedule([0], ["1/2"]), [0, 10])
    (Fraction(5, 2), Fraction(15, 2))
    >>> sum(redistribute(us_federal_2018(), [5, 50, 500])) == 555
    True
    """
    z = vector(incomes, "incomes", errors=_ERRORS)
    if any(v < 0 for v in z):
        raise PolicyError(f"incomes must be non-negative, got {list(z)!r}")
    taxes = [schedule.tax(v) for v in z]
    if is_exact(z) and schedule.exact:
        share = sum((Fraction(t) for t in taxes), Fraction(0)) / len(z)
        return tuple(plain(v - Fraction(t) + share) for v, t in zip(z, taxes, strict=True))
    share_f = sum(float(t) for t in taxes) / len(z)
    return tuple(float(v) - float(t) + share_f for v, t in zip(z, taxes, strict=True))


def us_federal_2018() -> TaxSchedule:
    """The AI Economist's US federal baseline: 2018 single-filer schedule, cut-offs / 1000.

    The cut-offs (9 700, 39 475, 84 200, 160 725, 204 100, 510 300 dollars) are those the IRS
    published for tax year 2019 (2018's were 9 525, 38 700, 82 500, 157 500, 200 000, 500 000);
    we keep them as the AI Economist uses them. The tax at each cut-off matches the IRS 2019
    table ($970, $4 543, $14 382.50, $32 748.50, $46 628.50, $153 798.50).

    Examples
    --------
    >>> float(us_federal_2018().tax("510.3"))
    153.7985
    """
    return TaxSchedule(US_FEDERAL_2018_CUTOFFS, US_FEDERAL_2018_RATES)


def free_market(cutoffs: RealsLike = US_FEDERAL_2018_CUTOFFS) -> TaxSchedule:
    """No tax: every rate 0 (on the US cut-offs unless others are given).

    Examples
    --------
    >>> free_market().tax(1000)
    0
    """
    m = vector(cutoffs, "cutoffs", errors=_ERRORS)
    return TaxSchedule(m, [0] * len(m))
