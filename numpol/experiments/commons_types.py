"""Social Environment Design's agent types on the commons: row X-SED-07 (multiple equilibria).

"theory" is the exact active-set enumeration of :func:`theory.commons.steady_state_nash`;
"simulation" is an independent numerical check: sequential best-response dynamics in which
each agent maximises its reward (:func:`theory.commons.harvester_rewards`) over its own effort
with a bounded scalar optimiser, from random starting profiles, never using the closed-form
marginal coefficients.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar

from numpol.registry import Claim, Experiment, Result, Table
from theory.commons import HarvestCommons, harvester_rewards, steady_state_nash
from theory.policy.voting import draw_types

__all__ = ["EXPERIMENTS"]

COMMONS = HarvestCommons(1, 100, 1, 10)
N_AGENTS, SEEDS, TAXES = 4, 300, (0, 0.5, 1)
# A numerically optimised best response is accurate to the optimiser's xatol (1e-10 in effort
# units of r/q = 1); a profile counts as a known equilibrium within 1e-6, and best-response
# dynamics stop when no effort moves by more than 1e-9 in a sweep.
MATCH_ATOL, MOVE_ATOL, SWEEPS, STARTS = 1e-6, 1e-9, 400, 12


def _best_response(types: Any, profile: np.ndarray, i: int, tax: float) -> float:
    def loss(e: float) -> float:
        trial = profile.copy()
        trial[i] = e
        return -float(harvester_rewards(COMMONS, types, trial, tax)[i])

    upper = float(COMMONS.r / COMMONS.q)
    res = minimize_scalar(loss, bounds=(0.0, upper), method="bounded", options={"xatol": 1e-10})
    best = float(res.x)
    return 0.0 if loss(0.0) <= loss(best) else best  # the corner is a candidate too


def _dynamics(types: Any, tax: float, rng: np.random.Generator) -> list[np.ndarray]:
    ends = []
    for _ in range(STARTS):
        profile = rng.uniform(0, 0.5, N_AGENTS)
        for _ in range(SWEEPS):
            old = profile.copy()
            for i in range(N_AGENTS):
                profile[i] = _best_response(types, profile, i, tax)
            if np.max(np.abs(profile - old)) < MOVE_ATOL:
                ends.append(profile)
                break
    return ends


def _run(rng: np.random.Generator) -> Result:
    counts, example = 0, None
    for seed in range(SEEDS):
        types = draw_types(N_AGENTS, rng=seed)
        for tax in TAXES:
            found = steady_state_nash(COMMONS, types, tax, continuum="equal")
            if len(found) > 1:
                counts += 1
                if example is None or len(found) > len(example[2]):
                    example = (seed, tax, found)
    assert example is not None, "no multiplicity found; the row below would be vacuous"
    seed, tax, found = example
    types = draw_types(N_AGENTS, rng=seed)
    exact = [np.array(e.efforts, dtype=float) for e in found]
    ends = _dynamics(types, tax, rng)
    reached = {
        j for end in ends for j, eq in enumerate(exact) if np.max(np.abs(end - eq)) < MATCH_ATOL
    }
    strays = [end for end in ends if all(np.max(np.abs(end - eq)) >= MATCH_ATOL for eq in exact)]
    # every enumerated profile passes the numerical best-response test
    stable = all(
        abs(_best_response(types, eq, i, tax) - eq[i]) < MATCH_ATOL
        for eq in exact
        for i in range(N_AGENTS)
    )
    rows = tuple(
        (
            str(j),
            ", ".join(f"{v:.4f}" for v in eq),
            f"{float(found[j].stock):.2f}",
            "yes" if j in reached else "no",
        )
        for j, eq in enumerate(exact)
    )
    claim = Claim(
        "X-SED-07",
        "With Social Environment Design's types, the commons can have several steady-state "
        "Nash equilibria (which agents harvest is not determined)",
        f"exact enumeration: {counts} of {SEEDS * len(TAXES)} draws (4 uniform types x taxes "
        f"{TAXES}) have several equilibria; seed {seed}, tax {tax}: {len(found)} equilibria",
        f"numerical best responses confirm all {len(found)}: {stable}; best-response dynamics "
        f"from {STARTS} random starts: {len(ends)} converged, reaching {len(reached)} of them, "
        f"{len(strays)} elsewhere",
        bool(stable and not strays and reached),
        "open",
        "The seed does not discuss equilibrium selection. Multiplicity needs some C_i <= 0, "
        "C_i = beta(1 - t) + (1 - beta)(2 sigma - 1) (with every C_i > 0 the total solves "
        "u = sum_i max(0, (A_i - B_i u)/C_i), whose right side falls in u: one solution): "
        "agents who weigh others' apples above their "
        "own and trust the principal little, typically at high tax, where efforts are strong "
        "strategic substitutes. Then the principal's tax does not pin down who harvests, and "
        "best-response dynamics select only some of the equilibria. "
        f"Match tolerance {MATCH_ATOL:g} (optimiser xatol 1e-10).",
    )
    table = Table(
        f"Equilibria for seed {seed}, tax {tax} (efforts in units of r/q)",
        ("#", "efforts", "stock", "reached by BR dynamics"),
        rows,
    )
    return Result(claims=(claim,), tables=(table,))


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment(
        "commons-types", "SED agent types: multiple steady-state equilibria (X-SED-07)", _run
    ),
)
