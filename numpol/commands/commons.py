"""``numpol commons``: the harvest commons: mean field, thresholds, corrective tax, stochastic runs.

The stock follows ``dx/dt = r x (1 - x/K) - q E x`` (:mod:`theory.commons`); ``N`` agents share
the total effort ``E`` and pay ``c`` apples per unit effort. Four jobs:

- ``mean-field``: the efforts that matter (open access, social optimum, maximum sustainable
  yield, the Nash equilibrium of ``N`` agents, and under a ``--tax``), each with its stable
  stock, sustained yield and rent, exactly;
- ``thresholds``: the collapse effort ``r/q``, the cost ratio, and the Harvest game's local
  regrowth rule in mean field: the harvest beyond which the empty orchard is stable and the
  fold where the stocked orchard disappears (:mod:`dynamics.commons.grid`);
- ``tax``: the corrective harvest tax with equal rebate for each ``N`` (rebate counted and
  ignored) and the Nash effort under it, checked against the optimum;
- ``simulate``: ``--runs`` stochastic orchards of ``--sites`` sites (Gillespie), the mean final
  stock beside the linear-noise prediction and its tolerance, and the share that died out.

Every number is read as text (``1/10`` and ``0.1`` are both exactly 1/10), so the mean-field
answers are exact fractions. Stochastic runs are split into tasks of at most ``TASK_RUNS``
runs with spawned streams, so ``--workers``/``--scheduler`` give the same result as here.

Examples (shell)::

    numpol commons mean-field --N 5
    numpol commons tax --N 2,5,20,100 --json
    numpol commons simulate --at collapse --sites 200 --runs 100 --t 300
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

import numpy as np

from dynamics.commons import (
    K_SIGMA,
    agreement_tolerance,
    linear_noise,
    mean_field_collapse_harvest,
    mean_field_fold_harvest,
    simulate_commons,
)
from numpol.cliargs import seed
from numpol.cluster import add_cluster_options, run_tasks
from numpol.errors import NumpolError
from theory import number
from theory.commons import (
    HarvestCommons,
    collapse_effort,
    corrective_tax,
    cournot_effort,
    maximum_sustainable_yield,
    open_access_effort,
    rent,
    social_optimum_effort,
    steady_stock,
    stock_equilibria,
    sustainable_yield,
    taxed_nash_effort,
)

__all__ = ["register", "run", "JOBS", "EFFORTS", "TASK_RUNS"]

#: The jobs of ``numpol commons``.
JOBS = ("mean-field", "thresholds", "tax", "simulate")
#: The named efforts ``simulate --at`` accepts.
EFFORTS = ("nash", "taxed", "optimum", "msy", "open-access", "collapse")
#: Simulated orchards per task: the unit of work a cluster worker gets (and a serial run too).
TASK_RUNS = 50


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``numpol commons`` and its options to the subcommands."""
    p = sub.add_parser(
        "commons",
        help="harvest commons: mean field, thresholds, corrective tax, stochastic runs",
        description="The harvest commons (logistic regrowth minus harvest): who overharvests, "
        "which tax cures it, where the stock collapses; exact, and simulated (Gillespie).",
    )
    p.add_argument("job", choices=JOBS, help="what to compute")
    p.add_argument("--r", default="1", help="growth rate r > 0 (default 1)")
    p.add_argument("--K", default="100", help="carrying capacity K > 0 (default 100)")
    p.add_argument("--q", default="1", help="catchability q > 0 (default 1)")
    p.add_argument("--c", default="10", help="cost per unit effort c >= 0, in apples (default 10)")
    p.add_argument("--N", default="5", help="number of agents; tax, mean-field: a list 2,5,20")
    p.add_argument("--tax", help="harvest tax in [0, 1] (default: the corrective tax)")
    p.add_argument(
        "--rebate",
        default="counted",
        choices=["counted", "ignored"],
        help="agents count their own share of the rebated tax, or treat it as a lump sum",
    )
    p.add_argument("--at", default="nash", choices=EFFORTS, help="simulate: which total effort")
    p.add_argument("--effort", help="simulate: this total effort instead of --at")
    p.add_argument("--sites", type=int, default=2000, help="simulate: sites M (default 2000)")
    p.add_argument("--runs", type=int, default=200, help="simulate: runs (default 200)")
    p.add_argument("--t", type=float, default=30.0, help="simulate: final time (default 30)")
    p.add_argument("--x0", help="simulate: initial stock in [0, K] (default K)")
    p.add_argument("--seed", type=seed, default=0, help="seed of the simulations")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_cluster_options(p)
    p.set_defaults(func=run)


