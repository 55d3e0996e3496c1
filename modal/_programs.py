"""Compiled formula programs, the formula store and the square fixed point: kernels shared by
:mod:`modal.batch`, :mod:`modal._bitsliced` and :mod:`modal.behaviours` (private to the package).

A formula compiles once into a post-order program (no recursion); a program runs on Python
integers with one 64-bit lane per opponent (bit n = world n), or on numpy words. For the
rectangular round robin, the candidates' formulas are interned into one DAG of distinct
subformulas (:class:`_Dag`) and their programs compiled for a whole batch at once with numpy.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from itertools import repeat
from typing import Any

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


# --- the formula DAG and the candidates' programs (for modal.batch.round_robin) -------------
#
# Every distinct subformula of the formulas played so far is one *node* (hash-consing: equal
# formulas are one node, whatever the objects), numbered children first. A formula is looked up
# by identity first (a dictionary on ``id``, C-level; the objects are kept alive by the store, so
# an id is never reused while it is a key), then by structure: its connective and its children's
# nodes (a tuple of small integers, so a lookup never compares formulas; before, lookups by
# equality hashed and compared Formula objects and cost twice as much per new node).
#
# A root's *program* is its non-leaf nodes, each once, in node order (so children first); a row
# (opcode, a, b) reads operand a (and b for the binary connectives) as a local register (>= 0:
# the value of an earlier row of the same program) or as a leaf, -1 - its leaf code (⊤ 0, ⊥ 1,
# me 2, opp(me) 3, opp(name) 4 + the name's index in the store's ``names``); a root that is
# itself a leaf (⊤ or ⊥) has the one row (_COPY, -1 - leaf code, 0).
# The programs of a batch of new roots are compiled at once, level by level with numpy
# (:meth:`_Dag.compile`), and kept in one table, so a batch of formulas seen before costs one
# identity lookup each and one numpy gather.

_COPY = 12
"""Opcode of a row that copies its operand (a root that is ⊤ or ⊥)."""
_BINARY = (_AND, _OR, _IMP, _IFF)
_OPCODE: dict[type[Formula], int] = {Top: _TOP, Bot: _BOT, Me: _SELF, Opp: _OPP, **_CODE}
_DAG_LIMIT = 1 << 20
"""Nodes kept (a few hundred bytes each with their dictionaries and programs); past it the store
starts afresh, between batches, never inside one."""


def _appended(arr: NDArray[Any], used: int, new: NDArray[Any]) -> NDArray[Any]:
    """`arr` (rows 0..used-1 in use) with `new` written after them; capacity doubled as needed."""
    need = used + len(new)
    if need > len(arr):
        bigger = np.empty((max(need, 2 * len(arr), 1024), *arr.shape[1:]), dtype=arr.dtype)
        bigger[:used] = arr[:used]
        arr = bigger
    arr[used:need] = new
    return arr


def _distinct(x: NDArray[np.int64]) -> NDArray[np.int64]:
    """The distinct values of `x`, sorted (by sorting: numpy's hashing ``unique`` is several
    times slower on these arrays of a few 10^5 codes)."""
    x = np.sort(x)
    return x[np.r_[True, x[1:] != x[:-1]]] if len(x) else x


class _Dag:
    """The interned subformulas (nodes) and the compiled programs of the roots played so far."""

    def __init__(self) -> None:
        # by structure: (opcode, child node, child node or -1), (_OPP, target) or (leaf code,)
        self.node_of_key: dict[tuple[int, ...] | tuple[int, str], int] = {}
        self.node_of_id: dict[int, int] = {}  # by identity, for every object in .held
        self.held: list[Formula] = []  # every object looked up by identity (kept alive)
        self.height: list[int] = []  # per node: 0 for leaves, else 1 + the children's
        self.pending: list[tuple[int, int, int, int, int]] = []  # nodes not yet in .cols
        self.size = 0
        # per node: opcode, first child, second child (-1: none), height, leaf code (-1: none)
        self.cols = np.zeros((0, 5), dtype=np.int64)
        self.names: list[str] = []  # the targets of the opp(name) leaves, by first appearance
        self.name_index: dict[str, int] = {}
        self.prog_start = np.zeros(0, dtype=np.int64)  # per node; its program's first row
        self.prog_len = np.zeros(0, dtype=np.int64)  # per node; 0 until compiled
        self.table = np.zeros((0, 3), dtype=np.int32)  # program rows (opcode, a, b)
        self.rows = 0

    def intern(self, f: Formula) -> int:
        """The node of `f`, adding its new subformulas (iteratively: any depth works).

        A formula is found by identity, else by its structure: its connective and its
        children's nodes (so equal formulas are one node, whatever the objects, and a lookup
        never compares formulas)."""
        node_of_id = self.node_of_id
        got = node_of_id.get(id(f))
        if got is not None:
            return got
        held, node_of_key, pending, height = self.held, self.node_of_key, self.pending, self.height
        stack = [f]
        while stack:
            g = stack[-1]
            if id(g) in node_of_id:  # a child listed twice (f ∧ f)
                stack.pop()
                continue
            op = _OPCODE[type(g)]
            if op >= _NOT:  # a connective: its children first
                if _AND <= op <= _IFF:  # ∧ ∨ → ↔
                    kids: tuple[Formula, ...] = (g.left, g.right)  # type: ignore[attr-defined]
                    a = node_of_id.get(id(kids[0]))
                    b = node_of_id.get(id(kids[1]))
                    if a is None or b is None:
                        stack.extend(k for k in kids if id(k) not in node_of_id)
                        continue
                else:
                    kid = g.arg  # type: ignore[attr-defined]
                    a = node_of_id.get(id(kid))
                    if a is None:
                        stack.append(kid)
                        continue
                    b = -1
                key: tuple[int, ...] | tuple[int, str] = (op, a, b)
                leaf = -1
            elif op == _OPP:  # opp(me) or opp(name)
                target = g.target  # type: ignore[attr-defined]
                key = (op, target)
                if target == ME:
                    op = leaf = _OPPME
                else:
                    leaf = 4 + self.name_index.setdefault(target, len(self.names))
                    if leaf - 4 == len(self.names):
                        self.names.append(target)
                a = b = -1
            else:  # ⊤, ⊥, me
                key = (op,)
                leaf = op
                a = b = -1
            stack.pop()
            node = node_of_key.get(key)
            if node is None:
                node = self.size
                h = 0 if a < 0 else 1 + max(height[a], height[b] if b >= 0 else 0)
                self.size += 1
                pending.append((op, a, b, h, leaf))
                height.append(h)
                node_of_key[key] = node
            node_of_id[id(g)] = node
            held.append(g)
        return node_of_id[id(f)]

    def nodes(self, fs: Sequence[Formula]) -> NDArray[np.int64]:
        """The node of each formula, interning the new ones."""
        got = np.fromiter(
            map(self.node_of_id.get, map(id, fs), repeat(-1)), dtype=np.int64, count=len(fs)
        )
        intern = self.intern
        for i in np.flatnonzero(got < 0).tolist():
            got[i] = intern(fs[i])
        if self.pending:
            new = np.array(self.pending, dtype=np.int64)
            self.cols = _appended(self.cols, self.size - len(new), new)
            self.pending.clear()
            missing = len(self.cols) - len(self.prog_len)
            if missing > 0:
                self.prog_len = np.concatenate([self.prog_len, np.zeros(missing, np.int64)])
                self.prog_start = np.concatenate([self.prog_start, np.zeros(missing, np.int64)])
        return got

    def compile(self, roots: NDArray[np.int64]) -> None:
        """Compile the programs of `roots` (distinct nodes) into the table, all at once.

        The pairs (root, node reachable from it) are collected level by level, from the
        highest node down (a node's parents are all higher, so its level is complete when it
        is reached), each pair once; sorted, they are the programs, children first."""
        op, A, B, H, leaf_code = self.cols[: self.size].T
        N = self.size
        k = len(roots)
        buckets: dict[int, list[tuple[NDArray[np.int64], NDArray[np.int64]]]] = {}
        heights: list[int] = []  # the buckets' heights, negated (a max-heap)

        def push(c: NDArray[np.int64], v: NDArray[np.int64]) -> None:
            h = H[v]
            inner = h > 0
            c, v, h = c[inner], v[inner], h[inner]
            if not len(v):
                return
            order = np.argsort(h, kind="stable")
            c, v, h = c[order], v[order], h[order]
            cut = np.flatnonzero(np.diff(h)) + 1
            for part_c, part_v, level in zip(
                np.split(c, cut), np.split(v, cut), h[np.r_[0, cut]].tolist(), strict=False
            ):
                if level not in buckets:
                    buckets[level] = []
                    heapq.heappush(heights, -level)
                buckets[level].append((part_c, part_v))

        found: list[NDArray[np.int64]] = []
        push(np.arange(k, dtype=np.int64), roots)
        while heights:
            parts = buckets.pop(-heapq.heappop(heights))
            key = _distinct(np.concatenate([c * N + v for c, v in parts]))
            found.append(key)
            c, v = key // N, key % N
            push(c, A[v])
            two = B[v] >= 0
            push(c[two], B[v][two])
        key = np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
        c, v = key // N, key % N
        lens = np.bincount(c, minlength=k)
        first = np.cumsum(lens) - lens

        def operand(c: NDArray[np.int64], u: NDArray[np.int64]) -> NDArray[np.int64]:
            local = np.searchsorted(key, c * N + u) - first[c]
            return np.where(H[u] == 0, -1 - leaf_code[u], local)

        rows = np.zeros((len(key), 3), dtype=np.int64)
        rows[:, 0] = op[v]
        rows[:, 1] = operand(c, A[v])
        two = B[v] >= 0
        rows[two, 2] = operand(c[two], B[v][two])
        # a root that is a leaf (⊤ or ⊥): one row copying it
        bare = np.flatnonzero(lens == 0)
        copies = np.zeros((len(bare), 3), dtype=np.int64)
        copies[:, 0] = _COPY
        copies[:, 1] = -1 - leaf_code[roots[bare]]
        self.prog_start[roots] = self.rows + first
        self.prog_start[roots[bare]] = self.rows + len(rows) + np.arange(len(bare))
        self.prog_len[roots] = np.maximum(lens, 1)
        both = np.concatenate([rows, copies])
        self.table = _appended(self.table, self.rows, both)
        self.rows += len(both)

    def programs(self, roots: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """The programs of `roots` (distinct nodes) end to end, shape (sum of lengths, 3),
        and their lengths; compiled first where new."""
        new = roots[self.prog_len[roots] == 0]
        if len(new):
            self.compile(new)
        lens = self.prog_len[roots]
        ends = np.cumsum(lens)
        index = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(
            self.prog_start[roots] - ends + lens, lens
        )
        return self.table[index].astype(np.int64), lens


_STORE = [_Dag()]


def _dag() -> _Dag:
    """The store, started afresh (between batches) once it holds :data:`_DAG_LIMIT` nodes (or
    many program rows, or many objects equal to formulas already in it)."""
    store = _STORE[0]
    if (
        store.size >= _DAG_LIMIT
        or store.rows >= 8 * _DAG_LIMIT
        or len(store.held) >= 4 * _DAG_LIMIT
    ):
        _STORE[0] = _Dag()
    return _STORE[0]


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
