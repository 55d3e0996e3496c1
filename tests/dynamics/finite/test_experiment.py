"""The finite-population experiments run and produce their claim rows (MC-14, X-FIN-01)."""

import numpy as np
import pytest

from numpol.experiments.finite_populations import EXPERIMENTS


@pytest.mark.slow
def test_experiments_produce_agreeing_rows():
    ids = []
    for exp in EXPERIMENTS:
        res = exp.run(np.random.default_rng(0))
        ids += [c.id for c in res.claims]
        assert all(c.agrees for c in res.claims), [c.simulation for c in res.claims]
        assert res.figures and res.tables
    assert ids == ["MC-14", "X-FIN-01"]
