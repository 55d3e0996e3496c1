import json
from pathlib import Path

import pytest

from numpol.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_outcome(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["modal", "outcome", "FairBot", "PrudentBot", "--json"], capsys)
    assert code == 0 and json.loads(out)["moves"] == ["C", "C"]


def test_table_json_exact(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["modal", "table", "--eps", "1/10", "--json"], capsys)
    data = json.loads(out)
    assert data["depths"] == [0, 0, 1, 2]
    assert data["payoffs"][3] == ["4/5", "14/5", "9/5", "9/5"]
    assert data["outcomes"][3] == ["DD", "DC", "CC", "CC"]


def test_user_definitions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    defs = tmp_path / "agents.txt"
    defs.write_text("# mine\nTitForProof := []opp(me) & []opp(FairBot)\n")
    code, out, _ = run(
        ["modal", "table", "--agents", "TitForProof,FairBot", "--defs", str(defs)], capsys
    )
    assert code == 0 and "TitForProof" in out
    code, out, _ = run(["modal", "explain", "TitForProof", "FairBot", "--defs", str(defs)], capsys)
    assert code == 0 and "stable from world" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["modal", "outcome", "FairBot", "Nobody"], "unknown agent 'Nobody'"),
        (["modal", "table", "--eps", "nan"], "eps"),
        (["modal", "table", "--defs", "/no/such/file"], "cannot read --defs"),
    ],
)
def test_errors_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(args, capsys)
    assert code == 2 and message in err


def test_bad_definition_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    defs = tmp_path / "bad.txt"
    defs.write_text("Loop := opp(me)\n")
    code, _, err = run(["modal", "table", "--defs", str(defs)], capsys)
    assert code == 2 and "outside any box" in err


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_a_defs_file_without_agents_says_so(tmp_path: Path, text: str, capsys) -> None:
    f = tmp_path / "defs.txt"
    f.write_text(text)
    code, _, err = run(["modal", "outcome", "Me", "FairBot", "--defs", str(f)], capsys)
    assert code == 2 and "defines no agent" in err and "defs.txt" in err
    assert "the command line" not in err and len(err.splitlines()) == 1


def test_evolve_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plot = tmp_path / "survivors.png"
    args = ["modal", "evolve", "--agents", "DefectBot,CooperateBot,FairBot,PrudentBot,JustBot"]
    code, out, _ = run(
        [*args, "--eps", "1/2,1/20", "--starts", "20", "--json", "--plot", str(plot)], capsys
    )
    assert code == 0 and plot.stat().st_size > 0
    data = json.loads(out)
    assert ["FairBot", "JustBot"] in data["strategies"]  # JustBot is FairBot in this pool
    first, second = data["by_eps"]
    assert first["survivors"] == ["DefectBot"] and first["invaders"] == ["DefectBot"]
    assert second["invaders"] == [] and "FairBot" in second["survivors"]
    assert second["defect_basin"][0] < first["defect_basin"][0]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--eps", "0"], "--eps"),
        (["--eps", "x"], "--eps"),
        (["--starts", "0"], "--starts"),
        (["--N", "1"], "--N"),
        (["--agents", "FairBot"], "--agents"),
        (["--agents", "FairBot,Nobody"], "Nobody"),
        (["--plot", "/no/such/dir/x.png"], "--plot"),
    ],
)
def test_evolve_errors(extra: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["modal", "evolve", "--agents", "DefectBot,FairBot", "--starts", "2"]
    code, _, err = run([*base, *extra], capsys)
    assert code == 2 and message in err and "Traceback" not in err


def test_base_game_in_every_command_taking_agents(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["modal", "table", "--base", "stag-hunt", "--json"], capsys)
    assert code == 0 and json.loads(out)["payoffs"][2][2] == "29/10"  # FairBot pair: 3 - 1/10
    code, out, _ = run(["equilibria", "--base", "stag-hunt", "--json"], capsys)
    assert code == 0
    # (CooperateBot, CooperateBot) is an equilibrium of the stag hunt, paying the stag, 3
    eqs = [(q["x"], q["u"]) for q in json.loads(out)["equilibria"]]
    assert (["0", "1", "0", "0"], "3") in eqs
    code, out, _ = run(["flow", "--base", "3,0,5,1", "--t", "5", "--json"], capsys)
    assert code == 0
    code, out, _ = run(["finite", "fixation", "--base", "chicken", "--N", "5", "--json"], capsys)
    assert code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["equilibria", "--base", "snowdrift"],
        ["flow", "--base", "1,2,3"],
        ["modal", "table", "--base", "1,2,3,x"],
        ["finite", "fixation", "--base", "1,2,3,nan"],
    ],
)
def test_bad_base(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(args, capsys)
    assert code == 2 and "--base" in err and "Traceback" not in err
