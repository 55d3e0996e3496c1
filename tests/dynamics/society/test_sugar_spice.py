import networkx as nx
import numpy as np
import pytest
from scipy import stats

from dynamics.errors import ParameterError, ParameterTypeError
from dynamics.society.ensemble import run_ensemble
from dynamics.society.qlearning import QLearning
from dynamics.society.sugar_spice import run_framework

# Both engines are run with fixed seeds, so these tests are deterministic; a two-sample test at
# level 0.001 would reject two identical engines only once in a thousand seed choices.
LEVEL = 0.001


def test_framework_run_is_seeded_and_records_omega():
    p = QLearning()
    a = run_framework(nx.cycle_graph(4), p, encounters=40, rng=2)
    b = run_framework(nx.cycle_graph(4), p, encounters=40, rng=2)
    np.testing.assert_array_equal(a.q, b.q)
    assert a.history.deliveries == 7 * 40  # tick, 2 meet, 2 move, 2 outcome
    assert set(a.history.omega[-1:]) <= set(range(0, 17))
    assert a.history.omega[-1] == sum(a.society.wellbeing(str(i)) for i in range(4))


@pytest.mark.slow
@pytest.mark.parametrize("memory", ["one", "none"])
def test_framework_and_ensemble_agree_in_distribution(memory):
    # 150 framework runs vs 2000 ensemble runs of 120 encounters each on a 3-ring; compare the
    # final Q-values of agent 0 (two-sample Kolmogorov-Smirnov) and its final greedy moves
    # (chi-square test of homogeneity on the 2 x K table of policies seen >= 5 times).
    p = QLearning(alpha=0.2, memory=memory)
    G, enc = nx.cycle_graph(3), 120
    fw = np.array(
        [run_framework(G, p, encounters=enc, rng=1000 + i, record=False).q[0] for i in range(150)]
    )
    ens = run_ensemble(G, p, encounters=enc, runs=2000, rng=1).q[:, 0]
    for s in range(p.n_states):
        for a in range(2):
            assert stats.ks_2samp(fw[:, s, a], ens[:, s, a]).pvalue > LEVEL
    codes_fw = ((fw[..., 1] > fw[..., 0]) * (2 ** np.arange(p.n_states))).sum(-1)
    codes_en = ((ens[..., 1] > ens[..., 0]) * (2 ** np.arange(p.n_states))).sum(-1)
    keys = [k for k in np.unique(codes_en) if (codes_en == k).sum() >= 5 * 2000 / 150]
    table = np.array([[(c == k).sum() for k in keys] for c in (codes_fw, codes_en)])
    assert stats.chi2_contingency(table).pvalue > LEVEL


def test_bad_encounters():
    with pytest.raises(ParameterError, match="encounters"):
        run_framework(nx.complete_graph(2), QLearning(), encounters=0)


def test_framework_arguments_are_checked_like_the_ensembles():
    G = nx.complete_graph(2)
    with pytest.raises(ParameterTypeError, match="params must be a QLearning"):
        run_framework(G, {"alpha": 0.1}, encounters=5, rng=0)
    with pytest.raises(ParameterError, match="rng must be a seed"):
        run_framework(G, QLearning(), encounters=5, rng=-1)
    with pytest.raises(ParameterError, match="q0"):
        run_framework(G, QLearning(), encounters=5, q0=np.nan, rng=0)
    assert run_framework(G, QLearning(), encounters=np.int64(5), rng=0) is not None
