"""Names typed faster than the screen redraws land in the fields they were typed for."""

from __future__ import annotations

from drillsim.tui.screens.briefing import BriefingScreen
from textual import events
from textual.widgets import Input

from .conftest import SIZE


async def test_names_typed_in_one_burst_land_in_their_own_fields(app_factory, scenario, roster) -> None:
    app = app_factory(scenario=scenario, roster=roster)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        assert app.focused is not None and app.focused.id == "participant-0"
        # Every key of "Ana⏎Ben⏎" queued before the app handles the first, as a fast typist or a paste
        # delivers them: pilot.press would wait for the screen between keys.
        for key in [*"Ana", "enter", *"Ben", "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else ("\r" if key == "enter" else None)))
        await pilot.pause()
        await pilot.pause()
        values = [screen.query_one(f"#participant-{i}", Input).value for i in range(2)]
        assert values == ["Ana", "Ben"]
        assert app.screen is screen  # Enter in a name field never starts the drill
