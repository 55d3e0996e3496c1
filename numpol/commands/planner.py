"""``numpol planner``: learning planners in the one-step labour economy, against the exact optimum.

Trains ``--batches`` × ``--runs`` independent (workers, planner) pairs in the AI Economist's two
phases (:func:`dynamics.economy.training.train_planners`: a tax-free phase, then planner and
workers together with the largest rate annealed from 10 % to 100 %), and scores each learned
schedule at the exact followers' equilibrium against the exact Stackelberg optimum on the same
rate grid (:func:`theory.policy.principal.grid_search`). Each batch is one task with its own
stream spawned from ``--seed``; ``--workers N`` trains the batches on a local dask cluster,
``--scheduler ADDRESS`` on a remote one, with the same result as here.

Examples (shell)::

    numpol planner --batches 2 --runs 2
    numpol planner --joint-steps 400 --anneal-steps 100 --workers 2 --json
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, ParamSpec, TypeVar

import numpy as np
from tqdm import tqdm

from dynamics.economy.labour import LabourEconomy
from dynamics.economy.training import TwoPhaseCurriculum, train_planners
from numpol.cliargs import positive_int, seed
from numpol.cluster import SerialExecutor, add_cluster_options, cluster_executor
from theory import number
from theory.policy.economy import DEFAULT_INCOMES, PRESETS, calibrate_skills
from theory.policy.principal import grid_search, objective_values

__all__ = ["register", "run", "CUTOFFS"]

#: The default brackets' lower ends in coins (the US federal 2018 cut-offs of brackets 1, 3, 5),
#: as in the report's learning-planner experiment.
CUTOFFS = "0,39.475,160.725"

P = ParamSpec("P")
T = TypeVar("T")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``numpol planner`` to the subcommands ``sub``."""
    full = TwoPhaseCurriculum()
    p = sub.add_parser(
        "planner",
        help="train learning tax planners (two phases) and compare with the exact optimum",
        description="Trains independent (workers, planner) pairs in the AI Economist's two "
        "phases and scores each learned schedule at the exact followers' equilibrium against "
        "the exact Stackelberg optimum on the same rate grid.",
    )
    p.add_argument("--preset", default="one_step", choices=sorted(PRESETS), help="preferences")
    p.add_argument(
        "--incomes",
        default=",".join(f"{v:g}" for v in DEFAULT_INCOMES),
        help="comma-separated free-market incomes in coins (one per worker)",
    )
    p.add_argument("--cutoffs", default=CUTOFFS, help="brackets' lower ends in coins, 0 first")
    p.add_argument("--levels", type=positive_int, default=31, help="labour levels per worker")
    p.add_argument("--batches", type=positive_int, default=2, help="tasks (one stream each)")
    p.add_argument(
        "--runs", type=positive_int, default=2, help="runs trained side by side per task"
    )
    for flag, value, what in (
        ("--free-steps", full.free_steps, "iterations of phase one (no taxes)"),
        ("--joint-steps", full.joint_steps, "iterations of phase two (planner and workers)"),
        ("--anneal-steps", full.anneal_steps, "phase-two iterations over which the cap rises"),
        ("--schedules", full.schedules, "schedules drawn per run and iteration"),
        ("--repeats", full.repeats, "episodes per drawn schedule"),
    ):
        p.add_argument(flag, type=int, default=value, help=f"{what} (default {value})")
    p.add_argument("--seed", type=seed, default=0, help="master seed")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_cluster_options(p)  # batches on a dask cluster; the same result as here
    p.set_defaults(func=run)


class _Progress(Executor):
    """Hands each task to `inner` and advances `bar` when the task finishes."""

    def __init__(self, inner: Executor, bar: tqdm) -> None:
        self.inner, self.bar = inner, bar

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        fut = self.inner.submit(fn, *args, **kwargs)
        fut.add_done_callback(lambda _: self.bar.update())
        return fut


def run(args: argparse.Namespace) -> int:
    """Run ``numpol planner`` with the parsed ``args``; return the exit status."""
    incomes = [number(s, f"--incomes[{i}]") for i, s in enumerate(args.incomes.split(","))]
    cutoffs = [number(s, f"--cutoffs[{i}]") for i, s in enumerate(args.cutoffs.split(","))]
    prefs = PRESETS[args.preset]
    skills = calibrate_skills(incomes, prefs)
    economy = LabourEconomy(skills, prefs, cutoffs, levels=args.levels)
    plan = TwoPhaseCurriculum(
        free_steps=args.free_steps,
        joint_steps=args.joint_steps,
        anneal_steps=args.anneal_steps,
        schedules=args.schedules,
        repeats=args.repeats,
    )
    exact = grid_search(cutoffs, skills, prefs, rate_grid=economy.rate_grid)  # before the work
    with cluster_executor(args) as executor, tqdm(total=args.batches, desc="batches") as bar:
        trained = train_planners(
            economy,
            plan,
            batches=args.batches,
            runs=args.runs,
            rng=args.seed,
            executor=_Progress(executor or SerialExecutor(), bar),
        )
    runs: list[dict[str, Any]] = []
    for b, out in enumerate(trained):
        values = objective_values(cutoffs, out.rates, skills, prefs)
        for r, (rates, value) in enumerate(zip(out.rates, values, strict=True)):
            runs.append(
                {
                    "batch": b,
                    "run": r,
                    "rates": [float(x) for x in rates],
                    "exact_objective": float(value),
                    "gap": float(1 - value / exact.value),
                    "sampled_welfare_last_50": float(np.mean(out.welfare[-50:, r])),
                }
            )
    report = {
        "preset": args.preset,
        "cutoffs": [float(c) for c in cutoffs],
        "curriculum": {"iterations": plan.iterations, "free_steps": plan.free_steps},
        "exact": {"rates": [float(x) for x in exact.rates], "objective": exact.value},
        "runs": runs,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    pct = " ".join(f"{100 * x:.0f}" for x in exact.rates)
    print(f"exact optimum on the grid: rates {pct} %, eq·prod {exact.value:.3f}")
    print(
        f"{'batch':>5s} {'run':>3s}  {'learned rates %':18s} {'exact eq·prod':>13s} {'gap %':>6s}"
    )
    for row in runs:
        learned = " ".join(f"{100 * x:.0f}" for x in row["rates"])
        print(
            f"{row['batch']:5d} {row['run']:3d}  {learned:18s} {row['exact_objective']:13.3f} "
            f"{100 * row['gap']:6.2f}"
        )
    return 0
