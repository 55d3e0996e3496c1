"""Rows X-POP-01, X-GRP-01, X-GRP-02 (numpol.experiments.populations_groups)."""

from __future__ import annotations

import numpy as np
import pytest

from numpol.experiments import populations_groups as pg
from numpol.registry import experiments


def test_registered():
    assert {"pop-pennies", "grp-public-goods", "grp-stag-hunt"} <= set(experiments())


@pytest.mark.parametrize(
    ("run", "row"),
    [
        (pg._run_pennies, "X-POP-01"),
        (pg._run_public_goods, "X-GRP-01"),
        (pg._run_stag_hunt, "X-GRP-02"),
    ],
)
def test_rows_agree_and_hold(run, row):
    res = run(np.random.default_rng(3))
    (claim,) = res.claims
    assert claim.id == row and claim.agrees and claim.seed_holds == "yes", claim
    assert len(res.tables) == 1 and res.tables[0].rows


def test_the_chain_simulation_can_tell_neutral_from_below_neutral():
    # a neutral chain (up = down) fixes from 1 with probability 1/N: the rule's simulation side
    # finds it, and it is far above the public goods value the row checks
    N = 10
    up = np.where(np.arange(N + 1) < N, 0.3, 0.0)
    down = np.where(np.arange(N + 1) > 0, 0.3, 0.0)
    hits = pg._absorbed_at_top(up, down, 1, 20_000, np.random.default_rng(0))
    from dynamics.basins import wilson_interval

    lo, hi = wilson_interval(hits, 20_000)
    assert lo <= 1 / N <= hi
