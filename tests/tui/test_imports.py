"""The TUI's modules import one another without a circle (#16), and the launcher's first paint imports no engine.

The import graph is read from the source (every ``import``, also those inside functions and
under ``if TYPE_CHECKING:``), so a circle hidden from the interpreter by a late import still counts.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TUI = REPO / "tui"

NOT_YET: set[tuple[str, str]] = set()
"""Edges still to go (none: every screen types the app as :class:`drillsim.tui.shell.Shell`)."""


def _module_name(path: Path) -> str:
    parts = [p for p in path.relative_to(TUI).with_suffix("").parts if p != "__init__"]
    return ".".join(["drillsim", "tui", *parts])


def import_graph() -> dict[str, set[str]]:
    """Each drillsim.tui module and the drillsim.tui modules it imports."""
    modules = {_module_name(p): p for p in TUI.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: list[str] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                named = [f"{node.module}.{alias.name}" for alias in node.names]
                found = [t for t in named if t in modules]
                targets += found or [node.module]
        deps = set()
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target.startswith("drillsim.tui") and target != name:
                deps.add(target)
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every circle found by a depth-first walk, each as the modules around it."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                found.append([*path[path.index(dep) :], dep])
            elif dep not in state:
                visit(dep)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_cycles_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_in_the_tui() -> None:
    graph = import_graph()
    assert "drillsim.tui.screens.launcher" in graph and "drillsim.tui.app" in graph
    for source, target in NOT_YET:
        graph[source].discard(target)
    assert cycles(graph) == []


def test_no_screen_imports_the_app_class() -> None:
    graph = import_graph()
    importers = {name for name, deps in graph.items() if "drillsim.tui.app" in deps}
    assert importers <= {source for source, _ in NOT_YET}, importers


def test_the_launcher_path_imports_no_engine_or_pydantic() -> None:
    """What ``drillsim`` imports before the launcher's first paint: Textual, not the scenario model."""
    code = (
        "import sys\n"
        "import drillsim.main, drillsim.launch, drillsim.tui.app, drillsim.tui.screens.launcher\n"
        "from drillsim.tui.session import Settings\n"
        "from drillsim.tui.app import make_app\n"
        "app = make_app(settings=Settings())\n"
        "app.launcher()\n"
        "print('@@', ' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'simpy', 'yaml')"
        " or m.startswith(('drillsim.simulator.model', 'drillsim.simulator.engine', 'drillsim.simulator.loading')))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    marker = [line for line in result.stdout.splitlines() if line.startswith("@@")]
    assert marker, result.stderr
    assert marker[-1].removeprefix("@@").split() == []
