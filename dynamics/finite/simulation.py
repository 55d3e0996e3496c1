"""Many independent runs of a finite-population process at once, vectorised over runs.

The state of ``R`` runs is an ``(R, n)`` array of counts. Each step draws, for every run at once,
the individuals the rule names (parent, victim, focal, role model) from the counts - individuals of
one strategy are exchangeable - so a step costs a few numpy operations on ``(R, n)`` arrays.
The simulation follows the rules mechanically (:mod:`dynamics.finite.processes`), independently of
the closed-form transition probabilities used by the exact chain, so the two check each other.
A single Moran or Fermi run (``runs=1``, no progress bar) takes a scalar kernel with the same
rules instead: plain Python floats beat numpy's per-call overhead for one chain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from tqdm import tqdm

from dynamics._checks import generator, integer_at_least
from dynamics.errors import ParameterError
from dynamics.finite.processes import (
    EXP_SAFE,
    Process,
    as_counts,
    offspring_distribution,
    relative_fitness,
)

__all__ = ["CountTrajectories", "Fixations", "simulate", "fixations"]


def _categorical(weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One index per row, drawn proportionally to the row's non-negative weights."""
    cum = np.cumsum(weights, axis=1)
    u = rng.random(len(weights)) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), weights.shape[1] - 1)


