"""Line portraits of two-strategy games: velocity, arrows, rest points by stability."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402

from dynamics.errors import ParameterError  # noqa: E402
from dynamics.integrate import integrate  # noqa: E402
from dynamics.plots.line import plot_line_flow  # noqa: E402
from dynamics.plots.simplex import plot_simplex_flow  # noqa: E402
from theory.games import Game  # noqa: E402

V, C = sympy.symbols("V C", positive=True)
HAWK_DOVE = Game.symmetric([[(V - C) / 2, V], [0, V / 2]])
BLACK, WHITE = [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def markers(ax):
    return sorted(
        (round(float(c.get_offsets()[0][0]), 9), c.get_facecolors()[0][:3].tolist())
        for c in ax.collections
        if isinstance(c, PathCollection) and len(c.get_offsets()) == 1
    )


def test_hawk_dove_mixed_rest_point_is_the_only_sink():
    """V < C: the mixed ESS plays Hawk with probability V/C, so Dove's share is 1 - V/C."""
    ax = plot_line_flow(HAWK_DOVE.at(V=2, C=3), labels=["Hawk", "Dove"])
    assert markers(ax) == [(0.0, WHITE), (round(1 / 3, 9), BLACK), (1.0, WHITE)]


def test_coordination_game_has_two_sinks_and_a_source():
    ax = plot_line_flow([[1, 0], [0, 2]])
    assert markers(ax) == [(0.0, BLACK), (round(1 / 3, 9), WHITE), (1.0, BLACK)]


def test_arrows_point_the_way_the_share_moves():
    ax = plot_line_flow([[1, 0], [0, 2]], arrows=4)  # arrows at 1/8, 3/8, 5/8, 7/8
    heads = [(a.xy[0] - a.xyann[0]) for a in ax.texts]
    assert [np.sign(h) for h in heads] == [-1, 1, 1, 1]  # below 1/3 towards 0, above towards 1


def test_velocity_curve_is_the_flow():
    from dynamics.flows import replicator

    ax = plot_line_flow([[1, 0], [0, 2]], resolution=11, rest_points=False)
    p, v = ax.lines[1].get_data()
    X = np.column_stack([1 - p, p])
    assert np.allclose(v, replicator([[1, 0], [0, 2]], X)[:, 1], rtol=0, atol=1e-15)


def test_trajectories_and_other_dynamics():
    g = HAWK_DOVE.at(V=2, C=3)
    tr = integrate(g, [[0.9, 0.1], [0.1, 0.9]], 10.0)
    ax = plot_line_flow(g, trajectories=tr.x, dynamic="logit", eta=2.0, legend=True)
    assert ax.get_title() == "logit" and markers(ax) == []  # rest points: replicator only


def test_wrong_sizes_say_which_portrait_to_use():
    with pytest.raises(ParameterError, match="plot_simplex_flow"):
        plot_line_flow(np.eye(3))
    with pytest.raises(ParameterError, match=r"states form a line.*plot_line_flow"):
        plot_simplex_flow([[1, 0], [0, 2]])
    with pytest.raises(ParameterError, match="labels must have 2"):
        plot_line_flow([[1, 0], [0, 2]], labels=["a"])


def test_renders(tmp_path):
    fig, ax = plt.subplots()
    plot_line_flow(HAWK_DOVE.at(V="1/2", C=1), ax=ax, labels=["H", "D"], legend=True)
    fig.savefig(tmp_path / "line.png")
    assert (tmp_path / "line.png").stat().st_size > 1000
