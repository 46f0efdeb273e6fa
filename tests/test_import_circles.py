"""No import circle anywhere in the package (issue 16): every module of ``drillsim`` (the command
line, the TUI, the host, the reports, the simulator) can be read, and loaded, after the modules it
names. Imports inside functions count too; ``TYPE_CHECKING`` ones do not (they are for the type
checker, never run). Relative imports are resolved like absolute ones."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

LAYERS = ("", "simulator", "reports", "host", "tui")
"""``drillsim`` itself (the command line, cli/) and its layer packages, each found where it is installed."""


def _modules() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for layer in LAYERS:
        package = importlib.import_module("drillsim" + (f".{layer}" if layer else ""))
        root = Path(package.__file__).parent
        for path in sorted(root.rglob("*.py")):
            parts = [p for p in path.relative_to(root).with_suffix("").parts if p != "__init__"]
            if layer == "" and parts and parts[0] in LAYERS:
                continue  # an installed layer below drillsim/: found under its own name
            modules[".".join(["drillsim", *([layer] if layer else []), *parts])] = path
    return modules


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and isinstance(child.test, ast.Name) and child.test.id == "TYPE_CHECKING":
                continue
            if isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join([*package[: len(package) - child.level + 1], *([base] if base else [])])
                for alias in child.names:
                    if f"{base}.{alias.name}" in known:
                        found.add(f"{base}.{alias.name}")
                    elif base in known:
                        found.add(base)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names if alias.name in known)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found - {name}


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    trail: list[str] = []

    def walk(name: str) -> list[str] | None:
        state[name] = 1
        trail.append(name)
        for other in sorted(graph.get(name, ())):
            if state.get(other) == 1:
                return [*trail[trail.index(other) :], other]
            if other not in state and (found := walk(other)):
                return found
        trail.pop()
        state[name] = 2
        return None

    for name in sorted(graph):
        if name not in state and (found := walk(name)):
            return found
    return None


def test_the_package_has_no_import_circle() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    # the graph really is read: the modules the issue named as circles are there, with their edges
    assert "drillsim.simulator.loading" in graph["drillsim.simulator.session"]
    assert {"drillsim.tui.app", "drillsim.errors"} <= graph["drillsim.launch"]  # a function-level import counts
    # the circles issue 16 found stay broken: checks -> loading, a subcommand -> the parser, a screen -> the app
    assert "drillsim.simulator.loading" not in graph["drillsim.simulator.checks"]
    assert "drillsim.main" not in graph["drillsim.launch"]
    assert "drillsim.tui.app" not in graph["drillsim.tui.screens.drill"]
    assert len(graph) > 60
    circle = _circle(graph)
    assert circle is None, " -> ".join(circle or [])


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
    ],
)
def test_a_circle_is_found(graph: dict[str, set[str]], expected: list[str] | None) -> None:
    assert _circle(graph) == expected


def test_a_relative_import_is_resolved(tmp_path: Path) -> None:
    module = tmp_path / "screen.py"
    module.write_text("from ..app import DrillApp\nfrom . import modals\n", encoding="utf-8")
    known = {"drillsim.tui.app", "drillsim.tui.screens.modals", "drillsim.tui.screens.screen"}
    assert _imports("drillsim.tui.screens.screen", module, known) == {"drillsim.tui.app", "drillsim.tui.screens.modals"}
