"""Helpers shared by the TUI tests."""

from __future__ import annotations

from typing import Any

from drillsim.tui.app import DrillsimApp
from drillsim.tui.screens.drill import DrillScreen
from textual.pilot import Pilot


def types(records: list[dict[str, Any]]) -> list[str]:
    return [r["type"] for r in records]


def of_type(records: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for r in records if r["type"] == kind]


async def start_from_launcher(pilot: Pilot[Any]) -> DrillScreen:
    """Enter (briefing), ctrl+s (start): the two keypresses from the launcher to a running drill."""
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DrillScreen)
    return screen


async def advance(pilot: Pilot[Any], screen: DrillScreen, t: float) -> None:
    """Move the drill to sim time t (as the timer would) and redraw."""
    screen.drill.advance_to(t)
    screen.refresh_view()
    await pilot.pause()


def drill_app(app: DrillsimApp) -> DrillScreen:
    screen = app.screen
    assert isinstance(screen, DrillScreen)
    return screen


def last_input(screen: Any) -> str:
    """What the line under the action menu says of the last input ("… sent", then "(recorded)")."""
    return str(screen.query_one("#action-hint").render()).split("\n")[0]
