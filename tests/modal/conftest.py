"""Results shared by the tests of the depth-1 equilibrium searches (computed once a session:
they are frozen dataclasses, and each search takes seconds)."""

import pytest

from modal.equilibrium_search import depth1_pure_equilibria
from modal.pair_equilibria import depth1_pair_equilibria


@pytest.fixture(scope="session")
def seed_language():  # type: ignore[no-untyped-def]
    """The symmetric search in the seed's language (no self atom)."""
    return depth1_pure_equilibria()


@pytest.fixture(scope="session")
def pairs():  # type: ignore[no-untyped-def]
    """The pair search with the given family only (no refinement)."""
    return depth1_pair_equilibria(rounds=0)
