"""Rest points of the replicator flow found numerically: Newton from random points of every face.

An independent check of the exact list (:func:`theory.stability.replicator_rest_points`): no
algebra, only the float field :func:`dynamics.flows.replicator` and a root finder.

Examples
--------
>>> import numpy as np
>>> pts = newton_rest_points([[0, 1], [1, 0]], rng=0)
>>> pts.round(6).tolist()
[[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]
"""

from __future__ import annotations

import numpy as np
import scipy.optimize

from dynamics._checks import MatrixLike, generator, integer_at_least
from dynamics.flows import game_matrix, replicator

__all__ = ["ROOT_MATCH", "newton_rest_points"]

#: A numerically found zero counts as a rest point, and two zeros as one, within this distance
#: (Newton on float64 with payoffs O(1) leaves residuals ~1e-14: 1e-9 leaves ample room and
#: still separates distinct rest points).
ROOT_MATCH = 1e-9
_RESIDUAL = 1e-12  # max |field| at an accepted zero


def newton_rest_points(
    A: MatrixLike, *, starts: int = 12, rng: int | np.random.Generator | None = None
) -> np.ndarray:
    """Distinct zeros of the replicator field, from `starts` random points of each face.

    On each face (support ``S``) a root finder solves the field restricted to ``S`` (and
    ``sum x = 1``) from uniform random points of the face; a zero is kept when it lies in the
    relative interior of its face (shares above :data:`ROOT_MATCH`), the full field there is below
    1e-12, and it is farther than :data:`ROOT_MATCH` from every zero kept before.

    Returns
    -------
    ndarray (k, n)
        The rest points found, faces in the order of their bit masks.
    """
    rng = generator(rng)
    M = game_matrix(A)
    starts = integer_at_least(starts, "starts", 1)
    n = M.shape[0]
    found: list[np.ndarray] = []
    for mask in range(1, 2**n):
        S = [i for i in range(n) if mask >> i & 1]
        for _ in range(starts):
            y0 = rng.dirichlet(np.ones(len(S)))

            def field(y: np.ndarray, S: list[int] = S) -> np.ndarray:
                x = np.zeros(n)
                x[S] = y
                v = replicator(M, x / x.sum() if np.all(x >= 0) else np.abs(x) / np.abs(x).sum())
                return np.concatenate([v[0, S][:-1], [y.sum() - 1]])

            sol = scipy.optimize.root(field, y0, tol=1e-14)
            x = np.zeros(n)
            x[S] = sol.x
            if sol.success and np.all(sol.x > ROOT_MATCH) and np.abs(x.sum() - 1) < _RESIDUAL:
                if np.max(np.abs(replicator(M, x))) < _RESIDUAL and not any(
                    np.max(np.abs(x - y)) < ROOT_MATCH for y in found
                ):
                    found.append(x)
    return np.array(found).reshape(len(found), n)
