"""CONTRIBUTING.md's conventions, guarded for :mod:`dynamics`: typed signatures without
unexplained ``Any``, the game first, ``rng`` keyword-only and typed, each public name defined
once, nothing private imported from another module."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path

import pytest

import dynamics

ROOT = Path(dynamics.__file__).parent
RNG_TYPE = "int | np.random.Generator | None"
GAME_NAMES = ("A", "process", "commons", "chain", "graph")


def _public_modules() -> list[str]:
    names = ["dynamics"]
    for m in pkgutil.walk_packages(dynamics.__path__, "dynamics."):
        if not any(part.startswith("_") for part in m.name.split(".")):
            names.append(m.name)
    return names


def _public_callables() -> list[tuple[str, str, Callable[..., object]]]:
    out = []
    for name in _public_modules():
        mod = importlib.import_module(name)
        for attr in getattr(mod, "__all__", []):
            obj = getattr(mod, attr)
            if callable(obj) and getattr(obj, "__module__", None) == name:
                out.append((name, attr, obj))
    return out


PUBLIC = _public_callables()


def _signature_lines(obj: Callable[..., object]) -> list[tuple[str, str]]:
    """``(parameter, source line)`` for every annotated parameter of a function or class."""
    try:
        lines, _ = inspect.getsourcelines(obj.__init__ if inspect.isclass(obj) else obj)
    except (OSError, TypeError):  # a dataclass's generated __init__: its fields are the signature
        if not inspect.isclass(obj):
            return []
        lines, _ = inspect.getsourcelines(obj)
    text = "".join(lines)
    tree = ast.parse(inspect.cleandoc("\n" + text) if text.startswith(" ") else text)
    node = tree.body[0]
    out = []
    if isinstance(node, ast.FunctionDef):
        args = node.args
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        every += [a for a in (args.vararg, args.kwarg) if a is not None]
        for a in every:
            if a.annotation is not None:
                out.append((a.arg, lines[a.lineno - 1]))
        if node.returns is not None:
            out.append(("return", lines[node.returns.lineno - 1]))
    elif isinstance(node, ast.ClassDef):
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                out.append((stmt.target.id, lines[stmt.lineno - 1]))
    return out


# modal_game is on its way out of dynamics (issue 18, "numbers"): its signature is not ours.
EXEMPT = {("dynamics.finite.agents", "modal_game")}


@pytest.mark.parametrize("module, name, obj", PUBLIC, ids=[f"{m}.{n}" for m, n, _ in PUBLIC])
def test_no_unexplained_any_in_public_signatures(module, name, obj):
    if (module, name) in EXEMPT:
        return
    bad = [
        p
        for p, line in _signature_lines(obj)
        if "Any" in line.split("#")[0] and "# Any:" not in line
    ]
    assert not bad, f"{module}.{name}: Any without a '# Any: why' comment for {bad}"


@pytest.mark.parametrize("module, name, obj", PUBLIC, ids=[f"{m}.{n}" for m, n, _ in PUBLIC])
def test_the_game_comes_first_and_rng_is_keyword_only(module, name, obj):
    try:
        params = list(inspect.signature(obj).parameters.values())
    except (TypeError, ValueError):
        return
    names = [p.name for p in params]
    for game in GAME_NAMES:
        if game in names and not inspect.isclass(obj):
            assert names.index(game) == 0, f"{module}.{name}: {game} is not the first parameter"
    if "rng" in names:
        rng = params[names.index("rng")]
        assert rng.kind is inspect.Parameter.KEYWORD_ONLY, f"{module}.{name}: rng positional"
        assert rng.annotation == RNG_TYPE, f"{module}.{name}: rng typed {rng.annotation!r}"


def test_each_public_name_is_defined_once_in_dynamics():
    where: dict[str, set[str]] = {}
    for module, name, _ in PUBLIC:
        where.setdefault(name, set()).add(module)
    twice = {n: sorted(m) for n, m in where.items() if len(m) > 1}
    assert not twice, f"defined in several modules: {twice}"


def test_no_public_dynamics_class_or_error_shares_a_name_with_modal():
    import modal

    ours = {name for _, name, obj in PUBLIC if inspect.isclass(obj)}
    assert not ours & set(modal.__all__)


def test_nothing_private_is_imported_from_another_module():
    crossing = []
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dynamics"):
                last = (node.module or "").rsplit(".", 1)[-1]
                for alias in node.names:
                    # a private *module* of the package (dynamics._kernels) is the place for
                    # shared helpers; a private *name* of another module is not
                    module_file = ROOT.parent / (node.module or "").replace(".", "/")
                    is_module = (module_file / f"{alias.name}.py").exists()
                    if alias.name.startswith("_") and not last.startswith("_") and not is_module:
                        crossing.append(f"{path.relative_to(ROOT.parent)}: {alias.name}")
    assert not crossing, crossing
