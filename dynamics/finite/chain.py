"""The exact Markov chain of a finite-population process over all population states.

States are the count vectors ``n`` with ``n.sum() == N``, ``C(N + n - 1, n - 1)`` of them, in
lexicographic order (:func:`population_states`). The transition matrix is a scipy CSR matrix,
rows summing to 1 (``P[s, t]`` = probability of going from ``s`` to ``t`` in one step); Moran and
Fermi chains have at most ``n (n - 1) + 1`` entries per row, so ``N = 200`` with four strategies
(1.37 M states) fits in memory and the stationary distribution is found with a Jacobi-preconditioned
Krylov solver (``method="iterative"``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import ArrayLike
from scipy.stats import multinomial

from dynamics.errors import ParameterError
from dynamics.finite.processes import Process, as_counts, offspring_distribution
from dynamics.finite.processes import transition_probabilities as _T
from theory.errors import NoConvergence

__all__ = [
    "STATIONARY_ATOL",
    "STATIONARY_RTOL",
    "MAX_DENSE_STATES",
    "MAX_ITERATIONS",
    "MAX_RESTARTS",
    "ROW_SUM_TOL",
    "DIRECT_MAX_STATES",
    "STATIONARY_METHODS",
    "MarkovChain",
    "Absorption",
    "population_states",
    "state_index",
    "one_move_matrix",
    "markov_chain",
    "stationary_distribution",
    "stationary_method",
    "absorption",
]

#: Residual (relative to the normalisation equation) at which the iterative stationary solver
#: stops: far below the statistical resolution of any simulation we compare against.
STATIONARY_RTOL = 1e-12
#: The direct solver's answer is checked: ``max |pi P - pi|`` above this means the pinned state
#: was transient (pi_0 = 0), and the bordered system is solved instead; above it there too, the
#: stationary distribution is not unique. Round-off of sparse LU on a stochastic matrix is
#: ~1e-15 per entry; 1e-8 is the accuracy the fuzz tests demand.
STATIONARY_ATOL = 1e-8
#: Iteration cap of the iterative stationary solver.
MAX_ITERATIONS = 20_000
#: Restarts of the iterative solver after a BiCGSTAB breakdown.
MAX_RESTARTS = 10
#: A transition matrix's rows must sum to 1 within this (the sum of a row's float round-off,
#: ~1e-16 per entry, stays far below it; a typo such as 0.3 + 0.6 does not).
ROW_SUM_TOL = 1e-9
#: ``method="auto"`` solves chains of at most this many states with sparse LU, larger ones
#: iteratively. LU fill-in grows superlinearly: 4 strategies, N = 40 (12,341 states) 2.9 s direct
#: vs 3.3 s iterative; N = 50 (23,426) 12 s both; N = 80 (91,881) 58 s and 2.6 GB direct vs 37 s
#: and 0.24 GB iterative (2 loaded cores), BiCGSTAB's memory staying linear in the transitions.
DIRECT_MAX_STATES = 20_000
#: The solvers of the stationary distribution: chosen by size, direct, or iterative.
STATIONARY_METHODS = ("auto", "direct", "iterative")
#: Wright-Fisher chains are dense (every state reaches every state); refuse beyond this many.
MAX_DENSE_STATES = 6000


def population_states(N: int, n: int) -> np.ndarray:
    """All count vectors of ``n`` strategies summing to ``N``, lexicographically, shape (S, n).

    Examples
    --------
    >>> population_states(2, 3)
    array([[0, 0, 2],
           [0, 1, 1],
           [0, 2, 0],
           [1, 0, 1],
           [1, 1, 0],
           [2, 0, 0]])
    """
    prefix = np.zeros((1, 0), dtype=np.int64)
    for _ in range(n - 1):
        room = N - prefix.sum(axis=1)
        reps = room + 1
        rows = np.repeat(prefix, reps, axis=0)
        starts = np.cumsum(reps) - reps
        k = np.arange(int(reps.sum())) - np.repeat(starts, reps)
        prefix = np.hstack([rows, k[:, None]])
    return np.hstack([prefix, (N - prefix.sum(axis=1))[:, None]])


def _keys(states: np.ndarray, N: int) -> np.ndarray:
    n = states.shape[1]
    if n * np.log2(N + 1) > 62:
        raise ParameterError(f"too many states to index: N = {N}, {n} strategies")
    base = (N + 1) ** np.arange(n - 1, -1, -1, dtype=np.int64)
    return states @ base


def state_index(counts: ArrayLike, N: int) -> np.ndarray:
    """Positions of count vectors (shape (k, n)) in :func:`population_states` order.

    Examples
    --------
    >>> state_index([[1, 1, 0], [0, 0, 2]], 2)
    array([4, 0])
    """
    C = np.atleast_2d(np.asarray(counts, dtype=np.int64))
    all_keys = _keys(population_states(N, C.shape[1]), N)
    return np.searchsorted(all_keys, _keys(C, N))


@dataclass(frozen=True, eq=False)
class MarkovChain:
    """A process's exact chain: ``states`` (S, n) and the CSR transition matrix ``P`` (S, S)."""

    process: Process
    states: np.ndarray
    P: sp.csr_matrix

    def index(self, counts: ArrayLike) -> np.ndarray:
        """Positions of count vectors in ``states``."""
        C = as_counts(self.process, counts)
        return np.searchsorted(_keys(self.states, self.process.N), _keys(C, self.process.N))

    def monomorphic(self) -> np.ndarray:
        """Indices of the ``n`` monomorphic states, in strategy order."""
        return self.index(self.process.N * np.eye(self.process.n, dtype=np.int64))

    def stationary(self, *, method: str = "auto") -> np.ndarray:
        """Stationary distribution; see :func:`stationary_distribution`."""
        return _stationary(self.P, _method(method, self.P.shape[0]))


