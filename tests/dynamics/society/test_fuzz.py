"""Fuzzing the society ensemble's inputs: a correct result or the package's own error, never
another exception type, a NaN Q-value or a policy read off NaNs."""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamics.errors import DynamicsError
from dynamics.society.ensemble import run_ensemble
from dynamics.society.graphs import interaction_graph
from dynamics.society.qlearning import QLearning

odd = st.sampled_from(
    [np.nan, np.inf, -1, 0, 1.5, "3", None, True, np.int64(2), Fraction(3), Fraction(1, 2), 1e308]
)
counts = st.one_of(st.integers(-1, 6), odd)
q_values = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.floats(-50, 50), min_size=1, max_size=4),
    st.sampled_from(
        [np.zeros((1, 2, 4, 2)), np.zeros((2, 4, 2)), np.zeros((3, 1)), "q", [[1], []]]
    ),
)


@st.composite
def learners(draw: st.DrawFn) -> object:
    kw = {}
    for name in ("alpha", "discount", "epsilon", "temperature"):
        if draw(st.booleans()):
            kw[name] = draw(st.one_of(st.floats(0, 1), odd))
    if draw(st.booleans()):
        kw["q_init"] = draw(
            st.one_of(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), st.sampled_from([(0,), 3]))
        )
    kw["memory"] = draw(st.sampled_from(["none", "one", "two"]))
    kw["exploration"] = draw(st.sampled_from(["epsilon", "softmax"]))
    return QLearning(**kw)


@settings(max_examples=80)
@given(
    data=st.data(),
    kind=st.sampled_from(["complete", "ring", "lattice", "small-world", "torus"]),
    n=counts,
    encounters=counts,
    runs=counts,
    q0=q_values,
    rng=st.one_of(st.integers(-2, 5), odd),
)
def test_fuzz_run_ensemble(data, kind, n, encounters, runs, q0, rng):
    try:
        params = data.draw(learners())
        graph = interaction_graph(kind, n, rng=0)
        res = run_ensemble(graph, params, encounters=encounters, runs=runs, q0=q0, rng=rng)
    except DynamicsError:
        return
    assert np.all(np.isfinite(res.q))
    assert res.q.shape == (runs, graph.number_of_nodes(), params.n_states, 2)
    assert np.all(np.isfinite(res.omega_per_agent)) and np.all(np.isfinite(res.mean_wellbeing))
    assert res.policy_strings().shape == (runs, graph.number_of_nodes())


def test_a_user_graph_with_isolated_agents_still_runs():
    G = nx.Graph([(0, 1)])
    G.add_node(2)
    res = run_ensemble(G, QLearning(), encounters=20, runs=2, rng=0)
    assert np.isnan(res.agent_wellbeing[:, 2]).all()  # documented: no encounters, NaN
