"""Run experiments and write the reproduction report (Markdown + PNG) to a folder."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from numpol.catalogue import CATALOGUE
from numpol.registry import Claim, Experiment, Result

__all__ = ["run_experiments", "write_report", "ReportOutcome", "claims_table", "PARTIAL_MARK"]


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


def run_experiments(
    exps: Iterable[Experiment], *, rng: int | np.random.Generator | None = 0
) -> dict[str, Result | BaseException]:
    """Run each experiment with its own spawned stream; a crash is recorded, not raised.

    An interrupt (Ctrl-C) stops the loop and keeps what finished: the experiments without an
    entry did not run (pass their IDs to :func:`write_report` as `planned` to mark the report).
    """
    exps = list(exps)
    streams = np.random.default_rng(rng).spawn(len(exps))
    results: dict[str, Result | BaseException] = {}
    bar = tqdm(exps, desc="experiments", unit="exp")
    try:
        for exp, stream in zip(bar, streams, strict=True):
            bar.set_postfix_str(exp.id)
            start = time.perf_counter()
            try:
                results[exp.id] = exp.run(stream)
            except Exception as err:  # noqa: BLE001 - recorded in the report
                results[exp.id] = err
            bar.write(f"{exp.id}: {time.perf_counter() - start:.1f} s")
    except KeyboardInterrupt:
        bar.write("interrupted: writing the report of what finished")
    return results


def claims_table(claims: Iterable[Claim]) -> str:
    """The claims table in Markdown, in catalogue order, then the ``X-`` rows.

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
        cells = (c.id, c.claim, c.theory, c.simulation, "yes" if c.agrees else "no", c.seed_holds)
        out.append(
            "| " + " | ".join(s.replace("|", "\\|").replace("\n", " ") for s in cells) + " |"
        )
    return "\n".join(out)


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
    lines += ["## Claims", "", claims_table(claims), ""]
    notes = [c for c in claims if c.note]
    if notes:
        lines += ["### Notes on the claims", ""]
        lines += [f"- **{c.id}** ({c.seed_holds}): {c.note}" for c in notes]
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
