"""The simulator's modules import one another without a circle (issue 16): each can be read, and
loaded, after the modules it names. Imports inside functions count too; ``TYPE_CHECKING`` ones do not."""

from __future__ import annotations

import ast
from pathlib import Path

import drillsim.simulator

SIMULATOR = Path(drillsim.simulator.__file__).parent
PREFIX = "drillsim.simulator."


def _type_checking_only(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking_only(child):
                continue
            if isinstance(child, ast.ImportFrom) and child.module:
                if child.module.startswith(PREFIX):
                    names.add(child.module.removeprefix(PREFIX).split(".")[0])
                elif child.module == "drillsim.simulator":
                    names.update(alias.name for alias in child.names)
            elif isinstance(child, ast.Import):
                names.update(a.name.removeprefix(PREFIX) for a in child.names if a.name.startswith(PREFIX))
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return names - {path.stem}


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


def test_the_simulator_has_no_import_circle() -> None:
    graph = {path.stem: _imports(path) for path in SIMULATOR.glob("*.py")}
    assert graph["checks"] and "loading" not in graph["checks"]
    assert _circle(graph) is None, " -> ".join(_circle(graph) or [])


def test_a_circle_is_found() -> None:
    assert _circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
