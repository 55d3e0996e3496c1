"""Bifurcation diagrams: every rest point and its stability against one parameter; regime maps
of which rest points exist and which are stable over two parameters.

Both draw what :func:`theory.parametric_stability.stability_regions` derives exactly; nothing is
simulated. In a diagram a rest point's curve is solid where it is stable (a sink or a stable
spiral), dashed where it is unstable (source, saddle, unstable spiral), its colour giving the kind;
centres and non-hyperbolic values are marked points, undecided stretches grey and dotted.

Examples
--------
>>> import sympy
>>> a = sympy.Symbol("a", positive=True)
>>> ax = bifurcation_diagram([[0, -1, a], [a, 0, -1], [-1, a, 0]], param=a, span=(0, 2))
>>> sorted(line.get_gid() for line in ax.get_lines() if line.get_linestyle() == "-")
['0/1/2|stable spiral']
>>> plt.close(ax.figure)
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import sympy
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from numpy.typing import ArrayLike

from dynamics.errors import DynamicsError
from theory.parametric_stability import REST_POINT_KINDS, StabilityRegions, stability_regions
from theory.stability import replicator_rest_points

__all__ = ["bifurcation_diagram", "regime_map", "rest_point_regions", "STABLE_KINDS"]

#: The kinds drawn solid (asymptotically stable); every other hyperbolic kind is drawn dashed.
STABLE_KINDS = ("sink", "stable spiral")

_KIND_COLOURS = {
    "sink": "tab:blue",
    "stable spiral": "tab:cyan",
    "source": "tab:red",
    "unstable spiral": "tab:orange",
    "saddle": "tab:purple",
    "centre": "tab:green",
    "non-hyperbolic": "black",
}
# regime colours: light, distinct, printable in grey as different shades
_REGIME_COLOURS = (
    "#cfe2f3",
    "#f4cccc",
    "#d9ead3",
    "#fff2cc",
    "#d9d2e9",
    "#fce5cd",
    "#d0e0e3",
    "#ead1dc",
    "#b7b7b7",
    "#ffffff",
)


def rest_point_regions(
    A: ArrayLike, *, params: sympy.Symbol | Sequence[sympy.Symbol]
) -> tuple[StabilityRegions, ...]:
    """The stability regions of every isolated rest point of the symbolic game `A`.

    Examples
    --------
    >>> a = sympy.Symbol("a", positive=True)
    >>> [r.support for r in rest_point_regions([[a, 0], [0, 1]], params=a)]
    [(0,), (1,), (0, 1)]
    """
    ps = [params] if isinstance(params, sympy.Symbol) else list(params)
    return tuple(stability_regions(A, p.x, params=ps) for p in replicator_rest_points(A, params=ps))


def _name(sr: StabilityRegions, names: Sequence[str] | None) -> str:
    if names is None:
        return "/".join(str(i) for i in sr.support)
    return "/".join(names[i] for i in sr.support)


def _pieces(s: sympy.Set) -> tuple[list[tuple[float, float]], list[float]]:
    """The intervals and the isolated points of a set of reals already clipped to a span."""
    if s is sympy.S.EmptySet:
        return [], []
    parts = s.args if isinstance(s, sympy.Union) else (s,)
    intervals: list[tuple[float, float]] = []
    points: list[float] = []
    for part in parts:
        if isinstance(part, sympy.Interval):
            intervals.append((float(part.start), float(part.end)))
        elif isinstance(part, sympy.FiniteSet):
            points.extend(float(v) for v in part)
        else:  # pragma: no cover - clipped unions of intervals and points only
            raise DynamicsError(f"cannot draw the parameter set {part}")
    return intervals, points


def bifurcation_diagram(
    A: ArrayLike,
    *,
    param: sympy.Symbol,
    span: tuple[float, float] = (0.0, 1.0),
    coordinate: int = 0,
    names: Sequence[str] | None = None,
    regions: Sequence[StabilityRegions] | None = None,
    samples: int = 300,
    ax: Axes | None = None,
) -> Axes:
    """Every rest point's weight on one strategy against `param`, drawn by its stability.

    Parameters
    ----------
    A : array_like, shape (n, n)
        A symmetric game whose payoffs are expressions in `param` (exact otherwise).
    param : sympy.Symbol
        The parameter on the x axis.
    span : (float, float)
        The parameter values drawn.
    coordinate : int
        The strategy whose weight is the y axis.
    names : sequence of str, optional
        Strategy names, for the rest points' labels (default: indices).
    regions : sequence of StabilityRegions, optional
        Precomputed :func:`rest_point_regions` of `A` (computed when omitted).
    samples : int
        Points per drawn stretch.
    ax : Axes, optional

    Returns
    -------
    Axes
        One line per (rest point, kind, stretch of the parameter): solid for
        :data:`STABLE_KINDS`, dashed otherwise, coloured by kind, with ``gid``
        ``"<rest point>|<kind>"``; centres and non-hyperbolic values as markers.

    Examples
    --------
    >>> a = sympy.Symbol("a", positive=True)
    >>> ax = bifurcation_diagram([[a, 0], [0, 1]], param=a, span=(0, 2), names=["X", "Y"])
    >>> sorted((line.get_gid(), line.get_linestyle()) for line in ax.get_lines())
    [('X/Y|source', '--'), ('X|sink', '-'), ('Y|sink', '-')]
    >>> plt.close(ax.figure)
    """
    lo, hi = (float(v) for v in span)
    if not lo < hi:
        raise DynamicsError(f"span must be (low, high) with low < high, got {span}")
    srs = rest_point_regions(A, params=param) if regions is None else tuple(regions)
    n = len(srs[0].x) if srs else 0
    if not 0 <= coordinate < max(n, 1):
        raise DynamicsError(f"coordinate must be a strategy index in 0..{n - 1}, got {coordinate}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    window = sympy.Interval(sympy.nsimplify(lo), sympy.nsimplify(hi))
    used: list[str] = []
    undecided_drawn = False
    ends: dict[tuple[float, float], list[str]] = {}
    lines: set[str] = set()  # kinds drawn as stretches, and as isolated values
    dots: set[str] = set()
    for sr in srs:
        if sr.params != (param,):
            raise DynamicsError(
                f"regions must be of the one parameter {param}, got {list(map(str, sr.params))}"
            )
        y = sympy.lambdify(param, sr.x[coordinate], "numpy")
        label = _name(sr, names)
        last = None
        for kind in REST_POINT_KINDS:
            intervals, points = _pieces(sr.kinds[kind].as_set().intersect(window))
            colour = _KIND_COLOURS[kind]
            style = "-" if kind in STABLE_KINDS else "--"
            for a, b in intervals:
                t = np.linspace(a, b, samples)
                ax.plot(
                    t,
                    np.broadcast_to(y(t), t.shape),
                    ls=style,
                    zorder=3 if kind in STABLE_KINDS else 2,
                    color=colour,
                    lw=2,
                    gid=f"{label}|{kind}",
                )
                last = (b, float(y(b))) if last is None or b > last[0] else last
            for t0 in points:
                ax.plot(
                    [t0],
                    [float(y(t0))],
                    ls="none",
                    marker="o",
                    ms=6,
                    color=colour,
                    markeredgecolor="black",
                    gid=f"{label}|{kind}",
                )
            if (intervals or points) and kind not in used:
                used.append(kind)
            lines |= {kind} if intervals else set()
            dots |= {kind} if points else set()
        for u in sr.undecided:
            if u.question != "kind":
                continue
            intervals, points = _pieces(u.region.as_set().intersect(window))
            for a, b in intervals:
                t = np.linspace(a, b, samples)
                ax.plot(
                    t,
                    np.broadcast_to(y(t), t.shape),
                    ls=":",
                    color="0.6",
                    lw=2,
                    gid=f"{label}|undecided",
                )
                undecided_drawn = True
            for t0 in points:
                ax.plot(
                    [t0],
                    [float(y(t0))],
                    ls="none",
                    marker="x",
                    color="0.4",
                    gid=f"{label}|undecided",
                )
                undecided_drawn = True
        if last is not None:
            ends.setdefault((round(last[0], 6), round(last[1], 6)), []).append(label)
    for (x0, y0), labels in ends.items():  # rest points ending at one place share one label
        ax.annotate(
            ", ".join(labels),
            (x0, y0),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=8,
            va="center",
        )
    handles = [
        Line2D(
            [],
            [],
            color=_KIND_COLOURS[k],
            lw=2,
            ls=("-" if k in STABLE_KINDS else "--") if k in lines else "none",
            marker="o" if k in dots else None,
            markeredgecolor="black",
            label=k,
        )
        for k in used
    ]
    if undecided_drawn:
        handles.append(Line2D([], [], color="0.6", ls=":", lw=2, label="undecided"))
    ax.legend(handles=handles, fontsize=8, loc="best", framealpha=0.9)
    ax.set_xlim(lo, hi + 0.08 * (hi - lo))  # room for the labels at the right
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel(f"${sympy.latex(param)}$")
    strategy = names[coordinate] if names is not None else f"strategy {coordinate}"
    ax.set_ylabel(f"weight on {strategy}")
    ax.set_title(
        "Rest points of the replicator equation: solid stable, dashed unstable", fontsize=10
    )
    return ax


def regime_map(
    A: ArrayLike,
    *,
    params: tuple[sympy.Symbol, sympy.Symbol],
    xlim: tuple[float, float] = (0.0, 1.0),
    ylim: tuple[float, float] = (0.0, 1.0),
    names: Sequence[str] | None = None,
    regions: Sequence[StabilityRegions] | None = None,
    resolution: int = 300,
    ax: Axes | None = None,
) -> Axes:
    """Which rest points exist and which are stable, over two parameters, region by region.

    Each pixel is coloured by its regime: the stable rest points (sink or stable spiral) and the
    other rest points off the vertices that exist there (vertices are rest points everywhere).
    The regions' exact boundaries (the zero sets of the conditions' expressions) are drawn as
    thin lines; regimes are read from the exact conditions at the pixel centres.

    Parameters
    ----------
    A : array_like, shape (n, n)
        A symmetric game whose payoffs are expressions in `params`.
    params : (Symbol, Symbol)
        The parameters on the x and y axes.
    xlim, ylim : (float, float)
        The parameter ranges.
    names : sequence of str, optional
        Strategy names (default: indices).
    regions : sequence of StabilityRegions, optional
        Precomputed :func:`rest_point_regions` of `A` in `params`.
    resolution : int
        Pixels per axis.
    ax : Axes, optional

    Returns
    -------
    Axes
        The image (``ax.images[0]``, its array the regime index per pixel) and one legend entry
        per regime present, labelled ``"stable: ...; also: ..."``.

    Examples
    --------
    >>> V, C = sympy.symbols("V C", positive=True)
    >>> ax = regime_map([[(V - C) / 2, V], [0, V / 2]], params=(V, C), xlim=(0, 2), ylim=(0, 2),
    ...                 names=["H", "D"], resolution=10)
    >>> sorted(t.get_text() for t in ax.get_legend().get_texts())  # none: on V = C
    ['stable: H', 'stable: H/D', 'stable: none']
    >>> plt.close(ax.figure)
    """
    p, q = params
    srs = rest_point_regions(A, params=[p, q]) if regions is None else tuple(regions)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5.5))
    xs = np.linspace(*xlim, resolution + 1)
    ys = np.linspace(*ylim, resolution + 1)
    X, Y = np.meshgrid((xs[:-1] + xs[1:]) / 2, (ys[:-1] + ys[1:]) / 2)

    def holds(cond: sympy.Basic) -> np.ndarray:
        f = sympy.lambdify((p, q), cond, "numpy")
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.broadcast_to(np.asarray(f(X, Y), dtype=bool), X.shape)

    exist, stable, open_ = [], [], []
    for sr in srs:
        if set(sr.params) != {p, q}:
            raise DynamicsError(
                f"regions must be of the parameters {p}, {q}, got {list(map(str, sr.params))}"
            )
        exist.append(holds(sr.domain.condition))
        stable.append(np.logical_or.reduce([holds(sr.kinds[k].condition) for k in STABLE_KINDS]))
        und = [holds(u.region.condition) for u in sr.undecided if u.question == "kind"]
        open_.append(np.logical_or.reduce(und) if und else np.zeros(X.shape, dtype=bool))
    labels: dict[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]], int] = {}
    index = np.zeros(X.shape, dtype=int)
    for r, c in np.ndindex(X.shape):
        key = (
            tuple(k for k in range(len(srs)) if stable[k][r, c]),
            tuple(
                k
                for k in range(len(srs))
                if exist[k][r, c] and len(srs[k].support) > 1 and not stable[k][r, c]
            ),
            tuple(k for k in range(len(srs)) if open_[k][r, c]),
        )
        index[r, c] = labels.setdefault(key, len(labels))
    colours = [_REGIME_COLOURS[i % len(_REGIME_COLOURS)] for i in range(len(labels))]
    ax.imshow(
        index,
        origin="lower",
        extent=(*xlim, *ylim),
        aspect="auto",
        cmap=ListedColormap(colours),
        vmin=-0.5,
        vmax=len(labels) - 0.5,
        interpolation="nearest",
    )
    for expr in _boundaries(srs):
        f = sympy.lambdify((p, q), expr, "numpy")
        with np.errstate(divide="ignore", invalid="ignore"):
            Z = np.broadcast_to(np.asarray(f(X, Y), dtype=float), X.shape)
        if np.nanmin(Z) < 0 < np.nanmax(Z):
            ax.contour(X, Y, Z, levels=[0], colors="black", linewidths=0.8)
    handles = []
    for key, i in labels.items():
        text = "stable: " + (", ".join(_name(srs[k], names) for k in key[0]) or "none")
        if key[1]:
            text += "; also: " + ", ".join(_name(srs[k], names) for k in key[1])
        if key[2]:
            text += "; undecided: " + ", ".join(_name(srs[k], names) for k in key[2])
        handles.append(Patch(facecolor=colours[i], edgecolor="0.3", label=text))
    ax.legend(
        handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), framealpha=0.9
    )
    ax.set_xlabel(f"${sympy.latex(p)}$")
    ax.set_ylabel(f"${sympy.latex(q)}$")
    ax.set_title("Regimes: stable rest points, and other rest points off the vertices", fontsize=10)
    return ax


def _boundaries(srs: Sequence[StabilityRegions]) -> list[sympy.Expr]:
    """The distinct expressions whose sign the regions' conditions test."""
    out: list[sympy.Expr] = []
    for sr in srs:
        conds = [sr.domain.condition, *(sr.kinds[k].condition for k in REST_POINT_KINDS)]
        for c in conds:
            for rel in c.atoms(sympy.core.relational.Relational):
                e = sympy.factor(rel.lhs - rel.rhs)
                if e.free_symbols and e not in out:
                    out.append(e)
    return out
