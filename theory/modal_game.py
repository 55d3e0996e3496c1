"""The penalised game of modal agents: the seed's prisoner's dilemma minus ε × depth.

:mod:`modal` decides who cooperates with whom (pure logic, :func:`modal.outcome_matrix`); this
module turns those outcomes into numbers. The penalty ε is read once, by the numbers rule of
``CONTRIBUTING.md`` §1 (``"1/10"`` and ``"0.1"`` are exactly 1/10, a float stays a float, a sympy
symbol stays symbolic), and checked once: a cost per unit of depth is at least 0.

Examples
--------
>>> from modal import SEED_AGENTS
>>> modal_game(SEED_AGENTS, "0.1")[3].tolist()
[Fraction(4, 5), Fraction(14, 5), Fraction(9, 5), Fraction(9, 5)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from numpy.typing import NDArray

from modal import (
    LIBRARY,
    Agent,
    CooperateBot,
    FairBot,
    Move,
    PrudentBot,
    depth,
    environment,
    outcome_matrix,
)
from theory._numbers import Number, number, unify
from theory.errors import TheoryError, TheoryTypeError

__all__ = ["SEED_PD", "modal_game", "invaders"]

SEED_PD: Mapping[tuple[Move, Move], int] = {
    (Move.C, Move.C): 2,
    (Move.D, Move.D): 1,
    (Move.D, Move.C): 3,
    (Move.C, Move.D): 0,
}
"""The seed's prisoner's dilemma, row player's payoff by (my move, their move)."""

_ERRORS = (TheoryTypeError, TheoryError)


def _penalty(eps: Any) -> Number:
    """ε by the numbers rule, at least 0 (a symbol only if not known to be negative)."""
    e = number(eps, "eps", symbolic=True, errors=_ERRORS)
    negative = e.is_negative if isinstance(e, sympy.Expr) else e < 0
    if negative:
        raise TheoryError(f"eps is a cost per unit depth and must be >= 0, got {e}")
    return e


def _base(base: Mapping[tuple[Move, Move], Any]) -> dict[tuple[Move, Move], Number]:
    missing = [k for k in SEED_PD if k not in base]
    if missing:
        raise TheoryError(f"base lacks the outcomes {[(a.value, b.value) for a, b in missing]}")
    return {
        k: number(base[k], f"base[{k[0].value}{k[1].value}]", symbolic=True, errors=_ERRORS)
        for k in SEED_PD
    }


def _penalised(
    agents: Sequence[Agent],
    e: Number,
    base: Mapping[tuple[Move, Move], Number],
    env: Mapping[str, Agent] | None,
) -> NDArray[np.object_]:
    """The kernel: checked ε and base payoffs; entries in one arithmetic (see `unify`)."""
    env = environment(agents, env)
    table = outcome_matrix(agents, env)
    depths = [depth(a, env) for a in agents]
    keys = list(SEED_PD)
    e, *values = unify(e, *(base[k] for k in keys))
    pay = dict(zip(keys, values, strict=True))
    n = len(agents)
    out = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            out[i, j] = pay[table[i][j]] - e * depths[i]
    return out


def modal_game(
    agents: Sequence[Agent],
    eps: Any,  # Any: int, Fraction, str, float or a sympy expression (the numbers rule)
    *,
    base: Mapping[tuple[Move, Move], Any] = SEED_PD,  # Any: numbers by the numbers rule
    env: Mapping[str, Agent] | None = None,
) -> NDArray[np.object_]:
    """Row agent's payoff against the column agent, minus ``eps × depth(row agent)``.

    Parameters
    ----------
    agents : sequence of modal.Agent
        The strategies, in the order of rows and columns.
    eps : int, Fraction, str, float or sympy expression
        The modelling penalty per unit of depth, at least 0. Text is exact (``"0.1"`` is 1/10).
    base : mapping of (Move, Move) to number, default SEED_PD
        The prisoner's dilemma by (my move, their move); the seed's 2/1/3/0 by default.
    env : mapping of str to Agent, optional
        Agents the formulas name, beyond `agents` and the library (see :func:`modal.environment`).

    Returns
    -------
    ndarray of object, shape (n, n)
        ``Fraction`` entries for a rational `eps`, floats for a float, sympy for a symbol.

    Raises
    ------
    TheoryError
        If `eps` is negative, NaN or infinite, or `base` lacks an outcome.
    TheoryTypeError
        If `eps` is not a number (a bool, a list, text that is not a number).

    Examples
    --------
    >>> import sympy as sp
    >>> from modal import SEED_AGENTS
    >>> modal_game(SEED_AGENTS, sp.Symbol("epsilon"))[3].tolist()
    [1 - 2*epsilon, 3 - 2*epsilon, 2 - 2*epsilon, 2 - 2*epsilon]
    >>> modal_game(SEED_AGENTS, "1/10")[2, 0]
    Fraction(9, 10)
    >>> modal_game(SEED_AGENTS, 0.25)[2, 2]
    1.75
    """
    return _penalised(list(agents), _penalty(eps), _base(base), env)


def invaders(
    agents: Sequence[Agent],
    eps: Any,  # Any: as for modal_game
) -> list[tuple[Agent, Number]]:
    """Agents that earn more than ``2 − ε`` against the seed's good mixture
    (CooperateBot ε, FairBot 1 − 3ε/2, PrudentBot ε/2), with what they earn.

    Examples
    --------
    >>> from modal import SEED_AGENTS
    >>> invaders(SEED_AGENTS, "1/10")
    []
    >>> [(a.name, v) for a, v in invaders(SEED_AGENTS, "1/2")]
    [('DefectBot', Fraction(2, 1))]
    """
    e = _penalty(eps)
    e = Fraction(e) if isinstance(e, int) else e
    mix = {CooperateBot.name: e, FairBot.name: 1 - 3 * e / 2, PrudentBot.name: e / 2}
    pool = [a for a in agents if a.name not in mix]
    cols = [CooperateBot, FairBot, PrudentBot]
    env = {**LIBRARY, **{a.name: a for a in agents}}
    A = _penalised([*pool, *cols], e, dict(SEED_PD), env)
    out: list[tuple[Agent, Number]] = []
    n = len(pool)
    for i, a in enumerate(pool):
        value = sum(A[i, n + k] * mix[c.name] for k, c in enumerate(cols))
        if value > 2 - e:
            out.append((a, value))
    return out
