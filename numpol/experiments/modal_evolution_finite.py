"""Finite populations over the modal pool: row X-MOD-03 (seed 001's next step).

Compute (the small-mutation stationary law of :func:`dynamics.modal_evolution.modal_evolution`,
and simulated fixations by :func:`dynamics.finite.simulation.fixations`), judge (each closed-form
fixation probability inside the Wilson interval of its simulated count,
:func:`numpol.agreement.within_wilson`; the seed's reading by :func:`mostly_cooperative`),
render (the claim row and the table). Part of the ``modal-evolution`` experiment
(:mod:`numpol.experiments.modal_evolution`).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from dynamics.finite.fixation import fixation_probability
from dynamics.finite.processes import fermi
from dynamics.finite.simulation import fixations
from dynamics.modal_evolution import ModalEvolution
from modal import cooperation_matrix
from numpol.agreement import K_SE, Agreement, within_wilson
from numpol.experiments.modal_evolution import BETA, POPULATION
from numpol.registry import Claim, Table

__all__ = ["FIXATION_RUNS", "finite", "mostly_cooperative"]

#: Simulated fixations per checked pair.
FIXATION_RUNS = 1000
# simulated fixations: each exact probability must lie in its count's Wilson interval at
# z = K_SE (numpol.agreement: the report-wide rule for stochastic comparisons)


def mostly_cooperative(
    eps: tuple[Fraction | float, ...], stationary: np.ndarray, self_coop: np.ndarray
) -> bool:
    """X-MOD-03's reading of 'very little defection': at every eps <= 1/10, the long-run share
    of time in self-cooperating strategies exceeds 1/2.

    Examples
    --------
    >>> import numpy as np
    >>> from fractions import Fraction
    >>> eps = (Fraction(1, 2), Fraction(1, 10))
    >>> coop = np.array([False, True])
    >>> mostly_cooperative(eps, np.array([[0.9, 0.1], [0.2, 0.8]]), coop)
    True
    >>> mostly_cooperative(eps, np.array([[0.1, 0.9], [0.6, 0.4]]), coop)
    False
    """
    small = [k for k, e in enumerate(eps) if e <= Fraction(1, 10)]
    return all(stationary[k][self_coop].sum() > 0.5 for k in small)


def finite(ev: ModalEvolution, names: list[str], rng: np.random.Generator) -> tuple[Claim, Table]:
    """Row X-MOD-03 and its table from the run `ev`, labelled by `names`; `rng` drives the
    simulated fixations."""
    pool = ev.pool
    self_coop = np.diag(cooperation_matrix(pool.agents, pool.env)).astype(bool)
    rows = []
    for k, e in enumerate(ev.eps):
        st = ev.stationary[k]
        top = "; ".join(f"{names[i]} {st[i]:.3f}" for i in np.argsort(-st)[:4])
        rows.append(
            (str(e), f"{st[self_coop].sum():.3f}", f"{st[pool.index('DefectBot')]:.3f}", top)
        )
    # the independent check: simulated fixations of the likeliest mutants into FairBot and
    # DefectBot residents at eps = 1/10 against the closed-form fixation probabilities
    k = ev.eps.index(Fraction(1, 10))
    A = pool.game(ev.eps[k]).astype(float)
    st = ev.stationary[k]
    mutants = [int(i) for i in np.argsort(-st)[:4]]
    residents = [pool.index("FairBot"), pool.index("DefectBot")]
    pairs = [(m, r) for r in residents for m in mutants if m != r]
    inside, checks = 0, []
    agreed: Agreement | None = None
    for m, r in pairs:
        q = fermi(A[np.ix_([m, r], [m, r])], POPULATION, beta=BETA)
        exact = float(fixation_probability(q, 0, 1))
        fx = fixations(q, [1, POPULATION - 1], runs=FIXATION_RUNS, rng=rng)
        hits = int(np.sum(fx.winner == 0))
        one = within_wilson(hits, FIXATION_RUNS, exact)
        agreed = one if agreed is None else agreed & one
        inside += one.agrees
        checks.append(f"{names[m]} into {names[r]}: {exact:.4f} vs {hits}/{FIXATION_RUNS}")
    assert agreed is not None
    cooperative = mostly_cooperative(ev.eps, ev.stationary, self_coop)
    claim = Claim(
        "X-MOD-03",
        "in finite populations with rare mutations, the pool spends most of its time "
        "in self-cooperating agents once eps <= 1/10 ('very little defection')",
        f"small-mutation limit of the Fermi process (N = {POPULATION}, beta = {BETA:g}) over "
        "the pool, from closed-form fixation probabilities: share of time in self-cooperating "
        "agents " + "; ".join(f"eps {r[0]}: {r[1]}" for r in rows),
        f"{len(pairs)} fixation probabilities at eps = 1/10 simulated ({FIXATION_RUNS} runs "
        f"each): {inside} of {len(pairs)} inside their Wilson interval; " + "; ".join(checks),
        agreed.agrees,
        "yes" if cooperative else "no",
        f"Wilson intervals at z = {K_SE:g} (numpol.agreement.K_SE) for each of {len(pairs)} pairs. "
        "The seed only expects 'very little defection'; this is one model of it.",
        rule=agreed.rule,
    )
    table = Table(
        f"Finite populations (Fermi, N = {POPULATION}, beta = {BETA:g}, rare mutations): "
        "long-run share of time",
        ("eps", "self-cooperating agents", "DefectBot", "most frequent"),
        tuple(rows),
    )
    return claim, table
