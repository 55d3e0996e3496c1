"""Ensembles and parameter sweeps on any ``concurrent.futures.Executor``, resumable from disk.

A sweep is the list of tasks ``parameters x replicates``; task ``k`` runs ``func(**params,
rng=stream_k)`` where ``stream_k`` is the ``k``-th child of one ``SeedSequence`` (one independent
stream per task, whatever worker runs it). With ``out=folder`` every finished task is written at
once to ``folder/task_<k>.npz`` together with its parameters, its seed (entropy and spawn key) and
the package version, and ``folder/manifest.json`` records the task list and the entropy. Running
the same sweep again loads the finished tasks and computes only the others, with the same streams,
so an interrupted sweep resumes to exactly the result of an uninterrupted one.

Executors: a local ``ProcessPoolExecutor`` by default; ``executor=`` any other; ``client=`` a
``dask.distributed.Client`` (its ``get_executor()`` is used).
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from fractions import Fraction
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from tqdm import tqdm

from dynamics._checks import MatrixLike
from dynamics.errors import ParameterError

__all__ = ["SweepResult", "grid", "sweep", "simulation_task", "package_version"]


def package_version() -> str:
    """The installed version of numerical-politics (``"unknown"`` if not installed)."""
    try:
        return version("numerical-politics")
    except PackageNotFoundError:  # pragma: no cover - the project is always installed
        return "unknown"


def grid(**axes: Sequence[object]) -> list[dict[str, object]]:
    """The Cartesian product of parameter axes as a list of dicts.

    Examples
    --------
    >>> grid(N=[10, 20], mu=[0.1])
    [{'N': 10, 'mu': 0.1}, {'N': 20, 'mu': 0.1}]
    """
    names = list(axes)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*axes.values())]


@dataclass(frozen=True)
class SweepResult:
    """Results of a sweep, in task order.

    Attributes
    ----------
    params : tuple of dict
        Each task's parameters.
    replicate : ndarray (K,)
        Each task's replicate number.
    results : tuple of dict
        Each task's arrays (``func``'s return value; a bare array is stored as ``"result"``).
    entropy : int
        The root seed; task ``k`` used ``SeedSequence(entropy).spawn(K)[k]``.
    computed : int
        How many tasks this call computed (the others were loaded from disk).
    """

    params: tuple[dict[str, Any], ...]  # Any: the JSON-serialisable values the caller swept
    replicate: np.ndarray
    results: tuple[dict[str, np.ndarray], ...]
    entropy: int
    computed: int

    def stack(self, name: str = "result") -> np.ndarray:
        """One output stacked over tasks, shape (K, ...)."""
        return np.stack([r[name] for r in self.results])


def _entropy(rng: Any, manifest: dict[str, Any] | None) -> int:
    if rng is None:
        if manifest is not None:
            return int(manifest["entropy"])
        return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(2**63))
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool) and rng >= 0:
        return int(rng)
    raise ParameterError(f"rng must be a non-negative int, a Generator or None, got {rng!r}")


def _jsonable(params: Mapping[str, Any]) -> str:
    try:
        return json.dumps(params, sort_keys=True, default=_encode)
    except TypeError as err:
        raise ParameterError(f"parameters must be JSON-serialisable: {err}") from None


def _encode(v: Any) -> Any:
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    raise TypeError(f"{v!r} ({type(v).__name__})")


def _run(func: Callable[..., Any], params: dict[str, Any], seed: np.random.SeedSequence) -> Any:
    return func(**params, rng=np.random.default_rng(seed))


def _as_arrays(value: Any) -> dict[str, np.ndarray]:
    if isinstance(value, Mapping):
        return {str(k): np.asarray(v) for k, v in value.items()}
    return {"result": np.asarray(value)}


def _write(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp.npz")
    payload: dict[str, Any] = {**arrays, "__meta__": np.array(json.dumps(meta))}
    np.savez(tmp, **payload)
    os.replace(tmp, path)  # atomic: a half-written file is never taken for a finished task


def _read(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    with np.load(path) as z:
        meta = json.loads(str(z["__meta__"]))
        return {k: z[k] for k in z.files if k != "__meta__"}, meta


def sweep(
    func: Callable[..., object],
    params: Sequence[Mapping[str, object]],
    *,
    replicates: int = 1,
    executor: Executor | None = None,
    client: Any = None,  # Any: a dask.distributed.Client (optional dependency, not imported)
    out: str | os.PathLike[str] | None = None,
    progress: bool = True,
    rng: int | np.random.Generator | None = None,
) -> SweepResult:
    """Run ``func(**p, rng=stream)`` for every ``p`` in `params` and every replicate.

    Parameters
    ----------
    func : callable
        A picklable (module-level) function returning an array or a dict of arrays.
    params : sequence of dict
        Parameter sets (JSON-serialisable values); see :func:`grid`.
    replicates : int
        Independent runs per parameter set, each with its own stream.
    executor : concurrent.futures.Executor, optional
        Where to run; default a local process pool (created and shut down here).
    client : dask.distributed.Client, optional
        Run on a dask cluster (``client.get_executor()``); excludes `executor`.
    out : path, optional
        Folder for finished tasks; an existing sweep there is resumed.
    progress : bool
        tqdm bar over finished tasks.
    rng : int or Generator, optional
        Root seed. Omitted on resume, the manifest's seed is used.

    Returns
    -------
    SweepResult

    Raises
    ------
    ParameterError
        Bad arguments, or a folder that holds a different sweep (other tasks or seed).

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(2) as ex:
    ...     res = sweep(_demo, grid(scale=[1.0, 10.0]), replicates=2, executor=ex, rng=5,
    ...                 progress=False)
    >>> res.stack().shape, res.computed
    ((4, 3), 4)
    """
    if isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 1:
        raise ParameterError(f"replicates must be a positive integer, got {replicates!r}")
    if executor is not None and client is not None:
        raise ParameterError("give either executor or client, not both")
    tasks = [(dict(p), r) for p in params for r in range(replicates)]
    if not tasks:
        raise ParameterError("params is empty: nothing to sweep")
    keys = [_jsonable(p) for p, _ in tasks]
    folder = Path(out) if out is not None else None
    manifest = None
    if folder is not None and (folder / "manifest.json").exists():
        manifest = json.loads((folder / "manifest.json").read_text())
    entropy = _entropy(rng, manifest)
    listing = [[k, r] for k, (_, r) in zip(keys, tasks, strict=True)]
    if manifest is not None and (manifest["tasks"] != listing or manifest["entropy"] != entropy):
        raise ParameterError(f"{folder} holds a different sweep (other tasks or seed)")
    if folder is not None and manifest is None:
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"entropy": entropy, "tasks": listing, "version": package_version()})
        (folder / "manifest.json").write_text(text)
    seeds = np.random.SeedSequence(entropy).spawn(len(tasks))
    results: list[dict[str, np.ndarray] | None] = [None] * len(tasks)
    if folder is not None:
        for k in range(len(tasks)):
            path = folder / f"task_{k:06d}.npz"
            if path.exists():
                results[k], _ = _read(path)
    pending = [k for k in range(len(tasks)) if results[k] is None]
    own = None
    if client is not None:
        executor = client.get_executor()
    elif executor is None and pending:
        executor = own = ProcessPoolExecutor()
    try:
        futures: dict[Future[Any], int] = {}
        for k in pending:
            assert executor is not None
            futures[executor.submit(_run, func, tasks[k][0], seeds[k])] = k
        bar = tqdm(
            total=len(tasks),
            initial=len(tasks) - len(pending),
            disable=not progress,
            desc="sweep",
            unit="task",
        )
        try:
            for fut in as_completed(futures):
                k = futures[fut]
                arrays = _as_arrays(fut.result())
                results[k] = arrays
                if folder is not None:
                    meta = {
                        "params": tasks[k][0],
                        "replicate": tasks[k][1],
                        "entropy": entropy,
                        "spawn_key": list(seeds[k].spawn_key),
                        "version": package_version(),
                    }
                    _write(folder / f"task_{k:06d}.npz", arrays, json.loads(_jsonable(meta)))
                bar.update()
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
        finally:
            bar.close()
    finally:
        if own is not None:
            own.shutdown(cancel_futures=True)
    return SweepResult(
        tuple(p for p, _ in tasks),
        np.array([r for _, r in tasks]),
        tuple(r for r in results if r is not None),
        entropy,
        len(pending),
    )


def _demo(scale: float, *, rng: np.random.Generator) -> np.ndarray:
    return scale * rng.random(3)


def simulation_task(
    A: MatrixLike,
    rule: str,
    N: int,
    initial: ArrayLike,
    steps: int,
    *,
    intensity: Fraction | float = 1,
    mu: Fraction | float = 0,
    runs: int = 1,
    every: int = 1,
    rng: int | np.random.Generator | None = None,
) -> dict[str, np.ndarray]:
    """One ensemble of :func:`dynamics.finite.simulation.simulate` as a sweep task.

    Returns ``{"steps": ..., "counts": ...}``. `rule` is one of ``PROCESS_RULES``.

    Examples
    --------
    >>> out = simulation_task([[1, 1], [1, 1]], "moran", 4, [2, 2], 3, rng=np.random.default_rng(0))
    >>> out["counts"].shape
    (4, 1, 2)
    """
    from dynamics.finite.processes import fermi, moran, wright_fisher
    from dynamics.finite.simulation import simulate

    makers = {"moran": moran, "wright-fisher": wright_fisher}
    if rule == "fermi":
        process = fermi(A, N, beta=float(intensity), mu=mu)
    elif rule in makers:
        process = makers[rule](A, N, w=intensity, mu=mu)
    else:
        raise ParameterError(
            f"rule must be one of ['fermi', 'moran', 'wright-fisher'], got {rule!r}"
        )
    tr = simulate(process, initial, steps=steps, runs=runs, every=every, rng=rng)
    return {"steps": tr.steps, "counts": tr.counts}
