"""Every follower equilibrium on a labour grid: against an exhaustive search over profiles, the
exact equilibrium, a case with several equilibria, bad input."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theory.errors import PolicyError
from theory.policy.brute_force import grid_follower_equilibria
from theory.policy.economy import (
    DEFAULT_INCOMES,
    PRESETS,
    Preferences,
    calibrate_skills,
    crra,
    follower_equilibrium,
)
from theory.policy.tax import TaxSchedule, free_market, us_federal_2018


def every_profile(schedule, w, p, top, points, nash):
    """The equilibria by exhaustion: every profile of grid levels, every unilateral deviation.

    Independent of the rebate-interval sweep: no intervals, no bisection, no cells.
    """
    n = len(w)
    grid = np.linspace(0.0, 1.0, points)[None, :] * np.asarray(top, dtype=float)[:, None]
    z = np.asarray(w, dtype=float)[:, None] * grid
    T = np.asarray(schedule.taxes(z.ravel()), dtype=float).reshape(z.shape)
    own = 1.0 if nash else 0.0  # the share of its own tax an agent sees come back, times N
    out = []
    rows = np.arange(n)
    for prof in itertools.product(range(points), repeat=n):
        idx = np.array(prof)
        others = T[rows, idx].sum() - own * T[rows, idx]  # taxes whose rebate is taken as given
        c = z - T + (own * T + others[:, None]) / n  # consumption at every deviation
        with np.errstate(divide="ignore", invalid="ignore"):
            u = crra(np.maximum(c, 0.0), p.eta) - p.kappa * grid**p.gamma
        u = np.where(np.isnan(u), -np.inf, u)
        best = u.max(axis=1)
        if np.all(u[rows, idx] >= best - 1e-9 * np.maximum(1.0, np.abs(best))):
            out.append(prof)
    return out


@st.composite
def small_economies(draw):
    n = draw(st.integers(2, 3))
    eta = draw(st.sampled_from([0.0, 0.23, 0.5, 1.0, 2.0]))
    gamma = draw(st.sampled_from([1.0, 2.0] if eta > 0 else [2.0]))
    kappa = draw(st.floats(0.1, 1.5))
    cuts = sorted(draw(st.lists(st.floats(0.5, 30.0), min_size=2, max_size=2, unique=True)))
    rates = draw(st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3))
    w = draw(st.lists(st.floats(1.0, 10.0), min_size=n, max_size=n))
    top = draw(st.lists(st.floats(1.0, 8.0), min_size=n, max_size=n))
    return (
        TaxSchedule([0.0, *cuts], rates),
        w,
        Preferences(eta, kappa, gamma),
        top,
        draw(st.integers(3, 7)),
        draw(st.booleans()),
    )


@settings(max_examples=60, deadline=None)
@given(small_economies())
def test_the_sweep_finds_exactly_the_equilibria_of_an_exhaustive_search(economy):
    schedule, w, p, top, points, nash = economy
    eqs = grid_follower_equilibria(schedule, w, p, labour_max=top, points=points, nash=nash)
    assert list(eqs.profiles) == every_profile(schedule, w, p, top, points, nash)


def test_several_equilibria_one_agent_works_the_other_lives_on_the_rebate():
    # high regressive rates (96 %, 75 %, 34 %) and log utility, γ = 1: whoever works pays most
    # of it to the other, so exactly one of the two works; two equilibria, mirror images
    s = TaxSchedule([0.0, 1.855, 2.790], [0.963, 0.753, 0.338])
    p = Preferences(1.0, 1.2567, 1.0)
    w, top = [4.4806, 4.0528], [7.1211, 3.9313]
    eqs = grid_follower_equilibria(s, w, p, labour_max=top, points=5)
    assert eqs.profiles == ((0, 1), (1, 0))
    assert eqs.profiles == tuple(every_profile(s, w, p, top, 5, True))
    assert len(eqs) == 2 and list(eqs) == list(eqs.profiles)
    assert eqs.labour.shape == eqs.income.shape == (2, 2)


@pytest.mark.parametrize("name", sorted(PRESETS))
@pytest.mark.parametrize("schedule", [free_market(), us_federal_2018()], ids=["free", "US"])
def test_the_exact_equilibrium_is_the_unique_one_on_the_grid(name, schedule):
    p = PRESETS[name]
    w = calibrate_skills(DEFAULT_INCOMES, p)
    eq = follower_equilibrium(schedule, w, p)
    eqs = grid_follower_equilibria(schedule, w, p, labour_max=1.5 * eq.labour + 1)
    assert len(eqs) == 1 and not eqs.at_top
    # the grid optimum of a concave problem lies within a grid step of the continuous one
    # (one step per agent, plus the rebate's shift from the others' rounding, well below it)
    assert np.max(np.abs(eqs.income[0] - eq.income)) <= eqs.spacing


def test_price_taking_agents_and_a_closed_form():
    # one_step (η = 0, κ = 1, γ = 2), flat 50 % tax, price-taking: l = (1 − τ) w / 2 exactly
    s, p = TaxSchedule([0.0], [0.5]), PRESETS["one_step"]
    eqs = grid_follower_equilibria(s, [2.0, 4.0], p, labour_max=[1.0, 2.0], points=5, nash=False)
    assert eqs.labour.tolist() == [[0.5, 1.0]]
    assert eqs.income.tolist() == [[1.0, 4.0]]


def test_a_grid_too_short_is_flagged():
    p = PRESETS["one_step"]
    eqs = grid_follower_equilibria(free_market(), [10.0, 20.0], p, labour_max=[1.0, 1.0])
    assert len(eqs) == 1 and eqs.at_top


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"skills": [1.0]}, "skills"),
        ({"skills": [1.0, -2.0]}, "skills"),
        ({"skills": [1.0, np.nan]}, "skills"),
        ({"labour_max": [1.0]}, "labour_max"),
        ({"labour_max": [1.0, 0.0]}, "labour_max"),
        ({"points": 1}, "points"),
        ({"points": 2.5}, "points"),
        ({"points": True}, "points"),
        ({"schedule": [0.1, 0.2]}, "schedule"),
    ],
)
def test_bad_input_names_the_argument(kw, match):
    args = {
        "schedule": us_federal_2018(),
        "skills": [1.0, 2.0],
        "preferences": PRESETS["one_step"],
        "labour_max": [1.0, 2.0],
        "points": 5,
    }
    args.update(kw)
    schedule, skills, prefs = args.pop("schedule"), args.pop("skills"), args.pop("preferences")
    with pytest.raises(PolicyError, match=match):
        grid_follower_equilibria(schedule, skills, prefs, **args)


def test_added_levels_join_the_grid_and_the_exact_equilibrium_is_found_there():
    p = PRESETS["mix"]
    w = calibrate_skills(DEFAULT_INCOMES, p)
    eq = follower_equilibrium(us_federal_2018(), w, p)
    eqs = grid_follower_equilibria(
        us_federal_2018(), w, p, labour_max=2 * eq.labour + 1, points=51, levels=eq.labour
    )
    assert eqs.grid.shape == (4, 52)
    assert eqs.labour.tolist() == [eq.labour.tolist()]  # the exact profile, and only it
    # a level equal to a grid level does not count its profile twice
    base = grid_follower_equilibria(us_federal_2018(), w, p, labour_max=[4.0] * 4, points=5)
    dup = grid_follower_equilibria(
        us_federal_2018(), w, p, labour_max=[4.0] * 4, points=5, levels=[1.0, 2.0, 3.0, 4.0]
    )
    assert dup.labour.tolist() == base.labour.tolist()


@pytest.mark.parametrize("levels", [[1.0], [1.0, 3.0], [1.0, np.inf], [[1.0, -1.0], [1.0, 1.0]]])
def test_bad_levels_are_refused(levels):
    with pytest.raises(PolicyError, match="levels"):
        grid_follower_equilibria(
            us_federal_2018(),
            [1.0, 2.0],
            PRESETS["one_step"],
            labour_max=[2.0, 2.0],
            levels=levels,
        )
