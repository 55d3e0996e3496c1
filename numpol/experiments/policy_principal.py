"""Social Environment Design's principal as Stackelberg leader on the voted objective (SED-03).

Three brackets (cut-offs 0, 39.475, 160.725 coins), rates on Social Environment Design's grid
{0, 10, ..., 100 %}; the objective ηΣc + (1 − η) min c with η the vote of four uniform types.

compute → judge → render: :func:`compute_principal` searches the grid exhaustively, runs the
continuous optimiser (differential evolution + coordinate search, the baselines seeded) and
evaluates the baselines (free market, US federal's rates, the Saez fixed point where it exists:
the Saez re-estimation has no fixed point for the AI Economist's preferences on these cut-offs,
and that is reported, never replaced by an unconverged iterate).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numpol.agreement import FLOAT_RTOL
from numpol.registry import Claim, Experiment, Result, Table
from theory.policy.economy import DEFAULT_INCOMES, PRESETS, calibrate_skills
from theory.policy.principal import evaluate, grid_search, optimise_rates
from theory.policy.saez import SaezSchedule, saez_schedule
from theory.policy.tax import US_FEDERAL_2018_CUTOFFS, TaxSchedule, free_market
from theory.policy.voting import draw_types, eta_mean_selfishness

__all__ = ["EXPERIMENTS", "CUT3", "PrincipalEvidence", "compute_principal", "judge_principal"]

#: Three cut-offs of the US federal 2018 schedule (its 1st, 3rd and 5th), the principal's brackets.
CUT3 = (US_FEDERAL_2018_CUTOFFS[0], US_FEDERAL_2018_CUTOFFS[2], US_FEDERAL_2018_CUTOFFS[4])
US_RATES3 = ("0.1", "0.22", "0.32")
ETAS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class PrincipalEvidence:
    """Per preset: the grid optimum (rates, value, number of tied rows), the continuous
    optimum (rates, value), the baselines' values, the Saez search; and the η sweep rows
    (preset, η, grid rates, grid value, best baseline)."""

    eta: float
    grid: dict[str, tuple[np.ndarray, float, int]]
    continuous: dict[str, tuple[np.ndarray, float]]
    baselines: dict[str, dict[str, float]]
    saez: dict[str, SaezSchedule]
    sweep: tuple[tuple[str, float, np.ndarray, float, float], ...]


def _baselines(saez: SaezSchedule) -> dict[str, TaxSchedule]:
    base = {"free market": free_market(CUT3), "US federal": TaxSchedule(CUT3, US_RATES3)}
    if saez.converged:  # no fixed point: no Saez baseline (the table says so)
        base["Saez"] = saez.schedule
    return base


def compute_principal(rng: np.random.Generator) -> PrincipalEvidence:
    """The vote, then every preset's grid, continuous search and baselines, and the η sweep."""
    eta = float(eta_mean_selfishness(draw_types(4, rng=rng).selfishness))
    grid, cont, bvals, saez, sweep = {}, {}, {}, {}, []
    for name, prefs in PRESETS.items():
        w = calibrate_skills(DEFAULT_INCOMES, prefs)
        found = grid_search(CUT3, w, prefs, objective="eta", eta=eta)
        grid[name] = (found.rates, found.value, len(found.optimal_rates))
        saez[name] = saez_schedule(CUT3, w, prefs, strict=False)
        base = _baselines(saez[name])
        bvals[name] = {
            k: evaluate(s, w, prefs, objective="eta", eta=eta).objective for k, s in base.items()
        }
        cands = [np.asarray(s.float_arrays()[2]) for s in base.values()]
        de = optimise_rates(
            CUT3, w, prefs, objective="eta", eta=eta, candidates=cands, rng=rng.spawn(1)[0]
        )
        cont[name] = (de.rates, de.value)
        for e in ETAS:
            g = grid_search(CUT3, w, prefs, objective="eta", eta=e)
            b = max(evaluate(s, w, prefs, objective="eta", eta=e).objective for s in base.values())
            sweep.append((name, e, g.rates, g.value, b))
    return PrincipalEvidence(eta, grid, cont, bvals, saez, tuple(sweep))


