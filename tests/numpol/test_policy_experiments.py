"""The fast policy experiment runs and every row it returns agrees."""

import numpy as np

from numpol.experiments.policy import EXPERIMENTS


def test_policy_tax_experiment_claims_agree():
    (exp,) = [e for e in EXPERIMENTS if e.id == "policy-tax"]
    res = exp.run(np.random.default_rng(3))
    assert [c.id for c in res.claims] == ["AE-01", "AE-02", "AE-03"]
    assert all(c.agrees for c in res.claims)


def test_every_owned_catalogue_id_has_an_experiment_title():
    titles = " ".join(e.title for e in EXPERIMENTS)
    for key in ("AE-01", "AE-04", "SED-01", "SED-03"):
        assert key in titles
