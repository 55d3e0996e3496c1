"""Introspection dynamics as nashpy defines them, batched over runs, and its exact chain.

The state is a pair of pure actions. Each step one player, chosen uniformly, considers one of
its other actions, chosen uniformly, and switches to it with the Fermi probability
``1 / (1 + exp(-β Δ))``, ``Δ`` the payoff gain against the other's current action (Couto,
Giaimo and Hilbe, *J. Theor. Biol.* 2022; nashpy's ``introspection_dynamics``). The process is a
Markov chain on the ``m n`` action profiles; :func:`introspection_transition_matrix` writes it
down and :func:`introspection_stationary` solves for its stationary distribution, which the
simulated occupation frequencies must approach (ergodic theorem). In an exact potential game
``Φ`` the chain is reversible with stationary distribution ``∝ exp(β Φ)`` (the tests check both).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dynamics._checks import integer_at_least
from dynamics.errors import ParameterError
from dynamics.learning._common import float_game, nonnegative_finite
from theory.games import Game, GameLike  # noqa: F401 - Game resolves GameLike's forward reference

__all__ = [
    "IntrospectionDynamics",
    "introspection_dynamics",
    "introspection_transition_matrix",
    "introspection_stationary",
]


@dataclass(frozen=True)
class IntrospectionDynamics:
    """Outcome of many runs of introspection dynamics.

    Attributes
    ----------
    actions : ndarray, shape (runs, 2)
        The row and the column player's action after the last step.
    occupancy : ndarray, shape (runs, m, n)
        Fraction of the steps ``1..steps`` each run spent at each action profile.
    beta : float
        The selection intensity.
    """

    actions: np.ndarray
    occupancy: np.ndarray
    beta: float


def _fermi(gain: np.ndarray, beta: float) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * beta * gain))  # = 1 / (1 + exp(-β gain)), no overflow


def _check(game: GameLike, beta: Any) -> tuple[np.ndarray, np.ndarray, float]:
    A, B = float_game(game)
    if min(A.shape) < 2:
        raise ParameterError(f"each player needs at least 2 actions, the game has {A.shape}")
    return A, B, nonnegative_finite(beta, "beta")


def introspection_dynamics(
    game: GameLike,
    *,
    steps: int,
    beta: float,
    runs: int = 1,
    initial: tuple[int, int] | None = None,
    rng: int | np.random.Generator | None = None,
) -> IntrospectionDynamics:
    """Simulate introspection dynamics for many runs at once.

    Parameters
    ----------
    game : Game, nashpy Game, pair (A, B) or square matrix
        The game; each player needs at least two actions.
    steps : int
        Steps (nashpy's ``number_of_iterations``).
    beta : float
        Selection intensity ``β >= 0`` (0: switches are coin flips).
    runs : int, default 1
        Independent runs.
    initial : pair of int, optional
        Initial actions ``(i, j)`` of every run; uniform random if omitted.
    rng : int or Generator, optional
        Seed.

    Raises
    ------
    dynamics.errors.ParameterError
        Negative `beta`, non-positive `steps`/`runs`, an initial action out of range, or a
        player with one action.

    Examples
    --------
    >>> run = introspection_dynamics([[3, 0], [5, 1]], steps=200, beta=5.0, runs=2, rng=0)
    >>> run.actions.tolist(), run.occupancy.shape
    ([[1, 1], [1, 1]], (2, 2, 2))
    """
    rng = np.random.default_rng(rng)
    A, B, beta = _check(game, beta)
    steps = integer_at_least(steps, "steps", 1)
    runs = integer_at_least(runs, "runs", 1)
    m, n = A.shape
    if initial is None:
        i, j = rng.integers(m, size=runs), rng.integers(n, size=runs)
    else:
        if not (isinstance(initial, tuple | list) and len(initial) == 2):
            raise ParameterError(f"initial must be a pair of actions (i, j), got {initial!r}")
        i0 = integer_at_least(initial[0], "initial[0]", 0)
        j0 = integer_at_least(initial[1], "initial[1]", 0)
        if i0 >= m or j0 >= n:
            raise ParameterError(f"initial {initial!r} is not an action profile of a {m}x{n} game")
        i, j = np.full(runs, i0), np.full(runs, j0)
    visits = np.zeros((runs, m * n))
    rows = np.arange(runs)
    for _ in range(steps):
        row_moves = rng.random(runs) < 0.5
        alt_i = (i + rng.integers(1, m, size=runs)) % m
        alt_j = (j + rng.integers(1, n, size=runs)) % n
        gain = np.where(row_moves, A[alt_i, j] - A[i, j], B[i, alt_j] - B[i, j])
        switch = rng.random(runs) < _fermi(gain, beta)
        i = np.where(switch & row_moves, alt_i, i)
        j = np.where(switch & ~row_moves, alt_j, j)
        visits[rows, i * n + j] += 1.0
    return IntrospectionDynamics(
        np.stack([i, j], axis=1), (visits / steps).reshape(runs, m, n), beta
    )


def introspection_transition_matrix(game: GameLike, *, beta: float) -> np.ndarray:
    """The chain's transition matrix on profiles ``(i, j)``, indexed ``i * n + j``.

    Examples
    --------
    >>> P = introspection_transition_matrix([[1, 0], [0, 1]], beta=0.0)
    >>> P.round(2).tolist()[0]
    [0.5, 0.25, 0.25, 0.0]
    """
    A, B, beta = _check(game, beta)
    return _transitions(A, B, beta)


def _transitions(A: np.ndarray, B: np.ndarray, beta: float) -> np.ndarray:
    m, n = A.shape
    P = np.zeros((m * n, m * n))
    for i in range(m):
        for j in range(n):
            s = i * n + j
            for a in range(m):
                if a != i:
                    P[s, a * n + j] += 0.5 / (m - 1) * _fermi(A[a, j] - A[i, j], beta)
            for b in range(n):
                if b != j:
                    P[s, i * n + b] += 0.5 / (n - 1) * _fermi(B[i, b] - B[i, j], beta)
            P[s, s] = 1.0 - P[s].sum()
    return P


def introspection_stationary(game: GameLike, *, beta: float) -> np.ndarray:
    """The stationary distribution of introspection dynamics, shape ``(m, n)``.

    Unique for finite `beta` (every switch has positive probability, so the chain is
    irreducible); solved as ``π (P - I) = 0``, ``sum π = 1`` and checked to 1e-12.

    Examples
    --------
    >>> introspection_stationary([[2, 0], [0, 1]], beta=0.0).tolist()      # β = 0: uniform
    [[0.25, 0.25], [0.25, 0.25]]
    """
    A, B, beta = _check(game, beta)
    P = _transitions(A, B, beta)
    k = P.shape[0]
    S = P.T - np.eye(k)
    S[-1] = 1.0
    rhs = np.zeros(k)
    rhs[-1] = 1.0
    pi = np.linalg.solve(S, rhs)
    if np.abs(pi @ P - pi).max() > 1e-12 or pi.min() < -1e-12:  # pragma: no cover
        raise ParameterError(f"beta = {beta} is too large for a float stationary distribution")
    return np.maximum(pi, 0.0).reshape(A.shape)
