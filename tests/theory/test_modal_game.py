from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from modal import SEED_AGENTS, Agent, Move, box, opp
from theory.best_response import PureEquilibrium, pure_equilibria
from theory.errors import TheoryError, TheoryTypeError
from theory.modal_game import SEED_PD, invaders, modal_game

EPS = sp.Symbol("epsilon", positive=True)


def test_symbolic_matrix_is_the_seed_game() -> None:
    A = sp.Matrix(modal_game(SEED_AGENTS, EPS).tolist())
    e = EPS
    expected = sp.Matrix(
        [
            [1, 3, 1, 1],
            [0, 2, 2, 0],
            [1 - e, 2 - e, 2 - e, 2 - e],
            [1 - 2 * e, 3 - 2 * e, 2 - 2 * e, 2 - 2 * e],
        ]
    )
    assert sp.simplify(A - expected) == sp.zeros(4, 4)


@pytest.mark.parametrize("eps", [Fraction(1, 10), "1/10", "0.1", " 1e-1 ", sp.Rational(1, 10)])
def test_rational_eps_gives_fractions(eps: object) -> None:
    A = modal_game(SEED_AGENTS, eps)
    assert all(isinstance(v, Fraction) for v in A.flat)
    assert A[3, 1] == 3 - 2 * Fraction(1, 10)


def test_zero_eps_gives_fractions() -> None:
    A = modal_game(SEED_AGENTS, 0)
    assert all(isinstance(v, Fraction) for v in A.flat)
    assert A.tolist()[1] == [0, 2, 2, 0]


def test_float_eps_is_a_float_not_a_guessed_rational() -> None:
    A = modal_game(SEED_AGENTS, 0.25)
    assert all(isinstance(v, float) for v in A.flat)
    assert A[2, 2] == 1.75
    assert modal_game(SEED_AGENTS, 0.1)[3, 0] == 1 - 2 * 0.1


def test_custom_base_payoffs() -> None:
    pd = {(Move.C, Move.C): 3, (Move.D, Move.D): 1, (Move.D, Move.C): 4, (Move.C, Move.D): 0}
    assert modal_game(SEED_AGENTS, 0, base=pd)[0, 1] == 4
    assert modal_game(SEED_AGENTS, "1/10", base=SEED_PD)[0, 1] == 3


@given(st.fractions(min_value=0, max_value=10))
def test_penalty_is_depth_times_eps(e: Fraction) -> None:
    A0 = modal_game(SEED_AGENTS, 0)
    A = modal_game(SEED_AGENTS, e)
    depths = (0, 0, 1, 2)  # DefectBot, CooperateBot, FairBot, PrudentBot
    for i in range(4):
        for j in range(4):
            assert A[i, j] == A0[i, j] - e * depths[i]


@pytest.mark.parametrize(
    ("eps", "error"),
    [
        (float("nan"), TheoryError),
        (float("inf"), TheoryError),
        ("a tenth", TheoryTypeError),
        ("1/0", TheoryError),
        (True, TheoryTypeError),
        ([0.1], TheoryTypeError),
        (-1, TheoryError),
        ("-0.1", TheoryError),
        (-sp.Symbol("e", positive=True), TheoryError),
    ],
)
def test_bad_eps(eps: object, error: type) -> None:
    with pytest.raises(error, match="eps"):
        modal_game(SEED_AGENTS, eps)


def test_incomplete_base() -> None:
    with pytest.raises(TheoryError, match="lacks"):
        modal_game(SEED_AGENTS, 0, base={(Move.C, Move.C): 2})


def test_unique_pure_equilibrium_among_the_four() -> None:
    for eps in ("1/100", "1/10", "1/2", "2"):
        assert pure_equilibria(modal_game(SEED_AGENTS, eps)) == [PureEquilibrium(0, 0)]


def test_invaders_detects_a_profitable_entrant() -> None:
    # at eps = 1/2 the good mixture is not an equilibrium: DefectBot earns 1 + 2 eps > 2 - eps
    dbs = invaders(SEED_AGENTS, Fraction(1, 2))
    assert [a.name for a, _ in dbs] == ["DefectBot"]
    assert dbs[0][1] == 2
    assert invaders([*SEED_AGENTS, Agent("FB2", box(opp()))], Fraction(1, 10)) == []


