"""Parameter regions: one type whatever the number of parameters."""

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from theory.errors import TheoryError
from theory.regions import Region, format_region, region_of

e = sympy.Symbol("epsilon", positive=True)
I = sympy.Interval


def test_region_of():
    assert region_of([e <= 2, e >= 1], [e]).as_set() == I(1, 2)
    assert region_of([e < 0], [e]).is_empty
    assert region_of([sympy.true, 1 / (e - 1) >= 0], [e]).as_set() == I.open(1, sympy.oo)
    x = sympy.Symbol("x")
    assert region_of([x**2 - 2 <= 0], [x]).as_set() == I(-sympy.sqrt(2), sympy.sqrt(2))
    with pytest.raises(TheoryError):
        region_of([x + e > 0], [e])
    y = sympy.Symbol("y", positive=True)
    assert region_of([x + y > 1], [x, y]).condition is not sympy.false


def test_one_parameter_region():
    r = region_of([1 - 3 * e >= 0], [e])
    assert r.params == (e,) and r.as_set() == I.Lopen(0, sympy.Rational(1, 3))
    assert str(r) == "(0, 1/3]" == format_region(r) == format_region(r.as_set())
    assert sympy.Rational(1, 3) in r and {e: sympy.Rational(1, 4)} in r and {"epsilon": 0.3} in r
    assert 0.34 not in r and 0 not in r
    assert not r.is_empty and r.boundary == (0, sympy.Rational(1, 3))
    assert r == Region.from_set(e, I.Lopen(0, sympy.Rational(1, 3)))
    assert str(r & region_of([e >= sympy.Rational(1, 3)], [e])) == "{1/3}"
    assert str(region_of([e < 0], [e])) == "∅"


def test_several_parameters():
    x, y = sympy.symbols("x y", positive=True)
    r = region_of([x + y <= 1], [x, y])
    assert r.params == (x, y) and not r.is_empty
    assert {x: sympy.Rational(1, 3), y: sympy.Rational(1, 3)} in r
    assert {"x": 1, "y": 1} not in r
    with pytest.raises(TheoryError, match="one parameter"):
        r.as_set()
    with pytest.raises(TheoryError, match="map each"):
        _ = 1 in r
    with pytest.raises(TheoryError, match=r"\['y'\]"):
        _ = {x: 1} in r
    assert region_of([sympy.false], [x, y]).is_empty


def test_values_must_be_numbers():
    r = region_of([e <= 1], [e])
    for bad in (None, True, "e", sympy.Symbol("z")):
        with pytest.raises(TheoryError, match="epsilon"):
            _ = bad in r


@given(
    st.lists(
        st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3), st.booleans()),
        min_size=1,
        max_size=3,
    ),
    st.fractions(min_value=0, max_value=5, max_denominator=12),
)
def test_region_of_matches_direct_evaluation(conds, point):
    """Quadratic conditions a ε² + b ε + c (≥ or >) 0: membership of a rational point in the
    region equals evaluating the conditions there."""
    rels = [
        (a * e**2 + b * e + c >= 0) if weak else (a * e**2 + b * e + c > 0)
        for a, b, c, weak in conds
    ]
    rels = [r for r in rels if r not in (sympy.true, sympy.false)]
    region = region_of(rels, [e])
    if point == 0:
        assert sympy.Integer(0) not in region  # ε is positive
        return
    p = sympy.Rational(point.numerator, point.denominator)
    direct = all(bool(r.subs(e, p)) for r in rels)
    assert (p in region) == direct


def test_two_parameters_certified_empty_or_not():
    """Two parameters: a conjunction is dropped only when a cell decomposition proves it empty."""
    v, c = sympy.symbols("V C", positive=True)
    # V > C and C > 2V cannot both hold for positive V, C
    assert region_of([v - c > 0, c - 2 * v > 0], [v, c]).is_empty
    # a curve only: V = C with V >= C (found over an open cell of V)
    r = region_of([sympy.Eq(v, c), v - c >= 0], [v, c])
    assert not r.is_empty and {v: 2, c: 2} in r and {v: 2, c: 1} not in r
    # a single point (V, C) = (1, 1): found at a critical value of V
    r = region_of([(v - 1) ** 2 + (c - 1) ** 2 <= 0], [v, c])
    assert not r.is_empty and {v: 1, c: 1} in r
    # a disc outside the positive quadrant
    assert region_of([(v + 2) ** 2 + (c - 1) ** 2 < 1], [v, c]).is_empty
    # contradictions merged atom by atom, factors of known sign dropped
    assert region_of([v * (c - v) > 0, (c - v) / c < 0], [v, c]).is_empty
    assert str(region_of([(c - v) / c > 0], [v, c]).condition) == "C > V"
