"""Finite populations of modal agents (seed 001): rows MC-14 and X-FIN-01.

MC-14: the seed's population model run as an agent simulation (random pairwise matching,
reproduction proportional to payoff) for several N; its mean path is compared with the replicator
flow (:mod:`dynamics.integrate`) within the tolerance of :mod:`dynamics.finite.convergence`, and
the ``1/sqrt(N)`` law of the single-run scatter is fitted.

X-FIN-01: the small-mutation limit of the Moran process among DefectBot, CooperateBot, FairBot
and PrudentBot for several eps, exact (``Fraction``), checked against the stationary law of the
full chain with a tiny mutation rate (an independent sparse solve over all 5,456 states).
"""

from __future__ import annotations

from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np

from dynamics.finite.chain import markov_chain
from dynamics.finite.convergence import Z_FAMILY, flow_convergence
from dynamics.finite.fixation import small_mutation_limit
from dynamics.finite.processes import moran
from dynamics.plots.finite import plot_agent_means, plot_distance_scaling, plot_stationary
from modal import SEED_AGENTS
from numpol.registry import Claim, Experiment, Result, SeedHolds, Table
from theory.games import float_matrix
from theory.modal_game import modal_game

__all__ = ["EXPERIMENTS", "AGENT_SIZES", "EPSILONS", "limit_verdict"]

LABELS = ("DefectBot", "CooperateBot", "FairBot", "PrudentBot")
X0 = np.array([0.1, 0.3, 0.3, 0.3])
#: Population sizes of the agent simulations compared with the flow.
AGENT_SIZES = (100, 400, 1600, 6400)
H = 0.2  # one round = h / (3 - 0) = 1/15 flow time units at eps = 1/10
ROUNDS = 90  # flow time 6
RUNS = 100
#: The penalties ε of the small-mutation experiment, as exact text.
EPSILONS = ("1/100", "1/20", "1/10", "1/5", "2/5")
SML_N = 30
SML_W = Fraction(1, 10)
TINY_MU = 1e-6
# The embedded chain is the mu -> 0 limit; at mu = 1e-6 the full chain is mixed a fraction
# O(N mu) = 3e-5 of the time and its monomorphic law differs by O(N mu): 1e-3 is ample.
SML_ATOL = 1e-3
# Allowed deviation of the fitted log-log slope from -1/2: three of its standard errors.
SLOPE_SES = 3.0


def limit_verdict(within: bool, slope: float, slope_se: float) -> SeedHolds:
    """MC-14's verdict: is the flow the large-population limit of the agent simulation?

    Parameters
    ----------
    within : bool
        Whether the agent means lie within their tolerance of the flow at every N.
    slope, slope_se : float
        The fitted log-log slope of the runs' spread against N, and its standard error.

    Returns
    -------
    {"yes", "no", "open"}
        ``yes`` if the means are within tolerance and the spread falls like N^(−1/2) (slope
        within ``SLOPE_SES`` SE + 0.05 of −1/2); ``no`` if the means leave the tolerance or the
        spread does not fall (slope + ``SLOPE_SES`` SE ≥ 0); ``open`` otherwise (a spread that
        falls, but not at the rate of the central limit).

    Examples
    --------
    >>> limit_verdict(True, -0.49, 0.01), limit_verdict(True, 0.02, 0.01)
    ('yes', 'no')
    >>> limit_verdict(True, -0.3, 0.01), limit_verdict(False, -0.5, 0.01)
    ('open', 'no')
    """
    if not within or slope + SLOPE_SES * slope_se >= 0:
        return "no"
    return "yes" if abs(slope + 0.5) <= SLOPE_SES * slope_se + 0.05 else "open"


def _fmt(x: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:.3f}" for v in x) + ")"


