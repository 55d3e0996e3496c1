"""Finite populations playing a d-player group game: hypergeometric groups, Fermi and Moran.

A population of ``N`` individuals (counts ``c``, ``c.sum() == N``) plays the group game
:class:`theory.group_games.GroupGame` in groups of ``d <= N``: a focal ``i``-strategist's
``d - 1`` co-players are drawn without replacement from the other ``N - 1`` individuals, so its
expected payoff averages the payoff table over the multivariate hypergeometric law (Hauert et
al. 2007; EGTtools):

    pi_i(c) = sum_k prod_l C(c_l - [l == i], k_l) / C(N - 1, d - 1) * a_i(k).

The update rules are those of :mod:`dynamics.finite.processes` with these payoffs: ``"fermi"``
(pairwise comparison with intensity ``beta``; a focal individual mutates with probability
``mu`` to one of the other strategies, else imitates a random other individual with probability
``1 / (1 + exp(-beta (pi_model - pi_focal)))``) and ``"moran"`` (birth-death with linear
fitness ``1 - w + w pi``, offspring mutated with probability ``mu``). Fixation probabilities
follow the birth-death product formula (Nowak 2006, eq. 6.13), the small-mutation limit the
embedded chain of Fudenberg & Imhof (2006), and the full stationary distribution solves the
exact chain: in closed form (detailed balance) for two strategies, by a sparse solve otherwise.

Examples
--------
>>> from theory.group_games import public_goods_game
>>> p = group_process(public_goods_game(5, r=3), 20, beta=1.0)
>>> round(float(group_fixation_probability(p, 0, 1)), 6) < 1 / 20   # cooperators: below neutral
True
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike
from scipy.special import comb, logsumexp

from dynamics.errors import ParameterError
from dynamics.finite.chain import (
    one_move_matrix,
    population_states,
    stationary_distribution,
)
from dynamics.finite.fixation import SmallMutationLimit
from theory.group_games import GroupGame
from theory.linalg import solve_exact

__all__ = [
    "GroupProcess",
    "group_process",
    "sampled_payoffs",
    "group_fixation_probability",
    "group_small_mutation_limit",
    "group_transition_matrix",
    "group_stationary_distribution",
]


@dataclass(frozen=True)
class GroupProcess:
    """A finite population of size `N` playing a group game by a birth-death `rule`.

    Build it with :func:`group_process`, which validates.

    Attributes
    ----------
    rule : {"fermi", "moran"}
    game : GroupGame
    N : int
        Population size, at least the group size ``d``.
    intensity : Fraction or float
        ``beta`` (Fermi) or ``w`` (Moran, in [0, 1]).
    mu : Fraction or float
        Mutation probability per step (Fermi) or per birth (Moran).
    """

    rule: Literal["fermi", "moran"]
    game: GroupGame
    N: int
    intensity: Fraction | float
    mu: Fraction | float

    @property
    def n(self) -> int:
        """Number of strategies."""
        return self.game.strategies

    @property
    def is_exact(self) -> bool:
        """True when every transition probability is rational (Moran, exact game, w and mu)."""
        return (
            self.rule == "moran"
            and self.game.is_exact
            and isinstance(self.intensity, Fraction)
            and isinstance(self.mu, Fraction)
        )


def _real(value: object, name: str, *, unit: bool) -> Fraction | float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(f"{name} must be a real number, got {value!r}")
    v = float(value)
    if not math.isfinite(v) or v < 0 or (unit and v > 1):
        raise ParameterError(f"{name} must be in {'[0, 1]' if unit else '[0, inf)'}, got {value!r}")
    return Fraction(value) if isinstance(value, numbers.Rational) else v


def group_process(
    game: GroupGame,
    N: int,
    *,
    rule: str = "fermi",
    beta: float = 1.0,
    w: Fraction | float = Fraction(1, 10),
    mu: Fraction | float = 0,
) -> GroupProcess:
    """A Fermi (`beta`) or Moran (`w`) process of `N` individuals playing `game`.

    Raises
    ------
    ParameterError
        If `game` is not a numeric :class:`GroupGame`, ``N < d`` (a group cannot be formed),
        the rule is unknown, `beta` is negative, `w` or `mu` is outside [0, 1], or the linear
        Moran fitness ``1 - w + w pi`` is not positive for the smallest payoff.

    Examples
    --------
    >>> from theory.group_games import volunteers_dilemma
    >>> group_process(volunteers_dilemma(4, b=2, c=1), 3)
    Traceback (most recent call last):
    ...
    dynamics.errors.ParameterError: group size d = 4 exceeds the population size N = 3
    """
    if not isinstance(game, GroupGame):
        raise ParameterError(f"game must be a theory.group_games.GroupGame, got {game!r}")
    if game.is_symbolic:
        raise ParameterError("game has symbolic payoffs: substitute values (GroupGame.at)")
    if isinstance(N, bool) or not isinstance(N, numbers.Integral) or N < 2:
        raise ParameterError(f"population size N must be an integer >= 2, got {N!r}")
    if game.group_size > N:
        raise ParameterError(
            f"group size d = {game.group_size} exceeds the population size N = {N}"
        )
    mu_ = _real(mu, "mu", unit=True)
    if rule == "fermi":
        return GroupProcess("fermi", game, int(N), _real(beta, "beta", unit=False), mu_)
    if rule == "moran":
        w_ = _real(w, "w", unit=True)
        low = min(v for row in game.table for v in row)
        if 1 - w_ + w_ * low <= 0:  # type: ignore[operator]
            raise ParameterError(
                f"linear fitness 1 - w + w*pi is not positive for the smallest payoff {low} "
                f"at w = {w}: lower w"
            )
        return GroupProcess("moran", game, int(N), w_, mu_)
    raise ParameterError(f"rule must be 'fermi' or 'moran', got {rule!r}")


def _counts(process: GroupProcess, counts: ArrayLike) -> np.ndarray:
    C = np.atleast_2d(np.asarray(counts))
    if C.ndim != 2 or C.shape[1] != process.n:
        raise ParameterError(f"counts must have {process.n} columns, got shape {C.shape}")
    if not np.issubdtype(C.dtype, np.integer) or np.any(C < 0):
        raise ParameterError(f"counts must be non-negative integers, got {C.tolist()}")
    if np.any(C.sum(axis=1) != process.N):
        raise ParameterError(f"counts rows must sum to N = {process.N}, got {C.sum(axis=1)}")
    return C.astype(np.int64)


def _payoffs(process: GroupProcess, C: np.ndarray, *, exact: bool) -> np.ndarray:
    """Hypergeometric payoffs at checked counts ``C`` (k, n): float or exact ``Fraction``."""
    g, N = process.game, process.N
    K = np.array(g.compositions, dtype=np.int64)  # (m, n)
    n, d = g.strategies, g.group_size
    if exact:
        total = math.comb(N - 1, d - 1)
        out = np.empty(C.shape, dtype=object)
        for r, c in enumerate(C.tolist()):
            for i in range(n):
                own = [c[l_] - (l_ == i) for l_ in range(n)]
                acc = Fraction(0)
                for col, k in enumerate(K.tolist()):
                    ways = math.prod(
                        math.comb(o, kl) if o >= 0 else 0 for o, kl in zip(own, k, strict=True)
                    )
                    if ways:
                        acc += ways * Fraction(g.table[i][col])
                out[r, i] = acc / total
        return out
    T = np.array(g.table, dtype=np.float64)  # (n, m)
    total_f = float(comb(N - 1, d - 1))
    out_f = np.empty(C.shape, dtype=np.float64)
    for i in range(n):
        own = C - (np.arange(n) == i)  # (k, n)
        ways = np.prod(comb(own[:, None, :], K[None, :, :]), axis=2)  # (k, m)
        out_f[:, i] = ways @ T[i] / total_f
    return out_f


def sampled_payoffs(process: GroupProcess, counts: ArrayLike) -> np.ndarray:
    """Expected payoffs under hypergeometric group sampling at count vectors (shape (k, n)).

    Exact (``Fraction``) for exact processes. The entry of a strategy with count 0 has no
    meaning (no such focal player exists); it is finite and never weighs in the dynamics.

    Examples
    --------
    >>> from theory.group_games import public_goods_game
    >>> p = group_process(public_goods_game(3, r=2), 4, rule="moran")
    >>> sampled_payoffs(p, [[2, 2]])  # a C meets 2/3 co-cooperators on average, a D 4/3
    array([[Fraction(1, 9), Fraction(8, 9)]], dtype=object)
    """
    return _payoffs(process, _counts(process, counts), exact=process.is_exact)


def _check_pair(process: GroupProcess, mutant: int, resident: int) -> None:
    for name, s in (("mutant", mutant), ("resident", resident)):
        if isinstance(s, bool) or not (isinstance(s, int | np.integer) and 0 <= s < process.n):
            raise ParameterError(f"{name} must be a strategy index in [0, {process.n}), got {s!r}")
    if mutant == resident:
        raise ParameterError(f"mutant and resident must differ, both are {mutant}")


def _pair_counts(process: GroupProcess, mutant: int, resident: int) -> np.ndarray:
    N = process.N
    C = np.zeros((N - 1, process.n), dtype=np.int64)
    C[:, mutant] = np.arange(1, N)
    C[:, resident] = N - C[:, mutant]
    return C


def _fixation(process: GroupProcess, mutant: int, resident: int) -> Fraction | float:
    C = _pair_counts(process, mutant, resident)
    if process.is_exact:
        pi = _payoffs(process, C, exact=True)
        w = process.intensity
        acc, total = Fraction(1), Fraction(1)
        for row in pi:
            acc *= (1 - w + w * row[resident]) / (1 - w + w * row[mutant])
            total += acc
        return 1 / total
    pi = _payoffs(process, C, exact=False)
    if process.rule == "fermi":
        log_gamma = -float(process.intensity) * (pi[:, mutant] - pi[:, resident])
    else:
        w = float(process.intensity)
        log_gamma = np.log1p(-w + w * pi[:, resident]) - np.log1p(-w + w * pi[:, mutant])
    log_prods = np.concatenate([[0.0], np.cumsum(log_gamma)])  # m = 0 .. N-1
    return float(np.exp(-logsumexp(log_prods)))


def group_fixation_probability(
    process: GroupProcess, mutant: int, resident: int
) -> Fraction | float:
    """Probability that one `mutant` takes over a population of `resident` (no mutation).

    ``rho = 1 / (1 + sum_m prod_{l<=m} gamma_l)`` with ``gamma_l = T^-(l) / T^+(l)``:
    ``exp(-beta (pi_mutant - pi_resident))`` (Fermi) or ``f_resident / f_mutant`` (Moran) at
    ``l`` mutants. Exact for exact Moran processes.

    Examples
    --------
    >>> from theory.group_games import public_goods_game
    >>> p = group_process(public_goods_game(4, r=4), 10, rule="moran", w=0)
    >>> group_fixation_probability(p, 0, 1)   # neutral: 1 / N
    Fraction(1, 10)
    """
    _check_pair(process, mutant, resident)
    return _fixation(process, mutant, resident)


def group_small_mutation_limit(process: GroupProcess) -> SmallMutationLimit:
    """The embedded chain between monomorphic states as ``mu -> 0`` and its stationary law.

    As :func:`dynamics.finite.fixation.small_mutation_limit`: ``T[i, j] = rho_{j in i} /
    (n - 1)``.

    Examples
    --------
    >>> from theory.group_games import public_goods_game
    >>> p = group_process(public_goods_game(5, r=3), 50, beta=1.0)
    >>> sml = group_small_mutation_limit(p)
    >>> bool(sml.stationary[1] > 0.99)   # almost always all defectors
    True
    """
    n = process.n
    exact = process.is_exact
    F = np.zeros((n, n), dtype=object if exact else np.float64)
    for i in range(n):
        for j in range(n):
            if i != j:
                F[i, j] = _fixation(process, j, i)
    T = F / (n - 1)
    for i in range(n):
        T[i, i] = 1 - sum(T[i, j] for j in range(n) if j != i)
    if exact:
        balance = [[T[j, i] - (1 if i == j else 0) for j in range(n)] for i in range(n - 1)]
        pi = solve_exact([*balance, [1] * n], [0] * (n - 1) + [1])
        if pi is None:
            raise ParameterError("the embedded chain is reducible: no unique stationary law")
        return SmallMutationLimit(F, T, np.array(pi, dtype=object))
    return SmallMutationLimit(F, T, _embedded_stationary(F.astype(np.float64)))


def _embedded_stationary(F: np.ndarray) -> np.ndarray:
    """Stationary law of the embedded chain from its generator ``Q = (F - diag(F 1)) / (n-1)``.

    Solving ``pi Q = 0`` rather than ``pi T = pi`` avoids ``T[i, i] = 1 - sum``, which rounds
    to exactly 1 when every way out of ``i`` is tiny (a fixation probability of 1e-19 is common
    under strong selection), and would make the system singular.
    """
    n = F.shape[0]
    Q = F / (n - 1)
    Q[np.diag_indices(n)] = -Q.sum(axis=1)
    system = Q.T.copy()
    system[-1] = 1.0
    rhs = np.zeros(n)
    rhs[-1] = 1.0
    try:
        pi = np.linalg.solve(system, rhs)
    except np.linalg.LinAlgError:
        raise ParameterError("the embedded chain is reducible: no unique stationary law") from None
    pi = np.clip(pi, 0.0, None)
    return np.asarray(pi / pi.sum())


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _transitions(process: GroupProcess, C: np.ndarray) -> np.ndarray:
    """``T[k, i, j]``: probability that an ``i`` becomes a ``j`` in one step (float)."""
    N, n = process.N, process.n
    mu = float(process.mu)
    pi = _payoffs(process, C, exact=False)
    Cf = C.astype(np.float64)
    if process.rule == "fermi":
        adopt = _sigmoid(float(process.intensity) * (pi[:, None, :] - pi[:, :, None]))
        T = (Cf / N)[:, :, None] * ((1 - mu) * Cf[:, None, :] / (N - 1) * adopt + mu / (n - 1))
    else:
        w = float(process.intensity)
        weight = Cf * (1 - w + w * pi)
        parent = weight / weight.sum(axis=1, keepdims=True)
        birth = (1 - mu) * parent + mu * (1 - parent) / (n - 1)
        T = (Cf / N)[:, :, None] * birth[:, None, :]
    idx = np.arange(n)
    T[:, idx, idx] = 0.0
    return T


def group_transition_matrix(process: GroupProcess) -> sp.csr_matrix:
    """The exact chain over :func:`dynamics.finite.chain.population_states` (sparse, float).

    Examples
    --------
    >>> from theory.group_games import public_goods_game
    >>> P = group_transition_matrix(group_process(public_goods_game(3, r=2), 5, mu=0.1))
    >>> P.shape, bool(np.allclose(P.sum(axis=1), 1))
    ((6, 6), True)
    """
    N, n = process.N, process.n
    states = population_states(N, n)
    return one_move_matrix(states, _transitions(process, states), N)


def group_stationary_distribution(process: GroupProcess) -> np.ndarray:
    """The stationary distribution of the full chain (``mu > 0``), over population states.

    States are in :func:`dynamics.finite.chain.population_states` order (for two strategies:
    ``(0, N), (1, N - 1), ..., (N, 0)``, i.e. by the count of strategy 0). Two strategies: the
    chain is a birth-death chain and ``pi_{l+1} / pi_l = T^+(l) / T^-(l+1)`` (detailed
    balance), summed in logs; more: a sparse solve of the chain.

    Raises
    ------
    ParameterError
        If ``mu == 0`` (every monomorphic state absorbs; see the small-mutation limit).

    Examples
    --------
    >>> from theory.group_games import public_goods_game
    >>> pi = group_stationary_distribution(group_process(public_goods_game(3, r=2), 5, mu=1))
    >>> pi.shape, round(float(pi.sum()), 12)
    ((6,), 1.0)
    """
    if float(process.mu) == 0:
        raise ParameterError(
            "mu = 0: every monomorphic state absorbs; use group_small_mutation_limit"
        )
    N, n = process.N, process.n
    if n > 2:
        return stationary_distribution(group_transition_matrix(process))
    states = population_states(N, 2)  # row l has l of strategy 0
    T = _transitions(process, states)
    up = T[:-1, 1, 0]  # l -> l + 1: a strategy-1 individual becomes a 0
    down = T[1:, 0, 1]  # l + 1 -> l
    log_pi = np.concatenate([[0.0], np.cumsum(np.log(up) - np.log(down))])
    return np.asarray(np.exp(log_pi - logsumexp(log_pi)))
