"""``numpol equilibria``: all equilibria of a game from a CSV/JSON file or of modal agents.

Examples (shell)::

    numpol equilibria                                  # the seed's four agents at ε = 1/10
    numpol equilibria --eps symbolic                   # symbolic in ε, with exact regions
    numpol equilibria --matrix game.csv --method vertex --json
    numpol equilibria --matrix big.csv --budget 60      # what is found in a minute

Every number is read as text and is the rational it spells (``0.1`` is 1/10, in a file as in
``--eps``), so the default solver is the exact one; ``--method vertex`` (or ``support``,
``lemke_howson``) asks for nashpy's float solvers, whose equilibria are verified (see
:func:`theory.equilibria.equilibria`). A degenerate game's equilibria are also grouped into
their connected components. A long enumeration shows a progress bar on a terminal's stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import sympy

from numpol.cliargs import (
    BASE_HELP,
    add_param_option,
    base_option,
    expression,
    game_at,
    modal_environment,
    read_text,
)
from numpol.errors import NumpolError
from theory import number
from theory.best_response import as_rows, best_responses
from theory.equilibria import METHODS, equilibria, symbolic_equilibria
from theory.errors import PayoffValueError, TheoryError
from theory.games import Game, as_game, payoff_matrix
from theory.modal_game import modal_game

__all__ = ["register", "run", "matrix", "read_matrix"]

EPS = sympy.Symbol("epsilon", positive=True)

#: In the text output a float probability below this is round-off and not listed (nashpy's
#: equilibria are accurate to ~1e-12 for payoffs O(1..10)); ``--json`` keeps every entry.
FLOAT_ZERO = 1e-12


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``numpol equilibria`` to the subcommands ``sub``."""
    p = sub.add_parser("equilibria", help="Nash equilibria: exact, float (nashpy) or symbolic")
    src = p.add_mutually_exclusive_group()
    src.add_argument(
        "--matrix",
        type=Path,
        help="CSV (one row per line, # comments; the symmetric game (A, A^T)) or JSON: [[...]] or "
        '{"A": [[...]], "B": [[...]]}; entries like 3, 1/2, 0.25 or '
        "expressions in parameters such as (V-C)/2 (values: --param)",
    )
    src.add_argument("--agents", help="comma-separated modal agents (default: the seed's four)")
    p.add_argument("--eps", help="modelling penalty for --agents (default 1/10), or 'symbolic'")
    p.add_argument("--base", help=BASE_HELP)
    p.add_argument("--defs", type=Path, help="file of agent definitions 'Name := formula'")
    p.add_argument(
        "--method",
        choices=sorted(METHODS),
        help="default: exact (every number is read exactly: 0.1 is 1/10); vertex, support or "
        "lemke_howson solve in floats with nashpy",
    )
    p.add_argument(
        "--budget",
        help="seconds to spend; when spent, print what was found so far, marked incomplete "
        "(needed for games too large to enumerate completely)",
    )
    add_param_option(p)
    p.add_argument("--best-responses", action="store_true", help="also print the best replies")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def matrix(rows: list[tuple[int, list[str]]], where: str) -> np.ndarray:
    """The payoff matrix in the text cells of a file, each read by theory's numbers rule, or
    an expression in parameters (:func:`numpol.cliargs.expression`).

    `rows` holds ``(line number, cells)``; an entry that is neither is reported with the file
    and line it came from (`where` names the file).

    Examples
    --------
    >>> matrix([(1, ["0.5", "1/3"]), (2, ["2", "1e-3"])], "--matrix 'g.csv'").tolist()
    [[Fraction(1, 2), Fraction(1, 3)], [2, Fraction(1, 1000)]]
    """
    if not rows:
        raise NumpolError(f"{where} is empty")
    cells = [[_cell(c, f"{where} line {k}") for c in r] for k, r in rows]
    try:
        return payoff_matrix(cells)
    except PayoffValueError as err:
        index = getattr(err, "index", None)
        if index is None:
            raise NumpolError(f"{where}: {err}") from None
        k, cells = rows[index[0]]
        hint = " (separate entries with commas)" if any(len(c.split()) > 1 for c in cells) else ""
        raise NumpolError(f"{where} line {k}: {err}{hint}") from None


def _cell(text: str, where: str) -> Any:
    """One cell by :func:`numpol.cliargs.expression`, with a hint for space-separated entries."""
    try:
        return expression(text, where)
    except NumpolError as err:
        hint = " (separate entries with commas)" if len(text.split()) > 1 else ""
        raise NumpolError(f"{err}{hint}") from None


