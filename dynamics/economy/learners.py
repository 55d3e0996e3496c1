"""Independent softmax policy-gradient learners, vectorised over learners (copies × agents).

A learner ``l`` picks one of ``A`` discrete actions with probability softmax(θ_l(x))_a, where the
logits θ_l(x) = Σ_k W[l, f_k] are the sum of the weight rows of the active one-hot features
``f_1..f_K`` of its observation x (a linear policy on one-hot features: ``K = 1`` with one feature
per state is a tabular policy; a feature that is always on is a bias; ``K = 1`` with a single
feature is a bandit). The weights of ``L`` learners live in one array of shape ``(L, F, A)``;
``L`` is the flattened copies × agents axis (a planner with one categorical per tax bracket is
``copies × brackets`` learners sharing one reward).

The update is REINFORCE with a baseline and an entropy bonus (Williams 1992; Sutton & Barto,
*Reinforcement Learning*, 2nd ed., §13.3–13.4; entropy regularisation as in Mnih et al. 2016):
over a batch of ``E`` episodes per learner,

    W[l, f_k] += α/E Σ_e [ Â_el (1[a = a_el] − π_el) − β π_el (log π_el + H_el) ],

with Â the advantage: the reward minus the batch mean of that learner, divided by the batch
standard deviation (so that α does not depend on the scale of utilities or welfare), and β the
entropy coefficient (−π(log π + H) is the gradient of the entropy H = −Σ π log π in the logits).
Masked actions (``mask`` False, e.g. rates above the planner's annealed cap) have probability 0
and no gradient. The step is plain gradient ascent (``optimiser="sgd"``) or Adam (``"adam"``,
the default, as in the AI Economist's PPO): a softmax that has become sharp on one action (the
free-market labour after phase one) has vanishing gradients, and Adam's per-weight scaling lets
it move again when taxes change the best action (measured: with plain steps the workers kept
their free-market labour for hundreds of iterations under 100 % rates).

A learner's state is a :class:`PolicyState` (weights, Adam's moments, the step count), a frozen
value: every update returns a new one.

Issue 12 (Social Environment Design on a Harvest commons) reuses this module: any environment
whose batched core takes ``(copies, agents)`` integer actions can be learned by mapping its
observations to active feature indices.

Examples
--------
>>> rng = np.random.default_rng(0)
>>> state = PolicyState.zeros(1, 1, 3)       # one learner, a bias feature, three actions
>>> features = np.zeros((64, 1, 1), dtype=int)
>>> learner = PolicyGradient(learning_rate=0.1, entropy=0.0)
>>> for _ in range(100):                      # a bandit whose action 2 pays 1, the others 0
...     probs = softmax_policy(state.weights, features)
...     actions = sample_actions(probs, rng=rng)
...     state = policy_gradient_update(learner, state, features, actions, actions == 2, probs)
>>> int(greedy_actions(state.weights, features[:1])[0, 0])
2
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dynamics.errors import ParameterError, ParameterTypeError

__all__ = [
    "PolicyGradient",
    "PolicyState",
    "OPTIMISERS",
    "softmax_policy",
    "sample_actions",
    "policy_gradient_update",
    "greedy_actions",
    "normalised_advantages",
    "policy_gradient",
    "apply_gradient",
]

#: Added to the batch standard deviation of rewards before dividing: a batch whose rewards are
#: all equal (std 0) gives zero advantages instead of 0/0.
ADVANTAGE_EPS = 1e-12
#: Adam's decay rates of the first and second moments: Kingma & Ba's defaults.
ADAM_BETAS = (0.9, 0.999)
#: Adam's guard against dividing by a zero second moment: Kingma & Ba's default.
ADAM_EPS = 1e-8
#: The step rules of :class:`PolicyGradient`.
OPTIMISERS = ("adam", "sgd")


@dataclass(frozen=True)
class PolicyGradient:
    """Step size α > 0, entropy coefficient β ≥ 0 and step rule of a softmax policy-gradient
    learner (``optimiser``: ``"adam"`` or ``"sgd"``, see the module docstring).

    Examples
    --------
    >>> PolicyGradient(learning_rate=0.2, entropy=0.01)
    PolicyGradient(learning_rate=0.2, entropy=0.01, optimiser='adam')
    """

    learning_rate: float = 0.05
    entropy: float = 0.01
    optimiser: str = "adam"

    def __post_init__(self) -> None:
        for name in ("learning_rate", "entropy"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
                raise ParameterTypeError(f"{name} must be a real number, got {v!r}")
            if not math.isfinite(v):
                raise ParameterError(f"{name} must be finite, got {v!r}")
            object.__setattr__(self, name, float(v))
        if self.learning_rate <= 0:
            raise ParameterError(f"learning_rate must be > 0, got {self.learning_rate}")
        if self.entropy < 0:
            raise ParameterError(f"entropy must be >= 0, got {self.entropy}")
        if self.optimiser not in OPTIMISERS:
            raise ParameterError(f"optimiser must be one of {OPTIMISERS}, got {self.optimiser!r}")


@dataclass(frozen=True)
class PolicyState:
    """The state of L learners: ``weights`` (L, F, A), Adam's ``moments`` (2, L, F, A: first and
    second) and the number of ``steps`` taken.

    Examples
    --------
    >>> PolicyState.zeros(4, 3, 2).weights.shape
    (4, 3, 2)
    """

    weights: np.ndarray
    moments: np.ndarray
    steps: int

    @classmethod
    def zeros(cls, learners: int, features: int, actions: int) -> PolicyState:
        """Uniform policies: every weight 0 (see :class:`PolicyState`)."""
        for name, v in (("learners", learners), ("features", features), ("actions", actions)):
            if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 1:
                raise ParameterError(f"{name} must be an integer >= 1, got {v!r}")
        return cls(
            np.zeros((learners, features, actions)), np.zeros((2, learners, features, actions)), 0
        )


def _logits(weights: np.ndarray, features: np.ndarray) -> np.ndarray:
    L, F, A = weights.shape
    rows = np.arange(L)[None, :, None] * F + features  # flat rows: one take, not 2-D indexing
    return np.take(weights.reshape(L * F, A), rows, axis=0).sum(axis=2)


def softmax_policy(
    weights: np.ndarray, features: np.ndarray, *, mask: np.ndarray | None = None
) -> np.ndarray:
    """Action probabilities, shape (E, L, A), of learners with ``weights`` (L, F, A) at
    observations whose active features are ``features`` (E, L, K) (integers in [0, F)).

    ``mask`` (broadcastable to (E, L, A), boolean) leaves out the actions where it is False; at
    least one action per row must remain.

    Examples
    --------
    >>> W = np.log(np.array([[[1.0, 3.0]]]))   # one learner, one feature, odds 1 : 3
    >>> softmax_policy(W, np.zeros((1, 1, 1), dtype=int))
    array([[[0.25, 0.75]]])
    """
    z = _logits(weights, features)
    if mask is not None:
        z = np.where(mask, z, -np.inf)
    z = z - z.max(axis=-1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=-1, keepdims=True)


def sample_actions(
    probs: np.ndarray, *, rng: int | np.random.Generator | None = None
) -> np.ndarray:
    """One action per row of ``probs`` (shape (..., A)) by inverse-CDF sampling, as ints.

    Examples
    --------
    >>> sample_actions(np.array([[0.0, 1.0], [1.0, 0.0]]), rng=0)
    array([1, 0])
    """
    rng = np.random.default_rng(rng)
    cdf = np.cumsum(probs, axis=-1)
    u = rng.random(probs.shape[:-1] + (1,)) * cdf[..., -1:]
    return np.minimum((cdf <= u).sum(axis=-1), probs.shape[-1] - 1)


def greedy_actions(weights: np.ndarray, features: np.ndarray) -> np.ndarray:
    """The most probable action of each learner at each observation, shape (E, L).

    Examples
    --------
    >>> greedy_actions(np.array([[[0.0, 2.0, 1.0]]]), np.zeros((1, 1, 1), dtype=int))
    array([[1]])
    """
    return _logits(weights, features).argmax(axis=-1)


def normalised_advantages(rewards: np.ndarray, *, groups: int = 1) -> np.ndarray:
    """Advantages (E, L): each reward minus the mean of its group of episodes, divided by the
    group's standard deviation (see :func:`policy_gradient_update`'s ``groups``).

    Examples
    --------
    >>> normalised_advantages(np.array([[1.0], [3.0]])).ravel().round(6)
    array([-1.,  1.])
    """
    r = np.asarray(rewards, dtype=float)
    E, L = r.shape
    if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1 or E % groups:
        raise ParameterError(f"groups must be a positive divisor of {E} episodes, got {groups!r}")
    r = r.reshape(groups, E // groups, L)
    adv = (r - r.mean(axis=1, keepdims=True)) / (r.std(axis=1, keepdims=True) + ADVANTAGE_EPS)
    return adv.reshape(E, L)


def policy_gradient(
    learner: PolicyGradient,
    weights: np.ndarray,
    features: np.ndarray,
    actions: np.ndarray,
    advantages: np.ndarray,
    probs: np.ndarray,
) -> np.ndarray:
    """The entropy-regularised REINFORCE gradient (L, F, A) of the mean over E episodes (module
    docstring), for ``advantages`` (E, L) already computed (:func:`normalised_advantages`).

    A batch too large for memory can be split into parts whose gradients, weighted by their
    shares of the episodes, sum to the whole batch's.

    Examples
    --------
    >>> W = np.zeros((1, 1, 2))
    >>> p = softmax_policy(W, np.zeros((2, 1, 1), dtype=int))
    >>> g = policy_gradient(PolicyGradient(entropy=0.0), W, np.zeros((2, 1, 1), dtype=int),
    ...                     np.array([[1], [1]]), np.array([[1.0], [1.0]]), p)
    >>> g.ravel().tolist()
    [-0.5, 0.5]
    """
    E, L, K = features.shape
    F, A = weights.shape[1], weights.shape[2]
    onehot = np.zeros_like(probs)
    np.put_along_axis(onehot, actions[..., None], 1.0, axis=-1)
    grad = advantages[..., None] * (onehot - probs)
    if learner.entropy > 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            logp = np.where(probs > 0, np.log(np.where(probs > 0, probs, 1.0)), 0.0)
        H = -(probs * logp).sum(axis=-1, keepdims=True)
        grad -= learner.entropy * probs * (logp + H)
    grad /= E
    # scatter-add each episode's logit gradient into the rows of its active features: one
    # bincount over (learner, feature, action) cells (np.add.at did the same, 3× slower)
    rows = np.arange(L)[None, :, None] * F + features  # (E, L, K)
    cells = (rows[..., None] * A + np.arange(A)).reshape(-1)
    values = np.broadcast_to(grad[:, :, None, :], (E, L, K, A)).reshape(-1)
    return np.bincount(cells, weights=values, minlength=L * F * A).reshape(L, F, A)


def apply_gradient(
    learner: PolicyGradient, state: PolicyState, gradient: np.ndarray
) -> PolicyState:
    """One ascent step along ``gradient`` (L, F, A) by the learner's step rule (plain or Adam).

    Examples
    --------
    >>> s = apply_gradient(PolicyGradient(0.1, optimiser="sgd"), PolicyState.zeros(1, 1, 2),
    ...                    np.array([[[1.0, -1.0]]]))
    >>> s.weights.ravel().tolist(), s.steps
    ([0.1, -0.1], 1)
    """
    g = gradient
    if learner.optimiser == "sgd":
        return PolicyState(
            state.weights + learner.learning_rate * g, state.moments, state.steps + 1
        )
    # Adam (Kingma & Ba 2015), ascending: the step is ~learning_rate per weight whatever the
    # size of the gradient, so a saturated softmax (π ≈ 1 on one action) still moves
    b1, b2 = ADAM_BETAS
    steps = state.steps + 1
    m = b1 * state.moments[0] + (1 - b1) * g
    v = b2 * state.moments[1] + (1 - b2) * g * g
    step = learner.learning_rate * (m / (1 - b1**steps)) / (np.sqrt(v / (1 - b2**steps)) + ADAM_EPS)
    return PolicyState(state.weights + step, np.stack([m, v]), steps)


def policy_gradient_update(
    learner: PolicyGradient,
    state: PolicyState,
    features: np.ndarray,
    actions: np.ndarray,
    rewards: np.ndarray,
    probs: np.ndarray,
    *,
    groups: int = 1,
) -> PolicyState:
    """New weights after one REINFORCE step on a batch (see the module docstring).

    Parameters
    ----------
    learner : PolicyGradient
        Step size, entropy coefficient, step rule.
    state : PolicyState
        Weights of shape (L, F, A) and the optimiser's moments.
    features : int ndarray (E, L, K)
        The active features of each learner's observation in each of E episodes.
    actions : int ndarray (E, L)
    rewards : ndarray (E, L)
    probs : ndarray (E, L, A)
        The probabilities the actions were sampled from (:func:`softmax_policy`, mask included).
    groups : int
        The E episodes are ``groups`` consecutive blocks of equal size whose episodes share
        their state (e.g. the tax schedule): the baseline and the scale of the advantage are
        then each block's own (a group-relative advantage, as in GRPO, Shao et al. 2024), which
        removes the reward differences between states from the advantage without bias (a
        baseline may depend on the state).

    Returns
    -------
    PolicyState
        A new state; ``state`` is not modified.
    """
    adv = normalised_advantages(
        np.asarray(rewards, dtype=float).reshape(len(features), -1), groups=groups
    )
    g = policy_gradient(learner, state.weights, features, actions, adv, probs)
    return apply_gradient(learner, state, g)
