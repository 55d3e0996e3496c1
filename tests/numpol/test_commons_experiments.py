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
    assert claim.agrees and claim.seed_holds == "yes" and len(evidence.found) > 1


def test_types_judgement_says_no_to_a_run_ending_off_the_enumerated_set(evidence):
    stray = (*evidence.ends, np.full(commons_types.N_AGENTS, 0.123))
    assert not commons_types.judge_types(replace(evidence, ends=stray)).agrees
    assert not commons_types.judge_types(replace(evidence, stable=False)).agrees
    # one equilibrium only, or unconfirmed ones: "can have several" is not shown
    assert commons_types.judge_types(replace(evidence, stable=False)).seed_holds == "no"
    one = replace(evidence, multiple=0, found=evidence.found[:1])
    assert commons_types.judge_types(one).seed_holds == "no"


def _tragedy(**kw):  # type: ignore[no-untyped-def]
    from numpol.experiments.commons import SITES, TragedyEvidence

    base = dict(
        rows=(),
        optimum=0.45,
        one_tax=True,
        cures=True,
        rising=True,
        costless_collapse=True,
        tragedy=True,
        typed_is_optimum=True,
        lumps=tuple(range(100)),
        sims=(("Nash N=5", 0.75, 25, 25.1, 0.1, 0.3),),
        extinct={(SITES, 0.9): 0.0, (SITES, 1.1): 1.0, (200, 0.9): 0.5, (200, 1.1): 1.0},
    )
    base.update(kw)
    return TragedyEvidence(**base)


def test_tragedy_judgement_and_its_no_cases():
    from numpol.experiments.commons import SITES, judge_tragedy

    assert judge_tragedy(_tragedy()).agrees
    assert not judge_tragedy(_tragedy(sims=(("Nash N=5", 0.75, 25, 25.5, 0.5, 0.3),))).agrees
    dies = {(SITES, 0.9): 0.02, (SITES, 1.1): 1.0, (200, 0.9): 0.5, (200, 1.1): 1.0}
    assert not judge_tragedy(_tragedy(extinct=dies)).agrees
    assert not judge_tragedy(_tragedy(cures=False)).agrees
    assert judge_tragedy(_tragedy()).seed_holds == "yes"
    assert judge_tragedy(_tragedy(cures=False)).seed_holds == "no"
    assert judge_tragedy(_tragedy(tragedy=False)).seed_holds == "no"
    assert judge_tragedy(_tragedy(extinct=dies)).seed_holds == "no"


def test_rounds_judgement_says_no_outside_the_tolerance():
    from fractions import Fraction
    from types import SimpleNamespace

    from numpol.experiments.commons_rounds import LENGTHS, RoundsEvidence, judge_rounds

    lim = SimpleNamespace(
        short_stock=Fraction(20), long_stock=Fraction(50), short_tax=0, long_tax=Fraction(1, 2)
    )
    long_run = (20.0,) + (30.0,) * (len(LENGTHS) - 2) + (50.0,)
    ev = RoundsEvidence(
        lim, 50, long_run, (), ((0.5, 20.3, 0.1, lim.short_stock),), (), (1.0, 2.0, 3.0)
    )
    assert judge_rounds(ev).agrees
    far = replace(ev, stochastic=((0.5, 21.5, 0.1, lim.short_stock),))  # 1.5 > 4·0.1 + 1
    assert not judge_rounds(far).agrees
    off = replace(ev, long_run=(20.5, *long_run[1:]))
    assert not judge_rounds(off).agrees


def test_regrowth_judgement_says_no_when_a_full_orchard_dies():
    from numpol.experiments.commons_rounds import RegrowthEvidence, judge_regrowth

    ev = RegrowthEvidence(
        0.035, 0.03, 0.04, 0.5, 1e-13, np.zeros(12, bool), 0.5, np.ones(12, bool), (), ()
    )
    assert judge_regrowth(ev).agrees
    one_dies = np.zeros(12, bool)
    one_dies[3] = True
    assert not judge_regrowth(replace(ev, full_extinct=one_dies)).agrees
    assert not judge_regrowth(replace(ev, sparse_extinct=np.zeros(12, bool))).agrees
    assert judge_regrowth(ev).seed_holds == "yes"
    # an empty window (fold below 3/103), or a mean field that keeps the depleted start: no
    assert judge_regrowth(replace(ev, h_fold=0.02)).seed_holds == "no"
    assert judge_regrowth(replace(ev, mf_sparse=0.3)).seed_holds == "no"
