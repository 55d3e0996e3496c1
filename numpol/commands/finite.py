"""``numpol finite``: finite populations: fixation, stationary distributions, small mutations.

Three jobs, each exact and, with ``--runs R``, simulated beside it:

- ``fixation``: the probability that one mutant of strategy ``j`` takes over a population of
  ``i`` (every ordered pair; exact ``Fraction`` for linear Moran), and the fraction of ``R``
  simulated runs in which it does, with a 95 % Wilson interval;
- ``stationary``: the stationary distribution of the full chain with mutation ``--mu > 0``
  (mean share of each strategy, time at each monomorphic state), and the time averages of ``R``
  simulated runs after a burn-in, mean ± standard error over runs;
- ``small-mutation``: the small-mutation limit (fixation matrix, embedded chain and its
  stationary law, exact for linear Moran), and the same chain built from simulated fixations.

The game is modal agents with a penalty (``--agents``, ``--eps``) or a ``--matrix`` file, read
as for ``numpol flow``. Simulations are split into tasks of at most ``TASK_RUNS`` runs, each with
its own stream spawned from ``--seed`` (:func:`dynamics.finite.sweeps.sweep`); ``--workers`` or
``--scheduler`` runs the tasks on a dask cluster with the same result as here.

Examples (shell)::

    numpol finite fixation --N 30 --runs 2000
    numpol finite stationary --process fermi --intensity 1 --mu 1/100 --N 20 --runs 20
    numpol finite small-mutation --eps 1/20 --json
"""

from __future__ import annotations

import argparse
import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from dynamics.basins import wilson_interval
from dynamics.errors import DynamicsError
from dynamics.finite import (
    Process,
    fermi,
    fixation_probability,
    fixations,
    markov_chain,
    moran,
    simulate,
    small_mutation_limit,
    stationary_distribution,
    wright_fisher,
)
from modal import SEED_AGENTS
from numpol.cliargs import BASE_HELP, add_param_option, seed
from numpol.cluster import add_cluster_options, run_tasks
from numpol.commands.flow import symmetric_game
from numpol.errors import NumpolError
from theory import number

__all__ = [
    "register",
    "run",
    "JOBS",
    "TASK_RUNS",
    "K_SE",
    "MAX_RECORDS",
    "MAX_DIRECT_STATES",
    "build_process",
]

