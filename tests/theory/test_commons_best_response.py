"""Numerical best responses in the typed commons agree with the exact equilibria."""

import numpy as np
import pytest

from theory.commons import (
    CommonsError,
    HarvestCommons,
    HarvesterType,
    best_response_dynamics,
    cournot_effort,
    numerical_best_response,
    steady_state_nash,
)

M = HarvestCommons(1, 100, 1, 10)


def test_dynamics_of_selfish_trusting_agents_reach_the_cournot_point():
    run = best_response_dynamics(M, [HarvesterType(1, 1)] * 3, starts=3, rng=1)
    want = float(cournot_effort(M, 3)) / 3
    assert len(run) == 3
    for end in run.ends:
        assert np.allclose(end, want, atol=1e-6)


def test_every_exact_equilibrium_is_a_numerical_best_response():
    types = [HarvesterType("0.2", "0.1"), HarvesterType("0.3", "0.2"), HarvesterType(1, 1)]
    for eq in steady_state_nash(M, types, 1, continuum="equal"):
        e = np.array(eq.efforts, dtype=float)
        for i in range(3):
            assert numerical_best_response(M, types, e, i, 1) == pytest.approx(e[i], abs=1e-6)


def test_a_profile_that_is_not_an_equilibrium_is_caught():
    e = np.array([0.1, 0.1])
    assert abs(numerical_best_response(M, [HarvesterType(1, 1)] * 2, e, 0) - 0.1) > 0.1


def test_bad_input():
    with pytest.raises(CommonsError, match="profile"):
        numerical_best_response(M, [HarvesterType(1, 1)], [0.1, 0.2], 0)
    with pytest.raises(CommonsError, match="starts"):
        best_response_dynamics(M, [HarvesterType(1, 1)], starts=0)
