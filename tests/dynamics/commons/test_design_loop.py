"""Social Environment Design's loop: seeded runs, one round by hand, ε and δ, resume, bad input."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import dynamics.commons.design_loop as loop
from dynamics.commons import (
    DesignPlan,
    Harvest,
    harvest_reset,
    round_incomes,
    social_environment_design,
    voted_eta,
)
from dynamics.commons.harvest_learning import (
    harvester_feature_count,
    play_harvesters,
    train_harvesters,
)
from dynamics.errors import ParameterError, ParameterTypeError
from theory.commons import HarvesterType
from theory.policy.tax import TaxSchedule
from theory.policy.voting import AgentTypes
from theory.policy.welfare import welfare_rows

TYPES = (HarvesterType(1, 1), HarvesterType("1/2", "1/2"), HarvesterType(0, 1))
SMALL = Harvest(height=6, width=6, agents=3, view=2, period=10, episode=20, types=TYPES)
GRID = (TaxSchedule([0], [0]), TaxSchedule([0], ["1/2"]), TaxSchedule([0], [1]))
PLAN = DesignPlan(GRID, iterations=2, runs=2, episodes=2, evaluations=2, deviation_iterations=2)


def _same(a: loop.DesignHistory, b: loop.DesignHistory) -> bool:
    return len(a) == len(b) and all(
        np.array_equal(x.stock, y.stock)
        and np.array_equal(x.values, y.values)
        and np.array_equal(x.policies.weights, y.policies.weights)
        and np.array_equal(x.gains, y.gains)
        for x, y in zip(a, b, strict=True)
    )


def test_seeded_runs_are_identical_and_other_seeds_differ() -> None:
    a = social_environment_design(SMALL, PLAN, rounds=2, rng=5, progress=False)
    b = social_environment_design(SMALL, PLAN, rounds=2, rng=5, progress=False)
    c = social_environment_design(SMALL, PLAN, rounds=2, rng=6, progress=False)
    assert _same(a, b)
    assert not _same(a, c)


def test_one_round_equals_the_pieces_called_by_hand() -> None:
    plan = DesignPlan(GRID, iterations=2, runs=2, episodes=2, evaluations=3, deviation_iterations=0)
    out = social_environment_design(SMALL, plan, rounds=1, rng=11, progress=False)
    # the documented streams: rng.spawn(rounds + 1), the first for the first orchard; round 0
    # spawns 2G + 3: trainings, evaluations, planner, play, deviators
    streams = np.random.default_rng(11).spawn(2)
    apples = harvest_reset(SMALL, 1, rng=streams[0]).apples[0]
    assert np.array_equal(out.initial_apples, apples)
    eta = voted_eta([t.selfishness for t in TYPES])
    assert eta == Fraction(1, 2) and out.rounds[0].eta == eta
    sub = streams[1].spawn(2 * len(GRID) + 3)
    values, trained = [], []
    for g, s in enumerate(GRID):
        h = SMALL.with_schedule(s)
        t = train_harvesters(
            h, iterations=2, runs=2, episodes=2, apples=apples, rng=sub[g], progress=False
        )
        p = play_harvesters(h, t, steps=20, runs=2, copies=3, apples=apples, rng=sub[3 + g])
        v = welfare_rows(round_incomes(p.final), "eta", eta=0.5).reshape(2, 3).mean(axis=1)
        values.append(v.mean())
        trained.append(t)
    r = out.rounds[0]
    assert np.allclose(r.values, values, rtol=0, atol=1e-12)
    assert r.choice == r.best == int(np.argmax(values))
    h = SMALL.with_schedule(GRID[r.choice])
    society = trained[r.choice].policies.weights[:3]  # run 0's three agents
    real = play_harvesters(h, loop._society(society), steps=20, runs=1, apples=apples, rng=sub[-2])
    assert np.array_equal(r.stock, real.stock[:, 0, 0])
    assert np.array_equal(r.incomes, round_incomes(real.final)[0])
    assert np.array_equal(r.apples, real.final.apples[0])
    assert r.objective == pytest.approx(0.5 * r.incomes.sum() + 0.5 * r.incomes.min())


def test_the_next_round_starts_from_the_last_orchard_and_policies() -> None:
    out = social_environment_design(SMALL, PLAN, rounds=2, rng=1, progress=False)
    first, second = out.rounds
    assert second.stock[0] == first.stock[-1] == int(first.apples.sum())
    assert out.stocks.tolist() == [int(out.initial_apples.sum()), first.stock[-1], second.stock[-1]]


def test_epsilon_is_zero_exactly_when_the_choice_is_the_grids_best() -> None:
    search = social_environment_design(SMALL, PLAN, rounds=2, rng=2, progress=False)
    for r in search:
        assert r.choice == r.best == int(np.argmax(r.values))
        assert r.epsilon == 0.0 and r.epsilon_se == 0.0
    learning = DesignPlan(
        GRID,
        iterations=2,
        runs=2,
        episodes=2,
        evaluations=2,
        deviation_iterations=0,
        planner="learning",
        planner_iterations=3,
    )
    seen = set()
    for seed in range(6):
        for r in social_environment_design(SMALL, learning, rounds=1, rng=seed, progress=False):
            gap = r.values[r.best] - r.values[r.choice]
            assert r.epsilon == pytest.approx(gap, abs=0) and r.epsilon >= 0
            assert (r.epsilon == 0) == (r.choice == r.best) or gap == 0
            if r.choice != r.best:
                assert r.epsilon_se == pytest.approx(
                    np.hypot(r.value_se[r.best], r.value_se[r.choice])
                )
            seen.add(r.choice == r.best)
            assert r.planner_curve is not None and r.planner_curve.shape == (3,)
    assert seen == {True, False}  # 3 updates are too few to always find the best: both cases


def test_deviation_gains_have_one_entry_per_agent_with_standard_errors() -> None:
    out = social_environment_design(SMALL, PLAN, rounds=1, rng=3, progress=False)
    r = out.rounds[0]
    assert r.gains is not None and r.gains_se is not None
    assert r.gains.shape == r.gains_se.shape == (3,)
    assert np.all(np.isfinite(r.gains)) and np.all(r.gains_se > 0)
    assert r.delta == r.gains.max() and r.delta_se == r.gains_se[np.argmax(r.gains)]
    skipped = DesignPlan(GRID, iterations=1, runs=2, episodes=2, deviation_iterations=0)
    s = social_environment_design(SMALL, skipped, rounds=1, rng=3, progress=False).rounds[0]
    assert s.gains is None and np.isnan(s.delta)


def test_a_deviator_that_does_not_learn_gains_nothing_but_noise() -> None:
    # with a vanishing learning rate the deviator keeps its own policy: world i plays the same
    # profile as the baseline, so the measured gain is noise, within 4 SE of 0 (K_SE's reason)
    tiny = loop.PolicyGradient(1e-12, 0.0)
    plan = DesignPlan(
        GRID[:1],
        iterations=2,
        runs=2,
        episodes=2,
        evaluations=8,
        deviation_iterations=2,
        learner=tiny,
    )
    r = social_environment_design(SMALL, plan, rounds=1, rng=4, progress=False).rounds[0]
    assert r.gains is not None and r.gains_se is not None
    assert np.all(np.abs(r.gains) <= 4 * r.gains_se)


def test_strategic_reports_move_eta_and_truthful_is_the_default() -> None:
    said = [Fraction(1), Fraction(1), Fraction(1)]
    out = social_environment_design(SMALL, PLAN, rounds=1, reports=said, rng=0, progress=False)
    assert out.rounds[0].eta == 1 and out.rounds[0].reports == tuple(said)
    assert voted_eta([0, Fraction(1, 2), 1], "median") == Fraction(1, 2)


def test_resume_by_rounds_equals_an_uninterrupted_run() -> None:
    whole = social_environment_design(SMALL, PLAN, rounds=3, rng=9, progress=False)
    part = social_environment_design(SMALL, PLAN, rounds=1, rng=9, progress=False)
    rest = social_environment_design(SMALL, PLAN, rounds=3, rng=9, progress=False, resume=part)
    assert _same(whole, rest)


def test_ctrl_c_keeps_the_finished_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    real = loop.train_harvesters_under

    def stop_in_round_two(*args: object, **kw: object) -> object:
        calls["n"] += 1
        if calls["n"] > 1:  # the grid is trained in one call per round
            raise KeyboardInterrupt
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(loop, "train_harvesters_under", stop_in_round_two)
    out = social_environment_design(SMALL, PLAN, rounds=3, rng=9, progress=False)
    assert out.interrupted and len(out) == 1
    monkeypatch.setattr(loop, "train_harvesters_under", real)
    rest = social_environment_design(SMALL, PLAN, rounds=3, rng=9, progress=False, resume=out)
    whole = social_environment_design(SMALL, PLAN, rounds=3, rng=9, progress=False)
    assert not rest.interrupted and _same(whole, rest)


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: DesignPlan(GRID, rule="dictator"), ParameterError, "rule must be one of"),
        (lambda: DesignPlan(()), ParameterError, "at least one TaxSchedule"),
        (lambda: DesignPlan((0.5,)), ParameterTypeError, "is not a TaxSchedule"),  # type: ignore[arg-type]
        (
            lambda: DesignPlan((TaxSchedule([0], [0]), TaxSchedule([0, 5], [0, 1]))),
            ParameterError,
            "same number of brackets",
        ),
        (lambda: DesignPlan(GRID, planner="oracle"), ParameterError, "planner must be one of"),
        (lambda: DesignPlan(GRID, runs=1), ParameterError, "runs must be an integer >= 2"),
        (
            lambda: Harvest(agents=2, types=AgentTypes(np.array([0.5, 1.5]), np.array([1, 1]))),
            ParameterError,
            "selfishness must be a number in [0, 1]",
        ),
        (lambda: voted_eta([0.2, 1.2]), ParameterError, "reports must lie in [0, 1]"),
        (lambda: voted_eta([0.2, "x"]), ParameterTypeError, "reports[1] must be a real number"),
        (lambda: voted_eta([0.2, 0.4], "dictator"), ParameterError, "rule must be one of"),
        (lambda: voted_eta([0, 1], "condorcet"), ParameterError, "elects no objective"),
        (
            lambda: social_environment_design(SMALL, PLAN, rounds=1, reports=[0.1, 0.2]),
            ParameterError,
            "one value per agent (3)",
        ),
        (
            lambda: social_environment_design(SMALL, PLAN, rounds=0),
            ParameterError,
            "rounds must be an integer >= 1",
        ),
        (
            lambda: social_environment_design(SMALL, "plan", rounds=1),  # type: ignore[arg-type]
            ParameterTypeError,
            "plan must be a DesignPlan",
        ),
    ],
)
def test_bad_input_raises_the_package_errors(make: object, error: type, words: str) -> None:
    with pytest.raises(error) as info:
        make()  # type: ignore[operator]
    assert words in str(info.value)


def test_resume_refuses_the_history_of_another_plan() -> None:
    part = social_environment_design(SMALL, PLAN, rounds=1, rng=0, progress=False)
    other = DesignPlan(GRID[:2], iterations=2, runs=2, episodes=2, evaluations=2)
    with pytest.raises(ParameterError, match="another commons or plan"):
        social_environment_design(SMALL, other, rounds=2, rng=0, resume=part, progress=False)


def test_a_deviator_from_a_profile_that_rarely_picks_gains_significantly() -> None:
    # everyone mostly stays put (logit 3 on "stay" whatever the observation: it is chosen 80 % of
    # the time, picking 4 %): a deviator that learns to pick where it stands gains apples, far
    # beyond 4 SE (measured: about 9 apples per 20-step round, SE 0.3, after 10 updates)
    h = Harvest(height=6, width=6, agents=2, view=2, period=10, episode=20, density=0.8)
    F = harvester_feature_count(h)
    society = np.zeros((2, F, 6))
    society[:, 0, 0] = 3.0
    plan = DesignPlan(
        GRID[:1],
        runs=2,
        episodes=8,
        evaluations=8,
        deviation_iterations=10,
        learner=loop.PolicyGradient(0.2, 0.0),
    )
    gains, se = loop._deviation_gains(
        h, society, np.ones((6, 6), dtype=bool), plan, np.random.default_rng(0)
    )
    assert np.all(gains > 4 * se) and np.all(gains > 1.0)


def test_schedules_on_an_executor_give_the_same_rounds() -> None:
    from concurrent.futures import ThreadPoolExecutor

    serial = social_environment_design(SMALL, PLAN, rounds=2, rng=7, progress=False)
    with ThreadPoolExecutor(3) as pool:
        parallel = social_environment_design(
            SMALL, PLAN, rounds=2, rng=7, progress=False, executor=pool
        )
    assert _same(serial, parallel)
