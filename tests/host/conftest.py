"""A real host process on 127.0.0.1 and protocol clients that talk to it over real sockets."""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

WAIT = 30.0
"""Seconds a test waits for a frame it expects (generous: a busy machine answers slowly, never wrongly)."""


@dataclass
class HostProcess:
    proc: subprocess.Popen[str]
    url: str
    folder: Path
    codes: dict[str, str]
    lines: list[str] = field(default_factory=list)

    def journal(self) -> list[dict[str, Any]]:
        text = (self.folder / "journal.jsonl").read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start_host(argv: list[str], cwd: Path) -> HostProcess:
    """``drillsim ARGV`` in a subprocess; returns once it prints where it listens."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "drillsim", *argv],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    url = folder = None
    deadline = time.monotonic() + 120
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if match := re.match(r"listening on (\S+)", line):
            url = match.group(1)
        if match := re.match(r"run folder: (.+)", line):
            folder = Path(match.group(1).strip())
        if line.startswith("Ctrl-C stops the host"):
            break
    if url is None or folder is None:
        proc.kill()
        raise AssertionError("the host did not start:\n" + "\n".join(lines))
    folder = folder if folder.is_absolute() else cwd / folder
    codes = json.loads((folder / "seats.json").read_text())["seats"]
    host = HostProcess(proc, url, folder, codes, lines)

    def drain() -> None:  # keep reading so the host never blocks on a full pipe
        for rest in proc.stdout or ():
            lines.append(rest.rstrip("\n"))

    threading.Thread(target=drain, daemon=True).start()
    return host


class Seat:
    """A protocol client: a seat's socket, every frame it received (on the wire), helpers to wait for some."""

    def __init__(self, url: str, seat: str, code: str) -> None:
        self.url, self.seat, self.code = url, seat, code
        self.frames: list[str] = []
        # max_queue=None: a seat the test leaves unread for a while keeps reading (and answering the host's
        # keepalive pings) instead of stalling behind a full queue of pushed views
        self.ws: ClientConnection = connect(url, open_timeout=10, max_size=None, max_queue=None).__enter__()
        self.ws.send(json.dumps({"type": "hello", "seat": seat, "code": code}))
        self.welcome = self.expect(lambda m: m["type"] in ("welcome", "error"))

    def send(self, message: dict[str, Any]) -> None:
        self.ws.send(json.dumps(message))

    def input(self, kind: str, client_id: str | None = None, **fields: Any) -> str:
        cid = client_id or uuid.uuid4().hex
        self.send({"type": kind, "id": cid, **fields})
        return cid

    def recv(self, timeout: float) -> dict[str, Any]:
        frame = self.ws.recv(timeout=timeout)
        assert isinstance(frame, str)
        self.frames.append(frame)
        message: dict[str, Any] = json.loads(frame)
        return message

    def expect(self, pred: Callable[[dict[str, Any]], bool], timeout: float = WAIT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{self.seat}: nothing matched in {timeout} s")
            message = self.recv(left)
            if pred(message):
                return message

    def ack(self, cid: str, timeout: float = WAIT) -> dict[str, Any]:
        return self.expect(lambda m: m.get("id") == cid and m["type"] in ("ack", "error"), timeout)

    def view(self, pred: Callable[[dict[str, Any]], bool] = lambda v: True, timeout: float = WAIT) -> dict[str, Any]:
        message = self.expect(lambda m: m["type"] == "view" and pred(m["view"]), timeout)
        view: dict[str, Any] = message["view"]
        return view

    def close(self) -> None:
        self.ws.close()


@pytest.fixture
def host_factory(tmp_path: Path) -> Iterator[Callable[..., HostProcess]]:
    started: list[HostProcess] = []

    def make(*argv: str) -> HostProcess:
        host = start_host(list(argv), tmp_path)
        started.append(host)
        return host

    yield make
    for host in started:
        host.stop()


@pytest.fixture
def host(host_factory: Callable[..., HostProcess], tmp_path: Path) -> HostProcess:
    """flash-sale-latency with the crisis team at 60x, paused until the controller resumes it."""
    return host_factory(
        "host", "flash-sale-latency", "--roster", "crisis-team", "--seed", "7", "--speed", "60", "--port", "0",
        "--out", str(tmp_path / "drills"),
    )  # fmt: skip


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests (Pilot) with asyncio, as tests/tui does."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None
