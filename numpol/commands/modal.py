"""``numpol modal``: outcomes, tables and world-by-world explanations of modal agents."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from modal import (
    SEED_AGENTS,
    Agent,
    UnknownAgentError,
    depth,
    explain,
    outcome,
    outcome_matrix,
)
from numpol.cliargs import modal_environment
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
    common(q)
    q.set_defaults(func=_table)


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
        pay = modal_game(agents, args.eps, env=env)
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
