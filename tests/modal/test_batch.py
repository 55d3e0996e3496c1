import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modal import LIBRARY, SEED_AGENTS, ModalTypeError, cooperation_matrix
from modal.checks import slow_cooperation_matrix

from .strategies import agents


def test_library_round_robin_matches_slow() -> None:
    lib = list(LIBRARY.values())
    assert np.array_equal(cooperation_matrix(lib), slow_cooperation_matrix(lib))


@settings(max_examples=40)
@given(st.lists(agents(), min_size=1, max_size=5, unique_by=lambda a: a.name))
def test_batch_agrees_with_slow_evaluator(pool) -> None:  # type: ignore[no-untyped-def]
    players = [*pool, *SEED_AGENTS]
    assert np.array_equal(cooperation_matrix(players), slow_cooperation_matrix(players))


def test_duplicate_names_rejected() -> None:
    with pytest.raises(ModalTypeError, match="'FairBot' appears twice"):
        cooperation_matrix([LIBRARY["FairBot"], LIBRARY["FairBot"]])


def test_boxes_moving_past_world_63_fall_back_to_the_slow_evaluator() -> None:
    from modal import wait_fair_bot

    # □^71⊥ stays true until world 70: 64 packed worlds cannot see it settle
    deep = wait_fair_bot(70)
    players = [deep, LIBRARY["PrudentBot"], LIBRARY["CooperateBot"], LIBRARY["FairBot"]]
    assert np.array_equal(cooperation_matrix(players), slow_cooperation_matrix(players))
