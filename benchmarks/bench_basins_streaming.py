"""Streaming basins (issue 17): 10**7 random starts counted with flat memory.

``dynamics.basins.basin_sizes`` draws the starts chunk by chunk and keeps only the counts, so the
peak resident memory after 10**7 starts is the one after 10**5. The game is a 2x2 coordination
game under the replicator to t = 2 (most starts enter a trapping set within the horizon; the
others are classified from the final state): cheap per start, so the run takes minutes; what is
measured is memory and throughput, not the dynamics. Throughput here is ~8,400 starts/s on one
core (the per-start classification dominates), so the default is 10**6 starts (~2 min); pass
1e7 for the full 10**7 (~20 min on one core of the shared machine). The materialised path
(``simplex_sample`` then ``basins``) would hold the starts and final states, 2 x 16 bytes per
start of 2 strategies (320 MB at 10**7; 3e8 starts of 4 strategies reached 12 GB).

Run: PYTHONPATH=. python benchmarks/bench_basins_streaming.py [starts]   (default 10**6)
"""

from __future__ import annotations

import resource
import sys
import time

from dynamics.basins import basin_sizes

GAME = [[1, 0], [0, 2]]  # basin boundary at x_0 = 2/3
T_END = 2.0
CHUNK = 20_000


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    total = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10**6
    print(f"peak RSS after imports: {peak_rss_mb():.0f} MB", flush=True)
    for k in sorted({k for k in (10**5, 10**6) if k < total} | {total}):
        start = time.perf_counter()
        b = basin_sizes(GAME, k, T_END, rng=0, chunk=CHUNK, progress=True)
        secs = time.perf_counter() - start
        shares = ", ".join(f"{f}: {c / b.starts:.4f}" for f, c in b.counts)
        print(
            f"{k:>12,} starts: {secs:7.1f} s, {k / secs:,.0f} starts/s, "
            f"peak RSS {peak_rss_mb():.0f} MB; {shares}",
            flush=True,
        )
    # the exact basin of strategy 0 is {x_0 > 2/3}: a third of uniform starts
    print("expected share of 'rest 0': 0.3333")


if __name__ == "__main__":
    main()
