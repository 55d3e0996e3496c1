"""Learning harvesters: features, learners that find the known best policies on tiny problems,
seeds, checkpoints and interruption, learned play, the mean-field mapping, bad input."""

from __future__ import annotations

from dataclasses import fields
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamics.commons.grid import dead_sites
from dynamics.commons.harvest import (
    HARVEST_ACTION,
    OBSERVATION_FEATURES,
    Harvest,
    HarvestState,
    ScheduleBatch,
    harvest_observations,
    harvest_reset,
)
from dynamics.commons.harvest_learning import (
    DENSITY_BANDS,
    harvester_feature_count,
    harvester_features,
    mean_field_commons,
    play_harvesters,
    play_harvesters_under,
    train_harvesters,
    train_harvesters_under,
)
from dynamics.economy.learners import PolicyGradient, PolicyState, softmax_policy
from dynamics.errors import CheckpointError, ParameterError, ParameterTypeError
from tests.dynamics.interrupting import InterruptingGenerator
from theory.commons.model import collapse_effort
from theory.commons.types import HarvesterType
from theory.policy.tax import TaxSchedule

SMALL = Harvest(height=6, width=6, agents=2, view=2, period=10, episode=20)


def _obs(**values: float) -> np.ndarray:
    row = np.zeros(len(OBSERVATION_FEATURES) + 25, dtype=np.float32)
    for k, v in values.items():
        row[OBSERVATION_FEATURES.index(k)] = v
    return row


def test_features_are_the_named_one_hots() -> None:
    h = Harvest(height=6, width=6, agents=1, view=2, schedule=TaxSchedule([0, 3, 6], [0, 0, 0]))
    assert harvester_feature_count(h) == 1 + 8 + 5 + 3
    obs = np.stack(
        [
            _obs(apple_here=1, apples_in_view=20, apples_left=5, period_apples=0),
            _obs(apple_here=0, apples_in_view=2, period_apples=3),  # 2/25 < 1/8: band 0
            _obs(apple_here=1, apples_in_view=4, apples_up=1, apples_down=2, period_apples=6),
        ]
    )
    f = harvester_features(h, obs)
    # bias; 1 + here·4 + band; 9 + fullest cone (4: none); 14 + bracket of the next apple
    assert f.tolist() == [[0, 1 + 4 + 3, 9 + 2, 14], [0, 1, 9 + 4, 14 + 1], [0, 1 + 4 + 1, 10, 16]]
    assert DENSITY_BANDS == (0.125, 0.25, 0.5)
    s = harvest_reset(h, 3, rng=0)
    real = harvester_features(h, harvest_observations(h, s))
    assert real.shape == (3, 1, 4) and real.min() >= 0 and real.max() < harvester_feature_count(h)


def _harvest_probability(h: Harvest, policies: PolicyState, apple_here: bool) -> np.ndarray:
    """Each learner's chance of the harvest action on a dense view, with an apple underfoot or
    not, nothing picked this period."""
    obs = _obs(apple_here=float(apple_here), apples_in_view=20, apples_up=3)
    feats = harvester_features(h, obs[None, None, :])
    L = policies.weights.shape[0]
    p = softmax_policy(policies.weights, np.broadcast_to(feats, (1, L, 4)))
    return p[0, :, HARVEST_ACTION]


def test_selfish_learners_pick_the_apple_underfoot_and_costly_picking_is_dropped() -> None:
    """Two known optima: when an apple pays 1 and picking costs nothing, harvest where there is
    an apple (and not where there is none: the action is wasted, moving may find one); when a
    pick costs 2 apples, never harvest. Uniform play starts at 1/6."""
    h = Harvest(height=6, width=6, agents=2, view=2, period=20, episode=20, density=0.5)
    out = train_harvesters(h, iterations=100, runs=2, episodes=8, rng=0, progress=False)
    here = _harvest_probability(h, out.policies, True)
    there = _harvest_probability(h, out.policies, False)
    assert np.all(here > 0.8), here
    assert np.all(there < 1 / 12), there  # half the uniform 1/6
    assert out.apples[-5:].mean() > 2 * out.apples[0].mean()
    costly = Harvest(height=6, width=6, agents=2, view=2, period=20, episode=20, effort_cost=2.0)
    out = train_harvesters(costly, iterations=60, runs=2, episodes=8, rng=0, progress=False)
    assert np.all(_harvest_probability(costly, out.policies, True) < 0.05)
    assert out.effort[-5:].mean() < 0.05 < out.effort[0].mean()


