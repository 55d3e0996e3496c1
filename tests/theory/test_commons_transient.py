"""The closed-form transient against scipy's ODE solver and quadrature, and its error paths."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
from scipy.integrate import quad, solve_ivp

from theory.commons import CommonsError, CommonsTypeError, HarvestCommons, round_harvest, stock_path

# The closed-form transient is exact; scipy's adaptive integrator at rtol 1e-10 is the check.
ODE_RTOL = 1e-8


@pytest.mark.parametrize("effort", [0.0, 0.3, 1.0, 1.7])
@pytest.mark.parametrize("x0", [1.0, 50.0, 140.0])
def test_stock_path_and_round_harvest_solve_the_ode(effort: float, x0: float) -> None:
    m = HarvestCommons(1.0, 100.0, 1.0)
    rhs = lambda t, x: x * (1 - x / 100) - effort * x  # noqa: E731
    times = np.linspace(0, 7, 8)
    sol = solve_ivp(rhs, (0, 7), [x0], t_eval=times, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(stock_path(m, effort, x0, times), sol.y[0], rtol=ODE_RTOL)
    integral, _ = quad(lambda t: float(stock_path(m, effort, x0, t)), 0, 7, epsabs=1e-12)
    assert float(round_harvest(m, effort, x0, 7.0)) == pytest.approx(
        effort * integral, rel=ODE_RTOL, abs=1e-12
    )


def test_long_rounds_do_not_overflow() -> None:
    m = HarvestCommons(1.0, 100.0, 1.0)
    assert float(stock_path(m, 0.5, 10.0, 5000.0)) == pytest.approx(50.0)
    # after the transient the round earns the sustainable yield 25 per unit time
    long_ = float(round_harvest(m, 0.5, 50.0, 5000.0))
    assert math.isfinite(long_) and long_ == pytest.approx(25 * 5000)


def test_transient_error_paths() -> None:
    with pytest.raises(CommonsError, match="x0"):
        stock_path(HarvestCommons(1.0, 10.0), 0.1, -1.0, 1.0)
    with pytest.raises(CommonsError, match="duration"):
        round_harvest(HarvestCommons(1.0, 10.0), 0.1, 1.0, float("nan"))
    with pytest.raises(CommonsError, match="effort"):
        round_harvest(HarvestCommons(1.0, 10.0), -0.1, 1.0, 1.0)
    with pytest.raises(CommonsTypeError, match="effort"):
        stock_path(HarvestCommons(1.0, 10.0), "x", 1.0, 1.0)
    with pytest.raises(CommonsTypeError, match="numeric"):
        stock_path(HarvestCommons(sympy.Symbol("r", positive=True), 10), 0.1, 1.0, 1.0)
