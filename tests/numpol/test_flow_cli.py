"""``numpol flow``: one orbit, basins, matrix files, plots, JSON, and errors as exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from numpol.cli import main
from numpol.commands.flow import BASIN_CHUNK


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


# ---- issue 17: interrupts, streaming, plots, overflow -------------------------------------


def test_basins_interrupted_inside_a_chunk_exit_130_with_partial_json(monkeypatch, capsys):
    """Ctrl-C used to give exit 0, 'N random interior starts' over counts summing to less, the
    chunk under way counted as 'undecided', and an 'interrupted' line inside the JSON."""
    import dynamics.basins as mod

    made = []

    class Interrupting(mod.ItineraryTracker):
        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            made.append(self)
            self.calls = 0

        def __call__(self, rows, t, x):
            self.calls += 1
            if len(made) == 3 and self.calls == 3:  # inside the third chunk's integration
                raise KeyboardInterrupt
            super().__call__(rows, t, x)

    # --t-max 30: one integration (one tracker) per chunk, no longer horizons
    argv = ["flow", "--basins", "5000", "--t", "30", "--t-max", "30", "--eps", "1/5", "--json"]
    monkeypatch.setattr(mod, "ItineraryTracker", Interrupting)
    code, out, err = run(argv, capsys)
    data = json.loads(out)  # still valid JSON
    done = 2 * BASIN_CHUNK  # the two chunks finished before the third was interrupted
    assert code == 130 and f"interrupted after {done} of 5000 starts" in err
    assert data["complete"] is False and data["starts"] == done and data["requested"] == 5000
    assert sum(f["count"] for f in data["fates"]) == done
    monkeypatch.undo()
    _, whole, _ = run([*argv[:2], str(done), *argv[3:]], capsys)
    assert json.loads(whole)["fates"] == data["fates"]  # the two finished chunks, exactly
    made.clear()
    monkeypatch.setattr(mod, "ItineraryTracker", Interrupting)
    code, out, err = run(argv[:-1], capsys)
    assert code == 130 and out.startswith(f"PARTIAL (interrupted): {done} of 5000")


def test_sigint_to_a_basin_run_exits_130_with_valid_json():
    import os
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import sys; from numpol.cli import build_parser, main; build_parser(); "
        "print('ready', file=sys.stderr, flush=True); "
        "sys.exit(main(['flow', '--basins', '1000000', '--t', '100', '--json']))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stderr is not None and proc.stderr.readline().strip() == "ready"
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    data = json.loads(out)
    assert data["complete"] is False and data["requested"] == 1_000_000
    assert sum(f["count"] for f in data["fates"]) == data["starts"] < 1_000_000
    assert data["starts"] % BASIN_CHUNK == 0 and "interrupted" in err


def test_basins_stream_the_same_counts_as_the_materialised_starts(capsys):
    from dynamics.basins import basins, simplex_sample
    from modal import SEED_AGENTS
    from theory.modal_game import modal_game

    code, out, _ = run(["flow", "--basins", "700", "--t", "60", "--seed", "4", "--json"], capsys)
    A = modal_game(SEED_AGENTS, "1/10")
    names = [a.name for a in SEED_AGENTS]
    b = basins(A, simplex_sample(4, 700, rng=4), 60.0, names=names)
    assert code == 0 and json.loads(out)["fates"] == [
        {"fate": str(f), "count": c, "fraction": p, "ci95": [lo, hi]}
        for f, c, p, lo, hi in b.table()
    ]


@pytest.mark.parametrize(
    "plot, message",
    [
        ("/proc/x.png", "cannot write --plot '/proc/x.png'"),
        ("out.xyz", "unknown image format '.xyz'"),
    ],
)
@pytest.mark.parametrize("extra", [[], ["--basins", "5"]])
def test_unwritable_or_unknown_plot_fails_before_computing(
    plot, message, extra, monkeypatch, capsys
):
    """Used to fail after the whole computation, with a traceback."""
    import numpol.commands.flow as cmd

    def no(*args, **kw):
        raise AssertionError("computed before checking --plot")

    monkeypatch.setattr(cmd, "integrate", no)
    monkeypatch.setattr(cmd, "basin_sizes", no)
    code, _, err = run(["flow", "--t", "5", "--plot", plot, *extra], capsys)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("dynamic", ["smith", "bnn", "replicator", "best_response", "logit"])
@pytest.mark.parametrize("entry", ["1e20", "1e80"])
def test_huge_matrix_entries_never_give_nan_or_negative_shares(
    dynamic, entry, tmp_path, monkeypatch, capsys
):
    """Smith with entries +-1e20 printed a time average with a negative share; BNN at 1e80 NaN.
    (A budget of 3000 steps: Smith chatters at a vertex for long in the game's own time.)"""
    import functools

    import numpol.commands.flow as cmd
    from dynamics.integrate import integrate

    monkeypatch.setattr(cmd, "integrate", functools.partial(integrate, max_iterations=3000))
    f = tmp_path / "big.txt"
    f.write_text(f"{entry} 0 -{entry}\n0 0 0\n-{entry} 0 {entry}\n")
    code, out, err = run(
        [
            "flow",
            "--matrix",
            str(f),
            "--dynamic",
            dynamic,
            "--t",
            "1",
            "--x0",
            "0.6,0.3,0.1",
            "--json",
        ],
        capsys,
    )
    if code == 0:
        data = json.loads(out)
        for key in ("final", "time_average"):
            v = np.array(data[key])
            assert np.all(np.isfinite(v)) and np.all(v >= 0) and abs(v.sum() - 1) < 1e-9
    else:
        assert code == 2 and len(err.strip().splitlines()) == 1


def test_logit_with_eta_1e308_is_one_clear_line(capsys):
    """Printed RuntimeWarnings, then blamed the horizon ('try a shorter --t')."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, _, err = run(["flow", "--dynamic", "logit", "--eta", "1e308", "--t", "5"], capsys)
    assert code == 2 and "eta = 1e+308" in err and "shorter --t" not in err
    assert len(err.strip().splitlines()) == 1
