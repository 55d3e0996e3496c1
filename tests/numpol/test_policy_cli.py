"""``numpol policy``: the comparison as text and JSON; bad input exits 2 with one line."""

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numpol.cli import main


def test_policy_json_has_the_four_schedules(capsys):
    assert main(["policy", "--preset", "one_step", "--maxiter", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (block,) = out["results"]
    names = [s["name"] for s in block["schedules"]]
    assert names == ["free market", "US federal", "Saez", "optimised"]
    best = max(s["objective"] for s in block["schedules"][:3])
    assert block["schedules"][3]["objective"] >= best
    assert all(s["converged"] for s in block["schedules"])


def test_policy_text_table(capsys):
    assert main(["policy", "--preset", "one_step", "--maxiter", "2", "--incomes", "10,100"]) == 0
    text = capsys.readouterr().out
    assert "US federal" in text and "eq·prod" in text


def test_policy_bad_input_exits_2(capsys):
    assert main(["policy", "--incomes", "1,x"]) == 2
    assert main(["policy", "--incomes", "5"]) == 2
    assert main(["policy", "--objective", "eta"]) == 2
    assert main(["policy", "--objective", "eta", "--eta", "2"]) == 2
    assert main(["policy", "--maxiter", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("numpol policy: error:") == 5


@pytest.mark.parametrize("incomes", ["1e308,10,20", "1e400,10", "1e-300,10,20", "1e-400,10"])
def test_policy_incomes_beyond_the_float_range_are_refused(incomes, capsys):
    # 1e308 gave NaN scores with exit 0; 1e400 (exact as text) a traceback
    assert main(["policy", "--incomes", incomes, "--maxiter", "1"]) == 2
    err = capsys.readouterr().err
    assert "incomes must lie in [1e-12, 1e+100] coins" in err and len(err.splitlines()) == 1


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True).map(repr),
            st.sampled_from(["1e100", "1e-12", "1/3", "0.1", "-5", "", "x", "1e400", "nan"]),
            st.integers(-3, 10**6).map(str),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_fuzz_policy_incomes(cells, capsys):
    """Any --incomes: exit 2 with one line, or exit 0 with finite scores - never NaN."""
    incomes = "--incomes=" + ",".join(cells)  # '=': a leading '-5' is a value, not an option
    code = main(["policy", "--preset", "one_step", incomes, "--maxiter", "1", "--json"])
    out = capsys.readouterr()
    if code == 2:
        assert len(out.err.strip().splitlines()) == 1 and "Traceback" not in out.err
        return
    assert code == 0, out.err
    data = json.loads(out.out, parse_constant=lambda c: pytest.fail(f"{c} in the output"))
    for s in data["results"][0]["schedules"]:
        assert all(np.isfinite(v) for v in (s["productivity"], s["equality"], s["objective"]))
