"""The harvest-learning experiment's judgements (X-SED-L1..L3, L7, X-SED-08) on a short run,
each with the case where it must say "no"."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from numpol.errors import NumpolError  # noqa: E402
from numpol.experiments.harvest_learning import (  # noqa: E402
    EXPERIMENTS,
    PLANNER_COPIES,
    PLANNER_HAZARDS,
    HarvestLearningEvidence,
    TaxedLearning,
    compute_harvest_learning,
    judge_corrective_tax,
    judge_depleted,
    judge_mean_field,
    judge_nash,
    judge_regrowth_core,
    learned_play,
    render_harvest_learning,
    report_harvest,
)
from theory.commons import HarvesterType  # noqa: E402
from theory.policy.tax import TaxSchedule  # noqa: E402


@pytest.fixture(scope="module")
def ev() -> HarvestLearningEvidence:
    return compute_harvest_learning(np.random.default_rng(7), runs=3, iterations=15, play_steps=200)


def test_evidence_shapes_and_the_registry(ev: HarvestLearningEvidence) -> None:
    assert [e.id for e in EXPERIMENTS] == ["harvest-learning"]
    assert len(ev.taxed) == 2 and ev.runs == 3 and ev.burn == 100
    for tl in ev.taxed:
        assert tl.density.shape == tl.hazard.shape == tl.mean_field.shape == (3,)
        assert tl.training.reward.shape == (15, 3)
    assert ev.depleted.stock.shape == (201, 3, 4)
    assert 0 < ev.depleted_density < 0.5


def test_nash_row_follows_its_numbers(ev: HarvestLearningEvidence) -> None:
    claim = judge_nash(ev)
    assert claim.id == "X-SED-L1" and claim.agrees == judge_mean_field(ev).agrees
    # learned play exactly at the Nash point (tiny spread) holds; far from it does not
    at_nash = tuple(
        replace(
            tl,
            density=float(tl.nash.stock) / tl.harvest.cells + np.array([-1e-3, 0.0, 1e-3]),
            apples=float(tl.nash.harvests[0]) + np.array([-1e-3, 0.0, 1e-3]),
        )
        for tl in ev.taxed
    )
    assert judge_nash(replace(ev, taxed=at_nash)).seed_holds == "yes"
    off = tuple(
        replace(tl, density=tl.density * 0 + 0.9 + np.array([0, 1e-3, 2e-3])) for tl in at_nash
    )
    no = judge_nash(replace(ev, taxed=off))
    assert no.seed_holds == "no" and "4 SE" in no.rule


def test_nash_row_agrees_only_when_the_measurement_is_sound(ev: HarvestLearningEvidence) -> None:
    # the agreement is X-SED-L2's check: learned stock = the grid's own mean field
    same = tuple(replace(tl, density=tl.mean_field + np.array([-1e-3, 0, 1e-3])) for tl in ev.taxed)
    assert judge_nash(replace(ev, taxed=same)).agrees
    off = tuple(replace(tl, density=tl.mean_field + 0.2 + np.array([0, 1e-3, 2e-3])) for tl in same)
    assert not judge_nash(replace(ev, taxed=off)).agrees


def test_mean_field_row_says_no_when_the_stock_is_off(ev: HarvestLearningEvidence) -> None:
    same = tuple(replace(tl, density=tl.mean_field + np.array([-1e-3, 0, 1e-3])) for tl in ev.taxed)
    assert judge_mean_field(replace(ev, taxed=same)).agrees
    off = tuple(replace(tl, density=tl.mean_field + 0.2 + np.array([0, 1e-3, 2e-3])) for tl in same)
    claim = judge_mean_field(replace(ev, taxed=off))
    assert not claim.agrees and claim.id == "X-SED-L2"


def test_depleted_row_compares_fates(ev: HarvestLearningEvidence) -> None:
    claim = judge_depleted(ev)
    assert claim.id == "X-SED-L3"
    # a world where the mean field kills the depleted start but every grid copy survives
    alive = replace(ev.depleted, stock=np.maximum(ev.depleted.stock, 1))
    no = judge_depleted(replace(ev, depleted=alive, mf_depleted=0.0, mf_full=0.4))
    assert not no.agrees and "depleted: grid survives" in no.rule
    dead = replace(ev.depleted, stock=ev.depleted.stock * 0)
    full = replace(ev.full, stock=np.maximum(ev.full.stock, 1))
    yes = judge_depleted(replace(ev, depleted=dead, full=full, mf_depleted=0.0, mf_full=0.4))
    assert yes.agrees
    # one full copy dying while the mean field keeps the full orchard fails the row
    one = full.stock.copy()
    one[-1, 0, 0] = 0
    assert not judge_depleted(
        replace(ev, depleted=dead, full=replace(full, stock=one), mf_depleted=0.0, mf_full=0.4)
    ).agrees


def test_regrowth_row(ev: HarvestLearningEvidence) -> None:
    claim = judge_regrowth_core(ev)
    assert claim.agrees and claim.id == "X-SED-08"
    assert np.all(ev.trials > 1000)
    grown = ev.grown.copy()
    grown[0] = 1
    assert not judge_regrowth_core(replace(ev, grown=grown)).agrees
    grown = ev.grown.copy()
    grown[3] = ev.trials[3] // 10  # 10 %, not 2.5 %
    assert not judge_regrowth_core(replace(ev, grown=grown)).agrees


def test_corrective_arm_and_planner(ev: HarvestLearningEvidence) -> None:
    # c = 0: t* = (qK - c)/(qK + c) = 1, and the logistic Nash at t* is the optimum u = 1/2
    assert ev.corrective.tax == 1 and ev.corrective.training.reward.shape == (15, 3)
    assert sum(ev.corrective.nash.efforts) == Fraction(3, 2)  # r/(2q) = 3/2 apples-effort
    plan = ev.planner
    assert plan.scan_apples.shape == plan.scan_density.shape == (len(PLANNER_HAZARDS), 3)
    assert plan.hazard in PLANNER_HAZARDS and plan.copies == 3 * PLANNER_COPIES
    assert plan.spacing == pytest.approx(0.001)
    assert plan.mf_hazard == ev.optimum.hazard
    # the scan's best is the scan's argmax of the group's harvest
    assert plan.hazard == PLANNER_HAZARDS[int(plan.scan_apples.mean(axis=1).argmax())]
    assert judge_corrective_tax(ev).id == "X-SED-L7"


def test_learned_play_refuses_what_it_cannot_measure() -> None:
    with pytest.raises(NumpolError, match="harvest must be a Harvest"):
        learned_play("orchard", runs=1, iterations=1, play_steps=2)  # type: ignore[arg-type]
    brackets = report_harvest(Fraction(0)).with_schedule(TaxSchedule([0, 10], [0, "1/2"]))
    with pytest.raises(NumpolError, match="one flat rate"):
        learned_play(brackets, runs=1, iterations=1, play_steps=2)
    # the joint reward (σ = 1/2, β = 0): the mean-field Nash of those types is the optimum
    joint = replace(report_harvest(Fraction(0)), types=(HarvesterType(Fraction(1, 2), 0),) * 4)
    tl = learned_play(joint, runs=2, iterations=2, play_steps=20, rng=0)
    assert tl.tax == 0 and tl.nash.stock == 50 and tl.hazard.shape == (2,)


def _arm(tl: TaxedLearning, hazard: float, density: float, apples: float) -> TaxedLearning:
    """An arm with three runs at (hazard, density, apples), a small spread, and learned stock
    equal to the mean field's (a sound measurement)."""
    spread = np.array([-1e-3, 0.0, 1e-3])
    return replace(
        tl,
        hazard=hazard + spread / 10,
        density=density + spread,
        apples=apples + spread,
        mean_field=density + spread,
    )


