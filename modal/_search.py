"""Pieces shared by the semantic searches of :mod:`modal.behaviours` and
:mod:`modal.pair_equilibria` (private): one world of a known agent's program against an
unknown agent, and the witness formula of a function from seen sets to moves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from modal._programs import _AND, _BOT, _IFF, _IMP, _NOT, _OPP, _OPPME, _OR, _SELF, _TOP, Instr
from modal.formula import BOT, TOP, Box, Diamond, Formula, Not, me, opp

__all__: list[str] = []


def _play(
    prog: tuple[Instr, ...],
    own: bool,
    opp_me: bool,
    opp_of: Mapping[str, bool],
    boxes: Sequence[bool],
) -> tuple[bool, list[bool]]:
    """A known agent's formula at one world against an unknown one: its value, and the values
    of its boxes' arguments (for the next world's boxes).

    `own` is the agent's own move there (the self atom), `opp_me` the unknown's move against it,
    `opp_of[M]` the unknown's move against M, `boxes` the box values at this world in program
    order."""
    r: list[bool] = []
    inner: list[bool] = []
    k = 0
    for op, a, b, target in prog:
        if op == _TOP:
            v = True
        elif op == _BOT:
            v = False
        elif op == _SELF:
            v = own
        elif op == _OPPME:
            v = opp_me
        elif op == _OPP:
            v = opp_of[target]
        elif op == _NOT:
            v = not r[a]
        elif op == _AND:
            v = r[a] and r[b]
        elif op == _OR:
            v = r[a] or r[b]
        elif op == _IMP:
            v = (not r[a]) or r[b]
        elif op == _IFF:
            v = r[a] == r[b]
        else:
            v = boxes[k]
            k += 1
            inner.append(r[a])
        r.append(v)
    return r[-1], inner


def _vector_formula(v: tuple[bool, ...], names: Sequence[str], self_atom: bool = True) -> Formula:
    """χ_v: the conjunction of literals saying the atoms take the values v."""
    atoms: list[Formula] = [*([me()] if self_atom else []), opp(), *(opp(n) for n in names)]
    f: Formula = TOP
    for a, val in zip(atoms, v, strict=True):
        lit = a if val else Not(a)
        f = lit if f is TOP else f & lit
    return f


def _witness(
    g: Mapping[frozenset[tuple[bool, ...]], bool], names: Sequence[str], self_atom: bool = True
) -> tuple[Formula, int]:
    """A formula realising the partial function `g` on the seen sets it fixes (see module doc)."""
    values = set(g.values())
    if len(values) == 1:
        return (TOP if values.pop() else BOT), 0
    used = sorted({v for H in g for v in H})
    chi = {v: _vector_formula(v, names, self_atom) for v in used}
    terms: list[Formula] = []
    for H, move in sorted(g.items(), key=lambda kv: sorted(kv[0])):
        if not move:
            continue
        parts: list[Formula] = [Diamond(chi[v]) for v in sorted(H)]
        # "no other vector seen": □ of the disjunction of the seen vectors' descriptions;
        # an empty H (world 0) is "□⊥"
        seen: Formula = BOT
        for v in sorted(H):
            seen = chi[v] if seen is BOT else seen | chi[v]
        parts.append(Box(seen))
        term = parts[0]
        for p in parts[1:]:
            term = term & p
        terms.append(term)
    f = terms[0] if terms else BOT
    for t in terms[1:]:
        f = f | t
    return f, 1