def judge_principal(ev: PrincipalEvidence) -> Claim:
    """SED-03: the leader's best (grid and continuous, baselines seeded) is at least every
    baseline by construction; the rule that can fail: the continuous search reaches the grid
    optimum in every preset."""
    reach = {k: ev.continuous[k][1] >= v * (1 - FLOAT_RTOL) for k, (_, v, _) in ev.grid.items()}
    leader = {k: max(ev.grid[k][1], ev.continuous[k][1]) for k in ev.grid}
    at_least = all(leader[k] >= max(b.values()) for k, b in ev.baselines.items())
    no_saez = [k for k, s in ev.saez.items() if not s.converged]
    return Claim(
        "SED-03",
        "The Stackelberg principal does at least as well as every baseline on the voted objective",
        f"exhaustive 3 × 11 grid (η = {ev.eta:.3f}): "
        + "; ".join(
            f"{k}: grid {ev.grid[k][1]:.2f}, best baseline {max(b.values()):.2f}"
            for k, b in ev.baselines.items()
        ),
        "differential evolution + coordinate search (continuous rates): "
        + "; ".join(f"{k} {ev.continuous[k][1]:.2f}" for k in ev.grid),
        all(reach.values()) and at_least,
        "yes" if at_least else "no",
        "The seed's objective adds the sum (N terms) to one minimum, so with N = 4 the "
        "principal gains over the free market only for small η (see the η table): uniform "
        "selfishness votes η ≈ 1/2, where the principal chooses no tax in all three presets. "
        + (
            f"No Saez baseline for {', '.join(no_saez)}: its re-estimation has no fixed point "
            "on these cut-offs (see the table). "
            if no_saez
            else ""
        )
        + "The row fails if the continuous search ends below the grid optimum in a preset",
        evidence="by construction",
        evidence_note="the baselines are seeded into the continuous search, so the leader's "
        "best is at least every baseline whatever the numbers; the content is the value gap "
        "and whether the continuous search reaches the exhaustive grid",
        rule="continuous ≥ grid optimum (1e-9 relative): "
        + ", ".join(f"{k} {ev.continuous[k][1]:.4f} ≥ {ev.grid[k][1]:.4f}" for k in ev.grid),
    )


def render_principal(ev: PrincipalEvidence) -> tuple[Table, Table]:
    """The principal's table (with the Saez search's state) and the η sweep."""

    def saez_cell(s: SaezSchedule) -> str:
        if s.converged:
            return f"fixed point in {s.rounds} rounds"
        return f"NO fixed point: rates still move by {s.change:.3f} after {s.rounds} rounds"

    main = Table(
        f"The principal on 3 brackets (cut-offs 0, 39.475, 160.725) maximising "
        f"η·Σc + (1 − η)·min c with η = mean σ = {ev.eta:.3f}",
        (
            "preset",
            "grid optimum rates % (11^3)",
            "value",
            "tied",
            "continuous rates %",
            "value",
            "baselines",
            "Saez re-estimation",
        ),
        tuple(
            (
                k,
                " ".join(f"{100 * v:.0f}" for v in ev.grid[k][0]),
                f"{ev.grid[k][1]:.2f}",
                str(ev.grid[k][2]),
                " ".join(f"{100 * v:.1f}" for v in ev.continuous[k][0]),
                f"{ev.continuous[k][1]:.2f}",
                ", ".join(f"{b} {v:.2f}" for b, v in ev.baselines[k].items()),
                saez_cell(ev.saez[k]),
            )
            for k in ev.grid
        ),
    )
    sweep = Table(
        "Grid optimum (3 brackets × 11 rates) against the best baseline, by η",
        ("preset", "η", "optimal rates %", "value", "best baseline", "gain"),
        tuple(
            (
                k,
                f"{e:.2f}",
                " ".join(f"{100 * v:.0f}" for v in r),
                f"{v:.2f}",
                f"{b:.2f}",
                f"{100 * (v - b) / abs(b):+.1f} %",
            )
            for k, e, r, v, b in ev.sweep
        ),
    )
    return main, sweep


def _run(rng: np.random.Generator) -> Result:
    ev = compute_principal(rng)
    return Result(claims=(judge_principal(ev),), tables=render_principal(ev))


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS: tuple[Experiment, ...] = (
    Experiment(
        "policy-principal", "The Stackelberg principal on the voted objective (SED-03)", _run
    ),
)
