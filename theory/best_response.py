"""Pure best replies, and the parameter regions where each pure strategy is one.

For a symmetric game (or the row player of a bimatrix game) with payoffs `A`, the best replies
to the opponent's pure strategy `j` are the rows maximising column `j`. With sympy parameters the
answer depends on them: :func:`best_responses` gives, for each (opponent, reply), the exact region
of parameter values where the reply is a best one, and the break points where the table changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from theory.equilibria.symbolic import _params, region_of
from theory.games import as_game, payoff_matrix
from theory.linalg import exact_kind

__all__ = ["BestReply", "BestResponseTable", "best_responses", "pure_equilibria", "as_rows"]

# Float payoffs within this of the column maximum count as ties (payoffs O(1..10)).
BR_TOL = 1e-12


@dataclass(frozen=True)
class BestReply:
    """Reply `reply` is a best reply to the opponent's pure strategy `opponent` on `region`.

    For numeric payoffs `region` is None (always) and `payoff` a number.
    """

    opponent: int
    reply: int
    payoff: Any
    region: Any = None


@dataclass(frozen=True)
class BestResponseTable:
    """All best replies, and the parameter values where the table changes (symbolic only)."""

    entries: tuple[BestReply, ...]
    breakpoints: tuple[Any, ...] = ()

    def replies(self, opponent: int, values: dict[Any, Any] | None = None) -> tuple[int, ...]:
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
            (val,) = values.values()
            if sympy.nsimplify(val) in e.region:
                out.append(e.reply)
        return tuple(out)


def best_responses(A: Any, params: Any = None) -> BestResponseTable:
    """Pure best replies to each pure strategy of the opponent.

    Parameters
    ----------
    A : array_like, shape (m, n)
        The replier's payoffs: rows are its strategies, columns the opponent's.
    params : Symbol or sequence of Symbol, optional
        For symbolic `A` (default: its free symbols). With one parameter, regions are sympy
        sets (within the symbol's assumptions, e.g. ``(0, oo)`` for ``positive=True``).

    Returns
    -------
    BestResponseTable
        Entries ordered by opponent, then reply. Symbolic: one entry per (opponent, reply) whose
        region is not empty, and the sorted break points (ends of the regions).

    Examples
    --------
    >>> e = sympy.Symbol("e", positive=True)
    >>> t = best_responses([[1, 0], [2 - e, 1 - e]], e)
    >>> [(b.opponent, b.reply, b.region) for b in t.entries]  # doctest: +NORMALIZE_WHITESPACE
    [(0, 0, Interval(1, oo)), (0, 1, Interval.Lopen(0, 1)),
     (1, 0, Interval(1, oo)), (1, 1, Interval.Lopen(0, 1))]
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
    ps = _params(M, params)
    points: set[Any] = set()
    for j in range(n):
        for i in range(m):
            conds = [sympy.sympify(M[i, j]) >= sympy.sympify(M[k, j]) for k in range(m) if k != i]
            region = region_of(conds, ps, M)
            if region is sympy.S.EmptySet or region is sympy.false:
                continue
            entries.append(BestReply(j, i, sympy.sympify(M[i, j]), region))
            if isinstance(region, sympy.Set):
                points |= set(region.boundary)
    finite = [q for q in points if q.is_finite and q.is_real]
    domain_ends = set()
    if len(ps) == 1:
        from theory.equilibria.symbolic import parameter_domain

        d = parameter_domain(ps[0])
        domain_ends = {d.inf, d.sup}
    bps = tuple(sorted((q for q in finite if q not in domain_ends), key=float))
    return BestResponseTable(tuple(entries), bps)


def pure_equilibria(A: Any, B: Any = None, params: Any = None) -> list[tuple[int, int, Any]]:
    """Pure Nash equilibria ``(row, column, region)`` as mutual best replies.

    One square `A` means the symmetric game ``(A, A.T)``. `region` is None for numeric games.

    Examples
    --------
    >>> pure_equilibria([[3, 0], [5, 1]])
    [(1, 1, None)]
    >>> e = sympy.Symbol("e", positive=True)
    >>> pure_equilibria([[1, 0], [2 - e, 1 - e]], params=e)
    [(0, 0, Interval(1, oo)), (0, 1, {1}), (1, 0, {1}), (1, 1, Interval.Lopen(0, 1))]
    """
    g = as_game(A, B)
    row = best_responses(g.A, params)
    col = best_responses(g.B.T.copy(), params)
    out: list[tuple[int, int, Any]] = []
    col_by = {(e.opponent, e.reply): e for e in col.entries}
    for e in row.entries:  # e.reply = row strategy, e.opponent = column strategy
        other = col_by.get((e.reply, e.opponent))
        if other is None:
            continue
        if e.region is None:
            out.append((e.reply, e.opponent, None))
            continue
        region = (
            e.region.intersect(other.region)
            if isinstance(e.region, sympy.Set)
            else sympy.And(e.region, other.region)
        )
        if region is not sympy.S.EmptySet and region is not sympy.false:
            out.append((e.reply, e.opponent, region))
    out.sort(key=lambda t: (t[0], t[1]))
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
