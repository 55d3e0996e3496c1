"""The Harvest commons core and env: the ParallelEnv API, env = core on a batch of one, batched
copies = copies alone, batched schedules = one call per schedule, regrowth exact against the
seed's rule, conservation, seeds, bad input."""

from __future__ import annotations

from dataclasses import fields, replace
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pettingzoo.test import parallel_api_test
from scipy.stats import binomtest

from dynamics.basins import wilson_interval
from dynamics.commons.grid import REGROWTH_PROBABILITIES, neighbour_counts
from dynamics.commons.harvest import (
    HARVEST_ACTION,
    HARVEST_ACTIONS,
    OBSERVATION_FEATURES,
    Harvest,
    HarvestEnv,
    HarvestState,
    HarvestStep,
    ScheduleBatch,
    harvest_observations,
    harvest_reset,
    harvest_step,
    regrowth_probability,
)
from dynamics.errors import ActionError, ParameterError, ParameterTypeError
from theory.commons.errors import CommonsError
from theory.commons.types import HarvesterType
from theory.policy.tax import TaxSchedule
from theory.policy.voting import AgentTypes

TYPES = (
    HarvesterType(1, 1),
    HarvesterType("1/2", "1/4"),
    HarvesterType(0, "3/4"),
)
#: Three brackets on a period's apples, as the seed's principal sets them.
SCHEDULE = TaxSchedule([0, 2, 5], ["1/10", "3/10", "1/2"])
SMALL = Harvest(
    height=7,
    width=8,
    agents=3,
    view=2,
    types=TYPES,
    schedule=SCHEDULE,
    period=10,
    episode=40,
    density=0.6,
    effort_cost=0.05,
)
#: Harvest half the time, move the rest: every rule fires within a short episode.
BUSY = np.array([0.1, 0.1, 0.1, 0.1, 0.1, 0.5])


def _same(a: HarvestState, b: HarvestState) -> None:
    for f in fields(HarvestState):
        np.testing.assert_array_equal(getattr(a, f.name), getattr(b, f.name), err_msg=f.name)


def test_parallel_api() -> None:
    parallel_api_test(HarvestEnv(SMALL), num_cycles=60)


def test_the_env_is_the_core_on_a_batch_of_one() -> None:
    env = HarvestEnv(SMALL)
    obs, _ = env.reset(seed=7)
    gen = np.random.default_rng(7)
    state = harvest_reset(SMALL, 1, rng=gen)
    acts = np.random.default_rng(1).choice(6, size=(SMALL.episode, SMALL.agents), p=BUSY)
    picked = 0
    for t in range(SMALL.episode):
        core = harvest_observations(SMALL, state)[0]
        for i, a in enumerate(env.possible_agents):
            np.testing.assert_array_equal(obs[a], core[i])
        obs, rewards, terms, truncs, _ = env.step(
            {a: int(acts[t, i]) for i, a in enumerate(env.possible_agents)}
        )
        out = harvest_step(SMALL, state, acts[t : t + 1], rng=gen)
        state = out.state
        picked += int(out.picked.sum())
        assert [rewards[a] for a in env.possible_agents] == out.reward[0].tolist()
        assert set(truncs.values()) == {out.done}
    assert env.state is not None
    _same(env.state, state)
    assert picked > 0 and state.taxes.sum() > 0 and env.agents == []


