"""The Harvest commons core: steps per second batched against one copy through the PettingZoo
env, with random actions (10 × 10 torus, 4 agents, view radius 3; observations included, as a
learner needs them every step).

Ours, batched: ``copies`` copies stepped at once by ``dynamics.commons.harvest_step`` plus
``harvest_observations``; an env step is one step of one copy (all agents acting). Ours, one
copy: ``dynamics.commons.HarvestEnv`` (the ParallelEnv view: dict actions in, dict
observations out), the same core on a batch of one.

Peers: Melting Pot's ``commons_harvest__open`` (the maintained Harvest of Perolat et al.) is
on the package index as ``dm-meltingpot`` 2.4.1, but its sdist downloads assets while building
and this machine has no network, so it does not install; the original sequential-social-
dilemma environments are not packaged. No peer figure is cited: none was measured.

Run: PYTHONPATH=. nice -n 19 .venv/bin/python benchmarks/bench_harvest.py [copies] [steps]
"""

from __future__ import annotations

import sys
import time

import numpy as np

from dynamics.commons import Harvest, HarvestEnv, harvest_observations, harvest_reset, harvest_step


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
    main(*[int(a) for a in sys.argv[1:3]])
