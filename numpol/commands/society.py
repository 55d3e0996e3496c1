"""``numpol society``: Sugar and spice world: exact learning theory and the two experiments.

Three jobs:

- ``theory``: the fixed points of Q-learning among the 16 memory-one policies at the given
  exploration and discount, the attractors of the learning graph (both rules), and with
  ``--pair P,Q`` that pair's exact average wellbeing (a rational function of the noise ``e``),
  its value at the noise and its limit as ``e -> 0``, and its stationary distribution;
- ``experiment-1``: two Q-learners from random Q-values; the final policy pairs of the runs that
  were unchanged over the last half, with 95 % Wilson intervals, each marked as a fixed point or
  not, the exact wellbeing of a fixed point beside the simulated one;
- ``experiment-2``: a society of ``--N`` learners on an interaction graph: collective wellbeing
  ``Omega/N`` (mean ± standard error over runs, bounded by 3) and the shares of final policies.

Exploration is epsilon-greedy: each intended move is flipped with probability ``noise =
epsilon / 2``. The defaults are the report's (``numpol reproduce``): discount 9/10, epsilon
1/10, learning rate 0.03 (Experiment 1) or 0.1 (Experiment 2). Runs are split into tasks of at
most ``TASK_RUNS`` runs with spawned streams, so ``--workers``/``--scheduler`` give the same
result as a serial run.

Examples (shell)::

    numpol society theory --pair TSST,SSSS
    numpol society experiment-1 --runs 40 --encounters 20000
    numpol society experiment-2 --graph ring --N 16 --runs 8 --json
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from dynamics.basins import wilson_interval
from dynamics.society import (
    GRAPH_KINDS,
    QLearning,
    edge_array,
    interaction_graph,
    policy_strings,
    run_ensemble,
)
from numpol.cliargs import seed
from numpol.cluster import add_cluster_options, run_tasks
from numpol.errors import NumpolError
from theory import number
from theory.learning import (
    ALWAYS_STEAL,
    GRIM,
    NOISE,
    RULES,
    WSLS,
    attractors,
    average_wellbeing,
    check_policy,
    fixed_points,
    learning_graph,
    noise_limit,
    pair_stationary_distribution,
    policy_name,
    reachable_attractors,
)

__all__ = ["register", "run", "JOBS", "TASK_RUNS", "OMEGA_BOUND"]

#: The jobs of ``numpol society``.
JOBS = ("theory", "experiment-1", "experiment-2")
#: Simulated runs per task: the unit of work a cluster worker gets (and a serial run too).
TASK_RUNS = 25
#: The largest Omega/N any society can reach: everybody trades (SS-01).
OMEGA_BOUND = 3
#: Encounters per agent in Experiment 2 when --encounters is not given (the report's value).
PER_AGENT = 2000


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``numpol society`` and its options to the subcommands."""
    p = sub.add_parser(
        "society",
        help="Sugar and spice world: learning theory, Experiment 1 (two learners) and 2",
        description="Q-learners who trade or steal: exact fixed points and wellbeing of "
        "memory-one policy pairs, and the seed's two experiments as simulations.",
    )
    p.add_argument("job", choices=JOBS, help="what to compute")
    p.add_argument("--discount", default="9/10", help="discount r in [0, 1) (default 9/10)")
    p.add_argument(
        "--epsilon",
        default="1/10",
        help="epsilon-greedy exploration; moves are flipped with noise epsilon/2 (default 1/10)",
    )
    p.add_argument("--pair", help="theory: a policy pair P,Q of 4 moves after TT,TS,ST,SS")
    p.add_argument("--alpha", type=float, help="learning rate (default 0.03, Experiment 2: 0.1)")
    p.add_argument("--runs", type=int, help="independent runs (default 200, Experiment 2: 24)")
    p.add_argument(
        "--encounters",
        type=int,
        help=f"encounters per run (default 200000; Experiment 2: {PER_AGENT} per agent)",
    )
    p.add_argument("--graph", default="complete", choices=GRAPH_KINDS, help="Experiment 2 graph")
    p.add_argument("--N", type=int, default=8, help="Experiment 2: number of agents (default 8)")
    p.add_argument("--seed", type=seed, default=0, help="seed of the simulations")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_cluster_options(p)
    p.set_defaults(func=run)


