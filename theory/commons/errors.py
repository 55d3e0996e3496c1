"""Errors raised by :mod:`theory.commons`; both sit under :class:`theory.errors.TheoryError`."""

from __future__ import annotations

from theory.errors import TheoryError

__all__ = ["CommonsError", "CommonsTypeError"]


class CommonsError(TheoryError):
    """A commons parameter outside its domain (``r <= 0``, ``K <= 0``, effort < 0, NaN, ...)."""


class CommonsTypeError(CommonsError, TypeError):
    """A commons input that is not a real number (a string, ``None``, a complex number, ...)."""
