"""Guards for the conventions in CONTRIBUTING.md, where a test can guard them.

Each test reads the packages' source (ast) or their public names (``__all__``) and fails with the
list of offenders, so a new module that breaks a convention is caught by ``make test``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import typing
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import networkx as nx
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = ("modal", "theory", "dynamics")
RNG = int | np.random.Generator | None  # CONTRIBUTING.md §5
TYPED = ("theory", "dynamics")  # CONTRIBUTING.md §7: no bare Any in their public signatures
GAME_PARAMETERS = {"A", "game", "M", "payoffs"}  # the names a game argument goes by
# Lookup tables are mappings by nature (a name to its agent, a state to its actions' values),
# not records of different quantities: these may return a dict.
MAPPINGS = {
    "modal.agents.environment",  # agent name -> Agent: the definitions in scope
    "theory.learning.qvalues.policy_q_values",  # state -> move -> Q-value: a Q-table
    "theory.learning.qvalues.optimal_q_values",  # state -> move -> Q-value: a Q-table
    "theory.learning.qvalues.greedy_moves",  # state -> the moves of highest Q-value
    "dynamics.finite.sweeps.simulation_task",  # array name -> array: a sweep task's npz file
    "theory.stability_regions.parameter_point",  # parameter -> its value: a substitution
    "theory.games.parameter_values",  # symbol -> value: a substitution, as sympy's subs takes
    "theory.modal_game.base_game",  # (my move, their move) -> payoff: the form SEED_PD has
}


def _modules(package: str) -> Iterator[ModuleType]:
    pkg = importlib.import_module(package)
    yield pkg
    for info in pkgutil.walk_packages(pkg.__path__, package + "."):
        yield importlib.import_module(info.name)


def _public_objects(package: str) -> Iterator[tuple[str, str, object]]:
    """(module, name, object) for each name a module defines itself and lists in ``__all__``."""
    for mod in _modules(package):
        if any(part.startswith("_") for part in mod.__name__.split(".")):
            continue
        for name in getattr(mod, "__all__", ()):
            obj = getattr(mod, name)
            if getattr(obj, "__module__", None) == mod.__name__:
                yield mod.__name__, name, obj


def _public_functions(package: str) -> Iterator[tuple[str, str, object]]:
    for module, name, obj in _public_objects(package):
        if inspect.isfunction(obj):
            yield module, name, obj


def _source_files(package: str) -> Iterator[Path]:
    yield from sorted((ROOT / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_every_module_declares_all() -> None:
    missing = [
        mod.__name__
        for package in LIBRARIES
        for mod in _modules(package)
        if not hasattr(mod, "__all__")
    ]
    assert not missing, f"modules without __all__: {missing}"


def test_no_public_name_is_defined_twice() -> None:
    where: dict[str, list[str]] = defaultdict(list)
    for package in LIBRARIES:
        for module, name, _ in _public_objects(package):
            where[name].append(module)
    twice = {name: mods for name, mods in where.items() if len(mods) > 1}
    assert not twice, f"public names defined in more than one module: {twice}"


def test_the_game_comes_first() -> None:
    wrong = []
    for package in LIBRARIES:
        for module, name, func in _public_functions(package):
            params = list(inspect.signature(func).parameters)  # type: ignore[arg-type]
            games = [i for i, p in enumerate(params) if p in GAME_PARAMETERS]
            if games and games[0] != 0:
                wrong.append(f"{module}.{name}{tuple(params)}")
    assert not wrong, f"a game argument that is not first: {wrong}"


def test_params_of_a_game_are_keyword_only() -> None:
    wrong = []
    for package in LIBRARIES:
        for module, name, func in _public_functions(package):
            sig = inspect.signature(func)  # type: ignore[arg-type]
            first = next(iter(sig.parameters), None)
            p = sig.parameters.get("params")
            if first in GAME_PARAMETERS and p is not None and p.kind is p.POSITIONAL_OR_KEYWORD:
                wrong.append(f"{module}.{name}")
    assert not wrong, f"the parameters of a game are an option, keyword-only: {wrong}"


def test_no_separate_B_argument() -> None:
    wrong = [
        f"{module}.{name}"
        for package in LIBRARIES
        for module, name, func in _public_functions(package)
        if "B" in inspect.signature(func).parameters  # type: ignore[arg-type]
    ]
    assert not wrong, f"a game is one object (matrix, pair, Game), not A plus B: {wrong}"


def test_rng_is_keyword_only_and_typed() -> None:
    wrong = []
    for package in LIBRARIES:
        for module, name, func in _public_functions(package):
            p = inspect.signature(func).parameters.get("rng")  # type: ignore[arg-type]
            if p is None:
                continue
            hint = typing.get_type_hints(func).get("rng")
            if p.kind is not inspect.Parameter.KEYWORD_ONLY or hint != RNG:
                wrong.append(f"{module}.{name}: {p}")
    assert not wrong, f"rng must be keyword-only 'int | np.random.Generator | None': {wrong}"


def _annotation_is_any(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Name) and node.id == "Any"


@pytest.mark.parametrize("package", TYPED)
def test_no_unexplained_any_in_public_signatures(package: str) -> None:
    public = {(m, n) for m, n, _ in _public_functions(package)}
    public |= {(m, n) for m, n, o in _public_objects(package) if inspect.isclass(o)}
    offenders = []
    for path in _source_files(package):
        module = _module_name(path)
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        scopes: list[tuple[str, ast.AST]] = []
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and (module, node.name) in public:
                scopes.append((node.name, node))
            elif isinstance(node, ast.ClassDef) and (module, node.name) in public:
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and (
                        not item.name.startswith("_") or item.name == "__init__"
                    ):
                        scopes.append((f"{node.name}.{item.name}", item))
        for node in tree.body:  # the fields of public (data)classes are signatures too
            if isinstance(node, ast.ClassDef) and (module, node.name) in public:
                for item in node.body:
                    if (
                        isinstance(item, ast.AnnAssign)
                        and isinstance(item.target, ast.Name)
                        and _annotation_is_any(item.annotation)
                        and "# Any:" not in lines[item.lineno - 1]
                    ):
                        offenders.append(f"{module}.{node.name}.{item.target.id}")
        for qualname, fn in scopes:
            assert isinstance(fn, ast.FunctionDef)
            a = fn.args
            for arg in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]:
                if arg is None or not _annotation_is_any(arg.annotation):
                    continue
                if "# Any:" not in lines[arg.lineno - 1]:
                    offenders.append(f"{module}.{qualname}({arg.arg})")
            if _annotation_is_any(fn.returns) and "# Any:" not in lines[fn.lineno - 1]:
                offenders.append(f"{module}.{qualname} -> Any")
    assert not offenders, f"Any without a '# Any: why' comment: {offenders}"


def test_private_names_stay_in_their_package() -> None:
    """``from X import _y`` only inside X's own module; ``_module`` only inside its package."""
    offenders = []
    for package in (*LIBRARIES, "numpol"):
        for path in _source_files(package):
            module = _module_name(path)
            own_package = module if path.name == "__init__.py" else module.rpartition(".")[0]
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom) or node.module is None or node.level:
                    continue
                source = node.module
                private_parts = [
                    p for p in source.split(".") if p.startswith("_") and not p.startswith("__")
                ]
                if private_parts:
                    holder = source[: source.index("." + private_parts[0])]
                    if not own_package.startswith(holder):
                        offenders.append(f"{module}: from {source} import ...")
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        private_module = source.rsplit(".", 1)[-1].startswith("_")
                        own_submodule = ROOT.joinpath(*source.split("."), f"{alias.name}.py")
                        if not private_module and not (
                            own_package.startswith(source) and own_submodule.exists()
                        ):
                            offenders.append(f"{module}: from {source} import {alias.name}")
    assert not offenders, f"private names crossing modules: {offenders}"


