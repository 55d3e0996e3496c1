"""Shared statistical helpers for the finite-population tests."""

from __future__ import annotations

import numpy as np
from scipy import stats


def pearson_pvalue(observed: np.ndarray, expected: np.ndarray) -> float:
    """Pearson's chi-square p-value, cells with expected count < 5 pooled into one."""
    small = expected < 5
    obs, exp = observed[~small], expected[~small]
    if small.any() and expected[small].sum() > 0:
        obs, exp = np.append(obs, observed[small].sum()), np.append(exp, expected[small].sum())
    return float(stats.chisquare(obs, exp * obs.sum() / exp.sum()).pvalue)
