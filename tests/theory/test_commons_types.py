"""Steady-state Nash equilibria of the SED-typed commons: KKT exactly, no profitable deviation."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.theory.commons_strategies import commons_params, harvester_types, unit_fractions
from theory.commons import (
    MAX_ENUMERATED_AGENTS,
    CommonsError,
    CommonsTypeError,
    HarvestCommons,
    HarvesterType,
    as_harvester_types,
    harvester_rewards,
    marginal_coefficients,
    steady_state_nash,
    steady_stock,
    taxed_nash_effort,
)
from theory.policy.voting import AgentTypes, draw_types

# Rewards are O(qK) = O(10^3) at most here; a deviation must gain more than float noise.
DEVIATION_ATOL = 1e-9
DEVIATION_GRID = np.linspace(0, 1.2, 121)  # own effort in units of r/q, past collapse


def test_marginal_coefficients_are_the_derivative_of_the_seed_reward() -> None:
    r, K, q, c, t, s, b, N = sympy.symbols("r K q c t sigma beta N", positive=True)
    ei, others = sympy.symbols("e_i E_others", nonnegative=True)
    E = ei + others
    x = K * (1 - q * E / r)
    a_i, total = q * ei * x, q * E * x
    reward = (
        b * ((1 - t) * a_i + t / N * total) + (1 - b) * (s * a_i + (1 - s) * (total - a_i)) - c * ei
    )
    gamma, u, eps = c / (q * K), q * E / r, q * ei / r
    A = b * (1 - t + t / N) + (1 - b) * s - gamma
    B = b * (1 - t + 2 * t / N) + (1 - b)
    C = b * (1 - t) + (1 - b) * (2 * s - 1)
    assert sympy.simplify(sympy.diff(reward, ei) / (q * K) - (A - B * u - C * eps)) == 0
    m = HarvestCommons(3, 7, 2, 5)
    ty = HarvesterType(Fraction(1, 3), Fraction(3, 4))
    got = marginal_coefficients(m, [ty, ty, ty], Fraction(1, 5))
    vals = {
        r: 3,
        K: 7,
        q: 2,
        c: 5,
        t: sympy.Rational(1, 5),
        s: sympy.Rational(1, 3),
        b: sympy.Rational(3, 4),
        N: 3,
    }
    assert [got.A[0], got.B[0], got.C[0]] == [
        Fraction(str(sympy.Rational(X.subs(vals)))) for X in (A, B, C)
    ]


@pytest.mark.parametrize("n", [1, 2, 3, 5])
@pytest.mark.parametrize("tax", [Fraction(0), Fraction(1, 2), Fraction(9, 11), Fraction(1)])
def test_selfish_trusting_agents_reproduce_the_taxed_cournot_equilibrium(
    n: int, tax: Fraction
) -> None:
    m = HarvestCommons(1, 100, 1, 10)
    if tax == 1 and n > 1:  # everyone is paid the mean: only the total is determined
        with pytest.raises(CommonsError, match="continuum"):
            steady_state_nash(m, [HarvesterType(1, 1)] * n, tax)
    (eq,) = steady_state_nash(m, [HarvesterType(1, 1)] * n, tax, continuum="equal")
    assert eq.total_effort == taxed_nash_effort(m, n, tax)
    assert eq.stock == steady_stock(m, eq.total_effort)


def test_symmetric_equilibrium_matches_sympy_solution_of_the_symmetric_foc() -> None:
    m = HarvestCommons(2, 50, 1, 5)
    ty = HarvesterType(Fraction(2, 3), Fraction(1, 2))
    (eq,) = steady_state_nash(m, [ty] * 4, Fraction(3, 10))
    k = marginal_coefficients(m, [ty] * 4, Fraction(3, 10))
    A, B, C = k.A[0], k.B[0], k.C[0]
    e = sympy.Symbol("e")
    (sol,) = sympy.solve(sympy.Rational(A) - sympy.Rational(B) * 4 * e - sympy.Rational(C) * e, e)
    assert eq.efforts[0] == Fraction(str(sol)) * m.r / m.q


@settings(max_examples=40)
@given(commons_params(), st.lists(harvester_types, min_size=1, max_size=4), unit_fractions)
def test_equilibria_satisfy_kkt_and_admit_no_profitable_deviation(m, types, tax) -> None:
    try:
        found = steady_state_nash(m, types, tax)
    except CommonsError as err:  # a continuum (C_i = 0, equal A/B) is reported, not guessed
        assert "continuum" in str(err)
        return
    assert found, "a concave game on a compact strategy set always has an equilibrium"
    k = marginal_coefficients(m, types, tax)
    A, B, C = k.A, k.B, k.C
    for eq in found:
        u = eq.total_effort * m.q / m.r
        assert 0 <= u < 1
        for i, e in enumerate(eq.efforts):
            marginal = A[i] - B[i] * u - C[i] * e * m.q / m.r
            assert (marginal == 0) if e > 0 else (marginal <= 0)
            base = harvester_rewards(m, types, [float(v) for v in eq.efforts], tax)[i]
            for dev in DEVIATION_GRID * float(m.r / m.q):
                profile = [float(v) for v in eq.efforts]
                profile[i] = dev
                assert harvester_rewards(m, types, profile, tax)[i] <= base + DEVIATION_ATOL


def test_float_types_give_float_results_and_draws_are_seeded() -> None:
    drawn = draw_types(4, rng=7)
    types = as_harvester_types(drawn)
    assert [t.selfishness for t in types] == list(drawn.selfishness)
    assert [t.trust for t in types] == list(drawn.trust)
    assert steady_state_nash(HarvestCommons(1, 100, 1, 10), drawn, 0.2) == steady_state_nash(
        HarvestCommons(1, 100, 1, 10), types, 0.2
    )
    (eq,) = steady_state_nash(HarvestCommons(1, 100, 1, 10), types, 0.2)
    assert all(isinstance(v, float) for v in eq.efforts)


def test_prosocial_distrustful_agents_harvest_nothing() -> None:
    # sigma = 0, beta = 0: only others' apples count, and harvesting lowers them
    (eq,) = steady_state_nash(HarvestCommons(1, 100, 1), [HarvesterType(0, 0)] * 3)
    assert eq.total_effort == 0 and eq.active == ()


def test_continuum_is_reported() -> None:
    # beta = 0, sigma = 1/2: C_i = 0 for both, any split of the same total is an equilibrium
    with pytest.raises(CommonsError, match="continuum"):
        steady_state_nash(HarvestCommons(1, 100, 1), [HarvesterType(Fraction(1, 2), 0)] * 2)


def test_error_paths() -> None:
    m = HarvestCommons(1, 100, 1)
    ok = HarvesterType(1, 1)
    for bad in (
        {"selfishness": 2, "trust": 0},
        {"selfishness": 0, "trust": -0.1},
        {"selfishness": float("nan"), "trust": 0},
    ):
        with pytest.raises(CommonsError):
            HarvesterType(**bad)
    with pytest.raises(CommonsTypeError):
        HarvesterType("a", 0)
    with pytest.raises(CommonsError, match="at least one"):
        steady_state_nash(m, [])
    with pytest.raises(CommonsTypeError, match="types"):
        steady_state_nash(m, ok)
    with pytest.raises(CommonsTypeError, match=r"types\[1\]"):
        steady_state_nash(m, [ok, (1, 1)])
    with pytest.raises(CommonsError, match="tax"):
        steady_state_nash(m, [ok], 2)
    with pytest.raises(CommonsError, match="at most"):
        steady_state_nash(m, [ok] * (MAX_ENUMERATED_AGENTS + 1))
    with pytest.raises(CommonsError, match="efforts"):
        harvester_rewards(m, [ok, ok], [0.1])
    with pytest.raises(CommonsError, match="efforts"):
        harvester_rewards(m, [ok], [-0.1])
    with pytest.raises(CommonsError, match="efforts"):
        harvester_rewards(m, [ok], [float("nan")])
    with pytest.raises(CommonsTypeError):
        steady_state_nash(HarvestCommons(sympy.Symbol("r", positive=True), 1), [ok])
    with pytest.raises(CommonsError, match="equal length"):
        as_harvester_types(AgentTypes(np.array([0.1, 0.2]), np.array([0.5])))
    with pytest.raises(CommonsError, match="continuum"):
        steady_state_nash(m, [ok], continuum="pick")


@settings(max_examples=40)
@given(commons_params(), st.lists(harvester_types, min_size=1, max_size=4), unit_fractions)
def test_all_positive_c_means_a_unique_equilibrium(m, types, tax) -> None:
    C = marginal_coefficients(m, types, tax).C
    if min(C) <= 0:
        return
    assert len(steady_state_nash(m, types, tax)) == 1


def test_distrustful_altruists_at_full_tax_have_several_equilibria() -> None:
    # C_i = (1 - beta)(2 sigma - 1) < 0 at t = 1 for these types: strong substitutes
    m = HarvestCommons(1, 100, 1, 10)
    types = [
        HarvesterType(Fraction(1, 5), Fraction(1, 10)),
        HarvesterType(Fraction(1, 4), Fraction(1, 5)),
    ]
    found = steady_state_nash(m, types, 1)
    assert min(marginal_coefficients(m, types, 1).C) < 0
    assert len(found) >= 2
    assert len({eq.active for eq in found}) == len(found)
