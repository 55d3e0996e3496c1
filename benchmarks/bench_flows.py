"""Replicator flow, 10^4 initial conditions of the 4-strategy modal game (eps = 1/10) to t = 200.

Our batched adaptive integrator (dynamics.integrate, log coordinates, per-trajectory steps)
against: a per-trajectory scipy solve_ivp loop (RK45), nashpy's replicator_dynamics (odeint),
EGTtools' replicator_equation used as the right-hand side of a solve_ivp loop (it has no
integrator of its own), and a plain batched fixed-step numpy RK4 (dt = 0.05, the bar in
peers.md). The slow per-trajectory peers are timed on a subsample and extrapolated (said so in
the output). Fates: whether a start is inside DefectBot's trapping set at t = 200 (then it
provably converges there), compared start by start with ours.

Run: PYTHONPATH=. python benchmarks/bench_flows.py   (a peer that is missing prints
"not installed").
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from scipy.integrate import solve_ivp

from dynamics.flows import replicator
from dynamics.integrate import integrate
from dynamics.longrun import trapping_radius
from modal import SEED_AGENTS
from theory.modal_game import modal_game

N = 10_000
T_END = 200.0
RTOL, ATOL = 1e-6, 1e-8
SUBSAMPLE = 100  # starts timed for the per-trajectory peers


def fates(final: np.ndarray, r: float) -> np.ndarray:
    """True where the state is in DefectBot's trapping set."""
    return np.asarray(final[:, 0] > 1 - r)


def per_trajectory(
    name: str, solve_one: Callable[[np.ndarray], np.ndarray], X0: np.ndarray, k: int
) -> tuple[float, np.ndarray]:
    """Seconds per trajectory over the first k starts, and their final states."""
    finals = []
    start = time.perf_counter()
    for x in X0[:k]:
        finals.append(solve_one(x))
    per = (time.perf_counter() - start) / k
    print(f"  {name}: timed {k} starts, {per * 1e3:.2f} ms each", flush=True)
    return per, np.array(finals)


def main() -> None:
    A = modal_game(SEED_AGENTS, "1/10").astype(np.float64)
    r = trapping_radius(A, 0)
    X0 = np.random.default_rng(20261123).dirichlet(np.ones(4), size=N)
    rows: list[tuple[str, int, float, float, str]] = []

    integrate(A, X0[:50], T_END, n_out=2)  # warm-up
    start = time.perf_counter()
    ours = integrate(A, X0, T_END, n_out=2, rtol=RTOL, atol=ATOL)
    t_ours = time.perf_counter() - start
    f_ours = fates(ours.final, r)
    rows.append(("ours: batched DP45, log coords", N, t_ours, N / t_ours, "-"))
    print(f"ours: {N} starts in {t_ours:.2f} s; {f_ours.sum()} in DefectBot's trap", flush=True)

    def rhs_ours(_t: float, x: np.ndarray) -> np.ndarray:
        return replicator_kernel(A, x[None, :])[0]

    def ivp(x: np.ndarray) -> np.ndarray:
        sol = solve_ivp(rhs_ours, (0, T_END), x, method="RK45", rtol=RTOL, atol=ATOL)
        return sol.y[:, -1]

    per, fin = per_trajectory("solve_ivp RK45 loop", ivp, X0, SUBSAMPLE)
    agree = np.mean(fates(fin, r) == f_ours[:SUBSAMPLE])
    rows.append(
        ("solve_ivp RK45 per start (extrapolated)", SUBSAMPLE, per * N, 1 / per, f"{agree:.0%}")
    )

    try:
        import nashpy

        game = nashpy.Game(A, A.T)

        def nash(x: np.ndarray) -> np.ndarray:
            return game.replicator_dynamics(y0=x, timepoints=np.linspace(0, T_END, 201))[-1]

        per, fin = per_trajectory("nashpy replicator_dynamics", nash, X0, SUBSAMPLE)
        agree = np.mean(fates(fin, r) == f_ours[:SUBSAMPLE])
        rows.append(
            (
                "nashpy replicator_dynamics (extrapolated)",
                SUBSAMPLE,
                per * N,
                1 / per,
                f"{agree:.0%}",
            )
        )
    except ImportError:
        print("nashpy: not installed")

    try:
        from egttools.analytical import replicator_equation

        x = np.array([0.1, 0.2, 0.3, 0.4])
        gap = np.max(np.abs(replicator_equation(x, A) - replicator(A, x)[0]))
        print(f"  egttools replicator_equation vs ours at one point: max diff {gap:.1e}")

        def egt(x: np.ndarray) -> np.ndarray:
            sol = solve_ivp(
                lambda _t, y: replicator_equation(y, A),
                (0, T_END),
                x,
                method="RK45",
                rtol=RTOL,
                atol=ATOL,
            )
            return sol.y[:, -1]

        per, fin = per_trajectory("egttools RHS + solve_ivp", egt, X0, SUBSAMPLE // 2)
        agree = np.mean(fates(fin, r) == f_ours[: SUBSAMPLE // 2])
        rows.append(
            (
                "EGTtools replicator_equation + solve_ivp (extrapolated)",
                SUBSAMPLE // 2,
                per * N,
                1 / per,
                f"{agree:.0%}",
            )
        )
    except ImportError:
        print("egttools: not installed")

    # plain batched fixed-step RK4 in x (the "tuned numpy" bar of peers.md), all N starts
    dt = 0.05
    start = time.perf_counter()
    x = X0.copy()
    for _ in range(int(round(T_END / dt))):
        k1 = replicator_kernel(A, x)
        k2 = replicator_kernel(A, x + 0.5 * dt * k1)
        k3 = replicator_kernel(A, x + 0.5 * dt * k2)
        k4 = replicator_kernel(A, x + dt * k3)
        x = x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    t_rk4 = time.perf_counter() - start
    agree = np.mean(fates(x, r) == f_ours)
    rows.append(("batched numpy RK4, dt 0.05, x coords", N, t_rk4, N / t_rk4, f"{agree:.2%}"))

    print()
    print(f"{N} starts, eps = 1/10, t = {T_END:g}, rtol {RTOL:g}, atol {ATOL:g}")
    print(
        f"{'method':<58}{'timed':>7}{'time for 1e4 [s]':>18}{'traj/s':>10}{'ours x':>9}"
        f"{'same fate':>11}"
    )
    for name, k, secs, rate, same in rows:
        print(f"{name:<58}{k:>7}{secs:>18.2f}{rate:>10.0f}{secs / t_ours:>9.1f}{same:>11}")


def replicator_kernel(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    f = x @ A.T
    return x * (f - np.sum(x * f, axis=1, keepdims=True))


if __name__ == "__main__":
    main()
