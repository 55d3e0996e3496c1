import pytest

from modal import ModalTypeError
from modal.enumerate import enumerate_agents, formulas
from modal.formula import box_depth


def test_formulas_respect_bounds_and_are_modalized() -> None:
    fs = formulas(2, 5, ("me", "DefectBot"))
    assert len(fs) == len(set(fs))
    assert all(box_depth(f) <= 2 for f in fs)
    from modal import Agent

    for f in fs:
        Agent("X", f)  # raises if an atom stands outside a box


def test_classes_contain_the_seed_agents_behaviour() -> None:
    e = enumerate_agents(1, 3)
    assert e.searched == len(formulas(1, 3, ("me", "CooperateBot", "DefectBot", "FairBot")))
    names = {a.name for a in e.agents}
    assert {"T", "F", "[]opp(me)"} <= names
    assert len(e.agents) < e.searched  # behaviour classes merge formulas
    assert set(e.depths) == {0, 1}


def test_bad_bounds() -> None:
    with pytest.raises(ModalTypeError, match="max_depth"):
        enumerate_agents(-1, 3)
