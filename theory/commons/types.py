"""Social Environment Design's agent types on the commons, and their steady-state Nash equilibria.

An agent's type is ``(sigma, beta)``: selfishness and trust in the principal (Social Environment
Design, section 4). With ``a_j`` the apples agent ``j`` collects, the seed's reward is

    R_i = beta_i * extrinsic_i + (1 - beta_i) * intrinsic_i - c e_i,
    intrinsic_i = sigma_i a_i + (1 - sigma_i) (sum_j a_j - a_i),
    extrinsic_i = (1 - t) a_i + (t/N) sum_j a_j.

Modelling choices, named:

* **Steady state**: ``a_j = q e_j x*(E)`` at the stable stock of :func:`theory.commons.steady_stock`
  (rates per unit time), as in :mod:`theory.commons.model`.
* **Linear tax, equal rebate**: one bracket from 0 at rate ``t`` (the seed has three brackets on
  a round's apples; on stationary rates one bracket is the natural reduction).
* **Effort cost outside the reward mix**: ``c e_i`` is paid in full by the agent whatever its
  type (the seed has no cost; without one, selfish agents harvest to open access at ``c = 0``).
* **Others' apples are a sum**, exactly as the seed writes it, not an average.

In efforts scaled by ``r/q`` (``u = qE/r``, ``eps_i = q e_i/r``) and rewards by ``qK``, agent
``i``'s marginal reward for ``u < 1`` is ``A_i - B_i u - C_i eps_i`` with

    A_i = beta (1 - t + t/N) + (1 - beta) sigma - gamma,   gamma = c/(qK)
    B_i = beta (1 - t + 2t/N) + (1 - beta)
    C_i = beta (1 - t) + (1 - beta)(2 sigma - 1),

and ``B_i + C_i > 0`` unless ``beta = sigma = 0``: each reward is concave in own effort, so the
Karush–Kuhn–Tucker conditions characterise best responses. :func:`steady_state_nash` solves them
exactly over every set of active agents. If every ``C_i > 0`` the equilibrium is unique (the
total solves ``u = sum_i max(0, (A_i - B_i u)/C_i)``, whose right side falls in ``u``); agents
with ``C_i < 0`` (caring more for others' apples than their own, distrustful, high tax) make
efforts strong strategic substitutes and several equilibria can coexist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any, TypeAlias

import numpy as np

from theory._numbers import is_symbolic, parameter
from theory.commons.errors import CommonsError, CommonsTypeError
from theory.commons.model import HarvestCommons
from theory.policy.voting import AgentTypes
from theory.typing import RealLike, RealsLike, Value

#: The errors this module raises for a bad number (see theory._numbers).
_ERRORS = (CommonsTypeError, CommonsError)

__all__ = [
    "HarvesterType",
    "HarvestNash",
    "as_harvester_types",
    "MarginalCoefficients",
    "marginal_coefficients",
    "harvester_rewards",
    "steady_state_nash",
    "MAX_ENUMERATED_AGENTS",
]

#: Active sets are enumerated: 2^N linear solves. 12 agents is 4096 solves, about a second.
MAX_ENUMERATED_AGENTS = 12


@dataclass(frozen=True)
class HarvesterType:
    """Social Environment Design's agent type: selfishness ``sigma`` and trust ``beta`` in [0, 1].

    Examples
    --------
    >>> HarvesterType("1/2", 1).selfishness
    Fraction(1, 2)
    """

    selfishness: Value  # given as any real number (or text "1/2"); stored checked, exact
    trust: Value

    def __post_init__(self) -> None:
        for name in ("selfishness", "trust"):
            v = parameter(getattr(self, name), name, nonnegative=True, errors=_ERRORS)
            if is_symbolic(v) or v > 1:
                raise CommonsError(
                    f"{name} must be a number in [0, 1], got {getattr(self, name)!r}"
                )
            object.__setattr__(self, name, v)


# Agent types: a sequence of HarvesterType, or AgentTypes as drawn by policy.voting.draw_types.
HarvesterTypes: TypeAlias = Sequence[HarvesterType] | AgentTypes


@dataclass(frozen=True)
class HarvestNash:
    """A steady-state Nash equilibrium of the taxed commons.

    ``efforts``, ``harvests`` (apples per unit time) and ``rewards`` are per agent; ``active``
    lists the agents with positive effort.
    """

    efforts: tuple[Value, ...]
    total_effort: Value
    stock: Value
    harvests: tuple[Value, ...]
    rewards: tuple[Value, ...]
    active: tuple[int, ...]


def as_harvester_types(types: HarvesterTypes) -> tuple[HarvesterType, ...]:
    """A validated tuple of :class:`HarvesterType` from a sequence of them or from the arrays of
    :class:`theory.policy.voting.AgentTypes` (as drawn by :func:`theory.policy.voting.draw_types`).

    Examples
    --------
    >>> from theory.policy.voting import draw_types
    >>> len(as_harvester_types(draw_types(3, rng=0)))
    3
    """
    if isinstance(types, AgentTypes):
        sigma, beta = np.asarray(types.selfishness), np.asarray(types.trust)
        if sigma.shape != beta.shape or sigma.ndim != 1:
            raise CommonsError(f"AgentTypes arrays must be 1-D of equal length, got {types!r}")
        types = [HarvesterType(float(s), float(b)) for s, b in zip(sigma, beta, strict=True)]
    if isinstance(types, HarvesterType) or not hasattr(types, "__iter__"):
        raise CommonsTypeError(f"types must be a sequence of HarvesterType, got {types!r}")
    out = tuple(types)
    if not out:
        raise CommonsError("types must name at least one agent, got none")
    for i, t in enumerate(out):
        if not isinstance(t, HarvesterType):
            raise CommonsTypeError(f"types[{i}] = {t!r} is not a HarvesterType")
    return out


def _tax(tax: RealLike) -> Any:
    t = parameter(tax, "tax", nonnegative=True, errors=_ERRORS)
    if is_symbolic(t) or t > 1:
        raise CommonsError(f"tax must be a number in [0, 1], got {tax!r}")
    return t


def _exact(commons: HarvestCommons) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    values = (commons.r, commons.K, commons.q, commons.c)
    if is_symbolic(*values):
        raise CommonsTypeError("steady-state Nash needs numeric parameters, got symbols")
    r, K, q, c = (Fraction(v) for v in values)
    return r, K, q, c


@dataclass(frozen=True)
class MarginalCoefficients:
    """The coefficients of agent i's scaled marginal reward ``A_i - B_i u - C_i eps_i``, one
    entry per agent in each field."""

    A: tuple[Fraction, ...]
    B: tuple[Fraction, ...]
    C: tuple[Fraction, ...]


def marginal_coefficients(
    commons: HarvestCommons, types: HarvesterTypes, tax: RealLike = 0
) -> MarginalCoefficients:
    """The exact coefficients of the scaled marginal reward ``A_i - B_i u - C_i eps_i``.

    Examples
    --------
    >>> k = marginal_coefficients(HarvestCommons(1, 100, 1, 10), [HarvesterType(1, 1)])
    >>> k.A[0], k.B[0], k.C[0]
    (Fraction(9, 10), Fraction(1, 1), Fraction(1, 1))
    """
    ts = as_harvester_types(types)
    t = Fraction(_tax(tax))
    r, K, q, c = _exact(commons)
    gamma = c / (q * K)
    N = len(ts)
    A, B, C = [], [], []
    for ty in ts:
        s, b = Fraction(ty.selfishness), Fraction(ty.trust)
        A.append(b * (1 - t + t / N) + (1 - b) * s - gamma)
        B.append(b * (1 - t + 2 * t / N) + (1 - b))
        C.append(b * (1 - t) + (1 - b) * (2 * s - 1))
    return MarginalCoefficients(tuple(A), tuple(B), tuple(C))


def harvester_rewards(
    commons: HarvestCommons, types: HarvesterTypes, efforts: RealsLike, tax: RealLike = 0
) -> np.ndarray:
    """Every agent's steady-state reward ``R_i`` at an effort profile (float).

    Examples
    --------
    >>> harvester_rewards(HarvestCommons(1, 100, 1), [HarvesterType(1, 1)] * 2, [0.25, 0.25])
    array([12.5, 12.5])
    """
    ts = as_harvester_types(types)
    t = float(_tax(tax))
    e = np.asarray(efforts, dtype=float) if not isinstance(efforts, str) else None
    if e is None or e.shape != (len(ts),):
        raise CommonsError(f"efforts must have one entry per agent ({len(ts)}), got {efforts!r}")
    if not np.all(np.isfinite(e)) or np.any(e < 0):
        raise CommonsError(f"efforts must be finite and non-negative, got {efforts!r}")
    r, K, q, c = (float(v) for v in _exact(commons))
    x = max(K * (1 - q * e.sum() / r), 0.0)
    a = q * e * x
    sigma = np.array([float(ty.selfishness) for ty in ts])
    beta = np.array([float(ty.trust) for ty in ts])
    extrinsic = (1 - t) * a + t * a.mean()
    intrinsic = sigma * a + (1 - sigma) * (a.sum() - a)
    return beta * extrinsic + (1 - beta) * intrinsic - c * e


def _solve_active(
    A: tuple[Fraction, ...], B: tuple[Fraction, ...], C: tuple[Fraction, ...], S: tuple[int, ...]
) -> dict[int, Fraction] | None:
    """Solve ``A_i - B_i u - C_i eps_i = 0`` (i in S), ``u = sum_S eps``: Sherman–Morrison form.

    Agents with ``C_i = 0`` pin down only the total ``u = A_i/B_i``; they split the rest equally.
    """
    flat = [i for i in S if C[i] == 0]
    if len(flat) >= 2 and len({A[i] / B[i] for i in flat}) > 1:
        return None
    if flat:
        u = A[flat[0]] / B[flat[0]]
        eps = {i: (A[i] - B[i] * u) / C[i] for i in S if i not in flat}
        rest = (u - sum(eps.values(), Fraction(0))) / len(flat)
        eps.update({k: rest for k in flat})
        return eps
    denominator = 1 + sum((B[i] / C[i] for i in S), Fraction(0))
    if denominator == 0:
        return None  # the system is singular and inconsistent: no solution on this support
    u = sum((A[i] / C[i] for i in S), Fraction(0)) / denominator
    return {i: (A[i] - B[i] * u) / C[i] for i in S}


def steady_state_nash(
    commons: HarvestCommons, types: HarvesterTypes, tax: RealLike = 0, *, continuum: str = "raise"
) -> tuple[HarvestNash, ...]:
    """Every steady-state Nash equilibrium of the taxed commons, exactly.

    For each set ``S`` of active agents the first-order conditions are linear; an equilibrium is
    a solution with ``eps_i >= 0`` on ``S``, marginal reward ``<= 0`` off ``S`` and ``u < 1``.
    Arithmetic is in ``Fraction``: float types and parameters are converted exactly, and the
    result is returned in floats if any input was a float.

    Parameters
    ----------
    commons : HarvestCommons
    types : sequence of HarvesterType, or theory.policy.voting.AgentTypes
        At most `MAX_ENUMERATED_AGENTS` agents.
    tax : number in [0, 1]
        Linear harvest tax, rebated equally.
    continuum : {"raise", "equal"}
        What to do when two or more active agents have ``C_i = 0`` and equal ``A_i/B_i`` (for
        instance identical trusting agents at ``t = 1``: everyone is paid the mean harvest, so
        only the total effort is determined): raise, or return the equal split of that total.

    Returns
    -------
    tuple of HarvestNash
        Sorted by total effort.

    Raises
    ------
    CommonsError
        Too many agents, a tax outside [0, 1], or (with ``continuum="raise"``) a continuum of
        equilibria.

    Examples
    --------
    >>> eq = steady_state_nash(HarvestCommons(1, 100, 1, 10), [HarvesterType(1, 1)] * 3)
    >>> eq[0].efforts, eq[0].stock
    ((Fraction(9, 40), Fraction(9, 40), Fraction(9, 40)), Fraction(65, 2))
    """
    ts = as_harvester_types(types)
    N = len(ts)
    if N > MAX_ENUMERATED_AGENTS:
        raise CommonsError(f"at most {MAX_ENUMERATED_AGENTS} agents are enumerated, got {N}")
    if continuum not in ("raise", "equal"):
        raise CommonsError(f"continuum must be 'raise' or 'equal', got {continuum!r}")
    k = marginal_coefficients(commons, ts, tax)
    A, B, C = k.A, k.B, k.C
    found: list[dict[int, Fraction]] = []
    for size in range(N + 1):
        for S in combinations(range(N), size):
            eps = {} if not S else _solve_active(A, B, C, S)
            if eps is None or any(v < 0 for v in eps.values()):
                continue
            u = sum(eps.values(), Fraction(0))
            if u >= 1 or any(A[i] - B[i] * u > 0 for i in range(N) if i not in eps):
                continue
            if any(v == 0 for v in eps.values()):
                continue  # a boundary solution: found again with that agent inactive
            # agents indifferent to their own share of the total (C_i = 0, marginal 0)
            flat = [i for i in range(N) if C[i] == 0 and A[i] - B[i] * u == 0]
            if len(flat) >= 2:
                if continuum == "raise":
                    raise CommonsError(
                        f"agents {flat} have C_i = 0 and equal A_i/B_i: a continuum of "
                        f"equilibria with total scaled effort {u}; pass continuum='equal'"
                    )
                if not all(i in eps for i in flat) or len({eps[i] for i in flat}) > 1:
                    continue  # keep only the equal split
            found.append(eps)
    return tuple(
        sorted((_result(commons, ts, eps, tax) for eps in found), key=lambda n: n.total_effort)
    )


def _result(
    commons: HarvestCommons, ts: tuple[HarvesterType, ...], eps: dict[int, Fraction], tax: RealLike
) -> HarvestNash:
    r, K, q, c = _exact(commons)
    t = Fraction(_tax(tax))
    N = len(ts)
    e = [eps.get(i, Fraction(0)) * r / q for i in range(N)]
    E = sum(e, Fraction(0))
    x = K * (1 - q * E / r)
    a = [q * ei * x for ei in e]
    total = sum(a, Fraction(0))
    rewards = []
    for ty, ai, ei in zip(ts, a, e, strict=True):
        s, b = Fraction(ty.selfishness), Fraction(ty.trust)
        rewards.append(
            b * ((1 - t) * ai + t * total / N)
            + (1 - b) * (s * ai + (1 - s) * (total - ai))
            - c * ei
        )
    floats = any(
        isinstance(v, float) for v in (commons.r, commons.K, commons.q, commons.c, tax)
    ) or any(isinstance(ty.selfishness, float) or isinstance(ty.trust, float) for ty in ts)
    conv = float if floats else (lambda v: v)
    return HarvestNash(
        efforts=tuple(conv(v) for v in e),
        total_effort=conv(E),
        stock=conv(x),
        harvests=tuple(conv(v) for v in a),
        rewards=tuple(conv(v) for v in rewards),
        active=tuple(sorted(eps)),
    )
