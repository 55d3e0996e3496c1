"""The learning-planner experiment: its claims, tables and figure, on a tiny curriculum (the
report's own run is `numpol reproduce`)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import numpol.experiments.learning_planner as lp
from numpol.experiments import gather_build_world


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        lp,
        "REPORT_CURRICULUM",
        lp.TwoPhaseCurriculum(
            free_steps=10, joint_steps=30, anneal_steps=10, schedules=4, repeats=2
        ),
    )
    monkeypatch.setattr(lp, "FIXED_STEPS", 20)


def test_the_experiment_reports_six_claims_two_tables_and_a_figure(tiny: None) -> None:
    (exp,) = [e for e in lp.EXPERIMENTS if e.id == "learning-planner"]
    res = exp.run(np.random.default_rng(0))
    assert [c.id for c in res.claims] == [f"X-AE-L{i}" for i in range(1, 7)]
    assert len(res.tables[0].rows) == 2 * lp.RUNS
    assert res.tables[1].title.startswith("AE-04/05 with learning workers")
    assert [name for name, _ in res.figures] == ["learning_planner"]
    assert "Short curriculum" in res.text


def test_the_verdicts_are_computed_from_the_gaps(tiny: None) -> None:
    run = lp.compute_learning_planner(rng=1)
    l1, l2, l3 = lp.judge_learning_planner(run)
    gaps = 1 - run.two_phase_values / run.exact.value
    assert l2.agrees == bool(np.all(gaps <= lp.REPORT_GAP))
    one = 1 - run.one_phase_values / run.exact.value
    assert (l3.seed_holds == "yes") == bool(gaps.max() < one.max() - 1e-12)
    spacing = run.economy.labour_levels[:, 1]
    far = np.abs(run.learned_labour - run.exact_labour) / spacing
    assert l1.agrees == bool(np.all(far <= 1 + 1e-9))
    # the exact values are theory's: the optimum is the best of the whole grid
    assert run.exact.value == run.exact.all_values.max() >= run.two_phase_values.max()


def test_the_gather_build_experiment_checks_the_accounts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gather_build_world, "GB_COPIES", 3)
    (exp,) = [e for e in lp.EXPERIMENTS if e.id == "gather-build-world"]
    res = exp.run(np.random.default_rng(2))
    (claim,) = res.claims
    assert claim.id == "X-AE-GB1" and claim.agrees and claim.seed_holds == "yes"
    assert [name for name, _ in res.figures] == ["gather_build_frame"]


def test_the_judgement_says_no_to_planners_and_workers_far_from_theory(tiny: None) -> None:
    run = lp.compute_learning_planner(rng=1)
    spacing = run.economy.labour_levels[:, 1]
    far = replace(
        run,
        two_phase_values=run.two_phase_values * 0 + run.exact.value * (1 - 2 * lp.REPORT_GAP),
        learned_labour=run.exact_labour + 2 * spacing,  # two labour levels off
    )
    l1, l2, l3 = lp.judge_learning_planner(far)
    assert not l1.agrees and l1.seed_holds == "no"
    assert not l2.agrees and l2.seed_holds == "no"
    assert not l3.agrees  # X-AE-L3's 'agrees' is X-AE-L2's
