"""Two finite populations playing a 2 x 2 bimatrix game (Fermi or Moran): the exact chain.

Population 1 (``N1`` individuals, ``i`` of them playing strategy 0) meets population 2 (``N2``,
``j`` playing strategy 0); an individual's payoff is its average against the *other* population,
``pi^1_a = (A y)_a`` with ``y = (j, N2 - j) / N2`` and ``pi^2_b = (B^T x)_b``. One step picks a
population with probability 1/2, then a focal individual uniformly; with probability ``mu`` it
switches strategy, otherwise it meets a role model drawn from the other ``N - 1`` of its own
population and copies it with probability ``1 / (1 + exp(-beta (pi_model - pi_focal)))``
(Traulsen et al. 2006, for each population). Under the Moran rule the moving population
instead picks a parent with probability proportional to its fitness ``1 - w + w pi`` and the
offspring (switching strategy with probability ``mu``) replaces an individual of that population
drawn uniformly (Nowak 2006, ch. 6, in each population). The chain lives on the
``(N1 + 1) (N2 + 1)`` states ``(i, j)``; with ``mu > 0`` it is irreducible and its stationary
distribution is solved exactly (a sparse solve,
:func:`dynamics.finite.chain.stationary_distribution`); with ``mu = 0`` the four monomorphic
states absorb, and :func:`two_population_fixation` solves for where a start ends.
:func:`simulate_two_populations` runs the process individual by individual (an independent
implementation of the same rules, vectorised over runs).

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
    "two_population_moran",
    "two_population_fixation",
    "simulate_two_populations",
    "two_population_transition_matrix",
    "two_population_stationary_distribution",
]


@dataclass(frozen=True, eq=False)
class TwoPopulationProcess:
    """The Fermi (`beta`) or Moran (`w`) process of two populations of `sizes` playing
    ``(A, B)`` (2 x 2, float); `rule` is ``"fermi"`` or ``"moran"``."""

    A: np.ndarray
    B: np.ndarray
    sizes: tuple[int, int]
    beta: float
    mu: float
    rule: str = "fermi"
    w: float = 0.0


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
    A, B, N = _checked(game, sizes)
    return TwoPopulationProcess(A, B, N, _real(beta, "beta", math.inf), _real(mu, "mu", 1.0))


def two_population_moran(
    game: GameLike, sizes: tuple[int, int], *, w: float = 0.1, mu: float = 0.0
) -> TwoPopulationProcess:
    """The two-population Moran process of a 2 x 2 game (linear fitness ``1 - w + w pi``).

    Raises
    ------
    ParameterError
        As :func:`two_population_fermi`; also `w` outside [0, 1] or a fitness ``1 - w + w pi``
        that is not positive at the smallest payoff.

    Examples
    --------
    >>> p = two_population_moran(([[1, 0], [0, 1]], [[1, 0], [0, 1]]), (4, 4), w=0.5)
    >>> p.rule, p.w
    ('moran', 0.5)
    """
    A, B, N = _checked(game, sizes)
    w_ = _real(w, "w", 1.0)
    low = float(min(A.min(), B.min()))
    if 1 - w_ + w_ * low <= 0:
        raise ParameterError(
            f"linear fitness 1 - w + w*pi is not positive for the smallest payoff {low} at "
            f"w = {w}: lower w"
        )
    return TwoPopulationProcess(A, B, N, 0.0, _real(mu, "mu", 1.0), "moran", w_)


def _checked(
    game: GameLike, sizes: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    g = as_game(game)
    if g.shape != (2, 2):
        raise ParameterError(f"the two-population chain takes 2 x 2 games, got {g.shape}")
    if len(tuple(sizes)) != 2:
        raise ParameterError(f"sizes must be (N1, N2), got {sizes!r}")
    for k, N in enumerate(sizes):
        if isinstance(N, bool) or not isinstance(N, numbers.Integral) or N < 2:
            raise ParameterError(f"sizes[{k}] must be an integer >= 2, got {N!r}")
    A, B = float_matrix(g.A, name="A"), float_matrix(g.B, name="B")
    return A, B, (int(sizes[0]), int(sizes[1]))


def _real(v: object, name: str, top: float) -> float:
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise ParameterError(f"{name} must be a real number, got {v!r}")
    if not (0 <= float(v) <= top) or math.isnan(float(v)) or math.isinf(float(v)):
        raise ParameterError(f"{name} must be in [0, {top}] and finite, got {v!r}")
    return float(v)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _moves(
    process: TwoPopulationProcess, N: int, count: np.ndarray, pi0: np.ndarray, pi1: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities (given this population moves) that strategy 0's count rises, falls."""
    mu = process.mu
    if process.rule == "moran":
        w = process.w
        f0, f1 = count * (1 - w + w * pi0), (N - count) * (1 - w + w * pi1)
        parent0 = f0 / (f0 + f1)
        birth0 = (1 - mu) * parent0 + mu * (1 - parent0)  # the offspring plays 0
        return (N - count) / N * birth0, count / N * (1 - birth0)
    gain = pi0 - pi1
    beta = process.beta
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
    up1, down1 = _moves(
        process, N1, i, A[0, 0] * y0 + A[0, 1] * (1 - y0), A[1, 0] * y0 + A[1, 1] * (1 - y0)
    )
    up2, down2 = _moves(
        process, N2, j, B[0, 0] * x0 + B[1, 0] * (1 - x0), B[0, 1] * x0 + B[1, 1] * (1 - x0)
    )
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


