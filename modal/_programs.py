"""Compiled formula programs and the square fixed point: kernels shared by :mod:`modal.batch`
and :mod:`modal.behaviours` (private to the package).

A formula compiles once into a post-order program (no recursion); a program runs on Python
integers with one 64-bit lane per opponent (bit n = world n), or on numpy words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from itertools import chain

import numpy as np
from numpy.typing import NDArray

from modal.agents import Agent
from modal.formula import (
    ME,
    And,
    Bot,
    Box,
    Diamond,
    Formula,
    Iff,
    Implies,
    Me,
    Not,
    Opp,
    Or,
    Top,
)

__all__ = ["WORLDS"]

WORLDS = 64
"""Worlds packed into one word; a system still changing at world 63 goes to the slow path."""

_ONE = np.uint64(1)
_ALL = np.uint64(0xFFFF_FFFF_FFFF_FFFF)
_ZERO = np.uint64(0)
Words = NDArray[np.uint64]

# opcodes of the compiled programs
_TOP, _BOT, _SELF, _OPPME, _OPP, _NOT, _AND, _OR, _IMP, _IFF, _BOX, _DIA = range(12)
_CODE = {Not: _NOT, And: _AND, Or: _OR, Implies: _IMP, Iff: _IFF, Box: _BOX, Diamond: _DIA}

Instr = tuple[int, int, int, str]
"""(opcode, first operand register, second operand register, agent name for ``opp(name)``)."""


_LEAF_CODE = {Top: _TOP, Bot: _BOT, Me: _SELF}


@lru_cache(maxsize=1 << 18)
def _compile(f: Formula) -> tuple[Instr, ...]:
    """Post-order program of `f`: register r holds the r-th instruction's value (iterative)."""
    prog: list[Instr] = []
    reg: dict[int, int] = {}
    stack: list[Formula | None] = [f]
    pending: list[Formula] = []
    while stack:
        g = stack.pop()
        if g is None:  # all children of pending[-1] are compiled
            g = pending.pop()
            kids = g.children()
            b = reg[id(kids[1])] if len(kids) > 1 else 0
            reg[id(g)] = len(prog)
            prog.append((_CODE[type(g)], reg[id(kids[0])], b, ""))
            continue
        if id(g) in reg:
            continue
        code = _LEAF_CODE.get(type(g))
        if code is not None:
            reg[id(g)] = len(prog)
            prog.append((code, 0, 0, ""))
        elif isinstance(g, Opp):
            reg[id(g)] = len(prog)
            prog.append((_OPPME, 0, 0, "") if g.target == ME else (_OPP, 0, 0, g.target))
        else:
            pending.append(g)
            stack.append(None)
            stack.extend(reversed(g.children()))
    return tuple(prog)


_ARRAYS: dict[Formula, tuple[NDArray[np.int64], tuple[str, ...]]] = {}
_ARRAYS_LIMIT = 1 << 20  # formulas kept compiled (a few hundred MB at most); then start afresh


def _program_arrays(f: Formula) -> tuple[NDArray[np.int64], tuple[str, ...]]:
    """The program of `f` as an (L, 3) array of (opcode, a, b), and its ``opp(name)`` names.

    Built bottom-up from the cached arrays of the subformulas (iteratively): a new node's
    program is its children's programs, the second shifted past the first, and one instruction.
    Enumerated formulas are built from smaller ones evaluated before them, so each costs one
    such step. (Unlike :func:`_compile`, a subformula shared inside one formula is not merged
    into one register; the program is longer, not different in value.)
    """
    got = _ARRAYS.get(f)
    if got is not None:
        return got
    if len(_ARRAYS) >= _ARRAYS_LIMIT:
        _ARRAYS.clear()
    stack: list[tuple[Formula, bool]] = [(f, False)]
    while stack:
        g, ready = stack.pop()
        if g in _ARRAYS:
            continue
        kids = g.children()
        if not kids:
            code = _LEAF_CODE.get(type(g))
            if code is None:  # an atom opp(...)
                assert isinstance(g, Opp)
                if g.target == ME:
                    _ARRAYS[g] = (np.array([[_OPPME, 0, 0]], dtype=np.int64), ())
                else:
                    _ARRAYS[g] = (np.array([[_OPP, 0, 0]], dtype=np.int64), (g.target,))
            else:
                _ARRAYS[g] = (np.array([[code, 0, 0]], dtype=np.int64), ())
            continue
        if not ready:
            stack.append((g, True))
            stack.extend((k, False) for k in kids if k not in _ARRAYS)
            continue
        px, nx = _ARRAYS[kids[0]]
        lx = len(px)
        if len(kids) == 1:
            prog = np.concatenate([px, np.array([[_CODE[type(g)], lx - 1, 0]], dtype=np.int64)])
            _ARRAYS[g] = (prog, nx)
            continue
        py, ny = _ARRAYS[kids[1]]
        shifted = py.copy()
        inner = shifted[:, 0] >= _NOT  # operators read registers; leaves read none
        shifted[inner, 1] += lx
        shifted[inner & (shifted[:, 0] != _NOT) & (shifted[:, 0] < _BOX), 2] += lx
        last = np.array([[_CODE[type(g)], lx - 1, lx + len(py) - 1]], dtype=np.int64)
        _ARRAYS[g] = (np.concatenate([px, shifted, last]), nx + ny)
    return _ARRAYS[f]


