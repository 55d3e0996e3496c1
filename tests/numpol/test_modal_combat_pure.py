"""MC-05's judgement: computed verdicts, including the cases where they must come out "no"."""

from dataclasses import replace

import pytest

from modal import Agent, FairBot
from numpol.experiments.modal_combat_pure import (
    mc05_claim,
    mc05_verdict,
    pure_equilibrium_evidence,
)

LEMMA = ((304, 302, "A with X"), (99, 4, "B with Y"))


@pytest.fixture(scope="module")
def evidence():  # type: ignore[no-untyped-def]
    return pure_equilibrium_evidence(True, "test bound", LEMMA)


def test_seed_language_is_open_and_agrees(evidence) -> None:  # type: ignore[no-untyped-def]
    c = mc05_claim(evidence, True, "re-check")
    assert c.id == "MC-05" and c.seed_holds == "open" and c.agrees
    assert evidence.pairs.all_refuted and "at any eps > 0" in c.theory
    assert "302 pairs at k = 1" in c.note and "4 at k = 2" in c.note
    assert "FALSE" in c.note  # the self atom's counterexample is reported beside the verdict


def test_verdict_no_on_a_counterexample(evidence) -> None:  # type: ignore[no-untyped-def]
    # a modified agent set: agents may use the self atom; the search certifies (X, X)
    assert mc05_verdict(True, evidence.self_atom) == "no"
    c = mc05_claim(replace(evidence, seed_language=evidence.self_atom), True, "re-check")
    assert c.seed_holds == "no"
    # the enumeration finding another pure equilibrium is a "no" as well
    assert mc05_verdict(False, evidence.seed_language) == "no"
    assert mc05_claim(replace(evidence, only_defect=False), True, "x").seed_holds == "no"


def test_disagreement_when_a_check_fails(evidence) -> None:  # type: ignore[no-untyped-def]
    bad = replace(evidence.check, unexploited=((FairBot, Agent("Y", FairBot.formula)),))
    assert not mc05_claim(replace(evidence, check=bad), True, "x").agrees
    outside = replace(evidence.check, outside=1)
    assert not mc05_claim(replace(evidence, check=outside), True, "x").agrees
    assert not mc05_claim(evidence, False, "DIFFERENT round robin").agrees
