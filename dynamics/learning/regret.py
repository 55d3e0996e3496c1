"""No-regret learning: regret matching (Hart and Mas-Colell) and Hedge (multiplicative weights).

Both run many independent plays of a bimatrix game at once. What theory says, checked in the
tests:

- ``rule="adaptive"``, Hart and Mas-Colell's (2000) "simple adaptive procedure": switch from
  the last action ``j`` to ``k`` with probability ``max(D(j, k), 0) / μ``, ``D`` the average
  gain the switch would have brought, else repeat ``j``. The empirical joint distribution of
  play converges almost surely to the set of correlated equilibria (no rate is proved; the
  inertia slows it, see the tests);
- ``rule="stationary"``, conditional regret matching through the invariant distribution: play
  the stationary distribution ``q = q M`` of the switching matrix ``M[j, k] = D(j, k)^+ / μ``
  (Hart and Mas-Colell 2000, §4; Blum and Mansour 2007). Blackwell approachability bounds the
  conditional regrets, so the correlated regret of the empirical distribution (the largest
  gain of a switching rule, :func:`theory.correlated.correlated_regret`) is ``O(1/sqrt(T))``;
- ``rule="unconditional"``: play in proportion to the positive parts of the total regrets
  (Hart and Mas-Colell 2000, §4(a)); the empirical distribution approaches the coarse
  correlated equilibria (the Hannan set) at rate ``O(1/sqrt(T))``;
- Hedge (Freund and Schapire 1997) with learning rate ``η = sqrt(8 ln m / T) / range`` has
  external regret at most ``range sqrt(T ln m / 2)`` (Cesa-Bianchi and Lugosi 2006, Thm 2.2);
  in a zero-sum game its time-averaged strategies therefore form an ``ε``-equilibrium with
  ``ε`` the sum of both players' average regrets, and the average payoff approaches the
  minimax value (:func:`theory.zero_sum.minimax`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from dynamics._checks import integer_at_least, positive_finite
from dynamics.errors import ParameterError
from dynamics.learning._common import categorical, float_game, record_times, softmax
from theory.games import Game, GameLike  # noqa: F401 - Game resolves GameLike's forward reference

__all__ = ["RegretMatching", "Hedge", "regret_matching", "hedge"]


@dataclass(frozen=True)
class RegretMatching:
    """Many runs of regret matching: the empirical joint distribution and its regrets.

    Attributes
    ----------
    times : ndarray, shape (T,)
        Recorded rounds.
    joint : ndarray, shape (runs, T, m, n)
        Empirical joint distribution of play after each recorded round.
    correlated_regret : ndarray, shape (runs, T)
        Largest average gain of a switching rule "play ``k`` whenever you played ``j``" over
        both players: the ε for which ``joint`` is an ε-correlated equilibrium.
    coarse_regret : ndarray, shape (runs, T)
        Largest average gain of "play ``k`` always": the ε of an ε-coarse correlated equilibrium.
    rule : {"adaptive", "stationary", "unconditional"}
        The procedure (see the module docstring).
    inertia : tuple of float
        The normalisation ``μ`` of each player (conditional rules).
    """

    times: np.ndarray
    joint: np.ndarray
    correlated_regret: np.ndarray
    coarse_regret: np.ndarray
    rule: str
    inertia: tuple[float, float]


@dataclass(frozen=True)
class Hedge:
    """Many runs of Hedge for both players.

    Attributes
    ----------
    times : ndarray, shape (T,)
        Recorded rounds.
    x, y : ndarray, shapes (runs, T, m) and (runs, T, n)
        Time averages of the players' mixed strategies.
    average_payoff : ndarray, shape (runs, T, 2)
        Average payoff received so far by the row and the column player (realised under
        sampled feedback, expected otherwise).
    regret : ndarray, shape (runs, T, 2)
        Each player's average external regret: the best fixed action's average payoff against
        the other's play so far, minus `average_payoff`.
    learning_rate : tuple of float
        ``η`` of each player.
    feedback : {"sampled", "expected"}
        Payoff vectors against the other's sampled action, or against the mixed strategy.
    """

    times: np.ndarray
    x: np.ndarray
    y: np.ndarray
    average_payoff: np.ndarray
    regret: np.ndarray
    learning_rate: tuple[float, float]
    feedback: str


def _ranges(A: np.ndarray, B: np.ndarray) -> tuple[float, float]:
    ra, rb = float(A.max() - A.min()), float(B.max() - B.min())
    return (ra if ra > 0 else 1.0), (rb if rb > 0 else 1.0)


def regret_matching(
    game: GameLike,
    *,
    rounds: int,
    runs: int = 1,
    rule: Literal["adaptive", "stationary", "unconditional"] = "adaptive",
    inertia: tuple[float, float] | None = None,
    record: int = 50,
    rng: int | np.random.Generator | None = None,
) -> RegretMatching:
    """Regret matching for both players of a bimatrix game, batched over runs.

    Parameters
    ----------
    game : Game, nashpy Game, pair (A, B) or square matrix
        The game (see :func:`theory.games.as_game`).
    rounds : int
        Rounds of play (the first is uniform).
    runs : int, default 1
        Independent runs.
    rule : {"adaptive", "stationary", "unconditional"}, default "adaptive"
        Hart and Mas-Colell's simple adaptive procedure, conditional regret matching through
        the stationary distribution (both to correlated equilibria), or unconditional regret
        matching (to coarse correlated equilibria); see the module docstring.
    inertia : pair of float, optional
        ``μ`` of the row and the column player; must exceed ``(m - 1)`` times the player's
        payoff range so that switching probabilities sum below 1. Default: twice that.
    record : int, default 50
        About this many log-spaced rounds are recorded.
    rng : int or Generator, optional
        Seed.

    Raises
    ------
    dynamics.errors.ParameterError
        Non-positive `rounds`/`runs`/`record`, or an `inertia` too small.

    References
    ----------
    Hart and Mas-Colell, *Econometrica* 68 (2000) 1127-1150.

    Examples
    --------
    >>> rm = regret_matching([[6, 2], [7, 0]], rounds=2000, runs=4, rng=0)
    >>> rm.joint.shape, bool(rm.correlated_regret[:, -1].max() < 0.2)
    ((4, 43, 2, 2), True)
    """
    rng = np.random.default_rng(rng)
    A, B = float_game(game)
    rounds = integer_at_least(rounds, "rounds", 1)
    runs = integer_at_least(runs, "runs", 1)
    if rule not in ("adaptive", "stationary", "unconditional"):
        raise ParameterError(
            f"rule must be 'adaptive', 'stationary' or 'unconditional', got {rule!r}"
        )
    times = record_times(rounds, record)
    m, n = A.shape
    ra, rb = _ranges(A, B)
    need = ((m - 1) * ra, (n - 1) * rb)
    if inertia is None:
        mu = (max(2 * need[0], 1.0), max(2 * need[1], 1.0))
    else:
        if not (isinstance(inertia, tuple | list) and len(inertia) == 2):
            raise ParameterError(f"inertia must be a pair (mu_row, mu_column), got {inertia!r}")
        mu = (positive_finite(inertia[0], "inertia[0]"), positive_finite(inertia[1], "inertia[1]"))
        for who, have, low in zip(("row", "column"), mu, need, strict=True):
            if have <= low:
                raise ParameterError(
                    f"inertia of the {who} player must exceed {low:g} ((actions - 1) * payoff "
                    f"range), got {have:g}"
                )
    rows = np.arange(runs)
    Rr = np.zeros((runs, m, m))  # Rr[j, k]: total gain of having played k whenever j was played
    Rc = np.zeros((runs, n, n))
    N = np.zeros((runs, m, n))
    J = np.empty((runs, times.size, m, n))
    ce = np.empty((runs, times.size))
    cce = np.empty((runs, times.size))
    i = rng.integers(m, size=runs)
    j = rng.integers(n, size=runs)
    k = 0
    for t in range(1, rounds + 1):
        if t > 1:
            if rule == "adaptive":
                i = _switch(Rr[rows, i], i, (t - 1) * mu[0], rng)
                j = _switch(Rc[rows, j], j, (t - 1) * mu[1], rng)
            elif rule == "stationary":
                i = categorical(_stationary(Rr, (t - 1) * mu[0]), rng)
                j = categorical(_stationary(Rc, (t - 1) * mu[1]), rng)
            else:
                i = _proportional(Rr.sum(axis=1), rng)
                j = _proportional(Rc.sum(axis=1), rng)
        Rr[rows, i] += A[:, j].T - A[i, j][:, None]
        Rc[rows, j] += B[i, :] - B[i, j][:, None]
        N[rows, i, j] += 1.0
        if t == times[k]:
            J[:, k] = N / t
            ce[:, k] = np.maximum(0.0, np.maximum(Rr.max(axis=(1, 2)), Rc.max(axis=(1, 2)))) / t
            cce[:, k] = (
                np.maximum(0.0, np.maximum(Rr.sum(axis=1).max(axis=1), Rc.sum(axis=1).max(axis=1)))
                / t
            )
            k += 1
    return RegretMatching(times, J, ce, cce, rule, mu)


def _switch(D: np.ndarray, last: np.ndarray, scale: float, rng: np.random.Generator) -> np.ndarray:
    """Hart-Mas-Colell step: from `last`, move to k with probability D[k]^+ / scale."""
    p = np.maximum(D, 0.0) / scale
    p[np.arange(len(p)), last] = 0.0
    p[np.arange(len(p)), last] = 1.0 - p.sum(axis=1)
    return categorical(p, rng)


def _stationary(R: np.ndarray, scale: float) -> np.ndarray:
    """A stationary distribution of each switching matrix ``M[j, k] = R[j, k]^+ / scale``."""
    runs, m, _ = R.shape
    M = np.maximum(R, 0.0) / scale
    d = np.arange(m)
    M[:, d, d] = 0.0
    M[:, d, d] = 1.0 - M.sum(axis=2)
    # q (M - I) = 0 with the last equation replaced by sum q = 1; singular iff M is reducible
    S = np.swapaxes(M, 1, 2) - np.eye(m)
    S[:, -1, :] = 1.0
    rhs = np.zeros(m)
    rhs[-1] = 1.0
    q = np.empty((runs, m))
    ok = np.abs(np.linalg.det(S)) > 1e-12
    if ok.any():
        q[ok] = np.linalg.solve(S[ok], np.broadcast_to(rhs, (int(ok.sum()), m))[..., None])[..., 0]
    if not ok.all():
        # several closed classes: the least-norm solution of q (M - I) = 0, sum q = 1 weights
        # each class's stationary distribution positively (their supports are disjoint)
        Mr = np.swapaxes(M[~ok], 1, 2) - np.eye(m)
        full = np.concatenate([Mr, np.ones((len(Mr), 1, m))], axis=1)
        b = np.zeros(m + 1)
        b[-1] = 1.0
        q[~ok] = np.linalg.pinv(full) @ b
    q = np.maximum(q, 0.0)
    return q / q.sum(axis=1, keepdims=True)


def _proportional(U: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Play in proportion to positive regrets; uniformly if none is positive."""
    w = np.maximum(U, 0.0)
    none = w.sum(axis=1) <= 0
    w[none] = 1.0
    return categorical(w, rng)


