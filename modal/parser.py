"""The text syntax of modal agents, and its parser (errors point at the column).

Grammar, loosest binding first::

    definition := NAME ":=" formula
    formula    := implies ("<->" implies)*
    implies    := or ("->" implies)?          (right associative)
    or         := and ("|" and)*
    and        := unary ("&" unary)*
    unary      := ("~" | "[]" | "<>") unary | atom
    atom       := "T" | "F" | "opp(" (NAME | "me") ")" | "(" formula ")"

Unicode spellings are accepted too: ⊤ ⊥ ¬ □ ◇ ∧ ∨ → ↔. A NAME is an identifier, optionally
followed by ``-`` and digits (``WaitFairBot-2``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modal.errors import ModalSyntaxError
from modal.formula import BOT, TOP, And, Box, Diamond, Formula, Iff, Implies, Not, Opp, Or

__all__ = ["parse_formula", "parse_definition", "parse_definitions"]

_NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:-\d+)?"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<iff><->|↔)
  | (?P<imp>->|→)
  | (?P<box>\[\]|□)
  | (?P<dia><>|◇)
  | (?P<not>~|¬)
  | (?P<and>&|∧)
  | (?P<or>\||∨)
  | (?P<lp>\()
  | (?P<rp>\))
  | (?P<top>⊤)
  | (?P<bot>⊥)
  | (?P<name>{_NAME})
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    col: int  # 1-based


def _tokenize(text: str, start: int = 0) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = start
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ModalSyntaxError(f"unexpected character {text[pos]!r}", text, pos + 1)
        kind = m.lastgroup or ""
        if kind != "ws":
            toks.append(_Tok(kind, m.group(), pos + 1))
        pos = m.end()
    toks.append(_Tok("end", "", len(text) + 1))
    return toks


class _Parser:
    def __init__(self, text: str, start: int = 0) -> None:
        self.text = text
        self.toks = _tokenize(text, start)
        self.i = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self, kind: str, what: str) -> _Tok:
        tok = self.peek()
        if tok.kind != kind:
            found = repr(tok.text) if tok.text else "end of input"
            raise ModalSyntaxError(f"expected {what}, found {found}", self.text, tok.col)
        self.i += 1
        return tok

    def formula(self) -> Formula:
        left = self.implies()
        while self.peek().kind == "iff":
            self.i += 1
            left = Iff(left, self.implies())
        return left

    def implies(self) -> Formula:
        left = self.or_()
        if self.peek().kind == "imp":
            self.i += 1
            return Implies(left, self.implies())
        return left

    def or_(self) -> Formula:
        left = self.and_()
        while self.peek().kind == "or":
            self.i += 1
            left = Or(left, self.and_())
        return left

    def and_(self) -> Formula:
        left = self.unary()
        while self.peek().kind == "and":
            self.i += 1
            left = And(left, self.unary())
        return left

    def unary(self) -> Formula:
        kind = self.peek().kind
        if kind in ("not", "box", "dia"):
            self.i += 1
            arg = self.unary()
            return {"not": Not, "box": Box, "dia": Diamond}[kind](arg)
        return self.atom()

    def atom(self) -> Formula:
        tok = self.peek()
        if tok.kind == "top" or (tok.kind == "name" and tok.text in ("T", "true")):
            self.i += 1
            return TOP
        if tok.kind == "bot" or (tok.kind == "name" and tok.text in ("F", "false")):
            self.i += 1
            return BOT
        if tok.kind == "name" and tok.text == "opp":
            self.i += 1
            self.take("lp", "'(' after opp")
            target = self.take("name", "an agent name or 'me' inside opp(...)")
            self.take("rp", "')' closing opp(")
            return Opp(target.text)
        if tok.kind == "lp":
            self.i += 1
            inner = self.formula()
            self.take("rp", "')'")
            return inner
        found = repr(tok.text) if tok.text else "end of input"
        raise ModalSyntaxError(
            f"expected a formula (T, F, opp(...), ~, [], <>, or '('), found {found}",
            self.text,
            tok.col,
        )

    def done(self) -> None:
        tok = self.peek()
        if tok.kind != "end":
            raise ModalSyntaxError(
                f"unexpected {tok.text!r} after a complete formula", self.text, tok.col
            )


def parse_formula(text: str) -> Formula:
    """Parse a formula of the text syntax.

    Raises
    ------
    ModalSyntaxError
        With the column of the offending token.

    Examples
    --------
    >>> str(parse_formula("[] opp(me) & [](~[]F -> ~opp(DefectBot))"))
    '([]opp(me) & [](~[]F -> ~opp(DefectBot)))'
    >>> parse_formula("[] opp(me) & ]")
    Traceback (most recent call last):
    ...
    modal.errors.ModalSyntaxError: unexpected character ']' at column 14
    ...
    """
    p = _Parser(text)
    f = p.formula()
    p.done()
    return f


def parse_definition(text: str) -> tuple[str, Formula]:
    """Parse ``Name := formula`` into the name and the formula.

    Examples
    --------
    >>> name, f = parse_definition("FairBot := [] opp(me)")
    >>> name, str(f)
    ('FairBot', '[]opp(me)')
    """
    m = re.match(rf"\s*({_NAME})\s*:=", text)
    if m is None:
        col = len(text) - len(text.lstrip()) + 1
        raise ModalSyntaxError("expected 'Name := formula'", text, col)
    if m.group(1) in ("opp", "me", "T", "F", "true", "false"):
        raise ModalSyntaxError(
            f"{m.group(1)!r} is reserved, not an agent name", text, m.start(1) + 1
        )
    p = _Parser(text, m.end())
    f = p.formula()
    p.done()
    return m.group(1), f


def parse_definitions(text: str) -> list[tuple[str, Formula]]:
    """Parse one definition per line; blank lines and ``#`` comments are skipped.

    Errors name the line: the message of the :class:`ModalSyntaxError` starts with ``line N:``.
    A name defined twice is an error (the later definition would otherwise silently win).
    """
    out: list[tuple[str, Formula]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        try:
            name, formula = parse_definition(line)
        except ModalSyntaxError as err:
            first = str(err).splitlines()[0].rsplit(" at column", 1)[0]
            raise ModalSyntaxError(f"line {number}: {first}", line, err.column) from None
        if name in seen:  # the later one would silently win
            raise ModalSyntaxError(
                f"line {number}: {name!r} is already defined on line {seen[name]}",
                line,
                len(line) - len(line.lstrip()) + 1,
            )
        seen[name] = number
        out.append((name, formula))
    return out
