"""Snapshots of the launcher, the drill and the debrief at a fixed seed with the clock frozen.

Refresh after a deliberate change of the look: ``pytest tests/tui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from drillsim.tui.screens.drill import DrillScreen
from drillsim.tui.session import Settings

from .conftest import SIZE

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def snap_app(app_factory, tmp_path: Path):
    def build(**kwargs: object):
        kwargs.setdefault("settings", Settings(seed=7, in_memory=True, label="2026-Q4"))
        return app_factory(**kwargs)

    return build


async def _to_drill(pilot) -> DrillScreen:
    await pilot.press("enter", "ctrl+s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DrillScreen)
    drill = screen.drill
    drill.advance_to(130)
    drill.submit("activate-playbook")
    drill.advance_to(200)
    drill.submit("rollback-model")
    drill.advance_to(8 * 60 + 20)
    screen.refresh_view()
    await pilot.pause()
    return screen


def test_launcher_snapshot(snap_app, snap_compare) -> None:
    assert snap_compare(snap_app(), terminal_size=SIZE)


def test_drill_snapshot(snap_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _to_drill(pilot)

    assert snap_compare(snap_app(), terminal_size=SIZE, run_before=run_before)


def test_drill_snapshot_80x24(snap_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _to_drill(pilot)

    assert snap_compare(snap_app(), terminal_size=(80, 24), run_before=run_before)


def test_paused_snapshot(snap_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        screen = await _to_drill(pilot)
        screen.drill.pause()
        screen.refresh_view()
        await pilot.pause()

    assert snap_compare(snap_app(), terminal_size=SIZE, run_before=run_before)


def test_debrief_snapshot(snap_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        screen = await _to_drill(pilot)
        screen.drill.end("facilitator")
        screen.refresh_view()
        await pilot.pause()
        debrief = pilot.app.screen
        await pilot.app.workers.wait_for_complete()  # par joins the score when its worker is done
        await pilot.pause()
        assert debrief.card.par_score is not None
        debrief.drill.debrief("hotwash", kind="strength", text="Fast rollback")
        debrief.show_notes()
        await pilot.pause()

    assert snap_compare(snap_app(), terminal_size=SIZE, run_before=run_before)


def _pii_app(snap_app):
    from drillsim.simulator.session import load_pair

    loaded = load_pair("llm-pii-exposure")
    return snap_app(scenario=loaded.scenario, roster=loaded.roster)


async def _pii_drill(pilot) -> DrillScreen:
    """The largest built-in scenario ten minutes in: ten members, twelve actions, an open decision, a clock."""
    await pilot.press("ctrl+s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DrillScreen)
    drill = screen.drill
    drill.advance_to(60)
    for action in list(drill.actions)[:3]:
        drill.submit(action)
    drill.advance_to(600)
    screen.refresh_view()
    await pilot.pause()
    return screen


def test_largest_scenario_snapshot_80x24(snap_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _pii_drill(pilot)

    assert snap_compare(_pii_app(snap_app), terminal_size=(80, 24), run_before=run_before)


def test_largest_scenario_clocks_pane_snapshot_80x24(snap_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _pii_drill(pilot)
        await pilot.press("t", "t")  # actions -> team -> milestones and clocks
        await pilot.pause()

    assert snap_compare(_pii_app(snap_app), terminal_size=(80, 24), run_before=run_before)


def test_largest_scenario_snapshot_120x40(snap_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _pii_drill(pilot)

    assert snap_compare(_pii_app(snap_app), terminal_size=(120, 40), run_before=run_before)
