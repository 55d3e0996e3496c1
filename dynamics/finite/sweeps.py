"""Ensembles and parameter sweeps on any ``concurrent.futures.Executor``, resumable from disk.

A sweep is the list of tasks ``parameters x replicates``; task ``k`` runs ``func(**params,
rng=stream_k)`` where ``stream_k`` is the ``k``-th child of one ``SeedSequence`` (one independent
stream per task, whatever worker runs it). With ``out=folder`` every finished task is written at
once to ``folder/task_<k>.npz`` together with its parameters, its seed (entropy and spawn key) and
the package version, and ``folder/manifest.json`` records the task list and the entropy. Running
the same sweep again loads the finished tasks and computes only the others, with the same streams,
so an interrupted sweep resumes to exactly the result of an uninterrupted one. On resume every
task file's stored seed, spawn key and parameters are checked against the task it stands for: a
file from another sweep (another seed) or of another task is refused, naming the file, and so is a
file that cannot be read (truncated, empty, not an ``.npz``), unless ``on_corrupt="recompute"``.

The local process pool's workers do not outlive the sweep: a SIGTERM to the parent shuts them down
(the parent then exits as from SIGTERM, status 143), and each worker runs a watchdog thread that
ends it within ``WATCHDOG_INTERVAL`` seconds once its parent has died (SIGKILL included).

This covers only the pool the sweep makes itself. With ``executor=`` or ``client=`` the caller
owns the workers, and the sweep changes nothing about their lifetime: it installs no SIGTERM
handler (the process's own disposition applies: by default the parent dies at once, no
``finally`` runs), its workers get no watchdog, and on Ctrl-C or a task's error it only cancels
the tasks not yet started (tasks already running on the caller's executor run to their end, and
their results are dropped). So after SIGTERM or SIGKILL of the parent, a caller's
``ProcessPoolExecutor`` leaves orphaned workers (measured with CPython 3.11 on Linux: they finish
their task, then wait for work forever, re-parented to init), and a dask cluster keeps running.
Tasks finished before the stop are on disk (``out=``) either way; a resume computes the others.
To have the guarantees, let the sweep make its pool (the default), or shut your executor down in
your own signal handler.

Executors: a local ``ProcessPoolExecutor`` by default; ``executor=`` any other; ``client=`` a
``dask.distributed.Client`` (its ``get_executor()`` is used).
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from tqdm import tqdm

from dynamics._checks import MatrixLike, integer_at_least
from dynamics.errors import CheckpointError, ParameterError

__all__ = [
    "ON_CORRUPT",
    "WATCHDOG_INTERVAL",
    "SweepResult",
    "grid",
    "sweep",
    "simulation_task",
    "package_version",
]

#: What :func:`sweep` does with a task file it cannot read: refuse (naming it) or compute anew.
ON_CORRUPT = ("raise", "recompute")
#: Seconds between a pool worker's checks that its parent is alive: an orphan exits within this.
WATCHDOG_INTERVAL = 0.5


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
    """A task file's arrays and metadata; :class:`CheckpointError` naming it if unreadable."""
    try:
        z = np.load(path, allow_pickle=False)
    except Exception as err:  # noqa: BLE001 - np.load on damaged bytes raises BadZipFile,
        # EOFError (empty), ValueError (random bytes, pickled data), OSError, ...
        raise CheckpointError(
            f"{path}: cannot read this task file ({type(err).__name__}: {err})"
        ) from None
    if not isinstance(z, np.lib.npyio.NpzFile):
        raise CheckpointError(f"{path}: not a sweep task file (a bare array, not an .npz)")
    try:
        with z:
            if "__meta__" not in z.files:
                raise CheckpointError(f"{path}: not a sweep task file (no '__meta__' entry)")
            meta = json.loads(str(z["__meta__"]))
            arrays = {k: z[k] for k in z.files if k != "__meta__"}
    except CheckpointError:
        raise
    except Exception as err:  # noqa: BLE001 - a damaged member: as above, or zlib/JSON errors
        raise CheckpointError(
            f"{path}: cannot read this task file ({type(err).__name__}: {err})"
        ) from None
    if not isinstance(meta, dict):
        raise CheckpointError(f"{path}: its metadata is not a JSON object")
    return arrays, meta


