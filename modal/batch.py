"""Fast round robins: every sentence's truth over worlds 0..63 packed into one ``uint64``.

Bit n of a word is the truth of a sentence "X cooperates with Y" at world n of the linear GL frame.
In this packing ``□φ`` is ``φ ^ (φ + 1)`` (the bits up to and including φ's first false bit) and
``◇φ`` is ``~□~φ``, so an agent's formula is evaluated against many opponents at once with a few
numpy word operations. Each formula is compiled once into a post-order program (no recursion,
so formulas of any depth up to :data:`modal.formula.MAX_FORMULA_SIZE` work).

**Sweeps, and when to stop.** Starting from all-false words, each Jacobi sweep makes one more
world correct: after sweep t the sentences and boxes are right on worlds 0..t−1 (a value at world
n reads only worlds below n). The box values at world n+1 are a function of those at world n
(see :mod:`modal.evaluate`), so as soon as every box of the system has the same value at worlds
t−1 and t−2, nothing changes from world t−2 on: the evaluation stops there, after
``stable_from + 2`` sweeps (the seed's agents settle by world 2, the literature's by world 6),
and the value at world ``stable_from`` is the standard-model truth. :class:`RoundRobin` reports
``stable_from``. If some box still moves at world 63, the pairs are recomputed with the
world-by-world evaluator instead (``slow_fallback``), so the answer is never wrong.

**Rectangular round robins.** :func:`round_robin` plays N candidates against k references
without the (N + k)² square: the references and the agents they (or the candidates) name are
solved once among themselves; then every candidate's formula runs as a register program
vectorised across *all candidates at once* (one numpy operation per program position, not per
candidate), against the references and against a copy of itself (self-play), world by world
until every box is stable; a candidate whose boxes still move at world 63 is handed to the
world-by-world evaluator (and only that one). Candidates that share a formula share their
moves: each distinct formula is evaluated once. The formulas are interned in a store of
distinct subformulas (hash-consing: a formula seen before, as the same object or as an equal
one, costs one lookup), and the programs of new formulas are compiled together, level by level,
with numpy: no per-candidate Python beyond that lookup, so 10⁵ all-distinct candidates against
4 references run at millions of matchups per second (``benchmarks/bench_modal.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
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
    _closure,
    _compile,
    _Dag,
    _dag,
    _square,
)
from modal.agents import LIBRARY, Agent, environment
from modal.errors import ModalTypeError, UnknownAgentError
from modal.evaluate import Move, outcome

__all__ = ["cooperation_matrix", "round_robin", "RoundRobin", "WORLDS"]


@dataclass(frozen=True)
class RoundRobin:
    """Every candidate against every reference, and against a copy of itself.

    Attributes
    ----------
    candidates, references : tuple of Agent
        The rows and the columns.
    cooperates : ndarray of bool, shape (N, k)
        ``cooperates[i, j]``: candidate i cooperates with reference j.
    cooperated_with : ndarray of bool, shape (N, k)
        ``cooperated_with[i, j]``: reference j cooperates with candidate i.
    self_play : ndarray of bool, shape (N,)
        Does candidate i cooperate with a copy of itself?
    stable_from : int or None
        The first world from which no box of the system changes (the evaluation stopped at world
        ``stable_from + 1``); None if some box still changed at world 63.
    slow_fallback : bool
        True when some box still changed at world 63: the world-by-world evaluator answered
        for the candidates whose matches still changed (and only those, unless the references'
        own system did not settle).

    Examples
    --------
    >>> from modal.agents import SEED_AGENTS, MagicBot
    >>> rr = round_robin([MagicBot], SEED_AGENTS)
    >>> rr.cooperates.astype(int).tolist(), rr.cooperated_with.astype(int).tolist()
    ([[0, 1, 1, 0]], [[0, 1, 1, 0]])
    >>> bool(rr.self_play[0]), rr.stable_from
    (True, 4)
    """

    candidates: tuple[Agent, ...]
    references: tuple[Agent, ...]
    cooperates: NDArray[np.bool_]
    cooperated_with: NDArray[np.bool_]
    self_play: NDArray[np.bool_]
    stable_from: int | None
    slow_fallback: bool

    def __len__(self) -> int:
        return len(self.candidates)


def _by_name(agents: Sequence[Agent], what: str) -> dict[str, Agent]:
    """Name -> agent, refusing anything but agents and repeated names (C-level passes only)."""
    if not all(map(isinstance, agents, repeat(Agent))):
        bad = next(a for a in agents if not isinstance(a, Agent))
        raise ModalTypeError(f"{what}: expected an Agent, got {type(bad).__name__}: {bad!r}")
    names = list(map(attrgetter("name"), agents))
    by_name = dict(zip(names, agents, strict=True))
    if len(by_name) != len(names):
        dup = next(nm for nm, k in Counter(names).items() if k > 1)
        raise ModalTypeError(f"{what}: agent names must be distinct; {dup!r} appears twice")
    return by_name


def round_robin(
    candidates: Sequence[Agent],
    references: Sequence[Agent],
    *,
    env: Mapping[str, Agent] | None = None,
) -> RoundRobin:
    """Play every candidate against every reference (both moves) and against itself.

    Parameters
    ----------
    candidates : sequence of Agent
        The rows: N agents, distinct names (may be large: 10⁵ and more).
    references : sequence of Agent
        The columns: k agents, distinct names.
    env : mapping of str to Agent, optional
        Definitions of agents referred to by name (default: :data:`modal.LIBRARY`).

    Returns
    -------
    RoundRobin
        The moves, self-play, and the world from which the system was stable.

    Raises
    ------
    UnknownAgentError
        If an agent refers to a name with no definition.
    ModalTypeError
        If names repeat. (A reference that names a candidate is fine: that candidate is then
        solved together with the references.)
    """
    candidates = list(candidates)
    references = list(references)
    by_name = _by_name(candidates, "candidates")
    _by_name(references, "references")
    # A candidate's moves are a function of its formula alone (names only label the rows), so
    # each distinct formula is evaluated once and its row copied to the candidates that share it.
    store = _dag()
    roots, first, row = _formula_groups(store, candidates)
    flat, lens = store.programs(roots)
    codes = -1 - flat[:, 1:]  # leaf codes; opp(name) is 4 + the name's index in the store
    named = {store.names[k - 4] for k in np.unique(codes[codes >= 4]).tolist()}
    # The environment is `env` (default LIBRARY) overridden by the references, then by the
    # candidates; a candidate matters to it only if some agent names it, and only those are put
    # in (10^5 candidates need no dictionary of their own). Every candidate's names are checked.
    base = LIBRARY if env is None else env
    mentioned = named.union(*(a.references for a in (*references, *base.values())))
    env = environment([*references, *(by_name[x] for x in sorted(mentioned & by_name.keys()))], env)
    unknown = named - env.keys()
    if unknown:
        culprit = next(a for a in candidates if a.references & unknown)
        raise UnknownAgentError(min(culprit.references & unknown), culprit.name)
    others = _closure([*references, *(env[n] for n in sorted(named))], env)
    oindex = {a.name: j for j, a in enumerate(others)}
    VO, s0 = _square(others)
    n, m = len(candidates), len(others)
    ref_cols = [oindex[r.name] for r in references]
    if s0 is None:
        return _slow(candidates, references, env)
    if n == 0:
        empty = np.zeros((0, len(references)), dtype=bool)
        return RoundRobin((), tuple(references), empty, empty.copy(), np.zeros(0, bool), s0, False)
    X, Y, s, moving = _candidates_fixed_point(store, flat, lens, others, oindex, VO, s0)
    coop, coop_with, self_play = X[:, ref_cols], Y[:, ref_cols], X[:, m]
    if moving is not None:  # these formulas' boxes still change at world 63: the slow path
        redo = np.flatnonzero(moving)
        slow = _slow([candidates[i] for i in first[redo].tolist()], references, env)
        coop[redo], coop_with[redo], self_play[redo] = (
            slow.cooperates,
            slow.cooperated_with,
            slow.self_play,
        )
    return RoundRobin(
        tuple(candidates),
        tuple(references),
        coop[row],
        coop_with[row],
        self_play[row],
        s,
        moving is not None,
    )


def _formula_groups(
    store: _Dag, candidates: Sequence[Agent]
) -> tuple[NDArray[np.int64], NDArray[np.intp], NDArray[np.intp]]:
    """The distinct formulas' nodes in the store (sorted), the first candidate holding each,
    and each candidate's index among them.

    A formula is found by identity, then by structure (its connective and its children's
    nodes), so equal formulas are one group whatever the objects, and unequal formulas with
    colliding hashes are not."""
    nodes = store.nodes(list(map(attrgetter("formula"), candidates)))
    roots, first, row = np.unique(nodes, return_index=True, return_inverse=True)
    return roots, first.astype(np.intp), row.reshape(-1).astype(np.intp)


def _distinct_formulas(candidates: Sequence[Agent]) -> tuple[list[Agent], NDArray[np.intp]]:
    """One candidate per distinct formula, and each candidate's index among those."""
    _, first, row = _formula_groups(_dag(), candidates)
    return [candidates[i] for i in first.tolist()], row


