"""Drill host benchmark: every seat of a drill connected at 60x on loopback, inputs -> acknowledgements.

    python bench/host_bench.py [--seconds 20] [--speed 60] [--scenario llm-pii-exposure --roster full-crisis-team]

Starts ``drillsim host`` as a subprocess on 127.0.0.1 (llm-pii-exposure with the full
crisis team has 12 seats: the controller, the room and ten roles), running at once. Two
phases of the same length, measured in the same run:

1. baseline: only the controller connected (the drill runs, one view stream);
2. every seat connected; each role seat sends one input a second (an action of its role,
   available if any), the controller a note every two seconds;

then, with the drill paused, every seat connected for half a phase without inputs: views
pushed only when they change means each seat gets its first view and (nearly) nothing else.

Prints input -> ack latency (p50, p95, max; an ack means the input is fsync'd in the
journal), views received per seat per second and their size, how many views repeated the one before
(none should), the views of the paused phase, and the host's CPU (user +
system, from /proc) per second of wall time: in total, per seat, and as a ratio against
the baseline. Target (issue 19): p95 under 100 ms with 12 seats at 60x.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_host(args: argparse.Namespace, out: Path) -> tuple[subprocess.Popen[str], str, dict[str, str]]:
    argv = [
        sys.executable, "-m", "drillsim", "host", args.scenario, "--roster", args.roster, "--speed", str(args.speed),
        "--seed", "7", "--port", "0", "--out", str(out), "--run-now",
    ]  # fmt: skip
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=out)
    assert proc.stdout is not None
    url = folder = None
    for line in proc.stdout:
        if m := re.match(r"listening on (\S+)", line):
            url = m.group(1)
        if m := re.match(r"run folder: (.+)", line):
            folder = Path(m.group(1).strip())
        if line.startswith("Ctrl-C"):
            break
    if url is None or folder is None:
        proc.kill()
        raise SystemExit("the host did not start")
    codes = json.loads((folder / "seats.json").read_text())["seats"]

    def drain() -> None:
        for _ in proc.stdout or ():
            pass

    import threading

    threading.Thread(target=drain, daemon=True).start()
    return proc, url, codes


class Client:
    def __init__(self, seat: str) -> None:
        self.seat = seat
        self.views = 0
        self.view_bytes = 0
        self.latencies: list[float] = []
        self.sent: dict[str, float] = {}
        self.view: dict[str, Any] = {}
        self.last_frame = ""
        self.repeats = 0
        """Views equal to the one before (the host should never send one)."""

    async def run(self, url: str, code: str, until: float, send_every: float | None) -> None:
        from websockets.asyncio.client import connect

        async with connect(url, max_size=None) as ws:
            await ws.send(json.dumps({"type": "hello", "seat": self.seat, "code": code}))
            welcome = json.loads(await ws.recv())
            assert welcome["type"] == "welcome", welcome
            sender = asyncio.create_task(self._send(ws, until, send_every)) if send_every else None
            try:
                while time.monotonic() < until:
                    try:
                        frame = await asyncio.wait_for(ws.recv(), max(0.01, until - time.monotonic()))
                    except TimeoutError:
                        break
                    message = json.loads(frame)
                    if message["type"] == "view":
                        self.repeats += frame == self.last_frame
                        self.last_frame = frame
                        self.views += 1
                        self.view_bytes += len(frame)
                        self.view = message["view"]
                    elif message["type"] in ("ack", "error") and message.get("id") in self.sent:
                        self.latencies.append(time.monotonic() - self.sent.pop(message["id"]))
            finally:
                if sender is not None:
                    sender.cancel()

    async def _send(self, ws: Any, until: float, every: float) -> None:
        await asyncio.sleep(every * (hash(self.seat) % 100) / 100)  # spread the seats over the second
        while time.monotonic() < until - 1:
            cid = uuid.uuid4().hex
            if self.seat == "controller":
                message = {"type": "note", "id": cid, "text": "bench note"}
            else:
                actions = self.view.get("actions") or []
                if not actions:
                    await asyncio.sleep(every)
                    continue
                available = [a for a in actions if a["available"]] or actions
                message = {"type": "submit", "id": cid, "action": available[0]["id"]}
            self.sent[cid] = time.monotonic()
            await ws.send(json.dumps(message))
            await asyncio.sleep(every)


async def phase(url: str, codes: dict[str, str], seats: list[str], seconds: float, inputs: bool) -> list[Client]:
    clients = [Client(seat) for seat in seats]
    until = time.monotonic() + seconds
    await asyncio.gather(
        *(
            c.run(url, codes[c.seat], until, None if not inputs or c.seat == "room" else 2.0 if c.seat == "controller" else 1.0)
            for c in clients
        )
    )  # fmt: skip
    return clients


def fsync_times(folder: Path, n: int = 40) -> list[float]:
    """Wall seconds of ``n`` appends + fsyncs on this disk: what an input's two fsyncs cost at least."""
    times = []
    with open(folder / "fsync-probe", "a", encoding="utf-8") as handle:
        for _ in range(n):
            start = time.monotonic()
            handle.write('{"probe": true}\n')
            handle.flush()
            os.fsync(handle.fileno())
            times.append(time.monotonic() - start)
            time.sleep(0.02)
    return sorted(times)


