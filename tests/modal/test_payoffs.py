from fractions import Fraction

import pytest
import sympy as sp

from modal import SEED_AGENTS, ModalError, ModalTypeError, Move, outcome_matrix, payoff_matrix

EPS = sp.Symbol("epsilon", positive=True)


def test_symbolic_matrix_is_the_seed_game() -> None:
    A = sp.Matrix(payoff_matrix(SEED_AGENTS, EPS).tolist())
    e = EPS
    expected = sp.Matrix(
        [
            [1, 3, 1, 1],
            [0, 2, 2, 0],
            [1 - e, 2 - e, 2 - e, 2 - e],
            [1 - 2 * e, 3 - 2 * e, 2 - 2 * e, 2 - 2 * e],
        ]
    )
    assert sp.simplify(A - expected) == sp.zeros(4, 4)


@pytest.mark.parametrize("eps", [Fraction(1, 10), "1/10", 0])
def test_rational_eps_gives_fractions(eps: object) -> None:
    A = payoff_matrix(SEED_AGENTS, eps)
    assert all(isinstance(v, Fraction) for v in A.flat)
    assert A[3, 1] == 3 - 2 * Fraction(eps)  # type: ignore[arg-type]


def test_float_eps_and_custom_payoffs() -> None:
    A = payoff_matrix(SEED_AGENTS, 0.25)
    assert A[2, 2] == pytest.approx(1.75)
    pd = {(Move.C, Move.C): 3, (Move.D, Move.D): 1, (Move.D, Move.C): 4, (Move.C, Move.D): 0}
    assert payoff_matrix(SEED_AGENTS, 0, payoffs=pd)[0, 1] == 4


def test_outcome_matrix_pairs() -> None:
    M = outcome_matrix(SEED_AGENTS)
    assert M[3][1] == (Move.D, Move.C) and M[1][3] == (Move.C, Move.D)


@pytest.mark.parametrize(
    ("eps", "error"),
    [
        (float("nan"), ModalError),
        (float("inf"), ModalError),
        ("a tenth", ModalError),
        (True, ModalTypeError),
        ([0.1], ModalTypeError),
    ],
)
def test_bad_eps(eps: object, error: type) -> None:
    with pytest.raises(error, match="eps"):
        payoff_matrix(SEED_AGENTS, eps)


def test_incomplete_payoffs() -> None:
    with pytest.raises(ModalError, match="lacks"):
        payoff_matrix(SEED_AGENTS, 0, payoffs={(Move.C, Move.C): 2})