def _probability(text: str, flag: str, *, below_one: bool = False) -> Fraction:
    v = number(text, flag)
    if isinstance(v, float) or not (0 <= v < 1 if below_one else 0 <= v <= 1):
        raise NumpolError(
            f"{flag} must be a number in [0, 1{')' if below_one else ']'}, got {text}"
        )
    return Fraction(v)


def _positive(value: int | None, flag: str) -> None:
    if value is not None and value < 1:
        raise NumpolError(f"{flag} must be a positive integer, got {value}")


def run(args: argparse.Namespace) -> int:
    """Run ``numpol society`` on parsed arguments; print the answer; return the exit status."""
    discount = _probability(args.discount, "--discount", below_one=True)
    epsilon = _probability(args.epsilon, "--epsilon")
    noise = epsilon / 2
    for flag in ("runs", "encounters", "N"):
        _positive(getattr(args, flag), f"--{flag}")
    if args.alpha is not None and not (math.isfinite(args.alpha) and 0 < args.alpha <= 1):
        raise NumpolError(f"--alpha is a learning rate in (0, 1], got {args.alpha}")
    if args.job != "theory" and args.pair is not None:
        raise NumpolError(f"--pair belongs to the theory job, not {args.job}")
    if args.job != "experiment-2" and (args.N != 8 or args.graph != "complete"):
        raise NumpolError(f"--N and --graph belong to experiment-2, not {args.job}")
    head = {
        "job": args.job,
        "discount": str(discount),
        "epsilon": str(epsilon),
        "noise": str(noise),
    }
    if args.job == "theory":
        out = _theory(args, noise, discount)
    else:
        out = _experiment(args, noise, discount, epsilon)
    if args.json:
        print(json.dumps({**head, **out}, indent=2))
    else:
        print(
            f"Sugar and spice world, discount r = {discount}, epsilon = {epsilon} (noise {noise})"
        )
        _print(args.job, out)
    return 0


# ---- theory ----------------------------------------------------------------------------------


def _pair_label(p: tuple[str, str] | tuple[Any, ...]) -> str:
    return f"{p[0]}/{p[1]}"


def _value(v: Any) -> str:
    """An exact value (a sympy rational or number) as text: ``5/2``."""
    return str(v)


def _theory(args: argparse.Namespace, noise: Fraction, discount: Fraction) -> dict[str, Any]:
    fps = fixed_points(noise=noise, discount=discount)
    e = sympy.Rational(noise.numerator, noise.denominator)
    points = []
    for p, q in fps:
        w1, w2 = average_wellbeing(p, q)
        points.append(
            {
                "pair": [p, q],
                "names": [policy_name(p), policy_name(q)],
                "wellbeing": [_value(w1.subs(NOISE, e)), _value(w2.subs(NOISE, e))],
                "wellbeing_float": [float(w1.subs(NOISE, e)), float(w2.subs(NOISE, e))],
            }
        )
    comps = {
        rule: [
            sorted(_pair_label(x) for x in c)
            for c in attractors(learning_graph(noise=noise, discount=discount, rule=rule))
        ]
        for rule in RULES
    }
    out: dict[str, Any] = {"fixed_points": points, "attractors": comps}
    if args.pair is not None:
        cells = [c.strip() for c in args.pair.split(",")]
        if len(cells) != 2:
            raise NumpolError(f"--pair must be two policies P,Q, got {args.pair!r}")
        p = check_policy(cells[0], "--pair[0]")
        q = check_policy(cells[1], "--pair[1]")
        w = average_wellbeing(p, q)
        pi = pair_stationary_distribution(p, q, noise)
        out["pair"] = {
            "pair": [p, q],
            "names": [policy_name(p), policy_name(q)],
            "wellbeing_of_e": [str(x) for x in w],
            "wellbeing": [_value(x.subs(NOISE, e)) for x in w],
            "wellbeing_limit": [str(noise_limit(x)) for x in w],
            "stationary": {s: _value(v) for s, v in zip(("TT", "TS", "ST", "SS"), pi, strict=True)},
            "fixed_point": (p, q) in fps,
            "reachable_attractors": {
                rule: [
                    sorted(_pair_label(x) for x in a)
                    for a in reachable_attractors((p, q), noise=noise, discount=discount, rule=rule)
                ]
                for rule in RULES
            },
        }
    return out


