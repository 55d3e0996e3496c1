"""Policy design (AI Economist, Social Environment Design): taxes with redistribution, welfare,
voting on the objective, and the principal as Stackelberg leader over a labour economy.

Model (named in every table): N = 4 agents (the AI Economist's count) whose free-market incomes
are 25, 63, 159, 400 coins (geometric), one tax period, the US federal cut-offs in coins, agents
that count their own 1/N rebate share (Nash), objectives on post-tax-and-rebate coins.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from numpol.agreement import within_standard_errors
from numpol.registry import Claim, Experiment, Result, Table
from theory.policy.economy import (
    DEFAULT_INCOMES,
    PRESETS,
    FollowerEquilibrium,
    Preferences,
    calibrate_skills,
    crra,
)
from theory.policy.principal import (
    PolicyOutcome,
    compare_baselines,
    evaluate,
    grid_search,
    optimise_rates,
)
from theory.policy.saez import saez_schedule
from theory.policy.tax import (
    US_FEDERAL_2018_CUTOFFS,
    TaxSchedule,
    free_market,
    redistribute,
    us_federal_2018,
)
from theory.policy.voting import RULES, audit_rules, draw_types, eta_mean_selfishness
from theory.policy.welfare import (
    egalitarian,
    equality,
    eta_interpolation,
    gini,
    nash_welfare,
    power_mean,
    utilitarian,
    welfare_rows,
)

__all__ = ["EXPERIMENTS", "brute_force_outcome"]

AE_PUBLISHED = {  # prod / eq / eq·prod as the AI Economist reports them
    "free market": (3285, 0.39, 1278),
    "US federal": (2656, 0.48, 1261),
    "Saez": (2759, 0.52, 1435),
    "optimised": (2907, 0.57, 1664),
}
GRID_POINTS = 100_001  # brute-force labour grid per agent
FLOAT_TOL = 1e-9  # float vs exact arithmetic on numbers of size <= 10^3


def brute_force_outcome(
    schedule: TaxSchedule, skills: np.ndarray, prefs: Preferences, eq: FollowerEquilibrium
) -> tuple[np.ndarray, float]:
    """Independent check: each agent's labour by a dense grid (GRID_POINTS on [0, 1.5 l* + 1])
    given the others' equilibrium taxes (Nash agents); returns (incomes, grid spacing in coins)."""
    n = len(skills)
    z_out = np.empty(n)
    spacing = 0.0
    for i in range(n):
        grid = np.linspace(0, 1.5 * eq.labour[i] + 1, GRID_POINTS)
        z = skills[i] * grid
        T = schedule.taxes(z)
        others = (eq.tax.sum() - eq.tax[i]) / n
        u = crra(z - T + T / n + others, prefs.eta) - prefs.kappa * grid**prefs.gamma
        z_out[i] = z[np.argmax(u)]
        spacing = max(spacing, skills[i] * grid[1])
    return z_out, spacing


def _scores(schedule: TaxSchedule, z: np.ndarray) -> tuple[float, float]:
    c = np.asarray(redistribute(schedule, z), dtype=float)
    return float(c.sum()), float(equality(c))


