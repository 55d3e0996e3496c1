"""``numpol.report.run_experiments`` in a process pool (``numpol reproduce --jobs N``): the serial
run's results and report, longest first, crashes recorded, Ctrl-C keeping what finished.

The fake experiments are module-level functions: a pool's worker processes import them by name.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

from numpol.catalogue import CATALOGUE
from numpol.cli import main
from numpol.cluster import SerialExecutor
from numpol.errors import NumpolError
from numpol.registry import Claim, Experiment, Result, experiments
from numpol.report import (
    PARTIAL_MARK,
    available_cpus,
    experiment_streams,
    run_experiments,
    write_report,
)


def _draw(rng: np.random.Generator) -> Result:
    x = rng.random(3)
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot(x)
    claim = Claim("MC-01", "c", "t", f"{x[0]:.17g}", True, "yes")
    return Result(claims=(claim,), text=" ".join(f"{v:.17g}" for v in x), figures=(("x", fig),))


def _crash(rng: np.random.Generator) -> Result:
    raise RuntimeError("boom")


def _interrupt(rng: np.random.Generator) -> Result:
    raise KeyboardInterrupt


def _sleep_long(rng: np.random.Generator) -> Result:
    time.sleep(60.0)  # must be stopped, not waited for
    return Result()


def _ctrl_c_to_parent(rng: np.random.Generator) -> Result:
    time.sleep(3.0)  # time for the parent to take in the result of 'quick' (ran before this)
    os.kill(os.getppid(), signal.SIGINT)  # as a terminal's Ctrl-C reaches the parent
    time.sleep(60.0)
    return Result()


ORDER: list[str] = []


def _record(rng: np.random.Generator) -> Result:
    ORDER.append(f"{rng.random():.17g}")
    return Result()


def test_a_pool_gives_the_serial_results_in_the_given_order() -> None:
    exps = [Experiment(k, k, _draw) for k in ("a", "b", "c")] + [Experiment("d", "d", _crash)]
    serial = run_experiments(exps, rng=5, jobs=1)
    pooled = run_experiments(exps, rng=5, jobs=2)
    assert list(pooled) == ["a", "b", "c", "d"]
    for k in "abc":
        assert pooled[k].text == serial[k].text  # type: ignore[union-attr]
        assert pooled[k].claims == serial[k].claims  # type: ignore[union-attr]
    assert len({serial[k].text for k in "abc"}) == 3  # type: ignore[union-attr]
    assert isinstance(pooled["d"], RuntimeError) and str(pooled["d"]) == "boom"


def test_a_pool_writes_the_serial_report_and_figures_byte_for_byte(tmp_path: Path) -> None:
    # real experiments (a few seconds each), one with a figure, and a crash
    chosen = [experiments()[k] for k in ("modal-outcomes", "policy-weights", "pop-pennies")]
    chosen += [Experiment("figure", "figure", _draw), Experiment("crash", "crash", _crash)]
    serial = write_report(run_experiments(chosen, rng=3, jobs=1), tmp_path / "serial")
    pooled = write_report(run_experiments(chosen, rng=3, jobs=2), tmp_path / "pooled")
    assert pooled.claims == serial.claims and pooled.failed_experiments == ("crash",)
    assert pooled.path.read_text() == serial.path.read_text()
    pngs = sorted(p.name for p in (tmp_path / "serial").glob("*.png"))
    assert pngs and pngs == sorted(p.name for p in (tmp_path / "pooled").glob("*.png"))
    for name in pngs:
        assert (tmp_path / "pooled" / name).read_bytes() == (
            tmp_path / "serial" / name
        ).read_bytes()


def test_the_costliest_experiments_start_first() -> None:
    exps = [
        Experiment("cheap", "c", _record, cost=1),
        Experiment("dear", "d", _record, cost=100),
        Experiment("middling", "m", _record, cost=10.5),
        Experiment("unknown", "u", _record),  # cost 1: after 'cheap', its tie
    ]
    streams = experiment_streams([e.id for e in exps], rng=2)
    first = {k: f"{s.random():.17g}" for k, s in streams.items()}
    ORDER.clear()
    out = run_experiments(exps, rng=2, executor=SerialExecutor())  # runs at submission
    assert list(out) == ["cheap", "dear", "middling", "unknown"]  # results in the given order
    assert ORDER == [first[k] for k in ("dear", "middling", "cheap", "unknown")]


# In the two interrupt tests two workers start 'quick' and 'long' (the costliest); the
# interrupting experiment starts only when 'quick' has finished, so what finished is known.


def test_an_experiment_interrupting_keeps_what_finished_and_stops_the_rest(
    tmp_path: Path,
) -> None:
    exps = [
        Experiment("quick", "q", _draw, cost=3),
        Experiment("ctrl-c", "i", _interrupt, cost=1),
        Experiment("long", "l", _sleep_long, cost=2),
    ]
    start = time.perf_counter()
    results = run_experiments(exps, rng=1, jobs=2)
    assert time.perf_counter() - start < 50  # 'long' was stopped, not waited for (60 s)
    assert list(results) == ["quick"]
    outcome = write_report(results, tmp_path, planned=[e.id for e in exps])
    assert outcome.partial and outcome.not_run == ("ctrl-c", "long")
    assert outcome.path.read_text().splitlines()[0] == PARTIAL_MARK


def test_ctrl_c_in_the_parent_keeps_what_finished() -> None:
    exps = [
        Experiment("quick", "q", _draw, cost=3),
        Experiment("long", "l", _sleep_long, cost=2),
        Experiment("ctrl-c", "i", _ctrl_c_to_parent, cost=1),
    ]
    start = time.perf_counter()
    results = run_experiments(exps, rng=1, jobs=2)
    assert time.perf_counter() - start < 50
    assert list(results) == ["quick"]


def test_reproduce_jobs_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import numpol.commands.reproduce as reproduce

    fakes = {k: Experiment(k, k, _draw) for k in ("a", "b")}
    monkeypatch.setattr(reproduce, "experiments", lambda: fakes)
    assert main(["reproduce", "--out", str(tmp_path / "one"), "--jobs", "1"]) == 1  # rows missing
    assert main(["reproduce", "--out", str(tmp_path / "two"), "--jobs", "2"]) == 1
    text = (tmp_path / "one" / "report.md").read_text()
    assert text == (tmp_path / "two" / "report.md").read_text()
    assert "MC-02" in text and len(CATALOGUE) > 1  # the missing rows are listed
    capsys.readouterr()
    assert main(["reproduce", "--jobs", "2", "--workers", "2", "--out", str(tmp_path)]) == 2
    assert "--jobs" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["reproduce", "--jobs", "0"])


def test_bad_jobs_and_costs_are_errors() -> None:
    with pytest.raises(NumpolError, match="jobs"):
        run_experiments([], jobs=0)
    with pytest.raises(NumpolError, match="cost"):
        Experiment("x", "x", _draw, cost=-1)
    with pytest.raises(NumpolError, match="cost"):
        Experiment("x", "x", _draw, cost=float("nan"))
    assert available_cpus() >= 1