def markov_chain(process: Process) -> MarkovChain:
    """The exact transition matrix of `process` over all population states (floats).

    Raises
    ------
    ParameterError
        For a Wright-Fisher process with more than ``MAX_DENSE_STATES`` states.

    Examples
    --------
    >>> from dynamics.finite.processes import moran
    >>> mc = markov_chain(moran([[1, 1], [1, 1]], 3))
    >>> mc.P.toarray().round(4)
    array([[1.    , 0.    , 0.    , 0.    ],
           [0.2222, 0.5556, 0.2222, 0.    ],
           [0.    , 0.2222, 0.5556, 0.2222],
           [0.    , 0.    , 0.    , 1.    ]])
    """
    N, n = process.N, process.n
    states = population_states(N, n)
    S = len(states)
    if process.rule == "wright-fisher":
        if S > MAX_DENSE_STATES:
            raise ParameterError(
                f"a Wright-Fisher chain with N = {N} and {n} strategies has {S} states, "
                f"above MAX_DENSE_STATES = {MAX_DENSE_STATES} (it is dense)"
            )
        p = offspring_distribution(process, states).astype(np.float64)
        dense = np.stack([multinomial.pmf(states, N, p[s]) for s in range(S)])
        return MarkovChain(process, states, sp.csr_matrix(dense))
    P = one_move_matrix(states, _T(process, states).astype(np.float64), N)
    return MarkovChain(process, states, P)


