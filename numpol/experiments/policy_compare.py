"""The AI Economist's comparison in a labour economy: free market, US federal, Saez and the
principal's optimised schedule (AE-04..06).

Model (named in every table): N = 4 agents (the AI Economist's count) whose free-market incomes
are 25, 63, 159, 400 coins (geometric), one tax period, the US federal cut-offs in coins, agents
that count their own 1/N rebate share (Nash), objectives on post-tax-and-rebate coins.

compute → judge → render: :func:`compute_compare` solves every preset (exact followers'
equilibria; the optimiser with restarts; the independent checks: each agent's best response by
brute force on a labour grid, every follower equilibrium on a labour grid
(:func:`theory.policy.brute_force.grid_follower_equilibria`, judged in
:mod:`numpol.experiments.policy_equilibria`), and an exhaustive grid over the brackets that
matter),
:func:`judge_compare` turns the record into rows,
:func:`numpol.experiments.policy_compare_render.render_compare` into tables and figures.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from numpol.agreement import FLOAT_RTOL, exactly_equal
from numpol.errors import NumpolError
from numpol.experiments.policy_equilibria import grid_counts, grid_uniqueness
from numpol.registry import Claim, Experiment, Result, SeedHolds
from theory.policy.brute_force import (
    GridBestResponses,
    GridEquilibria,
    grid_best_responses,
    grid_follower_equilibria,
)
from theory.policy.economy import DEFAULT_INCOMES, PRESETS, calibrate_skills
from theory.policy.principal import (
    GridSearch,
    OptimisedRates,
    PolicyOutcome,
    compare_baselines,
    grid_search,
)
from theory.policy.tax import US_FEDERAL_2018_CUTOFFS, redistribute
from theory.policy.welfare import equality

__all__ = [
    "EXPERIMENTS",
    "AE_PUBLISHED",
    "RESTARTS",
    "PresetEvidence",
    "CompareEvidence",
    "compute_compare",
    "judge_compare",
    "optimised_search",
    "shape",
    "schedule_shape",
]

#: prod / eq / eq·prod as the AI Economist reports them (its Table, episode sums).
AE_PUBLISHED = {
    "free market": (3285, 0.39, 1278),
    "US federal": (2656, 0.48, 1261),
    "Saez": (2759, 0.52, 1435),
    "optimised": (2907, 0.57, 1664),
}
#: Optimiser restarts per preset: one_step has two strict local optima (346.47, 347.86) and
#: single runs from seeds 0..3 found the better one once; 6 restarts missed it in none of the
#: seeds tried, and cost ~6 runs (a few seconds to a minute per preset).
RESTARTS = 6
#: The exhaustive grid: rates {0, 1/4, ..., 1} in brackets 1..5. Bracket 0 (0..9.7 coins) is
#: crossed by every agent, so its tax comes back as the equal rebate and changes nothing;
#: bracket 6 starts above every income (510.3 > 400). 5^5 = 3125 schedules.
GRID_RATES = (0.0, 0.25, 0.5, 0.75, 1.0)
GRID_BRACKETS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class PresetEvidence:
    """One preset's record: the four outcomes by name, each schedule's brute-force best
    responses and the productivity/equality they give, the exhaustive grid, the run time, and
    each schedule's every follower equilibrium on a labour grid (``equilibria``)."""

    outcomes: dict[str, PolicyOutcome]
    brute: dict[str, GridBestResponses]
    brute_scores: dict[str, tuple[float, float]]
    grid: GridSearch
    seconds: float
    equilibria: dict[str, GridEquilibria]


@dataclass(frozen=True)
class CompareEvidence:
    """Every preset's :class:`PresetEvidence`."""

    presets: dict[str, PresetEvidence]


def _scores(outcome: PolicyOutcome, z: np.ndarray) -> tuple[float, float]:
    c = np.asarray(redistribute(outcome.schedule, z), dtype=float)
    return float(c.sum()), float(equality(c))


