"""The policy experiments: compute → judge → render, and judgements that must come out "no"."""

from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest

from numpol.experiments import (
    policy,
    policy_compare,
    policy_equilibria,
    policy_principal,
    policy_weights,
)
from numpol.registry import experiments


def test_policy_tax_experiment_claims_agree():
    (exp,) = [e for e in policy.EXPERIMENTS if e.id == "policy-tax"]
    res = exp.run(np.random.default_rng(3))
    assert [c.id for c in res.claims] == ["AE-01", "AE-02", "AE-03"]
    assert all(c.agrees for c in res.claims)
    assert res.tables and res.text  # the section is not an empty heading
    assert res.claims[1].evidence == "by construction"


def test_every_owned_catalogue_id_has_an_experiment_title():
    titles = " ".join(e.title for e in experiments().values())
    for key in ("AE-01", "AE-04", "SED-01", "SED-03"):
        assert key in titles


@pytest.fixture(scope="module")
def tax_evidence() -> policy.TaxEvidence:
    return policy.compute_tax(np.random.default_rng(0))


def test_tax_judgement_says_no_to_a_wrong_schedule_gap_or_gini(tax_evidence):
    ev = tax_evidence
    assert all(c.agrees for c in policy.judge_tax(ev))
    assert [c.seed_holds for c in policy.judge_tax(ev)] == ["yes", "yes", "yes"]
    wrong_tax = replace(ev, tax_at_cutoffs=(*ev.tax_at_cutoffs[:-1], Fraction(153)))
    assert not policy.judge_tax(wrong_tax)[0].agrees
    assert policy.judge_tax(wrong_tax)[0].seed_holds == "no"  # the verdict is computed too
    gap = replace(ev, budget_gaps=frozenset({Fraction(0), Fraction(1, 4)}))
    assert not policy.judge_tax(gap)[1].agrees
    assert policy.judge_tax(gap)[1].seed_holds == "no"
    far = replace(ev, gini_mc=ev.gini_exact + 5 * ev.gini_se)
    ae03 = policy.judge_tax(far)[2]
    assert not ae03.agrees and "4 SE" in ae03.rule


def test_vote_judgement_says_no_when_the_search_and_the_audit_differ():
    ev = policy.compute_vote(np.random.default_rng(1))
    sed01, sed02 = policy.judge_vote(ev)
    assert sed01.agrees and sed02.agrees
    assert not policy.judge_vote(replace(ev, found_mc=ev.found_mc - {"mean"}))[0].agrees
    # interpolation end points that are not the utilitarian/egalitarian objectives: no
    assert sed02.seed_holds == "yes"
    assert policy.judge_vote(replace(ev, ends=False))[1].seed_holds == "no"
    wrong_nash = dict(ev.exact, nash=float(ev.exact["nash"]) * 1.01)
    assert not policy.judge_vote(replace(ev, exact=wrong_nash))[1].agrees


def test_principal_judgement_is_by_construction_and_fails_if_the_search_misses_the_grid():
    rates = np.zeros(3)
    ev = policy_principal.PrincipalEvidence(
        eta=0.5,
        grid={"p": (rates, 10.0, 1)},
        continuous={"p": (rates, 10.0)},
        baselines={"p": {"free market": 10.0, "US federal": 8.0}},
        saez={},
        sweep=(),
    )
    claim = policy_principal.judge_principal(ev)
    assert claim.agrees and claim.evidence == "by construction"
    worse = replace(ev, continuous={"p": (rates, 9.9)})
    assert not policy_principal.judge_principal(worse).agrees


@pytest.fixture(scope="module")
def one_step() -> policy_compare.CompareEvidence:
    rng = np.random.default_rng(2)
    p = policy_compare.compute_preset("one_step", rng)
    return policy_compare.CompareEvidence({"one_step": p})


def test_compare_restarts_find_the_better_local_optimum(one_step):
    p = one_step.presets["one_step"]
    search = p.outcomes["optimised"].search
    assert search is not None and search.value == pytest.approx(347.857, abs=0.01)
    assert p.outcomes["optimised"].eq_times_prod >= p.grid.value


