"""TUI benchmark (run on demand, not a test): idle CPU of the drill screen and key-to-screen latency.

    python bench/tui_bench.py [--seconds 10] [--keys 40]

Each app runs in its own pseudo-terminal (the real Linux driver, 120x40, as in tmux), and this
process reads and discards what it draws. Measured in the same run:

- a bare Textual app (a Static and a Footer, one key binding that changes the Static's text);
- the drill screen of flash-sale-latency and of llm-pii-exposure (``drillsim run ... --speed S``,
  started with ctrl+s), left alone at x1 and at x60;
- key to screen at x60: the time from writing a key (space: pause, which is journaled and
  fsync'd) to the terminal output that shows the change (PAUSED / the x60 badge), p50 and p95.
  For the bare app, its own key binding.

CPU is the child's user + system time over the wall time (share of one core). Targets (issue
18): idle under 3% of a core at x1 and under 6% at x60; key to screen under 50 ms p95 at x60.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App):
    BINDINGS = [("space", "flip", "Flip")]
    def compose(self):
        yield Static("RUNNING", id="s")
        yield Footer()
    def action_flip(self):
        s = self.query_one("#s", Static)
        self.flag = not getattr(self, "flag", False)
        s.update("PAUSED" if self.flag else "RUNNING x60")

Bare().run()
"""


class Child:
    """A program in a pseudo-terminal of 120x40; ``drain`` reads what it drew."""

    def __init__(self, argv: list[str], cwd: Path) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child
            os.chdir(cwd)
            os.environ["TERM"] = "xterm-256color"
            os.environ.pop("TEXTUAL", None)
            os.execvp(argv[0], argv)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.seen = b""

    def drain(self, timeout: float = 0.0) -> bytes:
        out = b""
        end = time.perf_counter() + timeout
        while True:
            left = max(0.0, end - time.perf_counter())
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if timeout == 0.0:
                continue
        self.seen = (self.seen + out)[-200_000:]
        return out

    def wait_for(self, needle: bytes, timeout: float = 20.0) -> float:
        """Seconds until ``needle`` shows in the output (from now)."""
        start = time.perf_counter()
        buffer = b""
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([self.fd], [], [], 0.005)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                buffer += chunk
                if needle in buffer:
                    return time.perf_counter() - start
        raise TimeoutError(f"did not see {needle!r} within {timeout}s")

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def cpu(self) -> float:
        """The child's user + system CPU seconds so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def stop(self) -> None:
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)


def idle_cpu(child: Child, seconds: float) -> float:
    child.drain(3.0)  # settle: the first seconds of a drill (its opening injects and toasts) are not idle
    cpu0, wall0 = child.cpu(), time.perf_counter()
    end = wall0 + seconds
    while time.perf_counter() < end:
        child.drain(0.2)
    return (child.cpu() - cpu0) / (time.perf_counter() - wall0)


def key_latency(child: Child, keys: int, on: bytes, off: bytes) -> list[float]:
    """Press space ``keys`` times; each time, the seconds until the screen shows the new state."""
    times = []
    for n in range(keys):
        child.drain(0.15)
        start = time.perf_counter()
        child.send(b" ")
        child.wait_for(on if n % 2 == 0 else off)
        times.append(time.perf_counter() - start)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def drill(scenario: str, speed: float, cwd: Path) -> Child:
    drillsim = shutil.which("drillsim") or str(Path(sys.executable).parent / "drillsim")
    child = Child(
        [drillsim, "run", scenario, "--speed", f"{speed:g}", "--seed", "7", "--out", str(cwd / "drills")], cwd
    )
    child.wait_for(b"Start the drill")
    child.send(b"\x13")  # ctrl+s
    child.wait_for(b"Incident feed")
    return child


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="wall seconds per idle measurement")
    parser.add_argument("--keys", type=int, default=40, help="key presses per latency measurement")
    parser.add_argument(
        "--scenario",
        action="append",
        help="only this scenario (repeatable; default: flash-sale-latency, llm-pii-exposure)",
    )
    parser.add_argument("--speed", type=float, action="append", help="only this speed (repeatable; default: 1 and 60)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tui-bench-"))
    bare_file = work / "bare.py"
    bare_file.write_text(BARE_APP)

    bare = Child([sys.executable, str(bare_file)], work)
    bare.wait_for(b"RUNNING")
    bare_cpu = idle_cpu(bare, args.seconds)
    bare_keys = key_latency(bare, args.keys, b"PAUSED", b"RUNNING x60")
    bare.stop()
    print(
        f"bare Textual app        idle CPU {bare_cpu * 100:5.1f}% of a core   key to screen p50 "
        f"{statistics.median(bare_keys) * 1000:5.1f} ms  p95 {p95(bare_keys) * 1000:5.1f} ms"
    )

    for scenario in args.scenario or ("flash-sale-latency", "llm-pii-exposure"):
        for speed in args.speed or (1.0, 60.0):
            child = drill(scenario, speed, work)
            cpu = idle_cpu(child, args.seconds)
            ratio = f"{cpu / bare_cpu:.0f}x bare" if bare_cpu >= 0.001 else "bare: under 0.1%"
            line = f"{scenario:<19} x{speed:<3g} idle CPU {cpu * 100:5.1f}% of a core ({ratio})"
            if speed == 60.0:
                keys = key_latency(child, args.keys, b"PAUSED", b"x60")
                line += (
                    f"   key to screen p50 {statistics.median(keys) * 1000:5.1f} ms  p95 {p95(keys) * 1000:5.1f} ms"
                    f" ({p95(keys) / p95(bare_keys):4.1f}x bare)"
                )
            child.stop()
            print(line)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
