"""Long-run analysis: itineraries, the seed's cycle, time averages, trapping sets."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamics.errors import ParameterError, SimplexError
from dynamics.flows import replicator
from dynamics.integrate import integrate
from dynamics.longrun import (
    ALMOST_ALL,
    ItineraryTracker,
    average_identity_residual,
    cycle_label,
    heteroclinic_cycle,
    recurrence_period,
    time_share,
    trapping_radius,
    vertex_itinerary,
)
from modal import SEED_AGENTS
from tests.dynamics.strategies import simplex_points
from theory.modal_game import modal_game

D, C, F, P = range(4)
RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]


def modal(eps: str = "1/10") -> np.ndarray:
    return modal_game(SEED_AGENTS, eps).astype(float)


@pytest.fixture(scope="module")
def seed_orbit():
    """One interior orbit of the modal game at eps = 1/10, to t = 3000 (log coordinates)."""
    return integrate(modal(), [0.25, 0.25, 0.25, 0.25], 3000.0, n_out=6001)


def test_the_seed_cycle_is_found(seed_orbit):
    it = vertex_itinerary(seed_orbit.x[0])
    assert heteroclinic_cycle(it, rounds=2) == (C, P, F)
    assert cycle_label((C, P, F), "DCFP") == "C→P→F"


def test_most_time_with_almost_all_fairbots_and_defectbots_pushed_out(seed_orbit):
    x, t = seed_orbit.x[0], seed_orbit.t
    assert time_share(x, t, F, share=ALMOST_ALL) > 0.5
    assert x[x.shape[0] // 2 :, D].max() < 1e-100  # effectively extinct in the second half


def test_cycle_time_average_vs_the_interior_equilibrium(seed_orbit):
    eps = 0.1
    xstar = np.array([0, eps, 1 - 1.5 * eps, eps / 2])
    mean = seed_orbit.mean[0]
    # The identity holds for the batched scheme to round-off: log x and the average are
    # integrated by the same linear RK combination.
    resid = average_identity_residual(
        modal(), seed_orbit.x[0, 0], seed_orbit.x[0, -1], mean, 3000.0
    )
    assert resid < 1e-10
    # Stated tolerance: |xbar - x*| < eps. The average stays O(eps) from x* (both near the F
    # vertex) but does not converge to it (heteroclinic cycle, Gaunersdorfer 1992): the gap at T
    # is not smaller than half the gap at T/2, as it would be for 1/T convergence.
    gap = np.max(np.abs(mean - xstar))
    assert gap < eps
    half = np.trapezoid(seed_orbit.x[0, :3001], seed_orbit.t[:3001], axis=0) / 1500.0
    assert gap > 0.5 * np.max(np.abs(half - xstar))


def test_rps_time_average_converges_to_the_centre():
    # closed orbits: log-ratios stay bounded, so |xbar - x*| = O(1/T) (identity)
    tr = integrate(RPS, [0.5, 0.3, 0.2], 400.0, n_out=2, rtol=1e-10, atol=1e-12)
    # (A xbar)_i - (A xbar)_j = drift; for RPS A's tangent restriction is invertible with
    # norm ~1, and the log-ratio change over T is at most ~2 log(0.5/0.15): gap <= 3/T
    assert np.max(np.abs(tr.mean[0] - 1 / 3)) < 3 / 400
    assert average_identity_residual(RPS, tr.x[0, 0], tr.x[0, -1], tr.mean[0], 400.0) < 1e-10


def test_rps_orbits_are_periodic_with_the_linear_period_near_the_centre():
    # eigenvalues at the centre: +-i/sqrt(3): period 2 pi sqrt(3) for small orbits
    tr = integrate(
        RPS, [0.34, 1 / 3, 1 / 3 - 0.34 + 1 / 3], 60.0, n_out=6001, rtol=1e-10, atol=1e-12
    )
    period = recurrence_period(tr.x[0], tr.t, radius=1e-4, min_gap=5.0)
    assert period == pytest.approx(2 * np.pi * np.sqrt(3), rel=0.01)


def test_a_converging_orbit_has_no_recurrence():
    tr = integrate([[0, 1], [1, 0]], [0.9, 0.1], 60.0, n_out=601)
    assert recurrence_period(tr.x[0], tr.t, radius=1e-6, min_gap=5.0) is None


@given(st.sampled_from(["1/5", "1/10", "1/20", "1/100"]))
def test_defectbot_trapping_radius_is_eps(eps):
    assert trapping_radius(modal_game(SEED_AGENTS, eps), D) == pytest.approx(
        float(Fraction(eps)), abs=1e-12
    )
    for v in (C, F, P):  # not strict Nash: no trap
        assert trapping_radius(modal_game(SEED_AGENTS, eps), v) == 0.0


@given(simplex_points(4))
def test_defectbot_grows_inside_its_trapping_set(x):
    A = modal()
    r = trapping_radius(A, D)
    y = (1 - 0.999 * r) * np.eye(4)[D] + 0.999 * r * x  # x_D > 1 - r
    # off the vertex by more than round-off: at y = e_D (up to 1e-16) the field is 0 and its
    # sign is the rounding's
    if 1 - y[D] > 1e-9:
        assert replicator(A, y)[0, D] > 0


def test_itinerary_tracker_matches_the_offline_itinerary(seed_orbit):
    tracker = ItineraryTracker(1, 4, memory=50, traps={D: trapping_radius(modal(), D)})
    integrate(modal(), [0.25, 0.25, 0.25, 0.25], 3000.0, n_out=2, observer=tracker)
    assert tracker.itinerary(0) == vertex_itinerary(seed_orbit.x[0])
    assert tracker.trapped[0] == -1


def test_tracker_records_trap_entry_and_late_maxima():
    tracker = ItineraryTracker(2, 4, traps={D: 0.1}, window_from=50.0)
    integrate(
        modal(), [[0.9, 0.05, 0.03, 0.02], [0.05, 0.3, 0.3, 0.35]], 100.0, n_out=2, observer=tracker
    )
    assert tracker.trapped.tolist()[0] == D and tracker.trapped_at[0] < 100
    assert tracker.late_max[1, D] < 1e-10 < tracker.late_max[1, F]


def test_itinerary_helpers():
    assert vertex_itinerary([[0.2, 0.8]]) == ()
    assert heteroclinic_cycle((1, 2)) is None
    assert heteroclinic_cycle((0, 1, 2, 0, 1, 2, 0), rounds=2) == (0, 1, 2)
    assert heteroclinic_cycle((0, 1, 2, 0), rounds=2) is None
    assert time_share([[1.0, 0.0], [1.0, 0.0]], [0, 1], 0) == 1.0


@pytest.mark.parametrize(
    "call, exc",
    [
        (lambda: vertex_itinerary([[1.0, 0.0]], share=0.3), ParameterError),
        (lambda: vertex_itinerary([1.0, 0.0]), ParameterError),
        (lambda: heteroclinic_cycle((0, 1, 2, 0), rounds=0), ParameterError),
        (lambda: time_share([[1.0, 0.0]], [0, 1], 0), ParameterError),
        (lambda: time_share([[1.0, 0.0], [1.0, 0.0]], [0, 1], 5), ParameterError),
        (lambda: recurrence_period([[1.0, 0.0]], [0, 1]), ParameterError),
        (lambda: trapping_radius(np.eye(2), 2), ParameterError),
        (
            lambda: average_identity_residual(RPS, [1, 0, 0], [1, 0, 0], [1, 0, 0], 1.0),
            ParameterError,
        ),
        (
            lambda: average_identity_residual(RPS, [0.5, 0.5, 0], [0.5, 0.5, 0], [1, 0, 0], 0.0),
            ParameterError,
        ),
        (
            lambda: average_identity_residual(RPS, [0.5, 0.6, 0], [0.5, 0.5, 0], [1, 0, 0], 1.0),
            SimplexError,
        ),
    ],
)
def test_errors(call, exc):
    with pytest.raises(exc):
        call()
