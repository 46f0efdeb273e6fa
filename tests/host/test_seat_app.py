"""The seat apps (drillsim join) driven by Pilot against a real host on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from drillsim.tui.seats.app import ControllerScreen, RoleScreen, RoomScreen, SeatApp
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Digits

from .conftest import HostProcess

pytestmark = pytest.mark.serial


async def until(pilot: Pilot[object], done: Callable[[], bool], timeout: float = 60.0) -> None:
    """Wait for a state (wall-clock timeout, generous for a busy machine)."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s")
        await pilot.pause(0.1)


def on(app: SeatApp, kind: type[Screen[None]]) -> bool:
    return isinstance(app.screen, kind) and bool(getattr(app.screen, "ready", False))


async def test_the_controller_starts_the_drill_and_a_role_takes_its_action(host: HostProcess) -> None:
    controller = SeatApp(host.url, "controller", host.codes["controller"])
    async with controller.run_test(size=(150, 45)) as pilot:
        await until(pilot, lambda: on(controller, ControllerScreen))
        assert controller.view_data is not None and controller.view_data["paused"]
        await pilot.press("space")
        await until(pilot, lambda: bool(controller.recorded) and not controller.pending)
    assert any(r["type"] == "resumed" for r in host.journal())

    lead = SeatApp(host.url, "crisis-lead", host.codes["crisis-lead"])
    async with lead.run_test(size=(150, 45)) as pilot:
        await until(pilot, lambda: on(lead, RoleScreen))
        await until(pilot, lambda: any(m["id"] == "detected" for m in (lead.view_data or {}).get("milestones", [])))
        screen = lead.screen
        assert isinstance(screen, RoleScreen)
        assert {a.role for a in screen.actions} == {"crisis-lead"}
        key = screen.keys["activate-playbook"]
        await pilot.press(key)
        await until(pilot, lambda: bool(lead.recorded) and not lead.pending)
        assert "sent" not in str(lead.status)
    submitted = [r for r in host.journal() if r["type"] == "action_submitted"]
    assert [(r["action"], r["by"]) for r in submitted] == [("activate-playbook", "Avery")]


async def test_the_room_shows_the_clock_in_large_type_and_nothing_of_the_controllers(host: HostProcess) -> None:
    room = SeatApp(host.url, "room", host.codes["room"])
    async with room.run_test(size=(150, 45)) as pilot:
        await until(pilot, lambda: on(room, RoomScreen))
        clock = room.screen.query_one("#room-clock", Digits)
        assert clock.value == "00:00"
        data = room.view_data or {}
        assert data["kind"] == "room" and "controller" not in data and data["actions"] == []


async def test_a_wrong_code_ends_the_seat_app_with_a_clear_message(host: HostProcess) -> None:
    app = SeatApp(host.url, "crisis-lead", "not-the-code")
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 2


