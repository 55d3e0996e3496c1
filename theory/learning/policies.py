"""Moves, memory-one states and the 16 deterministic memory-one policies of Sugar and spice world.

A move is ``"T"`` (offer to trade) or ``"S"`` (try to steal). A memory-one state is the joint move
of the last encounter seen from the agent's own side, ``"TS"`` meaning *I traded, you stole*; the
states are ordered ``TT, TS, ST, SS``. A deterministic memory-one policy is written as the four
moves it makes in those states: ``"TSST"`` trades after ``TT``, steals after ``TS``, steals after
``ST`` and trades after ``SS`` (win-stay lose-shift).

Examples
--------
>>> policy_name("TSST")
'win-stay lose-shift'
>>> partner_state("TS")
'ST'
>>> WELLBEING["S"]["T"]
4
"""

from __future__ import annotations

from itertools import product

from theory.errors import TheoryError

__all__ = [
    "MOVES",
    "STATES",
    "POLICIES",
    "WELLBEING",
    "ALWAYS_STEAL",
    "ALWAYS_TRADE",
    "GRIM",
    "WSLS",
    "TFT",
    "NAMED_POLICIES",
    "MemoryOnePolicyError",
    "check_policy",
    "partner_state",
    "policy_name",
]

#: The two moves: trade and steal.
MOVES: tuple[str, str] = ("T", "S")
#: The four states of memory one: last round's (my move, your move).
STATES: tuple[str, ...] = ("TT", "TS", "ST", "SS")
#: Every deterministic memory-one policy, in lexicographic order of its four moves (T before S).
POLICIES: tuple[str, ...] = tuple("".join(p) for p in product(MOVES, repeat=4))

#: The seed's wellbeing table, WELLBEING[my move][your move]: a prisoner's dilemma with
#: T = 4 > R = 3 > P = 1 > S = 0 and 2R > T + S.
WELLBEING: dict[str, dict[str, int]] = {"T": {"T": 3, "S": 0}, "S": {"T": 4, "S": 1}}

#: The policy that always steals (a policy: its move in each of :data:`STATES`).
ALWAYS_STEAL = "SSSS"
#: The policy that always trades.
ALWAYS_TRADE = "TTTT"
GRIM = "TSSS"  #: the seed's "steal unless we both traded last time"
WSLS = "TSST"  #: win-stay lose-shift (Pavlov): trade after mutual trade or mutual theft
TFT = "TSTS"  #: tit-for-tat: copy the partner's last move

#: The named policies, by their four moves.
NAMED_POLICIES: dict[str, str] = {
    ALWAYS_STEAL: "always steal",
    ALWAYS_TRADE: "always trade",
    GRIM: "steal unless both traded",
    WSLS: "win-stay lose-shift",
    TFT: "tit-for-tat",
    "STST": "anti-tit-for-tat",
    "TTSS": "repeat own move",
}


class MemoryOnePolicyError(TheoryError):
    """Not a memory-one policy (four moves out of ``T``/``S``), or not a state."""


def check_policy(policy: object, name: str = "policy") -> str:
    """The policy as an upper-case 4-letter string, or a :class:`MemoryOnePolicyError` naming it.

    Examples
    --------
    >>> check_policy("tsst")
    'TSST'
    """
    if not isinstance(policy, str):
        raise MemoryOnePolicyError(f"{name} must be a 4-letter string over 'T'/'S', got {policy!r}")
    p = policy.upper()
    if len(p) != 4 or any(c not in MOVES for c in p):
        raise MemoryOnePolicyError(
            f"{name} must be 4 moves out of 'T'/'S' (states TT, TS, ST, SS), got {policy!r}"
        )
    return p


def partner_state(state: str) -> str:
    """The same joint move seen from the partner's side.

    Raises
    ------
    MemoryOnePolicyError
        If `state` is not one of ``TT, TS, ST, SS``.

    Examples
    --------
    >>> [partner_state(s) for s in STATES]
    ['TT', 'ST', 'TS', 'SS']
    """
    if state not in STATES:
        raise MemoryOnePolicyError(f"state must be one of {STATES}, got {state!r}")
    return state[::-1]


def policy_name(policy: str) -> str:
    """The policy's name in the field's words, or its four moves if it has none.

    Examples
    --------
    >>> policy_name("SSSS"), policy_name("TSTT")
    ('always steal', 'TSTT')
    """
    p = check_policy(policy)
    return NAMED_POLICIES.get(p, p)