def compute_preset(name: str, rng: np.random.Generator) -> PresetEvidence:
    """One preset: :func:`compare_baselines` with ``RESTARTS`` restarts, the brute force of every
    schedule's followers, and the exhaustive grid."""
    start = time.perf_counter()
    prefs = PRESETS[name]
    w = calibrate_skills(DEFAULT_INCOMES, prefs)
    out = {o.name: o for o in compare_baselines(prefs, restarts=RESTARTS, rng=rng)}
    brute = {k: grid_best_responses(o.schedule, w, prefs, o.equilibrium) for k, o in out.items()}
    scores = {k: _scores(out[k], b.income) for k, b in brute.items()}
    grid = grid_search(
        US_FEDERAL_2018_CUTOFFS, w, prefs, rate_grid=GRID_RATES, brackets=GRID_BRACKETS
    )
    # every follower equilibrium on a labour grid reaching twice the most any agent works
    # under the four schedules (plus 1; an equilibrium at the grid's top would be flagged),
    # with the exact equilibrium's labour added to the grids so that it competes on equal
    # terms (the optimised schedules leave agents within 1e-4 of indifference between two
    # incomes, a gap a 201-level grid alone cannot resolve)
    top = 2 * np.max([o.equilibrium.labour for o in out.values()], axis=0) + 1
    eqs = {
        k: grid_follower_equilibria(
            o.schedule, w, prefs, labour_max=top, levels=o.equilibrium.labour
        )
        for k, o in out.items()
    }
    return PresetEvidence(out, brute, scores, grid, time.perf_counter() - start, eqs)


def compute_compare(rng: np.random.Generator) -> CompareEvidence:
    """Every preset, each on its own spawned stream."""
    streams = dict(zip(PRESETS, rng.spawn(len(PRESETS)), strict=True))
    return CompareEvidence({k: compute_preset(k, s) for k, s in streams.items()})


def schedule_shape(
    rates: np.ndarray, cutoffs: np.ndarray, low: float, top: float, baselines: np.ndarray
) -> tuple[bool, bool]:
    """AE-06's shape of `rates`: (the top earner's bracket taxed above every baseline, the mean
    rate of the brackets strictly between the lowest and the top earner's below every
    baseline's). `low` and `top` are those earners' incomes (an income at a cut-off is in the
    bracket that starts there: the one its next coin is taxed in); `baselines` holds the
    baselines' rates, one row each.

    Examples
    --------
    >>> schedule_shape(np.array([0.0, 0.1, 0.5]), np.array([0.0, 40.0, 160.0]), 25.0, 400.0,
    ...                np.array([[0.1, 0.22, 0.32]]))
    (True, True)
    """
    lo = int(np.searchsorted(cutoffs, low, side="right") - 1)
    hi = int(np.searchsorted(cutoffs, top, side="right") - 1)
    mid = list(range(lo + 1, hi))
    higher = bool(rates[hi] > baselines[:, hi].max())
    lower = bool(mid) and bool(rates[mid].mean() < baselines[:, mid].mean(axis=1).min())
    return higher, lower


def shape(rates: np.ndarray, ev: PresetEvidence) -> tuple[bool, bool]:
    """AE-06's shape (:func:`schedule_shape`) of a schedule's `rates` on the US brackets of
    preset `ev`: the baselines are US federal and Saez, the top earner the optimised
    schedule's, the lowest earner the free market's poorest."""
    cut = np.asarray(ev.outcomes["optimised"].schedule.cutoffs, dtype=float)
    base = np.array(
        [np.asarray(ev.outcomes[k].schedule.rates, dtype=float) for k in ("US federal", "Saez")]
    )
    return schedule_shape(
        np.asarray(rates, dtype=float),
        cut,
        float(ev.outcomes["free market"].equilibrium.income.min()),
        float(ev.outcomes["optimised"].equilibrium.income.max()),
        base,
    )


def _pattern(prod: dict[str, float], eq: dict[str, float]) -> bool:
    """The trade-off: the free market is the most productive and the least equal schedule."""
    return prod["free market"] >= max(prod.values()) and eq["free market"] <= min(eq.values())


def optimised_search(p: PresetEvidence) -> OptimisedRates:
    """The optimiser's record of preset `p`: every restart's value and rates, the optimal ones.

    Raises
    ------
    NumpolError
        If the optimised outcome carries no search record.
    """
    s = p.outcomes["optimised"].search
    if s is None:  # compare_baselines always attaches it
        raise NumpolError("the optimised outcome carries no search record")
    return s


