"""The two-population replicator: rest points, exact Jacobians, classification."""

from fractions import Fraction as Fr

import numpy as np
import pytest
import sympy
from hypothesis import given, settings

from tests.theory.games_strategies import bimatrix_games
from theory.errors import ShapeError, TheoryError
from theory.games import Game
from theory.two_populations import (
    classify_two_population_rest_point,
    two_population_jacobian,
    two_population_rest_points,
)

PENNIES = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
SEXES = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])
HALF = [Fr(1, 2), Fr(1, 2)]


def field(game, x, y):
    A, B = (np.asarray(M, dtype=float) for M in game)
    f, g = A @ y, B.T @ x
    return np.concatenate([x * (f - x @ f), y * (g - y @ g)])


def test_matching_pennies_centre():
    points = two_population_rest_points(PENNIES)
    interior = [p for p in points if 0 not in p.x and 0 not in p.y]
    assert len(points) == 5 and len(interior) == 1
    assert interior[0].x == (Fr(1, 2), Fr(1, 2)) == interior[0].y
    s = classify_two_population_rest_point(PENNIES, interior[0].x, interior[0].y)
    assert s.kind == "centre"
    assert [str(v) for v in s.eigenvalues] == ["-I", "I"]
    for p in points[:4]:  # every vertex pair of matching pennies is a saddle
        assert classify_two_population_rest_point(PENNIES, p.x, p.y).kind == "saddle"


def test_battle_of_the_sexes_interior_saddle():
    points = two_population_rest_points(SEXES)
    *vertices, inner = points
    assert inner.x == (Fr(2, 3), Fr(1, 3)) and inner.y == (Fr(1, 3), Fr(2, 3))
    assert inner.payoffs == (Fr(2, 3), Fr(2, 3))
    s = classify_two_population_rest_point(SEXES, inner.x, inner.y)
    assert s.kind == "saddle"
    assert s.eigenvalues == (sympy.Rational(-2, 3), sympy.Rational(2, 3))
    kinds = [classify_two_population_rest_point(SEXES, p.x, p.y).kind for p in vertices]
    assert kinds == ["sink", "source", "source", "sink"]  # the strict equilibria attract


@settings(max_examples=25, deadline=None)
@given(bimatrix_games(max_actions=3))
def test_rest_points_are_rest_points_and_jacobians_match_differences(game):
    A, B = game
    for p in two_population_rest_points(game):
        x, y = np.array(p.x, dtype=float), np.array(p.y, dtype=float)
        assert np.allclose(field(game, x, y), 0, atol=1e-12)
        J = np.array(two_population_jacobian(game, p.x, p.y, tangent=False), dtype=float)
        h = 1e-6
        z = np.concatenate([x, y])
        m = len(x)
        num = np.empty_like(J)
        for k in range(len(z)):
            e = np.zeros_like(z)
            e[k] = h
            up, down = z + e, z - e
            num[:, k] = (field(game, up[:m], up[m:]) - field(game, down[:m], down[m:])) / (2 * h)
        assert np.allclose(J, num, atol=1e-6 * max(1, np.abs(A).max(), np.abs(B).max()))


def test_float_jacobian_matches_exact():
    exact = two_population_jacobian(SEXES, [Fr(2, 3), Fr(1, 3)], [Fr(1, 3), Fr(2, 3)])
    floats = two_population_jacobian(
        (np.array(SEXES[0], float), np.array(SEXES[1], float)), [2 / 3, 1 / 3], [1 / 3, 2 / 3]
    )
    assert floats.dtype == np.float64
    assert np.allclose(exact.astype(float), floats, atol=1e-15)


def test_symbolic_rest_points_carry_regions():
    a = sympy.Symbol("a")
    points = two_population_rest_points(([[a, 0], [0, 1]], [[1, 0], [0, 2]]))
    inner = points[-1]
    assert inner.x == (Fr(2, 3), Fr(1, 3)) or [sympy.nsimplify(v) for v in inner.x] == [
        sympy.Rational(2, 3),
        sympy.Rational(1, 3),
    ]
    assert sympy.simplify(inner.y[0] - 1 / (a + 1)) == 0
    assert 1 in inner.region and -2 not in inner.region


def test_game_objects_and_symmetric_matrices_are_accepted():
    assert two_population_rest_points(Game(*SEXES)) == two_population_rest_points(SEXES)
    points = two_population_rest_points([[0, 1], [1, 0]])  # (A, A.T): both populations alike
    assert any(p.x == p.y == (Fr(1, 2), Fr(1, 2)) for p in points)


def test_bad_input():
    with pytest.raises(ShapeError):
        two_population_rest_points(([[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]]))
    with pytest.raises(TheoryError, match="not a rest point"):
        classify_two_population_rest_point(SEXES, HALF, HALF)
    with pytest.raises(ShapeError):
        two_population_jacobian(SEXES, [1, 0, 0], HALF)
