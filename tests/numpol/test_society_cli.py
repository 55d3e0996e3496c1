"""``numpol society``: exact learning theory, the two experiments, JSON, errors."""

from __future__ import annotations

import json

import pytest
import sympy

from numpol.cli import main
from theory.learning import NOISE, average_wellbeing, fixed_points


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    code = main([*args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def test_theory_fixed_points_and_a_pair(capsys):
    data = run_json(["society", "theory", "--pair", "ssss,tsst"], capsys)
    assert data["noise"] == "1/20" and data["discount"] == "9/10"
    pairs = {tuple(p["pair"]) for p in data["fixed_points"]}
    assert pairs == set(fixed_points(noise="1/20", discount="9/10"))
    assert ("TSST", "TSST") in pairs
    wsls = next(p for p in data["fixed_points"] if p["pair"] == ["TSST", "TSST"])
    w = average_wellbeing("TSST", "TSST")[0].subs(NOISE, sympy.Rational(1, 20))
    assert wsls["wellbeing"] == [str(w), str(w)]
    pair = data["pair"]
    assert pair["wellbeing_limit"] == ["5/2", "1/2"]  # always steal exploits WSLS (SS-07)
    assert pair["fixed_point"] is False
    assert sum(sympy.Rational(v) for v in pair["stationary"].values()) == 1
    for rule, comps in data["attractors"].items():
        assert ["SSSS/SSSS"] in comps, rule


def test_theory_at_other_parameters(capsys):
    data = run_json(["society", "theory", "--discount", "2/3", "--epsilon", "1/2"], capsys)
    assert data["noise"] == "1/4"
    assert {tuple(p["pair"]) for p in data["fixed_points"]} == set(
        fixed_points(noise="1/4", discount="2/3")
    )


def test_experiment_1(capsys):
    data = run_json(
        ["society", "experiment-1", "--runs", "30", "--encounters", "4000", "--seed", "2"], capsys
    )
    assert data["runs"] == 30 and data["alpha"] == 0.03
    assert sum(p["runs"] for p in data["pairs"]) == data["stable_runs"] <= 30
    for p in data["pairs"]:
        assert p["ci95"][0] <= p["fraction"] <= p["ci95"][1]
        assert (p["exact_wellbeing"] is not None) == p["fixed_point"]
        assert 0 <= p["simulated_wellbeing"] <= 3


def test_experiment_2_is_bounded_and_reproducible(capsys):
    args = ["society", "experiment-2", "--graph", "ring", "--N", "6", "--runs", "4"]
    data = run_json([*args, "--encounters", "3000"], capsys)
    assert data["edges"] == 6 and data["within_bound"]
    assert 0 < data["omega_per_agent"] <= 3
    assert sum(data["policy_shares"].values()) == pytest.approx(1.0)
    again = run_json([*args, "--encounters", "3000"], capsys)
    assert again == data


def test_text_output(capsys):
    code = main(["society", "theory", "--pair", "TSST,TSST"])
    out = capsys.readouterr().out
    assert code == 0 and "win-stay lose-shift" in out and "W(0+) = 3  and  3" in out


@pytest.mark.parametrize(
    "args, needle",
    [
        (["society", "theory", "--pair", "TSST"], "--pair must be two policies"),
        (["society", "theory", "--pair", "TSST,XXXX"], "--pair[1]"),
        (["society", "theory", "--discount", "1"], "--discount"),
        (["society", "theory", "--epsilon", "3/2"], "--epsilon"),
        (["society", "experiment-1", "--alpha", "0"], "--alpha"),
        (["society", "experiment-1", "--runs", "0"], "--runs"),
        (["society", "experiment-1", "--pair", "TSST,TSST"], "--pair belongs"),
        (["society", "experiment-1", "--N", "4"], "experiment-2"),
        (["society", "experiment-2", "--N", "1"], "n"),
    ],
)
def test_errors_are_one_line(args, needle, capsys):
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert needle in err