def _text(v: Any) -> str:
    return str(v)


def _sizes(text: str) -> list[int]:
    cells = [c.strip() for c in text.split(",") if c.strip()]
    out = []
    for c in cells:
        try:
            n = int(c)
        except ValueError:
            n = 0
        if n < 1:
            raise NumpolError(f"--N must be positive integers (comma-separated), got {text!r}")
        out.append(n)
    if not out:
        raise NumpolError(f"--N names no number of agents: {text!r}")
    return out


def _commons(args: argparse.Namespace) -> HarvestCommons:
    return HarvestCommons(
        number(args.r, "--r"), number(args.K, "--K"), number(args.q, "--q"), number(args.c, "--c")
    )


def run(args: argparse.Namespace) -> int:
    """Run ``numpol commons`` on parsed arguments; print the answer; return the exit status."""
    m = _commons(args)  # checks r, K, q, c (a CommonsError names the parameter)
    sizes = _sizes(args.N)
    tax = None if args.tax is None else number(args.tax, "--tax")
    if args.job != "simulate":
        for flag, given in (("--effort", args.effort), ("--x0", args.x0)):
            if given is not None:
                raise NumpolError(f"{flag} belongs to the simulate job, not {args.job}")
    if args.job in ("simulate",) and len(sizes) > 1:
        raise NumpolError(f"simulate takes one --N, got {args.N!r}")
    head: dict[str, Any] = {
        "job": args.job,
        "commons": {"r": _text(m.r), "K": _text(m.K), "q": _text(m.q), "c": _text(m.c)},
        "rebate": args.rebate,
    }
    if args.job == "mean-field":
        out = _mean_field(m, sizes, tax, args.rebate)
    elif args.job == "thresholds":
        out = _thresholds(m)
    elif args.job == "tax":
        out = _tax(m, sizes, args.rebate)
    else:
        out = _simulate(m, sizes[0], tax, args)
    if args.json:
        print(json.dumps({**head, **out}, indent=2))
    else:
        c = head["commons"]
        print(f"harvest commons r = {c['r']}, K = {c['K']}, q = {c['q']}, c = {c['c']}")
        _print(args.job, out)
    return 0


def _point(m: HarvestCommons, label: str, E: Any) -> dict[str, Any]:
    x = steady_stock(m, E)
    return {
        "effort_of": label,
        "effort": _text(E),
        "stock": _text(x),
        "yield": _text(sustainable_yield(m, E)),
        "rent": _text(rent(m, E)),
        "stable_rest_points": [_text(e.stock) for e in stock_equilibria(m, E) if e.stable],
        "float": [float(E), float(x), float(sustainable_yield(m, E)), float(rent(m, E))],
    }


def _taxed(m: HarvestCommons, n: int, tax: Any, rebate: str) -> tuple[Any, Any]:
    t = corrective_tax(m, n, rebate=rebate) if tax is None else tax
    return t, taxed_nash_effort(m, n, t, rebate=rebate)


def _mean_field(m: HarvestCommons, sizes: list[int], tax: Any, rebate: str) -> dict[str, Any]:
    rows = [
        _point(m, "open access", open_access_effort(m)),
        _point(m, "social optimum", social_optimum_effort(m)),
        _point(m, "maximum sustainable yield", maximum_sustainable_yield(m).effort),
    ]
    for n in sizes:
        rows.append(_point(m, f"Nash, N = {n}", cournot_effort(m, n)))
        t, E = _taxed(m, n, tax, rebate)
        rows.append(_point(m, f"Nash under tax {t}, N = {n}", E))
    return {"collapse_effort": _text(collapse_effort(m)), "points": rows}


