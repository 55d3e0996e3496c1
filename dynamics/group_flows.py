"""Flows of a symmetric d-player group game (:class:`theory.group_games.GroupGame`).

In an infinite population with shares ``x`` the ``d - 1`` co-players of a focal player are drawn
independently, so the expected payoff of strategy ``i`` averages its payoff table over the
multinomial distribution of the co-players' counts ``k`` (Gokhale & Traulsen 2010):

    f_i(x) = sum_k multinomial(d - 1; k) prod_l x_l^(k_l) a_i(k).

Every dynamic of :mod:`dynamics.flows` then moves the shares by these payoffs; batches of starts
are integrated by the one integrator of :func:`dynamics.integrate.integrate`.

Examples
--------
>>> from theory.group_games import public_goods_game
>>> group_field(public_goods_game(5, r=3), [0.5, 0.5])
array([[-0.1,  0.1]])
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from dynamics._checks import kernel_parameters
from dynamics._integrator import run
from dynamics._responses import RESPONSES, Payoffs, pair_coordinates
from dynamics.errors import ParameterError
from dynamics.flows import as_states, flow
from dynamics.integrate import Trajectories, output_times, step_control
from theory.group_games import GroupGame

__all__ = ["group_payoff_map", "group_field", "integrate_group"]


def _game(game: GroupGame) -> GroupGame:
    if not isinstance(game, GroupGame):
        raise ParameterError(f"game must be a theory.group_games.GroupGame, got {game!r}")
    if game.is_symbolic:
        raise ParameterError(f"game has symbolic payoffs; substitute values first ({game!r})")
    return game


def group_payoff_map(game: GroupGame) -> Payoffs:
    """The vectorised map ``x (k, n) -> f (k, n)`` of expected payoffs (float).

    Examples
    --------
    >>> from theory.group_games import volunteers_dilemma
    >>> group_payoff_map(volunteers_dilemma(3, b=4, c=1))(np.array([[0.5, 0.5]]))
    array([[3., 3.]])
    """
    g = _game(game)
    K = np.array(g.compositions, dtype=np.int64)  # (C, n)
    coef = np.array(
        [math.factorial(g.group_size - 1) / math.prod(map(math.factorial, k)) for k in K.tolist()]
    )
    T = np.array(g.table, dtype=np.float64)  # (n, C)

    def payoffs(x: np.ndarray) -> np.ndarray:
        # log-free powers: x^0 = 1 also at x = 0
        w = coef * np.prod(x[:, None, :] ** K[None, :, :], axis=2)  # (k, C)
        return np.asarray(w @ T.T)

    return payoffs


def group_field(
    game: GroupGame, x: ArrayLike, *, dynamic: str = "replicator", **params: float
) -> np.ndarray:
    """The field of `dynamic` for the group game at ``k`` states (rows of `x`).

    Raises
    ------
    ParameterError
        If `game` is not a :class:`GroupGame`, is symbolic, or `dynamic` is unknown.
    SimplexError
        If a state is off the simplex or has the wrong number of strategies.

    Examples
    --------
    >>> from theory.group_games import volunteers_dilemma
    >>> group_field(volunteers_dilemma(3, b=4, c=1), [[0.5, 0.5], [0.25, 0.75]])
    array([[ 0.      ,  0.      ],
           [ 0.234375, -0.234375]])
    """
    g = _game(game)
    flow(dynamic)
    X = as_states(x, g.strategies)
    return np.asarray(RESPONSES[dynamic](X, group_payoff_map(g)(X), **params))


def integrate_group(
    game: GroupGame,
    x0: ArrayLike,
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
) -> Trajectories:
    """Integrate a batch of starts of the group game's flow (options as ``integrate``).

    Examples
    --------
    >>> from theory.group_games import volunteers_dilemma
    >>> tr = integrate_group(volunteers_dilemma(3, b=4, c=1), [[0.9, 0.1], [0.05, 0.95]], 60.0)
    >>> np.round(tr.final, 6)
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    g = _game(game)
    flow(dynamic)
    X0 = as_states(x0, g.strategies, name="x0")
    te = output_times(t_end, t_eval=t_eval, n_out=n_out)
    control = step_control(
        dynamic, float(te[-1]), rtol=rtol, atol=atol, max_step=max_step, min_step=min_step
    )
    coords = pair_coordinates(
        group_payoff_map(g), (g.strategies,), dynamic, kernel_parameters(dynamic, **params)
    )
    out = run(coords, X0, te, control, dynamic=dynamic, max_iterations=max_iterations)
    return Trajectories(
        out.t,
        out.x,
        out.mean,
        out.t_reached,
        out.steps,
        out.rejected,
        out.nfev,
        dynamic,
        out.interrupted,
    )
