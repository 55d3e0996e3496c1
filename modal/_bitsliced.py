"""The candidates' register machine, bit-sliced: the kernel of :func:`modal.batch.round_robin`
(private to the package).

Bit c of every word is candidate c, and the worlds are walked one by one (as in
:mod:`modal.evaluate`), so one numpy operation on ⌈N/64⌉ words per column serves all N
candidates at once, whatever their formulas. The register file: a bank of atom
values (0: ⊤, 1: ⊥, 2: me, 3: opp(me), 4 + j: opp(others[j])) followed by one register per
program position. The programs (the candidates' distinct non-leaf subformulas, children first,
from the formula store) are right-aligned so that every root is at the last position T - 1.
Each position reads its operands through one-hot selection words (bit c set where candidate c
reads register k) and is one Boolean function in algebraic normal form::

    out = K ^ (A & P) ^ (B & Q) ^ (A & B & S)

with per-candidate coefficient words, or a box: the box's state word, updated between worlds
(□: state & argument, ◇: state | argument). A position before a candidate's program starts
has all coefficients 0 (its register holds 0 and nothing reads it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from modal._programs import (
    _ALL,
    _AND,
    _BINARY,
    _BOT,
    _BOX,
    _COPY,
    _DIA,
    _IFF,
    _IMP,
    _NOT,
    _ONE,
    _OPP,
    _OPPME,
    _OR,
    _SELF,
    _TOP,
    _ZERO,
    WORLDS,
    Instr,
    Words,
    _compile,
    _Dag,
)
from modal.agents import Agent

__all__: list[str] = []

_ANF = {  # opcode -> (K, P, Q, S)
    _NOT: (1, 1, 0, 0),
    _AND: (0, 0, 0, 1),
    _OR: (0, 1, 1, 1),
    _IMP: (1, 1, 0, 1),
    _IFF: (1, 1, 1, 0),
    _COPY: (0, 1, 0, 0),
}
_NOP = _COPY + 1  # an empty position
_COEF = np.zeros((6, _NOP + 1), dtype=bool)  # rows K, P, Q, S, box, dia; column: opcode
for _code, _kpqs in _ANF.items():
    _COEF[:4, _code] = _kpqs
_COEF[4, [_BOX, _DIA]] = True
_COEF[5, _DIA] = True
_IS_BINARY = np.zeros(_NOP + 1, dtype=bool)
_IS_BINARY[list(_BINARY)] = True


class _Step(NamedTuple):
    """One program position for all candidates: ANF coefficient words, operand selections
    (the registers read, and for each a one-hot word, shape (k, 1, nw)), and which candidates
    hold a box (and which a ◇) there."""

    K: Words
    P: Words
    Q: Words
    S: Words
    reg_a: NDArray[np.intp]
    sel_a: Words
    reg_b: NDArray[np.intp]
    sel_b: Words
    binary: bool
    has_box: bool
    box: Words
    dia: Words
    no_box: Words


def _mux(R: Words, regs: NDArray[np.intp], sel: Words) -> Words:
    """Bit c of the result: bit c of the register that candidate c reads (`sel` one-hot)."""
    if len(regs) == 1:
        return R[regs[0]] & sel[0]
    return np.bitwise_or.reduce(R[regs] & sel, axis=0)


def _pack(mask: NDArray[np.bool_], nw: int) -> Words:
    """Bit c of word c // 64 = mask[..., c] (little-endian bit order), along the last axis."""
    if mask.shape[-1] != nw * 64:
        pad = np.zeros((*mask.shape[:-1], nw * 64), dtype=bool)
        pad[..., : mask.shape[-1]] = mask
        mask = pad
    b = np.packbits(mask, axis=-1, bitorder="little")
    return np.ascontiguousarray(b).view("<u8").astype(np.uint64)


def _unpack(words: Words, n: int) -> NDArray[np.bool_]:
    """Inverse of :func:`_pack` along the last axis."""
    b = np.ascontiguousarray(words.astype("<u8")).view(np.uint8)
    return np.unpackbits(b, axis=-1, bitorder="little")[..., :n].astype(bool)


def _run_bits(
    prog: tuple[Instr, ...],
    self_v: Words,
    oppme_v: Words,
    opp_v: Callable[[str], Words],
    state: list[Words],
    inner: list[Words] | None,
) -> Words:
    """One program on bit-sliced words; boxes read `state` (in program order); when `inner` is
    a list, the boxes' argument values are appended to it."""
    r: list[Words] = []
    ones = np.full_like(self_v, _ALL)
    zero = np.zeros_like(self_v)
    nbox = 0
    for op, a, b, name in prog:
        if op == _TOP:
            v = ones
        elif op == _BOT:
            v = zero
        elif op == _SELF:
            v = self_v
        elif op == _OPPME:
            v = oppme_v
        elif op == _OPP:
            v = opp_v(name)
        elif op == _NOT:
            v = ~r[a]
        elif op == _AND:
            v = r[a] & r[b]
        elif op == _OR:
            v = r[a] | r[b]
        elif op == _IMP:
            v = ~r[a] | r[b]
        elif op == _IFF:
            v = ~(r[a] ^ r[b])
        else:
            v = state[nbox]
            nbox += 1
            if inner is not None:
                inner.append(r[a])
        r.append(v)
    return r[-1]


