"""Numerics against a game's parameter: basins, fixation probabilities and time averages.

A symbolic game (:class:`theory.games.Game` with sympy parameters) is taken at every value of
one parameter (the others ``fixed``) by :meth:`theory.games.Game.at`, so exact values stay
exact, and the measurement runs on any ``concurrent.futures.Executor``:

- :func:`sweep_basins`: basin sizes at every value, each value's starts streamed in chunks
  through :func:`dynamics.basins.basin_sizes` on the executor. Every value sees the same random
  starts (common random numbers), so a change between values is the parameter's, not the
  sample's;
- :func:`sweep_fixation`: the fixation probability of one mutant for every ordered pair of
  strategies (:func:`dynamics.finite.fixation.fixation_probability`, exact where the process
  is), one task per value through :func:`dynamics.finite.sweeps.sweep`;
- :func:`sweep_time_average`: the time average of the flow's orbits from given starts, one
  task per value through :func:`dynamics.finite.sweeps.sweep`.

Examples
--------
>>> import sympy
>>> from concurrent.futures import ThreadPoolExecutor
>>> from theory.games import Game
>>> b = sympy.Symbol("b", positive=True)
>>> pd = Game.symmetric([[b - 1, -1], [b, 0]])  # donation game: benefit b, cost 1
>>> with ThreadPoolExecutor(2) as ex:
...     fx = sweep_fixation(pd, "b", [2, 4], N=10, intensity="1/10", executor=ex)
>>> fx.probabilities[:, 1, 0] > 1 / 10  # defection is favoured whatever the benefit
array([ True,  True])
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from numpy.typing import ArrayLike

from dynamics._checks import generator, integer_at_least
from dynamics.basins import UNDECIDED_SHARE, BasinSizes, Fate, basin_sizes
from dynamics.errors import ParameterError
from dynamics.finite.sweeps import sweep
from dynamics.flows import as_states
from theory import number
from theory.games import GameLike, as_game, payoff_matrix

__all__ = [
    "BasinSweep",
    "FixationSweep",
    "TimeAverageSweep",
    "sweep_basins",
    "sweep_fixation",
    "sweep_time_average",
]

#: A value of the swept parameter, as the user gave it (read by ``Game.at``).
Value = int | Fraction | float | str


@dataclass(frozen=True)
class BasinSweep:
    """Basin sizes against one parameter: ``sizes[k]`` at ``values[k]``.

    Iterating gives ``(value, BasinSizes)`` pairs; ``len`` is the number of values.
    """

    parameter: str
    values: tuple[Value, ...]
    sizes: tuple[BasinSizes, ...]

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self) -> Iterator[tuple[Value, BasinSizes]]:
        return iter(zip(self.values, self.sizes, strict=True))

    @property
    def fates(self) -> tuple[Fate, ...]:
        """Every fate reached at some value, the most frequent overall first."""
        total: dict[Fate, int] = {}
        for s in self.sizes:
            for f, c in s.counts:
                total[f] = total.get(f, 0) + c
        return tuple(sorted(total, key=lambda f: (-total[f], str(f))))

    def fraction(self, fate: Fate) -> np.ndarray:
        """Shape ``(len(values), 3)``: the share of starts with `fate` at each value and its
        95% Wilson interval (``p, low, high``)."""
        return np.array([s.fraction(fate) for s in self.sizes])


@dataclass(frozen=True)
class FixationSweep:
    """Fixation probabilities against one parameter.

    ``probabilities[k, i, j]`` is the probability that one mutant of strategy ``i`` takes over
    a population of ``j`` at ``values[k]`` (NaN on the diagonal); ``exact[k][i][j]`` is the
    same number as the process gives it (a ``Fraction`` for exact linear Moran processes).
    """

    parameter: str
    values: tuple[Value, ...]
    N: int
    rule: str
    probabilities: np.ndarray
    exact: tuple[tuple[tuple[Fraction | float | None, ...], ...], ...]

    def __len__(self) -> int:
        return len(self.values)


@dataclass(frozen=True)
class TimeAverageSweep:
    """Time averages of orbits against one parameter: ``averages[k, m]`` is the mean state of
    the orbit from ``starts[m]`` over ``[0, t_end]`` at ``values[k]``."""

    parameter: str
    values: tuple[Value, ...]
    starts: np.ndarray
    t_end: float
    averages: np.ndarray

    def __len__(self) -> int:
        return len(self.values)


def _games(
    game: GameLike,
    parameter: str | sympy.Symbol,
    values: Sequence[Value],
    fixed: Mapping[str | sympy.Symbol, Value] | None,
) -> tuple[str, tuple[Value, ...], tuple[np.ndarray, ...]]:
    """The swept parameter's name, the values, and the symmetric game's matrix at each (all
    checked here)."""
    g = as_game(game)
    name = parameter.name if isinstance(parameter, sympy.Symbol) else parameter
    if not isinstance(name, str):
        raise ParameterError(f"parameter must be a name or a sympy Symbol, got {parameter!r}")
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise ParameterError(f"values must be a sequence of numbers, got {values!r}")
    vals = tuple(values)
    if not vals:
        raise ParameterError("values is empty: nothing to sweep")
    others = dict(fixed or {})
    if name in {k.name if isinstance(k, sympy.Symbol) else k for k in others}:
        raise ParameterError(f"{name} is swept; it cannot also be fixed")
    payoff_matrix(g, square=True)  # a symmetric game: refused here, before any work
    return name, vals, tuple(payoff_matrix(g.at({**others, name: v}), square=True) for v in vals)


def sweep_basins(
    game: GameLike,
    parameter: str | sympy.Symbol,
    values: Sequence[Value],
    *,
    starts: int,
    t_end: float,
    fixed: Mapping[str | sympy.Symbol, Value] | None = None,
    names: Sequence[str] | None = None,
    dynamic: str = "replicator",
    executor: Executor | None = None,
    chunk: int = 2_000,
    undecided: float = UNDECIDED_SHARE,
    t_max: float | None = None,
    progress: bool = False,
    rng: int | np.random.Generator | None = None,
    **params: float,
) -> BasinSweep:
    """Basin sizes of `starts` random interior starts at every value of `parameter`.

    Parameters
    ----------
    game : Game (symmetric) or square matrix with sympy parameters
    parameter : str or sympy.Symbol
        The parameter swept; every other parameter needs a value in `fixed`.
    values : sequence of numbers
        Its values (text and ``Fraction`` exact, floats floats, as
        :meth:`theory.games.Game.at` reads them).
    starts, t_end, names, dynamic, chunk, undecided, t_max, params
        As for :func:`dynamics.basins.basin_sizes`, at every value.
    executor : concurrent.futures.Executor, optional
        Where the chunks run (every value's chunks go to it in turn).
    rng : int or Generator, optional
        One seed for the starts: every value sees the same starts.

    Raises
    ------
    theory.errors.GameParameterError
        A value outside the parameter's domain, or a parameter without a value.

    Examples
    --------
    >>> import sympy
    >>> from theory.games import Game
    >>> a = sympy.Symbol("a", positive=True)
    >>> coordination = Game.symmetric([[a, 0], [0, 1]])
    >>> bs = sweep_basins(coordination, "a", [1, 3], starts=400, t_end=40.0, rng=0)
    >>> p = bs.fraction(Fate("rest", (0,)))  # basin of strategy 0: x_0 > 1/(1 + a)
    >>> [round(float(v), 2) for v in p[:, 0]]  # theory: a/(1 + a) = 0.5, 0.75
    [0.51, 0.79]
    >>> bool(np.all((p[:, 1] <= [0.5, 0.75]) & ([0.5, 0.75] <= p[:, 2])))  # in the 95% intervals
    True
    """
    name, vals, games = _games(game, parameter, values, fixed)
    seed = int(generator(rng).integers(2**63))  # common random numbers across values
    dynamic_params: dict[str, Any] = dict(params)  # Any: the dynamic's own (eta), checked there
    sizes = tuple(
        basin_sizes(
            g,
            starts,
            t_end,
            rng=seed,
            names=names,
            dynamic=dynamic,
            executor=executor,
            chunk=chunk,
            undecided=undecided,
            t_max=t_max,
            progress=progress,
            **dynamic_params,
        )
        for g in games
    )
    return BasinSweep(name, vals, sizes)


def _fixation_task(
    games: tuple[np.ndarray, ...],
    rule: str,
    N: int,
    intensity: Fraction | float,
    mapping: str,
    *,
    index: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Fixation probabilities of every ordered pair at ``games[index]`` (a sweep task)."""
    from dynamics.finite.fixation import fixation_probability
    from dynamics.finite.processes import fermi, moran, wright_fisher

    g = games[index]
    if rule == "fermi":
        process = fermi(g, N, beta=float(number(intensity, "intensity")))
    else:
        make = moran if rule == "moran" else wright_fisher
        process = make(g, N, w=intensity, mapping=mapping)
    n = g.shape[0]
    out = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            out[i, j] = None if i == j else fixation_probability(process, i, j)
    return {"rho": out}


def sweep_fixation(
    game: GameLike,
    parameter: str | sympy.Symbol,
    values: Sequence[Value],
    *,
    N: int,
    rule: str = "moran",
    intensity: Value = 1,
    mapping: str = "linear",
    fixed: Mapping[str | sympy.Symbol, Value] | None = None,
    executor: Executor | None = None,
    progress: bool = False,
) -> FixationSweep:
    """Fixation probability of one mutant, every ordered pair of strategies, at every value.

    Parameters
    ----------
    N : int
        Population size.
    rule : {"moran", "fermi", "wright-fisher"}
    intensity : number, default 1
        Selection intensity: ``w`` (moran, wright-fisher) or ``beta`` (fermi).
    mapping : {"linear", "exponential"}
        Payoff to fitness (moran, wright-fisher).
    executor : concurrent.futures.Executor, optional
        Where the values' tasks run (:func:`dynamics.finite.sweeps.sweep`; default a local
        process pool).

    Examples
    --------
    >>> import sympy
    >>> from theory.games import Game
    >>> b = sympy.Symbol("b", positive=True)
    >>> neutral = Game.symmetric([[b, b], [b, b]])
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(1) as ex:
    ...     fx = sweep_fixation(neutral, "b", [1, 2], N=5, executor=ex)
    >>> fx.exact[1][0][1]  # neutral drift: 1/N whatever b
    Fraction(1, 5)
    """
    if rule not in ("moran", "fermi", "wright-fisher"):
        raise ParameterError(
            f"rule must be one of ['fermi', 'moran', 'wright-fisher'], got {rule!r}"
        )
    N = integer_at_least(N, "N", 2)
    strength = number(intensity, "intensity", errors=(ParameterError, ParameterError))
    name, vals, games = _games(game, parameter, values, fixed)
    task = functools.partial(_fixation_task, games, rule, N, strength, mapping)
    res = sweep(
        task,
        [{"index": k} for k in range(len(vals))],
        executor=executor,
        progress=progress,
        rng=0,  # deterministic tasks: the streams are not used
    )
    exact = tuple(tuple(tuple(row) for row in r["rho"]) for r in res.results)
    probs = np.array(
        [[[np.nan if v is None else float(v) for v in row] for row in m] for m in exact]
    )
    return FixationSweep(name, vals, N, rule, probs, exact)


def _time_average_task(
    games: tuple[np.ndarray, ...],
    X0: np.ndarray,
    t_end: float,
    dynamic: str,
    params: dict[str, Any],  # Any: the dynamic's own (eta), checked by integrate
    *,
    index: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    from dynamics.integrate import integrate

    tr = integrate(games[index], X0, t_end, dynamic=dynamic, **params)
    return {"mean": tr.mean}


def sweep_time_average(
    game: GameLike,
    parameter: str | sympy.Symbol,
    values: Sequence[Value],
    *,
    x0: ArrayLike,
    t_end: float,
    fixed: Mapping[str | sympy.Symbol, Value] | None = None,
    dynamic: str = "replicator",
    executor: Executor | None = None,
    progress: bool = False,
    **params: float,
) -> TimeAverageSweep:
    """Time averages over ``[0, t_end]`` of the orbits from `x0`, at every value.

    For the replicator, the time average of an interior orbit that neither converges to the
    boundary nor leaves approaches the interior rest point (Hofbauer and Sigmund 1998, 7.6):
    a check of a sweep against theory.

    Examples
    --------
    >>> import sympy
    >>> from theory.games import Game
    >>> a = sympy.Symbol("a", positive=True)
    >>> rps = Game.symmetric([[0, -1, a], [a, 0, -1], [-1, a, 0]])
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(1) as ex:
    ...     ta = sweep_time_average(rps, "a", [1], x0=[0.5, 0.3, 0.2], t_end=400.0, executor=ex)
    >>> ta.averages[0, 0].round(2)
    array([0.33, 0.33, 0.33])
    """
    name, vals, games = _games(game, parameter, values, fixed)
    n = games[0].shape[0]
    X0 = as_states(x0, n, name="x0")
    task = functools.partial(_time_average_task, games, X0, float(t_end), dynamic, dict(params))
    res = sweep(
        task,
        [{"index": k} for k in range(len(vals))],
        executor=executor,
        progress=progress,
        rng=0,  # deterministic tasks
    )
    averages = np.stack([r["mean"] for r in res.results])
    return TimeAverageSweep(name, vals, X0, float(t_end), averages)
