"""Hypothesis strategies for the harvest commons: exact parameters and agent types."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from theory.commons import HarvestCommons, HarvesterType

__all__ = ["positive_fractions", "commons_params", "harvester_types", "unit_fractions"]


def positive_fractions(lo: int = 1, hi: int = 50) -> st.SearchStrategy[Fraction]:
    """Fractions p/q with p in [lo, hi] and q in [1, 10]."""
    return st.builds(Fraction, st.integers(lo, hi), st.integers(1, 10))


unit_fractions = st.builds(lambda p, q: Fraction(p, q), st.integers(0, 12), st.just(12))


@st.composite
def commons_params(draw: st.DrawFn) -> HarvestCommons:
    """A commons with rational r, K, q and a cost below q K (so that harvesting pays)."""
    r, K, q = draw(positive_fractions()), draw(positive_fractions()), draw(positive_fractions())
    share = draw(st.builds(Fraction, st.integers(0, 9), st.just(10)))
    return HarvestCommons(r, K, q, share * q * K)


harvester_types = st.builds(HarvesterType, unit_fractions, unit_fractions)
