"""The learning experiments' fast rows (the whole set runs in ``numpol reproduce``)."""

from __future__ import annotations

import numpy as np

from numpol.experiments import learning
from numpol.registry import experiments


def test_registered():
    assert {"learning-fp-modal", "learning-ce-modal", "learning-chicken",
            "learning-fp-limits"} <= set(experiments())


def test_chicken_row():
    (claim,) = learning._chicken(np.random.default_rng(0)).claims
    assert claim.id == "X-LRN-03" and claim.agrees, claim.simulation
    assert "21/2" in claim.theory and "28/3" in claim.theory


def test_modal_ce_row():
    res = learning._modal_ce(np.random.default_rng(0))
    (claim,) = res.claims
    assert claim.id == "X-LRN-02" and claim.agrees and claim.seed_holds == "yes"
    # the best CE payoff is exactly the good equilibrium's 2 - eps
    assert all(row[1] == row[2] for row in res.tables[0].rows)
