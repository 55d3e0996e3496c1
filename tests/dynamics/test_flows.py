"""Flows: invariants of the fields, rest points as zeros, Jacobians against theory's exact ones."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from dynamics.errors import DynamicsError, ParameterError, SimplexError
from dynamics.flows import (
    DYNAMICS,
    as_states,
    best_response,
    brown_von_neumann_nash,
    flow,
    logit,
    numeric_jacobian,
    replicator,
    smith,
)
from modal import SEED_AGENTS
from tests.dynamics.strategies import games_with_states, payoff_matrices, simplex_points
from theory.errors import TheoryError
from theory.modal_game import modal_game
from theory.stability import replicator_jacobian, replicator_rest_points

# Round-off of x @ A.T and the sums, for payoffs |A| <= 5 and n <= 4: ~1e-15; 1e-12 is ample.
FIELD_ATOL = 1e-12
# Central differences with step 1e-6 on a quadratic/cubic field: truncation O(step^2 |A|) ~
# 1e-11, round-off O(eps_machine / step) ~ 1e-10.
JACOBIAN_ATOL = 1e-7

ALL = ("replicator", "best_response", "logit", "bnn", "smith")


@given(games_with_states(), st.sampled_from(ALL))
def test_fields_are_tangent_to_the_simplex(game, name):
    A, X = game
    V = DYNAMICS[name](A, X)
    assert V.shape == X.shape
    assert np.allclose(V.sum(axis=1), 0.0, atol=FIELD_ATOL)


@given(games_with_states(), st.sampled_from(ALL))
def test_fields_point_inwards_on_the_faces(game, name):
    # x_i = 0 must not decrease: the simplex is forward invariant
    A, X = game
    V = DYNAMICS[name](A, X)
    assert np.all(V[X == 0] >= -FIELD_ATOL)


@given(games_with_states())
def test_replicator_keeps_faces(game):
    A, X = game
    V = replicator(A, X)
    assert np.all(V[X == 0] == 0)


@given(payoff_matrices(3), simplex_points(3))
def test_replicator_is_invariant_under_adding_a_constant_to_a_column(A, x):
    # adding c to column j adds c x_j to every payoff: relative payoffs unchanged
    B = A.copy()
    B[:, 1] += 2.5
    assert np.allclose(replicator(A, x), replicator(B, x), atol=FIELD_ATOL)


@given(st.lists(st.integers(-4, 4), min_size=9, max_size=9))
def test_exact_rest_points_are_zeros_of_every_field_that_has_them(entries):
    A = [entries[0:3], entries[3:6], entries[6:9]]
    for p in replicator_rest_points(A):
        x = np.array([float(v) for v in p.x])
        assert np.max(np.abs(replicator(A, x))) < FIELD_ATOL


def test_rest_points_of_the_modal_game_are_zeros_and_nash_ones_fix_bnn_and_smith():
    A = modal_game(SEED_AGENTS, "1/10")
    for p in replicator_rest_points(A):
        x = np.array([float(v) for v in p.x])
        assert np.max(np.abs(replicator(A, x))) < FIELD_ATOL
    # Nash equilibria (no better reply) are exactly the rest points of BNN and Smith
    for x in ([1, 0, 0, 0], [0.9, 0, 0.1, 0], [0, 0.1, 0.85, 0.05]):
        assert np.max(np.abs(brown_von_neumann_nash(A, x))) < FIELD_ATOL
        assert np.max(np.abs(smith(A, x))) < FIELD_ATOL
    # a rest point of the replicator that is not Nash moves under Smith: the C vertex
    assert np.max(np.abs(smith(A, [0, 1, 0, 0]))) > 0.1


def test_numeric_jacobian_matches_theory_at_the_interior_rest_point():
    A = modal_game(SEED_AGENTS, "1/10")
    x = (0, Fraction(1, 10), Fraction(17, 20), Fraction(1, 20))
    exact = replicator_jacobian(A, x)
    num = numeric_jacobian(A, [float(v) for v in x])
    assert num.shape == exact.shape == (3, 3)
    assert np.allclose(num, exact.astype(float), atol=JACOBIAN_ATOL)
    full = numeric_jacobian(A, [float(v) for v in x], tangent=False)
    assert np.allclose(
        full, replicator_jacobian(A, x, tangent=False).astype(float), atol=JACOBIAN_ATOL
    )


def test_numeric_jacobian_eigenvalues_match_the_exact_spiral():
    A = modal_game(SEED_AGENTS, "1/10")
    x = [0, 0.1, 0.85, 0.05]
    ev = np.linalg.eigvals(numeric_jacobian(A, x))
    exact = sorted(
        (
            complex(sympy.N(v))
            for v in sympy.Matrix(
                replicator_jacobian(
                    A, (0, Fraction(1, 10), Fraction(17, 20), Fraction(1, 20))
                ).tolist()
            ).eigenvals()
        ),
        key=lambda z: (z.real, z.imag),
    )
    got = sorted(ev, key=lambda z: (z.real, z.imag))
    assert np.allclose(got, exact, atol=JACOBIAN_ATOL)
    assert any(abs(z.real - 1 / 400) < JACOBIAN_ATOL and z.imag > 0 for z in got)


@given(games_with_states(max_n=3))
def test_numeric_jacobian_matches_theory_on_random_games(game):
    A, X = game
    num = numeric_jacobian(A, X[0])
    exact = replicator_jacobian(A, X[0])
    assert np.allclose(num, exact, atol=JACOBIAN_ATOL * 10)


def test_best_response_splits_ties_evenly():
    # x = (1/2, 1/2) in a coordination game with equal payoffs 1/2: both are best responses
    assert np.allclose(best_response([[1, 0], [0, 1]], [0.5, 0.5]), [[0, 0]])
    assert np.allclose(best_response([[1, 0], [0, 1]], [0.2, 0.8]), [[-0.2, 0.2]])


def test_logit_tends_to_best_response_as_eta_grows():
    A = modal_game(SEED_AGENTS, "1/10")
    x = np.array([0.1, 0.2, 0.3, 0.4])
    assert np.allclose(logit(A, x, eta=1e4), best_response(A, x), atol=1e-9)
    # eta -> 0: the uniform mixture
    assert np.allclose(logit(A, x, eta=1e-9), 0.25 - x, atol=1e-8)


def test_smith_and_bnn_vanish_only_at_nash_in_rps():
    A = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    c = [1 / 3, 1 / 3, 1 / 3]
    for field in (smith, brown_von_neumann_nash, replicator, best_response):
        assert np.max(np.abs(field(A, c))) < FIELD_ATOL
    assert np.max(np.abs(smith(A, [0.5, 0.3, 0.2]))) > 0.01


def test_as_states_accepts_one_state_or_a_batch():
    assert as_states([0.5, 0.5]).shape == (1, 2)
    assert as_states([[0.5, 0.5], [1, 0]]).shape == (2, 2)
    # round-off within SIMPLEX_ATOL is accepted
    assert as_states([0.5 + 1e-12, 0.5]).shape == (1, 2)


@pytest.mark.parametrize(
    "bad, match",
    [
        ([0.5, 0.6], "sums to"),
        ([1.2, -0.2], "negative share"),
        ([[np.nan, 1.0]], "not finite"),
        ([[[0.5, 0.5]]], "shape"),
        ("ab", "not an array of numbers"),
        ([0.2, 0.3, 0.5], "3 strategies, the game has 2"),
    ],
)
def test_states_off_the_simplex_are_rejected(bad, match):
    with pytest.raises(SimplexError, match=match):
        replicator([[1, 0], [0, 1]], bad)


@pytest.mark.parametrize("field", [replicator, best_response, brown_von_neumann_nash, smith])
def test_every_field_rejects_negative_states(field):
    with pytest.raises(SimplexError):
        field([[1, 0], [0, 1]], [1.5, -0.5])


def test_bad_matrices_raise_theory_errors():
    with pytest.raises(TheoryError, match="square"):
        replicator([[1, 0, 0], [0, 1, 0]], [0.5, 0.5])
    with pytest.raises(TheoryError):
        replicator([[1, np.inf], [0, 1]], [0.5, 0.5])
    with pytest.raises(TheoryError, match="symbolic"):
        replicator([[sympy.Symbol("e"), 0], [0, 1]], [0.5, 0.5])


def test_unknown_dynamic_and_bad_eta():
    with pytest.raises(ParameterError, match="replicator"):
        flow("imitation")
    with pytest.raises(DynamicsError):
        flow(None)  # type: ignore[arg-type]
    for eta in (-1.0, np.inf, "x", True):
        with pytest.raises(ParameterError, match="eta"):
            logit([[1, 0], [0, 1]], [0.5, 0.5], eta=eta)  # type: ignore[arg-type]
    # eta = 0 is uniform choice (as `numpol flow --eta 0` always allowed): x' = 1/n - x
    assert np.allclose(logit([[1, 0], [0, 1]], [0.9, 0.1], eta=0), [[-0.4, 0.4]])


def test_numeric_jacobian_takes_one_state():
    with pytest.raises(SimplexError, match="one state"):
        numeric_jacobian([[1, 0], [0, 1]], [[0.5, 0.5], [0.5, 0.5]])
