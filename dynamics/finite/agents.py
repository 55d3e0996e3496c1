"""The seed's population model as an agent simulation, and its large-population limit.

``N`` agents (``N`` even) each hold one strategy of a symmetric game ``A`` - for the seed, modal
agents with their depth penalties (:func:`theory.modal_game.modal_game`). Every round:

1. the agents are matched in ``N / 2`` random pairs (a uniform perfect matching) and play once;
   agent ``k`` earns ``pi_k = A[s_k, s_partner]``;
2. each agent reproduces with probability ``h * phi_k``, proportional to its payoff through the
   fitness ``phi_k = (pi_k - low) / (high - low)`` in [0, 1] (``low``, ``high``: the smallest and
   largest payoff; for the seed's game at small ``eps``, ``low = 0`` and reproduction is
   proportional to the payoff itself); ``h`` in (0, 1] is the fraction of the population that
   turns over per round at most;
3. the ``B`` offspring replace ``B`` agents drawn uniformly without replacement from the old
   population (parents included), so ``N`` stays fixed.

**The limit.** A ``j``-agent's partner is uniform among the other ``N - 1`` agents, so its expected
payoff is ``f^N_j(x) = sum_l A[j, l] (N x_l - [j = l]) / (N - 1)``; deaths hit strategy ``j`` in
proportion ``x_j``. Hence, exactly,

    E[x_{r+1} - x_r | x_r] = tau * x_r * (f^N(x_r) - x_r . f^N(x_r)),    tau = h / (high - low),

one Euler step of length ``tau`` of the replicator flow ``x' = x (Ax - x.Ax)`` (the shift ``low``
cancels in ``f - x.f``; ``f^N -> Ax`` as ``N -> infinity``). With bounded jumps of size ``1/N``
the law of large numbers for stochastic approximation (Benaim & Weibull 2003) gives, on any finite
horizon, ``x_r = y_r + O_p(1/sqrt(N))`` with ``y`` the Euler map ``y_{r+1} = y_r + tau F(y_r)``;
and ``y_r = x_flow(r tau) + O(tau)``. So round ``r`` corresponds to flow time ``t = r tau``, single
runs scatter about the flow by ``~ 1/sqrt(N)``, the mean of ``R`` runs by ``~ 1/sqrt(N R)`` plus a
bias ``O(1/N)``, and the remaining gap to the flow is the Euler error ``O(tau)``.

The seed's own discrete model, ``x_i <- x_i (1 + h f_i) / (1 + h x.f)``, is
``x + h x (f - x.f) / (1 + h x.f)``: the same direction with a state-dependent step; both are
first-order schemes of the same flow and agree with it as the step goes to 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from tqdm import tqdm

from dynamics._checks import MatrixLike, generator, integer_at_least
from dynamics.errors import ParameterError
from theory.games import float_matrix

__all__ = ["AgentRuns", "simulate_agents", "round_time", "euler_map"]


def round_time(A: MatrixLike, h: float) -> float:
    """Flow time per round, ``tau = h / (max A - min A)`` (``h`` if all payoffs are equal).

    Examples
    --------
    >>> round_time([[3, 0], [5, 1]], 0.5)
    0.1
    """
    return _round_time(float_matrix(A, square=True), h)


def _round_time(M: np.ndarray, h: float) -> float:
    spread = float(M.max() - M.min())
    return h / spread if spread > 0 else h


def euler_map(
    A: MatrixLike, x0: ArrayLike, rounds: int, h: float, *, N: int | None = None
) -> np.ndarray:
    """The mean-field map ``y_{r+1} = y_r + tau y_r (f(y_r) - y_r.f(y_r))``, shape (rounds+1, n).

    With `N` the payoffs are the self-excluding ``f^N``; without, ``f = A y`` (``N = infinity``).

    Examples
    --------
    >>> euler_map([[1, 0], [0, 0]], [0.5, 0.5], 1, 1.0)
    array([[0.5  , 0.5  ],
           [0.625, 0.375]])
    """
    M = float_matrix(A, square=True)
    tau = _round_time(M, h)
    y = np.asarray(x0, dtype=np.float64).copy()
    out = [y.copy()]
    for _ in range(rounds):
        f = M @ y if N is None else (N * (M @ y) - np.diag(M)) / (N - 1)
        y = y + tau * y * (f - y @ f)
        out.append(y.copy())
    return np.array(out)


@dataclass(frozen=True)
class AgentRuns:
    """Strategy frequencies of independent agent-simulation runs.

    Attributes
    ----------
    rounds : ndarray (T,)
        Rounds at which the state was recorded (0: the start).
    time : ndarray (T,)
        The matching flow times ``rounds * tau``.
    frequencies : ndarray (T, runs, n)
        Fraction of agents playing each strategy.
    """

    rounds: np.ndarray
    time: np.ndarray
    frequencies: np.ndarray

    @property
    def mean(self) -> np.ndarray:
        """Mean path over runs, shape (T, n)."""
        return self.frequencies.mean(axis=1)

    @property
    def standard_error(self) -> np.ndarray:
        """Standard error of the mean path, shape (T, n)."""
        R = self.frequencies.shape[1]
        return (
            self.frequencies.std(axis=1, ddof=1) / np.sqrt(R)
            if R > 1
            else np.full(self.mean.shape, np.nan)
        )


def _counts(strat: np.ndarray, n: int) -> np.ndarray:
    return np.stack([(strat == i).sum(axis=1) for i in range(n)], axis=1)


def simulate_agents(
    A: MatrixLike,
    initial: ArrayLike,
    *,
    rounds: int,
    h: float = 0.2,
    runs: int = 1,
    every: int = 1,
    progress: bool = False,
    rng: int | np.random.Generator | None = None,
) -> AgentRuns:
    """Run the agent simulation (module docstring) `runs` times in parallel.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Payoffs (e.g. :func:`theory.modal_game.modal_game`).
    initial : array_like of int, shape (n,)
        Number of agents of each strategy; the sum is ``N``, which must be even and >= 2.
    rounds, runs, every : int
        Rounds to play, independent runs, recording interval.
    h : float in (0, 1]
        Reproduction probability of the fittest agent per round; one round is ``h / (high -
        low)`` units of flow time.
    rng : int or Generator, optional

    Raises
    ------
    ParameterError
        For an odd or too small population, counts that do not match the game's strategies,
        ``h`` outside (0, 1], or bad integers.

    Examples
    --------
    >>> out = simulate_agents([[3, 0], [5, 1]], [50, 50], rounds=10, runs=4, every=5, rng=0)
    >>> out.frequencies.shape, out.time
    ((3, 4, 2), array([0. , 0.2, 0.4]))
    """
    rng = generator(rng)
    M = float_matrix(A, square=True)
    n = M.shape[0]
    counts = np.asarray(initial)
    if counts.shape != (n,) or counts.dtype.kind not in "iu" or np.any(counts < 0):
        raise ParameterError(
            f"initial must be {n} non-negative integer counts (one per strategy), got {initial!r}"
        )
    N = int(counts.sum())
    if N < 2 or N % 2:
        raise ParameterError(f"the number of agents N must be even and >= 2, got N = {N}")
    if not (isinstance(h, int | float) and 0 < h <= 1):
        raise ParameterError(f"h must be in (0, 1], got {h!r}")
    rounds = integer_at_least(rounds, "rounds", 0)
    runs = integer_at_least(runs, "runs", 1)
    every = integer_at_least(every, "every", 1)
    low, high = float(M.min()), float(M.max())
    phi = (M - low) / (high - low) if high > low else np.ones_like(M)
    strat = np.tile(np.repeat(np.arange(n), counts), (runs, 1))
    base = np.tile(np.arange(N), (runs, 1))
    rows = np.repeat(np.arange(runs)[:, None], N, axis=1)
    slot = np.arange(N)
    records, marks = [_counts(strat, n)], [0]
    for r in tqdm(range(1, rounds + 1), disable=not progress, desc="agents", unit="round"):
        perm = rng.permuted(base, axis=1)
        a, b = perm[:, 0::2], perm[:, 1::2]
        sa = np.take_along_axis(strat, a, axis=1)
        sb = np.take_along_axis(strat, b, axis=1)
        born = np.zeros((runs, N), dtype=bool)
        np.put_along_axis(born, a, rng.random(a.shape) < h * phi[sa, sb], axis=1)
        np.put_along_axis(born, b, rng.random(b.shape) < h * phi[sb, sa], axis=1)
        births = born.sum(axis=1)
        parents = np.argsort(~born, axis=1, kind="stable")  # the born agents first
        victims = rng.permuted(base, axis=1)
        take = slot < births[:, None]
        new = strat.copy()
        new[rows[take], victims[take]] = strat[rows[take], parents[take]]
        strat = new
        if r % every == 0:
            records.append(_counts(strat, n))
            marks.append(r)
    freq = np.stack(records) / N
    rr = np.array(marks)
    return AgentRuns(rr, rr * _round_time(M, h), freq)
