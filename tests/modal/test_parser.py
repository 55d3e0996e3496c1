import pytest
from hypothesis import given

from modal import BOT, TOP, ModalSyntaxError, PrudentBot, box, dia, opp, parse_agent, parse_formula
from modal.formula import box_depth, size
from modal.parser import parse_definitions

from .strategies import formulas


@given(formulas())
def test_round_trip(f) -> None:  # type: ignore[no-untyped-def]
    assert parse_formula(str(f)) == f


def test_issue_examples_parse() -> None:
    assert parse_agent("FairBot := [] opp(me)").formula == box(opp())
    assert parse_agent("PrudentBot := [] opp(me) & [](~[]F -> ~opp(DefectBot))") == PrudentBot


def test_unicode_and_precedence() -> None:
    assert parse_formula("□opp(me) ∧ ¬◇⊥") == parse_formula("[]opp(me) & ~<>F")
    # & binds tighter than |, which binds tighter than ->; -> is right associative
    assert parse_formula("T | F & F") == parse_formula("T | (F & F)")
    assert parse_formula("T -> F -> T") == parse_formula("T -> (F -> T)")
    assert parse_formula("~[]F") == ~box(BOT)


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("[] opp(me) &", 13, "end of input"),
        ("[] opp(me) & ]", 14, "unexpected character"),
        ("[] opp me", 8, r"'\(' after opp"),
        ("[](opp(me)", 11, r"'\)'"),
        ("T T", 3, "after a complete formula"),
    ],
)
def test_errors_point_at_the_column(text: str, column: int, message: str) -> None:
    with pytest.raises(ModalSyntaxError, match=message) as info:
        parse_formula(text)
    assert info.value.column == column
    assert str(info.value).splitlines()[-1].index("^") - 2 == column - 1


def test_definition_errors() -> None:
    with pytest.raises(ModalSyntaxError, match="Name := formula"):
        parse_agent("[]opp(me)")
    with pytest.raises(ModalSyntaxError, match="reserved"):
        parse_agent("opp := T")
    with pytest.raises(ModalSyntaxError, match="line 2"):
        parse_definitions("A := T\nB := [] &\n")


def test_definitions_skip_comments() -> None:
    defs = parse_definitions("# agents\nA := []opp(B)  # A trusts B\n\nB := T\n")
    assert [d.name for d in defs] == ["A", "B"]


def test_self_atom_and_numbered_boxes_parse() -> None:
    from modal import me

    assert parse_formula("[](me -> opp(me))") == box(me() >> opp())
    assert parse_formula("[1] opp(me)") == box(opp(), 1)
    assert parse_formula("<2>me") == dia(me(), 2)
    assert parse_formula("[0]opp(me)") == box(opp())


def test_long_and_deep_texts_parse_without_recursion() -> None:
    conj = " & ".join(["[]opp(me)"] * 600)
    f = parse_formula(conj)
    assert size(f) == 600 * 2 + 599
    deep = parse_formula("[]" * 500 + "opp(me)")
    assert box_depth(deep) == 500
    parens = parse_formula("(" * 800 + "T" + ")" * 800)
    assert parens == TOP
    assert parse_formula(str(deep)) == deep


def test_too_long_text_is_refused() -> None:
    from modal.parser import MAX_TEXT_LENGTH

    with pytest.raises(ModalSyntaxError, match="MAX_TEXT_LENGTH"):
        parse_formula("T" + " " * MAX_TEXT_LENGTH)