def test_a_seat_in_a_browser_is_one_command(tmp_path: Path) -> None:
    """``drillsim join ... --web PORT`` serves the seat's page with textual-serve (the ``web`` extra)."""
    pytest.importorskip("textual_serve")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = [sys.executable, "-m", "drillsim", "join", "ws://127.0.0.1:9", "--seat", "room", "--code", "x"]
    proc = subprocess.Popen([*argv, "--web", str(port)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        page = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://localhost:{port}/", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "drillsim: room" in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def test_a_dialog_on_the_controllers_console_stays_open_while_views_arrive(host: HostProcess) -> None:
    from drillsim.tui.screens.modals import ConfirmScreen

    controller = SeatApp(host.url, "controller", host.codes["controller"])
    async with controller.run_test(size=(150, 45)) as pilot:
        await until(pilot, lambda: on(controller, ControllerScreen))
        await pilot.press("space")
        await until(pilot, lambda: not (controller.view_data or {}).get("paused", True))
        await pilot.press("e")
        await until(pilot, lambda: isinstance(controller.screen, ConfirmScreen))
        t0 = (controller.view_data or {})["t"]
        await until(pilot, lambda: (controller.view_data or {})["t"] > t0 + 30)  # views kept coming
        assert isinstance(controller.screen, ConfirmScreen)
        await pilot.press("y")
        await until(pilot, lambda: (controller.view_data or {}).get("ended") is True)
    ended = [r for r in host.journal() if r["type"] == "drill_ended"]
    assert ended and ended[0]["reason"] == "facilitator"


async def test_a_seat_app_reconnects_by_itself_and_sends_again_what_was_not_recorded(
    host: HostProcess, host_factory: Callable[..., HostProcess]
) -> None:
    controller = SeatApp(host.url, "controller", host.codes["controller"])
    async with controller.run_test(size=(150, 45)) as pilot:
        await until(pilot, lambda: on(controller, ControllerScreen) and controller.status == "connected")
        host.kill()
        await until(pilot, lambda: controller.status.startswith(("reconnecting", "host gone")))
        controller.send_input("note", text="written while the host was down")  # what the note dialog sends
        assert controller.pending and "waiting to be recorded" in str(
            controller.screen.query_one("#seat-status").render()
        )
        port = host.url.rsplit(":", 1)[1]
        back = host_factory("resume", str(host.folder), "--host", "--port", port)
        await until(pilot, lambda: controller.status == "connected" and not controller.pending, timeout=120)
        assert controller.recorded and controller.view_data is not None and controller.view_data["paused"]
    notes = [r for r in back.journal() if r["type"] == "note" and r["text"] == "written while the host was down"]
    assert len(notes) == 1


# ---------------------------------------------------------------- every panel at 80x24 (#18), no host needed


def _view_of(seat: str, at: float = 500) -> dict[str, object]:
    """The largest built-in scenario (llm-pii-exposure) ``at`` seconds in (eight minutes), as the host sends it
    to ``seat``."""
    from drillsim.host.views import seat_view
    from drillsim.simulator.engine import Drill
    from drillsim.simulator.library import resolve_roster, resolve_scenario
    from drillsim.simulator.loading import load_roster, load_scenario

    scenario = load_scenario(resolve_scenario("llm-pii-exposure"))
    roster = load_roster(resolve_roster(scenario.default_roster or "crisis-team"))
    drill = Drill(scenario, roster, 7)
    drill.advance_to(at)
    return seat_view(drill, seat)


PANEL_OF = {"actions": "#actions", "team": "#team", "clocks": "#milestones", "truth": "#truth"}


@contextlib.asynccontextmanager
async def seat_showing(
    seat: str, size: tuple[int, int]
) -> AsyncIterator[tuple[SeatApp, Pilot[object], dict[str, Any]]]:
    """A seat app (no host) showing ``_view_of(seat)`` at ``size``: the app, its pilot and the view it shows."""
    data = _view_of(seat)
    app = SeatApp("ws://127.0.0.1:9", seat, "code", connect=False)
    async with app.run_test(size=size) as pilot:
        app.show_view(data)
        await until(pilot, lambda: on(app, RoleScreen))
        await pilot.pause()
        yield app, pilot, data


@pytest.mark.parametrize(
    ("seat", "size", "compact"),
    [
        ("crisis-lead", (80, 24), True),
        ("controller", (80, 24), True),
        ("crisis-lead", (120, 40), False),
        ("controller", (120, 40), True),  # four panels: one at a time below 48 rows
        ("controller", (150, 50), False),
    ],
)
async def test_every_panel_of_a_seat_is_reachable(seat: str, size: tuple[int, int], compact: bool) -> None:
    app = SeatApp("ws://127.0.0.1:9", seat, "code", connect=False)
    async with app.run_test(size=size) as pilot:
        app.show_view(_view_of(seat))
        await until(pilot, lambda: on(app, RoleScreen))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoleScreen) and screen.compact is compact
        panes = [name for name, _ in screen.PANES]
        for step, pane in enumerate(panes):
            if step:
                await pilot.press("t")  # the next pane
                await pilot.pause()
            assert screen.pane == pane
            shown = screen.query_one(PANEL_OF[pane])
            # compact: the pane has the column's height (not a one-line sliver); wide: every panel shows
            assert shown.display and shown.region.height >= (10 if compact else 3), (pane, shown.region)
            for other in panes:
                if other != pane:
                    assert screen.query_one(PANEL_OF[other]).display is not compact
        await pilot.press("t")
        await pilot.pause()
        assert screen.pane == panes[0]  # round again


async def test_the_clocks_pane_at_80x24_shows_every_milestone() -> None:
    """The role seat at 80x24 showed one milestone line: its clocks pane now has the column's height."""
    data = _view_of("crisis-lead")
    reached = [m for m in data["milestones"] if m.get("reached_at") is not None]
    assert len(reached) >= 2
    app = SeatApp("ws://127.0.0.1:9", "crisis-lead", "code", connect=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.show_view(data)
        await until(pilot, lambda: on(app, RoleScreen))
        screen = app.screen
        assert isinstance(screen, RoleScreen)
        screen.show_pane("clocks")
        await pilot.pause()
        text = "\n".join(
            line.text
            for line in screen.query_one("#milestones").render_lines(
                screen.query_one("#milestones").region.reset_offset
            )
        )
        for milestone in reached:
            label = str(milestone.get("label") or milestone["id"])
            assert label.split()[0] in text


async def test_the_decision_dialog_follows_the_views_through_the_apps_signal_while_it_is_open() -> None:
    """The seat's decision dialog counts down with each view the host sends (it subscribes to the app's
    ``view_changed`` while mounted) and stops following once it is closed."""
    from drillsim.host.views import seat_view
    from drillsim.simulator.engine import Drill
    from drillsim.simulator.library import resolve_roster, resolve_scenario
    from drillsim.simulator.loading import load_roster, load_scenario
    from drillsim.tui.screens.modals import DecisionScreen
    from textual.widgets import Static

    scenario = load_scenario(resolve_scenario("llm-pii-exposure"))
    roster = load_roster(resolve_roster(scenario.default_roster or "crisis-team"))
    drill = Drill(scenario, roster, 7)
    drill.advance_to(500)
    app = SeatApp("ws://127.0.0.1:9", "crisis-lead", "code", connect=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.show_view(seat_view(drill, "crisis-lead"))
        await until(pilot, lambda: on(app, RoleScreen))
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        dialog = app.screen
        assert isinstance(dialog, DecisionScreen)
        assert "03:40 left" in str(dialog.query_one("#choice-title", Static).content)
        drill.advance_to(510)
        app.show_view(seat_view(drill, "crisis-lead"))
        await pilot.pause()
        assert "03:30 left" in str(dialog.query_one("#choice-title", Static).content)
        await pilot.press("escape")
        await until(pilot, lambda: on(app, RoleScreen))
        drill.advance_to(520)
        app.show_view(seat_view(drill, "crisis-lead"))  # no one left to follow: nothing reaches the closed dialog
        await pilot.pause()
        assert not app.view_changed._subscriptions


async def test_the_compact_footer_keeps_a_space_after_the_speed_group(host: HostProcess) -> None:
    """At 120x40 the controller's seat packs its footer; Textual's compact footer gave the "+- Speed"
    group's label no margin, so it ran into the next key ("+- Speedi Inject")."""
    from textual.widgets import Footer

    controller = SeatApp(host.url, "controller", host.codes["controller"])
    async with controller.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: on(controller, ControllerScreen))
        await pilot.pause()
        footer = controller.screen.query_one(Footer)
        assert footer.compact
        parts = sorted(footer.query("FooterKey, FooterLabel"), key=lambda w: w.region.x)
        label = next(w for w in parts if type(w).__name__ == "FooterLabel")
        after = next(w for w in parts if w.region.x > label.region.x)
        assert after.region.x > label.region.right, (label.region, after.region)


async def test_a_seats_metric_line_gives_the_slo_bound_its_unit() -> None:
    """A seat's one-line metric card read "180ms ≤360": the bound is in the metric's unit too ("≤360ms")."""
    from drillsim.simulator.describe import readable_number
    from drillsim.tui.widgets import MetricCard
    from textual.widgets import Static

    async with seat_showing("crisis-lead", (80, 24)) as (app, _, data):
        metrics = {m["id"]: m for m in data["metrics"]}  # type: ignore[attr-defined]
        checked = 0
        for card in app.screen.query(MetricCard):
            metric = metrics[card.metric_id]
            if not metric["unit"]:
                continue
            line = str(card.query_one(".metric-label", Static).content)
            sign, bound = ("≤", metric["slo_max"]) if metric["slo_max"] is not None else ("≥", metric["slo_min"])
            assert f"{sign}{readable_number(bound)}{metric['unit']}" in line, line
            checked += 1
        assert checked == 3  # /min, % and /h


async def test_the_inbox_wraps_again_when_the_terminal_is_resized() -> None:
    """A seat widened from 80x24 to 160x48 kept its inbox wrapped at the old width (RichLog keeps lines as
    written): each item took four or five narrow lines in a wide box. The feed writes them again at the new width."""
    from drillsim.tui.widgets import IncidentFeed

    async with seat_showing("controller", (80, 24)) as (app, pilot, _):
        feed = app.screen.query_one(IncidentFeed)
        narrow, narrow_width = len(feed.lines), feed.scrollable_content_region.width
        assert narrow and max(line.cell_length for line in feed.lines) <= narrow_width
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        await pilot.pause()
        wide = len(feed.lines)
        assert feed.scrollable_content_region.width > narrow_width
        assert wide < narrow, (narrow, wide)
        assert max(line.cell_length for line in feed.lines) > narrow_width


async def test_the_inboxs_new_count_ages_while_no_view_arrives() -> None:
    """A seat's inbox title counts the items that arrived in the last FRESH seconds; a paused drill sends no
    new view, and the count must still go (the drill screen recounts as wall time moves; so does a seat)."""
    from drillsim.tui import widgets

    async with seat_showing("crisis-lead", (120, 40)) as (app, pilot, first):
        feed = app.screen.query_one(widgets.IncidentFeed)
        assert feed.border_title == "Inbox"  # joined eight minutes in: what was there is not new
        later = _view_of("crisis-lead", 900)
        app.show_view(later)
        arrived = len(later["feed"]) - len(first["feed"])  # type: ignore[arg-type]
        assert arrived > 0
        await until(pilot, lambda: feed.border_title == f"Inbox · {arrived} new")
        real = feed.clock
        feed.clock = lambda: real() + widgets.FRESH + 1  # wall time moves on; no view arrives
        await until(pilot, lambda: "new" not in str(feed.border_title), timeout=5)
