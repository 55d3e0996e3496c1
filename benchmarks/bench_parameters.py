"""Equilibria and stability as functions of parameters: the speed targets of issue 13.

Targets: ``symbolic_equilibria`` on a 4 x 4 game with two parameters in <= 10 s (hawk–dove–
bully–retaliator in V and C; before issue 13: > 60 s) and on the modal game of 6 agents with
symbolic ε in <= 30 s (before: > 100 s; 5 agents 18 s); the one-parameter 4 x 4 game (0.75 s
before) for reference; and ``stability_regions`` of every rest point of RPS with two parameters
and of the seed's modal game. Each case runs in its own process under a time budget; wall and CPU
seconds are printed (on a shared machine CPU time is the fairer number), with the ratio to the
target.

Run: .venv/bin/python benchmarks/bench_parameters.py [budget_s]
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import time
from collections.abc import Callable

SIX = "DefectBot,CooperateBot,FairBot,PrudentBot,TrollBot,JustBot"


def _hdbr(two: bool) -> int:
    import sympy

    from theory.equilibria import symbolic_equilibria

    V, C = sympy.symbols("V C", positive=True)
    c = C if two else 2 * V  # one parameter: the cost fixed at twice the value
    h = (V - c) / 2
    A = [  # Hawk, Dove, Bully, Retaliator (Maynard Smith)
        [h, V, V, h],
        [0, V / 2, 0, V / 2],
        [0, V, V / 2, 0],
        [h, V / 2, V, V / 2],
    ]
    return len(symbolic_equilibria(A))


def _modal(k: int) -> int:
    import sympy

    from modal import LIBRARY
    from theory.equilibria import symbolic_equilibria
    from theory.modal_game import modal_game

    eps = sympy.Symbol("epsilon", positive=True)
    agents = [LIBRARY[n] for n in SIX.split(",")[:k]]
    return len(symbolic_equilibria(modal_game(agents, eps)))


def _rps_regions() -> int:
    import sympy

    from theory.parametric_stability import stability_regions
    from theory.stability import replicator_rest_points

    a, b = sympy.symbols("a b", positive=True)
    A = [[0, -b, a], [a, 0, -b], [-b, a, 0]]
    return sum(1 for p in replicator_rest_points(A) for _ in [stability_regions(A, p.x)])


def _modal_regions() -> int:
    import sympy

    from modal import SEED_AGENTS
    from theory.modal_game import modal_game
    from theory.parametric_stability import stability_regions
    from theory.stability import replicator_rest_points

    A = modal_game(SEED_AGENTS, sympy.Symbol("epsilon", positive=True))
    return sum(1 for p in replicator_rest_points(A) for _ in [stability_regions(A, p.x)])


CASES: list[tuple[str, Callable[[], int], float | None]] = [
    ("symbolic_equilibria 4x4, 1 parameter (HDBR, C = 2V)", lambda: _hdbr(False), None),
    ("symbolic_equilibria 4x4, 2 parameters (HDBR in V, C)", lambda: _hdbr(True), 10.0),
    ("symbolic_equilibria modal game, 5 agents, symbolic eps", lambda: _modal(5), None),
    ("symbolic_equilibria modal game, 6 agents, symbolic eps", lambda: _modal(6), 30.0),
    ("stability_regions, every rest point of RPS(a, b)", _rps_regions, None),
    ("stability_regions, every rest point of the seed's modal game", _modal_regions, None),
]


def _child(k: int, q: mp.Queue) -> None:  # type: ignore[type-arg]
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        n = CASES[k][1]()
    except Exception as err:  # reported, not raised: the other cases still run
        q.put((f"{type(err).__name__}: {err}", 0.0, 0.0))
        return
    q.put((n, time.perf_counter() - t0, time.process_time() - c0))


def main(budget: float = 120.0) -> None:
    ctx = mp.get_context("fork")
    head = f"{'count':>5s} {'wall s':>8s} {'cpu s':>8s} {'target':>7s} {'cpu/target':>10s}"
    print(f"{'case':60s} {head}")
    for k, (name, _, target) in enumerate(CASES):
        q = ctx.Queue()
        p = ctx.Process(target=_child, args=(k, q))
        p.start()
        p.join(budget)
        if p.is_alive():
            p.terminate()
            p.join()
            print(f"{name:60s} {'':>5s} {'> ' + str(budget):>8s}")
            continue
        n, wall, cpu = q.get()
        if isinstance(n, str):
            print(f"{name:60s} failed: {n}")
            continue
        t = f"{target:.0f}" if target else "-"
        r = f"{cpu / target:.2f}" if target else "-"
        print(f"{name:60s} {n:5d} {wall:8.2f} {cpu:8.2f} {t:>7s} {r:>10s}")


if __name__ == "__main__":
    main(*(float(v) for v in sys.argv[1:2]))
