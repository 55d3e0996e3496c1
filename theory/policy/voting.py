"""Voting on the principal's objective: agent types (selfishness σ, trust β), rules that map
reported types to the weight η of Social Environment Design's objective ηΣa + (1 − η)min a,
and brute-force checks of anonymity, unanimity, monotonicity and strategy-proofness.

Modelling choices (named, since the seed leaves them open):

- Types are drawn as the seed does: σ and β independent and uniform on [0, 1] (:func:`draw_types`).
- The seed's rule is f(σ) = η = (1/n) Σ_i σ_i, the plain mean of the reported selfishness
  (:func:`eta_mean_selfishness`): a more selfish electorate puts more weight on the sum
  (productivity), a less selfish one on the minimum (equality). Trust β does not enter the vote.
- For the other rules and for manipulation, agent i's preference over η is single-peaked with
  its peak at its own σ_i and utility −|η − σ_i| (the seed defines no preference over η; this is
  the simplest one consistent with its rule). A misreport is profitable if it brings the outcome
  strictly closer to the agent's true σ_i.
- Finite-objective rules (plurality, Borda, Condorcet) rank the candidate η's by distance to the
  peak, ties broken toward the smaller η; the plurality/Borda winner's ties go to the smaller η.
- The binary threshold vote: agents with σ_i > t vote utilitarian (η = 1), σ_i < t egalitarian
  (η = 0), σ_i = t abstains; the majority wins and a tie gives η = 1/2.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from theory._numbers import Real, fraction, is_exact, plain, vector
from theory.errors import PolicyError, PolicyTypeError
from theory.typing import RealLike, RealsLike, Seed

#: The errors this module raises for a bad number (see theory._numbers).
_ERRORS = (PolicyTypeError, PolicyError)

__all__ = [
    "AgentTypes",
    "draw_types",
    "eta_mean_selfishness",
    "eta_median",
    "threshold_vote",
    "plurality",
    "borda",
    "condorcet",
    "DEFAULT_CANDIDATES",
    "RULES",
    "RANGES",
    "Manipulation",
    "RuleAudit",
    "is_anonymous",
    "is_unanimous",
    "is_monotone",
    "find_manipulation",
    "audit_rules",
]

DEFAULT_CANDIDATES: tuple[Fraction, ...] = tuple(Fraction(k, 4) for k in range(5))
"""The finite objective set for plurality/Borda/Condorcet: η ∈ {0, 1/4, 1/2, 3/4, 1}."""


@dataclass(frozen=True)
class AgentTypes:
    """Types of n agents: selfishness σ_i and trust β_i, both in [0, 1]."""

    selfishness: np.ndarray
    trust: np.ndarray


def draw_types(n: int, *, rng: Seed = None) -> AgentTypes:
    """n agent types with σ, β independent uniform on [0, 1], as Social Environment Design samples.

    Examples
    --------
    >>> t = draw_types(3, rng=0)
    >>> t.selfishness.shape, bool(np.all((0 <= t.trust) & (t.trust <= 1)))
    ((3,), True)
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise PolicyError(f"n must be a positive integer, got {n!r}")
    gen = np.random.default_rng(rng)
    return AgentTypes(selfishness=gen.uniform(0, 1, n), trust=gen.uniform(0, 1, n))


def _reports(sigmas: RealsLike) -> Any:
    x = vector(sigmas, "sigmas", errors=_ERRORS)
    if any(not 0 <= v <= 1 for v in x):
        raise PolicyError(f"sigmas must lie in [0, 1], got {list(x)!r}")
    return x


def eta_mean_selfishness(sigmas: RealsLike) -> Real | int:
    """The seed's rule f(σ) = η = (1/n) Σ_i σ_i (exact for exact reports).

    Examples
    --------
    >>> eta_mean_selfishness([0, "1/2", 1, 1])
    Fraction(5, 8)
    """
    x = _reports(sigmas)
    if is_exact(x):
        return plain(sum(x, Fraction(0)) / len(x))
    return float(np.mean(x))


def eta_median(sigmas: RealsLike) -> Real | int:
    """The median report (mean of the two middle ones for even n).

    Strategy-proof for odd n under single-peaked preferences (Moulin 1980); the even-n average
    of the two middle reports is not.

    Examples
    --------
    >>> eta_median([0, "1/4", 1])
    Fraction(1, 4)
    """
    x = sorted(_reports(sigmas))
    n, m = len(x), len(x) // 2
    med = x[m] if n % 2 else (x[m - 1] + x[m]) / 2
    return plain(med) if isinstance(med, Fraction) else float(med)


def threshold_vote(sigmas: RealsLike, threshold: RealLike = Fraction(1, 2)) -> Fraction | int:
    """Binary majority between utilitarian (η = 1) and egalitarian (η = 0); a tie gives 1/2.

    Examples
    --------
    >>> threshold_vote([0.9, 0.8, 0.1])
    1
    >>> threshold_vote(["3/8", "1/2", "5/8"])
    Fraction(1, 2)
    """
    x = _reports(sigmas)
    t = fraction(threshold, "threshold", errors=_ERRORS)
    if not 0 <= t <= 1:
        raise PolicyError(f"threshold must lie in [0, 1], got {threshold!r}")
    up = sum(1 for v in x if v > t)
    down = sum(1 for v in x if v < t)
    return 1 if up > down else 0 if down > up else Fraction(1, 2)


