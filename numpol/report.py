"""Run experiments and write the reproduction report (Markdown + PNG) to a folder."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from numpol.catalogue import CATALOGUE
from numpol.errors import NumpolError
from numpol.registry import Claim, Experiment, Result

__all__ = [
    "run_experiments",
    "available_cpus",
    "write_report",
    "ReportOutcome",
    "claims_table",
    "claims_summary",
    "experiment_streams",
    "PARTIAL_MARK",
]


@dataclass(frozen=True)
class ReportOutcome:
    """What a reproduction produced: the report's path, its claims, the IDs without a row, the
    experiments that crashed and those that did not run (an interrupted, partial report)."""

    path: Path
    claims: tuple[Claim, ...]
    missing: tuple[str, ...]
    failed_experiments: tuple[str, ...]
    not_run: tuple[str, ...] = ()

    @property
    def partial(self) -> bool:
        """True when planned experiments did not run (the run was interrupted)."""
        return bool(self.not_run)

    @property
    def ok(self) -> bool:
        """True when every claim agrees, every catalogue ID has a row, no experiment crashed and
        every planned experiment ran."""
        return (
            all(c.agrees for c in self.claims)
            and not self.missing
            and not self.failed_experiments
            and not self.partial
        )


def experiment_streams(
    exp_ids: Sequence[str], *, rng: int | np.random.Generator | None = 0
) -> dict[str, np.random.Generator]:
    """One random stream per experiment, keyed by (seed, experiment ID), not by position.

    The stream of experiment ``e`` is the child of the master seed's ``SeedSequence`` whose
    spawn key is the first 8 bytes of SHA-256 of ``e``: adding, removing or reordering
    experiments, or running some with ``--only``, leaves every other experiment's numbers
    unchanged.

    Raises
    ------
    NumpolError
        If two IDs repeat.

    Examples
    --------
    >>> a = experiment_streams(["x", "y"], rng=1)["y"].random()
    >>> b = experiment_streams(["y"], rng=1)["y"].random()
    >>> a == b
    True
    """
    if len(set(exp_ids)) != len(exp_ids):
        raise NumpolError(f"experiment IDs repeat: {list(exp_ids)}")
    if isinstance(rng, np.random.Generator):
        seq = rng.bit_generator.seed_seq
        if not isinstance(seq, np.random.SeedSequence):  # a generator built without one
            seq = np.random.SeedSequence(int(rng.integers(2**63)))
    else:
        seq = np.random.SeedSequence(rng)
    out = {}
    for exp_id in exp_ids:
        key = int.from_bytes(hashlib.sha256(exp_id.encode()).digest()[:8], "big")
        child = np.random.SeedSequence(
            seq.entropy, spawn_key=(*seq.spawn_key, key), pool_size=seq.pool_size
        )
        out[exp_id] = np.random.default_rng(child)
    return out


def available_cpus() -> int:
    """The number of CPUs this process may run on (its affinity mask where the system has one,
    else ``os.cpu_count()``): ``numpol reproduce``'s default ``--jobs``.

    Examples
    --------
    >>> available_cpus() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no affinity masks (macOS, Windows)
        return max(1, os.cpu_count() or 1)


def _timed(exp: Experiment, stream: np.random.Generator) -> tuple[Result | BaseException, float]:
    """Run one experiment; a crash is returned (recorded in the report), not raised."""
    start = time.perf_counter()
    try:
        return exp.run(stream), time.perf_counter() - start
    except Exception as err:  # noqa: BLE001 - recorded in the report
        return err, time.perf_counter() - start


def _timed_in_worker(
    exp: Experiment, stream: np.random.Generator
) -> tuple[Result | BaseException, float]:
    """:func:`_timed` on a pool or cluster: the result's figures are taken off the worker's pyplot
    before they are pickled, so they come back as plain figures (not registered with the
    parent's pyplot and its backend); :func:`write_report` draws them as it draws a serial run's."""
    import matplotlib.pyplot as plt

    res, seconds = _timed(exp, stream)
    if isinstance(res, Result):
        for _, fig in res.figures:
            plt.close(fig)
    return res, seconds


def _worker_start() -> None:
    """A pool worker ignores SIGINT (Ctrl-C reaches the whole process group): the parent decides
    what an interrupt means, keeps what finished and stops the workers."""
    import matplotlib

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    matplotlib.use("Agg")