# ---- experiments -----------------------------------------------------------------------------


def _experiment1_task(
    params: dict[str, Any], encounters: int, runs: int, *, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """One chunk of Experiment 1: final and checkpoint policies, wellbeing of the last quarter."""
    q = QLearning(**params)
    cps = (encounters // 2, 3 * encounters // 4, encounters)
    res = run_ensemble(
        interaction_graph("complete", 2),
        q,
        encounters=encounters,
        runs=runs,
        checkpoints=tuple(c for c in cps if c >= 1),
        rng=rng,
    )
    return {
        "policies": res.policies,
        "checkpoints": res.checkpoint_policies,
        "wellbeing": res.mean_wellbeing,
    }


def _experiment2_task(
    params: dict[str, Any],
    n: int,
    edges: list[list[int]],
    encounters: int,
    runs: int,
    *,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """One chunk of Experiment 2: Omega/N of the last quarter and the final policies."""
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(range(n))  # node order fixed: the edges name agents 0 .. n-1
    G.add_edges_from(map(tuple, edges))
    res = run_ensemble(G, QLearning(**params), encounters=encounters, runs=runs, rng=rng)
    return {"omega": res.omega_per_agent, "policies": res.policies}


def _tasks(runs: int) -> list[int]:
    full, rest = divmod(runs, TASK_RUNS)
    return [TASK_RUNS] * full + ([rest] if rest else [])


def _experiment(
    args: argparse.Namespace, noise: Fraction, discount: Fraction, epsilon: Fraction
) -> dict[str, Any]:
    one = args.job == "experiment-1"
    alpha = args.alpha if args.alpha is not None else (0.03 if one else 0.1)
    params: dict[str, Any] = {
        "alpha": alpha,
        "discount": float(discount),
        "epsilon": float(epsilon),
    }
    q = QLearning(**params)  # the one check of the learners' parameters
    runs = args.runs if args.runs is not None else (200 if one else 24)
    if one:
        encounters = args.encounters if args.encounters is not None else 200_000
        if encounters < 4:
            raise NumpolError(f"--encounters must be at least 4 (checkpoints), got {encounters}")
        res = run_tasks(
            _experiment1_task,
            [{"params": params, "encounters": encounters, "runs": r} for r in _tasks(runs)],
            args,
        )
        return _summarise1(res, q, noise, discount, runs, encounters, alpha)
    G = interaction_graph(args.graph, args.N, rng=args.seed)
    encounters = args.encounters if args.encounters is not None else PER_AGENT * args.N // 2
    edges = edge_array(G).tolist()
    res = run_tasks(
        _experiment2_task,
        [
            {"params": params, "n": args.N, "edges": edges, "encounters": encounters, "runs": r}
            for r in _tasks(runs)
        ],
        args,
    )
    omega = np.concatenate([r["omega"] for r in res.results])
    pol = policy_strings(np.concatenate([r["policies"] for r in res.results]), q).ravel()
    shares = {policy_name(p): float((pol == p).mean()) for p in (ALWAYS_STEAL, GRIM, WSLS)}
    shares["other"] = 1 - sum(shares.values())
    se = float(omega.std(ddof=1) / math.sqrt(runs)) if runs > 1 else None
    return {
        "graph": args.graph,
        "N": args.N,
        "edges": len(edges),
        "alpha": alpha,
        "runs": runs,
        "encounters": encounters,
        "omega_per_agent": float(omega.mean()),
        "omega_per_agent_se": se,
        "within_bound": bool(omega.max() <= OMEGA_BOUND + 1e-12),
        "policy_shares": shares,
    }


def _summarise1(
    res: Any,
    q: QLearning,
    noise: Fraction,
    discount: Fraction,
    runs: int,
    encounters: int,
    alpha: float,
) -> dict[str, Any]:
    codes = np.concatenate([r["policies"] for r in res.results])
    checks = np.concatenate([r["checkpoints"] for r in res.results], axis=1)
    wsim = np.concatenate([r["wellbeing"] for r in res.results])
    pol = policy_strings(codes, q)
    stable = (checks == checks[-1]).all(axis=(0, 2))
    fps = set(fixed_points(noise=noise, discount=discount))
    counts = Counter(tuple(p) for p, s in zip(pol, stable, strict=True) if s)
    pairs = []
    for pair, k in counts.most_common():
        lo, hi = wilson_interval(k, runs)
        sel = np.array([tuple(p) == pair and s for p, s in zip(pol, stable, strict=True)])
        w = wsim[sel]
        exact = None
        if pair in fps:
            w1, w2 = average_wellbeing(*pair, noise)
            exact = float((w1 + w2) / 2)
        pairs.append(
            {
                "pair": list(pair),
                "names": [policy_name(x) for x in pair],
                "runs": k,
                "fraction": k / runs,
                "ci95": [lo, hi],
                "fixed_point": pair in fps,
                "exact_wellbeing": exact,
                "simulated_wellbeing": float(w.mean()),
                "simulated_wellbeing_se": float(w.std(ddof=1) / math.sqrt(k)) if k > 1 else None,
            }
        )
    return {
        "alpha": alpha,
        "runs": runs,
        "encounters": encounters,
        "stable_runs": int(stable.sum()),
        "pairs": pairs,
    }


def _print(job: str, out: dict[str, Any]) -> None:
    if job == "theory":
        print("fixed points of Q-learning (each policy greedy against the other), exact W:")
        for fp in out["fixed_points"]:
            print(
                f"  {_pair_label(fp['pair']):10s} {' / '.join(fp['names']):45s} "
                f"W = {fp['wellbeing'][0]}, {fp['wellbeing'][1]}"
            )
        for rule, comps in out["attractors"].items():
            print(
                f"attractors of the learning graph ({rule} rule): "
                + "; ".join("{" + ", ".join(c) + "}" for c in comps)
            )
        pair = out.get("pair")
        if pair:
            print(f"pair {_pair_label(pair['pair'])} ({' / '.join(pair['names'])}):")
            print(f"  W(e)  = {pair['wellbeing_of_e'][0]}  and  {pair['wellbeing_of_e'][1]}")
            print(f"  W     = {pair['wellbeing'][0]}  and  {pair['wellbeing'][1]} at the noise")
            print(f"  W(0+) = {pair['wellbeing_limit'][0]}  and  {pair['wellbeing_limit'][1]}")
            print("  stationary: " + ", ".join(f"{s} {v}" for s, v in pair["stationary"].items()))
            print(f"  fixed point: {'yes' if pair['fixed_point'] else 'no'}")
        return
    if job == "experiment-1":
        print(
            f"Experiment 1: two learners, alpha {out['alpha']}, {out['runs']} runs of "
            f"{out['encounters']} encounters; {out['stable_runs']} unchanged over the last half"
        )
        print(
            f"  {'pair':10s} {'runs':>5s}  {'frequency [95% CI]':22s} fixed point  W exact  W sim"
        )
        for p in out["pairs"]:
            lo, hi = p["ci95"]
            ex = "" if p["exact_wellbeing"] is None else f"{p['exact_wellbeing']:.4f}"
            se = (
                ""
                if p["simulated_wellbeing_se"] is None
                else f" ± {p['simulated_wellbeing_se']:.4f}"
            )
            print(
                f"  {_pair_label(p['pair']):10s} {p['runs']:5d}  {p['fraction']:.3f} "
                f"[{lo:.3f}, {hi:.3f}]    {'yes' if p['fixed_point'] else 'no ':3s}      "
                f"{ex:7s}  {p['simulated_wellbeing']:.4f}{se}"
            )
        return
    se = "" if out["omega_per_agent_se"] is None else f" ± {out['omega_per_agent_se']:.3f}"
    print(
        f"Experiment 2: {out['N']} learners on a {out['graph']} graph ({out['edges']} edges), "
        f"alpha {out['alpha']}, {out['runs']} runs of {out['encounters']} encounters"
    )
    print(
        f"  Omega/N (last quarter) = {out['omega_per_agent']:.3f}{se}; at most {OMEGA_BOUND}: "
        f"{out['within_bound']}"
    )
    print("  final policies: " + ", ".join(f"{k} {v:.2f}" for k, v in out["policy_shares"].items()))