def _initial_state(prog: tuple[Instr, ...], shape: tuple[int, ...]) -> list[Words]:
    """Box states at world 0: □ vacuously true, ◇ false."""
    return [
        np.full(shape, _ALL if op == _BOX else _ZERO, dtype=np.uint64)
        for op, *_ in prog
        if op in (_BOX, _DIA)
    ]


def _advance(prog: tuple[Instr, ...], state: list[Words], inner: list[Words]) -> list[Words]:
    ops = [op for op, *_ in prog if op in (_BOX, _DIA)]
    return [s & x if op == _BOX else s | x for op, s, x in zip(ops, state, inner, strict=True)]


def _grid(
    pos: NDArray[np.int64], cand: NDArray[np.int64], values: NDArray[np.int64], T: int, nw: int
) -> tuple[NDArray[np.integer[Any]], int]:
    """A (T, 64·nw) grid with ``values`` at (``pos``, ``cand``) and an unused value elsewhere;
    and that value (one more than the largest)."""
    empty = int(values.max()) + 1 if len(values) else 0
    grid = np.full((T, 64 * nw), empty, dtype=np.min_scalar_type(empty))
    grid[pos, cand] = values
    return grid, empty


def _value_words(grid: NDArray[np.integer[Any]], values: list[int], nw: int) -> Words:
    """For each of `values`: words (T, nw) with bit c of word t set where ``grid[t, c]`` holds
    it. Built from the grid's bit planes, packed once (no per-value pass over the grid)."""
    nbits = max(int(grid.max()).bit_length(), 1)
    shifts = np.arange(nbits, dtype=grid.dtype)[:, None, None]
    planes = _pack(((grid[None] >> shifts) & 1).astype(bool), nw)  # (nbits, T, nw)
    out = np.empty((len(values), *planes.shape[1:]), dtype=np.uint64)
    for i, v in enumerate(values):
        word = planes[0] if v & 1 else ~planes[0]
        for q in range(1, nbits):
            word = word & (planes[q] if (v >> q) & 1 else ~planes[q])
        out[i] = word
    return out


def _selections(
    pos: NDArray[np.int64], cand: NDArray[np.int64], reg: NDArray[np.int64], T: int, nw: int
) -> list[tuple[NDArray[np.intp], Words]]:
    """Per position t: the registers read there, and for each a one-hot word over candidates,
    shape (k, 1, nw), from the (position, candidate, register) of every read."""
    grid, empty = _grid(pos, cand, reg, T, nw)
    regs = np.flatnonzero(np.bincount(reg, minlength=empty))  # the registers read anywhere
    words = _value_words(grid, regs.tolist(), nw)  # (k, T, nw)
    read: NDArray[np.bool_] = np.asarray(words.any(axis=2))  # (k, T)
    return [(regs[read[:, t]], words[read[:, t], t][:, None, :]) for t in range(T)]


