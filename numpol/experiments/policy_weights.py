"""X-POL-01: the AI Economist's eq·prod objective gives the richest agent's coins weight 0.

eq·prod = (1 − gini·N/(N − 1))·Σc = 2/(N − 1) Σ_i (N − i) c_(i) with c_(1) <= ... <= c_(N):
proved with sympy for N = 2..7 (theory), and checked against the objective's own definition
(the Gini of the coins, :func:`theory.policy.welfare.welfare_rows`) on random economies.
"""

from __future__ import annotations

import numpy as np

from numpol.agreement import within_relative
from numpol.registry import Claim, Experiment, Result
from theory.policy.welfare import welfare_rows

__all__ = ["EXPERIMENTS", "compute_weights", "judge_weights"]


def compute_weights(rng: np.random.Generator) -> tuple[bool, float]:
    """X-POL-01: eq·prod = 2/(N − 1) Σ_i (N − i) c_(i) (ascending): sympy for N = 2..7, and
    the batched objective on 1000 random 5-agent economies (max relative gap)."""
    import sympy

    proved = []
    for n in range(2, 8):
        c = sympy.symbols(f"c1:{n + 1}", positive=True)  # c1 <= ... <= cn
        total = sum(c)
        g = sum((2 * i - n - 1) * c[i - 1] for i in range(1, n + 1)) / (n * total)
        lhs = (1 - g * sympy.Rational(n, n - 1)) * total
        rhs = sympy.Rational(2, n - 1) * sum((n - i) * c[i - 1] for i in range(1, n + 1))
        proved.append(sympy.simplify(lhs - rhs) == 0)
    X = rng.uniform(0, 100, (1000, 5))
    rhs_num = 2 / 4 * (np.sort(X, axis=1) @ (5 - np.arange(1, 6)))
    gap = float(np.max(np.abs(welfare_rows(X, "eq_times_prod") - rhs_num) / rhs_num))
    return all(proved), gap


def judge_weights(proved: bool, gap: float) -> Claim:
    """The identity proved, and the definition within ``FLOAT_RTOL`` of it on random economies."""
    a7 = within_relative(gap, 0.0, scale=1.0, what="relative gap")
    xpol = Claim(
        "X-POL-01",
        "eq·prod = 2/(N−1) Σ_i (N−i) c_(i): the richest agent's coins carry weight 0",
        f"sympy identity for N = 2..7: {proved}",
        f"the Gini-based objective on 1000 random 5-agent economies: max relative gap {gap:.1e}",
        proved and a7.agrees,
        "yes" if proved else "no",  # the identity, proved exactly for each N = 2..7
        "the AI Economist's objective is indifferent to the top earner's coins as long as the "
        "top earner stays on top: a high top rate costs eq·prod nothing. The second column "
        "evaluates the objective by its definition (Gini of sorted coins), the first the "
        "rank-weighted sum",
        rule=a7.rule,
    )
    return xpol


def _run(rng: np.random.Generator) -> Result:
    proved, gap = compute_weights(rng)
    return Result(
        claims=(judge_weights(proved, gap),),
        text="The AI Economist's objective eq·prod = (1 − gini·N/(N − 1))·Σc, rewritten as a "
        "rank-weighted sum of the sorted coins: the i-th poorest agent's coins weigh "
        "2(N − i)/(N − 1), the richest agent's 0. A tax that only takes from the top earner "
        "(while it stays on top) costs eq·prod nothing, which is why optimised schedules for "
        "this objective need not have a high or a low top rate (AE-06).",
    )


#: This module's experiments, found by :func:`numpol.registry.experiments`.
EXPERIMENTS: tuple[Experiment, ...] = (
    Experiment("policy-weights", "The weights of the AI Economist's eq·prod (X-POL-01)", _run),
)
