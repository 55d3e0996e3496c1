from fractions import Fraction

import pytest

from modal import LIBRARY, CooperateBot, DefectBot, ModalTypeError, PrudentBot, outcome
from modal.equilibrium_search import EXPLOITERS, truncation
from modal.evaluate import Move
from modal.pair_equilibria import depth1_pair_equilibria

from .duels import exploits


def test_pairs_every_survivor_has_a_truncated_exploiter(pairs) -> None:  # type: ignore[no-untyped-def]
    p = pairs
    assert p.exploiters == EXPLOITERS and not p.all_refuted
    assert p.mutual == p.by_family + p.survivors and p.survivors == 7
    assert p.worst == 3 and p.excluded_below == Fraction(1, 3)
    x, y = p.example
    env = {**LIBRARY, "X": x, "Y": y}
    # the example pair, re-played: a candidate pair that cooperates both ways...
    assert outcome(x, y, env) == (Move.C, Move.C)
    for a in (x, y):
        assert outcome(a, CooperateBot)[0] is Move.D and outcome(a, DefectBot)[0] is Move.D
        assert not any(exploits(z, a) for z in EXPLOITERS)
    # ...and one of them is exploited by the other truncated after `worst` worlds
    assert exploits(truncation(y, p.worst + 1, "Z"), x) or exploits(
        truncation(x, p.worst + 1, "Z"), y
    )


def test_refinement_refutes_every_pair() -> None:
    r = depth1_pair_equilibria()
    assert r.all_refuted and r.survivors == 0 and r.excluded_below == Fraction(1)
    added = r.exploiters[len(EXPLOITERS) :]
    assert [z.name for z in added] == ["Exploiter1"]
    z = added[0]
    assert "me" not in str(z.formula).replace("opp(me)", "")  # the seed's language
    from modal import depth

    assert depth(z) == 1
    # it exploits a pair the given family left (re-played with the slow evaluator)
    x, y = depth1_pair_equilibria(rounds=0).example
    assert exploits(z, x) or exploits(z, y)
    with pytest.raises(ModalTypeError, match="rounds must be"):
        depth1_pair_equilibria(rounds=-1)


def test_bad_input() -> None:
    with pytest.raises(ModalTypeError, match="'PrudentBot' has depth 2"):
        depth1_pair_equilibria(exploiters=(PrudentBot,))