def test_no_import_cycles_between_modules() -> None:
    graph = nx.DiGraph()
    for package in LIBRARIES:
        for path in _source_files(package):
            module = _module_name(path)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    target = node.module
                    if target.split(".")[0] in LIBRARIES and path.name != "__init__.py":
                        if not target.endswith(("__init__",)):
                            graph.add_edge(module, target)
    # a package __init__ re-exports its modules; importing the package is importing them
    packages = {
        _module_name(p) for pkg in LIBRARIES for p in _source_files(pkg) if p.name == "__init__.py"
    }
    cycles = [
        c for c in nx.simple_cycles(graph) if len(c) > 1 and not any(m in packages for m in c)
    ]
    assert not cycles, f"modules importing each other: {cycles}"


def _fixed_heterogeneous_tuple(node: ast.expr | None) -> bool:
    """True for a return annotation ``tuple[X, Y]`` of different types (not ``tuple[X, ...]``)."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)):
        return False
    if node.value.id != "tuple" or not isinstance(node.slice, ast.Tuple):
        return False
    elts = node.slice.elts
    if any(isinstance(e, ast.Constant) and e.value is Ellipsis for e in elts):
        return False
    return len({ast.dump(e) for e in elts}) > 1


@pytest.mark.parametrize("package", LIBRARIES)
def test_results_are_not_tuples_of_different_things_or_dicts(package: str) -> None:
    public = {(m, n) for m, n, _ in _public_functions(package)}
    offenders = []
    for path in _source_files(package):
        module = _module_name(path)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or (module, node.name) not in public:
                continue
            ret = node.returns
            is_dict = (
                isinstance(ret, ast.Subscript)
                and isinstance(ret.value, ast.Name)
                and ret.value.id == "dict"
            )
            record = is_dict and f"{module}.{node.name}" not in MAPPINGS
            if _fixed_heterogeneous_tuple(ret) or record:
                offenders.append(f"{module}.{node.name} -> {ast.unparse(ret)}")  # type: ignore[arg-type]
    assert not offenders, f"return a frozen dataclass, not a tuple/dict: {offenders}"


def test_the_examples_in_contributing_run() -> None:
    import doctest

    result = doctest.testfile(
        str(ROOT / "CONTRIBUTING.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert result.attempted > 0 and result.failed == 0
