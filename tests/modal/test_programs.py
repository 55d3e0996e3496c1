"""The formula store behind the batch evaluator: interning, programs, limits."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from modal import SEED_AGENTS, Agent, Formula, parse_formula, round_robin
from modal._programs import _AND, _BOX, _COPY, _Dag
from modal.formula import BOT, TOP, And, Box, Opp, subformulas

from .strategies import formulas


def test_equal_formulas_are_one_node_whatever_the_objects() -> None:
    dag = _Dag()
    f = parse_formula("([]opp(me) & [](~[]F -> ~opp(DefectBot)))")
    g = parse_formula(str(f))  # equal, other objects
    assert f is not g
    nodes = dag.nodes([f, g, f])
    assert nodes.tolist() == [nodes[0]] * 3
    assert dag.size == len(set(subformulas(f)))  # every distinct subformula once


def test_programs_have_one_row_per_distinct_non_leaf_subformula() -> None:
    dag = _Dag()
    p = Box(Opp("me"))
    shared = And(And(p, p), Box(And(p, Opp("me"))))  # p three times, opp(me) twice
    fs = [shared, TOP, BOT, p]
    rows, lens = dag.programs(dag.nodes(fs))
    inner = {g for g in subformulas(shared) if g.children()}
    assert lens.tolist() == [len(inner), 1, 1, 1]
    prog = rows[: lens[0]]
    # children first: every register operand points at an earlier row
    for i, (op, a, b) in enumerate(prog.tolist()):
        assert a < i and (op != _AND or b < i)
    assert prog[:, 0].tolist().count(_BOX) == 2
    # ⊤ and ⊥ alone: one row copying the leaf (leaf codes 0 and 1)
    assert rows[lens[0]].tolist() == [_COPY, -1, 0]
    assert rows[lens[0] + 1].tolist() == [_COPY, -2, 0]


def test_deep_and_wide_formulas_compile_without_recursion() -> None:
    dag = _Dag()
    deep = parse_formula("[]" * 500 + "opp(me)")
    wide = parse_formula(" & ".join(["[]opp(me)"] * 600))
    rows, lens = dag.programs(dag.nodes([deep, wide]))
    # 500 boxes; 599 conjunctions over one (interned) []opp(me)
    assert lens.tolist() == [500, 600]
    assert (rows[:500, 0] == _BOX).all()


def test_the_store_starting_afresh_between_batches_changes_no_result(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import modal._programs

    lib = [
        Agent(f"A{i}", f)
        for i, f in enumerate(
            parse_formula(t)
            for t in ("[]opp(me)", "[]~opp(me)", "([]me -> <>opp(FairBot))", "T", "~[][]F")
        )
    ]
    expected = round_robin(lib, SEED_AGENTS)
    monkeypatch.setattr(modal._programs, "_DAG_LIMIT", 3)  # every call starts afresh
    for _ in range(3):
        rr = round_robin(lib[::-1], SEED_AGENTS)
        assert np.array_equal(rr.cooperates[::-1], expected.cooperates)
        assert np.array_equal(rr.self_play[::-1], expected.self_play)


@given(st.lists(formulas(), min_size=1, max_size=6))
@settings(max_examples=80, deadline=None)
def test_nodes_are_equal_exactly_when_formulas_are(fs: list[Formula]) -> None:
    # the store finds a formula by its structure (connective and children's nodes): copies
    # rebuilt from text are the same node, and different formulas never share one
    dag = _Dag()
    copies = [parse_formula(str(f)) for f in fs]
    nodes = dag.nodes([*fs, *copies]).tolist()
    assert nodes[len(fs) :] == nodes[: len(fs)]
    for i, f in enumerate(fs):
        for j, g in enumerate(fs):
            assert (nodes[i] == nodes[j]) == (f == g)
    assert dag.size == len({s for f in fs for s in subformulas(f)})