def test_batched_copies_step_as_each_copy_alone_when_nothing_regrows() -> None:
    """Regrowth and tie-breaks are the only draws; with no apple able to regrow (an orchard whose
    every apple has no neighbour... is not absorbing, so use a full orchard and a zero-density
    start elsewhere) the rules are deterministic given the actions, and each copy of a batch
    must step exactly as that copy alone. One agent, so there are no ties."""
    h = Harvest(height=6, width=6, agents=1, view=1, period=5, episode=30, schedule=SCHEDULE)
    batch = harvest_reset(h, 4, rng=0, apples=np.zeros((4, 6, 6), dtype=bool))
    # one apple per copy, isolated: it never seeds regrowth once picked (p(0) = 0), and an
    # empty cell next to it regrows with p(1) > 0 -- so pick it at once
    apples = np.zeros((4, 6, 6), dtype=bool)
    apples[np.arange(4), batch.positions[:, 0, 0], batch.positions[:, 0, 1]] = True
    batch = HarvestState(apples, *(getattr(batch, f.name) for f in fields(HarvestState)[1:]))
    singles = [batch.copy_of(c) for c in range(4)]
    acts = np.random.default_rng(3).integers(0, 6, (h.episode, 4, 1))
    acts[0] = HARVEST_ACTION
    for t in range(h.episode):
        out = harvest_step(h, batch, acts[t], rng=t)
        batch = out.state
        for c in range(4):
            one = harvest_step(h, singles[c], acts[t, c : c + 1], rng=100 + t)
            singles[c] = one.state
            np.testing.assert_array_equal(one.reward[0], out.reward[c])
    for c in range(4):
        _same(singles[c], batch.copy_of(c))
    assert batch.picked.sum() == 4 and batch.stock.sum() == 0


def test_regrowth_probability_is_the_seeds_rule_exactly() -> None:
    g = np.random.default_rng(0).random((5, SMALL.height, SMALL.width)) < 0.3
    p = regrowth_probability(SMALL, g)
    k = neighbour_counts(g)
    for c, i, j in np.ndindex(g.shape):
        want = Fraction(0) if g[c, i, j] else REGROWTH_PROBABILITIES[min(int(k[c, i, j]), 3)]
        assert Fraction(float(p[c, i, j])) == Fraction(float(want))
    # every k occurs, so every p(k) was checked
    assert set(np.minimum(k[~g], 3).ravel().tolist()) == {0, 1, 2, 3}


def test_empirical_regrowth_agrees_with_p_k() -> None:
    """Nobody picks; over a batched run, count empty cells by k (on the grid regrowth saw) and
    how many grew. Each p(k) must lie in the Wilson interval of its frequency at z = 4 (two-sided
    false-alarm chance 6e-5 per k, as numpol.agreement.K_SE argues); p(0) = 0 must be exact."""
    h = Harvest(height=12, width=12, agents=1, view=1, period=50, episode=50, density=0.15)
    state = harvest_reset(h, 64, rng=1)
    gen = np.random.default_rng(2)
    trials, grown = np.zeros(4, dtype=np.int64), np.zeros(4, dtype=np.int64)
    for _ in range(h.episode):
        before = state.apples  # the agent never picks, so this is the harvested grid
        k = np.minimum(neighbour_counts(before), 3)
        out = harvest_step(h, state, np.zeros((64, 1), dtype=int), rng=gen)
        empty = ~before
        for kk in range(4):
            cells = empty & (k == kk)
            trials[kk] += cells.sum()
            grown[kk] += (out.state.apples & cells).sum()
        state = out.state
    assert grown[0] == 0 and trials[0] > 0
    for kk in range(1, 4):
        assert trials[kk] > 5000
        low, high = wilson_interval(int(grown[kk]), int(trials[kk]), z=4.0)
        assert low <= float(REGROWTH_PROBABILITIES[kk]) <= high, (kk, grown[kk], trials[kk])


