"""Sweeps against a game's parameter (issue 13): basins, fixation, time averages, on executors."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from fractions import Fraction

import numpy as np
import pytest
import sympy

from dynamics.basins import Fate, basin_sizes
from dynamics.errors import ParameterError
from dynamics.finite.fixation import fixation_probability
from dynamics.finite.processes import moran
from dynamics.parameter_sweeps import sweep_basins, sweep_fixation, sweep_time_average
from theory.errors import GameParameterError
from theory.games import Game

a, c = sympy.symbols("a c", positive=True)
COORD = Game.symmetric([[a, 0], [0, 1]])  # basin of strategy 0: x_0 > 1/(1 + a)
RPS = Game.symmetric([[0, -1, a], [a, 0, -1], [-1, a, 0]])
HD = Game.symmetric([[(a - c) / 2, a], [0, a / 2]])  # hawk-dove, prize a, cost c


def test_basins_against_a_parameter_match_theory():
    """The share of the line in 0's basin is a/(1 + a); 1000 starts: the 95% Wilson interval
    must cover it at each value (a false alarm has probability ~5% per value; seed fixed)."""
    values = ["1/2", 1, 2, 4]
    with ThreadPoolExecutor(2) as ex:
        bs = sweep_basins(COORD, "a", values, starts=1000, t_end=40.0, rng=1, executor=ex)
    assert len(bs) == 4 and bs.parameter == "a" and bs.values == tuple(values)
    p = bs.fraction(Fate("rest", (0,)))
    exact = np.array([float(Fraction(v) / (1 + Fraction(v))) for v in values])
    assert np.all((p[:, 1] <= exact) & (exact <= p[:, 2]))
    assert np.all(np.diff(p[:, 0]) > 0)  # common random numbers: monotone in a
    assert set(bs.fates) == {Fate("rest", (0,)), Fate("rest", (1,))}


def test_basins_sweep_is_basin_sizes_at_each_value_with_one_seed():
    bs = sweep_basins(COORD, a, [2], starts=200, t_end=30.0, rng=np.random.default_rng(5))
    seed = int(np.random.default_rng(5).integers(2**63))
    direct = basin_sizes(COORD.at(a=2), 200, 30.0, rng=seed)
    assert bs.sizes[0].counts == direct.counts


def test_fixation_is_exact_and_matches_the_process_at_each_value():
    values = [Fraction(1, 2), 1, "3/2"]
    with ThreadPoolExecutor(2) as ex:
        fx = sweep_fixation(HD, "a", values, fixed={"c": 2}, N=8, intensity="1/10", executor=ex)
    assert fx.probabilities.shape == (3, 2, 2) and np.isnan(fx.probabilities[0, 0, 0])
    for k, v in enumerate(values):
        p = moran(HD.at(a=v, c=2), 8, w=Fraction(1, 10))
        assert fx.exact[k][0][1] == fixation_probability(p, 0, 1)
        assert isinstance(fx.exact[k][0][1], Fraction)


def test_fixation_on_the_default_process_pool_and_fermi():
    fx = sweep_fixation(HD, "a", [1, 3], fixed={c: 2}, N=6, rule="fermi", intensity=0.5)
    assert np.all((fx.probabilities[:, 0, 1] > 0) & (fx.probabilities[:, 0, 1] < 1))
    # a larger prize helps the hawk invade doves
    assert fx.probabilities[1, 0, 1] > fx.probabilities[0, 0, 1]


def test_time_averages_approach_the_interior_rest_point():
    """RPS: win a, loss 1. The time average of an interior orbit tends to (1/3, 1/3, 1/3)
    for a = 1 (closed orbits) and a = 2 (spiral in); error O(1/t) for the centre: 0.02 at
    t = 500 is ten times the observed (~1e-3) and far from any other state."""
    with ThreadPoolExecutor(2) as ex:
        ta = sweep_time_average(
            RPS, "a", [1, 2], x0=[[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]], t_end=500.0, executor=ex
        )
    assert ta.averages.shape == (2, 2, 3)
    assert np.allclose(ta.averages, 1 / 3, atol=0.02)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: sweep_fixation(HD, "a", [1], N=5), GameParameterError, "no value for .* c"),
        (
            lambda: sweep_fixation(HD, "a", [-1], fixed={"c": 1}, N=5),
            GameParameterError,
            "a must be positive",
        ),
        (
            lambda: sweep_fixation(HD, "a", [1], fixed={"a": 1, "c": 1}, N=5),
            ParameterError,
            "a is swept",
        ),
        (
            lambda: sweep_fixation(HD, "a", [], fixed={"c": 1}, N=5),
            ParameterError,
            "values is empty",
        ),
        (
            lambda: sweep_fixation(HD, "a", [1], fixed={"c": 1}, N=5, rule="x"),
            ParameterError,
            "rule must",
        ),
        (
            lambda: sweep_basins(COORD, "b", [1], starts=5, t_end=1.0),
            GameParameterError,
            "b is not a parameter",
        ),
    ],
)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_process_pool_executor_for_time_averages():
    with ProcessPoolExecutor(1) as ex:
        ta = sweep_time_average(RPS, "a", [1], x0=[0.4, 0.4, 0.2], t_end=50.0, executor=ex)
    assert ta.averages.shape == (1, 1, 3)
