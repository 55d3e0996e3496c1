"""``--scheduler``/``--workers``: the CLI's long jobs on a real dask cluster give the serial result.

A ``LocalCluster`` in this process (``processes=False``) stands in for a remote scheduler: the
commands connect to its address exactly as to one on another machine. One test starts worker
processes through ``--workers``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import numpol.cluster as cluster
from numpol.cli import main
from numpol.cluster import SerialExecutor, run_experiments_on
from numpol.registry import Experiment, Result
from numpol.report import run_experiments

distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as lc:
        yield lc.scheduler_address


def output(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    code = main([*args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


@pytest.mark.parametrize(
    "args",
    [
        ["flow", "--basins", "60", "--t", "100", "--eps", "1/5"],
        ["finite", "stationary", "--N", "5", "--mu", "1/10", "--runs", "70", "--steps", "2000"],
        ["finite", "fixation", "--N", "6", "--runs", "120", "--agents", "DefectBot,FairBot"],
        ["society", "experiment-2", "--N", "4", "--runs", "30", "--encounters", "500"],
        ["commons", "simulate", "--runs", "70", "--sites", "200", "--t", "5"],
    ],
    ids=["flow-basins", "finite-stationary", "finite-fixation", "society", "commons"],
)
def test_a_cluster_gives_the_serial_result(args, scheduler, capsys):
    serial = output(args, capsys)
    assert output([*args, "--scheduler", scheduler], capsys) == serial


def test_the_seed_still_matters(scheduler, capsys):
    args = ["finite", "fixation", "--N", "6", "--runs", "200", "--agents", "DefectBot,FairBot"]
    one = output([*args, "--seed", "1", "--scheduler", scheduler], capsys)
    two = output([*args, "--seed", "2", "--scheduler", scheduler], capsys)
    assert [r["simulated"]["fixed"] for r in one["fixation"]] != [
        r["simulated"]["fixed"] for r in two["fixation"]
    ]


def test_reproduce_in_parallel_writes_the_serial_report(tmp_path: Path, scheduler, capsys):
    only = "modal-outcomes,policy-tax"
    assert main(["reproduce", "--only", only, "--out", str(tmp_path / "serial")]) == 0
    assert (
        main(
            ["reproduce", "--only", only, "--out", str(tmp_path / "dask"), "--scheduler", scheduler]
        )
        == 0
    )
    capsys.readouterr()
    serial = (tmp_path / "serial" / "report.md").read_text()
    assert serial == (tmp_path / "dask" / "report.md").read_text()
    assert sorted(p.name for p in (tmp_path / "dask").glob("*.png")) == sorted(
        p.name for p in (tmp_path / "serial").glob("*.png")
    )


def _draw(rng: np.random.Generator) -> Result:
    return Result(text=" ".join(f"{v:.17g}" for v in rng.random(3)))


def _crash(rng: np.random.Generator) -> Result:
    raise RuntimeError("boom")


EXPS = [
    Experiment("a", "draws", _draw),
    Experiment("b", "crashes", _crash),
    Experiment("c", "draws", _draw),
]


def test_experiments_get_the_serial_streams(scheduler):
    serial = run_experiments(EXPS, rng=11)
    with distributed.Client(scheduler) as client:
        parallel = run_experiments_on(client.get_executor(), EXPS, rng=11)
    assert list(parallel) == ["a", "b", "c"]
    assert parallel["a"] == serial["a"] and parallel["c"] == serial["c"]
    assert parallel["a"] != parallel["c"]  # each experiment its own stream
    assert isinstance(parallel["b"], RuntimeError) and str(parallel["b"]) == "boom"
    assert run_experiments_on(SerialExecutor(), EXPS, rng=11)["c"] == serial["c"]


@pytest.mark.slow
def test_workers_start_a_local_cluster_of_processes(capsys):
    args = ["finite", "fixation", "--N", "5", "--runs", "60", "--agents", "DefectBot,FairBot"]
    assert output([*args, "--workers", "2"], capsys) == output(args, capsys)


def test_an_unreachable_scheduler_is_one_line(monkeypatch, capsys):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    code = main(["commons", "simulate", "--runs", "2", "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "--scheduler 'tcp://127.0.0.1:9': cannot connect" in err


def test_without_dask_the_options_say_what_to_install(monkeypatch, capsys):
    import builtins

    real = builtins.__import__

    def no_dask(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name.startswith("dask"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    code = main(["commons", "simulate", "--runs", "2", "--workers", "2"])
    err = capsys.readouterr().err
    assert code == 2 and "distributed" in err and len(err.strip().splitlines()) == 1, err


def test_workers_and_scheduler_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["flow", "--basins", "5", "--workers", "2", "--scheduler", "tcp://x:1"])
    assert exc.value.code == 2 and "not allowed with" in capsys.readouterr().err


def test_serial_executor_hands_errors_to_result():
    fut = SerialExecutor().submit(int, "x")
    assert isinstance(fut.exception(), ValueError)
    with pytest.raises(ValueError):
        fut.result()
