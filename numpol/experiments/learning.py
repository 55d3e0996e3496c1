"""Learning in games and the equilibria it finds (issue 21): rows X-LRN-01 to X-LRN-04.

- X-LRN-01: which equilibrium of the penalised modal game fictitious play selects from many
  starts, against the replicator's DefectBot basin on the same starts (MC-12's question, asked
  of a learning process).
- X-LRN-02: the correlated equilibria of the penalised modal game, exactly by LP: does any
  beat the good symmetric equilibrium's payoff 2 - eps?
- X-LRN-03: Aumann's chicken: the correlated equilibria beat every Nash equilibrium's welfare,
  and regret matching's empirical distribution approaches the set at the 1/sqrt(T) rate.
- X-LRN-04: fictitious play's limits: Robinson (zero-sum), Shapley's cycle, and stochastic
  fictitious play's rest point against the logit QRE at the same precision.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from dynamics.basins import basins, simplex_sample
from dynamics.learning import (
    fictitious_play,
    regret_matching,
    stochastic_fictitious_play,
)
from modal import SEED_AGENTS
from numpol.experiments.evolution import NAMES, SHORT
from numpol.registry import Claim, Experiment, Result, Table
from theory.correlated import (
    correlated_regret,
    is_correlated_equilibrium,
    optimal_correlated_equilibrium,
)
from theory.equilibria import exact_equilibria
from theory.games import Game
from theory.modal_game import modal_game
from theory.qre import logit_qre, qre_correspondence
from theory.zero_sum import minimax, zero_sum_game

__all__ = ["EXPERIMENTS", "FP_STARTS", "FP_ROUNDS"]

D = 0
EPSILONS = (Fraction(1, 5), Fraction(1, 10), Fraction(1, 20))
FP_STARTS = 400
"""Uniform interior starts per eps (shared by fictitious play and the replicator)."""
FP_ROUNDS = 10_000
"""Rounds of fictitious play per start."""
SHAPLEY = Game(np.eye(3, dtype=int), np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]]))
CHICKEN = Game(np.array([[6, 2], [7, 0]]), np.array([[6, 7], [2, 0]]))
PENNIES = Game(np.array([[9, 0], [0, 1]]), np.array([[0, 1], [1, 0]]))


def _wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _fp_selection(rng: np.random.Generator) -> Result:
    rows = []
    fp_shares, rep_shares = [], []
    close = True
    for eps in EPSILONS:
        A = modal_game(SEED_AGENTS, eps)
        Af = A.astype(float)
        x0 = simplex_sample(4, FP_STARTS, rng=rng)
        # one population: symmetric priors keep both players' frequencies equal
        fp = fictitious_play(Af, rounds=FP_ROUNDS, initial=(x0, x0), record=10, rng=rng)
        x = fp.x[:, -1]
        # DefectBot is selected when it is the best reply to the final frequencies (and holds
        # the majority). Once D is a best reply it stays one: playing D moves the frequencies
        # toward the D vertex, where D is the strict best reply, and payoff differences are
        # linear in the frequencies; so FP plays D for ever and x_D -> 1
        f = x @ Af.T
        selected = (f.argmax(axis=1) == D) & (x[:, D] > 0.5)
        # the horizon the row states (t = 40/eps), fixed: no extension of undecided starts
        b = basins(Af, x0, float(40 / eps), names=SHORT, undecided=1.0)
        in_basin = np.array([str(fate) == "rest D" for fate in b.fates])
        good = next(
            np.array(e.x, dtype=float)
            for e in exact_equilibria(Game.symmetric(A)).equilibria
            if e.x[D] == 0
        )
        dist = np.abs(x[~selected] - good).max(axis=1)
        k_fp, k_rep = int(selected.sum()), int(in_basin.sum())
        fp_shares.append((k_fp / FP_STARTS, *_wilson(k_fp, FP_STARTS)))
        rep_shares.append((k_rep / FP_STARTS, *_wilson(k_rep, FP_STARTS)))
        close &= bool(dist.max() < float(eps))
        both = int((selected & in_basin).sum())
        rows.append(
            (
                str(eps),
                f"{k_fp / FP_STARTS:.3f} [{fp_shares[-1][1]:.3f}, {fp_shares[-1][2]:.3f}]",
                f"{k_rep / FP_STARTS:.3f} [{rep_shares[-1][1]:.3f}, {rep_shares[-1][2]:.3f}]",
                f"{both}/{k_rep}",
                f"{np.median(dist):.3f} / {dist.max():.3f}",
            )
        )
    shrinking = all(fp_shares[i + 1][2] < fp_shares[i][1] for i in range(len(EPSILONS) - 1))
    above = all(f[0] >= r[0] for f, r in zip(fp_shares, rep_shares, strict=True))
    claim = Claim(
        "X-LRN-01",
        "fictitious play selects DefectBot from a share of starts that shrinks as eps -> 0 "
        "(as the replicator's D basin, MC-12); otherwise it stays near the good equilibrium",
        "replicator D basin on the same starts (t = 40/eps): "
        + "; ".join(f"eps={r[0]}: {r[2]}" for r in rows)
        + "; the good equilibrium is (0, eps, 1 - 3eps/2, eps/2) (exact)",
        f"FP ({FP_ROUNDS} rounds, {FP_STARTS} starts) selects D: "
        + "; ".join(f"eps={r[0]}: {r[1]}" for r in rows)
        + "; other runs' max distance to the good equilibrium (median / max): "
        + "; ".join(f"{r[4]}" for r in rows),
        bool(shrinking and close),
        "yes" if shrinking else "no",
        "95% Wilson intervals; agreement = each FP interval lies entirely below the previous "
        "one's, and every non-D run ends within eps (max norm) of the good equilibrium. "
        f"FP's D share is {'at least' if above else 'not always above'} the replicator's: "
        "fictitious play, a best-reply process, is drawn to D from more starts.",
    )
    table = Table(
        "Fictitious play vs replicator in the penalised modal game",
        (
            "eps",
            "FP selects D [95% CI]",
            "replicator D basin [95% CI]",
            "replicator-D starts also FP-D",
            "non-D FP runs: distance to good eq (median / max)",
        ),
        tuple(rows),
    )
    return Result(claims=(claim,), tables=(table,), data={"fp": fp_shares, "rep": rep_shares})


def _modal_ce(rng: np.random.Generator) -> Result:
    rows = []
    ok = True
    beats_ce = False
    for eps in EPSILONS:
        g = Game.symmetric(modal_game(SEED_AGENTS, eps))
        good = 2 - eps
        best_row = optimal_correlated_equilibrium(g, "row")
        best_welfare = optimal_correlated_equilibrium(g, "welfare")
        cce = optimal_correlated_equilibrium(g, "row", coarse=True)
        # independent second method: the same LP in floats (HiGHS), and every Nash
        # equilibrium (exact support enumeration) checked to be a CE
        fl = optimal_correlated_equilibrium(Game(g.A.astype(float), g.B.astype(float)), "row")
        nash_in = all(
            is_correlated_equilibrium(g, [[Fraction(a) * Fraction(b) for b in e.y] for a in e.x])
            for e in exact_equilibria(g).equilibria
        )
        ok &= best_row.exact and abs(fl.value - float(best_row.value)) < 1e-9 and nash_in
        beats_ce |= best_row.value > good
        rows.append(
            (
                str(eps),
                str(good),
                str(best_row.value),
                str(best_welfare.value),
                f"{cce.value} = {float(cce.value):.4f}",
                f"{fl.value:.9f}",
                "yes" if nash_in else "no",
            )
        )
    claim = Claim(
        "X-LRN-02",
        "no correlated equilibrium of the penalised modal game gives a player more than the "
        "good symmetric equilibrium's 2 - eps; coarse correlated equilibria do",
        "exact LP (certified): max row payoff over CE = "
        + "; ".join(f"eps={r[0]}: {r[2]} (2 - eps = {r[1]})" for r in rows)
        + "; over CCE: "
        + "; ".join(f"{r[4]}" for r in rows),
        "HiGHS float LP: "
        + "; ".join(r[5] for r in rows)
        + "; every Nash equilibrium is a CE: "
        + ", ".join(r[6] for r in rows),
        bool(ok and not beats_ce),
        "yes" if not beats_ce else "no",
        f"eps in {', '.join(str(e) for e in EPSILONS)}; float vs exact to 1e-9. The best CE is "
        "the good equilibrium itself (max welfare = 2(2 - eps)); correlation does not help.",
    )
    table = Table(
        "Correlated equilibria of the penalised modal game (" + ", ".join(NAMES) + ")",
        (
            "eps",
            "good eq payoff",
            "max CE row payoff",
            "max CE welfare",
            "max CCE row payoff",
            "float LP",
            "Nash ⊂ CE",
        ),
        tuple(rows),
    )
    return Result(claims=(claim,), tables=(table,))


def _chicken(rng: np.random.Generator) -> Result:
    eqs = exact_equilibria(CHICKEN)
    best_nash = max(e.u + e.v for e in eqs.equilibria)
    ce = optimal_correlated_equilibrium(CHICKEN)
    rm = regret_matching(CHICKEN, rounds=4000, runs=100, rule="stationary", record=12, rng=rng)
    A = np.asarray(CHICKEN.A, dtype=float)
    bound = 2 * float(np.ptp(A)) / np.sqrt(rm.times)  # Blackwell: range sqrt(m - 1) per player
    mean = rm.correlated_regret.mean(axis=0)
    within = bool(np.all(mean <= bound))
    slope = float(np.polyfit(np.log(rm.times[3:]), np.log(np.maximum(mean[3:], 1e-12)), 1)[0])
    check = max(
        abs(correlated_regret(CHICKEN, rm.joint[r, -1]) - rm.correlated_regret[r, -1])
        for r in range(5)
    )
    claim = Claim(
        "X-LRN-03",
        "Aumann's chicken: a correlated equilibrium beats every Nash equilibrium's welfare; "
        "regret matching's empirical distribution approaches the CE set at rate 1/sqrt(T)",
        f"exact: best Nash welfare {best_nash}, best CE welfare {ce.value} at "
        f"{[[str(p) for p in row] for row in ce.distribution]}",
        f"regret matching (stationary rule, 100 runs): mean correlated regret {mean[-1]:.4f} "
        f"at T = {rm.times[-1]}, below the Blackwell bound 14/sqrt(T) at every T: "
        f"{'yes' if within else 'no'}; recorded regret = LP-side regret to {check:.1e}",
        bool(ce.value > best_nash and within and check < 1e-12),
        # exact welfare comparison, and the regret under its bound at every recorded T
        "yes" if ce.value > best_nash and within else "no",
        "Verdict: yes iff the best CE's exact welfare exceeds every Nash equilibrium's and the "
        f"mean regret stays below 14/sqrt(T). log-log slope of the mean regret {slope:.2f} "
        "(the bound's is -0.5; chicken's learners "
        "often lock into a pure equilibrium, which is faster).",
    )
    return Result(claims=(claim,), data={"times": rm.times, "regret": rm.correlated_regret})


def _fp_limits(rng: np.random.Generator) -> Result:
    rps = zero_sum_game([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    A = np.asarray(rps.A, dtype=float)
    fp = fictitious_play(rps, rounds=FP_ROUNDS, runs=50, record=10, rng=rng)
    x, y = fp.final
    gap = float(((y @ A.T).max(1) - (x @ A).min(1)).max())
    value = minimax(rps).value
    sh = fictitious_play(
        SHAPLEY,
        rounds=20_000,
        initial=([1, 0, 0], [0, 1, 0]),
        keep_actions=True,
        record=400,
        rng=rng,
    )
    assert sh.row_actions is not None and sh.column_actions is not None
    prof = sh.row_actions[0] * 3 + sh.column_actions[0]
    lengths = np.diff(np.flatnonzero(np.diff(prof)) + 1)
    growth = float(np.exp(np.mean(np.log(lengths[-12:] / lengths[-18:-6])) / 6))
    far = float(np.abs(sh.x[0, sh.times >= 2000] - 1 / 3).max(axis=1).min())
    lam = 2.0
    q = logit_qre(PENNIES, lam)
    sfp = stochastic_fictitious_play(PENNIES, precision=lam, rounds=5000, runs=200, rng=rng)
    xs = sfp.final[0][:, 0]
    se = float(xs.std(ddof=1) / np.sqrt(len(xs)))
    dev = abs(float(xs.mean()) - float(q.x[0]))
    ok = gap < 0.05 and growth > 1 and far > 0.1 and dev <= 5 * se + 2e-3
    claim = Claim(
        "X-LRN-04",
        "fictitious play converges in zero-sum games (Robinson), cycles with growing periods in "
        "Shapley's game (Shapley), and stochastic FP rests at the logit QRE",
        f"RPS value {value} (exact LP); Shapley's unique equilibrium (1/3, 1/3, 1/3); "
        f"logit QRE of asymmetric pennies at λ = {lam}: x_0 = {q.x[0]:.4f} (continuation)",
        f"FP in RPS: largest duality gap {gap:.4f} after {FP_ROUNDS} rounds (50 runs); Shapley: "
        f"run lengths grow by x{growth:.3f} per run, frequencies stay >= {far:.3f} from the "
        f"equilibrium; SFP (200 runs, 5000 rounds): mean x_0 = {xs.mean():.4f} ± {se:.4f}",
        bool(ok),
        "yes",
        "agreement: gap < 0.05 (Robinson gives no rate), growth > 1 and distance > 0.1 "
        "(no convergence), |SFP - QRE| <= 5 standard errors + 2e-3 (stochastic-approximation "
        "bias from the random prior).",
    )
    figures = []
    try:
        import matplotlib.pyplot as plt

        from dynamics.plots.learning import plot_belief_paths, plot_qre_branch, plot_regrets

        fig, axes = plt.subplots(1, 3, figsize=(13, 4))
        plot_belief_paths(
            sh.x[:, 5:], labels=("1", "2", "3"), ax=axes[0], mark=[1 / 3, 1 / 3, 1 / 3]
        )
        axes[0].set_title("FP in Shapley's game (row frequencies)")
        rm = regret_matching(SHAPLEY, rounds=4000, runs=40, rule="stationary", record=15, rng=rng)
        rm2 = regret_matching(SHAPLEY, rounds=4000, runs=40, rule="adaptive", record=15, rng=rng)
        plot_regrets(
            rm.times,
            {"stationary": rm.correlated_regret, "adaptive": rm2.correlated_regret},
            reference=2 * math.sqrt(2),
            ax=axes[1],
        )
        axes[1].set_title("correlated regret, Shapley's game")
        br = qre_correspondence(
            ([[7, 9, 1], [2, 8, 5], [1, 5, 6]], [[3, 2, 7], [9, 1, 4], [3, 1, 4]]), max_precision=30
        )
        plot_qre_branch(br.precision, br.x, ax=axes[2])
        axes[2].set_title("logit QRE branch (row player), a folding 3x3 game")
        fig.tight_layout()
        figures.append(("learning", fig))
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        pass
    return Result(claims=(claim,), figures=tuple(figures))


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment(
        "learning-fp-modal", "Fictitious play in the modal game (X-LRN-01)", _fp_selection, cost=50
    ),
    Experiment(
        "learning-ce-modal", "Correlated equilibria of the modal game (X-LRN-02)", _modal_ce
    ),
    Experiment("learning-chicken", "Aumann's chicken and regret matching (X-LRN-03)", _chicken),
    Experiment("learning-fp-limits", "Limits of fictitious play and SFP (X-LRN-04)", _fp_limits),
)
