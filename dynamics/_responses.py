"""Private pieces of the flows of games other than the symmetric matrix game.

The five dynamics of :mod:`dynamics.flows` depend on the game only through the payoff vector
``f`` of each population; here each is written in that form, ``response(x, f) -> x'`` (the
tests check them against :data:`dynamics.flows.DYNAMICS` with ``f = A x``). A two-population
game and a d-player group game differ only in how ``f`` is computed from the state.

:class:`PayoffLogShares` and :class:`PayoffShares` are coordinates for the one integrator of
:mod:`dynamics._integrator` (they are its :class:`~dynamics._integrator.LogShares` and
:class:`~dynamics._integrator.Shares` with a payoff map): a state of ``p`` populations is the
row ``[x^1 | ... | x^p] / p``, one point of the simplex of dimension ``sum n_i``, so the
integrator's projection onto the simplex only removes round-off; the callers multiply by ``p``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from dynamics._integrator import LogShares, Shares
from dynamics._kernels import excess, logsumexp, project, softmax
from dynamics.errors import SimplexError
from dynamics.flows import BR_TIE_ATOL, as_states
from theory.games import GameLike, as_game, float_matrix

__all__ = [
    "RESPONSES",
    "Payoffs",
    "PayoffLogShares",
    "PayoffShares",
    "blockwise",
    "pair_coordinates",
    "bimatrix",
    "block_matrix",
    "matrix_payoffs",
    "pair_states",
]

#: ``payoffs(s) -> f``: the payoff of every strategy of every population at full-share rows
#: ``s = [x^1 | ... | x^p]`` (shape (k, sum n_i)).
Payoffs = Callable[[np.ndarray], np.ndarray]


def _replicator(x: np.ndarray, f: np.ndarray) -> np.ndarray:
    return x * (f - np.sum(x * f, axis=1, keepdims=True))


def _best_response(x: np.ndarray, f: np.ndarray) -> np.ndarray:
    best = f >= f.max(axis=1, keepdims=True) - BR_TIE_ATOL
    return best / best.sum(axis=1, keepdims=True) - x


def _logit(x: np.ndarray, f: np.ndarray, eta: float = 10.0) -> np.ndarray:
    return softmax(eta * f) - x


def _bnn(x: np.ndarray, f: np.ndarray) -> np.ndarray:
    excess = np.maximum(f - np.sum(x * f, axis=1, keepdims=True), 0.0)
    return excess - x * excess.sum(axis=1, keepdims=True)


def _smith(x: np.ndarray, f: np.ndarray) -> np.ndarray:
    gain = np.maximum(f[:, :, None] - f[:, None, :], 0.0)
    return np.einsum("kij,kj->ki", gain, x) - x * gain.sum(axis=1)


#: The dynamics of :data:`dynamics.flows.DYNAMICS` in payoff form ``(x, f, **params) -> x'``.
RESPONSES: dict[str, Callable[..., np.ndarray]] = {
    "replicator": _replicator,
    "best_response": _best_response,
    "logit": _logit,
    "bnn": _bnn,
    "smith": _smith,
}


def blockwise(
    response: Callable[..., np.ndarray],
    s: np.ndarray,
    f: np.ndarray,
    blocks: tuple[int, ...],
    params: dict[str, float],
) -> np.ndarray:
    """``response`` applied to each population's columns of full-share rows ``s``."""
    out = np.empty_like(s)
    start = 0
    for size in blocks:
        sl = slice(start, start + size)
        out[:, sl] = response(s[:, sl], f[:, sl], **params)
        start += size
    return out


