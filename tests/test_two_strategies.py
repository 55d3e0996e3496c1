"""Every public function that takes a game works at n = 2 (issue 13): a sweep with one 2 x 2
game, hawk-dove with symbolic V and C given values through ``Game.at``.

Hawk-dove at V = 2, C = 3: the mixed ESS plays Hawk with probability V/C = 2/3.
"""

from __future__ import annotations

from fractions import Fraction

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy  # noqa: E402

import dynamics as D  # noqa: E402
import dynamics.finite as F  # noqa: E402
import theory as T  # noqa: E402
from dynamics.basins import Fate, basin_sizes, basins  # noqa: E402
from dynamics.integrate import integrate  # noqa: E402
from dynamics.longrun import trapping_radius  # noqa: E402
from dynamics.plots.line import plot_line_flow  # noqa: E402
from theory.equilibria import equilibria  # noqa: E402
from theory.games import Game  # noqa: E402

V, C = sympy.symbols("V C", positive=True)
HAWK_DOVE = Game.symmetric([[(V - C) / 2, V], [0, V / 2]])
G = HAWK_DOVE.at(V=2, C=3)
ESS = (Fraction(2, 3), Fraction(1, 3))
X = [0.3, 0.7]
SMALL = Game.symmetric([[Fraction(1, 2), 2], [1, Fraction(3, 2)]])  # positive payoffs: Moran w=1


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.mark.parametrize(
    "call",
    [
        lambda: D.replicator(G, X),
        lambda: D.best_response(G, X),
        lambda: D.logit(G, X, eta=2.0),
        lambda: D.brown_von_neumann_nash(G, X),
        lambda: D.smith(G, X),
        lambda: D.numeric_jacobian(G, X),
    ],
    ids=["replicator", "best_response", "logit", "bnn", "smith", "numeric_jacobian"],
)
def test_flows(call):
    out = np.asarray(call())
    assert np.all(np.isfinite(out))


def test_fields_vanish_at_the_mixed_ess():
    x = [float(v) for v in ESS]
    for f in (D.replicator, D.brown_von_neumann_nash, D.smith):
        assert np.allclose(f(G, x), 0, atol=1e-12)


def test_integration_and_basins_reach_the_ess():
    tr = integrate(G, [X, [0.95, 0.05]], 60.0)
    assert np.allclose(tr.x[:, -1, :], [float(v) for v in ESS], atol=1e-4)
    one = D.integrate_single(G, X, 60.0)
    assert np.allclose(one.x[0, -1], [float(v) for v in ESS], atol=1e-4)
    b = basins(G, [X, [0.9, 0.1]], 60.0)
    assert all(f.kind == "rest" and f.point == (0.667, 0.333) for f in b.fates)
    assert D.classify_fates(G, [X], 60.0).fates == b.fates[:1]
    sizes = basin_sizes(G, 30, 60.0, rng=0)
    assert sizes.counts == ((Fate("rest", (0, 1), point=(0.667, 0.333)), 30),)
    assert trapping_radius(HAWK_DOVE.at(V=3, C=2), 0) > 0  # V > C: Hawk is strict Nash


def test_finite_populations():
    for make in (F.moran, F.wright_fisher):
        p = make(SMALL, 10)
        rho = F.fixation_probability(p, 0, 1)
        assert 0 < float(rho) < 1
    p = F.fermi(G, 10, beta=1.0)
    assert 0 < float(F.fixation_probability(p, 0, 1)) < 1
    lim = F.small_mutation_limit(F.moran(SMALL, 10))
    assert np.isclose(float(sum(lim.stationary)), 1)
    chain = F.markov_chain(F.moran(SMALL, 6, mu=Fraction(1, 10)))
    pi = F.stationary_distribution(chain.P)
    assert np.isclose(float(np.sum(np.asarray(pi, dtype=float))), 1)
    sim = F.simulate(F.moran(SMALL, 10), [5, 5], steps=20, rng=0)
    assert np.all(np.asarray(sim.counts).sum(axis=-1) == 10)
    fx = F.fixations(F.moran(SMALL, 10), [5, 5], runs=10, rng=0)
    assert fx is not None
    runs = F.simulate_agents(G, [5, 5], rounds=5, rng=0)
    assert runs is not None
    conv = F.flow_convergence(G, [0.5, 0.5], [10, 20], rounds=3, runs=5, rng=0)
    assert conv is not None


def test_theory():
    rest = T.replicator_rest_points(G)
    assert ESS in [tuple(p.x) for p in rest]
    assert T.classify_rest_point(G, ESS).kind == "sink"
    assert T.is_ess(G, ESS)
    assert T.replicator_jacobian(G, ESS).shape[0] >= 1
    assert len(T.tangent_eigenvalues(G, ESS)) == 1
    for found in (equilibria(G), T.exact_equilibria(G)):
        assert (ESS, ESS) in [(tuple(q.x), tuple(q.y)) for q in found]
    assert ESS in [tuple(q.x) for q in T.symmetric_equilibria(G)]
    assert T.best_responses(G) is not None
    assert len(T.pure_equilibria(G)) == 2  # (Hawk, Dove) and (Dove, Hawk)
    assert T.logit_qre(G, 1.0) is not None


def test_symbolic_two_strategy_game():
    eqs = T.symbolic_equilibria(HAWK_DOVE)
    mixed = [q for q in eqs if len(q.support_x) == 2]
    assert mixed and sympy.simplify(mixed[0].x[0] - V / C) == 0
    rest = T.replicator_rest_points(HAWK_DOVE)
    assert any(sympy.simplify(p.x[0] - V / C) == 0 for p in rest)


def test_portrait():
    ax = plot_line_flow(G, labels=["Hawk", "Dove"])
    assert ax.get_xlabel() == "share of Dove"
