"""The API conventions of CONTRIBUTING.md, checked over every public module of theory."""

import importlib
import inspect
import pkgutil

import pytest

import theory
from theory.regions import Region

MODULES = [
    importlib.import_module(m.name)
    for m in pkgutil.walk_packages(theory.__path__, "theory.")
    if not any(part.startswith("_") for part in m.name.split("."))
]

# Owned by the "numbers" part of issue 18 (theory/games.py's payoff_matrix and
# theory/learning/qvalues.py are rewritten there): their Any goes with that change.
OWNED_BY_NUMBERS = {
    "theory.games.payoff_matrix",
    "theory.learning.qvalues.as_fraction",
    "theory.learning.qvalues.policy_q_values",
    "theory.learning.qvalues.optimal_q_values",
    "theory.learning.qvalues.greedy_moves",
    "theory.learning.qvalues.greedy_policy",
    "theory.learning.qvalues.is_greedy",
}


def _public_functions():
    for mod in MODULES:
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if inspect.isfunction(obj) and obj.__module__ == mod.__name__:
                yield f"{mod.__name__}.{name}", obj
            elif inspect.isclass(obj) and obj.__module__ == mod.__name__:
                for attr, fn in vars(obj).items():
                    if inspect.isfunction(fn) and not attr.startswith("_"):
                        yield f"{mod.__name__}.{name}.{attr}", fn


def test_every_module_declares_all():
    assert [m.__name__ for m in MODULES if not hasattr(m, "__all__")] == []


def test_no_public_name_defined_twice():
    where: dict[str, set[str]] = {}
    for mod in MODULES:
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                where.setdefault(name, set()).add(f"{obj.__module__}.{obj.__qualname__}")
    assert {n: s for n, s in where.items() if len(s) > 1} == {}


def test_no_any_in_public_signatures_without_a_reason():
    bad = []
    for qual, fn in _public_functions():
        if qual in OWNED_BY_NUMBERS:
            continue
        lines = inspect.getsource(fn).splitlines()
        for p in inspect.signature(fn).parameters.values():
            ann = str(p.annotation)
            if "Any" in ann and not any(f"{p.name}:" in ln and "# Any:" in ln for ln in lines):
                bad.append(f"{qual}({p.name}: {ann})")
    assert bad == []


def test_the_game_comes_first_and_whole():
    for qual, fn in _public_functions():
        params = list(inspect.signature(fn).parameters)
        assert "B" not in params, f"{qual} takes a separate B: pass the game (A, B)"
        if "game" in params:
            assert params.index("game") == (1 if params[0] in ("self", "cls") else 0), qual


def test_rng_is_keyword_only_and_typed_as_a_seed():
    for qual, fn in _public_functions():
        p = inspect.signature(fn).parameters.get("rng")
        if p is not None:
            assert p.kind is inspect.Parameter.KEYWORD_ONLY, qual
            assert p.annotation == "Seed", qual


@pytest.mark.parametrize(
    "name",
    ["symbolic_equilibria", "symbolic_symmetric_equilibria", "pure_equilibria"],
)
def test_params_is_keyword_only(name):
    fn = getattr(theory, name)
    assert inspect.signature(fn).parameters["params"].kind is inspect.Parameter.KEYWORD_ONLY


def _top_level(args: str) -> list[str]:
    """The comma-separated members of a type's argument list, nested brackets kept whole."""
    out, depth, cur = [], 0, ""
    for ch in args:
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        depth += (ch == "[") - (ch == "]")
        cur += ch
    return [*out, cur]


def test_results_are_frozen_dataclasses():
    for qual, fn in _public_functions():
        if qual.rsplit(".", 1)[0] in OWNED_BY_NUMBERS or qual in OWNED_BY_NUMBERS:
            continue
        ret = str(inspect.signature(fn).return_annotation).replace(" ", "")
        assert not ret.startswith("dict["), f"{qual} returns a dict"
        if ret.startswith("tuple[") and not ret.endswith(",...]"):
            parts = _top_level(ret[len("tuple[") : -1])
            assert len(set(parts)) == 1, f"{qual} returns a tuple of different things: {ret}"
    assert Region.__dataclass_params__.frozen
