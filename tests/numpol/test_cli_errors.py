"""Bad input on the command line: one line naming the problem and exit status 2, never a
traceback (found by exercising every subcommand as a new user would)."""

from __future__ import annotations

import functools
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import dynamics.basins as basins_module
import numpol.commands.flow as flow_command
import theory.policy.saez as saez
from dynamics._integrator import run
from dynamics.integrate import integrate
from modal.errors import ModalSyntaxError
from modal.parser import parse_definitions
from numpol.cli import main
from theory.errors import PayoffValueError
from theory.games import float_matrix


def fails(args: list[str], capsys: pytest.CaptureFixture[str], *needles: str) -> str:
    """Run the CLI, expect exit status 2 and one error line containing every needle."""
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


def usage_error(args: list[str], capsys: pytest.CaptureFixture[str], *needles: str) -> None:
    """An ``argparse`` refusal: exit status 2, the usage and one error line."""
    with pytest.raises(SystemExit) as exc:
        main(args)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "Traceback" not in err
    for needle in needles:
        assert needle in err.strip().splitlines()[-1], (needle, err)


# ---- flow --------------------------------------------------------------------------------


def test_flow_plot_in_a_missing_folder_fails_before_integrating(tmp_path: Path, capsys):
    png = tmp_path / "no-such-folder" / "orbit.png"
    fails(["flow", "--t", "1", "--plot", str(png)], capsys, "--plot", "does not exist")
    fails(["flow", "--basins", "3", "--t", "1", "--plot", str(png)], capsys, "does not exist")
    assert not png.parent.exists()


def test_flow_plot_onto_a_folder(tmp_path: Path, capsys):
    fails(["flow", "--t", "1", "--plot", str(tmp_path)], capsys, "is a folder")


@pytest.mark.parametrize("eps", ["-1", "-1/10", "-0.5"])
def test_flow_negative_penalty(eps: str, capsys):
    fails(["flow", "--t", "1", f"--eps={eps}"], capsys, "--eps", ">= 0")


def test_flow_penalty_too_large_for_floats(capsys):
    fails(["flow", "--t", "1", "--eps", "1e400"], capsys, "too large for a float")


@pytest.mark.parametrize("eta", ["nan", "inf", "-1"])
def test_flow_bad_logit_noise(eta: str, capsys):
    fails(["flow", "--t", "1", "--dynamic", "logit", f"--eta={eta}"], capsys, "--eta", eta)


def test_flow_negative_seed(capsys):
    usage_error(["flow", "--basins", "3", "--t", "1", "--seed=-1"], capsys, "--seed", "-1")