#: The jobs of ``numpol finite``.
JOBS = ("fixation", "stationary", "small-mutation")
#: Simulated runs per task: the unit of work a cluster worker gets (and a serial run too).
TASK_RUNS = 50
#: A simulated mean "agrees" with the exact value within this many standard errors (the mean of
#: independent runs is Gaussian by the CLT; 4 SE: two-sided false alarm 6e-5 per entry).
K_SE = 4.0
#: Records kept per simulated run of ``stationary`` (the step between records grows with
#: ``--steps``), so memory stays bounded.
MAX_RECORDS = 20_000
#: Chains up to this many states are solved by sparse LU, larger ones iteratively (LU fill-in
#: grows faster than the chain; see :func:`dynamics.finite.stationary_distribution`).
MAX_DIRECT_STATES = 200_000


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``numpol finite`` and its options to the subcommands."""
    p = sub.add_parser(
        "finite",
        help="finite populations: fixation, stationary distributions, small-mutation limit",
        description="Moran, Fermi (pairwise comparison) and Wright-Fisher processes on a game: "
        "exact fixation probabilities and stationary distributions, beside simulations "
        "(--runs).",
    )
    p.add_argument("job", choices=JOBS, help="what to compute")
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "--agents",
        default=",".join(a.name for a in SEED_AGENTS),
        help="comma-separated modal agents (default: the seed's four)",
    )
    g.add_argument("--matrix", type=Path, help="payoff matrix file (as for numpol flow)")
    p.add_argument("--defs", type=Path, help="file of agent definitions 'Name := formula'")
    p.add_argument("--eps", help="modelling penalty per unit depth for --agents (default 1/10)")
    add_param_option(p)
    p.add_argument("--base", help=BASE_HELP)
    p.add_argument("--process", default="moran", choices=["moran", "fermi", "wright-fisher"])
    p.add_argument("--N", type=int, default=30, help="population size (default 30)")
    p.add_argument(
        "--intensity",
        default="1/10",
        help="selection intensity: w in [0, 1] (moran, wright-fisher) or beta >= 0 (fermi); "
        "default 1/10",
    )
    p.add_argument("--mu", help="mutation probability (stationary only; required there)")
    p.add_argument(
        "--mapping", default="linear", choices=["linear", "exponential"], help="payoff to fitness"
    )
    p.add_argument("--runs", type=int, help="also simulate: runs per pair / in all")
    p.add_argument("--steps", type=int, default=20_000, help="steps per run (stationary)")
    p.add_argument("--burn-in", type=int, help="steps not averaged (default: a fifth of --steps)")
    p.add_argument("--seed", type=seed, default=0, help="seed of the simulations")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_cluster_options(p)
    p.set_defaults(func=run)


def _game(args: argparse.Namespace) -> tuple[np.ndarray, list[str]]:
    A, names = symmetric_game(args)
    return np.asarray(A), names


def build_process(spec: dict[str, Any]) -> Process:
    """The process a JSON-able spec names: ``A`` (rows of number text), ``rule``, ``N``,
    ``intensity`` and ``mu`` (number text), ``mapping``. Numbers follow theory's rule.

    This is how a simulation task, on whatever worker, rebuilds the command's process.

    Examples
    --------
    >>> p = build_process({"A": [["2", "0"], ["3", "1"]], "rule": "moran", "N": 10,
    ...                    "intensity": "1/10", "mu": "0", "mapping": "linear"})
    >>> p.rule, p.intensity
    ('moran', Fraction(1, 10))
    """
    A = spec["A"]
    intensity = number(spec["intensity"], "--intensity")
    mu = number(spec["mu"], "--mu")
    if spec["rule"] == "fermi":
        if spec["mapping"] != "linear":
            raise NumpolError("--mapping is the fitness map of moran and wright-fisher, not fermi")
        return fermi(A, spec["N"], beta=intensity, mu=mu)  # type: ignore[arg-type]
    make = moran if spec["rule"] == "moran" else wright_fisher
    return make(A, spec["N"], w=intensity, mu=mu, mapping=spec["mapping"])  # type: ignore[arg-type]


def _text(v: Any) -> str:
    return str(v) if isinstance(v, int | Fraction) else repr(float(v))


def _fixation_task(
    spec: dict[str, Any], mutant: int, resident: int, runs: int, *, rng: np.random.Generator
) -> np.ndarray:
    """Of `runs` runs from one `mutant` among `resident`, how many fixed and how many did not
    finish: ``[fixed, unfinished]``."""
    process = build_process(spec)
    idx = [mutant, resident]
    pair = process.with_game(process.A[np.ix_(idx, idx)])
    fx = fixations(pair, [1, process.N - 1], runs=runs, rng=rng)
    return np.array([int((fx.winner == 0).sum()), int((fx.winner < 0).sum())])


def _stationary_task(
    spec: dict[str, Any], steps: int, burn_in: int, runs: int, *, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Time averages after `burn_in` of `runs` runs: mean shares ``(runs, n)`` and the share of
    records at each monomorphic state ``(runs, n)``."""
    process = build_process(spec)
    N, n = process.N, process.n
    start = np.full(n, N // n)
    start[: N - start.sum()] += 1
    every = max(1, math.ceil(steps / MAX_RECORDS))
    tr = simulate(process, start, steps=steps, runs=runs, every=every, rng=rng)
    kept = tr.counts[tr.steps > burn_in]  # (records, runs, n)
    return {"shares": kept.mean(axis=0) / N, "monomorphic": (kept == N).mean(axis=0)}


def _tasks(runs: int) -> list[int]:
    full, rest = divmod(runs, TASK_RUNS)
    return [TASK_RUNS] * full + ([rest] if rest else [])


def _positive(value: int | None, flag: str) -> None:
    if value is not None and value < 1:
        raise NumpolError(f"{flag} must be a positive integer, got {value}")


def run(args: argparse.Namespace) -> int:
    """Run ``numpol finite`` on parsed arguments; print the answer; return the exit status."""
    _positive(args.N, "--N")
    _positive(args.runs, "--runs")
    _positive(args.steps, "--steps")
    if args.N < 2:
        raise NumpolError(f"--N is a population size, at least 2, got {args.N}")
    if args.job == "stationary":
        if args.mu is None:
            raise NumpolError(
                "stationary needs --mu > 0 (without mutation every monomorphic state is "
                "absorbing: see 'numpol finite fixation')"
            )
    elif args.mu is not None:
        raise NumpolError(f"--mu: {args.job} is about populations without mutation; drop --mu")
    burn_in = args.steps // 5 if args.burn_in is None else args.burn_in
    if not 0 <= burn_in < args.steps:
        raise NumpolError(f"--burn-in must lie in [0, --steps = {args.steps}), got {burn_in}")
    A, names = _game(args)
    spec = {
        "A": [[_text(v) for v in row] for row in A],
        "rule": args.process,
        "N": args.N,
        "intensity": args.intensity,
        "mu": "0" if args.mu is None else args.mu,
        "mapping": args.mapping,
    }
    try:  # the one check of every number, before any long work
        process = build_process(spec)
    except DynamicsError as err:
        raise NumpolError(
            f"--process {args.process} --intensity {args.intensity}"
            + ("" if args.mu is None else f" --mu {args.mu}")
            + f": {err}"
        ) from None
    if args.job == "stationary" and process.mu == 0:
        raise NumpolError("--mu must be > 0 for a stationary distribution, got 0")
    head = {
        "job": args.job,
        "names": names,
        "process": args.process,
        "N": args.N,
        "intensity": args.intensity,
        "mu": args.mu,
        "mapping": args.mapping,
        "runs": args.runs,
        "seed": args.seed,
    }
    if args.job == "stationary":
        out = _stationary(process, spec, names, args, burn_in)
    else:
        out = _fixation_jobs(process, spec, names, args)
    if args.json:
        print(json.dumps({**head, **out}, indent=2))
    else:
        _print(head, out)
    return 0


def _fixation_jobs(
    process: Process, spec: dict[str, Any], names: list[str], args: argparse.Namespace
) -> dict[str, Any]:
    n = process.n
    exact = process.is_exact
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]  # resident i, mutant j
    rho = {(i, j): fixation_probability(process, j, i) for i, j in pairs}
    sim: dict[tuple[int, int], tuple[int, int]] = {}
    if args.runs is not None:
        params = [
            {"spec": spec, "mutant": j, "resident": i, "runs": r}
            for i, j in pairs
            for r in _tasks(args.runs)
        ]
        res = run_tasks(_fixation_task, params, args)
        for p, arrays in zip(res.params, res.results, strict=True):
            key = (p["resident"], p["mutant"])
            fixed, unfinished = (int(v) for v in arrays["result"])
            old = sim.get(key, (0, 0))
            sim[key] = (old[0] + fixed, old[1] + unfinished)
    rows = []
    for i, j in pairs:
        row: dict[str, Any] = {
            "resident": names[i],
            "mutant": names[j],
            "exact": str(rho[i, j]) if exact else None,
            "probability": float(rho[i, j]),
        }
        if (i, j) in sim:
            k, unfinished = sim[i, j]
            lo, hi = wilson_interval(k, args.runs)
            wlo, whi = wilson_interval(k, args.runs, z=K_SE)
            row["simulated"] = {
                "fixed": k,
                "runs": args.runs,
                "unfinished": unfinished,
                "fraction": k / args.runs,
                "ci95": [lo, hi],
                "agrees": bool(wlo <= float(rho[i, j]) <= whi),
            }
        rows.append(row)
    out: dict[str, Any] = {"neutral": 1 / process.N, "fixation": rows}
    if args.job == "small-mutation":
        sml = small_mutation_limit(process)
        out["small_mutation"] = {
            "transition": [[_text(v) if exact else float(v) for v in r] for r in sml.transition],
            "stationary": [float(v) for v in sml.stationary],
            "stationary_exact": [str(v) for v in sml.stationary] if exact else None,
        }
        if sim:
            F = np.zeros((n, n))
            for (i, j), (k, _) in sim.items():
                F[i, j] = k / args.runs
            T = F / (n - 1)
            T[np.diag_indices(n)] = 1 - T.sum(axis=1)
            try:
                pi = stationary_distribution(T).tolist()
            except DynamicsError:  # reducible: some fixation was never seen in the runs
                pi = None
            out["small_mutation"]["simulated_stationary"] = pi
    return out