async def pause(url: str, code: str) -> None:
    from websockets.asyncio.client import connect

    async with connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"type": "hello", "seat": "controller", "code": code}))
        await ws.recv()
        await ws.send(json.dumps({"type": "pause", "id": "bench-pause"}))
        while json.loads(await ws.recv()).get("id") != "bench-pause":
            pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="wall seconds per phase")
    parser.add_argument("--speed", type=float, default=60.0)
    parser.add_argument("--scenario", default="llm-pii-exposure")
    parser.add_argument("--roster", default="full-crisis-team")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proc, url, codes = start_host(args, Path(tmp))
        probe = fsync_times(Path(tmp))
        try:
            seats = list(codes)
            cpu0, wall0 = cpu_seconds(proc.pid), time.monotonic()
            asyncio.run(phase(url, codes, ["controller"], args.seconds, inputs=False))
            cpu1, wall1 = cpu_seconds(proc.pid), time.monotonic()
            clients = asyncio.run(phase(url, codes, seats, args.seconds, inputs=True))
            cpu2, wall2 = cpu_seconds(proc.pid), time.monotonic()
            asyncio.run(pause(url, codes["controller"]))
            time.sleep(1.0)
            still = asyncio.run(phase(url, codes, seats, args.seconds / 2, inputs=False))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    base = (cpu1 - cpu0) / (wall1 - wall0)
    full = (cpu2 - cpu1) / (wall2 - wall1)
    latencies = sorted(lat for c in clients for lat in c.latencies)
    if not latencies:
        raise SystemExit("no input was acknowledged")
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    views = [c.views / args.seconds for c in clients]
    size = sum(c.view_bytes for c in clients) / max(1, sum(c.views for c in clients))
    print(
        f"drill host: {args.scenario} with {args.roster}, {len(seats)} seats, x{args.speed:g}, {args.seconds:g} s a phase"
    )
    print(
        f"inputs acknowledged: {len(latencies)}  latency p50 {statistics.median(latencies) * 1000:.1f} ms  "
        f"p95 {p95 * 1000:.1f} ms  max {latencies[-1] * 1000:.1f} ms  (target p95 < 100 ms: "
        f"{'met' if p95 < 0.1 else 'NOT met'})"
    )
    print(
        f"views per seat per second: median {statistics.median(views):.1f} (min {min(views):.1f}), {size / 1024:.1f} KiB each"
    )
    print(
        f"this disk, same run: one append + fsync p50 {statistics.median(probe) * 1000:.1f} ms, "
        f"p95 {probe[round(0.95 * len(probe)) - 1] * 1000:.1f} ms (an input waits for two, one after the other)"
    )
    repeats = sum(c.repeats for c in clients + still)
    idle = [max(0, c.views - 1) for c in still]  # the first view of a (re)connected seat is its full view
    print(
        f"views equal to the previous one: {repeats}; paused drill, {len(seats)} seats, {args.seconds / 2:g} s: "
        f"{sum(idle)} views after each seat's first (median {statistics.median(idle):g} a seat)"
    )
    print(
        f"host CPU: baseline (1 seat, no inputs) {base * 100:.1f}% of a core; {len(seats)} seats with inputs "
        f"{full * 100:.1f}% ({full / base:.1f}x the baseline), {full / len(seats) * 100:.2f}% a seat"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
