"""The evolution experiment's fast parts (the whole experiment runs in ``numpol reproduce``)."""

from __future__ import annotations

import numpy as np

from numpol.experiments import evolution
from numpol.registry import experiments


def test_registered():
    assert {"evolution", "evolution-basins"} <= set(experiments())


def test_rest_points_row():
    res = evolution._rest_points(np.random.default_rng(0))
    (claim,) = res.claims
    assert claim.id == "MC-09" and claim.agrees
    assert len(res.tables[0].rows) == 8
    assert sum(r[4] == "yes" for r in res.tables[0].rows) == 3  # the seed's three equilibria


def test_stability_row():
    (claim,) = evolution._stability(np.random.default_rng(1)).claims
    assert claim.id == "MC-10" and claim.agrees, claim.simulation