def _stationary(
    process: Process,
    spec: dict[str, Any],
    names: list[str],
    args: argparse.Namespace,
    burn_in: int,
) -> dict[str, Any]:
    mc = markov_chain(process)
    pi = mc.stationary(method="direct" if len(mc.states) <= MAX_DIRECT_STATES else "iterative")
    shares = pi @ mc.states / process.N
    mono = pi[mc.monomorphic()]
    out: dict[str, Any] = {
        "states": len(mc.states),
        "exact": {
            "mean_shares": shares.tolist(),
            "monomorphic": mono.tolist(),
            "mixed": float(1 - mono.sum()),
        },
    }
    if args.runs is not None:
        params = [
            {"spec": spec, "steps": args.steps, "burn_in": burn_in, "runs": r}
            for r in _tasks(args.runs)
        ]
        res = run_tasks(_stationary_task, params, args)
        S = np.concatenate([r["shares"] for r in res.results])
        Mo = np.concatenate([r["monomorphic"] for r in res.results])
        R = len(S)
        se = (lambda X: X.std(axis=0, ddof=1) / math.sqrt(R)) if R > 1 else None
        sim: dict[str, Any] = {
            "runs": R,
            "steps": args.steps,
            "burn_in": burn_in,
            "mean_shares": S.mean(axis=0).tolist(),
            "monomorphic": Mo.mean(axis=0).tolist(),
        }
        if se is not None:
            s_se, m_se = se(S), se(Mo)
            sim["mean_shares_se"] = s_se.tolist()
            sim["monomorphic_se"] = m_se.tolist()
            sim["agrees"] = bool(
                np.all(np.abs(S.mean(axis=0) - shares) <= K_SE * s_se + 1e-12)
                and np.all(np.abs(Mo.mean(axis=0) - mono) <= K_SE * m_se + 1e-12)
            )
        out["simulated"] = sim
    return out


