"""Imports point one way (drillsim's command line -> tui -> host -> reports -> simulator) and light commands stay light.

Each check runs in a fresh interpreter so that modules imported by other tests don't count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("textual", "pandas", "matplotlib", "jinja2")


def imported_after(code: str) -> set[str]:
    """Top-level package names in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    script = code + (
        "\nimport json, sys\n"
        "def layer(m):\n"
        "    parts = m.split('.')\n"
        "    return '.'.join(parts[:2]) if parts[0] == 'drillsim' and len(parts) > 1 else parts[0]\n"
        "print('@@' + json.dumps(sorted({layer(m) for m in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    marker = [line for line in result.stdout.splitlines() if line.startswith("@@")]
    assert marker, f"the check script failed:\n{result.stdout}\n{result.stderr}"
    return set(json.loads(marker[-1][2:]))


def _modules(package: str) -> list[str]:
    return sorted(
        f"drillsim.{package}.{path.stem}" for path in (REPO / package).glob("*.py") if path.stem != "__main__"
    )


def test_simulator_imports_no_ui_reports_or_plotting() -> None:
    modules = _modules("simulator")
    loaded = imported_after("\n".join(f"import {m}" for m in modules))
    assert not loaded & {*HEAVY, "drillsim.reports", "drillsim.host", "drillsim.tui", "drillsim.main", "rich"}, modules


def test_reports_import_no_textual_or_tui() -> None:
    modules = _modules("reports")
    loaded = imported_after("\n".join(f"import {m}" for m in modules))
    assert not loaded & {"textual", "drillsim.host", "drillsim.tui", "drillsim.main"}, modules


def test_host_imports_no_textual_or_tui() -> None:
    modules = _modules("host")
    loaded = imported_after("\n".join(f"import {m}" for m in modules) + "\nimport websockets.asyncio.server")
    assert not loaded & {"textual", "drillsim.tui", "drillsim.main"}, modules


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["validate", "scenarios"], ["validate", "--format", "json", "scenarios"], ["list"], ["schema"]],
    ids=lambda argv: " ".join(argv),
)
def test_light_commands_import_no_textual_pandas_or_matplotlib(argv: list[str]) -> None:
    code = (
        "import contextlib, io\n"
        "from drillsim.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    code = main({argv!r})\n"
        "assert code == 0, code\n"
    )
    loaded = imported_after(code)
    assert not loaded & {"textual", "pandas", "matplotlib", "jinja2"}


def test_importing_the_cli_is_light() -> None:
    loaded = imported_after("import drillsim, drillsim.main")
    assert not loaded & {*HEAVY, "websockets"}
