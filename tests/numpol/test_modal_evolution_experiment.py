"""The modal-evolution experiment's rows on a small run (the whole runs in ``numpol reproduce``)."""

from __future__ import annotations

import numpy as np
import pytest

from dynamics.modal_evolution import modal_evolution
from numpol.experiments import modal_evolution as experiment
from numpol.registry import experiments


@pytest.fixture(scope="module")
def small():
    pool = experiment.modal_pool()
    ev = modal_evolution(pool, experiment.EPS, starts=12, rng=0)
    return ev, experiment._labels(pool)


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
    claim, table = experiment._finite(ev, names, np.random.default_rng(1))
    assert claim.id == "X-MOD-03" and claim.agrees, claim.simulation
    assert len(table.rows) == len(experiment.EPS)


def test_survivors_row_shape(small):
    ev, names = small
    claim, table = experiment._survivors(ev, names)
    assert claim.id == "X-MOD-02"
    assert [r[0] for r in table.rows] == [str(e) for e in experiment.EPS]