def read_matrix(path: Path) -> Game:
    """The game in a CSV or JSON file (see ``numpol equilibria --help``).

    Every number is read as text, so ``0.1`` is exactly 1/10 in both formats.
    """
    text = read_text(path, "--matrix")
    where = f"--matrix {str(path)!r}"
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text, parse_float=str)  # decimals as text: exact by the rule
        except json.JSONDecodeError as err:
            raise NumpolError(f"{where} is not valid JSON: {err}") from None
        if isinstance(data, dict) and "A" not in data:
            raise NumpolError(f"{where}: a JSON object needs the key 'A'")
        unknown = sorted(set(data) - {"A", "B"}) if isinstance(data, dict) else []
        if unknown:
            raise NumpolError(
                f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; a JSON object has "
                "'A' (the row player's payoffs) and optionally 'B' (the column player's)"
            )
        A, B = (data["A"], data.get("B")) if isinstance(data, dict) else (data, None)
        A, B = _expressions(A, where), _expressions(B, where)
        try:
            return as_game(A if B is None else (A, B))
        except TheoryError as err:
            raise NumpolError(f"{where}: {err}") from None
    uncommented = [line.split("#", 1)[0] for line in text.splitlines()]  # as numpol flow
    lines = list(enumerate(csv.reader(uncommented), 1))
    rows = [(k, [c.strip() for c in r]) for k, r in lines if r and any(c.strip() for c in r)]
    return as_game(matrix(rows, where))


def _expressions(cells: Any, where: str) -> Any:
    """A JSON matrix with its text entries read as numbers or expressions (others unchanged)."""
    if isinstance(cells, list) and all(isinstance(r, list) for r in cells):
        return [[expression(c, where) if isinstance(c, str) else c for c in r] for r in cells]
    return cells


def _agents_game(args: argparse.Namespace) -> tuple[Any, list[str]]:
    from modal import SEED_AGENTS, UnknownAgentError

    env = modal_environment(args.defs)
    if args.agents:
        names = [s.strip() for s in args.agents.split(",") if s.strip()]
        if not names:
            raise NumpolError(f"--agents names no agent: {args.agents!r}")
        try:
            agents = [env[n] for n in names]
        except KeyError as err:
            raise UnknownAgentError(str(err.args[0]), "--agents") from None
    else:
        agents = list(SEED_AGENTS)
    text = "1/10" if args.eps is None else args.eps
    base = base_option(args)
    try:
        game = modal_game(agents, EPS if text == "symbolic" else text, base=base, env=env)
        return game, [a.name for a in agents]
    except TheoryError as err:  # the one check of eps, where the game is made
        raise NumpolError(f"--eps: {err} (a number such as 1/10 or 0.1, or 'symbolic')") from None


def _fmt(v: Any) -> str:
    """A payoff or probability as text; expressions expanded, constant first (``1/2 - epsilon``)."""
    if isinstance(v, sympy.Basic):
        return sympy.sstr(sympy.expand(v), order="rev-lex")
    return str(v)


def _equilibrium(q: Any) -> dict[str, Any]:
    """Strategies and payoffs of one equilibrium (numeric or symbolic), as strings."""
    return {
        "x": [_fmt(v) for v in q.x],
        "y": [_fmt(v) for v in q.y],
        "u": _fmt(q.u),
        "v": _fmt(q.v),
    }


def _budget(text: str) -> float:
    try:
        value = number(text, "--budget")
    except TheoryError as err:
        raise NumpolError(f"{err} (seconds, such as 60)") from None
    if not value > 0:
        raise NumpolError(f"--budget must be a positive number of seconds, got {text!r}")
    return float(value)


def _component(c: Any, eqs: list[Any]) -> dict[str, Any]:
    """A component: its extreme equilibria (numbers in the list, from 1), Nash subsets, payoffs."""
    return {
        "equilibria": [eqs.index(q) + 1 for q in c.equilibria],
        "nash_subsets": [
            {
                "x": [[_fmt(v) for v in z] for z in s.x_vertices],
                "y": [[_fmt(v) for v in z] for z in s.y_vertices],
            }
            for s in c.nash_subsets
        ],
        "u": [_fmt(v) for v in c.u],
        "v": [_fmt(v) for v in c.v],
    }


