"""Two populations and group games: rows X-POP-01, X-GRP-01 and X-GRP-02.

X-POP-01: matching pennies played by two populations. Theory: the interior rest point is a
centre (exact eigenvalues ``±i``) and ``H = log x_0 + log x_1 + log y_0 + log y_1`` is a
constant of motion (its derivative along the two-population replicator vanishes identically).
Simulation: orbits integrated from random starts (:mod:`dynamics.two_populations`), ``H``'s
largest drift along them.

X-GRP-01: the public goods game with ``r < d``: defection is dominant (every Bernstein
coefficient of the gain function negative, exact), and one cooperator among defectors fixes
with probability below neutral ``1 / N`` (the birth-death product formula, exact under the Moran
process). Simulation: the chain run to absorption many times, a Wilson interval.

X-GRP-02: the N-person stag hunt (Pacheco et al. 2009) has two interior rest points, exact roots
of the gain function (a coordination threshold ``x_L``, unstable, and a stable mixture ``x_R``).
Simulation: the group replicator integrated from both sides of ``x_L`` and from above ``x_R``.

Compute → judge → render: each ``_compute_*`` returns numbers, ``_judge_*`` the verdict, the
claim and table are rendered from both.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from dynamics.basins import wilson_interval
from dynamics.finite.chain import population_states
from dynamics.finite.groups import (
    group_fixation_probability,
    group_process,
    group_transition_matrix,
)
from dynamics.group_flows import integrate_group
from dynamics.two_populations import integrate_two_populations
from numpol.agreement import K_SE, within_relative, within_wilson
from numpol.registry import Claim, Experiment, Result, Table
from theory.group_games import (
    gain_coefficients,
    group_rest_points,
    public_goods_game,
    stag_hunt_game,
)
from theory.two_populations import classify_two_population_rest_point

__all__ = ["EXPERIMENTS"]

PENNIES = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
PENNIES_STARTS, PENNIES_T = 200, 50.0
#: Largest drift of H allowed along an orbit: the integrator keeps each log share to a relative
#: 1e-9 + absolute 1e-11 per step; over t = 50 (~10^3 steps) the errors add up to ~1e-6 at
#: most, and a dynamics that did not conserve H (any other game) drifts by O(1).
H_DRIFT = 1e-5

PGG_D, PGG_R, PGG_N, PGG_W = 5, 3, 20, Fraction(1, 2)
PGG_RUNS = 40_000

STAG_D, STAG_R, STAG_THRESHOLD = 5, 4, 3
STAG_OFFSET = 0.01  # starts this far either side of the threshold x_L
STAG_T = 400.0
#: An integrated orbit has reached an attractor when within this of it (rtol 1e-8 runs).
STAG_ATOL = 1e-6


# ---------------------------------------------------------------------------------------------
# X-POP-01


def _run_pennies(rng: np.random.Generator) -> Result:
    half = Fraction(1, 2)
    centre = classify_two_population_rest_point(PENNIES, [half, half], [half, half])
    x0 = rng.dirichlet([1, 1], PENNIES_STARTS)
    y0 = rng.dirichlet([1, 1], PENNIES_STARTS)
    tr = integrate_two_populations(PENNIES, x0, y0, PENNIES_T, rtol=1e-9, atol=1e-11)
    H = np.log(tr.x).sum(axis=2) + np.log(tr.y).sum(axis=2)  # (k, T)
    drift = float(np.max(np.abs(H - H[:, :1])))
    spread = float(np.ptp(H[:, 0]))  # how far apart the orbits' levels are
    agreement = within_relative(
        H, np.repeat(H[:, :1], H.shape[1], axis=1), rtol=H_DRIFT, scale=1.0, what="H(t) vs H(0)"
    )
    holds = centre.kind == "centre" and bool(agreement)
    claim = Claim(
        "X-POP-01",
        "Matching pennies, two populations: the interior rest point is a centre and "
        "H = sum log x_i + sum log y_j is conserved along orbits",
        f"centre, eigenvalues {', '.join(map(str, centre.eigenvalues))} (exact); dH/dt = 0",
        f"{PENNIES_STARTS} orbits to t = {PENNIES_T:g}: max |H(t) - H(0)| = {drift:.1e} "
        f"(levels of H spread over {spread:.2f})",
        holds,
        "yes" if holds else "no",
        f"tolerance {H_DRIFT:g}: the integrator's accumulated error at rtol 1e-9 over t = 50 "
        "is ~1e-6; a non-conserved quantity moves by O(1).",
        rule=agreement.rule,
    )
    table = Table(
        "Matching pennies, two populations: the conserved quantity along integrated orbits",
        ("orbits", "t_end", "max |H(t) - H(0)|", "tolerance", "kind of (1/2, 1/2)"),
        ((str(PENNIES_STARTS), f"{PENNIES_T:g}", f"{drift:.2e}", f"{H_DRIFT:g}", centre.kind),),
    )
    return Result(claims=(claim,), tables=(table,))


# ---------------------------------------------------------------------------------------------
# X-GRP-01


def _absorbed_at_top(
    up: np.ndarray, down: np.ndarray, start: int, runs: int, rng: np.random.Generator
) -> int:
    """Runs of the birth-death chain (jump chain: the moves only) absorbed at the top state."""
    N = up.size - 1
    s = np.full(runs, start)
    live = np.ones(runs, dtype=bool)
    while live.any():
        i = np.flatnonzero(live)
        p_up = up[s[i]] / (up[s[i]] + down[s[i]])
        s[i] += np.where(rng.random(i.size) < p_up, 1, -1)
        live[i] = (s[i] > 0) & (s[i] < N)
    return int(np.sum(s == N))


def _run_public_goods(rng: np.random.Generator) -> Result:
    game = public_goods_game(PGG_D, r=PGG_R, c=1)
    gains = gain_coefficients(game)
    dominant = all(g < 0 for g in gains)
    process = group_process(game, PGG_N, rule="moran", w=PGG_W)
    rho = group_fixation_probability(process, 0, 1)  # one cooperator among defectors
    P = group_transition_matrix(process).tocsr()
    states = population_states(PGG_N, 2)  # row l: l cooperators
    assert np.array_equal(states[:, 0], np.arange(PGG_N + 1))
    up = np.array([P[l, l + 1] if l < PGG_N else 0.0 for l in range(PGG_N + 1)])
    down = np.array([P[l, l - 1] if l > 0 else 0.0 for l in range(PGG_N + 1)])
    hits = _absorbed_at_top(up, down, 1, PGG_RUNS, rng)
    agreement = within_wilson(hits, PGG_RUNS, float(rho))
    lo, hi = wilson_interval(hits, PGG_RUNS, z=K_SE)
    below = float(rho) < 1 / PGG_N and hi < 1 / PGG_N
    claim = Claim(
        "X-GRP-01",
        f"Public goods game, r = {PGG_R} < d = {PGG_D}: defection dominant, and one cooperator "
        f"fixes with probability below neutral 1/N",
        f"gain coefficients all {gains[0]} < 0; rho_C = {float(rho):.3e} (exact) < 1/N = "
        f"{1 / PGG_N:g}",
        f"{PGG_RUNS} runs of the chain: {hits} fixations, Wilson (z = {K_SE:g}) "
        f"[{lo:.2e}, {hi:.2e}]",
        bool(agreement) and dominant,
        "yes" if dominant and below else "no",
        f"Moran, N = {PGG_N}, w = {PGG_W} (linear fitness), c = 1. The seed's statement holds "
        "if the exact value and the whole interval are below 1/N.",
        rule=agreement.rule,
    )
    table = Table(
        "Public goods game: fixation of one cooperator, exact vs simulated",
        ("d", "r", "N", "w", "rho_C exact", f"simulated [Wilson, z = {K_SE:g}]", "1/N"),
        (
            (
                str(PGG_D),
                str(PGG_R),
                str(PGG_N),
                str(PGG_W),
                f"{float(rho):.3e}",
                f"{hits / PGG_RUNS:.3e} [{lo:.2e}, {hi:.2e}]",
                f"{1 / PGG_N:g}",
            ),
        ),
    )
    return Result(claims=(claim,), tables=(table,))


# ---------------------------------------------------------------------------------------------
# X-GRP-02


def _run_stag_hunt(rng: np.random.Generator) -> Result:
    game = stag_hunt_game(STAG_D, r=STAG_R, threshold=STAG_THRESHOLD)
    interior = [p for p in group_rest_points(game) if 0 < float(p.x) < 1]
    two = len(interior) == 2 and not interior[0].stable and interior[1].stable
    x_l, x_r = (float(p.x) for p in interior)
    starts = np.array([x_l - STAG_OFFSET, x_l + STAG_OFFSET, min(1 - 1e-3, x_r + 0.1)])
    tr = integrate_group(
        game, np.stack([starts, 1 - starts], axis=1), STAG_T, n_out=2, rtol=1e-8, atol=1e-10
    )
    ends = tr.final[:, 0]
    targets = np.array([0.0, x_r, x_r])
    agreement = within_relative(ends, targets, rtol=STAG_ATOL, scale=1.0, what="orbit ends")
    reached = bool(agreement)
    claim = Claim(
        "X-GRP-02",
        f"N-person stag hunt (d = {STAG_D}, r = {STAG_R}, threshold {STAG_THRESHOLD}): two "
        "interior rest points, an unstable threshold and a stable mixture",
        f"roots of the gain function (exact): x_L = {x_l:.6f} (unstable), x_R = {x_r:.6f} (stable)",
        f"orbits from x_L -/+ {STAG_OFFSET} and x_R + 0.1 end at "
        + ", ".join(f"{v:.6f}" for v in ends),
        reached and two,
        "yes" if two else "no",
        f"Pacheco et al. 2009. Group replicator integrated to t = {STAG_T:g} (rtol 1e-8); rule: "
        f"each orbit within {STAG_ATOL:g} of the attractor theory predicts (0 below x_L, x_R "
        "above).",
        rule=agreement.rule,
    )
    table = Table(
        "N-person stag hunt: interior rest points and where orbits go",
        ("start", "predicted end", "integrated end"),
        tuple(
            (f"{s:.6f}", f"{t:.6f}", f"{e:.6f}")
            for s, t, e in zip(starts, targets, ends, strict=True)
        ),
    )
    return Result(claims=(claim,), tables=(table,))


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment("pop-pennies", "Matching pennies: conserved quantity (X-POP-01)", _run_pennies),
    Experiment(
        "grp-public-goods",
        "Public goods, r < d: fixation below neutral (X-GRP-01)",
        _run_public_goods,
    ),
    Experiment(
        "grp-stag-hunt", "N-person stag hunt: two interior roots (X-GRP-02)", _run_stag_hunt
    ),
)
