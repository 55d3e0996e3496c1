"""Every equilibrium of the seed's four-agent modal game, symbolic in ε (MC-06, MC-07).

The "theory" column is the symbolic list of equilibria with exact ε-regions; the "simulation"
column is nashpy's vertex enumeration at random float ε in each interval between the
degenerate values (and an exact enumeration at a rational point of each). The verdicts are
computed from the set of ε where each claim holds: ``conditional`` when it holds on the seed's
own proviso ε < 1/4 but not everywhere.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import nashpy
import numpy as np
import sympy

from modal import SEED_AGENTS
from numpol.experiments.equilibria import EPS, FLOAT_TOL, N_FLOAT_EPS, NAMES, SHORT, mixture_label
from numpol.registry import Claim, Experiment, Result, SeedHolds, Table
from theory.equilibria import (
    SymbolicEquilibrium,
    degenerate_parameter_values,
    exact_equilibria,
    symbolic_equilibria,
)
from theory.games import Game
from theory.modal_game import modal_game
from theory.regions import format_region

__all__ = ["EXPERIMENTS", "holds_region"]


def _random_eps(rng: np.random.Generator, lo: float, hi: float, k: int) -> np.ndarray:
    return rng.uniform(lo, hi, size=k)


def _interval_points(bps: list[Any]) -> list[tuple[str, Fraction, float, float]]:
    """A rational sample point inside each open interval between the break points, and the
    float range of that interval (for random draws)."""
    edges = [sympy.Integer(0), *bps]
    out = []
    for a, b in zip(edges, [*bps, None], strict=True):
        if b is None:
            lo, hi = float(a), float(a) + 2.0
            label = f"({a}, ∞)"
            mid = Fraction(str(a)) + 1
        else:
            lo, hi = float(a), float(b)
            label = f"({a}, {b})"
            mid = (Fraction(str(a)) + Fraction(str(b))) / 2
        out.append((label, mid, lo, hi))
    return out


def _nashpy_count(eps: float) -> tuple[int, bool, list[np.ndarray]]:
    A = modal_game(SEED_AGENTS, eps).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pairs = list(nashpy.Game(A, A.T).vertex_enumeration())
    uniq: list[tuple[np.ndarray, np.ndarray]] = []
    for x, y in pairs:
        if not any(
            np.allclose(x, u, atol=FLOAT_TOL) and np.allclose(y, w, atol=FLOAT_TOL) for u, w in uniq
        ):
            uniq.append((x, y))
    sym = all(np.allclose(x, y, atol=FLOAT_TOL) for x, y in uniq)
    return len(uniq), sym, [x for x, _ in uniq]


def _matches_formulas(xs: list[np.ndarray], eqs: Iterable[SymbolicEquilibrium], v: float) -> bool:
    want = []
    for q in eqs:
        if v in q.region:
            want.append(np.array([float(sympy.sympify(p).subs(EPS, v)) for p in q.x]))
    return len(want) == len(xs) and all(
        any(np.allclose(x, w, atol=FLOAT_TOL) for w in want) for x in xs
    )


SEED_SUPPORTS = {(0,), (0, 2), (1, 2, 3)}
"""MC-07's three equilibria by support: D; D/F; C/F/P."""
SEED_PROVISO = sympy.Interval.open(0, sympy.Rational(1, 4))
"""The seed's own proviso for its equilibrium argument: ε < 1/4."""


def _is_seed_three(res: Any) -> bool:
    """Exactly the seed's three equilibria, all symmetric (an exact enumeration's result)."""
    sup = [tuple(i for i, v in enumerate(q.x) if v != 0) for q in res]
    return len(res) == 3 and all(q.is_symmetric for q in res) and set(sup) == SEED_SUPPORTS


def _interval_set(mid: Fraction, breaks: list[Any]) -> sympy.Set:
    """The open interval between consecutive break points that contains `mid`."""
    edges = [sympy.Integer(0), *breaks, sympy.oo]
    m = sympy.Rational(mid.numerator, mid.denominator)
    for a, b in zip(edges, edges[1:], strict=False):
        if a < m < b:
            return sympy.Interval.open(a, b)
    raise ValueError(f"{mid} is not inside an interval between {breaks}")  # pragma: no cover


