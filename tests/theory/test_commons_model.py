"""The mean-field commons against sympy's own derivation, and its error paths."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from tests.theory.commons_strategies import commons_params
from theory.commons import (
    CommonsError,
    CommonsTypeError,
    HarvestCommons,
    closed_forms,
    collapse_effort,
    corrective_tax,
    cournot_effort,
    maximum_sustainable_yield,
    open_access_effort,
    rent,
    social_optimum_effort,
    steady_stock,
    stock_equilibria,
    sustainable_yield,
    taxed_nash_effort,
)
from theory.errors import TheoryError

CF = closed_forms()
r_, K_, q_, c_, E_, N_, t_ = CF.symbols
# The closed-form transient is exact; scipy's adaptive integrator at rtol 1e-10 is the check.
ODE_RTOL = 1e-8


def subs(expr: sympy.Expr, m: HarvestCommons, **extra: object) -> Fraction:
    values = {r_: m.r, K_: m.K, q_: m.q, c_: m.c}
    values.update(
        {CF.symbols[["r", "K", "q", "c", "E", "N", "t"].index(k)]: v for k, v in extra.items()}
    )
    out = sympy.Rational(expr.xreplace({k: sympy.Rational(v) for k, v in values.items()}))
    return Fraction(int(out.p), int(out.q))


def clipped(expr: sympy.Expr, m: HarvestCommons, **extra: object) -> Fraction:
    """An interior solution, or the corner 0 when it would be negative (nobody harvests)."""
    return max(subs(expr, m, **extra), Fraction(0))


@given(commons_params(), st.integers(1, 30))
def test_numeric_functions_match_closed_forms(m: HarvestCommons, n: int) -> None:
    assert collapse_effort(m) == subs(CF.collapse_effort, m)
    assert maximum_sustainable_yield(m).effort == subs(CF.msy_effort, m)
    assert maximum_sustainable_yield(m).harvest == subs(CF.msy_harvest, m)
    assert open_access_effort(m) == clipped(CF.open_access_effort, m)
    assert social_optimum_effort(m) == clipped(CF.social_optimum_effort, m)
    assert cournot_effort(m, n) == clipped(CF.cournot_effort, m, N=n)
    assert taxed_nash_effort(m, n, Fraction(1, 3)) == clipped(
        CF.taxed_nash_effort, m, N=n, t=Fraction(1, 3)
    )
    third = Fraction(1, 3)
    assert taxed_nash_effort(m, n, third, rebate="ignored") == clipped(
        CF.taxed_nash_effort_rebate_ignored, m, N=n, t=third
    )
    if n >= 2 and social_optimum_effort(m) > 0 and m.c > 0:
        assert corrective_tax(m, n, rebate="ignored") == subs(
            CF.corrective_tax_rebate_ignored, m, N=n
        )
    E = Fraction(1, 3) * collapse_effort(m)
    assert steady_stock(m, E) == subs(CF.steady_stock, m, E=E)


@given(commons_params(), st.integers(2, 40))
def test_tragedy_and_its_exact_cure(m: HarvestCommons, n: int) -> None:
    optimum, nash = social_optimum_effort(m), cournot_effort(m, n)
    if optimum == 0:
        assert nash == 0
        return
    assert nash == optimum * Fraction(2 * n, n + 1)  # overharvest factor 2N/(N+1)
    assert optimum < nash < open_access_effort(m) <= collapse_effort(m)
    assert cournot_effort(m, n + 1) > nash
    assert rent(m, nash) < rent(m, optimum)
    assert taxed_nash_effort(m, n, corrective_tax(m, n)) == optimum
    assert corrective_tax(m, n) == corrective_tax(m, 2)
    if m.c == 0:
        with pytest.raises(CommonsError, match="c = 0"):
            corrective_tax(m, n, rebate="ignored")
        return
    lump = corrective_tax(m, n, rebate="ignored")
    assert taxed_nash_effort(m, n, lump, rebate="ignored") == optimum
    assert lump < corrective_tax(m, n + 1, rebate="ignored") < corrective_tax(m, n)


def test_sole_owner_is_the_optimum_and_needs_no_tax() -> None:
    m = HarvestCommons(2, 30, 3, 7)
    assert cournot_effort(m, 1) == social_optimum_effort(m)
    assert corrective_tax(m, 1) == 0
    assert taxed_nash_effort(m, 1, "1/2") == social_optimum_effort(m)


def test_costly_harvest_is_never_worth_it() -> None:
    m = HarvestCommons(1, 10, 1, 10)
    assert open_access_effort(m) == 0 and cournot_effort(m, 5) == 0 and corrective_tax(m, 5) == 0


@pytest.mark.parametrize("effort", [Fraction(0), Fraction(1, 4), Fraction(1), Fraction(3)])
def test_equilibria_and_their_stability(effort: Fraction) -> None:
    m = HarvestCommons(1, 10, 1)
    rest = stock_equilibria(m, effort)
    f = lambda x: float(m.r) * x * (1 - x / float(m.K)) - float(effort) * x  # noqa: E731
    for eq in rest:
        assert f(float(eq.stock)) == 0
        slope = (f(float(eq.stock) + 1e-6) - f(float(eq.stock) - 1e-6)) / 2e-6
        assert eq.stable == (slope < 0 or (slope == pytest.approx(0) and effort == 1))
    assert len(rest) == (2 if effort < 1 else 1)


def test_symbolic_parameters_stay_symbolic() -> None:
    m = HarvestCommons(r_, K_, q_, c_)
    assert sympy.simplify(steady_stock(m, E_) - CF.steady_stock) == 0
    assert sympy.simplify(corrective_tax(m, 3) - CF.corrective_tax) == 0
    with pytest.raises(CommonsTypeError):
        stock_equilibria(m, 1)


def test_floats_stay_floats() -> None:
    m = HarvestCommons(1.0, 100.0, 1.0, 10.0)
    assert isinstance(social_optimum_effort(m), float)
    assert social_optimum_effort(m) == pytest.approx(0.45)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(r=0, K=1),
        dict(r=-1, K=1),
        dict(r=1, K=0),
        dict(r=1, K=-2),
        dict(r=1, K=1, q=0),
        dict(r=1, K=1, c=-1),
        dict(r=float("nan"), K=1),
        dict(r=1, K=float("inf")),
        dict(r=1, K=sympy.nan),
    ],
)
def test_bad_parameters_raise(kwargs: dict) -> None:
    with pytest.raises(CommonsError) as err:
        HarvestCommons(**kwargs)
    assert isinstance(err.value, TheoryError)


@pytest.mark.parametrize("value", ["ten", None, True, 1j, [1]])
def test_non_numbers_raise_type_errors(value: object) -> None:
    with pytest.raises(CommonsTypeError):
        HarvestCommons(value, 1)
    with pytest.raises(TypeError):
        HarvestCommons(1, value)


def test_bad_efforts_taxes_and_counts_raise() -> None:
    m = HarvestCommons(1, 10, 1, 1)
    for bad in (-1, float("nan"), float("-inf")):
        with pytest.raises(CommonsError, match="effort"):
            steady_stock(m, bad)
        with pytest.raises(CommonsError, match="effort"):
            sustainable_yield(m, bad)
    with pytest.raises(CommonsError, match="tax"):
        taxed_nash_effort(m, 2, "3/2")
    with pytest.raises(CommonsError, match="tax"):
        taxed_nash_effort(m, 2, -0.1)
    with pytest.raises(CommonsError, match="n_agents"):
        cournot_effort(m, 0)
    with pytest.raises(CommonsError, match="rebate"):
        corrective_tax(m, 2, rebate="kept")
    with pytest.raises(CommonsError, match="rebate"):
        taxed_nash_effort(m, 2, 0, rebate=None)  # type: ignore[arg-type]
    with pytest.raises(CommonsTypeError, match="n_agents"):
        cournot_effort(m, 2.5)
