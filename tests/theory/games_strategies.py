"""Hypothesis strategies for games: small integer bimatrix and symmetric games."""

import numpy as np
from hypothesis import strategies as st


@st.composite
def bimatrix_games(draw, min_actions=2, max_actions=4, max_payoff=9):
    """A pair (A, B) of integer matrices 0..max_payoff, shape (m, n)."""
    m = draw(st.integers(min_actions, max_actions))
    n = draw(st.integers(min_actions, max_actions))
    cells = st.integers(0, max_payoff)
    A = draw(st.lists(st.lists(cells, min_size=n, max_size=n), min_size=m, max_size=m))
    B = draw(st.lists(st.lists(cells, min_size=n, max_size=n), min_size=m, max_size=m))
    return np.array(A), np.array(B)


@st.composite
def symmetric_games(draw, min_actions=2, max_actions=5, max_payoff=9):
    """One square integer matrix 0..max_payoff (the game (A, A.T))."""
    n = draw(st.integers(min_actions, max_actions))
    cells = st.integers(0, max_payoff)
    return np.array(draw(st.lists(st.lists(cells, min_size=n, max_size=n), min_size=n, max_size=n)))
