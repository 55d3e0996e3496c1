"""The Harvest game's local regrowth rule on a grid, and what it means for "never grows back".

An empty cell regrows an apple with probability ``p(k)`` per step, where ``k`` is the number of
apples within Euclidean radius 2: ``p = 0, 0.0025, 0.005, 0.025`` for ``k = 0, 1, 2, >= 3``
(Social Environment Design's values for the rule of Perolat et al. 2017).

Modelling choices, named:

* **Neighbourhood**: the 12 cells ``(dx, dy) != (0, 0)`` with ``dx^2 + dy^2 <= 4``.
* **Torus** by default (no edges, so every cell is alike); ``periodic=False`` treats cells
  beyond the edge as empty.
* **Harvest without movement**: each apple is picked with probability ``h`` per step,
  independently (agents' effort spread evenly over the orchard instead of walking agents).
* **Order within a step**: harvest first, then regrowth counted on the harvested grid.

Consequences: a cell with no apple within radius 2 can never regrow until a neighbour does, so
an empty patch is refilled only from its rim, and the empty orchard is absorbing. With ``h > 0``
the empty orchard is reachable from every state, so on a finite grid extinction is certain --
the only question is how long it takes. In mean field (cells see a binomial neighbourhood) the
empty state loses stability at ``(1 - h)(1 + 12 p(1)) = 1``, i.e. ``h = 3/103``
(:func:`mean_field_collapse_harvest`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import comb
from typing import Any

import numpy as np
import sympy
from numpy.typing import ArrayLike
from scipy import sparse
from tqdm.auto import tqdm

from dynamics._checks import integer_at_least
from dynamics.errors import DynamicsError, ParameterError

__all__ = [
    "REGROWTH_PROBABILITIES",
    "REGROWTH_RADIUS",
    "GridRun",
    "neighbourhood_offsets",
    "neighbour_counts",
    "dead_sites",
    "simulate_harvest_grid",
    "mean_field_regrowth",
    "mean_field_step",
    "mean_field_collapse_harvest",
    "mean_field_fold_harvest",
    "MeanFieldYield",
    "mean_field_maximum_yield",
]

REGROWTH_PROBABILITIES = (Fraction(0), Fraction(1, 400), Fraction(1, 200), Fraction(1, 40))
"""Regrowth probability per step for 0, 1, 2 and at least 3 apples within the radius."""
#: The radius (in sites) within which apples count towards regrowth.
REGROWTH_RADIUS = 2


@dataclass(frozen=True)
class GridRun:
    """Apples per run and step (shape ``(runs, steps_done + 1)``) and the final grids.

    ``interrupted`` is True when a ``KeyboardInterrupt`` stopped the run; the steps done are kept.
    """

    apples: np.ndarray
    final: np.ndarray
    extinct: np.ndarray
    interrupted: bool = False


def neighbourhood_offsets(radius: int = REGROWTH_RADIUS) -> np.ndarray:
    """The offsets ``(dx, dy) != 0`` with ``dx^2 + dy^2 <= radius^2``.

    Examples
    --------
    >>> len(neighbourhood_offsets())
    12
    """
    radius = integer_at_least(radius, "radius", 1)
    rng_ = range(-radius, radius + 1)
    return np.array(
        [(dx, dy) for dx in rng_ for dy in rng_ if 0 < dx * dx + dy * dy <= radius * radius]
    )


def _grids(grid: ArrayLike) -> np.ndarray:
    g = np.asarray(grid)
    if g.ndim == 2:
        g = g[None]
    if g.ndim != 3 or g.shape[1] < 1 or g.shape[2] < 1:
        raise ParameterError(f"grid must have shape (L, W) or (runs, L, W), got {g.shape}")
    if g.dtype != bool and not np.isin(g, (0, 1)).all():  # booleans need no check
        raise ParameterError("grid cells must be 0 (empty) or 1 (apple)")
    return g.astype(bool)  # a copy, as before: callers may keep what this returns


def neighbour_counts(grid: ArrayLike, *, periodic: bool = True) -> np.ndarray:
    """Apples within the radius of every cell (the cell itself excluded).

    Examples
    --------
    >>> g = np.zeros((5, 5), dtype=bool); g[2, 2] = True
    >>> int(neighbour_counts(g)[0].sum())
    12
    """
    g = _grids(grid)
    C, L, W = g.shape
    flat = g.reshape(C, L * W).T.astype(np.float32)
    return (_neighbour_matrix(L, W, periodic) @ flat).T.reshape(C, L, W).astype(np.int16)


@lru_cache(maxsize=32)
def _neighbour_matrix(L: int, W: int, periodic: bool) -> sparse.csr_matrix:
    """The (L·W, L·W) sparse 0/1 matrix that sums each cell's neighbours within the radius: a
    sparse product is one call per step whatever the grid, where shifting the grid once per
    offset was twelve (measured 3-10x slower on 10x10 to 30x30 grids). On a torus smaller than
    the neighbourhood an offset that wraps onto the same cell twice counts it twice, as
    shifting did."""
    cell = np.arange(L * W)
    r, c = np.divmod(cell, W)
    rows, cols = [], []
    for dx, dy in neighbourhood_offsets():
        i, j = r - int(dx), c - int(dy)
        if periodic:
            keep = np.ones(L * W, dtype=bool)
        else:
            keep = (i >= 0) & (i < L) & (j >= 0) & (j < W)
        rows.append(cell[keep])
        cols.append(((i % L) * W + (j % W))[keep])
    row, col = np.concatenate(rows), np.concatenate(cols)
    data = np.ones(len(row), dtype=np.float32)
    return sparse.csr_matrix((data, (row, col)), shape=(L * W, L * W))


def dead_sites(grid: ArrayLike, *, periodic: bool = True) -> np.ndarray:
    """Empty cells with no apple within the radius: their regrowth probability is 0.

    Examples
    --------
    >>> int(dead_sites(np.zeros((4, 4), dtype=int)).sum())
    16
    """
    g = _grids(grid)
    return ~g & (neighbour_counts(g, periodic=periodic) == 0)


_P = np.array([float(p) for p in REGROWTH_PROBABILITIES])


def simulate_harvest_grid(
    grid: ArrayLike,
    *,
    harvest: float,
    steps: int,
    runs: int = 1,
    periodic: bool = True,
    progress: bool = False,
    rng: int | np.random.Generator | None = None,
) -> GridRun:
    """Run the local regrowth rule with per-apple harvest probability ``h`` on ``runs`` grids.

    Parameters
    ----------
    grid : array_like of 0/1, shape (L, W) or (runs, L, W)
        Initial orchard(s); a single grid is copied to every run.
    harvest : float in [0, 1]
    steps : int >= 0
    runs : int >= 1
    periodic : bool
    progress : bool
        Show a tqdm bar over steps.
    rng : None, int or numpy.random.Generator

    Examples
    --------
    >>> out = simulate_harvest_grid(np.ones((6, 6), dtype=int), harvest=0.0, steps=3, rng=0)
    >>> out.apples.tolist()
    [[36, 36, 36, 36]]
    """
    rng = np.random.default_rng(rng)
    h = float(harvest)
    if not 0 <= h <= 1:
        raise ParameterError(f"harvest must be a probability in [0, 1], got {harvest!r}")
    steps = integer_at_least(steps, "steps", 0)
    runs = integer_at_least(runs, "runs", 1)
    g = _grids(grid)
    if g.shape[0] == 1:
        g = np.repeat(g, runs, axis=0)
    elif g.shape[0] != runs:
        raise ParameterError(f"grid has {g.shape[0]} runs but runs = {runs}")
    apples = np.zeros((runs, steps + 1), dtype=np.int64)
    apples[:, 0] = g.sum(axis=(1, 2))
    done, interrupted = 0, False
    try:
        for s in tqdm(range(steps), disable=not progress, desc="steps"):
            g = g & (rng.random(g.shape) >= h)
            k = np.minimum(neighbour_counts(g, periodic=periodic), 3)
            g = g | (rng.random(g.shape) < _P[k])
            apples[:, s + 1] = g.sum(axis=(1, 2))
            done = s + 1
    except KeyboardInterrupt:
        interrupted = True
    apples = apples[:, : done + 1]
    return GridRun(apples, g, apples[:, -1] == 0, interrupted)


def mean_field_regrowth(phi: Any) -> Any:  # Any: Fraction, float or sympy expression in, alike out
    """Expected regrowth per cell when neighbours are independent apples with probability phi.

    ``(1 - phi) sum_k C(12, k) phi^k (1 - phi)^(12 - k) p(min(k, 3))``; exact for Fractions.

    Examples
    --------
    >>> mean_field_regrowth(Fraction(0))
    Fraction(0, 1)
    """
    n = len(neighbourhood_offsets())
    # float arrays meet the probabilities as floats (a Fraction would make them object arrays,
    # element by element the same floats, forty times slower)
    floats = isinstance(phi, np.ndarray) and phi.dtype.kind == "f"
    probs = _P if floats else REGROWTH_PROBABILITIES
    total = 0 * phi
    for k in range(n + 1):
        total = total + comb(n, k) * phi**k * (1 - phi) ** (n - k) * probs[min(k, 3)]
    return (1 - phi) * total


def mean_field_step(phi: Any, harvest: Any) -> Any:  # Any: as mean_field_regrowth
    """One step of the mean-field density: harvest, then regrow on the harvested density.

    Examples
    --------
    >>> mean_field_step(Fraction(1), Fraction(0))
    Fraction(1, 1)
    """
    after = phi * (1 - harvest)
    return after + mean_field_regrowth(after)


def mean_field_collapse_harvest() -> Fraction:
    """The harvest probability above which the empty orchard is stable in mean field: 3/103.

    Linearising :func:`mean_field_step` at 0 gives ``phi' = (1 - h)(1 + 12 p(1)) phi``.

    Examples
    --------
    >>> mean_field_collapse_harvest()
    Fraction(3, 103)
    """
    growth = 1 + len(neighbourhood_offsets()) * REGROWTH_PROBABILITIES[1]
    return 1 - 1 / growth


def _regrowth_polynomial(psi: sympy.Symbol) -> sympy.Expr:
    """:func:`mean_field_regrowth` of the symbol ``psi`` as a sympy polynomial with exact
    rational coefficients (the Fractions of REGROWTH_PROBABILITIES made sympy Rationals)."""
    expr = sympy.expand(mean_field_regrowth(psi))
    return expr.xreplace(
        {
            v: sympy.Rational(v.numerator, v.denominator)
            for v in expr.atoms(sympy.Number)
            if isinstance(v, Fraction)
        }
    )


def _maximiser(expr: sympy.Expr, psi: sympy.Symbol) -> sympy.Expr:
    """The point of [0, 1] where the polynomial ``expr`` in ``psi`` is largest: exactly, among
    0, 1 and the real roots of its derivative in (0, 1)."""
    candidates = [sympy.Integer(0), sympy.Integer(1)] + [
        root for root in sympy.Poly(sympy.diff(expr, psi), psi).real_roots() if 0 < root < 1
    ]
    return max(candidates, key=lambda v: expr.subs(psi, v))


def mean_field_fold_harvest() -> tuple[float, float]:
    """The largest harvest at which a stocked orchard persists in mean field, and its density.

    A rest point ``phi > 0`` of :func:`mean_field_step` needs ``1/(1 - h) = 1 + R(psi)/psi``
    with ``psi = phi (1 - h)`` and ``R`` = :func:`mean_field_regrowth`, so the stocked branch
    ends (a fold) at ``h = 1 - 1/(1 + max_psi R(psi)/psi)``. Because ``R(psi)/psi`` rises above
    its value ``12 p(1)`` at 0, the fold lies beyond :func:`mean_field_collapse_harvest`: in
    between, the full and the empty orchard are both stable (hysteresis). The maximum is found
    exactly among the real roots of a polynomial (sympy), then returned as floats.

    Returns
    -------
    (h_fold, phi_fold) : tuple of float

    Examples
    --------
    >>> h, phi = mean_field_fold_harvest()
    >>> round(h, 4) > float(mean_field_collapse_harvest())
    True
    """
    psi = sympy.Symbol("psi")
    ratio = sympy.expand(sympy.cancel(_regrowth_polynomial(psi) / psi))
    best = _maximiser(ratio, psi)
    top = ratio.subs(psi, best)
    h = 1 - 1 / (1 + top)
    return float(h), float(best / (1 - h))


#: Relative tolerance of the check that :func:`mean_field_maximum_yield`'s floats are a rest
#: point: the algebraic maximiser is evaluated to 30 digits and rounded once to a double, and the
#: check chains a few dozen float operations (a degree-13 polynomial), so 1e-12 leaves a wide
#: margin while a wrong root (off by 1e-3 or more) fails.
_YIELD_RTOL = 1e-12


@dataclass(frozen=True)
class MeanFieldYield:
    """A stationary harvest of the mean field: the per-apple ``hazard`` h, the rest ``density``
    phi of :func:`mean_field_step` at h (apples per cell, counted after regrowth, before the
    next harvest) and the ``harvest`` it sustains, ``h phi`` apples per cell and step."""

    hazard: float
    density: float
    harvest: float


def mean_field_maximum_yield() -> MeanFieldYield:
    """The mean field's maximum sustainable yield: the hazard a planner who controls the
    per-apple harvest probability chooses to maximise apples per step.

    At a rest point of :func:`mean_field_step` with ``psi = phi (1 - h)`` (the density after
    harvest) the harvest equals the regrowth, ``h phi = R(psi)`` with ``R`` =
    :func:`mean_field_regrowth`; so the maximum over the stocked branch is ``max_psi R(psi)``,
    found exactly among the real roots of ``R'`` (sympy), with ``phi = psi + R(psi)`` and
    ``h = R(psi) / phi``. The maximiser lies above the fold's ``psi`` (where ``R(psi)/psi``
    peaks, :func:`mean_field_fold_harvest`) because ``(R/psi)' = -R/psi^2 < 0`` where
    ``R' = 0``, so it is on the stable stocked branch: one step's slope there is
    ``(1 - h)(1 + R'(psi)) = 1 - h < 1``. With hazard in the bistable window, a full orchard
    reaches it but a depleted one does not. Returned as floats, checked to be a rest point.

    Examples
    --------
    >>> y = mean_field_maximum_yield()
    >>> float(mean_field_collapse_harvest()) < y.hazard < mean_field_fold_harvest()[0]
    True
    >>> round(y.density, 3), round(y.harvest, 5)
    (0.368, 0.01421)
    """
    psi = sympy.Symbol("psi")
    regrowth = _regrowth_polynomial(psi)
    best = _maximiser(regrowth, psi)
    after = float(sympy.N(best, 30))
    grown = float(sympy.N(regrowth.subs(psi, best), 30))
    density = after + grown
    hazard = grown / density
    rest = mean_field_step(density, hazard)
    if not abs(rest - density) <= _YIELD_RTOL * density:  # pragma: no cover - a broken root
        raise DynamicsError(
            f"the maximum-yield density {density!r} is not a rest point at hazard {hazard!r} "
            f"(one step gives {rest!r})"
        )
    return MeanFieldYield(hazard, density, hazard * density)
