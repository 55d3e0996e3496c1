from pathlib import Path

import pytest

from numpol.catalogue import CATALOGUE
from numpol.cli import main
from numpol.errors import NumpolError
from numpol.registry import Claim, Experiment, Result, experiments
from numpol.report import PARTIAL_MARK, run_experiments, write_report


def test_claim_rejects_bad_seed_holds() -> None:
    with pytest.raises(NumpolError, match="seed_holds"):
        Claim("X", "c", "t", "s", True, "maybe")  # type: ignore[arg-type]


def test_catalogue_matches_claims_md() -> None:
    claims_md = Path(__file__).resolve().parents[3] / "shared" / "docs" / "claims.md"
    if not claims_md.exists():
        pytest.skip("shared/docs/claims.md is not beside this checkout")
    import re

    ids = re.findall(r"^- \*\*?([A-Z]+-\d\d)|^- ([A-Z]+-\d\d)", claims_md.read_text(), re.M)
    found = {a or b for a, b in ids}
    assert found == set(CATALOGUE)


def test_report_flags_missing_and_failed(tmp_path: Path) -> None:
    def ok(rng):  # type: ignore[no-untyped-def]
        return Result(claims=(Claim("MC-01", "c", "t", "s", True, "yes"),))

    def boom(rng):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    results = run_experiments([Experiment("a", "a", ok), Experiment("b", "b", boom)], rng=1)
    outcome = write_report(results, tmp_path)
    assert outcome.failed_experiments == ("b",)
    assert "MC-02" in outcome.missing and "MC-01" not in outcome.missing
    assert not outcome.ok
    assert "boom" in outcome.path.read_text()


def test_experiment_ids_unique_and_cli_lists_them(capsys: pytest.CaptureFixture[str]) -> None:
    registry = experiments()
    assert main(["reproduce", "--list"]) == 0
    out = capsys.readouterr().out
    for exp_id in registry:
        assert exp_id in out


def test_unknown_experiment_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reproduce", "--only", "no-such-experiment"]) == 2
    assert "unknown experiment" in capsys.readouterr().err


def test_every_catalogue_id_has_an_experiment_that_writes_its_row() -> None:
    # A static check (running every experiment takes minutes: `make reproduce` does that and
    # exits non-zero on a missing row): each ID is written by some experiment module.
    import numpol.experiments as pkg

    sources = "".join(p.read_text() for p in Path(pkg.__path__[0]).glob("*.py"))
    missing = [k for k in CATALOGUE if f'"{k}"' not in sources]
    assert missing == []


def _interrupting_registry() -> dict[str, Experiment]:
    def ok(rng):  # type: ignore[no-untyped-def]
        return Result(claims=(Claim("MC-01", "c", "t", "s", True, "yes"),))

    def ctrl_c(rng):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    return {
        e.id: e
        for e in (Experiment("a", "a", ok), Experiment("b", "b", ctrl_c), Experiment("c", "c", ok))
    }


def test_ctrl_c_during_reproduce_exits_130_with_a_marked_partial_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import numpol.commands.reproduce as reproduce

    (tmp_path / "report.md").write_text("# the previous, complete report\n")
    monkeypatch.setattr(reproduce, "experiments", _interrupting_registry)
    assert main(["reproduce", "--out", str(tmp_path)]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "partial report (1 of 3 experiments)" in err
    text = (tmp_path / "report.md").read_text()
    assert text.splitlines()[0] == PARTIAL_MARK
    assert "not run: b, c" in text.splitlines()[2]
    assert not list(tmp_path.glob(".report.md*"))  # no temporary file left behind


def test_an_interrupt_while_writing_keeps_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "report.md").write_text("# previous\n")

    def boom(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", boom)
    with pytest.raises(KeyboardInterrupt):
        write_report({"a": Result(claims=())}, tmp_path, planned=["a"])
    monkeypatch.undo()
    assert (tmp_path / "report.md").read_text() == "# previous\n"
    assert not list(tmp_path.glob(".report.md*"))


def test_a_complete_report_has_no_partial_mark(tmp_path: Path) -> None:
    outcome = write_report({"a": Result(claims=())}, tmp_path, planned=["a"])
    assert not outcome.partial
    assert outcome.path.read_text().startswith("# numerical-politics: reproduction report")