def _pairs(
    P: dict[str, PresetEvidence], names: tuple[str, ...]
) -> dict[str, tuple[GridEquilibria, np.ndarray]]:
    """'preset schedule' -> (its grid equilibria, the exact equilibrium's labour)."""
    return {
        f"{k} {n}": (p.equilibria[n], p.outcomes[n].equilibrium.labour)
        for k, p in P.items()
        for n in names
    }


def _counts(
    P: dict[str, PresetEvidence], names: tuple[str, ...]
) -> dict[str, dict[str, GridEquilibria]]:
    return {k: {n: p.equilibria[n] for n in names} for k, p in P.items()}


def _verdict(flags: dict[str, bool], what: str) -> tuple[SeedHolds, str]:
    """yes if every preset, no if none, else conditional on the presets where it holds."""
    held = [k for k, v in flags.items() if v]
    if len(held) == len(flags):
        return "yes", ""
    if not held:
        return "no", ""
    failed = ", ".join(k for k in flags if k not in held)
    return "conditional", f"{what} holds for the presets {', '.join(held)}; fails for {failed}"


def judge_compare(ev: CompareEvidence) -> tuple[Claim, ...]:
    """AE-04..06 from the record (see each row's rule for what would fail it)."""
    P = ev.presets
    # AE-04: the trade-off read off the exact equilibria and off the brute-force incomes
    exact_pat = {
        k: _pattern(
            {n: o.productivity for n, o in p.outcomes.items()},
            {n: o.equality for n, o in p.outcomes.items()},
        )
        for k, p in P.items()
    }
    brute_pat = {
        k: _pattern(
            {n: s[0] for n, s in p.brute_scores.items()},
            {n: s[1] for n, s in p.brute_scores.items()},
        )
        for k, p in P.items()
    }
    worst = max(
        float(np.max(np.abs(b.income - p.outcomes[n].equilibrium.income)) / (2 * b.spacing))
        for p in P.values()
        for n, b in p.brute.items()
    )
    a4 = exactly_equal(tuple(brute_pat.values()), tuple(exact_pat.values()), what="patterns")
    every = tuple(next(iter(P.values())).outcomes)
    u4 = grid_uniqueness(_pairs(P, every))
    holds4, cond4 = _verdict(exact_pat, "the trade-off")
    ae04 = Claim(
        "AE-04",
        "The equality–productivity trade-off across the four schedules",
        "exact equilibria: "
        + "; ".join(
            f"{k}: free market most productive and least equal = {v}" for k, v in exact_pat.items()
        ),
        "brute-force best responses (10^5-point labour grid, others' taxes fixed): "
        + "; ".join(f"{k}: {v}" for k, v in brute_pat.items())
        + f"; incomes within 2 grid spacings of the exact ones (worst {worst:.2f} of it); "
        + grid_counts(_counts(P, every)),
        a4.agrees and worst <= 1.0 and u4.agrees,
        holds4,
        "the trade-off is read twice, from the exact equilibria and from productivity and "
        "equality recomputed on the brute-force incomes; it fails if the two readings differ "
        "for a preset or an income is off by more than 2 grid spacings, or if some schedule's "
        "labour grid has another follower equilibrium than the exact one (or none near it). "
        "In this model taxes "
        "cost far more output than in the AI Economist's (its US federal keeps 81 % of "
        "free-market productivity); see the table. With learning agents: X-AE-L4",
        condition=cond4,
        rule=a4.rule + f"; worst income gap / (2 spacings) = {worst:.2f} ≤ 1; " + u4.rule,
    )
    # AE-05: by construction (the baselines are candidates); the grid is the second reading
    best_base = {
        k: max(p.outcomes[n].eq_times_prod for n in ("free market", "US federal", "Saez"))
        for k, p in P.items()
    }
    opt = {k: p.outcomes["optimised"].eq_times_prod for k, p in P.items()}
    strict = {k: opt[k] > best_base[k] * (1 + FLOAT_RTOL) for k in P}
    grid_ok = {k: opt[k] >= P[k].grid.value * (1 - FLOAT_RTOL) for k in P}
    holds5, cond5 = _verdict(strict, "a strict gain over every baseline")
    u56 = grid_uniqueness(_pairs(P, ("optimised",)))
    ae05 = Claim(
        "AE-05",
        "The optimised schedule beats every baseline on eq·prod (in this model)",
        "; ".join(
            f"{k}: {opt[k]:.2f} (restarts {optimised_search(P[k]).restart_values.min():.2f}"
            f"..{opt[k]:.2f}) vs best baseline {best_base[k]:.2f}"
            for k in P
        ),
        "exhaustive grid, rates {0, ¼, ½, ¾, 1} in brackets 1–5 (3125 schedules, baselines not "
        "seeded): "
        + "; ".join(f"{k}: {P[k].grid.value:.2f}" for k in P)
        + "; the optimised schedule's "
        + grid_counts(_counts(P, ("optimised",))),
        all(grid_ok.values()) and u56.agrees,
        holds5,
        "strictly better than every baseline in: "
        + (", ".join(k for k, s in strict.items() if s) or "none")
        + "; not in: "
        + (", ".join(k for k, s in strict.items() if not s) or "none")
        + " (there the free market is optimal: with γ = 1 a working agent's consumption "
        "((1 − τ_eff) w/κ)^(1/η) does not depend on the rebate, so redistribution only crowds "
        "out labour, and eq·prod gives the richest agent's coins weight 0, X-POL-01). The row "
        "fails if the grid finds a schedule better than the optimiser's best, or if the "
        "optimised schedule's followers have another equilibrium on the labour grid than the "
        "one scored (or none near it). With learning agents and a learned planner: X-AE-L5",
        evidence="by construction",
        evidence_note="the baselines are seeded into the optimiser, so 'optimised ≥ every "
        "baseline' cannot fail; the independent content is the strictness of the gain and the "
        "grid, which knows nothing of the baselines",
        condition=cond5,
        rule="optimiser ≥ grid optimum in every preset: "
        + ", ".join(f"{k} {opt[k]:.3f} ≥ {P[k].grid.value:.3f}" for k in P)
        + "; "
        + u56.rule,
    )
    # AE-06: the shape of every optimal restart against the grid optimum's shape
    shapes = {k: {shape(r, p) for r in optimised_search(p).optimal_rates} for k, p in P.items()}
    grid_shape = {k: shape(p.grid.rates, p) for k, p in P.items()}
    identified = [k for k in P if strict[k] and len(shapes[k]) == 1]
    a6 = exactly_equal(
        tuple(next(iter(shapes[k])) for k in identified),
        tuple(grid_shape[k] for k in identified),
        what="shapes (optimiser vs grid)",
    )

    def _say(k: str, s: tuple[bool, bool]) -> str:
        return f"{k}: top rate higher = {s[0]}, middle rates lower = {s[1]}"

    ae06 = Claim(
        "AE-06",
        "Optimised top rate above US federal's and Saez's, with lower middle rates",
        "optimiser (every restart that reached the best): "
        + "; ".join(
            _say(k, next(iter(shapes[k]))) if len(shapes[k]) == 1 else f"{k}: shapes differ"
            for k in P
        ),
        "exhaustive grid optimum: "
        + "; ".join(_say(k, grid_shape[k]) for k in P)
        + "; the optimised schedule's "
        + grid_counts(_counts(P, ("optimised",))),
        a6.agrees and bool(identified) and u56.agrees,
        "yes" if identified and all(all(grid_shape[k]) for k in identified) else "no",
        "top rate = the rate of the top earner's bracket; middle = the brackets strictly "
        "between the lowest earner's and the top earner's. Compared only where the optimum is "
        "strictly better than every baseline and all optimal restarts share a shape ("
        + (", ".join(identified) or "none")
        + "); elsewhere many schedules attain the optimum and their shape says nothing. The "
        "row fails if the grid's optimum has another shape than the optimiser's, or if the "
        "optimised schedule's followers have another equilibrium on the labour grid. With a "
        "learning planner: X-AE-L6",
        rule=a6.rule + "; " + u56.rule,
    )
    return ae04, ae05, ae06


def _run(rng: np.random.Generator) -> Result:
    # imported here: the render module builds on this module's records and constants
    from numpol.experiments.policy_compare_render import render_compare

    ev = compute_compare(rng)
    tables, figs, text = render_compare(ev)
    return Result(claims=judge_compare(ev), tables=tables, figures=figs, text=text)


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS: tuple[Experiment, ...] = (
    Experiment("policy-compare", "Free market, US federal, Saez and the optimum (AE-04..06)", _run),
)
