"""The text syntax of modal agents, and its parser (errors point at the column).

Grammar, loosest binding first::

    definition := NAME ":=" formula
    formula    := implies ("<->" implies)*
    implies    := or ("->" implies)?          (right associative)
    or         := and ("|" and)*
    and        := unary ("&" unary)*
    unary      := ("~" | "[]" | "<>" | "[k]" | "<k>") unary | atom
    atom       := "T" | "F" | "me" | "opp(" (NAME | "me") ")" | "(" formula ")"

``me`` alone is the self atom "I cooperate with my opponent"; ``opp(me)`` is "my opponent
cooperates with me". ``[k]φ`` (k a whole number) is MIRI's "provable in PA + k consistency
statements", □(¬□^k⊥ → φ), and ``<k>φ`` is ¬[k]¬φ; ``[0]`` and ``<0>`` are □ and ◇.
Unicode spellings are accepted too: ⊤ ⊥ ¬ □ ◇ ∧ ∨ → ↔. A NAME is an identifier, optionally
followed by ``-`` and digits (``Agent-2``).

The parser is an operator-precedence (shunting-yard) loop with explicit stacks, so a formula of
thousands of conjuncts or hundreds of nested boxes parses without recursion; a text is limited to
:data:`MAX_TEXT_LENGTH` characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modal.errors import ModalSyntaxError
from modal.formula import (
    BOT,
    TOP,
    And,
    Box,
    Diamond,
    Formula,
    Iff,
    Implies,
    Not,
    Opp,
    Or,
    box,
    dia,
    me,
)

__all__ = [
    "Definition",
    "parse_formula",
    "parse_definition",
    "parse_definitions",
    "MAX_TEXT_LENGTH",
]

MAX_TEXT_LENGTH = 1_000_000
"""Longest text accepted by the parser (about five characters per formula node at the size
limit :data:`modal.formula.MAX_FORMULA_SIZE`)."""

_NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:-\d+)?"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<iff><->|↔)
  | (?P<imp>->|→)
  | (?P<box>\[\]|□)
  | (?P<boxk>\[\d+\])
  | (?P<dia><>|◇)
  | (?P<diak><\d+>)
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
    if len(text) > MAX_TEXT_LENGTH:
        raise ModalSyntaxError(
            f"text of {len(text)} characters is longer than MAX_TEXT_LENGTH = {MAX_TEXT_LENGTH}",
            text[:60],
            1,
        )
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


# binary operators: precedence and associativity
_BINARY = {"iff": (1, "left"), "imp": (2, "right"), "or": (3, "left"), "and": (4, "left")}
_BUILD = {"iff": Iff, "imp": Implies, "or": Or, "and": And}
_PREFIX = ("not", "box", "dia", "boxk", "diak")


def _apply_prefix(tok: _Tok, arg: Formula) -> Formula:
    if tok.kind == "not":
        return Not(arg)
    if tok.kind == "box":
        return Box(arg)
    if tok.kind == "dia":
        return Diamond(arg)
    k = int(tok.text[1:-1])
    return box(arg, k) if tok.kind == "boxk" else dia(arg, k)


def _parse(text: str, start: int = 0) -> Formula:
    """Shunting-yard over the tokens: `ops` holds pending prefix/binary operators and '('."""
    toks = _tokenize(text, start)
    operands: list[Formula] = []
    ops: list[_Tok] = []
    i = 0

    def reduce() -> None:
        op = ops.pop()
        if op.kind in _PREFIX:
            operands.append(_apply_prefix(op, operands.pop()))
        else:
            right = operands.pop()
            left = operands.pop()
            operands.append(_BUILD[op.kind](left, right))

    def found(tok: _Tok) -> str:
        return repr(tok.text) if tok.text else "end of input"

    while True:
        # expecting an operand: prefix operators and '(' first
        tok = toks[i]
        while tok.kind in _PREFIX or tok.kind == "lp":
            ops.append(tok)
            i += 1
            tok = toks[i]
        if tok.kind == "top" or (tok.kind == "name" and tok.text in ("T", "true")):
            operands.append(TOP)
        elif tok.kind == "bot" or (tok.kind == "name" and tok.text in ("F", "false")):
            operands.append(BOT)
        elif tok.kind == "name" and tok.text == "me":
            operands.append(me())
        elif tok.kind == "name" and tok.text == "opp":
            lp = toks[i + 1]
            if lp.kind != "lp":
                raise ModalSyntaxError(f"expected '(' after opp, found {found(lp)}", text, lp.col)
            target = toks[i + 2]
            if target.kind != "name":
                raise ModalSyntaxError(
                    f"expected an agent name or 'me' inside opp(...), found {found(target)}",
                    text,
                    target.col,
                )
            rp = toks[i + 3]
            if rp.kind != "rp":
                raise ModalSyntaxError(
                    f"expected ')' closing opp(, found {found(rp)}", text, rp.col
                )
            operands.append(Opp(target.text))
            i += 3
        else:
            raise ModalSyntaxError(
                f"expected a formula (T, F, me, opp(...), ~, [], <>, or '('), found {found(tok)}",
                text,
                tok.col,
            )
        i += 1
        # after an operand: closing parentheses, then a binary operator or the end
        while True:
            tok = toks[i]
            while ops and ops[-1].kind in _PREFIX:
                reduce()
            if tok.kind != "rp":
                break
            while ops and ops[-1].kind != "lp":
                reduce()
            if not ops:
                raise ModalSyntaxError(
                    f"unexpected {tok.text!r} after a complete formula", text, tok.col
                )
            ops.pop()  # the matching '('
            i += 1
        if tok.kind in _BINARY:
            prec, assoc = _BINARY[tok.kind]
            while ops and ops[-1].kind in _BINARY:
                top_prec = _BINARY[ops[-1].kind][0]
                if top_prec > prec or (top_prec == prec and assoc == "left"):
                    reduce()
                else:
                    break
            ops.append(tok)
            i += 1
            continue
        if any(op.kind == "lp" for op in ops):
            raise ModalSyntaxError(f"expected ')', found {found(tok)}", text, tok.col)
        if tok.kind != "end":
            raise ModalSyntaxError(
                f"unexpected {tok.text!r} after a complete formula", text, tok.col
            )
        while ops:
            reduce()
        return operands[0]


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
    return _parse(text)


@dataclass(frozen=True)
class Definition:
    """A parsed ``Name := formula`` line."""

    name: str
    formula: Formula


def parse_definition(text: str) -> Definition:
    """Parse ``Name := formula`` into the name and the formula.

    Examples
    --------
    >>> d = parse_definition("FairBot := [] opp(me)")
    >>> d.name, str(d.formula)
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
    return Definition(m.group(1), _parse(text, m.end()))


def parse_definitions(text: str) -> list[Definition]:
    """Parse one definition per line; blank lines and ``#`` comments are skipped.

    Errors name the line: the message of the :class:`ModalSyntaxError` starts with ``line N:``.
    A name defined twice is an error (the later definition would otherwise silently win).
    """
    out: list[Definition] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        try:
            definition = parse_definition(line)
        except ModalSyntaxError as err:
            first = str(err).splitlines()[0].rsplit(" at column", 1)[0]
            raise ModalSyntaxError(f"line {number}: {first}", line, err.column) from None
        name = definition.name
        if name in seen:  # the later one would silently win
            raise ModalSyntaxError(
                f"line {number}: {name!r} is already defined on line {seen[name]}",
                line,
                len(line) - len(line.lstrip()) + 1,
            )
        seen[name] = number
        out.append(definition)
    return out
