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
    assert main(["reproduce", "--out", str(tmp_path), "--jobs", "1"]) == 130  # closures: here
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


def test_claim_conditional_needs_its_condition_and_evidence_its_reason() -> None:
    with pytest.raises(NumpolError, match="condition"):
        Claim("MC-06", "c", "t", "s", True, "conditional")
    with pytest.raises(NumpolError, match="condition"):
        Claim("MC-06", "c", "t", "s", True, "yes", condition="ε < 1/4")
    with pytest.raises(NumpolError, match="evidence_note"):
        Claim("SED-03", "c", "t", "s", True, "yes", evidence="by construction")
    with pytest.raises(NumpolError, match="evidence"):
        Claim("X", "c", "t", "s", True, "yes", evidence="strong")  # type: ignore[arg-type]
    c = Claim("MC-06", "c", "t", "s", True, "conditional", condition="ε < 1/4; fails on [1/4, 1/2]")
    assert c.evidence == "independent" and c.condition.startswith("ε < 1/4")


def test_claim_stores_a_plain_bool() -> None:
    import numpy as np

    assert Claim("X", "c", "t", "s", np.bool_(True), "yes").agrees is True  # type: ignore[arg-type]


def test_report_counts_evidence_and_verdicts_in_its_first_lines(tmp_path: Path) -> None:
    claims = (
        Claim("MC-01", "c", "t", "s", True, "yes"),
        Claim(
            "MC-06", "c", "t", "s", True, "conditional", condition="ε < 1/4; fails on [1/4, 1/2]"
        ),
        Claim("MC-05", "c", "t", "s", True, "open", note="bound: depth 2"),
        Claim(
            "SED-03",
            "c",
            "t",
            "s",
            True,
            "yes",
            evidence="by construction",
            evidence_note="the baselines are candidates",
        ),
        Claim("AE-01", "c", "t", "n/a", True, "yes", evidence="none", evidence_note="a table"),
        Claim("X-1", "c", "t", "s", False, "no", rule="|2.678 − 2.729| = 0.051 ≤ 4 SE = 0.0024"),
    )
    outcome = write_report({"a": Result(claims=claims)}, tmp_path, planned=["a"])
    assert not outcome.ok  # a row that disagrees fails the reproduction
    head = outcome.path.read_text().splitlines()[:4]
    assert head[2] == (
        "**Claims:** 6 rows, 1 disagree (X-1). Evidence: 4 independent, 1 by construction, "
        "1 without a second method. Seed holds: 3 yes, 1 no, 1 conditional, 1 open."
    )
    text = outcome.path.read_text()
    assert "| yes (by construction) | yes |" in text
    assert "| yes (no second method) | yes |" in text
    assert "| conditional: ε < 1/4; fails on [1/4, 1/2] |" in text
    assert "Evidence by construction: the baselines are candidates" in text
    assert "Agreement rule (fails otherwise): |2.678 − 2.729|" in text


def test_reproduce_exits_non_zero_when_a_judgement_says_no(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpol.commands.reproduce as reproduce
    from numpol.agreement import within_standard_errors

    def judged(rng):  # type: ignore[no-untyped-def]
        x = rng.normal(0.0, 1.0, 400)  # the mean of N(0, 1) judged against the wrong value 1
        ag = within_standard_errors(x.mean(), 1.0, x.std(ddof=1) / 20)
        return Result(claims=(Claim("MC-01", "c", "0", "1", ag.agrees, "yes", rule=ag.rule),))

    monkeypatch.setattr(reproduce, "experiments", lambda: {"a": Experiment("a", "a", judged)})
    assert main(["reproduce", "--only", "a", "--out", str(tmp_path)]) == 1


def test_streams_are_keyed_by_experiment_id_not_position() -> None:
    import numpy as np

    from numpol.report import experiment_streams

    def draw(rng):  # type: ignore[no-untyped-def]
        return Result(data={"x": rng.random()})

    exps = [Experiment(k, k, draw) for k in ("a", "b", "c")]
    full = run_experiments(exps, rng=7)
    alone = run_experiments([exps[2]], rng=7)
    reordered = run_experiments([exps[2], Experiment("new", "new", draw), exps[0]], rng=7)
    x = {k: r.data["x"] for k, r in full.items()}  # type: ignore[union-attr]
    assert alone["c"].data["x"] == x["c"]  # type: ignore[union-attr]
    assert reordered["c"].data["x"] == x["c"] and reordered["a"].data["x"] == x["a"]  # type: ignore[union-attr]
    assert len(set(x.values())) == 3  # distinct streams
    assert run_experiments(exps, rng=8)["a"].data["x"] != x["a"]  # type: ignore[union-attr]
    # a Generator master gives the same streams as its seed
    g = experiment_streams(["a"], rng=np.random.default_rng(7))["a"].random()
    assert g == x["a"]
    with pytest.raises(NumpolError, match="repeat"):
        experiment_streams(["a", "a"], rng=1)
