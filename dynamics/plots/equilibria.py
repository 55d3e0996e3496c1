"""Equilibria against a parameter: one panel per symmetric equilibrium, and their payoffs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import sympy

from theory.equilibria import SymbolicEquilibrium
from theory.regions import format_region

__all__ = ["plot_symbolic_equilibria", "math_label"]

# strategy colours shared with the report's other figures (matplotlib's default cycle)
_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")
# payoff lines are equilibria, not strategies: other colours, and dash patterns so that equal
# payoffs (e.g. two equilibria both paying 1) stay visible
_PAY_STYLES = (
    ("black", "-", 3.0),
    ("tab:purple", (0, (5, 3)), 2.0),
    ("tab:cyan", "-", 2.0),
    ("tab:olive", "-", 2.0),
    ("tab:brown", (0, (1, 1.5)), 2.2),
    ("tab:pink", "-.", 2.0),
    ("tab:gray", "--", 2.0),
)


def math_label(
    expr: sympy.Expr | float | Fraction, param: sympy.Symbol, *, tex_name: str = r"\varepsilon"
) -> str:
    """An expression as matplotlib mathtext, constant term first.

    Examples
    --------
    >>> e = sympy.Symbol("epsilon", positive=True)
    >>> math_label(2 - 2 * e, e)
    '$2 - 2 \\\\varepsilon$'
    """
    e = sympy.cancel(sympy.sympify(expr))
    return f"${sympy.latex(e, order='rev-lex', symbol_names={param: tex_name})}$"


def plot_symbolic_equilibria(
    eqs: Iterable[SymbolicEquilibrium],
    param: sympy.Symbol,
    names: Sequence[str],
    *,
    short: Sequence[str] | None = None,
    xmax: float = 0.6,
    breaks: Sequence[float] = (),
    param_label: str = "modelling penalty ε",
) -> np.ndarray:
    """Each symmetric equilibrium's probabilities against `param` over its exact region, and a
    last panel with every equilibrium's payoff.

    Strategies played with probability 0 throughout an equilibrium's region are not drawn (they
    would lie on top of each other at 0); each panel's legend gives the exact probabilities.

    Parameters
    ----------
    eqs : sequence of SymbolicEquilibrium
        From :func:`theory.equilibria.symbolic_equilibria`; asymmetric ones are skipped.
    param : sympy.Symbol
        The parameter on the x axis.
    names, short : sequence of str
        Strategy names for legends, and short names for titles (default: `names`).
    xmax : float
        Right end of the x axis (from 0).
    breaks : sequence of float
        Parameter values to mark with grey lines (e.g. where the game is degenerate).

    Returns
    -------
    ndarray of Axes
        The figure's panels (``axes.flat[0].figure`` is the figure).

    Examples
    --------
    >>> e = sympy.Symbol("epsilon", positive=True)
    >>> from theory.equilibria import symbolic_equilibria
    >>> eqs = symbolic_equilibria([[1, 3], [1 - e, 2 - e]], params=[e])
    >>> axes = plot_symbolic_equilibria(eqs, e, ["D", "F"])
    >>> axes.shape
    (1, 3)
    >>> plt.close(axes.flat[0].figure)
    """
    short = list(names) if short is None else list(short)
    sym = [q for q in eqs if q.is_symmetric]
    ncols = 3
    nrows = -(-(len(sym) + 1) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(13, 3.7 * nrows), squeeze=False)
    grid = np.linspace(1e-3, xmax, 600)
    pay_ax = axes.flat[len(sym)]
    for k, q in enumerate(sym):
        ax = axes.flat[k]
        inside = np.array([float(v) in q.region for v in grid])
        for i in range(len(names)):
            if sympy.simplify(q.x[i]) == 0:
                continue
            f = sympy.lambdify(param, q.x[i], "numpy")
            vals = np.where(inside, np.broadcast_to(f(grid), grid.shape), np.nan)
            colour = _COLOURS[i % len(_COLOURS)]
            ax.plot(
                grid, vals, color=colour, lw=2, label=f"{names[i]}: {math_label(q.x[i], param)}"
            )
        label = "/".join(short[i] for i in q.support_x)
        ax.set_title(
            f"{label}: exists for {param_label.split()[-1]} in {format_region(q.region)}",
            fontsize=10,
        )
        ax.set_ylim(-0.05, 1.15)
        ax.set_ylabel("probability")
        ax.legend(fontsize=8, loc="upper right", framealpha=0.9)
        u = sympy.lambdify(param, q.u, "numpy")
        pay = np.where(inside, np.broadcast_to(u(grid), grid.shape), np.nan)
        c, ls, lw = _PAY_STYLES[k % len(_PAY_STYLES)]
        pay_ax.plot(grid, pay, color=c, ls=ls, lw=lw, label=f"{label}: {math_label(q.u, param)}")
    pay_ax.set_title("payoff to each player", fontsize=10)
    pay_ax.set_ylabel("payoff")
    lo, hi = pay_ax.get_ylim()
    pay_ax.set_ylim(lo, hi + 0.45 * (hi - lo))  # room for the legend above the lines
    pay_ax.legend(fontsize=8, loc="upper right", ncols=2, framealpha=0.9)
    for ax in axes.flat[: len(sym) + 1]:
        for b in breaks:
            ax.axvline(b, color="0.85", lw=0.8, zorder=0)
        ax.set_xlim(0, xmax)
        ax.set_xlabel(param_label)
    for ax in axes.flat[len(sym) + 1 :]:
        ax.set_visible(False)
    marks = ", ".join(str(sympy.nsimplify(b)) for b in breaks)
    fig.suptitle(
        f"Symmetric equilibria against {param_label.split()[-1]}"
        + (f" (grey: {param_label.split()[-1]} = {marks})" if breaks else "")
        + "; strategies off the support (probability 0) not drawn"
    )
    fig.tight_layout()
    return axes