# ---------------------------------------------------------------- AE-01, AE-02, AE-03
def _run_tax(rng: np.random.Generator) -> Result:
    t = us_federal_2018()
    exact = [t.tax(m) for m in t.cutoffs]
    floats = t.taxes([float(m) for m in t.cutoffs])
    err1 = max(abs(float(a) - b) for a, b in zip(exact, floats, strict=True))
    ae01 = Claim(
        "AE-01",
        "T(z) as the seed writes it; the US federal tax at every cut-off",
        "exact T at the cut-offs: " + ", ".join(str(Fraction(v)) for v in exact),
        f"vectorised float T: max |diff| = {err1:.1e}",
        err1 <= FLOAT_TOL,
        "yes",
        "the values equal the IRS table (970, 4543, 14382.50, 32748.50, 46628.50, 153798.50 $); "
        "these cut-offs are the IRS's 2019 ones, which the AI Economist labels 2018",
    )
    profiles = [[Fraction(int(v), 4) for v in rng.integers(0, 3000, 6)] for _ in range(500)]
    gaps = [sum(redistribute(t, z)) - sum(z) for z in profiles]
    zf = rng.uniform(0, 800, (500, 6))
    fgap = max(abs(sum(redistribute(t, row)) - row.sum()) for row in zf)
    ae02 = Claim(
        "AE-02",
        "Equal lump-sum redistribution balances the budget",
        f"Σ post-tax − Σ income over 500 exact random profiles: {set(gaps)}",
        f"float, 500 random profiles: max |gap| = {fgap:.1e} coins",
        all(g == 0 for g in gaps) and fgap <= FLOAT_TOL * 1e3,
        "yes",
    )
    eq_ok = all(equality([3] * n) == 1 and equality([0] * (n - 1) + [7]) == 0 for n in range(2, 51))
    x = rng.pareto(2.0, 200) + 1.0
    g_exact = gini(x)
    pairs = 200_000
    i, j = rng.integers(0, len(x), pairs), rng.integers(0, len(x), pairs)
    d = np.abs(x[i] - x[j]) / (2 * x.mean())
    se = d.std(ddof=1) / np.sqrt(pairs)
    mc = within_standard_errors(d.mean(), g_exact, se)
    ae03 = Claim(
        "AE-03",
        "Equality 1 − gini·N/(N−1) is 1 for equal incomes, 0 when one agent owns everything",
        f"exact for N = 2..50: {'1 and 0' if eq_ok else 'FAILS'}; exact Gini of a Pareto(2) "
        f"sample of 200: {g_exact:.5f}",
        f"Monte-Carlo Gini (2·10^5 random pairs): {d.mean():.5f} ± {se:.5f}",
        eq_ok and mc.agrees,
        "yes",
        "Monte-Carlo tolerance K_SE standard errors (CLT over independent pairs)",
        rule=mc.rule,
    )
    return Result(claims=(ae01, ae02, ae03))


# ---------------------------------------------------------------- AE-04, AE-05, AE-06
def _middle_and_top(o: PolicyOutcome, fm_incomes: np.ndarray) -> tuple[list[int], int]:
    cut = np.asarray(o.schedule.cutoffs, dtype=float)
    low = int(np.searchsorted(cut, fm_incomes.min(), side="left") - 1)
    top = int(np.searchsorted(cut, o.equilibrium.income.max(), side="left") - 1)
    return list(range(low + 1, top)), top


def _ae06_shape(out: Sequence[PolicyOutcome]) -> tuple[Any, Any, int, list[int]]:
    """AE-06's shape of the optimised schedule (``out[3]``; ``out[0]`` is the free market): its
    top bracket's rate above US federal's and Saez's, its middle brackets' mean rate below both;
    then the top bracket and the middle brackets."""
    mid, top = _middle_and_top(out[3], out[0].equilibrium.income)
    r = {o.name: np.asarray(o.schedule.rates, dtype=float) for o in out}
    return (
        r["optimised"][top] > max(r["US federal"][top], r["Saez"][top]),
        bool(mid)
        and r["optimised"][mid].mean() < min(r["US federal"][mid].mean(), r["Saez"][mid].mean()),
        top,
        mid,
    )