def test_seeded_runs_are_identical_and_seeds_differ() -> None:
    a = train_harvesters(SMALL, iterations=3, runs=2, episodes=2, rng=5, progress=False)
    b = train_harvesters(SMALL, iterations=3, runs=2, episodes=2, rng=5, progress=False)
    c = train_harvesters(SMALL, iterations=3, runs=2, episodes=2, rng=6, progress=False)
    np.testing.assert_array_equal(a.policies.weights, b.policies.weights)
    np.testing.assert_array_equal(a.reward, b.reward)
    np.testing.assert_array_equal(a.final.apples, b.final.apples)
    assert not np.array_equal(a.policies.weights, c.policies.weights)


def test_an_interrupted_run_resumes_to_the_uninterrupted_result(tmp_path) -> None:  # type: ignore[no-untyped-def]
    whole = train_harvesters(SMALL, iterations=6, runs=2, episodes=2, rng=3, progress=False)
    path = tmp_path / "h.npz"
    # per iteration the stream calls random() once for the orchard and three times a step
    # (actions, priorities, regrowth): stop inside iteration 3, after 2 whole ones
    gen = InterruptingGenerator(0, after=2 * (1 + 3 * 20) + 7, method="random")
    gen.bit_generator.state = np.random.default_rng(3).bit_generator.state
    with pytest.raises(KeyboardInterrupt):
        train_harvesters(
            SMALL, iterations=6, runs=2, episodes=2, rng=gen, progress=False, checkpoint=path
        )
    assert path.exists()
    with np.load(path) as f:
        assert int(f["t"]) == 2
    rest = train_harvesters(
        SMALL, iterations=6, runs=2, episodes=2, rng=99, progress=False, checkpoint=path
    )
    assert rest.finished and rest.iterations == 6
    np.testing.assert_array_equal(rest.reward, whole.reward)
    np.testing.assert_array_equal(rest.policies.weights, whole.policies.weights)
    with pytest.raises(CheckpointError, match="another"):
        train_harvesters(SMALL, iterations=6, runs=3, episodes=2, progress=False, checkpoint=path)
    (tmp_path / "bad.npz").write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="cannot be read"):
        train_harvesters(
            SMALL, iterations=2, runs=2, progress=False, checkpoint=tmp_path / "bad.npz"
        )


def test_training_continues_from_policies_and_orchards() -> None:
    first = train_harvesters(SMALL, iterations=2, runs=2, episodes=2, rng=0, progress=False)
    orchards = first.final.apples[::2]  # one per run
    again = train_harvesters(
        SMALL,
        iterations=1,
        runs=2,
        episodes=2,
        rng=1,
        progress=False,
        initial=first,
        apples=orchards,
    )
    assert again.policies.steps == first.policies.steps + 1
    with pytest.raises(ParameterError, match="initial policies have shape"):
        train_harvesters(SMALL, iterations=1, runs=3, episodes=2, initial=first, progress=False)
    with pytest.raises(ParameterError, match="one per run"):
        train_harvesters(SMALL, iterations=1, runs=2, apples=np.ones((3, 6, 6)), progress=False)


def test_learned_play_keeps_the_books() -> None:
    t = train_harvesters(SMALL, iterations=2, runs=2, episodes=2, rng=0, progress=False)
    start = np.ones((6, 6), dtype=bool)
    p = play_harvesters(SMALL, t, steps=45, runs=2, copies=3, apples=start, rng=1)
    assert p.stock.shape == (46, 2, 3) and p.picked.shape == (2, 3, 2)
    assert np.all(p.stock[0] == 36) and np.all(p.dead[0] == 0)
    assert np.all(p.picked <= p.harvests)
    np.testing.assert_array_equal(p.final.picked.reshape(2, 3, 2), p.picked)
    np.testing.assert_allclose(
        p.dead[-1].ravel(), dead_sites(p.final.apples).mean(axis=(1, 2)), rtol=0, atol=0
    )


def test_the_mean_field_mapping() -> None:
    m = mean_field_commons(Harvest(height=8, width=5, view=2, effort_cost=0.25))
    assert (m.r, m.K, m.q, m.c) == (Fraction(3, 100), 40, Fraction(1, 40), Fraction(1, 4))
    # the logistic collapses at per-apple hazard qE = r = 12 p(1): the linearisation of the rule
    assert collapse_effort(m) * m.q == Fraction(3, 100)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"iterations": 0}, ParameterError, "iterations"),
        ({"runs": 0}, ParameterError, "runs"),
        ({"episodes": 1}, ParameterError, "episodes"),
        ({"discount": 0.0}, ParameterError, "discount"),
        ({"discount": 1.5}, ParameterError, "discount"),
        ({"learner": "adam"}, ParameterTypeError, "learner"),
        ({"initial": "weights"}, ParameterTypeError, "initial"),
        ({"rng": -1}, ParameterError, "rng"),
    ],
)
def test_bad_training_input(kwargs: dict[str, object], error: type, words: str) -> None:
    args: dict[str, object] = {"iterations": 1, "runs": 1, "episodes": 2, "progress": False}
    with pytest.raises(error) as info:
        train_harvesters(SMALL, **{**args, **kwargs})  # type: ignore[arg-type]
    assert words in str(info.value)


