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

__all__ = ["SEED_PD", "BASE_GAMES", "base_game", "modal_game", "invasion_fitness", "invaders"]

SEED_PD: Mapping[tuple[Move, Move], int] = {
    (Move.C, Move.C): 2,
    (Move.D, Move.D): 1,
    (Move.D, Move.C): 3,
    (Move.C, Move.D): 0,
}
"""The seed's prisoner's dilemma, row player's payoff by (my move, their move)."""


def _table(cc: int, cd: int, dc: int, dd: int) -> Mapping[tuple[Move, Move], int]:
    return {(Move.C, Move.C): cc, (Move.C, Move.D): cd, (Move.D, Move.C): dc, (Move.D, Move.D): dd}


BASE_GAMES: Mapping[str, Mapping[tuple[Move, Move], int]] = {
    "pd": SEED_PD,
    "pd-axelrod": _table(3, 0, 5, 1),
    "stag-hunt": _table(3, 0, 2, 1),
    "chicken": _table(2, 1, 3, 0),
}
"""Named 2 × 2 base games, row player's payoff by (my move, their move), C the cooperative move.

``pd``: the seed's prisoner's dilemma (T 3 > R 2 > P 1 > S 0). ``pd-axelrod``: Axelrod's
tournament payoffs (T 5, R 3, P 1, S 0). ``stag-hunt``: C hunts the stag (R 3 > T 2 > P 1 > S 0:
mutual cooperation is best, but defection is safer). ``chicken``: C swerves (T 3 > R 2 > S 1 >
P 0: mutual defection is the worst outcome)."""

_ERRORS = (TheoryTypeError, TheoryError)


def _penalty(eps: Any) -> Number:
    """ε by the numbers rule, at least 0 (a symbol only if not known to be negative)."""
    e = number(eps, "eps", symbolic=True, errors=_ERRORS)
    negative = e.is_negative if isinstance(e, sympy.Expr) else e < 0
    if negative:
        raise TheoryError(f"eps is a cost per unit depth and must be >= 0, got {e}")
    return e


def base_game(base: Any) -> dict[tuple[Move, Move], Number]:  # Any: see the accepted forms
    """A 2 × 2 base game, checked: a name, a mapping or a 2 × 2 matrix, as a mapping.

    Parameters
    ----------
    base : str, mapping or 2 × 2 array_like
        A name in :data:`BASE_GAMES`; a mapping from every (my move, their move) pair of
        :class:`modal.Move` to a number; or rows ``[[CC, CD], [DC, DD]]`` (my move C, then D;
        their move C, then D). Numbers by the numbers rule (``"1/2"`` is exact).

    Raises
    ------
    TheoryError
        An unknown name, a missing or extra outcome, a matrix that is not 2 × 2, or a number
        that is NaN or infinite.
    TheoryTypeError
        A base of another type, or an entry that is not a number.

    Examples
    --------
    >>> base_game("stag-hunt")[(Move.D, Move.C)]
    2
    >>> base_game([[2, 0], [3, 1]]) == base_game("pd")
    True
    """
    if isinstance(base, str):
        if base not in BASE_GAMES:
            raise TheoryError(
                f"base {base!r} is not a named base game; known: {sorted(BASE_GAMES)}"
            )
        base = BASE_GAMES[base]
    if isinstance(base, Mapping):
        extra = [k for k in base if k not in SEED_PD]
        if extra:
            raise TheoryError(f"base has keys that are not (Move, Move) outcomes: {extra!r}")
        missing = [k for k in SEED_PD if k not in base]
        if missing:
            raise TheoryError(f"base lacks the outcomes {[(a.value, b.value) for a, b in missing]}")
        table = base
    elif isinstance(base, Sequence | np.ndarray) and not isinstance(base, bytes):
        rows = list(base)
        if len(rows) != 2 or not all(
            isinstance(r, Sequence | np.ndarray) and not isinstance(r, str) and len(r) == 2
            for r in rows
        ):
            raise TheoryError(f"base must be a 2 x 2 matrix [[CC, CD], [DC, DD]], got {base!r}")
        moves = (Move.C, Move.D)
        table = {(moves[i], moves[j]): rows[i][j] for i in range(2) for j in range(2)}
    else:
        raise TheoryTypeError(
            f"base must be a name, a mapping or a 2 x 2 matrix, got {type(base).__name__}"
        )
    return {
        k: number(table[k], f"base[{k[0].value}{k[1].value}]", symbolic=True, errors=_ERRORS)
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
    base: Any = SEED_PD,  # Any: a name, a mapping or a 2 x 2 matrix of numbers (base_game)
    env: Mapping[str, Agent] | None = None,
) -> NDArray[np.object_]:
    """Row agent's payoff against the column agent, minus ``eps × depth(row agent)``.

    Parameters
    ----------
    agents : sequence of modal.Agent
        The strategies, in the order of rows and columns.
    eps : int, Fraction, str, float or sympy expression
        The modelling penalty per unit of depth, at least 0. Text is exact (``"0.1"`` is 1/10).
    base : str, mapping of (Move, Move) to number, or 2 × 2 array_like, default SEED_PD
        The 2 × 2 base game by (my move, their move): the seed's prisoner's dilemma 2/1/3/0 by
        default, a name of :data:`BASE_GAMES` (``"stag-hunt"``, ``"chicken"``, ...), or any
        payoffs (see :func:`base_game`).
    env : mapping of str to Agent, optional
        Agents the formulas name, beyond `agents` and the library (see :func:`modal.environment`).

    Returns
    -------
    ndarray of object, shape (n, n)
        ``Fraction`` entries for a rational `eps`, floats for a float, sympy for a symbol.

    Raises
    ------
    TheoryError
        If `eps` is negative, NaN or infinite, or `base` is not a 2 × 2 game of numbers.
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
    >>> modal_game(SEED_AGENTS, 0, base="stag-hunt")[2, 2]    # FairBot and FairBot hunt the stag
    Fraction(3, 1)
    """
    return _penalised(list(agents), _penalty(eps), base_game(base), env)


