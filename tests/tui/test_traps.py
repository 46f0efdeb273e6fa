"""No traps for the facilitator: typing names never starts the drill, ending or discarding is never the default."""

from __future__ import annotations

from pathlib import Path

from drillsim.tui.screens.briefing import BriefingScreen
from drillsim.tui.screens.debrief import DebriefScreen
from drillsim.tui.screens.drill import DrillScreen
from drillsim.tui.screens.launcher import LauncherScreen
from drillsim.tui.screens.modals import ConfirmScreen
from textual.widgets import Button, Input

from .conftest import SIZE
from .helpers import advance, start_from_launcher


async def test_typing_names_with_enter_never_starts_the_drill(app_factory, scenario, roster) -> None:
    app = app_factory(scenario=scenario, roster=roster)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        assert app.focused is not None and app.focused.id == "participant-0"
        names = ["Ana", "Ben", "Cy", "Dee", "Eve"][: len(roster.members)]
        for index, name in enumerate(names):
            assert app.focused.id == f"participant-{index}"
            await pilot.press(*name, "enter")
        await pilot.pause()
        assert app.screen is screen  # Enter on the last name moves to Start, it does not start
        assert isinstance(app.focused, Button) and app.focused.id == "start"
        await pilot.press(*"ne")  # stray drill keys on the button do nothing
        assert app.screen is screen
        values = [screen.query_one(f"#participant-{i}", Input).value for i in range(len(names))]
        assert values == names
        await pilot.press("enter")  # a deliberate Enter on Start starts it
        await pilot.pause()
        drill_screen = app.screen
        assert isinstance(drill_screen, DrillScreen)
        assert drill_screen.drill.records[0]["participants"] == dict(
            zip([m.name for m in roster.members], names, strict=False)
        )
        assert not [r for r in drill_screen.drill.records if r.get("input")]  # nothing acted on the drill


async def test_ending_the_drill_defaults_to_keep_playing(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 30)
        await pilot.press("e")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert isinstance(app.focused, Button) and "Keep playing" in str(app.focused.label)
        assert "End the drill" in str(confirm.query_one("#yes", Button).label)
        assert screen.drill.scenario.title in confirm.question  # names what it ends
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and not screen.drill.ended
        await pilot.press("q")  # the quit question too
        assert isinstance(app.screen, ConfirmScreen)
        assert "Keep playing" in str(app.focused.label)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and not screen.drill.ended
        await pilot.press("e", "y")
        await pilot.pause()
        assert screen.drill.ended and isinstance(app.screen, DebriefScreen)
        await app.workers.wait_for_complete()


async def test_an_accidental_drill_is_discarded_from_the_debrief(app_factory, tmp_path: Path) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        run_dir = screen.session.run_dir
        assert run_dir is not None
        await pilot.press("e", "y")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("x")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert run_dir.name in confirm.detail and ".discarded" in confirm.detail  # names what goes where
        await pilot.press("enter")  # the default keeps it
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen) and run_dir.exists()
        await pilot.press("x", "y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, LauncherScreen)
        assert not run_dir.exists()
        moved = run_dir.parent / ".discarded" / run_dir.name
        assert (moved / "journal.jsonl").exists()  # moved aside, not deleted


async def test_every_panel_of_the_largest_scenario_is_reachable_at_80x24(app_factory) -> None:
    """Compact: the right column is one pane at a time (t or the tabs); labels are whole, clocks are shown."""
    from drillsim.simulator.session import load_pair
    from drillsim.tui.widgets import ActionMenu, IncidentFeed, MilestonePanel

    loaded = load_pair("llm-pii-exposure")
    app = app_factory(scenario=loaded.scenario, roster=loaded.roster)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DrillScreen) and screen.compact
        await advance(pilot, screen, 600)
        menu = screen.query_one(ActionMenu)
        assert menu.region.height >= 8 and menu.region.width >= 30
        assert menu.option_count == len(loaded.scenario.actions)
        first = str(menu.get_option_at_index(0).prompt)
        assert loaded.scenario.actions[0].label in first  # whole, not cut to three letters
        milestones = screen.query_one(MilestonePanel)
        assert not milestones.region.height  # behind its tab
        await pilot.press("t")
        assert screen.pane == "team"
        rows = screen.query("MemberRow")
        assert len(rows) == len(loaded.roster.members) and rows.first().region.height
        await pilot.press("t")
        await pilot.pause()
        assert screen.pane == "clocks" and milestones.region.height >= 3
        screen.controller = True  # the clocks not started yet are the controller's (ctrl+k, confirmed)
        await pilot.pause()
        assert screen.pane == "clocks" and milestones.region.height >= 5
        assert "GDPR" in app.export_screenshot()
        feed = screen.query_one(IncidentFeed)
        assert feed.region.height >= 5
        for toast in app.query("Toast"):  # toasts stay off the feed's newest (bottom) lines
            assert toast.region.y + toast.region.height <= feed.region.y or toast.region.x >= feed.region.right
        await pilot.press("t")
        assert screen.pane == "actions" and app.focused is menu
