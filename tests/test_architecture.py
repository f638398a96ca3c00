"""The walls of the package: the import graph of ``model/`` follows the floors below.

Every ``import`` statement of every module counts (also imports inside functions and under
``TYPE_CHECKING``: a lazy import is still a dependency), read from the source with ``ast``,
plus the package ``__init__`` each import runs (except the root ``model/__init__.py``, the
public facade). Floors, lowest first - a module may import its own floor and the floors
below, never one above:
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "model"

#: (floor name, module prefixes) lowest first; a module belongs to the longest matching prefix
FLOORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ground", ("model.errors", "model.interrupts", "model.safeio", "model.paths", "model.sectors", "model.observations", "model.zhejiang_io", "model.national",
                "model.baseyear", "model.yearbook", "model.parameters", "model.targets")),
    ("scenario", ("model.scenario",)),
    ("equations", ("model.equations", "model.instruments", "model.vecmath", "model.kernel", "model.core",
                   "model.indicators", "model.energy", "model.energy_equations", "model.energy_history")),
    ("run", ("model.run", "model.budget", "=model")),  # "=model": only the facade __init__ (re-exports run, scenario)
    ("uq", ("model.uq",)),
    ("studies", ("model.studies",)),
    ("outputs", ("model.outputs", "model.reporting", "model.energy_report")),
    ("apps", ("model.dashboard",)),  # the planner's dashboard (Panel): studies + writers behind a web page
    ("cli", ("model.cli", "model.commands")),
)
__doc__ += "\n".join(f"\n{i}. {name}: {', '.join(p)}" for i, (name, p) in enumerate(FLOORS))


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str, modules: dict[str, Path]) -> bool:
    return modules.get(name, Path()).name == "__init__.py"


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module (top-level name or ``model.*`` module) that ``name`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = name if _is_package(name, modules) else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[: len(here.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            for a in node.names:  # `from pkg import sub` imports the submodule pkg.sub
                sub = f"{mod}.{a.name}"
                out.add(sub if sub in modules else mod)
    return out


def graph() -> dict[str, set[str]]:
    """``model`` module -> the ``model`` modules it imports (with their parent packages)."""
    modules = all_modules()
    g: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps = set()
        for imp in imports_of(name, path, modules):
            if imp != "model" and not imp.startswith("model."):
                continue
            parts = imp.split(".")
            for k in range(2, len(parts) + 1):  # model.a.b runs model/a/__init__ first
                dep = ".".join(parts[:k])
                inside = name.startswith(dep + ".")  # a module's own packages are already importing
                if dep in modules and dep != name and (k == len(parts) or not inside):
                    deps.add(dep)
            if imp == "model":
                deps.add("model")
        g[name] = deps - {name}
    return g


def floor_of(name: str) -> int:
    best, floor = -1, None
    for i, (_, prefixes) in enumerate(FLOORS):
        for p in prefixes:
            exact = p.startswith("=")
            p = p.lstrip("=")
            if (name == p or (not exact and name.startswith(p + "."))) and len(p) > best:
                best, floor = len(p), i
    assert floor is not None, f"{name} has no floor: add it to FLOORS in {__file__}"
    return floor


def find_cycle(g: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``g`` (a list of modules, first = last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(g.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (c := visit(m)):
                return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(g):
        if n not in state and (c := visit(n)):
            return c
    return None


#: upward imports that another engineer's open work removes; each must still exist (so the
#: allowance goes away the moment the fix lands: test_pending_upward_imports_still_exist)
PENDING: dict[tuple[str, str], str] = {}


def upward(g: dict[str, set[str]], pending: dict = PENDING) -> list[str]:
    return sorted(
        f"{a} ({FLOORS[floor_of(a)][0]}) imports {b} ({FLOORS[floor_of(b)][0]})"
        for a, deps in g.items() for b in deps if floor_of(b) > floor_of(a) and (a, b) not in pending
    )


def test_every_module_has_a_floor():
    for name in all_modules():
        floor_of(name)


def test_no_import_cycle():
    assert find_cycle(graph()) is None, f"import cycle: {' -> '.join(find_cycle(graph()))}"


def test_no_module_imports_from_a_floor_above():
    assert upward(graph()) == []


def _in(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def foreign_model_imports(imports: dict[str, set[str]], package: str) -> list[str]:
    """Imports of ``model`` modules outside ``package`` by the modules of ``package``."""
    return sorted(f"{n} imports {i}" for n, deps in imports.items() if _in(n, package)
                  for i in deps if _in(i, "model") and not _in(i, package))


def all_imports() -> dict[str, set[str]]:
    modules = all_modules()
    return {n: imports_of(n, p, modules) for n, p in modules.items()}


def test_pending_upward_imports_still_exist():
    g = graph()
    gone = [f"{a} -> {b} ({why})" for (a, b), why in PENDING.items() if b not in g.get(a, set())]
    assert gone == [], f"fixed: remove from PENDING in {__file__}: {gone}"


def test_uq_imports_nothing_else_from_model():
    imports = all_imports()
    assert sum(_in(n, "model.uq") for n in imports) >= 10
    assert foreign_model_imports(imports, "model.uq") == []


def test_package_does_not_import_test_helpers():
    modules = all_modules()
    bad = sorted(f"{n} imports {i}" for n, p in modules.items() for i in imports_of(n, p, modules)
                 if i == "tests" or i.startswith("tests."))
    assert bad == []
    for helper in ("reporting/browser.py", "reporting/checks.py", "reporting/demo.py", "uq/testfunctions.py"):
        assert not (PACKAGE / helper).exists(), f"test helper {helper} ships inside the package"


# ----------------------------------------------------------------------------- the checks have teeth
def test_checks_catch_uq_importing_the_model():
    imports = all_imports()
    imports["model.uq.sampling"] = imports["model.uq.sampling"] | {"model.parameters"}
    assert foreign_model_imports(imports, "model.uq") == ["model.uq.sampling imports model.parameters"]


@pytest.mark.parametrize("src, dst", [("model.paths", "model.run"), ("model.run", "model.outputs.writer"),
                                      ("model.studies.compare.compare", "model.outputs.compare")])
def test_checks_catch_an_upward_import(src, dst):
    g = graph()
    g[src] = g[src] | {dst}
    assert any(line.startswith(f"{src} ") for line in upward(g))


def test_checks_catch_a_cycle():
    g = graph()
    g["model.paths"] = g["model.paths"] | {"model.sectors"}
    g["model.sectors"] = g["model.sectors"] | {"model.paths"}
    assert find_cycle(g) is not None


def test_imports_are_read_with_relative_and_lazy_forms(tmp_path):
    """The parser sees ``from . import x``, ``from .a import b`` and imports inside functions."""
    modules = all_modules()
    name = "model.studies.sensitivity.study"
    deps = imports_of(name, modules[name], modules)
    assert "model.studies.sensitivity.adapter" in deps  # from .adapter import ...
    assert "model.run" in deps  # lazy: inside study()
    assert "model.uq" in deps