def _candidates(candidates: RealsLike) -> tuple[Real, ...]:
    c = vector(candidates, "candidates", errors=_ERRORS)
    vals = tuple(c)
    if len(set(vals)) != len(vals) or any(not 0 <= v <= 1 for v in vals):
        raise PolicyError(f"candidates must be distinct values in [0, 1], got {list(vals)!r}")
    return tuple(sorted(vals))


def _ranking(peak: Real, cands: tuple[Real, ...]) -> list[int]:
    """Candidate indices from best to worst for peak σ: by distance, ties toward the smaller η."""
    return sorted(range(len(cands)), key=lambda k: (abs(cands[k] - peak), cands[k]))


def plurality(sigmas: RealsLike, candidates: RealsLike = DEFAULT_CANDIDATES) -> Real | int:
    """Each agent votes for the candidate η nearest its σ; most votes wins (ties: smaller η).

    Examples
    --------
    >>> plurality([0, 0.1, 0.9])
    0
    """
    x, c = _reports(sigmas), _candidates(candidates)
    votes = [0] * len(c)
    for v in x:
        votes[_ranking(v, c)[0]] += 1
    return plain(c[max(range(len(c)), key=lambda k: (votes[k], -k))])


def borda(sigmas: RealsLike, candidates: RealsLike = DEFAULT_CANDIDATES) -> Real | int:
    """Borda count over the candidate η's (m − 1 points for a first place, ..., 0 for the last).

    Examples
    --------
    >>> borda([0, 0, 1])
    0
    >>> borda([0, "3/4", 1])
    Fraction(3, 4)
    """
    x, c = _reports(sigmas), _candidates(candidates)
    m = len(c)
    score = [0] * m
    for v in x:
        for place, k in enumerate(_ranking(v, c)):
            score[k] += m - 1 - place
    return plain(c[max(range(m), key=lambda k: (score[k], -k))])


def condorcet(sigmas: RealsLike, candidates: RealsLike = DEFAULT_CANDIDATES) -> Real | int | None:
    """The candidate η that beats every other in pairwise majority, or ``None`` if there is none.

    With single-peaked preferences and odd n it exists and is the median voter's favourite
    (Black 1948).

    Examples
    --------
    >>> condorcet([0, 0.6, 1])
    Fraction(1, 2)
    >>> condorcet([0, 1]) is None
    True
    """
    x, c = _reports(sigmas), _candidates(candidates)
    pos = [{k: r for r, k in enumerate(_ranking(v, c))} for v in x]
    for a in range(len(c)):
        if all(
            sum(p[a] < p[b] for p in pos) > sum(p[b] < p[a] for p in pos)
            for b in range(len(c))
            if b != a
        ):
            return plain(c[a])
    return None


Rule = Callable[[Any], Any]

RULES: dict[str, Rule] = {
    "mean": eta_mean_selfishness,
    "median": eta_median,
    "threshold": threshold_vote,
    "plurality": plurality,
    "borda": borda,
    "condorcet": condorcet,
}
"""The voting rules by name, each mapping a profile of reported σ's to η."""

RANGES: dict[str, tuple[Fraction, ...]] = {
    "threshold": (Fraction(0), Fraction(1)),  # 1/2 only breaks ties
    "plurality": DEFAULT_CANDIDATES,
    "borda": DEFAULT_CANDIDATES,
    "condorcet": DEFAULT_CANDIDATES,
}
"""The outcome sets of the rules with a finite range (the others range over [0, 1])."""


@dataclass(frozen=True)
class Manipulation:
    """A profitable misreport: ``agent`` with true profile ``truth`` reports ``report`` instead."""

    truth: tuple[Fraction, ...]
    agent: int
    report: Fraction
    honest_outcome: Fraction
    manipulated_outcome: Fraction

    def __str__(self) -> str:
        t = ", ".join(str(v) for v in self.truth)
        return (
            f"profile ({t}): agent {self.agent} (σ = {self.truth[self.agent]}) reports "
            f"{self.report} and moves η from {self.honest_outcome} to {self.manipulated_outcome}"
        )


@dataclass(frozen=True)
class RuleAudit:
    """What the brute-force checks found for one rule on one grid."""

    rule: str
    anonymous: bool
    unanimous: bool
    monotone: bool
    manipulation: Manipulation | None

    @property
    def strategy_proof(self) -> bool:  # no profitable misreport on the grid searched
        return self.manipulation is None


