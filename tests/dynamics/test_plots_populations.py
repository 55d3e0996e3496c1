"""Unit-square portraits of 2 x 2 bimatrix games (dynamics.plots.populations)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402

from dynamics.errors import ParameterError  # noqa: E402
from dynamics.plots.populations import plot_unit_square  # noqa: E402

PENNIES = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
SEXES = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])


def markers(ax):
    out = {}
    for c in ax.collections:
        if isinstance(c, PathCollection):
            (x, y) = c.get_offsets()[0]
            out[(round(float(x), 6), round(float(y), 6))] = tuple(c.get_facecolor()[0][:3])
    return out


def test_battle_of_the_sexes_marks_sinks_sources_and_the_saddle():
    ax = plot_unit_square(SEXES, orbits=[[0.6, 0.3]])
    m = markers(ax)
    black, white, grey = (0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (0.6, 0.6, 0.6)
    assert m[(1.0, 1.0)] == black and m[(0.0, 0.0)] == black
    assert m[(1.0, 0.0)] == white and m[(0.0, 1.0)] == white
    assert m[(round(2 / 3, 6), round(1 / 3, 6))] == pytest.approx(grey)
    orbit = ax.lines[0]
    assert len(orbit.get_xdata()) > 2
    plt.close(ax.figure)


def test_matching_pennies_centre_and_closed_orbit():
    ax = plot_unit_square(PENNIES, orbits=[[0.8, 0.5]], t_end=12.0)
    m = markers(ax)
    assert m[(0.5, 0.5)] != (0.0, 0.0, 0.0)  # a centre, not a sink
    x, y = ax.lines[0].get_xdata(), ax.lines[0].get_ydata()
    assert np.ptp(x) > 0.5 and np.ptp(y) > 0.5  # it goes round
    plt.close(ax.figure)


def test_other_dynamics_and_bad_shapes():
    ax = plot_unit_square(SEXES, dynamic="logit", eta=2.0)
    assert ax.get_title() == "logit" and not markers(ax)
    plt.close(ax.figure)
    with pytest.raises(ParameterError):
        plot_unit_square(([[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]))


def test_product_orbits_project_each_population_onto_its_simplex():
    from dynamics.plots.populations import plot_product_orbits
    from dynamics.plots.simplex import ternary
    from dynamics.two_populations import integrate_two_populations

    A = [[3, 0], [0, 2], [1, 1]]
    B = [[1, 0], [0, 2], [2, 1]]
    x0, y0 = [[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]], [[0.3, 0.7], [0.9, 0.1]]
    ax_x, ax_y = plot_product_orbits((A, B), x0, y0, 15.0, n_out=50)
    tr = integrate_two_populations((A, B), x0, y0, 15.0, n_out=50)
    # the row panel is a triangle: orbit k is the ternary image of x_k(t)
    drawn = [line.get_xydata() for line in ax_x.get_lines() if len(line.get_xydata()) == 50]
    assert len(drawn) == 2
    for k in range(2):
        assert np.allclose(drawn[k], ternary(tr.x[k]))
    # the column panel has 2 strategies: shares against time, one line per start and strategy
    series = [line for line in ax_y.get_lines() if len(line.get_xydata()) == 50]
    assert len(series) == 4 and ax_y.get_xlabel() == "t"
    assert np.allclose(series[0].get_ydata(), tr.y[0, :, 0])
    # the strict equilibria (R0, C0) and (R1, C1) are marked black at R0 and R1
    black = sorted(
        tuple(np.round(c.get_offsets()[0], 6))
        for c in ax_x.collections
        if isinstance(c, PathCollection) and np.allclose(c.get_facecolor()[0][:3], 0)
    )
    assert black == sorted(tuple(np.round(v, 6)) for v in ternary(np.eye(3)[:2]))
    with pytest.raises(ParameterError, match="names"):
        plot_product_orbits((A, B), x0, y0, 1.0, names=(["a"], ["b", "c"]))
    plt.close("all")
