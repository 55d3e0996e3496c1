"""Evolution among many modal agents: who survives, who invades, and how that depends on ε.

The seed's next step ("consider systems with more or even all modal agents") as library calls.
A pool of agents (the literature's, every depth-1 behaviour of :mod:`modal.behaviours`, ...)
becomes one symmetric game per penalty ε through :func:`theory.modal_game.modal_game`; the
dynamics are the toolkit's own, unchanged: the replicator flow of
:func:`dynamics.integrate.integrate` with the vertex tracker of :mod:`dynamics.longrun`, and
the finite-population processes of :mod:`dynamics.finite`.

**Identical strategies are merged first** (:func:`agent_pool`). Two agents with the same depth,
the same moves against every agent of the pool and the same moves received from every agent
(which makes their self-play and their play against each other the same as well) have equal
rows *and* columns in every penalised game, for every ε and every base game. In the replicator
flow the sum of their shares then follows the merged game exactly, and their ratio stays
constant, so keeping both adds a neutral direction and no information (and makes every rest
point a continuum). The pool keeps one representative and lists the members.

**Survival** (:func:`survival`) is a finite-time verdict, stated as such: a strategy survives a
run if its largest share over the second half of the run is at least ``SURVIVAL_SHARE`` (1e-6,
one individual in a million), recorded at every integrator step, so the brief returns of
CooperateBot and PrudentBot in the C → P → F cycle count, as they should.

Examples
--------
>>> from modal import SEED_AGENTS, FairBot
>>> from modal.agents import JustBot
>>> pool = agent_pool([*SEED_AGENTS, JustBot])
>>> pool.names, pool.members[2]
(('DefectBot', 'CooperateBot', 'FairBot', 'PrudentBot'), ('FairBot', 'JustBot'))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dynamics import _kernels
from dynamics._checks import MatrixLike, generator, integer_at_least, positive_finite
from dynamics.basins import simplex_sample, wilson_interval
from dynamics.errors import ParameterError, ParameterTypeError
from dynamics.finite.fixation import small_mutation_limit
from dynamics.finite.processes import fermi
from dynamics.flows import as_states, game_matrix
from dynamics.integrate import integrate
from dynamics.longrun import ItineraryTracker
from modal import LIBRARY, Agent, cooperation_matrix, depth, environment
from theory import number
from theory.modal_game import SEED_PD, invasion_fitness, modal_game

__all__ = [
    "SURVIVAL_SHARE",
    "ENTRY_SHARE",
    "AgentPool",
    "agent_pool",
    "Survival",
    "survival",
    "entry_growth_rates",
    "ModalEvolution",
    "modal_evolution",
]

#: A strategy whose share stays below this over the second half of a run has died out for any
#: population of fewer than a million individuals; above it, it is counted as a survivor.
SURVIVAL_SHARE = 1e-6
#: Share given to an entrant by :func:`entry_growth_rates`: small enough that the resident's
#: payoffs move by ``ENTRY_SHARE × max|A|`` only, large enough to sit 10 orders of magnitude
#: above the integrator's ``atol``.
ENTRY_SHARE = 1e-6


@dataclass(frozen=True)
class AgentPool:
    """Agents merged into the distinct strategies they are in every penalised game.

    Attributes
    ----------
    agents : tuple of Agent
        One representative per strategy, in the order given (the first member).
    members : tuple of tuple of str
        The names merged into each strategy (its representative first).
    depths : tuple of int
        Each strategy's depth (the seed's).
    env : dict of str to Agent
        The agents the formulas name (the library, overridden by the pool's agents).
    """

    agents: tuple[Agent, ...]
    members: tuple[tuple[str, ...], ...]
    depths: tuple[int, ...]
    env: Mapping[str, Agent] = field(repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The representatives' names."""
        return tuple(a.name for a in self.agents)

    def __len__(self) -> int:
        return len(self.agents)

    def index(self, name: str) -> int:
        """The strategy an agent was merged into, by the agent's name.

        Raises
        ------
        dynamics.errors.ParameterError
            If no agent of the pool has that name.
        """
        for i, group in enumerate(self.members):
            if name in group:
                return i
        raise ParameterError(f"name {name!r} is not an agent of the pool")

    def game(
        self,
        eps: Any,  # Any: a number by theory's numbers rule, or a sympy expression
        *,
        base: Mapping[Any, Any] = SEED_PD,  # Any: as theory.modal_game.modal_game's base
    ) -> NDArray[np.object_]:
        """The penalised game of the pool's strategies (:func:`theory.modal_game.modal_game`).

        Examples
        --------
        >>> from modal import SEED_AGENTS
        >>> agent_pool(SEED_AGENTS).game("1/10")[0, 1]     # DefectBot against CooperateBot
        Fraction(3, 1)
        """
        return modal_game(self.agents, eps, base=base, env=self.env)


def agent_pool(agents: Sequence[Agent], *, env: Mapping[str, Agent] | None = None) -> AgentPool:
    """Merge the agents that are the same strategy of every penalised game (module docstring).

    Parameters
    ----------
    agents : sequence of modal.Agent
        The pool, at least two agents, names distinct.
    env : mapping of str to Agent, optional
        Agents the formulas name beyond the pool and the library.

    Raises
    ------
    dynamics.errors.ParameterError
        If fewer than two agents are given, or two share a name.
    modal.errors.ModalError
        If a formula names an unknown agent (from :func:`modal.environment`).

    Examples
    --------
    >>> from modal import LIBRARY
    >>> pool = agent_pool(list(LIBRARY.values()))
    >>> len(LIBRARY), len(pool), pool.members[pool.index("SimpleMagicBot")]
    (18, 14, ('MagicBot', 'SimpleMagicBot'))
    """
    agents = list(agents)
    if len(agents) < 2:
        raise ParameterError(f"agents: a pool needs at least two agents, got {len(agents)}")
    names = [a.name for a in agents if isinstance(a, Agent)]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ParameterError(f"agents: names must be distinct, {twice} occur twice")
    full = environment(agents, {**LIBRARY, **(env or {})})
    coop = cooperation_matrix(agents, full)
    depths = [depth(a, full) for a in agents]
    groups: dict[tuple[object, ...], list[int]] = {}
    for i in range(len(agents)):
        key = (coop[i].tobytes(), coop[:, i].tobytes(), depths[i])
        groups.setdefault(key, []).append(i)
    order = sorted(groups.values())
    return AgentPool(
        tuple(agents[g[0]] for g in order),
        tuple(tuple(agents[i].name for i in g) for g in order),
        tuple(depths[g[0]] for g in order),
        full,
    )


@dataclass(frozen=True)
class Survival:
    """Who survives replicator runs from many starts (see :func:`survival`).

    Attributes
    ----------
    starts : ndarray, shape (k, n)
    alive : ndarray of bool, shape (k, n)
        Strategy ``i`` survived run ``j``: its largest share over ``[t_end / 2, t_end]`` is at
        least `share`.
    late_max : ndarray, shape (k, n)
        That largest share.
    final : ndarray, shape (k, n)
        The states at `t_end`.
    trapped : ndarray of int, shape (k,)
        The strict-Nash vertex whose trapping set the run entered (a proof it ends there), or -1.
    t_end, share : float
    """

    starts: np.ndarray
    alive: np.ndarray
    late_max: np.ndarray
    final: np.ndarray
    trapped: np.ndarray
    t_end: float
    share: float

    def __len__(self) -> int:
        return int(self.starts.shape[0])

    @property
    def fraction(self) -> np.ndarray:
        """Per strategy, the share of runs it survived, shape (n,)."""
        return np.asarray(self.alive.mean(axis=0))

    @property
    def counts(self) -> np.ndarray:
        """Per run, how many strategies survived, shape (k,)."""
        return np.asarray(self.alive.sum(axis=1))


def survival(
    A: MatrixLike,
    x0: ArrayLike,
    t_end: float,
    *,
    share: float = SURVIVAL_SHARE,
    traps: Mapping[int, float] | None = None,
    progress: bool = False,
    rtol: float = 1e-6,
    atol: float = 1e-8,
) -> Survival:
    """Integrate the replicator flow from every start and record who survives.

    Parameters
    ----------
    A : array_like, shape (n, n)
        The symmetric game (float payoffs; exact ones are converted).
    x0 : array_like, shape (k, n) or (n,)
        Starts on the simplex.
    t_end : float
        The horizon; the survival window is its second half.
    share : float, default SURVIVAL_SHARE
        The survival threshold, in (0, 1).
    traps : mapping of int to float, optional
        ``{vertex: radius}`` of trapping sets (:func:`dynamics.longrun.trapping_radius`).
    progress : bool
        A tqdm bar over the integration; Ctrl-C returns what was integrated (the runs' windows
        are then those reached).

    Raises
    ------
    dynamics.errors.ParameterError, dynamics.errors.SimplexError
        Bad payoffs, starts, horizon or threshold.

    Examples
    --------
    >>> s = survival([[1, 3], [0, 2]], [[0.5, 0.5], [0.1, 0.9]], 60.0)   # a PD: D dominates
    >>> s.alive.tolist(), s.fraction.tolist()
    ([[True, False], [True, False]], [1.0, 0.0])
    """
    M = game_matrix(A)
    X0 = as_states(x0, M.shape[0], name="x0")
    T = positive_finite(t_end, "t_end")
    s = positive_finite(share, "share")
    if s >= 1:
        raise ParameterError(f"share must be in (0, 1), got {share}")
    return _survival(M, X0, T, s, dict(traps or {}), progress, rtol, atol)


def _survival(
    M: np.ndarray,
    X0: np.ndarray,
    T: float,
    s: float,
    traps: dict[int, float],
    progress: bool,
    rtol: float,
    atol: float,
) -> Survival:
    """:func:`survival` on checked arguments."""
    tracker = ItineraryTracker(X0.shape[0], M.shape[0], traps=traps, window_from=T / 2)
    tr = integrate(M, X0, T, n_out=2, observer=tracker, progress=progress, rtol=rtol, atol=atol)
    final = tr.x[:, -1, :]
    return Survival(
        X0, tracker.late_max >= s, tracker.late_max.copy(), final, tracker.trapped.copy(), T, s
    )


def entry_growth_rates(
    A: MatrixLike,
    resident: ArrayLike,
    *,
    share: float = ENTRY_SHARE,
    t: float = 1.0,
) -> np.ndarray:
    """Measured growth rate of each strategy entering a resident state, from the flow itself.

    For every strategy ``i`` the replicator flow starts at ``(1 - share) x* + share e_i`` and
    runs to time `t`; the result is ``log(x_i(t) / x_i(0)) / t``. For a resident rest point
    ``x*`` this is the invasion fitness ``(A x*)_i - x*·A x*`` up to ``O(share · max|A| ·
    (1 + t max|A|))`` (the entrant's own effect on payoffs and the drift it causes), an
    independent, numerical counterpart of the exact invasion fitness.

    Parameters
    ----------
    A : array_like, shape (n, n)
    resident : array_like, shape (n,)
        The resident state x* (a rest point for the rates to be invasion fitnesses).
    share : float, default ENTRY_SHARE
        The entrant's initial share, in (0, 1).
    t : float, default 1.0
        The measuring time.

    Returns
    -------
    ndarray, shape (n,)

    Examples
    --------
    >>> A = [[2, 0], [3, 1]]          # a PD: D (1) invades all-C (0) at rate 3 - 2 = 1
    >>> np.round(entry_growth_rates(A, [1, 0]), 4).tolist()
    [0.0, 1.0]
    """
    M = game_matrix(A)
    n = M.shape[0]
    x = as_states(resident, n, name="resident")[0]
    s = positive_finite(share, "share")
    if s >= 1:
        raise ParameterError(f"share must be in (0, 1), got {share}")
    T = positive_finite(t, "t")
    X0 = (1 - s) * x[None, :] + s * np.eye(n)
    tr = integrate(M, X0, T, n_out=2, rtol=1e-10, atol=1e-13)
    start = X0[np.arange(n), np.arange(n)]
    end = tr.x[np.arange(n), -1, np.arange(n)]
    return np.asarray((np.log(end) - np.log(start)) / T)


@dataclass(frozen=True)
class ModalEvolution:
    """Evolution of one pool at several penalties (see :func:`modal_evolution`).

    Attributes
    ----------
    pool : AgentPool
    eps : tuple of Fraction or float
        The penalties (text and integers read exactly).
    runs : tuple of Survival
        One per ε: replicator runs to ``horizon / ε`` from the same starts, the first of which
        is the uniform mixture of the pool's strategies (the rest uniform random).
    defect_trapped : tuple of (float, float, float)
        Per ε, the share of runs that entered DefectBot's trapping set, with its 95% Wilson
        interval (all zeros if DefectBot is not in the pool).
    invasion : ndarray of object, shape (len(eps), n)
        Exact invasion fitness of every strategy at the seed's good equilibrium
        (:func:`theory.modal_game.invasion_fitness`).
    stationary : ndarray, shape (len(eps), n)
        Finite populations: the small-mutation limit of the pairwise-comparison (Fermi)
        process with `population` individuals and imitation intensity `beta`: the long-run
        share of time the population spends monomorphic in each strategy.
    population : int
    beta : float
    """

    pool: AgentPool
    eps: tuple[Fraction | float, ...]
    runs: tuple[Survival, ...]
    defect_trapped: tuple[tuple[float, float, float], ...]
    invasion: np.ndarray
    stationary: np.ndarray
    population: int
    beta: float

    @property
    def survival(self) -> np.ndarray:
        """Share of runs each strategy survived, shape ``(len(eps), n)``."""
        return np.stack([r.fraction for r in self.runs])

    @property
    def uniform(self) -> np.ndarray:
        """Final shares of the run from the uniform mixture, shape ``(len(eps), n)``."""
        return np.stack([r.final[0] for r in self.runs])

    def survivors(self, k: int, *, at_least: float = 0.5) -> tuple[str, ...]:
        """Strategies that survived at least `at_least` of the runs at ``eps[k]``."""
        return tuple(
            n for n, f in zip(self.pool.names, self.runs[k].fraction, strict=True) if f >= at_least
        )


def modal_evolution(
    pool: AgentPool,
    eps: Sequence[Any],  # Any: exact numbers by theory's numbers rule
    *,
    starts: int = 200,
    horizon: float = 40.0,
    population: int = 30,
    beta: float = 1.0,
    progress: bool = False,
    rng: int | np.random.Generator | None = None,
) -> ModalEvolution:
    """Replicator runs, exact invasion fitness and the finite-population limit at each ε.

    Parameters
    ----------
    pool : AgentPool
        From :func:`agent_pool`.
    eps : sequence of number
        Penalties, each > 0, by the numbers rule (``"1/10"`` is exact): the runs last
        ``horizon / ε``, the time the penalty needs to act.
    starts : int, default 200
        Runs per ε (the uniform mixture and ``starts - 1`` uniform random interior starts, the
        same for every ε).
    horizon : float, default 40
        Run length in units of ``1 / ε``.
    population, beta
        The finite population's size and imitation intensity (Fermi process).
    progress : bool
        A tqdm bar per integration.
    rng : int or Generator, optional
        Draws the random starts.

    Raises
    ------
    dynamics.errors.ParameterError
        A penalty that is not a number > 0 (``ParameterTypeError`` for a non-number), or
        bad counts.

    Examples
    --------
    >>> from modal import SEED_AGENTS
    >>> ev = modal_evolution(agent_pool(SEED_AGENTS), ["1/2", "1/20"], starts=20, rng=1)
    >>> ev.survivors(0), ev.survivors(1)
    (('DefectBot',), ('CooperateBot', 'FairBot', 'PrudentBot'))
    >>> [bool(p > 0) for p in ev.invasion[:, 0]]       # DefectBot invades only beyond 1/3
    [True, False]
    """
    gen = generator(rng)
    k = integer_at_least(starts, "starts", 1)
    H = positive_finite(horizon, "horizon")
    N = integer_at_least(population, "population", 2)
    b = positive_finite(beta, "beta")
    penalties = [_penalty(e, f"eps[{i}]") for i, e in enumerate(eps)]
    if not penalties:
        raise ParameterError("eps: give at least one penalty")
    n = len(pool)
    X0 = np.vstack([np.full((1, n), 1.0 / n), simplex_sample(n, k - 1, rng=gen)])
    d = pool.index("DefectBot") if any("DefectBot" in g for g in pool.members) else -1
    runs, trapped, inv, stat = [], [], [], []
    for e in penalties:
        G = pool.game(e)
        A = G.astype(float)
        traps = {d: _kernels.trapping_radius(A, d)} if d >= 0 else {}
        run = _survival(A, X0, float(H / e), SURVIVAL_SHARE, traps, progress, 1e-6, 1e-8)
        runs.append(run)
        hits = int(np.sum(run.trapped == d)) if d >= 0 else 0
        trapped.append((hits / k, *wilson_interval(hits, k)))
        inv.append(invasion_fitness(pool.agents, e, env=pool.env))
        stat.append(np.asarray(small_mutation_limit(fermi(A, N, beta=b)).stationary, dtype=float))
    return ModalEvolution(
        pool,
        tuple(penalties),
        tuple(runs),
        tuple(trapped),
        np.stack(inv),
        np.stack(stat),
        N,
        b,
    )


def _penalty(value: Any, name: str) -> Fraction | float:
    """A penalty for a sweep: a number > 0 by the numbers rule (the horizon divides by it)."""
    e = number(value, name, errors=(ParameterTypeError, ParameterError))
    if e <= 0:
        raise ParameterError(f"{name} must be > 0 (the runs last horizon / eps), got {e}")
    return Fraction(e) if isinstance(e, int) else e
