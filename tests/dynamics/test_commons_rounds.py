"""Repeated rounds with a greedy principal: limits, trajectories, reproducibility, errors."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from dynamics.commons import greedy_limits, greedy_rounds, nash_efforts_by_tax
from dynamics.errors import ParameterError
from theory.commons import HarvestCommons, HarvesterType, maximum_sustainable_yield
from theory.policy.voting import draw_types

COMMONS = HarvestCommons(1, 100, 1)
SELFISH = [HarvesterType(1, 1)] * 4
# Stock after many rounds vs the exact limit: the mean-field round map converges geometrically,
# 1e-6 of K is far above float error and far below any effect we read off.
STOCK_ATOL = 1e-4


def test_short_rounds_settle_at_the_untaxed_nash_stock_long_rounds_at_msy() -> None:
    lim = greedy_limits(COMMONS, SELFISH, [f"{i}/10" for i in range(11)])
    assert lim.short_tax == 0 and lim.short_stock == 20  # K/(N+1)
    assert lim.long_tax == 1 and lim.long_stock == maximum_sustainable_yield(COMMONS).stock
    m = HarvestCommons(1.0, 100.0, 1.0)
    short = greedy_rounds(m, SELFISH, round_length=0.1, rounds=1500, x0=100.0)
    long_ = greedy_rounds(m, SELFISH, round_length=100.0, rounds=20, x0=100.0)
    assert short.stocks[0, -1] == pytest.approx(float(lim.short_stock), abs=STOCK_ATOL)
    assert long_.stocks[0, -1] == pytest.approx(float(lim.long_stock), abs=STOCK_ATOL)


def test_stochastic_rounds_are_seeded_and_track_the_mean_field() -> None:
    m = HarvestCommons(1.0, 100.0, 1.0)
    kw: dict[str, Any] = dict(round_length=20.0, rounds=4, x0=100.0, sites=400, runs=30)
    a = greedy_rounds(m, SELFISH, rng=2, **kw)
    b = greedy_rounds(m, SELFISH, rng=2, **kw)
    assert np.array_equal(a.stocks, b.stocks) and np.array_equal(a.taxes, b.taxes)
    mf = greedy_rounds(m, SELFISH, round_length=20.0, rounds=4, x0=100.0)
    # stationary LNA SD of the stock: K sqrt(u/M) = 100 sqrt(0.5/400) = 3.5; mean of 30 runs
    sd = 100 * np.sqrt(0.5 / 400)
    assert abs(a.stocks[:, -1].mean() - mf.stocks[0, -1]) <= 4 * sd / np.sqrt(30) + 1.0


def test_nash_efforts_fall_with_the_tax_for_selfish_trusting_agents() -> None:
    eff = nash_efforts_by_tax(COMMONS, SELFISH).sum(axis=1)
    assert np.all(np.diff(eff) < 0)


def test_random_types_run_and_report_eta() -> None:
    types = draw_types(5, rng=3)
    res = greedy_rounds(
        HarvestCommons(1.0, 100.0, 1.0, 10.0), types, round_length=2.0, rounds=5, x0=80.0
    )
    assert res.eta == pytest.approx(np.mean(types.selfishness))
    assert res.stocks.shape == (1, 6) and res.taxes.shape == (1, 5)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(round_length=0.0), "round_length"),
        (dict(round_length=float("nan")), "round_length"),
        (dict(rounds=0), "rounds"),
        (dict(x0=-1.0), "x0"),
        (dict(x0=1000.0), "x0"),
        (dict(tax_grid=[1.5]), "tax_grid"),
        (dict(tax_grid=[]), "tax_grid"),
        (dict(types=[HarvesterType(1, 1)]), "2 agents"),
    ],
)
def test_error_paths(kwargs: dict, match: str) -> None:
    args: dict[str, Any] = dict(
        commons=HarvestCommons(1.0, 100.0, 1.0), types=SELFISH, round_length=1.0, rounds=2, x0=50.0
    )
    args.update(kwargs)
    with pytest.raises(ParameterError, match=match):
        greedy_rounds(**args)


@pytest.mark.parametrize("size", [np.int64(3), Fraction(3)])
def test_sizes_given_as_numpy_integers_or_whole_fractions_are_accepted(size: Any) -> None:
    # issue 17: rounds, sites and runs as numpy integers or whole Fractions
    m = HarvestCommons(1.0, 100.0, 1.0)
    kw: dict[str, Any] = dict(round_length=5.0, x0=100.0, rng=1)
    ref = greedy_rounds(m, SELFISH, rounds=3, sites=30, runs=3, **kw)
    out = greedy_rounds(m, SELFISH, rounds=size, sites=size * 10, runs=size, **kw)
    assert np.array_equal(out.stocks, ref.stocks) and np.array_equal(out.taxes, ref.taxes)


@pytest.mark.parametrize("bad", [2.5, Fraction(61, 2), True, "30"])
def test_sizes_that_are_not_integers_are_refused_not_truncated(bad: Any) -> None:
    # sites=30.5 was silently int()-ed to 30
    m = HarvestCommons(1.0, 100.0, 1.0)
    kw: dict[str, Any] = dict(round_length=5.0, x0=100.0, rng=1)
    with pytest.raises(ParameterError, match="sites"):
        greedy_rounds(m, SELFISH, rounds=2, sites=bad, **kw)
    with pytest.raises(ParameterError, match="rounds"):
        greedy_rounds(m, SELFISH, rounds=bad, **kw)
    with pytest.raises(ParameterError, match="runs"):
        greedy_rounds(m, SELFISH, rounds=2, sites=30, runs=bad, **kw)
