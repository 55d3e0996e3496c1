import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dynamics.errors import CheckpointError, ParameterError
from dynamics.finite.sweeps import grid, package_version, simulation_task, sweep

PARAMS = grid(N=[10, 20], mu=[0.0, 0.1])


def ensemble(N, mu, *, rng, fail_flag=None):
    """A small Moran ensemble; raises while `fail_flag` exists (for N = 20, mu = 0.1)."""
    if fail_flag is not None and Path(fail_flag).exists() and (N, mu) == (20, 0.1):
        raise RuntimeError("simulated crash")
    out = simulation_task(
        [[3, 0], [5, 1]],
        "moran",
        N,
        [N // 2, N // 2],
        50,
        intensity=0.5,
        mu=mu,
        runs=5,
        every=10,
        rng=rng,
    )
    return out


def same(a, b):
    assert a.params == b.params and a.entropy == b.entropy
    for x, y in zip(a.results, b.results, strict=True):
        assert x.keys() == y.keys()
        for k in x:
            np.testing.assert_array_equal(x[k], y[k])


def test_executors_agree_and_seeds_matter():
    with ThreadPoolExecutor(2) as ex:
        a = sweep(ensemble, PARAMS, replicates=2, executor=ex, rng=1, progress=False)
    b = sweep(ensemble, PARAMS, replicates=2, rng=1, progress=False)  # local process pool
    same(a, b)
    assert a.computed == 8 and a.stack("counts").shape == (8, 6, 5, 2)
    c = sweep(ensemble, PARAMS, replicates=2, executor=ThreadPoolExecutor(1), rng=2, progress=False)
    assert not np.array_equal(a.stack("counts"), c.stack("counts"))
    # replicates of one parameter set use different streams
    assert not np.array_equal(a.results[0]["counts"], a.results[1]["counts"])


def test_interrupted_sweep_resumes_to_the_uninterrupted_result(tmp_path):
    whole = sweep(
        ensemble, PARAMS, replicates=2, executor=ThreadPoolExecutor(1), rng=7, progress=False
    )
    flag = tmp_path / "fail"
    flag.touch()
    folder = tmp_path / "runs"
    params = [dict(p, fail_flag=str(flag)) for p in PARAMS]
    with pytest.raises(RuntimeError, match="simulated crash"):
        # one worker runs tasks in order; tasks 6 and 7 (N = 20, mu = 0.1) crash
        sweep(
            ensemble,
            params,
            replicates=2,
            executor=ThreadPoolExecutor(1),
            out=folder,
            rng=7,
            progress=False,
        )
    done = sorted(folder.glob("task_*.npz"))
    assert 6 <= len(done) < 8
    stamps = {p: p.stat().st_mtime_ns for p in done}
    flag.unlink()
    resumed = sweep(
        ensemble, params, replicates=2, executor=ThreadPoolExecutor(1), out=folder, progress=False
    )  # no rng: the manifest's seed is used
    assert resumed.computed == 8 - len(done)
    assert all(p.stat().st_mtime_ns == t for p, t in stamps.items())  # nothing recomputed
    for x, y in zip(whole.results, resumed.results, strict=True):
        np.testing.assert_array_equal(x["counts"], y["counts"])
    with np.load(done[0]) as z:
        meta = json.loads(str(z["__meta__"]))
    assert meta["version"] == package_version() and meta["entropy"] == 7
    assert meta["params"]["N"] == 10 and meta["spawn_key"] == [0]
    with pytest.raises(ParameterError, match="different sweep"):
        sweep(ensemble, params, replicates=2, executor=ThreadPoolExecutor(1), out=folder, rng=8)


def test_dask_local_cluster_gives_the_same_results():
    distributed = pytest.importorskip("distributed")
    local = sweep(ensemble, PARAMS, executor=ThreadPoolExecutor(1), rng=3, progress=False)
    with distributed.LocalCluster(
        n_workers=1, processes=False, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster) as client:
            remote = sweep(ensemble, PARAMS, client=client, rng=3, progress=False)
    same(local, remote)


def test_bad_sweep_arguments():
    with pytest.raises(ParameterError, match="replicates"):
        sweep(ensemble, PARAMS, replicates=0)
    with pytest.raises(ParameterError, match="empty"):
        sweep(ensemble, [])
    with pytest.raises(ParameterError, match="either"):
        sweep(ensemble, PARAMS, executor=ThreadPoolExecutor(1), client=object())
    with pytest.raises(ParameterError, match="rng"):
        sweep(ensemble, PARAMS, rng=-1)
    with pytest.raises(ParameterError, match="JSON"):
        sweep(ensemble, [dict(N=10, mu=object())])
    with pytest.raises(ParameterError, match="rule"):
        simulation_task([[1]], "voter", 2, [2], 1, rng=np.random.default_rng(0))


def _fresh(folder, rng=42):
    return sweep(
        ensemble, PARAMS, executor=ThreadPoolExecutor(1), out=folder, rng=rng, progress=False
    )


def test_a_deleted_manifest_does_not_let_another_seed_reuse_the_files(tmp_path):
    folder = tmp_path / "runs"
    _fresh(folder)
    (folder / "manifest.json").unlink()
    with pytest.raises(CheckpointError, match=r"task_000000\.npz belongs to another sweep"):
        _fresh(folder, rng=7)
    assert not (folder / "manifest.json").exists()  # nothing written from a refused resume
    again = _fresh(folder, rng=42)  # the right seed still resumes everything
    assert again.computed == 0
    (folder / "manifest.json").unlink()
    resumed = sweep(
        ensemble, PARAMS, executor=ThreadPoolExecutor(1), out=folder, progress=False
    )  # no rng and no manifest: the seed stored in the task files
    assert resumed.computed == 0 and resumed.entropy == 42


def test_a_task_file_copied_over_another_is_refused(tmp_path):
    folder = tmp_path / "runs"
    _fresh(folder)
    (folder / "task_000002.npz").write_bytes((folder / "task_000000.npz").read_bytes())
    with pytest.raises(CheckpointError, match=r"task_000002\.npz belongs to another task"):
        _fresh(folder)


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize(
    "damage",
    [
        _truncate,
        lambda p: p.write_bytes(np.random.default_rng(0).bytes(300)),
        lambda p: p.write_bytes(b""),
        lambda p: np.save(p.open("wb"), np.arange(3)),  # a bare .npy array
        lambda p: np.savez(p.open("wb"), x=np.arange(3)),  # an .npz without metadata
    ],
    ids=["truncated", "random-bytes", "empty", "npy", "no-meta"],
)
def test_a_corrupted_task_file_is_named_or_recomputed(tmp_path, damage):
    folder = tmp_path / "runs"
    whole = _fresh(folder)
    damage(folder / "task_000001.npz")
    with pytest.raises(CheckpointError, match=r"task_000001\.npz"):
        _fresh(folder)
    again = sweep(
        ensemble,
        PARAMS,
        executor=ThreadPoolExecutor(1),
        out=folder,
        on_corrupt="recompute",
        progress=False,
    )
    assert again.computed == 1
    same(whole, again)
    assert _fresh(folder).computed == 0  # the file was rewritten


@pytest.mark.parametrize(
    "text", ["", "{not json", "[1, 2]", '{"entropy": "x", "tasks": []}', '{"tasks": []}']
)
def test_a_bad_manifest_is_named_or_rewritten(tmp_path, text):
    folder = tmp_path / "runs"
    whole = _fresh(folder)
    (folder / "manifest.json").write_text(text)
    with pytest.raises(CheckpointError, match=r"manifest\.json"):
        _fresh(folder)
    again = sweep(
        ensemble,
        PARAMS,
        executor=ThreadPoolExecutor(1),
        out=folder,
        on_corrupt="recompute",
        rng=42,
        progress=False,
    )
    assert again.computed == 0  # the task files themselves are intact and checked
    same(whole, again)
    assert json.loads((folder / "manifest.json").read_text())["entropy"] == 42


def test_on_corrupt_must_be_known(tmp_path):
    with pytest.raises(ParameterError, match="on_corrupt"):
        sweep(ensemble, PARAMS, out=tmp_path, on_corrupt="ignore")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ParameterError, match="is a file"):
        sweep(ensemble, PARAMS, out=tmp_path / "file")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400), cut=st.integers(0, 2000))