def _run_agents(rng: np.random.Generator) -> Result:
    A = float_matrix(modal_game(SEED_AGENTS, "1/10"))
    fc = flow_convergence(A, X0, AGENT_SIZES, rounds=ROUNDS, h=H, runs=RUNS, every=3, rng=rng)
    slope_ok = abs(fc.slope + 0.5) <= SLOPE_SES * fc.slope_se + 0.05
    rows = tuple(
        (str(N), f"{d:.4f}", f"{tol:.4f}", f"{s:.4f}", f"{s * np.sqrt(N):.2f}")
        for N, d, tol, s in zip(fc.N, fc.distance, fc.tolerance, fc.spread, strict=True)
    )
    table = Table(
        "Agent simulation vs replicator flow (eps = 1/10, h = 0.2, 100 runs, t in [0, 6])",
        ("N", "max |mean - flow|", "tolerance", "RMS spread of runs", "spread x sqrt(N)"),
        rows,
    )
    claim = Claim(
        "MC-14",
        "The replicator flow is the large-population limit of the stochastic agent simulation",
        f"flow x(6) = {_fmt(fc.flow[-1])}; Euler gap of the rounds {fc.euler_gap:.4f}",
        f"agent mean x(6), N = {fc.N[-1]}: {_fmt(fc.means[-1, -1])}; max distance by N "
        f"{', '.join(f'{d:.4f}' for d in fc.distance)}; spread slope {fc.slope:.3f} "
        f"+- {fc.slope_se:.3f} (theory -0.5)",
        fc.agrees and slope_ok,
        limit_verdict(fc.agrees, fc.slope, fc.slope_se),
        f"tolerance per N: {Z_FAMILY} SE of the mean of {RUNS} runs (Bonferroni, family "
        "false-alarm 1e-3) + the computed Euler gap of the model's rounds (tau = 1/15); "
        f"slope within {SLOPE_SES} SE + 0.05 of -1/2. The exact drift is one Euler step of the "
        "replicator flow, so the limit is the flow as N -> inf and tau -> 0. Verdict: yes if "
        "the means are within tolerance at every N and the spread falls like N^(-1/2); no if "
        "they leave it or the spread does not fall; open otherwise.",
    )
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [2, 1]})
    plot_agent_means(
        {int(fc.N[0]): (fc.time, fc.means[0]), int(fc.N[-1]): (fc.time, fc.means[-1])},
        fc.time,
        fc.flow,
        LABELS,
        ax=axes[0],
    )
    axes[0].set_title("Modal agents (ε = 1/10): agent means vs replicator flow")
    plot_distance_scaling(
        fc.N,
        {"RMS spread of single runs": fc.spread, "max |mean - flow|": fc.distance},
        ax=axes[1],
    )
    axes[1].axhline(fc.euler_gap, color="grey", ls="--", lw=1, label="Euler gap of the rounds")
    # room above the data for the legend (lower left would cover the Euler-gap line)
    lo, hi = axes[1].get_ylim()
    axes[1].set_ylim(lo, hi * 8)
    axes[1].legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return Result(claims=(claim,), tables=(table,), figures=(("finite_agents_vs_flow", fig),))


def _run_small_mutation(rng: np.random.Generator) -> Result:
    exact, full, mixed = [], [], []
    for eps in EPSILONS:
        A = modal_game(SEED_AGENTS, eps)
        exact.append(small_mutation_limit(moran(A, SML_N, w=SML_W)).stationary)
        mc = markov_chain(moran(A, SML_N, w=float(SML_W), mu=TINY_MU))
        pi = mc.stationary()
        mono = pi[mc.monomorphic()]
        mixed.append(1 - mono.sum())
        full.append(mono / mono.sum())
    E = np.array(exact, dtype=float)
    F = np.array(full)
    worst = float(np.abs(E - F).max())
    defect = E[:, 0]
    shrinks = bool(np.all(np.diff(defect) > 0))  # EPSILONS increase: D share grows with eps
    rows = tuple(
        (eps, *(f"{v:.4f}" for v in e), f"{abs(e - f).max():.1e}", f"{m:.1e}")
        for eps, e, f, m in zip(EPSILONS, E, F, mixed, strict=True)
    )
    table = Table(
        f"Small-mutation limit, Moran N = {SML_N}, w = {SML_W}: long-run time at each "
        "monomorphic state (exact) and the full chain at mu = 1e-6",
        ("eps", *LABELS, "max |exact - full chain|", "full chain: time mixed"),
        rows,
    )
    claim = Claim(
        "X-FIN-01",
        "Small-mutation limit of the Moran process among D, C, FairBot, PrudentBot: the "
        "long-run time at all-DefectBot shrinks as eps -> 0",
        "DefectBot share (exact) for eps = "
        + ", ".join(f"{e}: {d:.4f}" for e, d in zip(EPSILONS, defect, strict=True)),
        f"full chain at mu = {TINY_MU:g}: max difference {worst:.1e} over all eps and strategies",
        worst <= SML_ATOL and shrinks,
        "yes" if shrinks else "no",
        f"N = {SML_N}, w = {SML_W} (linear fitness); tolerance {SML_ATOL} = far above the "
        "O(N mu) error of the small-mutation limit. Echoes MC-12 (the DefectBot basin shrinks) "
        "in finite populations; FairBot + PrudentBot hold most of the time at small eps.",
    )
    ax = plot_stationary([f"ε = {e}" for e in EPSILONS], E, LABELS)
    ax.set_title(f"Small-mutation limit (Moran, N = {SML_N}, w = {SML_W})")
    return Result(claims=(claim,), tables=(table,), figures=(("finite_small_mutation", ax.figure),))


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment(
        "finite-agents", "Agent simulation of modal agents vs the flow (MC-14)", _run_agents
    ),
    Experiment(
        "finite-small-mutation",
        "Small-mutation stationary laws for several eps (X-FIN-01)",
        _run_small_mutation,
    ),
)
