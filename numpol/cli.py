"""The ``numpol`` command line. Subcommands live in :mod:`numpol.commands`, one module each,
each defining ``register(subparsers)``; they are discovered, not listed."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from dynamics.errors import DynamicsError
from modal.errors import ModalError
from numpol.errors import NumpolError
from theory.errors import TheoryError

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every discovered subcommand.

    Examples
    --------
    >>> "reproduce" in build_parser().format_help()
    True
    """
    import numpol.commands as pkg

    parser = argparse.ArgumentParser(
        prog="numpol", description="numerical experiments on simulated societies"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        importlib.import_module(f"{pkg.__name__}.{info.name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, dispatch to the subcommand's ``func(args) -> int``.

    Errors of the toolkit's own (bad input) print one line and exit with status 2; Ctrl-C
    exits with 130 and a closed output pipe (``numpol ... | head``) with 141, as shells do.
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (ModalError, TheoryError, DynamicsError, NumpolError) as err:
        print(f"numpol {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"numpol {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away: silence the flush at exit, which would fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
