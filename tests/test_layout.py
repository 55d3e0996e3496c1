"""The design's layering and names: agents -> games -> equilibria -> dynamics -> claims."""

import ast
import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("modal", "theory", "dynamics", "numpol")
# A lower layer never imports a higher one (architecture.md).
FORBIDDEN = {
    "modal": {"theory", "dynamics", "numpol"},
    "theory": {"dynamics", "numpol"},
    "dynamics": {"numpol"},
    "numpol": set(),
}


def _modules(package: str) -> list[str]:
    pkg = importlib.import_module(package)
    return [package] + [m.name for m in pkgutil.walk_packages(pkg.__path__, prefix=f"{package}.")]


@pytest.mark.parametrize("package", PACKAGES)
def test_lower_layers_do_not_import_higher_ones(package: str) -> None:
    bad = []
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            bad += [
                f"{path.relative_to(ROOT)}: {n}"
                for n in names
                if n.split(".")[0] in FORBIDDEN[package]
            ]
    assert bad == []


@pytest.mark.parametrize("package", PACKAGES)
def test_every_module_is_reachable_by_its_dotted_name(package: str) -> None:
    # a re-export in a package __init__ must not shadow a submodule of the same name
    for name in _modules(package):
        head, _, tail = name.rpartition(".")
        if not head:
            continue
        importlib.import_module(name)
        attr = getattr(importlib.import_module(head), tail)
        assert isinstance(attr, ModuleType), f"{head}.{tail} is shadowed by {attr!r}"
