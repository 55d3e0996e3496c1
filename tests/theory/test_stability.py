"""Replicator rest points, Jacobians, eigenvalues, classification and ESS (theory.stability)."""

from fractions import Fraction as Fr

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from tests.theory.games_strategies import symmetric_games
from tests.theory.modal_game import EPS, modal_game
from theory.errors import ShapeError, TheoryError, UndecidedStability
from theory.ess import is_ess, is_neutrally_stable
from theory.stability import (
    classify_eigenvalues,
    classify_rest_point,
    replicator_jacobian,
    replicator_rest_points,
    tangent_eigenvalues,
)

e = EPS
RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]


def field(A, x):
    A = np.asarray(A, dtype=float)
    f = A @ x
    return x * (f - x @ f)


def test_rps_centre():
    x = [Fr(1, 3)] * 3
    s = classify_rest_point(RPS, x)
    assert s.kind == "centre"
    assert sorted(str(v) for v in s.eigenvalues) == sorted(["-sqrt(3)*I/3", "sqrt(3)*I/3"])
    assert is_neutrally_stable(RPS, x) and not is_ess(RPS, x)


def test_rest_points_of_rps():
    rp = replicator_rest_points(RPS)
    assert {p.x for p in rp} == {(1, 0, 0), (0, 1, 0), (0, 0, 1), (Fr(1, 3), Fr(1, 3), Fr(1, 3))}
    assert rp.degenerate_supports == ()


def test_degenerate_rest_points_reported():
    rp = replicator_rest_points([[1, 1], [1, 1]])  # every point is a rest point
    assert rp.degenerate_supports == ((0, 1),)


def test_good_equilibrium_eigenvalues_exact_in_eps():
    """λ = 3ε - 1 (DefectBot's invasion rate) and the roots of λ² - (ε²/2) λ + ε² - 3ε³/2:
    real part ε²/4 > 0 and, for ε < 4√10 - 12, imaginary parts ≈ ±ε: a slow outward spiral."""
    x = [0, e, 1 - 3 * e / 2, e / 2]
    ev = tangent_eigenvalues(modal_game(), x)
    lam = sympy.Symbol("lam")
    charpoly = sympy.expand(sympy.prod([lam - v for v in ev]))
    want = sympy.expand((lam - (3 * e - 1)) * (lam**2 - e**2 * lam / 2 + e**2 - 3 * e**3 / 2))
    assert sympy.simplify(charpoly - want) == 0


@pytest.mark.parametrize("eps", ["1/10", "1/5", "3/10"])
def test_good_equilibrium_is_an_outward_spiral_in_its_face(eps):
    v = Fr(eps)
    x = [0, v, 1 - 3 * v / 2, v / 2]
    s = classify_rest_point(modal_game(eps), x)
    assert s.face_kind == "unstable spiral"
    assert s.kind == "saddle"  # DefectBot cannot invade: transversal eigenvalue 3ε - 1 < 0
    assert s.transversal == (3 * v - 1,)
    re = [complex(sympy.N(z)).real for z in s.face_eigenvalues]
    assert np.allclose(re, float(v) ** 2 / 4)


def test_defect_sink_and_defect_fair_saddle():
    eps = "1/10"
    A = modal_game(eps)
    assert classify_rest_point(A, [1, 0, 0, 0]).kind == "sink"
    assert is_ess(A, [1, 0, 0, 0])
    s = classify_rest_point(A, [Fr(9, 10), 0, Fr(1, 10), 0])
    assert s.kind == "saddle" and s.face_kind == "source"
    assert not is_ess(A, [Fr(9, 10), 0, Fr(1, 10), 0])


def test_float_jacobian_matches_finite_differences():
    A = np.array([[0.0, 2.0, 1.0], [1.0, 0.0, 3.0], [2.0, 1.0, 0.0]])
    x = np.array([0.2, 0.3, 0.5])
    J = replicator_jacobian(A, x, tangent=False)
    h = 1e-6  # central differences: error O(h^2) ~ 1e-12, far inside the 1e-8 tolerance
    num = np.column_stack(
        [(field(A, x + h * d) - field(A, x - h * d)) / (2 * h) for d in np.eye(3)]
    )
    assert np.allclose(J, num, atol=1e-8)


def test_exact_and_float_jacobians_agree():
    A = [[0, 2, 1], [1, 0, 3], [2, 1, 0]]
    x = [Fr(1, 5), Fr(3, 10), Fr(1, 2)]
    Je = replicator_jacobian(A, x).astype(float)
    Jf = replicator_jacobian(np.array(A, float), np.array([0.2, 0.3, 0.5]))
    assert np.allclose(Je, Jf, atol=1e-12)


@given(symmetric_games(max_actions=4), st.integers(0, 2**32 - 1))
def test_tangent_jacobian_is_the_ambient_one_on_the_tangent_space(A, seed):
    rng = np.random.default_rng(seed)
    x = rng.dirichlet(np.ones(A.shape[0]))
    n = A.shape[0]
    J = replicator_jacobian(A.astype(float), x, tangent=False)
    Jt = replicator_jacobian(A.astype(float), x)
    V = np.vstack([np.eye(n - 1), -np.ones(n - 1)])  # tangent basis e_k - e_{n-1}
    JV = J @ V
    assert np.allclose(JV.sum(axis=0), 0, atol=1e-9)  # the field stays in the simplex
    assert np.allclose(JV[:-1], Jt, atol=1e-12)


@given(symmetric_games(max_actions=4))
def test_rest_points_are_rest_points(A):
    for p in replicator_rest_points(A):
        assert np.allclose(field(A, np.array(p.x, dtype=float)), 0, atol=1e-12)
        assert all(v > 0 for v in (p.x[i] for i in p.support))


def test_classify_eigenvalues():
    assert classify_eigenvalues([-1, -2]) == "sink"
    assert classify_eigenvalues([1, 2]) == "source"
    assert classify_eigenvalues([1 + 1j, 1 - 1j]) == "unstable spiral"
    assert classify_eigenvalues([1j, -1j]) == "centre"
    assert classify_eigenvalues([0, -1]) == "non-hyperbolic"
    assert classify_eigenvalues([sympy.Rational(1, 3), -sympy.sqrt(2)]) == "saddle"
    assert classify_eigenvalues([]) == "sink"
    with pytest.raises(UndecidedStability):
        classify_eigenvalues([e - 1])


def test_errors():
    with pytest.raises(TheoryError, match="not a rest point"):
        classify_rest_point(RPS, [Fr(1, 2), Fr(1, 2), 0])
    with pytest.raises(ShapeError):
        replicator_jacobian(RPS, [1, 0])
    with pytest.raises(ShapeError):
        replicator_rest_points([[1, 2, 3]])
