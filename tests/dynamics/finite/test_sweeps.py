import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from dynamics.errors import ParameterError
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
