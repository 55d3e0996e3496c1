"""The Gather-and-Build world's accounts (X-AE-GB1) with a rendered frame.

Compute → judge → render: :func:`compute_gather_build` plays :data:`GB_COPIES` whole episodes
of :mod:`dynamics.economy.gather_build` with random actions and random planner rates and
records the largest gap of its accounting identities; :func:`judge_gather_build` turns the
record into the X-AE-GB1 row; :func:`render_gather_build` draws copy 0's last frame. The
experiment is registered with the learning-planner ones
(:data:`numpol.experiments.learning_planner.EXPERIMENTS`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from dynamics.economy.gather_build import (
    GatherBuild,
    GatherBuildState,
    gather_build_reset,
    gather_build_step,
    ledger,
)
from dynamics.plots.economy import plot_gather_build
from numpol.agreement import FLOAT_RTOL
from numpol.registry import Claim, Result

__all__ = [
    "GB_COPIES",
    "GatherBuildAudit",
    "compute_gather_build",
    "judge_gather_build",
    "render_gather_build",
    "run_gather_build",
]

#: Whole Gather-and-Build episodes audited, batched.
GB_COPIES = 64  # whole episodes (1000 steps, 10 tax periods) of the world, batched


@dataclass(frozen=True)
class GatherBuildAudit:
    """The played episodes: the world, its final state, the largest relative gap of the three
    accounts (checked every 50 steps) and the run time."""

    world: GatherBuild
    state: GatherBuildState
    worst: float
    seconds: float


def compute_gather_build(rng: np.random.Generator, *, copies: int = GB_COPIES) -> GatherBuildAudit:
    """Play `copies` whole episodes with random actions and rates, checking the accounts."""
    world = GatherBuild()
    state = gather_build_reset(world, copies, rng=rng.spawn(1)[0])
    stream = rng.spawn(1)[0]
    # random play biased to moving and building (uniform actions are mostly market orders and
    # hardly anyone builds), random planner rates: every rule, tax period and trade fires
    p = np.ones(world.actions)
    p[1:6] = 12.0
    p /= p.sum()
    worst = 0.0
    start = time.perf_counter()
    for t in range(world.steps):
        acts = stream.choice(world.actions, size=(copies, world.agents), p=p)
        rates = stream.integers(0, len(world.rate_grid), (copies, world.brackets))
        gather_build_step(world, state, acts, rates if t % world.period == 0 else None, rng=stream)
        if t % 50 == 49:
            worst = max(worst, ledger(state).largest_gap())
    return GatherBuildAudit(world, state, worst, time.perf_counter() - start)


def judge_gather_build(audit: GatherBuildAudit) -> Claim:
    """X-AE-GB1: fails (``agrees = False``) when an account's largest relative gap exceeds
    ``FLOAT_RTOL``."""
    world, state, worst = audit.world, audit.state, audit.worst
    copies = len(state.houses_built)
    book = ledger(state)
    ok = worst <= FLOAT_RTOL
    return Claim(
        "X-AE-GB1",
        "Gather-and-Build conserves wood, stone and coins, and rebates exactly the taxes",
        "accounting identities of the rules: units held (inventories, asks, houses) = units "
        "gathered; coins held and escrowed = builders' payouts; Σ taxes = Σ rebates",
        f"{copies} whole episodes (25×25, 4 agents, 1000 steps, 10 tax periods), random "
        f"actions: largest relative gap {worst:.1e} (checked every 50 steps); "
        f"{int(state.houses_built.sum())} houses, {book.taxes.sum():.0f} coins taxed",
        ok,
        "yes" if ok else "no",
        f"tolerance FLOAT_RTOL = {FLOAT_RTOL:g} relative (float round-off of coin sums; unit "
        f"counts are integers, so any gap there is 1 or more). {copies}×{world.steps} env "
        f"steps took {audit.seconds:.1f} s",
        rule=f"largest relative gap of the three accounts {worst:.1e} ≤ {FLOAT_RTOL:g}",
    )


def render_gather_build(audit: GatherBuildAudit) -> tuple[tuple[str, object], ...]:
    """Copy 0 of the world after its episode."""
    fig, ax = plt.subplots(figsize=(6, 6))
    plot_gather_build(audit.state, copy=0, ax=ax)
    ax.set_title("Gather-and-Build after a random episode (copy 0)")
    return (("gather_build_frame", fig),)


def run_gather_build(rng: np.random.Generator) -> Result:
    """The X-AE-GB1 experiment: compute, judge, render."""
    audit = compute_gather_build(rng, copies=GB_COPIES)
    text = (
        "Gather-and-Build (dynamics.economy.gather_build): the modelling choices are named in "
        "the module's docstring. Learning in this world, and the comparison of free market, US "
        "federal, Saez and a learned planner, is the gather-build-learning experiment "
        "(X-AE-GB2..GB6)."
    )
    return Result(
        claims=(judge_gather_build(audit),), figures=render_gather_build(audit), text=text
    )