# Every compiled formula's program, stored once in one table: formula -> slot; slot -> the rows
# _START[slot] .. _START[slot] + _LEN[slot] of _TABLE, columns (opcode, a, b, name id), the name
# id (an index into _NAMES) set on ``opp(name)`` rows and -1 elsewhere. A batch of formulas then
# costs one dictionary lookup each, and its programs are gathered with one numpy index.
_SLOT: dict[Formula, int] = {}
_NAME_ID: dict[str, int] = {}
_NAMES: list[str] = []
_PENDING: list[NDArray[np.int64]] = []  # programs compiled since _TABLE was last consolidated
_PENDING_NAMES: list[tuple[str, ...]] = []
_TABLE = np.zeros((0, 4), dtype=np.int64)
_STARTS: list[int] = []
_LENS: list[int] = []
_START = np.zeros(0, dtype=np.int64)
_LEN = np.zeros(0, dtype=np.int64)
_ROWS = [0]  # rows in _TABLE and _PENDING together


def _register(f: Formula) -> int:
    """Compile `f` into the table's pending programs; its slot."""
    prog, names = _program_arrays(f)
    _PENDING.append(prog)
    _PENDING_NAMES.append(names)
    _STARTS.append(_ROWS[0])
    _LENS.append(len(prog))
    _ROWS[0] += len(prog)
    slot = _SLOT[f] = len(_SLOT)
    return slot


def _consolidate() -> None:
    """Append the pending programs to _TABLE, their ``opp(name)`` rows given name ids."""
    global _TABLE, _START, _LEN
    rows = np.full((_ROWS[0] - len(_TABLE), 4), -1, dtype=np.int64)
    rows[:, :3] = np.concatenate(_PENDING)
    names = list(chain.from_iterable(_PENDING_NAMES))  # in program order, as the opp rows
    for nm in sorted(set(names) - _NAME_ID.keys()):
        _NAME_ID[nm] = len(_NAMES)
        _NAMES.append(nm)
    rows[rows[:, 0] == _OPP, 3] = np.fromiter(
        map(_NAME_ID.__getitem__, names), dtype=np.int64, count=len(names)
    )
    _TABLE = np.concatenate([_TABLE, rows])
    _PENDING.clear()
    _PENDING_NAMES.clear()
    _START = np.array(_STARTS, dtype=np.int64)
    _LEN = np.array(_LENS, dtype=np.int64)


