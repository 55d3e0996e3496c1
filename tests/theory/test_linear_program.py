"""Exact simplex against HiGHS, degenerate and redundant programs, empty and unbounded ones."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theory.errors import InfeasibleProgram, PayoffValueError, ShapeError, UnboundedProgram
from theory.linear_program import linear_program


def test_textbook_program_is_solved_exactly_with_its_dual() -> None:
    s = linear_program([3, 2], A_ub=[[1, 1], [1, 3], [1, -1]], b_ub=[4, 6, 2])
    assert s.exact and s.x == (3, 1) and s.value == 11
    # dual objective equals the value (the certificate the solver checked)
    assert sum(b * y for b, y in zip([4, 6, 2], s.dual_ub, strict=True)) == 11


def test_beale_cycling_example_terminates_under_blands_rule() -> None:
    # Beale (1955): the textbook largest-coefficient rule cycles on this degenerate program.
    c = [Fraction(3, 4), -150, Fraction(1, 50), -6]
    A = [[Fraction(1, 4), -60, Fraction(-1, 25), 9], [Fraction(1, 2), -90, Fraction(-1, 50), 3],
         [0, 0, 1, 0]]
    s = linear_program(c, A_ub=A, b_ub=[0, 0, 1])
    assert s.value == Fraction(1, 20)


def test_redundant_equalities_are_dropped() -> None:
    s = linear_program([1, 2], A_eq=[[1, 1], [2, 2], [3, 3]], b_eq=[1, 2, 3])
    assert s.x == (0, 1) and s.value == 2


def test_empty_and_unbounded_programs_are_reported() -> None:
    with pytest.raises(InfeasibleProgram, match="infeasible"):
        linear_program([1, 1], A_ub=[[1, 1]], b_ub=[1], A_eq=[[1, 1]], b_eq=[2])
    with pytest.raises(InfeasibleProgram, match="infeasible"):
        linear_program([1.0, 1.0], A_ub=[[1, 1]], b_ub=[1], A_eq=[[1, 1]], b_eq=[2])
    with pytest.raises(UnboundedProgram, match="unbounded"):
        linear_program([1, 0], A_ub=[[0, 1]], b_ub=[1])
    with pytest.raises(UnboundedProgram, match="unbounded"):
        linear_program([1.0, 0.0], A_ub=[[0, 1]], b_ub=[1])


def test_bad_input_names_the_argument() -> None:
    with pytest.raises(ShapeError, match="b_ub"):
        linear_program([1, 1], A_ub=[[1, 1]], b_ub=[1, 2])
    with pytest.raises(ShapeError, match="A_ub"):
        linear_program([1, 1], A_ub=[[1, 1, 1]], b_ub=[1])
    with pytest.raises(PayoffValueError, match="c"):
        linear_program([float("nan"), 1], A_ub=[[1, 1]], b_ub=[1])


small = st.integers(-5, 5)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_exact_optimum_matches_highs(k: int, p: int, data: st.DataObject) -> None:
    # a bounded box (sum z <= 10) keeps every program bounded; b >= 0 keeps z = 0 feasible
    A = data.draw(st.lists(st.lists(small, min_size=k, max_size=k), min_size=p, max_size=p))
    b = data.draw(st.lists(st.integers(0, 6), min_size=p, max_size=p))
    c = data.draw(st.lists(small, min_size=k, max_size=k))
    A_ub, b_ub = [*A, [1] * k], [*b, 10]
    exact = linear_program(c, A_ub=A_ub, b_ub=b_ub)
    floating = linear_program(np.array(c, dtype=float), A_ub=A_ub, b_ub=b_ub)
    assert exact.exact and not floating.exact
    # HiGHS is accurate to ~1e-9 relative on data of size <= 10
    assert float(exact.value) == pytest.approx(floating.value, abs=1e-7)
    z = exact.x
    assert all(v >= 0 for v in z)
    assert all(np.array(A_ub, dtype=object) @ np.array(z, dtype=object) <= b_ub)
