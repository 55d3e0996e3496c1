"""The evolution experiment's fast parts (the whole experiment runs in ``numpol reproduce``)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from numpol.experiments import evolution, evolution_basins, evolution_cycles, evolution_entry
from numpol.registry import experiments


def test_registered():
    assert {"evolution", "evolution-basins"} <= set(experiments())


def test_rest_points_row():
    res = evolution._rest_points(np.random.default_rng(0))
    (claim,) = res.claims
    assert claim.id == "MC-09" and claim.agrees
    assert len(res.tables[0].rows) == 8
    assert sum(r[4] == "yes" for r in res.tables[0].rows) == 3  # the seed's three equilibria


def test_stability_row():
    (claim,) = evolution._stability(np.random.default_rng(1)).claims
    assert claim.id == "MC-10" and claim.agrees, claim.simulation


def test_spiral_rule():
    lam = complex(0.0123, 0.92)
    period = 2 * np.pi / lam.imag
    assert evolution.spiral_matches(lam.real * 1.01, period * 0.99, lam)
    # 3% off in rate, or in period, is outside SPIRAL_RTOL = 2%: the row disagrees
    assert not evolution.spiral_matches(lam.real * 1.03, period, lam)
    assert not evolution.spiral_matches(lam.real, period * 1.03, lam)


def test_cycling_rule():
    shares, dmax = np.array([0.6, 0.7, 0.9]), np.array([1e-9, 1e-12, 1e-7])
    assert evolution_cycles.cycling_agrees({"C→P→F"}, 0.85, shares, dmax)
    # another cycle, too few cycling starts, too little time with FairBots, DefectBot back
    assert not evolution_cycles.cycling_agrees({"C→P→F", "C→F"}, 0.85, shares, dmax)
    assert not evolution_cycles.cycling_agrees({"C→P→F"}, 0.8, shares, dmax)
    assert not evolution_cycles.cycling_agrees({"C→P→F"}, 0.85, shares * 0.5, dmax)
    assert not evolution_cycles.cycling_agrees({"C→P→F"}, 0.85, shares, dmax * 100)


def test_time_average_rule():
    ok = [evolution_cycles.IDENTITY_TOL / 10]
    assert evolution_cycles.averages_do_not_converge(ok, np.array([0.8, 1.0, 1.2]))
    # averages converging like 1/T (gap halves with T doubled), or the identity failing
    assert not evolution_cycles.averages_do_not_converge(ok, np.array([0.5, 0.5, 0.49]))
    assert not evolution_cycles.averages_do_not_converge(
        [evolution_cycles.IDENTITY_TOL * 2], np.array([0.8, 1.0, 1.2])
    )


def test_basin_shrink_rule():
    shrinking = [(0.4, 0.38, 0.42), (0.2, 0.18, 0.22), (0.05, 0.04, 0.06), (0.01, 0.0, 0.07)]
    assert evolution_basins.basin_shrinks(shrinking)
    # overlapping intervals at one step, or a larger last estimate: no
    overlap = [shrinking[0], (0.37, 0.35, 0.39), *shrinking[2:]]
    assert not evolution_basins.basin_shrinks(overlap)
    assert not evolution_basins.basin_shrinks([*shrinking[:3], (0.06, 0.0, 0.1)])


def test_entry_rule():
    good = dict(switch=True, first_ok=True, d_only=True, threshold=4, all_three=7, clean=7)
    assert evolution_entry.entry_row_agrees(Fraction(1, 10), **good)
    for bad in (
        {"switch": False},
        {"first_ok": False},
        {"d_only": False},
        {"threshold": 5},
        {"all_three": 6},
    ):
        assert not evolution_entry.entry_row_agrees(Fraction(1, 10), **{**good, **bad})
    # the threshold and the all-three condition are the seed's statement at eps = 1/10 only
    assert evolution_entry.entry_row_agrees(Fraction(1, 5), **{**good, "threshold": 9})