def _grid(grid: Sequence[RealLike] | None) -> tuple[Fraction, ...]:
    g = vector(
        list(grid) if grid is not None else [Fraction(k, 8) for k in range(9)],
        "grid",
        errors=_ERRORS,
    )
    if not is_exact(g) or any(not 0 <= v <= 1 for v in g):
        raise PolicyError(f"grid must be exact values in [0, 1], got {list(g)!r}")
    return tuple(sorted(set(g)))  # type: ignore[arg-type]


def _check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 6:
        raise PolicyError(f"n must be an integer in 1..6 for a brute-force search, got {n!r}")


def is_anonymous(rule: Rule, n: int = 3, grid: Sequence[RealLike] | None = None) -> bool:
    """True if every permutation of every profile on the grid gives the same outcome.

    Examples
    --------
    >>> is_anonymous(eta_mean_selfishness, 3)
    True
    """
    _check_n(n)
    g = _grid(grid)
    for prof in itertools.combinations_with_replacement(g, n):
        outs = {rule(list(p)) for p in itertools.permutations(prof)}
        if len(outs) > 1:
            return False
    return True


def is_unanimous(
    rule: Rule,
    n: int = 3,
    grid: Sequence[RealLike] | None = None,
    outcomes: Sequence[RealLike] | None = None,
) -> bool:
    """True if, whenever every agent reports the same σ on the grid, the rule elects that σ's
    unique favourite among ``outcomes`` (the rule's range; default: the grid itself, for rules
    with a continuous range). Peaks equidistant from two outcomes are skipped.

    Examples
    --------
    >>> is_unanimous(eta_median, 3)
    True
    >>> is_unanimous(threshold_vote, 3, outcomes=[0, 1])
    True
    >>> is_unanimous(threshold_vote, 3)
    False
    """
    _check_n(n)
    g = _grid(grid)
    rng_out = _grid(outcomes) if outcomes is not None else g
    for s in g:
        d = sorted((abs(o - s), o) for o in rng_out)
        if len(d) > 1 and d[0][0] == d[1][0]:
            continue
        if rule([s] * n) != d[0][1]:
            return False
    return True


def _unilateral_reports(
    rule: Rule, n: int, g: tuple[Fraction, ...]
) -> Iterator[tuple[tuple[Fraction, ...], Any, int, Fraction]]:
    """``(profile, outcome, i, report)`` for every profile on the grid that has an outcome and
    every report of agent ``i`` on the grid other than its own (profiles in product order)."""
    for prof in itertools.product(g, repeat=n):
        base = rule(list(prof))
        if base is None:
            continue
        for i in range(n):
            for rep in g:
                if rep != prof[i]:
                    yield prof, base, i, rep


def is_monotone(rule: Rule, n: int = 3, grid: Sequence[RealLike] | None = None) -> bool:
    """True if raising one agent's report never lowers the outcome (profiles on the grid;
    profiles without an outcome, e.g. no Condorcet winner, are skipped).

    Examples
    --------
    >>> is_monotone(eta_mean_selfishness, 2)
    True
    """
    _check_n(n)
    for prof, base, i, hi in _unilateral_reports(rule, n, _grid(grid)):
        if hi < prof[i]:
            continue
        out = rule([*prof[:i], hi, *prof[i + 1 :]])
        if out is not None and out < base:
            return False
    return True


def find_manipulation(
    rule: Rule, n: int = 3, grid: Sequence[RealLike] | None = None
) -> Manipulation | None:
    """The first profitable misreport found by brute force over every profile and report on the
    grid (utility −|η − σ_i|), or ``None`` if the rule is strategy-proof on that grid.

    Examples
    --------
    >>> str(find_manipulation(eta_mean_selfishness, 2, [0, "1/2", 1]))
    'profile (0, 1/2): agent 1 (σ = 1/2) reports 1 and moves η from 1/4 to 1/2'
    >>> find_manipulation(eta_median, 3) is None
    True
    """
    _check_n(n)
    for prof, honest, i, rep in _unilateral_reports(rule, n, _grid(grid)):
        out = rule([*prof[:i], rep, *prof[i + 1 :]])
        if out is not None and abs(out - prof[i]) < abs(honest - prof[i]):
            return Manipulation(tuple(prof), i, rep, Fraction(honest), Fraction(out))
    return None


def audit_rules(
    n: int = 3, grid: Sequence[RealLike] | None = None, rules: dict[str, Rule] | None = None
) -> tuple[RuleAudit, ...]:
    """Anonymity, unanimity, monotonicity and a manipulation search for every rule.

    Default grid: σ ∈ {0, 1/8, ..., 1}; default rules: :data:`RULES`.

    Examples
    --------
    >>> rules = {"mean": eta_mean_selfishness, "median": eta_median}
    >>> [a.rule for a in audit_rules(3, rules=rules) if a.strategy_proof]
    ['median']
    """
    out = []
    for name, rule in (rules or RULES).items():
        out.append(
            RuleAudit(
                name,
                is_anonymous(rule, n, grid),
                is_unanimous(rule, n, grid, RANGES.get(name)),
                is_monotone(rule, n, grid),
                find_manipulation(rule, n, grid),
            )
        )
    return tuple(out)
