import pytest

from theory.errors import TheoryError
from theory.learning.policies import (
    POLICIES,
    STATES,
    WELLBEING,
    MemoryOnePolicyError,
    check_policy,
    partner_state,
    policy_name,
)


def test_sixteen_distinct_policies():
    assert len(set(POLICIES)) == 16 and all(len(p) == 4 for p in POLICIES)


def test_wellbeing_is_the_seed_table_and_a_prisoners_dilemma():
    T, R, P, S = WELLBEING["S"]["T"], WELLBEING["T"]["T"], WELLBEING["S"]["S"], WELLBEING["T"]["S"]
    assert (R, S, T, P) == (3, 0, 4, 1)
    assert T > R > P > S and 2 * R > T + S


def test_partner_state_is_an_involution():
    assert all(partner_state(partner_state(s)) == s for s in STATES)


@pytest.mark.parametrize("bad", ["TST", "TSSX", 5, None, "TTTTT"])
def test_bad_policy_is_named(bad):
    with pytest.raises(MemoryOnePolicyError, match="policy"):
        check_policy(bad)
    assert issubclass(MemoryOnePolicyError, TheoryError)


def test_bad_state():
    with pytest.raises(MemoryOnePolicyError, match="XY"):
        partner_state("XY")


def test_names():
    assert policy_name("tsss") == "steal unless both traded"