def hedge(
    game: GameLike,
    *,
    rounds: int,
    runs: int = 1,
    learning_rate: tuple[float, float] | None = None,
    feedback: Literal["sampled", "expected"] = "sampled",
    record: int = 50,
    rng: int | np.random.Generator | None = None,
) -> Hedge:
    """Hedge (multiplicative weights) for both players, batched over runs.

    Each player's mixed strategy is ``softmax(η U)``, ``U`` the cumulative payoff of each
    action against the other's play (full information).

    Parameters
    ----------
    game : Game, nashpy Game, pair (A, B) or square matrix
        The game.
    rounds : int
        Rounds of play.
    runs : int, default 1
        Independent runs.
    learning_rate : pair of float, optional
        ``η`` of the row and the column player; default ``sqrt(8 ln m / rounds) / range``
        (the horizon-tuned rate of the regret bound above).
    feedback : {"sampled", "expected"}, default "sampled"
        Update with the payoffs against the other's sampled action (then actions are drawn),
        or against the other's mixed strategy (deterministic).
    record : int, default 50
        About this many log-spaced rounds are recorded.
    rng : int or Generator, optional
        Seed.

    Examples
    --------
    Matching pennies: the average strategies approach the minimax strategy (1/2, 1/2).

    >>> h = hedge(([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]), rounds=2000, feedback="expected")
    >>> bool(abs(h.x[0, -1, 0] - 0.5) < 0.05)
    True
    """
    rng = np.random.default_rng(rng)
    A, B = float_game(game)
    rounds = integer_at_least(rounds, "rounds", 1)
    runs = integer_at_least(runs, "runs", 1)
    if feedback not in ("sampled", "expected"):
        raise ParameterError(f"feedback must be 'sampled' or 'expected', got {feedback!r}")
    times = record_times(rounds, record)
    m, n = A.shape
    ra, rb = _ranges(A, B)
    if learning_rate is None:
        eta = (
            float(np.sqrt(8 * np.log(max(m, 2)) / rounds) / ra),
            float(np.sqrt(8 * np.log(max(n, 2)) / rounds) / rb),
        )
    else:
        if not (isinstance(learning_rate, tuple | list) and len(learning_rate) == 2):
            raise ParameterError(f"learning_rate must be a pair, got {learning_rate!r}")
        eta = (
            positive_finite(learning_rate[0], "learning_rate[0]"),
            positive_finite(learning_rate[1], "learning_rate[1]"),
        )
    Ux, Uy = np.zeros((runs, m)), np.zeros((runs, n))
    Sx, Sy = np.zeros((runs, m)), np.zeros((runs, n))
    got = np.zeros((runs, 2))
    X = np.empty((runs, times.size, m))
    Y = np.empty((runs, times.size, n))
    pay = np.empty((runs, times.size, 2))
    reg = np.empty((runs, times.size, 2))
    k = 0
    for t in range(1, rounds + 1):
        x, y = softmax(eta[0] * Ux), softmax(eta[1] * Uy)
        Sx += x
        Sy += y
        if feedback == "sampled":
            i, j = categorical(x, rng), categorical(y, rng)
            Ux += A[:, j].T
            Uy += B[i, :]
            got[:, 0] += A[i, j]
            got[:, 1] += B[i, j]
        else:
            Ux += y @ A.T
            Uy += x @ B
            got[:, 0] += np.einsum("ri,ij,rj->r", x, A, y)
            got[:, 1] += np.einsum("ri,ij,rj->r", x, B, y)
        if t == times[k]:
            X[:, k], Y[:, k] = Sx / t, Sy / t
            pay[:, k] = got / t
            reg[:, k, 0] = Ux.max(axis=1) / t - got[:, 0] / t
            reg[:, k, 1] = Uy.max(axis=1) / t - got[:, 1] / t
            k += 1
    return Hedge(times, X, Y, pay, reg, eta, feedback)
