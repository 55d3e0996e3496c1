"""The Gather-and-Build experiment's judgement (X-AE-GB1), on a few short-cut episodes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from numpol.agreement import FLOAT_RTOL
from numpol.experiments.gather_build_world import (
    GatherBuildAudit,
    compute_gather_build,
    judge_gather_build,
    render_gather_build,
)


@pytest.fixture(scope="module")
def audit() -> GatherBuildAudit:
    return compute_gather_build(np.random.default_rng(3), copies=2)


def test_the_accounts_balance_and_the_row_says_yes(audit: GatherBuildAudit) -> None:
    claim = judge_gather_build(audit)
    assert audit.worst <= FLOAT_RTOL
    assert claim.agrees and claim.seed_holds == "yes"
    assert claim.simulation.startswith("2 whole episodes")


def test_the_row_says_no_when_an_account_is_off(audit: GatherBuildAudit) -> None:
    claim = judge_gather_build(replace(audit, worst=10 * FLOAT_RTOL))
    assert not claim.agrees and claim.seed_holds == "no"


def test_the_frame_is_drawn(audit: GatherBuildAudit) -> None:
    ((name, _),) = render_gather_build(audit)
    assert name == "gather_build_frame"