def one_move_matrix(states: np.ndarray, moves: np.ndarray, N: int) -> sp.csr_matrix:
    """The transition matrix of a chain whose steps change one individual's strategy.

    Parameters
    ----------
    states : ndarray of int, shape (S, n)
        Every population state, in :func:`population_states` order.
    moves : ndarray, shape (S, n, n)
        ``moves[s, i, j]``: the probability that in state `s` one `i`-player becomes a
        `j`-player (zero on the diagonal); the chain stays put with the rest.
    N : int
        The population size.

    Examples
    --------
    >>> states = population_states(2, 2)
    >>> moves = np.zeros((3, 2, 2)); moves[1, 0, 1] = moves[1, 1, 0] = 0.25
    >>> one_move_matrix(states, moves, 2).toarray()
    array([[1.  , 0.  , 0.  ],
           [0.25, 0.5 , 0.25],
           [0.  , 0.  , 1.  ]])
    """
    S, n = states.shape
    keys = _keys(states, N)
    rows, cols, vals = [], [], []
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            src = np.flatnonzero((states[:, i] > 0) & (moves[:, i, j] > 0))
            dst = states[src].copy()
            dst[:, i] -= 1
            dst[:, j] += 1
            rows.append(src)
            cols.append(np.searchsorted(keys, _keys(dst, N)))
            vals.append(moves[src, i, j])
    rows.append(np.arange(S))
    cols.append(np.arange(S))
    vals.append(1.0 - moves.sum(axis=(1, 2)))
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(S, S)
    )


def stationary_method(n_states: int, method: str = "auto") -> str:
    """The solver :func:`stationary_distribution` uses for a chain of `n_states` states.

    ``"auto"`` is ``"direct"`` up to ``DIRECT_MAX_STATES`` states and ``"iterative"`` above;
    an explicit ``"direct"`` or ``"iterative"`` is used as given.

    Examples
    --------
    >>> stationary_method(100), stationary_method(91881), stationary_method(91881, "direct")
    ('direct', 'iterative', 'direct')
    """
    return _method(method, n_states)


def _method(method: str, n_states: int) -> str:
    if method not in STATIONARY_METHODS:
        raise ParameterError(f"method must be one of {STATIONARY_METHODS}, got {method!r}")
    if method == "auto":
        return "direct" if n_states <= DIRECT_MAX_STATES else "iterative"
    return method


def _transition_matrix(P: sp.sparray | sp.spmatrix | ArrayLike) -> sp.csr_matrix:
    """`P` as a float CSR matrix, refused unless square, finite, non-negative, rows summing to 1."""
    try:
        if sp.issparse(P):
            M = sp.csr_matrix(P)
        else:
            raw = np.asarray(P)
            if raw.dtype == object:
                raw = raw.astype(np.float64)
            M = sp.csr_matrix(raw)
    except (TypeError, ValueError) as err:
        raise ParameterError(f"P must be a real square matrix: {err}") from None
    if M.ndim != 2 or M.shape[0] != M.shape[1] or M.shape[0] == 0:
        raise ParameterError(f"P must be a non-empty square matrix, got shape {M.shape}")
    if M.dtype.kind == "b" or M.dtype.kind not in "iuf":
        raise ParameterError(f"P must hold real probabilities, got dtype {M.dtype}")
    M = M.astype(np.float64)
    data = M.data
    if not np.all(np.isfinite(data)):
        raise ParameterError("P has NaN or infinite entries: not a transition matrix")
    if np.any(data < 0):
        r, c = (int(v[0]) for v in np.nonzero(M < 0))
        raise ParameterError(f"P has negative entries (P[{r}, {c}] = {float(M[r, c])!r})")
    sums = np.asarray(M.sum(axis=1)).ravel()
    bad = np.flatnonzero(np.abs(sums - 1.0) > ROW_SUM_TOL)
    if len(bad):
        raise ParameterError(
            f"P's rows must sum to 1 (row-stochastic), row {int(bad[0])} sums to "
            f"{float(sums[bad[0]])!r}"
        )
    return M