def _thresholds(m: HarvestCommons) -> dict[str, Any]:
    Ec = collapse_effort(m)
    oa = open_access_effort(m)
    h_fold, phi_fold = mean_field_fold_harvest()
    return {
        "collapse_effort": _text(Ec),
        "cost_ratio": _text(m.cost_ratio),
        "open_access_effort": _text(oa),
        "open_access_collapses": bool(oa >= Ec),
        "grid_collapse_harvest": _text(mean_field_collapse_harvest()),
        "grid_fold_harvest": h_fold,
        "grid_fold_density": phi_fold,
    }


def _tax(m: HarvestCommons, sizes: list[int], rebate: str) -> dict[str, Any]:
    optimum = social_optimum_effort(m)
    rows = []
    for n in sizes:
        row: dict[str, Any] = {"N": n, "nash_effort": _text(cournot_effort(m, n))}
        for mode in ("counted", "ignored"):
            try:
                t = corrective_tax(m, n, rebate=mode)
            except ValueError as err:  # c = 0 and the rebate ignored: no linear tax works
                row[mode] = {"tax": None, "why": str(err)}
                continue
            E = taxed_nash_effort(m, n, t, rebate=mode)
            row[mode] = {"tax": _text(t), "effort": _text(E), "optimal": bool(E == optimum)}
        rows.append(row)
    return {"optimum_effort": _text(optimum), "rebate_shown_first": rebate, "rows": rows}