def test_conservation_of_apples_and_taxes() -> None:
    gen = np.random.default_rng(4)
    state = harvest_reset(SMALL, 16, rng=gen)
    stock0 = state.stock.copy()
    grown = np.zeros(16, dtype=np.int64)
    extrinsic = np.zeros((16, SMALL.agents))
    period_taxes = []
    for _ in range(SMALL.episode):
        acts = gen.choice(6, size=(16, SMALL.agents), p=BUSY)
        out = harvest_step(SMALL, state, acts, rng=gen)
        # apples leave the orchard only by picking, from the picker's cell (pickers stay put)
        harvested = state.apples.copy()
        c, i = np.nonzero(out.picked)
        assert np.all(harvested[c, state.positions[c, i, 0], state.positions[c, i, 1]])
        harvested[c, state.positions[c, i, 0], state.positions[c, i, 1]] = False
        assert np.array_equal(harvested.sum(axis=(1, 2)), state.stock - out.picked.sum(axis=1))
        # then cells only fill: stock' = stock - picked + regrown
        assert not np.any(harvested & ~out.state.apples)
        regrown = (out.state.apples & ~harvested).sum(axis=(1, 2))
        assert np.array_equal(out.state.stock, state.stock - out.picked.sum(axis=1) + regrown)
        grown += regrown
        assert np.array_equal(out.extrinsic, out.picked - out.taxes + out.rebates)
        extrinsic += out.extrinsic
        if out.period_end:
            period_taxes.append(out.taxes.sum(axis=1))
            np.testing.assert_allclose(
                out.taxes.sum(axis=1), out.rebates.sum(axis=1), rtol=1e-12, atol=1e-12
            )
            assert np.all(out.state.period_apples == 0)
        else:
            assert not out.taxes.any() and not out.rebates.any()
        state = out.state
    assert np.array_equal(state.stock, stock0 - state.picked.sum(axis=1) + grown)
    # before tax, extrinsic is the apples picked: summed over agents the tax cancels
    np.testing.assert_allclose(extrinsic.sum(axis=1), state.picked.sum(axis=1), rtol=1e-12)
    assert len(period_taxes) == SMALL.episode // SMALL.period
    assert sum(t.sum() for t in period_taxes) > 0


def test_taxes_follow_the_schedule_on_a_period_apples() -> None:
    """Each agent's tax at a period's end is T(its apples of the period), exactly as
    TaxSchedule.tax computes it; the rebate is the mean."""
    h = Harvest(height=6, width=6, agents=3, view=1, period=8, episode=8, schedule=SCHEDULE)
    state = harvest_reset(h, 1, rng=0, apples=np.ones((6, 6), dtype=bool))
    # agent 0 picks every step and walks right; agent 1 picks every other step; agent 2 idles
    counts = np.zeros(3, dtype=int)
    for t in range(h.episode):
        acts = np.array([[HARVEST_ACTION if t % 2 == 0 else 4, 5 if t % 4 == 0 else 2, 0]])
        out = harvest_step(h, state, acts, rng=t)
        counts += out.picked[0]
        state = out.state
    want = [float(SCHEDULE.tax(int(n))) for n in counts]
    np.testing.assert_allclose(out.taxes[0], want, rtol=1e-12)
    np.testing.assert_allclose(out.rebates[0], np.mean(want), rtol=1e-12)
    assert counts.tolist()[2] == 0 and counts[0] > 0


def test_rewards_mix_extrinsic_and_intrinsic_as_theory_defines() -> None:
    gen = np.random.default_rng(5)
    state = harvest_reset(SMALL, 8, rng=gen)
    sigma = np.array([float(t.selfishness) for t in TYPES])
    beta = np.array([float(t.trust) for t in TYPES])
    for _ in range(SMALL.period):
        acts = gen.choice(6, size=(8, SMALL.agents), p=BUSY)
        out = harvest_step(SMALL, state, acts, rng=gen)
        a = out.picked.astype(float)
        others = a.sum(axis=1, keepdims=True) - a
        np.testing.assert_allclose(out.intrinsic, sigma * a + (1 - sigma) * others, rtol=1e-12)
        want = beta * out.extrinsic + (1 - beta) * out.intrinsic - 0.05 * (acts == 5)
        np.testing.assert_allclose(out.reward, want, rtol=1e-12, atol=1e-12)
        state = out.state


def test_one_apple_two_pickers_one_winner_each_equally_often() -> None:
    h = Harvest(height=5, width=5, agents=2, view=1, episode=1, period=1)
    state = harvest_reset(h, 4000, rng=0, apples=np.ones((5, 5), dtype=bool))
    same = np.zeros_like(state.positions)  # both agents on (0, 0)
    state = HarvestState(
        state.apples, same, 0, state.period_apples, state.picked, state.taxes, state.rebates
    )
    out = harvest_step(h, state, np.full((4000, 2), HARVEST_ACTION), rng=1)
    assert np.all(out.picked.sum(axis=1) == 1)
    # agent 0 wins with probability 1/2: a 99.9 % two-sided binomial test
    assert binomtest(int(out.picked[:, 0].sum()), 4000, 0.5).pvalue > 1e-3


