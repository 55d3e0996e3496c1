"""The seed's best-response entry model: a finite population grows one best response at a time.

The population starts with ``N_i`` agents of each type. At every step one new agent enters and
permanently becomes a type that maximises its expected payoff against a uniformly random
member of the *existing* population, ``(A N)_i / sum(N)``. Many starting populations are run
at once (one row each).

With exact payoffs (ints, ``Fraction``: the modal game at a rational penalty) the comparison is
exact: the matrix is scaled to integers, so ties are ties. Ties are broken by a stated rule:
``"first"`` (the type listed first; in the seed's order DefectBot comes first, so this rule
favours DefectBot and makes "no DefectBot is ever added" the harder claim), ``"last"``, or
``"random"`` (uniform among the tied types, with ``rng``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike

from dynamics._checks import MatrixLike
from dynamics.errors import ParameterError
from theory.games import payoff_matrix

__all__ = ["TIE_RULES", "EntryRun", "best_response_entry", "count_grid"]

#: Tie-breaking rules among equally good entrants.
TIE_RULES = ("first", "last", "random")
_FLOAT_TIE = 1e-12  # float payoffs within this of the best count as tied


@dataclass(frozen=True)
class EntryRun:
    """Runs of the entry model.

    Attributes
    ----------
    start : ndarray of int, shape (k, n)
        Initial counts.
    entrants : ndarray of int, shape (k, steps)
        The type that entered at each step.
    tie : str
        The tie rule used.

    Examples
    --------
    >>> run = best_response_entry([[1, 0], [0, 2]], [[3, 1], [1, 3]], 2)
    >>> run.final.tolist(), run.ever_added(0).tolist()
    ([[5, 1], [1, 5]], [True, False])
    """

    start: np.ndarray
    entrants: np.ndarray
    tie: str

    @property
    def final(self) -> np.ndarray:
        """Counts after the last step, shape ``(k, n)``."""
        n = self.start.shape[1]
        return self.start + np.stack([(self.entrants == i).sum(axis=1) for i in range(n)], 1)

    def ever_added(self, i: int) -> np.ndarray:
        """For each run, whether a type-`i` agent ever entered."""
        return np.asarray((self.entrants == i).any(axis=1))

    def types_added(self) -> list[frozenset[int]]:
        """For each run, the set of types that entered."""
        return [frozenset(int(v) for v in np.unique(row)) for row in self.entrants]


def _integer_matrix(A: MatrixLike) -> np.ndarray | None:
    """``A`` scaled to an int64 matrix if its entries are exact rationals, else ``None``."""
    M = payoff_matrix(A, square=True, name="A")
    if M.dtype != object or not all(isinstance(v, int | Fraction) for v in M.flat):
        return None
    den = math.lcm(*(Fraction(v).denominator for v in M.flat))
    return np.array([[int(Fraction(v) * den) for v in row] for row in M], dtype=np.int64)


def best_response_entry(
    A: MatrixLike,
    start: ArrayLike,
    steps: int,
    *,
    tie: str = "first",
    rng: int | np.random.Generator | None = None,
) -> EntryRun:
    """Run the best-response entry model from one or many starting populations.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Payoff matrix (exact entries give exact comparisons).
    start : array_like of int, shape (n,) or (k, n)
        Initial counts, non-negative, at least one agent per population.
    steps : int
        Number of entrants.
    tie : {"first", "last", "random"}
        Tie-breaking rule.
    rng : int or numpy.random.Generator, optional
        For ``tie="random"``.

    Returns
    -------
    EntryRun

    Raises
    ------
    ParameterError
        Negative, non-integer or empty populations, bad `steps` or `tie`.

    Examples
    --------
    >>> A = [[1, 3, 1, 1], [0, 2, 2, 0], ["9/10", "19/10", "19/10", "19/10"],
    ...      ["4/5", "14/5", "9/5", "9/5"]]
    >>> from fractions import Fraction
    >>> A = [[Fraction(v) for v in row] for row in A]
    >>> run = best_response_entry(A, [1, 1, 3, 3], 6)
    >>> run.entrants.tolist()
    [[3, 3, 2, 2, 2, 2]]
    """
    rng = np.random.default_rng(rng)
    if tie not in TIE_RULES:
        raise ParameterError(f"tie must be one of {TIE_RULES}, got {tie!r}")
    if not (isinstance(steps, int | np.integer) and steps >= 1):
        raise ParameterError(f"steps must be a positive integer, got {steps!r}")
    Mi = _integer_matrix(A)
    M = Mi if Mi is not None else payoff_matrix(A, square=True, name="A").astype(np.float64)
    n = M.shape[0]
    raw = np.asarray(start)
    if raw.dtype.kind not in "iu" and not (
        raw.dtype.kind == "f" and np.all(np.isfinite(raw)) and np.all(raw == np.round(raw))
    ):
        raise ParameterError(f"start must hold integer counts, got {start!r}")
    N = np.atleast_2d(raw.astype(np.int64))
    if N.ndim != 2 or N.shape[1] != n:
        raise ParameterError(f"start must have shape (n,) or (k, n) with n = {n}, got {raw.shape}")
    if np.any(N < 0):
        raise ParameterError(f"start has negative counts: {N[np.any(N < 0, axis=1)][0].tolist()}")
    if np.any(N.sum(axis=1) == 0):
        raise ParameterError("start has an empty population (no agent to play against)")
    N = N.copy()
    k = N.shape[0]
    entrants = np.empty((k, int(steps)), dtype=np.int64)
    rows = np.arange(k)
    for s in range(int(steps)):
        pay = N @ M.T  # (k, n): sum(N) times the expected payoff of each type
        best = pay.max(axis=1, keepdims=True)
        tied = pay == best if Mi is not None else pay >= best - _FLOAT_TIE * np.abs(best)
        if tie == "first":
            pick = tied.argmax(axis=1)
        elif tie == "last":
            pick = n - 1 - tied[:, ::-1].argmax(axis=1)
        else:
            u = rng.random((k, n)) * tied
            pick = u.argmax(axis=1)
        entrants[:, s] = pick
        N[rows, pick] += 1
    return EntryRun(np.atleast_2d(raw.astype(np.int64)), entrants, tie)


def count_grid(n: int, max_count: int, *, min_total: int = 1) -> np.ndarray:
    """Every vector of counts in ``{0..max_count}^n`` with at least `min_total` agents.

    Examples
    --------
    >>> count_grid(2, 1)
    array([[0, 1],
           [1, 0],
           [1, 1]])
    """
    if not (isinstance(n, int) and n >= 1 and isinstance(max_count, int) and max_count >= 0):
        raise ParameterError(f"need integers n >= 1 and max_count >= 0, got {n!r}, {max_count!r}")
    grid = np.stack(np.meshgrid(*[np.arange(max_count + 1)] * n, indexing="ij"), axis=-1).reshape(
        -1, n
    )
    return grid[grid.sum(axis=1) >= min_total]
