"""Run experiments and write the reproduction report (Markdown + PNG) to a folder."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from numpol.catalogue import CATALOGUE
from numpol.registry import Claim, Experiment, Result

__all__ = ["run_experiments", "write_report", "ReportOutcome", "claims_table"]


@dataclass(frozen=True)
class ReportOutcome:
    """What a reproduction produced: the report's path, its claims, and the IDs without a row."""

    path: Path
    claims: tuple[Claim, ...]
    missing: tuple[str, ...]
    failed_experiments: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when every claim agrees, every catalogue ID has a row and no experiment crashed."""
        return (
            all(c.agrees for c in self.claims) and not self.missing and not self.failed_experiments
        )


def run_experiments(
    exps: Iterable[Experiment], *, rng: int | np.random.Generator | None = 0
) -> dict[str, Result | BaseException]:
    """Run each experiment with its own spawned stream; a crash is recorded, not raised.

    An interrupt (Ctrl-C) stops the loop and keeps what finished.
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


def write_report(results: dict[str, Result | BaseException], folder: Path) -> ReportOutcome:
    """Write ``folder/report.md`` and the figures as PNG; return what it found."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    lines = ["# numerical-politics: reproduction report", ""]
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
    path = folder / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return ReportOutcome(path, tuple(claims), missing, tuple(failed))
