"""X-AE-GB2..GB5: the judgement's yes / no / open cases on a tiny run with planted outcomes,
and the rendering."""

from __future__ import annotations

from dataclasses import replace

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from dynamics.economy.gather_build import GatherBuild  # noqa: E402
from dynamics.economy.gather_build_training import scaled_us_cutoffs  # noqa: E402
from dynamics.economy.training import TwoPhaseCurriculum  # noqa: E402
from numpol.experiments.gather_build_learning import (  # noqa: E402
    GatherBuildComparison,
    compute_gather_build_learning,
    interval,
    judge_gather_build_learning,
    render_gather_build_learning,
)

WORLD = GatherBuild(
    size=6, steps=20, tax_periods=2, patches=1, patch=2, prices=4, cutoffs=scaled_us_cutoffs(10)
)
PLAN = TwoPhaseCurriculum(free_steps=2, joint_steps=2, anneal_steps=1, schedules=2, repeats=2)


@pytest.fixture(scope="module")
def run() -> GatherBuildComparison:
    return compute_gather_build_learning(
        np.random.default_rng(0), world=WORLD, curriculum=PLAN, seeds=3, episodes=4
    )


def _planted(run: GatherBuildComparison, planner_welfare: float) -> GatherBuildComparison:
    """Baselines' eq·prod around 10 (seed-to-seed noise ±0.3), the planner's as given."""
    ev = run.evaluation
    w = np.full(ev.welfare.shape, 10.0) + np.linspace(-0.3, 0.3, ev.welfare.shape[1])[:, None]
    w[3] = planner_welfare + np.linspace(-0.3, 0.3, ev.welfare.shape[1])[:, None]
    return replace(run, evaluation=replace(ev, welfare=w))


def test_the_planner_row_says_yes_no_and_open(run: GatherBuildComparison) -> None:
    by = {c.id: c for c in judge_gather_build_learning(_planted(run, 12.0))}
    assert by["X-AE-GB2"].seed_holds == "yes" and by["X-AE-GB2"].agrees
    by = {c.id: c for c in judge_gather_build_learning(_planted(run, 8.0))}
    assert by["X-AE-GB2"].seed_holds == "no"
    noisy = _planted(run, 10.0)
    w = noisy.evaluation.welfare.copy()
    w[3] += np.array([3.0, -3.0, 0.5])[:, None]
    noisy = replace(noisy, evaluation=replace(noisy.evaluation, welfare=w))
    assert {c.id: c for c in judge_gather_build_learning(noisy)}["X-AE-GB2"].seed_holds == "open"


def test_the_occupation_rows(run: GatherBuildComparison) -> None:
    ev = run.evaluation
    act = np.zeros_like(ev.activity)
    act[..., 0, 0] = 1  # agent 0 builds, agent 1 gathers, others idle: the same everywhere
    act[..., 1, 1] = 3
    by = {
        c.id: c
        for c in judge_gather_build_learning(replace(run, evaluation=replace(ev, activity=act)))
    }
    assert by["X-AE-GB4"].seed_holds == "yes" and by["X-AE-GB5"].seed_holds == "yes"
    act2 = act.copy()
    act2[3, 0, 0] = 0  # one episode with everyone idle
    by = {
        c.id: c
        for c in judge_gather_build_learning(replace(run, evaluation=replace(ev, activity=act2)))
    }
    assert by["X-AE-GB5"].seed_holds == "no"
    by = {
        c.id: c
        for c in judge_gather_build_learning(
            replace(run, evaluation=replace(ev, activity=np.zeros_like(act)))
        )
    }
    assert by["X-AE-GB4"].seed_holds == "no"


def test_a_broken_ledger_disagrees(run: GatherBuildComparison) -> None:
    bad = replace(run, evaluation=replace(run.evaluation, ledger_gap=1.0))
    assert not any(c.agrees for c in judge_gather_build_learning(bad))


def test_interval() -> None:
    m, lo, hi = interval(np.array([1.0, 1.0, 1.0]))
    assert m == lo == hi == 1.0
    m, lo, hi = interval(np.array([0.0, 2.0]))
    assert lo < 0 < 2 < hi  # t with 1 degree of freedom: 12.7 × 1


def test_render(run: GatherBuildComparison) -> None:
    tables, figures = render_gather_build_learning(run)
    assert len(tables) == 2 and len(tables[0].rows) == 4
    assert [name for name, _ in figures] == [
        "gather_build_learning_curves",
        "gather_build_schedules",
        "gather_build_tradeoff",
        "gather_build_learned_frame",
    ]


def test_the_top_rate_row(run: GatherBuildComparison) -> None:
    ev = run.evaluation
    idx = ev.rate_indices.copy()
    idx[3] = 10  # the planner taxes every bracket at 100 %: above US federal (<= 40 %) and Saez
    idx[2] = 0
    by = {
        c.id: c
        for c in judge_gather_build_learning(replace(run, evaluation=replace(ev, rate_indices=idx)))
    }
    assert by["X-AE-GB6"].seed_holds == "yes"
    idx[3] = 0  # no tax at all: below US federal
    by = {
        c.id: c
        for c in judge_gather_build_learning(replace(run, evaluation=replace(ev, rate_indices=idx)))
    }
    assert by["X-AE-GB6"].seed_holds == "no"
