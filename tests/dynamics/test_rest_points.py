"""Newton's rest points of the replicator flow against the exact list."""

import numpy as np
import pytest

from dynamics.errors import ParameterError
from dynamics.rest_points import ROOT_MATCH, newton_rest_points
from theory.stability import replicator_rest_points


def test_rock_paper_scissors_has_its_vertices_and_centre():
    A = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    pts = newton_rest_points(A, rng=0)
    exact = [np.array([float(v) for v in p.x]) for p in replicator_rest_points(A)]
    assert len(pts) == len(exact) == 4  # three vertices and the centre (edges have none)
    for x in exact:
        assert min(np.abs(pts - x).max(axis=1)) < ROOT_MATCH


def test_seeded_and_checked():
    A = [[3, 0], [5, 1]]
    np.testing.assert_array_equal(newton_rest_points(A, rng=1), newton_rest_points(A, rng=1))
    with pytest.raises(ParameterError, match="starts"):
        newton_rest_points(A, starts=0)
