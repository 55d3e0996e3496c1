"""Hypothesis strategies for finite-population tests: small games, sizes, rates."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import strategies as st


@st.composite
def games(draw: st.DrawFn, min_n: int = 2, max_n: int = 4) -> np.ndarray:
    """A square integer payoff matrix with entries in [1, 6] (so 1 - w + w*pi > 0 for w <= 1)."""
    n = draw(st.integers(min_n, max_n))
    entries = draw(st.lists(st.integers(1, 6), min_size=n * n, max_size=n * n))
    return np.array(entries, dtype=object).reshape(n, n)


rates = st.fractions(0, 1, max_denominator=20)
intensities = st.sampled_from([Fraction(0), Fraction(1, 10), Fraction(1, 2), Fraction(1)])
sizes = st.integers(2, 7)
