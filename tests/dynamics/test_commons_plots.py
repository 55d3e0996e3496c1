"""The commons plots draw what they say and return their Axes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from dynamics.commons import greedy_rounds  # noqa: E402
from dynamics.plots.commons import (  # noqa: E402
    plot_commons_phase_diagram,
    plot_long_run_stock,
    plot_regrowth_bistability,
    plot_round_trajectories,
)
from theory.commons import HarvestCommons, HarvesterType  # noqa: E402


def test_phase_diagram_draws_the_stable_branch_and_overlay_on_a_given_axes() -> None:
    _, ax = plt.subplots()
    out = plot_commons_phase_diagram(
        HarvestCommons(1, 100, 1, 10), simulated=([0.45], [55], [1]), ax=ax
    )
    assert out is ax
    stock = out.get_lines()[0]
    x, y = stock.get_data()
    np.testing.assert_allclose(np.asarray(y), np.maximum(1 - np.asarray(x), 0))
    labels = [t.get_text() for t in out.texts]
    assert {"optimum", "MSY", "collapse", "open access"} <= set(labels)
    plt.close("all")


def test_round_plots_and_bistability_return_axes() -> None:
    res = greedy_rounds(
        HarvestCommons(1.0, 100.0, 1.0),
        [HarvesterType(1, 1)] * 2,
        round_length=1.0,
        rounds=3,
        x0=100.0,
    )
    ax = plot_round_trajectories([res], msy_stock=50.0, short_stock=33.3)
    assert isinstance(ax, Axes) and len(ax.get_lines()) == 3
    ax = plot_long_run_stock(
        [1, 10], [20, 50], msy_stock=50, short_stock=20, long_stock=50, stochastic=([1], [21], [2])
    )
    assert ax.get_xscale() == "log"
    ax = plot_regrowth_bistability([0.0, 0.01, 0.05], simulated={"grid": ([0.01], [0.7])})
    full = np.asarray(ax.get_lines()[0].get_ydata(), dtype=float)
    assert full[0] == 1.0 and full[-1] < 1e-6  # no harvest keeps the orchard full; h=0.05 kills
    plt.close("all")


def test_harvest_frame_marks_apples_dead_cells_and_agents() -> None:
    from dynamics.commons import Harvest, harvest_reset
    from dynamics.plots.commons import plot_harvest

    h = Harvest(height=8, width=9, agents=3, view=2)
    g = np.zeros((8, 9), dtype=bool)
    g[0, 0] = True
    s = harvest_reset(h, 2, rng=0, apples=g)
    ax = plot_harvest(h, s, copy=1)
    img = ax.get_images()[0].get_array()
    assert img.shape == (8, 9, 3)
    np.testing.assert_allclose(img[0, 0], (0.15, 0.6, 0.2))  # the apple
    np.testing.assert_allclose(img[4, 4], (0.35, 0.3, 0.25))  # far from it: dead
    np.testing.assert_allclose(img[0, 1], (0.96, 0.93, 0.85))  # next to it: empty, alive
    assert len(ax.get_lines()) == 3 and len(ax.patches) == 1
    plt.close("all")
