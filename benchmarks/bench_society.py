"""Encounters per second: the vectorised Sugar and spice ensemble, the message-passing framework,
and the same iterated game on Axelrod's ``Match`` (its Q-learners, payoffs 3/0/4/1, noise 0.05).

Run: ``make bench`` (all) or ``.venv/bin/python benchmarks/bench_society.py`` (Axelrod optional).
"""

from __future__ import annotations

import time

import networkx as nx

from dynamics.society import QLearning, run_ensemble, run_framework


def _rate(encounters: int, fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return encounters / (time.perf_counter() - start)


def main() -> None:
    pair = nx.complete_graph(2)
    params = QLearning(alpha=0.1, discount=0.9, epsilon=0.1)
    runs, enc = 20_000, 300
    ens = _rate(runs * enc, lambda: run_ensemble(pair, params, encounters=enc, runs=runs, rng=0))
    print(f"ensemble (2 agents, {runs} runs x {enc}): {ens:,.0f} encounters/s")
    ring = nx.cycle_graph(64)
    ens64 = _rate(256 * 2000, lambda: run_ensemble(ring, params, encounters=2000, runs=256, rng=0))
    print(f"ensemble (ring of 64, 256 runs x 2000): {ens64:,.0f} encounters/s")
    fw = _rate(3000, lambda: run_framework(pair, params, encounters=3000, rng=0, record=False))
    print(f"framework (2 agents, 3000 encounters, 7 messages each): {fw:,.0f} encounters/s")
    try:
        import axelrod as axl
    except ImportError:
        print("axelrod Match: not installed")
        axl_rate = None
    else:
        game = axl.Game(r=3, s=0, t=4, p=1)
        match = axl.Match(
            (axl.RiskyQLearner(), axl.RiskyQLearner()), turns=20_000, game=game, noise=0.05, seed=1
        )
        axl_rate = _rate(20_000, match.play)
        print(f"axelrod Match (RiskyQLearner x2, 20000 turns): {axl_rate:,.0f} encounters/s")
    target = 1e6
    print(f"ensemble target >= {target:,.0f}/s: {'met' if ens >= target else 'NOT met'}")
    print(f"ratio ensemble / framework: {ens / fw:,.0f}x")
    if axl_rate is not None:
        print(
            f"ratio ensemble / axelrod: {ens / axl_rate:,.0f}x; "
            f"framework / axelrod: {fw / axl_rate:.2f}x"
        )


if __name__ == "__main__":
    main()
