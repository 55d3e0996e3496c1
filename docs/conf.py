"""Sphinx configuration of the numerical-politics documentation site (``make docs``).

The API pages are written from the packages' ``__all__`` on every build (``apigen.py``); the
notebooks (``docs/notebooks`` links to ``../notebooks``) are executed by myst-nb and cached in
``_build/.jupyter_cache``; the gallery shows the figures of the reproduction report in
``../reports`` (``make docs`` runs ``numpol reproduce`` first when the report is missing or older
than the code). ``NUMPOL_DOCS_EXECUTE=off`` builds the notebooks without executing them (CI).
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import matplotlib
from sphinx.util import logging

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import apigen  # noqa: E402
import gallery  # noqa: E402

project = "numerical-politics"
author = "the numerical-politics authors"
copyright = "the numerical-politics authors, MIT licence"  # noqa: A001 - Sphinx's name
release = version = "0.1.0"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
    "sphinx_design",
]

exclude_patterns = ["_build", "**.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
templates_path: list[str] = []

# --- warnings are errors (make docs: -W --keep-going); broken references are warnings ----------
nitpicky = True
# The build runs offline (no intersphinx inventories can be fetched), so names from Python,
# numpy, sympy and the other libraries cannot be linked; in signatures and numpydoc "Parameters"
# types they stay plain text instead of failing the build. Our own names are still checked.
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|sympy|sp|scipy|matplotlib|networkx|nx|nashpy|dask|tqdm)(\..*)?"),
    (r"py:.*", r"argparse\..*"),
    (r"py:.*", r"(gymnasium|pettingzoo|concurrent\.futures)(\..*)?"),
    (r"py:.*", r"Executor"),
    (r"py:.*", r"(collections|collections\.abc|typing|fractions|pathlib|types|enum|abc)\..*"),
    (r"py:.*", r"(int|float|str|bool|bytes|complex|object|type|tuple|list|dict|set|frozenset)"),
    (r"py:.*", r"(None|Ellipsis|NotImplemented|callable|iterable|sequence|optional|default)"),
    (r"py:.*", r"(Fraction|Path|Callable|Iterable|Iterator|Sequence|Mapping|Any|Literal)"),
    (r"py:.*", r"Generator"),
    (r"py:.*", r"(os|concurrent\.futures|mpl_toolkits)\..*"),
    (r"py:.*", r"Axes"),  # matplotlib's, as written in the plotting modules' hints
    (r"py:.*", r".*\.[PT]"),  # type variables and parameter specs have no page
    # The return type of dynamics.integrate.step_control is a private class (issue 17a's area):
    # a public name for it is an API decision, not a docs one.
    ("py:class", r"dynamics\._integrator\.StepControl"),
    (r"py:.*", r"(ndarray|array_like|array-like|ArrayLike|NDArray|Expr|Symbol|Rational|Basic)"),
    (r"py:.*", r"(ValueError|TypeError|KeyError|ArithmeticError|RuntimeError|Exception)"),
]

# --- API reference ---------------------------------------------------------------------------
autosummary_generate = False  # apigen.py writes the pages; autosummary only draws the tables
autodoc_typehints = "signature"
autodoc_member_order = "bysource"
autodoc_default_options = {"exclude-members": "__init__, __new__, __post_init__"}
numpydoc_show_class_members = False  # autodoc's :members: lists them once, below the class
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# --- notebooks -------------------------------------------------------------------------------
# The notebooks' kernels inherit this environment: with MPLBACKEND=Agg (as the Makefile and CI
# set for the tests) their figures would never be displayed, so the kernels get matplotlib's
# inline backend, and this process, which only imports the plotting modules, draws nothing.
os.environ.pop("MPLBACKEND", None)
matplotlib.use("Agg")
nb_execution_mode = os.environ.get("NUMPOL_DOCS_EXECUTE", "cache")
nb_execution_timeout = 300  # as tests/test_notebooks.py: a guard against a hang, not a budget
nb_execution_raise_on_error = True
nb_execution_cache_path = str(HERE / "_build" / ".jupyter_cache")
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 2  # the gallery links to the report's sections by ID
suppress_warnings = ["mystnb.unknown_mime_type"]

# --- theme -----------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "numerical-politics"
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_static_path: list[str] = []
html_show_sourcelink = False

_log = logging.getLogger("numpol.docs")


def _check_documented(app: object, config: object) -> None:
    for name in apigen.undocumented():
        _log.warning("public name without a docstring (add one, or a #: comment): %s", name)


def _lookup(dotted: str) -> object | None:
    """The object a dotted name spells (module, then attributes), or None."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


def _resolve_alias(app, env, node, contnode):  # noqa: ANN001, ANN202 - Sphinx's hook
    """A reference to a re-exported name (``modal.LIBRARY``, ``NotAnEquilibrium`` inside
    :mod:`theory`) goes to the one page that documents it; a name that does not exist, or is
    not documented, stays a broken reference (an error)."""
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip("~.")
    context = node.get("py:module") or ""
    prefixes = [context.rsplit(".", k)[0] for k in range(context.count(".") + 1)] if context else []
    for candidate in [f"{p}.{target}" for p in prefixes] + [target]:
        head, _, name = candidate.rpartition(".")
        if not head or not name or name.startswith("_"):
            continue
        obj = _lookup(candidate)
        if obj is None:
            continue
        canonical = apigen.canonical_name(obj, name)
        if canonical is None or canonical == candidate == target:
            continue
        py = env.get_domain("py")
        return py.resolve_xref(env, node["refdoc"], app.builder, "obj", canonical, node, contnode)
    return None


def setup(app):  # noqa: ANN001, ANN201 - Sphinx's hook
    apigen.write_api(HERE / "api")
    gallery.write_gallery(HERE / "generated", ROOT / os.environ.get("NUMPOL_REPORTS", "reports"))
    app.connect("config-inited", _check_documented)
    app.connect("missing-reference", _resolve_alias)
