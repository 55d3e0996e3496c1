import numpy as np
import pytest

from dynamics.errors import ParameterError
from dynamics.finite.fixation import fixation_probability
from dynamics.finite.processes import fermi, moran, wright_fisher
from dynamics.finite.simulation import fixations, simulate
from tests.dynamics.finite.helpers import pearson_pvalue

A4 = np.array([[1, 3, 1, 1], [0, 2, 2, 0], [0.9, 1.9, 1.9, 1.9], [0.8, 2.8, 1.8, 1.8]])


@pytest.mark.parametrize(
    "p",
    [moran(A4, 20, w=0.5, mu=0.05), fermi(A4, 20, mu=0.05), wright_fisher(A4, 20, mu=0.05, w=0.5)],
)
def test_seeded_runs_are_identical_and_conserve_n(p):
    a = simulate(p, [5, 5, 5, 5], steps=50, runs=30, every=5, rng=7)
    b = simulate(p, [5, 5, 5, 5], steps=50, runs=30, every=5, rng=np.random.default_rng(7))
    c = simulate(p, [5, 5, 5, 5], steps=50, runs=30, every=5, rng=8)
    np.testing.assert_array_equal(a.counts, b.counts)
    assert not np.array_equal(a.counts, c.counts)
    assert np.all(a.counts.sum(axis=2) == 20) and np.all(a.counts >= 0)
    np.testing.assert_allclose(a.frequencies.sum(axis=2), 1.0)


# Fixation frequencies from RUNS independent runs are binomial: we accept |p_hat - rho| <= 4 SE
# with SE = sqrt(rho (1 - rho) / RUNS) (a two-sided false alarm rate of 6e-5).
RUNS = 3000


@pytest.mark.parametrize(
    "process",
    [
        moran([[1, 1], [1, 1]], 10),
        moran([[3, 0], [5, 1]], 10, w=0.3),
        fermi([[1, 4], [2, 3]], 12, beta=1.0),
    ],
    ids=["neutral", "moran-pd", "fermi-coordination"],
)
def test_simulated_fixation_matches_closed_form(process):
    rho = float(fixation_probability(process, 0, 1))
    fx = fixations(process, [1, process.N - 1], runs=RUNS, rng=11)
    assert np.all(fx.winner >= 0)
    se = np.sqrt(rho * (1 - rho) / RUNS)
    assert abs((fx.winner == 0).mean() - rho) <= 4 * se


def test_simulation_argument_errors():
    p = moran(A4, 8, w=0.5)
    with pytest.raises(ParameterError, match="strategies"):
        simulate(p, [4, 4], steps=3)
    with pytest.raises(ParameterError, match="steps"):
        simulate(p, [2, 2, 2, 2], steps=-1)
    with pytest.raises(ParameterError, match="rows"):
        simulate(p, [[2, 2, 2, 2]] * 3, steps=1, runs=2)
    with pytest.raises(ParameterError, match="mu = 0"):
        fixations(moran(A4, 8, w=0.5, mu=0.1), [2, 2, 2, 2], runs=3)


def test_fixations_stops_at_max_steps():
    fx = fixations(moran([[1, 1], [1, 1]], 50), [25, 25], runs=5, max_steps=3, rng=0)
    assert np.all(fx.winner == -1) and np.all(fx.time == 3)


@pytest.mark.parametrize(
    "process",
    [fermi(A4[:3, :3], 6, beta=1.0, mu=0.1), moran(A4[:3, :3], 6, w=0.5, mu=0.1)],
    ids=["fermi", "moran"],
)
def test_single_run_kernel_samples_the_same_chain(process):
    # A single run takes the scalar kernel. The exact law of the state after STEPS steps is
    # propagated through the exact chain; 1500 independent single runs must fit it by Pearson's
    # test at p > 0.001 (independent samples; cells with expected count < 5 pooled).
    from dynamics.finite.chain import markov_chain

    steps, runs = 100, 1500
    mc = markov_chain(process)
    start = np.array([6, 0, 0])
    law = np.zeros(mc.P.shape[0])
    law[mc.index(start)] = 1.0
    for _ in range(steps):
        law = mc.P.T @ law
    streams = np.random.default_rng(99).spawn(runs)
    final = np.array(
        [simulate(process, start, steps=steps, every=steps, rng=g).counts[-1, 0] for g in streams]
    )
    observed = np.bincount(mc.index(final), minlength=len(law))
    assert pearson_pvalue(observed, runs * law) > 1e-3


def test_single_run_is_seeded_and_conserves_n():
    p = fermi(A4, 40, beta=2.0, mu=0.01)
    a = simulate(p, [10, 10, 10, 10], steps=5000, every=100, rng=3)
    b = simulate(p, [10, 10, 10, 10], steps=5000, every=100, rng=3)
    np.testing.assert_array_equal(a.counts, b.counts)
    assert a.counts.shape == (51, 1, 4) and np.all(a.counts.sum(axis=2) == 40)
    np.testing.assert_array_equal(a.steps, np.arange(0, 5001, 100))


@pytest.mark.parametrize("runs", [1, 3])
def test_strong_exponential_selection_simulates_without_overflow(runs):
    p = moran([[2, 2], [1, 1]], 10, w=1000.0, mapping="exponential")
    with np.errstate(over="raise", invalid="raise"):  # underflow to 0 is the right answer
        tr = simulate(p, [5, 5], steps=200, runs=runs, rng=0)
    assert np.all(tr.counts.sum(axis=2) == 10) and np.all(tr.counts >= 0)
    # the fitter strategy 0 only gains: strategy 1 never reproduces against exp(1000) odds
    assert np.all(np.diff(tr.counts[:, :, 0], axis=0) >= 0)
    # an absent strategy with a huge payoff does not overflow either
    q = moran([[0, 0, 0], [0, 0, 0], [900, 900, 900]], 6, w=1.0, mapping="exponential")
    tq = simulate(q, [3, 3, 0], steps=50, runs=runs, rng=1)
    assert np.all(tq.counts[:, :, 2] == 0)


@pytest.mark.parametrize("rng", [-1, 1.5, "seed", True])
def test_bad_seeds_are_the_packages_errors(rng):
    p = moran([[1, 1], [1, 1]], 4)
    with pytest.raises(ParameterError, match="rng must be a seed"):
        simulate(p, [2, 2], steps=1, rng=rng)
    with pytest.raises(ParameterError, match="rng must be a seed"):
        fixations(p, [2, 2], runs=2, rng=rng)


def test_numpy_integers_and_integral_fractions_count():
    from fractions import Fraction

    p = moran([[1, 1], [1, 1]], np.int64(4))
    tr = simulate(p, np.array([2, 2], dtype=np.int32), steps=np.int64(3), runs=np.int16(2), rng=0)
    assert tr.counts.shape == (4, 2, 2)
    assert simulate(p, [2, 2], steps=Fraction(3), rng=0).counts.shape == (4, 1, 2)
    with pytest.raises(ParameterError, match="steps must be an integer"):
        simulate(p, [2, 2], steps=Fraction(5, 2), rng=0)
