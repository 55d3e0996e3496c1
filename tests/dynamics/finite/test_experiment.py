"""The finite-population experiments run end to end on reduced sizes (the full sizes run in
``numpol reproduce``) and produce their claim rows, MC-14 and X-FIN-01."""

import numpy as np

import numpol.experiments.finite_populations as fp


def test_experiments_produce_agreeing_rows(monkeypatch):
    monkeypatch.setattr(fp, "AGENT_SIZES", (100, 400, 1600))
    monkeypatch.setattr(fp, "RUNS", 30)
    monkeypatch.setattr(fp, "EPSILONS", ("1/20", "2/5"))
    monkeypatch.setattr(fp, "SML_N", 12)
    ids = []
    for exp in fp.EXPERIMENTS:
        res = exp.run(np.random.default_rng(0))
        ids += [c.id for c in res.claims]
        assert all(c.agrees for c in res.claims), [c.simulation for c in res.claims]
        assert res.figures and res.tables
    assert ids == ["MC-14", "X-FIN-01"]