def stationary_distribution(
    P: sp.sparray | sp.spmatrix | ArrayLike, *, method: str = "auto"
) -> np.ndarray:
    """The stationary distribution ``pi P = pi`` of an irreducible chain.

    Direct: one equation is dropped and ``pi_0`` fixed to 1, which leaves the non-singular sparse
    system ``(I - P^T)[1:, 1:] y = P^T[1:, 0]``; the result is normalised. Iterative: the
    bordered system ``(I - P^T + e_0 1^T) pi = e_0`` (see ``_stationary_iterative``).

    Parameters
    ----------
    P : sparse matrix or array_like, shape (S, S)
        Row-stochastic transition matrix: finite, non-negative, each row summing to 1 within
        ``ROW_SUM_TOL``.
    method : {"auto", "direct", "iterative"}
        Sparse LU (exact up to round-off; memory and time grow with fill-in), or BiCGSTAB with
        a Jacobi preconditioner (memory linear in the number of transitions; for large chains),
        stopped at relative residual ``STATIONARY_RTOL``. ``"auto"`` (default) is direct up to
        ``DIRECT_MAX_STATES`` states and iterative above; :func:`stationary_method` says which.

    Raises
    ------
    ParameterError
        If `P` is not a square row-stochastic matrix (NaN, negative entries, rows not summing
        to 1), `method` is unknown, or (direct) the chain is reducible.
    NoConvergence
        If BiCGSTAB does not converge within ``MAX_ITERATIONS``.

    Examples
    --------
    >>> stationary_distribution(np.array([[0.5, 0.5], [0.25, 0.75]]))
    array([0.333333, 0.666667])
    """
    M = _transition_matrix(P)
    return _stationary(M, _method(method, M.shape[0]))


def _stationary(M: sp.csr_matrix, method: str) -> np.ndarray:
    """The stationary distribution of a checked transition matrix by `method`."""
    S = M.shape[0]
    if S == 1:
        return np.ones(1)
    G = (sp.identity(S, format="csr") - M.T).tocsc()
    if method == "direct":
        A = G[1:, 1:]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", spla.MatrixRankWarning)
            y = spla.spsolve(A, -G[1:, 0].toarray().ravel())
        if not np.all(np.isfinite(y)):
            raise ParameterError(
                "the chain is reducible (e.g. mu = 0: every monomorphic state is absorbing); "
                "its stationary distribution is not unique - use absorption() instead"
            )
        pi = np.concatenate([[1.0], np.asarray(y, dtype=np.float64)])
        if _residual(G, pi) > STATIONARY_ATOL:  # state 0 transient: pi_0 = 1 was wrong
            pi = _stationary_bordered(G)
    else:
        pi = _stationary_iterative(G.tocsr())
    pi = np.clip(pi, 0.0, None)
    total = pi.sum()
    if not (np.isfinite(total) and total > 0):
        raise ParameterError("the stationary solve gave no distribution (is the chain reducible?)")
    return pi / total


def _residual(G: sp.csc_matrix | sp.csr_matrix, pi: np.ndarray) -> float:
    """``max |pi P - pi|`` of the normalised, clipped `pi` (``G = I - P^T``), or inf."""
    p = np.clip(pi, 0.0, None)
    total = p.sum()
    if not (np.isfinite(total) and total > 0):
        return float("inf")
    return float(np.max(np.abs(G @ (p / total))))


def _stationary_bordered(G: sp.csc_matrix) -> np.ndarray:
    """Solve ``(G + e_0 1^T) pi = e_0`` by sparse LU: the direct path when state 0 is transient.

    The bordered matrix is non-singular exactly when the stationary distribution is unique
    (``1^T G = 0``, so a null vector would be a stationary vector summing to 0), so it also
    covers chains with transient states and one closed class; several closed classes raise.
    """
    S = G.shape[0]
    border = sp.csc_matrix((np.ones(S), (np.zeros(S, dtype=int), np.arange(S))), shape=(S, S))
    rhs = np.zeros(S)
    rhs[0] = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spla.MatrixRankWarning)
        pi = np.asarray(spla.spsolve((G + border).tocsc(), rhs), dtype=np.float64)
    if _residual(G, pi) > STATIONARY_ATOL:
        raise ParameterError(
            "the chain has no unique stationary distribution (several closed classes, e.g. "
            "mu = 0: every monomorphic state is absorbing) - use absorption() instead"
        )
    return pi


