"""The seed verdicts of the evolution rows (MC-09..11, X-EVO-01): what the seed claims, and
whether the computed numbers support it.

Pure functions of exact values and measured numbers, each returning a
:data:`numpol.registry.SeedHolds` (``yes``/``no``/``conditional``/``open``); the readings of the
seed's informal words ("very slow", "almost all", "most of its time") are the constants here,
each with its justification. The experiments that call them are
:mod:`numpol.experiments.evolution` and :mod:`numpol.experiments.evolution_cycles`; MC-12's and
MC-13's verdicts sit beside their rows (:func:`numpol.experiments.evolution_basins.basin_verdict`,
:func:`numpol.experiments.evolution_entry.entry_holds`), with :func:`eps_verdict` from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from dynamics.basins import wilson_interval
from numpol.errors import NumpolError
from numpol.registry import SeedHolds

__all__ = [
    "SLOW_SPIRAL",
    "ALMOST_ALL_STARTS",
    "MOST_TIME",
    "SMALL_D",
    "rest_points_verdict",
    "stability_verdict",
    "eps_verdict",
    "cycling_holds",
    "time_average_verdict",
]

#: The seed's "very slow spiraling outward", read as: the amplitude grows by less than a factor
#: 2 per revolution, i.e. Re λ / abs(Im λ) < ln 2 / (2π) for the spiral's eigenvalue λ (a faster
#: spiral would leave the equilibrium within a turn or two, which nobody would call "very slow").
SLOW_SPIRAL = float(np.log(2) / (2 * np.pi))
#: The seed's "almost all initial conditions", read as: at least 90 % of uniform interior
#: starts. The measure-theoretic reading (all but a null set) fails at every ε > 0, since
#: DefectBot is a strict sink whose basin has positive volume (MC-12 measures it); the seed
#: reports what a few simulations "seemed to show": 9 in 10 keeps "almost all" far above a bare
#: majority while leaving room for the D basin that the seed's own model has at every ε > 0.
ALMOST_ALL_STARTS = 0.9
#: "Spends most of its time with almost all FairBots": the median cycling orbit's share of time
#: with FairBot share above ``dynamics.longrun.ALMOST_ALL`` exceeds one half.
MOST_TIME = 0.5
#: "DefectBots pushed down into a very small proportion": below 1e-6 over the run's second half.
SMALL_D = 1e-6


def rest_points_verdict(
    rest_points: Iterable[tuple[Any, ...]],
    nash_points: Iterable[tuple[Any, ...]],
    seed_equilibria: Iterable[tuple[Any, ...]],
) -> SeedHolds:
    """MC-09's verdict: do the seed's rest points match the exact list?

    The seed says its three symmetric equilibria are rest points and that "any point where all
    the agents are the same" (every vertex) is one too, "for example": further rest points do
    not contradict it, but the rest points that are symmetric Nash equilibria must be exactly
    its three.

    Parameters
    ----------
    rest_points : iterable of tuple
        Every rest point of the flow (exact coordinates).
    nash_points : iterable of tuple
        Those rest points that are symmetric Nash equilibria.
    seed_equilibria : iterable of tuple
        The seed's equilibria (exact coordinates); the vertices are added here.

    Returns
    -------
    {"yes", "no"}
        ``yes`` iff every vertex and every seed equilibrium is a rest point and the Nash rest
        points are exactly the seed's equilibria.

    Examples
    --------
    >>> seed = [(1, 0), (0, 1)]
    >>> rest_points_verdict([(1, 0), (0, 1), (0.5, 0.5)], seed, seed)
    'yes'
    >>> rest_points_verdict([(1, 0), (0, 1), (0.5, 0.5)], [*seed, (0.5, 0.5)], seed)
    'no'
    """
    rest, nash, seed = set(rest_points), set(nash_points), set(seed_equilibria)
    n = len(next(iter(rest | seed), ()))
    vertices = {tuple(int(i == j) for j in range(n)) for i in range(n)}
    return "yes" if vertices | seed <= rest and nash == seed else "no"


def stability_verdict(
    defect: Iterable[Any], mix: Iterable[Any], spiral: Iterable[Any], *, slow: float = SLOW_SPIRAL
) -> SeedHolds:
    """MC-10's verdict from exact eigenvalues: the seed's stability claims, each by its sign.

    Parameters
    ----------
    defect, mix : iterable of numbers
        Eigenvalues at the DefectBot vertex and at the DefectBot/FairBot mix (whole simplex).
    spiral : iterable of numbers
        Eigenvalues of the good equilibrium within its face (sympy or Python numbers).
    slow : float
        Largest Re λ / abs(Im λ) of a "very slow" spiral (``SLOW_SPIRAL``).

    Returns
    -------
    {"yes", "no"}
        ``yes`` iff every eigenvalue at D has a negative real part (stable), one at the mix a
        positive real part (unstable), and the good equilibrium has a complex pair with
        0 < Re λ < `slow` · abs(Im λ) (a slow outward spiral).

    Examples
    --------
    >>> stability_verdict([-1, -0.1], [-0.8, 0.09], [0.0025 + 0.09j, 0.0025 - 0.09j])
    'yes'
    >>> stability_verdict([-1, -0.1], [-0.8, 0.09], [0.05 + 0.09j, 0.05 - 0.09j])
    'no'
    """
    # signs decided exactly on sympy numbers (an exact eigenvalue keeps its exact real part)
    d, m, g = (
        [(sympy.re(sympy.sympify(v)), sympy.im(sympy.sympify(v))) for v in vs]
        for vs in (defect, mix, spiral)
    )
    stable = bool(d) and all(bool(re < 0) for re, _ in d)
    unstable = any(bool(re > 0) for re, _ in m)
    slow_out = any(bool(im != 0) and bool(0 < re < slow * abs(im)) for re, im in g)
    return "yes" if stable and unstable and slow_out else "no"


def eps_verdict(holds: dict[Fraction, bool | None]) -> tuple[SeedHolds, str]:
    """A small-ε claim's verdict from whether it holds at each penalty tried.

    ``True`` holds, ``False`` fails, ``None`` undecided (e.g. an interval straddling a
    threshold). The claim is about small ε, so it is ``conditional`` when it holds at every ε
    up to some ε₀ and fails above.

    Returns
    -------
    tuple
        The verdict and the condition (empty unless ``conditional``): ``yes`` if it holds at
        every ε, ``no`` if at none or if it fails at a smaller ε than one where it holds,
        ``conditional`` if it holds exactly for ε ≤ ε₀, ``open`` if some ε is undecided.

    Examples
    --------
    >>> from fractions import Fraction as Fr
    >>> eps_verdict({Fr(1, 5): False, Fr(1, 10): True, Fr(1, 20): True})
    ('conditional', 'ε ≤ 1/10 (of ε = 1/5, 1/10, 1/20); fails at ε = 1/5')
    >>> eps_verdict({Fr(1, 10): True, Fr(1, 20): False})[0]
    'no'
    """
    if not holds:
        raise NumpolError("eps_verdict needs at least one penalty")
    eps = sorted(holds, reverse=True)
    if any(holds[e] is None for e in eps):
        return "open", ""
    ok = [e for e in eps if holds[e]]
    if len(ok) == len(eps):
        return "yes", ""
    if not ok or any(not holds[e] for e in eps if e < max(ok)):
        return "no", ""
    failed = [e for e in eps if not holds[e]]
    tried = ", ".join(map(str, eps))
    return "conditional", (
        f"ε ≤ {max(ok)} (of ε = {tried}); fails at ε = {', '.join(map(str, failed))}"
    )


def cycling_holds(
    labels: set[str], cycling: int, starts: int, shares: np.ndarray, dmax: np.ndarray
) -> bool | None:
    """Whether MC-11's seed statement holds at one penalty (for :func:`eps_verdict`).

    Parameters
    ----------
    labels : set of str
        The cycles detected among the cycling orbits.
    cycling, starts : int
        How many of the uniform interior `starts` cycle.
    shares, dmax : numpy.ndarray
        Per cycling orbit, the share of time with almost all FairBots and the largest
        DefectBot share over the run's second half.

    Returns
    -------
    bool or None
        ``True`` if the only cycle is C→P→F, the 95 % Wilson interval of ``cycling / starts``
        lies above ``ALMOST_ALL_STARTS``, the median time share exceeds ``MOST_TIME`` and every
        DefectBot share stays below ``SMALL_D``; ``False`` if one of these fails (the interval
        entirely below the threshold); ``None`` if only the interval straddles the threshold.

    Examples
    --------
    >>> import numpy as np
    >>> s, d = np.array([0.7, 0.8]), np.array([0.0, 1e-9])
    >>> cycling_holds({"C→P→F"}, 147, 150, s, d), cycling_holds({"C→P→F"}, 100, 150, s, d)
    (True, False)
    >>> print(cycling_holds({"C→P→F"}, 135, 150, s, d))
    None
    """
    lo, hi = wilson_interval(cycling, starts)
    rest = (
        labels == {"C→P→F"}
        and float(np.median(shares)) > MOST_TIME
        and bool(np.all(dmax < SMALL_D))
    )
    if not rest or hi < ALMOST_ALL_STARTS:
        return False
    return True if lo > ALMOST_ALL_STARTS else None


def time_average_verdict(
    residuals: list[float],
    gap_ratios: np.ndarray,
    rho: Fraction,
    invasion: list[Fraction],
    *,
    tol: float,
) -> SeedHolds:
    """X-EVO-01's verdict on its statement "the cycling orbits' time averages do not converge
    to the interior equilibrium".

    Parameters
    ----------
    residuals, gap_ratios
        As for :func:`numpol.experiments.evolution_cycles.averages_do_not_converge`.
    rho : Fraction
        The cycle's exact contraction/expansion ratio within its face (> 1: attracting there).
    invasion : list of Fraction
        The exact invasion rates of the strategy outside the cycle's face at its vertices.
    tol : float
        Largest residual of the time-average identity that counts as a trusted integration.

    Returns
    -------
    {"yes", "no", "open"}
        ``no`` if the averages converge like 1/T (median ratio ≤ 1/2: halving T halves the
        gap), given a trusted integration (every residual below `tol`); ``yes`` if
        they do not, and the theory proves it: ``rho > 1`` with every outside invasion rate
        negative makes the cycle saturated and asymptotically stable (Hofbauer 1994,
        heteroclinic cycles in ecological equations), and the time averages of orbits
        attracted to such a cycle do not converge (Gaunersdorfer 1992); ``open`` otherwise
        (non-convergence seen only up to the run's horizon, or an untrusted integration).

    Examples
    --------
    >>> import numpy as np
    >>> from fractions import Fraction as Fr
    >>> r = np.array([0.9, 1.1])
    >>> time_average_verdict([1e-9], r, Fr(9, 4), [Fr(-1, 2), Fr(-1)], tol=1e-6)
    'yes'
    >>> time_average_verdict([1e-9], r, Fr(9, 4), [Fr(1), Fr(-1)], tol=1e-6)
    'open'
    >>> time_average_verdict([1e-9], np.array([0.5, 0.45]), Fr(9, 4), [Fr(-1)], tol=1e-6)
    'no'
    """
    if not residuals or max(residuals) >= tol:
        return "open"
    if float(np.median(gap_ratios)) <= 0.5:
        return "no"
    saturated = rho > 1 and all(v < 0 for v in invasion)
    return "yes" if saturated else "open"
