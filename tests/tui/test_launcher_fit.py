"""The launcher's scenario table fits its panel: a long title ends with "…", nothing scrolls sideways.

With the whole built-in library at 80x24 and 120x40 some titles are longer than the room the Title
column has; before, the table scrolled sideways and a title was cut mid-word at the panel's edge.
The line beside the name says what Enter does, and at 104 columns or more what ctrl+s does there.
"""

from __future__ import annotations

import pytest
from drillsim.simulator.library import builtin_scenarios
from drillsim.simulator.loading import load_scenario
from drillsim.tui.screens.launcher import LauncherScreen
from drillsim.tui.session import ScenarioEntry
from textual.widgets import DataTable, Static


@pytest.fixture
def whole_library() -> list[ScenarioEntry]:
    return [ScenarioEntry(ident, path, "built-in", load_scenario(path)) for ident, path in builtin_scenarios()]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 48)])
async def test_titles_fit_the_table(app_factory, whole_library: list[ScenarioEntry], size: tuple[int, int]) -> None:
    app = app_factory(scenarios=whole_library)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LauncherScreen)
        table = screen.query_one("#scenarios", DataTable)
        assert table.max_scroll_x == 0, "the table scrolls sideways"
        titles = {entry.scenario.title for entry in whole_library if entry.scenario is not None}
        shown = []
        for y in range(1, min(table.size.height, len(whole_library) + 1)):  # row 0 is the header
            line = table.render_line(y).text.rstrip()
            title = next((t for t in titles if t[:12] in line), None)
            assert title is not None, line
            cell = line[line.index(title[:12]) :].rstrip()
            assert cell == title or (cell.endswith("…") and title.startswith(cell[:-1])), (cell, title)
            shown.append(cell)
        cut = [cell for cell in shown if cell.endswith("…")]
        if size[0] < 160:
            assert cut, "no title is longer than the column at this size"
        header = str(screen.query_one("#title", Static).render())
        assert "Enter opens the briefing" in header
        assert ("ctrl+s there starts the drill" in header) == (size[0] >= 104)
        assert len(header) <= size[0]
