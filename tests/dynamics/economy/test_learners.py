"""Softmax policy-gradient learners: gradients against finite differences, known optima of tiny
problems, seeded runs, bad parameters."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamics.economy.learners import (
    PolicyGradient,
    PolicyState,
    greedy_actions,
    policy_gradient_update,
    sample_actions,
    softmax_policy,
)
from dynamics.errors import ParameterError, ParameterTypeError


def test_sampling_frequencies_match_the_probabilities() -> None:
    p = np.array([0.1, 0.2, 0.3, 0.4])
    draws = sample_actions(np.broadcast_to(p, (100_000, 4)), rng=3)
    freq = np.bincount(draws, minlength=4) / draws.size
    se = np.sqrt(p * (1 - p) / draws.size)
    assert np.all(np.abs(freq - p) <= 4 * se)  # 4 binomial standard errors per action


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=20, deadline=None)
def test_the_entropy_step_is_the_entropy_gradient(seed: int) -> None:
    """With every advantage 0 (equal rewards) the update is α β ∇H: compare with a central
    difference of the entropy in the logits."""
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(1, 1, 5))
    feats = np.zeros((1, 1, 1), dtype=int)
    probs = softmax_policy(W, feats)
    state = PolicyState(W, np.zeros((2, 1, 1, 5)), 0)
    new = policy_gradient_update(
        PolicyGradient(1.0, 1.0, "sgd"), state, feats, np.array([[0]]), np.zeros((1, 1)), probs
    ).weights

    def H(w: np.ndarray) -> float:
        p = softmax_policy(w, feats)[0, 0]
        return float(-(p * np.log(p)).sum())

    h = 1e-6
    fd = np.array([(H(W + h * np.eye(5)[k]) - H(W - h * np.eye(5)[k])) / (2 * h) for k in range(5)])
    np.testing.assert_allclose((new - W)[0, 0], fd, atol=1e-7)


def test_a_bandit_learner_finds_the_best_arm() -> None:
    means = np.array([0.2, 0.5, 0.45, 0.1])
    rng = np.random.default_rng(0)
    L, E = 8, 64  # eight independent learners
    feats = np.zeros((E, L, 1), dtype=int)
    for learner in (PolicyGradient(0.05, 0.001), PolicyGradient(0.2, 0.001, "sgd")):
        state = PolicyState.zeros(L, 1, 4)
        for _ in range(600):
            probs = softmax_policy(state.weights, feats)
            a = sample_actions(probs, rng=rng)
            r = means[a] + rng.normal(0, 0.3, a.shape)
            state = policy_gradient_update(learner, state, feats, a, r, probs)
        assert greedy_actions(state.weights, feats[:1]).tolist() == [[1] * L], learner


def test_a_tabular_learner_finds_the_best_action_in_each_state() -> None:
    """Two states (the active feature), best action 2 in state 0 and 0 in state 1."""
    pay = np.array([[0.0, 0.3, 1.0], [1.0, 0.2, 0.0]])
    rng = np.random.default_rng(1)
    state = PolicyState.zeros(4, 2, 3)
    learner = PolicyGradient(0.05, 0.0)
    for _ in range(400):
        s = rng.integers(0, 2, (32, 4, 1))
        probs = softmax_policy(state.weights, s)
        a = sample_actions(probs, rng=rng)
        state = policy_gradient_update(learner, state, s, a, pay[s[..., 0], a], probs)
    states = np.array([[[0]] * 4, [[1]] * 4])
    assert greedy_actions(state.weights, states).tolist() == [[2] * 4, [0] * 4]


def test_group_baselines_remove_the_differences_between_states() -> None:
    """Two groups whose rewards differ by a constant per group get the same update as one
    group with the constant removed: the baseline is each group's own."""
    rng = np.random.default_rng(2)
    feats = np.zeros((8, 1, 1), dtype=int)
    probs = np.full((8, 1, 3), 1 / 3)
    a = rng.integers(0, 3, (8, 1))
    r = rng.random((8, 1))
    shifted = r + np.repeat([[0.0], [100.0]], 4, axis=0)
    lrn = PolicyGradient(1.0, 0.0, "sgd")
    s0 = PolicyState.zeros(1, 1, 3)
    one = policy_gradient_update(lrn, s0, feats, a, r, probs, groups=2)
    two = policy_gradient_update(lrn, s0, feats, a, shifted, probs, groups=2)
    np.testing.assert_allclose(one.weights, two.weights, atol=1e-12)
    with pytest.raises(ParameterError, match="groups"):
        policy_gradient_update(lrn, s0, feats, a, r, probs, groups=3)


def test_masked_actions_are_never_sampled_and_never_learned() -> None:
    state = PolicyState.zeros(2, 1, 3)
    feats = np.zeros((50, 2, 1), dtype=int)
    mask = np.array([True, True, False])
    probs = softmax_policy(state.weights, feats, mask=mask)
    assert np.all(probs[..., 2] == 0)
    a = sample_actions(probs, rng=0)
    assert not np.any(a == 2)
    new = policy_gradient_update(PolicyGradient(1.0, 0.1), state, feats, a, a * 1.0, probs)
    assert np.all(new.weights[..., 2] == 0) and np.any(new.weights != 0)


def test_updates_are_seeded_and_leave_the_input_alone() -> None:
    def run(seed: int) -> np.ndarray:
        rng = np.random.default_rng(seed)
        state = PolicyState.zeros(3, 2, 4)
        for _ in range(20):
            s = rng.integers(0, 2, (16, 3, 1))
            probs = softmax_policy(state.weights, s)
            a = sample_actions(probs, rng=rng)
            W0 = state.weights.copy()
            new = policy_gradient_update(PolicyGradient(), state, s, a, rng.random((16, 3)), probs)
            np.testing.assert_array_equal(state.weights, W0)
            state = new
        return state.weights

    np.testing.assert_array_equal(run(5), run(5))
    assert not np.array_equal(run(5), run(6))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"learning_rate": 0.0}, ParameterError),
        ({"learning_rate": float("nan")}, ParameterError),
        ({"entropy": -0.1}, ParameterError),
        ({"entropy": "0.1"}, ParameterTypeError),
        ({"learning_rate": True}, ParameterTypeError),
        ({"optimiser": "rmsprop"}, ParameterError),
    ],
)
def test_bad_learner_parameters(kwargs, error) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=next(iter(kwargs))):
        PolicyGradient(**kwargs)
