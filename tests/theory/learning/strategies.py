"""Hypothesis strategies for memory-one policies and learning parameters."""

from fractions import Fraction

from hypothesis import strategies as st

from theory.learning.policies import POLICIES

policies = st.sampled_from(POLICIES)
# Rational noise strictly inside (0, 1/2): every transition possible, greedy moves well defined.
noises = st.fractions(
    min_value=Fraction(1, 1000), max_value=Fraction(49, 100), max_denominator=1000
)
discounts = st.fractions(min_value=Fraction(0), max_value=Fraction(99, 100), max_denominator=100)
