import matplotlib.pyplot as plt
import numpy as np

from dynamics.plots.society import (
    plot_attractor_frequencies,
    plot_growth,
    plot_omega_history,
    plot_policy_shares,
)


def test_plots_draw_on_the_given_axes():
    fig, axes = plt.subplots(2, 2)
    a = plot_attractor_frequencies(
        ["x", "y"], [0.2, 0.7], [0.1, 0.6], [0.3, 0.8], theory=[False, True], ax=axes[0, 0]
    )
    assert a is axes[0, 0] and len(a.patches) == 2
    b = plot_omega_history(np.arange(500), np.full(500, 6.0), 2, smooth=50, ax=axes[0, 1])
    np.testing.assert_allclose(b.lines[0].get_ydata(), 3.0)
    c = plot_growth([2, 4], {"ring": [2.0, 1.5]}, {"ring": [0.1, 0.1]}, ax=axes[1, 0])
    assert c.get_xscale() == "log"
    d = plot_policy_shares([2, 4], {"a": [0.5, 0.2], "b": [0.5, 0.8]}, ax=axes[1, 1])
    assert len(d.patches) == 4
    plt.close(fig)


def test_plots_make_their_own_axes():
    ax = plot_omega_history([0, 1], [1, 1], 1)
    assert ax.get_ylabel() == r"$\Omega / N$"
    plt.close(ax.figure)