def test_compare_judgement_and_its_no_cases(one_step):
    ae04, ae05, ae06 = policy_compare.judge_compare(one_step)
    assert ae04.agrees and ae05.agrees and ae06.agrees
    assert ae05.evidence == "by construction" and ae05.seed_holds == "yes"
    assert ae06.seed_holds == "no"  # one_step: the top rate is not above US federal's/Saez's
    p = one_step.presets["one_step"]
    # a grid better than the optimiser: AE-05 must disagree
    better = replace(p.grid, value=p.outcomes["optimised"].eq_times_prod + 1.0)
    ev = replace(one_step, presets={"one_step": replace(p, grid=better)})
    assert not policy_compare.judge_compare(ev)[1].agrees
    # brute-force scores that make the US schedule more productive than the free market
    scores = dict(p.brute_scores, **{"US federal": (1e4, 0.5)})
    ev = replace(one_step, presets={"one_step": replace(p, brute_scores=scores)})
    assert not policy_compare.judge_compare(ev)[0].agrees
    # a grid optimum of another shape: AE-06 must disagree
    top = np.array(p.grid.rates)
    top[:] = 1.0
    ev = replace(one_step, presets={"one_step": replace(p, grid=replace(p.grid, rates=top))})
    assert not policy_compare.judge_compare(ev)[2].agrees
    # the optimised schedule's grid equilibria without the exact one: AE-04, 05, 06 disagree
    e = p.equilibria["optimised"]
    other = replace(e, labour=e.labour + 0.5, income=e.income + 1.0)
    eqs = dict(p.equilibria, optimised=other)
    ev = replace(one_step, presets={"one_step": replace(p, equilibria=eqs)})
    assert not any(c.agrees for c in policy_compare.judge_compare(ev))


def test_compare_every_grid_has_the_exact_equilibrium_and_only_it(one_step):
    p = one_step.presets["one_step"]
    for name, o in p.outcomes.items():
        e = p.equilibria[name]
        assert len(e) == 1 and not e.at_top, name
        assert policy_equilibria.unique_on_grid(e, o.equilibrium.labour).agrees


def test_grid_uniqueness_judgement_and_its_no_cases():
    from theory.policy.brute_force import GridEquilibria

    lab = np.array([[1.0, 2.0], [1.5, 2.0]])
    two = GridEquilibria(((2, 4), (3, 4)), lab, lab * 10, np.zeros((2, 9)), 5.0, False, 7)
    # the exact equilibrium is one of two: agrees, and the rule says which
    a = policy_equilibria.unique_on_grid(two, np.array([1.5, 2.0]))
    assert a.agrees and "#2 of 2" in a.rule
    # not among them, none at all, or an agent at the grid's top: disagrees
    assert not policy_equilibria.unique_on_grid(two, np.array([1.5, 2.5])).agrees
    none = GridEquilibria((), np.empty((0, 2)), np.empty((0, 2)), np.zeros((2, 9)), 5.0, False, 7)
    assert not policy_equilibria.unique_on_grid(none, np.array([1.5, 2.0])).agrees
    assert not policy_equilibria.unique_on_grid(
        replace(two, at_top=True), np.array([1.5, 2.0])
    ).agrees
    both = policy_equilibria.grid_uniqueness(
        {"a": (two, np.array([1.0, 2.0])), "b": (none, np.array([1.0, 2.0]))}
    )
    assert not both.agrees and "several: a" in both.rule and "fails: b" in both.rule


def test_weights_judgement_says_no_to_an_unproved_identity_or_a_gap():
    proved, gap = policy_weights.compute_weights(np.random.default_rng(0))
    assert proved and policy_weights.judge_weights(proved, gap).agrees
    assert not policy_weights.judge_weights(False, gap).agrees
    assert policy_weights.judge_weights(proved, gap).seed_holds == "yes"
    assert policy_weights.judge_weights(False, gap).seed_holds == "no"
    assert not policy_weights.judge_weights(True, 1e-6).agrees
