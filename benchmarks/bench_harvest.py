"""The Harvest commons core: steps per second batched against one copy through the PettingZoo
env, with random actions (10 × 10 torus, 4 agents, view radius 3; observations included, as a
learner needs them every step).

Ours, batched: ``copies`` copies stepped at once by ``dynamics.commons.harvest_step`` plus
``harvest_observations``; an env step is one step of one copy (all agents acting). Ours, one
copy: ``dynamics.commons.HarvestEnv`` (the ParallelEnv view: dict actions in, dict
observations out), the same core on a batch of one.

Many schedules: G tax schedules × ``copies`` copies each stepped in one core call (a
``dynamics.commons.ScheduleBatch``, one random stream per schedule) against G calls of one
schedule each on the same streams (the same trajectories, bit for bit), for the design loop's
sizes (3 schedules × 8 copies on an 8 × 8 torus, 3 agents) and larger ones; then the same for
whole trainings (``train_harvesters_under`` against one ``train_harvesters`` per schedule, the
design-loop report's budget).

Peers: Melting Pot's ``commons_harvest__open`` (the maintained Harvest of Perolat et al.) is
on the package index as ``dm-meltingpot`` 2.4.1, but its sdist downloads assets while building
and this machine has no network, so it does not install; the original sequential-social-
dilemma environments are not packaged. No peer figure is cited: none was measured.

Run: PYTHONPATH=. nice -n 19 .venv/bin/python benchmarks/bench_harvest.py [copies] [steps]
(``... bench_harvest.py schedules`` runs the many-schedules part alone)
"""

from __future__ import annotations

import sys
import time

import numpy as np

from dynamics.commons import (
    Harvest,
    HarvestEnv,
    ScheduleBatch,
    harvest_observations,
    harvest_reset,
    harvest_step,
    train_harvesters,
    train_harvesters_under,
)
from theory.policy.tax import TaxSchedule


def _batched(h: Harvest, copies: int, steps: int) -> tuple[float, float]:
    rng = np.random.default_rng(0)
    state = harvest_reset(h, copies, rng=rng)
    actions = rng.integers(0, 6, (steps, copies, h.agents))
    start, cpu = time.perf_counter(), time.process_time()
    for t in range(steps):
        state = harvest_step(h, state, actions[t], rng=rng).state
        harvest_observations(h, state)
    return time.perf_counter() - start, time.process_time() - cpu


def _env(h: Harvest, steps: int) -> tuple[float, float]:
    env = HarvestEnv(h)
    env.reset(seed=0)
    rng = np.random.default_rng(0)
    actions = rng.integers(0, 6, (steps, h.agents))
    names = env.possible_agents
    start, cpu = time.perf_counter(), time.process_time()
    for t in range(steps):
        if not env.agents:
            env.reset()
        env.step({a: int(actions[t, i]) for i, a in enumerate(names)})
    return time.perf_counter() - start, time.process_time() - cpu


def _grid(G: int) -> list[TaxSchedule]:
    """G flat taxes from 0 to 1 (the design loop's grid for G = 3)."""
    return [TaxSchedule([0], [g / max(G - 1, 1)]) for g in range(G)]


def _one_call(h: Harvest, G: int, copies: int, steps: int) -> float:
    """CPU seconds of ``steps`` steps (and observations) of G × copies copies in one call."""
    batch = ScheduleBatch(_grid(G))
    streams = np.random.default_rng(0).spawn(G)
    state = harvest_reset(h, G * copies, streams=streams)
    actions = np.random.default_rng(1).integers(0, 6, (steps, G * copies, h.agents))
    cpu = time.process_time()
    for t in range(steps):
        state = harvest_step(h, state, actions[t], schedules=batch, streams=streams).state
        harvest_observations(h, state)
    return time.process_time() - cpu


def _per_schedule(h: Harvest, G: int, copies: int, steps: int) -> float:
    """The same as :func:`_one_call` with one call per schedule (each its own commons)."""
    hs = [h.with_schedule(s) for s in _grid(G)]
    streams = np.random.default_rng(0).spawn(G)
    states = [harvest_reset(x, copies, rng=r) for x, r in zip(hs, streams, strict=True)]
    actions = np.random.default_rng(1).integers(0, 6, (steps, G * copies, h.agents))
    cpu = time.process_time()
    for t in range(steps):
        for g in range(G):
            a = actions[t, g * copies : (g + 1) * copies]
            states[g] = harvest_step(hs[g], states[g], a, rng=streams[g]).state
            harvest_observations(hs[g], states[g])
    return time.process_time() - cpu


def schedules(steps: int = 400) -> None:
    """G schedules in one core call against one call per schedule, then whole trainings."""
    loop = Harvest(height=8, width=8, agents=3, view=2, period=10, episode=100_000)
    big = Harvest(height=10, width=10, agents=4, view=3, period=50, episode=100_000)
    for name, h, G, copies in (
        ("design loop", loop, 3, 8),
        ("design loop", loop, 9, 8),
        ("10 × 10, 4 agents", big, 3, 64),
        ("10 × 10, 4 agents", big, 9, 64),
    ):
        _one_call(h, G, copies, 5)  # warm-up
        one, per = _one_call(h, G, copies, steps), _per_schedule(h, G, copies, steps)
        n = G * copies * steps
        print(
            f"{name}: {G} schedules × {copies} copies, {steps} steps: one call "
            f"{n / one:,.0f} env steps/s per busy core, one call per schedule {n / per:,.0f}: "
            f"ratio {per / one:.2f}×"
        )
    # whole trainings at the design-loop report's budget (12 iterations, 2 runs × 4 episodes
    # of 20 steps per schedule)
    h = Harvest(height=8, width=8, agents=3, view=2, period=10, episode=20)
    opts = dict(iterations=12, runs=2, episodes=4, progress=False)
    for G in (3, 9):
        grid = _grid(G)
        cpu = time.process_time()
        train_harvesters_under(h, grid, rng=0, **opts)
        one = time.process_time() - cpu
        cpu = time.process_time()
        for s, r in zip(grid, np.random.default_rng(0).spawn(G), strict=True):
            train_harvesters(h.with_schedule(s), rng=r, **opts)
        per = time.process_time() - cpu
        print(
            f"training, {G} schedules: train_harvesters_under {one:.2f} s CPU, one "
            f"train_harvesters per schedule {per:.2f} s: ratio {per / one:.2f}×"
        )


def main(copies: int = 256, steps: int = 400) -> None:
    h = Harvest(height=10, width=10, agents=4, view=3, period=50, episode=100_000)
    _batched(h, copies, 5)  # warm-up (caches of the neighbour matrix and cones)
    wall, cpu = _batched(h, copies, steps)
    env_steps = 4 * steps
    env_wall, env_cpu = _env(h, env_steps)
    ours = copies * steps / cpu
    one = env_steps / env_cpu
    print(
        f"batched: {copies} copies × {steps} steps: {copies * steps / wall:,.0f} env steps/s "
        f"wall, {ours:,.0f} per busy core (CPU time)"
    )
    print(
        f"HarvestEnv, one copy: {env_steps} steps: {env_steps / env_wall:,.0f} env steps/s "
        f"wall, {one:,.0f} per busy core"
    )
    print(f"ratio batched / env: {ours / one:.0f}× by CPU time")
    print(
        "peers: Melting Pot's commons_harvest__open does not install here (no network for its "
        "assets): not measured, nothing cited"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["schedules"]:
        schedules(*[int(a) for a in sys.argv[2:3]])
    else:
        main(*[int(a) for a in sys.argv[1:3]])
        schedules()
