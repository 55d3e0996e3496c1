"""Outcome and payoff tables of the penalised game: the seed's PD minus ε × depth."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import NDArray

from modal.agents import Agent, depth, environment
from modal.batch import cooperation_matrix
from modal.errors import ModalError, ModalTypeError
from modal.evaluate import Move

__all__ = ["SEED_PD", "outcome_matrix", "payoff_matrix", "as_epsilon"]

SEED_PD: Mapping[tuple[Move, Move], int] = {
    (Move.C, Move.C): 2,
    (Move.D, Move.D): 1,
    (Move.D, Move.C): 3,
    (Move.C, Move.D): 0,
}
"""The seed's prisoner's dilemma, row player's payoff by (my move, their move)."""


def outcome_matrix(
    agents: Sequence[Agent], env: Mapping[str, Agent] | None = None
) -> tuple[tuple[tuple[Move, Move], ...], ...]:
    """``M[i][j]`` = (move of agent i, move of agent j) when they meet.

    Examples
    --------
    >>> from modal.agents import SEED_AGENTS
    >>> [" ".join(a.value + b.value for a, b in row) for row in outcome_matrix(SEED_AGENTS)]
    ['DD DC DD DD', 'CD CC CC CD', 'DD CC CC CC', 'DD DC CC CC']
    """
    coop = cooperation_matrix(agents, env)
    n = len(agents)

    def mv(b: bool) -> Move:
        return Move.C if b else Move.D

    return tuple(tuple((mv(coop[i, j]), mv(coop[j, i])) for j in range(n)) for i in range(n))


def as_epsilon(eps: Any) -> Fraction | float | sp.Expr:
    """The penalty as an exact `Fraction` (int, Fraction, "1/10"), a float, or a sympy expression.

    Raises
    ------
    ModalError
        For NaN, infinity, or a string that is not a number.

    Examples
    --------
    >>> as_epsilon("1/10"), as_epsilon(0.5)
    (Fraction(1, 10), 0.5)
    """
    if isinstance(eps, bool):
        raise ModalTypeError(f"eps must be a number or a sympy expression, got {eps!r}")
    if isinstance(eps, int | Fraction):
        return Fraction(eps)
    if isinstance(eps, str):
        try:
            return Fraction(eps.strip())
        except (ValueError, ZeroDivisionError):
            raise ModalError(f"eps {eps!r} is not a rational number such as '1/10'") from None
    if isinstance(eps, float | np.floating):
        if not math.isfinite(eps):
            raise ModalError(f"eps must be finite, got {eps!r}")
        return float(eps)
    if isinstance(eps, sp.Basic):
        return sp.sympify(eps)
    raise ModalTypeError(f"eps must be a number or a sympy expression, got {type(eps).__name__}")


def payoff_matrix(
    agents: Sequence[Agent],
    eps: Any,
    *,
    payoffs: Mapping[tuple[Move, Move], Any] = SEED_PD,
    env: Mapping[str, Agent] | None = None,
) -> NDArray[np.object_]:
    """Row player's payoff against the column player, minus ``eps × depth(row agent)``.

    Parameters
    ----------
    agents : sequence of Agent
        The strategies, in the order of rows and columns.
    eps : int, Fraction, str, float or sympy expression
        The modelling penalty per unit of depth.
    payoffs : mapping of (Move, Move) to number
        The PD by (my move, their move); the seed's 2/1/3/0 by default.

    Returns
    -------
    ndarray of object, shape (n, n)
        `Fraction` entries for rational `eps`, floats for a float, sympy for a symbol.

    Examples
    --------
    >>> import sympy as sp
    >>> from modal.agents import SEED_AGENTS
    >>> payoff_matrix(SEED_AGENTS, sp.Symbol("epsilon"))[3].tolist()
    [1 - 2*epsilon, 3 - 2*epsilon, 2 - 2*epsilon, 2 - 2*epsilon]
    >>> payoff_matrix(SEED_AGENTS, "1/10")[2, 0]
    Fraction(9, 10)
    """
    e = as_epsilon(eps)
    missing = [k for k in SEED_PD if k not in payoffs]
    if missing:
        raise ModalError(f"payoffs lacks the outcomes {[(a.value, b.value) for a, b in missing]}")
    env = environment(agents, env)
    table = outcome_matrix(agents, env)
    depths = [depth(a, env) for a in agents]
    n = len(agents)
    out = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            base = payoffs[table[i][j]]
            if isinstance(e, Fraction):
                out[i, j] = Fraction(base) - e * depths[i]
            elif isinstance(e, float):
                out[i, j] = float(base) - e * depths[i]
            else:
                out[i, j] = sp.sympify(base) - e * depths[i]
    return out
