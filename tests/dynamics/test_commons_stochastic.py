"""The M-site stochastic commons against the mean field, within the linear-noise tolerance."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import sympy

from dynamics.commons import (
    agreement_tolerance,
    linear_noise,
    simulate_commons,
    stationary_variance,
)
from dynamics.errors import DynamicsError, ParameterError
from tests.dynamics.interrupting import InterruptingGenerator
from theory.commons import HarvestCommons, round_harvest

COMMONS = HarvestCommons(1.0, 1.0, 1.0)
RUNS = 200
SITES = 1000
TIMES = np.linspace(0, 8, 5)
# K n / M and the ODE's initial value differ by rounding at t = 0, where the tolerance is 0
FLOAT_ATOL = 1e-12


def test_stationary_lna_variance_is_u_over_m() -> None:
    phi, r, qE = sympy.symbols("phi r qE", positive=True)
    f = r * phi * (1 - phi) - qE * phi
    g = r * phi * (1 - phi) + qE * phi
    star = 1 - qE / r
    S = (g / (2 * -sympy.diff(f, phi))).subs(phi, star)
    assert sympy.simplify(S - qE / r) == 0
    assert stationary_variance(HarvestCommons(2.0, 3.0, 1.0), 0.5, sites=10) == pytest.approx(
        9 * 0.25 / 10
    )


@pytest.mark.parametrize("effort", [0.25, 0.5, 0.75])
def test_simulation_mean_agrees_with_mean_field(effort: float) -> None:
    run = simulate_commons(
        COMMONS, [effort / 3, 2 * effort / 3], sites=SITES, x0=0.9, times=TIMES, runs=RUNS, rng=11
    )
    noise = linear_noise(COMMONS, effort, sites=SITES, x0=0.9, times=TIMES)
    tol = agreement_tolerance(noise, RUNS)
    assert np.all(np.abs(run.stock.mean(axis=0) - noise.mean) <= tol + FLOAT_ATOL)
    # the sample variance at the end matches the LNA variance to within its own sampling error
    # (chi-square: SD of a sample variance ~ Var sqrt(2/(R-1)); 4 of them)
    var = run.stock[:, -1].var(ddof=1)
    assert abs(var - noise.variance[-1]) <= 4 * noise.variance[-1] * np.sqrt(2 / (RUNS - 1))
    # harvests split in proportion to efforts and total the mean-field round harvest
    total = run.harvests.sum(axis=1)
    expected = float(round_harvest(COMMONS, effort, 0.9, TIMES[-1]))
    assert (
        abs(total.mean() - expected)
        <= 4 * total.std(ddof=1) / np.sqrt(RUNS) + np.abs(noise.bias).max() * TIMES[-1] * effort
    )
    share = run.harvests[:, 1].sum() / run.harvests.sum()
    assert abs(share - 2 / 3) <= 4 * np.sqrt((2 / 9) / run.harvests.sum() * SITES)


def test_beyond_collapse_everything_dies_and_stays_dead() -> None:
    run = simulate_commons(COMMONS, [1.5], sites=100, x0=0.5, times=[0, 30, 60], runs=50, rng=3)
    assert run.extinct.all() and np.all(run.stock[:, 1:] == 0)
    empty = simulate_commons(COMMONS, [0.0], sites=100, x0=0.0, times=[0, 10], runs=5, rng=3)
    assert np.all(empty.stock == 0)  # no apples, no regrowth: "they never grow back"


def test_seeded_reproducibility() -> None:
    kw: dict[str, Any] = dict(sites=200, x0=0.5, times=[0, 1, 2], runs=7)
    a = simulate_commons(COMMONS, [0.3], rng=5, **kw)
    b = simulate_commons(COMMONS, [0.3], rng=np.random.default_rng(5), **kw)
    c = simulate_commons(COMMONS, [0.3], rng=6, **kw)
    assert np.array_equal(a.stock, b.stock) and np.array_equal(a.harvests, b.harvests)
    assert not np.array_equal(a.stock, c.stock)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(sites=0), "sites"),
        (dict(sites=2.5), "sites"),
        (dict(x0=-0.1), "x0"),
        (dict(x0=2.0), "x0"),
        (dict(x0=float("nan")), "x0"),
        (dict(times=[1, 0]), "times"),
        (dict(times=[-1, 0]), "times"),
        (dict(runs=0), "runs"),
        (dict(efforts=[-0.1]), "efforts"),
        (dict(efforts=[float("nan")]), "efforts"),
        (dict(efforts=[[0.1], [0.1]]), "efforts"),
        (dict(commons="orchard"), "commons"),
    ],
)
def test_error_paths(kwargs: dict, match: str) -> None:
    args: dict[str, Any] = dict(
        commons=COMMONS, efforts=[0.1], sites=10, x0=0.5, times=[0, 1], runs=1
    )
    args.update(kwargs)
    with pytest.raises(ParameterError, match=match) as err:
        simulate_commons(**args)
    assert isinstance(err.value, DynamicsError)


def test_lna_error_paths() -> None:
    with pytest.raises(ParameterError, match="effort"):
        linear_noise(COMMONS, -1.0, sites=10, x0=0.5, times=[0, 1])
    with pytest.raises(ParameterError, match="effort"):
        stationary_variance(COMMONS, 1.0, sites=10)
    with pytest.raises(ParameterError, match="sites"):
        stationary_variance(COMMONS, 0.5, sites=0)
    noise = linear_noise(COMMONS, 0.5, sites=10, x0=0.5, times=[0, 1])
    with pytest.raises(ParameterError, match="runs"):
        agreement_tolerance(noise, 0)


def test_interrupt_keeps_what_was_computed() -> None:
    run = simulate_commons(
        COMMONS,
        [0.5],
        sites=500,
        x0=0.5,
        times=np.linspace(0, 50, 51),
        runs=4,
        rng=InterruptingGenerator(1, 3000, "exponential"),
    )
    assert run.interrupted
    assert 0 < len(run.times) < 51 and run.stock.shape == (4, len(run.times))
    full = simulate_commons(
        COMMONS,
        [0.5],
        sites=500,
        x0=0.5,
        times=[0, 1],
        runs=4,
        rng=InterruptingGenerator(1, 10**9, "exponential"),
        progress=True,
    )
    assert not full.interrupted and full.stock.shape == (4, 2)


@pytest.mark.parametrize("size", [np.int64(20), np.int32(20), Fraction(20)])
def test_sizes_given_as_numpy_integers_or_whole_fractions_are_accepted(size: Any) -> None:
    # issue 17: np.int64 and whole Fractions are the integers they spell, as elsewhere
    kw: dict[str, Any] = dict(x0=0.5, times=[0.0, 1.0], rng=3)
    ref = simulate_commons(COMMONS, [0.5], sites=20, runs=20, **kw)
    out = simulate_commons(COMMONS, [0.5], sites=size, runs=size, **kw)
    assert np.array_equal(out.stock, ref.stock) and out.sites == 20
    assert type(out.sites) is int
    noise = linear_noise(COMMONS, 0.5, sites=size, x0=0.5, times=[0, 1])
    ref_noise = linear_noise(COMMONS, 0.5, sites=20, x0=0.5, times=[0, 1])
    assert np.array_equal(noise.variance, ref_noise.variance)
    assert stationary_variance(COMMONS, 0.25, sites=size) == stationary_variance(
        COMMONS, 0.25, sites=20
    )
    assert np.array_equal(agreement_tolerance(noise, size), agreement_tolerance(noise, 20))


@pytest.mark.parametrize("bad", [2.5, Fraction(5, 2), True, "3", np.float64(3.0)])
def test_sizes_that_are_not_integers_are_refused_naming_them(bad: Any) -> None:
    kw: dict[str, Any] = dict(x0=0.5, times=[0.0, 1.0], rng=3)
    with pytest.raises(ParameterError, match="sites"):
        simulate_commons(COMMONS, [0.5], sites=bad, **kw)
    with pytest.raises(ParameterError, match="runs"):
        simulate_commons(COMMONS, [0.5], sites=10, runs=bad, **kw)
    with pytest.raises(ParameterError, match="sites"):
        stationary_variance(COMMONS, 0.25, sites=bad)
    noise = linear_noise(COMMONS, 0.5, sites=10, x0=0.5, times=[0, 1])
    with pytest.raises(ParameterError, match="runs"):
        agreement_tolerance(noise, bad)