# The candidates' register machine, bit-sliced: bit c of every word is candidate c, and the worlds
# are walked one by one (as in modal.evaluate), so one numpy operation on ⌈N/64⌉ words per column
# serves all N candidates at once, whatever their formulas. The register file: a bank of atom
# values (0: ⊤, 1: ⊥, 2: me, 3: opp(me), 4 + j: opp(others[j])) followed by one register per
# program position. The programs (the candidates' distinct non-leaf subformulas, children first,
# from the formula store) are right-aligned so that every root is at the last position T - 1.
# Each position reads its operands through one-hot selection words (bit c set where candidate c
# reads register k) and is one Boolean function in algebraic normal form,
#     out = K ^ (A & P) ^ (B & Q) ^ (A & B & S),
# with per-candidate coefficient words, or a box: the box's state word, updated between worlds
# (□: state & argument, ◇: state | argument). A position before a candidate's program starts
# has all coefficients 0 (its register holds 0 and nothing reads it).
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


def _slow(
    candidates: Sequence[Agent], references: Sequence[Agent], env: Mapping[str, Agent]
) -> RoundRobin:
    c = np.array(
        [[outcome(a, r, env)[0] is Move.C for r in references] for a in candidates], dtype=bool
    ).reshape(len(candidates), len(references))
    w = np.array(
        [[outcome(r, a, env)[0] is Move.C for r in references] for a in candidates], dtype=bool
    ).reshape(len(candidates), len(references))
    sp = np.array([outcome(a, a, env)[0] is Move.C for a in candidates], dtype=bool)
    return RoundRobin(tuple(candidates), tuple(references), c, w, sp, None, True)