def run_experiments(
    exps: Iterable[Experiment],
    *,
    rng: int | np.random.Generator | None = 0,
    jobs: int = 1,
    executor: Executor | None = None,
) -> dict[str, Result | BaseException]:
    """Run each experiment with its own stream (:func:`experiment_streams`); a crash is
    recorded, not raised.

    With ``jobs=1`` and no `executor` the experiments run here, one after another. With
    ``jobs > 1`` they run in a pool of that many worker processes (at most one per experiment);
    with an `executor` (a dask client's, :mod:`numpol.cluster`) they run there. Either way
    they are submitted longest first (by the experiments' ``cost``; ties keep the given order),
    each gets the stream a serial run gives it, and the returned dict keeps the given order, so
    the report is the serial run's.

    An interrupt (Ctrl-C, or an experiment raising ``KeyboardInterrupt``) stops the run and keeps
    what finished: the experiments without an entry did not run (pass their IDs to
    :func:`write_report` as `planned` to mark the report); the pool's workers are stopped.

    Raises
    ------
    NumpolError
        If `jobs` is not a positive integer.

    Examples
    --------
    >>> from numpol.registry import Experiment, Result
    >>> exp = Experiment("draw", "one number", lambda rng: Result(data={"x": rng.random()}))
    >>> res = run_experiments([exp], rng=1)
    draw: ... s
    >>> 0 <= res["draw"].data["x"] < 1
    True
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise NumpolError(f"jobs must be a positive integer, got {jobs!r}")
    exps = list(exps)
    streams = experiment_streams([e.id for e in exps], rng=rng)
    if executor is None and (jobs == 1 or len(exps) <= 1):
        return _run_here(exps, streams)
    return _run_pooled(exps, streams, jobs=jobs, executor=executor)


def _run_here(
    exps: list[Experiment], streams: dict[str, np.random.Generator]
) -> dict[str, Result | BaseException]:
    results: dict[str, Result | BaseException] = {}
    bar = tqdm(exps, desc="experiments", unit="exp")
    try:
        for exp in bar:
            bar.set_postfix_str(exp.id)
            results[exp.id], seconds = _timed(exp, streams[exp.id])
            bar.write(f"{exp.id}: {seconds:.1f} s")
    except KeyboardInterrupt:
        bar.write("interrupted: writing the report of what finished")
    finally:
        bar.close()
    return results


def _run_pooled(
    exps: list[Experiment],
    streams: dict[str, np.random.Generator],
    *,
    jobs: int,
    executor: Executor | None,
) -> dict[str, Result | BaseException]:
    own = executor is None
    pool = executor or ProcessPoolExecutor(
        max_workers=min(jobs, len(exps)),
        # spawn, not fork: a fresh interpreter per worker, whatever threads the parent runs
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_start,
    )
    longest_first = sorted(exps, key=lambda e: -e.cost)  # sorted is stable: ties keep order
    futures: dict[Future[tuple[Result | BaseException, float]], Experiment] = {}
    done: dict[str, Result | BaseException] = {}
    bar = tqdm(total=len(exps), desc="experiments", unit="exp")
    interrupted = False
    try:
        for exp in longest_first:
            futures[pool.submit(_timed_in_worker, exp, streams[exp.id])] = exp
        for fut in as_completed(futures):
            exp = futures[fut]
            try:
                res, seconds = fut.result()
            except KeyboardInterrupt:
                raise  # an experiment interrupted itself: as Ctrl-C in a serial run
            except Exception as err:  # noqa: BLE001 - a worker lost, a result not picklable
                res, seconds = err, float("nan")
            done[exp.id] = res
            bar.update()
            bar.write(f"{exp.id}: {seconds:.1f} s")
    except KeyboardInterrupt:
        interrupted = True
        bar.write("interrupted: writing the report of what finished")
    finally:
        bar.close()
        for fut in futures:
            fut.cancel()
        if own:
            if interrupted:  # running experiments are abandoned: stop their processes
                # (ProcessPoolExecutor has no public way to stop a running task before 3.14)
                for proc in list((getattr(pool, "_processes", None) or {}).values()):
                    proc.terminate()
            pool.shutdown(wait=True, cancel_futures=True)
    return {e.id: done[e.id] for e in exps if e.id in done}


def _agrees_cell(c: Claim) -> str:
    cell = "yes" if c.agrees else "no"
    if c.evidence == "by construction":
        return cell + " (by construction)"
    if c.evidence == "none":
        return cell + " (no second method)"
    return cell


def claims_table(claims: Iterable[Claim]) -> str:
    """The claims table in Markdown, in catalogue order, then the ``X-`` rows.

    The agrees cell says when the evidence is not independent (``yes (by construction)``,
    ``yes (no second method)``); a conditional claim's seed-holds cell carries its condition.

    Examples
    --------
    >>> print(claims_table([Claim("X-1", "c", "t", "s", True, "yes")]).splitlines()[2])
    | X-1 | c | t | s | yes | yes |
    """
    order = {k: i for i, k in enumerate(CATALOGUE)}
    rows = sorted(claims, key=lambda c: (order.get(c.id, len(order)), c.id))
    out = [
        "| ID | claim (short) | theory | simulation | agrees | seed holds |",
        "|---|---|---|---|---|---|",
    ]
    for c in rows:
        holds = f"conditional: {c.condition}" if c.seed_holds == "conditional" else c.seed_holds
        cells = (c.id, c.claim, c.theory, c.simulation, _agrees_cell(c), holds)
        out.append(
            "| " + " | ".join(s.replace("|", "\\|").replace("\n", " ") for s in cells) + " |"
        )
    return "\n".join(out)


def claims_summary(claims: Sequence[Claim]) -> str:
    """One line: how many rows, how many disagree, and the kinds of evidence and verdict.

    Examples
    --------
    >>> rows = [Claim("A", "c", "t", "s", True, "yes"),
    ...         Claim("B", "c", "t", "s", False, "open"),
    ...         Claim("C", "c", "t", "s", True, "conditional", condition="x < 1",
    ...               evidence="by construction", evidence_note="seeded")]
    >>> print(claims_summary(rows))
    3 rows, 1 disagree (B). Evidence: 2 independent, 1 by construction, 0 without a second \
