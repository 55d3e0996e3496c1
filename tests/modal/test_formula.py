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


def test_deep_formulas_need_no_recursion() -> None:
    from modal.formula import MAX_FORMULA_SIZE

    nested = opp()
    for _ in range(5000):
        nested = box(nested)
    assert box_depth(nested) == 5000 and size(nested) == 5001
    assert str(nested).startswith("[][]") and len(str(nested)) == 2 * 5000 + 7
    twin = opp()
    for _ in range(5000):
        twin = box(twin)
    assert nested == twin and hash(nested) == hash(twin)
    chain = box(opp())
    for _ in range(3000):
        chain = chain & box(opp())
    assert size(chain) == 3001 * 2 + 3000
    assert size(box(opp())) < MAX_FORMULA_SIZE


def test_shared_subformulas_cannot_blow_up() -> None:
    from modal import FormulaTooLargeError

    f = box(opp())
    with pytest.raises(FormulaTooLargeError, match="MAX_FORMULA_SIZE"):
        for _ in range(40):  # 2^40 tree nodes from 40 objects
            f = f & f


def test_self_atom() -> None:
    from modal import me
    from modal.formula import Me

    assert me() == Me() and str(me()) == "me"
    assert atoms(box(me())) == frozenset()  # not an opponent atom: it runs no agent
    assert box_depth(box(me() >> opp())) == 1
    assert str(box(opp(), 2)) == "[](~[][]F -> opp(me))"
    assert str(dia(me(), 1)) == "<>(~[]F & me)"
