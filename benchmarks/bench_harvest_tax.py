"""SED-04 with learning agents (X-SED-L7) beyond the report's budget: does the answer change when
the harvesters learn longer?

Setup: the report's (``numpol.experiments.harvest_learning``: 10 × 10 torus, four selfish
trusting agents, 8 runs, 1000 steps of learned play). For each training budget ``iterations``
(100 is the report's), the whole experiment is computed with that budget and X-SED-L7's arms are
printed: the untaxed learners, the learners under the corrective rebated tax t* = 1 and the grid
planner's best hazard (the optimum), each as hazard, long-run density and the group's apples per
agent-step (± one SE over runs), then the row's three answers (overharvest, toward the optimum,
reaches it) and CPU seconds. A diagnostic arm beside them (not in the report): learners on the
joint reward paid every step, untaxed types σ = 1/2, β = 0 (reward ½ Σ_j a_j per step), which
separates the corrective tax's shared credit from its payment at the period's end.

No peer is timed: the seed's own agents (PPO in RLlib on Melting Pot's Harvest) are not packaged
for this machine (see benchmarks/bench_harvest.py), and no other library plays this commons.

Run: PYTHONPATH=. nice -n 19 .venv/bin/python benchmarks/bench_harvest_tax.py [budget ...]
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from fractions import Fraction

import numpy as np

from numpol.experiments.harvest_learning import (
    compute_harvest_learning,
    judge_corrective_tax,
    learned_play,
    report_harvest,
)
from theory.commons import HarvesterType

BUDGETS = (100, 400)  # training iterations (100: the report's)


def _arm(hazard: np.ndarray, density: np.ndarray, apples: np.ndarray) -> str:
    def pm(x: np.ndarray, digits: int) -> str:
        return f"{x.mean():.{digits}f} ± {x.std(ddof=1) / np.sqrt(len(x)):.{digits}f}"

    return f"hazard {pm(hazard, 4)}, density {pm(density, 3)}, apples/agent-step {pm(apples, 3)}"


def main(budgets: tuple[int, ...] = BUDGETS) -> None:
    for iterations in budgets:
        start = time.process_time()
        ev = compute_harvest_learning(np.random.default_rng(0), iterations=iterations)
        cpu = time.process_time() - start
        free, taxed, plan = ev.taxed[0], ev.corrective, ev.planner
        claim = judge_corrective_tax(ev)
        answers = claim.simulation.rsplit(". ", 1)[-1]
        print(f"{iterations} iterations ({cpu:.1f} s CPU for the whole experiment)")
        print(f"  untaxed:      {_arm(free.hazard, free.density, free.apples)}")
        print(f"  tax {taxed.tax}:        {_arm(taxed.hazard, taxed.density, taxed.apples)}")
        print(
            f"  grid planner: hazard {plan.hazard:.3f}, density "
            f"{plan.density.mean():.3f}, apples/agent-step {plan.apples.mean():.3f}"
        )
        print(f"  {answers}; seed holds: {claim.seed_holds}; agrees: {claim.agrees}")
        start = time.process_time()
        untaxed = report_harvest(Fraction(0))
        joint = replace(untaxed, types=(HarvesterType(Fraction(1, 2), 0),) * untaxed.agents)
        tl = learned_play(joint, iterations=iterations, rng=1)
        print(
            f"  joint reward per step (diagnostic, {time.process_time() - start:.1f} s CPU): "
            f"{_arm(tl.hazard, tl.density, tl.apples)}"
        )


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or BUDGETS)
