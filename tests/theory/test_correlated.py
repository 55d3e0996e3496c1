"""Correlated equilibria: Aumann's chicken, Nash ⊂ CE ⊂ CCE, vertices, regrets and distances."""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings

from tests.theory.games_strategies import bimatrix_games
from theory.correlated import (
    correlated_distance,
    correlated_regret,
    correlated_vertices,
    is_correlated_equilibrium,
    optimal_correlated_equilibrium,
)
from theory.equilibria import exact_equilibria
from theory.errors import DomainError, PayoffValueError, ShapeError
from theory.games import Game

CHICKEN = Game([[6, 2], [7, 0]], [[6, 7], [2, 0]])  # Aumann (1974): C = dare not, D = dare


def _product(x: tuple, y: tuple) -> list[list[F]]:
    return [[F(a) * F(b) for b in y] for a in x]


def test_chicken_ce_set_contains_the_nash_hull_and_beats_it() -> None:
    eqs = exact_equilibria(CHICKEN)
    assert eqs.complete and len(eqs.equilibria) == 3
    # each Nash equilibrium (a product distribution) is a CE; the set is convex, so the hull is in
    products = [_product(e.x, e.y) for e in eqs.equilibria]
    for p in products:
        assert correlated_regret(CHICKEN, p) == 0
    for w in ([F(1, 3)] * 3, [F(1, 2), F(1, 4), F(1, 4)]):
        mix = [[sum(wk * p[i][j] for wk, p in zip(w, products, strict=True)) for j in range(2)]
               for i in range(2)]
        assert is_correlated_equilibrium(CHICKEN, mix)
    # the best Nash welfare is the mixed equilibrium's 28/3 (the pure ones give 9)
    assert max(e.u + e.v for e in eqs.equilibria) == F(28, 3)
    # Aumann's device: each of (C,C), (C,D), (D,C) with 1/3 pays 5 each, welfare 10
    third = [[F(1, 3), F(1, 3)], [F(1, 3), 0]]
    assert is_correlated_equilibrium(CHICKEN, third)
    ce = optimal_correlated_equilibrium(CHICKEN, "welfare")
    assert ce.exact and ce.value == F(21, 2) > 10 > F(28, 3)
    assert ce.distribution == ((F(1, 2), F(1, 4)), (F(1, 4), 0))
    assert ce.payoffs == (F(21, 4), F(21, 4))


def test_chicken_vertices_are_the_known_five() -> None:
    V = {tuple(v.ravel()) for v in correlated_vertices(CHICKEN)}
    assert V == {
        (0, 0, 1, 0), (0, 1, 0, 0), (F(4, 9), F(2, 9), F(2, 9), F(1, 9)),
        (F(1, 2), F(1, 4), F(1, 4), 0), (0, F(2, 5), F(2, 5), F(1, 5)),
    }


def test_player_objectives_and_minimisation() -> None:
    row_best = optimal_correlated_equilibrium(CHICKEN, "row")
    assert row_best.value == 7  # the pure equilibrium (D, C)
    # the worst CE is the vertex (0, 2/5, 2/5, 1/5), below every Nash equilibrium's welfare 9
    worst = optimal_correlated_equilibrium(CHICKEN, "welfare", minimize=True)
    assert worst.value == F(36, 5)
    custom = optimal_correlated_equilibrium(CHICKEN, [[0, 0], [0, 1]])  # P(crash), maximised
    assert custom.value == F(1, 5)


def test_matching_pennies_has_a_unique_ce() -> None:
    mp = Game([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    V = correlated_vertices(mp)
    assert len(V) == 1 and all(v == F(1, 4) for v in V[0].ravel())


def test_coarse_set_is_larger() -> None:
    # in the prisoner's dilemma both sets are the single point (D, D) ...
    pd = Game.symmetric([[3, 0], [5, 1]])
    assert len(correlated_vertices(pd)) == len(correlated_vertices(pd, coarse=True)) == 1
    # ... in rock-paper-scissors with a tie bonus the CCE set is strictly larger
    g = Game.symmetric([[1, -1, 2], [2, 1, -1], [-1, 2, 1]])
    assert (optimal_correlated_equilibrium(g, coarse=True).value
            > optimal_correlated_equilibrium(g).value)


def test_regret_and_distance_of_non_equilibria() -> None:
    cc = [[1, 0], [0, 0]]
    assert correlated_regret(CHICKEN, cc) == 1  # told C against C, D earns 7 > 6
    assert correlated_distance(CHICKEN, cc) == 1
    assert correlated_distance(CHICKEN, [[0, 1], [0, 0]]) == 0
    f = correlated_distance(CHICKEN, np.array([[1.0, 0.0], [0.0, 0.0]]))
    assert f == pytest.approx(1.0, abs=1e-9)


def test_bad_input() -> None:
    with pytest.raises(ShapeError, match="p must have shape"):
        correlated_regret(CHICKEN, [[1, 0, 0]])
    with pytest.raises(PayoffValueError, match="not a probability"):
        correlated_regret(CHICKEN, [[1, 1], [0, 0]])
    with pytest.raises(DomainError, match="objective"):
        optimal_correlated_equilibrium(CHICKEN, "sum")
    with pytest.raises(DomainError, match="small games"):
        correlated_vertices(Game.symmetric(np.arange(25).reshape(5, 5)))


def test_float_game_agrees_with_exact() -> None:
    fl = Game(CHICKEN.A.astype(float), CHICKEN.B.astype(float))
    ce = optimal_correlated_equilibrium(fl)
    assert not ce.exact and ce.value == pytest.approx(10.5, abs=1e-9)
    assert len(correlated_vertices(fl)) == 5


@settings(max_examples=25, deadline=None)
@given(bimatrix_games(max_actions=3, max_payoff=5))
def test_nash_in_ce_in_cce(game: tuple[np.ndarray, np.ndarray]) -> None:
    g = Game(*game)
    for e in exact_equilibria(g).equilibria:
        p = _product(e.x, e.y)
        assert correlated_regret(g, p) == 0 and correlated_regret(g, p, coarse=True) == 0
        ce = optimal_correlated_equilibrium(g)
        assert ce.value >= e.u + e.v  # welfare-optimal CE beats every Nash equilibrium
    cce = optimal_correlated_equilibrium(g, coarse=True)
    assert cce.value >= optimal_correlated_equilibrium(g).value


@settings(max_examples=15, deadline=None)
@given(bimatrix_games(max_actions=2, max_payoff=5))
def test_vertices_are_equilibria_and_optima_are_attained_at_vertices(game) -> None:
    g = Game(*game)
    V = correlated_vertices(g)
    assert V and all(correlated_regret(g, v) == 0 for v in V)
    W = np.array(g.A + g.B, dtype=object)
    best = max(sum(W.ravel() * v.ravel()) for v in V)
    assert best == optimal_correlated_equilibrium(g).value
