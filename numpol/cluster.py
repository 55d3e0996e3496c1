"""Where the command line's long jobs run: here, on a local dask cluster, or on a remote one.

``--workers N`` starts a ``dask.distributed.LocalCluster`` of ``N`` single-threaded worker
processes for the duration of the command; ``--scheduler ADDRESS`` connects to a running
``dask.distributed`` scheduler (``tcp://host:8786``); with neither, the work runs here, one task
after another (:class:`SerialExecutor`). The work is split into the same tasks, each with its own
spawned random stream, whichever executor runs them, so a run on a cluster gives the same result
as a serial run with the same seed.

dask is an optional dependency (the ``distributed`` extra); asking for a cluster without it is a
one-line :class:`~numpol.errors.NumpolError`.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

import numpy as np
from tqdm import tqdm

from dynamics.finite.sweeps import SweepResult, sweep
from numpol.cliargs import positive_int
from numpol.errors import NumpolError
from numpol.registry import Experiment, Result
from numpol.report import run_experiments

__all__ = [
    "SerialExecutor",
    "add_cluster_options",
    "cluster_executor",
    "run_experiments_on",
    "run_tasks",
    "CONNECT_TIMEOUT",
]

#: Seconds to wait for a ``--scheduler`` to answer before giving up with a one-line error.
CONNECT_TIMEOUT = 10.0

P = ParamSpec("P")
T = TypeVar("T")


class SerialExecutor(Executor):
    """An ``Executor`` that runs each task at once, in the calling thread, in submission order.

    The serial twin of a cluster: the same tasks and streams, no processes.

    Examples
    --------
    >>> SerialExecutor().submit(pow, 2, 10).result()
    1024
    """

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run ``fn(*args, **kwargs)`` now; return a finished future with its result or error."""
        fut: Future[T] = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as err:  # noqa: BLE001 - handed to the caller by result()
            if isinstance(err, KeyboardInterrupt | SystemExit):
                raise
            fut.set_exception(err)
        return fut


def add_cluster_options(parser: argparse.ArgumentParser) -> None:
    """Add the mutually exclusive ``--scheduler ADDRESS`` and ``--workers N`` options.

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_cluster_options(p)
    >>> p.parse_args(["--workers", "2"]).workers
    2
    """
    g = parser.add_mutually_exclusive_group()
    g.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the long work on a dask.distributed scheduler (e.g. tcp://host:8786)",
    )
    g.add_argument(
        "--workers",
        type=positive_int,
        metavar="N",
        help="run the long work on a local dask cluster of N worker processes",
    )


def _dask() -> Any:  # Any: the dask.distributed module, an optional dependency
    try:
        import dask.distributed
    except ImportError:
        raise NumpolError(
            "--scheduler and --workers need dask.distributed: install the 'distributed' extra "
            "(.venv/bin/pip install -e '.[distributed]')"
        ) from None
    return dask.distributed


@contextmanager
def cluster_executor(args: argparse.Namespace) -> Iterator[Executor | None]:
    """The executor that `args` ask for, open for the ``with`` block; ``None`` without options.

    ``--workers N`` starts (and afterwards closes) a ``LocalCluster`` of ``N`` single-threaded
    worker processes; ``--scheduler ADDRESS`` connects a client to it. The yielded object is
    the client's ``get_executor()``.

    Raises
    ------
    NumpolError
        dask is not installed, or the scheduler does not answer within ``CONNECT_TIMEOUT``.

    Examples
    --------
    >>> with cluster_executor(argparse.Namespace(scheduler=None, workers=None)) as ex:
    ...     ex is None
    True
    """
    address = getattr(args, "scheduler", None)
    workers = getattr(args, "workers", None)
    if address is None and workers is None:
        yield None
        return
    dd = _dask()
    if address is not None:
        try:
            client = dd.Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as err:
            raise NumpolError(
                f"--scheduler {address!r}: cannot connect ({type(err).__name__}: {err})".rstrip()
            ) from None
        try:
            yield client.get_executor()
        finally:
            client.close()
        return
    cluster = dd.LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    try:
        client = dd.Client(cluster)
        try:
            yield client.get_executor()
        finally:
            client.close()
    finally:
        cluster.close()


def run_tasks(
    func: Callable[..., object], params: list[dict[str, Any]], args: argparse.Namespace
) -> SweepResult:
    """``func(**p, rng=stream)`` for every task ``p``, where `args` say (see
    :func:`cluster_executor`), with a progress bar; streams spawned from ``args.seed``.

    The tasks and their streams do not depend on where they run, so neither does the result.

    Examples
    --------
    >>> ns = argparse.Namespace(scheduler=None, workers=None, seed=3)
    >>> res = run_tasks(lambda scale, rng: scale * rng.random(), [{"scale": 2.0}] * 2, ns)
    >>> res.stack().shape, res.computed
    ((2,), 2)
    """
    with cluster_executor(args) as executor:
        if executor is not None:
            return sweep(func, params, executor=executor, progress=True, rng=args.seed)
        # here each task runs inside submit(): the bar has to advance from the tasks themselves
        with tqdm(total=len(params), desc="tasks", unit="task") as bar:
            return sweep(
                functools.partial(_ticking, func, bar),
                params,
                executor=SerialExecutor(),
                progress=False,
                rng=args.seed,
            )


def _ticking(func: Callable[..., object], bar: tqdm, /, **kwargs: Any) -> object:
    out = func(**kwargs)
    bar.update()
    return out


def run_experiments_on(
    executor: Executor,
    exps: Iterable[Experiment],
    *,
    rng: int | np.random.Generator | None = 0,
) -> dict[str, Result | BaseException]:
    """:func:`numpol.report.run_experiments` with the experiments run in parallel on `executor`.

    Each experiment gets the stream :func:`~numpol.report.run_experiments` would give it (keyed
    by `rng` and its ID, :func:`~numpol.report.experiment_streams`), so the results equal a
    serial run's. A crash is recorded, not raised; the results keep the experiments' order.
    Ctrl-C cancels the tasks not yet finished and keeps what finished.

    Examples
    --------
    >>> from numpol.registry import experiments
    >>> exp = experiments()["modal-outcomes"]
    >>> res = run_experiments_on(SerialExecutor(), [exp], rng=1)
    modal-outcomes: ... s
    >>> list(res) == ["modal-outcomes"]
    True
    """
    return run_experiments(exps, rng=rng, executor=executor)
