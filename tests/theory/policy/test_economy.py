"""The labour economy: closed-form best responses, bunching at kinks, KKT, brute force."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theory.errors import PolicyError
from theory.policy.economy import (
    DEFAULT_INCOMES,
    PRESETS,
    Preferences,
    calibrate_skills,
    crra,
    follower_equilibria,
    follower_equilibrium,
)
from theory.policy.tax import TaxSchedule, free_market, us_federal_2018

# Relative KKT residual allowed: the best response is closed-form or bisected to float64
# resolution, so 1e-9 leaves ~7 orders of magnitude for rounding in c^(−η) and l^(γ−1).
KKT_TOL = 1e-9


def test_crra_log_branch_is_the_limit_and_works_below_one():
    c = np.array([0.2, 0.5, 1.0, 3.0])
    assert np.allclose(crra(c, 1.0), np.log(c))  # the AI Economist's np.max(1, c) breaks c < 1
    assert np.allclose(crra(c, 1 - 1e-7), np.log(c), atol=1e-6)
    assert np.allclose(crra(c, 0.0), c - 1)
    assert crra([0.0], 1.0)[0] == -np.inf


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_free_market_reproduces_the_calibrated_incomes(name):
    p = PRESETS[name]
    eq = follower_equilibrium(free_market(), calibrate_skills(DEFAULT_INCOMES, p), p)
    assert np.allclose(eq.income, DEFAULT_INCOMES, rtol=1e-9)
    assert eq.rebate == 0 and eq.converged


@pytest.mark.parametrize("nash", [True, False])
def test_one_step_flat_tax_closed_form(nash):
    w = np.array([1.0, 2.0, 3.0])
    tau = 0.3
    out = follower_equilibrium(TaxSchedule([0], [tau]), w, PRESETS["one_step"], nash=nash)
    s = 1 - tau * (1 - 1 / 3) if nash else 1 - tau
    assert np.allclose(out.labour, s * w / 2, rtol=1e-12)


def test_ai_economist_flat_tax_price_taking_closed_form():
    # price-taking, γ = 1: c^(−η)(1 − τ) w = κ, so c_i = ((1 − τ) w_i / κ)^(1/η) for every
    # agent who works; one who does not (the rebate alone beats that c) has c = rebate
    p = PRESETS["ai_economist"]
    w = calibrate_skills(DEFAULT_INCOMES, p)
    tau = 0.2
    out = follower_equilibrium(TaxSchedule([0], [tau]), w, p, nash=False)
    assert out.converged and out.kkt_residual <= KKT_TOL
    interior = ((1 - tau) * w / p.kappa) ** (1 / p.eta)
    works = out.labour > 0
    assert np.allclose(out.consumption[works], interior[works], rtol=1e-8)
    assert np.all(interior[~works] <= out.rebate) and np.allclose(
        out.consumption[~works], out.rebate
    )
    assert works.sum() == 3  # the least skilled agent stops working at this rate


def test_bunching_at_a_kink_is_found():
    # one-step, w = 2: untaxed income w²/2 = 2; a 90 % rate above 1 makes the cut-off optimal
    sched = TaxSchedule([0, 1], [0, 0.9])
    out = follower_equilibrium(sched, [2.0, 2.0], PRESETS["one_step"], nash=False)
    assert np.allclose(out.income, 1.0, rtol=1e-12)
    assert out.kkt_residual <= KKT_TOL


def test_non_convex_schedule_picks_the_global_bracket():
    # rates falling with income: two local optima; the exact response must be the better one
    sched = TaxSchedule([0, 1], [0.9, 0.0])
    p = PRESETS["one_step"]
    w = np.array([1.8, 1.8])
    out = follower_equilibrium(sched, w, p, nash=False)
    grid = np.linspace(0, 3, 300_001)
    z = w[0] * grid
    c = z - sched.taxes(z) + out.rebate
    u = crra(c, p.eta) - p.kappa * grid**p.gamma
    assert out.utility[0] >= u.max() - 1e-9
    assert abs(out.labour[0] - grid[np.argmax(u)]) < 1e-4


schedules = st.lists(st.floats(0, 1), min_size=7, max_size=7)


@settings(max_examples=25)
@given(schedules, st.sampled_from(sorted(PRESETS)), st.booleans())
def test_random_schedules_satisfy_kkt_and_beat_a_brute_force_grid(rates, name, nash):
    p = PRESETS[name]
    w = calibrate_skills(DEFAULT_INCOMES, p)
    sched = us_federal_2018().with_rates(rates)
    out = follower_equilibrium(sched, w, p, nash=nash)
    if not out.converged:  # a cycling rebate iteration is reported, not hidden
        assert out.fixed_point_residual > 0
        return
    assert out.kkt_residual <= KKT_TOL
    n, theta = len(w), (1 / len(w) if nash else 0.0)
    for i in range(n):
        grid = np.linspace(0, 1.5 * max(out.labour[i], 1e-9) + 1, 20_001)
        z = w[i] * grid
        T = sched.taxes(z)
        E = out.tax.mean() - theta * out.tax[i]
        u = crra(z - (1 - theta) * T + E, p.eta) - p.kappa * grid**p.gamma
        # the exact response is at least as good as every grid point, up to float rounding
        # (1e-9 relative) and the rebate's fixed-point residual δ: the response was computed
        # for a rebate within δ of the final one, and a consumption error δ moves crra_η by at
        # most δ^(1−η)/(1−η) (its steepest part is at c = 0), twice (before and after)
        delta = 2 * out.fixed_point_residual
        shift = 2 * delta ** (1 - p.eta) / (1 - p.eta)
        assert out.utility[i] >= u.max() - 1e-9 * (1 + abs(u.max())) - shift


def test_budget_balances_and_batch_matches_single():
    p = PRESETS["mix"]
    w = calibrate_skills(DEFAULT_INCOMES, p)
    R = np.random.default_rng(5).uniform(0, 1, (4, 7))
    out = follower_equilibria(us_federal_2018().cutoffs, R, w, p)
    assert np.allclose(out.consumption.sum(axis=1), out.income.sum(axis=1), rtol=1e-12)
    for k in range(4):
        one = follower_equilibrium(us_federal_2018().with_rates(R[k]), w, p)
        assert np.allclose(one.income, out.income[k], rtol=1e-9)


def test_nash_agents_work_more_than_price_takers_under_a_tax():
    p = PRESETS["one_step"]
    w = calibrate_skills(DEFAULT_INCOMES, p)
    a = follower_equilibrium(us_federal_2018(), w, p, nash=True)
    b = follower_equilibrium(us_federal_2018(), w, p, nash=False)
    assert np.all(a.labour >= b.labour) and np.any(a.labour > b.labour)


@pytest.mark.parametrize(
    ("call", "err"),
    [
        (lambda: Preferences(-1, 1, 1), PolicyError),
        (lambda: Preferences(0.5, 0, 1), PolicyError),
        (lambda: Preferences(0.5, 1, 0.5), PolicyError),
        (lambda: Preferences(0, 1, 1), PolicyError),
        (lambda: Preferences(float("nan"), 1, 1), PolicyError),
        (lambda: Preferences("a", 1, 1), PolicyError),
        (lambda: calibrate_skills([0.0, 1.0], PRESETS["one_step"]), PolicyError),
        (lambda: follower_equilibrium(free_market(), [1.0], PRESETS["one_step"]), PolicyError),
        (
            lambda: follower_equilibrium(free_market(), [1.0, -1.0], PRESETS["one_step"]),
            PolicyError,
        ),
        (lambda: follower_equilibrium("tax", [1.0, 2.0], PRESETS["one_step"]), PolicyError),
        (
            lambda: follower_equilibria([0, 1], [[0.1]], [1.0, 2.0], PRESETS["one_step"]),
            PolicyError,
        ),
        (lambda: follower_equilibria([0], [[1.1]], [1.0, 2.0], PRESETS["one_step"]), PolicyError),
    ],
)
def test_errors(call, err):
    with pytest.raises(err):
        call()


def test_log_utility_economy_closed_form():
    # η = 1, γ = 2, untaxed: (1/(w l)) w = 2κ l, so l = 1/sqrt(2κ) whatever the skill
    p = Preferences(1.0, 0.5, 2.0)
    out = follower_equilibrium(free_market(), [0.5, 1.0, 7.0], p)
    assert np.allclose(out.labour, 1.0, rtol=1e-12)
    assert out.kkt_residual <= KKT_TOL


def test_a_cycling_rebate_iteration_is_reported_not_hidden():
    # found by a random search over 3000 US-bracket schedules: the best responses jump between
    # brackets as the rebate moves, and the damped iteration keeps cycling
    from theory.policy.principal import evaluate

    p = PRESETS["ai_economist"]
    w = calibrate_skills(DEFAULT_INCOMES, p)
    sched = us_federal_2018().with_rates([0.908, 0.008, 0.981, 0.149, 0.231, 0.732, 0.753])
    out = follower_equilibrium(sched, w, p, max_iter=200)
    assert not out.converged and out.fixed_point_residual > 1.0
    assert evaluate(sched, w, p).objective == -np.inf  # never a candidate for the principal


def test_full_rate_at_the_bottom_gives_a_finite_kkt_residual():
    # τ = 1 below 39.475 and nobody works: c = 0, u'(0) = ∞ times a zero net rate is no gain
    p = PRESETS["ai_economist"]
    sched = us_federal_2018().with_rates([1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0])
    out = follower_equilibrium(sched, calibrate_skills(DEFAULT_INCOMES, p), p, nash=False)
    assert np.all(out.labour == 0) and out.kkt_residual == 0.0
