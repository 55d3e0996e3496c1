"""The entry-model map."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dynamics.entry import best_response_entry, count_grid  # noqa: E402
from dynamics.errors import ParameterError  # noqa: E402
from dynamics.plots.entry import plot_entry_map  # noqa: E402
from modal import SEED_AGENTS  # noqa: E402
from theory.modal_game import modal_game  # noqa: E402


def test_map_shares_match_the_runs():
    G = count_grid(4, 3)
    d = best_response_entry(modal_game(SEED_AGENTS, "1/10"), G, 100).ever_added(0)
    ax = plot_entry_map(G, d, x=[2, 3], y=[0, 1])
    share = np.asarray(ax.images[0].get_array())
    fp, dc = G[:, 2] + G[:, 3], G[:, 0] + G[:, 1]
    for i, j in [(3, 0), (0, 3), (6, 1)]:
        sel = (dc == i) & (fp == j)
        assert share[i, j] == pytest.approx(d[sel].mean())
    assert np.isnan(share[0, 0])  # no start without agents


def test_map_errors():
    with pytest.raises(ParameterError):
        plot_entry_map([[1, 0]], [True, False], x=[0], y=[1])
