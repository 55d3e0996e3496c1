"""Errors raised by :mod:`numpol` (the command line and the experiment registry)."""

from __future__ import annotations

__all__ = ["NumpolError"]


class NumpolError(ValueError):
    """Root of numpol's errors; the CLI turns it into exit status 2."""
