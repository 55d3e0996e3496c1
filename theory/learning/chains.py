"""Memory-one policies under exploration noise as Markov chains over the last joint move.

Two agents play deterministic memory-one policies (see :mod:`theory.learning.policies`); each
intended move is flipped with probability ``noise`` (independently for the two agents). The joint
move of the last encounter, seen from agent 1's side, is then a Markov chain on the four states
``TT, TS, ST, SS``. For ``0 < noise < 1`` every transition has positive probability, so the chain
is irreducible and aperiodic with a unique stationary distribution; its entries, and the agents'
average wellbeing per encounter, are rational functions of the noise level.

An epsilon-greedy learner that explores with probability epsilon, choosing uniformly between the
two moves, flips its greedy move with probability ``noise = epsilon / 2``.

Examples
--------
>>> average_wellbeing("SSSS", "TSST", 0)
(5/2, 1/2)
>>> noise_limit(average_wellbeing("TSST", "TSST")[0])
3
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import sympy
from sympy.polys.matrices import DomainMatrix
from sympy.polys.matrices.exceptions import DMNonInvertibleMatrixError as NonInvertibleMatrixError

from theory.errors import TheoryError, TheoryTypeError
from theory.learning.policies import MOVES, POLICIES, STATES, WELLBEING, check_policy
from theory.typing import ExprLike, RealLike, Value

__all__ = [
    "NOISE",
    "transition_matrix",
    "pair_stationary_distribution",
    "average_wellbeing",
    "noise_limit",
    "PairSummary",
    "pair_summary",
    "all_pairs",
]

#: The exploration noise: the probability that an intended move is flipped.
NOISE = sympy.Symbol("e", positive=True)


def _noise(noise: RealLike | None) -> sympy.Expr:
    """The noise as a sympy number or expression; rationals stay exact."""
    if noise is None:
        return NOISE
    if isinstance(noise, bool):
        raise TheoryTypeError(
            f"noise must be a number in [0, 1] or a sympy expression, got {noise!r}"
        )
    if isinstance(noise, Fraction):
        value: sympy.Expr = sympy.Rational(noise.numerator, noise.denominator)
    else:
        try:
            value = sympy.nsimplify(noise) if isinstance(noise, str) else sympy.sympify(noise)
        except (sympy.SympifyError, TypeError) as err:
            raise TheoryError(f"noise must be a number in [0, 1], got {noise!r}") from err
    if not isinstance(value, sympy.Expr):  # e.g. a tuple or a boolean expression
        raise TheoryTypeError(f"noise must be a number in [0, 1], got {noise!r}")
    if value.is_number:
        if value.has(sympy.nan) or not (value.is_real and value.is_finite):
            raise TheoryError(f"noise must be a finite real number in [0, 1], got {noise!r}")
        if not (0 <= value <= 1):
            raise TheoryError(f"noise must lie in [0, 1], got {noise!r}")
    return value


def _domain(e: sympy.Expr) -> Any:
    """QQ for a rational noise, else the field of rational functions in its symbols."""
    if e.is_Rational:
        return sympy.QQ
    return sympy.QQ.frac_field(*sorted(e.free_symbols, key=str))


def _transition_rows(p1: str, p2: str, e: Any, one: Any) -> list[list[Any]]:
    """Transition probabilities as nested lists in whatever arithmetic `e` and `one` carry."""
    rows = []
    for state in STATES:
        mine, yours = p1[STATES.index(state)], p2[STATES.index(state[::-1])]
        rows.append(
            [
                (one - e if a == mine else e) * (one - e if b == yours else e)
                for a in MOVES
                for b in MOVES
            ]
        )
    return rows


def transition_matrix(policy1: str, policy2: str, noise: RealLike | None = None) -> sympy.Matrix:
    """The 4x4 transition matrix over the last joint move, from agent 1's side.

    Parameters
    ----------
    policy1, policy2 : str
        Memory-one policies (four moves for the states ``TT, TS, ST, SS``).
    noise : number, str or sympy expression, optional
        Probability that an intended move is flipped; the symbol :data:`NOISE` if omitted.

    Returns
    -------
    sympy.Matrix
        ``P[i, j]`` is the probability of going from ``STATES[i]`` to ``STATES[j]``.

    Examples
    --------
    >>> transition_matrix("TTTT", "SSSS", 0)
    Matrix([
    [0, 1, 0, 0],
    [0, 1, 0, 0],
    [0, 1, 0, 0],
    [0, 1, 0, 0]])
    """
    p1 = check_policy(policy1, "policy1")
    p2 = check_policy(policy2, "policy2")
    e = _noise(noise)
    return sympy.Matrix(_transition_rows(p1, p2, e, sympy.Integer(1))).applyfunc(sympy.expand)


@lru_cache(maxsize=4096)
def _stationary(p1: str, p2: str, e: sympy.Expr) -> tuple[sympy.Expr, ...]:
    K = _domain(e)
    P = _transition_rows(p1, p2, K.from_sympy(e), K.one)
    A = [[P[j][i] - (K.one if i == j else K.zero) for j in range(4)] for i in range(4)]
    A[3] = [K.one] * 4  # replace one balance equation by the normalisation
    b = [[K.zero], [K.zero], [K.zero], [K.one]]
    pi = DomainMatrix(A, (4, 4), K).lu_solve(DomainMatrix(b, (4, 1), K))
    return tuple(sympy.factor(K.to_sympy(pi[i, 0].element)) for i in range(4))


def pair_stationary_distribution(
    policy1: str, policy2: str, noise: RealLike | None = None
) -> tuple[Any, ...]:
    """The exact stationary distribution over ``TT, TS, ST, SS`` (agent 1's side).

    For a symbolic noise the entries are rational functions, valid for ``0 < noise < 1``; at
    ``noise = 0`` the chain may be reducible: the result is returned only when the stationary
    distribution is unique (otherwise a :class:`~theory.errors.TheoryError` is raised); use
    :func:`noise_limit` on the symbolic result for the limit.

    Examples
    --------
    >>> pair_stationary_distribution("SSSS", "TSST", 0)
    (0, 0, 1/2, 1/2)
    >>> pair_stationary_distribution("SSSS", "SSSS")
    (e**2, -e*(e - 1), -e*(e - 1), (e - 1)**2)
    """
    p1 = check_policy(policy1, "policy1")
    p2 = check_policy(policy2, "policy2")
    e = _noise(noise)
    try:
        return _stationary(p1, p2, e)
    except (ValueError, ZeroDivisionError, NonInvertibleMatrixError) as err:
        raise TheoryError(
            f"the chain of ({p1}, {p2}) at noise {e} has no unique stationary distribution"
        ) from err


def average_wellbeing(policy1: str, policy2: str, noise: RealLike | None = None) -> tuple[Any, Any]:
    """Each agent's long-run average wellbeing per encounter, exactly.

    Examples
    --------
    >>> average_wellbeing("SSSS", "SSSS")
    (2*e + 1, 2*e + 1)
    """
    pi = pair_stationary_distribution(policy1, policy2, noise)
    w1 = sum(x * WELLBEING[s[0]][s[1]] for x, s in zip(pi, STATES, strict=True))
    w2 = sum(x * WELLBEING[s[1]][s[0]] for x, s in zip(pi, STATES, strict=True))
    return sympy.factor(sympy.cancel(w1)), sympy.factor(sympy.cancel(w2))


def noise_limit(expr: ExprLike) -> Any:  # Any: a sympy expression or a number
    """The limit of a rational function of :data:`NOISE` as the noise tends to 0.

    Examples
    --------
    >>> noise_limit(NOISE / (2 * NOISE + NOISE**2))
    1/2
    """
    x = sympy.cancel(sympy.sympify(expr))
    num, den = sympy.fraction(x)
    if den.subs(NOISE, 0) != 0:
        return sympy.simplify(num.subs(NOISE, 0) / den.subs(NOISE, 0))
    return sympy.limit(x, NOISE, 0, "+")


@dataclass(frozen=True)
class PairSummary:
    """Exact long-run summary of a pair of memory-one policies under symbolic noise."""

    policy1: str
    policy2: str
    stationary: tuple[Value, ...]
    wellbeing: tuple[Value, Value]
    stationary_limit: tuple[Value, ...]
    wellbeing_limit: tuple[Value, Value]


def pair_summary(policy1: str, policy2: str) -> PairSummary:
    """Stationary distribution and wellbeing as functions of the noise, and their noise -> 0 limits.

    Examples
    --------
    >>> pair_summary("TSST", "TSST").wellbeing_limit
    (3, 3)
    """
    pi = pair_stationary_distribution(policy1, policy2)
    w = average_wellbeing(policy1, policy2)
    return PairSummary(
        check_policy(policy1, "policy1"),
        check_policy(policy2, "policy2"),
        pi,
        w,
        tuple(noise_limit(x) for x in pi),
        (noise_limit(w[0]), noise_limit(w[1])),
    )


def all_pairs(policies: tuple[str, ...] = POLICIES) -> list[PairSummary]:
    """:func:`pair_summary` for every ordered pair of `policies` (default: all 16, ~15 s).

    Examples
    --------
    >>> [s.wellbeing_limit for s in all_pairs(("SSSS", "TSST"))]
    [(1, 1), (5/2, 1/2), (1/2, 5/2), (3, 3)]
    """
    return [pair_summary(a, b) for a in policies for b in policies]
