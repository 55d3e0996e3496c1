import numpy as np
import pytest

from dynamics.errors import ParameterError
from dynamics.finite.agents import euler_map, round_time, simulate_agents
from dynamics.integrate import integrate

X0 = np.array([0.1, 0.3, 0.3, 0.3])
H = 0.2
ROUNDS = 90
RUNS = 100
# Pointwise comparisons at RECORDED = 10 times x 4 strategies: a Bonferroni bound for a family
# false-alarm rate of 1e-3 over 40 two-sided tests is z = 4.06 standard errors.
Z_FAMILY = 4.06
EVERY = 9


@pytest.fixture(scope="module")
def game():
    from modal import SEED_AGENTS
    from theory.modal_game import modal_game

    return modal_game(SEED_AGENTS, "1/10").astype(float)


@pytest.fixture(scope="module")
def runs(game):
    return {
        N: simulate_agents(
            game, (X0 * N).astype(int), rounds=ROUNDS, h=H, runs=RUNS, every=EVERY, rng=N
        )
        for N in (100, 400, 1600)
    }


def test_modal_game_has_depth_penalties(game):
    np.testing.assert_allclose(game[2], [0.9, 1.9, 1.9, 1.9])  # FairBot pays eps * depth 1


def test_mean_path_follows_the_mean_field_map_within_standard_errors(game, runs):
    # E[x_{r+1} | x_r] is exactly one Euler step with the self-excluding payoffs f^N; what is left
    # is the O(1/N) bias of a non-linear map, below the noise at N = 1600.
    out = runs[1600]
    y = euler_map(game, X0, ROUNDS, H, N=1600)[out.rounds]
    assert np.all(np.abs(out.mean - y) <= Z_FAMILY * out.standard_error + 1e-12)


def test_single_runs_scatter_about_the_limit_like_one_over_sqrt_n(game, runs):
    y = euler_map(game, X0, ROUNDS, H)
    spread = {
        N: np.sqrt(((out.frequencies - y[out.rounds][:, None, :]) ** 2).sum(axis=2).mean())
        for N, out in runs.items()
    }
    # 1/sqrt(N): each factor 4 in N halves the RMS distance. The RMS over 100 runs x 11 times
    # has a relative SE of ~ 1/sqrt(2 * 100) = 7 %, a ratio of two ~ 10 %: we allow +-20 %.
    assert 2 * 0.8 <= spread[100] / spread[400] <= 2 * 1.2
    assert 2 * 0.8 <= spread[400] / spread[1600] <= 2 * 1.2


def test_mean_path_approaches_the_replicator_flow(game, runs):
    tau = round_time(game, H)
    t_eval = np.arange(0, ROUNDS + 1, EVERY) * tau
    flow = integrate(game, X0, ROUNDS * tau, t_eval=t_eval, rtol=1e-10, atol=1e-12).x[0]
    euler_gap = np.abs(euler_map(game, X0, ROUNDS, H)[::EVERY] - flow).max()
    assert euler_gap < 0.005  # tau = 1/15: the time step of the seed's model barely shows
    dist = {N: np.abs(out.mean - flow).max() for N, out in runs.items()}
    for N, out in runs.items():  # noise of the mean + the deterministic Euler gap
        assert dist[N] <= Z_FAMILY * out.standard_error.max() + euler_gap
    assert dist[1600] < dist[100] / 2


def test_seeded_runs_identical(game):
    a = simulate_agents(game, [10, 10, 10, 10], rounds=5, runs=3, rng=4)
    b = simulate_agents(game, [10, 10, 10, 10], rounds=5, runs=3, rng=np.random.default_rng(4))
    c = simulate_agents(game, [10, 10, 10, 10], rounds=5, runs=3, rng=5)
    np.testing.assert_array_equal(a.frequencies, b.frequencies)
    assert not np.array_equal(a.frequencies, c.frequencies)
    np.testing.assert_allclose(a.frequencies.sum(axis=2), 1.0)


def test_equal_payoffs_are_neutral():
    out = simulate_agents(np.ones((2, 2)), [20, 20], rounds=3, h=1.0, runs=2, rng=0)
    np.testing.assert_allclose(out.frequencies.sum(axis=2), 1.0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(initial=[5, 5, 5, 4]), "even"),
        (dict(initial=[1, 0, 0, 0]), "even"),
        (dict(initial=[5, 5, 5]), "4 non-negative"),
        (dict(initial=[6, -2, 0, 0]), "non-negative"),
        (dict(h=0.0), "h must"),
        (dict(h=1.5), "h must"),
        (dict(rounds=-1), "rounds"),
        (dict(runs=0), "runs"),
    ],
)
def test_bad_input_rejected(game, kwargs, match):
    args = dict(initial=[2, 2, 2, 2], rounds=1)
    args.update(kwargs)
    with pytest.raises(ParameterError, match=match):
        simulate_agents(game, args.pop("initial"), **args)
