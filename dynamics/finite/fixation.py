"""Fixation of a mutant in a resident population, and the small-mutation limit.

For the birth-death rules (Moran, Fermi) the number ``l`` of mutants in a two-strategy
population is a birth-death chain with ratios ``gamma_l = T^-(l) / T^+(l)``, and the probability
that ``k`` mutants take over is (Karlin & Taylor; Nowak 2006, eq. 6.13)

    rho_k = (1 + sum_{m=1}^{k-1} prod_{l=1}^m gamma_l) / (1 + sum_{m=1}^{N-1} prod_{l=1}^m gamma_l).

Moran: ``gamma_l = f_resident(l) / f_mutant(l)``; Fermi: ``gamma_l = exp(-beta (pi_mutant(l) -
pi_resident(l)))``. Linear Moran with exact payoffs and ``w`` gives an exact ``Fraction``.
Wright-Fisher has no such product; its fixation probability comes from the absorbing chain.

The small-mutation limit (Fudenberg & Imhof 2006): as ``mu -> 0`` the population is monomorphic
almost all the time; a mutant of one of the other ``n - 1`` strategies appears and fixes or dies
out before the next one. The embedded chain on monomorphic states has ``T[i, j] = rho_{j in i} /
(n - 1)`` for ``i != j``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.special import logsumexp

from dynamics.errors import ParameterError
from dynamics.finite.chain import absorption, markov_chain, stationary_distribution
from dynamics.finite.processes import Process, fitness, payoffs
from theory.linalg import solve_exact

__all__ = ["fixation_probability", "SmallMutationLimit", "small_mutation_limit"]


def _pair(process: Process, mutant: int, resident: int) -> Process:
    for name, s in (("mutant", mutant), ("resident", resident)):
        if not (isinstance(s, int | np.integer) and 0 <= s < process.n):
            raise ParameterError(f"{name} must be a strategy index in [0, {process.n}), got {s!r}")
    if mutant == resident:
        raise ParameterError(f"mutant and resident must differ, both are {mutant}")
    idx = [mutant, resident]
    sub = process.A[np.ix_(idx, idx)]
    return Process(process.rule, sub, process.N, process.intensity, Fraction(0), process.mapping)


def fixation_probability(
    process: Process, mutant: int, resident: int, *, k: int = 1
) -> Fraction | float:
    """Probability that ``k`` mutants of strategy `mutant` take over a `resident` population.

    Only the two strategies are present and there is no mutation (``process.mu`` is ignored).

    Returns
    -------
    Fraction or float
        Exact for linear Moran processes with exact payoffs and ``w``.

    Raises
    ------
    ParameterError
        If a strategy index is invalid, the two are equal, or ``k`` is not in ``1..N-1``.

    Examples
    --------
    >>> from dynamics.finite.processes import moran
    >>> fixation_probability(moran([[1, 1], [1, 1]], 10, w=0), 0, 1)
    Fraction(1, 10)
    >>> # constant fitness advantage r = 3/2: (1 - 1/r) / (1 - 1/r**N) = 81/211
    >>> fixation_probability(moran([[2, 2], [1, 1]], 5, w=Fraction(1, 2)), 0, 1)
    Fraction(81, 211)
    """
    N = process.N
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= N - 1:
        raise ParameterError(f"k must be an integer in [1, N - 1 = {N - 1}], got {k!r}")
    pair = _pair(process, mutant, resident)
    if pair.rule == "wright-fisher":
        ab = absorption(markov_chain(pair))
        return float(ab.probability[k, 0])  # state (k, N - k) is number k; strategy 0 fixes
    l_ = np.arange(1, N)
    counts = np.stack([l_, N - l_], axis=1)
    if pair.is_exact:
        f = fitness(pair, payoffs(pair.A, counts, N))
        gamma = [Fraction(fr) / Fraction(fm) for fm, fr in f]
        prods, acc = [], Fraction(1)
        for g in gamma:
            acc *= g
            prods.append(acc)
        return (1 + sum(prods[: k - 1], Fraction(0))) / (1 + sum(prods, Fraction(0)))
    pi = payoffs(pair.float_A, counts, N)
    if pair.rule == "moran" and pair.mapping == "exponential":
        # log f = w pi: in log space, so w = 1000 does not overflow exp (inf / inf = nan)
        log_gamma = float(pair.intensity) * (pi[:, 1] - pi[:, 0])
    elif pair.rule == "moran":
        f = fitness(pair, pi).astype(np.float64)
        log_gamma = np.log(f[:, 1]) - np.log(f[:, 0])
    else:
        log_gamma = -float(pair.intensity) * (pi[:, 0] - pi[:, 1])
    log_prods = np.concatenate([[0.0], np.cumsum(log_gamma)])  # m = 0 .. N-1
    return float(np.exp(logsumexp(log_prods[:k]) - logsumexp(log_prods)))


@dataclass(frozen=True)
class SmallMutationLimit:
    """The embedded chain between monomorphic states.

    Attributes
    ----------
    fixation : ndarray (n, n)
        ``fixation[i, j]``: probability that one ``j`` mutant takes over an ``i`` population
        (diagonal 0). ``Fraction`` entries when exact.
    transition : ndarray (n, n)
        Row-stochastic embedded chain ``T[i, j] = fixation[i, j] / (n - 1)``.
    stationary : ndarray (n,)
        Its stationary distribution: the long-run fraction of time spent monomorphic in each
        strategy as ``mu -> 0``.
    """

    fixation: np.ndarray
    transition: np.ndarray
    stationary: np.ndarray


def _stationary_exact(T: np.ndarray) -> np.ndarray:
    """``pi T = pi``, ``sum pi = 1`` for a row-stochastic ``Fraction`` matrix, exactly.

    The balance equations of a stochastic matrix sum to zero, so the last one is replaced by
    the normalisation; the system is singular exactly when the stationary law is not unique.
    """
    n = T.shape[0]
    balance = [[T[j, i] - (1 if i == j else 0) for j in range(n)] for i in range(n - 1)]
    pi = solve_exact([*balance, [1] * n], [0] * (n - 1) + [1])
    if pi is None:
        raise ParameterError("the embedded chain is reducible: its stationary law is not unique")
    return np.array(pi, dtype=object)


def small_mutation_limit(process: Process) -> SmallMutationLimit:
    """The small-mutation limit of a process: embedded chain and stationary distribution.

    Examples
    --------
    >>> from dynamics.finite.processes import moran
    >>> sml = small_mutation_limit(moran([[1, 1], [1, 1]], 4, w=0))
    >>> sml.stationary
    array([Fraction(1, 2), Fraction(1, 2)], dtype=object)
    """
    n = process.n
    if n < 2:
        raise ParameterError("the small-mutation limit needs at least two strategies")
    exact = _pair(process, 1, 0).is_exact
    F = np.zeros((n, n), dtype=object if exact else np.float64)
    for i in range(n):
        for j in range(n):
            if i != j:
                F[i, j] = fixation_probability(process, j, i)
    T = F / (n - 1)
    for i in range(n):
        T[i, i] = 1 - sum(T[i, j] for j in range(n) if j != i)
    if exact:
        T = np.array([[Fraction(v) for v in row] for row in T], dtype=object)
        return SmallMutationLimit(F, T, _stationary_exact(T))
    return SmallMutationLimit(F, T, stationary_distribution(T.astype(np.float64)))
