import pytest
from hypothesis import given

from modal import BOT, ModalSyntaxError, PrudentBot, box, opp, parse_agent, parse_formula
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
    assert [n for n, _ in defs] == ["A", "B"]
