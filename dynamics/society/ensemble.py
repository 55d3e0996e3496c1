"""The vectorised Sugar and spice engine: many independent societies of Q-learners at once.

Every run is an independent society on the same interaction graph. At each encounter (one per run
per step) an edge is drawn uniformly at random; both agents choose a move from their Q-values in
the state of their last encounter with that partner (or the single state with zero memory), the
seed's wellbeing table pays them, and both update their Q-values (see
:mod:`dynamics.society.qlearning`). Initial Q-values are uniform on ``params.q_init``; the initial
memory of each pair is a uniformly random joint move (mirrored for the two sides).

The same world, agent by agent on the message-passing framework, is
:func:`dynamics.society.sugar_spice.run_framework`; the two agree in distribution (tested).

Examples
--------
>>> import networkx as nx
>>> res = run_ensemble(nx.complete_graph(2), QLearning(memory="none"), encounters=2000,
...                    runs=50, rng=0)
>>> res.policy_strings().shape
(50, 2)
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
from numpy.typing import ArrayLike
from tqdm import tqdm

from dynamics._checks import generator, integer_at_least
from dynamics.errors import ParameterError, ParameterTypeError
from dynamics.society.graphs import edge_array, interaction_graph
from dynamics.society.qlearning import (
    WELLBEING_TABLE,
    QLearning,
    policy_codes,
    policy_strings,
    steal_probability,
)

__all__ = ["EnsembleResult", "run_ensemble", "initial_state"]

# Random numbers are drawn in blocks of at most this many per array (memory ~ 8 bytes each).
_BLOCK_ELEMENTS = 1 << 20
_SWAP = np.array([0, 2, 1, 3])  # the same joint move seen from the partner's side


@dataclass(frozen=True)
class EnsembleResult:
    """Final Q-values and policies, and wellbeing statistics, of every run.

    Attributes
    ----------
    q : ndarray (runs, n, n_states, 2)
        Final Q-values.
    policies : ndarray (runs, n)
        Final greedy policies as codes (see :func:`~dynamics.society.qlearning.policy_codes`).
    checkpoint_policies : ndarray (len(checkpoints), runs, n)
        Greedy policies after each checkpoint's number of encounters.
    omega_per_agent : ndarray (runs,)
        Time average of Omega / n over the last `window` encounters, where Omega is the sum of
        each agent's wellbeing ``W`` = the wellbeing of its most recent encounter.
    mean_wellbeing : ndarray (runs,)
        Mean wellbeing per agent per encounter over the last `window` encounters.
    agent_wellbeing : ndarray (runs, n)
        Each agent's mean wellbeing per own encounter over the last `window` encounters (NaN
        for an agent without encounters in the window).
    encounters : int
        Encounters per run actually simulated (fewer if interrupted).
    params : QLearning
    memory : ndarray (runs, n, n)
        Final pair memories (``memory[r, i, j]``: the last joint move of ``i`` with ``j`` from
        ``i``'s side); with `q` it continues a run (``q0=res.q, memory0=res.memory``).
    """

    q: np.ndarray
    policies: np.ndarray
    checkpoints: tuple[int, ...]
    checkpoint_policies: np.ndarray
    omega_per_agent: np.ndarray
    mean_wellbeing: np.ndarray
    agent_wellbeing: np.ndarray
    encounters: int
    params: QLearning
    memory: np.ndarray

    def policy_strings(self) -> np.ndarray:
        """Final policies as strings, shape (runs, n)."""
        return policy_strings(self.policies, self.params)

    def converged(self) -> np.ndarray:
        """(runs, n) bool: the agent's greedy policy is the same at every checkpoint.

        A convergence test: give checkpoints spread over the end of the run (e.g. at 1/2,
        5/8, 3/4, 7/8 and all of it); with no checkpoints every agent counts as converged.
        """
        cp = self.checkpoint_policies
        if cp.shape[0] == 0:
            return np.ones(self.policies.shape, dtype=bool)
        return np.asarray((cp == cp[-1]).all(axis=0))


def _initial_q(q0: ArrayLike, shape: tuple[int, int, int, int]) -> np.ndarray:
    """`q0` broadcast to ``(runs, n, n_states, 2)``: finite real numbers of a fitting shape."""
    try:
        raw = np.asarray(q0)
    except (TypeError, ValueError) as err:  # ragged nesting
        raise ParameterError(f"q0 must be an array of Q-values, got {q0!r}: {err}") from None
    if raw.dtype.kind not in "iuf":
        raise ParameterTypeError(f"q0 must hold real numbers, got dtype {raw.dtype}: {q0!r}")
    values = raw.astype(np.float64)
    if not np.all(np.isfinite(values)):
        raise ParameterError(
            f"q0 must hold finite numbers (a NaN Q-value is no policy), got {q0!r}"
        )
    try:
        return np.array(np.broadcast_to(values, shape))
    except ValueError:
        raise ParameterError(
            f"q0 of shape {values.shape} does not broadcast to (runs, n, n_states, 2) = {shape}"
        ) from None


def initial_state(
    n: int,
    params: QLearning,
    runs: int,
    *,
    q0: ArrayLike | None = None,
    memory0: ArrayLike | None = None,
    rng: int | np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Initial Q-values (runs, n, S, 2) and mirrored pair memories (runs, n, n).

    Random unless given: Q-values uniform on ``params.q_init``, each pair's memory a uniformly
    random joint move (mirrored for the two sides).
    """
    rng = generator(rng)
    S = params.n_states
    if q0 is None:
        q = rng.uniform(*params.q_init, size=(runs, n, S, 2))
    else:
        q = _initial_q(q0, (runs, n, S, 2))
    if memory0 is not None:
        return q, _initial_memory(memory0, (runs, n, n))
    mem = rng.integers(0, 4, size=(runs, n, n))
    iu = np.triu_indices(n, 1)
    mem[:, iu[1], iu[0]] = _SWAP[mem[:, iu[0], iu[1]]]
    return q, mem


def _initial_memory(memory0: ArrayLike, shape: tuple[int, int, int]) -> np.ndarray:
    """`memory0` broadcast to ``(runs, n, n)``: joint-move codes 0..3, mirrored pairwise."""
    raw = np.asarray(memory0)
    if raw.dtype.kind not in "iu":
        raise ParameterTypeError(
            f"memory0 must hold integer joint-move codes, got dtype {raw.dtype}"
        )
    try:
        mem = np.array(np.broadcast_to(raw, shape), dtype=np.int64)
    except ValueError:
        raise ParameterError(
            f"memory0 of shape {raw.shape} does not broadcast to (runs, n, n) = {shape}"
        ) from None
    if mem.size and (mem.min() < 0 or mem.max() > 3):
        raise ParameterError("memory0 must hold joint-move codes 0 (TT) .. 3 (SS)")
    iu = np.triu_indices(shape[1], 1)
    if not np.array_equal(mem[:, iu[1], iu[0]], _SWAP[mem[:, iu[0], iu[1]]]):
        raise ParameterError(
            "memory0 must be mirrored: memory0[r, j, i] is memory0[r, i, j] swapped"
        )
    return mem


def run_ensemble(
    graph: nx.Graph,
    params: QLearning,
    *,
    encounters: int,
    runs: int,
    window: int | None = None,
    checkpoints: tuple[int, ...] = (),
    q0: ArrayLike | None = None,
    memory0: ArrayLike | None = None,
    frozen: tuple[int, ...] = (),
    progress: bool = False,
    rng: int | np.random.Generator | None = None,
) -> EnsembleResult:
    """Simulate `runs` independent societies for `encounters` encounters each.

    Parameters
    ----------
    graph : networkx.Graph
        Who meets whom (see :func:`~dynamics.society.graphs.interaction_graph`).
    params : QLearning
        The learners' parameters (all agents alike).
    encounters, runs : int
        Encounters per run (>= 1) and number of runs (>= 1).
    window : int, optional
        Encounters at the end over which wellbeing is averaged (default: the last quarter).
    checkpoints : tuple of int
        Encounter counts after which the greedy policies are recorded.
    q0 : array_like, optional
        Initial Q-values broadcast to (runs, n, n_states, 2) instead of random ones.
    memory0 : array_like of int, optional
        Initial pair memories (runs, n, n) instead of random ones, e.g. a previous run's
        ``memory`` to continue it (codes 0..3 = TT, TS, ST, SS from the first index's side).
    frozen : tuple of int
        Agents that play (and explore) but never update their Q-values: fixed partners.
    progress : bool
        Show a tqdm progress bar. An interrupt (Ctrl-C) returns what was computed so far.
    rng : int or numpy.random.Generator, optional

    Raises
    ------
    ParameterError
        Non-positive counts, a window longer than the run, or checkpoints outside the run.
    """
    rng = generator(rng)
    if not isinstance(params, QLearning):
        raise ParameterTypeError(
            f"params must be a QLearning (e.g. QLearning(**params) for a dict), got {params!r}"
        )
    encounters = integer_at_least(encounters, "encounters", 1)
    runs = integer_at_least(runs, "runs", 1)
    window = max(1, encounters // 4) if window is None else integer_at_least(window, "window", 1)
    if not 1 <= window <= encounters:
        raise ParameterError(f"window must be in [1, encounters={encounters}], got {window!r}")
    if any(isinstance(c, bool) or not isinstance(c, int | np.integer) for c in checkpoints):
        raise ParameterTypeError(f"checkpoints must be integers, got {checkpoints!r}")
    if any(not 1 <= c <= encounters for c in checkpoints):
        raise ParameterError(f"checkpoints must lie in [1, {encounters}], got {checkpoints!r}")
    G = interaction_graph(graph)
    n, edges = G.number_of_nodes(), edge_array(G)
    if any(not (isinstance(i, int | np.integer) and 0 <= i < n) for i in frozen):
        raise ParameterError(f"frozen must list agents in [0, {n}), got {frozen!r}")
    q, mem = initial_state(n, params, runs, q0=q0, memory0=memory0, rng=rng)
    learns = np.ones(n)
    learns[list(frozen)] = 0.0
    r, alpha, one = params.discount, params.alpha, params.n_states == 4
    R = np.arange(runs)
    last_w = np.zeros((runs, n))
    omega_sum = np.zeros(runs)
    w_sum = np.zeros(runs)
    agent_sum, agent_count = np.zeros((runs, n)), np.zeros((runs, n))
    snaps: list[np.ndarray] = []
    todo = sorted(set(checkpoints))
    block = max(1, min(encounters, _BLOCK_ELEMENTS // runs))
    done = 0
    bar = tqdm(total=encounters, disable=not progress, desc="encounters", unit="enc")
    try:
        while done < encounters:
            b = min(block, encounters - done)
            ks = rng.integers(0, len(edges), size=(b, runs))
            us = rng.random(size=(b, 2, runs))
            for t in range(b):
                u, v = edges[ks[t], 0], edges[ks[t], 1]
                su = mem[R, u, v] if one else np.zeros(runs, dtype=np.int64)
                sv = mem[R, v, u] if one else su
                qu, qv = q[R, u, su], q[R, v, sv]
                au = (us[t, 0] < steal_probability(qu, params)).astype(np.int64)
                av = (us[t, 1] < steal_probability(qv, params)).astype(np.int64)
                wu, wv = WELLBEING_TABLE[au, av], WELLBEING_TABLE[av, au]
                nu, nv = (2 * au + av, 2 * av + au) if one else (su, sv)
                tu = wu + r * q[R, u, nu].max(axis=1)
                tv = wv + r * q[R, v, nv].max(axis=1)
                q[R, u, su, au] += (alpha * learns[u]) * (tu - qu[R, au])
                q[R, v, sv, av] += (alpha * learns[v]) * (tv - qv[R, av])
                if one:
                    mem[R, u, v], mem[R, v, u] = nu, nv
                last_w[R, u], last_w[R, v] = wu, wv
                done += 1
                if done > encounters - window:
                    omega_sum += last_w.sum(axis=1)
                    w_sum += wu + wv
                    agent_sum[R, u] += wu
                    agent_sum[R, v] += wv
                    agent_count[R, u] += 1
                    agent_count[R, v] += 1
                if todo and done == todo[0]:
                    snaps.append(policy_codes(q, params))
                    todo.pop(0)
            bar.update(b)
    except KeyboardInterrupt:
        pass
    finally:
        bar.close()
    counted = max(1, min(window, done - (encounters - window)))
    return EnsembleResult(
        q=q,
        policies=policy_codes(q, params),
        checkpoints=tuple(sorted(set(checkpoints)))[: len(snaps)],
        checkpoint_policies=np.array(snaps).reshape(len(snaps), runs, n),
        omega_per_agent=omega_sum / counted / n,
        mean_wellbeing=w_sum / counted / 2,
        agent_wellbeing=np.divide(
            agent_sum, agent_count, out=np.full((runs, n), np.nan), where=agent_count > 0
        ),
        encounters=done,
        params=params,
        memory=mem,
    )