def _run_compare(rng: np.random.Generator) -> Result:
    import matplotlib.pyplot as plt

    from dynamics.plots.policy import plot_schedules, plot_tradeoff

    rows, sims, pattern, wins, shapes, figs = [], [], {}, {}, {}, []
    worst = 0.0
    for name, prefs in PRESETS.items():
        start = time.perf_counter()
        out = compare_baselines(prefs, rng=rng.spawn(1)[0])
        w = calibrate_skills(DEFAULT_INCOMES, prefs)
        for o in out:
            z_bf, h = brute_force_outcome(o.schedule, w, prefs, o.equilibrium)
            p_bf, e_bf = _scores(o.schedule, z_bf)
            # agreement: each grid income is within 2 grid spacings of the exact one
            worst = max(worst, float(np.max(np.abs(z_bf - o.equilibrium.income)) / (2 * h)))
            rates = " ".join(f"{100 * float(r):.0f}" for r in o.schedule.rates)
            rows.append(
                (
                    name,
                    o.name,
                    f"{o.productivity:.1f}",
                    f"{o.equality:.3f}",
                    f"{o.eq_times_prod:.1f}",
                    f"{p_bf:.1f} / {e_bf:.3f}",
                    rates,
                    " ".join(f"{v:.1f}" for v in o.equilibrium.income),
                    f"{o.equilibrium.kkt_residual:.0e}",
                )
            )
        fm = out[0]
        pattern[name] = fm.productivity >= max(o.productivity for o in out) and fm.equality <= min(
            o.equality for o in out
        )
        best_base = max(o.eq_times_prod for o in out[:3])
        wins[name] = (out[3].eq_times_prod - best_base, out[3].eq_times_prod, best_base)
        shapes[name] = _ae06_shape(out)
        sims.append(time.perf_counter() - start)
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
        plot_schedules(
            {o.name: o.schedule for o in out[1:]}, incomes=out[3].equilibrium.income, ax=axes[0]
        )
        axes[0].set_title(f"{name}: marginal tax rates (▲: incomes, optimised schedule)")
        plot_tradeoff(out, ax=axes[1])
        axes[1].set_title(f"{name}: equality vs productivity")
        fig.tight_layout()
        figs.append((f"schedules_{name}", fig))
    # second optimiser run with another stream: is the AE-06 shape robust?
    again = {}
    for name, prefs in PRESETS.items():
        out2 = compare_baselines(prefs, rng=rng.spawn(1)[0])
        again[name] = _ae06_shape(out2)[:2]
    table = Table(
        "Baselines vs the optimised schedule (eq·prod objective; US cut-offs; N = 4, free-market "
        "incomes 25/63/159/400 coins; Nash agents)",
        (
            "preset",
            "schedule",
            "prod",
            "eq",
            "eq·prod",
            "brute force prod / eq",
            "rates %",
            "incomes",
            "KKT",
        ),
        tuple(rows),
    )
    pub = Table(
        "The AI Economist's published comparison (prod / eq / eq·prod), ratios to its free market",
        ("schedule", "prod", "eq", "eq·prod", "prod ratio", "eq·prod ratio"),
        tuple(
            (k, str(p), f"{e:.2f}", str(s), f"{p / 3285:.2f}", f"{s / 1278:.2f}")
            for k, (p, e, s) in AE_PUBLISHED.items()
        ),
    )
    agrees = worst <= 1.0
    tol_note = (
        "brute force: each agent's labour on a grid of 10^5 + 1 points given the others' "
        "equilibrium taxes; tolerance 2 grid spacings in income (worst ratio "
        f"{worst:.2f})"
    )
    holds = [pattern[k] for k in PRESETS]
    ae04 = Claim(
        "AE-04",
        "The equality–productivity trade-off across the four schedules",
        "; ".join(
            f"{k}: free market most productive and least equal = {v}" for k, v in pattern.items()
        ),
        f"brute-force incomes agree with the exact ones (worst {worst:.2f} of tolerance)",
        agrees,
        "yes" if all(holds) else "no" if not any(holds) else "open",
        tol_note + ". In this model taxes cost far more output than in the AI Economist's "
        "(its US federal keeps 81 % of free-market productivity); see the table.",
    )
    strict = {k: v[0] > 1e-9 * v[2] for k, v in wins.items()}
    ae05 = Claim(
        "AE-05",
        "The optimised schedule beats every baseline on eq·prod (in this model)",
        "; ".join(f"{k}: {v[1]:.2f} vs best baseline {v[2]:.2f}" for k, v in wins.items()),
        "brute-force eq·prod of every schedule: see the table (" + tol_note.split(";")[0] + ")",
        agrees and all(v[0] >= -1e-9 * v[2] for v in wins.values()),
        "yes" if all(strict.values()) else "no" if not any(strict.values()) else "open",
        "strictly better in: "
        + ", ".join(k for k, s in strict.items() if s)
        + "; not in: "
        + (", ".join(k for k, s in strict.items() if not s) or "none")
        + " (there the free market is optimal up to optimiser tolerance: with γ = 1 a working "
        "agent's consumption ((1 − τ_eff) w/κ)^(1/η) does not depend on the rebate, so "
        "redistribution only crowds out labour; and eq·prod gives the richest agent's coins "
        "weight 0 (X-POL-01), so schedules that only cut the top earner tie with it)",
    )
    ae06_pat = {k: (v[0], v[1]) for k, v in shapes.items()}
    # Where the optimum only ties a baseline (AE-05 not strict) the objective is flat there and
    # the optimised rates are not identified: two optimiser runs may return different schedules
    # of equal value, so their shape is reported but not compared.
    identified = [k for k in ae06_pat if strict[k]]

    def _shape(k: str, ab: tuple[bool, bool]) -> str:
        tag = "" if k in identified else " (not identified: the optimum ties a baseline)"
        return f"{k}: top rate higher = {ab[0]}, middle rates lower = {ab[1]}{tag}"

    ae06 = Claim(
        "AE-06",
        "Optimised top rate above US federal's and Saez's, with lower middle rates",
        "; ".join(_shape(k, ab) for k, ab in ae06_pat.items()),
        "second optimiser run (another stream): "
        + "; ".join(_shape(k, ab) for k, ab in again.items()),
        all(ae06_pat[k] == again[k] for k in identified),
        "yes" if identified and all(all(ae06_pat[k]) for k in identified) else "no",
        "top rate = the rate of the top earner's bracket; middle = the brackets strictly "
        "between the lowest earner's and the top earner's; brackets nobody reaches are "
        "indeterminate (the objective does not depend on them) and are not compared. The two "
        "runs are compared only in the presets where the optimum is strictly better than every "
        "baseline (" + (", ".join(identified) or "none") + "); elsewhere many schedules attain "
        "it and their shape says nothing",
    )
    text = (
        "Four agents, one period, no trade: a labour-supply economy, not the gather-and-build "
        "world, so levels are not comparable with the AI Economist's (its numbers are summed "
        "over an episode); ratios are. Run times per preset: "
        + ", ".join(f"{k} {s:.1f} s" for k, s in zip(PRESETS, sims, strict=True))
        + "."
    )
    return Result(
        claims=(ae04, ae05, ae06, _eq_prod_weights(rng)),
        tables=(table, pub),
        figures=tuple(figs),
        text=text,
    )


