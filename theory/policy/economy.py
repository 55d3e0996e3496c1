"""The taxed labour economy as the followers' game of a Stackelberg principal.

N agents with skills w_i choose labour l_i ≥ 0; income z_i = w_i l_i; consumption
c_i = z_i − T(z_i) + R with the equal rebate R = (1/N) Σ_j T(z_j); utility
u_i = crra_η(c_i) − κ l_i^γ with crra_η(c) = (c^(1−η) − 1)/(1 − η) (log c at η = 1).

Modelling choices, named:

- Agents are ``nash`` (each counts the 1/N of its own tax that comes back to it, so its effective
  marginal rate is τ_b (1 − 1/N)) or price-taking (``nash=False``: the rebate is taken as given,
  the N → ∞ limit).
- One tax period, no savings, no trade: the AI Economist's gather-and-build world is replaced by
  this one-good labour-supply economy (its "one-step economy" uses η = 0, κ = 1, γ = 2).
- Skills: :func:`calibrate_skills` picks w_i so that the free-market incomes are given numbers;
  the default (:data:`DEFAULT_INCOMES`) is N = 4 agents, as in the AI Economist, with free-market
  incomes geometric from 25 to 400 coins (25, 63, 159, 400: equality 0.37, close to the AI
  Economist's free-market 39 %), spanning the US brackets 2 to 6.

The best response is exact up to float rounding: within bracket b, c is linear in l and u is
concave, so the bracket's optimum is its stationary point clipped to the bracket (closed forms
for γ = 1 or η = 0, bisection on the decreasing derivative otherwise); every bracket's optimum
(kinks included, so bunching at cut-offs is found) is compared and the best kept. The
equilibrium iterates the rebate to a fixed point and reports its residual and the KKT residual.
When rates fall with income the best response can jump between brackets as the rebate moves;
the (damped) iteration may then cycle: that is reported (``converged=False``), never hidden.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from theory._numbers import vector
from theory.errors import PolicyError, PolicyTypeError
from theory.policy.tax import TaxSchedule, free_market
from theory.typing import RealsLike

#: The errors this module raises for a bad number (see theory._numbers).
_ERRORS = (PolicyTypeError, PolicyError)

__all__ = [
    "Preferences",
    "PRESETS",
    "crra",
    "DEFAULT_INCOMES",
    "INCOME_RANGE",
    "calibrate_skills",
    "FollowerEquilibrium",
    "FollowerEquilibria",
    "follower_equilibrium",
    "follower_equilibria",
    "income_elasticity",
]


@dataclass(frozen=True)
class Preferences:
    """crra_η(c) − κ l^γ: curvature η ≥ 0 of consumption utility, labour cost κ > 0, γ ≥ 1.

    γ = 1 with η = 0 (linear in both) has no interior optimum and is rejected.

    Examples
    --------
    >>> PRESETS["ai_economist"]
    Preferences(eta=0.23, kappa=0.21, gamma=1.0)
    """

    eta: float
    kappa: float
    gamma: float

    def __post_init__(self) -> None:
        for name in ("eta", "kappa", "gamma"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise PolicyError(f"{name} must be a finite real number, got {v!r}")
            object.__setattr__(self, name, float(v))
        if self.eta < 0:
            raise PolicyError(f"eta must be >= 0, got {self.eta}")
        if self.kappa <= 0:
            raise PolicyError(f"kappa must be > 0, got {self.kappa}")
        if self.gamma < 1:
            raise PolicyError(f"gamma must be >= 1 (convex labour cost), got {self.gamma}")
        if self.eta == 0 and self.gamma == 1:
            raise PolicyError("eta = 0 with gamma = 1 is linear in c and l: no optimum")


PRESETS: dict[str, Preferences] = {
    "ai_economist": Preferences(0.23, 0.21, 1.0),
    "one_step": Preferences(0.0, 1.0, 2.0),
    "mix": Preferences(0.23, 1.0, 2.0),
}
"""The AI Economist's agents (η = 0.23, κ = 0.21, γ = 1), its one-step economy (η = 0, κ = 1,
γ = 2), and a mix (the AI Economist's curvature with the one-step quadratic labour cost)."""

DEFAULT_INCOMES: tuple[float, ...] = (25.0, 25.0 * 16 ** (1 / 3), 25.0 * 16 ** (2 / 3), 400.0)
"""Free-market incomes of the default 4 agents, geometric from 25 to 400 coins."""


#: Free-market incomes (coins) that :func:`calibrate_skills` accepts: wide enough for any economy
#: (the defaults are 25..400), narrow enough that skills, utilities and the squares in the
#: equality index stay finite in floats (1e-20 or 1e300 overflow; 1e308 gave NaN).
INCOME_RANGE = (1e-12, 1e100)


def crra(c: RealsLike, eta: float) -> np.ndarray:
    """(c^(1−η) − 1)/(1 − η), and log c at η = 1 (elementwise; −inf at c = 0 for η ≥ 1).

    The AI Economist's η = 1 branch calls ``np.max(1, c)`` where ``np.maximum`` was meant; here
    the log branch is the limit of the power branch (checked in the tests).

    Examples
    --------
    >>> crra([1.0, np.e], 1.0)
    array([0., 1.])
    >>> crra([4.0], 0.5)
    array([2.])
    """
    x = np.asarray(c, dtype=float)
    with np.errstate(divide="ignore"):
        if eta == 1:
            return np.log(x)
        return (np.power(x, 1.0 - eta) - 1.0) / (1.0 - eta)


def _marginal_crra(c: np.ndarray, eta: float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.power(c, -eta) if eta > 0 else np.ones_like(c)


def calibrate_skills(incomes: RealsLike, preferences: Preferences) -> np.ndarray:
    """Skills w_i whose free-market (untaxed) incomes are ``incomes``: from the first-order
    condition z^(−η) w = κγ (z/w)^(γ−1), w = (κγ z^(γ−1+η))^(1/γ).

    Examples
    --------
    >>> calibrate_skills([1.0], PRESETS["ai_economist"])
    array([0.21])
    """
    low, high = INCOME_RANGE
    values = list(vector(incomes, "incomes", errors=_ERRORS))
    if any(v <= 0 for v in values):
        raise PolicyError(f"incomes must be positive, got {[float(v) for v in values]}")
    for i, v in enumerate(values):  # compared before any float conversion: 10**400 stays exact
        if not low <= v <= high:
            side = f"above {high:g}" if v > high else f"below {low:g}"
            raise PolicyError(
                f"incomes must lie in [{low:g}, {high:g}] coins: agent {i}'s income is {side} "
                "(beyond, the model's powers and squares of incomes overflow floats)"
            )
    z = np.asarray(values, dtype=float)
    p = preferences
    return (p.kappa * p.gamma * z ** (p.gamma - 1 + p.eta)) ** (1 / p.gamma)


def _bracket_optimum(
    w: np.ndarray, s: np.ndarray, A: np.ndarray, lo: np.ndarray, hi: np.ndarray, p: Preferences
) -> np.ndarray:
    """argmax of crra(s w l + A) − κ l^γ over l ∈ [lo, hi] (all arrays broadcast together)."""

    def deriv(l: np.ndarray) -> np.ndarray:
        c = np.maximum(s * w * l + A, 0.0)
        with np.errstate(invalid="ignore"):
            return _marginal_crra(c, p.eta) * s * w - p.kappa * p.gamma * l ** (p.gamma - 1)

    def newton_ratio(l: np.ndarray, dl: np.ndarray) -> np.ndarray:
        # deriv(l) = dl over its slope, both multiplied by c^(η+1), so that no power of a small
        # consumption overflows (the slope alone holds c^(−η−1)); the numerator is dl itself, so
        # the step has its sign. NaN where c ≤ 0: no derivative there, the Newton bisects.
        c = s * w * l + A
        positive = c > 0
        scale = np.where(positive, c, 1.0) ** (p.eta + 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            cost = p.kappa * p.gamma * (p.gamma - 1) * l ** (p.gamma - 2) if p.gamma != 1 else 0.0
            slope = -p.eta * (s * w) ** 2 - cost * scale
            return np.where(positive, dl * scale / slope, np.nan)

    sw = s * w
    with np.errstate(divide="ignore", invalid="ignore"):
        if p.gamma == 1:  # c* = (s w / κ)^(1/η)
            root = ((sw / p.kappa) ** (1 / p.eta) - A) / sw
        elif p.eta == 0:  # s w = κγ l^(γ−1)
            root = (sw / (p.kappa * p.gamma)) ** (1 / (p.gamma - 1))
        else:
            a = lo.copy() * np.ones_like(sw)
            b = np.where(np.isfinite(hi), hi, np.maximum(2 * a, 1.0))
            for _ in range(200):  # grow the top bracket's bound until the derivative is negative
                grow = np.isinf(hi) & (deriv(b) > 0)
                if not grow.any():
                    break
                b = np.where(grow, 2 * b, b)
            root = _safeguarded_newton(deriv, newton_ratio, a, b)
    root = np.where(sw > 0, root, lo)  # a 100 % effective rate: no reason to work
    root = np.where(np.isnan(root), lo, root)
    return np.clip(root, lo, hi)


def _safeguarded_newton(
    f: Any, ratio: Any, a: np.ndarray, b: np.ndarray, *, max_steps: int = 100
) -> np.ndarray:
    """Root of a decreasing f on [a, b] (f(a) > 0 > f(b) where a root is inside): Newton steps
    x − ratio(x, f(x)), where ratio = f/f′ (NaN where f′ is undefined), replaced by bisection
    whenever they leave the current bracket or are undefined; the bracket shrinks every
    step, so this never does worse than bisection. Stops when every step is below
    NEWTON_RTOL (relative) or f vanishes."""
    edge_lo, edge_hi = f(a) <= 0, f(b) >= 0  # no interior root: the answer is an end point
    frozen = edge_lo | edge_hi
    x = 0.5 * (a + b)
    for _ in range(max_steps):
        fx = f(x)
        up = fx > 0
        a, b = np.where(up, x, a), np.where(up, b, x)
        step = x - ratio(x, fx)
        ok = np.isfinite(step) & (step >= a) & (step <= b)
        new = np.where(ok, step, 0.5 * (a + b))
        small = np.abs(new - x) <= NEWTON_RTOL * np.maximum(1.0, np.abs(x))
        x = np.where(frozen | (fx == 0), x, new)  # f(x) = 0: x is the root, keep it
        frozen = frozen | small | (fx == 0) | ~np.isfinite(fx)  # converged: stop moving
        if frozen.all():
            break
    return np.where(edge_lo, a, np.where(edge_hi, b, x))


NEWTON_RTOL = 1e-15
"""Relative Newton step below which the labour root counts as resolved (~5 float64 ulps)."""


def _best_response(
    w: np.ndarray, cut: np.ndarray, rates: np.ndarray, E: np.ndarray, theta: float, p: Preferences
) -> tuple[np.ndarray, np.ndarray]:
    """Best labour of each agent, shapes: w (N,), cut (B,), rates (K, B), E (K, N) -> (K, N)."""
    lo_z = cut
    hi_z = np.append(cut[1:], np.inf)
    T_at = np.concatenate(
        [np.zeros((rates.shape[0], 1)), np.cumsum(rates[:, :-1] * np.diff(cut), axis=1)], axis=1
    )
    k = rates * cut - T_at  # T(z) = τ_b z − k_b on bracket b
    s = 1.0 - (1.0 - theta) * rates  # (K, B)
    A = (1.0 - theta) * k[:, None, :] + E[:, :, None]  # (K, N, B)
    W = w[None, :, None]
    lo = lo_z[None, None, :] / W
    hi = hi_z[None, None, :] / W
    l = _bracket_optimum(W, s[:, None, :], A, lo, hi, p)
    c = s[:, None, :] * W * l + A
    with np.errstate(invalid="ignore"):
        u = crra(np.maximum(c, 0.0), p.eta) - p.kappa * l**p.gamma
    u = np.where(np.isnan(u), -np.inf, u)
    best = np.argmax(u, axis=2)  # first maximum: the lowest bracket on a tie
    return np.take_along_axis(l, best[..., None], axis=2)[..., 0], u.max(axis=2)


def _taxes(z: np.ndarray, cut: np.ndarray, rates: np.ndarray) -> np.ndarray:
    width = np.clip(z[..., None] - cut, 0.0, np.append(np.diff(cut), np.inf))
    return np.einsum("knb,kb->kn", width, rates)


KINK_RTOL = 1e-9
"""Relative distance to a cut-off below which an income counts as bunched at the kink."""


def _kkt(l, w, cut, rates, E, theta, p) -> np.ndarray:  # type: ignore[no-untyped-def]
    """max(0, −g'_−(l), g'_+(l)) at each agent's labour (|g'| inside a bracket)."""
    z = w * l
    T = _taxes(z, cut, rates)
    c = z - (1 - theta) * T + E
    B = len(cut)
    right = np.clip(np.searchsorted(cut, z, side="right") - 1, 0, B - 1)
    # an income within KINK_RTOL of a cut-off sits at the kink: w·(m_b/w) need not round to m_b
    near = np.argmin(np.abs(z[..., None] - cut), axis=-1)
    kink = (near > 0) & (np.abs(z - cut[near]) <= KINK_RTOL * np.maximum(1.0, cut[near]))
    right = np.where(kink, near, right)
    left = np.where(kink, near - 1, right)
    tr = np.take_along_axis(rates, right, axis=1)
    tl = np.take_along_axis(rates, left, axis=1)
    mu = _marginal_crra(np.maximum(c, 0.0), p.eta)
    cost = p.kappa * p.gamma * l ** (p.gamma - 1)
    sr, sl = 1 - (1 - theta) * tr, 1 - (1 - theta) * tl
    with np.errstate(invalid="ignore"):  # a 100 % effective rate gains nothing, even at c = 0
        g_plus = np.where(sr > 0, mu * sr * w, 0.0) - cost
        g_minus = np.where(sl > 0, mu * sl * w, 0.0) - cost
    g_minus = np.where(l > 0, g_minus, np.inf)  # no left derivative at l = 0
    scale = np.maximum(cost, mu * w)
    return np.maximum(0.0, np.maximum(-g_minus, g_plus)) / np.where(scale > 0, scale, 1.0)


@dataclass(frozen=True)
class FollowerEquilibrium:
    """The followers' equilibrium under one schedule (arrays have one entry per agent).

    ``fixed_point_residual`` is max ``|ΔR|`` of the last rebate update (coins); ``kkt_residual`` the
    largest first-order violation max(0, −g'_−, g'_+) relative to the marginal labour cost.
    """

    labour: np.ndarray
    income: np.ndarray
    tax: np.ndarray
    rebate: float
    consumption: np.ndarray
    utility: np.ndarray
    iterations: int
    converged: bool
    fixed_point_residual: float
    kkt_residual: float


@dataclass(frozen=True)
class FollowerEquilibria:
    """The followers' equilibria under K schedules at once (see :func:`follower_equilibria`).

    ``labour``, ``income``, ``tax``, ``consumption``, ``utility`` have shape (K, N);
    ``rebate``, ``converged``, ``fixed_point_residual``, ``kkt_residual`` shape (K,);
    ``iterations`` is the number of rebate updates done (shared by the batch). ``len``,
    indexing and iteration give each schedule's :class:`FollowerEquilibrium`.
    """

    labour: np.ndarray
    income: np.ndarray
    tax: np.ndarray
    consumption: np.ndarray
    utility: np.ndarray
    rebate: np.ndarray
    converged: np.ndarray
    fixed_point_residual: np.ndarray
    kkt_residual: np.ndarray
    iterations: int

    def __len__(self) -> int:
        return int(self.labour.shape[0])

    def __getitem__(self, k: int) -> FollowerEquilibrium:
        return FollowerEquilibrium(
            labour=self.labour[k],
            income=self.income[k],
            tax=self.tax[k],
            rebate=float(self.rebate[k]),
            consumption=self.consumption[k],
            utility=self.utility[k],
            iterations=self.iterations,
            converged=bool(self.converged[k]),
            fixed_point_residual=float(self.fixed_point_residual[k]),
            kkt_residual=float(self.kkt_residual[k]),
        )

    def __iter__(self) -> Iterator[FollowerEquilibrium]:
        return (self[k] for k in range(len(self)))


def income_elasticity(
    skills: ArrayLike, preferences: Preferences, *, rate: float = 0.0, h: float = 1e-4
) -> float:
    """e = d ln Σz / d ln(1 − τ) under a flat rate τ with the rebate held fixed at 0 (price-taking,
    uncompensated), by a central difference of step ``h`` in ln(1 − τ).

    Closed forms (checked in the tests): 1/η − 1 for γ = 1, 1/(γ − 1) for η = 0.

    Examples
    --------
    >>> round(income_elasticity([1.0, 2.0], PRESETS["one_step"]), 6)
    1.0
    """
    w = np.asarray(vector(skills, "skills", errors=_ERRORS), dtype=float)
    if not 0 <= rate < 1:
        raise PolicyError(f"rate must lie in [0, 1), got {rate!r}")
    s0 = np.log(1 - rate)
    taus = 1 - np.exp([s0 - h, s0 + h])
    cut = np.zeros(1)
    l, _ = _best_response(w, cut, taus[:, None], np.zeros((2, len(w))), 0.0, preferences)
    total = (w * l).sum(axis=1)
    return float((np.log(total[1]) - np.log(total[0])) / (2 * h))


def _check_skills(skills: Any) -> np.ndarray:
    w = np.asarray(vector(skills, "skills", errors=_ERRORS), dtype=float)
    if len(w) < 2 or np.any(w <= 0):
        raise PolicyError(f"skills must be >= 2 positive numbers, got {w.tolist()}")
    return w


def follower_equilibria(
    cutoffs: RealsLike,
    rates: ArrayLike,
    skills: ArrayLike,
    preferences: Preferences,
    *,
    nash: bool = True,
    tol: float = 1e-10,
    max_iter: int = 500,
) -> FollowerEquilibria:
    """Followers' equilibria for K schedules on shared cut-offs at once (the principal's kernel).

    ``rates`` has shape (K, B), one row of bracket rates per schedule.

    Examples
    --------
    >>> out = follower_equilibria([0, 10], [[0, 0], [0.5, 0.5]], [1.0, 2.0], PRESETS["one_step"])
    >>> out.income  # l = s w / 2 with s = 1 − τ(1 − 1/N): incomes s w²/2
    array([[0.5  , 2.   ],
           [0.375, 1.5  ]])
    """
    cut = np.asarray(free_market(cutoffs).float_arrays()[0])
    R = np.atleast_2d(np.asarray(rates, dtype=float))
    if R.shape[1] != len(cut) or not np.all((R >= 0) & (R <= 1)):
        raise PolicyError(f"rates must have shape (K, {len(cut)}) with entries in [0, 1]")
    w = _check_skills(skills)
    n = len(w)
    theta = 1.0 / n if nash else 0.0
    E = np.zeros((R.shape[0], n))
    residual = np.full(R.shape[0], np.inf)
    it = 0
    for it in range(1, max_iter + 1):
        l, _ = _best_response(w, cut, R, E, theta, preferences)
        T = _taxes(w * l, cut, R)
        E_new = T.mean(axis=1, keepdims=True) - theta * T
        residual = np.abs(E_new - E).max(axis=1)
        damp = 1.0 if it < 50 else 0.5  # damp late iterations against two-cycles
        E = E + damp * (E_new - E)
        if np.all(residual <= tol * (1 + np.abs(E).max(axis=1))):
            break
    l, _ = _best_response(w, cut, R, E, theta, preferences)
    z = w * l
    T = _taxes(z, cut, R)
    rebate = T.mean(axis=1)
    c = z - T + rebate[:, None]
    with np.errstate(divide="ignore"):  # utility at the actual consumption, rebate included
        u = crra(c, preferences.eta) - preferences.kappa * l**preferences.gamma
    kkt = _kkt(l, w, cut, R, E, theta, preferences).max(axis=1)
    converged = residual <= tol * (1 + np.abs(E).max(axis=1)) * 10
    return FollowerEquilibria(
        labour=l,
        income=z,
        tax=T,
        consumption=c,
        utility=u,
        rebate=rebate,
        converged=converged,
        fixed_point_residual=residual,
        kkt_residual=kkt,
        iterations=it,
    )


def follower_equilibrium(
    schedule: TaxSchedule,
    skills: ArrayLike,
    preferences: Preferences,
    *,
    nash: bool = True,
    tol: float = 1e-10,
    max_iter: int = 500,
) -> FollowerEquilibrium:
    """The followers' equilibrium under ``schedule``: see the module docstring for the model.

    Raises
    ------
    PolicyError
        Skills not positive or fewer than two; ``schedule`` not a :class:`TaxSchedule`.

    Examples
    --------
    >>> from theory.policy.tax import free_market
    >>> p = PRESETS["ai_economist"]
    >>> eq = follower_equilibrium(free_market(), calibrate_skills([25.0, 400.0], p), p)
    >>> eq.income.round(6), eq.converged
    (array([ 25., 400.]), True)
    """
    if not isinstance(schedule, TaxSchedule):
        raise PolicyError(f"schedule must be a TaxSchedule, got {type(schedule).__name__}")
    _, _, rates = schedule.float_arrays()
    return follower_equilibria(
        schedule.cutoffs,
        rates[None, :],
        skills,
        preferences,
        nash=nash,
        tol=tol,
        max_iter=max_iter,
    )[0]
