"""Brute-force checks of the followers' equilibrium, by a different algorithm than the exact one.

Two checks. :func:`grid_best_responses` tests one equilibrium agent by agent;
:func:`grid_follower_equilibria` finds every pure follower equilibrium of the economy on a
labour grid, so it also says whether the equilibrium is unique.

:func:`theory.policy.economy.follower_equilibria` finds each agent's best response bracket by
bracket from first-order conditions (closed forms or Newton, kinks compared). The brute force
here knows nothing of brackets or derivatives: it evaluates each agent's utility on a dense grid
of labour, using only the schedule's tax function and the utility, with the other agents' taxes
held at the equilibrium, and takes the grid argmax. If the exact equilibrium were not one (a
missed bracket, a wrong kink, a wrong rebate share), some agent's grid optimum would be far from
its equilibrium income.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from theory.errors import PolicyError
from theory.policy.economy import FollowerEquilibrium, Preferences, crra
from theory.policy.tax import TaxSchedule

__all__ = [
    "GRID_POINTS",
    "EQUILIBRIUM_GRID_POINTS",
    "GridBestResponses",
    "grid_best_responses",
    "GridEquilibria",
    "grid_follower_equilibria",
]

#: Labour grid points per agent: on [0, 1.5 l* + 1] the income spacing is about 1e-5 of the
#: range, far below any difference between brackets or kinks (coins of size 10..10^3).
GRID_POINTS = 100_001


@dataclass(frozen=True)
class GridBestResponses:
    """Each agent's best `income` and `labour` on the grid (shape (N,)), given the others'
    equilibrium taxes, and the largest grid `spacing` in income (coins)."""

    income: np.ndarray
    labour: np.ndarray
    spacing: float


def grid_best_responses(
    schedule: TaxSchedule,
    skills: ArrayLike,
    preferences: Preferences,
    equilibrium: FollowerEquilibrium,
    *,
    nash: bool = True,
    points: int = GRID_POINTS,
) -> GridBestResponses:
    """Each agent's utility-maximising labour on a grid of `points` on [0, 1.5 l_i + 1], the
    others' taxes held at `equilibrium` (Nash agents count 1/N of their own tax back).

    Raises
    ------
    PolicyError
        Skills not one positive number per agent of `equilibrium`, or fewer than 3 points.

    Examples
    --------
    >>> from theory.policy.economy import PRESETS, follower_equilibrium
    >>> from theory.policy.tax import us_federal_2018
    >>> p, w = PRESETS["one_step"], [10.0, 20.0]
    >>> eq = follower_equilibrium(us_federal_2018(), w, p)
    >>> bf = grid_best_responses(us_federal_2018(), w, p, eq, points=10_001)
    >>> bool(np.all(np.abs(bf.income - eq.income) <= 2 * bf.spacing))
    True
    """
    w = np.asarray(skills, dtype=float)
    n = len(equilibrium.income)
    if w.shape != (n,) or not np.all(w > 0):
        raise PolicyError(f"skills must be {n} positive numbers, got {w.tolist()}")
    if isinstance(points, bool) or not isinstance(points, int) or points < 3:
        raise PolicyError(f"points must be an integer >= 3, got {points!r}")
    share = 1.0 / n if nash else 0.0
    z_out, l_out, spacing = np.empty(n), np.empty(n), 0.0
    for i in range(n):
        grid = np.linspace(0.0, 1.5 * float(equilibrium.labour[i]) + 1.0, points)
        z = w[i] * grid
        T = schedule.taxes(z)
        others = (float(equilibrium.tax.sum()) - float(equilibrium.tax[i])) / n
        c = z - T + share * T + others
        u = crra(c, preferences.eta) - preferences.kappa * grid**preferences.gamma
        k = int(np.argmax(u))
        z_out[i], l_out[i] = z[k], grid[k]
        spacing = max(spacing, float(w[i] * grid[1]))
    return GridBestResponses(z_out, l_out, spacing)


#: Labour levels per agent in :func:`grid_follower_equilibria`'s default grid: the work grows
#: with N · points² (every pair of levels of every agent), 201 points take ~0.1 s for N = 4.
EQUILIBRIUM_GRID_POINTS = 201
#: Bisection steps for the rebate at which an agent is indifferent between two labour levels:
#: 2^-64 of the rebate range is below a double's resolution.
_BISECTION_STEPS = 64
#: Relative slack (of the rebate range, and of the utilities' scale in the final check) that
#: absorbs float rounding at an interval's end: an equilibrium whose rebate sits within this of
#: an indifference point is found, and then verified directly.
_SLACK = 1e-9


@dataclass(frozen=True)
class GridEquilibria:
    """Every pure follower equilibrium on a labour grid (see :func:`grid_follower_equilibria`).

    ``profiles`` holds each equilibrium as the agents' grid indices; ``labour`` and ``income``
    the same as arrays of shape (M, N); ``grid`` each agent's labour levels (added ones
    included), shape (N, G);
    ``spacing`` the largest income step of the grid (coins); ``at_top`` whether some
    equilibrium has an agent at its grid's largest level (the grid may then be too short);
    ``cells`` the number of rebate cells swept. ``len`` and iteration go over ``profiles``.
    """

    profiles: tuple[tuple[int, ...], ...]
    labour: np.ndarray
    income: np.ndarray
    grid: np.ndarray
    spacing: float
    at_top: bool
    cells: int

    def __len__(self) -> int:
        return len(self.profiles)

    def __iter__(self) -> Iterator[tuple[int, ...]]:
        return iter(self.profiles)


def grid_follower_equilibria(
    schedule: TaxSchedule,
    skills: ArrayLike,
    preferences: Preferences,
    *,
    labour_max: ArrayLike,
    nash: bool = True,
    points: int = EQUILIBRIUM_GRID_POINTS,
    levels: ArrayLike | None = None,
) -> GridEquilibria:
    """Every pure follower equilibrium when each agent's labour is one of `points` levels on
    [0, labour_max_i], found exactly through the rebate.

    An equilibrium is a profile of levels in which no agent gains by moving to another level of
    its grid, the others' levels fixed. The search uses only the schedule's tax function and the
    utility (no brackets, derivatives or iteration), and is exhaustive.

    **Why it finds every equilibrium.** Write θ = 1/N for Nash agents (0 for price-taking ones),
    T_i(a) = T(w_i l_a) for agent i at level a and S = Σ_j T_j(a_j) the total tax. Agent i's
    consumption is n_i(a) + E_i with n_i(a) = w_i l_a − (1 − θ) T_i(a) and
    E_i = S/N − θ T_i(a_i), which does not change when agent i alone deviates (it is the others'
    rebate for Nash agents, the rebate taken as given otherwise). So agent i's payoffs depend on
    the others only through the scalar E_i.

    1. For two levels a, b the set of E where u_i(a; E) ≥ u_i(b; E) is a half-line, all
       E, or none: u_i(a; E) − u_i(b; E) = crra(n_i(a) + E) − crra(n_i(b) + E) − κ(l_a^γ − l_b^γ),
       and since crra is concave (linear at η = 0) the first difference is monotone in E
       (non-increasing if n_i(a) > n_i(b), non-decreasing if n_i(a) < n_i(b), constant if equal).
    2. Hence the set J_i(a) of E at which a is a best response (the intersection over b) is an
       interval; its ends are indifference points, found by bisection on the monotone
       difference.
    3. Level a is consistent with a total tax S iff S/N − θ T_i(a) ∈ J_i(a), i.e. S lies in the
       interval K_i(a) = N (J_i(a) + θ T_i(a)). A profile is an equilibrium iff its own total
       S = Σ_j T_j(a_j) lies in every K_i(a_i).
    4. Sort all the ends of all the K_i(a); they cut the line into cells (each end, and each
       open gap between neighbouring ends). On a cell the consistent levels
       C_i = {a : K_i(a) ⊇ cell} do not change, and every K_i(a) that meets a cell contains
       it. An equilibrium's S lies in exactly one cell, with a_i ∈ C_i(cell) for every i; so
       enumerating, cell by cell, the profiles of ∏ C_i(cell) whose total tax falls in the
       cell finds every equilibrium, each once.

    Each profile found is then checked directly (every agent's utility at its level against
    every other level of its grid, at its E_i), so a wrong interval could only lose an
    equilibrium, never add one; intervals are widened by a relative 1e-9 so that float rounding
    at an end loses none. The work is O(N · points²) for the intervals plus the cells' (small)
    products.

    Parameters
    ----------
    schedule : TaxSchedule
        The tax schedule (rates in [0, 1]).
    skills : array_like
        w_i, one positive number per agent (at least two agents).
    preferences : Preferences
        The agents' utility.
    labour_max : array_like
        Each agent's largest labour level (one positive number per agent).
    nash : bool
        Agents count their own 1/N rebate share (as :func:`follower_equilibrium`).
    points : int
        Levels per agent, at least 2.
    levels : array_like, optional
        Labour levels added to the grids, shape (N,) or (N, K): agent i's row joins its grid
        (each in [0, labour_max_i]). Adding a candidate equilibrium (or the kinks) lets it
        compete with the grid on equal terms: a profile is then found iff no agent gains by
        moving to any level of its grid, the added ones included.

    Returns
    -------
    GridEquilibria

    Raises
    ------
    PolicyError
        Skills or `labour_max` not one positive number per agent, fewer than two agents,
        `points` not an integer >= 2, or `levels` not one row of finite levels in
        [0, labour_max_i] per agent.

    Examples
    --------
    >>> from theory.policy.economy import PRESETS
    >>> from theory.policy.tax import us_federal_2018
    >>> eqs = grid_follower_equilibria(
    ...     us_federal_2018(), [10.0, 20.0], PRESETS["one_step"], labour_max=[10.0, 20.0]
    ... )
    >>> len(eqs), eqs.income.round(1).tolist()
    (1, [[44.5, 168.0]])
    """
    w = np.asarray(skills, dtype=float)
    top = np.asarray(labour_max, dtype=float)
    if w.ndim != 1 or len(w) < 2 or not np.all(np.isfinite(w) & (w > 0)):
        raise PolicyError(f"skills must be >= 2 positive numbers, got {np.ravel(w).tolist()}")
    if top.shape != w.shape or not np.all(np.isfinite(top) & (top > 0)):
        raise PolicyError(
            f"labour_max must be {len(w)} positive numbers (one per agent), got "
            f"{np.ravel(top).tolist()}"
        )
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise PolicyError(f"points must be an integer >= 2, got {points!r}")
    if not isinstance(schedule, TaxSchedule):
        raise PolicyError(f"schedule must be a TaxSchedule, got {type(schedule).__name__}")
    n = len(w)
    theta = 1.0 / n if nash else 0.0
    rows = np.arange(n)
    grid = np.linspace(0.0, 1.0, points)[None, :] * top[:, None]  # (N, G)
    if levels is not None:
        add = np.asarray(levels, dtype=float)
        add = add[:, None] if add.ndim == 1 else add
        if (
            add.ndim != 2
            or add.shape[0] != n
            or not np.all(np.isfinite(add) & (add >= 0) & (add <= top[:, None]))
        ):
            raise PolicyError(
                f"levels must be {n} rows (one per agent) of labour levels in [0, labour_max_i], "
                f"got {np.asarray(levels).tolist()}"
            )
        grid = np.sort(np.concatenate([grid, add], axis=1), axis=1)
    z = w[:, None] * grid
    T = np.asarray(schedule.taxes(z.ravel()), dtype=float).reshape(z.shape)
    net = z - (1.0 - theta) * T
    cost = preferences.kappa * grid**preferences.gamma
    # E_i = S/N − θ T_i ranges over [0, e_hi]: taxes are >= 0 and each at most its maximum
    e_hi = float(T.max(axis=1).sum()) / n
    slack = _SLACK * max(e_hi, 1.0)
    lo, hi = _best_response_intervals(net, cost, preferences.eta, e_hi)
    # K_i(a) = N (J_i(a) + θ T_i(a)), widened by the slack; empty where lo > hi
    ok = lo <= hi
    k_lo = n * (lo - slack + theta * T)
    k_hi = n * (hi + slack + theta * T)
    ends = np.unique(np.concatenate([k_lo[ok], k_hi[ok]]))
    # cells: each end (a point) and each open gap between neighbours, as [left, right]
    left = np.concatenate([ends, ends[:-1]])
    right = np.concatenate([ends, ends[1:]])
    point = np.arange(left.size) < ends.size
    found: set[tuple[int, ...]] = set()
    for c in range(left.size):
        members = [
            np.flatnonzero(ok[i] & (k_lo[i] <= left[c]) & (k_hi[i] >= right[c])) for i in range(n)
        ]
        if any(m.size == 0 for m in members):
            continue
        for prof in itertools.product(*members):
            S = float(sum(T[i, a] for i, a in enumerate(prof)))
            inside = S == left[c] if point[c] else left[c] < S < right[c]
            if inside or (point[c] and abs(S - left[c]) <= n * slack):
                found.add(tuple(int(a) for a in prof))
    # an added level equal to a grid level gives the same profile twice: keep the first index
    unique: dict[tuple[float, ...], tuple[int, ...]] = {}
    for cand in sorted(found):
        if _is_equilibrium(cand, net, cost, T, theta, preferences):
            unique.setdefault(tuple(grid[rows, list(cand)].tolist()), cand)
    profiles = tuple(unique.values())
    idx = np.array(profiles, dtype=int).reshape(len(profiles), n)
    labour = grid[rows[None, :], idx] if profiles else np.empty((0, n))
    return GridEquilibria(
        profiles=profiles,
        labour=labour,
        income=labour * w[None, :],
        grid=grid,
        spacing=float(np.max(w * top) / (points - 1)),
        at_top=bool(np.any(labour >= top[None, :])),
        cells=int(left.size),
    )


def _utility(net: np.ndarray, E: np.ndarray, cost: np.ndarray, eta: float) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        u = crra(np.maximum(net + E, 0.0), eta) - cost
    return np.where(np.isnan(u), -np.inf, u)


def _utility_gap(
    na: np.ndarray, nb: np.ndarray, ka: np.ndarray, kb: np.ndarray, E: np.ndarray, eta: float
) -> np.ndarray:
    """u(a; E) − u(b; E) for levels with net incomes na, nb and labour costs ka, kb."""
    with np.errstate(invalid="ignore"):
        du = _utility(na, E, ka, eta) - _utility(nb, E, kb, eta)
    return np.where(np.isnan(du), 0.0, du)  # -inf − -inf: both levels starve alike


def _best_response_intervals(
    net: np.ndarray, cost: np.ndarray, eta: float, e_hi: float
) -> tuple[np.ndarray, np.ndarray]:
    """J_i(a) = [lo, hi] ⊆ [0, e_hi] where level a is a best response (lo > hi: never)."""
    n, g = net.shape
    lo, hi = np.zeros((n, g)), np.full((n, g), e_hi)
    for i in range(n):
        na, nb = net[i][:, None], net[i][None, :]  # (a, b) pairs
        ka, kb = cost[i][:, None], cost[i][None, :]

        def diff(E: np.ndarray) -> np.ndarray:
            return _utility_gap(na, nb, ka, kb, E, eta)  # noqa: B023 (used in this iteration)

        f0 = diff(np.zeros((g, g)))
        f1 = diff(np.full((g, g), e_hi))
        # a beats b on [0, e*] (a earns more net: f falls) or [e*, e_hi] (f rises); where f
        # keeps one sign on [0, e_hi] the pair gives all or nothing
        falls = na > nb
        never = (f0 < 0) & (f1 < 0)
        always = (f0 >= 0) & (f1 >= 0)
        cross = ~(never | always)
        a_lo, a_hi = np.zeros((g, g)), np.full((g, g), e_hi)
        if np.any(cross):
            x0, x1 = np.zeros((g, g)), np.full((g, g), e_hi)
            for _ in range(_BISECTION_STEPS):
                mid = 0.5 * (x0 + x1)
                good = diff(mid) >= 0
                # keep the half that holds the sign change: for falling f, [good, bad]
                left_good = np.where(falls, good, ~good)
                x0 = np.where(left_good, mid, x0)
                x1 = np.where(left_good, x1, mid)
            a_hi = np.where(cross & falls, x0, a_hi)
            a_lo = np.where(cross & ~falls, x1, a_lo)
        a_lo = np.where(never, np.inf, a_lo)
        lo[i] = a_lo.max(axis=1)
        hi[i] = a_hi.min(axis=1)
    return lo, hi


def _is_equilibrium(
    prof: tuple[int, ...],
    net: np.ndarray,
    cost: np.ndarray,
    T: np.ndarray,
    theta: float,
    preferences: Preferences,
) -> bool:
    """Direct check: no agent gains more than float noise by moving to another grid level."""
    n = net.shape[0]
    idx = np.array(prof)
    rows = np.arange(n)
    S = float(T[rows, idx].sum())
    # (S − θN T_i)/N: for Nash agents the others' taxes only, exactly 0 when they pay none
    E = (S - theta * n * T[rows, idx]) / n
    u = _utility(net, E[:, None], cost, preferences.eta)  # (N, G)
    best = u.max(axis=1)
    # float noise relative to each agent's best utility (never to a starving level's -1e15)
    return bool(np.all(u[rows, idx] >= best - _SLACK * np.maximum(1.0, np.abs(best))))