def _eq_prod_weights(rng: np.random.Generator) -> Claim:
    """X-POL-01: eq·prod = 2/(N − 1) Σ_i (N − i) c_(i) (ascending order): the richest agent's
    coins have weight 0. Symbolic for N = 2..7 on sorted symbols; numeric on random vectors."""
    import sympy

    proved = []
    for n in range(2, 8):
        c = sympy.symbols(f"c1:{n + 1}", positive=True)  # c1 <= ... <= cn
        total = sum(c)
        g = sum((2 * i - n - 1) * c[i - 1] for i in range(1, n + 1)) / (n * total)
        lhs = (1 - g * sympy.Rational(n, n - 1)) * total
        rhs = sympy.Rational(2, n - 1) * sum((n - i) * c[i - 1] for i in range(1, n + 1))
        proved.append(sympy.simplify(lhs - rhs) == 0)
    X = rng.uniform(0, 100, (1000, 5))
    srt = np.sort(X, axis=1)
    rhs_num = 2 / 4 * (srt @ (5 - np.arange(1, 6)))
    err = float(np.max(np.abs(welfare_rows(X, "eq_times_prod") - rhs_num) / rhs_num))
    return Claim(
        "X-POL-01",
        "eq·prod = 2/(N−1) Σ_i (N−i) c_(i): the richest agent's coins carry weight 0",
        f"sympy identity for N = 2..7: {all(proved)}",
        f"1000 random 5-agent economies: max relative gap {err:.1e}",
        all(proved) and err <= FLOAT_TOL,
        "yes",
        "the AI Economist's objective is indifferent to the top earner's coins as long as the "
        "top earner stays on top: a high top rate costs eq·prod nothing",
    )


