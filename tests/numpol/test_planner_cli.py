"""``numpol planner``: learned schedules scored against the exact optimum; ``--workers`` gives the
serial result; bad input exits 2 with one line."""

from __future__ import annotations

import json

import pytest

from numpol.cli import main

TINY = [
    "--free-steps", "10", "--joint-steps", "30", "--anneal-steps", "10",
    "--schedules", "2", "--repeats", "2", "--levels", "6", "--batches", "2", "--runs", "2",
]  # fmt: skip


def output(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    code = main(["planner", *TINY, *args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)  # type: ignore[no-any-return]


def test_every_run_is_scored_against_the_exact_optimum(capsys: pytest.CaptureFixture[str]) -> None:
    out = output(["--seed", "4"], capsys)
    assert [(r["batch"], r["run"]) for r in out["runs"]] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    best = out["exact"]["objective"]
    for r in out["runs"]:  # the exact optimum is the best on the grid: no run beats it
        assert r["exact_objective"] <= best * (1 + 1e-12)
        assert r["gap"] == pytest.approx(1 - r["exact_objective"] / best)
        assert all(0 <= x <= 1 for x in r["rates"]) and len(r["rates"]) == 3
    assert output(["--seed", "4"], capsys) == out  # seeded
    assert output(["--seed", "5"], capsys)["runs"] != out["runs"]


@pytest.mark.slow
def test_workers_2_give_the_result_of_workers_1_and_of_a_serial_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("dask.distributed")
    serial = output(["--seed", "7"], capsys)
    one = output(["--seed", "7", "--workers", "1"], capsys)
    two = output(["--seed", "7", "--workers", "2"], capsys)
    assert one == two == serial


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["planner", *TINY]) == 0
    text = capsys.readouterr().out
    assert text.startswith("exact optimum on the grid: rates") and "gap %" in text


@pytest.mark.parametrize(
    "args",
    [
        ["--incomes", "1,x"],
        ["--incomes", "5"],
        ["--cutoffs", "10,0"],
        ["--free-steps", "-1"],
        ["--schedules", "1"],
    ],
)
def test_bad_input_exits_2_with_one_line(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["planner", *TINY, *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("numpol planner: error:") and len(err.strip().splitlines()) == 1, err
