"""``numpol flow``: one orbit, basins, matrix files, plots, JSON, and errors as exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from numpol.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_one_orbit_of_the_seed_game(capsys):
    code, out, _ = run(["flow", "--x0", "0.25,0.25,0.25,0.25", "--t", "2000", "--json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert data["names"] == ["DefectBot", "CooperateBot", "FairBot", "PrudentBot"]
    assert data["fate"] == "cycle CooperateBot→PrudentBot→FairBot"
    assert abs(sum(data["final"]) - 1) < 1e-12
    assert data["time_share_above_0.99"]["FairBot"] > 0.5


def test_text_output_and_plot(tmp_path: Path, capsys):
    png = tmp_path / "orbit.png"
    code, out, _ = run(["flow", "--x0", "0.9,0.05,0.03,0.02", "--plot", str(png)], capsys)
    assert code == 0 and "fate: rest DefectBot" in out
    assert png.stat().st_size > 10_000


def test_basins_json_and_plot(tmp_path: Path, capsys):
    png = tmp_path / "basins.png"
    code, out, _ = run(
        ["flow", "--basins", "100", "--t", "200", "--eps", "1/5", "--json", "--plot", str(png)],
        capsys,
    )
    data = json.loads(out)
    assert code == 0 and sum(f["count"] for f in data["fates"]) == 100
    d = next(f for f in data["fates"] if f["fate"] == "rest DefectBot")
    assert d["ci95"][0] <= d["fraction"] <= d["ci95"][1]
    assert png.exists()
    # same seed, same answer
    _, again, _ = run(["flow", "--basins", "100", "--t", "200", "--eps", "1/5", "--json"], capsys)
    assert json.loads(again)["fates"] == data["fates"]


def test_matrix_file_and_periodic_orbit(tmp_path: Path, capsys):
    f = tmp_path / "rps.txt"
    f.write_text("# rock paper scissors\n0, -1, 1\n1 0 -1\n-1 1 0\n")
    code, out, _ = run(
        [
            "flow",
            "--matrix",
            str(f),
            "--x0",
            "0.5,0.3,0.2",
            "--t",
            "60",
            "--plot",
            str(tmp_path / "p.png"),
        ],
        capsys,
    )
    assert code == 0 and "periodic" in out


def test_other_dynamic(capsys):
    code, out, _ = run(["flow", "--dynamic", "logit", "--eta", "5", "--json", "--t", "50"], capsys)
    assert code == 0 and json.loads(out)["dynamic"] == "logit"


@pytest.mark.parametrize(
    "args, message",
    [
        (["flow", "--x0", "0.5,0.6,0,0"], "off the simplex"),
        (["flow", "--x0", "0.5,x,0,0"], "not a number"),
        (["flow", "--agents", "FairBot,NoSuchBot"], "NoSuchBot"),
        (["flow", "--agents", "FairBot"], "at least two"),
        (["flow", "--basins", "0"], "positive"),
        (["flow", "--t", "-1"], "t_end"),
        (["flow", "--matrix", "/nonexistent/m.txt"], "cannot read"),
    ],
)
def test_errors_exit_2(args, message, capsys):
    code, _, err = run(args, capsys)
    assert code == 2 and message in err


def test_bad_matrix_files(tmp_path: Path, capsys):
    empty = tmp_path / "e.txt"
    empty.write_text("# nothing\n")
    code, _, err = run(["flow", "--matrix", str(empty)], capsys)
    assert code == 2 and "no rows" in err
    ragged = tmp_path / "r.txt"
    ragged.write_text("1 2\n3\n")
    code, _, err = run(["flow", "--matrix", str(ragged)], capsys)
    assert code == 2
    two = tmp_path / "two.txt"
    two.write_text("1 0\n0 1\n")
    code, _, err = run(
        ["flow", "--matrix", str(two), "--basins", "5", "--plot", str(tmp_path / "x.png")], capsys
    )
    assert code == 2 and "three strategies" in err
