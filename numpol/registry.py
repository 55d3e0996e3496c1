"""The experiment registry: each seed claim as an experiment that returns tables, figures, claims.

Experiments live in the modules of :mod:`numpol.experiments`; each such module defines a tuple
``EXPERIMENTS`` of :class:`Experiment`. The registry discovers them, so areas of the toolkit add
experiments without editing a shared list.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from numpol.errors import NumpolError

__all__ = ["Claim", "Table", "Result", "Experiment", "experiments", "SeedHolds", "Evidence"]

#: Whether a seed's claim holds in the toolkit's model: ``conditional`` is true exactly under the
#: condition the claim states (e.g. a range of ε), ``open`` an open question the row answers or a
#: conjecture checked up to a stated bound.
SeedHolds = Literal["yes", "no", "conditional", "open"]
#: What the ``simulation`` column is: an ``independent`` second method that could disagree, a
#: check that holds ``by construction`` (say why), or ``none`` (no second method exists; say why).
Evidence = Literal["independent", "by construction", "none"]
_SEED_HOLDS = ("yes", "no", "conditional", "open")
_EVIDENCE = ("independent", "by construction", "none")


@dataclass(frozen=True)
class Claim:
    """One row of the claims table.

    Parameters
    ----------
    id : str
        The catalogue ID (``MC-01`` ...) or an ``X-`` ID for the toolkit's own findings.
    claim : str
        The claim, short.
    theory, simulation : str
        What the exact computation gives, and what an independent numerical or stochastic
        run gives (``n/a`` only where nothing can be simulated).
    agrees : bool
        Theory and simulation agree within the stated, justified tolerance (a numpy bool or an
        :class:`numpol.agreement.Agreement` is stored as a ``bool``).
    seed_holds : {"yes", "no", "conditional", "open"}
        Whether the seed's statement is true in the toolkit's model.
    note : str
        Why, when ``seed_holds`` is ``no`` or ``open``; the tolerance used; the bound searched.
    evidence : {"independent", "by construction", "none"}
        The kind of the second column's evidence; ``independent`` unless stated.
    evidence_note : str
        Why the evidence is not independent (required unless ``evidence`` is ``independent``).
    condition : str
        The condition under which the seed's statement holds (required exactly when
        ``seed_holds`` is ``conditional``), e.g. ``"ε < 1/4; fails on [1/4, 1/2]"``.
    rule : str
        What result would have made the row disagree (the agreement rule with its numbers,
        ``numpol.agreement.Agreement.rule``).

    Raises
    ------
    NumpolError
        If `seed_holds` or `evidence` is not one of its values, a conditional claim has no
        condition (or another claim has one), or non-independent evidence does not say why.

    Examples
    --------
    >>> Claim("X-00", "1 + 1 = 2", "2", "2.0", True, "yes").agrees
    True
    >>> c = Claim("X-01", "x < 1 is cheap", "t", "s", True, "conditional", condition="x < 1")
    >>> c.seed_holds, c.condition, c.evidence
    ('conditional', 'x < 1', 'independent')
    """

    id: str
    claim: str
    theory: str
    simulation: str
    agrees: bool
    seed_holds: SeedHolds
    note: str = ""
    evidence: Evidence = "independent"
    evidence_note: str = ""
    condition: str = ""
    rule: str = ""

    def __post_init__(self) -> None:
        if self.seed_holds not in _SEED_HOLDS:
            raise NumpolError(
                f"seed_holds must be one of {', '.join(map(repr, _SEED_HOLDS))}, "
                f"got {self.seed_holds!r}"
            )
        if self.evidence not in _EVIDENCE:
            raise NumpolError(
                f"evidence must be one of {', '.join(map(repr, _EVIDENCE))}, got {self.evidence!r}"
            )
        if (self.seed_holds == "conditional") != bool(self.condition.strip()):
            raise NumpolError(
                f"{self.id}: a condition is given exactly when seed_holds is 'conditional' "
                f"(seed_holds={self.seed_holds!r}, condition={self.condition!r})"
            )
        if self.evidence != "independent" and not self.evidence_note.strip():
            raise NumpolError(
                f"{self.id}: evidence {self.evidence!r} needs an evidence_note saying why"
            )
        object.__setattr__(self, "agrees", bool(self.agrees))


@dataclass(frozen=True)
class Table:
    """A titled table of strings for the report."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def markdown(self) -> str:
        """The table as GitHub Markdown.

        Examples
        --------
        >>> print(Table("t", ("a", "b"), (("1", "2"),)).markdown())
        | a | b |
        |---|---|
        | 1 | 2 |
        """

        def line(cells: tuple[str, ...]) -> str:
            return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

        out = [line(self.header), "|" + "---|" * len(self.header)]
        out.extend(line(r) for r in self.rows)
        return "\n".join(out)


@dataclass(frozen=True)
class Result:
    """What an experiment returns: claims, tables, figures (name -> matplotlib Figure) and text."""

    claims: tuple[Claim, ...] = ()
    tables: tuple[Table, ...] = ()
    figures: tuple[tuple[str, Any], ...] = ()
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Experiment:
    """A reproducible experiment: ``run(rng)`` returns a :class:`Result`.

    ``cost`` is its rough run time in seconds on a 2-core machine: a parallel ``numpol
    reproduce`` starts the costliest first, so the longest experiment does not start last. It
    orders the work and nothing else (a stale estimate costs wall time, never a different
    result); the reproduce run prints each experiment's seconds to update it from.

    Raises
    ------
    NumpolError
        If `cost` is not a finite number >= 0.
    """

    id: str
    title: str
    run: Callable[[np.random.Generator], Result]
    slow: bool = False
    cost: float = 1.0

    def __post_init__(self) -> None:
        c = self.cost
        if isinstance(c, bool) or not isinstance(c, int | float) or not 0 <= c < float("inf"):
            raise NumpolError(f"{self.id}: cost must be a finite number >= 0, got {c!r}")


def experiments() -> dict[str, Experiment]:
    """Every experiment of every module in :mod:`numpol.experiments`, by ID, in module order.

    Raises
    ------
    NumpolError
        If two experiments share an ID.

    Examples
    --------
    >>> isinstance(experiments(), dict)
    True
    """
    import numpol.experiments as pkg

    found: dict[str, Experiment] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        for exp in getattr(module, "EXPERIMENTS", ()):
            if exp.id in found:
                raise NumpolError(f"two experiments share the ID {exp.id!r}")
            found[exp.id] = exp
    return found
