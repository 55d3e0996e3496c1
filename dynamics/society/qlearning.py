"""Q-learning parameters and move probabilities, shared by both Sugar and spice engines.

A learner keeps Q-values ``Q[s, a]`` (``a = 0`` trade, ``1`` steal) for each state ``s``: one
state with zero memory, four with one-step memory (the last joint move with the partner it is
meeting, own move first, ``s = 2 * mine + yours``: ``TT, TS, ST, SS``). After an encounter with
wellbeing ``w`` leading to state ``s'`` it updates

    Q[s, a] += alpha * (w + r * max(Q[s', :]) - Q[s, a]).

Examples
--------
>>> p = QLearning(epsilon=0.1)
>>> p.noise
0.05
>>> steal_probability(np.array([[1.0, 2.0], [2.0, 1.0]]), p).tolist()
[0.95, 0.05]
>>> code = policy_codes(np.array([[[1, 0], [1, 0], [0, 1], [1, 0]]]), p)[0]
>>> from theory.learning.policies import POLICIES
>>> int(code), POLICIES[code]
(2, 'TTST')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dynamics.errors import ParameterError
from theory.learning.policies import POLICIES, WELLBEING

__all__ = [
    "QLearning",
    "EXPLORATIONS",
    "MEMORIES",
    "WELLBEING_TABLE",
    "steal_probability",
    "policy_codes",
    "policy_strings",
]

#: The exploration rules of the Q-learners: ε-greedy or softmax.
EXPLORATIONS = ("epsilon", "softmax")
_REAL = (int, float, np.integer, np.floating)
#: What a Q-learner's state remembers: nothing, or the last round's two moves.
MEMORIES = ("none", "one")
#: WELLBEING_TABLE[my move, your move], 0 = trade, 1 = steal: the seed's table.
WELLBEING_TABLE = np.array([[WELLBEING[a][b] for b in "TS"] for a in "TS"], dtype=float)


@dataclass(frozen=True)
class QLearning:
    """Parameters of a Q-learning agent in Sugar and spice world.

    Parameters
    ----------
    alpha : float in (0, 1]
        Learning rate.
    discount : float in [0, 1)
        The discount ``r``.
    exploration : {"epsilon", "softmax"}
        Epsilon-greedy (random move with probability `epsilon`) or softmax (Boltzmann) with
        `temperature`.
    epsilon, temperature : float
        Exploration parameters.
    memory : {"none", "one"}
        Zero memory (one state) or the last joint move with each partner (four states).
    q_init : (float, float)
        Initial Q-values are drawn uniformly from this interval.
    """

    alpha: float = 0.1
    discount: float = 0.9
    exploration: str = "epsilon"
    epsilon: float = 0.1
    temperature: float = 1.0
    memory: str = "one"
    q_init: tuple[float, float] = (0.0, 30.0)

    def __post_init__(self) -> None:
        def check(name: str, ok: bool) -> None:
            if not ok:
                raise ParameterError(f"{name} out of range: {getattr(self, name)!r}")

        for name in ("alpha", "discount", "epsilon", "temperature"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, _REAL) or not math.isfinite(v):
                raise ParameterError(f"{name} must be a finite number, got {v!r}")
        check("alpha", 0 < self.alpha <= 1)
        check("discount", 0 <= self.discount < 1)
        check("epsilon", 0 <= self.epsilon <= 1)
        check("temperature", self.temperature > 0)
        if self.exploration not in EXPLORATIONS:
            raise ParameterError(
                f"exploration must be one of {EXPLORATIONS}, got {self.exploration!r}"
            )
        if self.memory not in MEMORIES:
            raise ParameterError(f"memory must be one of {MEMORIES}, got {self.memory!r}")
        bounds = self.q_init
        ok = (
            isinstance(bounds, tuple | list)
            and len(bounds) == 2
            and all(
                not isinstance(v, bool) and isinstance(v, _REAL) and math.isfinite(v)
                for v in bounds
            )
        )
        if not ok or bounds[0] > bounds[1]:
            raise ParameterError(
                f"q_init must be a finite interval (low, high) with low <= high, got {bounds!r}"
            )

    @property
    def n_states(self) -> int:
        """1 with zero memory, 4 with one-step memory."""
        return 1 if self.memory == "none" else 4

    @property
    def noise(self) -> float | None:
        """The probability of playing the non-greedy move (epsilon / 2); None for softmax."""
        return self.epsilon / 2 if self.exploration == "epsilon" else None


def steal_probability(q: np.ndarray, params: QLearning) -> np.ndarray:
    """Probability of stealing given Q-value rows ``q[..., 2]`` (ties count trade as greedy)."""
    gap = q[..., 1] - q[..., 0]
    if params.exploration == "epsilon":
        e = params.epsilon / 2
        return np.where(gap > 0, 1 - e, e)
    return 0.5 * (1 + np.tanh(gap / (2 * params.temperature)))  # = 1 / (1 + exp(-gap / T))


def policy_codes(q: np.ndarray, params: QLearning) -> np.ndarray:
    """Greedy policies of Q arrays ``q[..., n_states, 2]`` as indices into ``POLICIES``.

    With zero memory the code is 0 (trade) or 1 (steal).
    """
    steal = (q[..., 1] > q[..., 0]).astype(np.int64)
    if params.n_states == 1:
        return steal[..., 0]
    return steal[..., 0] * 8 + steal[..., 1] * 4 + steal[..., 2] * 2 + steal[..., 3]


def policy_strings(codes: np.ndarray, params: QLearning) -> np.ndarray:
    """Policy codes as strings (``"TSST"``, or ``"T"``/``"S"`` with zero memory)."""
    table = np.array(POLICIES if params.n_states == 4 else ("T", "S"))
    return table[np.asarray(codes)]
