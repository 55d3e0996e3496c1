"""Pure best replies and their exact ε-regions (the seed's "Pure Equilibria" argument)."""

import numpy as np
import pytest
import sympy
from hypothesis import given

from tests.theory.games_strategies import bimatrix_games
from tests.theory.modal_game import EPS, C, D, F, P, modal_game
from theory.best_response import PureEquilibrium, as_rows, best_responses, pure_equilibria
from theory.equilibria import exact_equilibria
from theory.errors import ShapeError
from theory.games import Game

e = EPS
I = sympy.Interval


def test_modal_best_reply_table():
    t = best_responses(modal_game(), params=e)
    regions = {(b.opponent, b.reply): b.region.as_set() for b in t.entries}
    pos = I.open(0, sympy.oo)
    assert regions == {
        (D, D): pos,
        (C, D): pos,
        (F, C): pos,
        (P, F): I.Lopen(0, 1),
        (P, D): I(1, sympy.oo),
    }
    assert t.breakpoints == (1,)
    assert t.replies(P, {e: sympy.Rational(1, 2)}) == (F,)
    assert t.replies(P, {e: 1}) == (D, F)
    assert t.replies(P, {e: 2}) == (D,)


def test_unique_pure_equilibrium_is_defect():
    (q,) = pure_equilibria(modal_game(), params=e)
    assert (q.row, q.column, q.region.as_set()) == (D, D, I.open(0, sympy.oo))
    for eps in ("1/10", "1", "3"):
        assert pure_equilibria(modal_game(eps)) == [PureEquilibrium(D, D, None)]


def test_numeric_table_and_rows():
    t = best_responses([[3, 0], [5, 1]])
    assert t.replies(0) == (1,) and t.replies(1) == (1,)
    assert as_rows(t, ["C", "D"]) == [("C", "D", "5", "always"), ("D", "D", "1", "always")]
    ft = best_responses(np.array([[1.0, 0.0], [1.0, 2.0]]))
    assert ft.replies(0) == (0, 1)
    with pytest.raises(ValueError):
        best_responses(modal_game(), params=e).replies(0)


def test_errors():
    with pytest.raises(ShapeError):
        best_responses([[1, 2], [3]])


@given(bimatrix_games(max_actions=4))
def test_pure_equilibria_are_the_pure_extreme_equilibria(game):
    A, B = game
    pure = {(q.row, q.column) for q in pure_equilibria((A, B))}
    exact = {
        (e_.support_x[0], e_.support_y[0])
        for e_ in exact_equilibria(Game(A, B))
        if len(e_.support_x) == 1 and len(e_.support_y) == 1
    }
    assert pure == exact
