"""Fictitious play against the theorems about its limits (Robinson, Miyasawa, Shapley) and QRE."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dynamics.errors import ParameterError, SimplexError
from dynamics.learning import (
    continuous_fictitious_play,
    fictitious_play,
    stochastic_fictitious_play,
)
from theory.qre import logit_qre, nash_gap
from theory.zero_sum import minimax, zero_sum_game

SHAPLEY = (
    np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
    np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]]),
)
RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]


def _zero_sum_gap(A: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """max_i (A y)_i - min_j (x A)_j per run: zero exactly at minimax pairs, >= 0 always."""
    return (y @ A.T).max(axis=-1) - (x @ A).min(axis=-1)


@settings(max_examples=12, deadline=None)
@given(st.integers(2, 4), st.integers(2, 4), st.data())
def test_robinson_fp_converges_in_zero_sum_games(m: int, n: int, data: st.DataObject) -> None:
    A = np.array(data.draw(st.lists(st.lists(st.integers(-5, 5), min_size=n, max_size=n),
                                    min_size=m, max_size=m)))
    fp = fictitious_play(zero_sum_game(A), rounds=3000, runs=8, rng=0)
    x, y = fp.final
    gap = _zero_sum_gap(A, x, y)
    # Robinson (1951) proves gap -> 0 without a rate; 250 random games of this size had a worst
    # gap of 0.013 * range at 3000 rounds, so 0.05 * range leaves a margin of four
    assert gap.max() <= 0.05 * max(int(np.ptp(A)), 1)
    value = minimax(zero_sum_game(A)).value
    assert np.all((x @ A).min(axis=1) <= float(value) + 1e-12)  # the sandwich, always true
    assert np.all((y @ A.T).max(axis=1) >= float(value) - 1e-12)


@st.composite
def nondegenerate_2x2(draw):
    """2 x 2 games in which every pure strategy has a unique best reply."""
    c = st.integers(0, 9)
    A = np.array(draw(st.lists(st.lists(c, min_size=2, max_size=2), min_size=2, max_size=2)))
    B = np.array(draw(st.lists(st.lists(c, min_size=2, max_size=2), min_size=2, max_size=2)))
    assume(A[0, 0] != A[1, 0] and A[0, 1] != A[1, 1])
    assume(B[0, 0] != B[0, 1] and B[1, 0] != B[1, 1])
    return A, B


@settings(max_examples=12, deadline=None)
@given(nondegenerate_2x2())
def test_miyasawa_fp_converges_in_2x2_games(game) -> None:
    A, B = game
    fp = fictitious_play((A, B), rounds=3000, runs=8, rng=1)
    x, y = fp.final
    gaps = [max(nash_gap((A, B), x[r], y[r])) for r in range(8)]
    # Miyasawa (1961): the frequencies converge to the Nash set. 200 random games had a worst
    # epsilon-Nash gap of 0.011 * range at 3000 rounds; we allow 0.05 * range
    assert max(gaps) <= 0.05 * max(np.ptp(A), np.ptp(B))


def test_shapley_game_cycles_with_growing_periods() -> None:
    fp = fictitious_play(SHAPLEY, rounds=20_000, initial=([1, 0, 0], [0, 1, 0]),
                         keep_actions=True, rng=0)
    assert fp.row_actions is not None and fp.column_actions is not None
    profile = fp.row_actions[0] * 3 + fp.column_actions[0]
    change = np.flatnonzero(np.diff(profile)) + 1
    lengths = np.diff(change)  # complete runs of one action profile
    # Shapley (1964): play cycles through six profiles with run lengths growing geometrically
    assert len(set(profile[change[-7:-1]])) == 6
    # each run outlasts the run one cycle (six runs) earlier; a cycle is ~10 times the last
    assert np.all(lengths[18:] > lengths[12:-6])
    periods = np.add.reduceat(lengths, np.arange(0, len(lengths) - 5, 6))
    assert periods[-1] > 5 * periods[-2]
    # ... so the frequencies keep moving: far from the unique equilibrium (1/3, 1/3, 1/3)
    late = fp.x[0, fp.times >= 2000]
    assert np.abs(late - 1 / 3).max(axis=1).min() > 0.1
    assert np.ptp(late[:, 0]) > 0.1


def test_continuous_fp_in_zero_sum_games_closes_the_gap_like_e_to_minus_t() -> None:
    # Harris (1998), Hofbauer and Sorin (2006): along x' = b(y) - x, y' = b(x) - y the
    # duality gap w satisfies w' = -w a.e., so w(t) = w(0) e^{-t}
    A = np.array(RPS)
    floors = []
    for dt in (1e-2, 1e-3):
        cfp = continuous_fictitious_play(zero_sum_game(A), t_end=6.0, dt=dt, runs=5, rng=2)
        gap = _zero_sum_gap(A, cfp.x, cfp.y)  # (runs, T)
        bound = gap[:, :1] * np.exp(-cfp.times)[None, :]
        # exact between switches; near the equilibrium switches come every few steps and the
        # discretisation floor is ~1.2 sqrt(dt) (measured), so allow 2 sqrt(dt)
        assert np.all(gap <= bound + 2 * np.sqrt(dt))
        floors.append(gap[:, -1].max())
    assert floors[1] < floors[0] / 2  # the floor is the scheme's, shrinking with dt


def test_continuous_fp_in_shapleys_game_does_not_converge() -> None:
    start = ([0.5, 0.3, 0.2], [0.2, 0.3, 0.5])
    cfp = continuous_fictitious_play(SHAPLEY, t_end=12.0, initial=start)
    late = cfp.x[0, cfp.times >= 6]
    assert np.abs(late - 1 / 3).max(axis=1).min() > 0.1  # it approaches the Shapley triangle


def test_symmetric_priors_give_symmetric_play() -> None:
    A = [[1, 3, 0], [0, 1, 3], [3, 0, 2]]
    x0 = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])
    fp = fictitious_play(A, rounds=500, initial=(x0, x0), rng=0)
    np.testing.assert_array_equal(fp.x, fp.y)


def test_same_seed_same_result_different_seed_different() -> None:
    a = fictitious_play(SHAPLEY, rounds=300, runs=6, rng=11)
    b = fictitious_play(SHAPLEY, rounds=300, runs=6, rng=np.random.default_rng(11))
    c = fictitious_play(SHAPLEY, rounds=300, runs=6, rng=12)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)
    s1 = stochastic_fictitious_play(RPS, precision=2.0, rounds=300, runs=3, rng=4)
    s2 = stochastic_fictitious_play(RPS, precision=2.0, rounds=300, runs=3, rng=4)
    np.testing.assert_array_equal(s1.y, s2.y)


def test_stochastic_fp_rest_point_is_the_logit_qre() -> None:
    # asymmetric matching pennies: a 2 x 2 game, where stochastic FP converges (Benaim and
    # Hirsch 1999) to the logit QRE at the same precision (Hofbauer and Sandholm 2002)
    g = ([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    lam, runs = 2.0, 200
    q = logit_qre(g, lam)
    sfp = stochastic_fictitious_play(g, precision=lam, rounds=5000, runs=runs, rng=7)
    x, y = sfp.final
    for freq, target in ((x[:, 0], q.x[0]), (y[:, 0], q.y[0])):
        se = freq.std(ddof=1) / np.sqrt(runs)
        # five standard errors of the mean over runs, plus 2e-3 for the O(log T / T) bias of a
        # stochastic approximation started from a random prior (measured: 1.5e-3 at T = 2000)
        assert abs(freq.mean() - target) <= 5 * se + 2e-3
    # and far from the Nash equilibrium x = (1/2, 1/2): the own-payoff effect
    assert x[:, 0].mean() > 0.8


def test_bad_input_is_refused_with_named_arguments() -> None:
    with pytest.raises(ParameterError, match="precision"):
        stochastic_fictitious_play(RPS, precision=-1.0, rounds=10)
    with pytest.raises(ParameterError, match="rounds"):
        fictitious_play(RPS, rounds=0)
    with pytest.raises(ParameterError, match="runs"):
        fictitious_play(RPS, rounds=5, runs=True)
    with pytest.raises(SimplexError, match=r"initial\[0\]"):
        fictitious_play(RPS, rounds=5, initial=([0.5, 0.6, 0.1], [1, 0, 0]))
    with pytest.raises(SimplexError, match="pair"):
        fictitious_play(RPS, rounds=5, initial=[1, 0, 0])
    with pytest.raises(ParameterError, match="t_end"):
        continuous_fictitious_play(RPS, t_end=-1.0)