def _programs_of(fs: Sequence[Formula]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The programs of `fs` end to end, shape (sum of lengths, 4), and their lengths.

    Columns: opcode, operand registers a and b (relative to the formula's own program, as in
    :func:`_program_arrays`), and for ``opp(name)`` the name's index in ``_NAMES`` (else -1).
    Formulas seen before cost one dictionary lookup each; the rest is numpy.
    """
    global _TABLE
    if len(_SLOT) >= _ARRAYS_LIMIT:  # start afresh (between batches, never inside one)
        _SLOT.clear()
        _PENDING.clear()
        _PENDING_NAMES.clear()
        _STARTS.clear()
        _LENS.clear()
        _TABLE = np.zeros((0, 4), dtype=np.int64)
        _ROWS[0] = 0
    got = list(map(_SLOT.get, fs))
    if None in got:
        got = [g if g is not None else _register(f) for f, g in zip(fs, got, strict=True)]
    if _PENDING:
        _consolidate()
    slots = np.fromiter(got, dtype=np.int64, count=len(fs))  # type: ignore[arg-type]
    lens = _LEN[slots]
    ends = np.cumsum(lens)
    index = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(
        _START[slots] - ends + lens, lens
    )
    return _TABLE[index], lens


def _freeze(V: Words, s: int) -> Words:
    """Words correct on worlds 0..s and constant from s: copy bit s to every later world."""
    low = np.uint64((1 << (s + 1)) - 1) if s < 63 else _ALL
    bit = (V >> np.uint64(s)) & _ONE
    high = np.where(bit == _ONE, ~low, _ZERO).astype(np.uint64)
    return (V & low) | high  # type: ignore[no-any-return]


def _closure(agents: Sequence[Agent], env: Mapping[str, Agent]) -> list[Agent]:
    order = {a.name: a for a in agents}
    stack = list(agents)
    while stack:
        a = stack.pop()
        for ref in sorted(a.references):
            if ref not in order:
                order[ref] = env[ref]
                stack.append(env[ref])
    return list(order.values())


def _run_lanes(
    prog: tuple[Instr, ...],
    self_v: int,
    oppme_v: int,
    opp_v: Callable[[str], int],
    full: int,
    low63: int,
    lane1: int,
    diff: list[int],
) -> int:
    """Execute one program on Python integers holding one 64-bit lane per opponent.

    □ within each lane: with bit 63 cleared, ``x ^ (x + 1)`` cannot carry into the next lane,
    and box bit 63 ("worlds 0..62 all true") does not read bit 63 of the argument."""
    r: list[int] = []
    for op, a, b, name in prog:
        if op == _TOP:
            v = full
        elif op == _BOT:
            v = 0
        elif op == _SELF:
            v = self_v
        elif op == _OPPME:
            v = oppme_v
        elif op == _OPP:
            v = opp_v(name)
        elif op == _NOT:
            v = r[a] ^ full
        elif op == _AND:
            v = r[a] & r[b]
        elif op == _OR:
            v = r[a] | r[b]
        elif op == _IMP:
            v = (r[a] ^ full) | r[b]
        elif op == _IFF:
            v = (r[a] ^ r[b]) ^ full
        else:
            x = r[a] if op == _BOX else r[a] ^ full
            x &= low63
            v = x ^ (x + lane1)
            if op == _DIA:
                v ^= full
            diff[0] |= v ^ (v >> 1)  # bit n: the box differs between worlds n and n+1
        r.append(v)
    return r[-1]


def _square(everyone: Sequence[Agent]) -> tuple[Words, int | None]:
    """Fixed point of "x cooperates with y" for all pairs of a closed set of agents.

    Row x is one Python integer with a 64-bit lane per opponent y; columns are the transpose.
    Returns the words as an (m, m) array (exact on all 64 worlds) and the first stable world, or
    None if some box still changes at world 63 (then the words are not to be trusted)."""
    index = {a.name: i for i, a in enumerate(everyone)}
    progs = [_compile(a.formula) for a in everyone]
    m = len(everyone)
    nbytes = 8 * m
    lane1 = int.from_bytes(np.ones(m, dtype="<u8").tobytes(), "little")
    full = (1 << (64 * m)) - 1
    low63 = int.from_bytes(np.full(m, (1 << 63) - 1, dtype="<u8").tobytes(), "little")
    rows = [0] * m
    cols = [0] * m
    for t in range(1, WORLDS + 1):
        diff = [0]

        def column(name: str, cols: list[int] = cols) -> int:  # this sweep's columns
            return cols[index[name]]

        rows = [
            _run_lanes(p, rows[i], cols[i], column, full, low63, lane1, diff)
            for i, p in enumerate(progs)
        ]
        V = np.frombuffer(b"".join(r.to_bytes(nbytes, "little") for r in rows), dtype="<u8")
        V = V.reshape(m, m)
        if t >= 2 and not (diff[0] >> (t - 2)) & lane1:
            return _freeze(V.astype(np.uint64), t - 2), t - 2
        T = np.ascontiguousarray(V.T)
        cols = [int.from_bytes(T[j].tobytes(), "little") for j in range(m)]
    return V.astype(np.uint64), None
