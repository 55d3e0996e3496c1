"""The evolution experiment's fast parts (the whole experiment runs in ``numpol reproduce``)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from numpol.experiments import (
    evolution,
    evolution_basins,
    evolution_cycles,
    evolution_entry,
    evolution_verdicts,
)
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


E = Fraction(1, 10)
SEED_EQ = [(1, 0, 0, 0), (1 - E, 0, E, 0), (0, E, 1 - 3 * E / 2, E / 2)]
VERTICES = [tuple(int(i == j) for j in range(4)) for i in range(4)]


def test_rest_points_verdict():
    extra = (Fraction(4, 5), 0, 0, Fraction(1, 5))  # a non-Nash rest point: allowed
    assert (
        evolution_verdicts.rest_points_verdict([*VERTICES, *SEED_EQ, extra], SEED_EQ, SEED_EQ)
        == "yes"
    )
    # a vertex missing, a seed equilibrium not a rest point, an extra Nash rest point: no
    assert (
        evolution_verdicts.rest_points_verdict([*VERTICES[:-1], *SEED_EQ], SEED_EQ, SEED_EQ) == "no"
    )
    assert (
        evolution_verdicts.rest_points_verdict([*VERTICES, *SEED_EQ[:2]], SEED_EQ[:2], SEED_EQ)
        == "no"
    )
    nash = [*SEED_EQ, extra]
    assert evolution_verdicts.rest_points_verdict([*VERTICES, *nash], nash, SEED_EQ) == "no"


def test_rest_points_row_verdict_is_computed():
    (claim,) = evolution._rest_points(np.random.default_rng(0)).claims
    assert claim.seed_holds == "yes"


def test_stability_verdict():
    import sympy

    lam = sympy.Rational(1, 400) + 3 * sympy.sqrt(151) * sympy.I / 400
    d, mix = [-1, -E, -2 * E], [-Fraction(4, 5), -E, Fraction(9, 100)]
    assert evolution_verdicts.stability_verdict(d, mix, [lam, sympy.conjugate(lam)]) == "yes"
    # D not stable, the mix stable, an inward spiral, a fast spiral, a real (non-spiral) pair
    assert evolution_verdicts.stability_verdict([*d, 0], mix, [lam]) == "no"
    assert evolution_verdicts.stability_verdict(d, [-1, -2], [lam]) == "no"
    assert evolution_verdicts.stability_verdict(d, mix, [-lam]) == "no"
    assert (
        evolution_verdicts.stability_verdict(d, mix, [sympy.Rational(1, 10) + sympy.I / 10]) == "no"
    )
    assert evolution_verdicts.stability_verdict(d, mix, [sympy.Rational(1, 100), 2]) == "no"


def test_eps_verdict():
    a, b, c = Fraction(1, 5), Fraction(1, 10), Fraction(1, 20)
    assert evolution_verdicts.eps_verdict({a: True, b: True}) == ("yes", "")
    assert evolution_verdicts.eps_verdict({a: False, b: False}) == ("no", "")
    verdict, cond = evolution_verdicts.eps_verdict({a: False, b: True, c: True})
    assert verdict == "conditional" and cond.startswith("ε ≤ 1/10")
    # holding at a larger eps but failing at a smaller one is not a small-eps claim: no
    assert evolution_verdicts.eps_verdict({a: True, b: False})[0] == "no"
    assert evolution_verdicts.eps_verdict({a: True, b: None})[0] == "open"


def test_cycling_holds():
    shares, dmax = np.array([0.6, 0.7, 0.9]), np.array([1e-9, 1e-12, 1e-7])
    holds = evolution_verdicts.cycling_holds
    assert holds({"C→P→F"}, 147, 150, shares, dmax) is True
    # too few cycling starts (interval below 90%), or straddling it (undecided)
    assert holds({"C→P→F"}, 120, 150, shares, dmax) is False
    assert holds({"C→P→F"}, 139, 150, shares, dmax) is None
    # another cycle, too little time with FairBots, DefectBot not pushed down
    assert holds({"C→P→F", "C→F"}, 147, 150, shares, dmax) is False
    assert holds({"C→P→F"}, 147, 150, shares * 0.5, dmax) is False
    assert holds({"C→P→F"}, 147, 150, shares, dmax * 100) is False


def test_time_average_verdict():
    def verdict(*a):
        return evolution_verdicts.time_average_verdict(*a, tol=evolution_cycles.IDENTITY_TOL)

    ok, ratio = [evolution_cycles.IDENTITY_TOL / 10], np.array([0.9, 1.1, 1.0])
    rho, saturated, invaded = Fraction(9, 4), [-E, -E, -E], [Fraction(1), -E, -E]
    assert verdict(ok, ratio, rho, saturated) == "yes"
    assert verdict(ok, ratio, rho, invaded) == "open"  # seen, but no theorem behind it
    assert verdict(ok, ratio, Fraction(1, 2), saturated) == "open"  # cycle repels in its face
    assert verdict(ok, np.array([0.5, 0.4, 0.45]), rho, saturated) == "no"  # converging
    assert verdict([evolution_cycles.IDENTITY_TOL], ratio, rho, saturated) == "open"


def test_basin_verdict():
    shrinking = [(0.4, 0.38, 0.42), (0.2, 0.18, 0.22), (0.05, 0.04, 0.06), (0.01, 0.0, 0.07)]
    assert evolution_basins.basin_verdict(shrinking, True) == "yes"
    assert evolution_basins.basin_verdict(shrinking, False) == "open"
    grows = [shrinking[0], (0.5, 0.45, 0.55), *shrinking[2:]]
    assert evolution_basins.basin_verdict(grows, True) == "no"
    overlap = [shrinking[0], (0.37, 0.35, 0.39), *shrinking[2:]]
    assert evolution_basins.basin_verdict(overlap, True) == "open"


def test_entry_holds():
    assert evolution_entry.entry_holds(switch=True, d_only=True, threshold=4)
    assert evolution_entry.entry_holds(switch=True, d_only=True, threshold=0)
    assert not evolution_entry.entry_holds(switch=True, d_only=True, threshold=9)
    assert not evolution_entry.entry_holds(switch=False, d_only=True, threshold=2)
    assert not evolution_entry.entry_holds(switch=True, d_only=False, threshold=2)


def test_eps_verdict_refuses_no_penalty():
    import pytest

    from numpol.errors import NumpolError

    with pytest.raises(NumpolError, match="penalty"):
        evolution_verdicts.eps_verdict({})
