"""Flows of two populations playing a bimatrix game, on the product of two simplices.

The row population (shares ``x``, ``m`` strategies) earns ``f = A y``, the column population
(shares ``y``, ``n`` strategies) earns ``g = B^T x``; each of the five dynamics of
:mod:`dynamics.flows` moves each population by its own payoffs (Sandholm 2010, ch. 5), e.g. the
replicator ``x_i' = x_i (f_i - x.f)``, ``y_j' = y_j (g_j - y.g)``. Batches of starts are
integrated by the one integrator of :func:`dynamics.integrate.integrate` (log shares for the
replicator, so orbits near the boundary keep their relative accuracy).

Examples
--------
>>> pennies = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
>>> v = two_population_field(pennies, [0.5, 0.5], [0.75, 0.25])
>>> v.x, v.y
(array([[ 0.25, -0.25]]), array([[0., 0.]]))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from dynamics._checks import kernel_parameters
from dynamics._integrator import run
from dynamics._responses import (
    RESPONSES,
    bimatrix,
    block_matrix,
    blockwise,
    matrix_payoffs,
    pair_coordinates,
    pair_states,
)
from dynamics.flows import flow
from dynamics.integrate import output_times, step_control
from theory.games import GameLike

__all__ = [
    "TwoPopulationVelocity",
    "TwoPopulationTrajectories",
    "two_population_field",
    "integrate_two_populations",
]


@dataclass(frozen=True)
class TwoPopulationVelocity:
    """The velocity of each population at ``k`` states: `x` shape (k, m), `y` shape (k, n)."""

    x: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class TwoPopulationTrajectories:
    """Integrated trajectories of two populations (as :class:`dynamics.integrate.Trajectories`).

    Attributes
    ----------
    t : ndarray, shape (T,)
        Output times.
    x, y : ndarray, shapes (k, T, m) and (k, T, n)
        The row and column populations' shares at the output times.
    mean_x, mean_y : ndarray, shapes (k, m) and (k, n)
        Time averages over the time each trajectory reached.
    t_reached, steps, rejected, nfev : ndarray, shape (k,)
        As in :class:`dynamics.integrate.Trajectories`.
    dynamic : str
    """

    t: np.ndarray
    x: np.ndarray
    y: np.ndarray
    mean_x: np.ndarray
    mean_y: np.ndarray
    t_reached: np.ndarray
    steps: np.ndarray
    rejected: np.ndarray
    nfev: np.ndarray
    dynamic: str

    @property
    def success(self) -> np.ndarray:
        """True for trajectories that reached the last output time."""
        return self.t_reached >= self.t[-1]


def two_population_field(
    game: GameLike,
    x: ArrayLike,
    y: ArrayLike,
    *,
    dynamic: str = "replicator",
    **params: float,
) -> TwoPopulationVelocity:
    """The velocity of both populations at ``k`` states.

    Parameters
    ----------
    game : Game, pair (A, B), square matrix or nashpy Game
        A square matrix alone is the game ``(A, A.T)``.
    x, y : array_like, shapes (m,) or (k, m), and (n,) or (k, n)
        The populations' shares (one state of either is repeated to match the other's batch).
    dynamic : str, default "replicator"
        A name in :data:`dynamics.flows.DYNAMICS`; ``eta`` for ``logit`` among `params`.

    Raises
    ------
    theory.errors.ShapeError
        If ``A`` and ``B`` differ in shape.
    SimplexError
        If a state is off its simplex.

    Examples
    --------
    >>> two_population_field(([[2, 0], [0, 1]], [[1, 0], [0, 2]]), [0.5, 0.5], [0.5, 0.5]).y
    array([[-0.125,  0.125]])
    """
    A, B = bimatrix(game)
    m, n = A.shape
    flow(dynamic)  # the check of the name
    S = pair_states(x, y, m, n, ("x", "y"))
    f = matrix_payoffs(block_matrix(A, B))(S)
    v = blockwise(RESPONSES[dynamic], S, f, (m, n), dict(params))
    return TwoPopulationVelocity(v[:, :m], v[:, m:])


def integrate_two_populations(
    game: GameLike,
    x0: ArrayLike,
    y0: ArrayLike,
    t_end: float,
    *,
    dynamic: str = "replicator",
    t_eval: ArrayLike | None = None,
    n_out: int = 201,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    max_step: float = np.inf,
    min_step: float | None = None,
    max_iterations: int = 200_000,
    **params: float,
) -> TwoPopulationTrajectories:
    """Integrate a batch of starts ``(x0, y0)`` of two populations (adaptive Dormand-Prince).

    Options as :func:`dynamics.integrate.integrate`; each trajectory has its own step size.

    Examples
    --------
    >>> sexes = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> tr = integrate_two_populations(sexes, [[0.9, 0.1], [0.2, 0.8]], [0.5, 0.5], 30.0)
    >>> np.round(tr.x[:, -1], 4), np.round(tr.y[:, -1], 4)
    (array([[1., 0.],
           [0., 1.]]), array([[1., 0.],
           [0., 1.]]))
    """
    A, B = bimatrix(game)
    m, n = A.shape
    flow(dynamic)
    S0 = pair_states(x0, y0, m, n, ("x0", "y0"))
    te = output_times(t_end, t_eval=t_eval, n_out=n_out)
    control = step_control(
        dynamic, float(te[-1]), rtol=rtol, atol=atol, max_step=max_step, min_step=min_step
    )
    coords = pair_coordinates(
        matrix_payoffs(block_matrix(A, B)), (m, n), dynamic, kernel_parameters(dynamic, **params)
    )
    out = run(coords, S0 / 2, te, control, dynamic=dynamic, max_iterations=max_iterations)
    X, mean = out.x * 2, out.mean * 2
    return TwoPopulationTrajectories(
        out.t,
        X[:, :, :m],
        X[:, :, m:],
        mean[:, :m],
        mean[:, m:],
        out.t_reached,
        out.steps,
        out.rejected,
        out.nfev,
        dynamic,
    )