def _stationary_iterative(G: sp.csr_matrix) -> np.ndarray:
    """Solve ``(G + e_0 1^T) pi = e_0`` with Jacobi-preconditioned BiCGSTAB.

    ``G = I - P^T`` has the null vector ``pi`` and the left null vector ``1``; the rank-one term
    makes the system non-singular and builds in ``sum(pi) = 1``, so iterates stay of order one
    (fixing one component instead overflows once probabilities span 300 decades, at N ~ 200).
    """
    S = G.shape[0]
    d = G.diagonal().copy()
    d[0] += 1.0

    def matvec(x: np.ndarray) -> np.ndarray:
        y = G @ x
        y[0] += x.sum()
        return y

    op = spla.LinearOperator((S, S), matvec, dtype=np.float64)
    jacobi = spla.LinearOperator((S, S), lambda v: v / d, dtype=np.float64)
    b = np.zeros(S)
    b[0] = 1.0
    x = None
    info = 0
    for _ in range(MAX_RESTARTS):  # a breakdown (info < 0) restarts from the last iterate
        x, info = spla.bicgstab(op, b, x0=x, M=jacobi, rtol=STATIONARY_RTOL, maxiter=MAX_ITERATIONS)
        if info >= 0:
            break
    if info != 0:
        raise NoConvergence(MAX_ITERATIONS if info > 0 else MAX_RESTARTS)
    return np.asarray(x, dtype=np.float64)


@dataclass(frozen=True)
class Absorption:
    """Absorption into the monomorphic states of a mutation-free chain.

    Attributes
    ----------
    absorbing : ndarray (a,)
        Indices of the absorbing states (one per strategy, in strategy order).
    probability : ndarray (S, a)
        ``probability[s, k]``: probability that the chain started in ``s`` is absorbed in
        ``absorbing[k]`` (fixation of strategy ``k``).
    time : ndarray (S,)
        Mean number of steps until absorption.
    conditional_time : ndarray (S, a)
        Mean number of steps until absorption given absorption in ``absorbing[k]`` (NaN where
        that absorption is impossible).
    """

    absorbing: np.ndarray
    probability: np.ndarray
    time: np.ndarray
    conditional_time: np.ndarray


def absorption(chain: MarkovChain) -> Absorption:
    """Fixation probabilities and mean (conditional) absorption times of a chain without mutation.

    Uses the fundamental matrix: with ``Q`` the transient block and ``R`` the transient-to-
    absorbing block, ``(I - Q) B = R``, ``(I - Q) t = 1`` and ``(I - Q) z_k = B[:, k]``,
    ``conditional_time[:, k] = z_k / B[:, k]``.

    Raises
    ------
    ParameterError
        If the process has mutation (``mu > 0``: nothing is absorbing).

    Examples
    --------
    >>> from dynamics.finite.processes import moran
    >>> ab = absorption(markov_chain(moran([[1, 1], [1, 1]], 4)))
    >>> ab.probability[:, 0]  # neutral: strategy 0 fixes with probability l / N
    array([0.  , 0.25, 0.5 , 0.75, 1.  ])
    """
    if chain.process.mu != 0:
        raise ParameterError(f"absorption needs mu = 0, got mu = {chain.process.mu}")
    ab = chain.monomorphic()
    S = chain.P.shape[0]
    transient = np.setdiff1d(np.arange(S), ab)
    P = chain.P.tocsr()
    Q = P[transient][:, transient]
    R = P[transient][:, ab].toarray()
    lu = spla.splu((sp.identity(len(transient), format="csc") - Q).tocsc())
    B = lu.solve(R)
    t = lu.solve(np.ones(len(transient)))
    Z = lu.solve(B)
    prob = np.zeros((S, len(ab)))
    prob[transient] = B
    prob[ab, np.arange(len(ab))] = 1.0
    time = np.zeros(S)
    time[transient] = t
    cond = np.full((S, len(ab)), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        cond[transient] = np.where(B > 0, Z / B, np.nan)
    cond[ab, np.arange(len(ab))] = 0.0
    return Absorption(ab, prob, time, cond)
