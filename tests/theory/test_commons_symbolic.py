"""The sympy derivation of the commons' closed forms solves its own defining conditions."""

from __future__ import annotations

import sympy

from theory.commons import closed_forms

CF = closed_forms()
r_, K_, q_, c_, E_, N_, t_ = CF.symbols


def test_closed_forms_solve_their_defining_conditions() -> None:
    x = CF.steady_stock
    assert sympy.simplify(r_ * x * (1 - x / K_) - q_ * x * E_) == 0
    assert sympy.simplify(x.subs(E_, CF.collapse_effort)) == 0
    yield_ = q_ * E_ * x
    assert sympy.simplify(sympy.diff(yield_, E_).subs(E_, CF.msy_effort)) == 0
    assert sympy.simplify(sympy.diff(yield_, E_, 2)) == sympy.simplify(-2 * K_ * q_**2 / r_)
    assert sympy.simplify(CF.msy_harvest - r_ * K_ / 4) == 0
    assert sympy.simplify(CF.open_access_effort - 2 * CF.social_optimum_effort) == 0


def test_corrective_tax_does_not_depend_on_n() -> None:
    assert N_ not in CF.corrective_tax.free_symbols
    # ...unless agents ignore their own rebate share: then it rises with N to the same limit
    ignored = CF.corrective_tax_rebate_ignored
    assert N_ in ignored.free_symbols
    assert sympy.simplify(sympy.limit(ignored, N_, sympy.oo) - CF.corrective_tax) == 0
    assert sympy.simplify(ignored.subs(N_, 1)) == 0
    assert (
        sympy.simplify(
            CF.taxed_nash_effort_rebate_ignored.subs(t_, ignored) - CF.social_optimum_effort
        )
        == 0
    )
    assert (
        sympy.simplify(CF.taxed_nash_effort.subs(t_, CF.corrective_tax) - CF.social_optimum_effort)
        == 0
    )
