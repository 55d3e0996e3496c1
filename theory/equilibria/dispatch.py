"""``equilibria(game, method=...)``: one entry point for the exact and the nashpy methods."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np

from theory.equilibria._vertices import normalised
from theory.equilibria.equilibrium import Equilibrium
from theory.equilibria.support import EquilibriumSet, exact_equilibria
from theory.equilibria.symmetric import symmetric_equilibria
from theory.errors import TheoryError
from theory.games import Game, GameLike, as_game, float_matrix
from theory.linalg import indifference, to_fraction

__all__ = ["equilibria", "METHODS", "FLOAT_EQ_TOL"]

#: A float method's equilibrium is accepted if no pure strategy gains more than this, with each
#: player's payoffs mapped affinely onto [0, 1] (equilibria are invariant under such maps), so
#: the tolerance is relative to the payoff range: ~1e7 times double precision, far above the
#: round-off of a solve of a well-posed support system, far below any real payoff difference.
FLOAT_EQ_TOL = 1e-9
# A float probability below this is round-off of a zero (probabilities are scale-free).
_ZERO = 1e-12
# Two verified float equilibria closer than this (max-norm of the probabilities) are one.
_SAME_TOL = 1e-8


def _float_profile(z: np.ndarray) -> np.ndarray | None:
    """A float strategy with round-off negatives clipped, renormalised; None if not one."""
    z = np.asarray(z, dtype=float)
    if z.ndim != 1 or not np.all(np.isfinite(z)) or np.any(z < -FLOAT_EQ_TOL):
        return None
    z = np.where(z < _ZERO, 0.0, z)
    total = z.sum()
    if not total > 0 or abs(total - 1) > 1e-6:
        return None
    return z / total


def _verified(An: np.ndarray, Bn: np.ndarray, x: np.ndarray, y: np.ndarray) -> bool:
    """Best-response conditions on the normalised game, within FLOAT_EQ_TOL."""
    row = An @ y
    col = x @ Bn
    return bool(row.max() - x @ row <= FLOAT_EQ_TOL and col.max() - col @ y <= FLOAT_EQ_TOL)


def _refined(
    A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray
) -> tuple[list[Fraction], list[Fraction]] | None:
    """The exact equilibrium on the supports of a float candidate, if there is one.

    `A`, `B` are the exact (``Fraction``) payoffs. Solves the indifference systems in rationals
    on supports of equal size and checks the best-response conditions exactly.
    """
    sx = [i for i, p in enumerate(x) if p > 1e-6]
    sy = [j for j, p in enumerate(y) if p > 1e-6]
    if len(sx) != len(sy) or not sx:
        return None
    ys = indifference(A, sx, sy)
    xs = indifference(B.T, sy, sx)
    if ys is None or xs is None:
        return None
    xe = [Fraction(0)] * A.shape[0]
    ye = [Fraction(0)] * A.shape[1]
    for i, p in zip(sx, xs[0], strict=True):
        xe[i] = p
    for j, p in zip(sy, ys[0], strict=True):
        ye[j] = p
    if min(xe) < 0 or min(ye) < 0:
        return None
    row = [sum((A[i, j] * ye[j] for j in sy), Fraction(0)) for i in range(A.shape[0])]
    col = [sum((B[i, j] * xe[i] for i in sx), Fraction(0)) for j in range(A.shape[1])]
    if max(row) > ys[1] or max(col) > xs[1]:
        return None
    return xe, ye


def _as_floats(res: EquilibriumSet, method: str, g: Game, dropped: int) -> EquilibriumSet:
    """An exact result restated in floats (the fallback of a float method)."""
    A, B = g.A, g.B
    eqs = []
    for q in res:
        eqs.append(_equilibrium(A, B, q.x, q.y))
    return EquilibriumSet(
        tuple(eqs),
        method,
        False,
        res.complete,
        res.degenerate,
        res.degenerate_supports,
        dropped=dropped,
        fallback="exact",
        stopped=res.stopped,
    )


def _equilibrium(
    A: np.ndarray, B: np.ndarray, x: Sequence[float | Fraction], y: Sequence[float | Fraction]
) -> Equilibrium:
    """A float equilibrium with payoffs of the original game (computed exactly, then rounded).

    `x`, `y` are floats, or the exact equilibrium when the candidate was solved exactly.
    """
    xe = [to_fraction(p) for p in x]
    ye = [to_fraction(p) for p in y]
    cells = [(i, j) for i, j in np.ndindex(A.shape) if xe[i] and ye[j]]
    u = sum((to_fraction(A[i, j]) * xe[i] * ye[j] for i, j in cells), Fraction(0))
    v = sum((to_fraction(B[i, j]) * xe[i] * ye[j] for i, j in cells), Fraction(0))
    return Equilibrium(tuple(float(p) for p in x), tuple(float(p) for p in y), float(u), float(v))


def _checked(
    g: Game,
    An: np.ndarray,
    Bn: np.ndarray,
    exact_game: list[np.ndarray],
    x0: np.ndarray,
    y0: np.ndarray,
) -> tuple[Sequence[float | Fraction], Sequence[float | Fraction]] | None:
    """A float candidate solved exactly on its supports, else verified on the normalised game
    (degenerate supports), else None.

    `exact_game` caches the ``Fraction`` payoffs, made at the first call.
    """
    x, y = _float_profile(x0), _float_profile(y0)
    if x is None or y is None or x.size != g.shape[0] or y.size != g.shape[1]:
        return None
    if not exact_game:
        exact_game.extend(np.vectorize(to_fraction, otypes=[object])(M) for M in (g.A, g.B))
    exact = _refined(exact_game[0], exact_game[1], x, y)
    if exact is not None:
        return exact
    if _verified(An, Bn, x, y):
        return x.tolist(), y.tolist()
    return None


Runner = Callable[[Game, "float | None", bool], EquilibriumSet]


def _nashpy(name: str) -> Runner:
    def run(g: Game, budget: float | None, progress: bool) -> EquilibriumSet:
        import nashpy

        float_matrix(g.A, name="A")  # payoffs beyond the float range: the error says so
        float_matrix(g.B, name="B")
        An, Bn = normalised(g.A), normalised(g.B)
        pairs: list[tuple[np.ndarray, np.ndarray]] = []
        degenerate = None
        if min(g.shape) > 1:  # nashpy's vertex method needs two strategies (qhull dimension)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                ng = nashpy.Game(An, Bn)
                try:
                    method = getattr(ng, f"{name}_enumeration")
                    pairs = [(np.asarray(x), np.asarray(y)) for x, y in method()]
                except Exception:  # noqa: BLE001 - any solver failure: the exact fallback below
                    pairs = []
            degenerate = any("degenerate" in str(w.message).lower() for w in caught) or None
        exact_game: list[np.ndarray] = []
        out: list[Equilibrium] = []
        seen: list[np.ndarray] = []
        dropped = 0
        for x0, y0 in pairs:
            pair = _checked(g, An, Bn, exact_game, x0, y0)
            if pair is None:
                dropped += 1
                continue
            key = np.array([float(p) for p in (*pair[0], *pair[1])])
            if any(np.abs(key - s).max() < _SAME_TOL for s in seen):
                continue
            seen.append(key)
            out.append(_equilibrium(g.A, g.B, *pair))
        if not out:
            exact = exact_equilibria(g, budget=budget, progress=progress)
            return _as_floats(exact, name, g, dropped)
        # Never claimed complete: besides degenerate games, nashpy's support enumeration tests
        # probabilities with `>= 0` and no tolerance and silently drops equilibria whose zero
        # weights come out as -1e-17 (tests/theory/test_support.py shows two such games).
        return EquilibriumSet(tuple(out), name, False, False, degenerate, dropped=dropped)

    return run


def _symmetric(g: Game, budget: float | None, progress: bool) -> EquilibriumSet:
    return symmetric_equilibria(g.A, budget=budget, progress=progress)


def _exact(g: Game, budget: float | None, progress: bool) -> EquilibriumSet:
    return exact_equilibria(g, budget=budget, progress=progress)


#: The solvers :func:`equilibria` dispatches to, by ``method`` name.
METHODS: dict[str, Runner] = {
    "exact": _exact,
    "support": _nashpy("support"),
    "vertex": _nashpy("vertex"),
    "lemke_howson": _nashpy("lemke_howson"),
    "symmetric": _symmetric,
}


def equilibria(
    game: GameLike, *, method: str = "exact", budget: float | None = None, progress: bool = False
) -> EquilibriumSet:
    """Nash equilibria of a bimatrix game.

    Parameters
    ----------
    game : array_like, Game, nashpy.Game or pair
        See :func:`~theory.games.as_game`; one square matrix is the symmetric game ``(A, A.T)``.
    method : {"exact", "support", "vertex", "lemke_howson", "symmetric"}
        ``"exact"``: every extreme equilibrium in ``Fraction`` arithmetic, verified exactly and
        complete also for degenerate games (see `exact_equilibria`). ``"support"``, ``"vertex"``,
        ``"lemke_howson"``: nashpy's float methods (Lemke–Howson from every starting label)
        run on each player's payoffs mapped affinely onto [0, 1] (same equilibria, so any
        payoff scale works); every equilibrium they return is checked against the
        best-response conditions within `FLOAT_EQ_TOL` of the payoff range, else solved exactly
        on its supports, else dropped and counted in ``dropped``. If none is left, the exact
        enumeration supplies them (``fallback="exact"``): no finite game gets zero equilibria.
        Their results are never marked complete unless they come from the fallback.
        ``"symmetric"``: only the symmetric equilibria (see `symmetric_equilibria`).
        The default is exact for every input, decimals included: a decimal written as text
        (the command line, CSV/JSON files) is the rational it spells, a Python float counts at
        its exact binary value, and exact enumeration is fast for the games it accepts.
    budget : float, optional
        Seconds for the exact and symmetric enumerations (and a float method's fallback);
        when spent, the result lists what was found, ``complete=False``, ``stopped`` says why.
    progress : bool
        Show a progress bar over the supports (exact and symmetric enumerations).

    Returns
    -------
    EquilibriumSet

    Raises
    ------
    TheoryError
        For an unknown method (the message lists the known ones); for a game too large to
        enumerate completely without a `budget` (the message says how large).

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
    return run(g, budget, progress)
