"""``equilibria(game, method=...)``: one entry point for the exact and the nashpy methods."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from theory.equilibria.support import Equilibrium, EquilibriumSet, exact_equilibria
from theory.equilibria.symmetric import symmetric_equilibria
from theory.errors import TheoryError
from theory.games import Game, GameLike, as_game

__all__ = ["equilibria", "METHODS"]

# Two float equilibria closer than this (max-norm) are the same one; nashpy's outputs are
# accurate to ~1e-12 for payoffs O(1..10).
_SAME_TOL = 1e-8


def _dedupe(pairs: list[tuple[np.ndarray, np.ndarray]], g: Game) -> tuple[Equilibrium, ...]:
    A, B = g.A.astype(float), g.B.astype(float)
    out: list[Equilibrium] = []
    seen: list[np.ndarray] = []
    for x, y in pairs:
        key = np.concatenate([x, y])
        if any(np.abs(key - s).max() < _SAME_TOL for s in seen):
            continue
        seen.append(key)
        xs = tuple(float(v) for v in x)
        ys = tuple(float(v) for v in y)
        out.append(Equilibrium(xs, ys, float(x @ A @ y), float(x @ B @ y)))
    return tuple(out)


def _nashpy(name: str) -> Callable[[Game], EquilibriumSet]:
    def run(g: Game) -> EquilibriumSet:
        ng = g.to_nashpy()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if name == "lemke_howson":
                pairs = list(ng.lemke_howson_enumeration())
            else:
                pairs = list(getattr(ng, f"{name}_enumeration")())
        pairs = [(np.asarray(x, float), np.asarray(y, float)) for x, y in pairs]
        pairs = [p for p in pairs if np.all(np.isfinite(p[0])) and np.all(np.isfinite(p[1]))]
        degenerate = any("degenerate" in str(w.message).lower() for w in caught) or None
        # Never claimed complete: besides degenerate games, nashpy's support enumeration tests
        # probabilities with `>= 0` and no tolerance and silently drops equilibria whose zero
        # weights come out as -1e-17 (tests/theory/test_support.py shows two such games).
        return EquilibriumSet(_dedupe(pairs, g), name, False, False, degenerate)

    return run


def _symmetric(g: Game) -> EquilibriumSet:
    return symmetric_equilibria(g.A)


#: The solvers :func:`equilibria` dispatches to, by ``method`` name.
METHODS: dict[str, Callable[[Game], EquilibriumSet]] = {
    "exact": exact_equilibria,
    "support": _nashpy("support"),
    "vertex": _nashpy("vertex"),
    "lemke_howson": _nashpy("lemke_howson"),
    "symmetric": _symmetric,
}


def equilibria(game: GameLike, *, method: str = "exact") -> EquilibriumSet:
    """Nash equilibria of a bimatrix game.

    Parameters
    ----------
    game : array_like, Game, nashpy.Game or pair
        See :func:`~theory.games.as_game`; one square matrix is the symmetric game ``(A, A.T)``.
    method : {"exact", "support", "vertex", "lemke_howson", "symmetric"}
        ``"exact"``: every extreme equilibrium in ``Fraction`` arithmetic, verified exactly and
        complete also for degenerate games (see `exact_equilibria`). ``"support"``, ``"vertex"``,
        ``"lemke_howson"``: nashpy's float methods (Lemke–Howson from every starting label);
        their results are never marked complete (see the note in the code).
        ``"symmetric"``: only the symmetric equilibria (see `symmetric_equilibria`).

    Returns
    -------
    EquilibriumSet

    Raises
    ------
    TheoryError
        For an unknown method (the message lists the known ones).

    Examples
    --------
    >>> pennies = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> eqs = equilibria(pennies)
    >>> [(e.x, e.u) for e in eqs]
    [((Fraction(1, 2), Fraction(1, 2)), Fraction(0, 1))]
    >>> [e.x for e in equilibria(pennies, method="vertex")]
    [(0.5, 0.5)]
    """
    try:
        run = METHODS[method]
    except KeyError:
        raise TheoryError(f"unknown method {method!r}; known: {sorted(METHODS)}") from None
    g = as_game(game)
    if method == "symmetric" and not g.is_symmetric:
        raise TheoryError("method='symmetric' needs a symmetric game (B = A.T)")
    return run(g)