def _read_manifest(path: Path) -> dict[str, Any]:
    """The manifest's entropy and task list; :class:`CheckpointError` naming it if unreadable."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise CheckpointError(
            f"{path}: cannot read the sweep's manifest ({type(err).__name__}: {err})"
        ) from None
    ok = (
        isinstance(manifest, dict)
        and isinstance(manifest.get("entropy"), int)
        and not isinstance(manifest.get("entropy"), bool)
        and manifest["entropy"] >= 0
        and isinstance(manifest.get("tasks"), list)
    )
    if not ok:
        raise CheckpointError(
            f"{path}: not a sweep manifest (needs a non-negative integer 'entropy' and a 'tasks' "
            "list)"
        )
    return manifest


def _entropy_of_task_files(folder: Path, on_corrupt: str) -> dict[str, Any] | None:
    """``{"entropy": ...}`` stored in the first readable task file (no manifest, no `rng`)."""
    for path in sorted(folder.glob("task_*.npz")):
        try:
            _, meta = _read(path)
        except CheckpointError:
            if on_corrupt == "raise":
                raise
            continue
        entropy = meta.get("entropy")
        if isinstance(entropy, int) and not isinstance(entropy, bool) and entropy >= 0:
            return {"entropy": entropy}
        raise CheckpointError(f"{path}: its metadata has no valid 'entropy' (the sweep's seed)")
    return None


def _check_task(path: Path, meta: dict[str, Any], expected: dict[str, Any]) -> None:
    """Refuse a task file whose stored seed, spawn key, replicate or parameters differ."""
    for key, want in expected.items():
        if key not in meta:
            raise CheckpointError(f"{path}: its metadata lacks {key!r}")
        if meta[key] != want:
            what = "another sweep (another seed)" if key == "entropy" else "another task"
            raise CheckpointError(
                f"{path} belongs to {what}: stored {key} {meta[key]!r}, this task's {want!r}; "
                "delete the file (or the folder) to compute it anew"
            )


def _watchdog(parent: int) -> None:
    """Started in each pool worker: end the worker once the process that made it has died."""
    ppid = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(WATCHDOG_INTERVAL)
            if os.getppid() != ppid or not _alive(parent):
                os._exit(1)

    threading.Thread(target=watch, name="sweep-watchdog", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - exists, owned by someone else
        return True
    return True


@contextmanager
def _no_signals() -> Iterator[None]:
    yield


class _Terminated(BaseException):
    """SIGTERM received during a sweep: unwinds like Ctrl-C so the pool is shut down."""


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """While the block runs, SIGTERM raises :class:`_Terminated` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's workers now (running tasks included) and release the pool."""
    workers = list(getattr(pool, "_processes", {}).values())  # stdlib < 3.14: no public handle
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in workers:
        if proc.is_alive():
            proc.terminate()
    for proc in workers:
        proc.join(timeout=5)


