"""Social Environment Design's loop beyond the report's budget: does δ (the followers' gain from a
trained deviation) shrink as the followers learn longer, and do long rounds approach the
mean-field greedy principal's taxes when the learners are closer to their best responses?

Setup: the report's (``numpol.experiments.design_loop``: 8 × 8 orchard, 3 selfish trusting
agents, flat taxes 0, 1/2, 1). For each training budget ``iterations`` (the followers' updates
per schedule and round; deviators get the same), ``seeds`` loops of ``rounds`` short rounds
(20 steps) with the learning planner, then the same for long rounds (160 steps) with exhaustive
search. Printed per budget: CPU seconds, mean δ ± SE over rounds, rounds with δ > 4 SE, the
learning planner's worst ε, the learners' effective effort u against the stationary Nash 3/4,
the share of long rounds taxed against the mean field's.

No peer is timed: the seed's own implementation (PPO agents and principal in RLlib) is not
packaged, and no other library plays this loop.

Run: PYTHONPATH=. nice -n 19 .venv/bin/python benchmarks/bench_design_loop.py [seeds] [rounds]
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

import numpy as np

from dynamics.commons import social_environment_designs
from numpol.experiments.design_loop import (
    LONG,
    LONG_PLAN,
    SHORT,
    SHORT_PLAN,
    effective_effort,
    mean_field_rounds,
)

BUDGETS = (12, 48, 144)  # followers' iterations per schedule and round (12: the report's)


def main(seeds: int = 3, rounds: int = 4) -> None:
    for iterations in BUDGETS:
        start = time.process_time()
        plan = replace(SHORT_PLAN, iterations=iterations, deviation_iterations=iterations)
        short = social_environment_designs(SHORT, plan, rounds=rounds, seeds=seeds, rng=0)
        cpu_short = time.process_time() - start
        rs = [r for h in short for r in h]
        delta = np.array([r.delta for r in rs])
        se = np.array([r.delta_se for r in rs])
        u = np.mean([effective_effort(h).mean() for h in short])
        print(
            f"short rounds, {iterations:4d} iterations: {cpu_short:7.1f} s CPU; δ = "
            f"{delta.mean():.2f} ± {delta.std(ddof=1) / np.sqrt(len(delta)):.2f} apples, "
            f"> 4 SE in {int(np.sum(delta > 4 * se))}/{len(rs)} rounds; worst ε "
            f"{max(r.epsilon for r in rs):.2f}; effort u = {u:.2f} (Nash 0.75)"
        )
        start = time.process_time()
        lplan = replace(LONG_PLAN, iterations=max(iterations // 3, 1))
        long_ = social_environment_designs(LONG, lplan, rounds=rounds, seeds=seeds, rng=1)
        cpu_long = time.process_time() - start
        mf = mean_field_rounds(LONG, rounds, float(np.mean([h.stocks[0] for h in long_])))
        taxed = sum(int((h.rates > 0).sum()) for h in long_)
        u = np.mean([effective_effort(h).mean() for h in long_])
        print(
            f"long rounds,  {lplan.iterations:4d} iterations: {cpu_long:7.1f} s CPU; taxed "
            f"{taxed}/{seeds * rounds} rounds (mean field {int((mf.taxes > 0).sum())}/{rounds}); "
            f"effort u = {u:.2f} (Nash 0.75); last stock "
            f"{np.mean([h.stocks[-1] for h in long_]):.1f} (mean field {mf.stocks[0, -1]:.1f})"
        )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
