"""Plots of evolution among many modal agents (dynamics.plots.modal_evolution)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from dynamics.plots.modal_evolution import plot_sorted_shares, plot_survivors  # noqa: E402


def test_survivors_drops_strategies_that_never_survive_and_orders_by_persistence():
    S = np.array([[0.0, 1.0, 0.2, 0.0], [0.0, 0.1, 0.9, 0.0], [0.0, 0.0, 1.0, 0.0]])
    ax = plot_survivors(["1/3", "1/10", "1/20"], S, ["a", "b", "c", "d"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["c", "b"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1/3", "1/10", "1/20"]
    img = ax.images[0].get_array()
    assert np.allclose(img, S[:, [2, 1]].T)
    assert "2 strategies never did" in ax.images[0].colorbar.ax.get_ylabel()


def test_sorted_shares_floor_and_order():
    ax = plot_sorted_shares(["x", "y"], [[0.5, 0.0, 0.5], [1e-40, 0.3, 0.7]], floor=1e-20)
    assert ax.lines[0].get_ydata().tolist() == [0.5, 0.5, 1e-20]
    assert ax.lines[1].get_ydata().tolist() == [0.7, 0.3, 1e-20]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["ε = x", "ε = y"]