def test_moves_wrap_around_the_torus_and_pickers_stay() -> None:
    h = Harvest(height=5, width=6, agents=5, view=1)
    s = harvest_reset(h, 1, rng=0, apples=np.zeros((5, 6), dtype=bool))
    s = HarvestState(
        s.apples,
        np.zeros((1, 5, 2), dtype=np.intp),
        0,
        s.period_apples,
        s.picked,
        s.taxes,
        s.rebates,
    )
    out = harvest_step(h, s, [[1, 2, 3, 4, HARVEST_ACTION]], rng=0)
    assert out.state.positions[0].tolist() == [[4, 0], [1, 0], [0, 5], [0, 1], [0, 0]]


def test_observations_name_the_view() -> None:
    h = Harvest(height=7, width=7, agents=2, view=2)
    g = np.zeros((7, 7), dtype=bool)
    g[1, 3] = g[3, 5] = g[3, 3] = True  # up 2, right 2, under agent 0
    s = harvest_reset(h, 1, rng=0, apples=g)
    s = HarvestState(
        s.apples, np.array([[[3, 3], [3, 1]]]), 0, np.array([[4, 0]]), s.picked, s.taxes, s.rebates
    )
    obs = harvest_observations(h, s)
    f = dict(
        zip(OBSERVATION_FEATURES, obs[0, 0, : len(OBSERVATION_FEATURES)].tolist(), strict=True)
    )
    assert f == {
        "apple_here": 1,
        "apples_up": 1,
        "apples_down": 0,
        "apples_left": 0,
        "apples_right": 1,
        "apples_in_view": 3,
        "others_in_view": 1,
        "period_apples": 4,
        "period_step": 0,
    }
    window = obs[0, 0, len(OBSERVATION_FEATURES) :].reshape(5, 5)
    np.testing.assert_array_equal(window, g[1:6, 1:6])
    # agent 1 at column 1 sees across the edge: columns 6, 0, 1, 2, 3
    np.testing.assert_array_equal(
        obs[0, 1, len(OBSERVATION_FEATURES) :].reshape(5, 5), g[1:6][:, [6, 0, 1, 2, 3]]
    )


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), copies=st.integers(1, 5))
def test_seeded_runs_are_identical(seed: int, copies: int) -> None:
    def run() -> tuple[HarvestState, list[np.ndarray]]:
        gen = np.random.default_rng(seed)
        state = harvest_reset(SMALL, copies, rng=gen)
        rewards = []
        for _ in range(12):
            out = harvest_step(SMALL, state, gen.integers(0, 6, (copies, 3)), rng=gen)
            rewards.append(out.reward)
            state = out.state
        return state, rewards

    (a, ra), (b, rb) = run(), run()
    _same(a, b)
    for x, y in zip(ra, rb, strict=True):
        np.testing.assert_array_equal(x, y)


def test_a_state_is_not_modified_by_a_step() -> None:
    state = harvest_reset(SMALL, 3, rng=0)
    before = {f.name: np.copy(getattr(state, f.name)) for f in fields(HarvestState)}
    harvest_step(SMALL, state, np.full((3, 3), HARVEST_ACTION), rng=0)
    for name, value in before.items():
        np.testing.assert_array_equal(getattr(state, name), value)


def test_reset_from_a_previous_orchard() -> None:
    grid = np.random.default_rng(0).random((3, 7, 8)) < 0.4
    s = harvest_reset(SMALL, 3, rng=0, apples=grid)
    np.testing.assert_array_equal(s.apples, grid)
    env = HarvestEnv(SMALL)
    env.reset(seed=0, options={"apples": grid[0]})
    assert env.state is not None
    np.testing.assert_array_equal(env.state.apples[0], grid[0])


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"height": 4}, ParameterError, "height must be >= 5"),
        ({"width": 6, "view": 3}, ParameterError, "width must be >= 7"),
        ({"view": 0}, ParameterError, "view"),
        ({"agents": 2}, ParameterError, "one HarvesterType per agent"),
        (
            {"types": (HarvesterType(1, 1), "x", HarvesterType(1, 1))},
            ParameterTypeError,
            "types[1]",
        ),
        ({"episode": 45}, ParameterError, "whole number of periods"),
        ({"density": 1.5}, ParameterError, "density"),
        ({"effort_cost": -1.0}, ParameterError, "effort_cost"),
        ({"effort_cost": float("nan")}, ParameterError, "effort_cost"),
        ({"schedule": [0.1]}, ParameterTypeError, "schedule"),
        ({"agents": 2.0}, ParameterTypeError, "agents"),
    ],
)
def test_bad_parameters(kwargs: dict[str, object], error: type, words: str) -> None:
    base = {f.name: getattr(SMALL, f.name) for f in fields(Harvest)}
    with pytest.raises(error, match=None) as info:
        Harvest(**{**base, **kwargs})  # type: ignore[arg-type]
    assert words in str(info.value)


