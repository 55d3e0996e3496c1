"""``numpol modal``: outcomes, tables, world-by-world explanations, and evolution of modal agents.

``numpol modal evolve`` runs :func:`dynamics.modal_evolution.modal_evolution` on a pool: by
default the literature's agents and one witness of every depth-1 behaviour against the seed's
agents (the pool of the ``modal-evolution`` experiment), or ``--agents`` (with ``--defs``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from modal import (
    SEED_AGENTS,
    Agent,
    UnknownAgentError,
    depth,
    explain,
    outcome,
    outcome_matrix,
)
from numpol.cliargs import BASE_HELP, base_option, modal_environment, plot_file, seed
from numpol.errors import NumpolError
from theory.errors import TheoryError
from theory.modal_game import modal_game

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``numpol modal`` to the subcommands ``sub``."""
    p = sub.add_parser("modal", help="modal agents: outcomes, tables, explanations")
    msub = p.add_subparsers(dest="modal_command", required=True)

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--defs", type=Path, help="file of agent definitions 'Name := formula'")
        q.add_argument("--json", action="store_true", help="print JSON")

    q = msub.add_parser("outcome", help="the moves of two agents against each other")
    q.add_argument("a")
    q.add_argument("b")
    common(q)
    q.set_defaults(func=_outcome)

    q = msub.add_parser("explain", help="the world-by-world table of a match")
    q.add_argument("a")
    q.add_argument("b")
    common(q)
    q.set_defaults(func=_explain)

    q = msub.add_parser("table", help="outcome, depth and payoff tables")
    q.add_argument("--agents", default=",".join(a.name for a in SEED_AGENTS))
    q.add_argument("--eps", default="1/10", help="modelling penalty per unit depth (e.g. 1/10)")
    q.add_argument("--base", help=BASE_HELP)
    common(q)
    q.set_defaults(func=_table)

    q = msub.add_parser(
        "evolve",
        help="evolution among many agents: invasion, survivors, finite populations, per eps",
    )
    q.add_argument(
        "--agents",
        help="comma-separated agents (default: the library and every depth-1 behaviour "
        "against the seed's agents)",
    )
    q.add_argument("--eps", default="1/3,1/10,1/20", help="penalties, comma-separated")
    q.add_argument("--starts", type=int, default=100, help="replicator runs per eps")
    q.add_argument("--horizon", type=float, default=40.0, help="run length in units of 1/eps")
    q.add_argument("--N", type=int, default=30, help="finite population size (Fermi process)")
    q.add_argument("--beta", type=float, default=1.0, help="Fermi imitation intensity")
    q.add_argument("--seed", type=seed, default=0, help="seed of the random starts")
    q.add_argument("--plot", type=Path, help="write the survivors-against-eps heat map here")
    common(q)
    q.set_defaults(func=_evolve)


def _env(args: argparse.Namespace) -> dict[str, Agent]:
    return modal_environment(args.defs)


def _agent(name: str, env: dict[str, Agent]) -> Agent:
    try:
        return env[name]
    except KeyError:
        raise UnknownAgentError(name, "the command line") from None


def _outcome(args: argparse.Namespace) -> int:
    env = _env(args)
    a, b = _agent(args.a, env), _agent(args.b, env)
    ma, mb = outcome(a, b, env)
    if args.json:
        print(json.dumps({"a": a.name, "b": b.name, "moves": [ma.value, mb.value]}))
    else:
        print(f"{a.name}: {ma.value}   {b.name}: {mb.value}")
    return 0


def _explain(args: argparse.Namespace) -> int:
    env = _env(args)
    ex = explain(_agent(args.a, env), _agent(args.b, env), env)
    if args.json:
        print(
            json.dumps(
                {
                    "sentences": [f"{x}>{y}" for x, y in ex.sentences],
                    "worlds": [[m.value for m in row] for row in ex.worlds],
                    "stable_from": ex.stable_from,
                    "box_count": ex.box_count,
                }
            )
        )
    else:
        print(ex.table())
    return 0


