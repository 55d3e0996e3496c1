"""The AI Economist with learning agents and a learning planner in the one-step labour economy,
checked against the exact Stackelberg solution (X-AE-L1..L3; AE-04..06 with learning agents,
X-AE-L4..L6, are :mod:`numpol.experiments.learning_planner_ae`); and the Gather-and-Build world's
accounts (X-AE-GB1) with a rendered frame.

Model (named in every row): N = 4 workers whose free-market incomes are 25, 63, 159, 400 coins
(``theory.policy.economy.DEFAULT_INCOMES``), the one-step preferences (η = 0, κ = 1, γ = 2), three
brackets on the US cut-offs 0, 39.475, 160.725 coins, rates on the grid 0, 10, ..., 100 %, the
planner's objective eq·prod of post-tax-and-rebate coins; workers choose one of 31 labour levels
(:class:`dynamics.economy.labour.LabourEconomy`). Simulation: :mod:`dynamics.economy`'s
softmax policy-gradient workers and planner in the AI Economist's two phases. Theory: the exact
followers' equilibrium (:func:`theory.policy.economy.follower_equilibria`) and the exact
Stackelberg optimum on the same rate grid (:func:`theory.policy.principal.grid_search`).

The report trains a **short** curriculum (900 iterations, 4 runs, ~20 s); the full one
(``TwoPhaseCurriculum()``, 1700 iterations) is timed against the 1 % target in
``benchmarks/bench_learning_planner.py``.

Compute → judge → render: :func:`compute_learning_planner` returns a frozen
:class:`LearningPlannerRun`; :func:`judge_learning_planner` turns it into claims;
:func:`numpol.experiments.learning_planner_render.render_learning_planner` into tables and
figures. The Gather-and-Build experiment is :mod:`numpol.experiments.gather_build_world`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from dynamics.economy.labour import LabourEconomy, labour_outcome
from dynamics.economy.learners import PolicyGradient
from dynamics.economy.training import (
    PlannerTraining,
    TwoPhaseCurriculum,
    train_planner,
    train_workers,
)
from numpol.agreement import within_relative
from numpol.experiments.gather_build_world import run_gather_build
from numpol.registry import Claim, Experiment, Result
from theory.policy.economy import DEFAULT_INCOMES, PRESETS, calibrate_skills, follower_equilibria
from theory.policy.principal import GridSearch, grid_search, objective_values

__all__ = [
    "EXPERIMENTS",
    "CUTOFFS",
    "REPORT_CURRICULUM",
    "LearningPlannerRun",
    "compute_learning_planner",
    "judge_learning_planner",
    "rates_percent",
    "report_economy",
]

CUTOFFS = (0, "39.475", "160.725")
"""Three brackets: the US federal cut-offs of brackets 1, 3 and 5 (coins)."""

RUNS = 4  # independent runs (seeds) trained side by side

REPORT_CURRICULUM = TwoPhaseCurriculum(
    workers=PolicyGradient(0.05, 0.01),
    planner=PolicyGradient(0.02, 0.05),
    free_steps=100,
    joint_steps=800,
    anneal_steps=200,
    schedules=8,
    repeats=8,
)
"""The report's short curriculum: 100 tax-free iterations, then 800 joint ones with the rate cap
annealed from 10 % to 100 % over the first 200; 8 schedules × 8 repeats per iteration."""

#: X-AE-L2's tolerance for the short curriculum: the learned schedule's exact objective within 2 %
#: of the exact optimum. Set from the short curriculum's measured gaps before this claim was
#: written (0–1.7 % over 12 runs; the runners-up on the grid are 0.2 %, 0.7 %, 1.0 % below the
#: optimum, and 900 iterations do not always separate the optimum from a 1 % runner-up); the full
#: curriculum's 1 % target is checked in benchmarks/bench_learning_planner.py.
REPORT_GAP = 0.02

#: X-AE-L1: worker schedules to learn under (rate indices per bracket, 0..10 = 0..100 %).
FIXED_SCHEDULES = {
    "free market": (0, 0, 0),
    "flat 30 %": (3, 3, 3),
    "progressive 10/30/50 %": (1, 3, 5),
    "confiscatory 100 %": (10, 10, 10),
}
#: X-AE-L1's learners: a smaller step than in joint training (0.02, not 0.05), run longer (800
#: iterations × 64 episodes): Adam's steps do not shrink, and under the 100 % schedule a
#: worker's utility is nearly flat around its optimum while the others' random labour moves its
#: rebate, so the larger step left some workers two levels away (measured on 3 seeds).
FIXED_LEARNER = PolicyGradient(0.02, 0.01)
FIXED_STEPS = 800


def report_economy() -> LabourEconomy:
    """The report's economy (see the module docstring).

    Examples
    --------
    >>> report_economy().labour_levels.shape
    (4, 31)
    """
    prefs = PRESETS["one_step"]
    return LabourEconomy(calibrate_skills(DEFAULT_INCOMES, prefs), prefs, CUTOFFS, levels=31)


@dataclass(frozen=True)
class LearningPlannerRun:
    """Everything the three claims need: the exact optimum, both trainings, the worker check."""

    economy: LabourEconomy
    exact: GridSearch
    two_phase: PlannerTraining
    one_phase: PlannerTraining
    two_phase_values: np.ndarray  # exact objective of each run's learned schedule, (R,)
    one_phase_values: np.ndarray
    simulated_values: np.ndarray  # welfare of greedy workers at the learned schedule, (R,)
    fixed_names: tuple[str, ...]
    exact_labour: np.ndarray  # (K, N)
    learned_labour: np.ndarray  # (K, N)
    seconds: dict[str, float]


def compute_learning_planner(
    *, rng: int | np.random.Generator | None = None, progress: bool = False
) -> LearningPlannerRun:
    """Train the report's workers (fixed schedules) and planners (two-phase and one-phase), and
    solve the same economy exactly."""
    rng = np.random.default_rng(rng)
    e = report_economy()
    prefs, w = e.preferences, e.skills
    seconds = {}
    start = time.perf_counter()
    exact = grid_search(CUTOFFS, w, prefs, rate_grid=e.rate_grid)
    seconds["exact"] = time.perf_counter() - start
    idx = np.array(list(FIXED_SCHEDULES.values()))
    start = time.perf_counter()
    workers = train_workers(
        e, idx, learner=FIXED_LEARNER, steps=FIXED_STEPS, rng=rng.spawn(1)[0], progress=progress
    )
    seconds["workers"] = time.perf_counter() - start
    exact_labour = follower_equilibria(CUTOFFS, e.rate_grid[idx], w, prefs).labour
    trainings = {}
    for name, plan in (
        ("two", REPORT_CURRICULUM),
        (
            "one",
            replace(
                REPORT_CURRICULUM,
                free_steps=0,
                joint_steps=REPORT_CURRICULUM.iterations,
                anneal_steps=0,
                first_cap=1.0,
            ),
        ),
    ):
        start = time.perf_counter()
        trainings[name] = train_planner(e, plan, runs=RUNS, rng=rng.spawn(1)[0], progress=progress)
        seconds[f"{name}-phase"] = time.perf_counter() - start
    two, one = trainings["two"], trainings["one"]
    sim = labour_outcome(e, two.labour_indices, two.rate_indices).welfare
    return LearningPlannerRun(
        economy=e,
        exact=exact,
        two_phase=two,
        one_phase=one,
        two_phase_values=objective_values(CUTOFFS, two.rates, w, prefs),
        one_phase_values=objective_values(CUTOFFS, one.rates, w, prefs),
        simulated_values=sim,
        fixed_names=tuple(FIXED_SCHEDULES),
        exact_labour=exact_labour,
        learned_labour=workers.labour,
        seconds=seconds,
    )


def rates_percent(rates: np.ndarray) -> str:
    """A schedule's rates as whole percents joined by "/".

    Examples
    --------
    >>> rates_percent(np.array([0.1, 0.0, 0.625]))
    '10/0/62'
    """
    return "/".join(f"{100 * r:.0f}" for r in rates)


def judge_learning_planner(run: LearningPlannerRun) -> tuple[Claim, ...]:
    """X-AE-L1..L3 from the record: learned workers within one labour level of the exact best
    responses, learned planners within ``REPORT_GAP`` of the exact optimum, and two phases
    against one (see each row's rule for what would fail it)."""
    e = run.economy
    spacing = e.labour_levels[:, 1]
    steps = np.abs(run.learned_labour - run.exact_labour) / spacing
    l1 = Claim(
        "X-AE-L1",
        "Learning workers reach the exact best responses to fixed tax schedules",
        "exact Nash labour (KKT) under "
        + "; ".join(
            f"{n}: {' '.join(f'{v:.2f}' for v in row)}"
            for n, row in zip(run.fixed_names, run.exact_labour, strict=True)
        ),
        f"softmax policy-gradient workers ({FIXED_STEPS} iterations × 64 episodes): largest "
        "distance "
        f"{steps.max():.2f} labour levels",
        bool(np.all(steps <= 1 + 1e-9)),
        "yes" if np.all(steps <= 1 + 1e-9) else "no",
        "tolerance one labour level (1/30 of 1.25 × the free-market labour): utility is concave "
        "in own labour under rising rates, so the best level is one of the two around the exact "
        "optimum",
        rule=f"every learned labour within 1 level of the exact best response: largest "
        f"{steps.max():.2f} levels ≤ 1",
    )
    opt = run.exact.value
    gaps = 1 - run.two_phase_values / opt
    agreement = within_relative(
        run.two_phase_values,
        np.full(RUNS, opt),
        rtol=REPORT_GAP,
        scale=opt,
        what="learned planners' exact eq·prod vs the exact optimum",
    )
    ok = agreement.agrees
    runners = np.sort(run.exact.all_values)[::-1][1:4]
    l2 = Claim(
        "X-AE-L2",
        "A learning planner (two phases, annealed cap) finds the exact Stackelberg optimum",
        f"exact optimum on the grid: rates {rates_percent(run.exact.rates)} %, eq·prod {opt:.2f} "
        f"(runners-up {', '.join(f'{v:.2f}' for v in runners)})",
        f"{RUNS} runs learned "
        + ", ".join(rates_percent(r) for r in run.two_phase.rates)
        + " %: exact eq·prod "
        + ", ".join(f"{v:.2f}" for v in run.two_phase_values)
        + f" (gaps {', '.join(f'{100 * g:.2f}' for g in gaps)} %)",
        ok,
        "yes" if ok else "no",
        f"tolerance {100 * REPORT_GAP:.0f} % per run for the report's short curriculum "
        f"({REPORT_CURRICULUM.iterations} iterations; its run time is in the text above); the "
        "full curriculum's 1 % in ≤ 2 min is benchmarks/bench_learning_planner.py. The learned "
        "schedule is scored at the exact followers' equilibrium; with the learned workers' "
        "discrete labour its welfare is " + ", ".join(f"{v:.2f}" for v in run.simulated_values),
        rule=agreement.rule,
    )
    one_gaps = 1 - run.one_phase_values / opt
    better = gaps.max() < one_gaps.max() - 1e-12
    l3 = Claim(
        "X-AE-L3",
        "Two-phase training (tax-free first, then an annealed cap) stabilises learning",
        f"largest gap to the exact optimum over {RUNS} runs: two phases "
        f"{100 * gaps.max():.2f} %, one phase (taxes from the start, no cap) "
        f"{100 * one_gaps.max():.2f} %",
        "one-phase runs learned " + ", ".join(rates_percent(r) for r in run.one_phase.rates) + " %",
        ok,
        "yes" if better else "no",
        "both trainings have the same number of iterations and learners; 'stabilises' is "
        "judged as a smaller worst-run gap to the exact optimum. "
        + (
            "Here the one-phase planner, facing workers that have not yet learned to work, "
            "settles on worse schedules (its rates are in the simulation column)."
            if better
            else "Here starting with taxes does not derail the planner: in this one-step "
            "economy the workers' response to each schedule is learned fast, so the seed's "
            "reason for two phases (instability of early joint training) does not arise."
        )
        + " 'agrees' is X-AE-L2's: the two-phase planner is within tolerance of theory.",
        evidence="none",
        evidence_note="the row compares two trainings, each against the same exact optimum; "
        "no second method judges 'stabilises'",
        rule=agreement.rule,
    )
    return l1, l2, l3


def _run(rng: np.random.Generator) -> Result:
    # imported here: the render module builds on this module's records and constants
    from numpol.experiments.learning_planner_ae import compute_ae_learning, judge_ae_learning
    from numpol.experiments.learning_planner_render import (
        render_ae_learning,
        render_learning_planner,
    )

    run = compute_learning_planner(rng=rng)
    ae = compute_ae_learning(run, rng=rng.spawn(1)[0])  # spawned after the planners' streams
    tables, figures = render_learning_planner(run)
    text = (
        "The one-step labour economy with learning workers and a learning planner "
        "(dynamics.economy), against the exact Stackelberg optimum on the same grid. Short "
        "curriculum for the report; times: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in run.seconds.items())
        + "."
    )
    claims = judge_learning_planner(run) + judge_ae_learning(ae)
    return Result(
        claims=claims, tables=(*tables, render_ae_learning(ae)), figures=figures, text=text
    )


#: The experiments of this module, found by :mod:`numpol.registry`.
EXPERIMENTS: tuple[Experiment, ...] = (
    Experiment(
        "learning-planner",
        "Learning workers and planner vs the exact Stackelberg optimum (X-AE-L1..L6)",
        _run,
        cost=25,
    ),
    Experiment(
        "gather-build-world", "The Gather-and-Build world's accounts (X-AE-GB1)", run_gather_build
    ),
)