def test_types_outside_the_unit_interval_are_refused() -> None:
    # a HarvesterType cannot hold them (theory's own error) ...
    with pytest.raises(CommonsError, match="trust"):
        HarvesterType(1, "3/2")
    # ... and arrays of types drawn elsewhere are checked into dynamics' error, naming types
    bad = AgentTypes(np.array([0.5, 1.5]), np.array([1.0, 1.0]))
    with pytest.raises(ParameterError, match="types: selfishness"):
        Harvest(agents=2, types=bad)  # type: ignore[arg-type]
    good = AgentTypes(np.array([0.5, 0.25]), np.array([1.0, 0.5]))
    assert Harvest(agents=2, types=good).trust.tolist() == [1.0, 0.5]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("actions", "words"),
    [
        (np.full((2, 3), 6), "must lie in [0, 5]"),
        (np.full((2, 3), -1), "must lie in [0, 5]"),
        (np.full((2, 3), 1.0), "integer action indices"),
        (np.full((2, 3), True), "integer action indices"),
        (np.zeros((2, 2), dtype=int), "shape (2, 3)"),
        (np.zeros((3,), dtype=int), "shape (2, 3)"),
    ],
)
def test_bad_actions(actions: np.ndarray, words: str) -> None:
    state = harvest_reset(SMALL, 2, rng=0)
    with pytest.raises(ActionError) as info:
        harvest_step(SMALL, state, actions, rng=0)
    assert words in str(info.value)


def test_bad_states_orchards_and_steps_after_the_end() -> None:
    with pytest.raises(ParameterError, match="apples must have shape"):
        harvest_reset(SMALL, 2, rng=0, apples=np.ones((5, 5), dtype=bool))
    with pytest.raises(ParameterError, match="0/1"):
        harvest_reset(SMALL, 1, rng=0, apples=np.full((7, 8), 2))
    with pytest.raises(ParameterError, match="copies"):
        harvest_reset(SMALL, 0, rng=0)
    other = harvest_reset(Harvest(height=9, width=9, agents=3, types=TYPES), 1, rng=0)
    with pytest.raises(ParameterError, match="does not belong"):
        harvest_step(SMALL, other, np.zeros((1, 3), dtype=int), rng=0)
    with pytest.raises(ParameterTypeError, match="HarvestState"):
        harvest_observations(SMALL, "state")  # type: ignore[arg-type]
    h = Harvest(height=5, width=5, agents=1, view=1, period=1, episode=1)
    s = harvest_step(h, harvest_reset(h, 1, rng=0), [[0]], rng=0).state
    with pytest.raises(ActionError, match="episode is over"):
        harvest_step(h, s, [[0]], rng=0)


