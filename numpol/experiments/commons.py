"""The harvest commons of Social Environment Design (seed 003): rows SED-04, SED-05, X-SED-06.

"theory" is exact (sympy closed forms and ``Fraction`` arithmetic from :mod:`theory.commons`);
"simulation" is the stochastic ``M``-site orchard (Gillespie, :mod:`dynamics.commons`) checked
within the linear-noise tolerance, the numerical repeated rounds, and the local-regrowth grid.

Reference commons: ``r = 1``, ``K = 100``, ``q = 1`` and, for SED-04, effort cost ``c = 10``
(``gamma = c/(qK) = 1/10``); for SED-05, ``c = 0`` and four selfish (``sigma = 1``), trusting
(``beta = 1``) agents, so the vote gives the utilitarian objective and the maximum sustainable
yield is the benchmark; the seed's uniformly drawn types are run alongside.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from dynamics.commons import (
    agreement_tolerance,
    greedy_limits,
    greedy_rounds,
    linear_noise,
    mean_field_collapse_harvest,
    mean_field_fold_harvest,
    mean_field_step,
    simulate_commons,
    simulate_harvest_grid,
)
from dynamics.plots.commons import (
    plot_commons_phase_diagram,
    plot_long_run_stock,
    plot_regrowth_bistability,
    plot_round_trajectories,
)
from numpol.agreement import K_SE, within_standard_errors
from numpol.registry import Claim, Experiment, Result, Table
from theory.commons import (
    HarvestCommons,
    HarvesterType,
    closed_forms,
    collapse_effort,
    corrective_tax,
    cournot_effort,
    maximum_sustainable_yield,
    open_access_effort,
    rent,
    social_optimum_effort,
    steady_state_nash,
    steady_stock,
    taxed_nash_effort,
)
from theory.policy.voting import draw_types

__all__ = ["EXPERIMENTS", "TRAGEDY", "ROUNDS"]

#: The commons of the tragedy experiment.
TRAGEDY = HarvestCommons(1, 100, 1, 10)
#: The commons of the multi-round experiment.
ROUNDS = HarvestCommons(1, 100, 1, 0)
SITES = 2000
RUNS = 200
# Every Gillespie stock is compared with the mean field within K_SIGMA standard errors of the
# run mean (linear-noise variance) plus the O(1/M) linear-noise mean shift; see
# dynamics.commons.stochastic.K_SIGMA for the false-alarm budget.
# mean-field density counted as extinct: the empty state attracts geometrically at rate
# (1 - h)(1 + 12/400) ~ 0.994 per step, so 4000 steps from 0.005 leave ~1e-13
MF_EXTINCT = 1e-9
SPARSE = 0.005  # initial apple density of the "depleted" orchard in X-SED-06
EXACT_GRID = tuple(Fraction(i, 10) for i in range(11))


def _f(x: Any, digits: int = 4) -> str:
    return str(x) if isinstance(x, int | Fraction) else f"{float(x):.{digits}g}"


def _run_tragedy(rng: np.random.Generator) -> Result:
    m = TRAGEDY
    cf = closed_forms()
    Ns = (1, 2, 5, 20, 100)
    rows = []
    for n in Ns:
        E = cournot_effort(m, n)
        t = corrective_tax(m, n)
        lump = corrective_tax(m, n, rebate="ignored")
        rows.append(
            (
                str(n),
                _f(E),
                _f(steady_stock(m, E)),
                _f(rent(m, E)),
                _f(t),
                _f(taxed_nash_effort(m, n, t)),
                _f(lump),
                _f(taxed_nash_effort(m, n, lump, rebate="ignored")),
            )
        )
    optimum = social_optimum_effort(m)
    taxes = {corrective_tax(m, n) for n in range(2, 101)}
    cures = all(taxed_nash_effort(m, n, corrective_tax(m, n)) == optimum for n in range(2, 101))
    lumps = [corrective_tax(m, n, rebate="ignored") for n in range(1, 101)]
    cures &= all(
        taxed_nash_effort(m, n, t, rebate="ignored") == optimum
        for n, t in zip(range(1, 101), lumps, strict=True)
    )
    rising = all(a < b for a, b in zip(lumps, lumps[1:], strict=False))
    free = HarvestCommons(1, 100, 1, 0)  # costless effort: open access sits on the threshold
    costless_collapse = open_access_effort(free) == collapse_effort(free)
    tragedy = all(cournot_effort(m, n) > optimum for n in range(2, 101))
    # the SED-typed equilibrium with selfish, trusting agents is the same Cournot point
    typed = steady_state_nash(m, [HarvesterType(1, 1)] * 5, corrective_tax(m, 5))[0].total_effort
    # stochastic check: mean stock of M-site orchards at the Nash, taxed and collapse efforts
    t_end = 30.0
    times = np.array([0.0, 10.0, t_end])
    sim_rows, ok_sim = [], True
    sim_points: tuple[list[float], list[float], list[float]] = ([], [], [])
    for label, E in (
        ("Nash N=5", cournot_effort(m, 5)),
        ("taxed N=5", typed),
        ("open access", open_access_effort(m)),
    ):
        e = float(E)
        run = simulate_commons(
            m, [e / 5] * 5, sites=SITES, x0=float(m.K), times=times, runs=RUNS, rng=rng
        )
        noise = linear_noise(m, e, sites=SITES, x0=float(m.K), times=times)
        tol = agreement_tolerance(noise, RUNS)
        diff = abs(run.stock[:, -1].mean() - noise.mean[-1])
        ok_sim &= bool(diff <= tol[-1])
        sim_rows.append(
            (
                label,
                _f(e),
                _f(steady_stock(m, E)),
                f"{run.stock[:, -1].mean():.3f}",
                f"{diff:.3f}",
                f"{tol[-1]:.3f}",
            )
        )
        for lst, v in zip(sim_points, (e, run.stock[:, -1].mean(), tol[-1]), strict=True):
            lst.append(v)
    # collapse threshold: 10 % below it a large orchard lives, 10 % above it dies. Near the
    # threshold the quasi-stationary population is small (n* = M (1 - u)), and demographic noise
    # kills small orchards fast: the WKB exponent M (ln R0 - 1 + 1/R0), R0 = 1/u, is 10.7 for
    # M = 2000 but 1.1 for M = 200 at u = 0.9, so both sizes are run and reported.
    Ec = float(collapse_effort(m))
    extinct = {}
    for M in (200, SITES):
        for factor in (0.9, 1.1):
            run = simulate_commons(
                m, [factor * Ec], sites=M, x0=float(m.K), times=[0, 300.0], runs=50, rng=rng
            )
            extinct[M, factor] = float(run.extinct.mean())
    collapse_ok = extinct[SITES, 0.9] == 0 and extinct[SITES, 1.1] == 1
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    plot_commons_phase_diagram(m, simulated=sim_points, ax=ax)
    ax.set_title("Harvest commons (r=1, K=100, q=1, c=10): stock vs total effort")
    theory = (
        f"E_N = N/(N+1)·(r/q)(1−c/(qK)) > E_opt = {optimum} for all N ≥ 2 ({tragedy}); "
        f"t* = (qK−c)/(qK+c) = {corrective_tax(m, 2)} for every N in 2..100 "
        f"({len(taxes) == 1 and cures}); if agents ignore their rebate share, "
        f"t*(N) = {cf.corrective_tax_rebate_ignored} rises with N ({rising}): "
        f"{lumps[1]}, {lumps[4]}, {lumps[99]} at N=2, 5, 100; collapse at E_c = r/q = "
        f"{collapse_effort(m)}; with c = 0 open access effort equals E_c "
        f"({costless_collapse}); sympy: t* = {cf.corrective_tax}"
    )
    simulation = (
        f"Gillespie, M={SITES}, {RUNS} runs: stocks at t={t_end:g} within tolerance: {ok_sim}; "
        f"share extinct by t=300 (50 runs) at 0.9·E_c / 1.1·E_c: M={SITES}: "
        f"{extinct[SITES, 0.9]:.2f} / {extinct[SITES, 1.1]:.2f}; M=200: "
        f"{extinct[200, 0.9]:.2f} / {extinct[200, 1.1]:.2f}"
    )
    claim = Claim(
        "SED-04",
        "Unregulated effort overharvests; a rebated harvest tax restores the optimum; "
        "collapse beyond a threshold",
        theory,
        simulation,
        bool(
            ok_sim
            and collapse_ok
            and tragedy
            and cures
            and rising
            and costless_collapse
            and typed == optimum
        ),
        "yes",
        f"Overharvest holds: Nash effort is 2N/(N+1) times optimal. The corrective rebated tax "
        f"does NOT depend on N (N ≥ 2): the rebate returns 1/N of an agent's own tax, which "
        f"scales the tax's bite by (N−1)/N, the same share of the stock externality an agent "
        f"ignores. If agents treat the rebate as a lump sum (price-taking in the rebate), the "
        f"tax must rise with N, from 0 for a sole owner to the same limit. Untaxed Nash "
        f"effort stays below r/q (open access reaches it only at c = 0), so in the logistic "
        f"mean field the "
        f"tragedy is depletion to K(1−N(1−γ)/(N+1)), not collapse; the seed's 'never grows "
        f"back' needs demographic noise (a 200-site orchard at 0.9·E_c dies within t=300) "
        f"or the local rule (X-SED-06). Tolerance: {K_SE:g} "
        f"SE (LNA variance K²u/M) + |LNA mean shift|.",
    )
    table = Table(
        "Commons, r=1, K=100, q=1, c=10: Nash vs optimum, and the corrective tax",
        (
            "N",
            "Nash effort",
            "stock",
            "rent",
            "t* (rebate counted)",
            "effort under t*",
            "t* (rebate ignored)",
            "effort under it",
        ),
        tuple(rows),
    )
    sim_table = Table(
        "Stochastic orchard (Gillespie) vs mean field at t = 30",
        ("effort", "E", "x*(E)", "sim. mean", "|diff|", "tolerance"),
        tuple(sim_rows),
    )
    return Result(
        claims=(claim,), tables=(table, sim_table), figures=(("commons_phase_diagram", ax.figure),)
    )


def _run_rounds(rng: np.random.Generator) -> Result:
    m = HarvestCommons(1.0, 100.0, 1.0, 0.0)
    types = [HarvesterType(1, 1)] * 4
    lim = greedy_limits(ROUNDS, types, EXACT_GRID)
    msy = maximum_sustainable_yield(ROUNDS).stock
    lengths = (0.1, 0.3, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0, 20.0, 50.0, 100.0)
    long_run = []
    trajectories = []
    for T in lengths:
        res = greedy_rounds(m, types, round_length=T, rounds=int(max(20, 200 / T)), x0=100.0)
        long_run.append(float(res.stocks[0, -1]))
        if T in (0.3, 3.0, 5.0, 20.0):
            trajectories.append(
                greedy_rounds(m, types, round_length=T, rounds=int(min(60, 120 / T)), x0=100.0)
            )
    # stochastic rounds at the extremes: final stock vs the exact limit, LNA tolerance
    stoch, ok_stoch = [], True
    for T, target in ((0.5, lim.short_stock), (50.0, lim.long_stock)):
        rounds = int(max(8, 60 / T))
        res = greedy_rounds(
            m, types, round_length=T, rounds=rounds, x0=100.0, sites=500, runs=40, rng=rng
        )
        u = 1 - float(target) / 100.0
        sd = 100.0 * np.sqrt(u / 500)  # stationary LNA SD of one run's stock
        # + 1 % of K for the O(1/M) shift and the unfinished relaxation of short rounds
        ag = within_standard_errors(res.stocks[:, -1].mean(), target, sd / np.sqrt(40), shift=1.0)
        ok_stoch &= ag.agrees
        stoch.append((T, res.stocks[:, -1].mean(), K_SE * sd / np.sqrt(40) + 1.0))
    ok_mf = (
        abs(long_run[0] - float(lim.short_stock)) < 0.01
        and abs(long_run[-1] - float(lim.long_stock)) < 0.01
    )
    # the seed's own setting: 5 agents with uniform types, cost 10
    seedlike = HarvestCommons(1.0, 100.0, 1.0, 10.0)
    seed_types = draw_types(5, rng=rng)
    seed_rows, seed_stocks = [], []
    for T in (0.3, 3.0, 30.0):
        res = greedy_rounds(
            seedlike, seed_types, round_length=T, rounds=int(max(20, 200 / T)), x0=100.0
        )
        seed_stocks.append(float(res.stocks[0, -1]))
        seed_rows.append(
            (
                f"{T:g}",
                f"{res.eta:.3f}",
                f"{res.taxes[0, -1]:.1f}",
                f"{res.stocks[0, -1]:.2f}",
                "50",
            )
        )
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
    plot_round_trajectories(
        trajectories, msy_stock=float(msy), short_stock=float(lim.short_stock), ax=ax1
    )
    ax1.set_title("Greedy principal: stock over rounds (4 selfish agents)")
    plot_long_run_stock(
        lengths,
        long_run,
        msy_stock=float(msy),
        short_stock=float(lim.short_stock),
        long_stock=float(lim.long_stock),
        stochastic=([s[0] for s in stoch], [s[1] for s in stoch], [s[2] for s in stoch]),
        ax=ax2,
    )
    ax2.set_title("Long-run stock vs round length")
    fig.tight_layout()
    switch = next(
        (T for T, x in zip(lengths, long_run, strict=True) if x > float(lim.short_stock) + 1), None
    )
    claim = Claim(
        "SED-05",
        "Repeated rounds with a greedy principal: the long-run stock vs the maximum "
        "sustainable yield",
        f"exact limits: T→0 tax {lim.short_tax}, stock {lim.short_stock} = K/(N+1); "
        f"T→∞ tax {lim.long_tax}, stock {lim.long_stock} = MSY stock {msy}",
        f"mean-field rounds: stock {long_run[0]:.3f} at T={lengths[0]}, {long_run[-1]:.3f} at "
        f"T={lengths[-1]}, first above the short limit at T={switch}; stochastic (M=500, 40 "
        f"runs): " + ", ".join(f"T={T:g}: {x:.2f}±{t:.2f}" for T, x, t in stoch),
        bool(ok_mf and ok_stoch),
        "open",
        "The seed leaves the greedy objective as an open problem. Here: with short rounds the "
        "greedy principal maximises the round's harvest, which is proportional to the current "
        "stock, so it never taxes and the stock settles at K/(N+1), below the MSY stock K/2; "
        "with long rounds the stationary harvest dominates and it picks the tax that reaches "
        "MSY. Myopia costs the commons exactly when rounds are short relative to 1/r. The "
        f"seed's uniform types (c = 10) show the same trend: long-run stock "
        f"{seed_stocks[0]:.1f}, {seed_stocks[1]:.1f}, {seed_stocks[2]:.1f} at T = 0.3, 3, 30 "
        "(MSY stock 50). Stochastic tolerance: 4 SE of the 40-run mean (stationary LNA SD "
        "K sqrt(u/M)) + 1 % of K for the O(1/M) shift and unfinished relaxation.",
    )
    table = Table(
        "Seed-like types (uniform sigma, beta; c = 10): greedy rounds",
        ("round length", "eta (vote)", "last tax", "long-run stock", "MSY stock"),
        tuple(seed_rows),
    )
    lr_table = Table(
        "Long-run stock vs round length (4 selfish agents, c = 0)",
        ("T", "long-run stock"),
        tuple((f"{T:g}", f"{x:.3f}") for T, x in zip(lengths, long_run, strict=True)),
    )
    return Result(
        claims=(claim,), tables=(lr_table, table), figures=(("commons_multi_round", fig),)
    )


def _run_regrowth(rng: np.random.Generator) -> Result:
    h_c = mean_field_collapse_harvest()
    h_fold, _ = mean_field_fold_harvest()
    h = 0.035  # inside the bistable window (3/103, fold)
    L, steps, runs = 30, 2500, 12
    full = simulate_harvest_grid(
        np.ones((L, L), dtype=int), harvest=h, steps=steps, runs=runs, rng=rng
    )
    sparse0 = (rng.random((runs, L, L)) < SPARSE).astype(int)
    sparse = simulate_harvest_grid(sparse0, harvest=h, steps=steps, runs=runs, rng=rng)
    phi = 1.0
    for _ in range(4000):
        phi = mean_field_step(phi, h)
    full_density = full.apples[:, -1].mean() / L**2
    sparse_phi = SPARSE
    for _ in range(4000):
        sparse_phi = mean_field_step(sparse_phi, h)
    # Mean field is deterministic: the full start survives, the sparse start dies. The grid
    # is not: a sparse start can nucleate a cluster (cells with >= 3 neighbours regrow 10x
    # faster). Agreement = every full run survives and most (> 1/2) sparse runs die.
    ok = (not full.extinct.any()) and sparse.extinct.mean() > 0.5 and phi > 0.3
    ok = ok and sparse_phi < MF_EXTINCT
    hs = np.linspace(0.0, 0.06, 61)
    grid_h = [0.01, 0.02, 0.03, 0.035, 0.04]
    grid_full = [
        simulate_harvest_grid(np.ones((20, 20), dtype=int), harvest=x, steps=1500, runs=4, rng=rng)
        .apples[:, -1]
        .mean()
        / 400
        for x in grid_h
    ]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    plot_regrowth_bistability(
        hs, simulated={"20x20 torus from full, 1500 steps": (grid_h, grid_full)}, ax=ax
    )
    ax.set_title(
        "Local regrowth rule: bistability\n(regrowth probability 0, .0025, .005, .025 with "
        "0, 1, 2, ≥ 3 apples within radius 2)",
        fontsize=10,
    )
    claim = Claim(
        "X-SED-06",
        "Under the Harvest game's local regrowth rule the empty orchard is absorbing and, for "
        "3/103 < h < fold, a depleted orchard stays empty at a harvest a full one survives",
        f"mean field: empty state stable for h > {h_c} = {float(h_c):.4f}; stocked branch "
        f"exists up to h = {h_fold:.4f}; at h = {h}: full start → density {phi:.3f}, "
        f"{SPARSE:.1%} start → {sparse_phi:.3g}",
        f"{L}x{L} torus, {runs} runs, {steps} steps at h = {h}: full start extinct in "
        f"{full.extinct.sum()}/{runs} (density {full_density:.3f}), {SPARSE:.1%} start extinct "
        f"in {sparse.extinct.sum()}/{runs}",
        bool(ok),
        "yes",
        "The seed's 'if all apples in an area are harvested, they never grow back' is exact "
        "for cells with no apple within radius 2 (regrowth probability 0) and for the empty "
        "orchard; the well-mixed logistic model has no such hysteresis. On the grid the "
        "window is blurred: sparse starts sometimes nucleate a surviving cluster (agreement "
        "means: all full runs survive, most sparse runs die), and the stocked branch dies "
        "earlier than the mean-field fold (near h = 0.04 on 20x20, see the figure).",
    )
    return Result(claims=(claim,), figures=(("commons_local_regrowth", fig),))


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment(
        "commons-tragedy", "Harvest commons: tragedy, rebated tax, collapse (SED-04)", _run_tragedy
    ),
    Experiment(
        "commons-rounds", "Greedy principal over repeated rounds vs MSY (SED-05)", _run_rounds
    ),
    Experiment(
        "commons-regrowth", "Local regrowth rule: absorbing states (X-SED-06)", _run_regrowth
    ),
)
