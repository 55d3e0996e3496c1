"""Pure best replies, and the parameter regions where each pure strategy is one.

For a symmetric game (or the row player of a bimatrix game) with payoffs `A`, the best replies
to the opponent's pure strategy `j` are the rows maximising column `j`. With sympy parameters the
answer depends on them: :func:`best_responses` gives, for each (opponent, reply), the exact region
of parameter values where the reply is a best one, and the break points where the table changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sympy
from numpy.typing import ArrayLike

from theory._numbers import sympy_value
from theory.games import GameLike, as_game, payoff_matrix
from theory.linalg import exact_kind
from theory.regions import Region, free_parameters, parameter_domain, region_of
from theory.typing import Params
from theory.typing import Value as Payoff

__all__ = [
    "BestReply",
    "BestResponseTable",
    "PureEquilibrium",
    "best_responses",
    "pure_equilibria",
    "as_rows",
]

# Float payoffs within this of the column maximum count as ties (payoffs O(1..10)).
BR_TOL = 1e-12


@dataclass(frozen=True)
class BestReply:
    """Reply `reply` is a best reply to the opponent's pure strategy `opponent` on `region`.

    For numeric payoffs `region` is None (always) and `payoff` a number.
    """

    opponent: int
    reply: int
    payoff: Payoff
    region: Region | None = None


@dataclass(frozen=True)
class BestResponseTable:
    """All best replies, and the parameter values where the table changes (symbolic only)."""

    entries: tuple[BestReply, ...]
    breakpoints: tuple[sympy.Expr, ...] = ()

    def replies(
        self, opponent: int, values: Mapping[sympy.Symbol, Payoff] | None = None
    ) -> tuple[int, ...]:
        """Best replies to `opponent` (at parameter `values` for a symbolic table).

        Examples
        --------
        >>> best_responses([[3, 0], [5, 1]]).replies(0)
        (1,)
        """
        out = []
        for e in self.entries:
            if e.opponent != opponent:
                continue
            if e.region is None:
                out.append(e.reply)
                continue
            if not values:
                raise ValueError("a symbolic table needs parameter values")
            if {k: sympy_value(v) for k, v in values.items()} in e.region:
                out.append(e.reply)
        return tuple(out)


def best_responses(A: ArrayLike, *, params: Params = None) -> BestResponseTable:
    """Pure best replies to each pure strategy of the opponent.

    Parameters
    ----------
    A : array_like, shape (m, n)
        The replier's payoffs: rows are its strategies, columns the opponent's.
    params : Symbol or sequence of Symbol, optional
        For symbolic `A` (default: its free symbols). Regions are
        :class:`~theory.regions.Region` (within the symbols' assumptions, e.g. ``(0, ∞)`` for
        ``positive=True``).

    Returns
    -------
    BestResponseTable
        Entries ordered by opponent, then reply. Symbolic: one entry per (opponent, reply) whose
        region is not empty, and the sorted break points (ends of the regions).

    Examples
    --------
    >>> e = sympy.Symbol("e", positive=True)
    >>> t = best_responses([[1, 0], [2 - e, 1 - e]], params=e)
    >>> [(b.opponent, b.reply, str(b.region)) for b in t.entries]
    [(0, 0, '[1, ∞)'), (0, 1, '(0, 1]'), (1, 0, '[1, ∞)'), (1, 1, '(0, 1]')]
    >>> t.breakpoints
    (1,)
    """
    M = payoff_matrix(A)
    m, n = M.shape
    kind = exact_kind(M)
    entries: list[BestReply] = []
    if kind != "symbolic":
        for j in range(n):
            col = M[:, j]
            if kind == "float":
                best = col.max()
                rows = [i for i in range(m) if col[i] >= best - BR_TOL * (1 + abs(best))]
            else:
                best = max(col)
                rows = [i for i in range(m) if col[i] == best]
            entries.extend(BestReply(j, i, M[i, j]) for i in rows)
        return BestResponseTable(tuple(entries))
    ps = free_parameters(M, params=params)
    points: set[sympy.Expr] = set()
    for j in range(n):
        for i in range(m):
            conds = [sympy.sympify(M[i, j]) >= sympy.sympify(M[k, j]) for k in range(m) if k != i]
            region = region_of(conds, ps, matrix=M)
            if region.is_empty:
                continue
            entries.append(BestReply(j, i, sympy.sympify(M[i, j]), region))
            points |= set(region.boundary)
    finite = [q for q in points if q.is_finite and q.is_real]
    domain_ends = set()
    if len(ps) == 1:
        d = parameter_domain(ps[0])
        domain_ends = {d.inf, d.sup}
    bps = tuple(sorted((q for q in finite if q not in domain_ends), key=float))
    return BestResponseTable(tuple(entries), bps)


@dataclass(frozen=True)
class PureEquilibrium:
    """The pure strategy profile (`row`, `column`) is a Nash equilibrium on `region`.

    `region` is None for numeric games (the profile is an equilibrium, full stop).
    """

    row: int
    column: int
    region: Region | None = None


def pure_equilibria(game: GameLike, *, params: Params = None) -> list[PureEquilibrium]:
    """Pure Nash equilibria as mutual best replies, ordered by row, then column.

    One square matrix means the symmetric game ``(A, A.T)``; a pair is ``(A, B)`` (see
    :func:`~theory.games.as_game`).

    Examples
    --------
    >>> pure_equilibria([[3, 0], [5, 1]])
    [PureEquilibrium(row=1, column=1, region=None)]
    >>> e = sympy.Symbol("e", positive=True)
    >>> pure = pure_equilibria([[1, 0], [2 - e, 1 - e]], params=e)
    >>> [(q.row, q.column, str(q.region)) for q in pure]
    [(0, 0, '[1, ∞)'), (0, 1, '{1}'), (1, 0, '{1}'), (1, 1, '(0, 1]')]
    """
    g = as_game(game)
    row = best_responses(g.A, params=params)
    col = best_responses(g.B.T.copy(), params=params)
    out: list[PureEquilibrium] = []
    col_by = {(e.opponent, e.reply): e for e in col.entries}
    for e in row.entries:  # e.reply = row strategy, e.opponent = column strategy
        other = col_by.get((e.reply, e.opponent))
        if other is None:
            continue
        if e.region is None or other.region is None:
            out.append(PureEquilibrium(e.reply, e.opponent))
            continue
        region = e.region.intersect(other.region)
        if not region.is_empty:
            out.append(PureEquilibrium(e.reply, e.opponent, region))
    out.sort(key=lambda q: (q.row, q.column))
    return out


def _labels(labels: Sequence[str] | None, n: int) -> list[str]:
    return list(labels) if labels is not None else [str(i) for i in range(n)]


def as_rows(table: BestResponseTable, labels: Sequence[str] | None = None) -> list[tuple[str, ...]]:
    """The table as text rows ``(opponent, best reply, payoff, region)`` for reports.

    Examples
    --------
    >>> as_rows(best_responses([[3, 0], [5, 1]]), ["C", "D"])
    [('C', 'D', '5', 'always'), ('D', 'D', '1', 'always')]
    """
    n = 1 + max((max(e.opponent, e.reply) for e in table.entries), default=0)
    names = _labels(labels, n)
    return [
        (
            names[e.opponent],
            names[e.reply],
            str(e.payoff),
            "always" if e.region is None else str(e.region),
        )
        for e in table.entries
    ]