def _simulation_task(
    commons: dict[str, str],
    efforts: list[float],
    sites: int,
    x0: float,
    times: list[float],
    runs: int,
    *,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """One chunk of orchards: the stock at `times` and who died out."""
    m = HarvestCommons(*(number(commons[k], k) for k in ("r", "K", "q", "c")))
    run = simulate_commons(m, efforts, sites=sites, x0=x0, times=times, runs=runs, rng=rng)
    return {"stock": run.stock, "extinct": run.extinct}


def _simulate(m: HarvestCommons, n: int, tax: Any, args: argparse.Namespace) -> dict[str, Any]:
    if args.sites < 1 or args.runs < 1:
        raise NumpolError(f"--sites and --runs must be positive, got {args.sites}, {args.runs}")
    if not (math.isfinite(args.t) and args.t > 0):
        raise NumpolError(f"--t must be a positive finite time, got {args.t}")
    if tax is not None and (args.effort is not None or args.at != "taxed"):
        raise NumpolError("--tax sets the effort of --at taxed; drop it or use --at taxed")
    if args.effort is not None:
        E: Any = number(args.effort, "--effort")
        label = f"--effort {args.effort}"
        if E < 0:
            raise NumpolError(f"--effort must be >= 0, got {args.effort}")
    else:
        label = args.at
        named = {
            "nash": lambda: cournot_effort(m, n),
            "taxed": lambda: _taxed(m, n, tax, args.rebate)[1],
            "optimum": lambda: social_optimum_effort(m),
            "msy": lambda: maximum_sustainable_yield(m).effort,
            "open-access": lambda: open_access_effort(m),
            "collapse": lambda: collapse_effort(m),
        }
        E = named[args.at]()
    x0 = float(m.K) if args.x0 is None else float(number(args.x0, "--x0"))
    if not 0 <= x0 <= float(m.K):
        raise NumpolError(f"--x0 must lie in [0, K = {m.K}], got {args.x0}")
    times = [0.0, args.t]
    spec = {k: _text(getattr(m, k)) for k in ("r", "K", "q", "c")}
    efforts = [float(E) / n] * n
    params = [
        {
            "commons": spec,
            "efforts": efforts,
            "sites": args.sites,
            "x0": x0,
            "times": times,
            "runs": r,
        }
        for r in _chunks(args.runs)
    ]
    res = run_tasks(_simulation_task, params, args)
    final = np.concatenate([r["stock"][:, -1] for r in res.results])
    extinct = np.concatenate([r["extinct"] for r in res.results])
    ln = linear_noise(m, float(E), sites=args.sites, x0=x0, times=times)
    tol = float(agreement_tolerance(ln, args.runs)[-1])
    mean = float(final.mean())
    return {
        "effort_of": label,
        "effort": _text(E),
        "N": n,
        "sites": args.sites,
        "runs": args.runs,
        "t": args.t,
        "x0": x0,
        "mean_field_stock": float(ln.mean[-1]),
        "steady_stock": _text(steady_stock(m, E)),
        "simulated_mean": mean,
        "simulated_se": float(final.std(ddof=1) / math.sqrt(len(final)))
        if len(final) > 1
        else None,
        "tolerance": tol,
        "agrees": bool(abs(mean - float(ln.mean[-1])) <= tol),
        "extinct": float(extinct.mean()),
    }


def _chunks(runs: int) -> list[int]:
    full, rest = divmod(runs, TASK_RUNS)
    return [TASK_RUNS] * full + ([rest] if rest else [])


def _print(job: str, out: dict[str, Any]) -> None:
    if job == "mean-field":
        print(f"collapse effort r/q = {out['collapse_effort']}")
        print(f"  {'effort of':34s} {'effort':>10s} {'stock':>10s} {'yield':>10s} {'rent':>10s}")
        for p in out["points"]:
            E, x, y, rt = p["float"]
            print(f"  {p['effort_of']:34s} {E:10.4g} {x:10.4g} {y:10.4g} {rt:10.4g}")
        print("  (exact fractions: --json)")
        return
    if job == "thresholds":
        print(f"collapse effort r/q = {out['collapse_effort']}: at or above it the stock dies out")
        print(
            f"cost ratio c/(qK) = {out['cost_ratio']}; open access effort "
            f"{out['open_access_effort']} "
            + ("reaches the collapse" if out["open_access_collapses"] else "stays below it")
        )
        print(
            f"local regrowth (mean field): the empty orchard is stable above harvest "
            f"{out['grid_collapse_harvest']}; the stocked orchard persists up to harvest "
            f"{out['grid_fold_harvest']:.5f} (density {out['grid_fold_density']:.4f}); "
            "in between both are stable"
        )
        return
    if job == "tax":
        print(f"social optimum effort {out['optimum_effort']}; corrective harvest tax, rebated:")
        print(
            f"  {'N':>5s} {'Nash effort':>12s}  {'t* counted':>12s} {'optimal':>8s}"
            f"  {'t* ignored':>12s} {'optimal':>8s}"
        )
        for row in out["rows"]:
            cells = []
            for mode in ("counted", "ignored"):
                v = row[mode]
                cells.append(
                    f"{'none':>12s} {'':>8s}"
                    if v["tax"] is None
                    else f"{v['tax']:>12s} {str(v['optimal']):>8s}"
                )
            print(f"  {row['N']:5d} {row['nash_effort']:>12s}  {cells[0]}  {cells[1]}")
        return
    se = "" if out["simulated_se"] is None else f" ± {out['simulated_se']:.3f}"
    print(
        f"{out['runs']} orchards of {out['sites']} sites, {out['N']} agents, total effort "
        f"{out['effort']} ({out['effort_of']}), from stock {out['x0']:g} to t = {out['t']:g}"
    )
    print(
        f"  mean stock at t: simulated {out['simulated_mean']:.3f}{se}; mean field "
        f"{out['mean_field_stock']:.3f} (steady stock {out['steady_stock']}); tolerance "
        f"{out['tolerance']:.3f} ({K_SIGMA:g} SE + linear-noise shift): agrees {out['agrees']}"
    )
    print(f"  died out: {out['extinct']:.3f} of the orchards")
