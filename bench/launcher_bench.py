"""The launcher's first paint against a bare Textual app, measured in the same run (#13, #18).

Each program is started as a user starts it, in a pseudo-terminal of 80x24 (or --size), and
timed from the process start until its first screen has been written: "Scenarios" (the
launcher's table) for ``python -m drillsim``, "bare app ready" for a Textual app with one
Static. Both pay for Python and Textual's start; the ratio is what drillsim adds. The target
(#18) is a ratio under 1.5. The runs alternate so that a busy machine slows both alike.

Two clocks: wall time, and the CPU time the program had used when its screen showed (read
from /proc/PID/stat at that moment, Linux only). On a shared, busy machine the wall times
swing with the other load; the CPU times are what the program itself spent. The programs run
with .pyc files written (PYTHONDONTWRITEBYTECODE is dropped for them), as after a pip install:
otherwise a checkout would compile drillsim's modules at every start and Textual's not at all.

    python bench/launcher_bench.py               # 7 runs each, prints medians and the ratio
    python bench/launcher_bench.py --runs 3 --size 120x40
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

BARE = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare app ready")

Bare().run()
"""

ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds the process has used so far (nan where /proc is missing)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_paint(
    argv: list[str], marker: str, cwd: Path, size: tuple[int, int], timeout: float = 60.0
) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from starting ``argv`` in a pty until ``marker`` is on its screen."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1])}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed drillsim has its .pyc files, as Textual has
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, start_new_session=True)
    os.close(slave)
    seen = ""
    try:
        while True:
            left = timeout - (time.perf_counter() - start)
            if left <= 0:
                raise TimeoutError(f"{' '.join(argv)}: {marker!r} not on screen after {timeout:.0f} s")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the program ended
                raise RuntimeError(f"{' '.join(argv)} ended before painting: {ANSI.sub('', seen)[-500:]}") from None
            seen += chunk.decode("utf-8", "replace")
            if marker in ANSI.sub("", seen):
                return time.perf_counter() - start, cpu_seconds(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="runs of each program (default 7)")
    parser.add_argument("--size", default="80x24", help="terminal size COLSxROWS (default 80x24)")
    args = parser.parse_args(argv)
    cols, rows = (int(n) for n in args.size.split("x"))
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)  # no ./scenarios: the built-in library only
        bare_file = cwd / "bare.py"
        bare_file.write_text(BARE, encoding="utf-8")
        programs = {
            "bare Textual app": ([sys.executable, str(bare_file)], "bare app ready"),
            "drillsim launcher": ([sys.executable, "-m", "drillsim"], "Scenarios"),
        }
        for command, marker in programs.values():  # warm the file cache and .pyc files once
            first_paint(command, marker, cwd, (cols, rows))
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in programs}
        for _ in range(args.runs):
            for name, (command, marker) in programs.items():
                times[name].append(first_paint(command, marker, cwd, (cols, rows)))
    print(f"first paint at {cols}x{rows}, median of {args.runs} runs (min-max):")
    for clock, index in (("wall", 0), ("cpu", 1)):
        medians = {}
        for name, pairs in times.items():
            values = [pair[index] for pair in pairs]
            medians[name] = statistics.median(values)
            print(
                f"  {clock:<4} {name:<18} {medians[name] * 1000:7.0f} ms"
                f"  ({min(values) * 1000:.0f}-{max(values) * 1000:.0f})"
            )
        ratio = medians["drillsim launcher"] / medians["bare Textual app"]
        print(f"  {clock:<4} ratio              {ratio:7.2f}x  (target under 1.5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
