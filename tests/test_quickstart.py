"""The README's Quick start, run as written (#13): the commands are read from README.md, so they cannot drift.

The first command (make a venv, ``pip install .``, start ``drillsim``) runs literally in tmux at
80x24 in a copy of the repository root, whose ``./scenarios`` holds the built-ins themselves (it
used to crash there), and is driven to a running drill: Enter opens the briefing, ctrl+s starts.
The same install then starts the launcher in an empty folder and reaches a drill there too.
The second command (``pip install '.[test]'``, then pytest) runs literally, with arguments added
to pytest so that it only collects one test file from the installed package: running the whole
suite inside the suite would take many minutes.

It installs from the local checkout into a fresh venv, the dependencies from the configured index
at the versions of constraints/ci.txt (PIP_CONSTRAINT), as CI does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.test_first_contact import ROOT, _copy_checkout

PINS = f"PIP_CONSTRAINT={ROOT / 'constraints' / 'ci.txt'}"

pytestmark = [
    pytest.mark.serial,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def quick_start_commands() -> list[str]:
    """The two commands of the README's Quick start section (its first two sh blocks): install and launch, and test."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S)][:2]


class Tmux:
    """One tmux session at 80x24 running a shell command, read with capture-pane."""

    def __init__(self, name: str, command: str, cwd: Path) -> None:
        self.name = name
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
        shell = f"export TERM=xterm-256color {PINS}; {command}; echo EXITED-$?; sleep 600"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", "80", "-y", "24", "-c", str(cwd), "bash", "-c", shell],
            check=True,
        )

    def screen(self) -> str:
        done = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return done.stdout

    def wait_for(self, text: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            assert "EXITED-" not in screen and "Traceback" not in screen, screen
            time.sleep(0.3)
        raise AssertionError(f"{text!r} not on screen within {timeout:.0f} s:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def drive_to_a_running_drill(tmux: Tmux, folder: Path, timeout: float) -> None:
    screen = tmux.wait_for("Scenarios", timeout)
    assert "Flash-sale recommendation" in tmux.wait_for("Flash-sale recommendation", 30)
    assert "DuplicateKey" not in screen
    tmux.wait_for("Enter opens the briefing", 5)
    tmux.keys("Enter")
    tmux.wait_for("Start the drill", 30)
    tmux.keys("C-s")  # the cursor is in the first name field: Enter there moves on, ctrl+s starts
    tmux.wait_for("Incident feed", 30)
    (journal,) = (folder / "drills").glob("*/journal.jsonl")
    first = json.loads(journal.read_text(encoding="utf-8").splitlines()[0])
    assert first["type"] == "drill_started" and first["scenario"]["id"] == "flash-sale-latency"


def test_the_quick_start_as_written_reaches_a_running_drill(tmp_path: Path) -> None:
    launch, tests = quick_start_commands()
    assert "pip install" in launch and launch.endswith("drillsim")
    assert "pip install" in tests and "pytest" in tests
    root = _copy_checkout(tmp_path / "drillsim")
    empty = tmp_path / "elsewhere"
    empty.mkdir()

    tmux = Tmux(f"drillsim-quickstart-{tmp_path.name}", launch, root)
    try:
        drive_to_a_running_drill(tmux, root, timeout=300)  # the install comes first
    finally:
        tmux.close()

    drillsim = root / ".venv" / "bin" / "drillsim"
    tmux = Tmux(f"drillsim-quickstart-empty-{tmp_path.name}", str(drillsim), empty)
    try:
        drive_to_a_running_drill(tmux, empty, timeout=60)
    finally:
        tmux.close()

    done = subprocess.run(
        ["bash", "-c", f"{tests} --collect-only -p no:cacheprovider tests/test_first_contact.py"],
        cwd=root,
        env={**os.environ, "PIP_CONSTRAINT": str(ROOT / "constraints" / "ci.txt")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert re.search(r"^\d+ tests collected", done.stdout, flags=re.M), done.stdout[-2000:]
