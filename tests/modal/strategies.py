"""Hypothesis strategies for modal formulas and agents."""

from hypothesis import strategies as st

from modal import BOT, TOP, Agent, Formula
from modal.formula import And, Box, Diamond, Iff, Implies, Me, Not, Opp, Or

NAMES = ("me", "CooperateBot", "DefectBot", "FairBot", "PrudentBot")


def formulas(atoms: bool = True, names: tuple[str, ...] = NAMES) -> st.SearchStrategy[Formula]:
    """Any formula (atoms anywhere when `atoms`), small."""
    leaves: list[st.SearchStrategy[Formula]] = [st.just(TOP), st.just(BOT)]
    if atoms:
        leaves.append(st.sampled_from(names).map(Opp))
        leaves.append(st.just(Me()))
    return st.recursive(
        st.one_of(leaves),
        lambda kids: st.one_of(
            kids.map(Not),
            kids.map(Box),
            kids.map(Diamond),
            st.tuples(kids, kids).map(lambda t: And(*t)),
            st.tuples(kids, kids).map(lambda t: Or(*t)),
            st.tuples(kids, kids).map(lambda t: Implies(*t)),
            st.tuples(kids, kids).map(lambda t: Iff(*t)),
        ),
        max_leaves=8,
    )


def modalized(names: tuple[str, ...] = NAMES) -> st.SearchStrategy[Formula]:
    """Fully modalised formulas: atoms only under a box or diamond."""
    boxed = formulas(True, names).flatmap(lambda f: st.sampled_from([Box(f), Diamond(f)]))
    return st.recursive(
        st.one_of(st.just(TOP), st.just(BOT), boxed),
        lambda kids: st.one_of(
            kids.map(Not),
            st.tuples(kids, kids).map(lambda t: And(*t)),
            st.tuples(kids, kids).map(lambda t: Or(*t)),
            st.tuples(kids, kids).map(lambda t: Implies(*t)),
        ),
        max_leaves=4,
    )


def agents(prefix: str = "X") -> st.SearchStrategy[Agent]:
    return st.tuples(st.integers(0, 10**6), modalized()).map(
        lambda t: Agent(f"{prefix}{t[0]}", t[1])
    )
