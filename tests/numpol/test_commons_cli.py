"""``numpol commons``: exact mean field, thresholds and taxes; stochastic runs; errors."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from numpol.cli import main
from theory.commons import HarvestCommons, corrective_tax, social_optimum_effort


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    code = main([*args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def test_mean_field_is_exact(capsys):
    data = run_json(["commons", "mean-field", "--N", "1,5"], capsys)
    rows = {p["effort_of"]: p for p in data["points"]}
    assert rows["open access"]["effort"] == "9/10" and rows["open access"]["rent"] == "0"
    assert rows["social optimum"]["effort"] == "9/20"
    assert rows["Nash, N = 1"]["effort"] == "9/20"  # a sole owner is the social optimum
    assert rows["Nash, N = 5"]["effort"] == "3/4" and rows["Nash, N = 5"]["stock"] == "25"
    assert rows["Nash under tax 9/11, N = 5"]["effort"] == "9/20"
    assert rows["maximum sustainable yield"]["yield"] == "25"


def test_decimal_parameters_are_exact(capsys):
    data = run_json(["commons", "mean-field", "--c", "0.1", "--K", "1", "--N", "2"], capsys)
    assert data["commons"]["c"] == "1/10"
    m = HarvestCommons(1, 1, 1, Fraction(1, 10))
    rows = {p["effort_of"]: p for p in data["points"]}
    assert Fraction(rows["social optimum"]["effort"]) == social_optimum_effort(m)


def test_thresholds(capsys):
    data = run_json(["commons", "thresholds", "--c", "0"], capsys)
    assert data["collapse_effort"] == "1" and data["open_access_collapses"] is True
    assert data["grid_collapse_harvest"] == "3/103"
    assert data["grid_fold_harvest"] > 3 / 103


def test_corrective_tax_by_n(capsys):
    data = run_json(["commons", "tax", "--N", "1,2,5,100"], capsys)
    m = HarvestCommons(1, 100, 1, 10)
    for row in data["rows"]:
        assert row["counted"]["optimal"] and row["ignored"]["optimal"]
        want = corrective_tax(m, row["N"], rebate="ignored")
        assert Fraction(row["ignored"]["tax"]) == want
    assert {row["counted"]["tax"] for row in data["rows"][1:]} == {"9/11"}  # independent of N
    # without a cost, a tax whose rebate agents ignore cannot work: said, not crashed
    data = run_json(["commons", "tax", "--c", "0", "--N", "3"], capsys)
    assert (
        data["rows"][0]["ignored"]["tax"] is None and "c = 0" in data["rows"][0]["ignored"]["why"]
    )


def test_simulation_agrees_with_the_mean_field(capsys):
    data = run_json(["commons", "simulate", "--runs", "60", "--sites", "500", "--t", "10"], capsys)
    assert data["effort"] == "3/4" and data["runs"] == 60
    assert data["agrees"] and data["extinct"] == 0
    dead = run_json(
        [
            "commons",
            "simulate",
            "--at",
            "collapse",
            "--effort",
            "3/2",
            "--runs",
            "20",
            "--sites",
            "100",
            "--t",
            "60",
        ],
        capsys,
    )
    assert dead["effort_of"] == "--effort 3/2" and dead["extinct"] == 1.0


def test_text_output(capsys):
    code = main(["commons", "tax", "--N", "2,5"])
    out = capsys.readouterr().out
    assert code == 0 and "9/11" in out and "18/23" in out


@pytest.mark.parametrize(
    "args, needle",
    [
        (["commons", "mean-field", "--r", "-1"], "r must be positive"),
        (["commons", "mean-field", "--K", "many"], "--K"),
        (["commons", "tax", "--N", "0"], "--N"),
        (["commons", "simulate", "--N", "2,3"], "one --N"),
        (["commons", "simulate", "--sites", "0"], "--sites"),
        (["commons", "simulate", "--t", "-1"], "--t"),
        (["commons", "simulate", "--x0", "500"], "--x0"),
        (["commons", "mean-field", "--effort", "1"], "--effort belongs"),
        (["commons", "mean-field", "--tax", "2"], "tax"),
        (["commons", "simulate", "--tax", "1/2"], "--tax sets the effort of --at taxed"),
    ],
)
def test_errors_are_one_line(args, needle, capsys):
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert needle in err
