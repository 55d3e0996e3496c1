"""Fuzzing finite populations and their chains: for any input, a correct result or one of the
package's own errors - never another exception type, a NaN or counts that leave the simplex."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamics.errors import DynamicsError
from dynamics.finite.chain import markov_chain, stationary_distribution
from dynamics.finite.fixation import fixation_probability, small_mutation_limit
from dynamics.finite.processes import fermi, moran, wright_fisher
from dynamics.finite.simulation import fixations, simulate
from theory.errors import TheoryError

OWN = (DynamicsError, TheoryError)

wild_floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1.0, -1.0, 1e-300, 1e300, 1e20, -1e20, 709.0, 710.0]),
)
numbers = st.one_of(
    st.integers(-10, 10),
    wild_floats,
    st.fractions(-5, 5, max_denominator=7),
    st.sampled_from([np.int64(3), np.float64(0.5), True, None, "1/2", 1j]),
)
sizes = st.one_of(
    st.integers(-2, 9),
    st.sampled_from([np.int64(4), np.int32(3), Fraction(5), Fraction(7, 2), 3.0, "4", None]),
)


@st.composite
def matrices(draw: st.DrawFn) -> object:
    n = draw(st.integers(1, 3))
    entries = st.one_of(st.integers(-5, 5), wild_floats, st.fractions(-3, 3, max_denominator=5))
    rows = draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=n, max_size=n))
    if draw(st.booleans()) and n > 1:
        rows[0] = rows[0][:-1]  # ragged
    return rows


@st.composite
def processes(draw: st.DrawFn) -> object:
    rule = draw(st.sampled_from(["moran", "fermi", "wright-fisher"]))
    A, N, mu = draw(matrices()), draw(sizes), draw(numbers)
    if rule == "fermi":
        return fermi(A, N, beta=draw(numbers), mu=mu)
    make = moran if rule == "moran" else wright_fisher
    mapping = draw(st.sampled_from(["linear", "exponential", "logistic"]))
    return make(A, N, w=draw(numbers), mu=mu, mapping=mapping)


def _valid_probability(p: object) -> bool:
    v = float(p)  # type: ignore[arg-type]
    return np.isfinite(v) and 0 <= v <= 1


@settings(max_examples=120)
@given(data=st.data())
def test_fuzz_processes_fixation_and_simulation(data):
    try:
        process = data.draw(processes())
    except OWN:
        return
    assert process.N >= 2 and process.n >= 1
    if process.n >= 2:
        try:
            rho = fixation_probability(process, 0, 1, k=data.draw(st.integers(1, process.N - 1)))
        except OWN:
            pass
        else:
            assert _valid_probability(rho), rho
    initial = [process.N] + [0] * (process.n - 1)
    initial = data.draw(st.permutations(initial))
    try:
        tr = simulate(process, initial, steps=20, runs=data.draw(st.integers(1, 3)), rng=0)
    except OWN:
        return
    assert np.all(tr.counts >= 0) and np.all(tr.counts.sum(axis=2) == process.N)


@settings(max_examples=60)
@given(data=st.data())
def test_fuzz_exact_chains(data):
    try:
        process = data.draw(processes())
    except OWN:
        return
    if process.N > 6:
        return
    try:
        chain = markov_chain(process)
    except OWN:
        return
    P = chain.P.toarray()
    assert np.all(np.isfinite(P)) and np.all(P >= -1e-15)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-9)
    try:
        pi = chain.stationary(method=data.draw(st.sampled_from(["auto", "direct", "iterative"])))
    except OWN:
        return
    assert np.all(np.isfinite(pi)) and np.all(pi >= 0) and abs(pi.sum() - 1) < 1e-9
    if process.n >= 2:
        try:
            sml = small_mutation_limit(process)
        except OWN:
            return
        assert all(_valid_probability(v) for v in np.ravel(sml.stationary))


@settings(max_examples=150)
@given(
    P=st.one_of(
        st.lists(st.lists(wild_floats, min_size=2, max_size=2), min_size=2, max_size=2),
        st.integers(1, 4).flatmap(
            lambda n: st.lists(
                st.lists(st.floats(0, 1), min_size=n, max_size=n), min_size=n, max_size=n
            )
        ),
        st.sampled_from([[[1]], [[0.5, 0.5]], [], [[1, 0], [0]], "P", None]),
    ),
    normalise=st.booleans(),
)
def test_fuzz_stationary_distribution(P, normalise):
    if normalise and isinstance(P, list) and P and all(isinstance(r, list) for r in P):
        with np.errstate(all="ignore"):
            P = [[v / sum(r) if sum(r) else v for v in r] for r in P]
    try:
        pi = stationary_distribution(P)
    except OWN:
        return
    M = np.asarray(P, dtype=float)
    assert np.all(np.isfinite(pi)) and np.all(pi >= 0) and abs(pi.sum() - 1) < 1e-9
    np.testing.assert_allclose(pi @ M, pi, atol=1e-8)


@settings(max_examples=40)
@given(
    runs=sizes,
    max_steps=sizes,
    rng=st.one_of(st.integers(-3, 3), st.sampled_from([None, 1.5, "x", np.int64(2)])),
)
def test_fuzz_fixations_arguments(runs, max_steps, rng):
    try:
        fx = fixations(moran([[2, 1], [1, 2]], 5), [2, 3], runs=runs, max_steps=max_steps, rng=rng)
    except OWN:
        return
    assert set(np.unique(fx.winner)) <= {-1, 0, 1} and np.all(fx.time >= 0)
