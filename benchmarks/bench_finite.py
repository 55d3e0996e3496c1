"""Finite populations: updates per second and exact-chain solve time, side by side with peers.

Run: ``make bench`` (all) or ``.venv/bin/python benchmarks/bench_finite.py`` (peers: egttools,
axelrod; a missing peer prints "not installed"). Game: the seed's four modal agents at eps = 1/10.

* Simulation throughput, Fermi process, 4 strategies, N = 100 and 1000, mu = 1e-3 and 0.1:
  single updates per second. Ours advances R independent runs per numpy step (vectorised over
  runs); EGTtools' C++ loop runs one chain. Both are reported, with ours for R = 1 too.
* Moran process: ours (one birth-death update per step, R runs at once) against Axelrod's
  ``MoranProcess``, whose generation is one birth-death update after a round robin of matches
  (stand-ins for the modal agents: Defector, Cooperator, TitForTat, Grudger; turns = 1).
* Exact chain: build + stationary solve time against N (direct sparse LU, and the iterative
  BiCGSTAB solver that reaches N = 200: 1.37 M states), with EGTtools' figures from peers.md.
"""

from __future__ import annotations

import time

import numpy as np

from dynamics.finite.chain import markov_chain
from dynamics.finite.processes import fermi, moran
from dynamics.finite.simulation import simulate

A = np.array([[1, 3, 1, 1], [0, 2, 2, 0], [0.9, 1.9, 1.9, 1.9], [0.8, 2.8, 1.8, 1.8]])


def ours_rate(process, runs: int, steps: int) -> float:
    start = np.full(4, process.N // 4)
    t = time.perf_counter()
    simulate(process, start, steps=steps, runs=runs, every=steps, rng=0)
    return runs * steps / (time.perf_counter() - t)


def egttools_rate(N: int, mu: float, steps: int) -> float | None:
    try:
        from egttools.games import Matrix2PlayerGameHolder
        from egttools.numerical import PairwiseComparisonNumerical
    except ImportError:
        return None
    game = Matrix2PlayerGameHolder(4, A)  # keep a reference: the C++ solver does not own it
    pc = PairwiseComparisonNumerical(N, game, 100_000)
    t = time.perf_counter()
    pc.run_with_mutation(steps, 1.0, mu, np.full(4, N // 4, dtype=np.int64))
    return steps / (time.perf_counter() - t)


def axelrod_rate(N: int, generations: int) -> float | None:
    try:
        import axelrod as axl
    except ImportError:
        return None
    kinds = [axl.Defector, axl.Cooperator, axl.TitForTat, axl.Grudger]
    players = [kinds[i % 4]() for i in range(N)]
    mp = axl.MoranProcess(players, turns=1, seed=0)
    t = time.perf_counter()
    for _ in range(generations):
        next(mp)
        if mp.fixated is not None:
            break
    return len(mp.populations) / (time.perf_counter() - t)


def show(label: str, value: float | None, unit: str) -> None:
    print(f"  {label:<44s} " + ("not installed" if value is None else f"{value:12,.0f} {unit}"))


def main() -> None:
    print("Fermi process, 4 strategies, beta = 1 (single updates per second)")
    for N in (100, 1000):
        for mu in (1e-3, 0.1):
            p = fermi(A, N, beta=1.0, mu=mu)
            ours_many = ours_rate(p, runs=10_000, steps=300)
            ours_one = ours_rate(p, runs=1, steps=20_000)
            egt = egttools_rate(N, mu, 400_000)
            print(f" N = {N}, mu = {mu:g}")
            show("ours, 10,000 runs at once", ours_many, "updates/s")
            show("ours, one run", ours_one, "updates/s")
            show("EGTtools PairwiseComparisonNumerical", egt, "updates/s")
            if egt is not None:
                print(
                    f"  ratio ours(10k runs)/EGTtools = {ours_many / egt:.2f}, "
                    f"ours(1 run)/EGTtools = {ours_one / egt:.3f}"
                )
    print("Moran process, 4 strategies (birth-death updates per second)")
    for N in (100, 1000):
        p = moran(A, N, w=0.5)
        ours = ours_rate(p, runs=10_000, steps=300)
        ours_one = ours_rate(p, runs=1, steps=100_000)
        print(f" N = {N}")
        show("ours, 10,000 runs at once", ours, "updates/s")
        show("ours, one run", ours_one, "updates/s")
        if N == 100:
            ax = axelrod_rate(N, 10)
            show("Axelrod MoranProcess (turns = 1)", ax, "generations/s")
            if ax is not None:
                print(
                    f"  ratio ours/Axelrod: {ours / ax:,.0f} (10k runs), "
                    f"{ours_one / ax:,.0f} (1 run)"
                )
        else:  # one Axelrod generation plays all N (N - 1) / 2 = 499,500 matches: minutes
            print(
                "  Axelrod MoranProcess                         not run at N = 1000 (minutes per "
                "generation)"
            )
    print("Exact chain, Fermi, 4 strategies, mu = 0.1: build + stationary solve (seconds)")
    for N, method in (
        (20, "direct"),
        (50, "direct"),
        (50, "iterative"),
        (100, "iterative"),
        (200, "iterative"),
    ):
        t = time.perf_counter()
        mc = markov_chain(fermi(A, N, beta=1.0, mu=0.1))
        built = time.perf_counter() - t
        t = time.perf_counter()
        pi = mc.stationary(method=method)
        solved = time.perf_counter() - t
        print(
            f"  N = {N:3d}: {mc.P.shape[0]:9,d} states, {mc.P.nnz:11,d} entries, build "
            f"{built:6.2f} s, {method:9s} solve {solved:7.2f} s, residual "
            f"{np.abs(mc.P.T @ pi - pi).max():.1e}"
        )
    print(
        "  EGTtools (peers.md): N = 50 1.5 s + 4.4 s; N = 100 11 s build, solve > 60 s; "
        "N = 200 build > 60 s"
    )


if __name__ == "__main__":
    main()
