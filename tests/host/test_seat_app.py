"""The seat apps (drillsim join) driven by Pilot against a real host on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

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
