"""The harvest-learning experiment's judgements (X-SED-L1..L3, X-SED-08) on a short run, each
with the case where it must say "no"."""

from __future__ import annotations

from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from numpol.experiments.harvest_learning import (  # noqa: E402
    EXPERIMENTS,
    HarvestLearningEvidence,
    compute_harvest_learning,
    judge_depleted,
    judge_mean_field,
    judge_nash,
    judge_regrowth_core,
    render_harvest_learning,
)


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


def test_render(ev: HarvestLearningEvidence) -> None:
    tables, figures = render_harvest_learning(ev)
    assert len(tables[0].rows) == 2
    assert [name for name, _ in figures] == [
        "harvest_learning_curves",
        "harvest_frame",
        "harvest_learned_bistability",
        "harvest_dead_cells",
    ]
    plt.close("all")
