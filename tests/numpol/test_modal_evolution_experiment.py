"""The modal-evolution experiment's rows on a small run (the whole runs in ``numpol reproduce``)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dynamics.modal_evolution import modal_evolution
from numpol.experiments import modal_evolution as experiment
from numpol.experiments import modal_evolution_finite
from numpol.registry import experiments


@pytest.fixture(scope="module")
def small():
    pool = experiment.modal_pool()
    ev = modal_evolution(pool, experiment.EPS, starts=12, rng=0)
    return ev, experiment.pool_labels(pool)


def test_registered():
    assert "modal-evolution" in experiments()


def test_pool_labels(small):
    ev, names = small
    assert len(ev.pool) == 48 and len(names) == 48
    # witnesses are labelled by their moves against D, C, F, P and against themselves
    assert all(n in ev.pool.names or "[" in n for n in names)
    assert names[ev.pool.index("FairBot")] == "FairBot"


def test_invasion_row(small):
    ev, names = small
    claim, table = experiment._invasion(ev, names)
    assert claim.id == "X-MOD-01" and claim.agrees, claim.simulation
    assert claim.seed_holds == "yes"
    # at 1/2 DefectBot invades, at 1/3 it is exactly neutral
    rows = {r[0]: r for r in table.rows}
    assert rows["1/2"][2] == "DefectBot" and rows["1/3"][3] == "DefectBot"


def test_finite_row(small):
    ev, names = small
    claim, table = modal_evolution_finite.finite(ev, names, np.random.default_rng(1))
    assert claim.id == "X-MOD-03" and claim.agrees, claim.simulation
    assert len(table.rows) == len(experiment.EPS)


def test_survivors_row_shape(small):
    ev, names = small
    claim, table = experiment._survivors(ev, names)
    assert claim.id == "X-MOD-02"
    assert [r[0] for r in table.rows] == [str(e) for e in experiment.EPS]


def test_survivors_row_says_no_when_the_basin_grows(small):
    ev, names = small
    # the DefectBot basin growing as eps falls below 1/3: the row disagrees and the claim is no
    n = len(ev.eps)
    growing = tuple((0.1 + 0.8 * k / n, 0.05 + 0.8 * k / n, 0.15 + 0.8 * k / n) for k in range(n))
    claim, _ = experiment._survivors(dataclasses.replace(ev, defect_trapped=growing), names)
    assert not claim.agrees and claim.seed_holds == "no"


def test_finite_row_says_no_without_cooperation(small):
    ev, names = small
    # all long-run time in DefectBot: "very little defection" fails
    stationary = np.zeros_like(ev.stationary)
    stationary[:, ev.pool.index("DefectBot")] = 1.0
    claim, _ = modal_evolution_finite.finite(
        dataclasses.replace(ev, stationary=stationary), names, np.random.default_rng(1)
    )
    assert claim.seed_holds == "no"


def test_mostly_cooperative_rule():
    from fractions import Fraction

    eps = (Fraction(1, 3), Fraction(1, 10), Fraction(1, 20))
    coop = np.array([True, False])
    # only eps <= 1/10 counts, and every such eps must exceed one half
    assert modal_evolution_finite.mostly_cooperative(
        eps, np.array([[0.0, 1.0], [0.6, 0.4], [0.51, 0.49]]), coop
    )
    assert not modal_evolution_finite.mostly_cooperative(
        eps, np.array([[1.0, 0.0], [0.6, 0.4], [0.5, 0.5]]), coop
    )