def test_env_refuses_bad_actions() -> None:
    env = HarvestEnv(SMALL)
    env.reset(seed=0)
    with pytest.raises(ActionError, match="missing"):
        env.step({"harvester_0": 0})
    with pytest.raises(ActionError, match=r"must lie in \[0, 5\]"):
        env.step({a: 9 for a in env.agents})
    with pytest.raises(ActionError, match="one index"):
        env.step({a: [0, 1] for a in env.agents})
    assert len(HARVEST_ACTIONS) == 6


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    side=st.integers(5, 9),
    agents=st.integers(1, 5),
    rates=st.lists(st.sampled_from(["0", "1/4", "1/2", "1"]), min_size=1, max_size=3),
    period=st.integers(1, 4),
)
def test_books_balance_for_any_commons(
    seed: int, side: int, agents: int, rates: list[str], period: int
) -> None:
    """Whatever the grid, agents, brackets and period: each step, Σ extrinsic = Σ picked (the
    tax is all rebated), an agent picks at most one apple and only when it chose to harvest,
    nobody is taxed more than its period's apples, and the orchard loses exactly the apples
    picked before regrowth adds some."""
    h = Harvest(
        height=side,
        width=side,
        agents=agents,
        view=2,
        schedule=TaxSchedule(list(range(0, 2 * len(rates), 2)), rates),
        period=period,
        episode=4 * period,
        density=0.7,
    )
    gen = np.random.default_rng(seed)
    state = harvest_reset(h, 3, rng=gen)
    for _ in range(h.episode):
        acts = gen.integers(0, 6, (3, agents))
        out = harvest_step(h, state, acts, rng=gen)
        np.testing.assert_allclose(
            out.extrinsic.sum(axis=1), out.picked.sum(axis=1), rtol=1e-12, atol=1e-12
        )
        assert np.all(out.picked <= (acts == HARVEST_ACTION))
        # rates are at most 1: nobody pays more than the period's apples
        assert np.all(out.taxes >= 0)
        assert np.all(out.taxes <= state.period_apples + out.picked + 1e-12)
        grown = out.state.stock - (state.stock - out.picked.sum(axis=1))
        assert np.all(grown >= 0)
        state = out.state
    assert state.step == h.episode and np.all(state.period_apples == 0)


@st.composite
def _schedule_grids(draw: st.DrawFn) -> list[TaxSchedule]:
    """1-3 schedules with one bracket count (1-3), increasing integer cut-offs and rates from
    exact fractions and floats in [0, 1]."""
    brackets = draw(st.integers(1, 3))
    rates = st.sampled_from(["0", "1/10", "1/3", "1/2", "1", 0.25, 0.7])
    grid = []
    for _ in range(draw(st.integers(1, 3))):
        steps = draw(st.lists(st.integers(1, 3), min_size=brackets - 1, max_size=brackets - 1))
        cutoffs = np.concatenate([[0], np.cumsum(steps)]).astype(int).tolist()
        grid.append(TaxSchedule(cutoffs, [draw(rates) for _ in range(brackets)]))
    return grid


def _blocks(out: HarvestStep, g: int, size: int) -> dict[str, np.ndarray]:
    """Copy block g of a step's per-copy arrays and state, by name."""
    part = slice(g * size, (g + 1) * size)
    arrays = {
        f: getattr(out, f)[part]
        for f in ("picked", "harvested", "extrinsic", "intrinsic", "reward", "taxes", "rebates")
    }
    arrays.update({f"state.{f.name}": getattr(out.state, f.name) for f in fields(HarvestState)})
    for f in fields(HarvestState):
        if f.name != "step":
            arrays[f"state.{f.name}"] = arrays[f"state.{f.name}"][part]
    return arrays


@settings(max_examples=25, deadline=None)
@given(grid=_schedule_grids(), seed=st.integers(0, 2**32 - 1), each=st.integers(1, 3))
def test_batched_schedules_are_one_call_per_schedule_exactly(
    grid: list[TaxSchedule], seed: int, each: int
) -> None:
    """G schedules × ``each`` copies in one call, block g on stream g, equal bit for bit the G
    calls of one schedule each on their own streams, for a whole episode of several tax
    periods (same actions); the same batch with one stream equals, on each block, the call of
    all copies under that block's schedule (the draws do not depend on the schedule)."""
    h = replace(SMALL, period=3, episode=9)
    G = len(grid)
    batch = ScheduleBatch(grid)
    acts = np.random.default_rng(seed + 1).choice(6, p=BUSY, size=(h.episode, G * each, 3))
    # one stream per schedule
    streams = np.random.default_rng(seed).spawn(G)
    state = harvest_reset(h, G * each, streams=streams)
    alone_streams = np.random.default_rng(seed).spawn(G)
    alone = [
        harvest_reset(h.with_schedule(s), each, rng=r)
        for s, r in zip(grid, alone_streams, strict=True)
    ]
    for t in range(h.episode):
        out = harvest_step(h, state, acts[t], schedules=batch, streams=streams)
        for g, s in enumerate(grid):
            one = harvest_step(
                h.with_schedule(s),
                alone[g],
                acts[t, g * each : (g + 1) * each],
                rng=alone_streams[g],
            )
            want = _blocks(one, 0, each)
            for name, got in _blocks(out, g, each).items():
                np.testing.assert_array_equal(got, want[name], err_msg=f"{name}, step {t}")
            alone[g] = one.state
        state = out.state
    assert out.period_end and out.done
    # one stream for the batch: block g is the whole batch stepped under schedule g
    state = harvest_reset(h, G * each, rng=seed)
    states = [state] * G
    for t in range(h.episode):
        out = harvest_step(h, state, acts[t], rng=seed + t, schedules=grid)
        for g, s in enumerate(grid):
            whole = harvest_step(h.with_schedule(s), states[g], acts[t], rng=seed + t)
            want = _blocks(whole, g, each)
            for name, got in _blocks(out, g, each).items():
                np.testing.assert_array_equal(got, want[name], err_msg=f"{name}, step {t}")
            states[g] = whole.state
        state = out.state


