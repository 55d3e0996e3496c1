"""Learning harvesters on the Harvest commons against theory (X-SED-L1..L3, X-SED-08).

Compute → judge → render. :func:`compute_harvest_learning` trains :data:`RUNS` independent runs
of four learning harvesters (:func:`dynamics.commons.train_harvesters_under`: every tax in one
batched call, each on its own stream) on a 10 × 10 torus at each tax of :data:`TAXES` (one
bracket, equal rebate), then lets the learned policies play :data:`PLAY_STEPS` steps from their
last orchards (:func:`dynamics.commons.play_harvesters_under`),
from a full orchard and from a depleted one; it also counts regrowth by neighbourhood in a
batched run of the core. The judges turn that into four rows:

- X-SED-L1: learned long-run stock and harvest vs the steady-state Nash equilibrium of
  :func:`theory.commons.steady_state_nash` with the same types and tax, on the mean-field
  commons of :func:`dynamics.commons.mean_field_commons` (K = cells, r = 12 p(1) = 3/100 per
  step, q = 1/K, c = 0);
- X-SED-L2: learned long-run stock vs the local rule's own mean field
  (:func:`dynamics.commons.mean_field_step`) at the per-apple harvest hazard the learners
  produced;
- X-SED-L3: depleted orchards stay dead in learned play, full ones survive, as X-SED-06's
  mean-field window says at that hazard;
- X-SED-08: the core's regrowth frequencies against the seed's p(k).

Random streams are spawned from the experiment's own generator.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import t as student_t

from dynamics.commons import (
    REGROWTH_PROBABILITIES,
    Harvest,
    HarvesterTraining,
    HarvestPlay,
    harvest_reset,
    harvest_step,
    mean_field_collapse_harvest,
    mean_field_commons,
    mean_field_fold_harvest,
    mean_field_step,
    neighbour_counts,
    play_harvesters,
    play_harvesters_under,
    train_harvesters_under,
)
from dynamics.plots.commons import plot_harvest, plot_regrowth_bistability
from dynamics.plots.economy import plot_learning_curves
from numpol.agreement import K_SE, Agreement, within_standard_errors, within_wilson
from numpol.registry import Claim, Experiment, Result, Table
from theory.commons import HarvestNash, steady_state_nash
from theory.policy.tax import TaxSchedule

__all__ = [
    "EXPERIMENTS",
    "TAXES",
    "RUNS",
    "PLAY_STEPS",
    "report_harvest",
    "TaxedLearning",
    "HarvestLearningEvidence",
    "compute_harvest_learning",
    "judge_nash",
    "judge_mean_field",
    "judge_depleted",
    "judge_regrowth_core",
    "render_harvest_learning",
]

#: The taxes compared (one bracket from 0 apples, rebated equally): none, and half.
TAXES = (Fraction(0), Fraction(1, 2))
#: Independent training runs per tax (each its own four learners).
RUNS = 8
#: Episodes (copies) per run and iteration; policy updates; steps per episode.
EPISODES, ITERATIONS, EPISODE = 4, 100, 100
#: Steps of learned play after training; the stock and harvest are averaged over the last
#: half (the first 500 steps let the orchard relax from the training episodes' last state).
PLAY_STEPS = 1000
#: Copies per run in the depleted/full comparison of X-SED-L3.
FATE_COPIES = 4
#: The regrowth count of X-SED-08: copies × steps of the core with nobody picking.
REGROWTH_COPIES, REGROWTH_STEPS = 64, 100
#: The orchard density the regrowth count starts from: sparse, so that every k = 0..3 has
#: thousands of empty cells (a half-full orchard has nearly every empty cell at k >= 3).
REGROWTH_DENSITY = 0.06
#: Mean-field iterations to a rest point (the slowest relaxation near the window's edges takes a
#: few hundred steps at these hazards; 4000 as X-SED-06).
MF_STEPS = 4000
#: A mean-field density below this counts as extinct (as X-SED-06's MF_EXTINCT).
MF_DEAD = 1e-3


def report_harvest(tax: Fraction) -> Harvest:
    """The report's commons: 10 × 10 torus, four selfish, trusting agents (σ = β = 1), view
    radius 3, two tax periods of 50 steps per episode, half the cells with an apple at start.

    Examples
    --------
    >>> report_harvest(Fraction(1, 2)).schedule.rates
    (Fraction(1, 2),)
    """
    return Harvest(
        height=10,
        width=10,
        agents=4,
        view=3,
        schedule=TaxSchedule([0], [tax]),
        period=EPISODE // 2,
        episode=EPISODE,
        density=0.5,
    )


def _mean_field_rest(start: ArrayLike, hazard: ArrayLike) -> np.ndarray:
    """The mean-field density after MF_STEPS steps from ``start`` at ``hazard`` (float arrays,
    broadcast together)."""
    phi, h = np.broadcast_arrays(np.asarray(start, dtype=float), np.asarray(hazard, dtype=float))
    phi = phi.copy()
    for _ in range(MF_STEPS):
        phi = mean_field_step(phi, h)
    return phi


@dataclass(frozen=True)
class TaxedLearning:
    """One tax: the training, the learned play, the exact Nash equilibrium of the mean-field
    commons, and per run (arrays (R,)) the long-run density, apples per agent and step, the
    per-apple hazard (apples picked per apple on the orchard and step) and the local rule's
    mean-field density at that hazard."""

    tax: Fraction
    harvest: Harvest
    training: HarvesterTraining
    play: HarvestPlay
    nash: HarvestNash
    density: np.ndarray
    apples: np.ndarray
    hazard: np.ndarray
    mean_field: np.ndarray


@dataclass(frozen=True)
class HarvestLearningEvidence:
    """Everything the four rows need: the taxed runs; the depleted and full plays of the
    untaxed policies with the depleted start's density and the mean-field fates; regrowth
    trials and successes by k = 0..3; CPU seconds; the sizes used (the report's constants
    unless a test asked for less)."""

    taxed: tuple[TaxedLearning, ...]
    depleted: HarvestPlay
    full: HarvestPlay
    depleted_density: float
    hazard: float
    mf_depleted: float
    mf_full: float
    trials: np.ndarray
    grown: np.ndarray
    seconds: float
    runs: int = RUNS
    iterations: int = ITERATIONS
    play_steps: int = PLAY_STEPS

    @property
    def burn(self) -> int:
        """Steps of learned play left out of the long-run averages (the first half)."""
        return self.play_steps // 2


#: The starts at which the mean field's fate is evaluated to find its threshold density.
THRESHOLD_GRID = np.linspace(0.0, 0.25, 501)


def _unstable_density(hazard: float) -> float:
    """The mean field's threshold density at ``hazard`` (below it the orchard dies): the
    smallest start of :data:`THRESHOLD_GRID` (spacing 5e-4) whose rest density is above
    MF_DEAD; 0 if every start survives, 1 if none does."""
    survives = _mean_field_rest(THRESHOLD_GRID, hazard) >= MF_DEAD
    if survives.all():
        return 0.0
    if not survives.any():
        return 1.0
    return float(THRESHOLD_GRID[np.argmax(survives)])


def compute_harvest_learning(
    rng: np.random.Generator,
    *,
    runs: int = RUNS,
    iterations: int = ITERATIONS,
    play_steps: int = PLAY_STEPS,
) -> HarvestLearningEvidence:
    """Train, play and count (see the module docstring); the sizes default to the report's."""
    start = time.process_time()
    taxed = []
    # every tax trains and plays on its own streams (the tax's stream, spawned in two), all the
    # taxes in one batched call: the same as one call per tax
    streams = [stream.spawn(2) for stream in rng.spawn(len(TAXES))]
    grid = [report_harvest(tax).schedule for tax in TAXES]
    trainings = train_harvesters_under(
        report_harvest(TAXES[0]),
        grid,
        iterations=iterations,
        runs=runs,
        episodes=EPISODES,
        streams=[s[0] for s in streams],
        progress=False,
    )
    plays = play_harvesters_under(
        report_harvest(TAXES[0]),
        grid,
        trainings,
        steps=play_steps,
        runs=runs,
        # each run's first copy's last orchard
        apples=np.stack([t.final.apples[::EPISODES] for t in trainings]),
        streams=[s[1] for s in streams],
    )
    for tax, training, play in zip(TAXES, trainings, plays, strict=True):
        h = training.harvest
        late = play.stock[play_steps // 2 :, :, 0]  # (S, R): the second half
        density = late.mean(axis=0) / h.cells
        picked = play.picked[:, 0, :].sum(axis=1).astype(float)
        # picks of the whole play over apple-steps of the whole play (relaxation included: the
        # hazard is a property of the policies, measured over as many picks as there are)
        hazard = picked / play.stock[:-1, :, 0].sum(axis=0)
        apples = picked / (play_steps * h.agents)
        mf = _mean_field_rest(1.0, hazard)
        (nash,) = steady_state_nash(mean_field_commons(h), h.types, tax)
        taxed.append(TaxedLearning(tax, h, training, play, nash, density, apples, hazard, mf))
    base = taxed[0]
    hazard = float(base.hazard.mean())
    depleted_density = max(_unstable_density(hazard) / 2, 1 / base.harvest.cells)
    fate_rng, regrowth_rng = rng.spawn(2)
    d_rng, f_rng, grid_rng = fate_rng.spawn(3)
    cells = base.harvest.cells
    # depleted: exactly round(density × cells) apples (at least one) on random cells per copy
    n = max(1, round(depleted_density * cells))
    order = grid_rng.random((runs, cells)).argsort(axis=1)
    flat = np.zeros((runs, cells), dtype=bool)
    np.put_along_axis(flat, order[:, :n], True, axis=1)
    sparse = flat.reshape(runs, base.harvest.height, base.harvest.width)
    depleted, full = (
        play_harvesters(
            base.harvest,
            base.training,
            steps=play_steps,
            runs=runs,
            copies=FATE_COPIES,
            apples=start,
            rng=stream,
        )
        for start, stream in ((sparse, d_rng), (np.ones_like(sparse), f_rng))
    )
    trials, grown = _regrowth_counts(base.harvest, regrowth_rng)
    return HarvestLearningEvidence(
        tuple(taxed),
        depleted,
        full,
        n / cells,
        hazard,
        float(_mean_field_rest(n / cells, hazard)),
        float(_mean_field_rest(1.0, hazard)),
        trials,
        grown,
        time.process_time() - start,
        runs,
        iterations,
        play_steps,
    )


def _regrowth_counts(h: Harvest, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Empty cells by k = min(neighbours, 3) before each regrowth, and how many grew, in a
    batched run of the core where every agent stays put (nobody picks)."""
    h = replace(h, density=REGROWTH_DENSITY)
    state = harvest_reset(h, REGROWTH_COPIES, rng=rng)
    trials, grown = np.zeros(4, dtype=np.int64), np.zeros(4, dtype=np.int64)
    stay = np.zeros((REGROWTH_COPIES, h.agents), dtype=np.intp)
    for _ in range(REGROWTH_STEPS):
        if state.step == h.episode:
            state = harvest_reset(h, REGROWTH_COPIES, rng=rng, apples=state.apples)
        k = np.minimum(neighbour_counts(state.apples), 3)
        out = harvest_step(h, state, stay, rng=rng)
        empty = ~state.apples
        for kk in range(4):
            cells = empty & (k == kk)
            trials[kk] += cells.sum()
            grown[kk] += (out.state.apples & cells).sum()
        state = out.state
    return trials, grown


def _se(x: np.ndarray) -> float:
    return float(np.std(x, ddof=1) / np.sqrt(len(x)))


def _tax_label(t: Fraction) -> str:
    return f"t = {t}"


def judge_nash(ev: HarvestLearningEvidence) -> Claim:
    """X-SED-L1: at each tax, the learned long-run density and apples per agent-step against the
    mean-field Nash stock x*/K and harvest q e_i x*, within K_SE standard errors over runs."""
    parts, theory, sim = [], [], []
    for tl in ev.taxed:
        K = float(tl.harvest.cells)
        x = float(tl.nash.stock) / K
        a = float(tl.nash.harvests[0])
        d = within_standard_errors(tl.density.mean(), x, _se(tl.density))
        h = within_standard_errors(tl.apples.mean(), a, _se(tl.apples))
        parts += [d, h]
        theory.append(
            f"{_tax_label(tl.tax)}: density {x:.3f}, {a:.3f} apples per agent-step (effort "
            f"{float(tl.nash.efforts[0]):.3f} per step)"
        )
        sim.append(
            f"{_tax_label(tl.tax)}: density {tl.density.mean():.3f} ± {_se(tl.density):.3f}, "
            f"{tl.apples.mean():.3f} ± {_se(tl.apples):.3f} apples per agent-step"
        )
    ok = all(parts)
    # as SS-02: the row agrees when the measurement is sound -- the learned stock is the grid's
    # own mean field at the learned hazard (X-SED-L2's check) -- and the statement (learners
    # reach the logistic Nash) is the verdict, "no" being a finding about the stand-in
    sound = judge_mean_field(ev)
    return Claim(
        "X-SED-L1",
        "Learning harvesters' long-run stock and harvest match the mean-field steady-state Nash "
        "equilibrium at the same types and tax",
        "steady_state_nash on HarvestCommons(r = 12 p(1) = 3/100, K = 100 cells, q = 1/K, "
        "c = 0), 4 agents σ = β = 1; " + "; ".join(theory),
        f"{ev.runs} runs × 4 REINFORCE learners, {ev.iterations} iterations of {EPISODES} × "
        f"{EPISODE}-step episodes, then {ev.play_steps} steps of learned play (last "
        f"{ev.play_steps - ev.burn} averaged), 10×10 torus: " + "; ".join(sim),
        sound.agrees,
        "yes" if ok else "no",
        "The row agrees when the learned stock equals the grid's own mean field at the learned "
        "hazard (X-SED-L2's check: the measurement is sound); the statement is the verdict. "
        "Mapping: K = cells; r = the local rule's growth per apple at an empty neighbourhood "
        "(12 p(1)); q = 1/K (a blind pick finds an apple with probability x/K); effort = "
        "harvest actions per step. Tolerance: K_SE = 4 standard errors over the runs "
        f"(n = {ev.runs} runs, so the SE is itself estimated: under a t-distribution with "
        f"{ev.runs - 1} degrees of freedom a true claim lands outside {K_SE:g} SE with "
        f"two-sided probability {2 * student_t.sf(K_SE, ev.runs - 1):.2g}, larger than the "
        "6e-5 of K_SE's normal case but still rare). Where it disagrees the reasons are "
        "measurable: the logistic with r = 3/100 regrows at most rK/4 = 0.75 apples a step, "
        "the local rule's mean field about twice that at mid density (X-SED-L2), so the "
        "learners sustain more apples at a higher stock (with c = 0 the Nash stock is "
        "K/(N + 1) whatever r is, so no other choice of r reconciles the stock); and "
        "learners do not pick blindly "
        "(they walk to apples), so their harvest per effort is not q x. The learners are "
        "myopic in the tax: with identical agents a pick pays 1 − t + t/N > 0 however the "
        "stock fares, and the learned play hardly moves with t, where Nash effort falls",
        rule="disagree if "
        + sound.rule
        + "; the statement holds iff "
        + "; ".join(a.rule for a in parts),
    )


def judge_mean_field(ev: HarvestLearningEvidence) -> Claim:
    """X-SED-L2: per run, the learned long-run density minus the local rule's mean-field rest
    density (from full) at that run's hazard; the mean difference within K_SE SE of 0."""
    parts, sim = [], []
    for tl in ev.taxed:
        diff = tl.density - tl.mean_field
        ag = within_standard_errors(diff.mean(), 0.0, _se(diff))
        parts.append(ag)
        sim.append(
            f"{_tax_label(tl.tax)}: hazard {tl.hazard.mean():.4f}, learned density "
            f"{tl.density.mean():.3f}, mean field {tl.mean_field.mean():.3f}, paired difference "
            f"{diff.mean():+.4f} ± {_se(diff):.4f}"
        )
    ok = all(parts)
    return Claim(
        "X-SED-L2",
        "At the harvest hazard learned play produces, the local regrowth rule's mean field "
        "predicts the learned long-run stock",
        "dynamics.commons.mean_field_step iterated from a full orchard at each run's hazard "
        "(apples picked per apple on the orchard and step)",
        "; ".join(sim),
        ok,
        "yes" if ok else "no",
        f"Tolerance: K_SE = {K_SE:g} SE of the paired per-run differences ({ev.runs} runs). The "
        "mean field treats harvest as uniform over apples and neighbourhoods as independent; "
        "learned agents pick where they stand and walk to apples, and apples cluster. The "
        f"learned hazard sits just above the collapse threshold 3/103 = "
        f"{float(mean_field_collapse_harvest()):.4f}, inside X-SED-06's bistable window",
        rule="; ".join(a.rule for a in parts),
    )


def judge_depleted(ev: HarvestLearningEvidence) -> Claim:
    """X-SED-L3: the majority fate of depleted and full starts under learned play equals the
    mean field's fate at the learned hazard, and when the mean field keeps the full orchard,
    every full copy survives."""
    dead_d = ev.depleted.stock[-1] == 0
    dead_f = ev.full.stock[-1] == 0
    mf_dead_d, mf_dead_f = ev.mf_depleted < MF_DEAD, ev.mf_full < MF_DEAD
    grid_dead_d = bool(dead_d.mean() > 0.5)
    grid_dead_f = bool(dead_f.mean() > 0.5)
    ok = grid_dead_d == mf_dead_d and grid_dead_f == mf_dead_f and (mf_dead_f or not dead_f.any())
    copies = dead_d.size
    fate = {True: "dies", False: "survives"}
    lo, hi = float(mean_field_collapse_harvest()), mean_field_fold_harvest()[0]
    dead_end = float(ev.depleted.dead[-1].mean())
    dead_full = float(ev.full.dead[ev.burn :].mean())
    rule = (
        f"depleted: grid {fate[grid_dead_d]} ({int(dead_d.sum())}/{copies} extinct) vs mean "
        f"field {fate[mf_dead_d]}; full: grid {fate[grid_dead_f]} ({int(dead_f.sum())}/"
        f"{copies} extinct) vs mean field {fate[mf_dead_f]}"
    )
    return Claim(
        "X-SED-L3",
        "If all apples in an area are harvested they never grow back: under learned play a "
        "depleted orchard stays dead while a full one survives, as the mean-field window says",
        f"mean field at the learned hazard h = {ev.hazard:.4f} (window {lo:.4f} < h < "
        f"{hi:.4f}): from {ev.depleted_density:.2%} (half the threshold density) → "
        f"{ev.mf_depleted:.3g}, from full → {ev.mf_full:.3f}",
        f"untaxed learned policies, {copies} copies ({ev.runs} runs × {FATE_COPIES}), "
        f"{ev.play_steps} steps: depleted start extinct in {int(dead_d.sum())}/{copies} (dead "
        f"cells at the end {dead_end:.1%}); full start extinct in {int(dead_f.sum())}/{copies}"
        f" (dead cells after step {ev.burn}: {dead_full:.2%} on average)",
        ok,
        "yes" if ok else "no",
        "A dead cell (empty, no apple within radius 2) regrows with probability 0 until a "
        "neighbour does, so depleted areas refill only from their rim; learned agents hunt "
        "the few apples left, so their per-apple hazard rises as the stock falls, which "
        "deepens the trap. On a 10×10 torus with learned play at its own stock, dead cells "
        "are rare: depleted patches hardly arise unless the orchard starts depleted. On the "
        "grid a depleted start sometimes nucleates a surviving cluster (X-SED-06), so "
        "agreement means the majority fate. The row "
        "fails if the majority fate of either start differs from the mean field's, or a full "
        "copy dies while the mean field keeps it",
        rule=rule,
    )


def judge_regrowth_core(ev: HarvestLearningEvidence) -> Claim:
    """X-SED-08: for k = 1, 2, 3 the seed's p(k) lies in the Wilson interval (z = K_SE) of the
    core's regrowth frequency; for k = 0 nothing grows."""
    parts: list[Agreement] = [
        within_wilson(int(ev.grown[k]), int(ev.trials[k]), REGROWTH_PROBABILITIES[k])
        for k in (1, 2, 3)
    ]
    ok = all(parts) and int(ev.grown[0]) == 0
    freqs = ", ".join(f"k={k}: {int(ev.grown[k])}/{int(ev.trials[k])}" for k in range(4))
    return Claim(
        "X-SED-08",
        "The Harvest core regrows an empty cell with the seed's p(k) = 0, 0.0025, 0.005, 0.025 "
        "for k = 0, 1, 2, ≥ 3 apples within radius 2",
        "p(k) = " + ", ".join(str(p) for p in REGROWTH_PROBABILITIES),
        f"{REGROWTH_COPIES} copies × {REGROWTH_STEPS} steps of dynamics.commons.harvest_step "
        f"with nobody picking, empty cells counted by k before regrowth: {freqs}",
        ok,
        "yes" if ok else "no",
        f"Wilson intervals at z = K_SE = {K_SE:g}; k = 0 must never grow",
        rule="; ".join(a.rule for a in parts) + f"; k = 0 grew {int(ev.grown[0])} (must be 0)",
    )


def render_harvest_learning(
    ev: HarvestLearningEvidence,
) -> tuple[tuple[Table, ...], tuple[tuple[str, object], ...]]:
    """A table per tax; the learning curves, an orchard frame, the learned play on the
    mean-field bistability curve and the dead share of depleted and full starts."""
    rows = []
    for tl in ev.taxed:
        rows.append(
            (
                str(tl.tax),
                f"{tl.density.mean():.3f} ± {_se(tl.density):.3f}",
                f"{float(tl.nash.stock) / tl.harvest.cells:.3f}",
                f"{tl.mean_field.mean():.3f}",
                f"{tl.apples.mean():.3f} ± {_se(tl.apples):.3f}",
                f"{float(tl.nash.harvests[0]):.3f}",
                f"{tl.hazard.mean():.4f}",
            )
        )
    table = Table(
        "Learning harvesters (10×10 torus, 4 agents σ = β = 1) vs theory, long-run averages",
        (
            "tax",
            "learned density",
            "Nash density (logistic)",
            "local mean field at learned hazard",
            "learned apples / agent-step",
            "Nash apples / agent-step",
            "learned hazard",
        ),
        tuple(rows),
    )
    fig1, axes = plt.subplots(1, len(ev.taxed), figsize=(12, 5.2), sharey=True)
    for ax, tl in zip(np.atleast_1d(axes), ev.taxed, strict=True):
        plot_learning_curves(
            {
                "apples per agent-step": tl.training.apples,
                "orchard density": tl.training.stock,
                "harvest actions per agent-step": tl.training.effort,
            },
            smooth=5,
            ax=ax,
        )
        ax.axhline(
            float(tl.nash.stock) / tl.harvest.cells,
            color="tab:orange",
            ls="--",
            lw=1,
            label="Nash density (logistic)",
        )
        ax.axhline(
            float(tl.nash.harvests[0]),
            color="tab:blue",
            ls="--",
            lw=1,
            label="Nash apples per agent-step",
        )
        ax.set_title(f"learning harvesters, tax {tl.tax}")
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    fig1.tight_layout()
    fig2, ax2 = plt.subplots(figsize=(5.5, 5.8))
    base = ev.taxed[0]
    plot_harvest(base.harvest, base.play.final, copy=0, ax=ax2)
    ax2.set_title(f"Learned play after {ev.play_steps} steps (tax 0, run 0)")
    fig3, ax3 = plt.subplots(figsize=(7, 4.5))
    plot_regrowth_bistability(
        np.linspace(0.0, 0.06, 13),
        simulated={
            f"learned play, tax {tl.tax} (one point per run)": (tl.hazard, tl.density)
            for tl in ev.taxed
        },
        ax=ax3,
    )
    ax3.set_title("Learned play on the local rule's mean-field bistability curve")
    fig4, ax4 = plt.subplots(figsize=(7, 4))
    steps = np.arange(ev.play_steps + 1)
    for play, label in ((ev.depleted, "depleted start"), (ev.full, "full start")):
        dead = play.dead.reshape(ev.play_steps + 1, -1)
        extinct = (play.stock.reshape(ev.play_steps + 1, -1) == 0).mean(axis=1)
        (line,) = ax4.plot(steps, dead.mean(axis=1), label=f"{label}: share of dead cells")
        ax4.plot(steps, extinct, ls="--", color=line.get_color(), label=f"{label}: copies extinct")
    ax4.set_xlabel("step of learned play")
    ax4.set_ylabel(f"share (mean over {ev.full.stock[0].size} copies)")
    ax4.set_ylim(-0.02, 1)
    ax4.legend(fontsize=8)
    ax4.grid(alpha=0.3)
    ax4.set_title("Depleted patches under learned play (tax 0)")
    figures = (
        ("harvest_learning_curves", fig1),
        ("harvest_frame", fig2),
        ("harvest_learned_bistability", fig3),
        ("harvest_dead_cells", fig4),
    )
    return (table,), figures


def _run(rng: np.random.Generator) -> Result:
    ev = compute_harvest_learning(rng)
    tables, figures = render_harvest_learning(ev)
    return Result(
        claims=(judge_nash(ev), judge_mean_field(ev), judge_depleted(ev), judge_regrowth_core(ev)),
        tables=tables,
        figures=figures,
        text=(
            "Harvest commons with learning agents (dynamics.commons.harvest, "
            "dynamics.commons.harvest_learning): the modelling choices (moves, picking as an "
            "action, collisions, view, features, tax periods, torus) are named in the modules' "
            f"docstrings. CPU time of the experiment: {ev.seconds:.1f} s."
        ),
    )


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment(
        "harvest-learning",
        "Learning harvesters on the Harvest commons vs theory (X-SED-L1..L3, X-SED-08)",
        _run,
    ),
)
