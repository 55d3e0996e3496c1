"""The commons-types experiment's judgement, including the cases where it must say "no"."""

from dataclasses import replace

import numpy as np
import pytest

from numpol.experiments import commons_types


@pytest.fixture(scope="module")
def evidence() -> commons_types.TypesEvidence:
    return commons_types.compute_types(np.random.default_rng(0))


def test_types_judgement_agrees_on_the_real_run(evidence):
    claim = commons_types.judge_types(evidence)
    assert claim.agrees and claim.seed_holds == "open" and len(evidence.found) > 1


def test_types_judgement_says_no_to_a_run_ending_off_the_enumerated_set(evidence):
    stray = (*evidence.ends, np.full(commons_types.N_AGENTS, 0.123))
    assert not commons_types.judge_types(replace(evidence, ends=stray)).agrees
    assert not commons_types.judge_types(replace(evidence, stable=False)).agrees
