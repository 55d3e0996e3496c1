"""Round robin of every enumerated agent up to depth 2: matchups per second, batch vs slow.

Target (issue 2): >= 1e5 matchups/s for the batch evaluator. No peer evaluates modal agents in
Python (peers.md), so the comparison is our bit-packed batch evaluator against our plain
world-by-world evaluator on a random sample of the same pairs.

Run: .venv/bin/python benchmarks/bench_modal.py [max_size]
"""

from __future__ import annotations

import sys
import time

import numpy as np

from modal import LIBRARY, cooperation_matrix, outcome
from modal.agents import Agent
from modal.enumerate import formulas


def main(max_size: int = 7, slow_pairs: int = 2000) -> None:
    targets = ("me", "CooperateBot", "DefectBot", "FairBot")
    agents = [Agent(str(f), f) for f in formulas(2, max_size, targets)]
    agents = [a for a in agents if a.name not in LIBRARY][:2000]
    n = len(agents)
    start = time.perf_counter()
    coop = cooperation_matrix(agents, LIBRARY)
    fast = time.perf_counter() - start
    fast_rate = n * n / fast
    rng = np.random.default_rng(0)
    pairs = rng.integers(0, n, size=(slow_pairs, 2))
    start = time.perf_counter()
    agree = 0
    for i, j in pairs:
        m = outcome(agents[i], agents[j], LIBRARY)[0]
        agree += (m.value == "C") == bool(coop[i, j])
    slow = time.perf_counter() - start
    slow_rate = slow_pairs / slow
    print(f"agents: {n} (depth <= 2, size <= {max_size}); matchups: {n * n:,}")
    print(f"batch (bit-packed):    {fast:8.2f} s  {fast_rate:12,.0f} matchups/s")
    print(
        f"slow (world by world): {slow:8.2f} s  {slow_rate:12,.0f} matchups/s  ({slow_pairs} pairs)"
    )
    print(f"ratio batch/slow: {fast_rate / slow_rate:,.0f}x; agree on {agree}/{slow_pairs} pairs")
    print(f"target >= 1e5 matchups/s: {'met' if fast_rate >= 1e5 else 'NOT met'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