@dataclass(frozen=True)
class PayoffLogShares(LogShares):
    """Log-share coordinates of the replicator for populations of sizes `blocks` whose payoffs
    are ``payoffs(s)``; the shares the integrator sees are the scaled rows ``s / p``."""

    payoffs: Payoffs = field(default=lambda s: s)
    blocks: tuple[int, ...] = ()

    def _split(self, Z: np.ndarray) -> np.ndarray:
        s = np.empty_like(Z)
        start = 0
        for size in self.blocks:
            s[:, start : start + size] = softmax(Z[:, start : start + size])
            start += size
        return s

    def to_internal(self, X: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.log(np.clip(X * len(self.blocks), 0.0, None))

    def to_shares(self, Z: np.ndarray) -> np.ndarray:
        return self._split(Z) / len(self.blocks)

    def rhs(self, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = self._split(Z)
        f = self.payoffs(s)
        dz = np.empty_like(Z)
        start = 0
        for size in self.blocks:
            sl = slice(start, start + size)
            dz[:, sl] = excess(s[:, sl], f[:, sl])
            start += size
        return dz, s / len(self.blocks)

    def normalise(self, Z: np.ndarray) -> None:
        start = 0
        for size in self.blocks:
            Z[:, start : start + size] -= logsumexp(Z[:, start : start + size])
            start += size


@dataclass(frozen=True)
class PayoffShares(Shares):
    """Share coordinates (scaled by ``1/p``) for any dynamic in payoff form; after a step each
    population is projected back onto its own simplex."""

    payoffs: Payoffs = field(default=lambda s: s)
    blocks: tuple[int, ...] = ()

    def to_internal(self, X: np.ndarray) -> np.ndarray:
        return self.accept(X)

    def rhs(self, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = len(self.blocks)
        s = Z * p
        dz = blockwise(self.kernel, s, self.payoffs(s), self.blocks, self.params) / p
        return dz, Z

    def accept(self, Z: np.ndarray) -> np.ndarray:
        out = np.empty_like(Z)
        start = 0
        for size in self.blocks:
            sl = slice(start, start + size)
            out[:, sl] = project(Z[:, sl]) / len(self.blocks)
            start += size
        return out


def pair_coordinates(
    payoffs: Payoffs, blocks: tuple[int, ...], dynamic: str, params: dict[str, float]
) -> PayoffLogShares | PayoffShares:
    """The coordinates for `dynamic` (a name in :data:`RESPONSES`, already checked)."""
    empty = np.zeros((0, 0))
    if dynamic == "replicator":
        return PayoffLogShares(empty, payoffs, blocks)
    return PayoffShares(empty, RESPONSES[dynamic], params, payoffs, blocks)


# ---------------------------------------------------------------------------------------------
# two populations


def bimatrix(game: GameLike) -> tuple[np.ndarray, np.ndarray]:
    """The checked float payoff matrices ``(A, B)`` of a two-population game."""
    g = as_game(game)
    return float_matrix(g.A, name="A"), float_matrix(g.B, name="B")


def block_matrix(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """The ``(m + n)``-square matrix ``[[0, A], [B^T, 0]]``: its product with a row ``[x | y]``
    is both populations' payoffs ``[A y | B^T x]``."""
    m, n = A.shape
    M = np.zeros((m + n, m + n))
    M[:m, m:] = A
    M[m:, :m] = B.T
    return M


def matrix_payoffs(M: np.ndarray) -> Payoffs:
    """The payoff map ``s -> s M^T`` of a block matrix (see :func:`block_matrix`)."""

    def payoffs(s: np.ndarray) -> np.ndarray:
        return np.asarray(s @ M.T)

    return payoffs


def pair_states(x: ArrayLike, y: ArrayLike, m: int, n: int, names: tuple[str, str]) -> np.ndarray:
    """Checked rows ``[x | y]`` (one state of either is repeated to match the other's batch)."""
    X = as_states(x, m, name=names[0])
    Y = as_states(y, n, name=names[1])
    if X.shape[0] != Y.shape[0]:
        if X.shape[0] == 1:
            X = np.repeat(X, Y.shape[0], axis=0)
        elif Y.shape[0] == 1:
            Y = np.repeat(Y, X.shape[0], axis=0)
        else:
            raise SimplexError(
                f"{names[0]} has {X.shape[0]} states and {names[1]} {Y.shape[0]}; give as many "
                "of each (or one of either)"
            )
    return np.concatenate([X, Y], axis=1)
