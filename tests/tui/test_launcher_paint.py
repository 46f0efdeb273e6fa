"""The launcher paints before it mounts its settings fields and footer, and before it validates (#18).

On a terminal the app's first launcher leaves the settings fields and the footer out of its first
frame and mounts them once that frame is written (``call_after_refresh``), then checks the
scenario files. ``LauncherScreen.DEFER_HEADLESS`` makes a headless app do the same, so the
deferred start is what these tests drive.
"""

from __future__ import annotations

import pytest
from drillsim.tui.screens.briefing import BriefingScreen
from drillsim.tui.screens.launcher import LauncherScreen
from textual.widgets import Footer, Input, Select

from .conftest import SIZE


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LauncherScreen, "DEFER_HEADLESS", True)


async def test_fields_and_footer_come_after_the_first_frame(deferred, app_factory) -> None:
    app = app_factory(rosters=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LauncherScreen) and screen.deferred
        for _ in range(20):
            if screen.settings_ready:
                break
            await pilot.pause(0.05)
        assert app.painted and screen.settings_ready
        await pilot.pause()
        assert screen.query_one("#team", Input).value == ""
        assert len(screen.query(Footer)) == 1
        await pilot.pause()
        keys = {str(key.key) for key in screen.query("FooterKey")}  # a late footer still shows the keys
        assert {"r", "s", "h", "q"} <= keys, keys
        await pilot.pause(0.3)  # the rosters load in a thread after the fields exist
        labels = [str(label) for label, _ in screen._roster_options()]
        assert any(label.startswith("crisis-team (") for label in labels)
        select: Select[str] = screen.query_one("#roster", Select)
        assert select.value == "__scenario_default__"


async def test_enter_before_the_fields_exist_opens_the_briefing(deferred, app_factory) -> None:
    """A facilitator quicker than the mount: Enter uses the settings given, nothing crashes."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LauncherScreen)
        screen.settings_ready = False  # as in the moment between the first frame and the mount
        screen.action_focus_settings()  # no field yet: nothing to focus, no error
        screen.action_focus_roster()
        assert screen.read_settings() is screen.settings
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)


async def test_a_headless_launcher_composes_everything_at_once(app_factory) -> None:
    """Pilot tests click the fields at once: headless, nothing is deferred."""
    app = app_factory()
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, LauncherScreen)
        assert not screen.deferred and screen.settings_ready
        assert screen.query_one("#seed", Input).value == "7"
        assert len(screen.query(Footer)) == 1


async def test_a_later_launcher_is_not_deferred(deferred, app_factory) -> None:
    """Only the app's first screen waits for a first frame: back from the briefing, it is all there."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(20):
            if app.painted:
                break
            await pilot.pause(0.05)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        app.pop_screen()
        await pilot.pause()
        app.push_screen(app.launcher())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LauncherScreen)
        assert not screen.deferred and screen.settings_ready
        assert len(screen.query("#team")) == 1


async def test_the_fields_are_mounted_once_whatever_calls_first(deferred, app_factory) -> None:
    """The refresh callback and another caller both ask: one set of fields, one footer."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LauncherScreen)
        screen.after_first_paint()
        screen.after_first_paint()
        await pilot.pause(0.7)  # past the screen's refresh callback
        assert screen.settings_ready
        assert len(screen.query(Footer)) == 1 and len(screen.query("#team")) == 1
