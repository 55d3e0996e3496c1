"""Two finite populations playing a 2 x 2 bimatrix game under the Fermi rule: the exact chain.

Population 1 (``N1`` individuals, ``i`` of them playing strategy 0) meets population 2 (``N2``,
``j`` playing strategy 0); an individual's payoff is its average against the *other* population,
``pi^1_a = (A y)_a`` with ``y = (j, N2 - j) / N2`` and ``pi^2_b = (B^T x)_b``. One step picks a
population with probability 1/2, then a focal individual uniformly; with probability ``mu`` it
switches strategy, otherwise it meets a role model drawn from the other ``N - 1`` of its own
population and copies it with probability ``1 / (1 + exp(-beta (pi_model - pi_focal)))``
(Traulsen et al. 2006, for each population). The chain lives on the ``(N1 + 1) (N2 + 1)``
states ``(i, j)``; with ``mu > 0`` it is irreducible and its stationary distribution is solved
exactly (a sparse solve, :func:`dynamics.finite.chain.stationary_distribution`).

Examples
--------
>>> p = two_population_fermi(([[2, 0], [0, 1]], [[1, 0], [0, 2]]), (10, 10), beta=2.0, mu=0.01)
>>> pi = two_population_stationary_distribution(p)
>>> pi.shape, bool(pi[10, 10] + pi[0, 0] > 0.5)   # the two strict equilibria hold most mass
((11, 11), True)
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from dynamics.errors import ParameterError
from dynamics.finite.chain import stationary_distribution
from theory.games import GameLike, as_game, float_matrix

__all__ = [
    "TwoPopulationProcess",
    "two_population_fermi",
    "two_population_transition_matrix",
    "two_population_stationary_distribution",
]


@dataclass(frozen=True, eq=False)
class TwoPopulationProcess:
    """The Fermi process of two populations of `sizes` playing ``(A, B)`` (2 x 2, float)."""

    A: np.ndarray
    B: np.ndarray
    sizes: tuple[int, int]
    beta: float
    mu: float


def two_population_fermi(
    game: GameLike, sizes: tuple[int, int], *, beta: float = 1.0, mu: float = 0.0
) -> TwoPopulationProcess:
    """The two-population Fermi process of a 2 x 2 game.

    Raises
    ------
    ParameterError
        If the game is not 2 x 2, a size is not an integer >= 2, `beta` is negative or not
        finite, or `mu` is outside [0, 1].
    theory.errors.ShapeError
        If ``A`` and ``B`` differ in shape.
    """
    g = as_game(game)
    if g.shape != (2, 2):
        raise ParameterError(f"the two-population chain takes 2 x 2 games, got {g.shape}")
    if len(tuple(sizes)) != 2:
        raise ParameterError(f"sizes must be (N1, N2), got {sizes!r}")
    for k, N in enumerate(sizes):
        if isinstance(N, bool) or not isinstance(N, numbers.Integral) or N < 2:
            raise ParameterError(f"sizes[{k}] must be an integer >= 2, got {N!r}")
    for name, v, top in (("beta", beta, math.inf), ("mu", mu, 1.0)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise ParameterError(f"{name} must be a real number, got {v!r}")
        if not (0 <= float(v) <= top) or math.isnan(float(v)) or math.isinf(float(v)):
            raise ParameterError(f"{name} must be in [0, {top}] and finite, got {v!r}")
    A, B = float_matrix(g.A, name="A"), float_matrix(g.B, name="B")
    return TwoPopulationProcess(A, B, (int(sizes[0]), int(sizes[1])), float(beta), float(mu))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _moves(
    N: int, count: np.ndarray, gain: np.ndarray, beta: float, mu: float
) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities (given this population moves) that strategy 0's count rises, falls."""
    up = (N - count) / N * ((1 - mu) * count / (N - 1) * _sigmoid(beta * gain) + mu)
    down = count / N * ((1 - mu) * (N - count) / (N - 1) * _sigmoid(-beta * gain) + mu)
    return up, down


def two_population_transition_matrix(process: TwoPopulationProcess) -> sp.csr_matrix:
    """The chain over states ``(i, j)``, flattened as ``i * (N2 + 1) + j`` (sparse, float).

    Examples
    --------
    >>> p = two_population_fermi(([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]), (3, 4), mu=0.1)
    >>> P = two_population_transition_matrix(p)
    >>> P.shape, bool(np.allclose(P.sum(axis=1), 1))
    ((20, 20), True)
    """
    N1, N2 = process.sizes
    A, B = process.A, process.B
    grid_i, grid_j = np.meshgrid(np.arange(N1 + 1), np.arange(N2 + 1), indexing="ij")
    i, j = grid_i.ravel(), grid_j.ravel()
    y0, x0 = j / N2, i / N1
    gain1 = (A[0, 0] - A[1, 0]) * y0 + (A[0, 1] - A[1, 1]) * (1 - y0)  # pi_0 - pi_1, pop 1
    gain2 = (B[0, 0] - B[0, 1]) * x0 + (B[1, 0] - B[1, 1]) * (1 - x0)  # pop 2
    up1, down1 = _moves(N1, i, gain1, process.beta, process.mu)
    up2, down2 = _moves(N2, j, gain2, process.beta, process.mu)
    index = i * (N2 + 1) + j
    rows, cols, vals = [], [], []
    for p, shift, ok in (
        (up1 / 2, N2 + 1, i < N1),
        (down1 / 2, -(N2 + 1), i > 0),
        (up2 / 2, 1, j < N2),
        (down2 / 2, -1, j > 0),
    ):
        rows.append(index[ok])
        cols.append(index[ok] + shift)
        vals.append(p[ok])
    leave = np.zeros(index.size)
    for r, v in zip(rows, vals, strict=True):
        leave += np.bincount(r, weights=v, minlength=index.size)
    stay = 1.0 - leave
    rows.append(index)
    cols.append(index)
    vals.append(stay)
    S = index.size
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(S, S)
    )


def two_population_stationary_distribution(process: TwoPopulationProcess) -> np.ndarray:
    """The stationary distribution over ``(i, j)``, shape ``(N1 + 1, N2 + 1)``.

    Raises
    ------
    ParameterError
        If ``mu == 0`` (the four monomorphic states absorb).
    """
    if process.mu == 0:
        raise ParameterError("mu = 0: the monomorphic states absorb; no unique stationary law")
    N1, N2 = process.sizes
    pi = stationary_distribution(two_population_transition_matrix(process))
    return np.asarray(pi.reshape(N1 + 1, N2 + 1))
