"""Bifurcation diagrams and regime maps draw what the stability regions say (lines, not pixels)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy

from dynamics.errors import DynamicsError
from dynamics.plots.bifurcation import (
    STABLE_KINDS,
    bifurcation_diagram,
    regime_map,
    rest_point_regions,
)

a, b = sympy.symbols("a b", positive=True)
RPS = [[0, -1, a], [a, 0, -1], [-1, a, 0]]
RPS2 = [[0, -b, a], [a, 0, -b], [-b, a, 0]]


@pytest.fixture(scope="module")
def rps_regions():
    return rest_point_regions(RPS, params=a)


def _by_gid(ax):
    out = {}
    for line in ax.get_lines():
        out.setdefault(line.get_gid(), []).append(line)
    return out


def test_rps_diagram_draws_the_regions(rps_regions):
    ax = bifurcation_diagram(RPS, param=a, span=(0, 2), regions=rps_regions, names="RPS")
    lines = _by_gid(ax)
    # the interior point: unstable spiral (dashed) on (0, 1), a centre at 1, stable (solid) after
    assert set(lines) == {
        "R|saddle",
        "P|saddle",
        "S|saddle",
        "R/P/S|unstable spiral",
        "R/P/S|centre",
        "R/P/S|stable spiral",
    }
    (up,) = lines["R/P/S|unstable spiral"]
    (down,) = lines["R/P/S|stable spiral"]
    (centre,) = lines["R/P/S|centre"]
    assert up.get_linestyle() == "--" and down.get_linestyle() == "-"
    assert np.allclose(up.get_ydata(), 1 / 3) and np.allclose(down.get_ydata(), 1 / 3)
    assert up.get_xdata()[0] == 0 and up.get_xdata()[-1] == 1
    assert down.get_xdata()[0] == 1 and down.get_xdata()[-1] == 2
    assert centre.get_linestyle() == "None" and list(centre.get_xdata()) == [1.0]
    # vertices: saddles all along, at weight 1 (R) or 0 (P, S)
    assert [ln.get_linestyle() for v in "RPS" for ln in lines[f"{v}|saddle"]] == ["--"] * 3
    assert lines["R|saddle"][0].get_ydata()[0] == 1
    labels = [t.get_label() for t in ax.get_legend().get_lines()]
    assert labels == ["saddle", "stable spiral", "unstable spiral", "centre"]
    plt.close(ax.figure)


def test_styles_follow_stability(rps_regions):
    ax = bifurcation_diagram(RPS, param=a, span=(0.5, 3), regions=rps_regions)
    for line in ax.get_lines():
        kind = line.get_gid().split("|")[1]
        if line.get_linestyle() != "None":
            assert (line.get_linestyle() == "-") == (kind in STABLE_KINDS)
    plt.close(ax.figure)


def test_diagram_bad_input(rps_regions):
    with pytest.raises(DynamicsError, match="span"):
        bifurcation_diagram(RPS, param=a, span=(2, 1), regions=rps_regions)
    with pytest.raises(DynamicsError, match="coordinate"):
        bifurcation_diagram(RPS, param=a, coordinate=3, regions=rps_regions)
    with pytest.raises(DynamicsError, match="one parameter b"):
        bifurcation_diagram(RPS, param=b, regions=rps_regions)
    plt.close("all")


def _regime_at(ax, x, y):
    """The legend label of the regime drawn at parameter values (x, y)."""
    img = ax.images[0]
    arr = img.get_array()
    x0, x1, y0, y1 = img.get_extent()
    r = int((y - y0) / (y1 - y0) * arr.shape[0])
    c = int((x - x0) / (x1 - x0) * arr.shape[1])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    return labels[int(arr[r, c])]


def test_regime_map_of_rps_in_win_and_loss():
    ax = regime_map(RPS2, params=(a, b), xlim=(0, 2), ylim=(0, 2), names="RPS", resolution=40)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(labels) == ["stable: R/P/S", "stable: none; also: R/P/S"]
    assert _regime_at(ax, 1.5, 0.5) == "stable: R/P/S"  # win > loss
    assert _regime_at(ax, 0.5, 1.5) == "stable: none; also: R/P/S"
    # the boundary a = b is drawn (one contour)
    assert len(ax.collections) >= 1
    plt.close(ax.figure)


def test_regime_map_of_hawk_dove():
    V, C = sympy.symbols("V C", positive=True)
    A = [[(V - C) / 2, V], [0, V / 2]]
    ax = regime_map(A, params=(V, C), xlim=(0, 3), ylim=(0, 3), names="HD", resolution=30)
    assert _regime_at(ax, 1, 2.5) == "stable: H/D"  # V < C: the mixed ESS, stable
    assert _regime_at(ax, 2.5, 1).startswith("stable: H")  # V > C: hawks
    plt.close(ax.figure)
