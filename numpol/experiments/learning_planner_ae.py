"""AE-04..06 with learning agents (X-AE-L4..L6): the AI Economist's comparison of free market, US
federal, Saez and the optimum, played by learning workers in the one-step economy of
:mod:`numpol.experiments.learning_planner`, and the learned planner's schedule shape.

Model: the learning-planner experiment's economy (four workers, one-step preferences, three
brackets on the US cut-offs 0, 39.475, 160.725 coins). The schedules: free market; US federal's
2018 rates of those brackets (10/22/32 %); the Saez schedule on these cut-offs (its fixed point;
left out, and said so, if the re-estimation has none); the exact Stackelberg optimum on the
10 % grid (X-AE-L2's theory). The workers' rate grid is the 10 % grid plus the baselines' rates,
so every schedule is played as it is. ``SEEDS`` independent runs of softmax policy-gradient
workers learn under each schedule (:func:`dynamics.economy.training.train_workers`, X-AE-L1's
learner and length); theory is the exact followers' equilibrium
(:func:`theory.policy.economy.follower_equilibria`).

Tolerance: a learned measure (productivity, equality, eq·prod of post-tax-and-rebate coins),
averaged over the seeds, agrees with the exact one within ``K_SE`` standard errors of that mean
(the learning noise across seeds) plus the grid allowance: learned labour lies on a grid of
levels, so it cannot hit the exact labour; the allowance is the largest change of the measure
over the profiles with each worker at either grid level around its exact labour (16 profiles).

Compute → judge → render: :func:`compute_ae_learning` (a frozen :class:`AELearningRun`),
:func:`judge_ae_learning` (the three rows),
:func:`numpol.experiments.learning_planner_render.render_ae_learning` (a table).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from dynamics.economy.labour import LabourEconomy, labour_outcome
from dynamics.economy.training import train_workers
from numpol.agreement import Agreement, exactly_equal, within_standard_errors
from numpol.experiments import learning_planner as lp
from numpol.experiments.learning_planner import CUTOFFS, LearningPlannerRun, rates_percent
from numpol.experiments.policy_compare import schedule_shape
from numpol.registry import Claim
from theory import number
from theory.policy.economy import follower_equilibria
from theory.policy.saez import saez_schedule
from theory.policy.tax import US_FEDERAL_2018_CUTOFFS, US_FEDERAL_2018_RATES
from theory.policy.welfare import welfare_rows

__all__ = [
    "SEEDS",
    "MEASURES",
    "AELearningRun",
    "compute_ae_learning",
    "judge_ae_learning",
]

#: Independent learning runs per schedule. The mean over 5 seeds has a t distribution with 4
#: degrees of freedom about the true mean: outside 4 SE with probability 0.016; the grid
#: allowance is added on top, so the rule is conservative. 5 seeds × 8 schedules (~25 s CPU) keep
#: the experiment's addition within the report's time budget.
SEEDS = 5
#: The measures compared, each a welfare objective of post-tax-and-rebate coins.
MEASURES = ("productivity", "equality", "eq_times_prod")


@dataclass(frozen=True)
class AELearningRun:
    """The schedules and their exact and learned measures, the grid allowance, and the shapes.

    The schedules (``names``, ``rates`` (K, B)) are the baselines (the first ``baselines``
    rows), the exact optimum (row ``baselines``), then each learned planner's schedule
    (X-AE-L2's runs). ``exact`` and ``allowance`` map a measure to shape (K,); ``learned`` to
    (K, SEEDS). ``shapes`` (one per learned planner), ``exact_shape`` and ``near_shapes`` (the
    shapes of every grid schedule within X-AE-L2's tolerance ``REPORT_GAP`` of the exact
    optimum) are (top rate higher, middle rates lower).
    """

    names: tuple[str, ...]
    rates: np.ndarray
    baselines: int
    exact: dict[str, np.ndarray]
    learned: dict[str, np.ndarray]
    allowance: dict[str, np.ndarray]
    max_levels_off: float
    no_saez: str
    shapes: tuple[tuple[bool, bool], ...]
    exact_shape: tuple[bool, bool]
    near_shapes: frozenset[tuple[bool, bool]]

    @property
    def optimum(self) -> int:
        """The exact optimum's row."""
        return self.baselines

    @property
    def planners(self) -> list[int]:
        """The learned planners' rows."""
        return list(range(self.baselines + 1, len(self.names)))


def _measures(consumption: np.ndarray) -> dict[str, np.ndarray]:
    return {m: welfare_rows(consumption, m) for m in MEASURES}


def _allowance(
    e: LabourEconomy, idx: np.ndarray, labour: np.ndarray, exact: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Per schedule (rows of `idx`), the largest |measure − exact| over the profiles with each
    worker at the grid level below or above its exact `labour` (K, N)."""
    below = np.floor(labour / e.labour_levels[:, 1] + 1e-9).astype(int)
    below = np.clip(below, 0, e.levels - 2)
    corners = np.array(list(itertools.product((0, 1), repeat=e.workers)))
    out = {m: np.zeros(len(idx)) for m in MEASURES}
    for k in range(len(idx)):
        profiles = corners + below[k]
        played = labour_outcome(e, profiles, np.repeat(idx[k : k + 1], len(profiles), axis=0))
        for m, v in _measures(played.consumption).items():
            out[m][k] = float(np.max(np.abs(v - exact[m][k])))
    return out


def compute_ae_learning(
    run: LearningPlannerRun, *, rng: int | np.random.Generator | None = None
) -> AELearningRun:
    """Learn under every schedule (``SEEDS`` runs each), solve them exactly, and read the learned
    planners' shapes; `run` is the learning-planner experiment's record."""
    rng = np.random.default_rng(rng)
    e0 = run.economy
    w, prefs = e0.skills, e0.preferences
    cut = [number(c, "cutoff") for c in CUTOFFS]
    us = np.array([float(US_FEDERAL_2018_RATES[US_FEDERAL_2018_CUTOFFS.index(c)]) for c in cut])
    saez = saez_schedule(CUTOFFS, w, prefs, strict=False)
    schedules = {"free market": np.zeros(len(cut)), "US federal": us}
    if saez.converged:
        schedules["Saez"] = np.asarray(saez.schedule.float_arrays()[2], dtype=float)
    n_base = len(schedules)
    schedules["exact optimum"] = np.asarray(run.exact.rates, dtype=float)
    for r, learned_rates in enumerate(run.two_phase.rates):
        schedules[f"learned planner {r}"] = np.asarray(learned_rates, dtype=float)
    rates = np.array(list(schedules.values()))
    e = LabourEconomy(
        w,
        prefs,
        CUTOFFS,
        levels=e0.levels,
        rate_grid=np.unique(np.concatenate([e0.rate_grid, rates.ravel()])),
    )
    idx = np.searchsorted(e.rate_grid, rates)
    K = len(idx)
    trained = train_workers(
        e,
        np.repeat(idx, SEEDS, axis=0),
        learner=lp.FIXED_LEARNER,
        steps=lp.FIXED_STEPS,
        rng=rng,
        progress=False,
    )
    played = labour_outcome(e, trained.labour_indices, np.repeat(idx, SEEDS, axis=0))
    learned = {m: v.reshape(K, SEEDS) for m, v in _measures(played.consumption).items()}
    exact_eq = follower_equilibria(CUTOFFS, rates, w, prefs)
    exact = _measures(exact_eq.consumption)
    off = np.abs(played.labour - np.repeat(exact_eq.labour, SEEDS, axis=0)) / e.labour_levels[:, 1]
    # AE-06's shape: the learned planners' schedules and the exact optimum's, against the baselines
    cuts = np.array([float(c) for c in cut])
    free_income, top_income = exact_eq.income[0], exact_eq.income[n_base].max()
    base = rates[1:n_base]  # US federal and Saez (the free market's 0 % is not a reference)

    def shape(r: np.ndarray) -> tuple[bool, bool]:
        return schedule_shape(np.asarray(r, dtype=float), cuts, free_income.min(), top_income, base)

    near = run.exact.all_rates[run.exact.all_values >= run.exact.value * (1 - lp.REPORT_GAP)]
    return AELearningRun(
        names=tuple(schedules),
        rates=rates,
        baselines=n_base,
        exact=exact,
        learned=learned,
        allowance=_allowance(e, idx, exact_eq.labour, exact),
        max_levels_off=float(off.max()),
        no_saez="" if saez.converged else f"no fixed point after {saez.rounds} rounds",
        shapes=tuple(shape(r) for r in run.two_phase.rates),
        exact_shape=shape(run.exact.rates),
        near_shapes=frozenset(shape(r) for r in near),
    )


def _agree(ae: AELearningRun, measure: str, rows: list[int]) -> Agreement:
    """The learned mean of each of `rows` against its exact value (module docstring)."""
    x = ae.learned[measure]
    out = [
        within_standard_errors(
            x[k].mean(),
            ae.exact[measure][k],
            x[k].std(ddof=1) / np.sqrt(x.shape[1]),
            shift=ae.allowance[measure][k],
        )
        for k in rows
    ]
    return Agreement(
        all(a.agrees for a in out),
        f"{measure}: "
        + "; ".join(f"{ae.names[k]} {a.rule}" for k, a in zip(rows, out, strict=True)),
    )


def _tradeoff(prod: np.ndarray, eq: np.ndarray) -> bool:
    """AE-04's pattern: the free market (row 0) the most productive and the least equal."""
    return bool(prod[0] >= prod.max() and eq[0] <= eq.min())


def _cells(ae: AELearningRun, values: dict[str, np.ndarray], rows: list[int], *ms: str) -> str:
    return "; ".join(
        f"{ae.names[k]} "
        + " / ".join(f"{values[m][k]:.{3 if m == 'equality' else 1}f}" for m in ms)
        for k in rows
    )


def judge_ae_learning(ae: AELearningRun) -> tuple[Claim, Claim, Claim]:
    """X-AE-L4..L6 (each row's rule says what would fail it)."""
    mean = {m: v.mean(axis=1) for m, v in ae.learned.items()}
    seeds = ae.learned["productivity"].shape[1]
    four = list(range(ae.baselines + 1))  # AE-04's schedules: the baselines and the optimum
    base = list(range(ae.baselines))
    # X-AE-L4: productivity and equality, and the trade-off read off both
    exact4 = _tradeoff(ae.exact["productivity"][four], ae.exact["equality"][four])
    learned4 = _tradeoff(mean["productivity"][four], mean["equality"][four])
    a4 = (
        _agree(ae, "productivity", four)
        & _agree(ae, "equality", four)
        & exactly_equal(learned4, exact4, what="trade-off")
    )
    saez_note = f" No Saez schedule: its re-estimation has {ae.no_saez}." if ae.no_saez else ""
    l4 = Claim(
        "X-AE-L4",
        "AE-04 with learning agents: the equality–productivity trade-off across the schedules",
        "exact followers' equilibria, productivity / equality: "
        + _cells(ae, ae.exact, four, "productivity", "equality")
        + f"; free market most productive and least equal = {exact4}",
        f"learning workers ({seeds} seeds × {lp.FIXED_STEPS} iterations per schedule), mean: "
        + _cells(ae, mean, four, "productivity", "equality")
        + f"; trade-off = {learned4}",
        a4.agrees,
        "yes" if exact4 else "no",
        "the one-step economy of X-AE-L1..L3 (3 brackets, not AE-04's 7). Tolerance: K_SE "
        "standard errors of the mean over seeds plus the labour grid's allowance (the largest "
        "change of the measure with every worker at a grid level next to its exact labour; "
        "module learning_planner_ae). Largest learned labour off the exact one: "
        f"{ae.max_levels_off:.2f} levels. Fails if a learned mean is off by more, or the "
        f"trade-off reads differently.{saez_note}",
        rule=a4.rule,
    )
    # X-AE-L5: eq·prod of every schedule; the optimum and the learned planners against the
    # baselines, read off theory and off learning
    eqp, opt, plan = "eq_times_prod", ae.optimum, ae.planners
    exact5 = (
        bool(ae.exact[eqp][opt] > ae.exact[eqp][base].max()),
        bool(np.all(ae.exact[eqp][plan] > ae.exact[eqp][base].max())),
    )
    learned5 = (
        bool(mean[eqp][opt] > mean[eqp][base].max()),
        bool(np.all(mean[eqp][plan] > mean[eqp][base].max())),
    )
    a5 = _agree(ae, eqp, list(range(len(ae.names)))) & exactly_equal(
        learned5, exact5, what="(optimum, every learned planner) above every baseline"
    )
    l5 = Claim(
        "X-AE-L5",
        "AE-05 with learning agents: the optimum and the learned planners beat every baseline "
        "on eq·prod",
        "exact eq·prod at the followers' equilibrium: "
        + _cells(ae, ae.exact, list(range(len(ae.names))), eqp),
        f"learning workers ({seeds} seeds per schedule), mean: "
        + _cells(ae, mean, list(range(len(ae.names))), eqp),
        a5.agrees,
        "yes" if all(exact5) else "no",
        "the learned planners' schedules are X-AE-L2's, played here by workers that learn "
        "under them as under the baselines (same learner, same length). Fails if a learned "
        "mean is off its exact eq·prod by more than the tolerance of X-AE-L4, or if learning "
        "and theory disagree on whether the optimum, and every learned planner, beat every "
        "baseline",
        rule=a5.rule,
    )
    # X-AE-L6: the learned planners' shape against the exact optimum's
    ident = [i for i in range(2) if len({s[i] for s in ae.near_shapes}) == 1]
    a6 = exactly_equal(
        tuple(tuple(s[i] for i in ident) for s in ae.shapes),
        tuple(tuple(ae.exact_shape[i] for i in ident) for _ in ae.shapes),
        what="learned shapes, flags fixed within the tolerance",
    )
    flags = ("top rate higher", "middle rates lower")

    def said(shape: tuple[bool, bool]) -> str:
        return ", ".join(f"{f} = {v}" for f, v in zip(flags, shape, strict=True))

    l6 = Claim(
        "X-AE-L6",
        "AE-06 with a learning planner: top rate above US federal's and Saez's, lower middle rates",
        f"exact optimum {rates_percent(ae.rates[opt])} %: {said(ae.exact_shape)}",
        "learned planners: "
        + "; ".join(
            f"{rates_percent(ae.rates[k])} %: {said(s)}"
            for k, s in zip(plan, ae.shapes, strict=True)
        ),
        a6.agrees and bool(ident),
        "yes" if all(ae.exact_shape) else "no",
        "top = the top earner's bracket at the optimum, middle = the brackets strictly between "
        "the lowest earner's and the top one (AE-06's reading), on the 3 brackets of X-AE-L1..L3. "
        f"The learned schedules are within {100 * lp.REPORT_GAP:.0f} % of the optimum (X-AE-L2), "
        "so a flag is judged only where every grid schedule that close shares it: judged "
        + (", ".join(flags[i] for i in ident) or "none")
        + (
            "; not judged (schedules within the tolerance differ): "
            + ", ".join(flags[i] for i in range(2) if i not in ident)
            if len(ident) < 2
            else ""
        )
        + ". Fails if a learned schedule's judged flag differs from the optimum's",
        rule=a6.rule,
    )
    return l4, l5, l6
