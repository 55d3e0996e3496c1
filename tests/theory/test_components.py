"""Components of the equilibria (theory.equilibria.components): maximal Nash subsets joined."""

from fractions import Fraction as Fr

import numpy as np
from hypothesis import given, settings

from tests.theory.games_strategies import bimatrix_games
from theory.equilibria import (
    Equilibrium,
    components_of,
    exact_equilibria,
    is_equilibrium,
)
from theory.games import Game

H = Fr(1, 2)


def test_a_strict_game_has_isolated_components():
    comps = exact_equilibria(Game.symmetric([[0, 3], [1, 2]])).components
    assert len(comps) == 3 and all(c.is_isolated for c in comps)
    assert [c.u for c in comps] == [(3, 3), (1, 1), (Fr(3, 2), Fr(3, 2))]


def test_hawk_dove_retaliator_has_a_segment_of_equilibria():
    # (H, D, R): the symmetric equilibria x = (0, 1 - r, r) with r >= 1/3 form a continuum with
    # the asymmetric ones between them: one component, the square conv{R, D*} x conv{R, D*}
    res = exact_equilibria(Game.symmetric([[-1, 2, -1], [0, 1, 1], [-1, 1, 1]]))
    big = [c for c in res.components if not c.is_isolated]
    assert len(big) == 1 and len(res.components) == 4
    (c,) = big
    (s,) = c.nash_subsets
    corner = (0, Fr(2, 3), Fr(1, 3))
    assert set(s.x_vertices) == set(s.y_vertices) == {(0, 0, 1), corner}
    assert c.u == (1, 1) and c.v == (1, 1) and len(c.equilibria) == 4


def test_a_continuum_made_of_two_nash_subsets():
    # the column player is indifferent; the row player prefers row 0 unless y = column 1
    res = exact_equilibria(Game([[1, 0], [0, 0]], [[0, 0], [0, 0]]))
    (c,) = res.components
    assert {(s.x_vertices, s.y_vertices) for s in c.nash_subsets} == {
        (((1, 0),), ((1, 0), (0, 1))),
        (((1, 0), (0, 1)), ((0, 1),)),
    }
    assert c.u == (0, 1) and c.v == (0, 0)


def test_the_zero_game_is_one_nash_subset():
    (c,) = exact_equilibria(Game(np.zeros((2, 3), int), np.zeros((2, 3), int))).components
    (s,) = c.nash_subsets
    assert len(s.x_vertices) == 2 and len(s.y_vertices) == 3 and len(c.equilibria) == 6


def test_duplicates_are_removed():
    q = Equilibrium((1, 0), (0, 1), 1, 1)
    (c,) = components_of([q, q])
    assert c.equilibria == (q,) and c.is_isolated


@settings(max_examples=30, deadline=None)
@given(bimatrix_games(max_actions=3, max_payoff=2))
def test_every_point_of_a_nash_subset_is_an_equilibrium(game):
    res = exact_equilibria(Game(*game))
    comps = res.components
    assert sum(len(c.equilibria) for c in comps) == len(res)
    for c in comps:
        for s in c.nash_subsets:
            # the barycentre of each side (an interior point of the product) is an equilibrium
            x = [sum(col, Fr(0)) / len(s.x_vertices) for col in zip(*s.x_vertices, strict=True)]
            y = [sum(col, Fr(0)) / len(s.y_vertices) for col in zip(*s.y_vertices, strict=True)]
            assert is_equilibrium(Game(*game), x, y)
            # maximal: no other extreme x is an equilibrium with every y vertex
            for q in res:
                if q.x not in s.x_vertices:
                    assert not all(is_equilibrium(Game(*game), q.x, yv) for yv in s.y_vertices)
