import pytest

from modal import BOT, TOP, ModalTypeError, box, dia, iff, opp
from modal.formula import And, Box, Not, Opp, atoms, box_depth, size


def test_operators_build_nodes() -> None:
    f = box(opp()) & ~opp("DefectBot")
    assert isinstance(f, And) and isinstance(f.right, Not)
    assert (TOP >> BOT).left == TOP
    assert (TOP | BOT).right == BOT
    assert iff(TOP, BOT) != iff(BOT, TOP)


def test_formulas_are_hashable_values() -> None:
    assert box(opp()) == Box(Opp("me"))
    assert len({box(opp()), box(opp()), dia(opp())}) == 2


def test_depth_atoms_size() -> None:
    f = box(opp()) & box(~box(BOT) >> ~opp("DefectBot"))
    assert box_depth(f) == 2
    assert atoms(f) == {"me", "DefectBot"}
    assert size(f) == 10


def test_combining_with_non_formula_is_an_error() -> None:
    with pytest.raises(ModalTypeError, match="expected a Formula"):
        _ = TOP & True  # type: ignore[operator]
    with pytest.raises(ModalTypeError, match="agent name"):
        opp("")
    with pytest.raises(ModalTypeError):
        box("opp(me)")  # type: ignore[arg-type]