method. Seed holds: 1 yes, 0 no, 1 conditional, 1 open.
    """
    bad = [c.id for c in claims if not c.agrees]
    ev = {k: sum(c.evidence == k for c in claims) for k in ("independent", "by construction")}
    none = sum(c.evidence == "none" for c in claims)
    sh = {k: sum(c.seed_holds == k for c in claims) for k in ("yes", "no", "conditional", "open")}
    return (
        f"{len(claims)} rows, {len(bad)} disagree"
        + (f" ({', '.join(bad)})" if bad else "")
        + f". Evidence: {ev['independent']} independent, {ev['by construction']} by "
        f"construction, {none} without a second method. Seed holds: "
        + ", ".join(f"{v} {k}" for k, v in sh.items())
        + "."
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _note(c: Claim) -> str:
    parts = [_sentence(c.note)] if c.note else []
    if c.condition:
        parts.append(f"Holds exactly when: {c.condition}.")
    if c.evidence != "independent":
        parts.append(_sentence(f"Evidence {c.evidence}: {c.evidence_note}"))
    if c.rule:
        parts.append(_sentence(f"Agreement rule (fails otherwise): {c.rule}"))
    return " ".join(parts)


#: The first line of a report whose run was interrupted.
PARTIAL_MARK = "# PARTIAL REPORT: the run was interrupted"


def write_report(
    results: dict[str, Result | BaseException],
    folder: Path,
    *,
    planned: Sequence[str] | None = None,
) -> ReportOutcome:
    """Write ``folder/report.md`` and the figures as PNG; return what it found.

    `planned` lists the IDs of the experiments that were meant to run; those without a result
    (an interrupted run) make the report partial: its first lines say so and name them. The
    report is written to a temporary file and renamed over ``report.md`` at the end, so an
    interrupt while writing leaves the previous report whole.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    not_run = tuple(k for k in (planned or ()) if k not in results)
    lines = []
    if not_run:
        lines += [
            PARTIAL_MARK,
            "",
            f"**Partial report:** {len(results)} of {len(results) + len(not_run)} experiments "
            f"ran; not run: {', '.join(not_run)}. Its claims table is incomplete.",
            "",
        ]
    lines += ["# numerical-politics: reproduction report", ""]
    head = len(lines)  # the claims summary goes here, once the claims are known
    claims: list[Claim] = []
    failed: list[str] = []
    for exp_id, res in results.items():
        lines += [f"## {exp_id}", ""]
        if isinstance(res, BaseException):
            failed.append(exp_id)
            lines += [f"**The experiment failed:** `{type(res).__name__}: {res}`", ""]
            continue
        if res.text:
            lines += [res.text, ""]
        for table in res.tables:
            lines += [f"**{table.title}**", "", table.markdown(), ""]
        for name, fig in res.figures:
            png = f"{exp_id}_{name}.png"
            fig.savefig(folder / png, dpi=120, bbox_inches="tight")
            plt.close(fig)
            lines += [f"![{name}]({png})", ""]
        claims.extend(res.claims)
    missing = tuple(k for k in CATALOGUE if k not in {c.id for c in claims})
    lines[head:head] = [f"**Claims:** {claims_summary(claims)}", ""]
    lines += ["## Claims", "", claims_table(claims), ""]
    notes = [(c, _note(c)) for c in claims]
    if any(n for _, n in notes):
        lines += ["### Notes on the claims", ""]
        lines += [f"- **{c.id}** ({c.seed_holds}): {n}" for c, n in notes if n]
        lines.append("")
    if missing:
        lines += ["### Catalogue IDs without a row", "", ", ".join(missing), ""]
    if failed:
        lines += ["### Experiments that failed", "", ", ".join(failed), ""]
    if not_run:
        lines += ["### Experiments not run (interrupted)", "", ", ".join(not_run), ""]
    path = folder / "report.md"
    tmp = folder / f".report.md.{os.getpid()}.tmp"
    try:
        tmp.write_text("\n".join(lines), encoding="utf-8")
        os.replace(tmp, path)  # atomic: report.md is the old report or the new one, whole
    finally:
        tmp.unlink(missing_ok=True)
    return ReportOutcome(path, tuple(claims), missing, tuple(failed), not_run)
