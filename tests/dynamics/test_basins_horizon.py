"""Basins that say when they are unsure (issue 13): the horizon extended where too many starts
are undecided, a warning where that does not help, and the result's ``horizon``."""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest
import sympy

from dynamics.basins import (
    HORIZON_CAP,
    UNDECIDED_SHARE,
    Fate,
    Horizon,
    basin_sizes,
    basins,
    simplex_sample,
)
from dynamics.errors import ParameterError, UndecidedWarning
from theory.games import Game

a = sympy.Symbol("a", positive=True)
#: Rock-paper-scissors with win a and loss 1: the interior rest point is a stable spiral for
#: a > 1, converging slowly (at a = 2 most starts are still circling at t = 60).
RPS = Game.symmetric([[0, -1, a], [a, 0, -1], [-1, a, 0]])
CENTRE = Fate("rest", (0, 1, 2), point=(0.333, 0.333, 0.333))
STARTS = simplex_sample(3, 200, rng=0)


def test_rps_at_60_is_extended_until_decided():
    with warnings.catch_warnings():
        warnings.simplefilter("error", UndecidedWarning)  # nothing to warn about
        b = basins(RPS.at(a=2), STARTS, 60.0)
    assert set(b.fates) == {CENTRE}
    h = b.horizon
    assert h.requested == 60.0 and 60.0 < h.reached <= HORIZON_CAP * 60.0
    assert h.extended and h.sure and h.undecided == 0.0 and h.limit == UNDECIDED_SHARE
    assert b.t_end == 60.0  # the time asked for; how far it went is the horizon's


def test_without_room_to_extend_it_warns_and_says_so():
    with pytest.warns(UndecidedWarning, match=r"140 of 200 starts \(70\.0%\) are undecided"):
        b = basins(RPS.at(a=2), STARTS, 60.0, t_max=60.0)
    assert sum(f.kind == "undecided" for f in b.fates) == 140
    h = b.horizon
    assert not h.extended and not h.sure and h.undecided == pytest.approx(0.7)
    assert "more than the limit even at t_max = 60" in str(h)


def test_a_generous_limit_extends_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error", UndecidedWarning)
        b = basins(RPS.at(a=2), STARTS, 60.0, undecided=0.8)
    assert not b.horizon.extended and b.horizon.undecided == pytest.approx(0.7)


def test_decided_fates_are_kept_only_undecided_ones_rerun():
    """A start decided at t_end keeps its fate; the extension only decides more."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndecidedWarning)
        short = basins(RPS.at(a=2), STARTS, 60.0, t_max=60.0)
    long = basins(RPS.at(a=2), STARTS, 60.0)
    for f, g in zip(short.fates, long.fates, strict=True):
        assert f.kind == "undecided" or f == g


def test_streamed_sizes_agree_with_basins_and_executors():
    b = basins(RPS.at(a=2), simplex_sample(3, 150, rng=3), 60.0, chunk=50)
    with ThreadPoolExecutor(2) as ex:
        s = basin_sizes(RPS.at(a=2), 150, 60.0, rng=3, chunk=50, executor=ex)
    assert dict(s.counts) == {f: c for f, c, *_ in b.table()}
    assert s.horizon == b.horizon


def test_centre_at_equal_win_and_loss_stays_undecided_and_warns():
    """a = 1: the interior rest point is a centre; orbits cycle for ever, never decided."""
    with pytest.warns(UndecidedWarning, match="undecided"):
        s = basin_sizes(RPS.at(a=1), 40, 20.0, rng=0, t_max=40.0)
    assert s.horizon.reached == 40.0 and not s.horizon.sure


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"undecided": -0.1}, "undecided must be a share in"),
        ({"undecided": True}, "undecided must be a share in"),
        ({"t_max": 30.0}, r"t_max must be a finite number >= t_end = 60"),
        ({"t_max": float("inf")}, "t_max must be a finite number"),
    ],
)
def test_bad_options(kw, message):
    with pytest.raises(ParameterError, match=message):
        basins(RPS.at(a=2), STARTS[:2], 60.0, **kw)


def test_horizon_text():
    assert str(Horizon(60.0, 60.0, 480.0, 0.01, 0.05)) == "t = 60: 1.0% undecided (limit 5.0%)"
