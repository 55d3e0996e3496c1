"""equilibria(game, method=...) over every method, and its errors."""

import nashpy
import numpy as np
import pytest

from tests.theory.modal_game import modal_game
from theory.equilibria import METHODS, equilibria
from theory.errors import TheoryError


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_finds_defect_on_modal_game(method):
    A = modal_game("1/10")
    res = equilibria(A, method=method)
    assert res.method == method
    assert any(np.allclose(np.array(q.x, float), [1, 0, 0, 0]) for q in res)


def test_lemke_howson_is_not_complete_and_misses_one():
    A = modal_game("1/10")
    res = equilibria(A, method="lemke_howson")
    assert not res.complete
    assert len(res) < len(equilibria(A))  # misses (9/10, 0, 1/10, 0), as peers.md says


def test_accepts_nashpy_game():
    g = nashpy.Game(np.array([[1.0, -1.0], [-1.0, 1.0]]))
    (q,) = equilibria(g)
    assert q.x == (0.5, 0.5)


def test_errors():
    with pytest.raises(TheoryError, match="known"):
        equilibria([[1, 0], [0, 1]], method="magic")
    with pytest.raises(TheoryError, match="symmetric"):
        equilibria(([[1, 0], [0, 1]], [[0, 1], [1, 0]]), method="symmetric")
