import pytest

from modal import ModalTypeError
from modal.equilibrium_search import depth1_pure_equilibria
from modal.syntactic_check import syntactic_check


def test_syntactic_cross_check(seed_language, pairs) -> None:  # type: ignore[no-untyped-def]
    c = syntactic_check(seed_language, pairs, 6)
    assert (c.formulas, c.candidates, c.outside, c.by_family) == (1458, 415, 0, 8)
    assert c.unexploited == () and c.pairs == c.by_truncation
    with pytest.raises(ModalTypeError, match="without the self atom"):
        syntactic_check(depth1_pure_equilibria(self_atom=True), pairs, 3)
    with pytest.raises(ModalTypeError, match="max_size must be"):
        syntactic_check(seed_language, pairs, 8)