# ---------------------------------------------------------------- SED-01, SED-02
def _run_vote(rng: np.random.Generator) -> Result:
    types = draw_types(7, rng=rng)
    sig = types.selfishness
    outcomes = {k: f(sig) for k, f in RULES.items()}
    audits = audit_rules(3)
    brute = {a.rule for a in audits if not a.strategy_proof}
    # Monte-Carlo: continuous random profiles, misreports on a 17-point grid
    found: set[str] = set()
    reports = np.linspace(0, 1, 17)
    for _ in range(1500):
        prof = list(rng.uniform(0, 1, 3))
        i = int(rng.integers(3))
        for k, f in RULES.items():
            if k in found:
                continue
            honest = f(prof)
            if honest is None:
                continue
            for r in reports:
                out = f([*prof[:i], float(r), *prof[i + 1 :]])
                if out is not None and abs(out - prof[i]) < abs(honest - prof[i]) - 1e-12:
                    found.add(k)
                    break
    table = Table(
        "Voting rules (n = 3, σ on the grid {0, 1/8, ..., 1}, utility −|η − σ|)",
        ("rule", "η for 7 drawn types", "anonymous", "unanimous", "monotone", "counterexample"),
        tuple(
            (
                a.rule,
                f"{float(outcomes[a.rule]):.3f}" if outcomes[a.rule] is not None else "none",
                str(a.anonymous),
                str(a.unanimous),
                str(a.monotone),
                str(a.manipulation) if a.manipulation else "strategy-proof on the grid",
            )
            for a in audits
        ),
    )
    sed01 = Claim(
        "SED-01",
        "Voting maps reported types to η; which rules are manipulable",
        f"η = mean σ = {float(eta_mean_selfishness(sig)):.4f} for 7 uniform types; brute force "
        f"(n = 3, 9-point grid): manipulable = {sorted(brute)}",
        f"Monte-Carlo (1500 continuous profiles): manipulations found for {sorted(found)}",
        found == brute,
        "yes",
        "the seed's mean rule is manipulable (an agent exaggerates); the median (odd n) and "
        "Condorcet (odd n, single-peaked) are not; counterexamples in the table",
    )
    x = [int(v) for v in rng.integers(1, 60, 6)]
    ex = {"utilitarian": utilitarian(x), "nash": nash_welfare(x), "egalitarian": egalitarian(x)}
    ends = (
        eta_interpolation(x, 1) == ex["utilitarian"]
        and eta_interpolation(x, 0) == ex["egalitarian"]
    )
    means = [float(power_mean(x, p)) for p in (float("-inf"), 0, 1)]
    X = np.asarray([x], dtype=float)
    fl = {k: float(welfare_rows(X, k)[0]) for k in ex}
    diff = max(abs(fl[k] - float(v)) / max(1.0, abs(float(v))) for k, v in ex.items())
    sed02 = Claim(
        "SED-02",
        "Utilitarian, Nash-welfare and egalitarian objectives and the η-interpolation",
        f"exact on {x}: "
        + ", ".join(f"{k} {v}" for k, v in ex.items())
        + f"; η = 1 / 0 give utilitarian / egalitarian: {ends}; "
        f"min ≤ geometric ≤ arithmetic mean: {means[0] <= means[1] <= means[2]}",
        f"batched float objectives: max relative difference {diff:.1e}",
        ends and diff <= FLOAT_TOL and means[0] <= means[1] <= means[2],
        "yes",
    )
    return Result(claims=(sed01, sed02), tables=(table,))


# ---------------------------------------------------------------- SED-03
CUT3 = (US_FEDERAL_2018_CUTOFFS[0], US_FEDERAL_2018_CUTOFFS[2], US_FEDERAL_2018_CUTOFFS[4])


