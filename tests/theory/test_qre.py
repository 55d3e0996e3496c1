"""Logit QRE: fixed points, the Nash limit, turning points, the logit dynamic's rest points."""

import numpy as np
import pytest
from hypothesis import given, settings

from dynamics.flows import logit
from tests.theory.games_strategies import bimatrix_games, symmetric_games
from theory.equilibria import exact_equilibria
from theory.errors import DomainError, TheoryTypeError
from theory.games import Game
from theory.qre import logit_qre, nash_gap, qre_correspondence

# A 3 x 3 game whose principal branch folds back in λ (first turning point near λ = 10.06).
FOLDING = ([[7, 9, 1], [2, 8, 5], [1, 5, 6]], [[3, 2, 7], [9, 1, 4], [3, 1, 4]])


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def test_zero_precision_is_uniform_play() -> None:
    q = logit_qre(FOLDING, 0)
    assert np.allclose(q.x, 1 / 3) and np.allclose(q.y, 1 / 3)


def test_matching_pennies_qre_is_the_equilibrium_at_every_precision() -> None:
    for lam in (0.5, 3.0, 40.0):
        q = logit_qre(([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]), lam)
        assert q.x == pytest.approx([0.5, 0.5], abs=1e-12)


def test_asymmetric_pennies_closed_form() -> None:
    # x0 / x1 = exp(λ (9 y0 - y1)),  y0 / y1 = exp(λ (x1 - x0)): check the traced point solves it
    g = ([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    q = logit_qre(g, 2.0)
    assert np.log(q.x[0] / q.x[1]) == pytest.approx(2.0 * (9 * q.y[0] - q.y[1]), abs=1e-10)
    assert np.log(q.y[0] / q.y[1]) == pytest.approx(2.0 * (q.x[1] - q.x[0]), abs=1e-10)
    # as λ grows the QRE approaches the unique Nash equilibrium x = (1/2, 1/2), y = (1/10, 9/10)
    far = logit_qre(g, 2000.0)
    assert far.x == pytest.approx([0.5, 0.5], abs=2e-3)
    assert far.y == pytest.approx([0.1, 0.9], abs=2e-3)


def test_turning_points_are_followed_and_match_a_small_step_trace() -> None:
    br = qre_correspondence(FOLDING, max_precision=30)
    assert np.any(np.diff(br.precision) < 0)  # the branch folds back
    fine = qre_correspondence(FOLDING, max_precision=30, step=1e-4)
    assert br.x[-1] == pytest.approx(fine.x[-1], abs=1e-8)
    assert br.y[-1] == pytest.approx(fine.y[-1], abs=1e-8)
    for q in br:  # every traced point is a softmax fixed point
        A, B = (np.array(M, dtype=float) for M in FOLDING)
        assert q.x == pytest.approx(_softmax(q.precision * (A @ q.y)), abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(bimatrix_games(max_actions=4))
def test_nash_gap_is_at_most_log_actions_over_precision(game) -> None:
    # softmax fixed point: sum_i x_i (f* - f_i) = (1/λ) sum_i x_i ln(x*/x_i) <= ln(m) / λ
    A, B = game
    lam = 25.0
    q = logit_qre((A, B), lam)
    gx, gy = nash_gap((A, B), q.x, q.y)
    assert gx <= np.log(A.shape[0]) / lam + 1e-9
    assert gy <= np.log(A.shape[1]) / lam + 1e-9


def test_limit_is_a_nash_equilibrium_of_the_coordination_game() -> None:
    # the principal branch of (1, 0; 0, 2) selects the payoff-dominant equilibrium (1, 1)
    g = ([[1, 0], [0, 2]], [[1, 0], [0, 2]])
    q = logit_qre(g, 60.0)
    nash = {(e.x, e.y) for e in exact_equilibria(Game(*g)).equilibria}
    assert ((0, 1), (0, 1)) in nash
    assert q.x == pytest.approx([0, 1], abs=1e-12) and q.y == pytest.approx([0, 1], abs=1e-12)


@settings(max_examples=20, deadline=None)
@given(symmetric_games(max_actions=4))
def test_symmetric_qre_is_a_rest_point_of_the_logit_dynamic(A) -> None:
    # the principal branch of a symmetric game stays symmetric (x = y), and a symmetric QRE is a
    # rest point of dynamics.flows.logit, an independent implementation of softmax(η A x) - x
    lam = 1.5
    q = logit_qre(A, lam)
    assert q.x == pytest.approx(q.y, abs=1e-9)
    assert np.abs(logit(A, q.x, eta=lam)).max() < 1e-9


def test_bad_precision_is_refused() -> None:
    with pytest.raises(DomainError, match="precision must be a finite number >= 0, got -1"):
        logit_qre(FOLDING, -1)
    with pytest.raises(DomainError, match="max_precision"):
        qre_correspondence(FOLDING, max_precision=float("inf"))
    with pytest.raises(TheoryTypeError, match="precision"):
        logit_qre(FOLDING, None)  # type: ignore[arg-type]
    # text is a number by the numbers rule: "1/2" is exactly one half
    assert logit_qre(FOLDING, "1/2").precision == 0.5
