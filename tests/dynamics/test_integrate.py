"""Batched integration: closed-form oracles, the simplex kept, agreement with solve_ivp."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamics.errors import ParameterError, SimplexError
from dynamics.integrate import integrate, integrate_single
from modal import SEED_AGENTS
from tests.dynamics.strategies import games_with_states
from theory.modal_game import modal_game

# The logistic oracle: rtol 1e-8 on log-shares of size O(1) gives errors ~1e-8 in x; 1e-6 is a
# margin of 100 for error accumulation over 20 time units.
ORACLE_ATOL = 1e-6
# Two independent integrators at rtol 1e-8 (batched, log coordinates) and 1e-10 (DOP853 in x):
# both errors below ~1e-7 over t = 60 for this flow (largest Lyapunov rate ~0.1).
AGREE_ATOL = 1e-5
# One RK step's round-off in the normalisation: a few ulps.
SIMPLEX_ROUNDOFF = 1e-13

LOGISTIC = [[1, 1], [0, 0]]  # f = (1, 0): x' = x (1 - x), x(t) = x0 e^t / (1 - x0 + x0 e^t)


def logistic(x0: float, t: np.ndarray) -> np.ndarray:
    return x0 * np.exp(t) / (1 - x0 + x0 * np.exp(t))


def test_replicator_matches_the_logistic_closed_form_for_a_batch():
    x0 = np.array([0.01, 0.3, 0.5, 0.9])
    X0 = np.stack([x0, 1 - x0], axis=1)
    tr = integrate(LOGISTIC, X0, 20.0, n_out=41, rtol=1e-8, atol=1e-10)
    exact = logistic(x0[:, None], tr.t[None, :])
    assert np.max(np.abs(tr.x[:, :, 0] - exact)) < ORACLE_ATOL
    # time average: (1/T) log(1 - x0 + x0 e^T)
    mean = np.log(1 - x0 + x0 * np.exp(20.0)) / 20.0
    assert np.allclose(tr.mean[:, 0], mean, atol=ORACLE_ATOL)
    assert tr.success.all()


def test_each_trajectory_chooses_its_own_steps():
    X0 = np.array([[0.5, 0.5], [1e-9, 1 - 1e-9], [1.0, 0.0]])
    tr = integrate(LOGISTIC, X0, 20.0, n_out=3)
    assert len(set(tr.steps.tolist())) > 1
    assert tr.x[2, -1, 0] == 1.0  # a vertex stays a vertex


@given(
    games_with_states(), st.sampled_from(["replicator", "best_response", "logit", "bnn", "smith"])
)
def test_trajectories_stay_on_the_simplex(game, name):
    A, X = game
    tr = integrate(A, X, 2.0, dynamic=name, n_out=6)
    assert np.all(tr.x >= 0)
    assert np.max(np.abs(tr.x.sum(axis=2) - 1)) < SIMPLEX_ROUNDOFF
    assert np.all(tr.x[:, 0] == X)


@given(games_with_states())
def test_replicator_keeps_absent_strategies_absent(game):
    A, X = game
    tr = integrate(A, X, 5.0, n_out=3)
    assert np.all(tr.x[:, -1][X == 0] == 0)


def test_simplex_kept_along_the_heteroclinic_cycle_to_tiny_shares():
    A = modal_game(SEED_AGENTS, "1/10").astype(float)
    tr = integrate(A, [0.25, 0.25, 0.25, 0.25], 3000.0, n_out=301)
    assert np.max(np.abs(tr.x.sum(axis=2) - 1)) < SIMPLEX_ROUNDOFF
    assert np.all(tr.x >= 0)
    # shares far below any float64 absolute tolerance, still positive where the flow keeps them
    assert 0 < tr.x[0, :, 1].min() < 1e-20


def test_batched_agrees_with_solve_ivp_on_the_modal_game():
    A = modal_game(SEED_AGENTS, "1/10").astype(float)
    X0 = np.array([[0.25, 0.25, 0.25, 0.25], [0.05, 0.3, 0.3, 0.35], [0.6, 0.1, 0.2, 0.1]])
    tr = integrate(A, X0, 60.0, n_out=7, rtol=1e-8, atol=1e-10)
    for j in range(3):
        ref = integrate_single(A, X0[j], 60.0, n_out=7, method="DOP853", rtol=1e-10, atol=1e-12)
        assert np.max(np.abs(tr.x[j] - ref.x[0])) < AGREE_ATOL
        assert np.max(np.abs(tr.mean[j] - ref.mean[0])) < AGREE_ATOL


@pytest.mark.parametrize("name", ["best_response", "logit", "bnn", "smith"])
def test_other_dynamics_agree_with_solve_ivp(name):
    A = modal_game(SEED_AGENTS, "1/10").astype(float)
    x0 = [0.25, 0.25, 0.25, 0.25]
    if name == "best_response":  # discontinuous field: compare where it is smooth (no switch)
        A = [[1, 1], [0, 0]]
        x0 = [0.3, 0.7]
    tr = integrate(A, x0, 10.0, dynamic=name, n_out=5, rtol=1e-9, atol=1e-11)
    ref = integrate_single(
        A, x0, 10.0, dynamic=name, n_out=5, method="DOP853", rtol=1e-10, atol=1e-12
    )
    assert np.max(np.abs(tr.x[0] - ref.x[0])) < AGREE_ATOL


def test_best_response_dynamic_closed_form():
    # A = [[1, 1], [0, 0]]: strategy 0 always best, x' = (1, 0) - x, x0(t) = 1 - (1 - x0) e^-t
    tr = integrate([[1, 1], [0, 0]], [0.3, 0.7], 5.0, dynamic="best_response", n_out=6)
    assert np.allclose(tr.x[0, :, 0], 1 - 0.7 * np.exp(-tr.t), atol=ORACLE_ATOL)


def test_logit_parameter_is_passed_through():
    a = integrate([[1, 0], [0, 1]], [0.6, 0.4], 20.0, dynamic="logit", eta=0.1, n_out=2)
    b = integrate([[1, 0], [0, 1]], [0.6, 0.4], 20.0, dynamic="logit", eta=50.0, n_out=2)
    assert abs(a.final[0, 0] - 0.5) < 0.05 and b.final[0, 0] > 0.99


def test_integration_is_deterministic():
    A = modal_game(SEED_AGENTS, "1/10").astype(float)
    X0 = np.random.default_rng(3).dirichlet(np.ones(4), size=20)
    a = integrate(A, X0, 100.0, n_out=5)
    b = integrate(A, X0, 100.0, n_out=5)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.steps, b.steps)


def test_t_eval_and_observer():
    seen = []
    tr = integrate(
        LOGISTIC,
        [0.5, 0.5],
        2.0,
        t_eval=[0.5, 1.0, 2.0],
        observer=lambda rows, t, x: seen.append((rows.copy(), t.copy())),
    )
    assert tr.x.shape == (1, 3, 2)
    assert np.allclose(tr.x[0, :, 0], logistic(0.5, np.array([0.5, 1.0, 2.0])), atol=ORACLE_ATOL)
    assert seen and seen[-1][1][-1] == pytest.approx(2.0)


def test_an_interrupt_keeps_what_was_computed():
    calls = []

    def stop(rows, t, x):
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt

    tr = integrate(LOGISTIC, [[0.5, 0.5], [0.1, 0.9]], 50.0, n_out=11, observer=stop)
    assert not tr.success.any()
    assert np.all(tr.t_reached < 50.0) and np.all(tr.t_reached > 0)
    assert np.all(np.isfinite(tr.x[:, 0])) and np.all(np.isnan(tr.x[:, -1]))
    assert np.all(np.isfinite(tr.mean))


def test_running_out_of_iterations_is_reported_not_raised():
    tr = integrate(LOGISTIC, [0.5, 0.5], 50.0, n_out=3, max_iterations=3)
    assert not tr.success[0] and tr.t_reached[0] < 50.0


def test_progress_bar_runs(capsys):
    tr = integrate(LOGISTIC, [0.5, 0.5], 5.0, n_out=2, progress=True)
    assert tr.success.all()


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"t_end": 0.0}, "t_end"),
        ({"t_end": np.inf}, "t_end"),
        ({"n_out": 1}, "n_out"),
        ({"t_eval": [1.0, 0.5]}, "t_eval"),
        ({"t_eval": [0.0, 20.0]}, "t_eval"),
        ({"rtol": 0.0}, "rtol"),
        ({"atol": -1.0}, "atol"),
        ({"max_step": 0.0}, "max_step"),
        ({"dynamic": "nope"}, "dynamic"),
    ],
)
def test_bad_arguments(kw, match):
    args = {"t_end": 10.0, **kw}
    with pytest.raises(ParameterError, match=match):
        integrate(LOGISTIC, [0.5, 0.5], **args)


def test_bad_states_and_single_trajectory_errors():
    with pytest.raises(SimplexError, match="x0"):
        integrate(LOGISTIC, [0.5, 0.6], 1.0)
    with pytest.raises(ParameterError, match="one state"):
        integrate_single(LOGISTIC, [[0.5, 0.5], [0.2, 0.8]], 1.0)


# --- the seed's stability statements, shown by the flow itself (exact values from theory) ---


def test_flow_near_defectbot_converges_to_it():
    A = modal_game(SEED_AGENTS, "1/10").astype(float)
    starts = 0.98 * np.eye(4)[0] + 0.02 * np.random.default_rng(1).dirichlet(np.ones(4), 30)
    tr = integrate(A, starts, 300.0, n_out=2)
    assert np.all(tr.final[:, 0] > 1 - 1e-6)


def test_flow_leaves_the_defectbot_fairbot_mix():
    A = modal_game(SEED_AGENTS, "1/10").astype(float)
    mix = np.array([0.9, 0, 0.1, 0])
    starts = (1 - 1e-4) * mix + 1e-4 * np.random.default_rng(2).dirichlet(np.ones(4), 30)
    tr = integrate(A, starts, 300.0, n_out=2)
    # the closest other rest point, D, is 0.1 away in max norm: every start ends > 0.05 away
    assert np.all(np.max(np.abs(tr.final - mix), axis=1) > 0.05)


def test_flow_spirals_out_of_the_good_equilibrium_at_the_exact_rate():
    # exact face eigenvalues 1/400 +- 3 sqrt(151) i / 400 (theory.stability)
    from fractions import Fraction

    import sympy

    from theory.stability import classify_rest_point

    Ae = modal_game(SEED_AGENTS, "1/10")
    xs_exact = (0, Fraction(1, 10), Fraction(17, 20), Fraction(1, 20))
    lam = next(v for v in classify_rest_point(Ae, xs_exact).face_eigenvalues if sympy.im(v) > 0)
    rate, omega = float(sympy.re(lam)), float(sympy.im(lam))
    xs = np.array([float(v) for v in xs_exact])
    tr = integrate(
        Ae.astype(float),
        xs + [0, 1e-5, -0.5e-5, -0.5e-5],
        1000.0,
        n_out=10001,
        rtol=1e-12,
        atol=1e-12,
    )
    dev = tr.x[0] - xs
    r = np.linalg.norm(dev, axis=1)
    assert r[-1] > 5 * r[0]  # distance grows along the orbit: unstable
    up = tr.t[1:][(dev[:-1, 1] < 0) & (dev[1:, 1] >= 0)]
    period = np.mean(np.diff(up))
    amps = [np.max(r[(tr.t >= a) & (tr.t < b)]) for a, b in zip(up[:-1], up[1:], strict=True)]
    growth = np.polyfit((up[:-1] + up[1:]) / 2, np.log(amps), 1)[0]
    # 2%: the orbit stays within 1e-4 of x*, where quadratic terms shift the rates by far less;
    # the period is read off a 0.1 grid (0.15% of 68)
    assert period == pytest.approx(2 * np.pi / omega, rel=0.02)
    assert growth == pytest.approx(rate, rel=0.02)


# ---- issue 17: parameters and overflow ------------------------------------------------------


@pytest.mark.parametrize(
    "dynamic, params, match",
    [
        ("logit", {"eta": -5}, "eta is an inverse noise level, a finite number >= 0, got -5"),
        ("logit", {"eta": float("nan")}, "eta"),
        ("replicator", {"eta": 5}, "replicator dynamic takes no parameters, got eta=5"),
        ("smith", {"etaa": 5}, "smith dynamic takes no parameters, got etaa=5"),
        ("logit", {"etaa": 5}, "logit dynamic takes parameters eta, got etaa=5"),
    ],
)
def test_kernel_parameters_are_checked_on_every_path(dynamic, params, match):
    """logit with eta = -5 ran, and unknown keywords were ignored (or a TypeError)."""
    from dynamics.flows import numeric_jacobian
    from dynamics.plots.simplex import plot_simplex_flow

    rps = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    calls = [
        lambda: integrate(rps, [0.5, 0.3, 0.2], 1.0, dynamic=dynamic, **params),
        lambda: integrate_single(rps, [0.5, 0.3, 0.2], 1.0, dynamic=dynamic, **params),
        lambda: numeric_jacobian(rps, [0.5, 0.3, 0.2], dynamic=dynamic, **params),
        lambda: plot_simplex_flow(rps, dynamic=dynamic, resolution=5, **params),
    ]
    for call in calls:
        with pytest.raises(ParameterError, match=match):
            call()


VERTEX = np.array([[3.0, 0.0, 2.0], [5.0, 1.0, 0.0], [0.0, 2.0, 4.0]])  # (0.5, 0.3, 0.2) -> e_2


@pytest.mark.parametrize("dynamic", ["replicator", "best_response", "logit", "bnn", "smith"])
@pytest.mark.parametrize("scale", [1e20, -1e20, 1e80])
def test_huge_payoffs_are_the_rescaled_game(dynamic, scale):
    """Smith at 1e20 gave a negative time-averaged share, BNN at 1e80 NaN: huge payoffs are
    shifted per column and scaled by exact invariances. Each dynamic's result is the small
    game's, with time rescaled exactly where the dynamic is homogeneous (replicator, BNN,
    Smith) and eta rescaled for logit. -1e20 flips the game: a different orbit, still valid."""
    x0 = [0.5, 0.3, 0.2]
    big = integrate(
        VERTEX * scale + 7 * abs(scale), x0, 1.0, dynamic=dynamic, n_out=3, max_iterations=2_000
    )
    assert np.all(np.isfinite(big.x[big.t[None, :] <= big.t_reached[:, None]]))
    reached = big.x[0, big.t <= big.t_reached[0]]
    assert np.all(reached >= 0) and np.allclose(reached.sum(axis=1), 1)
    assert np.all(big.mean >= 0) and np.allclose(big.mean.sum(axis=1), 1)
    if dynamic == "best_response" and scale > 0:  # not time-scaled: the same orbit
        small = integrate(VERTEX, x0, 1.0, dynamic=dynamic, n_out=3)
        assert np.allclose(big.x, small.x, atol=1e-6)
    if dynamic in ("replicator", "bnn") and scale > 0:  # time 1 of 1e20 A is time 1e20 of A
        assert big.success[0] and np.allclose(big.final, [[0, 0, 1]], atol=1e-9)


@pytest.mark.parametrize("dynamic", ["replicator", "bnn", "smith", "logit"])
def test_payoffs_beyond_any_horizon_are_a_clear_error(dynamic):
    """The replicator at +-1e308 gave NaN; t_end = 50 is then 50 x 2**1023 of the game's own
    time, beyond floating point (logit: eta x payoffs overflows)."""
    rps = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]]) * 1e308
    with pytest.raises(ParameterError, match="floating point"):
        integrate(rps, [0.5, 0.3, 0.2], 50.0, dynamic=dynamic)


def test_logit_with_an_overflowing_eta_is_a_clear_error():
    with pytest.raises(ParameterError, match="eta = 1e\\+308 times payoffs"):
        integrate([[3, 0], [5, 1]], [0.5, 0.5], 5.0, dynamic="logit", eta=1e308)


def test_a_state_that_leaves_floating_point_is_raised_not_returned(monkeypatch):
    """The safety net under the rescaling: a kernel that overflows is an error, never NaN."""
    import dynamics._integrator as mod
    from dynamics.errors import DynamicsError

    def overflowing(A, x):
        return np.full_like(x, np.inf)

    monkeypatch.setattr(mod, "flow", lambda name: overflowing)
    with pytest.raises(DynamicsError, match="left floating point"):
        integrate([[1, 0], [0, 1]], [0.5, 0.5], 1.0, dynamic="smith")


def test_integrate_reports_an_interrupt():
    def stop(rows, t, x):
        raise KeyboardInterrupt

    tr = integrate(LOGISTIC, [0.5, 0.5], 5.0, n_out=2, observer=stop)
    assert tr.interrupted and not tr.success[0]
    assert not integrate(LOGISTIC, [0.5, 0.5], 5.0, n_out=2).interrupted


@given(
    st.integers(1, 9).flatmap(
        lambda n: st.lists(
            st.lists(st.floats(-50, 50), min_size=n, max_size=n), min_size=1, max_size=6
        )
    )
)
def test_column_loop_kernels_are_numpys_bits(rows):
    # the kernels loop over the columns of short rows for speed; the bits must not change
    from dynamics import _kernels

    z = np.array(rows)
    x = np.abs(z) + 1e-3
    assert np.array_equal(_kernels.row_sum(z), z.sum(axis=1, keepdims=True))
    assert np.array_equal(_kernels.row_max(z), z.max(axis=1, keepdims=True))
    e = np.exp(z - z.max(axis=1, keepdims=True))
    assert np.array_equal(_kernels.softmax(z), e / e.sum(axis=1, keepdims=True))
    m = z.max(axis=1, keepdims=True)
    assert np.array_equal(
        _kernels.logsumexp(z), m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    )
    assert np.array_equal(_kernels.project(x), x / x.sum(axis=1, keepdims=True))
    assert np.array_equal(_kernels.excess(x, z), z - np.sum(x * z, axis=1, keepdims=True))
