from fractions import Fraction

import pytest
import sympy

from theory.errors import TheoryError
from theory.learning.zero_memory import DISCOUNT, P_TRADE, zero_memory_fixed_point


def test_gap_is_one_whatever_the_partner_does():
    fp = zero_memory_fixed_point()
    assert fp.gap == 1
    assert sympy.simplify(fp.q_steal - fp.q_trade) == 1
    assert fp.greedy == "S" and not fp.trade_branch_consistent


@pytest.mark.parametrize("p", [0, Fraction(1, 3), 1])
def test_fixed_point_satisfies_the_seed_equations(p):
    r = Fraction(9, 10)
    fp = zero_memory_fixed_point(p, r)
    m = max(fp.q_trade, fp.q_steal)
    assert fp.q_trade == 3 * p + r * m
    assert fp.q_steal == 4 * p + 1 * (1 - p) + r * m


def test_symbolic_solution():
    fp = zero_memory_fixed_point()
    assert sympy.simplify(fp.q_trade - (3 * P_TRADE + DISCOUNT) / (1 - DISCOUNT)) == 0


@pytest.mark.parametrize(
    ("p", "r", "name"),
    [(2, 0, "p_trade"), (0, 1, "discount"), ("x+", 0, "p_trade"), (0, -1, "discount")],
)
def test_bad_parameters(p, r, name):
    with pytest.raises(TheoryError, match=name):
        zero_memory_fixed_point(p, r)
