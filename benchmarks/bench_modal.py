"""Round robin of every enumerated agent up to depth 2: matchups per second, batch vs slow.

Target (issue 2): >= 1e5 matchups/s for the batch evaluator. No peer evaluates modal agents in
Python (peers.md), so the comparison is our bit-packed batch evaluator against our plain
world-by-world evaluator on a random sample of the same pairs.

Issue 15 adds its targets (``issue15``): a 19 x 19 literature round robin <= 5 ms, 1e5
candidates x 4 references >= 1e6 matchups/s, the depth-1 semantic enumeration <= 10 s, the
depth <= 2 syntactic enumeration at 9 nodes <= 60 s.

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


# --- issue 15 targets ------------------------------------------------------------------------


def _best_of(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _best_cpu(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    """This process's least CPU time over `repeat` calls (the work, whatever the machine's load)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def issue15() -> None:
    """The issue-15 targets. The peer of each fast path is our own slow path (no other library
    evaluates modal agents): ratios are fast / slow on the same work."""
    from modal import SEED_AGENTS, round_robin
    from modal.behaviours import depth1_behaviours
    from modal.checks import slow_cooperation_matrix
    from modal.enumerate import enumerate_agents

    lib = list(LIBRARY.values())
    fast = _best_of(lambda: cooperation_matrix(lib))
    slow = _best_of(lambda: slow_cooperation_matrix(lib), repeat=1)
    print(
        f"{len(lib)}x{len(lib)} literature round robin: {fast * 1e3:6.2f} ms "
        f"(target <= 5 ms: {'met' if fast <= 5e-3 else 'NOT met'}); world-by-world "
        f"{slow * 1e3:.0f} ms, ratio {slow / fast:,.0f}x"
    )

    targets = ("me", "CooperateBot", "DefectBot", "FairBot")
    fs = formulas(1, 7, targets)
    cands = [Agent(f"C{i}", fs[i % len(fs)]) for i in range(100_000)]
    start = time.perf_counter()
    rr = round_robin(cands, SEED_AGENTS)
    cold = time.perf_counter() - start
    warm = _best_of(lambda: round_robin(cands, SEED_AGENTS), repeat=3)
    pairs = len(cands) * len(SEED_AGENTS)
    print(
        f"1e5 candidates x 4 references (+ self-play), {len(fs)} distinct formulas, stopped at "
        f"world {rr.stable_from}: first call {pairs / cold:,.0f} matchups/s, compiled "
        f"{pairs / warm:,.0f} matchups/s (target >= 1e6: "
        f"{'met' if pairs / warm >= 1e6 else 'NOT met'}); by CPU time "
        f"{pairs / _best_cpu(lambda: round_robin(cands, SEED_AGENTS)):,.0f} matchups/s"
    )
    # the same size with every formula distinct (no row is shared): the evaluator's own rate
    fs8 = formulas(1, 8, targets)
    distinct = [Agent(f"D{i}", f) for i, f in enumerate(fs8[:100_000])]
    start = time.perf_counter()
    round_robin(distinct, SEED_AGENTS)
    cold8 = time.perf_counter() - start
    warm8 = _best_of(lambda: round_robin(distinct, SEED_AGENTS), repeat=3)
    print(
        f"{len(distinct):,} distinct candidates (depth <= 1, <= 8 nodes) x 4 references: "
        f"first call (compiling) {len(distinct) * 4 / cold8:,.0f} matchups/s, compiled "
        f"{len(distinct) * 4 / warm8:,.0f} matchups/s; by CPU time "
        f"{len(distinct) * 4 / _best_cpu(lambda: round_robin(distinct, SEED_AGENTS)):,.0f}"
    )

    start = time.perf_counter()
    bs = depth1_behaviours(SEED_AGENTS)
    t = time.perf_counter() - start
    print(
        f"depth-1 semantic enumeration vs the seed's agents: {len(bs)} behaviours "
        f"(self-play included) in {t:.1f} s (target <= 10 s: {'met' if t <= 10 else 'NOT met'})"
    )

    # wall time and this process's CPU time: on a shared machine the CPU time is the work done
    start, cpu = time.perf_counter(), time.process_time()
    e = enumerate_agents(2, 9, references=SEED_AGENTS)
    t, c = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"depth <= 2, <= 9 nodes syntactic enumeration: {e.searched:,} formulas, "
        f"{len(e.agents)} classes in {t:.1f} s wall, {c:.1f} s CPU "
        f"(target <= 60 s: {'met' if t <= 60 else 'NOT met'} by wall time, "
        f"{'met' if c <= 60 else 'NOT met'} by CPU time)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
    issue15()
