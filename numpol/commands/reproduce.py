"""``numpol reproduce``: run every experiment and write ``reports/``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from numpol.cliargs import positive_int, seed
from numpol.cluster import add_cluster_options, cluster_executor, run_experiments_on
from numpol.errors import NumpolError
from numpol.registry import experiments
from numpol.report import available_cpus, claims_summary, run_experiments, write_report

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``numpol reproduce`` to the subcommands ``sub``."""
    p = sub.add_parser("reproduce", help="run every experiment, write reports/, check the claims")
    p.add_argument("--out", type=Path, default=Path("reports"), help="report folder")
    p.add_argument("--only", default="", help="comma-separated experiment IDs (default: all)")
    p.add_argument("--seed", type=seed, default=20261123, help="master seed")
    p.add_argument("--list", action="store_true", help="list the experiments and exit")
    p.add_argument(
        "--jobs",
        type=positive_int,
        default=None,
        metavar="N",
        help="experiments run in N local worker processes, longest first (default: the CPUs "
        "available; 1 runs them here, one after another); the same report whatever N",
    )
    add_cluster_options(p)  # or on a dask cluster; the same report as a serial run
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``numpol reproduce`` with the parsed ``args``; return the exit status."""
    registry = experiments()
    if args.list:
        for exp in registry.values():
            print(f"{exp.id}\t{exp.title}")
        return 0
    chosen = list(registry.values())
    if args.only:
        wanted = [s.strip() for s in args.only.split(",") if s.strip()]
        if not wanted:
            raise NumpolError(f"--only names no experiment: {args.only!r}")
        unknown = [w for w in wanted if w not in registry]
        if unknown:
            raise NumpolError(f"unknown experiment(s) {unknown}; known: {sorted(registry)}")
        chosen = [registry[w] for w in wanted]
    if args.out.exists() and not args.out.is_dir():
        raise NumpolError(f"--out {str(args.out)!r} is a file, not a folder")
    try:  # before the experiments run, not after
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise NumpolError(f"cannot create --out {str(args.out)!r}: {err.strerror}") from None
    if args.jobs is not None and (args.workers is not None or args.scheduler is not None):
        raise NumpolError(
            "--jobs (worker processes here) and --workers/--scheduler (dask) exclude each other"
        )
    with cluster_executor(args) as executor:
        if executor is None:
            jobs = available_cpus() if args.jobs is None else args.jobs
            results = run_experiments(chosen, rng=args.seed, jobs=jobs)
        else:
            results = run_experiments_on(executor, chosen, rng=args.seed)
    outcome = write_report(results, args.out, planned=[exp.id for exp in chosen])
    if outcome.partial:  # Ctrl-C: what finished is written, marked partial; exit as interrupted
        print(
            f"numpol reproduce: interrupted: partial report ({len(results)} of {len(chosen)} "
            f"experiments) written to {outcome.path}",
            file=sys.stderr,
        )
        return 130
    bad = [c.id for c in outcome.claims if not c.agrees]
    print(f"report: {outcome.path}")
    print(f"claims: {claims_summary(outcome.claims)}")
    if outcome.missing and not args.only:
        print(f"catalogue IDs without a row: {', '.join(outcome.missing)}")
    if outcome.failed_experiments:
        print(f"experiments that failed: {', '.join(outcome.failed_experiments)}")
    partial_ok = not bad and not outcome.failed_experiments
    return 0 if (outcome.ok or (args.only and partial_ok)) else 1
