"""Imitation dynamics: nashpy's rule, checked against a literal generation-by-generation loop."""

import numpy as np
import pytest

from dynamics.errors import ParameterError
from dynamics.learning import imitation_dynamics


def _literal(A, B, px, py, generations):
    """nashpy's loop, verbatim in numpy, on given initial populations."""
    for _ in range(generations):
        ua = np.einsum("ki,ij,kj->k", px, A, py)
        ub = np.einsum("ki,ij,kj->k", px, B, py)
        px = np.tile(px[np.argmax(ua)], (len(px), 1))
        py = np.tile(py[np.argmax(ub)], (len(py), 1))
    return px.mean(axis=0), py.mean(axis=0)


def test_one_generation_equals_many() -> None:
    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    B = A.T
    im = imitation_dynamics((A, B), population_size=30, generations=50, runs=4, rng=9)
    rng = np.random.default_rng(9)  # the same draws, in the same order
    px = rng.dirichlet(np.ones(2), size=(4, 30))
    py = rng.dirichlet(np.ones(2), size=(4, 30))
    for r in range(4):
        x, y = _literal(A, B, px[r], py[r], 50)
        np.testing.assert_allclose(im.x[r], x, atol=1e-15)
        np.testing.assert_allclose(im.y[r], y, atol=1e-15)
    assert im.generations_run == 1


def test_prisoners_dilemma_thresholds_to_defection() -> None:
    # D dominates, so the fittest of 200 random pairs leans to D: thresholded, D in every run
    im = imitation_dynamics([[3, 0], [5, 1]], population_size=200, runs=20, rng=2)
    assert np.all(im.x_pure == [0.0, 1.0])


def test_bad_input() -> None:
    with pytest.raises(ParameterError, match="population_size"):
        imitation_dynamics([[1, 0], [0, 1]], population_size=0)
    with pytest.raises(ParameterError, match="threshold"):
        imitation_dynamics([[1, 0], [0, 1]], threshold="half")  # type: ignore[arg-type]