def _good_mixture(e: Number) -> dict[str, Number]:
    e = Fraction(e) if isinstance(e, int) else e
    return {CooperateBot.name: e, FairBot.name: 1 - 3 * e / 2, PrudentBot.name: e / 2}


def _fitness(agents: Sequence[Agent], e: Number, env: Mapping[str, Agent] | None) -> list[Number]:
    """Checked ε: each agent's payoff against the good mixture minus the mixture's own, 2 − ε."""
    mix = _good_mixture(e)
    cols = [CooperateBot, FairBot, PrudentBot]
    full = {**LIBRARY, **(env or {}), **{a.name: a for a in agents}}
    renamed = [Agent(f"{a.name}\u2032", a.formula) for a in agents]  # the row copies: no clash
    A = _penalised([*renamed, *cols], e, dict(SEED_PD), full)
    n = len(agents)
    own = 2 - (Fraction(e) if isinstance(e, int) else e)
    return [sum(A[i, n + k] * mix[c.name] for k, c in enumerate(cols)) - own for i in range(n)]


def invasion_fitness(
    agents: Sequence[Agent],
    eps: Any,  # Any: as for modal_game
    *,
    env: Mapping[str, Agent] | None = None,
) -> NDArray[np.object_]:
    """Each agent's invasion fitness at the seed's good equilibrium, exactly.

    The good equilibrium is the mixture CooperateBot ε, FairBot 1 − 3ε/2, PrudentBot ε/2 of the
    seed's prisoner's dilemma (an equilibrium for 0 < ε ≤ 1/3), where every agent of the
    mixture earns 2 − ε. An entrant's invasion fitness is its payoff against the mixture minus
    2 − ε: positive means it invades (its share grows at that rate in the replicator flow),
    zero means it is neutral (as the mixture's own agents are).

    Returns
    -------
    ndarray of object, shape (len(agents),)
        Exact for an exact `eps`.

    Examples
    --------
    >>> from modal import SEED_AGENTS
    >>> invasion_fitness(SEED_AGENTS, "1/10").tolist()    # D, C, F, P
    [Fraction(-7, 10), Fraction(0, 1), Fraction(0, 1), Fraction(0, 1)]
    """
    return np.array(_fitness(list(agents), _penalty(eps), env), dtype=object)


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
    mix = _good_mixture(e)
    pool = [a for a in agents if a.name not in mix]
    own = 2 - (Fraction(e) if isinstance(e, int) else e)
    return [(a, f + own) for a, f in zip(pool, _fitness(pool, e, None), strict=True) if f > 0]
