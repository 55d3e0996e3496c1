"""Exact verification of equilibria (theory.equilibria.verify)."""

from fractions import Fraction as Fr

import numpy as np
import pytest
import sympy

from tests.theory.modal_game import EPS, modal_game
from theory.equilibria import deviation_gains, is_equilibrium, verify_equilibrium
from theory.errors import NotAnEquilibrium, PayoffValueError, ShapeError


def test_exact_check_catches_a_tiny_perturbation():
    A = modal_game("1/10")
    x = [0, Fr(1, 10), Fr(17, 20), Fr(1, 20)]
    assert is_equilibrium(A, x, x)
    d = Fr(1, 10**9)
    y = [0, Fr(1, 10) + d, Fr(17, 20) - d, Fr(1, 20)]
    assert not is_equilibrium(A, y, y)
    with pytest.raises(NotAnEquilibrium) as info:
        verify_equilibrium(A, y, y)
    assert info.value.gain > 0 and info.value.player in ("row", "column")
    # the same perturbation in floats is below the float tolerance: the exact path matters
    yf = [float(v) for v in y]
    assert is_equilibrium(np.array(A, dtype=float), yf, yf)


def test_symbolic_profile():
    e = EPS
    x = [0, e, 1 - 3 * e / 2, e / 2]
    gains = deviation_gains(modal_game(), x, x)
    gr, gc = gains.row, gains.column
    assert all(sympy.simplify(a - b) == 0 for a, b in zip(gr, gc, strict=True))  # symmetric
    assert sympy.simplify(gr[0] - (3 * e - 1)) == 0
    assert all(sympy.simplify(g) == 0 for g in gr[1:])


def test_bad_profiles():
    A = [[1, 0], [0, 1]]
    with pytest.raises(ShapeError):
        is_equilibrium(A, [1, 0, 0], [1, 0])
    with pytest.raises(PayoffValueError, match="sums"):
        is_equilibrium(A, [Fr(1, 2), Fr(1, 3)], [1, 0])
    with pytest.raises(PayoffValueError, match="negative"):
        is_equilibrium(A, [2, -1], [1, 0])
    with pytest.raises(PayoffValueError, match="probability"):
        is_equilibrium(A, ["a", 1], [1, 0])
    with pytest.raises(PayoffValueError):
        is_equilibrium(A, [0.7, 0.7], [1.0, 0.0])
