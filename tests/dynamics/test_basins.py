"""Basins: Wilson intervals, samples and grids of the simplex, fates, the DefectBot basin."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from math import comb

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest

from dynamics.basins import (
    Basins,
    Fate,
    basin_sizes,
    basins,
    classify_fates,
    simplex_grid,
    simplex_sample,
    two_population_basin_sizes,
    two_population_basins,
    wilson_interval,
)
from dynamics.errors import DynamicsError, ParameterError, SimplexError
from dynamics.two_populations import two_population_field
from modal import SEED_AGENTS
from theory.errors import ShapeError
from theory.modal_game import modal_game

COORDINATION = [[1, 0], [0, 2]]  # basin boundary at x_0 = 2/3 exactly
D, C, F, P = range(4)
REST_D, REST_F = Fate("rest", (D,)), Fate("rest", (F,))


def modal(eps: str) -> np.ndarray:
    return modal_game(SEED_AGENTS, eps).astype(float)


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_matches_scipy(kn):
    k, n = kn
    lo, hi = wilson_interval(k, n)
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert lo == pytest.approx(ci.low, abs=1e-9) and hi == pytest.approx(ci.high, abs=1e-9)


def test_simplex_sample_is_uniform_and_seeded():
    x = simplex_sample(4, 20_000, rng=7)
    assert np.allclose(x.sum(axis=1), 1) and np.all(x > 0)
    # Dirichlet(1,1,1,1): each share has mean 1/4 and variance 3/80; the sample mean's SE is
    # sqrt(3/80/20000) = 0.0014; 5 SE = 0.007
    assert np.all(np.abs(x.mean(axis=0) - 0.25) < 0.007)
    assert np.array_equal(simplex_sample(4, 5, rng=1), simplex_sample(4, 5, rng=1))
    g = np.random.default_rng(3)
    assert not np.array_equal(simplex_sample(4, 5, rng=g), simplex_sample(4, 5, rng=g))


@given(st.integers(2, 4), st.integers(1, 9), st.booleans())
def test_simplex_grid_counts(n, res, interior):
    if interior and res < n:
        with pytest.raises(ParameterError):
            simplex_grid(n, res, interior=True)
        return
    g = simplex_grid(n, res, interior=interior)
    expected = comb(res - 1, n - 1) if interior else comb(res + n - 1, n - 1)
    assert g.shape == (expected, n)
    assert np.allclose(g.sum(axis=1), 1)
    assert np.all(g > 0) if interior else np.all(g >= 0)


def test_coordination_basins_are_exact():
    # x_0 > 2/3 goes to strategy 0, x_0 < 2/3 to strategy 1 (the interior rest point)
    g = simplex_grid(2, 30, interior=True)
    g = g[np.abs(g[:, 0] - 2 / 3) > 1e-9]
    b = classify_fates(COORDINATION, g, 200.0, names="XY")
    x_wins = [f == Fate("rest", (0,)) for f in b.fates]
    assert x_wins == [bool(x0 > 2 / 3) for x0 in g[:, 0]]
    assert {str(f) for f in b.distinct} == {"rest X", "rest Y"}


def test_stable_interior_rest_point_fate():
    b = classify_fates([[0, 1], [1, 0]], [[0.9, 0.1]], 80.0)
    assert b.fates == (Fate("rest", (0, 1), point=(0.5, 0.5)),)
    assert str(b.fates[0]) == "rest (0.500, 0.500)"


def test_defectbot_basin_for_two_eps_with_intervals():
    # 600 uniform interior starts per eps; the same starts for both (common random numbers)
    x0 = simplex_sample(4, 600, rng=11)
    big = basins(modal("1/5"), x0, 200.0, names="DCFP")
    small = basins(modal("1/20"), x0, 800.0, names="DCFP")
    p1, lo1, hi1 = big.fraction(REST_D)
    p2, lo2, hi2 = small.fraction(REST_D)
    assert lo1 <= p1 <= hi1 and lo2 <= p2 <= hi2
    assert hi2 < lo1  # the 95% intervals are disjoint: the basin shrank
    # the D basin at the smaller eps is (nearly) nested in the one at the larger eps
    in_small = np.array([f == REST_D for f in small.fates])
    in_big = np.array([f == REST_D for f in big.fates])
    assert np.sum(in_small & ~in_big) <= 1


def test_fates_do_not_change_when_the_horizon_doubles():
    x0 = simplex_sample(4, 150, rng=5)
    a = basins(modal("1/10"), x0, 200.0, names="DCFP")
    b = basins(modal("1/10"), x0, 400.0, names="DCFP")
    da = np.array([f == REST_D for f in a.fates])
    db = np.array([f == REST_D for f in b.fates])
    assert np.array_equal(da, db)


def test_face_starts_use_the_face_game():
    # on the face D, F, P (no CooperateBots) FairBot is a strict equilibrium of the sub-game
    x0 = simplex_sample(4, 40, support=[0, 2, 3], rng=2)
    b = classify_fates(modal("1/10"), x0, 400.0, names="DCFP")
    assert set(b.fates) <= {REST_D, REST_F}
    assert REST_F in b.fates
    assert {str(f) for f in b.fates} <= {"rest D", "rest F"}


def test_executors_give_the_same_fates():
    x0 = simplex_sample(4, 60, rng=9)
    serial = basins(modal("1/10"), x0, 150.0, names="DCFP", chunk=20)
    with ThreadPoolExecutor(2) as ex:
        threads = basins(modal("1/10"), x0, 150.0, names="DCFP", chunk=20, executor=ex)
    assert serial.fates == threads.fates
    assert np.array_equal(serial.final, threads.final)


def test_process_pool_gives_the_same_fates():
    x0 = simplex_sample(4, 40, rng=9)
    serial = basins(modal("1/10"), x0, 100.0, chunk=20)
    with ProcessPoolExecutor(2) as ex:
        procs = basins(modal("1/10"), x0, 100.0, chunk=20, executor=ex)
    assert serial.fates == procs.fates


def test_basins_table_and_fraction():
    a, b_, c = Fate("rest", (0,)), Fate("rest", (1,)), Fate("undecided")
    b = Basins(np.eye(3)[:, :2], (b_, a, b_), 1.0, np.eye(3)[:, :2])
    assert b.distinct == (b_, a)
    assert b.table()[0][:3] == (b_, 2, 2 / 3)
    assert b.fraction(c)[0] == 0.0
    with pytest.raises(ParameterError, match="Fate"):
        b.fraction("rest 0")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "fate, label",
    [
        (Fate("rest", (0,), names=("D", "C")), "rest D"),
        (Fate("rest", (1,)), "rest 1"),
        (Fate("cycle", (1, 3, 2), names=tuple("DCFP")), "cycle C→P→F"),
        (Fate("extinct", (0, 1), names=tuple("DCFP")), "extinct D,C"),
        (Fate("rest", (0, 1), point=(0.25, 0.75)), "rest (0.250, 0.750)"),
        (Fate("undecided"), "undecided"),
    ],
)
def test_fate_labels(fate, label):
    assert str(fate) == label


def test_fates_are_values_whatever_their_names():
    named = Fate("cycle", (1, 3, 2), names=tuple("DCFP"))
    assert named == Fate("cycle", (1, 3, 2)) and hash(named) == hash(Fate("cycle", (1, 3, 2)))
    assert named != Fate("cycle", (1, 2, 3)) and named.kind == "cycle"
    assert Fate("rest", (0,)) != Fate("rest", (0,), point=(1.0, 0.0))
    with pytest.raises(ParameterError, match="kind"):
        Fate("periodic")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call, exc",
    [
        (lambda: wilson_interval(1, 0), ParameterError),
        (lambda: wilson_interval(5, 4), ParameterError),
        (lambda: simplex_sample(1, 5), ParameterError),
        (lambda: simplex_sample(3, 0), ParameterError),
        (lambda: simplex_sample(3, 2, support=[0, 0]), ParameterError),
        (lambda: simplex_sample(3, 2, support=[3]), ParameterError),
        (lambda: simplex_grid(3, 0), ParameterError),
        (lambda: classify_fates(COORDINATION, [[0.5, 0.6]], 1.0), SimplexError),
        (lambda: classify_fates(COORDINATION, [[0.5, 0.5]], 1.0, names="XYZ"), ParameterError),
        (lambda: basins(COORDINATION, [[0.5, 0.5]], 1.0, chunk=0), ParameterError),
    ],
)
def test_errors(call, exc):
    with pytest.raises(exc):
        call()


def test_an_interrupt_keeps_the_finished_chunks(monkeypatch):
    import dynamics.basins as mod

    real = mod._classify_fates
    calls = []

    def flaky(*args, **kw):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kw)

    monkeypatch.setattr(mod, "_classify_fates", flaky)
    x0 = simplex_sample(2, 10, rng=0)
    b = basins(COORDINATION, x0, 50.0, chunk=3, progress=True)
    assert len(b.fates) == 6 and np.array_equal(b.starts, x0[:6])
    calls.clear()
    calls.append(1)
    calls.append(1)  # the next call is the third: interrupt before any chunk finishes
    with pytest.raises(DynamicsError, match="interrupted"):
        basins(COORDINATION, x0, 50.0, chunk=3)


def test_a_dask_executor_gives_the_same_fates():
    from dask import distributed  # a test dependency

    x0 = simplex_sample(4, 30, rng=4)
    serial = basins(modal("1/10"), x0, 100.0, chunk=10)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = basins(modal("1/10"), x0, 100.0, chunk=10, executor=client.get_executor())
    assert serial.fates == remote.fates


def test_logit_fates_use_eta():
    # coordination under logit: strong noise (small eta) leaves one stable interior point;
    # weak noise (large eta) keeps two stable points near the pure equilibria
    x0 = [[0.9, 0.1], [0.1, 0.9]]
    noisy = classify_fates(COORDINATION, x0, 200.0, dynamic="logit", eta=0.5)
    sharp = classify_fates(COORDINATION, x0, 200.0, dynamic="logit", eta=20.0)
    assert len(set(noisy.fates)) == 1
    assert noisy.fates[0].kind == "rest" and noisy.fates[0].point is not None
    assert len(set(sharp.fates)) == 2


# ---- issue 17: streaming, sizes, interrupts ------------------------------------------------


def test_streamed_counts_equal_the_materialised_ones():
    """basin_sizes draws the starts chunk by chunk: same numbers, same counts as basins() on
    simplex_sample(n, k, rng=seed), whatever the chunk size or executor."""
    A = modal("1/5")
    whole = basins(A, simplex_sample(4, 300, rng=3), 60.0, names="DCFP")
    expected = [(f, c) for f, c, *_ in whole.table()]
    for chunk in (7, 2000):
        b = basin_sizes(A, 300, 60.0, rng=3, names="DCFP", chunk=chunk)
        assert list(b.counts) == expected and b.complete and b.starts == 300
        assert [str(f) for f, _ in b] == [str(f) for f, _ in expected]
    with ThreadPoolExecutor(2) as ex:
        b = basin_sizes(A, 300, 60.0, rng=3, chunk=40, executor=ex, keep=50)
    assert list(b.counts) == expected
    assert b.sample is not None and np.array_equal(b.sample.starts, whole.starts[:50])
    assert b.sample.fates == whole.fates[:50]
    assert b.fraction(REST_D)[0] == whole.fraction(REST_D)[0]


def test_streamed_counts_hold_no_per_start_arrays():
    b = basin_sizes(COORDINATION, 50, 20.0, rng=0, chunk=10)
    assert b.sample is None and sum(c for _, c in b.counts) == 50


def test_an_interrupt_inside_a_chunk_is_not_swallowed(monkeypatch):
    """Ctrl-C inside the integration of the third chunk: the integrator used to return the
    partial run, its 10 starts became 'undecided' and the count carried on."""
    import dynamics.basins as mod

    made = []

    class Interrupting(mod.ItineraryTracker):
        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            made.append(self)
            self.calls = 0

        def __call__(self, rows, t, x):
            self.calls += 1
            if len(made) == 3 and self.calls == 5:
                raise KeyboardInterrupt
            super().__call__(rows, t, x)

    monkeypatch.setattr(mod, "ItineraryTracker", Interrupting)
    b = basin_sizes(COORDINATION, 50, 50.0, rng=0, chunk=10)
    assert not b.complete and b.starts == 20 and b.requested == 50
    assert sum(c for _, c in b.counts) == 20
    assert Fate("undecided") not in dict(b.counts)
    made.clear()
    x0 = simplex_sample(2, 50, rng=0)
    part = basins(COORDINATION, x0, 50.0, chunk=10)
    assert len(part.fates) == 20 and Fate("undecided") not in part.fates
    made.clear()
    monkeypatch.setattr(mod, "ItineraryTracker", mod.ItineraryTracker.__mro__[1])
    assert part.fates == classify_fates(COORDINATION, x0[:20], 50.0).fates


def test_an_interrupt_before_any_chunk_counts_nothing(monkeypatch):
    import dynamics.basins as mod

    def stop(*args, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(mod, "_classify_fates", stop)
    b = basin_sizes(COORDINATION, 50, 50.0, rng=0, chunk=10)
    assert b.starts == 0 and not b.complete and b.counts == () and b.table() == []


def test_simplex_grid_refuses_huge_sizes_before_allocating():
    with pytest.raises(ParameterError, match="MAX_ENTRIES"):
        simplex_grid(4, 10**4)  # was MemoryError (1.7e11 points)
    with pytest.raises(ParameterError, match="MAX_ENTRIES"):
        simplex_sample(4, 10**8)
    assert simplex_grid(3, 200).shape == (comb(199, 2), 3)


def test_simplex_grid_keeps_its_order():
    assert simplex_grid(3, 4, interior=False)[:3].tolist() == [
        [0.0, 0.0, 1.0],
        [0.0, 0.25, 0.75],
        [0.0, 0.5, 0.5],
    ]


def test_numpy_integers_and_whole_fractions_are_sizes():
    from fractions import Fraction

    assert np.array_equal(simplex_grid(np.int64(3), np.int32(5)), simplex_grid(3, 5))
    assert np.array_equal(simplex_grid(Fraction(3), 5), simplex_grid(3, 5))
    assert simplex_sample(np.int64(3), np.uint8(4), rng=np.int64(1)).shape == (4, 3)
    assert simplex_sample(3, 2, support=[np.int64(0), 2], rng=0).shape == (2, 3)
    for bad in (Fraction(5, 2), 3.0, True):
        with pytest.raises(ParameterError, match="n must be an integer"):
            simplex_grid(bad, 5)  # type: ignore[arg-type]


@pytest.mark.parametrize("rng", [-1, 1.5, "seed", True])
def test_bad_seeds_are_the_package_s_error(rng):
    with pytest.raises(ParameterError, match="rng"):
        simplex_sample(3, 5, rng=rng)
    with pytest.raises(ParameterError, match="rng"):
        basin_sizes(COORDINATION, 5, 1.0, rng=rng)


@pytest.mark.parametrize(
    "dynamic, params, match",
    [
        ("replicator", {"eta": 5.0}, "replicator dynamic takes no parameters, got eta=5"),
        ("smith", {"etaa": 5.0}, "smith dynamic takes no parameters"),
        ("logit", {"beta": 1.0}, "takes parameters eta, got beta"),
        ("logit", {"eta": -5.0}, "eta is an inverse noise level"),
    ],
)
def test_kernel_parameters_are_checked_on_the_basin_paths(dynamic, params, match):
    for call in (
        lambda: classify_fates(COORDINATION, [[0.5, 0.5]], 1.0, dynamic=dynamic, **params),
        lambda: basins(COORDINATION, [[0.5, 0.5]], 1.0, dynamic=dynamic, **params),
        lambda: basin_sizes(COORDINATION, 3, 1.0, dynamic=dynamic, **params),
    ):
        with pytest.raises(ParameterError, match=match):
            call()


def test_huge_payoffs_give_the_fates_of_the_rescaled_game():
    """Coordination times 1e80: shifting columns and scaling are exact invariances, so the
    fates are those of the game itself (was NaN states, all 'undecided')."""
    x0 = simplex_sample(2, 40, rng=2)
    for dynamic in ("replicator", "bnn", "best_response"):
        small = classify_fates(COORDINATION, x0, 50.0, dynamic=dynamic)
        big = classify_fates(np.array(COORDINATION) * 1e80 + 3e80, x0, 50.0, dynamic=dynamic)
        assert np.all(np.isfinite(big.final)) and np.allclose(big.final.sum(axis=1), 1)
        # the same winner; bnn's run is 2**265 times longer in the game's own time, so its
        # verdict may be "extinct" where 50 time units left a slow approach to the vertex
        assert np.array_equal(big.final.argmax(axis=1), small.final.argmax(axis=1)), dynamic
        if dynamic != "bnn":
            assert big.fates == small.fates, dynamic


# ---------------------------------------------------------------------------------------------
# two populations

SEXES = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])
PENNIES = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])


def test_two_population_battle_of_the_sexes_splits_in_half():
    # (u, v) -> (1 - v, 1 - u) maps the flow to itself, the uniform starts to themselves and
    # (R0, C0) to (R1, C1): each basin is exactly 1/2. z = 3.29 (99.9%): a fixed seed, so the
    # test is deterministic, and a wrong classifier moves the share by far more.
    b = two_population_basin_sizes(SEXES, 2000, 30.0, rng=3, chunk=700)
    assert b.complete and {str(f) for f, _ in b.counts} == {"rest (R0, C0)", "rest (R1, C1)"}
    p, lo, hi = b.fraction(Fate("rest", (0, 2)), z=3.29)
    assert lo <= 0.5 <= hi


def test_two_population_fates_match_an_independent_integration():
    # a 3 x 3 coordination game: each start's trapped profile against scipy's RK45 on the
    # field (a different integrator), argmax of each population at t = 60
    from scipy.integrate import solve_ivp

    A = np.array([[3.0, 0, 0], [0, 2, 0], [0, 0, 1]])
    game = (A, A + np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]]) / 2)
    rng = np.random.default_rng(5)
    x0, y0 = rng.dirichlet(np.ones(3), 60), rng.dirichlet(np.ones(3), 60)
    b = two_population_basins(game, x0, y0, 60.0)
    assert b.starts.shape == (60, 6) and b.final.shape == (60, 6)

    def rhs(_t: float, s: np.ndarray) -> np.ndarray:
        v = two_population_field(game, s[:3], s[3:])
        return np.concatenate([v.x[0], v.y[0]])

    agree = 0
    for j in range(60):
        end = solve_ivp(rhs, (0, 60), b.starts[j], rtol=1e-9, atol=1e-12).y[:, -1]
        profile = (int(np.argmax(end[:3])), 3 + int(np.argmax(end[3:])))
        assert b.fates[j].kind == "rest"
        agree += b.fates[j].strategies == profile
    assert agree >= 59  # a start on a separatrix may go either way at these tolerances


def test_two_population_trap_is_a_strict_equilibrium_only():
    # (R1, C1) of pennies is no equilibrium: no trap, and closed orbits stay undecided
    b = two_population_basins(PENNIES, [[0.6, 0.4], [0.3, 0.7]], [0.5, 0.5], 20.0)
    assert [f.kind for f in b.fates] == ["undecided", "undecided"]
    # a start on a face (row strategy 1 absent) keeps to it: fate within the face
    b = two_population_basins(SEXES, [1.0, 0.0], [0.1, 0.9], 30.0)
    assert b.fates[0] == Fate("rest", (0, 2))


def test_two_population_logit_rests_at_a_mixed_point():
    b = two_population_basins(PENNIES, [0.9, 0.1], [0.2, 0.8], 80.0, dynamic="logit", eta=2.0)
    f = b.fates[0]
    assert f.kind == "rest" and f.point == (0.5, 0.5, 0.5, 0.5)


def test_two_population_basins_are_reproducible_and_checked():
    one = two_population_basin_sizes(SEXES, 300, 20.0, rng=7, chunk=100, keep=5)
    two = two_population_basin_sizes(SEXES, 300, 20.0, rng=7, chunk=100)
    assert one.counts == two.counts and one.sample is not None and len(one.sample.fates) == 5
    with pytest.raises(ShapeError):
        two_population_basins(([[1, 0], [0, 1]], [[1, 0, 0], [0, 1, 0]]), [1, 0], [1, 0], 1.0)
    with pytest.raises(SimplexError, match="y0"):
        two_population_basins(SEXES, [0.5, 0.5], [0.5, 0.6], 1.0)
    with pytest.raises(ParameterError, match="names"):
        two_population_basins(SEXES, [0.5, 0.5], [0.5, 0.5], 1.0, names=["a"])
    with pytest.raises(ParameterError, match="starts"):
        two_population_basin_sizes(SEXES, 0, 1.0)


def test_without_averages_the_states_are_the_same_bits():
    from dynamics._integrator import run
    from dynamics._responses import block_matrix, matrix_payoffs, pair_coordinates
    from dynamics.integrate import output_times, step_control

    A, B = (np.array(m, dtype=float) for m in SEXES)
    coords = pair_coordinates(matrix_payoffs(block_matrix(A, B)), (2, 2), "replicator", {})
    X0 = np.concatenate([simplex_sample(2, 50, rng=1), simplex_sample(2, 50, rng=2)], axis=1)
    te = output_times(10.0, n_out=5)
    control = step_control("replicator", 10.0, rtol=1e-6, atol=1e-8)
    full = run(coords, X0 / 2, te, control, dynamic="replicator")
    lean = run(coords, X0 / 2, te, control, dynamic="replicator", averages=False)
    assert np.array_equal(full.x, lean.x) and np.array_equal(full.steps, lean.steps)
    assert np.all(np.isnan(lean.mean)) and np.all(np.isfinite(full.mean))
