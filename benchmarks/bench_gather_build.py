"""Gather-and-Build, batched, against the AI Economist's Foundation: env steps per second with
random actions, 4 agents + planner on a 25 × 25 grid (the issue's configuration).

Ours: ``copies`` worlds stepped at once by ``dynamics.economy.gather_build.gather_build_step``
(an env step = one step of one copy, all four agents and the planner acting). Foundation: not
installable here (``ai-economist`` pins old versions and installs only by hand with
``--no-deps``), so its figure is cited from ../shared/docs/peers.md: about 1,500 env steps/s
(~6 k agent-steps/s) on this machine size, one process. Target: >= 100 × that, 150 k env steps/s.

Learning throughput (``--learning``): env steps per second of
``dynamics.economy.gather_build_training.train_gather_build`` (playing with sampled policies,
features and the policy-gradient updates included) on the report's configuration; with
``--larger`` it trains ``numpol.experiments.gather_build_learning``'s larger configuration and
prints the comparison table.

Run: PYTHONPATH=. nice -n 19 .venv/bin/python benchmarks/bench_gather_build.py [copies] [steps]
     PYTHONPATH=. nice -n 19 .venv/bin/python benchmarks/bench_gather_build.py --learning [--larger]
"""

from __future__ import annotations

import sys
import time

import numpy as np

from dynamics.economy.gather_build import GatherBuild, gather_build_reset, gather_build_step

FOUNDATION_STEPS_PER_SECOND = 1_500.0  # peers.md, Foundation 1.7.1, one process
TARGET_RATIO = 100.0


def main(copies: int = 2048, steps: int = 200) -> None:
    world = GatherBuild()
    rng = np.random.default_rng(0)
    state = gather_build_reset(world, copies, rng=rng)
    actions = rng.integers(0, world.actions, (steps, copies, world.agents))
    rates = rng.integers(0, len(world.rate_grid), (copies, world.brackets))
    gather_build_step(world, state, actions[0], rates, rng=rng)  # warm-up
    start, cpu = time.perf_counter(), time.process_time()
    for t in range(1, steps):
        gather_build_step(world, state, actions[t], rng=rng)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rate = copies * (steps - 1) / seconds
    ratio = rate / FOUNDATION_STEPS_PER_SECOND
    print(f"ours: {copies} copies × {steps - 1} steps in {seconds:.2f} s = {rate:,.0f} env steps/s")
    # on a shared machine the wall time includes waiting for a core; the CPU time of this
    # process (single-threaded numpy here) is what an idle core would take
    cpu_rate = copies * (steps - 1) / cpu
    print(f"      CPU time {cpu:.2f} s = {cpu_rate:,.0f} env steps/s per busy core")
    print(f"Foundation (peers.md): {FOUNDATION_STEPS_PER_SECOND:,.0f} env steps/s")
    cpu_ratio = copies * (steps - 1) / cpu / FOUNDATION_STEPS_PER_SECOND
    print(
        f"ratio {ratio:.0f}× by wall time, {cpu_ratio:.0f}× by CPU time (target "
        f"{TARGET_RATIO:.0f}×): wall {'MET' if ratio >= TARGET_RATIO else 'NOT MET'}, CPU "
        f"{'MET' if cpu_ratio >= TARGET_RATIO else 'NOT MET'}"
    )


def learning(larger: bool = False) -> None:
    from numpol.experiments.gather_build_learning import (
        LARGER_CURRICULUM,
        LARGER_WORLD,
        REPORT_CURRICULUM,
        REPORT_SEEDS,
        REPORT_WORLD,
        compute_gather_build_learning,
        judge_gather_build_learning,
        render_gather_build_learning,
    )

    world, plan = (LARGER_WORLD, LARGER_CURRICULUM) if larger else (REPORT_WORLD, REPORT_CURRICULUM)
    runs = 4  # regimes
    episodes = plan.schedules * plan.repeats
    steps = world.steps * episodes * REPORT_SEEDS * (plan.free_steps + runs * plan.joint_steps)
    start, cpu = time.perf_counter(), time.process_time()
    run = compute_gather_build_learning(
        np.random.default_rng(0), world=world, curriculum=plan, progress=True
    )
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"learning: {steps:,} env steps trained in {seconds:.1f} s wall, {cpu:.1f} s CPU = "
        f"{steps / cpu:,.0f} env steps/s of training per busy core (evaluation included)"
    )
    tables, _ = render_gather_build_learning(run)
    for table in tables:
        print(table.markdown())
    for claim in judge_gather_build_learning(run):
        print(claim.id, claim.seed_holds, "|", claim.simulation)


if __name__ == "__main__":
    if "--learning" in sys.argv:
        learning("--larger" in sys.argv)
    else:
        main(*[int(a) for a in sys.argv[1:3]])
