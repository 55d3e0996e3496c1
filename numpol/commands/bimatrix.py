"""``numpol bimatrix``: two populations playing a bimatrix game (A, B).

The rest points of the two-population replicator (exact for exact payoffs), each with its
Jacobian's eigenvalues and kind (:mod:`theory.two_populations`); with ``--basins K``, the fates
of ``K`` random starts ``(x, y)`` (:func:`dynamics.basins.two_population_basin_sizes`) with
95 % Wilson intervals.

The game is ``--matrix`` (a CSV file of A, or a JSON file ``{"A": ..., "B": ...}`` as for
``numpol equilibria``) and ``--matrix-b`` (a CSV file of B; default: B of the JSON file, or
``A.T``, the symmetric game played by two populations).

Examples (shell)::

    numpol bimatrix --matrix pennies.json
    numpol bimatrix --matrix A.csv --matrix-b B.csv --basins 10000 --json
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

import numpy as np

from dynamics.basins import two_population_basin_sizes
from numpol.cliargs import read_text, seed
from numpol.commands.equilibria import matrix, read_matrix
from numpol.errors import NumpolError
from theory.games import Game
from theory.two_populations import (
    classify_two_population_rest_point,
    two_population_rest_points,
)

__all__ = ["register", "run", "read_bimatrix"]


def register(sub: Any) -> None:  # Any: argparse's private _SubParsersAction
    """Add ``numpol bimatrix`` to the subcommands ``sub``."""
    p = sub.add_parser("bimatrix", help="two populations: rest points, stability, basins")
    p.add_argument("--matrix", type=Path, required=True, help="CSV of A, or JSON {A, B}")
    p.add_argument("--matrix-b", type=Path, help="CSV of B (default: the JSON's B, or A.T)")
    p.add_argument("--dynamic", default="replicator", help="the flow of --basins")
    p.add_argument("--basins", type=int, help="fates of this many random starts (x, y)")
    p.add_argument("--t-end", type=float, default=50.0, help="horizon of --basins (50)")
    p.add_argument("--seed", type=seed, default=0, help="seed for --basins")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def _csv(path: Path, flag: str) -> np.ndarray:
    """One matrix of any shape from a CSV file, every entry read by theory's numbers rule."""
    uncommented = [line.split("#", 1)[0] for line in read_text(path, flag).splitlines()]
    lines = list(enumerate(csv.reader(uncommented), 1))
    rows = [(k, [c.strip() for c in r]) for k, r in lines if r and any(c.strip() for c in r)]
    return matrix(rows, f"{flag} {str(path)!r}")


def read_bimatrix(path: Path, path_b: Path | None) -> Game:
    """The game of ``--matrix`` and ``--matrix-b`` (see the module docstring)."""
    if path.suffix.lower() == ".json":
        if path_b is not None:
            raise NumpolError("--matrix-b goes with a CSV --matrix; a JSON file holds A and B")
        return read_matrix(path)
    A = _csv(path, "--matrix")
    B = A.T if path_b is None else _csv(path_b, "--matrix-b")
    if B.shape != A.shape:
        raise NumpolError(
            f"--matrix-b has shape {B.shape} but --matrix {A.shape}: A and B must match"
        )
    return Game(A, B)


def run(args: argparse.Namespace) -> int:
    """Run ``numpol bimatrix`` with the parsed ``args``; return the exit status."""
    game = read_bimatrix(args.matrix, args.matrix_b)
    m, n = game.shape
    points = []
    for p in two_population_rest_points(game):
        s = classify_two_population_rest_point(game, p.x, p.y)
        points.append(
            {
                "x": [str(v) for v in p.x],
                "y": [str(v) for v in p.y],
                "payoffs": [str(v) for v in p.payoffs],
                "eigenvalues": [str(v) for v in s.eigenvalues],
                "kind": s.kind,
            }
        )
    out: dict[str, Any] = {"shape": [m, n], "rest_points": points}
    if args.basins is not None:
        if args.basins < 1:
            raise NumpolError(f"--basins must be a positive integer, got {args.basins}")
        b = two_population_basin_sizes(
            game, args.basins, args.t_end, rng=args.seed, dynamic=args.dynamic
        )
        out["basins"] = {
            "starts": b.starts,
            "t_end": b.t_end,
            "fates": [
                {"fate": str(f), "count": c, "share": p, "wilson95": [lo, hi]}
                for f, c, p, lo, hi in b.table()
            ],
        }
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"two populations, {m} x {n} game: rest points of the replicator")
    for point in points:
        print(
            f"  x = ({', '.join(point['x'])}), y = ({', '.join(point['y'])}): {point['kind']}, "
            f"eigenvalues {', '.join(point['eigenvalues']) or '-'}"
        )
    if "basins" in out:
        info = out["basins"]
        print(f"basins of {info['starts']} random starts ({args.dynamic}, t = {info['t_end']:g}):")
        for row in info["fates"]:
            lo, hi = row["wilson95"]
            print(f"  {row['fate']:<28} {row['count']:>8}  {row['share']:.4f} [{lo:.4f}, {hi:.4f}]")
    return 0
