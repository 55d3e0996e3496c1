"""``numpol groups``: a d-player group game of a classic family, in infinite and finite
populations.

The replicator's rest points (exact roots of the gain function, each with its slope and
stability; :func:`theory.group_games.group_rest_points`), then, in a population of ``--N``
individuals with hypergeometric groups (:mod:`dynamics.finite.groups`, Fermi ``--beta`` or
Moran ``--w``): the fixation probability of one cooperator among defectors and of one defector
among cooperators beside neutral ``1/N``, the small-mutation limit and, with ``--mu > 0``, the
full stationary distribution's mean cooperator share.

Families and their parameters (every number read as text by theory's numbers rule):

- ``public-goods``: ``--r`` (multiplication factor), ``--c`` (cost, default 1);
- ``stag-hunt``: ``--r``, ``--threshold``, ``--c``;
- ``snowdrift``: ``--b``, ``--c``;
- ``volunteers``: ``--b``, ``--c``;
- ``collective-risk``: ``--threshold``, ``--risk``, ``--c`` (fraction given, default 1/10),
  ``--b`` (endowment, default 1).

Examples (shell)::

    numpol groups public-goods --d 5 --r 3 --N 50
    numpol groups stag-hunt --d 5 --r 4 --threshold 3 --N 30 --mu 1/100 --json
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from dynamics.finite.groups import (
    group_fixation_probability,
    group_process,
    group_small_mutation_limit,
    group_stationary_distribution,
)
from numpol.errors import NumpolError
from theory import number
from theory.group_games import (
    GroupGame,
    collective_risk_game,
    group_rest_points,
    public_goods_game,
    snowdrift_game,
    stag_hunt_game,
    volunteers_dilemma,
)

__all__ = ["register", "run", "FAMILIES", "build_game"]

#: The families and the options each needs (beyond ``--d``).
FAMILIES: dict[str, tuple[str, ...]] = {
    "public-goods": ("r",),
    "stag-hunt": ("r", "threshold"),
    "snowdrift": ("b", "c"),
    "volunteers": ("b", "c"),
    "collective-risk": ("threshold", "risk"),
}


def register(sub: Any) -> None:  # Any: argparse's private _SubParsersAction
    """Add ``numpol groups`` to the subcommands ``sub``."""
    p = sub.add_parser("groups", help="d-player group games: rest points, fixation, stationary")
    p.add_argument("family", choices=sorted(FAMILIES))
    p.add_argument("--d", type=int, required=True, help="group size, at least 2")
    for name in ("r", "c", "b", "risk"):
        p.add_argument(f"--{name}", help=f"the family's parameter {name} (exact text)")
    p.add_argument("--threshold", type=int, help="cooperators needed (stag-hunt, collective-risk)")
    p.add_argument("--N", type=int, help="population size of the finite-population results")
    p.add_argument("--process", choices=("fermi", "moran"), default="fermi")
    p.add_argument("--beta", default="1", help="Fermi intensity of selection (default 1)")
    p.add_argument("--w", default="1/10", help="Moran intensity of selection (default 1/10)")
    p.add_argument("--mu", default="0", help="mutation rate of the full stationary law")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def build_game(args: argparse.Namespace) -> GroupGame:
    """The family's game from the parsed options (missing ones named in the error)."""
    missing = [f"--{k}" for k in FAMILIES[args.family] if getattr(args, k) is None]
    if missing:
        raise NumpolError(f"{args.family} needs {', '.join(missing)}")
    make: dict[str, Callable[[], GroupGame]] = {
        "public-goods": lambda: public_goods_game(args.d, r=args.r, c=args.c or 1),
        "stag-hunt": lambda: stag_hunt_game(
            args.d, r=args.r, threshold=args.threshold, c=args.c or 1
        ),
        "snowdrift": lambda: snowdrift_game(args.d, b=args.b, c=args.c),
        "volunteers": lambda: volunteers_dilemma(args.d, b=args.b, c=args.c),
        "collective-risk": lambda: collective_risk_game(
            args.d,
            threshold=args.threshold,
            risk=args.risk,
            c=args.c or "1/10",
            b=args.b or 1,
        ),
    }
    return make[args.family]()


def run(args: argparse.Namespace) -> int:
    """Run ``numpol groups`` with the parsed ``args``; return the exit status."""
    game = build_game(args)
    rest = [
        {"x": str(p.x), "x_float": float(p.x), "slope": str(p.slope), "stable": p.stable}
        for p in group_rest_points(game)
    ]
    out: dict[str, Any] = {"game": repr(game), "rest_points": rest}
    if args.N is not None:
        beta, w, mu = (
            number(v, flag)
            for v, flag in ((args.beta, "--beta"), (args.w, "--w"), (args.mu, "--mu"))
        )
        options: dict[str, Any] = {"beta": float(beta)} if args.process == "fermi" else {"w": w}
        process = group_process(game, args.N, rule=args.process, **options)
        rho_c = group_fixation_probability(process, 0, 1)
        rho_d = group_fixation_probability(process, 1, 0)
        sml = group_small_mutation_limit(process)
        finite: dict[str, Any] = {
            "N": args.N,
            "process": args.process,
            "fixation_cooperator": float(rho_c),
            "fixation_defector": float(rho_d),
            "neutral": 1 / args.N,
            "small_mutation_stationary": [float(v) for v in sml.stationary],
        }
        if mu != 0:
            full = group_process(game, args.N, rule=args.process, mu=mu, **options)
            pi = group_stationary_distribution(full)
            share = sum(float(p) * k / args.N for k, p in enumerate(pi))  # state k: k cooperators
            finite["mu"] = float(mu)
            finite["stationary_mean_cooperators"] = share
        out["finite"] = finite
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"{out['game']}: rest points of the replicator (x = share of cooperators)")
    for p in rest:
        print(f"  x = {p['x']} ({p['x_float']:.6f}): {'stable' if p['stable'] else 'unstable'}")
    if "finite" in out:
        f = out["finite"]
        print(f"finite population, N = {f['N']} ({f['process']}):")
        rho_c, neutral = f["fixation_cooperator"], f["neutral"]
        print(f"  fixation of one cooperator: {rho_c:.6e}  (neutral {neutral:.6g})")
        print(f"  fixation of one defector:   {f['fixation_defector']:.6e}")
        c, d = f["small_mutation_stationary"]
        print(f"  small-mutation limit: all cooperate {c:.6f}, all defect {d:.6f}")
        if "mu" in f:
            mean = f["stationary_mean_cooperators"]
            print(f"  mu = {f['mu']:g}: mean share of cooperators {mean:.6f}")
    return 0
