"""Two-phase training: learned labour vs exact best responses, a tiny planner vs the exact
Stackelberg optimum, seeds, checkpoints, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from dynamics.economy.labour import LabourEconomy
from dynamics.economy.learners import PolicyGradient
from dynamics.economy.training import TwoPhaseCurriculum, train_planner, train_workers
from dynamics.errors import CheckpointError, ParameterError
from theory.policy.economy import PRESETS, follower_equilibria
from theory.policy.principal import grid_search

SKILLS = (1.0, 2.0, 4.0)
TINY = TwoPhaseCurriculum(free_steps=30, joint_steps=120, anneal_steps=40, schedules=8, repeats=4)


def _economy(**kw) -> LabourEconomy:  # type: ignore[no-untyped-def]
    return LabourEconomy(SKILLS, PRESETS["one_step"], [0, 2], levels=21, **kw)


def test_workers_learn_the_exact_best_responses() -> None:
    """Under five fixed schedules, each worker's learned labour is within one level of the exact
    Nash best response: the utility is concave in own labour for rising rates, so the best of the
    levels is one of the two around the exact optimum."""
    e = _economy()
    idx = np.array([[0, 0], [3, 3], [2, 6], [10, 10], [5, 8]])
    out = train_workers(e, idx, steps=400, rng=0, progress=False)
    exact = follower_equilibria([0, 2], e.rate_grid[idx], SKILLS, PRESETS["one_step"]).labour
    spacing = e.labour_levels[:, 1]
    assert np.all(np.abs(out.labour - exact) <= spacing * (1 + 1e-9)), (out.labour, exact)
    assert out.utility.shape == (400, 5, 3)


def test_a_tiny_planner_finds_the_exact_stackelberg_optimum() -> None:
    """One bracket, rates 0, 1/4, ..., 1: every run's learned rate is the exact grid optimum."""
    grid = [0.0, 0.25, 0.5, 0.75, 1.0]
    e = LabourEconomy(SKILLS, PRESETS["one_step"], [0], levels=21, rate_grid=grid)
    exact = grid_search([0], SKILLS, PRESETS["one_step"], rate_grid=grid)
    plan = TwoPhaseCurriculum(free_steps=50, joint_steps=600, anneal_steps=200)
    out = train_planner(e, plan, runs=3, rng=1, progress=False)
    assert out.finished and out.welfare.shape == (650, 3)
    np.testing.assert_array_equal(out.rates, np.repeat(exact.rates[None, :], 3, axis=0))
    np.testing.assert_array_equal(out.rate_cap[:50], 0.0)
    assert out.rate_cap[50] == pytest.approx(0.1) and out.rate_cap[-1] == 1.0


def test_seeded_runs_are_identical_and_seeds_differ() -> None:
    a = train_planner(_economy(), TINY, runs=2, rng=5, progress=False)
    b = train_planner(_economy(), TINY, runs=2, rng=5, progress=False)
    c = train_planner(_economy(), TINY, runs=2, rng=6, progress=False)
    np.testing.assert_array_equal(a.welfare, b.welfare)
    np.testing.assert_array_equal(a.workers.weights, b.workers.weights)
    assert not np.array_equal(a.welfare, c.welfare)


def test_a_resumed_run_equals_an_uninterrupted_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    whole = train_planner(_economy(), TINY, runs=2, rng=3, progress=False)
    path = tmp_path / "run.npz"
    part = train_planner(
        _economy(), TINY, runs=2, rng=3, checkpoint=path, max_iterations=70, progress=False
    )
    assert part.iterations == 70 and not part.finished and path.exists()
    rest = train_planner(_economy(), TINY, runs=2, rng=999, checkpoint=path, progress=False)
    assert rest.finished
    np.testing.assert_array_equal(rest.welfare, whole.welfare)
    np.testing.assert_array_equal(rest.planner.weights, whole.planner.weights)
    with pytest.raises(CheckpointError, match="another"):
        train_planner(_economy(), TINY, runs=3, checkpoint=path, progress=False)
    (tmp_path / "bad.npz").write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="cannot be read"):
        train_planner(_economy(), TINY, runs=2, checkpoint=tmp_path / "bad.npz", progress=False)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"free_steps": -1}, "free_steps"),
        ({"schedules": 1}, "schedules"),
        ({"repeats": 1.5}, "repeats"),
        ({"first_cap": 0.5, "last_cap": 0.2}, "caps"),
        ({"last_cap": 1.5}, "caps"),
        ({"workers": 0.1}, "workers"),
    ],
)
def test_bad_curricula(kwargs, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ParameterError, match=match):
        TwoPhaseCurriculum(**kwargs)


def test_bad_training_arguments() -> None:
    with pytest.raises(ParameterError, match="runs"):
        train_planner(_economy(), TINY, runs=0)
    with pytest.raises(ParameterError, match="economy"):
        train_planner("economy", TINY)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="max_iterations"):
        train_planner(_economy(), TINY, max_iterations=-1)
    with pytest.raises(ParameterError, match="learner"):
        train_workers(_economy(), np.array([[0, 0]]), learner=0.1)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="steps"):
        train_workers(_economy(), np.array([[0, 0]]), steps=0)
    from dynamics.errors import ActionError

    with pytest.raises(ActionError, match="rates"):
        train_workers(_economy(), np.array([[0, 11]]), learner=PolicyGradient())
