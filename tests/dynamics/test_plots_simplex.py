"""Simplex plots: each returns its Axes and draws what it says."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402

from dynamics.errors import ParameterError, SimplexError  # noqa: E402
from dynamics.integrate import integrate  # noqa: E402
from dynamics.plots.simplex import (  # noqa: E402
    plot_basin_fractions,
    plot_basin_map,
    plot_faces,
    plot_shares,
    plot_simplex_flow,
    plot_tetrahedron,
    ternary,
)
from modal import SEED_AGENTS  # noqa: E402
from theory.modal_game import modal_game  # noqa: E402

RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]


def markers(ax):
    """(position, face RGB) of every rest-point marker (the single-point scatters)."""
    return [
        (c.get_offsets()[0].tolist(), c.get_facecolors()[0][:3].tolist())
        for c in ax.collections
        if isinstance(c, PathCollection) and len(c.get_offsets()) == 1
    ]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_ternary_maps_vertices_and_centre():
    xy = ternary([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1 / 3, 1 / 3, 1 / 3]])
    assert np.allclose(xy[:3], [[0, 0], [1, 0], [0.5, np.sqrt(3) / 2]])
    assert np.allclose(xy[3], [0.5, np.sqrt(3) / 6])


def test_portrait_marks_rest_points_by_stability():
    _, ax = plt.subplots()
    out = plot_simplex_flow(RPS, ax=ax, labels="RPS", trajectories=np.full((1, 2, 3), 1 / 3))
    assert out is ax
    marks = markers(ax)
    assert len(marks) == 4  # 3 vertices and the centre
    assert sum(line.get_color() == "crimson" for line in ax.lines) == 2  # orbit and its start
    centre = ternary([1 / 3, 1 / 3, 1 / 3])[0].tolist()
    blue = list(matplotlib.colors.to_rgb("#9ecae1"))
    assert any(np.allclose(p, centre) and np.allclose(c, blue) for p, c in marks)  # a centre
    assert sum(c == [0.6, 0.6, 0.6] for _, c in marks) == 3  # vertices: saddles
    texts = {t.get_text() for t in ax.texts}
    assert {"R", "P", "S"} <= texts


def test_portrait_of_a_face_of_the_modal_game():
    A = modal_game(SEED_AGENTS, "1/10")
    ax = plot_simplex_flow(A, face=(0, 2, 3), labels=["D", "C", "F", "P"])
    # DefectBot is a sink (black, at the lower-left corner); F and P are saddles (grey)
    marks = markers(ax)
    assert ([0.0, 0.0], [0.0, 0.0, 0.0]) in marks
    assert sum(c == [0.6, 0.6, 0.6] for _, c in marks) == 4  # F, P, the D/F and D/P mixes


@pytest.mark.parametrize("dynamic", ["best_response", "smith"])
def test_portrait_of_other_dynamics(dynamic):
    ax = plot_simplex_flow(RPS, dynamic=dynamic, resolution=30)
    assert ax.get_title() == dynamic


def test_faces_tetrahedron_shares_basins():
    A = modal_game(SEED_AGENTS, "1/10")
    axes = plot_faces(A, labels=["D", "C", "F", "P"], resolution=25, rest_points=False)
    assert axes.shape == (2, 2) and axes[0, 0].get_title() == "face CFP"
    tr = integrate(A.astype(float), [[0.25] * 4, [0.1, 0.3, 0.3, 0.3]], 200.0, n_out=101)
    ax3 = plot_tetrahedron(tr.x, labels="DCFP")
    assert ax3.name == "3d" and len(ax3.lines) == 6 + 2
    ax = plot_shares(tr.t, tr.x[0], labels="DCFP", log=True)
    assert ax.get_yscale() == "log" and len(ax.lines) == 4
    ax = plot_basin_map([[0.5, 0.25, 0.25], [0.2, 0.2, 0.6]], ["x", "x"])
    assert len(ax.get_legend().get_texts()) == 1
    ax = plot_basin_fractions([0.1, 0.2], [(0.1, 0.05, 0.2), (0.3, 0.2, 0.4)])
    assert ax.get_xscale() == "log"


@pytest.mark.parametrize(
    "call, exc",
    [
        (lambda: plot_simplex_flow(RPS, face=(0, 1)), ParameterError),
        (lambda: plot_simplex_flow(RPS, labels="AB"), ParameterError),
        (lambda: plot_faces(RPS), ParameterError),
        (lambda: plot_tetrahedron(np.zeros((2, 3))), ParameterError),
        (lambda: plot_basin_map([[0.5, 0.5, 0.0]], ["a", "b"]), ParameterError),
        (lambda: plot_basin_map([[0.5, 0.6, 0.0]], ["a"]), SimplexError),
        (lambda: plot_shares([0, 1, 2], [[1.0, 0.0]]), ParameterError),
        (lambda: plot_basin_fractions([0.1], [(0.1, 0.2)]), ParameterError),
    ],
)
def test_errors(call, exc):
    with pytest.raises(exc):
        call()
