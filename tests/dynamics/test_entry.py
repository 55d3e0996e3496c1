"""The best-response entry model: exact ties, tie rules, the seed's claims."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from dynamics.entry import best_response_entry, count_grid
from dynamics.errors import ParameterError
from modal import SEED_AGENTS
from theory.modal_game import modal_game

D, C, F, P = range(4)


def test_entrants_by_hand():
    A = modal_game(SEED_AGENTS, "1/10")
    # counts (1, 1, 3, 3): payoffs x8 = D 10, C 8, F 14.2, P 14.4 -> PrudentBot
    run = best_response_entry(A, [1, 1, 3, 3], 1)
    assert run.entrants.tolist() == [[P]]
    assert run.final.tolist() == [[1, 1, 3, 4]]


def test_exact_ties_are_ties():
    # 1/10 + 2/10 == 3/10 exactly, not in floats: both strategies tie against (1, 1)
    A = [[Fraction(1, 10), Fraction(2, 10)], [Fraction(3, 10), 0]]
    first = best_response_entry(A, [1, 1], 1, tie="first")
    last = best_response_entry(A, [1, 1], 1, tie="last")
    assert first.entrants[0, 0] == 0 and last.entrants[0, 0] == 1
    picks = best_response_entry(A, np.tile([1, 1], (400, 1)), 1, tie="random", rng=1)
    # a fair coin over 400 runs: 200 +- 3 SD (SD = 10)
    assert 170 < np.sum(picks.entrants[:, 0] == 0) < 230


def test_random_ties_are_reproducible():
    A = [[1, 1], [1, 1]]
    a = best_response_entry(A, [[1, 1]] * 5, 20, tie="random", rng=4)
    b = best_response_entry(A, [[1, 1]] * 5, 20, tie="random", rng=4)
    assert np.array_equal(a.entrants, b.entrants)


def test_float_payoffs_work():
    A = modal_game(SEED_AGENTS, 0.1)
    exact = best_response_entry(modal_game(SEED_AGENTS, "1/10"), count_grid(4, 3), 50)
    floats = best_response_entry(A, count_grid(4, 3), 50)
    assert np.array_equal(exact.entrants, floats.entrants)


@pytest.mark.parametrize("tie", ["first", "last"])
def test_seed_claim_no_defectbot_unless_very_few_fair_or_prudent(tie):
    # eps = 1/10: from every start with at least 4 FairBots + PrudentBots, no DefectBot ever
    # enters; those runs add only C, F and P, and (given 1500 entrants) all three of them
    A = modal_game(SEED_AGENTS, "1/10")
    G = count_grid(4, 5)
    run = best_response_entry(A, G, 1500, tie=tie)
    d = run.ever_added(D)
    fp = G[:, F] + G[:, P]
    assert not d[fp >= 4].any()
    assert d[fp <= 3].any()  # the exception the seed mentions is real
    added = run.types_added()
    assert all(added[i] == {C, F, P} for i in np.flatnonzero(~d))
    assert all(added[i] == {D} for i in np.flatnonzero(d))  # D-adders add only D


def test_very_few_depends_on_eps():
    G = count_grid(4, 6)
    big = best_response_entry(modal_game(SEED_AGENTS, "1/5"), G, 300).ever_added(D)
    small = best_response_entry(modal_game(SEED_AGENTS, "1/20"), G, 300).ever_added(D)
    fp = G[:, F] + G[:, P]
    assert fp[big].max() > fp[small].max()
    assert not (small & ~big).any()  # fewer starts add D at the smaller penalty


def test_count_grid():
    g = count_grid(3, 2)
    assert g.shape == (26, 3) and g.sum(axis=1).min() == 1


@pytest.mark.parametrize(
    "start, steps, tie, match",
    [
        ([1, 1], 1, "first", "shape"),
        ([-1, 1, 1, 1], 1, "first", "negative"),
        ([0, 0, 0, 0], 1, "first", "empty"),
        ([0.5, 1, 1, 1], 1, "first", "integer"),
        ([1, 1, 1, 1], 0, "first", "steps"),
        ([1, 1, 1, 1], 1, "best", "tie"),
    ],
)
def test_errors(start, steps, tie, match):
    with pytest.raises(ParameterError, match=match):
        best_response_entry(modal_game(SEED_AGENTS, "1/10"), start, steps, tie=tie)


def test_count_grid_errors():
    with pytest.raises(ParameterError):
        count_grid(0, 3)