def _world(
    ev: HarvestLearningEvidence, free: tuple[float, ...], taxed: tuple[float, ...]
) -> HarvestLearningEvidence:
    """The planner at hazard 0.031, density 0.42, 0.33 apples; the arms as given."""
    spread = np.array([-1e-3, 0.0, 1e-3])
    plan = replace(ev.planner, hazard=0.031, density=0.42 + spread, apples=0.33 + spread)
    return replace(
        ev,
        taxed=(_arm(ev.taxed[0], *free), *ev.taxed[1:]),
        corrective=_arm(ev.corrective, *taxed),
        planner=plan,
    )


def test_corrective_row_says_yes_only_for_tragedy_and_cure(ev: HarvestLearningEvidence) -> None:
    over, optimum = (0.040, 0.30, 0.30), (0.031, 0.42, 0.33)
    yes = judge_corrective_tax(_world(ev, over, optimum))
    assert yes.agrees and yes.seed_holds == "yes"
    assert "significantly above the planner's best" in yes.note
    # no tragedy: the untaxed learners already play the optimum
    no = judge_corrective_tax(_world(ev, optimum, optimum))
    assert no.seed_holds == "no" and "Untaxed overharvest: no" in no.simulation
    # overharvest higher on the hazard, but the stock is not lower: not the tragedy
    assert judge_corrective_tax(_world(ev, (0.040, 0.42, 0.33), optimum)).seed_holds == "no"
    # the tragedy, but the tax changes nothing
    same = judge_corrective_tax(_world(ev, over, over))
    assert same.seed_holds == "no" and "toward the optimum: no" in same.simulation
    # toward the optimum but short of it
    short = judge_corrective_tax(_world(ev, over, (0.035, 0.36, 0.31)))
    assert (
        short.seed_holds == "no" and "toward the optimum: yes; reaches it: no" in short.simulation
    )


def test_corrective_row_agrees_only_when_the_measurement_is_sound(
    ev: HarvestLearningEvidence,
) -> None:
    world = _world(ev, (0.040, 0.30, 0.30), (0.031, 0.42, 0.33))
    assert judge_corrective_tax(world).agrees
    off = replace(world.corrective, mean_field=world.corrective.density + 0.2)
    claim = judge_corrective_tax(replace(world, corrective=off))
    assert not claim.agrees and claim.seed_holds == "yes"


def test_render(ev: HarvestLearningEvidence) -> None:
    tables, figures = render_harvest_learning(ev)
    assert len(tables[0].rows) == 2 and len(tables[1].rows) == 5
    assert [name for name, _ in figures] == [
        "harvest_learning_curves",
        "harvest_frame",
        "harvest_learned_bistability",
        "harvest_dead_cells",
        "harvest_corrective_tax",
    ]
    plt.close("all")
