"""Group games and two populations: agreement with EGTtools and speed, side by side.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_group_games.py`` (EGTtools from the
``bench`` extra; a missing peer prints "not installed").

* The same public goods game (d = 5, r = 3, c = 1) in a population of N = 100 under the Fermi
  rule (beta = 1): fixation probabilities, the small-mutation limit and the full stationary
  distribution (mu = 0.01), ours (:mod:`dynamics.finite.groups`) against EGTtools'
  ``PairwiseComparison`` on a ``MatrixNPlayerGameHolder`` with the same payoff table. The
  script checks the answers agree (to float error, relative to the largest entry) and prints
  the best of several timings of each.
* Two-population flows: trajectories per second of the batched integrator on the battle of the
  sexes (10^4 starts to t = 20), and of the basin count on the same starts
  (:func:`dynamics.basins.two_population_basin_sizes`, fates decided), against nashpy's
  ``asymmetric_replicator_dynamics`` (scipy ``odeint``, one trajectory per call) on 100 of the
  starts; the final states are checked to agree. Rates are per second of this process's CPU
  time (the machine is shared; wall time is printed alongside).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from dynamics.basins import two_population_basin_sizes
from dynamics.finite.groups import (
    group_fixation_probability,
    group_process,
    group_small_mutation_limit,
    group_stationary_distribution,
)
from dynamics.two_populations import integrate_two_populations
from theory.group_games import GroupGame, public_goods_game

D, N, BETA, MU = 5, 100, 1.0, 0.01


def best_of(f: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def egttools_model(game: GroupGame):  # type: ignore[no-untyped-def]
    """EGTtools' analytical pairwise-comparison model on the same payoff table, or None."""
    try:
        import egttools
        from egttools.analytical import PairwiseComparison
        from egttools.games import MatrixNPlayerGameHolder
    except ImportError:
        return None
    d, n = game.group_size, game.strategies
    table = np.zeros((n, egttools.calculate_nb_states(d, n)))
    for idx in range(table.shape[1]):
        group = np.array(egttools.sample_simplex(idx, d, n), dtype=np.int64)  # focal included
        for i in np.flatnonzero(group):
            co = group.copy()
            co[i] -= 1
            table[i, idx] = float(game.payoff(int(i), tuple(int(v) for v in co)))
    holder = MatrixNPlayerGameHolder(n, d, table)
    return holder, PairwiseComparison(N, holder)  # keep the holder: C++ does not own it


def main() -> None:
    game = public_goods_game(D, r=3, c=1)
    ours = group_process(game, N, beta=BETA)
    ours_mu = group_process(game, N, beta=BETA, mu=MU)
    peer = egttools_model(game)
    print(f"Public goods game d = {D}, r = 3, c = 1; Fermi, N = {N}, beta = {BETA}")
    rho = [float(group_fixation_probability(ours, m, r)) for m, r in ((0, 1), (1, 0))]
    print(f"  fixation C in D, D in C (ours): {rho[0]:.6e} {rho[1]:.6e}  (neutral {1 / N})")
    sml = group_small_mutation_limit(ours)
    full = group_stationary_distribution(ours_mu)
    t_sml = best_of(lambda: group_small_mutation_limit(ours))
    t_full = best_of(lambda: group_stationary_distribution(ours_mu))
    print(f"  small-mutation limit, ours:          {t_sml * 1e3:9.3f} ms")
    print(f"  full stationary (mu = {MU}), ours:  {t_full * 1e3:9.3f} ms")
    if peer is None:
        print("  EGTtools: not installed")
    else:
        from egttools.utils import calculate_stationary_distribution

        _, pc = peer
        theirs_rho = [pc.calculate_fixation_probability(m, r, BETA) for m, r in ((0, 1), (1, 0))]
        for a, b in zip(rho, theirs_rho, strict=True):
            assert abs(a - b) <= 1e-12 * max(rho), (rho, theirs_rho)
        T_sml, _ = pc.calculate_transition_and_fixation_matrix_sml(BETA)
        theirs_sml = calculate_stationary_distribution(T_sml.transpose())
        assert np.allclose(sml.stationary, theirs_sml, atol=1e-12)

        def egt_sml() -> object:
            T, _ = pc.calculate_transition_and_fixation_matrix_sml(BETA)
            return calculate_stationary_distribution(T.transpose())

        def egt_full() -> object:
            T = pc.calculate_transition_matrix(BETA, MU)
            return calculate_stationary_distribution(T.transpose())

        theirs_full = np.asarray(egt_full())[::-1]  # EGTtools' state 0 is all strategy 0
        err = float(np.abs(full - theirs_full).max())
        assert err <= 1e-10 * float(full.max()), err
        print(f"  agreement with EGTtools: fixation, SML and full stationary (max diff {err:.1e})")
        e_sml, e_full = best_of(egt_sml), best_of(egt_full)
        print(
            f"  small-mutation limit, EGTtools:      {e_sml * 1e3:9.3f} ms  ({e_sml / t_sml:.1f}x)"
        )
        print(
            f"  full stationary, EGTtools:           {e_full * 1e3:9.3f} ms"
            f"  ({e_full / t_full:.1f}x)"
        )
    two_populations()


def cpu_and_wall(f: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """Best CPU time and best wall time of `repeat` runs."""
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        f()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return min(cpu), min(wall)


def two_populations() -> None:
    sexes = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    rng = np.random.default_rng(0)
    k = 10_000
    x0, y0 = rng.dirichlet([1, 1], size=k), rng.dirichlet([1, 1], size=k)
    print(f"Two populations, battle of the sexes, {k} starts to t = 20:")
    c, w = cpu_and_wall(lambda: integrate_two_populations(sexes, x0, y0, 20.0, n_out=2))
    ours = k / c
    print(f"  integrate_two_populations:   {ours:9,.0f} trajectories/s (wall {k / w:,.0f})")
    c, w = cpu_and_wall(lambda: two_population_basin_sizes(sexes, k, 20.0, rng=0, chunk=k))
    print(f"  two_population_basin_sizes:  {k / c:9,.0f} trajectories/s (wall {k / w:,.0f})")
    try:
        import nashpy
    except ImportError:
        print("  nashpy: not installed")
        return
    game = nashpy.Game(np.array(sexes[0], float), np.array(sexes[1], float))
    few = 100
    times = np.linspace(0, 20, 2)
    ends = []

    def peer() -> None:
        ends.clear()
        for j in range(few):
            xs, ys = game.asymmetric_replicator_dynamics(x0[j], y0[j], timepoints=times)
            ends.append(np.concatenate([xs[-1], ys[-1]]))

    c, w = cpu_and_wall(peer, repeat=2)
    theirs = few / c
    mine = integrate_two_populations(sexes, x0[:few], y0[:few], 20.0, n_out=2)
    err = float(np.abs(np.concatenate([mine.x[:, -1], mine.y[:, -1]], axis=1) - ends).max())
    assert err < 1e-4, err  # both integrate to rtol ~1e-6 (odeint's default 1.5e-8)
    print(
        f"  nashpy asymmetric_replicator_dynamics: {theirs:9,.0f} trajectories/s "
        f"(wall {few / w:,.0f}); ours {ours / theirs:,.0f}x; final states agree to {err:.1e}"
    )


if __name__ == "__main__":
    main()
