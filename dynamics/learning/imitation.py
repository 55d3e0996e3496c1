"""Imitation dynamics as nashpy defines them, batched over runs.

Two populations of ``population_size`` individuals each hold a mixed strategy, drawn uniformly
from the simplex. Every generation individual ``k`` of the row population plays individual
``k`` of the column population; then each population copies its fittest individual (the first
one, on ties). The mean strategies are returned, and the same thresholded at `threshold` as
nashpy's ``imitation_dynamics`` does.

A property of the rule worth knowing: after the first generation each population is uniform,
so all later generations repeat it. The result is the fittest row and column strategy of the
initial random pairing, not a limit of a gradual process; :class:`ImitationDynamics` records
``generations_run`` (1 once the populations are uniform) to make this visible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dynamics._checks import integer_at_least
from dynamics.errors import ParameterError
from dynamics.learning._common import float_game
from theory.games import Game, GameLike  # noqa: F401 - Game resolves GameLike's forward reference

__all__ = ["ImitationDynamics", "imitation_dynamics"]


@dataclass(frozen=True)
class ImitationDynamics:
    """Outcome of many runs of imitation dynamics.

    Attributes
    ----------
    x, y : ndarray, shapes (runs, m) and (runs, n)
        Mean strategy of the row and the column population at the end.
    x_pure, y_pure : ndarray, shapes (runs, m) and (runs, n)
        The same with entries ``>= threshold`` set to 1 and the rest to 0 (nashpy's output).
    generations_run : int
        Generations after which the populations stopped changing (at most `generations`).
    """

    x: np.ndarray
    y: np.ndarray
    x_pure: np.ndarray
    y_pure: np.ndarray
    generations_run: int


def imitation_dynamics(
    game: GameLike,
    *,
    population_size: int = 100,
    generations: int = 1000,
    runs: int = 1,
    threshold: float = 0.5,
    rng: int | np.random.Generator | None = None,
) -> ImitationDynamics:
    """Imitate-the-fittest dynamics of two populations of mixed strategies (nashpy's rule).

    Parameters
    ----------
    game : Game, nashpy Game, pair (A, B) or square matrix
        The game.
    population_size : int, default 100
        Individuals per population.
    generations : int, default 1000
        Generations (nashpy's ``iterations``).
    runs : int, default 1
        Independent runs.
    threshold : float, default 0.5
        Threshold of the pure output.
    rng : int or Generator, optional
        Seed of the initial populations.

    Examples
    --------
    >>> im = imitation_dynamics([[3, 0], [5, 1]], runs=3, rng=0)
    >>> im.x.shape, im.generations_run
    ((3, 2), 1)
    """
    rng = np.random.default_rng(rng)
    A, B = float_game(game)
    N = integer_at_least(population_size, "population_size", 1)
    generations = integer_at_least(generations, "generations", 1)
    runs = integer_at_least(runs, "runs", 1)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise ParameterError(f"threshold must be a number, got {threshold!r}")
    m, n = A.shape
    px = rng.dirichlet(np.ones(m), size=(runs, N))
    py = rng.dirichlet(np.ones(n), size=(runs, N))
    # one generation: everyone copies the fittest of the random pairing; the populations are
    # then uniform, every individual earns the same, the fittest is individual 0, and the
    # remaining generations - 1 generations copy the population onto itself
    ux = np.einsum("rki,ij,rkj->rk", px, A, py)
    uy = np.einsum("rki,ij,rkj->rk", px, B, py)
    x = px[np.arange(runs), np.argmax(ux, axis=1)]
    y = py[np.arange(runs), np.argmax(uy, axis=1)]
    return ImitationDynamics(
        x, y, (x >= threshold).astype(float), (y >= threshold).astype(float), 1
    )
