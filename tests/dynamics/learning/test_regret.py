"""Regret matching and Hedge against their regret bounds, the CE set and the minimax value."""

import numpy as np
import pytest

from dynamics.errors import ParameterError
from dynamics.learning import hedge, regret_matching
from theory.correlated import correlated_distance, correlated_regret
from theory.games import Game
from theory.zero_sum import minimax, zero_sum_game

SHAPLEY = Game([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[0, 1, 0], [0, 0, 1], [1, 0, 0]])
CHICKEN = Game([[6, 2], [7, 0]], [[6, 7], [2, 0]])


def _blackwell_bound(game: Game, T: np.ndarray) -> np.ndarray:
    """E[regret_T] <= sum over players of range * sqrt((actions - 1) / T).

    With play drawn from the stationary distribution of the switching matrix (or proportional
    to positive regrets), the expected cross term R^+ . E[increment] is exactly 0 for every
    action of the opponent, and an increment has at most actions - 1 entries of size <= range,
    so E||R_T^+||^2 <= T (actions - 1) range^2 and E max R_T / T <= range sqrt((actions-1)/T).
    """
    A, B = np.asarray(game.A, dtype=float), np.asarray(game.B, dtype=float)
    m, n = A.shape
    return (np.ptp(A) * np.sqrt(m - 1) + np.ptp(B) * np.sqrt(n - 1)) / np.sqrt(T)


@pytest.mark.parametrize("game", [SHAPLEY, CHICKEN], ids=["shapley", "chicken"])
def test_stationary_regret_matching_meets_the_one_over_sqrt_t_bound(game: Game) -> None:
    rm = regret_matching(game, rounds=4000, runs=100, rule="stationary", record=20, rng=3)
    mean = rm.correlated_regret.mean(axis=0)
    # the mean over 100 runs of a quantity bounded by range * sqrt(m - 1) / sqrt(T) per run:
    # its standard error is < 10% of the bound, so the bound itself needs no slack
    assert np.all(mean <= _blackwell_bound(game, rm.times))
    # recorded regrets are the theory's correlated regret of the empirical joint distribution
    for r in range(3):
        exact = correlated_regret(game, rm.joint[r, -1])
        assert rm.correlated_regret[r, -1] == pytest.approx(exact, abs=1e-12)


def test_the_rate_is_one_over_sqrt_t_in_shapleys_game() -> None:
    # in Shapley's game the learners keep cycling, so the regrets do not vanish faster than the
    # bound's rate either: the log-log slope of the mean regret against T is about -1/2
    rm = regret_matching(SHAPLEY, rounds=4000, runs=60, rule="stationary", record=20, rng=4)
    keep = rm.times >= 100
    slope = np.polyfit(np.log(rm.times[keep]), np.log(rm.correlated_regret.mean(0)[keep]), 1)[0]
    assert -0.65 < slope < -0.35


def test_adaptive_procedure_approaches_the_ce_set() -> None:
    # Hart and Mas-Colell (2000) prove almost-sure convergence to the CE set without a rate;
    # the distance (L1, by LP) of the empirical distribution shrinks
    rm = regret_matching(CHICKEN, rounds=4000, runs=20, rule="adaptive", record=8, rng=5)
    early = rm.correlated_regret[:, np.searchsorted(rm.times, 100)].mean()
    assert rm.correlated_regret[:, -1].mean() < early / 5
    d = [correlated_distance(CHICKEN, rm.joint[r, -1]) for r in range(5)]
    assert max(d) < 0.05


def test_unconditional_matching_approaches_the_coarse_set() -> None:
    rm = regret_matching(SHAPLEY, rounds=4000, runs=50, rule="unconditional", record=10, rng=6)
    assert np.all(rm.coarse_regret.mean(axis=0) <= _blackwell_bound(SHAPLEY, rm.times))
    exact = correlated_regret(SHAPLEY, rm.joint[0, -1], coarse=True)
    assert rm.coarse_regret[0, -1] == pytest.approx(exact, abs=1e-12)


def test_hedge_with_expected_feedback_meets_its_regret_bound_and_the_minimax_value() -> None:
    A = np.array([[3, -1, 0], [-2, 2, 1], [0, 1, -3]])
    g = zero_sum_game(A)
    value = float(minimax(g).value)
    T = 3000
    h = hedge(g, rounds=T, feedback="expected")
    r = float(np.ptp(A))
    # Cesa-Bianchi and Lugosi Thm 2.2: regret <= range sqrt(T ln m / 2) at the tuned rate
    bound = r * np.sqrt(np.log(3) / 2) / np.sqrt(T)
    assert h.regret[0, -1].max() <= bound + 1e-12
    x, y = h.x[0, -1], h.y[0, -1]
    gap = (A @ y).max() - (x @ A).min()
    assert 0 <= gap <= 2 * bound  # the averages form a (sum of regrets)-equilibrium
    assert abs(h.average_payoff[0, -1, 0] - value) <= 2 * bound


def test_hedge_with_sampled_feedback_approaches_the_minimax_value() -> None:
    A = np.array([[3, -1, 0], [-2, 2, 1], [0, 1, -3]])
    value = float(minimax(zero_sum_game(A)).value)
    T, runs = 3000, 40
    h = hedge(zero_sum_game(A), rounds=T, runs=runs, rng=8)
    r = float(np.ptp(A))
    bound = r * np.sqrt(np.log(3) / 2) / np.sqrt(T)
    # realised payoffs differ from expected ones by a martingale: Azuma-Hoeffding with
    # delta = 1e-6 per run and player
    azuma = r * np.sqrt(2 * np.log(2 / 1e-6) / T)
    assert np.all(np.abs(h.average_payoff[:, -1, 0] - value) <= bound + 2 * azuma)
    assert h.average_payoff[:, -1, 0].mean() == pytest.approx(value, abs=bound + azuma / 4)


def test_seeds_and_bad_input() -> None:
    a = regret_matching(CHICKEN, rounds=200, runs=4, rng=1)
    b = regret_matching(CHICKEN, rounds=200, runs=4, rng=1)
    np.testing.assert_array_equal(a.joint, b.joint)
    with pytest.raises(ParameterError, match="inertia of the row player must exceed 7"):
        regret_matching(CHICKEN, rounds=10, inertia=(1.0, 5.0))
    with pytest.raises(ParameterError, match="rule"):
        regret_matching(CHICKEN, rounds=10, rule="conditional")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="feedback"):
        hedge(CHICKEN, rounds=10, feedback="bandit")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"learning_rate\[0\]"):
        hedge(CHICKEN, rounds=10, learning_rate=(-1.0, 1.0))