def _mutate(kind: np.ndarray, mu: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """With probability ``mu`` replace each entry by one of the other ``n - 1`` strategies."""
    if mu == 0 or n == 1:
        return kind
    hit = rng.random(len(kind)) < mu
    return np.where(hit, (kind + rng.integers(1, n, len(kind))) % n, kind)


def _step(process: Process, C: np.ndarray, rng: np.random.Generator) -> None:
    """Advance every run (rows of ``C``) by one step of `process`, in place."""
    N, n = process.N, process.n
    rows = np.arange(len(C))
    mu = float(process.mu)
    if process.rule == "wright-fisher":
        p = offspring_distribution(process, C).astype(np.float64)
        C[...] = rng.multinomial(N, p)
        return
    A = process.float_A
    pi = (C @ A.T - np.diag(A)) / (N - 1)
    if process.rule == "moran":
        parent = _categorical(C * relative_fitness(process, pi, C), rng)
        child = _mutate(parent, mu, n, rng)
        victim = _categorical(C, rng)
        C[rows, child] += 1  # one index per row: no repeated (row, column) pairs
        C[rows, victim] -= 1
        return
    focal = _categorical(C, rng)
    others = C.copy()
    others[rows, focal] -= 1
    model = _categorical(others, rng)
    gain = pi[rows, model] - pi[rows, focal]
    adopt = rng.random(len(C)) < 0.5 * (1.0 + np.tanh(0.5 * float(process.intensity) * gain))
    new = np.where(adopt, model, focal)
    if mu > 0 and n > 1:  # one strategy: a mutant has nothing else to become
        mutates = rng.random(len(C)) < mu
        new = np.where(mutates, (focal + rng.integers(1, n, len(C))) % n, new)
    C[rows, focal] -= 1
    C[rows, new] += 1


_BLOCK = 4096  # uniforms drawn per numpy call by the scalar kernel


def _run_one(
    process: Process, c0: np.ndarray, steps: int, every: int, rng: np.random.Generator
) -> list[list[int]]:
    """One Moran or Fermi chain in plain Python floats: for a single run a scalar loop beats
    numpy's per-call overhead by ~30x. Same rules as :func:`_step`."""
    N, n = process.N, process.n
    A = process.float_A.tolist()
    diag = [A[i][i] for i in range(n)]
    mu, s = float(process.mu), float(process.intensity)
    moran_rule = process.rule == "moran"
    exponential = process.mapping == "exponential"
    c = [int(v) for v in c0]
    out = [c.copy()]
    pay: list[float] = []
    # replacing an i by a j moves every payoff by (A[k][j] - A[k][i]) / (N - 1)
    delta = [
        [[(A[k][j] - A[k][i]) / (N - 1) for k in range(n)] for j in range(n)] for i in range(n)
    ]
    u: list[float] = []
    block = min(_BLOCK, 4 * steps)
    k = block
    for t in range(1, steps + 1):
        if k + 4 > len(u):
            u, k = rng.random(block).tolist(), 0
            pay = [  # afresh once a block: no round-off accumulates in the updates below
                (sum(a * x for a, x in zip(A[i], c, strict=True)) - diag[i]) / (N - 1)
                for i in range(n)
            ]
        u1, u2, u3, u4 = u[k], u[k + 1], u[k + 2], u[k + 3]
        k += 4
        if moran_rule:
            if exponential:  # as relative_fitness: rescaled, absent strategies capped
                top = s * max(p for p, ci in zip(pay, c, strict=True) if ci)
                shift = top if top > EXP_SAFE else 0.0
                f = [math.exp(min(s * p - shift, EXP_SAFE)) for p in pay]
            else:
                f = [1.0 - s + s * p for p in pay]
            r = u1 * sum(ci * fi for ci, fi in zip(c, f, strict=True))
            new = 0
            while new < n - 1 and r >= c[new] * f[new]:
                r -= c[new] * f[new]
                new += 1
            if u2 < mu:
                new = (new + 1 + int(u3 * (n - 1))) % n
            r = u4 * N
            old = 0
            while old < n - 1 and r >= c[old]:
                r -= c[old]
                old += 1
        else:
            r = u1 * N
            old = 0
            while old < n - 1 and r >= c[old]:
                r -= c[old]
                old += 1
            if u2 < mu:
                new = (old + 1 + int(u3 * (n - 1))) % n
            else:
                r = u3 * (N - 1)
                model = 0
                while model < n - 1 and r >= c[model] - (model == old):
                    r -= c[model] - (model == old)
                    model += 1
                z = s * (pay[model] - pay[old])
                new = model if u4 < 0.5 * (1.0 + math.tanh(0.5 * z)) else old
        if new != old:
            c[old] -= 1
            c[new] += 1
            d = delta[old][new]
            pay = [p + dp for p, dp in zip(pay, d, strict=True)]
        if t % every == 0:
            out.append(c.copy())
    return out


@dataclass(frozen=True)
class CountTrajectories:
    """Counts of ``runs`` runs recorded every ``every`` steps.

    Attributes
    ----------
    steps : ndarray (T,)
        Step numbers of the records (0 is the initial state).
    counts : ndarray (T, runs, n)
        The counts at those steps.
    """

    steps: np.ndarray
    counts: np.ndarray

    @property
    def frequencies(self) -> np.ndarray:
        """Counts divided by N."""
        return self.counts / self.counts[0, 0].sum()


def simulate(
    process: Process,
    initial: ArrayLike,
    *,
    steps: int,
    runs: int = 1,
    every: int = 1,
    progress: bool = False,
    rng: int | np.random.Generator | None = None,
) -> CountTrajectories:
    """Simulate `runs` independent copies of `process` for `steps` steps.

    Parameters
    ----------
    process : Process
    initial : array_like, shape (n,) or (runs, n)
        Initial counts (one row for all runs, or one per run).
    steps, runs, every : int
        Number of steps (generations for Wright-Fisher), runs, and the recording interval.
    progress : bool
        Show a tqdm bar.
    rng : int or Generator, optional

    Raises
    ------
    ParameterError
        If the counts do not fit the process or an integer argument is out of range.

    Examples
    --------
    >>> from dynamics.finite.processes import moran
    >>> tr = simulate(moran([[1, 1], [1, 1]], 10), [5, 5], steps=20, runs=3, every=10, rng=1)
    >>> tr.counts.shape, tr.steps
    ((3, 3, 2), array([ 0, 10, 20]))
    """
    rng = generator(rng)
    steps = integer_at_least(steps, "steps", 0)
    runs = integer_at_least(runs, "runs", 1)
    every = integer_at_least(every, "every", 1)
    C0 = as_counts(process, initial, name="initial")
    if len(C0) not in (1, runs):
        raise ParameterError(f"initial has {len(C0)} rows, expected 1 or runs = {runs}")
    if runs == 1 and process.rule != "wright-fisher" and not progress:
        rec = _run_one(process, C0[0], steps, every, rng)
        return CountTrajectories(
            np.arange(len(rec)) * every, np.array(rec, dtype=np.int64)[:, None, :]
        )
    C = np.array(np.broadcast_to(C0, (runs, process.n)))
    records = [C.copy()]
    marks = [0]
    for t in tqdm(range(1, steps + 1), disable=not progress, desc=process.rule, unit="step"):
        _step(process, C, rng)
        if t % every == 0:
            records.append(C.copy())
            marks.append(t)
    return CountTrajectories(np.array(marks), np.stack(records))


@dataclass(frozen=True)
class Fixations:
    """Outcome of runs without mutation: which strategy fixed (-1: none yet) and when."""

    winner: np.ndarray
    time: np.ndarray


def fixations(
    process: Process,
    initial: ArrayLike,
    *,
    runs: int,
    max_steps: int = 10**7,
    rng: int | np.random.Generator | None = None,
) -> Fixations:
    """Run `runs` copies (no mutation) until each is monomorphic or `max_steps` have passed.

    Only the unfinished runs are stepped, so the cost follows the slowest runs' count.

    Raises
    ------
    ParameterError
        If the process has mutation, or as :func:`simulate`.

    Examples
    --------
    >>> from dynamics.finite.processes import moran
    >>> fx = fixations(moran([[1, 1], [1, 1]], 10), [1, 9], runs=2000, rng=3)
    >>> bool(abs((fx.winner == 0).mean() - 0.1) < 0.03)   # neutral: 1/N; 0.03 ~ 4.5 SE
    True
    """
    rng = generator(rng)
    if process.mu != 0:
        raise ParameterError(f"fixations needs mu = 0, got {process.mu}")
    runs = integer_at_least(runs, "runs", 1)
    max_steps = integer_at_least(max_steps, "max_steps", 1)
    C = np.array(np.broadcast_to(as_counts(process, initial, name="initial"), (runs, process.n)))
    winner = np.full(runs, -1)
    time = np.zeros(runs, dtype=np.int64)
    active = np.arange(runs)
    for t in range(max_steps + 1):
        done = (C[active] == process.N).any(axis=1)
        if done.any():
            fin = active[done]
            winner[fin] = np.argmax(C[fin], axis=1)
            time[fin] = t
            active = active[~done]
        if len(active) == 0 or t == max_steps:
            break
        sub = C[active]
        _step(process, sub, rng)
        C[active] = sub
    time[active] = max_steps
    return Fixations(winner, time)
