"""``numpol policy``: free market, US federal, Saez and the optimised schedule, compared."""

from __future__ import annotations

import argparse
import json
from typing import Any

from numpol.cliargs import seed
from numpol.errors import NumpolError
from theory import number
from theory.errors import TheoryError
from theory.policy.economy import DEFAULT_INCOMES, PRESETS
from theory.policy.principal import compare_baselines
from theory.policy.welfare import OBJECTIVES

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``numpol policy`` to the subcommands ``sub``."""
    p = sub.add_parser(
        "policy",
        help="compare free market, US federal, Saez and the optimised tax schedule",
        description="The AI Economist's comparison in a labour economy: N agents with skills "
        "calibrated to the given free-market incomes, US federal cut-offs in coins, "
        "post-tax-and-rebate coins scored on equality, productivity and eq·prod.",
    )
    p.add_argument(
        "--preset",
        default="ai_economist",
        choices=[*sorted(PRESETS), "all"],
        help="agent preferences (default: ai_economist)",
    )
    p.add_argument(
        "--objective",
        default="eq_times_prod",
        choices=sorted([*OBJECTIVES, "eta"]),
        help="the principal's objective",
    )
    p.add_argument("--eta", type=float, default=None, help="η for --objective eta")
    p.add_argument(
        "--incomes",
        default=",".join(f"{v:g}" for v in DEFAULT_INCOMES),
        help="comma-separated free-market incomes in coins (one per agent)",
    )
    p.add_argument(
        "--price-taking",
        action="store_true",
        help="agents ignore their own rebate share (default: Nash agents)",
    )
    p.add_argument("--maxiter", type=int, default=60, help="differential-evolution generations")
    p.add_argument("--seed", type=seed, default=0, help="optimiser seed")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``numpol policy`` with the parsed ``args``; return the exit status."""
    cells = [s.strip() for s in args.incomes.split(",") if s.strip()]
    try:  # read by theory's numbers rule: 0.1 is exactly 1/10
        incomes = [number(s, f"--incomes[{i}]") for i, s in enumerate(cells)]
    except TheoryError as err:
        raise NumpolError(
            f"--incomes must be comma-separated numbers, got {args.incomes!r}: {err}"
        ) from None
    if args.eta is not None and args.objective != "eta":
        raise NumpolError(
            f"--eta is the parameter of --objective eta; with --objective {args.objective} "
            "it would be ignored"
        )
    if args.maxiter < 1:
        raise NumpolError(f"--maxiter must be >= 1, got {args.maxiter}")
    names = sorted(PRESETS) if args.preset == "all" else [args.preset]
    report: list[dict[str, Any]] = []
    for name in names:
        out = compare_baselines(
            PRESETS[name],
            incomes=incomes,
            objective=args.objective,
            eta=args.eta,
            nash=not args.price_taking,
            maxiter=args.maxiter,
            rng=args.seed,
        )
        report.append(
            {
                "preset": name,
                "schedules": [
                    {
                        "name": o.name,
                        "cutoffs": [float(c) for c in o.schedule.cutoffs],
                        "rates": [float(r) for r in o.schedule.rates],
                        "incomes": o.equilibrium.income.tolist(),
                        "productivity": o.productivity,
                        "equality": o.equality,
                        "eq_times_prod": o.eq_times_prod,
                        "objective": o.objective,
                        "converged": o.equilibrium.converged,
                        "kkt_residual": o.equilibrium.kkt_residual,
                    }
                    for o in out
                ],
            }
        )
    if args.json:
        print(
            json.dumps(
                {
                    "objective": args.objective,
                    "eta": args.eta,
                    "incomes": [float(v) for v in incomes],
                    "nash": not args.price_taking,
                    "results": report,
                },
                indent=2,
            )
        )
        return 0
    for block in report:
        print(
            f"preset {block['preset']} (objective {args.objective}; free-market incomes "
            f"{', '.join(f'{float(v):g}' for v in incomes)} coins)"
        )
        head = f"  {'schedule':12s} {'prod':>8s} {'eq':>6s} {'eq·prod':>8s} {'objective':>10s}"
        print(head + "  rates %")
        for s in block["schedules"]:
            rates = " ".join(f"{100 * r:.0f}" for r in s["rates"])
            print(
                f"  {s['name']:12s} {s['productivity']:8.1f} {s['equality']:6.3f} "
                f"{s['eq_times_prod']:8.1f} {s['objective']:10.2f}  {rates}"
            )
    return 0
