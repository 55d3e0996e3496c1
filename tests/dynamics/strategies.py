"""Hypothesis strategies for the flows: points of the simplex, batches of them, payoff matrices."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

__all__ = ["simplex_points", "simplex_batches", "payoff_matrices", "games_with_states"]

_weights = st.floats(min_value=0.0, max_value=1.0, allow_nan=False, allow_infinity=False)


@st.composite
def simplex_points(draw: st.DrawFn, n: int, *, interior: bool = False) -> np.ndarray:
    """One point of the (n-1)-simplex; faces (zero shares) are drawn too unless `interior`."""
    lo = 1e-3 if interior else 0.0
    w = draw(arrays(np.float64, n, elements=st.floats(lo, 1.0, allow_nan=False)))
    if w.sum() <= 0:
        w[draw(st.integers(0, n - 1))] = 1.0
    return w / w.sum()


@st.composite
def simplex_batches(draw: st.DrawFn, n: int, *, max_k: int = 6) -> np.ndarray:
    """A batch of 1..max_k points of the simplex, shape (k, n)."""
    k = draw(st.integers(1, max_k))
    return np.stack([draw(simplex_points(n)) for _ in range(k)])


def payoff_matrices(n: int) -> st.SearchStrategy[np.ndarray]:
    """Square payoff matrices with entries in [-5, 5]."""
    return arrays(np.float64, (n, n), elements=st.floats(-5, 5, allow_nan=False, width=32))


@st.composite
def games_with_states(draw: st.DrawFn, *, max_n: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """A payoff matrix and a batch of states of the same size."""
    n = draw(st.integers(2, max_n))
    return draw(payoff_matrices(n)), draw(simplex_batches(n))
