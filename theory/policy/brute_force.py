"""Brute-force checks of the followers' equilibrium, by a different algorithm than the exact one.

:func:`theory.policy.economy.follower_equilibria` finds each agent's best response bracket by
bracket from first-order conditions (closed forms or Newton, kinks compared). The brute force
here knows nothing of brackets or derivatives: it evaluates each agent's utility on a dense grid
of labour, using only the schedule's tax function and the utility, with the other agents' taxes
held at the equilibrium, and takes the grid argmax. If the exact equilibrium were not one (a
missed bracket, a wrong kink, a wrong rebate share), some agent's grid optimum would be far from
its equilibrium income.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from theory.errors import PolicyError
from theory.policy.economy import FollowerEquilibrium, Preferences, crra
from theory.policy.tax import TaxSchedule

__all__ = ["GRID_POINTS", "GridBestResponses", "grid_best_responses"]

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
