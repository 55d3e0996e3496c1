"""Voting on η: the seed's mean rule, the other rules, their axioms and manipulability."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from theory.errors import PolicyError, PolicyTypeError
from theory.policy.voting import (
    DEFAULT_CANDIDATES,
    audit_rules,
    borda,
    condorcet,
    draw_types,
    eta_mean_selfishness,
    eta_median,
    find_manipulation,
    is_anonymous,
    is_monotone,
    is_unanimous,
    plurality,
    threshold_vote,
)

profiles = st.lists(st.fractions(0, 1), min_size=1, max_size=7)


def test_draw_types_is_seeded_and_uniform():
    a, b = draw_types(500, rng=3), draw_types(500, rng=3)
    assert np.array_equal(a.selfishness, b.selfishness) and np.array_equal(a.trust, b.trust)
    assert not np.array_equal(a.selfishness, draw_types(500, rng=4).selfishness)
    # uniform[0,1] mean 1/2, SE = sqrt(1/12/500) ≈ 0.0129: 4 SE
    assert abs(a.selfishness.mean() - 0.5) < 4 * (1 / 12 / 500) ** 0.5
    assert abs(a.trust.mean() - 0.5) < 4 * (1 / 12 / 500) ** 0.5


@given(profiles)
def test_mean_rule_is_the_seeds_average_selfishness(s):
    assert eta_mean_selfishness(s) == sum(s) / len(s)


@given(st.lists(st.fractions(0, 1), min_size=1, max_size=7).filter(lambda s: len(s) % 2 == 1))
def test_condorcet_is_the_median_voters_favourite_for_odd_n(s):
    med = eta_median(s)
    best = min(DEFAULT_CANDIDATES, key=lambda c: (abs(c - med), c))
    assert condorcet(s) == best


def test_rules_on_hand_profiles():
    assert eta_median([0, 1]) == Fraction(1, 2)
    assert threshold_vote([0.9, 0.1]) == Fraction(1, 2)
    assert threshold_vote([0.2, 0.1, 0.9]) == 0
    assert threshold_vote([0.5, 0.5], threshold=1) == 0
    assert plurality([0, 0, 1]) == 0
    assert plurality([1, 1, 0]) == 1
    assert borda([1, 1, 1]) == 1
    assert condorcet([0, 1]) is None


@pytest.mark.slow
def test_axioms_and_manipulability_of_every_rule():
    audits = {a.rule: a for a in audit_rules(3)}
    assert all(a.anonymous for a in audits.values())
    assert all(a.unanimous for a in audits.values())
    assert {r for r, a in audits.items() if a.strategy_proof} == {"median", "condorcet"}
    assert {r for r, a in audits.items() if not a.monotone} == {"plurality", "borda"}


@pytest.mark.parametrize("rule", [eta_mean_selfishness, threshold_vote, plurality, borda])
def test_manipulations_found_are_real(rule):
    m = find_manipulation(rule, 3)
    assert m is not None
    truth = list(m.truth)
    lie = [*truth[: m.agent], m.report, *truth[m.agent + 1 :]]
    sigma = truth[m.agent]
    assert rule(truth) == m.honest_outcome and rule(lie) == m.manipulated_outcome
    assert abs(rule(lie) - sigma) < abs(rule(truth) - sigma)


def test_median_is_strategy_proof_for_odd_n_but_the_averaged_median_is_not():
    grid = [Fraction(k, 4) for k in range(5)]
    for n in (1, 3, 5):
        assert find_manipulation(eta_median, n, grid) is None
    # even n: the mean of the two middle reports is a mean, hence manipulable
    for n in (2, 4):
        assert find_manipulation(eta_median, n, grid) is not None


def test_non_anonymous_rule_is_detected():
    dictator = lambda s: s[0]  # noqa: E731
    assert not is_anonymous(dictator, 2)
    assert is_unanimous(dictator, 2) and is_monotone(dictator, 2)
    assert find_manipulation(dictator, 2) is None
    assert not is_monotone(lambda s: 1 - eta_mean_selfishness(s), 2)
    assert not is_unanimous(lambda s: Fraction(1, 2), 2)


@pytest.mark.parametrize(
    ("call", "err"),
    [
        (lambda: draw_types(0), PolicyError),
        (lambda: draw_types(2.5), PolicyError),
        (lambda: eta_mean_selfishness([]), PolicyError),
        (lambda: eta_mean_selfishness([1.5]), PolicyError),
        (lambda: eta_mean_selfishness([float("nan")]), PolicyError),
        (lambda: eta_mean_selfishness(["a"]), PolicyTypeError),
        (lambda: eta_median([-1]), PolicyError),
        (lambda: threshold_vote([0.5], threshold=2), PolicyError),
        (lambda: plurality([0.5], candidates=[0, 0]), PolicyError),
        (lambda: borda([0.5], candidates=[0, 2]), PolicyError),
        (lambda: find_manipulation(eta_median, 9), PolicyError),
        (lambda: find_manipulation(eta_median, 2, [0.5, 1.0]), PolicyError),
        (lambda: is_anonymous(eta_median, 0), PolicyError),
    ],
)
def test_errors(call, err):
    with pytest.raises(err):
        call()
