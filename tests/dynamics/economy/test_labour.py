"""The one-step labour economy: the core against theory's functions, the ParallelEnv view against
the core, conservation, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pettingzoo.test import parallel_api_test

from dynamics.economy.labour import LabourEconomy, LabourEconomyEnv, labour_outcome
from dynamics.errors import ActionError, DynamicsError, ParameterError
from theory.policy.economy import PRESETS, calibrate_skills, crra, follower_equilibrium
from theory.policy.tax import TaxSchedule, redistribute
from theory.policy.welfare import welfare_rows

CUTOFFS = (0, "39.475", "160.725")
SKILLS = calibrate_skills((25.0, 63.0, 159.0, 400.0), PRESETS["one_step"])
#: float round-off on sums of a few hundred coins
ROUND_OFF = 1e-9


def _economy(levels: int = 21) -> LabourEconomy:
    return LabourEconomy(SKILLS, PRESETS["one_step"], CUTOFFS, levels=levels)


def test_the_labour_grid_spans_the_free_market_labour() -> None:
    e = _economy()
    free = follower_equilibrium(e.schedule, SKILLS, PRESETS["one_step"]).labour
    np.testing.assert_allclose(e.labour_levels[:, -1], 1.25 * free)
    assert e.labour_levels.shape == (4, 21) and np.all(e.labour_levels[:, 0] == 0)


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=30, deadline=None)
def test_the_core_is_theory_s_model(seed: int) -> None:
    """Every copy's payout equals theory's redistribute / crra / welfare on the same numbers."""
    rng = np.random.default_rng(seed)
    e = _economy()
    labour = rng.integers(0, e.levels, (5, 4))
    rates = rng.integers(0, len(e.rate_grid), (5, 3))
    out = labour_outcome(e, labour, rates)
    p = PRESETS["one_step"]
    for c in range(5):
        schedule = TaxSchedule(CUTOFFS, e.rate_grid[rates[c]])
        z = SKILLS * e.labour_levels[np.arange(4), labour[c]]
        np.testing.assert_allclose(out.income[c], z, rtol=ROUND_OFF)
        np.testing.assert_allclose(out.consumption[c], redistribute(schedule, z), atol=ROUND_OFF)
        u = crra(out.consumption[c], p.eta) - p.kappa * out.labour[c] ** p.gamma
        np.testing.assert_allclose(out.utility[c], u, atol=ROUND_OFF)
    np.testing.assert_allclose(out.welfare, welfare_rows(out.consumption, "eq_times_prod"))
    # conservation: the taxes are all rebated, so consumption sums to income
    np.testing.assert_allclose(out.tax.sum(axis=1), 4 * out.rebate, rtol=ROUND_OFF)
    np.testing.assert_allclose(out.consumption.sum(axis=1), out.income.sum(axis=1), rtol=ROUND_OFF)


def test_parallel_api() -> None:
    parallel_api_test(LabourEconomyEnv(_economy()), num_cycles=20)


def _play(env: LabourEconomyEnv, labour: np.ndarray, rates: np.ndarray) -> dict[str, float]:
    env.reset(seed=1)
    names = [f"worker_{i}" for i in range(4)]
    first = {n: 0 for n in names} | {"planner": rates}
    env.step(first)
    _, rewards, terms, _, _ = env.step(
        {n: int(a) for n, a in zip(names, labour, strict=True)} | {"planner": 0 * rates}
    )
    assert all(terms.values()) and env.agents == []
    return rewards


def test_batched_and_single_copy_stepping_agree() -> None:
    rng = np.random.default_rng(7)
    e = _economy()
    labour = rng.integers(0, e.levels, (50, 4))
    rates = rng.integers(0, len(e.rate_grid), (50, 3))
    out = labour_outcome(e, labour, rates)
    env = LabourEconomyEnv(e)
    for c in range(50):
        r = _play(env, labour[c], rates[c])
        assert [r[f"worker_{i}"] for i in range(4)] == out.utility[c].tolist()
        # welfare_rows' matrix products sum one row and fifty rows in different orders (BLAS):
        # equal to round-off, not bit for bit
        np.testing.assert_allclose(r["planner"], out.welfare[c], rtol=ROUND_OFF)


@pytest.mark.parametrize(
    ("labour", "rates", "match"),
    [
        ([[0, 0, 0, 21]], [[0, 0, 0]], "labour must lie in"),
        ([[0, 0, 0, -1]], [[0, 0, 0]], "labour must lie in"),
        ([[0, 0, 0]], [[0, 0, 0]], "labour must have shape"),
        ([[0.0, 0, 0, 0]], [[0, 0, 0]], "integer"),
        ([[0, 0, 0, 0]], [[0, 0, 11]], "rates must lie in"),
        ([[0, 0, 0, 0]], [[0, 0]], "rates must have shape"),
        ([[0, 0, 0, 0], [1, 1, 1, 1]], [[0, 0, 0]], "rates must have shape"),
        ([[True, False, True, False]], [[0, 0, 0]], "integer"),
    ],
)
def test_bad_actions_raise_action_errors(labour, rates, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ActionError, match=match):
        labour_outcome(_economy(), labour, rates)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"skills": [1.0, -2.0]}, "skills"),
        ({"skills": [1.0]}, "skills"),
        ({"skills": [1.0, np.nan]}, "skills"),
        ({"rate_grid": [0.0, 1.5]}, "rate_grid"),
        ({"rate_grid": [-0.1, 0.0]}, "rate_grid"),
        ({"rate_grid": [0.5, 1.0]}, "must contain 0"),
        ({"levels": 1}, "levels"),
        ({"objective": "fun"}, "objective"),
        ({"cutoffs": [5, 10]}, "cutoffs"),
        ({"preferences": "one_step"}, "preferences"),
    ],
)
def test_bad_economies_raise_parameter_errors(kwargs, match) -> None:  # type: ignore[no-untyped-def]
    args = {"skills": [1.0, 2.0], "preferences": PRESETS["one_step"], "cutoffs": [0, 1]} | kwargs
    with pytest.raises(ParameterError, match=match):
        LabourEconomy(args.pop("skills"), args.pop("preferences"), args.pop("cutoffs"), **args)


def test_the_env_rejects_bad_steps() -> None:
    env = LabourEconomyEnv(_economy())
    env.reset(seed=0)
    ok = {f"worker_{i}": 0 for i in range(4)} | {"planner": [0, 0, 0]}
    with pytest.raises(ActionError, match="missing"):
        env.step({k: v for k, v in ok.items() if k != "planner"})
    with pytest.raises(ActionError, match="rates must lie"):
        env.step(ok | {"planner": [0, 0, 12]})
    with pytest.raises(ActionError, match="rates must have shape"):
        env.step(ok | {"planner": [0, 0]})
    with pytest.raises(ActionError, match="worker_2"):
        env.step(ok | {"worker_2": [1, 2]})
    with pytest.raises(ActionError, match="integer"):
        env.step(ok | {"worker_2": 1.5})
    env.step(ok)
    env.step(ok)
    with pytest.raises(ActionError, match="reset"):
        env.step(ok)
    assert issubclass(ActionError, DynamicsError) and issubclass(ActionError, ValueError)
