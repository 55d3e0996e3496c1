"""AE-04..06 with learning agents (X-AE-L4..L6): verdicts computed from the record, and the
judgement says no when learning and theory part (a tiny curriculum; the report's run is
``numpol reproduce``)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import numpol.experiments.learning_planner as lp
import numpol.experiments.learning_planner_ae as ae_mod
from numpol.agreement import K_SE


@pytest.fixture(scope="module")
def record() -> tuple[lp.LearningPlannerRun, ae_mod.AELearningRun]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(
            lp,
            "REPORT_CURRICULUM",
            lp.TwoPhaseCurriculum(
                free_steps=10, joint_steps=30, anneal_steps=10, schedules=4, repeats=2
            ),
        )
        mp.setattr(lp, "FIXED_STEPS", 60)
        mp.setattr(ae_mod, "SEEDS", 3)
        run = lp.compute_learning_planner(rng=1)
        return run, ae_mod.compute_ae_learning(run, rng=2)


def test_the_record_holds_the_ae_schedules_and_the_learned_planners(record) -> None:  # type: ignore[no-untyped-def]
    run, ae = record
    assert ae.names[:4] == ("free market", "US federal", "Saez", "exact optimum")
    assert ae.optimum == 3 and ae.planners == list(range(4, 4 + lp.RUNS))
    np.testing.assert_array_equal(ae.rates[0], 0.0)
    np.testing.assert_allclose(ae.rates[1], [0.10, 0.22, 0.32])  # US federal 2018, brackets 1, 3, 5
    np.testing.assert_array_equal(ae.rates[ae.optimum], run.exact.rates)
    np.testing.assert_array_equal(ae.rates[ae.planners], run.two_phase.rates)
    assert ae.learned["eq_times_prod"].shape == (len(ae.names), 3)
    # the exact side is theory's: eq·prod = equality × productivity, and the optimum is the best
    np.testing.assert_allclose(
        ae.exact["eq_times_prod"], ae.exact["equality"] * ae.exact["productivity"], rtol=1e-12
    )
    assert ae.exact["eq_times_prod"][ae.optimum] == pytest.approx(run.exact.value, rel=1e-9)
    assert all(v > 0 for v in ae.allowance["productivity"])


def test_the_verdicts_are_computed_from_the_record(record) -> None:  # type: ignore[no-untyped-def]
    _, ae = record
    l4, l5, l6 = ae_mod.judge_ae_learning(ae)
    assert [c.id for c in (l4, l5, l6)] == ["X-AE-L4", "X-AE-L5", "X-AE-L6"]
    four = list(range(4))

    def within(m: str, rows: list[int]) -> bool:
        x = ae.learned[m][rows]
        se = x.std(axis=1, ddof=1) / np.sqrt(x.shape[1])
        gap = np.abs(x.mean(axis=1) - ae.exact[m][rows])
        return bool(np.all(gap <= K_SE * se + ae.allowance[m][rows]))

    def pattern(p: np.ndarray, q: np.ndarray) -> bool:
        return bool(p[0] >= p.max() and q[0] <= q.min())

    mean = {m: v.mean(axis=1) for m, v in ae.learned.items()}
    exact4 = pattern(ae.exact["productivity"][four], ae.exact["equality"][four])
    same4 = pattern(mean["productivity"][four], mean["equality"][four]) == exact4
    assert l4.agrees == (within("productivity", four) and within("equality", four) and same4)
    assert l4.seed_holds == ("yes" if exact4 else "no")
    everything = list(range(len(ae.names)))
    assert l5.agrees <= within("eq_times_prod", everything)
    assert (l6.seed_holds == "yes") == all(ae.exact_shape)


def test_the_judgement_says_no_when_learning_and_theory_part(record) -> None:  # type: ignore[no-untyped-def]
    _, ae = record
    # learned productivity 10 allowances above theory under every schedule
    far = {
        **ae.learned,
        "productivity": ae.learned["productivity"] + 10 * ae.allowance["productivity"][:, None],
    }
    l4, _, _ = ae_mod.judge_ae_learning(replace(ae, learned=far))
    assert not l4.agrees and "productivity" in l4.rule
    # learned eq·prod: a baseline (US federal) above everything else, so learning reads AE-05
    # the other way
    eqp = ae.learned["eq_times_prod"].copy()
    eqp[1] = ae.exact["eq_times_prod"].max() * 2
    _, l5, _ = ae_mod.judge_ae_learning(replace(ae, learned={**ae.learned, "eq_times_prod": eqp}))
    assert not l5.agrees
    # theory without the trade-off (the free market made the least productive): 'no'
    prod = ae.exact["productivity"].copy()
    prod[0] = 0.5 * prod.min()
    l4_no, _, _ = ae_mod.judge_ae_learning(replace(ae, exact={**ae.exact, "productivity": prod}))
    assert l4_no.seed_holds == "no" and not l4_no.agrees
    # a learned planner whose judged shape flag differs from the optimum's
    judged = [i for i in range(2) if len({s[i] for s in ae.near_shapes}) == 1]
    assert judged, "the tolerance fixes at least one flag in this economy"
    i = judged[0]
    flipped = tuple(
        tuple(not v if j == i else v for j, v in enumerate(s)) if k == 0 else s
        for k, s in enumerate(ae.shapes)
    )
    _, _, l6 = ae_mod.judge_ae_learning(replace(ae, shapes=flipped))  # type: ignore[arg-type]
    assert not l6.agrees
