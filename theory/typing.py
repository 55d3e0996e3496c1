"""Type aliases for the inputs and results of :mod:`theory` (as :mod:`numpy.typing` for numpy).

A game is :data:`theory.games.GameLike`; the rest is here. sympy has no type hints, so its
expressions count as ``Any`` to a type checker: the aliases still say what is meant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TypeAlias

import numpy as np
import sympy
from numpy.typing import ArrayLike

__all__ = [
    "MatrixLike",
    "RealLike",
    "ExprLike",
    "Value",
    "RealsLike",
    "ExprsLike",
    "Params",
    "Seed",
]

MatrixLike: TypeAlias = ArrayLike | Sequence[Sequence[object]]
"""A payoff matrix as a user writes it: an array, or nested sequences of ints, fractions,
floats or sympy expressions (validated by :func:`theory.games.payoff_matrix`)."""

RealLike: TypeAlias = int | float | Fraction | str | np.integer | np.floating
"""A real number as a user writes it: exact, float, or text such as ``"1/10"``."""

ExprLike: TypeAlias = RealLike | sympy.Expr
"""A real number or a sympy expression in parameters."""

Value: TypeAlias = int | Fraction | float | sympy.Expr
"""An entry of a result: exact (``int``/``Fraction``), ``float`` or a sympy expression."""

RealsLike: TypeAlias = Sequence[RealLike] | np.ndarray
"""Several real numbers (cut-offs, incomes, a strategy): a sequence or an array."""

ExprsLike: TypeAlias = Sequence[ExprLike] | np.ndarray
"""Several numbers or sympy expressions (a mixed strategy with parameters, eigenvalues)."""

Params: TypeAlias = sympy.Symbol | Iterable[sympy.Symbol] | None
"""The parameters of a symbolic game: one Symbol, several, or None for every free symbol."""

Seed: TypeAlias = int | np.random.Generator | None
"""What every stochastic function's keyword-only ``rng`` accepts (SPEC 7)."""