def _table(args: argparse.Namespace) -> int:
    env = _env(args)
    agents = [_agent(n.strip(), env) for n in args.agents.split(",") if n.strip()]
    if not agents:
        raise NumpolError("--agents names no agent")
    moves = outcome_matrix(agents, env)
    try:  # the one check of eps, where the game is made
        pay = modal_game(agents, args.eps, base=base_option(args), env=env)
    except TheoryError as err:
        raise NumpolError(f"--eps: {err}") from None
    names = [a.name for a in agents]
    depths = [depth(a, env) for a in agents]
    if args.json:
        print(
            json.dumps(
                {
                    "agents": names,
                    "depths": depths,
                    "eps": args.eps,
                    "outcomes": [[a.value + b.value for a, b in row] for row in moves],
                    "payoffs": [[str(v) for v in row] for row in pay],
                }
            )
        )
        return 0
    width = max(len(n) for n in names) + 2
    print("outcomes (row's move, column's move)")
    print(" " * width + "".join(n.ljust(width) for n in names))
    for n, row in zip(names, moves, strict=True):
        print(n.ljust(width) + "".join((a.value + b.value).ljust(width) for a, b in row))
    print("\ndepths: " + ", ".join(f"{n} {d}" for n, d in zip(names, depths, strict=True)))
    print(f"\npayoffs to the row player, eps = {args.eps}")
    print(" " * width + "".join(n.ljust(width) for n in names))
    for n, row in zip(names, pay, strict=True):
        print(n.ljust(width) + "".join(str(v).ljust(width) for v in row))
    return 0


def _evolve(args: argparse.Namespace) -> int:
    from dynamics.errors import DynamicsError
    from dynamics.modal_evolution import agent_pool, modal_evolution
    from modal import LIBRARY
    from modal.behaviours import depth1_behaviours

    if args.plot is not None:
        plot_file(args.plot, "--plot")
    env = _env(args)
    if args.agents:
        agents = [_agent(n.strip(), env) for n in args.agents.split(",") if n.strip()]
    else:
        agents = [*LIBRARY.values(), *depth1_behaviours(SEED_AGENTS).agents()]
    eps = [e.strip() for e in args.eps.split(",") if e.strip()]
    try:
        pool = agent_pool(agents, env=env)
        ev = modal_evolution(
            pool,
            eps,
            starts=args.starts,
            horizon=args.horizon,
            population=args.N,
            beta=args.beta,
            progress=not args.json,
            rng=args.seed,
        )
    except DynamicsError as err:
        flag = next(
            (f for f in ("eps", "starts", "horizon", "population", "beta") if f in str(err)), ""
        )
        name = {"population": "N", "": "agents"}.get(flag, flag)
        raise NumpolError(f"--{name}: {err}") from None
    except TheoryError as err:
        raise NumpolError(f"--eps: {err}") from None
    rows: list[dict[str, Any]] = []
    for k, e in enumerate(ev.eps):
        p, lo, hi = ev.defect_trapped[k]
        inv = ev.invasion[k]
        mixture = {
            i
            for i, group in enumerate(pool.members)
            if {"CooperateBot", "FairBot", "PrudentBot"} & set(group)
        }
        outside = [i for i in range(len(pool)) if i not in mixture] or list(range(len(pool)))
        best = max(outside, key=lambda i: inv[i])
        st = ev.stationary[k]
        rows.append(
            {
                "eps": str(e),
                "defect_basin": [p, lo, hi],
                "survivors": list(ev.survivors(k)),
                "survival": {n: float(v) for n, v in zip(pool.names, ev.survival[k], strict=True)},
                "invaders": [n for n, v in zip(pool.names, inv, strict=True) if v > 0],
                "best_entrant": [pool.names[best], str(inv[best])],
                "finite_top": [[pool.names[i], float(st[i])] for i in st.argsort()[::-1][:5]],
            }
        )
    if args.plot is not None:
        import matplotlib.pyplot as plt

        from dynamics.plots.modal_evolution import plot_survivors

        drawn = int((ev.survival.max(axis=0) > 0).sum())  # the rows plot_survivors draws
        fig, ax = plt.subplots(
            figsize=(1.2 * len(ev.eps) + 4, 0.35 * drawn + 1.5), layout="constrained"
        )
        plot_survivors([str(e) for e in ev.eps], ev.survival, pool.names, ax=ax)
        fig.savefig(args.plot, dpi=120)
        plt.close(fig)
    if args.json:
        print(json.dumps({"strategies": list(pool.members), "by_eps": rows}))
        return 0
    print(f"{len(agents)} agents, {len(pool)} distinct strategies; {args.starts} runs per eps")
    for r in rows:
        p, lo, hi = r["defect_basin"]
        print(f"\neps {r['eps']}: DefectBot basin {p:.3f} [{lo:.3f}, {hi:.3f}] (95% Wilson)")
        print(f"  survive in half the runs: {', '.join(r['survivors']) or 'none'}")
        print(
            f"  invaders of the good equilibrium: {', '.join(r['invaders']) or 'none'} "
            f"(best entrant outside it {r['best_entrant'][0]}, fitness {r['best_entrant'][1]})"
        )
        top = ", ".join(f"{n} {v:.3f}" for n, v in r["finite_top"])
        print(f"  finite population (N = {args.N}), long-run time: {top}")
    return 0
