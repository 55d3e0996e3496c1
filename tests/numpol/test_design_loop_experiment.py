"""The design-loop experiment (X-SED-L4..L6): claims, tables and figures on a tiny budget (the
report's own run is `numpol reproduce`), and verdicts that say no when the evidence does."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest

import numpol.experiments.design_loop as dl
from dynamics.commons import DesignHistory


@pytest.fixture(scope="module")
def evidence() -> dl.DesignLoopEvidence:
    with pytest.MonkeyPatch.context() as mp:
        tiny = dict(iterations=1, runs=2, episodes=2, evaluations=2)
        mp.setattr(dl, "SEEDS", 2)
        mp.setattr(dl, "SHORT_ROUNDS", 2)
        mp.setattr(dl, "LONG_ROUNDS", 1)
        mp.setattr(
            dl,
            "SHORT_PLAN",
            replace(dl.SHORT_PLAN, **tiny, deviation_iterations=1, planner_iterations=5),
        )
        mp.setattr(dl, "LONG_PLAN", replace(dl.LONG_PLAN, **tiny))
        mp.setattr(dl, "VOTING_PLAN", replace(dl.VOTING_PLAN, **tiny))
        ev = dl.compute_design_loop(np.random.default_rng(0))
        claims = dl.judge_design_loop(ev)
        from numpol.experiments.design_loop_render import render_design_loop

        tables, figures = render_design_loop(ev)
    assert [c.id for c in claims] == ["X-SED-L4", "X-SED-L5", "X-SED-L6"]
    assert [len(t.rows) for t in tables] == [2, 4]
    assert [name for name, _ in figures] == ["design_loop_rounds", "design_loop_learning"]
    return ev


def _rounds(h: DesignHistory, **changes: object) -> DesignHistory:
    return replace(h, rounds=tuple(replace(r, **changes) for r in h.rounds))  # type: ignore[arg-type]


def test_the_vote_is_the_manipulation_theory_finds(evidence: dl.DesignLoopEvidence) -> None:
    m = evidence.manipulation
    assert m.truth == (0, 0, Fraction(1, 2)) and m.report == 1
    assert {h.rounds[0].eta for h in evidence.truthful} == {Fraction(1, 6)}
    assert {h.rounds[0].eta for h in evidence.strategic} == {Fraction(1, 3)}
    l6 = dl.judge_design_loop(evidence)[2]
    assert l6.agrees and l6.evidence == "by construction"
    # same streams: where the principal's choice is the same, the round is the same
    for a, b in zip(evidence.truthful, evidence.strategic, strict=True):
        if a.rounds[0].choice == b.rounds[0].choice:
            assert np.array_equal(a.rounds[0].stock, b.rounds[0].stock)


def test_l4_says_no_when_taxing_pays_in_short_rounds(evidence: dl.DesignLoopEvidence) -> None:
    l4 = dl.judge_design_loop(evidence)[0]
    d = [np.mean([r.values[0] - r.values[1:].max() for r in h]) for h in evidence.short]
    assert l4.agrees == bool(np.mean(d) >= -dl.K_SE * np.std(d, ddof=1) / np.sqrt(len(d)))
    worse = tuple(
        _rounds(h, values=np.array([0.0, 50.0 + k, 10.0])) for k, h in enumerate(evidence.short)
    )
    assert not dl.judge_design_loop(replace(evidence, short=worse))[0].agrees


def test_l5_says_no_to_a_planner_far_from_the_search(evidence: dl.DesignLoopEvidence) -> None:
    l5 = dl.judge_design_loop(evidence)[1]
    rounds = [r for h in evidence.short for r in h]
    assert l5.agrees == all(r.epsilon <= dl.K_SE * r.epsilon_se for r in rounds)
    off = tuple(_rounds(h, epsilon=5.0, epsilon_se=0.5) for h in evidence.short)
    assert not dl.judge_design_loop(replace(evidence, short=off))[1].agrees
    near = tuple(_rounds(h, epsilon=1.0, epsilon_se=0.5) for h in evidence.short)
    assert dl.judge_design_loop(replace(evidence, short=near))[1].agrees


def test_l6_says_no_when_the_loop_votes_otherwise(evidence: dl.DesignLoopEvidence) -> None:
    wrong = tuple(_rounds(h, eta=Fraction(1, 2)) for h in evidence.strategic)
    assert not dl.judge_design_loop(replace(evidence, strategic=wrong))[2].agrees