def cooperation_matrix(
    agents: Sequence[Agent], env: Mapping[str, Agent] | None = None
) -> NDArray[np.bool_]:
    """``M[i, j]``: does ``agents[i]`` cooperate with ``agents[j]``? All pairs at once.

    Parameters
    ----------
    agents : sequence of Agent
        The players (names must be distinct).
    env : mapping of str to Agent, optional
        Definitions of agents referred to by name (default: :data:`modal.LIBRARY`).

    See Also
    --------
    round_robin : candidates × references, self-play, and the world where evaluation stopped.

    Examples
    --------
    >>> from modal.agents import SEED_AGENTS
    >>> cooperation_matrix(SEED_AGENTS).astype(int)
    array([[0, 0, 0, 0],
           [1, 1, 1, 1],
           [0, 1, 1, 1],
           [0, 0, 1, 1]])
    """
    agents = list(agents)
    _by_name(agents, "agents")
    env = environment(agents, env)
    everyone = _closure(agents, env)
    V, s = _square(everyone)
    n = len(agents)
    if s is None:  # some box still moving at world 63: fall back to the slow evaluator
        return np.array(
            [[outcome(a, b, env)[0] is Move.C for b in agents] for a in agents], dtype=bool
        ).reshape(n, n)
    return ((V[:n, :n] >> np.uint64(s)) & _ONE).astype(bool)
