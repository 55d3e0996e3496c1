"""``numpol equilibria``: sources (agents, CSV, JSON), methods, --json, and its errors."""

import json

import numpy as np
import pytest
import sympy

from numpol.cli import main
from numpol.commands.equilibria import matrix
from numpol.errors import NumpolError
from theory.regions import format_region


def run_json(capsys, *argv):
    assert main(["equilibria", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_seed_agents_exact(capsys):
    out = run_json(capsys)
    assert out["method"] == "exact" and out["complete"] and not out["degenerate"]
    xs = [q["x"] for q in out["equilibria"]]
    assert ["0", "1/10", "17/20", "1/20"] in xs and len(xs) == 3


def test_symbolic_eps(capsys):
    out = run_json(capsys, "--eps", "symbolic", "--agents", "DefectBot,FairBot")
    assert out["method"] == "symbolic"
    assert {q["region"] for q in out["equilibria"]} >= {"Interval.open(0, oo)"}


def test_csv_and_json_files(tmp_path, capsys):
    csv = tmp_path / "g.csv"
    csv.write_text("0, 3\n1, 2\n")
    out = run_json(capsys, "--matrix", str(csv))
    assert [q["x"] for q in out["equilibria"]] == [["1", "0"], ["0", "1"], ["1/2", "1/2"]]
    js = tmp_path / "g.json"
    js.write_text(json.dumps({"A": [[3, 3], [2, 5], [0, 6]], "B": [[3, 3], [2, 6], [3, 1]]}))
    out = run_json(capsys, "--matrix", str(js))
    assert out["degenerate"] and out["degenerate_supports"] == [["row", [0]]]
    out = run_json(capsys, "--matrix", str(js), "--method", "vertex")
    assert out["exact"] is False


def test_decimals_are_exact_and_floats_on_request(tmp_path, capsys):
    """A decimal in a file is the rational it spells (was: solved in floats unless --exact)."""
    csv = tmp_path / "g.csv"
    csv.write_text("0.5, 0\n0, 0.25\n")
    out = run_json(capsys, "--matrix", str(csv))
    assert out["method"] == "exact" and out["exact"] is True
    assert out["equilibria"][2]["x"] == ["1/3", "2/3"]
    out = run_json(capsys, "--matrix", str(csv), "--method", "vertex")
    assert out["exact"] is False
    xs = [[float(p) for p in q["x"]] for q in out["equilibria"]]
    assert len(xs) == 3 and any(x == pytest.approx([1 / 3, 2 / 3]) for x in xs)


def test_the_same_decimal_is_the_same_number_in_every_command(capsys):
    """ "0.1" was a float in ``numpol equilibria`` and 1/10 in ``numpol modal``."""
    out = run_json(capsys, "--eps", "0.1")
    assert out["exact"] is True
    assert run_json(capsys, "--eps", "1/10")["equilibria"] == out["equilibria"]
    assert main(["modal", "table", "--eps", "0.1", "--json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert table["payoffs"][2][0] == "9/10"


def test_text_output(capsys):
    assert main(["equilibria", "--best-responses"]) == 0
    text = capsys.readouterr().out
    assert "CooperateBot 1/10, FairBot 17/20, PrudentBot 1/20" in text
    assert "best reply to PrudentBot: FairBot" in text


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ("1, 2, 3\n4, 5, 6\n", ".csv", "square"),
        ("1, x?\n2, 3\n", ".csv", "neither a number nor an expression"),
        ("", ".csv", "empty"),
        ("{not json", ".json", "JSON"),
        ('{"B": [[1]]}', ".json", "key 'A'"),
        ("1, nan\n2, 3\n", ".csv", "not finite"),
    ],
)
def test_errors(tmp_path, capsys, content, suffix, message):
    f = tmp_path / f"g{suffix}"
    f.write_text(content)
    assert main(["equilibria", "--matrix", str(f)]) == 2
    assert message in capsys.readouterr().err


def test_missing_file_and_unknown_agent(capsys):
    assert main(["equilibria", "--matrix", "/nonexistent/g.csv"]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["equilibria", "--agents", "FairBot,Nobody"]) == 2
    assert "Nobody" in capsys.readouterr().err


def test_matrix_reads_text_by_the_numbers_rule():
    M = matrix([(3, ["0.1", "1/3"]), (4, ["2", "1e-3"])], "--matrix 'g.csv'")
    assert M.tolist() == [
        [sympy.Rational(1, 10), sympy.Rational(1, 3)],
        [2, sympy.Rational(1, 1000)],
    ]
    with pytest.raises(NumpolError, match="line 4.*'three!'"):
        matrix([(3, ["1", "2"]), (4, ["three!", "4"])], "--matrix 'g.csv'")
    # a name is a parameter (issue 13): the matrix holds an expression
    assert matrix([(1, ["three", "4"])], "g")[0, 0] == sympy.Symbol("three", real=True)


def test_format_region():
    I = sympy.Interval
    assert format_region(I(1, sympy.oo)) == "[1, ∞)"
    assert format_region(sympy.FiniteSet(sympy.Rational(1, 2), 1)) == "{1/2, 1}"
    assert format_region(sympy.Union(I(0, 1), I.open(2, 3))) == "[0, 1] ∪ (2, 3)"
    assert format_region(sympy.S.EmptySet) == "∅"


def test_symbolic_text_is_readable(capsys):
    from numpol.cli import main

    assert main(["equilibria", "--eps", "symbolic", "--json"]) == 0
    import json

    eqs = json.loads(capsys.readouterr().out)["equilibria"]
    good = [q for q in eqs if q["region_text"] == "(0, 1/3]"]
    assert len(good) == 1 and good[0]["u"] == "2 - epsilon"
    assert "1 - 3*epsilon/2" in good[0]["x"]


def test_unknown_json_keys_are_refused(tmp_path, capsys):
    f = tmp_path / "g.json"
    f.write_text('{"A": [[3, 0], [5, 1]], "b": [[3, 5], [0, 1]]}')  # 'b' for 'B': a typo
    assert main(["equilibria", "--matrix", str(f)]) == 2
    err = capsys.readouterr().err
    assert "unknown key(s) 'b'" in err and "g.json" in err and len(err.splitlines()) == 1


def test_symbolic_best_responses_use_interval_notation(capsys):
    assert main(["equilibria", "--eps", "symbolic", "--best-responses"]) == 0
    out = capsys.readouterr().out
    replies = [line for line in out.splitlines() if "best reply" in line]
    assert replies and not any("Interval" in r or "oo)" in r for r in replies)
    assert "best reply to DefectBot: DefectBot (payoff 1, (0, ∞))" in replies


@pytest.mark.parametrize("eps", ["1e-400", "1/1e400"])
def test_a_tiny_penalty_is_read_exactly(eps, capsys):
    # 1e-400 is below the float range: read as text it is the exact rational 10^-400 > 0
    if eps.startswith("1/"):
        assert main(["equilibria", f"--eps={eps}"]) == 2
        assert "--eps" in capsys.readouterr().err
        return
    out = run_json(capsys, f"--eps={eps}")
    assert out["method"] == "exact" and out["complete"]
    assert any("10000000000" in v for q in out["equilibria"] for v in (q["u"], q["v"]))
def test_components_of_a_degenerate_game(tmp_path, capsys):
    js = tmp_path / "hdr.json"
    js.write_text(json.dumps([[-1, 2, -1], [0, 1, 1], [-1, 1, 1]]))  # hawk, dove, retaliator
    out = run_json(capsys, "--matrix", str(js))
    big = [c for c in out["components"] if len(c["equilibria"]) > 1]
    assert len(big) == 1 and big[0]["u"] == ["1", "1"]
    (subset,) = big[0]["nash_subsets"]
    assert sorted(subset["x"]) == [["0", "0", "1"], ["0", "2/3", "1/3"]]
    assert main(["equilibria", "--matrix", str(js)]) == 0
    text = capsys.readouterr().out
    assert "component of " in text and "conv((0, 2/3, 1/3), (0, 0, 1))" in text


def test_budget_and_sizes_beyond_it(tmp_path, capsys):
    csv = tmp_path / "big.csv"
    rows = np.random.default_rng(0).integers(0, 100, (15, 15))
    csv.write_text("\n".join(",".join(str(v) for v in row) for row in rows))
    assert main(["equilibria", "--matrix", str(csv)]) == 2
    err = capsys.readouterr().err
    assert "15 x 15 game needs 3.10e+08 linear systems" in err and "pass --budget" in err
    out = run_json(capsys, "--matrix", str(csv), "--budget", "0.2")
    assert not out["complete"] and "budget" in out["stopped"]
    assert main(["equilibria", "--matrix", str(csv), "--budget", "-1"]) == 2
    assert "--budget must be a positive number" in capsys.readouterr().err


def test_float_method_on_large_payoffs(tmp_path, capsys):
    csv = tmp_path / "pd.csv"
    csv.write_text("3e8, 0\n5e8, 1e8\n")
    out = run_json(capsys, "--matrix", str(csv), "--method", "vertex")
    assert [q["x"] for q in out["equilibria"]] == [["0.0", "1.0"]]
    assert "fallback" not in out and "dropped" not in out
