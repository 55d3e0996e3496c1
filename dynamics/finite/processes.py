"""Finite-population processes of a symmetric game: Moran, Wright-Fisher, pairwise comparison.

A population of ``N`` individuals plays the symmetric game ``A`` (``A[i, j]``: payoff of ``i``
against ``j``). A state is the vector of counts ``n`` (``n.sum() == N``). Every individual meets
every *other* individual once, so an ``i``-strategist's payoff is the self-excluding average

    pi_i(n) = sum_j A[i, j] (n_j - [i == j]) / (N - 1)              (Nowak et al. 2004).

Rules (``mu`` is the mutation probability; a mutant takes one of the other ``n - 1`` strategies
uniformly, the convention of Fudenberg & Imhof 2006 and EGTtools):

- ``"moran"`` (birth-death): a parent is drawn proportionally to fitness ``f_i = 1 - w + w pi_i``
  (``mapping="linear"``, selection intensity ``w`` in [0, 1]) or ``f_i = exp(w pi_i)``
  (``mapping="exponential"``); its offspring (mutated with probability ``mu``) replaces an
  individual drawn uniformly from all ``N`` (possibly the parent).
- ``"fermi"`` (pairwise comparison, Traulsen et al. 2006): a focal individual drawn uniformly
  mutates with probability ``mu``; otherwise it meets a role model drawn uniformly from the
  other ``N - 1`` and copies it with probability ``1 / (1 + exp(-beta (pi_model - pi_focal)))``.
- ``"wright-fisher"``: the whole next generation is ``N`` independent draws, each a parent drawn
  proportionally to fitness (as Moran), mutated with probability ``mu``.

One Moran or Fermi step changes at most one individual; these two are birth-death chains and
their exact chain is sparse (:mod:`dynamics.finite.chain`).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from dynamics._checks import MatrixLike
from dynamics.errors import ParameterError
from theory.games import is_symbolic, payoff_matrix

__all__ = [
    "PROCESS_RULES",
    "Process",
    "moran",
    "fermi",
    "wright_fisher",
    "as_counts",
    "payoffs",
    "fitness",
    "offspring_distribution",
    "transition_probabilities",
    "relative_fitness",
    "EXP_SAFE",
]

Rule = Literal["moran", "fermi", "wright-fisher"]
Mapping = Literal["linear", "exponential"]
#: The update rules of a finite-population process.
PROCESS_RULES: tuple[str, ...] = ("moran", "fermi", "wright-fisher")


def _probability(value: Any, name: str) -> Any:
    """A number in [0, 1], kept exact if it is an int or a Fraction."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(f"{name} must be a real number in [0, 1], got {value!r}")
    if isinstance(value, float | np.floating) and not math.isfinite(value):
        raise ParameterError(f"{name} must be a real number in [0, 1], got {value!r}")
    if not 0 <= float(value) <= 1:
        raise ParameterError(f"{name} must be in [0, 1], got {value!r}")
    return Fraction(value) if isinstance(value, numbers.Rational) else float(value)


