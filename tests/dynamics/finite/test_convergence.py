import numpy as np

from dynamics.finite.convergence import flow_convergence


def test_flow_convergence_reports_a_one_over_sqrt_n_spread():
    # prisoner's dilemma: defection takes over along the flow; four sizes, 60 runs each
    fc = flow_convergence(
        [[3, 0], [5, 1]], [0.8, 0.2], [50, 200, 800], rounds=40, h=0.5, runs=60, every=4, rng=1
    )
    assert fc.agrees
    assert np.all(np.diff(fc.spread) < 0)
    # slope -1/2 within 3 fitted standard errors and 0.1 for the finite-N curvature
    assert abs(fc.slope + 0.5) <= 3 * fc.slope_se + 0.1
    assert fc.flow.shape == fc.means.shape[1:]