def _print(head: dict[str, Any], out: dict[str, Any]) -> None:
    names = head["names"]
    w = max(12, *(len(s) for s in names)) + 2
    print(
        f"{head['process']}, N = {head['N']}, intensity {head['intensity']}"
        + (f", mu {head['mu']}" if head["mu"] is not None else "")
        + f", mapping {head['mapping']}"
    )
    if head["job"] == "stationary":
        ex, sim = out["exact"], out.get("simulated")
        print(f"stationary distribution of the full chain ({out['states']} states)")
        cols = "mean share".rjust(12) + "monomorphic".rjust(13)
        if sim:
            cols += "sim share".rjust(19) + "sim monomorphic".rjust(21)
        print("".ljust(w) + cols)
        for k, nm in enumerate(names):
            line = nm.ljust(w) + f"{ex['mean_shares'][k]:12.4f}{ex['monomorphic'][k]:13.4f}"
            if sim:
                s = sim["mean_shares"][k]
                m = sim["monomorphic"][k]
                if "mean_shares_se" in sim:
                    line += f"{s:10.4f} ± {sim['mean_shares_se'][k]:.4f}"
                    line += f"{m:12.4f} ± {sim['monomorphic_se'][k]:.4f}"
                else:
                    line += f"{s:18.4f}{m:20.4f}"
            print(line)
        print(f"time mixed (no strategy fixed): {ex['mixed']:.4f}")
        if sim:
            verdict = sim.get("agrees")
            print(
                f"simulated: {sim['runs']} runs of {sim['steps']} steps, averaged after "
                f"{sim['burn_in']}"
                + ("" if verdict is None else f"; within {K_SE:g} SE of the exact: {verdict}")
            )
        return
    exact = out["fixation"][0]["exact"] is not None
    print(
        f"fixation of one mutant (neutral 1/N = {out['neutral']:.4f})"
        + ("; exact rationals (--json prints them), shown rounded" if exact else "")
    )
    print("resident".ljust(w) + "mutant".ljust(w) + "probability".rjust(12))
    for row in out["fixation"]:
        line = row["resident"].ljust(w) + row["mutant"].ljust(w) + f"{row['probability']:12.5f}"

        s = row.get("simulated")
        if s:
            lo, hi = s["ci95"]
            line += f"   sim {s['fixed']}/{s['runs']} = {s['fraction']:.4f} [{lo:.4f}, {hi:.4f}]"
            if s["unfinished"]:
                line += f" ({s['unfinished']} unfinished)"
        print(line)
    sml = out.get("small_mutation")
    if sml:
        print("small-mutation limit: long-run time at each monomorphic state")
        for k, nm in enumerate(names):
            line = nm.ljust(w) + f"{sml['stationary'][k]:12.5f}"
            simulated = sml.get("simulated_stationary")
            if simulated:
                line += f"   sim {simulated[k]:.4f}"
            print(line)