def test_bad_play_input() -> None:
    with pytest.raises(ParameterTypeError, match="harvest must be a Harvest"):
        play_harvesters("h", PolicyState.zeros(2, 15, 6), steps=1, runs=1)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="steps"):
        play_harvesters(SMALL, PolicyState.zeros(2, 15, 6), steps=0, runs=1)
    with pytest.raises(ParameterError, match="initial policies have shape"):
        play_harvesters(SMALL, PolicyState.zeros(3, 15, 6), steps=1, runs=1)
    with pytest.raises(ParameterTypeError, match="Harvest"):
        mean_field_commons(None)  # type: ignore[arg-type]
    assert PolicyGradient().optimiser == "adam"


def test_a_checkpoint_belongs_to_its_orchards(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Orchards that differ in one cell are another training (numpy's repr would elide them)."""
    h = Harvest(height=20, width=20, agents=1, view=2, period=2, episode=2)
    a = np.zeros((3, 20, 20), dtype=bool)
    b = a.copy()
    b[2, 10, 10] = True
    path = tmp_path / "c.npz"
    kw = {"iterations": 1, "runs": 3, "episodes": 2, "progress": False, "checkpoint": path}
    train_harvesters(h, apples=a, rng=0, **kw)  # type: ignore[arg-type]
    train_harvesters(h, apples=a, rng=0, **kw)  # type: ignore[arg-type]  # resumes: finished
    with pytest.raises(CheckpointError, match="another"):
        train_harvesters(h, apples=b, rng=0, **kw)  # type: ignore[arg-type]


TYPED = Harvest(
    height=6,
    width=6,
    agents=2,
    view=2,
    period=5,
    episode=10,
    types=(HarvesterType(1, 1), HarvesterType("1/2", "1/2")),
    effort_cost=0.05,
)


def _same_states(a: HarvestState, b: HarvestState) -> None:
    for f in fields(HarvestState):
        np.testing.assert_array_equal(getattr(a, f.name), getattr(b, f.name), err_msg=f.name)


@settings(max_examples=12, deadline=None)
@given(
    rates=st.lists(
        st.tuples(
            st.integers(1, 3),
            st.sampled_from([0, "1/4", "1/2", 1]),
            st.sampled_from([0, "1/3", 0.8]),
        ),
        min_size=1,
        max_size=3,
    ),
    seed=st.integers(0, 2**32 - 1),
    runs=st.integers(1, 2),
    episodes=st.integers(2, 3),
    orchards=st.sampled_from(["random", "one", "per schedule"]),
)
def test_batched_schedules_train_and_play_as_one_call_per_schedule(
    rates: list[tuple[int, object, object]],
    seed: int,
    runs: int,
    episodes: int,
    orchards: str,
) -> None:
    """train_harvesters_under / play_harvesters_under over G two-bracket schedules (each its own
    cut-off, so the learners' bracket feature differs between schedules) equal, bit for bit, G
    calls of train_harvesters / play_harvesters on the same streams: policies,
    Adam moments, learning curves, final states, play's stocks and books."""
    grid = [TaxSchedule([0, cut], [low, high]) for cut, low, high in rates]  # own cut-offs
    G = len(grid)
    gen = np.random.default_rng(seed)
    shared = gen.random((6, 6)) < 0.5
    each = gen.random((G, runs, 6, 6)) < 0.5
    start = {"random": [None] * G, "one": [shared] * G, "per schedule": list(each)}[orchards]
    apples = {"random": None, "one": shared, "per schedule": each}[orchards]
    opts = dict(iterations=2, runs=runs, episodes=episodes, progress=False)
    both = train_harvesters_under(
        TYPED, grid, apples=apples, streams=np.random.default_rng(seed).spawn(G), **opts
    )
    alone_streams = np.random.default_rng(seed).spawn(G)
    plays = play_harvesters_under(
        TYPED, grid, both, steps=7, runs=runs, copies=2, apples=apples, rng=seed + 1
    )
    play_streams = np.random.default_rng(seed + 1).spawn(G)
    assert len(both) == len(plays) == G
    for g, sched in enumerate(grid):
        h = TYPED.with_schedule(sched)
        one = train_harvesters(h, apples=start[g], rng=alone_streams[g], **opts)
        b = both[g]
        assert b.harvest == h and b.iterations == one.iterations and b.finished
        for name in ("reward", "apples", "stock", "effort"):
            np.testing.assert_array_equal(getattr(b, name), getattr(one, name), err_msg=name)
        np.testing.assert_array_equal(b.policies.weights, one.policies.weights)
        np.testing.assert_array_equal(b.policies.moments, one.policies.moments)
        assert b.policies.steps == one.policies.steps
        _same_states(b.final, one.final)
        p = play_harvesters(
            h, one, steps=7, runs=runs, copies=2, apples=start[g], rng=play_streams[g]
        )
        for name in ("stock", "dead", "picked", "harvests"):
            np.testing.assert_array_equal(getattr(plays[g], name), getattr(p, name), err_msg=name)
        _same_states(plays[g].final, p.final)


def test_batched_training_continues_from_one_society_under_every_schedule() -> None:
    grid = ScheduleBatch([TaxSchedule([0], [0]), TaxSchedule([0], [1])])
    warm = train_harvesters(TYPED, iterations=2, runs=1, episodes=2, rng=0, progress=False)
    both = train_harvesters_under(
        TYPED, grid, iterations=1, runs=1, episodes=2, initial=warm, rng=1, progress=False
    )
    streams = np.random.default_rng(1).spawn(2)
    for g, sched in enumerate(grid):
        one = train_harvesters(
            TYPED.with_schedule(sched),
            iterations=1,
            runs=1,
            episodes=2,
            initial=warm,
            rng=streams[g],
            progress=False,
        )
        np.testing.assert_array_equal(both[g].policies.weights, one.policies.weights)
    # the untaxed and the fully taxed learners saw different rewards: they moved apart
    assert not np.array_equal(both[0].policies.weights, both[1].policies.weights)


def test_features_under_a_batch_read_each_copys_own_brackets() -> None:
    batch = ScheduleBatch([TaxSchedule([0, 1], [0, 1]), TaxSchedule([0, 3], [0, 1])])
    h = SMALL.with_schedule(batch.schedules[0])
    obs = np.stack([_obs(period_apples=2)] * 4).reshape(4, 1, -1)
    got = harvester_features(h, obs, schedules=batch)[..., 3].ravel()
    want = [harvester_features(SMALL.with_schedule(s), obs[:1])[0, 0, 3] for s in batch.schedules]
    # the third apple falls above 1 (bracket 1) and below 3 (bracket 0)
    assert got.tolist() == [want[0]] * 2 + [want[1]] * 2 and want[0] == want[1] + 1
    with pytest.raises(ParameterError, match="observations must be"):
        harvester_features(h, obs[:, 0], schedules=batch)
    with pytest.raises(ParameterError, match="4 copies do not split into 3"):
        harvester_features(h, obs, schedules=[*batch.schedules, batch.schedules[0]])


def test_bad_batched_training_and_play_input() -> None:
    grid = [TaxSchedule([0], [0]), TaxSchedule([0], [1])]
    opts = dict(iterations=1, runs=1, episodes=2, progress=False)
    with pytest.raises(ParameterError, match="same number of brackets"):
        train_harvesters_under(TYPED, [*grid, TaxSchedule([0, 2], [0, 1])], **opts)
    with pytest.raises(ParameterError, match=r"one Generator per schedule \(2\), got 3"):
        train_harvesters_under(TYPED, grid, streams=np.random.default_rng(0).spawn(3), **opts)
    with pytest.raises(ParameterError, match="not both"):
        train_harvesters_under(
            TYPED, grid, rng=0, streams=np.random.default_rng(0).spawn(2), **opts
        )
    with pytest.raises(ParameterError, match="one set of orchards per schedule"):
        train_harvesters_under(TYPED, grid, apples=np.ones((3, 1, 6, 6), dtype=bool), **opts)
    with pytest.raises(ParameterError, match="iterations must be"):
        train_harvesters_under(TYPED, grid, iterations=0, runs=1, episodes=2)
    ts = train_harvesters_under(TYPED, grid, rng=0, **opts)
    with pytest.raises(ParameterError, match=r"one PolicyState per schedule \(2\), got 1"):
        play_harvesters_under(TYPED, grid, ts[:1], steps=3, runs=1, rng=0)
    with pytest.raises(ParameterTypeError, match="sequence of one PolicyState per schedule"):
        play_harvesters_under(TYPED, grid, ts[0], steps=3, runs=1, rng=0)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="this training needs"):
        play_harvesters_under(TYPED, grid, ts, steps=3, runs=2, rng=0)
