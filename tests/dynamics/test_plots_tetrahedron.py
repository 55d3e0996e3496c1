"""The tetrahedron view: edges behind the front faces are dashed, labels stay outside."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from mpl_toolkits.mplot3d import proj3d

from dynamics.plots.tetrahedron import plot_tetrahedron


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def dashed_edges(ax):
    return sum(line.get_linestyle() != "-" for line in ax.lines[:6])


def test_vertex_straight_behind_has_its_three_edges_dashed():
    # looking along +(1, 1, 1): vertex 0 = (1, 1, 1)/sqrt(3) is straight behind the opposite face
    elev = -np.degrees(np.arcsin(1 / np.sqrt(3)))
    ax = plot_tetrahedron(np.full((1, 2, 4), 0.25), elev=elev, azim=225.0)
    hidden = [i for i, line in enumerate(ax.lines[:6]) if line.get_linestyle() != "-"]
    assert hidden == [0, 1, 2]  # edges 0-1, 0-2, 0-3 come first


@pytest.mark.parametrize("elev, azim", [(20.0, 20.0), (15.0, 60.0), (-30.0, 100.0)])
def test_a_convex_view_hides_at_most_three_edges(elev, azim):
    ax = plot_tetrahedron(np.full((1, 2, 4), 0.25), elev=elev, azim=azim)
    assert dashed_edges(ax) <= 3 and len(ax.lines) == 6 + 1


def test_labels_sit_outside_the_vertices():
    # each label is a 2-D annotation of its projected vertex, offset away from the projected
    # centre of the tetrahedron
    ax = plot_tetrahedron(np.full((1, 2, 4), 0.25), labels="DCFP")
    assert [t.get_text() for t in ax.texts] == list("DCFP")
    cx, cy, _ = proj3d.proj_transform(0.0, 0.0, 0.0, ax.get_proj())
    for t in ax.texts:
        outward = np.subtract(t.xy, (cx, cy))
        assert np.dot(outward, t.xyann) > 0


def test_labels_are_inside_a_tight_bounding_box():
    fig = plt.figure(figsize=(8, 4))
    ax = fig.add_subplot(1, 2, 1, projection="3d")
    plot_tetrahedron(np.full((1, 2, 4), 0.25), ax=ax, labels=["a long name"] * 4)
    renderer = fig.canvas.get_renderer()
    box = fig.get_tightbbox(renderer)
    for t in ax.texts:
        e = t.get_window_extent(renderer).transformed(fig.dpi_scale_trans.inverted())
        assert box.x0 <= e.x0 and e.x1 <= box.x1
    plt.close(fig)


def test_default_view_has_every_vertex_on_the_outline():
    # the outline of the projection is a quadrilateral: no vertex hides inside the triangle of
    # the other three (the old view put DefectBot inside it)
    from matplotlib.path import Path

    ax = plot_tetrahedron(np.full((1, 2, 4), 0.25))
    T = np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]]) / np.sqrt(3)
    M = ax.get_proj()
    flat = np.array([proj3d.proj_transform(*p, M)[:2] for p in T])
    for i in range(4):
        others = flat[[j for j in range(4) if j != i]]
        assert not Path(others).contains_point(flat[i])


def test_orbits_fade_with_depth_and_have_a_legend():
    rng = np.random.default_rng(0)
    orbits = rng.dirichlet(np.ones(4), size=(2, 50))
    ax = plot_tetrahedron(orbits, orbit_labels=["first", "second"])
    alphas = np.concatenate(
        [c.get_edgecolor()[:, 3] for c in ax.collections if c.get_edgecolor().shape[0] > 1]
    )
    assert alphas.min() < alphas.max()  # nearer segments more opaque than farther ones
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["first", "second"]


def test_orbit_labels_must_name_every_orbit():
    from dynamics.errors import ParameterError

    with pytest.raises(ParameterError, match="orbit_labels"):
        plot_tetrahedron(np.full((2, 2, 4), 0.25), orbit_labels=["only one"])
