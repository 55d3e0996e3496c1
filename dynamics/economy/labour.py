"""The AI Economist's one-step labour economy as an environment: a batched numpy core and a
PettingZoo ``ParallelEnv`` view of one copy.

The model is :mod:`theory.policy.economy`'s, with its functions: N workers with skills w_i choose
labour l_i, income z_i = w_i l_i, the planner's bracket schedule
(:class:`~theory.policy.tax.TaxSchedule`'s cut-offs,
:meth:`~theory.policy.tax.TaxSchedule.bracket_incomes`) taxes z_i and
rebates the total equally, c_i = z_i − T(z_i) + (1/N) Σ_j T(z_j), and the worker's reward is
u_i = crra_η(c_i) − κ l_i^γ (:func:`~theory.policy.economy.crra`, the ``PRESETS``); the planner's
reward is the welfare objective of the c_i (:func:`~theory.policy.welfare.welfare_rows`,
eq·prod by default).

Modelling choices, named:

- Actions are discrete, as in the AI Economist. Worker i picks one of ``levels`` labour levels
  l = k/(levels − 1) · ``LABOUR_HEADROOM`` · l_i^fm, k = 0..levels−1, where l_i^fm is its exact
  free-market labour (so every worker's grid has the same resolution relative to what it would
  do untaxed). The planner picks, for each bracket, a rate from ``rate_grid`` (default 0, 10,
  ..., 100 %, the grid of the exact principal :func:`~theory.policy.principal.grid_search`).
- The Stackelberg order is two stages of one episode: at stage 0 the planner's action sets the
  rates (the workers' actions are checked but not used), at stage 1 the workers, who observe the
  rates, choose labour (the planner's action is checked but not used) and every agent is paid.
  This is the AI Economist's arrangement (every agent acts every step; the planner's action
  matters at the start of a tax period).
- Workers count their own share of the rebate (they are "Nash" in theory's sense): their
  consumption includes 1/N of their own tax, as in the simulation nothing else is possible.

Layout: :func:`labour_outcome` is the core, pure and batched over copies (arrays (C, N) and
(C, B)); :class:`LabourEconomyEnv` keeps one copy's state and calls the same core, so the two
cannot disagree. Learners (:mod:`dynamics.economy.learners`) and the trainer
(:mod:`dynamics.economy.training`) use the core directly.

Examples
--------
>>> from theory.policy.economy import PRESETS
>>> economy = LabourEconomy([1.0, 2.0], PRESETS["one_step"], [0, 1], levels=5)
>>> out = labour_outcome(economy, np.array([[4, 4]]), np.array([[0, 10]]))  # 0 % then 100 %
>>> out.income, out.tax, out.consumption
(array([[0.625, 2.5  ]]), array([[0. , 1.5]]), array([[1.375, 1.75 ]]))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from gymnasium import spaces
from numpy.typing import ArrayLike
from pettingzoo import ParallelEnv

from dynamics.errors import ActionError, ParameterError
from theory.policy.economy import Preferences, crra, follower_equilibrium
from theory.policy.principal import RATE_GRID
from theory.policy.tax import TaxSchedule, free_market
from theory.policy.welfare import OBJECTIVES, welfare_rows
from theory.typing import RealsLike

__all__ = [
    "LABOUR_HEADROOM",
    "LabourEconomy",
    "LabourOutcome",
    "labour_outcome",
    "LabourEconomyEnv",
]

#: The top of each worker's labour grid, in units of its free-market labour: taxes lower labour
#: when consumption is linear (η = 0) and an income effect (η > 0) raises it only a little, so
#: 25 % above the untaxed optimum leaves room without wasting levels.
LABOUR_HEADROOM = 1.25


@dataclass(frozen=True)
class LabourEconomy:
    """The one-step economy's fixed data: skills, preferences, cut-offs and the action grids.

    Parameters
    ----------
    skills : sequence of positive numbers, length N ≥ 2
    preferences : theory.policy.economy.Preferences
    cutoffs : sequence of numbers
        The brackets' lower ends (0 first, increasing), as :class:`TaxSchedule` takes them.
    levels : int ≥ 2, keyword-only
        Labour levels per worker (see the module docstring for the grid).
    rate_grid : sequence of rates in [0, 1], keyword-only
        The planner's choices per bracket; must contain 0 (the free market).
    objective : str, keyword-only
        The planner's welfare objective (a key of ``theory.policy.welfare.OBJECTIVES``).

    Attributes
    ----------
    labour_levels : ndarray (N, levels)
        The labour each worker's action index stands for.

    Raises
    ------
    ParameterError
        Skills not positive or fewer than two, rates outside [0, 1] or no 0 rate, fewer than two
        levels, an unknown objective, bad cut-offs.
    """

    skills: np.ndarray
    preferences: Preferences
    schedule: TaxSchedule
    rate_grid: np.ndarray
    labour_levels: np.ndarray
    objective: str

    def __init__(
        self,
        skills: ArrayLike,
        preferences: Preferences,
        cutoffs: RealsLike,
        *,
        levels: int = 41,
        rate_grid: RealsLike = RATE_GRID,
        objective: str = "eq_times_prod",
    ) -> None:
        w = np.asarray(skills, dtype=float)
        if w.ndim != 1 or len(w) < 2 or not np.all(np.isfinite(w)) or np.any(w <= 0):
            raise ParameterError(f"skills must be >= 2 positive finite numbers, got {skills!r}")
        if not isinstance(preferences, Preferences):
            raise ParameterError(f"preferences must be a Preferences, got {preferences!r}")
        try:
            schedule = free_market(cutoffs)
        except ValueError as err:
            raise ParameterError(f"cutoffs: {err}") from None
        g = np.asarray(rate_grid, dtype=float)
        if g.ndim != 1 or g.size == 0 or not np.all((g >= 0) & (g <= 1)):
            raise ParameterError(f"rate_grid must be rates in [0, 1], got {rate_grid!r}")
        if not np.any(g == 0):
            raise ParameterError("rate_grid must contain 0 (the free market of phase one)")
        if isinstance(levels, bool) or not isinstance(levels, int | np.integer) or levels < 2:
            raise ParameterError(f"levels must be an integer >= 2, got {levels!r}")
        if objective not in OBJECTIVES:
            raise ParameterError(f"unknown objective {objective!r}; known: {sorted(OBJECTIVES)}")
        free = follower_equilibrium(schedule, w, preferences).labour
        grid = np.linspace(0.0, 1.0, int(levels))[None, :] * (LABOUR_HEADROOM * free[:, None])
        for name, value in (
            ("skills", w),
            ("preferences", preferences),
            ("schedule", schedule),
            ("rate_grid", g),
            ("labour_levels", grid),
            ("objective", objective),
        ):
            object.__setattr__(self, name, value)

    @property
    def workers(self) -> int:
        """N, the number of workers."""
        return len(self.skills)

    @property
    def brackets(self) -> int:
        """B, the number of tax brackets."""
        return self.schedule.brackets

    @property
    def levels(self) -> int:
        """The number of labour levels per worker."""
        return int(self.labour_levels.shape[1])


@dataclass(frozen=True)
class LabourOutcome:
    """One stage-1 payout of C copies: arrays (C, N) per worker, ``rebate`` and ``welfare`` (C,).

    ``rates`` (C, B) are the rates the planner's actions stand for.
    """

    rates: np.ndarray
    labour: np.ndarray
    income: np.ndarray
    tax: np.ndarray
    rebate: np.ndarray
    consumption: np.ndarray
    utility: np.ndarray
    welfare: np.ndarray


def _check_actions(actions: Any, shape: tuple[int, int], high: int, name: str) -> np.ndarray:
    a = np.asarray(actions)
    if a.dtype == bool or not np.issubdtype(a.dtype, np.integer):
        raise ActionError(f"{name} must be integer action indices, got dtype {a.dtype}")
    if a.ndim != 2 or a.shape[1] != shape[1] or (shape[0] and a.shape[0] != shape[0]):
        want = f"({shape[0] or 'C'}, {shape[1]})"
        raise ActionError(f"{name} must have shape {want}, got {a.shape}")
    if a.size and (a.min() < 0 or a.max() >= high):
        raise ActionError(f"{name} must lie in [0, {high - 1}], got values {a.min()}..{a.max()}")
    return a.astype(np.intp, copy=False)


def _outcome(economy: LabourEconomy, labour: np.ndarray, rates: np.ndarray) -> LabourOutcome:
    """The payout for checked action indices (C, N) and (C, B)."""
    tau = economy.rate_grid[rates]
    l = np.take_along_axis(economy.labour_levels.T, labour, axis=0)  # (levels, N) -> (C, N)
    z = economy.skills * l
    T = np.einsum("cnb,cb->cn", economy.schedule.bracket_incomes(z), tau)
    rebate = T.mean(axis=1)
    c = z - T + rebate[:, None]
    p = economy.preferences
    with np.errstate(divide="ignore"):
        u = crra(c, p.eta) - p.kappa * l**p.gamma
    return LabourOutcome(tau, l, z, T, rebate, c, u, welfare_rows(c, economy.objective))


def labour_outcome(economy: LabourEconomy, labour: ArrayLike, rates: ArrayLike) -> LabourOutcome:
    """The workers' and the planner's payout in C copies at once.

    Parameters
    ----------
    economy : LabourEconomy
    labour : int array (C, N)
        Each worker's labour-level index.
    rates : int array (C, B)
        Each bracket's index into ``economy.rate_grid``.

    Raises
    ------
    ActionError
        Non-integer indices, indices out of range, or shapes that do not match.

    Examples
    --------
    >>> from theory.policy.economy import PRESETS
    >>> e = LabourEconomy([1.0, 2.0], PRESETS["one_step"], [0], levels=3)
    >>> out = labour_outcome(e, [[2, 0]], [[5]])
    >>> out.tax.sum() == out.rebate.sum() * 2, out.welfare
    (np.True_, array([0.3125]))
    """
    if not isinstance(economy, LabourEconomy):
        raise ParameterError(f"economy must be a LabourEconomy, got {type(economy).__name__}")
    a = _check_actions(labour, (0, economy.workers), economy.levels, "labour")
    r = _check_actions(rates, (a.shape[0], economy.brackets), len(economy.rate_grid), "rates")
    return _outcome(economy, a, r)


class LabourEconomyEnv(ParallelEnv):  # type: ignore[misc]
    """One copy of the one-step economy behind PettingZoo's ``ParallelEnv`` API.

    Agents ``worker_0 .. worker_{N−1}`` (``Discrete(levels)``: a labour level) and ``planner``
    (``MultiDiscrete([len(rate_grid)] * B)``: a rate index per bracket). An episode has two
    steps (stages): the planner's action at stage 0 sets the rates, the workers' at stage 1 set
    labour and everyone is paid (see the module docstring). Observations are float32 vectors:
    a worker sees (stage, its skill, the B rates: zeros before they are set), the planner sees
    (stage, the N skills).

    Examples
    --------
    >>> from theory.policy.economy import PRESETS
    >>> env = LabourEconomyEnv(LabourEconomy([1.0, 2.0], PRESETS["one_step"], [0], levels=3))
    >>> obs, infos = env.reset(seed=0)
    >>> _ = env.step({"worker_0": 0, "worker_1": 0, "planner": [5]})
    >>> labour = {"worker_0": 2, "worker_1": 0, "planner": [0]}
    >>> obs, rewards, terms, truncs, infos = env.step(labour)
    >>> round(float(rewards["planner"]), 4), all(terms.values()), env.agents
    (0.3125, True, [])
    """

    metadata = {"name": "labour_economy_v0", "render_modes": []}

    def __init__(self, economy: LabourEconomy) -> None:
        if not isinstance(economy, LabourEconomy):
            raise ParameterError(f"economy must be a LabourEconomy, got {type(economy).__name__}")
        self.economy = economy
        n, b = economy.workers, economy.brackets
        self.possible_agents = [f"worker_{i}" for i in range(n)] + ["planner"]
        self.agents: list[str] = []
        top = float(max(2.0, economy.skills.max()))  # the stage (0..2) and skills
        self._obs_spaces = {
            **{
                f"worker_{i}": spaces.Box(0.0, top, shape=(2 + b,), dtype=np.float32)
                for i in range(n)
            },
            "planner": spaces.Box(0.0, top, shape=(1 + n,), dtype=np.float32),
        }
        self._act_spaces = {
            **{f"worker_{i}": spaces.Discrete(economy.levels) for i in range(n)},
            "planner": spaces.MultiDiscrete([len(economy.rate_grid)] * b),
        }
        self._stage = 0
        self._rates = np.zeros((1, b), dtype=np.intp)
        self.last_outcome: LabourOutcome | None = None

    def observation_space(self, agent: str) -> spaces.Space:
        return self._obs_spaces[agent]

    def action_space(self, agent: str) -> spaces.Space:
        return self._act_spaces[agent]

    def _observe(self) -> dict[str, np.ndarray]:
        e = self.economy
        rates = e.rate_grid[self._rates[0]] if self._stage == 1 else np.zeros(e.brackets)
        obs = {
            f"worker_{i}": np.array([self._stage, e.skills[i], *rates], dtype=np.float32)
            for i in range(e.workers)
        }
        obs["planner"] = np.array([self._stage, *e.skills], dtype=np.float32)
        return obs

    def reset(
        self, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, np.ndarray], dict[str, dict[str, Any]]]:
        for k, agent in enumerate(self.possible_agents):
            if seed is not None:
                self._act_spaces[agent].seed(seed + k)
        self.agents = list(self.possible_agents)
        self._stage = 0
        self._rates = np.zeros((1, self.economy.brackets), dtype=np.intp)
        self.last_outcome = None
        return self._observe(), {a: {} for a in self.agents}

    def step(self, actions: dict[str, Any]) -> tuple[dict[str, Any], ...]:
        if not self.agents:
            raise ActionError("the episode is over: call reset() before step()")
        missing = sorted(set(self.agents) - set(actions))
        extra = sorted(set(actions) - set(self.agents))
        if missing or extra:
            raise ActionError(
                f"actions must name every live agent: missing {missing}, extra {extra}"
            )
        e = self.economy
        labour = _check_actions(
            [[_scalar(actions[f"worker_{i}"], f"worker_{i}") for i in range(e.workers)]],
            (1, e.workers),
            e.levels,
            "labour",
        )
        rates = _check_actions(
            np.asarray(actions["planner"]).reshape(1, -1),
            (1, e.brackets),
            len(e.rate_grid),
            "rates",
        )
        if self._stage == 0:
            self._rates = rates
            self._stage = 1
            zero = {a: 0.0 for a in self.agents}
            false = {a: False for a in self.agents}
            return self._observe(), zero, false, dict(false), {a: {} for a in self.agents}
        out = _outcome(e, labour, self._rates)
        self.last_outcome = out
        rewards = {f"worker_{i}": float(out.utility[0, i]) for i in range(e.workers)}
        rewards["planner"] = float(out.welfare[0])
        self._stage = 2
        obs = self._observe()
        done = {a: True for a in self.agents}
        infos: dict[str, dict[str, Any]] = {a: {} for a in self.agents}
        self.agents = []
        return obs, rewards, done, {a: False for a in done}, infos


def _scalar(action: Any, name: str) -> Any:
    a = np.asarray(action)
    if a.size != 1:
        raise ActionError(f"{name}'s action must be one labour index, got shape {a.shape}")
    return a.reshape(())[()]