def test_batched_schedules_keep_the_books_per_copy() -> None:
    """Each copy's tax is its own schedule's T(a) (exact, from theory's TaxSchedule.tax), the
    copy's taxes are all rebated within the copy, and apples are conserved."""
    grid = [TaxSchedule([0, 2, 5], [0, "1/2", 1]), TaxSchedule([0, 1, 3], ["1/10", "1/4", "1/3"])]
    grid.append(TaxSchedule([0, 3, 4], [1, 0, "1/2"]))
    h = replace(SMALL, period=10, episode=40, density=1.0)
    batch = ScheduleBatch(grid)
    each = 4
    gen = np.random.default_rng(3)
    state = harvest_reset(h, 3 * each, rng=gen)
    periods = 0
    for t in range(h.episode):  # pick, move, pick, ...: up to 5 apples a period, all brackets
        acts = np.full((3 * each, 3), HARVEST_ACTION) if t % 2 == 0 else gen.integers(1, 5, (12, 3))
        out = harvest_step(h, state, acts, rng=gen, schedules=batch)
        # per copy: Σ extrinsic = Σ picked, Σ taxes = Σ rebates (sums of a few apples: a
        # tolerance of 1e-12 of the period's apples is rounding only)
        scale = 1 + state.period_apples.sum(axis=1) + out.picked.sum(axis=1)
        assert np.all(np.abs(out.extrinsic.sum(axis=1) - out.picked.sum(axis=1)) <= 1e-12 * scale)
        assert np.all(np.abs(out.taxes.sum(axis=1) - out.rebates.sum(axis=1)) <= 1e-12 * scale)
        if out.period_end:
            periods += 1
            apples = state.period_apples + out.picked
            assert apples.max() >= 4  # copies reach the upper brackets
            for c in range(3 * each):
                s = grid[c // each]
                exact = [float(s.tax(int(a))) for a in apples[c]]
                np.testing.assert_allclose(out.taxes[c], exact, rtol=1e-12, atol=0)
                assert out.rebates[c] == pytest.approx(np.full(3, sum(exact) / 3), rel=1e-12)
        state = out.state
    assert periods == 4
    np.testing.assert_allclose(state.taxes.sum(axis=1), state.rebates.sum(axis=1), rtol=1e-12)


def test_a_batch_of_one_schedule_is_the_harvests_own() -> None:
    gen = np.random.default_rng(0)
    acts = gen.choice(6, p=BUSY, size=(SMALL.episode, 4, 3))
    a = b = harvest_reset(SMALL, 4, rng=1)
    for t in range(SMALL.episode):
        out_a = harvest_step(SMALL, a, acts[t], rng=t)
        out_b = harvest_step(SMALL, b, acts[t], rng=t, schedules=[SCHEDULE])
        for name, got in _blocks(out_b, 0, 4).items():
            np.testing.assert_array_equal(got, _blocks(out_a, 0, 4)[name], err_msg=name)
        a, b = out_a.state, out_b.state


def test_schedule_batch_holds_the_schedules_as_float_arrays() -> None:
    batch = ScheduleBatch((TaxSchedule([0, 2], ["1/4", 1]), TaxSchedule([0, 3], [0, "1/2"])))
    assert len(batch) == 2 and list(batch) == list(batch.schedules) and batch.brackets == 2
    np.testing.assert_array_equal(batch.lower, [[0, 2], [0, 3]])
    np.testing.assert_array_equal(batch.widths, [[2, np.inf], [3, np.inf]])
    np.testing.assert_array_equal(batch.rates, [[0.25, 1], [0, 0.5]])
    assert batch.of_copies(6).tolist() == [0, 0, 0, 1, 1, 1]
    assert batch == ScheduleBatch(list(batch.schedules))
    with pytest.raises(ValueError):
        batch.rates[0, 0] = 1.0  # the arrays of a frozen value are read-only


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (
            lambda: ScheduleBatch([TaxSchedule([0], [0]), TaxSchedule([0, 5], [0, 1])]),
            ParameterError,
            r"same number of brackets, got \[1, 2\]",
        ),
        (lambda: ScheduleBatch([]), ParameterError, "at least one TaxSchedule"),
        (lambda: ScheduleBatch(TaxSchedule([0], [0])), ParameterTypeError, "sequence of TaxSch"),
        (lambda: ScheduleBatch([0.5]), ParameterTypeError, r"schedules\[0\] = 0.5 is not"),
        (
            lambda: ScheduleBatch([TaxSchedule([0], [0])] * 3).of_copies(4),
            ParameterError,
            "4 copies do not split into 3 equal blocks, one per item of schedules",
        ),
    ],
)
def test_bad_schedule_batches(make: object, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        make()  # type: ignore[operator]


def test_bad_batched_steps_and_resets() -> None:
    state = harvest_reset(SMALL, 4, rng=0)
    acts = np.zeros((4, 3), dtype=int)
    two = [TaxSchedule([0], [0]), TaxSchedule([0], [1])]
    three = [*two, TaxSchedule([0], ["1/2"])]
    with pytest.raises(ParameterError, match="4 copies do not split into 3 equal blocks"):
        harvest_step(SMALL, state, acts, rng=0, schedules=three)
    with pytest.raises(ParameterError, match="same number of brackets"):
        harvest_step(SMALL, state, acts, rng=0, schedules=[*two, SCHEDULE])
    streams = np.random.default_rng(0).spawn(3)
    with pytest.raises(ParameterError, match="one per item of streams"):
        harvest_step(SMALL, state, acts, streams=streams)
    with pytest.raises(ParameterError, match="one per item of streams"):
        harvest_reset(SMALL, 4, streams=streams)
    with pytest.raises(ParameterError, match="not both"):
        harvest_step(SMALL, state, acts, rng=0, streams=streams[:2])
    with pytest.raises(ParameterError, match="not both"):
        harvest_reset(SMALL, 4, rng=0, streams=streams[:2])
    for bad in (np.random.default_rng(0), [], [0, 1], "ab"):
        with pytest.raises(ParameterTypeError, match="streams must be a non-empty sequence"):
            harvest_step(SMALL, state, acts, streams=bad)  # type: ignore[arg-type]
    # the batch checks come before any draw: a refused call leaves the streams untouched
    before = [s.bit_generator.state for s in streams]
    with pytest.raises(ParameterError):
        harvest_step(SMALL, state, acts, streams=streams)
    assert [s.bit_generator.state for s in streams] == before


def test_a_block_of_copies_is_a_batch_of_its_own() -> None:
    state = harvest_reset(SMALL, 5, rng=0)
    block = state.copies_of(1, 4)
    assert block.copies == 3 and block.step == state.step
    np.testing.assert_array_equal(block.apples, state.apples[1:4])
    np.testing.assert_array_equal(block.positions, state.positions[1:4])
    assert not np.shares_memory(block.apples, state.apples)
    _same(state.copy_of(2), state.copies_of(2, 3))
    with pytest.raises(ParameterError, match="stop must be <= 5 copies, got 6"):
        state.copies_of(2, 6)
    with pytest.raises(ParameterError, match="stop must be an integer >= 3"):
        state.copies_of(2, 2)
