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
