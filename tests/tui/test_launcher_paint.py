"""The launcher paints before it mounts its settings fields and footer, and before it validates (#18).

On a terminal the app's first launcher leaves the settings fields and the footer out of its first
frame and mounts them once that frame is written (``call_after_refresh``), then checks the
scenario files. ``LauncherScreen.DEFER_HEADLESS`` makes a headless app do the same, so the
deferred start is what these tests drive.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

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


SYNC_QUERY, SYNC_START, SYNC_END = "\x1b[?2026$p", "\x1b[?2026h", "\x1b[?2026l"
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def terminal_frames(argv: list[str], cwd: Path, until: str, timeout: float = 60.0) -> list[str]:
    """The frames (as plain text) a program writes to an 80x24 pseudo-terminal, until one shows ``until``.

    The terminal answers Textual's query for synchronized output, so each frame comes between
    its start and end marks however the pseudo-terminal splits the bytes. Frames written before
    Textual reads the answer come unmarked: they are the first "frame", complete once a marked one starts."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, start_new_session=True)
    os.close(slave)
    seen, answered, frames = "", False, []
    deadline = time.monotonic() + timeout
    try:
        while not any(until in frame for frame in frames):
            left = deadline - time.monotonic()
            assert left > 0, f"{until!r} not shown in {timeout:.0f} s: {ANSI.sub('', seen)[-500:]!r}"
            if not select.select([master], [], [], left)[0]:
                continue
            try:
                seen += os.read(master, 65536).decode("utf-8", "replace")
            except OSError:
                pytest.fail(f"the program ended: {ANSI.sub('', seen)[-500:]!r}")
            if not answered and SYNC_QUERY in seen:
                os.write(master, b"\x1b[?2026;2$y")  # supported (currently reset)
                answered = True
            parts = seen.split(SYNC_START)
            marked = [part.partition(SYNC_END)[0] for part in parts[1:] if SYNC_END in part]
            frames = [ANSI.sub("", frame) for frame in parts[:1] + marked] if len(parts) > 1 else []
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    return frames


@pytest.mark.skipif(not hasattr(os, "openpty") or sys.platform == "win32", reason="needs a pseudo-terminal")
def test_on_a_terminal_the_first_frame_shows_the_table(tmp_path: Path) -> None:
    """The first frame with the launcher's title also has the scenario table and the detail pane (#18).

    The launcher used to be laid out inside Textual's start-up batch, whose frame is never written:
    the next write was a partial update without the table, which came a full layout later."""
    frames = terminal_frames([sys.executable, "-m", "drillsim"], tmp_path, until="tabletop drills")
    first = next(frame for frame in frames if "tabletop drills" in frame)
    assert "Scenarios" in first and "flash-sale-latency" in first, first
    assert "Scenario " in first.replace("Scenarios", ""), first  # the detail pane's border title
