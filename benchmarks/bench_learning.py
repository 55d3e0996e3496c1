"""Learning in games, side by side with nashpy: same games, same limits, speed ratio.

For each process both libraries run the same number of rounds on the same game; ours runs all
starts at once (``runs=R``), nashpy one run per call (its generators are single runs drawing
from numpy's global generator). Reported: seconds for R runs, the ratio nashpy / ours, and
where each run ends against the theory:

- fictitious play (rock-paper-scissors as a zero-sum game, and Shapley's game): the duality gap
  resp. the distance of the empirical frequencies to the unique equilibrium (1/3, 1/3, 1/3);
- stochastic fictitious play at precision 10 (nashpy: ``etha = 1/10``, ``epsilon_bar = 0``,
  which makes its choice rule exactly logit) in asymmetric matching pennies, whose QRE is
  unique: the distance of the mean frequencies to the logit QRE at 10;
- regret learning on a zero-sum game: our Hedge average and nashpy's ``regret_minimization``
  (a different procedure, Nisan et al. Alg. 4.3, thresholded to a pure profile) against the
  minimax value;
- introspection dynamics: occupation frequencies against the exact stationary distribution;
- the zero-sum LP: our exact (rational, certified) and float minimax against nashpy's
  ``linear_program`` on random integer n x n games.

Run: PYTHONPATH=. .venv/bin/python benchmarks/bench_learning.py [runs] [rounds]
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import nashpy
import numpy as np

from dynamics.learning import (
    fictitious_play,
    hedge,
    introspection_dynamics,
    introspection_stationary,
    stochastic_fictitious_play,
)
from theory.qre import logit_qre
from theory.zero_sum import minimax, zero_sum_game

RPS = np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]])
SHAPLEY = (np.eye(3), np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]))
CHICKEN = (np.array([[6.0, 2.0], [7.0, 0.0]]), np.array([[6.0, 7.0], [2.0, 0.0]]))
PENNIES = (np.array([[1.0, 0.0], [0.0, 1 / 9]]), np.array([[0.0, 1 / 9], [1 / 9, 0.0]]))
ZERO_SUM = np.array([[3.0, -1.0, 0.0], [-2.0, 2.0, 1.0], [0.0, 1.0, -3.0]])


def _time(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _last(gen: Any) -> Any:
    from collections import deque

    return deque(gen, maxlen=1)[0]


def _row(name: str, ours: float, theirs: float, ours_end: str, theirs_end: str) -> None:
    print(
        f"| {name} | {ours:.3f} | {theirs:.3f} | {theirs / ours:.1f}x | {ours_end} | "
        f"{theirs_end} |"
    )


def bench_fictitious_play(runs: int, rounds: int) -> None:
    for label, game, target in (
        ("FP, RPS (zero-sum)", (RPS, -RPS), "gap"),
        ("FP, Shapley's game", SHAPLEY, "dist"),
    ):
        A, B = game
        t_ours, fp = _time(lambda g=game: fictitious_play(g, rounds=rounds, runs=runs, rng=0))

        def theirs(A: np.ndarray = A, B: np.ndarray = B) -> list[tuple[np.ndarray, np.ndarray]]:
            g = nashpy.Game(A, B)
            out = []
            for _ in range(runs):
                cx, cy = _last(g.fictitious_play(iterations=rounds))
                out.append((cx / cx.sum(), cy / cy.sum()))
            return out

        np.random.seed(0)  # noqa: NPY002 - nashpy only draws from the global generator
        t_np, res = _time(theirs)
        x, y = fp.final
        if target == "gap":
            ours_m = np.median((y @ A.T).max(1) - (x @ A).min(1))
            np_m = np.median([(A @ yy).max() - (xx @ A).min() for xx, yy in res])
            what = "median duality gap"
        else:
            ours_m = np.median(np.abs(x - 1 / 3).max(1))
            np_m = np.median([np.abs(xx - 1 / 3).max() for xx, _ in res])
            what = "median max |x - 1/3|"
        _row(label, t_ours, t_np, f"{what} {ours_m:.3f}", f"{np_m:.3f}")


def bench_stochastic_fictitious_play(runs: int, rounds: int) -> None:
    lam = 10.0
    A, B = PENNIES  # a unique QRE at every precision, and SFP converges to it (2 x 2)
    q = logit_qre((A, B), lam)
    t_ours, sfp = _time(
        lambda: stochastic_fictitious_play((A, B), precision=lam, rounds=rounds, runs=runs, rng=0)
    )

    def theirs() -> list[np.ndarray]:
        g = nashpy.Game(A, B)
        out = []
        for _ in range(runs):
            (cx, _cy), _ = _last(
                g.stochastic_fictitious_play(iterations=rounds, etha=1 / lam, epsilon_bar=0)
            )
            out.append(cx / cx.sum())
        return out

    np.random.seed(1)  # noqa: NPY002
    t_np, res = _time(theirs)
    ours_d = np.abs(sfp.final[0].mean(0) - q.x).max()
    np_d = np.abs(np.mean(res, axis=0) - q.x).max()
    _row("SFP asym. pennies, λ = 10", t_ours, t_np, f"|mean x - QRE| {ours_d:.3f}", f"{np_d:.3f}")


def bench_regret(runs: int, rounds: int) -> None:
    value = float(minimax(zero_sum_game(ZERO_SUM)).value)
    g = zero_sum_game(ZERO_SUM)
    t_ours, h = _time(lambda: hedge(g, rounds=rounds, runs=runs, rng=0))

    def theirs() -> list[float]:
        game = nashpy.Game(ZERO_SUM, -ZERO_SUM)
        out = []
        for _ in range(runs):
            x, y = _last(game.regret_minimization(learning_rate=0.1, iterations=rounds))
            out.append(float(np.asarray(x) @ ZERO_SUM @ np.asarray(y)))
        return out

    t_np, res = _time(theirs)
    ours_e = np.median(np.abs(h.average_payoff[:, -1, 0] - value))
    np_e = np.median(np.abs(np.array(res) - value))
    _row(
        "Hedge vs regret_minimization",
        t_ours,
        t_np,
        f"median |payoff - value| {ours_e:.3f}",
        f"{np_e:.3f} (pure output)",
    )


def bench_introspection(runs: int, rounds: int) -> None:
    beta = 0.6
    pi = introspection_stationary(CHICKEN, beta=beta).ravel()
    t_ours, sim = _time(
        lambda: introspection_dynamics(CHICKEN, steps=rounds, beta=beta, runs=runs, rng=0)
    )

    def theirs() -> np.ndarray:
        g = nashpy.Game(*CHICKEN)
        occ = np.zeros(4)
        for _ in range(runs):
            for k, a in enumerate(g.introspection_dynamics(number_of_iterations=rounds, beta=beta)):
                if k:
                    occ[a[0] * 2 + a[1]] += 1
        return occ / occ.sum()

    np.random.seed(2)  # noqa: NPY002
    t_np, occ = _time(theirs)
    ours_d = np.abs(sim.occupancy.reshape(runs, -1).mean(0) - pi).max()
    _row(
        "introspection, chicken β = 0.6",
        t_ours,
        t_np,
        f"|occupancy - π| {ours_d:.4f}",
        f"{np.abs(occ - pi).max():.4f}",
    )


def bench_minimax() -> None:
    rng = np.random.default_rng(0)
    for n in (5, 10, 20):
        A = rng.integers(-9, 10, size=(n, n))
        t_exact, ex = _time(lambda A=A: minimax(zero_sum_game(A)))
        t_float, fl = _time(lambda A=A: minimax(zero_sum_game(A.astype(float))))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_np, (x, y) = _time(lambda A=A: nashpy.Game(A.astype(float)).linear_program())
        np_value = float(x @ A @ y)
        print(
            f"| minimax LP {n}x{n} | exact {t_exact:.3f} / float {t_float:.3f} | {t_np:.3f} | "
            f"{t_np / t_float:.1f}x (float) | value {ex.value} = {float(ex.value):.6f}, "
            f"float {fl.value:.6f} | {np_value:.6f} |"
        )


def main(argv: list[str]) -> None:
    runs = int(argv[1]) if len(argv) > 1 else 20
    rounds = int(argv[2]) if len(argv) > 2 else 2000
    print(f"runs = {runs}, rounds = {rounds}; seconds for all runs\n")
    print("| process | ours (s) | nashpy (s) | nashpy / ours | ours ends | nashpy ends |")
    print("|---|---|---|---|---|---|")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bench_fictitious_play(runs, rounds)
        bench_stochastic_fictitious_play(runs, rounds)
        bench_regret(runs, rounds)
        bench_introspection(runs, rounds)
    bench_minimax()


if __name__ == "__main__":
    main(sys.argv)
