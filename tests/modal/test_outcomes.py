from modal import SEED_AGENTS, Move, outcome_matrix


def test_outcome_matrix_pairs() -> None:
    M = outcome_matrix(SEED_AGENTS)
    assert M[3][1] == (Move.D, Move.C) and M[1][3] == (Move.C, Move.D)


def test_outcome_matrix_is_the_seed_table() -> None:
    M = outcome_matrix(SEED_AGENTS)
    assert [" ".join(a.value + b.value for a, b in row) for row in M] == [
        "DD DC DD DD",
        "CD CC CC CD",
        "DD CC CC CC",
        "DD DC CC CC",
    ]
