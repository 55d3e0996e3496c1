"""The Harvest game's local regrowth rule: neighbourhoods, absorbing states, thresholds."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from dynamics.commons import (
    REGROWTH_PROBABILITIES,
    dead_sites,
    mean_field_collapse_harvest,
    mean_field_fold_harvest,
    mean_field_maximum_yield,
    mean_field_regrowth,
    mean_field_step,
    neighbour_counts,
    neighbourhood_offsets,
    simulate_harvest_grid,
)
from dynamics.errors import ParameterError
from tests.dynamics.interrupting import InterruptingGenerator


def test_neighbourhood_is_the_euclidean_disc_of_radius_two() -> None:
    offsets = {tuple(o) for o in neighbourhood_offsets()}
    assert len(offsets) == 12 and (2, 0) in offsets and (1, 1) in offsets and (2, 1) not in offsets


def test_counts_on_torus_and_with_edges() -> None:
    g = np.zeros((7, 7), dtype=int)
    g[0, 0] = 1
    torus, flat = neighbour_counts(g)[0], neighbour_counts(g, periodic=False)[0]
    assert torus.sum() == 12 and flat.sum() == 5  # (1,0),(2,0),(0,1),(0,2),(1,1) inside
    assert torus[6, 6] == 1 and flat[6, 6] == 0


def test_empty_orchard_is_absorbing_and_a_lone_empty_patch_regrows_only_from_its_rim() -> None:
    out = simulate_harvest_grid(np.zeros((8, 8), dtype=int), harvest=0.0, steps=200, runs=3, rng=1)
    assert np.all(out.apples == 0)
    g = np.ones((15, 15), dtype=int)
    g[4:11, 4:11] = 0  # a 7x7 hole: its 3x3 core has no apple within radius 2
    assert dead_sites(g)[0, 6:9, 6:9].all() and dead_sites(g)[0].sum() == 9


def test_mean_field_thresholds_are_exact() -> None:
    h = mean_field_collapse_harvest()
    assert h == Fraction(3, 103)
    eps = Fraction(1, 10**6)
    # just below h the empty state is unstable, just above it is stable (one step, tiny phi)
    assert (
        mean_field_step(eps, h - Fraction(1, 1000))
        > eps
        > mean_field_step(eps, h + Fraction(1, 1000))
    )
    fold, phi = mean_field_fold_harvest()
    assert float(h) < fold < 0.06
    # bistability between the two: a full orchard persists, a sparse one dies
    mid = (float(h) + fold) / 2
    full, sparse = 1.0, 0.01
    for _ in range(5000):
        full, sparse = mean_field_step(full, mid), mean_field_step(sparse, mid)
    assert full > phi and sparse < 1e-6


def test_maximum_yield_is_the_best_stationary_harvest_from_a_full_orchard() -> None:
    best = mean_field_maximum_yield()
    fold, fold_density = mean_field_fold_harvest()
    assert float(mean_field_collapse_harvest()) < best.hazard < fold
    assert best.density > fold_density
    # a rest point (one step keeps it) that a full orchard reaches at that hazard
    assert mean_field_step(best.density, best.hazard) == pytest.approx(best.density, rel=1e-12)
    phi = 1.0
    for _ in range(6000):
        phi = mean_field_step(phi, best.hazard)
    assert phi == pytest.approx(best.density, rel=1e-9)
    # harvest = regrowth at the rest point
    after = best.density * (1 - best.hazard)
    assert best.harvest == pytest.approx(mean_field_regrowth(after), rel=1e-12)
    # brute force: no hazard on a fine grid sustains more from a full orchard, and the grid's
    # best lies within a grid spacing of the exact maximiser
    hazards = np.linspace(0.0, 0.06, 601)
    phi = np.ones_like(hazards)
    for _ in range(6000):
        phi = mean_field_step(phi, hazards)
    sustained = hazards * phi
    assert sustained.max() <= best.harvest * (1 + 1e-12)
    assert abs(hazards[sustained.argmax()] - best.hazard) <= hazards[1]
    assert sustained.max() > 0.999 * best.harvest


def test_no_harvest_full_orchard_stays_full_and_seeded_runs_repeat() -> None:
    out = simulate_harvest_grid(np.ones((5, 5), dtype=int), harvest=0.0, steps=10, rng=0)
    assert np.all(out.apples == 25)
    a = simulate_harvest_grid(np.ones((9, 9), dtype=int), harvest=0.05, steps=50, runs=2, rng=4)
    b = simulate_harvest_grid(np.ones((9, 9), dtype=int), harvest=0.05, steps=50, runs=2, rng=4)
    assert np.array_equal(a.apples, b.apples)


def test_regrowth_probabilities_are_the_seeds() -> None:
    assert [float(p) for p in REGROWTH_PROBABILITIES] == [0, 0.0025, 0.005, 0.025]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(harvest=-0.1), "harvest"),
        (dict(harvest=1.5), "harvest"),
        (dict(steps=-1), "steps"),
        (dict(runs=0), "runs"),
        (dict(grid=np.full((3, 3), 2)), "0 \\(empty\\)"),
        (dict(grid=np.ones(3)), "shape"),
        (dict(grid=np.ones((2, 3, 3)), runs=3), "runs"),
    ],
)
def test_error_paths(kwargs: dict, match: str) -> None:
    args: dict[str, Any] = dict(grid=np.ones((3, 3), dtype=int), harvest=0.1, steps=1, runs=1)
    args.update(kwargs)
    with pytest.raises(ParameterError, match=match):
        simulate_harvest_grid(**args)
    with pytest.raises(ParameterError, match="radius"):
        neighbourhood_offsets(0)


def test_interrupt_keeps_the_steps_done() -> None:
    out = simulate_harvest_grid(
        np.ones((6, 6), dtype=int),
        harvest=0.1,
        steps=100,
        rng=InterruptingGenerator(0, 21, "random"),
        progress=True,
    )
    assert out.interrupted and out.apples.shape == (1, 11)


@pytest.mark.parametrize("size", [np.int64(3), np.int32(3), Fraction(3)])
def test_sizes_given_as_numpy_integers_or_whole_fractions_are_accepted(size: Any) -> None:
    # issue 17: numpy users pass np.int64; a whole Fraction is the integer it spells
    grid = np.ones((6, 6), dtype=int)
    ref = simulate_harvest_grid(grid, harvest=0.1, steps=3, runs=3, rng=0)
    out = simulate_harvest_grid(grid, harvest=0.1, steps=size, runs=size, rng=0)
    assert np.array_equal(out.apples, ref.apples)
    assert len(neighbourhood_offsets(np.int64(2))) == len(neighbourhood_offsets(Fraction(2))) == 12


@pytest.mark.parametrize("bad", [2.5, Fraction(5, 2), True, "3", np.float64(3.0)])
def test_sizes_that_are_not_integers_are_refused_naming_them(bad: Any) -> None:
    grid = np.ones((4, 4), dtype=int)
    with pytest.raises(ParameterError, match="steps"):
        simulate_harvest_grid(grid, harvest=0.1, steps=bad, rng=0)
    with pytest.raises(ParameterError, match="runs"):
        simulate_harvest_grid(grid, harvest=0.1, steps=1, runs=bad, rng=0)
    with pytest.raises(ParameterError, match="radius"):
        neighbourhood_offsets(bad)
