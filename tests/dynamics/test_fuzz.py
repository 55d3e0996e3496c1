"""Fuzz the public API of dynamics (issue 17): for every input either a correct result (finite,
on the simplex) or one of the toolkit's own errors, never another exception type, NaN, an
off-simplex state or a hang. The budget: small games, short horizons, an integrator capped at a
few hundred steps (a run that needs more reports it: ``t_reached`` < ``t_end``, fate
"undecided"), modest ``max_examples`` and a deadline."""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import Any
from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import dynamics.basins as basins_module
from dynamics._integrator import run
from dynamics.basins import basins, simplex_grid, simplex_sample
from dynamics.errors import DynamicsError
from dynamics.flows import DYNAMICS, numeric_jacobian
from dynamics.integrate import integrate
from tests.dynamics.strategies import simplex_points
from theory.errors import TheoryError

OWN = (DynamicsError, TheoryError)  # the toolkit's errors (payoffs are checked by theory)
BUDGET = settings(max_examples=40, deadline=5000)
STEPS = 300  # integrator steps per run here
ROUNDOFF = 1e-9

# payoffs: ordinary, huge (up to the float limit), tiny, and a few that are not numbers
entries = st.one_of(
    st.integers(-5, 5),
    st.floats(-1e308, 1e308, allow_nan=False),
    st.sampled_from([1e20, -1e20, 1e80, 1e308, -1e308, 5e-324, Fraction(1, 3)]),
)
bad_entries = st.sampled_from([float("nan"), float("inf"), "x", None, True, 1j])
dynamics = st.sampled_from(sorted(DYNAMICS))
params = st.one_of(
    st.just({}),
    st.fixed_dictionaries({"eta": st.one_of(st.floats(allow_nan=True), st.integers(-3, 10))}),
    st.sampled_from([{"etaa": 5}, {"beta": 1.0}, {"eta": "x"}, {"eta": True}]),
)


@st.composite
def games(draw: st.DrawFn) -> tuple[Any, np.ndarray]:
    n = draw(st.integers(2, 3))
    rows = [[draw(entries) for _ in range(n)] for _ in range(n)]
    if draw(st.integers(0, 9)) == 0:
        rows[0][0] = draw(bad_entries)
    return rows, draw(simplex_points(n))


def on_simplex(x: np.ndarray) -> bool:
    return bool(np.all(x >= 0) and np.all(np.abs(x.sum(axis=-1) - 1) < ROUNDOFF))


@BUDGET
@given(games(), dynamics, params, st.floats(1e-3, 5.0))
def test_integrate_gives_states_on_the_simplex_or_its_own_error(game, dynamic, kw, t_end):
    A, x0 = game
    try:
        tr = integrate(A, x0, t_end, dynamic=dynamic, n_out=4, max_iterations=STEPS, **kw)
    except OWN:
        return
    reached = tr.t[None, :] <= tr.t_reached[:, None] * (1 + 1e-12)
    assert np.all(np.isfinite(tr.x[reached])) and on_simplex(tr.x[reached])
    assert np.all(np.isnan(tr.x[~reached]))  # outputs past t_reached are NaN, as documented
    assert np.all(np.isfinite(tr.mean)) and on_simplex(tr.mean)


@BUDGET
@given(games(), dynamics, params)
def test_numeric_jacobian_is_finite_or_its_own_error(game, dynamic, kw):
    A, x0 = game
    try:
        J = numeric_jacobian(A, x0, dynamic=dynamic, **kw)
    except OWN:
        return
    assert np.all(np.isfinite(J))


@BUDGET
@given(games(), dynamics, params, st.floats(1e-2, 20.0), st.integers(1, 6))
def test_basins_fates_or_their_own_error(game, dynamic, kw, t_end, k):
    A, _ = game
    n = len(A)
    starts = simplex_sample(n, k, rng=k)
    with patch.object(basins_module, "run", functools.partial(run, max_iterations=STEPS)):
        try:
            b = basins(A, starts, t_end, dynamic=dynamic, chunk=4, **kw)
        except OWN:
            return
    assert len(b.fates) == k and all(isinstance(f, basins_module.Fate) for f in b.fates)
    done = np.array([f.kind != "undecided" for f in b.fates])
    assert np.all(np.isfinite(b.final[done])) and on_simplex(b.final[done])


sizes = st.one_of(
    st.integers(-2, 40),
    st.sampled_from([10**4, 10**9, 2**70]),
    st.integers(0, 40).map(np.int64),
    st.integers(0, 40).map(Fraction),
    st.sampled_from([2.0, Fraction(5, 2), "3", None, True, np.float64(3)]),
)


@settings(max_examples=80, deadline=5000)
@given(st.one_of(st.integers(-1, 3), sizes), sizes, st.booleans())
def test_simplex_grid_is_a_grid_or_its_own_error(n, resolution, interior):
    try:
        g = simplex_grid(n, resolution, interior=interior)
    except OWN:
        return
    assert g.ndim == 2 and g.shape[1] == int(n) and on_simplex(g)
    assert np.all(g > 0) if interior else np.all(g >= 0)
    assert np.allclose(g * int(resolution), np.round(g * int(resolution)))


seeds = st.one_of(
    st.none(),
    st.integers(-3, 2**64 + 3),
    st.sampled_from([1.5, "seed", True, [1, 2], np.int64(4)]),
)


@settings(max_examples=80, deadline=5000)
@given(st.one_of(st.integers(-1, 4), sizes), sizes, seeds)
def test_simplex_sample_is_uniform_points_or_its_own_error(n, k, rng):
    try:
        x = simplex_sample(n, k, rng=rng)
    except OWN:
        return
    assert x.shape == (int(k), int(n)) and on_simplex(x)
