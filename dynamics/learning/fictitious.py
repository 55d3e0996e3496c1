"""Fictitious play in discrete and continuous time, and stochastic (logit) fictitious play.

Two players each hold a belief about the other: the empirical frequency of the other's past
actions, started from a prior counted as one round of play. Every round both best-reply to
their beliefs at once (simultaneous fictitious play, Robinson 1951), ties broken uniformly at
random; stochastic fictitious play replaces the best reply by the logit choice
``softmax(precision * payoffs)`` and samples the action (Fudenberg and Kreps 1993; Hofbauer and
Sandholm 2002). All runs advance together as rows of numpy arrays.

What theory says about the limits, checked in the tests:

- the empirical frequencies converge to the Nash equilibria in zero-sum games (Robinson 1951)
  and in 2 x 2 games (Miyasawa 1961), but cycle with ever longer periods in Shapley's 3 x 3
  game (Shapley 1964);
- the frequencies of stochastic fictitious play converge, in zero-sum, 2 x 2 and potential
  games, to a rest point of the logit dynamic, which is a logit quantal response equilibrium
  at the same precision (:func:`theory.qre.logit_qre`).

Continuous-time fictitious play is the best-response dynamic ``x' = b(y) - x``, ``y' = b(x) -
y`` in logarithmic time (discrete play is its Euler scheme with steps ``1/t``); it is integrated
exactly between best-reply switches checked every ``dt``.

A symmetric game played from symmetric beliefs ``(x0, x0)`` stays symmetric (ties aside), so
the same functions cover one-population fictitious play.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dynamics._checks import integer_at_least, positive_finite
from dynamics.learning._common import (
    Beliefs,
    best_reply,
    categorical,
    float_game,
    initial_beliefs,
    nonnegative_finite,
    record_times,
    softmax,
)
from theory.games import Game, GameLike  # noqa: F401 - Game resolves GameLike's forward reference

__all__ = [
    "FictitiousPlay",
    "fictitious_play",
    "stochastic_fictitious_play",
    "continuous_fictitious_play",
]


@dataclass(frozen=True)
class FictitiousPlay:
    """Empirical frequencies of many runs of (stochastic) fictitious play.

    Attributes
    ----------
    times : ndarray, shape (T,)
        Rounds (discrete) or logarithmic times (continuous) at which beliefs are recorded;
        ``times[0] = 0`` is the prior.
    x, y : ndarray, shapes (runs, T, m) and (runs, T, n)
        The row and column player's empirical frequencies of play (the other's beliefs).
    row_actions, column_actions : ndarray, shape (runs, rounds), or None
        The actions played each round, if kept (``keep_actions=True``).
    precision : float or None
        The logit precision of stochastic fictitious play; None for best replies.

    Examples
    --------
    The prisoner's dilemma from mutual cooperation: the prior counts as one round, then
    defection ten times.

    >>> fp = fictitious_play([[3, 0], [5, 1]], rounds=10, initial=([1, 0], [1, 0]))
    >>> fp.x[0, -1].tolist()
    [0.09090909090909091, 0.9090909090909091]
    """

    times: np.ndarray
    x: np.ndarray
    y: np.ndarray
    row_actions: np.ndarray | None
    column_actions: np.ndarray | None
    precision: float | None

    @property
    def runs(self) -> int:
        """Number of runs."""
        return int(self.x.shape[0])

    @property
    def final(self) -> tuple[np.ndarray, np.ndarray]:
        """The last recorded frequencies, shapes ``(runs, m)`` and ``(runs, n)``."""
        return self.x[:, -1], self.y[:, -1]


def _play(
    game: GameLike,
    rounds: Any,
    runs: Any,
    initial: Any,
    record: Any,
    keep_actions: bool,
    precision: float | None,
    rng: np.random.Generator,
) -> FictitiousPlay:
    A, B = float_game(game)
    rounds = integer_at_least(rounds, "rounds", 1)
    times = record_times(rounds, record)
    cx, cy = initial_beliefs(initial, A.shape, runs, rng)  # counts; the prior weighs one round
    runs = len(cx)
    rows = np.arange(runs)
    X = np.empty((runs, times.size + 1, A.shape[0]))
    Y = np.empty((runs, times.size + 1, A.shape[1]))
    X[:, 0], Y[:, 0] = cx, cy
    ra = np.empty((runs, rounds), dtype=np.int32) if keep_actions else None
    ca = np.empty((runs, rounds), dtype=np.int32) if keep_actions else None
    BT = B.T
    k = 0
    for t in range(1, rounds + 1):
        f, g = cy @ A.T, cx @ BT.T  # payoffs against the counts (beliefs times t)
        if precision is None:
            i, j = best_reply(f, rng), best_reply(g, rng)
        else:
            i = categorical(softmax((precision / t) * f), rng)
            j = categorical(softmax((precision / t) * g), rng)
        cx[rows, i] += 1.0
        cy[rows, j] += 1.0
        if ra is not None and ca is not None:
            ra[:, t - 1], ca[:, t - 1] = i, j
        if t == times[k]:
            X[:, k + 1], Y[:, k + 1] = cx / (t + 1), cy / (t + 1)
            k += 1
    return FictitiousPlay(np.concatenate([[0], times]), X, Y, ra, ca, precision)


def fictitious_play(
    game: GameLike,
    *,
    rounds: int,
    runs: int | None = None,
    initial: Beliefs | None = None,
    record: int = 50,
    keep_actions: bool = False,
    rng: int | np.random.Generator | None = None,
) -> FictitiousPlay:
    """Discrete-time simultaneous fictitious play, batched over runs.

    Parameters
    ----------
    game : Game, nashpy Game, pair (A, B) or square matrix
        The game (see :func:`theory.games.as_game`); a square matrix is the symmetric game.
    rounds : int
        Rounds of play.
    runs : int, optional
        Independent runs (starts); default one per row of `initial`, or 1.
    initial : pair (x0, y0), optional
        Prior beliefs about the row and the column player, each one point ``(m,)`` or one per
        run ``(runs, m)``; drawn uniformly from the simplices if omitted.
    record : int, default 50
        About this many log-spaced rounds are recorded.
    keep_actions : bool, default False
        Keep every round's actions (``runs * rounds`` integers per player).
    rng : int or Generator, optional
        Seed for the priors and tie-breaking.

    Returns
    -------
    FictitiousPlay

    Raises
    ------
    dynamics.errors.ParameterError
        `rounds`, `runs` or `record` not a positive integer.
    dynamics.errors.SimplexError
        A prior off the simplex or of the wrong size.

    References
    ----------
    Brown (1951); Robinson, *Ann. Math.* 54 (1951); Fudenberg and Levine, *The Theory of
    Learning in Games* (1998), ch. 2.

    Examples
    --------
    Matching pennies (zero-sum): the frequencies approach (1/2, 1/2) (Robinson).

    >>> fp = fictitious_play(([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]), rounds=4000, rng=0)
    >>> bool(abs(fp.x[0, -1, 0] - 0.5) < 0.02)
    True
    """
    rng = np.random.default_rng(rng)
    return _play(game, rounds, runs, initial, record, keep_actions, None, rng)


def stochastic_fictitious_play(
    game: GameLike,
    *,
    precision: float,
    rounds: int,
    runs: int | None = None,
    initial: Beliefs | None = None,
    record: int = 50,
    keep_actions: bool = False,
    rng: int | np.random.Generator | None = None,
) -> FictitiousPlay:
    """Stochastic fictitious play with logit choice, batched over runs.

    Each round each player plays action ``i`` with probability ``softmax(precision * f)_i``,
    ``f`` the payoffs against the belief. Parameters as :func:`fictitious_play`, and

    Parameters
    ----------
    precision : float
        The logit precision ``λ >= 0`` (0: uniform play; large: nearly best replies). nashpy's
        ``etha`` is ``1 / λ``.

    Raises
    ------
    dynamics.errors.ParameterError
        A negative, infinite or non-numeric `precision`.

    Examples
    --------
    >>> sfp = stochastic_fictitious_play([[2, 0], [0, 1]], precision=0.0, rounds=100, rng=1)
    >>> sfp.precision, sfp.x.shape
    (0.0, (1, 35, 2))
    """
    rng = np.random.default_rng(rng)
    lam = nonnegative_finite(precision, "precision")
    return _play(game, rounds, runs, initial, record, keep_actions, lam, rng)


def continuous_fictitious_play(
    game: GameLike,
    *,
    t_end: float,
    dt: float = 0.01,
    runs: int | None = None,
    initial: Beliefs | None = None,
    record: int = 200,
    rng: int | np.random.Generator | None = None,
) -> FictitiousPlay:
    """Continuous-time fictitious play (best-response dynamics in logarithmic time).

    ``x' = b(y) - x``, ``y' = b(x) - y``: between checks, every ``dt``, of the pure best replies
    ``b`` the state moves exactly along ``x(s + h) = b + (x(s) - b) e^{-h}``.

    Parameters
    ----------
    t_end : float
        Final (logarithmic) time; ``e^{t_end}`` rounds of discrete play correspond.
    dt : float, default 0.01
        Interval between best-reply checks (a switch is located to within `dt`). Away from
        switches the motion is exact; near a mixed equilibrium, where switches come every few
        steps, the error grows to about ``sqrt(dt)`` (measured in rock-paper-scissors: the
        duality gap levels off at ``1.2 sqrt(dt)`` instead of decaying as ``e^{-t}``).
    record : int, default 200
        About this many evenly spaced times are recorded.

    Other parameters as :func:`fictitious_play`.

    Examples
    --------
    >>> cfp = continuous_fictitious_play([[3, 0], [5, 1]], t_end=5.0, initial=([1, 0], [1, 0]))
    >>> cfp.x[0, -1].round(3).tolist()           # 1 - e^{-5} of the way to defection
    [0.007, 0.993]
    """
    rng = np.random.default_rng(rng)
    A, B = float_game(game)
    t_end = positive_finite(t_end, "t_end")
    dt = positive_finite(dt, "dt")
    record = integer_at_least(record, "record", 1)
    x, y = initial_beliefs(initial, A.shape, runs, rng)
    runs = len(x)
    steps = max(1, int(np.ceil(t_end / dt)))
    h = t_end / steps
    decay = np.exp(-h)
    keep = np.unique(np.linspace(0, steps, num=min(record, steps) + 1).round().astype(np.int64))
    X = np.empty((runs, keep.size, A.shape[0]))
    Y = np.empty((runs, keep.size, A.shape[1]))
    X[:, 0], Y[:, 0] = x, y
    eye_m, eye_n = np.eye(A.shape[0]), np.eye(A.shape[1])
    k = 1
    for s in range(1, steps + 1):
        bx = eye_m[best_reply(y @ A.T, rng)]
        by = eye_n[best_reply(x @ B, rng)]
        x = bx + (x - bx) * decay
        y = by + (y - by) * decay
        if k < keep.size and s == keep[k]:
            X[:, k], Y[:, k] = x, y
            k += 1
    return FictitiousPlay(keep * h, X, Y, None, None, None)
