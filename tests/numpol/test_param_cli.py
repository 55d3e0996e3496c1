"""``--matrix`` files with expressions and ``--param`` values (issue 13), through numpol.cli.main:
``numpol flow``, ``numpol finite`` and ``numpol equilibria``."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from numpol.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def hawk_dove(tmp_path: Path) -> Path:
    f = tmp_path / "hd.csv"
    f.write_text("# hawk-dove: V the prize, C the cost of a fight\n(V - C)/2, V\n0, V/2\n")
    return f


@pytest.fixture
def rps(tmp_path: Path) -> Path:
    f = tmp_path / "rps.txt"
    f.write_text("0, -1, a\na, 0, -1\n-1, a, 0\n")
    return f


def test_flow_at_the_values_reaches_the_mixed_ess(hawk_dove, capsys):
    code, out, _ = run(
        ["flow", "--matrix", str(hawk_dove), "--param", "V=2", "--param", "C=3", "--json"], capsys
    )
    assert code == 0
    final = json.loads(out)["final"]
    assert final == pytest.approx([2 / 3, 1 / 3], abs=1e-6)  # Hawk with probability V/C


def test_flow_plot_of_a_two_strategy_game(hawk_dove, tmp_path, capsys):
    png = tmp_path / "hd.png"
    args = ["flow", "--matrix", str(hawk_dove), "--param", "V=1/2", "--param", "C=1"]
    code, _, _ = run([*args, "--plot", str(png)], capsys)
    assert code == 0 and png.stat().st_size > 10_000


def test_param_values_are_exact(tmp_path, capsys):
    """0.1 in an expression and in --param is 1/10: fixation probabilities as exact rationals."""
    f = tmp_path / "g.csv"
    f.write_text("1 + 0.1*b, 1\n1 + b, 1\n")
    g = tmp_path / "h.csv"
    g.write_text("11/10, 1\n2, 1\n")
    a = ["finite", "fixation", "--N", "5", "--json"]
    _, out1, _ = run([*a, "--matrix", str(f), "--param", "b=1"], capsys)
    _, out2, _ = run([*a, "--matrix", str(g)], capsys)
    assert json.loads(out1)["fixation"] == json.loads(out2)["fixation"]


def test_finite_with_params(hawk_dove, capsys):
    args = ["finite", "fixation", "--matrix", str(hawk_dove), "--N", "10", "--json"]
    code, out, _ = run([*args, "--param", "V=2", "--param", "C=3"], capsys)
    assert code == 0
    rho = json.loads(out)["fixation"]
    assert all(0 < float(Fraction(r["probability"])) < 1 for r in rho)


def test_equilibria_symbolic_without_param(hawk_dove, capsys):
    code, out, _ = run(["equilibria", "--matrix", str(hawk_dove), "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["method"] == "symbolic" and data["parameters"] == ["C", "V"]
    mixed = [q for q in data["equilibria"] if q["x"] == ["V/C", "1 - V/C"] or "V/C" in q["x"][0]]
    assert mixed and "region" in mixed[0]
    code, text, _ = run(["equilibria", "--matrix", str(hawk_dove)], capsys)
    assert "exists where" in text


def test_equilibria_with_params_is_the_numeric_game(hawk_dove, tmp_path, capsys):
    code, out, _ = run(
        ["equilibria", "--matrix", str(hawk_dove), "--param", "V=2", "--param", "C=3", "--json"],
        capsys,
    )
    data = json.loads(out)
    assert code == 0 and data["method"] == "exact"
    assert {"x": ["2/3", "1/3"], "y": ["2/3", "1/3"], "u": "1/3", "v": "1/3"} in data["equilibria"]


def test_json_matrix_with_expressions(tmp_path, capsys):
    f = tmp_path / "g.json"
    f.write_text(json.dumps({"A": [["a", 0], [0, 1]], "B": [["a", 0], [0, "2*a"]]}))
    code, out, _ = run(["equilibria", "--matrix", str(f), "--param", "a=1/2", "--json"], capsys)
    assert code == 0
    pure = {"x": ["1", "0"], "y": ["1", "0"], "u": "1/2", "v": "1/2"}
    assert pure in json.loads(out)["equilibria"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], r"has the parameter a: give a value with --param a=VALUE"),
        (["--param", "a=2", "--param", "b=1"], r"--param: b is not a parameter of the game"),
        (["--param", "a=x"], r"a = 'x' is not a number"),
        (["--param", "a"], r"--param 'a': write NAME=VALUE"),
        (["--param", "a=1", "--param", "a=2"], r"--param a is given twice"),
        (["--param", "a=1/0"], r"division by zero"),
    ],
)
def test_bad_params_are_one_line_errors(rps, extra, message, capsys):
    for command in (["flow"], ["finite", "fixation"], ["equilibria"]):
        if command == ["equilibria"] and not extra:
            continue  # no --param on a symbolic matrix: equilibria answers symbolically
        code, _, err = run([*command, "--matrix", str(rps), *extra], capsys)
        assert code == 2, (command, err)
        assert err.count("\n") == 1 and re.search(message, err), err


def test_bad_expressions_name_the_line(tmp_path, capsys):
    f = tmp_path / "bad.csv"
    f.write_text("1, 2\n3, import os\n")
    code, _, err = run(["equilibria", "--matrix", str(f)], capsys)
    assert code == 2 and "line 2" in err and "'import os' is neither a number" in err


def test_param_on_modal_agents_is_refused(capsys):
    code, _, err = run(["flow", "--param", "a=1"], capsys)
    assert code == 2 and "--param gives values to the parameters of a --matrix" in err


def test_equilibria_param_on_symbolic_eps(capsys):
    """--eps symbolic with --param epsilon=1/10 is the game at ε = 1/10."""
    at = ["--param", "epsilon=1/10"]
    _, sym, _ = run(["equilibria", "--eps", "symbolic", *at, "--json"], capsys)
    _, num, _ = run(["equilibria", "--json"], capsys)
    assert json.loads(sym)["equilibria"] == json.loads(num)["equilibria"]


def test_flow_basins_extend_the_horizon_and_say_so(rps, capsys):
    """RPS with a = 2 at t = 60 left 70% of the starts undecided, silently."""
    args = ["flow", "--matrix", str(rps), "--param", "a=2", "--basins", "200", "--t", "60"]
    code, out, err = run([*args, "--json"], capsys)
    h = json.loads(out)["horizon"]
    assert code == 0 and h["extended"] and h["sure"] and h["undecided"] == 0.0 and err == ""
    code, out, err = run([*args, "--t-max", "60"], capsys)
    assert code == 0 and "(UNSURE)" in out
    assert err.startswith("numpol flow: warning: ") and "are undecided at t = 60" in err
    code, _, err = run([*args, "--t-max", "30"], capsys)
    assert code == 2 and "--t-max must be a finite time >= --t 60" in err