def two_population_fixation(process: TwoPopulationProcess, start: tuple[int, int]) -> np.ndarray:
    """Where the chain without mutation ends from `start` ``(i, j)``: ``P[a, b]``, the
    probability that population 1 ends all playing strategy ``a`` and population 2 all ``b``
    (``a, b = 0`` is strategy 0; a sparse solve over the transient states).

    Raises
    ------
    ParameterError
        If ``mu > 0`` (nothing absorbs) or `start` is not a state.

    Examples
    --------
    >>> p = two_population_moran(([[1, 0], [0, 1]], [[1, 0], [0, 1]]), (3, 3), w=0)
    >>> two_population_fixation(p, (3, 0)).round(6)   # neutral: 2nd population drifts alone
    array([[1., 0.],
           [0., 0.]])
    """
    from scipy.sparse.linalg import spsolve

    if process.mu != 0:
        raise ParameterError(f"mu = {process.mu} > 0: no state absorbs; use the stationary law")
    N1, N2 = process.sizes
    i, j = _start(process, start)
    P = two_population_transition_matrix(process).tocsr()
    corners = [N1 * (N2 + 1) + N2, N1 * (N2 + 1), N2, 0]  # (N1, N2), (N1, 0), (0, N2), (0, 0)
    S = P.shape[0]
    transient = np.setdiff1d(np.arange(S), corners)
    out = np.zeros((2, 2))
    index = i * (N2 + 1) + j
    Q = sp.identity(transient.size, format="csc") - P[transient][:, transient].tocsc()
    for corner, (a, b) in zip(corners, ((0, 0), (0, 1), (1, 0), (1, 1)), strict=True):
        if index in corners:
            out[a, b] = float(index == corner)
            continue
        h = spsolve(Q, np.asarray(P[transient][:, [corner]].todense()).ravel())
        out[a, b] = float(h[np.searchsorted(transient, index)])
    return out


def _start(process: TwoPopulationProcess, start: tuple[int, int]) -> tuple[int, int]:
    N1, N2 = process.sizes
    ok = len(tuple(start)) == 2 and all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in start
    )
    if not ok or not (0 <= start[0] <= N1 and 0 <= start[1] <= N2):
        raise ParameterError(f"start must be counts (i, j) with 0 <= i <= {N1}, 0 <= j <= {N2}")
    return int(start[0]), int(start[1])


def simulate_two_populations(
    process: TwoPopulationProcess,
    start: tuple[int, int],
    steps: int,
    *,
    runs: int = 1,
    rng: int | np.random.Generator | None = None,
) -> np.ndarray:
    """The counts ``(i, j)`` of strategy 0 after `steps` steps of `runs` independent runs.

    Individual by individual: a population is picked, then (Fermi) a focal individual, a
    mutation or a role model and the imitation coin, or (Moran) a parent by fitness, its
    offspring's mutation and the individual it replaces. A run without mutation stops at a
    monomorphic state. Returns shape ``(runs, 2)``.

    Examples
    --------
    >>> p = two_population_moran(([[1, 0], [0, 1]], [[1, 0], [0, 1]]), (5, 5), w=0.5)
    >>> simulate_two_populations(p, (5, 0), 100, runs=3, rng=1).tolist()   # monomorphic: stays
    [[5, 0], [5, 0], [5, 0]]
    """
    rng = np.random.default_rng(rng)
    i0, j0 = _start(process, start)
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
        raise ParameterError(f"steps must be a non-negative integer, got {steps!r}")
    if isinstance(runs, bool) or not isinstance(runs, numbers.Integral) or runs < 1:
        raise ParameterError(f"runs must be a positive integer, got {runs!r}")
    N = np.array(process.sizes)
    counts = np.tile([i0, j0], (int(runs), 1))
    payoff = (process.A, process.B.T)  # row a of payoff[p]: strategy a of population p
    mu = process.mu
    rows = np.arange(int(runs))
    for _ in range(int(steps)):
        if mu == 0:
            live = np.flatnonzero(np.any((counts > 0) & (counts < N), axis=1))
            if live.size == 0:
                break
        else:
            live = rows
        pop = (rng.random(live.size) < 0.5).astype(np.int64)  # which population moves
        other = 1 - pop
        c, n = counts[live, pop], N[pop]
        share = counts[live, other] / N[other]  # the other population's share of strategy 0
        pi = np.empty((live.size, 2))
        for p in (0, 1):
            sel = pop == p
            M = payoff[p]
            pi[sel, 0] = M[0, 0] * share[sel] + M[0, 1] * (1 - share[sel])
            pi[sel, 1] = M[1, 0] * share[sel] + M[1, 1] * (1 - share[sel])
        if process.rule == "moran":
            fit = 1 - process.w + process.w * pi
            parent0 = rng.random(live.size) * (c * fit[:, 0] + (n - c) * fit[:, 1]) < c * fit[:, 0]
            child0 = parent0 ^ (rng.random(live.size) < mu)
            dead0 = rng.random(live.size) * n < c
            change = child0.astype(np.int64) - dead0.astype(np.int64)
        else:
            focal0 = rng.random(live.size) * n < c
            mutate = rng.random(live.size) < mu
            model0 = rng.random(live.size) * (n - 1) < c - focal0
            gain = np.where(focal0, pi[:, 1] - pi[:, 0], pi[:, 0] - pi[:, 1])  # model - focal
            copy = (model0 != focal0) & (rng.random(live.size) < _sigmoid(process.beta * gain))
            switch = mutate | (~mutate & copy)
            change = np.where(switch, np.where(focal0, -1, 1), 0)
        counts[live, pop] = c + change
    return counts
