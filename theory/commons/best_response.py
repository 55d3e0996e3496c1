"""Numerical best responses in the typed commons: a check of the exact equilibria that never uses
their closed-form marginal coefficients.

:func:`numerical_best_response` maximises one agent's reward
(:func:`theory.commons.types.harvester_rewards`) over its own effort with a bounded scalar
optimiser (the corner 0 is a candidate too); :func:`best_response_dynamics` runs sequential
best responses from random starting profiles until no effort moves. The exact active-set
enumeration (:func:`theory.commons.types.steady_state_nash`) and these may disagree only if one
of them is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from theory.commons.errors import CommonsError
from theory.commons.model import HarvestCommons
from theory.commons.types import HarvesterTypes, as_harvester_types, harvester_rewards
from theory.typing import RealLike, RealsLike, Seed

__all__ = [
    "BEST_RESPONSE_XATOL",
    "BestResponseRun",
    "numerical_best_response",
    "best_response_dynamics",
]

#: The scalar optimiser's tolerance on an effort (units of r/q = 1): far below the 1e-6 at which
#: callers match profiles, far above double rounding of rewards of size <= K.
BEST_RESPONSE_XATOL = 1e-10


@dataclass(frozen=True)
class BestResponseRun:
    """Where sequential best responses from `starts` random profiles stopped: `ends` (one
    profile, shape (N,), per start whose sweep moved no effort by more than `move_atol`)."""

    ends: tuple[np.ndarray, ...]
    starts: int
    move_atol: float

    def __len__(self) -> int:
        return len(self.ends)


def numerical_best_response(
    commons: HarvestCommons,
    types: HarvesterTypes,
    profile: RealsLike,
    agent: int,
    tax: RealLike = 0,
) -> float:
    """Agent `agent`'s reward-maximising effort in [0, r/q], the others' efforts as in `profile`.

    Examples
    --------
    >>> from theory.commons.types import HarvesterType
    >>> m = HarvestCommons(1, 100, 1, 10)
    >>> round(numerical_best_response(m, [HarvesterType(1, 1)], [0.3], 0), 6)  # (1 − c/qK)/2
    0.45
    """
    e = np.array(profile, dtype=float)
    n = len(as_harvester_types(types))
    if e.shape != (n,) or not 0 <= agent < n:
        raise CommonsError(f"profile must have {n} efforts and agent lie in 0..{n - 1}")

    def loss(x: float) -> float:
        e[agent] = x
        return -float(harvester_rewards(commons, types, e, tax)[agent])

    upper = float(commons.r / commons.q)
    res = minimize_scalar(
        loss, bounds=(0.0, upper), method="bounded", options={"xatol": BEST_RESPONSE_XATOL}
    )
    best = float(res.x)
    return 0.0 if loss(0.0) <= loss(best) else best  # the corner is a candidate too


def best_response_dynamics(
    commons: HarvestCommons,
    types: HarvesterTypes,
    tax: RealLike = 0,
    *,
    starts: int = 12,
    sweeps: int = 400,
    move_atol: float = 1e-9,
    rng: Seed = None,
) -> BestResponseRun:
    """Sequential best responses (agents in order, each sweep) from `starts` profiles uniform on
    [0, r/(2q)]^N; a start ends when a sweep moves no effort by more than `move_atol`, or is
    dropped after `sweeps` sweeps.

    Examples
    --------
    >>> from theory.commons.types import HarvesterType
    >>> m = HarvestCommons(1, 100, 1, 10)
    >>> run = best_response_dynamics(m, [HarvesterType(1, 1)] * 2, starts=2, rng=0)
    >>> len(run), [round(float(v), 6) for v in run.ends[0]]  # Cournot: (1 − γ)/(N + 1) each
    (2, [0.3, 0.3])
    """
    gen = np.random.default_rng(rng)
    n = len(as_harvester_types(types))
    if isinstance(starts, bool) or not isinstance(starts, int) or starts < 1:
        raise CommonsError(f"starts must be a positive integer, got {starts!r}")
    ends = []
    for _ in range(starts):
        profile = gen.uniform(0, 0.5 * float(commons.r / commons.q), n)
        for _ in range(sweeps):
            old = profile.copy()
            for i in range(n):
                profile[i] = numerical_best_response(commons, types, profile, i, tax)
            if np.max(np.abs(profile - old)) < move_atol:
                ends.append(profile)
                break
    return BestResponseRun(tuple(ends), starts, move_atol)