def test_fuzz_reading_damaged_checkpoints(tmp_path_factory, data, cut):
    """Any bytes in a task file: the sweep recomputes, or refuses naming the file."""
    folder = tmp_path_factory.mktemp("fuzz")
    params = grid(N=[4], mu=[0.0])
    first = sweep(
        ensemble, params, executor=ThreadPoolExecutor(1), out=folder, rng=1, progress=False
    )
    path = folder / "task_000000.npz"
    good = path.read_bytes()
    path.write_bytes(good[:cut] + data)
    try:
        res = sweep(ensemble, params, executor=ThreadPoolExecutor(1), out=folder, progress=False)
    except CheckpointError as err:
        assert "task_000000.npz" in str(err)
    else:  # only an intact file is accepted
        same(first, res)


def _pids(folder, timeout=30.0):
    """The pids of the sweep's running workers (one per CPU, at most two tasks)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if list(folder.glob("pid_*")):
            time.sleep(1.0)  # let a second worker, if any, start its task
            files = sorted(folder.glob("pid_*"))
            if all(f.read_text() for f in files):
                return [int(f.read_text()) for f in files]
        time.sleep(0.1)
    raise AssertionError("the sweep's workers did not start")


def _gone(pid, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # a dead child of ours not yet reaped would still answer: check its state
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and /proc: Linux")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_workers_do_not_outlive_a_killed_sweep(tmp_path, sig):
    root = Path(__file__).resolve().parents[3]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.dynamics.finite.sweep_workers", str(tmp_path)], cwd=root
    )
    try:
        workers = _pids(tmp_path)
        proc.send_signal(sig)
        status = proc.wait(timeout=20)
        assert status == (143 if sig == signal.SIGTERM else -signal.SIGKILL)
        assert all(_gone(pid) for pid in workers), "orphaned pool workers"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_replicates_as_a_numpy_integer_is_the_integer_and_a_fraction_of_one_is_refused():
    # issue 17: numpy integers are accepted like everywhere else in dynamics
    kw = dict(executor=ThreadPoolExecutor(1), rng=3, progress=False)
    a = sweep(ensemble, PARAMS, replicates=np.int64(2), **kw)
    b = sweep(ensemble, PARAMS, replicates=2, **kw)
    same(a, b)
    assert a.computed == 8
    for bad in (2.5, True, "2"):
        with pytest.raises(ParameterError, match="replicates"):
            sweep(ensemble, PARAMS, replicates=bad, **kw)
