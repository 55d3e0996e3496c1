"""ESS and neutral stability (theory.ess), exact."""

from fractions import Fraction as Fr

import pytest

from tests.theory.modal_game import modal_game
from theory.errors import TheoryError, UndecidedStability
from theory.ess import is_ess, is_neutrally_stable


def test_ess_cases():
    hawk_dove = [[-1, 2], [0, 1]]
    assert is_ess(hawk_dove, [Fr(1, 2), Fr(1, 2)])
    coordination = [[1, 0], [0, 1]]
    assert not is_ess(coordination, [Fr(1, 2), Fr(1, 2)])
    assert is_ess(coordination, [1, 0])
    # Pure strategy with an alternative best reply outside its support (a weak NE):
    # x = e0 against the copy e1: z.Az = 0, neutrally stable but not ESS.
    copies = [[1, 1], [1, 1]]
    assert not is_ess(copies, [1, 0])
    # Alternative best reply that does worse against itself: ESS.
    assert is_ess([[1, 1], [1, 0]], [1, 0])


def test_modal_game_ess():
    A = modal_game("1/10")
    assert is_ess(A, [1, 0, 0, 0])
    assert not is_ess(A, [Fr(9, 10), 0, Fr(1, 10), 0])
    assert not is_ess(A, [0, Fr(1, 10), Fr(17, 20), Fr(1, 20)])
    assert not is_neutrally_stable(A, [0, Fr(1, 10), Fr(17, 20), Fr(1, 20)])


def test_two_alternative_best_replies_use_the_2x2_copositivity_test():
    # x = e0 in the zero-sum-free game where e1, e2 tie with e0 against e0:
    # z.A z on the cone z1, z2 >= 0 is -(z1 + z2)^2 + ... ; here A makes it negative: ESS.
    A = [[1, 1, 1], [1, 0, 0], [1, 0, 0]]
    assert is_ess(A, [1, 0, 0])
    B = [[1, 1, 1], [1, 0, 2], [1, 2, 0]]  # e1 and e2 together do as well: not ESS
    assert not is_ess(B, [1, 0, 0])


def test_errors():
    with pytest.raises(TheoryError, match="not a symmetric equilibrium"):
        is_ess([[3, 0], [5, 1]], [1, 0])
    with pytest.raises(UndecidedStability):
        is_ess([[0] * 4] * 4, [1, 0, 0, 0])
    with pytest.raises(UndecidedStability):
        is_neutrally_stable([[0, 0, 0], [0, 0, 0], [0, 0, 1]], [Fr(1, 2), Fr(1, 2), 0])


def test_large_exact_rationals_are_not_rationalised_as_floats():
    # hypothesis found this (test_parametric_stability): the point's entries were passed
    # through sympy.nsimplify, which turns 100382531/327487461 into a product of surds, so an
    # exact equilibrium looked like "strategy 0 does better"
    v = Fr(87212597, 113552465)
    A = [[v - 3, 1, 2 - v], [v + 1, -v, v - 2], [0, -1, 3]]
    assert is_ess(A, [(v + 1) / (v + 5), 4 / (v + 5), 0])
