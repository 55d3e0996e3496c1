"""Checks of command-line values shared by the ``numpol`` subcommands.

Each turns a value a user could plausibly mistype into a one-line :class:`NumpolError` (exit
status 2 from the CLI) or an ``argparse`` error, instead of a traceback or a silently wrong
answer.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from fractions import Fraction
from pathlib import Path
from tokenize import TokenError
from typing import TYPE_CHECKING, Any

from numpol.errors import NumpolError

if TYPE_CHECKING:
    from modal import Agent
    from theory.games import Game

__all__ = [
    "seed",
    "positive_int",
    "output_file",
    "plot_file",
    "read_text",
    "modal_environment",
    "expression",
    "add_param_option",
    "param_values",
    "game_at",
    "BASE_HELP",
    "base_option",
]

#: What a payoff expression in a ``--matrix`` file may hold: names, numbers, + - * / ^ ( ).
_EXPRESSION = re.compile(r"[A-Za-z0-9_.+\-*/^() ]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def seed(text: str) -> int:
    """An ``argparse`` type: a seed for ``numpy.random.default_rng``, a non-negative integer.

    Examples
    --------
    >>> seed("7")
    7
    >>> seed("-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: a seed must be a non-negative integer, got '-1'
    """
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"a seed must be a non-negative integer, got {text!r}")
    return value


def positive_int(text: str) -> int:
    """An ``argparse`` type: a count of workers or jobs, an integer >= 1.

    Examples
    --------
    >>> positive_int("2")
    2
    >>> positive_int("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a positive integer, got '0'
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def output_file(path: Path, flag: str) -> None:
    """Refuse an output file whose folder does not exist (checked before any long run).

    Examples
    --------
    >>> output_file(Path("nowhere/x.png"), "--plot")
    Traceback (most recent call last):
    ...
    numpol.errors.NumpolError: --plot 'nowhere/x.png': folder 'nowhere' does not exist
    """
    folder = path.parent
    if not folder.is_dir():
        raise NumpolError(f"{flag} {str(path)!r}: folder {str(folder)!r} does not exist")
    if path.is_dir():
        raise NumpolError(f"{flag} {str(path)!r} is a folder, not a file")


def plot_file(path: Path, flag: str) -> None:
    """Refuse, before any long run, a plot file matplotlib cannot write: a missing folder (see
    :func:`output_file`), a format it does not know (from the suffix), or a place that cannot
    be written (tried by opening the file for appending; a file made by the try is removed).

    Examples
    --------
    >>> plot_file(Path("out.xyz"), "--plot")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    numpol.errors.NumpolError: --plot 'out.xyz': unknown image format '.xyz' (use one of ...)
    """
    output_file(path, flag)
    from matplotlib.backend_bases import FigureCanvasBase

    formats = sorted(FigureCanvasBase.get_supported_filetypes())
    if path.suffix.lower().lstrip(".") not in formats:
        shown = repr(path.suffix) if path.suffix else "(no suffix)"
        raise NumpolError(
            f"{flag} {str(path)!r}: unknown image format {shown} "
            f"(use one of {', '.join('.' + f for f in formats)})"
        )
    existed = path.exists()
    try:
        with path.open("ab"):
            pass
    except OSError as err:
        raise NumpolError(f"cannot write {flag} {str(path)!r}: {err.strerror}") from None
    if not existed:
        os.unlink(path)


def read_text(path: Path, flag: str) -> str:
    """The UTF-8 text of an input file (a leading byte-order mark dropped), or a one-line
    error naming `flag` and the file.

    Examples
    --------
    >>> read_text(Path("no-such-file.csv"), "--matrix")
    Traceback (most recent call last):
    ...
    numpol.errors.NumpolError: cannot read --matrix 'no-such-file.csv': No such file or directory
    """
    try:
        return path.read_text(encoding="utf-8-sig")  # drops the BOM of Excel's "CSV UTF-8"
    except OSError as err:
        raise NumpolError(f"cannot read {flag} {str(path)!r}: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise NumpolError(
            f"cannot read {flag} {str(path)!r}: not UTF-8 text (byte {err.start}); "
            "save it as plain text"
        ) from None


def modal_environment(path: Path | None) -> dict[str, Agent]:
    """The library's agents plus those defined in the ``--defs`` file `path` (if any).

    A definition that replaces a library agent is allowed (a user may want a different
    CooperateBot) but never silent: a note naming it goes to standard error.

    Examples
    --------
    >>> env = modal_environment(None)
    >>> env["FairBot"].name
    'FairBot'
    """
    from modal import LIBRARY, environment, parse_agents

    user = [] if path is None else parse_agents(read_text(path, "--defs"))
    if path is not None and not user:  # else "unknown agent 'Me' (in the command line)"
        raise NumpolError(
            f"--defs {str(path)!r} defines no agent (expected lines 'Name := formula')"
        )
    for a in user:
        if a.name in LIBRARY and LIBRARY[a.name].formula != a.formula:
            print(
                f"note: --defs redefines the library agent {a.name!r} as {a.formula}",
                file=sys.stderr,
            )
    return environment(user, LIBRARY)


def expression(text: str, where: str) -> Any:  # Any: a sympy expression or the number text
    """A ``--matrix`` cell: number text as it is (read exactly later), else a payoff expression
    in parameters, such as ``(V - C)/2`` or ``1 + a^2``.

    Every name is a real parameter (``I``, ``E`` and ``pi`` too: a file's names are the
    user's); a name followed by ``(`` is a function (``sqrt(a)``). Decimals in an expression are
    exact (``0.1*a`` is ``a/10``), as everywhere on the command line.

    Examples
    --------
    >>> expression("1/2", "--matrix 'g.csv' line 1"), expression("(V - C)/2 + 0.1", "g")
    ('1/2', -C/2 + V/2 + 1/10)
    >>> expression("a ** b; rm", "--matrix 'g.csv' line 2")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    numpol.errors.NumpolError: --matrix 'g.csv' line 2: 'a ** b; rm' is neither a number nor ...
    """
    cell = text.strip()
    if cell.lower().lstrip("+-") in {"nan", "inf", "infinity"}:
        return cell  # the numbers rule refuses it, naming the entry
    try:
        Fraction(cell)
        return cell
    except ZeroDivisionError:
        return cell  # the numbers rule says "division by zero", naming the entry
    except ValueError:
        pass
    import sympy
    from sympy.parsing.sympy_parser import (
        convert_xor,
        parse_expr,
        rationalize,
        standard_transformations,
    )

    bad = NumpolError(
        f"{where}: {cell!r} is neither a number nor an expression (names, numbers, + - * / ^ "
        "and parentheses)"
    )
    if not cell or not _EXPRESSION.fullmatch(cell) or "**" in cell:
        raise bad
    names = {
        m.group(): sympy.Symbol(m.group(), real=True)
        for m in _NAME.finditer(cell)
        if not cell[m.end() :].lstrip().startswith("(")
    }
    try:
        value = parse_expr(
            cell,
            local_dict=names,
            transformations=(*standard_transformations, convert_xor, rationalize),
        )
    except (SyntaxError, TypeError, ValueError, AttributeError, TokenError, sympy.SympifyError):
        raise bad from None
    if not isinstance(value, sympy.Expr):
        raise bad
    return value


def add_param_option(parser: argparse.ArgumentParser) -> None:
    """``--param NAME=VALUE`` (several allowed): values of a ``--matrix`` file's parameters."""
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="value of a parameter of the --matrix expressions, e.g. --param a=1/2 (repeat for "
        "several); read exactly like every number",
    )


def param_values(texts: list[str]) -> dict[str, str]:
    """The ``--param`` values by name (the values stay text: the game reads them exactly).

    Examples
    --------
    >>> param_values(["a=1/2", " b = 0.1 "])
    {'a': '1/2', 'b': '0.1'}
    >>> param_values(["a=1", "a=2"])
    Traceback (most recent call last):
    ...
    numpol.errors.NumpolError: --param a is given twice
    """
    out: dict[str, str] = {}
    for text in texts:
        name, sep, value = text.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not _NAME.fullmatch(name) or not value:
            raise NumpolError(f"--param {text!r}: write NAME=VALUE, e.g. --param a=1/2")
        if name in out:
            raise NumpolError(f"--param {name} is given twice")
        out[name] = value
    return out


def game_at(game: Game, texts: list[str], where: str) -> Game:
    """`game` at the ``--param`` values: every parameter needs one, and each value a parameter.

    Examples
    --------
    >>> from theory.games import Game
    >>> import sympy
    >>> a = sympy.Symbol("a", real=True)
    >>> game_at(Game.symmetric([[a, 0], [0, 1]]), ["a=1/2"], "--matrix").A.tolist()
    [[Fraction(1, 2), 0], [0, 1]]
    >>> game_at(Game.symmetric([[a, 0], [0, 1]]), [], "--matrix 'g.csv'")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    numpol.errors.NumpolError: --matrix 'g.csv' has the parameter a: give a value with --param ...
    """
    from theory.errors import GameParameterError

    values = param_values(texts)
    names = [str(s) for s in game.parameters]
    if names and not values:
        plural = "s" if len(names) > 1 else ""
        raise NumpolError(
            f"{where} has the parameter{plural} {', '.join(names)}: give "
            + ("a value" if len(names) == 1 else "values")
            + " with "
            + " ".join(f"--param {n}=VALUE" for n in names)
        )
    try:
        return game.at(values)
    except GameParameterError as err:
        raise NumpolError(f"--param: {err}") from None


#: The help text of ``--base``, the 2 x 2 game modal agents play (every command taking agents).
BASE_HELP = (
    "the 2x2 base game of modal agents: pd (the seed's, default), pd-axelrod, stag-hunt, chicken, "
    "or four payoffs CC,CD,DC,DD (my move, their move), e.g. 3,0,5,1"
)


def base_option(args: argparse.Namespace) -> object:
    """The checked ``--base`` of `args` for :func:`theory.modal_game.modal_game` (a name or
    a 2 x 2 matrix of exact numbers); ``--base`` with ``--matrix`` is refused.

    Examples
    --------
    >>> from modal import Move
    >>> base_option(argparse.Namespace(base="3,0,5,1", matrix=None))[(Move.D, Move.C)]
    5
    >>> base_option(argparse.Namespace(base="chicken", matrix=None))[(Move.D, Move.D)]
    0
    """
    from theory.errors import TheoryError
    from theory.modal_game import SEED_PD, base_game

    text = getattr(args, "base", None)
    if text is None:
        return SEED_PD
    if getattr(args, "matrix", None) is not None:
        raise NumpolError("--base is the base game of modal agents (--agents), not of --matrix")
    cells = [c.strip() for c in text.split(",")]
    value: object = text.strip()
    if len(cells) > 1:
        if len(cells) != 4:
            raise NumpolError(f"--base: give a name or four payoffs CC,CD,DC,DD, got {text!r}")
        value = [cells[:2], cells[2:]]
    try:
        return base_game(value)
    except TheoryError as err:  # TheoryTypeError is a TheoryError too
        raise NumpolError(f"--base: {err}") from None
