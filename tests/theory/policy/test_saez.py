"""Saez rates: the formula, Pareto closed forms, the binned estimator, the model's elasticity."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from theory.errors import PolicyError
from theory.policy.economy import (
    DEFAULT_INCOMES,
    PRESETS,
    Preferences,
    calibrate_skills,
    income_elasticity,
)
from theory.policy.saez import (
    local_pareto_parameter,
    pareto_top_rate,
    saez_rate,
    saez_rates_binned,
    saez_schedule,
    welfare_weights,
)
from theory.policy.tax import US_FEDERAL_2018_CUTOFFS


def _pareto_quantiles(alpha, n):
    q = (np.arange(1, n + 1) - 0.5) / n
    return (1 - q) ** (-1 / alpha)


@given(st.fractions(0, 1), st.fractions(1, 10), st.fractions(0, 5))
def test_saez_rate_formula_exact(G, a, e):
    if G == 1 and a * e == 0:
        return
    assert saez_rate(G, a, e) == (1 - G) / (1 - G + a * e)


def test_rawlsian_pareto_top_rate():
    assert pareto_top_rate(2, Fraction(1, 2)) == Fraction(1, 2)
    assert pareto_top_rate(Fraction(3, 2), Fraction(1, 4), G=Fraction(1, 4)) == Fraction(2, 3)


@pytest.mark.parametrize("alpha", [1.5, 2.0, 3.0])
def test_local_pareto_parameter_recovers_alpha(alpha):
    # z̄(z)/(z̄(z) − z) = α at every z for Pareto(α). On 10^6 midpoint quantiles the tail
    # beyond the last point is missing; the observed error is < 0.6 % for α ≥ 1.5 at z ≤ 5,
    # so 2 % is a bound with margin, not a fit.
    x = _pareto_quantiles(alpha, 1_000_000)
    a = local_pareto_parameter(x, [1.5, 2.0, 5.0])
    assert np.allclose(a, alpha, rtol=0.02)


def test_binned_rates_match_the_formula_on_a_pareto_sample():
    alpha, e = 2.0, 0.5
    x = _pareto_quantiles(alpha, 20_000)
    cut = [0, 2, 4]
    rates = saez_rates_binned(x, cut, e, bin_width=0.5)
    g = welfare_weights(x)
    # independent: the top bracket's bins [4, max), formula with the sample's G and a = α
    zs = np.arange(4.0, x.max(), 0.5)
    G = np.array([g[x > z].mean() for z in zs])
    a = np.array([x[x > z].mean() / (x[x > z].mean() - z) for z in zs])
    assert rates[2] == pytest.approx(np.mean((1 - G) / (1 - G + a * e)), rel=1e-12)
    # the middle bracket [2, 4) against the closed form a = α: the sample's a(z) is within 1 %
    # of α there (see the test above), which moves τ by less than 1 %; 2 % is the bound.
    # (Bins near the sample maximum are not comparable: z̄ − z is a handful of points there.)
    zm = np.arange(2.0, 4.0, 0.5)
    Gm = np.array([g[x > z].mean() for z in zm])
    assert rates[1] == pytest.approx(np.mean((1 - Gm) / (1 - Gm + alpha * e)), rel=0.02)


def test_utilitarian_weights_give_zero_rates():
    assert np.all(saez_rates_binned([1.0, 5.0, 9.0], [0, 3], 1.0, weights="utilitarian") == 0)


@pytest.mark.parametrize(
    ("prefs", "want"),
    [
        (PRESETS["ai_economist"], 1 / 0.23 - 1),
        (PRESETS["one_step"], 1.0),
        (Preferences(0.0, 2.0, 3.0), 0.5),
        (Preferences(0.5, 1.0, 1.0), 1.0),
    ],
)
def test_model_elasticity_closed_forms(prefs, want):
    # γ = 1: z = (s w/κ)^(1/η)/s, e = 1/η − 1;  η = 0: z ∝ s^(1/(γ−1)), e = 1/(γ − 1).
    # Central difference with h = 1e-4 on a smooth function: error O(h²) = 1e-8.
    w = calibrate_skills(DEFAULT_INCOMES, prefs)
    assert income_elasticity(w, prefs) == pytest.approx(want, rel=1e-6)


def test_saez_schedule_is_a_converged_fixed_point():
    p = PRESETS["one_step"]
    w = calibrate_skills(DEFAULT_INCOMES, p)
    out = saez_schedule(US_FEDERAL_2018_CUTOFFS, w, p)
    sched, rounds, change = out.schedule, out.rounds, out.change
    assert change <= 1e-6 and rounds < 30
    assert all(0 <= r <= 1 for r in sched.rates)
    assert sched.rates[0] == 0  # G(0) = 1: nobody is above the bottom in welfare terms


@pytest.mark.parametrize(
    "call",
    [
        lambda: saez_rate(2, 1, 1),
        lambda: saez_rate(0.5, 0, 1),
        lambda: saez_rate(0.5, 1, -1),
        lambda: saez_rate(1, 1, 0),
        lambda: local_pareto_parameter([-1.0], [0.0]),
        lambda: welfare_weights([1.0], "nope"),
        lambda: saez_rates_binned([1.0], [0], -1.0),
        lambda: saez_rates_binned([1.0], [0], 1.0, bin_width=0),
        lambda: saez_rates_binned([1.0], [1], 1.0),
        lambda: income_elasticity([1.0, 2.0], PRESETS["one_step"], rate=1.0),
    ],
)
def test_errors(call):
    with pytest.raises(PolicyError):
        call()


CUT3 = (US_FEDERAL_2018_CUTOFFS[0], US_FEDERAL_2018_CUTOFFS[2], US_FEDERAL_2018_CUTOFFS[4])


def test_saez_schedule_without_a_fixed_point_is_an_error_not_a_silent_iterate():
    # The AI Economist's preferences on 3 brackets: the re-estimation cycles (change 0.039 at
    # round 30, 0.077 at round 60); the round-30 iterate was once reported as "Saez".
    from theory.errors import NoConvergence

    p = PRESETS["ai_economist"]
    w = calibrate_skills(DEFAULT_INCOMES, p)
    with pytest.raises(NoConvergence, match="still move by 0.039"):
        saez_schedule(CUT3, w, p)
    with pytest.raises(NoConvergence, match="after 60 iterations"):
        saez_schedule(CUT3, w, p, rounds=60)
    flagged = saez_schedule(CUT3, w, p, strict=False)
    assert not flagged.converged and flagged.change > 0.01 and flagged.rounds == 30
    # the same preferences on the 7 US brackets do reach a fixed point
    assert saez_schedule(US_FEDERAL_2018_CUTOFFS, w, p).converged


def test_saez_schedule_rejects_bad_rounds():
    p = PRESETS["one_step"]
    w = calibrate_skills(DEFAULT_INCOMES, p)
    with pytest.raises(PolicyError, match="rounds"):
        saez_schedule(CUT3, w, p, rounds=0)
