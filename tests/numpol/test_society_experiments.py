"""Experiment 2's computation and judgement, on small cases (the full run is in reproduce)."""

from __future__ import annotations

import numpy as np

from numpol.experiments import sugar_spice_society as exp2
from numpol.registry import experiments


def cell(omega, se=0.01, kind="ring", n=8):
    return exp2.GrowthCell(kind, n, omega, se, 0.2, 0.3, 0, 24, (("not converged", 0.8),))


def test_registered():
    assert {"sugar-spice-exp2", "sugar-spice-exploit"} <= set(experiments())


def test_judgement_says_yes_and_no():
    ok = exp2.judge_growth((cell(1.6), cell(2.9, se=0.05)), (), True)
    assert ok.agrees and ok.seed_holds == "open"
    # above the optimum by more than K_SE standard errors: must disagree
    assert not exp2.judge_growth((cell(1.6), cell(3.2, se=0.01)), (), True).agrees
    # within K_SE standard errors of 3 from above is noise, not a violation
    assert exp2.judge_growth((cell(3.02, se=0.01),), (), True).agrees
    # the network theory disagreeing with the pair theory at N = 2: must disagree
    assert not exp2.judge_growth((cell(1.6),), (), False).agrees


def test_small_society_growth_is_measured():
    cells = exp2.society_growth(
        np.random.default_rng(0), sizes=(2, 4), kinds=("complete",), per_agent=200, runs=4
    )
    assert [c.n for c in cells] == [2, 4]
    for c in cells:
        shares = dict(c.shares)
        assert abs(sum(shares.values()) - 1) < 1e-12  # converged policies + not converged
        assert 0 <= c.converged <= 1 and 0 <= c.greedy <= 1 and 0 <= c.fixed_runs <= c.runs
        assert abs(shares["not converged"] - (1 - c.converged)) < 1e-12


def test_attractor_search_finds_fixed_points():
    found = exp2.attractor_search(np.random.default_rng(0), n=6, starts=3)
    assert set(found) == set(exp2.KINDS)
    assert all(sum(c.values()) == 3 for c in found.values())