def test_named_bases() -> None:
    from theory.modal_game import BASE_GAMES, base_game

    assert set(BASE_GAMES) >= {"pd", "pd-axelrod", "stag-hunt", "chicken"}
    assert base_game("pd") == dict(SEED_PD)
    assert base_game([[2, 0], [3, 1]]) == dict(SEED_PD)
    assert base_game([["1/2", 0], [1, "0.25"]])[(Move.D, Move.D)] == Fraction(1, 4)
    # the orderings the names promise
    for name, order in (
        ("pd", "T>R>P>S"),
        ("pd-axelrod", "T>R>P>S"),
        ("stag-hunt", "R>T>P>S"),
        ("chicken", "T>R>S>P"),
    ):
        g = base_game(name)
        v = {
            "R": g[(Move.C, Move.C)],
            "S": g[(Move.C, Move.D)],
            "T": g[(Move.D, Move.C)],
            "P": g[(Move.D, Move.D)],
        }
        ranks = order.split(">")
        assert all(v[a] > v[b] for a, b in zip(ranks, ranks[1:], strict=False)), name


def test_stag_hunt_fairbots_still_cooperate_and_equilibria_change() -> None:
    # outcomes do not depend on the base; payoffs and equilibria do
    A = modal_game(SEED_AGENTS, "1/10", base="stag-hunt")  # D, C, F, P
    assert A[2, 2] == Fraction(3) - Fraction(1, 10)  # FairBot vs FairBot: the stag, minus eps
    eqs = {(q.row, q.column) for q in pure_equilibria(A)}
    # in the stag hunt cooperation needs no enforcement: (CooperateBot, CooperateBot) earns the
    # stag without paying for depth, and is an equilibrium besides (DefectBot, DefectBot);
    # (FairBot, FairBot) is not (CooperateBot saves the penalty against it)
    assert eqs == {(0, 0), (1, 1)}
    eqs_pd = {(q.row, q.column) for q in pure_equilibria(modal_game(SEED_AGENTS, "1/10"))}
    assert eqs_pd == {(0, 0)}
    # chicken: mutual defection is the worst outcome, so (DefectBot, DefectBot) is no equilibrium
    eqs_chicken = {
        (q.row, q.column) for q in pure_equilibria(modal_game(SEED_AGENTS, "1/10", base="chicken"))
    }
    assert (0, 0) not in eqs_chicken


@pytest.mark.parametrize(
    ("base", "error", "match"),
    [
        ("prisoners", TheoryError, "not a named base game"),
        ([[1, 2, 3], [4, 5, 6]], TheoryError, "2 x 2"),
        ([[1, 2]], TheoryError, "2 x 2"),
        ({(Move.C, Move.C): 1}, TheoryError, "lacks"),
        ({**SEED_PD, "x": 1}, TheoryError, "not \\(Move, Move\\)"),
        ([[1, "a"], [0, 1]], TheoryTypeError, "base\\[CD\\]"),
        ([[1, float("nan")], [0, 1]], TheoryError, "base\\[CD\\]"),
        (3, TheoryTypeError, "base must be"),
    ],
)
def test_bad_bases(base: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        modal_game(SEED_AGENTS, "1/10", base=base)


def test_invasion_fitness_is_payoff_against_the_mixture_minus_its_own() -> None:
    from modal import LIBRARY
    from theory.modal_game import invasion_fitness

    agents = list(LIBRARY.values())
    e = Fraction(1, 10)
    A = modal_game(agents, e)
    names = [a.name for a in agents]
    x = [0] * len(agents)
    x[names.index("CooperateBot")] = e
    x[names.index("FairBot")] = 1 - 3 * e / 2
    x[names.index("PrudentBot")] = e / 2
    own = sum(x[i] * A[i, j] * x[j] for i in range(len(x)) for j in range(len(x)))
    assert own == 2 - e
    expected = [sum(A[i, j] * x[j] for j in range(len(x))) - own for i in range(len(x))]
    assert invasion_fitness(agents, e).tolist() == expected
    # invaders agrees: those with positive fitness, reported with their payoff
    assert invaders(agents, "1/2") == [
        (a, f + 2 - Fraction(1, 2))
        for a, f in zip(agents, invasion_fitness(agents, "1/2"), strict=True)
        if f > 0 and a.name not in ("CooperateBot", "FairBot", "PrudentBot")
    ]