def _candidates_fixed_point(
    store: _Dag,
    flat: NDArray[np.int64],
    lens: NDArray[np.int64],
    others: Sequence[Agent],
    oindex: Mapping[str, int],
    VO: Words,
    s0: int,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], int | None, NDArray[np.bool_] | None]:
    """Moves of the programs `flat` (of lengths `lens`: the store's programs of n distinct
    formulas) against the others (X) and the others' moves against them (Y), shape (n, m + 1);
    the last column is self-play.

    Worlds are walked until no box of the system changes; then the first stable world, and
    None. If some box still moves at world 63: None, and which formulas' boxes still move (the
    moves of the others are final)."""
    n, m = len(lens), len(others)
    nw = (n + 63) // 64
    width = m + 1
    T = int(lens.max())
    bank = 4 + m
    cand = np.repeat(np.arange(n, dtype=np.int64), lens)
    offset = np.repeat(T - lens, lens)  # right-aligned: local register r at position T - L + r
    pos = np.arange(len(flat)) - np.repeat(np.cumsum(lens) - lens, lens) + offset
    op = flat[:, 0]
    # leaf code (⊤ 0, ⊥ 1, me 2, opp(me) 3, opp(name) 4 + name index) -> bank register; every
    # name a candidate runs is among the others (their closure), the rest are never read
    leaf_reg = np.array([0, 1, 2, 3, *(4 + oindex.get(nm, -5) for nm in store.names)])

    def register(x: NDArray[np.int64], at: NDArray[np.int64]) -> NDArray[np.int64]:
        return np.where(x >= 0, x + bank + at, leaf_reg[-1 - np.minimum(x, -1)])

    # per opcode, the words of the (position, candidate) holding it; then the coefficients
    codes = np.flatnonzero(np.bincount(op, minlength=_NOP + 1)).tolist()
    by_op = _value_words(_grid(pos, cand, op, T, nw)[0], codes, nw)
    cw = np.zeros((6, T, nw), dtype=np.uint64)  # K, P, Q, S, box, dia
    for code, words in zip(codes, by_op, strict=True):
        for q in np.flatnonzero(_COEF[:, code]).tolist():
            cw[q] |= words
    ra = register(flat[:, 1], offset)
    two = _IS_BINARY[op]
    rb = register(flat[two, 2], offset[two])
    assert ra.min() >= 0 and (rb.min() if len(rb) else 0) >= 0  # (the others' closure)
    reads_a = _selections(pos, cand, ra, T, nw)
    reads_b = _selections(pos[two], cand[two], rb, T, nw)
    steps = [
        _Step(
            cw[0, t],
            cw[1, t],
            cw[2, t],
            cw[3, t],
            reads_a[t][0],
            reads_a[t][1],
            reads_b[t][0],
            reads_b[t][1],
            len(reads_b[t][0]) > 0,
            bool(cw[4, t].any()),
            cw[4, t],
            cw[5, t],
            ~cw[4, t],
        )
        for t in range(T)
    ]

    R = np.zeros((bank + T, width, nw), dtype=np.uint64)
    R[0] = _ALL
    cstate = {  # world 0: □ true, ◇ false
        t: np.broadcast_to(~st.dia & st.box, (width, nw)).copy()
        for t, st in enumerate(steps)
        if st.has_box
    }
    X = np.zeros((width, nw), dtype=np.uint64)  # candidate vs other j (row m: vs itself)
    Y = np.zeros((width, nw), dtype=np.uint64)  # other j vs candidate (row m: itself)
    oprogs = [_compile(o.formula) for o in others]
    ostate = [_initial_state(p, (nw,)) for p in oprogs]

    def candidates_pass(world: int, inner: dict[int, Words] | None) -> Words:
        R[2] = X
        R[3] = Y
        bits = ((VO >> np.uint64(world)) & _ONE).astype(bool)  # bits[j, N]: j vs N now
        R[4:bank, :m, :] = np.where(bits.T[:, :, None], _ALL, _ZERO)
        R[4:bank, m, :] = X[:m]  # against itself: my copy vs N
        for t, st in enumerate(steps):
            A = _mux(R, st.reg_a, st.sel_a)
            out = st.K ^ (A & st.P)
            if st.binary:
                B = _mux(R, st.reg_b, st.sel_b)
                out ^= (B & st.Q) ^ (A & B & st.S)
            if st.has_box:
                out = (out & st.no_box) | (cstate[t] & st.box)
                if inner is not None:
                    inner[t] = A
            R[bank + t] = out
        return R[bank + T - 1].copy()

    def others_pass(inner: list[list[Words]] | None) -> Words:
        newY = np.empty_like(Y)
        for j, prog in enumerate(oprogs):
            acc: list[Words] | None = [] if inner is not None else None
            newY[j] = _run_bits(prog, Y[j], X[j], lambda nm: X[oindex[nm]], ostate[j], acc)
            if inner is not None and acc is not None:
                inner.append(acc)
        return newY

    for world in range(WORLDS):
        # the moves at this world read only the boxes, whose values are known
        X = candidates_pass(world, None)
        Y = others_pass(None)
        Y[m] = X[m]
        # the boxes' arguments at this world give the boxes at the next
        cin: dict[int, Words] = {}
        candidates_pass(world, cin)
        oin: list[list[Words]] = []
        others_pass(oin)
        # bit c: some box of candidate c's matches (its own, or the others' playing it) moves
        moving = np.zeros(nw, dtype=np.uint64)
        for t, x in cin.items():
            st = steps[t]
            new = (cstate[t] & x & ~st.dia) | ((cstate[t] | x) & st.dia)
            new &= st.box
            moving |= np.bitwise_or.reduce(new ^ cstate[t], axis=0)
            cstate[t] = new
        for j, prog in enumerate(oprogs):
            new_o = _advance(prog, ostate[j], oin[j])
            for a, b in zip(new_o, ostate[j], strict=True):
                moving |= a ^ b
            ostate[j] = new_o
        # From the first world >= s0 where candidate c's boxes repeat, they repeat for ever
        # (the next box values are a function of these, the others' being constant): its
        # moves are final. All candidates at once: the system is stable.
        if world >= s0 and not moving.any():
            return _unpack(X, n).T, _unpack(Y, n).T, world, None
    # some box still moves at world 63: those candidates only are not final
    return _unpack(X, n).T, _unpack(Y, n).T, None, _unpack(moving, n)