def test_flow_zero_penalty_and_zero_noise_still_run(capsys):
    """Limits that are meaningful (no depth cost, pure noise) are still accepted."""
    assert main(["flow", "--t", "1", "--eps", "0", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["t"] == 1.0
    assert main(["flow", "--t", "1", "--dynamic", "logit", "--eta", "0", "--json"]) == 0
    final = json.loads(capsys.readouterr().out)["final"]
    assert final == pytest.approx([0.25] * 4, abs=1e-9)  # eta = 0: uniform logit choice


def test_float_matrix_overflow_is_a_payoff_error():
    with pytest.raises(PayoffValueError, match=r"A\[0, 1\] is too large for a float"):
        float_matrix([[1, Fraction(10**400, 3)], [2, 3]])


# ---- equilibria --------------------------------------------------------------------------


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_equilibria_division_by_zero_in_a_matrix(tmp_path: Path, capsys):
    f = _file(tmp_path, "zdiv.csv", "1,2\n3,1/0\n")
    fails(["equilibria", "--matrix", f], capsys, "'1/0'", "division by zero")


def test_equilibria_division_by_zero_in_eps(capsys):
    fails(["equilibria", "--eps", "1/0"], capsys, "'1/0'", "division by zero")


@pytest.mark.parametrize("entry", ["NaN", "Infinity", "-Infinity"])
def test_equilibria_exact_json_with_non_finite_entry(tmp_path: Path, entry: str, capsys):
    f = _file(tmp_path, "bad.json", f"[[1, {entry}], [2, 3]]")
    fails(["equilibria", "--matrix", f], capsys, "A[0, 1]", "not finite")


def test_equilibria_json_decimals_read_exactly(tmp_path: Path, capsys):
    f = _file(tmp_path, "ok.json", "[[0.1, 0], [0, 0.2]]")
    assert main(["equilibria", "--matrix", f, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["exact"] is True
    assert {"x": ["2/3", "1/3"], "y": ["2/3", "1/3"], "u": "1/15", "v": "1/15"} in out["equilibria"]


@pytest.mark.parametrize("eps", ["-1", "-1/10", "-0.1"])
def test_equilibria_negative_penalty(eps: str, capsys):
    fails(["equilibria", f"--eps={eps}"], capsys, "--eps", ">= 0")


def test_equilibria_agents_naming_no_agent(capsys):
    fails(["equilibria", "--agents", " , "], capsys, "--agents names no agent")


def test_equilibria_method_with_symbolic_payoffs(capsys):
    fails(["equilibria", "--eps", "symbolic", "--method", "vertex"], capsys, "--method vertex")


def test_equilibria_exact_entries_beyond_the_float_range(tmp_path: Path, capsys):
    """Exact enumeration needs no floats: a payoff of 10**400 is solved, not an OverflowError."""
    n = 10**400
    f = _file(tmp_path, "big.csv", f"1,{n}\n2,3\n")
    assert main(["equilibria", "--matrix", f, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["complete"] is True
    # the mixed equilibrium makes the opponent indifferent: y1 (n - 3) = y0
    mixed = [q for q in out["equilibria"] if q["x"][0] != "0" and q["x"][1] != "0"]
    assert [q["y"] for q in mixed] == [[str(Fraction(n - 3, n - 2)), str(Fraction(1, n - 2))]]
    fails(["equilibria", "--matrix", f, "--method", "vertex"], capsys, "too large for a float")


# ---- modal, policy, reproduce ------------------------------------------------------------


@pytest.mark.parametrize("eps", ["-1", "-1/10"])
def test_modal_table_negative_penalty(eps: str, capsys):
    fails(["modal", "table", f"--eps={eps}"], capsys, "--eps", ">= 0")


def test_modal_table_zero_penalty_still_runs(capsys):
    assert main(["modal", "table", "--eps", "0", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["payoffs"][3] == ["1", "3", "2", "2"]  # PrudentBot's row: no depth cost


@pytest.mark.parametrize("command", [["policy"], ["reproduce", "--only", "modal-outcomes"]])
def test_negative_seed(command: list[str], capsys):
    usage_error([*command, "--seed=-1"], capsys, "--seed", "non-negative")


def test_reproduce_only_naming_no_experiment(tmp_path: Path, capsys):
    fails(["reproduce", "--only", " , ", "--out", str(tmp_path / "r")], capsys, "--only")
    assert not (tmp_path / "r").exists()


def test_reproduce_out_below_a_file_fails_before_running(tmp_path: Path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("", encoding="utf-8")
    err = fails(["reproduce", "--only", "modal-outcomes", "--out", str(afile / "sub")], capsys)
    assert "cannot create --out" in err
    fails(["reproduce", "--only", "modal-outcomes", "--out", str(afile)], capsys, "is a file")


def test_equilibria_best_responses_of_a_rectangular_bimatrix_game(tmp_path: Path, capsys):
    """Was an IndexError (labels for the rows only); now both players' best replies."""
    f = _file(tmp_path, "rect.json", '{"A": [[1, 0, 2], [0, 1, 0]], "B": [[0, 1, 0], [1, 0, 3]]}')
    assert main(["equilibria", "--matrix", f, "--best-responses", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # row player: the row maximising each column of A; column player: each row of B
    assert [r[:3] for r in out["best_responses"]] == [
        ["0", "0", "1"],
        ["1", "1", "1"],
        ["2", "0", "2"],
    ]
    assert [r[:3] for r in out["column_best_responses"]] == [["0", "1", "1"], ["1", "2", "3"]]
    assert main(["equilibria", "--matrix", f, "--best-responses"]) == 0
    text = capsys.readouterr().out
    assert "row player's best reply to 2: 0" in text
    assert "column player's best reply to 1: 2" in text


def test_equilibria_best_responses_of_a_symmetric_game_name_no_player(tmp_path: Path, capsys):
    f = _file(tmp_path, "pd.csv", "3,0\n5,1\n")
    assert main(["equilibria", "--matrix", f, "--best-responses", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "column_best_responses" not in out
    assert [r[:2] for r in out["best_responses"]] == [["0", "1"], ["1", "1"]]


def test_modal_defs_defining_a_name_twice(tmp_path: Path, capsys):
    """Was silent: the later definition won (X := T then X := F played D)."""
    f = _file(tmp_path, "dup.txt", "X := T\nY := []opp(me)\n  X := F\n")
    assert main(["modal", "outcome", "X", "FairBot", "--defs", f]) == 2
    err = capsys.readouterr().err
    assert "line 3: 'X' is already defined on line 1" in err and "Traceback" not in err
    with pytest.raises(ModalSyntaxError, match="already defined on line 1"):
        parse_definitions("X := T\nX := F")


def test_modal_defs_may_still_redefine_a_library_agent(tmp_path: Path, capsys):
    f = _file(tmp_path, "redef.txt", "CooperateBot := F\n")
    assert main(["modal", "outcome", "CooperateBot", "DefectBot", "--defs", f, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["moves"] == ["D", "D"]


def test_flow_reads_a_json_matrix(tmp_path: Path, capsys):
    """Was "'[[1' is not a number"; JSON is what ``numpol equilibria --matrix`` reads."""
    text = tmp_path / "pd.txt"
    text.write_text("3 0\n5 1\n", encoding="utf-8")
    assert main(["flow", "--matrix", str(text), "--t", "5", "--json"]) == 0
    from_text = json.loads(capsys.readouterr().out)
    f = _file(tmp_path, "pd.json", "[[3, 0], [5, 1]]")
    assert main(["flow", "--matrix", f, "--t", "5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == from_text
    assert from_text["fate"] == "rest s1"  # defection takes over the prisoner's dilemma


def test_flow_refuses_a_json_bimatrix_game(tmp_path: Path, capsys):
    f = _file(tmp_path, "mp.json", '{"A": [[1, 0], [0, 1]], "B": [[0, 1], [1, 0]]}')
    fails(["flow", "--matrix", f, "--t", "5"], capsys, "one matrix (a symmetric game)")


def test_flow_basins_need_enough_strategies_checked_first(tmp_path: Path, capsys):
    one = _file(tmp_path, "one.txt", "5\n")
    fails(["flow", "--matrix", one, "--basins", "5"], capsys, "--basins needs at least 2")
    two = _file(tmp_path, "two.txt", "1 2\n3 4\n")
    png = tmp_path / "b.png"
    fails(
        ["flow", "--matrix", two, "--basins", "5", "--plot", str(png)], capsys, "three strategies"
    )


def test_equilibria_float_text_lists_no_round_off_probabilities(capsys):
    """nashpy returns zero weights as -1e-17; the text listed them as part of the support.
    (--eps 0.1 is exactly 1/10 now: --method vertex asks for nashpy's float solver.)"""
    assert main(["equilibria", "--eps", "0.1", "--method", "vertex"]) == 0
    text = capsys.readouterr().out
    assert "e-1" not in text and "-" not in text.split("\n", 1)[1]
    assert main(["equilibria", "--eps", "0.1", "--method", "vertex", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    second = [float(p) for p in out["equilibria"][1]["x"]]
    assert second == pytest.approx([0.9, 0.0, 0.1, 0.0], abs=1e-12)  # JSON keeps every entry
    line = next(ln for ln in text.splitlines() if ln.startswith("2. "))
    assert "DefectBot 0.9, FairBot 0.1" in line and "CooperateBot" not in line


def test_policy_eta_without_the_eta_objective(capsys):
    """Was silently ignored: the default objective eq_times_prod ran instead."""
    fails(["policy", "--eta", "0.5", "--maxiter", "1"], capsys, "--eta", "eq_times_prod")


def test_equilibria_matrix_errors_name_the_file_and_line(tmp_path: Path, capsys):
    f = _file(tmp_path, "t.csv", "# a comment\n1,2\n\n3,x%\n")  # (x alone: a parameter)
    fails(["equilibria", "--matrix", f], capsys, "t.csv' line 4", "'x%'")
    spaces = _file(tmp_path, "s.csv", "1 2\n3 4\n")
    fails(["equilibria", "--matrix", spaces], capsys, "line 1", "separate entries with commas")
    js = _file(tmp_path, "t.json", '[[1, "x%"], [2, 3]]')
    fails(["equilibria", "--matrix", js], capsys, "t.json'", "'x%'")
    fails(["equilibria", "--eps", "abc"], capsys, "--eps", "'abc'")


def test_equilibria_csv_comments_as_in_flow(tmp_path: Path, capsys):
    f = _file(tmp_path, "pd.csv", "# prisoner's dilemma\n3,0  # C\n5,1  # D\n")
    assert main(["equilibria", "--matrix", f, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [q["x"] for q in out["equilibria"]] == [["0", "1"]]  # mutual defection only


def _step_starved(monkeypatch: pytest.MonkeyPatch, module: Any) -> None:
    """Give `module`'s integrator a budget of 5 steps: what a very long --t runs into
    (``numpol flow --dynamic smith --t 1e5`` exhausts the default 200 000 after ~25 s)."""
    monkeypatch.setattr(module, "integrate", functools.partial(integrate, max_iterations=5))


def test_flow_orbit_that_runs_out_of_steps_is_an_error(monkeypatch, capsys):
    """Was a table of NaN final shares with the fate 'extinct' for every strategy."""
    _step_starved(monkeypatch, flow_command)
    fails(["flow", "--t", "1000", "--dynamic", "smith"], capsys, "ran out of integration steps")


def test_fates_of_runs_out_of_steps_are_undecided(monkeypatch):
    """Was 'extinct 0,1,2,3': the late-window maxima of a run that never got there are 0."""
    # the basins drive the integrator's loop on checked arrays: starve that loop
    monkeypatch.setattr(basins_module, "run", functools.partial(run, max_iterations=5))
    A = [[0, 2, 1], [1, 0, 2], [2, 1, 0]]
    for dynamic in ("replicator", "smith"):
        fates = basins_module.classify_fates(A, [[0.5, 0.3, 0.2]], 1000.0, dynamic=dynamic).fates
        assert [f.kind for f in fates] == ["undecided"] and str(fates[0]) == "undecided"


@pytest.mark.parametrize("command", ["equilibria", "flow"])
def test_eps_with_a_matrix_game(tmp_path: Path, command: str, capsys):
    """Was silently ignored: --eps only shapes the payoffs of modal agents."""
    f = _file(tmp_path, "g.txt" if command == "flow" else "g.csv", "1,2\n3,4\n")
    fails([command, "--matrix", f, "--eps", "0.2"], capsys, "--eps", "--matrix")
    assert main([command, "--matrix", f, "--json"]) == 0  # without --eps it runs as before


@pytest.mark.parametrize(
    "command", [["equilibria", "--matrix"], ["flow", "--matrix"], ["modal", "table", "--defs"]]
)
def test_input_file_that_is_not_text(tmp_path: Path, command: list[str], capsys):
    """Was a UnicodeDecodeError traceback (e.g. a spreadsheet given as --matrix)."""
    f = tmp_path / "game.xlsx"
    f.write_bytes(b"PK\x03\x04\xff\xfe binary")
    fails([*command, str(f)], capsys, command[-1], "not UTF-8 text")


@pytest.mark.parametrize("command", ["equilibria", "flow"])
def test_matrix_saved_by_excel_with_a_byte_order_mark(tmp_path: Path, command: str, capsys):
    """Excel's "CSV UTF-8" starts with a BOM and ends lines with CRLF; was 'not a number'."""
    f = tmp_path / "pd.csv"
    f.write_bytes(b"\xef\xbb\xbf3,0\r\n5,1\r\n")
    plain = _file(tmp_path, "plain.csv", "3,0\n5,1\n")
    extra = ["--t", "5"] if command == "flow" else []
    assert main([command, "--matrix", plain, "--json", *extra]) == 0
    expected = json.loads(capsys.readouterr().out)
    assert main([command, "--matrix", str(f), "--json", *extra]) == 0
    assert json.loads(capsys.readouterr().out) == expected


def test_saez_bins_are_capped_for_a_very_high_income(monkeypatch):
    """--incomes 25,63,159,1e9 needed 1e9 one-coin bins (~20 GB, killed); 1e300 raised
    'Maximum allowed size exceeded'. Beyond MAX_BINS the bins widen; the bracket means agree
    with one-coin bins to ~N / MAX_BINS (N = 4 agents: τ jumps only at their incomes)."""
    x, cut = [25.0, 63.0, 159.0, 3e5], [0, 10, 40, 85, 160, 204, 510]
    capped = saez.saez_rates_binned(x, cut, 1.0)
    monkeypatch.setattr(saez, "MAX_BINS", 10**9)
    fine = saez.saez_rates_binned(x, cut, 1.0)  # 3e5 one-coin bins in the top bracket
    assert np.abs(capped - fine).max() < len(x) / 100_000
    monkeypatch.undo()
    for top in (1e9, 1e300):
        rates = saez.saez_rates_binned([25.0, 63.0, 159.0, top], cut, 1.0)
        assert np.all((rates >= 0) & (rates <= 1))


@pytest.mark.parametrize("command", ["equilibria", "flow"])
def test_unknown_agent_names_the_flag(command: str, capsys):
    fails([command, "--agents", "FairBot,FiarBot"], capsys, "unknown agent 'FiarBot'", "--agents")


def test_defs_agents_in_equilibria_and_flow(tmp_path: Path, capsys):
    """Issue 15: --defs agents were known to `numpol modal` only."""
    f = _file(tmp_path, "mine.txt", "Prudent2 := [] opp(me) & [1] ~opp(DefectBot)\n")
    agents = "DefectBot,CooperateBot,FairBot,Prudent2"
    assert main(["equilibria", "--agents", agents, "--defs", f, "--json"]) == 0
    out = capsys.readouterr().out
    assert "Prudent2" in out
    assert main(["flow", "--agents", agents, "--defs", f, "--t", "5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["fate"]
    fails(["equilibria", "--agents", "DefectBot,Ghost", "--defs", f], capsys, "'Ghost'")


def test_defs_redefining_a_library_agent_says_so(tmp_path: Path, capsys):
    f = _file(tmp_path, "redef.txt", "CooperateBot := F\n")
    assert main(["equilibria", "--agents", "CooperateBot,DefectBot", "--defs", f]) == 0
    assert "note: --defs redefines the library agent 'CooperateBot' as F" in capsys.readouterr().err
