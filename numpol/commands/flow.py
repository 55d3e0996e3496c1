"""``numpol flow``: integrate an evolutionary flow from one start, or map basins of attraction.

The game is either modal agents with a penalty (``--agents``, ``--eps``) or a payoff matrix read
from a file (``--matrix``: one row per line, entries separated by commas or spaces, each an
integer, a fraction like ``19/10`` or a decimal, each read exactly, or an expression in
parameters such as ``(V-C)/2`` whose values ``--param V=2 --param C=3`` give; or a ``.json``
file as for ``numpol equilibria``).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from dynamics.basins import UNDECIDED_SHARE, BasinSizes, basin_sizes, classify_fates
from dynamics.errors import UndecidedWarning
from dynamics.flows import DYNAMICS, as_states, game_matrix
from dynamics.integrate import integrate
from dynamics.longrun import ALMOST_ALL, recurrence_period, time_share, vertex_itinerary
from modal import SEED_AGENTS, UnknownAgentError
from numpol.cliargs import (
    BASE_HELP,
    add_param_option,
    base_option,
    game_at,
    modal_environment,
    plot_file,
    read_text,
    seed,
)
from numpol.cluster import add_cluster_options, cluster_executor
from numpol.commands.equilibria import matrix
from numpol.commands.equilibria import read_matrix as read_game
from numpol.errors import NumpolError
from theory import number
from theory.errors import TheoryError
from theory.games import Game
from theory.modal_game import modal_game

__all__ = [
    "register",
    "run",
    "read_matrix",
    "symmetric_game",
    "RECURRENCE_RADIUS",
    "PLOT_STARTS",
    "BASIN_CHUNK",
]

#: An orbit that comes back within this (max norm) of its final state is reported periodic.
RECURRENCE_RADIUS = 1e-3
#: A basin map (``--basins N --plot``) shows the first this many starts: the counts stream,
#: the points drawn are kept, and more than 10**5 dots make no better picture.
PLOT_STARTS = 100_000
#: Starts per basin task, here and on a cluster alike (the same tasks give the same fates).
BASIN_CHUNK = 500


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``numpol flow`` to the subcommands ``sub``."""
    p = sub.add_parser("flow", help="evolutionary flows: one orbit, or basins of attraction")
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "--agents",
        default=",".join(a.name for a in SEED_AGENTS),
        help="comma-separated modal agents (default: the seed's four)",
    )
    g.add_argument(
        "--matrix",
        type=Path,
        help="payoff matrix file (rows of numbers or expressions such as (V-C)/2 with --param, or "
        "JSON as for equilibria)",
    )
    p.add_argument("--defs", type=Path, help="file of agent definitions 'Name := formula'")
    p.add_argument("--eps", help="modelling penalty per unit depth (default 1/10)")
    add_param_option(p)
    p.add_argument("--base", help=BASE_HELP)
    p.add_argument("--dynamic", default="replicator", choices=sorted(DYNAMICS))
    p.add_argument("--eta", type=float, default=10.0, help="logit: inverse noise level")
    start = p.add_mutually_exclusive_group()
    start.add_argument("--x0", help="initial shares, comma-separated (default: uniform)")
    start.add_argument(
        "--basins",
        type=int,
        metavar="N",
        help="classify N random interior starts (streamed: any N; Ctrl-C reports partial counts)",
    )
    p.add_argument("--t", type=float, default=200.0, help="final time")
    p.add_argument(
        "--t-max",
        type=float,
        help="--basins: where more than --undecided of the starts are undecided at --t, run "
        "them again with the time doubled up to this (default 8 × --t; --t-max = --t: never)",
    )
    p.add_argument(
        "--undecided",
        type=float,
        default=UNDECIDED_SHARE,
        help=f"--basins: the share of undecided starts that is too many (default "
        f"{UNDECIDED_SHARE:g}): the time is extended, and a warning given if that does not help",
    )
    p.add_argument("--seed", type=seed, default=0, help="seed for --basins")
    p.add_argument(
        "--plot",
        type=Path,
        help="write an image, format from the suffix (portrait/orbit, or basin map of the first "
        f"{PLOT_STARTS} starts)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    add_cluster_options(p)  # where --basins runs
    p.set_defaults(func=run)


def read_matrix(path: Path) -> np.ndarray:
    """A payoff matrix from a text file: one row per line, commas or spaces between entries.

    Every entry is read as text by theory's numbers rule (``0.1`` is exactly 1/10). A ``.json``
    file is read as by ``numpol equilibria --matrix``; it must be one matrix (a symmetric game),
    not a pair ``{"A": ..., "B": ...}`` of different ones.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = f.write_text("0 1\\n1/2, 0.25\\n")
    >>> read_matrix(f).tolist()
    [[0, 1], [Fraction(1, 2), Fraction(1, 4)]]
    """
    if path.suffix.lower() == ".json":
        game = read_game(path)
        if not game.is_symmetric:
            raise NumpolError(
                f"--matrix {str(path)!r}: a flow needs one matrix (a symmetric game), "
                "not two different matrices A and B"
            )
        return np.asarray(game.A)
    text = read_text(path, "--matrix")
    rows = []
    for k, line in enumerate(text.splitlines(), 1):
        line = line.split("#")[0].strip()
        if line:
            cells = line.split(",") if "," in line else line.split()  # "(V - C)/2, V"
            rows.append((k, [c.strip() for c in cells]))
    if not rows:
        raise NumpolError(f"--matrix {str(path)!r} holds no rows")
    return matrix(rows, f"--matrix {str(path)!r}")


def symmetric_game(args: argparse.Namespace) -> tuple[Any, list[str]]:
    """The symmetric game of ``--matrix`` or of modal ``--agents`` (with ``--eps``, ``--defs``,
    ``--base``), and its strategies' names: what ``numpol flow`` and ``numpol finite`` read."""
    base = base_option(args)
    if args.matrix is not None:
        if args.eps is not None:
            raise NumpolError("--eps is the penalty of modal agents (--agents), not of --matrix")
        A = read_matrix(args.matrix)
        game = game_at(Game.symmetric(A), args.param, f"--matrix {str(args.matrix)!r}")
        return np.asarray(game.A), [f"s{i}" for i in range(len(A))]
    if args.param:
        raise NumpolError("--param gives values to the parameters of a --matrix file's entries")
    names = [n.strip() for n in args.agents.split(",") if n.strip()]
    if len(names) < 2:
        raise NumpolError("--agents must name at least two agents")
    env = modal_environment(args.defs)
    try:
        agents = [env[n] for n in names]
    except KeyError as err:
        raise UnknownAgentError(str(err.args[0]), "--agents") from None
    try:  # the one check of eps, where the game is made
        eps = "1/10" if args.eps is None else args.eps
        return modal_game(agents, eps, base=base, env=env), names
    except TheoryError as err:
        raise NumpolError(f"--eps: {err}") from None


def _x0(args: argparse.Namespace, n: int) -> np.ndarray:
    if args.x0 is None:
        return np.full((1, n), 1.0 / n)
    cells = [t.strip() for t in args.x0.split(",") if t.strip()]
    try:  # shares for a float integrator, read by the numbers rule
        vals = [float(number(t, f"--x0[{i}]")) for i, t in enumerate(cells)]
    except TheoryError as err:
        raise NumpolError(str(err)) from None
    return as_states(vals, n, name="--x0")


def run(args: argparse.Namespace) -> int:
    """Run ``numpol flow`` with the parsed ``args``; return the exit status."""
    if args.plot is not None:
        plot_file(args.plot, "--plot")
    if not (math.isfinite(args.eta) and args.eta >= 0):
        raise NumpolError(f"--eta is an inverse noise level, a finite number >= 0, got {args.eta}")
    A, names = symmetric_game(args)
    M = game_matrix(A)
    n = M.shape[0]
    params = {"eta": args.eta} if args.dynamic == "logit" else {}
    if args.basins is not None:
        if args.basins < 1:
            raise NumpolError(f"--basins must be a positive integer, got {args.basins}")
        if n < 2:
            raise NumpolError(f"--basins needs at least 2 strategies, the game has {n}")
        if args.plot is not None and n < 3:  # checked before the run, not after
            raise NumpolError(
                f"--plot with --basins needs at least three strategies, the game has {n}"
            )
        return _basins(args, M, names, params)
    x0 = _x0(args, n)
    tr = integrate(M, x0, args.t, dynamic=args.dynamic, n_out=2001, **params)
    if tr.interrupted:  # Ctrl-C inside the integration: no orbit to report
        raise KeyboardInterrupt
    if not tr.success[0]:  # its outputs after t_reached are NaN
        raise NumpolError(
            f"the {args.dynamic} orbit ran out of integration steps at t = "
            f"{tr.t_reached[0]:.4g} of --t {args.t:g}; try a shorter --t"
        )
    verdict = classify_fates(M, x0, args.t, names=names, dynamic=args.dynamic, **params).fates[0]
    orbit = tr.x[0]
    fate = str(verdict)
    if verdict.kind == "undecided":
        period = recurrence_period(orbit, tr.t, radius=RECURRENCE_RADIUS)
        if period is not None:
            fate = f"periodic (returns within {RECURRENCE_RADIUS:g} after t = {period:.4g})"
    itinerary = [names[i] for i in vertex_itinerary(orbit)]
    shares = {nm: time_share(orbit, tr.t, i, share=ALMOST_ALL) for i, nm in enumerate(names)}
    if args.plot is not None:
        _plot_orbit(M, tr, names, args.plot, args.dynamic)
    out = {
        "names": names,
        "dynamic": args.dynamic,
        "t": args.t,
        "x0": x0[0].tolist(),
        "final": orbit[-1].tolist(),
        "time_average": tr.mean[0].tolist(),
        "fate": fate,
        "itinerary": itinerary,
        "time_share_above_0.99": shares,
    }
    if args.json:
        print(json.dumps(out))
    else:
        w = max(len(s) for s in names) + 2
        print(f"{args.dynamic}, t = {args.t:g}; fate: {fate}")
        print(
            "".ljust(w)
            + "x0".rjust(12)
            + "final".rjust(14)
            + "average".rjust(12)
            + "time > 0.99".rjust(13)
        )
        for i, nm in enumerate(names):
            print(
                nm.ljust(w) + f"{x0[0, i]:12.6f}{orbit[-1, i]:14.6g}{tr.mean[0, i]:12.6f}"
                f"{shares[nm]:13.4f}"
            )
        print("vertices visited: " + (" → ".join(itinerary) if itinerary else "none"))
    return 0


def _basins(args: argparse.Namespace, M: np.ndarray, names: list[str], params: Any) -> int:
    """``--basins N``: counts streamed (memory flat in N). After Ctrl-C the finished chunks'
    counts are printed, marked partial (and ``"complete": false`` in the JSON), exit 130."""
    n = M.shape[0]
    keep = min(args.basins, PLOT_STARTS) if args.plot is not None else 0
    if not 0 <= args.undecided <= 1:
        raise NumpolError(f"--undecided must be a share in [0, 1], got {args.undecided:g}")
    if args.t_max is not None and not (math.isfinite(args.t_max) and args.t_max >= args.t):
        raise NumpolError(f"--t-max must be a finite time >= --t {args.t:g}, got {args.t_max:g}")
    with cluster_executor(args) as executor, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UndecidedWarning)
        b: BasinSizes = basin_sizes(
            M,
            args.basins,
            args.t,
            rng=args.seed,
            names=names,
            dynamic=args.dynamic,
            executor=executor,
            chunk=BASIN_CHUNK,
            keep=keep,
            progress=sys.stderr.isatty(),
            undecided=args.undecided,
            t_max=args.t_max,
            **params,
        )
    for w in caught:  # one line, not a warnings traceback
        if issubclass(w.category, UndecidedWarning):
            print(f"numpol flow: warning: {w.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    h = b.horizon
    rows = b.table() if b.starts else []
    if b.complete and b.sample is not None and args.plot is not None:
        _plot_basins(b.sample, names, n, args.plot)
    if args.json:
        print(
            json.dumps(
                {
                    "names": names,
                    "t": args.t,
                    "dynamic": args.dynamic,
                    "starts": b.starts,
                    "requested": b.requested,
                    "complete": b.complete,
                    "horizon": None
                    if h is None
                    else {
                        "requested": h.requested,
                        "reached": h.reached,
                        "t_max": h.t_max,
                        "undecided": h.undecided,
                        "limit": h.limit,
                        "extended": h.extended,
                        "sure": h.sure,
                    },
                    "fates": [
                        {"fate": str(f), "count": c, "fraction": p, "ci95": [lo, hi]}
                        for f, c, p, lo, hi in rows
                    ],
                }
            )
        )
    elif b.complete:
        print(f"{b.starts} random interior starts, {args.dynamic}, t = {args.t:g}")
    else:
        print(
            f"PARTIAL (interrupted): {b.starts} of {b.requested} random interior starts "
            f"classified, {args.dynamic}, t = {args.t:g}"
        )
    if not args.json:
        for f, c, p, lo, hi in rows:
            print(f"  {str(f):<28} {c:>7}  {p:.4f}  95% CI [{lo:.4f}, {hi:.4f}]")
        if h is not None:
            print(f"{h}" + ("" if h.sure else " (UNSURE)"))
    if not b.complete:
        print(
            f"numpol flow: interrupted after {b.starts} of {b.requested} starts"
            + ("; no plot written" if args.plot is not None else ""),
            file=sys.stderr,
        )
        return 130
    return 0


def _plot_orbit(M: np.ndarray, tr: Any, names: list[str], path: Path, dynamic: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dynamics.plots.simplex import plot_shares, plot_simplex_flow, plot_tetrahedron

    n = M.shape[0]
    fig = plt.figure(figsize=(11, 4.5))
    if n == 2:
        from dynamics.plots.line import plot_line_flow

        ax = fig.add_subplot(1, 2, 1)
        plot_line_flow(M, ax=ax, labels=names, dynamic=dynamic, trajectories=tr.x)
    elif n == 3:
        ax = fig.add_subplot(1, 2, 1)
        plot_simplex_flow(M, ax=ax, labels=names, dynamic=dynamic, trajectories=tr.x)
    elif n == 4:
        ax = fig.add_subplot(1, 2, 1, projection="3d")
        plot_tetrahedron(tr.x, ax=ax, labels=names)
    plot_shares(tr.t, tr.x[0], ax=fig.add_subplot(1, 2, 2 if n in (2, 3, 4) else 1), labels=names)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def _plot_basins(b: Any, names: list[str], n: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dynamics.plots.simplex import plot_basin_map

    fig, ax = plt.subplots(figsize=(5.5, 4.8))
    plot_basin_map(b.starts, b.fates, ax=ax, labels=names, face=(0, 1, 2) if n == 3 else (0, 2, 3))
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
