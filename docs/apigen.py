"""Write the API reference pages (``docs/api/*.rst``) from the packages' ``__all__``.

One page per public module of ``modal``, ``theory``, ``dynamics`` and ``numpol``. A public name
is documented once, on the page of the module that defines it (CONTRIBUTING.md, section 3); a
package page lists the names it re-exports and links to that page. A name whose defining module
is private (``theory._numbers.number``) is documented where it is re-exported. ``conf.py`` calls
:func:`write_api` on every build, so a new module or name appears without editing the docs.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
from pathlib import Path
from types import ModuleType

__all__ = ["PACKAGES", "public_modules", "write_api", "undocumented", "canonical_name"]

PACKAGES = ("modal", "theory", "dynamics", "numpol")


def public_modules() -> list[ModuleType]:
    """Every importable module of :data:`PACKAGES` whose dotted name has no ``_`` part."""
    found = []
    for root in PACKAGES:
        pkg = importlib.import_module(root)
        found.append(pkg)
        for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{root}."):
            if any(part.startswith("_") for part in info.name.split(".")):
                continue
            found.append(importlib.import_module(info.name))
    return sorted(found, key=lambda m: m.__name__)


def _exported(module: ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None and hasattr(module, "__path__"):  # a package that only holds modules
        return []
    if names is None:
        raise ValueError(f"module {module.__name__} declares no __all__ (CONTRIBUTING.md, 7)")
    return [n for n in names if not n.startswith("__")]  # __version__ is not API to document


def _attr_doc(module_name: str, name: str) -> list[str] | None:
    from sphinx.pycode import ModuleAnalyzer

    return ModuleAnalyzer.for_module(module_name).find_attr_docs().get(("", name))


def _private_attr_doc(owner: str, name: str) -> list[str] | None:
    """The doc-comment of data that ``owner`` imports from a private module of its package."""
    obj = getattr(importlib.import_module(owner), name)
    root = importlib.import_module(owner.split(".")[0])
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{root.__name__}."):
        if "._" not in info.name or info.name.rsplit(".", 1)[1].startswith("__"):
            continue
        module = importlib.import_module(info.name)
        if getattr(module, name, None) is obj:
            doc = _attr_doc(info.name, name)
            if doc:
                return doc
    return None


def _owners(modules: list[ModuleType]) -> dict[tuple[str, int], str]:
    """(name, id(object)) -> the module whose page documents it."""
    by_name: dict[tuple[str, int], list[str]] = {}
    for m in modules:
        for name in _exported(m):
            key = (name, id(getattr(m, name)))
            by_name.setdefault(key, []).append(m.__name__)
    owners = {}
    for (name, ident), exporters in by_name.items():
        obj = next(getattr(importlib.import_module(e), name) for e in exporters)
        home = getattr(obj, "__module__", None) if _has_own_module(obj) else None
        if home in exporters:
            owners[(name, ident)] = home
        else:  # data, aliases, or a name from a private module: the deepest public exporter
            owners[(name, ident)] = max(exporters, key=lambda e: (e.count("."), e))
    return owners


def _is_alias(obj: object) -> bool:
    """A type alias: ``tuple[str, str]``, ``int | None``, ``Union[...]``, ``Literal[...]``."""
    return isinstance(obj, types.GenericAlias | types.UnionType) or type(obj).__module__ == "typing"


def _has_own_module(obj: object) -> bool:
    if _is_alias(obj):  # tuple[str, str] looks like a class, is an alias
        return False
    return inspect.isclass(obj) or inspect.isroutine(obj)


def _directive(obj: object) -> str:
    if not _has_own_module(obj):
        return "autodata"
    if inspect.isclass(obj):
        return "autoexception" if issubclass(obj, BaseException) else "autoclass"
    if inspect.isroutine(obj):
        return "autofunction"
    return "autodata"


def _page(module: ModuleType, owners: dict[tuple[str, int], str]) -> str:
    name = module.__name__
    own, elsewhere = [], []
    for n in _exported(module):
        owner = owners[(n, id(getattr(module, n)))]
        (own if owner == name else elsewhere).append((n, owner))
    is_package = hasattr(module, "__path__")
    lines = [
        f"``{name}``",
        "=" * (len(name) + 4),
        "",
        f".. automodule:: {name}",
        "   :no-members:",
        "",
    ]
    if is_package:
        subs = sorted(
            info.name
            for info in pkgutil.iter_modules(module.__path__, prefix=f"{name}.")
            if not info.name.rsplit(".", 1)[1].startswith("_")
        )
        if subs:
            lines += [".. rubric:: Modules", "", ".. toctree::", "   :maxdepth: 1", ""]
            lines += [f"   {s}" for s in subs] + [""]
    if own:
        lines += [f".. currentmodule:: {name}", ""]
        # autosummary summarises a constant or alias by its type's docstring (typing.Union's,
        # tuple's), not by its own doc-comment: those are listed by name, documented below
        listed = [n for n, _ in own if _has_own_module(getattr(module, n))]
        data = [n for n, _ in own if not _has_own_module(getattr(module, n))]
        if listed:
            lines += [".. autosummary::", "   :nosignatures:", ""]
            lines += [f"   {n}" for n in listed] + [""]
        if data:
            lines += ["Constants and aliases: " + ", ".join(f":py:data:`{n}`" for n in data), ""]
    if elsewhere:
        lines += [".. rubric:: Re-exported here, documented in their modules", ""]
        lines += [f"- :py:obj:`{n} <{owner}.{n}>` (:py:mod:`{owner}`)" for n, owner in elsewhere]
        lines += [""]
    for n, _ in own:
        directive = _directive(getattr(module, n))
        obj = getattr(module, n)
        alias = _is_alias(obj)  # autodoc fails on tuple[str, str], shows typing.Union's doc
        if directive == "autodata" and (alias or not _attr_doc(name, n)):
            # documented where a private module defines it, which autodoc would not find
            doc = _attr_doc(name, n) or _private_attr_doc(name, n)
            if doc:
                value = [f"   :value: {obj!r}"] if len(repr(obj)) < 80 else []
                lines += [f".. py:data:: {n}", *value, "", *[f"   {d}" for d in doc], ""]
                continue
        options = {
            "autoclass": ["   :members:"],
            "autoexception": ["   :members:", "   :show-inheritance:"],
        }.get(directive, [])
        lines += [f".. {directive}:: {n}", *options, ""]
    return "\n".join(lines)


def write_api(folder: Path) -> list[str]:
    """Write ``folder/index.rst`` and one page per public module; return the module names.

    Pages that did not change are left alone, so Sphinx rebuilds only what changed.
    """
    modules = public_modules()
    owners = _owners(modules)
    folder.mkdir(parents=True, exist_ok=True)
    pages = {f"{m.__name__}.rst": _page(m, owners) for m in modules}
    index = [
        "API reference",
        "=============",
        "",
        "Every public module of the four packages, from their docstrings. The layers go one way,",
        "``modal`` → ``theory`` → ``dynamics`` → ``numpol``: a lower layer never imports a",
        "higher one.",
        "",
        ".. toctree::",
        "   :maxdepth: 2",
        "",
        *[f"   {p}" for p in PACKAGES],
        "",
    ]
    pages["index.rst"] = "\n".join(index)
    for stale in folder.glob("*.rst"):
        if stale.name not in pages:
            stale.unlink()
    for fname, text in pages.items():
        path = folder / fname
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    return [m.__name__ for m in modules]


def undocumented() -> list[str]:
    """The public names (``__all__``) whose own definition carries no docstring.

    A class or function needs a docstring of its own (a dataclass's generated
    ``Name(field, ...)`` does not count); a constant or alias needs the string literal after its
    assignment, which autodoc reads from the source.
    """
    modules = public_modules()
    missing = []
    for (name, _), owner in sorted(_owners(modules).items(), key=lambda kv: (kv[1], kv[0][0])):
        obj = getattr(importlib.import_module(owner), name)
        if _has_own_module(obj):
            doc = obj.__doc__ or ""
            generated = inspect.isclass(obj) and doc.startswith(f"{obj.__name__}(")
            if not doc.strip() or generated:
                missing.append(f"{owner}.{name}")
        elif not (_attr_doc(owner, name) or _private_attr_doc(owner, name)):
            missing.append(f"{owner}.{name}")
    return missing


def canonical_name(obj: object, name: str) -> str | None:
    """The dotted name under which ``obj`` (exported as ``name``) is documented, if it is."""
    for (n, ident), owner in _owners_cached().items():
        if n == name and ident == id(obj):
            return f"{owner}.{name}"
    return None


_CACHE: dict[str, dict[tuple[str, int], str]] = {}


def _owners_cached() -> dict[tuple[str, int], str]:
    if "owners" not in _CACHE:
        _CACHE["owners"] = _owners(public_modules())
    return _CACHE["owners"]