def _nonnegative(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(f"{name} must be a non-negative real number, got {value!r}")
    if not (math.isfinite(float(value)) and float(value) >= 0):
        raise ParameterError(f"{name} must be a non-negative finite number, got {value!r}")
    return float(value)


def _population_size(N: Any) -> int:
    if isinstance(N, Fraction) and N.denominator == 1:
        N = N.numerator  # an integral Fraction is the integer it spells
    if isinstance(N, bool) or not isinstance(N, numbers.Integral):
        raise ParameterError(f"population size N must be an integer, got {N!r}")
    if N < 2:
        raise ParameterError(f"population size N must be at least 2, got {N!r}")
    return int(N)


@dataclass(frozen=True, eq=False)
class Process:
    """A finite-population process: a rule, a game, a size, an intensity and a mutation rate.

    Build it with :func:`moran`, :func:`fermi` or :func:`wright_fisher`, which validate.

    Attributes
    ----------
    rule : {"moran", "fermi", "wright-fisher"}
    A : ndarray, shape (n, n)
        The validated payoff matrix; exact (``object``) when the input was exact.
    N : int
        Population size, at least 2.
    intensity : Fraction or float
        Selection intensity ``w`` (Moran, Wright-Fisher) or ``beta`` (Fermi).
    mu : Fraction or float
        Mutation probability per birth (Moran, Wright-Fisher) or per step (Fermi).
    mapping : {"linear", "exponential"}
        Payoff-to-fitness map of Moran and Wright-Fisher (Fermi ignores it).
    """

    rule: Rule
    A: np.ndarray
    N: int
    intensity: Fraction | float
    mu: Fraction | float
    mapping: Mapping = "linear"

    @property
    def n(self) -> int:
        """Number of strategies."""
        return int(self.A.shape[0])

    @property
    def is_exact(self) -> bool:
        """True when every transition probability is rational (linear Moran/Wright-Fisher with
        exact payoffs and exact ``w``, ``mu``)."""
        return (
            self.rule != "fermi"
            and self.mapping == "linear"
            and self.A.dtype == object
            and isinstance(self.intensity, Fraction)
            and isinstance(self.mu, Fraction)
        )

    @property
    def float_A(self) -> np.ndarray:
        """The payoff matrix as ``float64``."""
        return self.A.astype(np.float64)

    def with_game(self, A: MatrixLike) -> Process:
        """The same process on another game (used for the two-strategy sub-games)."""
        return _make(self.rule, A, self.N, self.intensity, self.mu, self.mapping)


def _make(rule: str, A: Any, N: Any, intensity: Any, mu: Any, mapping: str) -> Process:
    M = payoff_matrix(A, square=True)
    if is_symbolic(M):
        raise ParameterError("A has symbolic entries: substitute numbers before simulating")
    N = _population_size(N)
    mu = _probability(mu, "mu")
    if mapping not in ("linear", "exponential"):
        raise ParameterError(f"mapping must be 'linear' or 'exponential', got {mapping!r}")
    if rule == "fermi":
        intensity = _nonnegative(intensity, "beta")
    elif mapping == "linear":
        intensity = _probability(intensity, "w")
        low = min(M.flat)
        if 1 - intensity + intensity * low <= 0:
            raise ParameterError(
                f"linear fitness 1 - w + w*pi is not positive for the smallest payoff {low} "
                f"at w = {intensity}: lower w or use mapping='exponential'"
            )
    else:
        intensity = _nonnegative(intensity, "w")
    return Process(rule, M, N, intensity, mu, mapping)  # type: ignore[arg-type]


def moran(
    A: MatrixLike,
    N: int,
    *,
    w: Fraction | float = 1,
    mu: Fraction | float = 0,
    mapping: str = "linear",
) -> Process:
    """The frequency-dependent Moran process (birth proportional to fitness, uniform death).

    Raises
    ------
    ParameterError
        If ``N < 2``, ``mu`` or (linear) ``w`` is outside [0, 1], or a fitness could be <= 0.

    Examples
    --------
    >>> p = moran([[2, 0], [3, 1]], 10, w=0.1, mu=0)
    >>> p.rule, p.N, p.n
    ('moran', 10, 2)
    """
    return _make("moran", A, N, w, mu, mapping)


def fermi(A: MatrixLike, N: int, *, beta: float = 1.0, mu: Fraction | float = 0) -> Process:
    """The pairwise-comparison (Fermi) process with imitation intensity ``beta >= 0``.

    Examples
    --------
    >>> fermi([[2, 0], [3, 1]], 10, beta=2.0).intensity
    2.0
    """
    return _make("fermi", A, N, beta, mu, "linear")


def wright_fisher(
    A: MatrixLike,
    N: int,
    *,
    w: Fraction | float = 1,
    mu: Fraction | float = 0,
    mapping: str = "linear",
) -> Process:
    """The Wright-Fisher process (non-overlapping generations, fitness-proportional parents).

    Examples
    --------
    >>> wright_fisher([[1, 1], [1, 1]], 5, w=0).mu
    Fraction(0, 1)
    """
    return _make("wright-fisher", A, N, w, mu, mapping)


def as_counts(process: Process, counts: ArrayLike, *, name: str = "counts") -> np.ndarray:
    """Validated count vectors as an ``int64`` array of shape ``(k, n)`` with rows summing to N.

    Raises
    ------
    ParameterError
        If the number of strategies differs from the game's, a count is negative or not an
        integer, or a row does not sum to ``N``.

    Examples
    --------
    >>> as_counts(moran([[1, 0], [0, 1]], 10, w=0.5), [3, 7])
    array([[3, 7]])
    """
    raw = np.asarray(counts)
    if raw.dtype.kind not in "iuf" or raw.ndim not in (1, 2):
        raise ParameterError(f"{name} must be integer counts of shape (n,) or (k, n), got {raw!r}")
    X = np.atleast_2d(raw)
    if X.shape[1] != process.n:
        raise ParameterError(
            f"{name} has {X.shape[1]} strategies but the game has {process.n}: {raw.tolist()}"
        )
    if X.dtype.kind == "f" and not np.all(X == np.round(X)):
        raise ParameterError(f"{name} must hold whole numbers, got {raw.tolist()}")
    C = X.astype(np.int64)
    if np.any(C < 0):
        raise ParameterError(f"{name} has negative entries: {raw.tolist()}")
    if np.any(C.sum(axis=1) != process.N):
        raise ParameterError(f"{name} rows must sum to N = {process.N}, got {C.sum(axis=1)}")
    return C


def payoffs(A: np.ndarray, counts: np.ndarray, N: int) -> np.ndarray:
    """Self-excluding average payoffs ``pi_i(n)`` at count vectors ``counts`` (shape (k, n)).

    Exact when `A` is exact (``object``): then the result holds ``Fraction`` entries.

    Examples
    --------
    >>> payoffs(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1, 2]]), 3)
    array([[0. , 0.5]])
    """
    if A.dtype == object:
        raw = counts.astype(object) @ A.T - np.diag(A)
        return raw * Fraction(1, N - 1)
    return (counts @ A.T - np.diag(A)) / (N - 1)


def fitness(process: Process, pi: np.ndarray) -> np.ndarray:
    """Fitness of each strategy given payoffs ``pi`` (Moran, Wright-Fisher mappings).

    Examples
    --------
    >>> p = moran([[1, 0], [0, 1]], 4, w=0.5)
    >>> fitness(p, np.array([[1.0, 0.0]]))
    array([[1. , 0.5]])
    """
    w = process.intensity
    if process.mapping == "exponential":
        return np.exp(float(w) * pi.astype(np.float64))
    if pi.dtype == object:
        return 1 - w + w * pi
    return 1.0 - float(w) + float(w) * pi


#: ``exp`` overflows above ~709.78; beyond this exponent the exponential fitnesses are rescaled.
EXP_SAFE = 700.0


def relative_fitness(process: Process, pi: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Fitness at count vectors `counts` up to a positive factor per row.

    :func:`fitness`, except that under the exponential mapping a row whose largest ``w pi`` over
    the strategies present exceeds ``EXP_SAFE`` is divided by that largest fitness, giving
    ``exp(w (pi - max pi))``, so ``w = 1000`` does not overflow. Births only use the ratios within
    a row, so who reproduces is unchanged.

    Examples
    --------
    >>> p = moran([[1, 0], [0, 1]], 4, w=1000, mapping="exponential")
    >>> relative_fitness(p, np.array([[1.0, 0.999]]), np.array([[2, 2]])).round(6)
    array([[1.      , 0.367879]])
    """
    if process.mapping != "exponential":
        return fitness(process, pi)
    z = float(process.intensity) * pi.astype(np.float64)
    top = np.where(counts > 0, z, -np.inf).max(axis=-1, keepdims=True)
    shift = np.where(top > EXP_SAFE, top, 0.0)
    # absent strategies (count 0, weight irrelevant) are capped so that they cannot overflow
    return np.exp(np.minimum(z - shift, EXP_SAFE))


def offspring_distribution(process: Process, counts: np.ndarray) -> np.ndarray:
    """Probability that one birth (Moran, Wright-Fisher) yields each strategy; shape (k, n).

    Exact (``Fraction``) for exact processes.

    Examples
    --------
    >>> offspring_distribution(moran([[1, 1], [1, 1]], 4, mu=0.0), np.array([[1, 3]]))
    array([[0.25, 0.75]])
    """
    exact = process.is_exact
    pi = payoffs(process.A if exact else process.float_A, counts, process.N)
    f = relative_fitness(process, pi, counts)
    weight = counts * f
    parent = weight / weight.sum(axis=1, keepdims=True)
    mu, n = process.mu, process.n
    if not exact:
        mu = float(mu)
    if n == 1:
        return parent
    return (1 - mu) * parent + mu * (1 - parent) / (n - 1)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z)), without overflow


def transition_probabilities(process: Process, counts: np.ndarray) -> np.ndarray:
    """One-step probabilities ``T[k, i, j]`` that an ``i``-individual becomes a ``j`` (i != j).

    Defined for the birth-death rules (Moran, Fermi); the diagonal is 0 and the probability of no
    change is ``1 - T.sum((1, 2))``. Exact (``Fraction``) for exact Moran processes.

    Raises
    ------
    ParameterError
        For the Wright-Fisher rule, whose steps change many individuals at once.

    Examples
    --------
    >>> T = transition_probabilities(moran([[1, 1], [1, 1]], 4), np.array([[1, 3]]))
    >>> T[0, 0, 1], T[0, 1, 0]  # exact input, exact output
    (Fraction(3, 16), Fraction(3, 16))
    """
    N, n = process.N, process.n
    if process.rule == "wright-fisher":
        raise ParameterError("Wright-Fisher steps are not single replacements; see chain.py")
    if process.rule == "moran":
        birth = offspring_distribution(process, counts)  # (k, n): type of the offspring
        death = counts / N if birth.dtype != object else counts.astype(object) * Fraction(1, N)
        T = death[:, :, None] * birth[:, None, :]
    else:
        C = counts.astype(np.float64)
        pi = payoffs(process.float_A, counts, N)
        beta, mu = float(process.intensity), float(process.mu)
        adopt = _sigmoid(beta * (pi[:, None, :] - pi[:, :, None]))  # [k, focal i, model j]
        model = C[:, None, :] / (N - 1)  # j != i, so no self-exclusion term is needed
        T = (C / N)[:, :, None] * ((1 - mu) * model * adopt + mu / max(n - 1, 1))
    idx = np.arange(n)
    T[:, idx, idx] = 0
    return T