def run(args: argparse.Namespace) -> int:
    """Run ``numpol equilibria`` with the parsed ``args``; return the exit status."""
    if args.matrix is not None:
        if args.eps is not None:
            raise NumpolError("--eps is the penalty of modal agents (--agents), not of --matrix")
        base_option(args)  # --base with --matrix is refused
        game = read_matrix(args.matrix)
        labels = [str(i) for i in range(game.shape[0])]
        A: Any = game.A
    else:
        A, labels = _agents_game(args)
        game = Game.symmetric(A)
    if args.param:  # values for the parameters: a numeric game, solved as any other
        where = "--matrix" if args.matrix is None else f"--matrix {str(args.matrix)!r}"
        game = game_at(game, args.param, where)
        A = game.A
    params = game.parameters
    symbolic = bool(params)
    cols = labels if args.matrix is None else [str(j) for j in range(game.shape[1])]
    out: dict[str, Any] = {"strategies": labels, "column_strategies": cols}
    if symbolic:
        if args.method is not None:
            raise NumpolError(
                f"--method {args.method} needs numeric payoffs; symbolic payoffs (--eps "
                "symbolic, or a --matrix with parameters and no --param) are always solved by "
                "the symbolic enumeration"
            )
        eqs = symbolic_equilibria(game)
        out["method"] = "symbolic"
        out["parameters"] = [str(p) for p in params]
        out["equilibria"] = [
            {**_equilibrium(q), "region": str(q.region.as_sympy()), "region_text": str(q.region)}
            for q in eqs
        ]
    else:
        method = args.method or "exact"
        budget = None if args.budget is None else _budget(args.budget)
        try:
            res = equilibria(game, method=method, budget=budget, progress=sys.stderr.isatty())
        except TheoryError as err:  # a game too large for a complete enumeration
            msg = str(err).replace("budget=<seconds> (--budget)", "--budget")
            msg = msg.replace("method='lemke_howson'", "--method lemke_howson")
            raise NumpolError(msg) from None
        eq_list = list(res)
        out.update(
            method=res.method,
            exact=res.exact,
            complete=res.complete,
            degenerate=res.degenerate,
            degenerate_supports=[[who, list(s)] for who, s in res.degenerate_supports],
            equilibria=[_equilibrium(q) for q in res],
            components=[_component(c, eq_list) for c in res.components],
        )
        for key in ("dropped", "fallback", "stopped"):
            if getattr(res, key):
                out[key] = getattr(res, key)
    if args.best_responses:
        table = best_responses(np.asarray(game.A), params=params if symbolic else None)
        # a --matrix game may be rectangular: its strategies are numbered on both sides
        names = labels if args.matrix is None else [str(i) for i in range(max(game.shape))]
        out["best_responses"] = [list(r) for r in as_rows(table, names)]
        if not game.is_symmetric:  # then the above are the row player's; add the column's
            col = best_responses(np.asarray(game.B).T)
            out["column_best_responses"] = [list(r) for r in as_rows(col, names)]
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    _print_text(out, labels)
    return 0


def _played(p: str) -> bool:
    """Whether a printed probability is positive: exact ones not 0, floats not round-off.

    Examples
    --------
    >>> [_played(p) for p in ("0", "1/3", "0.0", "-1.3877787807814457e-17", "0.9", "epsilon")]
    [False, True, False, False, True, True]
    """
    try:
        v = Fraction(p)
    except ValueError:  # a symbolic expression
        return p != "0"
    return abs(v) >= FLOAT_ZERO if ("." in p or "e" in p) else v != 0


def _points(zs: list[list[str]]) -> str:
    """Mixed strategies as ``(1/2, 1/2)``, joined by commas."""
    return ", ".join("(" + ", ".join(z) + ")" for z in zs)


def _print_text(out: dict[str, Any], labels: list[str]) -> None:
    head = f"method: {out['method']}"
    if "complete" in out:
        head += (
            f"; exact: {out['exact']}; complete: {out['complete']}; degenerate: {out['degenerate']}"
        )
    print(head)
    if out.get("degenerate_supports"):
        print(
            "degenerate supports: " + "; ".join(f"{w} {s}" for w, s in out["degenerate_supports"])
        )
    for k, q in enumerate(out["equilibria"], 1):
        x = ", ".join(f"{labels[i]} {p}" for i, p in enumerate(q["x"]) if _played(p))
        cols = out["column_strategies"]
        y = ", ".join(f"{cols[i]} {p}" for i, p in enumerate(q["y"]) if _played(p))
        line = f"{k}. row: {x} | column: {y} | payoffs {q['u']}, {q['v']}"
        if "region" in q:
            if out.get("parameters") == ["epsilon"]:
                line += f" | exists for epsilon in {q['region_text']}"
            else:
                line += f" | exists where {q['region_text']}"
        print(line)
    for c in out.get("components", []):
        if len(c["equilibria"]) == 1:
            continue
        parts = " ∪ ".join(
            f"conv({_points(s['x'])}) × conv({_points(s['y'])})" for s in c["nash_subsets"]
        )
        u = c["u"][0] if c["u"][0] == c["u"][1] else f"{c['u'][0]}..{c['u'][1]}"
        v = c["v"][0] if c["v"][0] == c["v"][1] else f"{c['v'][0]}..{c['v'][1]}"
        nums = ", ".join(map(str, c["equilibria"]))
        print(f"component of {nums}: {parts} | payoffs {u}, {v}")
    for key in ("dropped", "fallback", "stopped"):
        if key in out:
            print(f"{key}: {out[key]}")
    who = "row player's " if "column_best_responses" in out else ""
    for r in out.get("best_responses", []):
        print(f"{who}best reply to {r[0]}: {r[1]} (payoff {r[2]}, {r[3]})")
    for r in out.get("column_best_responses", []):
        print(f"column player's best reply to {r[0]}: {r[1]} (payoff {r[2]}, {r[3]})")
