"""Private helpers shared by the learning processes: games as float pairs, beliefs, records."""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
from numpy.typing import ArrayLike

from dynamics._checks import integer_at_least
from dynamics.errors import ParameterError, SimplexError
from dynamics.flows import as_states
from theory.games import GameLike, as_game, float_matrix

__all__ = [
    "Beliefs",
    "TIE_RTOL",
    "float_game",
    "initial_beliefs",
    "record_times",
    "best_reply",
    "softmax",
    "categorical",
    "nonnegative_finite",
]

Beliefs: TypeAlias = tuple[ArrayLike, ArrayLike]
"""Prior beliefs ``(x0, y0)``: one point of each simplex, or one row per run."""

#: Payoffs within this times the payoff scale of the best count as tied best replies: beliefs
#: are running averages, so exact ties (symmetric starts, degenerate games) show up as ~1e-16
#: relative differences.
TIE_RTOL = 1e-12


def float_game(game: GameLike) -> tuple[np.ndarray, np.ndarray]:
    """The payoff pair ``(A, B)`` of any game argument as float arrays (validated once)."""
    g = as_game(game)
    return float_matrix(g.A, name="A"), float_matrix(g.B, name="B")


def initial_beliefs(
    initial: Any, shape: tuple[int, int], runs: Any, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Row and column starting points, ``(runs, m)`` and ``(runs, n)``: uniform draws if None.

    `runs` None means one run per given starting point (one if `initial` is None).
    """
    m, n = shape
    if initial is None:
        runs = 1 if runs is None else integer_at_least(runs, "runs", 1)
        return rng.dirichlet(np.ones(m), size=runs), rng.dirichlet(np.ones(n), size=runs)
    if not (isinstance(initial, tuple | list) and len(initial) == 2):
        raise SimplexError("initial must be a pair (x0, y0) of row and column beliefs")
    x0 = as_states(initial[0], m, name="initial[0]")
    y0 = as_states(initial[1], n, name="initial[1]")
    runs = max(len(x0), len(y0)) if runs is None else integer_at_least(runs, "runs", 1)
    out = []
    for name, z in (("initial[0]", x0), ("initial[1]", y0)):
        if len(z) not in (1, runs):
            raise SimplexError(f"{name} has {len(z)} rows; give one or runs={runs}")
        out.append(np.repeat(z, runs, axis=0) if len(z) == 1 else z.copy())
    return out[0], out[1]


def record_times(rounds: int, record: int) -> np.ndarray:
    """About `record` log-spaced rounds in ``1..rounds``, always including `rounds`."""
    record = integer_at_least(record, "record", 1)
    t = np.unique(np.geomspace(1, rounds, num=min(record, rounds)).round().astype(np.int64))
    t[-1] = rounds
    return np.unique(t)


def best_reply(f: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One pure best reply per row of payoffs `f`, ties broken uniformly at random."""
    top = f.max(axis=1, keepdims=True)
    scale = np.maximum(1.0, np.abs(top))
    tied = f >= top - TIE_RTOL * scale
    choice = np.argmax(tied, axis=1)
    several = np.flatnonzero(tied.sum(axis=1) > 1)
    if several.size:
        u = rng.random((several.size, f.shape[1])) * tied[several]
        choice[several] = np.argmax(u, axis=1)
    return choice


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by the row maximum (no overflow for any finite input)."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def categorical(p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One index per row of probabilities `p`."""
    cum = np.cumsum(p, axis=1)
    u = rng.random(len(p)) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), p.shape[1] - 1)


def nonnegative_finite(value: Any, name: str) -> float:
    """`value` as a float if it is a real number >= 0 and finite; else ParameterError."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ParameterError(f"{name} must be a real number >= 0, got {value!r}")
    if not (np.isfinite(value) and value >= 0):
        raise ParameterError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)
