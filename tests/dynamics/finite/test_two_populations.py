"""Two finite populations under the Fermi rule (dynamics.finite.two_populations)."""

import numpy as np
import pytest

from dynamics.basins import wilson_interval
from dynamics.errors import ParameterError
from dynamics.finite.two_populations import (
    simulate_two_populations,
    two_population_fermi,
    two_population_fixation,
    two_population_moran,
    two_population_stationary_distribution,
    two_population_transition_matrix,
)
from theory.errors import ShapeError

PENNIES = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
SEXES = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])


def test_rows_are_distributions_and_steps_move_one_individual():
    P = two_population_transition_matrix(two_population_fermi(SEXES, (4, 6), beta=1.5, mu=0.05))
    assert np.allclose(P.sum(axis=1), 1) and P.min() >= 0
    rows, cols = P.nonzero()
    di, dj = np.divmod(cols, 7)[0] - np.divmod(rows, 7)[0], cols % 7 - rows % 7
    assert np.all(np.abs(di) + np.abs(dj) <= 1)


def test_matching_pennies_is_symmetric_under_relabelling():
    """Swapping both populations' strategy labels maps pennies to itself."""
    pi = two_population_stationary_distribution(two_population_fermi(PENNIES, (8, 8), mu=0.02))
    assert np.allclose(pi, pi[::-1, ::-1], atol=1e-13)
    assert pi.sum() == pytest.approx(1.0)


def test_battle_of_the_sexes_mass_at_the_strict_equilibria():
    """Swapping populations and labels maps the battle of the sexes to itself: both strict
    equilibria carry the same mass, and almost all of it for rare mutations."""
    pi = two_population_stationary_distribution(
        two_population_fermi(SEXES, (10, 10), beta=3.0, mu=1e-3)
    )
    # the sparse direct solve loses digits as mu -> 0 (nearly absorbing states): 1e-7 here
    assert np.allclose(pi, pi[::-1, ::-1].T, atol=1e-6)
    assert pi[10, 10] == pytest.approx(pi[0, 0], rel=1e-5)
    assert pi[10, 10] + pi[0, 0] > 0.95


def test_neutral_populations_are_independent():
    pi = two_population_stationary_distribution(two_population_fermi(SEXES, (5, 7), beta=0, mu=0.2))
    assert np.allclose(pi, np.outer(pi.sum(axis=1), pi.sum(axis=0)), atol=1e-13)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (
            lambda: two_population_fermi(([[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]]), (3, 3)),
            ShapeError,
        ),
        (lambda: two_population_fermi(([[1, 2, 3]] * 3, [[1, 2, 3]] * 3), (3, 3)), ParameterError),
        (lambda: two_population_fermi(SEXES, (1, 3)), ParameterError),
        (lambda: two_population_fermi(SEXES, (3, 3), beta=-1), ParameterError),
        (lambda: two_population_fermi(SEXES, (3, 3), mu=1.5), ParameterError),
        (
            lambda: two_population_stationary_distribution(two_population_fermi(SEXES, (3, 3))),
            ParameterError,
        ),
    ],
)
def test_bad_input(call, error):
    with pytest.raises(error):
        call()


# ---------------------------------------------------------------------------------------------
# Moran, fixation, simulation

SEXES_2 = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])


@pytest.mark.parametrize(
    "process",
    [
        two_population_moran(SEXES_2, (6, 5), w=0.5),
        two_population_fermi(SEXES_2, (6, 5), beta=1.5),
    ],
    ids=["moran", "fermi"],
)
def test_simulated_fixation_matches_the_exact_chain(process):
    exact = two_population_fixation(process, (3, 2))
    assert abs(exact.sum() - 1) < 1e-12
    runs = 4000
    ends = simulate_two_populations(process, (3, 2), 50_000, runs=runs, rng=11)
    N1, N2 = process.sizes
    assert np.all(np.isin(ends[:, 0], [0, N1]) & np.isin(ends[:, 1], [0, N2]))  # all absorbed
    for a in (0, 1):
        for b in (0, 1):
            hits = int(
                np.sum(
                    (ends[:, 0] == (N1 if a == 0 else 0)) & (ends[:, 1] == (N2 if b == 0 else 0))
                )
            )
            # z = 3.29 (99.9%) per corner: four corners, a family-wise 0.4% false alarm
            lo, hi = wilson_interval(hits, runs, z=3.29)
            assert lo <= exact[a, b] <= hi, (a, b, hits, exact)


def test_moran_chain_rows_and_neutral_fixation():
    p = two_population_moran(SEXES_2, (4, 3), w=0.0, mu=0.05)
    P = two_population_transition_matrix(p)
    assert np.allclose(P.sum(axis=1), 1) and P.min() >= 0
    neutral = two_population_moran(SEXES_2, (4, 3), w=0.0)
    # neutral drift: each population fixes strategy 0 with probability its initial share
    F = two_population_fixation(neutral, (1, 2))
    assert np.allclose(F.sum(axis=1), [1 / 4, 3 / 4]) and np.allclose(F.sum(axis=0), [2 / 3, 1 / 3])


def test_moran_and_fixation_bad_input():
    with pytest.raises(ParameterError, match="w"):
        two_population_moran(SEXES_2, (4, 4), w=1.5)
    with pytest.raises(ParameterError, match="fitness"):
        two_population_moran(([[-5, 0], [0, 1]], SEXES_2[1]), (4, 4), w=0.5)
    with pytest.raises(ParameterError, match="mu"):
        two_population_fixation(two_population_moran(SEXES_2, (4, 4), mu=0.1), (1, 1))
    with pytest.raises(ParameterError, match="start"):
        two_population_fixation(two_population_moran(SEXES_2, (4, 4)), (5, 1))
    with pytest.raises(ParameterError, match="runs"):
        simulate_two_populations(two_population_moran(SEXES_2, (4, 4)), (1, 1), 10, runs=0)
