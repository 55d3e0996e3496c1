"""Gather-and-Build: the ParallelEnv API, batched vs single-copy stepping, conservation of
resources and coins, taxes = rebates, seeds, bad input."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest
from pettingzoo.test import parallel_api_test

from dynamics.economy.gather_build import (
    GatherBuild,
    GatherBuildEnv,
    GatherBuildState,
    gather_build_reset,
    gather_build_step,
    ledger,
)
from dynamics.errors import ActionError, ParameterError

SMALL = GatherBuild(size=10, steps=60, tax_periods=3, regrow=0.05, prices=6)
#: Action probabilities biased to moving and building (uniform actions are mostly market orders,
#: and nobody builds), so that every rule fires within a short episode.
BUSY = np.ones(SMALL.actions)
BUSY[1:6] = 12.0
BUSY /= BUSY.sum()


def test_parallel_api() -> None:
    parallel_api_test(GatherBuildEnv(SMALL), num_cycles=80)


def _same(a: GatherBuildState, b: GatherBuildState) -> None:
    for f in fields(GatherBuildState):
        x, y = getattr(a, f.name), getattr(b, f.name)
        np.testing.assert_array_equal(x, y, err_msg=f.name)


def test_batched_and_single_copy_stepping_agree() -> None:
    """Without regrowth and harvest bonuses the rules are deterministic given the actions: a
    batch of copies steps exactly as each copy stepped alone."""
    world = GatherBuild(size=10, steps=60, tax_periods=3, regrow=0.0, prices=6)
    batch = gather_build_reset(world, 5, rng=0)
    batch.harvest[:] = 0.0
    singles = [batch.slice(c).copy() for c in range(5)]
    rng = np.random.default_rng(1)
    for _ in range(world.steps):
        acts = rng.choice(world.actions, size=(5, world.agents), p=BUSY)
        rates = rng.integers(0, len(world.rate_grid), (5, world.brackets))
        out = gather_build_step(world, batch, acts, rates, rng=2)
        for c, single in enumerate(singles):
            one = gather_build_step(world, single, acts[c : c + 1], rates[c : c + 1], rng=3)
            np.testing.assert_allclose(one.workers[0], out.workers[c], rtol=1e-12, atol=1e-12)
    for c, single in enumerate(singles):
        _same(single, batch.slice(c))
    assert batch.taxes.sum() > 0 and batch.houses_built.sum() > 0


def test_the_env_is_the_core_on_a_batch_of_one() -> None:
    env = GatherBuildEnv(SMALL)
    env.reset(seed=4)
    state = gather_build_reset(SMALL, 1, rng=np.random.default_rng(4))
    core_rng = np.random.default_rng(4)
    core_rng.bit_generator.state = env._rng.bit_generator.state  # the env's stream after reset
    _same(env.state, state)  # type: ignore[arg-type]
    rng = np.random.default_rng(5)
    for _ in range(SMALL.steps):
        acts = rng.integers(0, SMALL.actions, SMALL.agents)
        rates = rng.integers(0, len(SMALL.rate_grid), SMALL.brackets)
        d = {f"worker_{i}": int(a) for i, a in enumerate(acts)} | {"planner": rates}
        _, rewards, _, _, _ = env.step(d)
        out = gather_build_step(SMALL, state, acts[None], rates[None], rng=core_rng)
        assert rewards["planner"] == out.planner[0]
    _same(env.state, state)  # type: ignore[arg-type]
    assert env.agents == []


def _check_conservation(state: GatherBuildState) -> None:
    book = ledger(state)
    np.testing.assert_array_equal(book.held, book.gathered)  # integers: exact
    np.testing.assert_allclose(book.coins, book.paid, rtol=1e-9, atol=1e-9)  # float round-off
    np.testing.assert_allclose(book.taxes, book.rebates, rtol=1e-12, atol=1e-9)
    assert book.largest_gap() <= 1e-9
    # the ledger is computed independently of its own pieces: a house's payout by hand
    owners = state.houses
    by_hand = [state.build[c, owners[c][owners[c] >= 0]].sum() for c in range(len(owners))]
    np.testing.assert_allclose(book.paid, by_hand)
    assert np.all(state.coins >= -1e-9) and np.all(state.inventory >= 0)


def test_resources_coins_and_taxes_are_conserved() -> None:
    state = gather_build_reset(SMALL, 8, rng=11)
    rng = np.random.default_rng(12)
    for _ in range(SMALL.steps):
        acts = rng.choice(SMALL.actions, size=(8, SMALL.agents), p=BUSY)
        rates = rng.integers(0, len(SMALL.rate_grid), (8, SMALL.brackets))
        gather_build_step(SMALL, state, acts, rates, rng=rng)
        _check_conservation(state)
    assert state.houses_built.sum() > 0, "no house was built: the test did not exercise building"
    assert state.taxes.sum() > 0


def test_seeded_episodes_are_identical() -> None:
    def run(seed: int) -> GatherBuildState:
        state = gather_build_reset(SMALL, 3, rng=seed)
        rng = np.random.default_rng(seed)
        for _ in range(30):
            gather_build_step(SMALL, state, rng.integers(0, SMALL.actions, (3, 4)), rng=rng)
        return state

    _same(run(7), run(7))
    assert not np.array_equal(run(7).coins, run(8).coins) or not np.array_equal(
        run(7).position, run(8).position
    )


def test_bad_input() -> None:
    state = gather_build_reset(SMALL, 2, rng=0)
    with pytest.raises(ActionError, match="shape"):
        gather_build_step(SMALL, state, np.zeros((2, 3), dtype=int))
    with pytest.raises(ActionError, match="lie in"):
        gather_build_step(SMALL, state, np.full((2, 4), SMALL.actions))
    with pytest.raises(ActionError, match="integer"):
        gather_build_step(SMALL, state, np.zeros((2, 4)))
    with pytest.raises(ActionError, match="rates"):
        gather_build_step(SMALL, state, np.zeros((2, 4), dtype=int), np.full((2, 7), 11))
    for kwargs, match in (
        ({"size": 0}, "size"),
        ({"regrow": 1.5}, "regrow"),
        ({"steps": 10, "tax_periods": 3}, "multiple"),
        ({"rate_grid": (0.0, 1.2)}, "rate_grid"),
        ({"cutoffs": (5, 10)}, "cutoffs"),
        ({"pareto_shape": -1.0}, "pareto_shape"),
    ):
        with pytest.raises(ParameterError, match=match):
            GatherBuild(**kwargs)
    with pytest.raises(ParameterError, match="copies"):
        gather_build_reset(SMALL, 0)
    env = GatherBuildEnv(SMALL)
    env.reset(seed=0)
    with pytest.raises(ActionError, match="missing"):
        env.step({"worker_0": 0})
