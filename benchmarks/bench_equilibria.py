"""All equilibria of random n x n symmetric games (integers 0..9), n = 4..12, side by side.

Methods: our exact extreme-equilibrium enumeration (`exact_equilibria`, all equilibria incl.
asymmetric), our symmetric 2^n search (`symmetric_equilibria`, symmetric ones only), nashpy
support and vertex enumeration, pygambit enummixed (rational and float) and lcp (float; one
equilibrium path, not all). Each call runs in its own process with a time budget; a method that
exceeds it is reported as "> budget" and not run at larger n. Medians over the games per n, and
ratios to our symmetric search. Counts are of distinct equilibria (pygambit's enummixed repeats
an extreme equilibrium of a degenerate game once per basis). Target (issue 3): symmetric search
>= 10x nashpy support enumeration at n = 10 (nashpy takes minutes there: the ratio is then a
lower bound unless the target run below measures it).

Run: .venv/bin/python benchmarks/bench_equilibria.py [n_max] [games] [budget_s]
[target_budget_s]. With target_budget_s > 0, the issue's target is also measured directly: ours
symmetric vs nashpy support enumeration on the first n = 10 game, nashpy capped at that budget.

Issue 16's targets: ``python benchmarks/bench_equilibria.py targets`` measures all equilibria
(exact) of random 12 x 12 bimatrix games (target <= 2 s), ours against pygambit's float
enumeration at n = 10..12 (target: ratio < 1), one 14 x 14 game (target <= 60 s) and the peak
memory of the symmetric search on a 24 x 24 game (target <= 500 MB; run under a time budget,
memory being flat once the supports stream). Wall and CPU seconds are both printed: on a shared
machine the CPU time is the fairer number.
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np


def _ours_exact(A: np.ndarray) -> int:
    from theory.equilibria import exact_equilibria
    from theory.games import Game

    return len(exact_equilibria(Game.symmetric(A)))


def _ours_symmetric(A: np.ndarray) -> int:
    from theory.equilibria import symmetric_equilibria

    return len(symmetric_equilibria(A))


def _nashpy(kind: str) -> Callable[[np.ndarray], int]:
    def run(A: np.ndarray) -> int:
        import nashpy

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            g = nashpy.Game(A.astype(float), A.T.astype(float))
            return sum(1 for _ in getattr(g, f"{kind}_enumeration")())

    return run


def _gambit_game(A: np.ndarray, B: np.ndarray) -> Any:
    """A pygambit strategic game (``StrategicGame.from_arrays`` since 17, ``Game`` before)."""
    import pygambit as gbt

    maker = getattr(gbt, "StrategicGame", gbt.Game)
    return maker.from_arrays(np.asarray(A).astype(int), np.asarray(B).astype(int))


def _gambit_profile(g: Any, eq: Any) -> list[list[Any]]:
    """A pygambit equilibrium (a profile, or a dict in 17's cliques) as probabilities per
    player, in order."""
    if isinstance(eq, dict):
        return [list(d.values()) for d in eq.values()]
    players = list(g.players)
    if not hasattr(players[0], "strategies"):  # pygambit 17: (strategy, prob) pairs per player
        return [[prob for _, prob in mixed] for mixed in eq]
    return [[eq[p][s] for s in p.strategies] for p in players]


def _gambit(kind: str, rational: bool) -> Callable[[np.ndarray], int]:
    def run(A: np.ndarray) -> int:
        import pygambit as gbt

        g = _gambit_game(A, A.T)
        solver = gbt.nash.enummixed_solve if kind == "enummixed" else gbt.nash.lcp_solve
        eqs = solver(g, rational=rational).equilibria
        # enummixed lists an extreme equilibrium of a degenerate game once per basis: count
        # distinct profiles (rounded for floats) so the counts compare with ours
        return len(
            {
                tuple(
                    str(v) if rational else round(float(v), 9)
                    for probs in _gambit_profile(g, eq)
                    for v in probs
                )
                for eq in eqs
            }
        )

    return run


METHODS: dict[str, tuple[str | None, Callable[[np.ndarray], int]]] = {
    "ours symmetric": (None, _ours_symmetric),
    "ours exact (all)": (None, _ours_exact),
    "nashpy support": ("nashpy", _nashpy("support")),
    "nashpy vertex": ("nashpy", _nashpy("vertex")),
    "gambit enummixed exact": ("pygambit", _gambit("enummixed", True)),
    "gambit enummixed float": ("pygambit", _gambit("enummixed", False)),
    "gambit lcp float (one path)": ("pygambit", _gambit("lcp", False)),
}


def _worker(name: str, A: np.ndarray, q: Any) -> None:
    fn = METHODS[name][1]
    fn(A[:2, :2])  # warm imports outside the timing
    start = time.perf_counter()
    count = fn(A)
    q.put((time.perf_counter() - start, count))


def timed(name: str, A: np.ndarray, budget: float) -> tuple[float | None, int | None]:
    """Seconds and number of equilibria, or (None, None) past the budget."""
    q: Any = mp.Queue()
    p = mp.Process(target=_worker, args=(name, A, q))
    p.start()
    p.join(budget + 15)  # + start-up and imports
    if p.is_alive():
        p.terminate()
        p.join()
        return None, None
    if q.empty():
        return None, None
    secs, count = q.get()
    return (secs, count) if secs <= budget else (None, count)


def installed(module: str | None) -> bool:
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def target(target_budget: float) -> None:
    """Ours symmetric vs nashpy support on the first n = 10 game of `main`'s stream."""
    rng = np.random.default_rng(20261123)
    for n in range(4, 10):
        for _ in range(3):
            rng.integers(0, 10, size=(n, n))
    A = rng.integers(0, 10, size=(10, 10))
    ours, n_ours = timed("ours symmetric", A, target_budget)
    peer, n_peer = timed("nashpy support", A, target_budget)
    if ours is None:
        print("target: ours symmetric over budget")
        return
    if peer is None:
        print(
            f"target n=10: ours symmetric {ours:.3f} s; nashpy support > {target_budget:.0f} s: "
            f">= {target_budget / ours:.0f}x"
        )
    else:
        print(
            f"target n=10: ours symmetric {ours:.3f} s ({n_ours} symmetric equilibria); "
            f"nashpy support {peer:.1f} s ({n_peer} equilibria, all kinds): {peer / ours:.0f}x"
        )


def main(n_max: int = 12, games: int = 3, budget: float = 20.0) -> None:
    rng = np.random.default_rng(20261123)
    available = {k: installed(m) for k, (m, _) in METHODS.items()}
    for k, ok in available.items():
        if not ok:
            print(f"{k}: not installed")
    dead: set[str] = {k for k, ok in available.items() if not ok}
    print(f"budget {budget:.0f} s per call; {games} games per n; medians in seconds")
    header = f"{'n':>3} " + " ".join(f"{k:>27}" for k in METHODS)
    print(header)
    for n in range(4, n_max + 1):
        As = [rng.integers(0, 10, size=(n, n)) for _ in range(games)]
        cells = []
        med: dict[str, float | None] = {}
        counts: dict[str, list[int | None]] = {}
        for name in METHODS:
            if name in dead:
                med[name] = None
                cells.append(f"{'not run':>27}")
                continue
            times, cs = [], []
            for A in As:
                secs, count = timed(name, A, budget)
                cs.append(count)
                if secs is None:
                    times = []
                    break
                times.append(secs)
            counts[name] = cs
            if not times:
                dead.add(name)
                med[name] = None
                cells.append(f"{'> ' + str(int(budget)) + ' s':>27}")
            else:
                med[name] = statistics.median(times)
                cells.append(f"{med[name]:>27.4f}")
        print(f"{n:>3} " + " ".join(cells), flush=True)
        base = med["ours symmetric"]
        if base:
            ratios = []
            for name in METHODS:
                if name == "ours symmetric":
                    continue
                m = med[name]
                if m is None and name in counts:
                    ratios.append(f"{name}: >= {budget / base:.0f}x (over budget)")
                elif m is None:
                    ratios.append(f"{name}: not run")
                else:
                    ratios.append(f"{name}: {m / base:.1f}x")
            print("    ratio to ours symmetric: " + "; ".join(ratios))
        print(f"    equilibria found: { {k: v for k, v in counts.items()} }", flush=True)


def _bimatrix(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 10, size=(n, n)), rng.integers(0, 10, size=(n, n))


def _exact_timed(A: np.ndarray, B: np.ndarray) -> tuple[float, float, int]:
    from theory.equilibria import exact_equilibria
    from theory.games import Game

    wall, cpu = time.perf_counter(), time.process_time()
    count = len(exact_equilibria(Game(A, B)))
    return time.perf_counter() - wall, time.process_time() - cpu, count


def _gambit_float_timed(A: np.ndarray, B: np.ndarray) -> tuple[float, float, int]:
    """pygambit's float enumeration: seconds (wall, CPU) and its distinct equilibria."""
    import pygambit as gbt

    g = _gambit_game(A, B)
    wall, cpu = time.perf_counter(), time.process_time()
    res = gbt.nash.enummixed_solve(g, rational=False)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    distinct = {
        tuple(round(float(v), 9) for probs in _gambit_profile(g, eq) for v in probs)
        for eq in res.equilibria
    }
    return wall, cpu, len(distinct)


def _gambit_cliques(A: np.ndarray, B: np.ndarray) -> set[frozenset[tuple[Any, Any]]]:
    """pygambit's maximal Nash subsets (``cliques``), each as its set of extreme (x, y)."""
    from fractions import Fraction

    import pygambit as gbt

    g = _gambit_game(A, B)
    res = gbt.nash.enummixed_solve(g, rational=True, cliques=True)

    def profile(eq: Any, player: int) -> tuple[Fraction, ...]:
        return tuple(Fraction(str(v)) for v in _gambit_profile(g, eq)[player])

    return {frozenset((profile(e, 0), profile(e, 1)) for e in clique) for clique in res.cliques}


def _our_cliques(A: np.ndarray, B: np.ndarray) -> set[frozenset[tuple[Any, Any]]]:
    from theory.equilibria import exact_equilibria
    from theory.games import Game

    return {
        frozenset((x, y) for x in s.x_vertices for y in s.y_vertices)
        for c in exact_equilibria(Game(A, B)).components
        for s in c.nash_subsets
    }


def components_check(games: int = 40) -> None:
    """Issue 16's check: the maximal Nash subsets of degenerate games equal pygambit's cliques
    (hawk-dove-retaliator, a game with a continuum of equilibria, random games with ties)."""
    hdr = np.array([[-1, 2, -1], [0, 1, 1], [-1, 1, 1]])
    named = [("hawk-dove-retaliator", hdr, hdr.T)]
    named.append(
        ("continuum (outside option)", np.array([[1, 1], [0, 2]]), np.array([[1, 1], [0, 2]]))
    )
    rng = np.random.default_rng(16)
    for k in range(games):
        m, n = rng.integers(2, 6, size=2)
        named.append(
            (f"random {m}x{n} 0..2 #{k}", rng.integers(0, 3, (m, n)), rng.integers(0, 3, (m, n)))
        )
    same = degenerate = 0
    for name, A, B in named:
        ours, theirs = _our_cliques(A, B), _gambit_cliques(A, B)
        if any(len(c) > 1 for c in ours):
            degenerate += 1
        if ours == theirs:
            same += 1
        else:
            print(f"components differ on {name}: ours {len(ours)}, pygambit {len(theirs)}")
    print(
        f"maximal Nash subsets equal to pygambit's cliques on {same} of {len(named)} games "
        f"({degenerate} with a non-trivial subset)",
        flush=True,
    )


def _symmetric_memory(n: int, budget: float) -> None:
    import resource

    from theory.equilibria import symmetric_equilibria

    A = np.random.default_rng(n).integers(0, 10, size=(n, n))
    start = time.perf_counter()
    res = symmetric_equilibria(A, budget=budget)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    state = "complete" if res.complete else f"stopped after {budget:g} s"
    print(
        f"symmetric {n} x {n}: peak memory {peak:.0f} MB ({state}, {len(res)} found, "
        f"{time.perf_counter() - start:.1f} s); target <= 500 MB"
    )


def targets(games: int = 3, memory_budget: float = 60.0) -> None:
    """Issue 16's targets, see the module docstring."""
    print(f"{'n':>3} {'ours exact wall':>16} {'cpu':>8} {'gambit float wall':>18} {'cpu':>8}")
    counts = []
    for n in (10, 11, 12):
        ours, gam = [], []
        for k in range(games):
            A, B = _bimatrix(n, 1000 * n + k)
            ours.append(_exact_timed(A, B))
            if installed("pygambit"):
                gam.append(_gambit_float_timed(A, B))
                counts.append((n, k, ours[-1][2], gam[-1][2]))
        ow = statistics.median(o[0] for o in ours)
        oc = statistics.median(o[1] for o in ours)
        line = f"{n:>3} {ow:>16.3f} {oc:>8.3f}"
        if gam:
            gw = statistics.median(g[0] for g in gam)
            gc = statistics.median(g[1] for g in gam)
            line += f" {gw:>18.3f} {gc:>8.3f}   ratio ours/gambit (cpu) {oc / gc:.2f}"
        print(line + ("   (target <= 2 s)" if n == 12 else ""), flush=True)
    if counts:
        print(
            "equilibria (ours exact, pygambit float distinct): "
            + ", ".join(f"{n}x{n}#{k}: {a}/{b}" for n, k, a, b in counts)
        )
        components_check()
    wall, cpu, count = _exact_timed(*_bimatrix(14, 14))
    print(f" 14 {wall:>16.3f} {cpu:>8.3f}   ({count} equilibria; target <= 60 s)", flush=True)
    p = mp.Process(target=_symmetric_memory, args=(24, memory_budget))
    p.start()
    p.join()


if __name__ == "__main__":
    if sys.argv[1:2] == ["targets"]:
        targets(*(int(a) for a in sys.argv[2:3]))
        sys.exit(0)
    args = [float(a) for a in sys.argv[1:]]
    main(
        int(args[0]) if len(args) > 0 else 12,
        int(args[1]) if len(args) > 1 else 3,
        args[2] if len(args) > 2 else 20.0,
    )
    if len(args) > 3 and args[3] > 0 and installed("nashpy"):
        target(args[3])
