"""Evolution among many modal agents (dynamics.modal_evolution)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamics.errors import ParameterError, ParameterTypeError
from dynamics.flows import replicator
from dynamics.modal_evolution import (
    SURVIVAL_SHARE,
    agent_pool,
    entry_growth_rates,
    modal_evolution,
    survival,
)
from modal import LIBRARY, SEED_AGENTS, Agent, box, opp
from modal.agents import JustBot
from theory.modal_game import invasion_fitness, modal_game


def test_identical_strategies_are_merged_and_the_game_is_the_same():
    agents = [*SEED_AGENTS, JustBot, Agent("FairCopy", box(opp()))]
    pool = agent_pool(agents)
    assert pool.members[pool.index("JustBot")] == ("FairBot", "JustBot", "FairCopy")
    assert pool.index("FairCopy") == pool.index("FairBot")
    full = modal_game(agents, "1/10")
    merged = pool.game("1/10")
    # every merged strategy's row and column equal those of each of its members
    order = {a.name: i for i, a in enumerate(agents)}
    for i, group in enumerate(pool.members):
        for name in group:
            for j, other in enumerate(pool.members):
                assert full[order[name], order[other[0]]] == merged[i, j]
                assert full[order[other[0]], order[name]] == merged[j, i]


def test_merging_is_exact_for_the_replicator_flow():
    # the sum of two identical strategies' shares moves as the merged strategy's share
    agents = [*SEED_AGENTS, JustBot]
    pool = agent_pool(agents)
    full = modal_game(agents, "1/10").astype(float)
    merged = pool.game("1/10").astype(float)
    x = np.array([0.1, 0.2, 0.3, 0.15, 0.25])  # D, C, F, P, JustBot (= FairBot)
    y = np.array([0.1, 0.2, 0.55, 0.15])
    v = replicator(full, x)[0]
    w = replicator(merged, y)[0]
    assert np.allclose([v[0], v[1], v[2] + v[4], v[3]], w, atol=1e-14)


def test_library_pool():
    pool = agent_pool(list(LIBRARY.values()))
    assert len(pool) == 14
    assert pool.members[pool.index("WaitBot2")] == ("WaitBot", "WaitBot2", "WaitFairBot_1")
    assert sum(map(len, pool.members)) == len(LIBRARY)


def test_pool_errors():
    with pytest.raises(ParameterError, match="at least two"):
        agent_pool([SEED_AGENTS[0]])
    with pytest.raises(ParameterError, match="twice"):
        agent_pool([SEED_AGENTS[0], SEED_AGENTS[0]])
    with pytest.raises(ParameterError, match="'Nobody'"):
        agent_pool(SEED_AGENTS).index("Nobody")


def test_survival_of_a_prisoners_dilemma_and_a_coordination_game():
    s = survival([[1, 3], [0, 2]], [[0.5, 0.5], [0.01, 0.99]], 60.0)
    assert s.alive[:, 0].all() and not s.alive[:, 1].any()
    # coordination: each start keeps its majority; the minority falls below 1e-6 by t = 30
    s = survival([[1, 0], [0, 1]], [[0.7, 0.3], [0.2, 0.8]], 60.0)
    assert s.alive.tolist() == [[True, False], [False, True]]
    assert s.counts.tolist() == [1, 1]
    assert s.share == SURVIVAL_SHARE and len(s) == 2


def test_survival_counts_returns_of_a_cycle():
    # rock-paper-scissors with a losing edge: a heteroclinic cycle whose shares dip far below
    # 1e-6 and come back; every strategy returns in the late window, so all three survive
    A = [[0, -2, 1], [1, 0, -2], [-2, 1, 0]]
    s = survival(A, [[0.5, 0.3, 0.2]], 400.0)
    assert s.alive.all()
    assert s.final.min() < 1e-6  # at the end one of them is at a low point of the cycle


def test_survival_errors():
    with pytest.raises(ParameterError, match="share"):
        survival([[1, 0], [0, 1]], [0.5, 0.5], 1.0, share=1.5)
    with pytest.raises(ParameterError):
        survival([[1, 0], [0, 1]], [0.5, 0.5], -1.0)


@given(st.fractions(min_value=Fraction(1, 100), max_value=Fraction(3, 5)))
def test_entry_rates_are_the_exact_invasion_fitness(e: Fraction) -> None:
    pool = agent_pool(list(LIBRARY.values()))
    x = np.zeros(len(pool))
    for name, share in (("CooperateBot", e), ("FairBot", 1 - 3 * e / 2), ("PrudentBot", e / 2)):
        x[pool.index(name)] = float(share)
    exact = invasion_fitness(pool.agents, e).astype(float)
    measured = entry_growth_rates(pool.game(e).astype(float), x)
    # entrant share 1e-6: payoffs move by <= 3e-6, the rate by ~1e-5 at most over t = 1
    assert np.max(np.abs(measured - exact)) < 1e-4


def test_entry_rates_errors():
    with pytest.raises(ParameterError, match="share"):
        entry_growth_rates([[1, 0], [0, 1]], [1, 0], share=0)
    with pytest.raises(ParameterError, match="t"):
        entry_growth_rates([[1, 0], [0, 1]], [1, 0], t=0)


def test_seed_agents_evolve_as_the_seed_says():
    ev = modal_evolution(agent_pool(SEED_AGENTS), ["1/2", "1/20"], starts=40, rng=3)
    assert ev.survivors(0) == ("DefectBot",)
    # small eps: the C -> P -> F cycle survives in most runs, DefectBot in few
    assert {"CooperateBot", "FairBot", "PrudentBot"} <= set(ev.survivors(1))
    p, lo, hi = ev.defect_trapped[1]
    assert hi < ev.defect_trapped[0][1]
    assert ev.invasion.shape == (2, 4) and ev.invasion[0, 0] == Fraction(1, 2)
    assert np.allclose(ev.stationary.sum(axis=1), 1)
    assert ev.uniform.shape == (2, 4) and ev.survival.shape == (2, 4)


def test_evolution_is_reproducible():
    pool = agent_pool(SEED_AGENTS)
    a = modal_evolution(pool, ["1/10"], starts=5, rng=7)
    b = modal_evolution(pool, ["1/10"], starts=5, rng=7)
    assert np.array_equal(a.runs[0].starts, b.runs[0].starts)
    assert np.array_equal(a.survival, b.survival)


def test_evolution_errors():
    pool = agent_pool(SEED_AGENTS)
    with pytest.raises(ParameterError, match=r"eps\[1\]"):
        modal_evolution(pool, ["1/10", 0], starts=2)
    with pytest.raises(ParameterTypeError, match=r"eps\[0\]"):
        modal_evolution(pool, [None], starts=2)
    with pytest.raises(ParameterError, match="at least one"):
        modal_evolution(pool, [], starts=2)
    with pytest.raises(ParameterError, match="starts"):
        modal_evolution(pool, ["1/10"], starts=0)