def sweep(
    func: Callable[..., object],
    params: Sequence[Mapping[str, object]],
    *,
    replicates: int = 1,
    executor: Executor | None = None,
    client: Any = None,  # Any: a dask.distributed.Client (optional dependency, not imported)
    out: str | os.PathLike[str] | None = None,
    progress: bool = True,
    on_corrupt: str = "raise",
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
        Where to run; default a local process pool (created and shut down here, its workers
        ended on SIGTERM and when the parent dies). A caller's executor stays the caller's:
        no SIGTERM handling, no watchdog (see the module docstring).
    client : dask.distributed.Client, optional
        Run on a dask cluster (``client.get_executor()``); excludes `executor`. As for
        `executor`, the cluster's workers are the caller's to stop.
    out : path, optional
        Folder for finished tasks; an existing sweep there is resumed.
    progress : bool
        tqdm bar over finished tasks.
    on_corrupt : {"raise", "recompute"}
        A task file in `out` that cannot be read (truncated, empty, random bytes): refuse it with
        a :class:`~dynamics.errors.CheckpointError` naming it, or compute that task again (and
        overwrite the file). An unreadable manifest is rewritten under ``"recompute"``. A
        readable file of another sweep or task is always refused.
    rng : int or Generator, optional
        Root seed. Omitted on resume, the manifest's seed is used (without a readable manifest,
        the seed stored in the task files).

    Returns
    -------
    SweepResult

    Raises
    ------
    ParameterError
        Bad arguments, or a folder whose manifest lists a different sweep (other tasks or seed).
    CheckpointError
        A file in `out` that cannot be read, or a task file whose stored seed, spawn key or
        parameters differ from its task's (naming the file).

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(2) as ex:
    ...     res = sweep(_demo, grid(scale=[1.0, 10.0]), replicates=2, executor=ex, rng=5,
    ...                 progress=False)
    >>> res.stack().shape, res.computed
    ((4, 3), 4)
    """
    replicates = integer_at_least(replicates, "replicates", 1)
    if executor is not None and client is not None:
        raise ParameterError("give either executor or client, not both")
    tasks = [(dict(p), r) for p in params for r in range(replicates)]
    if not tasks:
        raise ParameterError("params is empty: nothing to sweep")
    if on_corrupt not in ON_CORRUPT:
        raise ParameterError(f"on_corrupt must be one of {ON_CORRUPT}, got {on_corrupt!r}")
    keys = [_jsonable(p) for p, _ in tasks]
    folder = Path(out) if out is not None else None
    if folder is not None and folder.exists() and not folder.is_dir():
        raise ParameterError(f"out {str(folder)!r} is a file, not a folder")
    manifest = None
    if folder is not None and (folder / "manifest.json").exists():
        try:
            manifest = _read_manifest(folder / "manifest.json")
        except CheckpointError:
            if on_corrupt == "raise":
                raise
    if rng is None and manifest is None and folder is not None:
        manifest = _entropy_of_task_files(folder, on_corrupt)
    entropy = _entropy(rng, manifest)
    if manifest is not None and "tasks" not in manifest:  # the seed only, from a task file
        manifest = None
    listing = [[k, r] for k, (_, r) in zip(keys, tasks, strict=True)]
    if manifest is not None and (manifest["tasks"] != listing or manifest["entropy"] != entropy):
        raise ParameterError(f"{folder} holds a different sweep (other tasks or seed)")
    seeds = np.random.SeedSequence(entropy).spawn(len(tasks))
    results: list[dict[str, np.ndarray] | None] = [None] * len(tasks)
    if folder is not None:
        for k in range(len(tasks)):
            path = folder / f"task_{k:06d}.npz"
            if not path.exists():
                continue
            try:
                arrays, meta = _read(path)
            except CheckpointError:
                if on_corrupt == "raise":
                    raise
                continue
            expected = {
                "entropy": entropy,
                "spawn_key": list(seeds[k].spawn_key),
                "replicate": tasks[k][1],
                "params": json.loads(keys[k]),
            }
            _check_task(path, meta, expected)
            results[k] = arrays
    if folder is not None and manifest is None:  # written once every task file has passed
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"entropy": entropy, "tasks": listing, "version": package_version()})
        (folder / "manifest.json").write_text(text)
    pending = [k for k in range(len(tasks)) if results[k] is None]
    own = None
    if client is not None:
        executor = client.get_executor()
    elif executor is None and pending:
        executor = own = ProcessPoolExecutor(initializer=_watchdog, initargs=(os.getpid(),))
    futures: dict[Future[Any], int] = {}
    bar = None
    try:
        with _sigterm_unwinds() if own is not None else _no_signals():
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
    except BaseException as err:  # a task's error, Ctrl-C or SIGTERM: stop everything now
        for fut in futures:
            fut.cancel()
        if own is not None:
            _stop_pool(own)
        if isinstance(err, _Terminated):
            raise SystemExit(128 + signal.SIGTERM) from None
        raise
    finally:
        if bar is not None:
            bar.close()
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
