"""``numpol groups`` and ``numpol bimatrix``: exact answers through ``numpol.cli.main``,
JSON, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dynamics.finite.groups import group_fixation_probability, group_process
from numpol.cli import main
from theory.group_games import public_goods_game


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    code = main([*args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def fails(args: list[str], capsys: pytest.CaptureFixture[str], *needles: str) -> None:
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for needle in needles:
        assert needle in err, err


def test_groups_public_goods_json(capsys):
    out = run_json(["groups", "public-goods", "--d", "5", "--r", "3", "--N", "20"], capsys)
    assert [(p["x"], p["stable"]) for p in out["rest_points"]] == [("0", True), ("1", False)]
    expected = group_fixation_probability(group_process(public_goods_game(5, r=3), 20), 0, 1)
    assert out["finite"]["fixation_cooperator"] == pytest.approx(float(expected), rel=1e-12)
    assert out["finite"]["fixation_cooperator"] < out["finite"]["neutral"]
    assert out["finite"]["small_mutation_stationary"][1] > 0.99  # all defect


def test_groups_stag_hunt_two_interior_roots_and_stationary(capsys):
    args = ["groups", "stag-hunt", "--d", "5", "--r", "4", "--threshold", "3", "--N", "30"]
    out = run_json([*args, "--process", "moran", "--w", "1/5", "--mu", "1/100"], capsys)
    inner = [p for p in out["rest_points"] if 0 < p["x_float"] < 1]
    assert [p["stable"] for p in inner] == [False, True]
    assert inner[0]["x_float"] == pytest.approx(0.41211622344742765, abs=1e-12)
    assert 0 < out["finite"]["stationary_mean_cooperators"] < 1
    main(args)  # the text form
    assert "stable" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["groups", "public-goods", "--d", "5", "--r", "3", "--N", "4"], "exceeds"),
        (["groups", "public-goods", "--d", "1", "--r", "3"], "d must be"),
        (["groups", "stag-hunt", "--d", "5", "--r", "4"], "--threshold"),
        (["groups", "public-goods", "--d", "3", "--r", "x"], "r"),
        (["groups", "public-goods", "--d", "3", "--r", "2", "--N", "9", "--mu", "2"], "mu"),
    ],
)
def test_groups_errors(args, needle, capsys):
    fails(args, capsys, needle)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {
        "pennies": '{"A": [[1, -1], [-1, 1]], "B": [[-1, 1], [1, -1]]}',
        "A": "2,0\n0,1\n",
        "B": "1,0\n0,2\n",
        "B23": "1,0,0\n0,1,0\n",
        "A32": "3,0\n0,2\n1,1\n",
        "B32": "1,0\n0,2\n2,1\n",
    }
    paths = {}
    for k, text in out.items():
        paths[k] = tmp_path / (f"{k}.json" if k == "pennies" else f"{k}.csv")
        paths[k].write_text(text)
    return paths


def test_bimatrix_pennies_centre(files, capsys):
    out = run_json(["bimatrix", "--matrix", str(files["pennies"])], capsys)
    interior = [p for p in out["rest_points"] if p["x"] == ["1/2", "1/2"]]
    assert interior[0]["kind"] == "centre" and interior[0]["eigenvalues"] == ["-I", "I"]


def test_bimatrix_sexes_basins_halves(files, capsys):
    args = ["bimatrix", "--matrix", str(files["A"]), "--matrix-b", str(files["B"])]
    out = run_json([*args, "--basins", "1000", "--t-end", "30"], capsys)
    kinds = {(*p["x"], *p["y"]): p["kind"] for p in out["rest_points"]}
    assert kinds[("2/3", "1/3", "1/3", "2/3")] == "saddle"
    assert kinds[("1", "0", "1", "0")] == "sink" and kinds[("1", "0", "0", "1")] == "source"
    fates = {f["fate"]: f for f in out["basins"]["fates"]}
    assert set(fates) == {"rest (R0, C0)", "rest (R1, C1)"}
    lo, hi = fates["rest (R0, C0)"]["wilson95"]
    assert lo <= 0.5 <= hi  # by the game's symmetry each basin is exactly half


def test_bimatrix_three_by_two(files, capsys):
    args = ["bimatrix", "--matrix", str(files["A32"]), "--matrix-b", str(files["B32"])]
    out = run_json([*args, "--basins", "300"], capsys)
    assert out["shape"] == [3, 2]
    assert sum(f["count"] for f in out["basins"]["fates"]) == 300


def test_bimatrix_errors(files, capsys):
    fails(
        ["bimatrix", "--matrix", str(files["A"]), "--matrix-b", str(files["B23"])], capsys, "match"
    )
    fails(
        ["bimatrix", "--matrix", str(files["pennies"]), "--matrix-b", str(files["B"])],
        capsys,
        "JSON",
    )
    fails(["bimatrix", "--matrix", str(files["A"]), "--basins", "0"], capsys, "--basins")
