"""MC-03/MC-04's learning agents and MC-06/MC-07's computed verdicts."""

from __future__ import annotations

import numpy as np
import sympy

from numpol.experiments import equilibria, equilibria_mixed


def test_learners_find_the_best_replies_and_the_pure_equilibrium():
    rng = np.random.default_rng(0)
    D, C, F, P = range(4)
    # at eps = 1/2: D against C and D, C against F, F against P
    assert [equilibria._learned(0.5, rng, j) for j in range(4)] == [{D}, {D}, {C}, {F}]
    # beyond eps = 1: D against P
    assert equilibria._learned(2.0, rng, P) == {D}
    assert equilibria._learned(0.5, rng) == {(D, D)}


def test_learned_game_is_the_seed_game():
    # built from the world-by-world evaluator and the seed's words; the exact game must agree
    from fractions import Fraction

    from modal import SEED_AGENTS
    from theory.modal_game import modal_game

    exact = modal_game(SEED_AGENTS, Fraction(1, 8)).astype(float)
    np.testing.assert_allclose(equilibria._learned_game(1 / 8), exact, atol=1e-15)


def test_verdict_from_the_region():
    quarter = sympy.Rational(1, 4)
    assert equilibria_mixed.holds_region(sympy.Interval.open(0, quarter)) == "conditional"
    assert equilibria_mixed.holds_region(sympy.Interval.open(0, sympy.oo)) == "yes"
    # holding only on part of the proviso, or nowhere: the claim comes out no
    assert equilibria_mixed.holds_region(sympy.Interval.open(0, sympy.Rational(1, 8))) == "no"
    assert equilibria_mixed.holds_region(sympy.S.EmptySet) == "no"


def test_stated_spiral_verdict_and_its_no_cases():
    from numpol.experiments.equilibria_stability import stated_spiral_verdict

    e = sympy.Rational(1, 10)
    root = sympy.sqrt(e**2 + 24 * e - 16)
    pair = [e * (e + root) / 4, e * (e - root) / 4]
    stated = [3 * e - 1, *pair]
    assert stated_spiral_verdict([-sympy.Rational(7, 10), *pair], stated, pair) == "yes"
    # another transversal eigenvalue, a missing one, an inward or a fast spiral: no
    assert stated_spiral_verdict([-sympy.Rational(6, 10), *pair], stated, pair) == "no"
    assert stated_spiral_verdict(pair, stated, pair) == "no"
    inward = [-v for v in pair]
    assert stated_spiral_verdict([3 * e - 1, *inward], [3 * e - 1, *inward], inward) == "no"
    fast = [1 + sympy.I, 1 - sympy.I]
    assert stated_spiral_verdict([3 * e - 1, *fast], [3 * e - 1, *fast], fast) == "no"