def _run_principal(rng: np.random.Generator) -> Result:
    eta = float(eta_mean_selfishness(draw_types(4, rng=rng).selfishness))
    rows, ok, sim_ok, notes = [], True, True, []
    for name, prefs in PRESETS.items():
        w = calibrate_skills(DEFAULT_INCOMES, prefs)
        found = grid_search(CUT3, w, prefs, objective="eta", eta=eta)
        best, val = found.rates, found.value
        saez = saez_schedule(CUT3, w, prefs).schedule
        base = {
            "free market": free_market(CUT3),
            "US federal": TaxSchedule(CUT3, ["0.1", "0.22", "0.32"]),
            "Saez": saez,
        }
        bvals = {
            k: evaluate(s, w, prefs, objective="eta", eta=eta).objective for k, s in base.items()
        }
        leader = max(val, *bvals.values())
        ok &= all(leader >= v for v in bvals.values())
        cands = [np.asarray(s.rates, dtype=float) for s in base.values()]
        de = optimise_rates(
            CUT3, w, prefs, objective="eta", eta=eta, candidates=cands, rng=rng.spawn(1)[0]
        )
        r_de, v_de = de.rates, de.value
        sim_ok &= v_de >= val - 1e-9 * abs(val)
        rows.append(
            (
                name,
                " ".join(f"{100 * v:.0f}" for v in best),
                f"{val:.2f}",
                " ".join(f"{100 * v:.1f}" for v in r_de),
                f"{v_de:.2f}",
                ", ".join(f"{k} {v:.2f}" for k, v in bvals.items()),
            )
        )
        notes.append(
            f"{name}: grid {val:.2f}, DE {v_de:.2f}, best baseline {max(bvals.values()):.2f}"
        )
    table = Table(
        f"The principal on 3 brackets (cut-offs 0, 39.475, 160.725) maximising "
        f"η·Σc + (1 − η)·min c with η = mean σ = {eta:.3f}",
        (
            "preset",
            "grid optimum rates % (11^3)",
            "value",
            "DE + local rates %",
            "value",
            "baselines",
        ),
        tuple(rows),
    )
    sed03 = Claim(
        "SED-03",
        "The Stackelberg principal does at least as well as every baseline on the voted objective",
        "exhaustive 3 × 11 grid with baselines as candidates: " + "; ".join(notes),
        "differential evolution + coordinate search (continuous rates) reaches at least the "
        f"grid optimum: {sim_ok}",
        ok and sim_ok,
        "yes",
        "the baselines are candidates, so ≥ holds by construction; the content is the value "
        "gap in the tables and the independent continuous search. The seed's objective adds the "
        "sum (N terms) to one minimum, so with N = 4 the principal gains over the free market "
        "only for small η (see the η table): uniform selfishness votes η ≈ 1/2, where the "
        "principal chooses no tax in all three presets",
    )
    return Result(claims=(sed03,), tables=(table, _eta_sweep()))


def _eta_sweep() -> Table:
    """Where the principal gains over every baseline: the 3 × 11 grid optimum against the best
    baseline for η = 0, 1/4, ..., 1 (the range the vote can produce)."""
    rows = []
    for name, prefs in PRESETS.items():
        w = calibrate_skills(DEFAULT_INCOMES, prefs)
        saez = saez_schedule(CUT3, w, prefs).schedule
        base = [free_market(CUT3), TaxSchedule(CUT3, ["0.1", "0.22", "0.32"]), saez]
        for eta in (0.0, 0.25, 0.5, 0.75, 1.0):
            found = grid_search(CUT3, w, prefs, objective="eta", eta=eta)
            best, val = found.rates, found.value
            b = max(evaluate(s, w, prefs, objective="eta", eta=eta).objective for s in base)
            rows.append(
                (
                    name,
                    f"{eta:.2f}",
                    " ".join(f"{100 * v:.0f}" for v in best),
                    f"{val:.2f}",
                    f"{b:.2f}",
                    f"{100 * (val - b) / abs(b):+.1f} %",
                )
            )
    return Table(
        "Grid optimum (3 brackets × 11 rates) against the best baseline, by η",
        ("preset", "η", "optimal rates %", "value", "best baseline", "gain"),
        tuple(rows),
    )


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS: tuple[Experiment, ...] = (
    Experiment("policy-tax", "Tax schedules, redistribution and equality (AE-01..03)", _run_tax),
    Experiment(
        "policy-compare", "Free market, US federal, Saez and the optimum (AE-04..06)", _run_compare
    ),
    Experiment(
        "policy-vote", "Voting on the objective; welfare objectives (SED-01, SED-02)", _run_vote
    ),
    Experiment(
        "policy-principal",
        "The Stackelberg principal on the voted objective (SED-03)",
        _run_principal,
    ),
)
