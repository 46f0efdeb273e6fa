"""Escape sequences from a hostile scenario file never reach the rendered screen (#15).

The file is refused at load (a control character in any text), and the launcher's detail
pane, which quotes the problem (an unknown key written with an escape in it), shows the
escape written out (``\\x1b``), never the byte.
"""

from __future__ import annotations

from pathlib import Path

from drillsim.tui.screens.launcher import LauncherScreen
from drillsim.tui.session import discover_scenarios

from tests.tui.conftest import SIZE

HOSTILE = (
    'id: hostile\n"\\e[2J\\e]0;pwned\\a": 1\ntitle: "Title \\e]52;c;Y2FsYw==\\a"\n'
    "category: capacity\nseverity: SEV2\nsummary: s\nduration: 10m\nmetrics: {m: {baseline: 1}}\n"
    "actions: [{id: a, label: A, role: crisis-lead}]\n"
)


def _screen_text(app) -> str:
    """Every character the screen would send to the terminal, line by line."""
    screen = app.screen
    lines = screen._compositor.render_update(full=True).strips if hasattr(screen, "_compositor") else []
    text = "\n".join("".join(segment.text for segment in strip) for strip in lines)
    return text or app.export_screenshot()


async def test_an_escape_in_a_local_scenario_never_reaches_the_launcher_screen(app_factory, tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    entries = [e for e in discover_scenarios(tmp_path) if e.source == "local"]
    assert entries and entries[0].scenario is None, "refused at load"
    app = app_factory(scenarios=entries)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LauncherScreen)
        await pilot.pause()
        detail = str(app.screen.query_one("#detail").render())
        assert "does not load" in detail
        assert "\\x1b" in detail, detail  # quoted, written out
        shown = _screen_text(app) + app.export_screenshot()
        for byte in ("\x1b", "\x07", "\x9b", "\x9d"):
            assert byte not in shown