def holds_region(holds: sympy.Set, proviso: sympy.Set = SEED_PROVISO) -> SeedHolds:
    """A claim's verdict from the set where it holds: yes, conditional (on the set) or no.

    Examples
    --------
    >>> holds_region(sympy.Interval.open(0, sympy.Rational(1, 4)))
    'conditional'
    >>> holds_region(sympy.Interval.open(0, sympy.oo)), holds_region(sympy.S.EmptySet)
    ('yes', 'no')
    """
    if holds == sympy.Interval.open(0, sympy.oo):
        return "yes"
    return "conditional" if proviso.is_subset(holds) else "no"


def _condition(holds: sympy.Set, fails: sympy.Set, verdict: str) -> str:
    """The condition of a conditional verdict, from the sets where the claim holds and fails."""
    if verdict != "conditional":
        return ""
    return (
        f"ε in {format_region(holds)} (the seed's proviso ε < 1/4); fails on {format_region(fails)}"
    )


def _symmetry(res: Any) -> str:
    n_asym = sum(1 for q in res if not q.is_symmetric)
    return "all symmetric" if n_asym == 0 else f"{n_asym} asymmetric"


def _run_mixed(rng: np.random.Generator) -> Result:
    A = modal_game(SEED_AGENTS, EPS)
    eqs = symbolic_equilibria(A, params=EPS)
    degenerate = sorted(degenerate_parameter_values(A, EPS), key=float)
    table_rows = tuple(
        (
            mixture_label(q.x),
            mixture_label(q.y) if not q.is_symmetric else "same",
            str(sympy.factor(q.u)),
            format_region(q.region),
        )
        for q in eqs
    )
    # exact enumeration at each degenerate value and inside each interval between them
    count_rows = []
    by_interval: dict[str, int] = {}
    seven_holds = []  # the ε-sets (intervals, points) where MC-07's list is exactly right
    sim_ok = True
    for label, mid, lo, hi in _interval_points(degenerate):
        res = exact_equilibria(Game.symmetric(modal_game(SEED_AGENTS, mid)))
        sym_count = sum(
            1 for q in eqs if sympy.Rational(mid.numerator, mid.denominator) in q.region
        )
        draws = _random_eps(rng, lo, hi, max(2, N_FLOAT_EPS // (len(degenerate) + 1)))
        counts = [_nashpy_count(float(v)) for v in draws]
        agree = all(c == len(res) and s for c, s, _ in counts) and all(
            _matches_formulas(xs, eqs, float(v))
            for v, (_, _, xs) in zip(draws, counts, strict=True)
        )
        sim_ok &= agree and sym_count == len(res) and not res.degenerate
        by_interval[label] = len(res)
        if _is_seed_three(res):
            seven_holds.append(_interval_set(mid, degenerate))
        count_rows.append(
            (
                f"ε in {label} (at {mid})",
                str(sym_count),
                f"{len(res)} ({_symmetry(res)})",
                f"{sorted({c for c, _, _ in counts})} at {len(draws)} random ε",
                "no" if not res.degenerate else "yes",
            )
        )
    degenerate_symmetric = True
    for d in degenerate:
        fd = Fraction(str(d))
        res = exact_equilibria(Game.symmetric(modal_game(SEED_AGENTS, fd)))
        # every extreme equilibrium symmetric => every equilibrium symmetric (an asymmetric one
        # would be a convex combination within a product of faces whose corners are listed)
        degenerate_symmetric &= all(q.is_symmetric for q in res)
        if _is_seed_three(res):
            seven_holds.append(sympy.FiniteSet(d))
        count_rows.append(
            (
                f"ε = {d}",
                "degenerate: exact only",
                f"{len(res)} extreme ({_symmetry(res)})",
                "n/a (degenerate)",
                "yes" if res.degenerate else "no",
            )
        )
    empty = sympy.S.EmptySet
    good_region = next((q.region.as_set() for q in eqs if q.support_x == (1, 2, 3)), empty)
    df_region = next((q.region.as_set() for q in eqs if q.support_x == (0, 2)), empty)
    d_region = next((q.region.as_set() for q in eqs if q.support_x == (0,)), empty)
    cd = [q for q in eqs if 0 in q.support_x and 1 in q.support_x]
    cd_region = sympy.Union(*[q.region.as_set() for q in cd]) if cd else empty
    quarter = sympy.Rational(1, 4)
    early = sympy.Interval.open(0, quarter)
    three = [q for q in eqs if q.region.as_set().intersect(early) != empty]
    six_holds = sympy.Interval.open(0, sympy.oo) - cd_region
    seven = sympy.Union(*seven_holds) if seven_holds else empty
    mc06 = Claim(
        "MC-06",
        "no equilibrium mixes CooperateBot with DefectBot",
        "equilibria with C and D in a support: "
        + ("; ".join(f"{mixture_label(q.x)} on {format_region(q.region)}" for q in cd) or "none"),
        "nashpy vertex enumeration at random float ε per interval: same equilibria as the formulas"
        if sim_ok
        else "nashpy DISAGREES with the formulas somewhere",
        sim_ok,
        holds_region(six_holds),
        f"Holds exactly for ε in {format_region(six_holds)} (computed from the regions; the "
        f"seed's own proviso is ε < 1/4); fails for ε in {format_region(cd_region)}, where a "
        "symmetric equilibrium mixes D, C and F (and for [1/4, 1/3] one mixes all four).",
        condition=_condition(six_holds, cd_region, holds_region(six_holds)),
        rule="nashpy's equilibria at every random float ε equal the symbolic formulas' (same "
        f"count, each within {FLOAT_TOL:g}); fails if any ε gives another equilibrium or "
        "misses one",
    )
    seed_three = (
        len(three) == 3
        and all(q.is_symmetric for q in eqs)
        and degenerate_symmetric
        and {q.support_x for q in three} == {(0,), (0, 2), (1, 2, 3)}
    )
    verdict7 = holds_region(seven) if seed_three else "no"
    mc07 = Claim(
        "MC-07",
        "exactly three equilibria, all symmetric: D; D 1−ε / F ε; "
        "C ε, F 1−3ε/2, P ε/2 (payoff 2−ε)",
        f"D on {format_region(d_region)}, payoff 1; D/F on {format_region(df_region)}, payoff 1; "
        f"C/F/P on {format_region(good_region)}, payoff 2 − ε; asymmetric equilibria: "
        + (
            "none for any ε > 0"
            if all(q.is_symmetric for q in eqs) and degenerate_symmetric
            else "SOME"
        )
        + f"; counts per ε-interval {by_interval}",
        "exact enumeration inside each interval and nashpy vertex enumeration at random float ε: "
        + ("same counts, all symmetric" if sim_ok else "DIFFERENT counts"),
        sim_ok,
        verdict7,
        f"Holds exactly for ε in {format_region(seven)} (computed from the exact enumeration "
        "in every interval and at every degenerate ε; the seed's own proviso is ε < 1/4): at "
        "ε = 1/4 two more symmetric equilibria appear (D/C/F on [1/4, 1/2], D/C/F/P on "
        "[1/4, 1/3]); the good one exists for ε ≤ 1/3 (at 1/3 DefectBot earns 1 + 2ε = "
        "2 − ε, as much as it); D/F for ε ≤ 1/2 (CooperateBot earns 2ε); "
        f"degenerate ε: {', '.join(map(str, degenerate))} (enumerated exactly)",
        condition=_condition(seven, sympy.Interval.open(0, sympy.oo) - seven, verdict7),
        rule="the exact enumeration inside each ε-interval and nashpy at random float ε give "
        "the symbolic list's count, all symmetric; fails on any other count or an asymmetric one",
    )
    from dynamics.plots.equilibria import plot_symbolic_equilibria

    axes = plot_symbolic_equilibria(eqs, EPS, NAMES, short=SHORT, breaks=(0.25, 1 / 3, 0.5))
    fig = axes.flat[0].figure
    return Result(
        claims=(mc06, mc07),
        tables=(
            Table(
                "Every equilibrium of the bimatrix game (A, Aᵀ), symbolic in ε, with its exact "
                "region (closed where an end point coincides with another equilibrium)",
                ("row player", "column player", "payoff", "ε-region"),
                table_rows,
            ),
            Table(
                "Equilibrium counts: symbolic list, exact enumeration, nashpy (floats)",
                ("ε", "symbolic", "exact enumeration", "nashpy vertex enumeration", "degenerate"),
                tuple(count_rows),
            ),
        ),
        figures=(("equilibria_vs_eps", fig),),
        text="Support pairs of equal size give every equilibrium wherever the game is "
        "non-degenerate; the finitely many degenerate ε are found from the vertices of the "
        "best-reply polyhedra and enumerated exactly one by one.",
    )


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS = (
    Experiment(
        "equilibria-mixed",
        "Every equilibrium of the four-agent game, symbolic in ε (MC-06, MC-07)",
        _run_mixed,
        cost=28,
    ),
)
