import numpy as np
import pytest

from dynamics.errors import ParameterError
from dynamics.society.qlearning import QLearning, policy_codes, policy_strings, steal_probability


def test_epsilon_greedy_and_softmax_probabilities():
    q = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
    assert steal_probability(q, QLearning(epsilon=0.2)).tolist() == [0.9, 0.1, 0.1]
    soft = steal_probability(q, QLearning(exploration="softmax", temperature=0.5))
    np.testing.assert_allclose(soft, 1 / (1 + np.exp(-np.array([1.0, -1.0, 0.0]) / 0.5)))


def test_policy_codes_round_trip():
    p = QLearning()
    steal = np.array([[1, 0, 0, 1]])
    q = np.stack([1 - steal, steal], axis=-1).astype(float)
    assert policy_strings(policy_codes(q, p), p).tolist() == ["STTS"]
    assert policy_strings(
        policy_codes(q[:, :1], QLearning(memory="none")), QLearning(memory="none")
    ).tolist() == ["S"]


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"alpha": 0}, "alpha"),
        ({"discount": 1}, "discount"),
        ({"epsilon": 2}, "epsilon"),
        ({"temperature": 0}, "temperature"),
        ({"exploration": "ucb"}, "exploration"),
        ({"memory": "two"}, "memory"),
        ({"q_init": (1, 0)}, "q_init"),
        ({"q_init": (0,)}, "q_init"),
        ({"q_init": (0, 1, 2)}, "q_init"),
        ({"q_init": ("a", 1)}, "q_init"),
        ({"q_init": (0, float("inf"))}, "q_init"),
        ({"q_init": 5}, "q_init"),
        ({"q_init": None}, "q_init"),
        ({"alpha": True}, "alpha"),
        ({"alpha": float("nan")}, "alpha"),
    ],
)
def test_bad_parameters(kw, match):
    with pytest.raises(ParameterError, match=match):
        QLearning(**kw)


def test_numpy_numbers_are_parameters():
    p = QLearning(alpha=np.float64(0.5), discount=np.float32(0.5), q_init=(np.int64(0), 3))
    assert p.alpha == 0.5 and p.q_init[0] == 0
