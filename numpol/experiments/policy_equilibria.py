"""Every follower equilibrium on a labour grid, as the AE rows' second reading (AE-04..06).

Judgements only: :func:`unique_on_grid` says whether the follower equilibrium a row uses is the
unique pure equilibrium that :func:`theory.policy.brute_force.grid_follower_equilibria` finds on
the labour grid (with the exact equilibrium's levels added); :func:`grid_uniqueness` and
:func:`grid_counts` put several schedules into one rule and one sentence.
"""

from __future__ import annotations

import numpy as np

from numpol.agreement import Agreement
from theory.policy.brute_force import GridEquilibria

__all__ = ["unique_on_grid", "grid_uniqueness", "grid_counts"]


def unique_on_grid(equilibria: GridEquilibria, labour: np.ndarray) -> Agreement:
    """Is the follower equilibrium used (`labour`, added to the grids) the unique one there?

    Agrees iff the profile `labour` is one of the grid's pure equilibria (the same floats: the
    levels were added to the grids, so this is identity of grid points, not a tolerance) and no
    equilibrium has an agent at its grid's top (the grid might be too short). It fails if some
    agent gains by moving to a grid level, the rebate following. Several equilibria are
    reported in the rule with the theory's position among them, not counted as disagreement.

    Examples
    --------
    >>> import numpy as np
    >>> from theory.policy.brute_force import GridEquilibria
    >>> one = GridEquilibria(((3,),), np.array([[1.5]]), np.array([[15.0]]), np.zeros((1, 5)),
    ...                      2.0, False, 3)
    >>> bool(unique_on_grid(one, np.array([1.5]))), bool(unique_on_grid(one, np.array([1.4])))
    (True, False)
    """
    at = [k for k, row in enumerate(equilibria.labour) if np.array_equal(row, labour)]
    m = len(equilibria)
    where = (
        ("the only one" if m == 1 else f"#{at[0] + 1} of {m}")
        if at
        else f"not one of the {m} (an agent gains by moving to a grid level)"
    )
    top = "; an agent at the grid's top" if equilibria.at_top else ""
    return Agreement(bool(at) and not equilibria.at_top, f"the exact equilibrium is {where}{top}")


def grid_uniqueness(checks: dict[str, tuple[GridEquilibria, np.ndarray]]) -> Agreement:
    """:func:`unique_on_grid` for several schedules in one rule.

    Parameters
    ----------
    checks : dict
        A label (``"preset schedule"``) -> (the grid's equilibria, the exact equilibrium's
        labour).

    Examples
    --------
    >>> import numpy as np
    >>> from theory.policy.brute_force import GridEquilibria
    >>> one = GridEquilibria(((3,),), np.array([[1.5]]), np.array([[15.0]]), np.zeros((1, 5)),
    ...                      2.0, False, 3)
    >>> grid_uniqueness({"a": (one, np.array([1.5])), "b": (one, np.array([1.4]))}).agrees
    False
    """
    judged = {k: unique_on_grid(e, labour) for k, (e, labour) in checks.items()}
    bad = [f"{k}: {a.rule}" for k, a in judged.items() if not a]
    many = [f"{k}: {a.rule}" for k, a in judged.items() if a and "the only one" not in a.rule]
    return Agreement(
        not bad,
        f"the exact follower equilibrium of each of {len(judged)} schedules is a pure "
        "equilibrium on its labour grid (the only one unless listed)"
        + ("; several: " + "; ".join(many) if many else "")
        + ("; fails: " + "; ".join(bad) if bad else ""),
    )


def grid_counts(equilibria: dict[str, dict[str, GridEquilibria]]) -> str:
    """How many pure follower equilibria each grid holds, per preset and schedule.

    Examples
    --------
    >>> import numpy as np
    >>> from theory.policy.brute_force import GridEquilibria
    >>> one = GridEquilibria(((3,),), np.array([[1.5]]), np.array([[15.0]]), np.zeros((1, 6)),
    ...                      2.0, False, 3)
    >>> grid_counts({"p": {"Saez": one}}).split(": ", 1)[1]
    'p: Saez 1'
    """
    first = next(iter(next(iter(equilibria.values())).values()))
    pts = first.grid.shape[1] - 1
    counts = "; ".join(
        f"{k}: " + ", ".join(f"{n} {len(e)}" for n, e in d.items()) for k, d in equilibria.items()
    )
    return (
        f"pure follower equilibria found by exhaustive search on a {pts}-level labour grid per "
        f"agent plus the exact equilibrium's level: {counts}"
    )
