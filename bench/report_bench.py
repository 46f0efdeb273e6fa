"""Time journal -> full report (scorecard.json, report.md, report.html, figures) in a fresh process.

Each run is ``drillsim report RUN``: interpreter start-up, importing matplotlib and Jinja2, the
journal's integrity check (a replay), scoring, lessons, three figures and writing every file
atomically. Three kinds of run, alternating, in the same run of this script:

- ``--no-par``: the baseline (par left out);
- par not cached: the first report of a scenario and roster, which plays par's 101 reference
  drills in worker processes while the figures are drawn (an empty cache each time);
- par cached: every later report of that scenario and roster.

Target (issue 17): the first report of a scenario, par not cached, under 3 s of wall time. Each
figure is printed as a ratio against the baseline (a shared machine drifts); the CPU time, par's
workers included, is printed too.

    python bench/report_bench.py [JOURNAL] [--runs N]

Without JOURNAL it plays a flash-sale-latency drill (the playbook, seed 7) into a fresh journal.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import timed_run

ROOT = Path(__file__).resolve().parents[1]
TARGET = 3.0


def play(folder: Path) -> Path:
    """A fresh journal of a flash-sale-latency playbook drill (the current engine and journal format)."""
    autoplay = ["autoplay", "flash-sale-latency", "--seed", "7", "--no-report", "--out", str(folder)]
    subprocess.run([sys.executable, "-m", "drillsim", *autoplay], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return next(folder.glob("*/journal.jsonl"))


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds with par's workers) of one ``drillsim`` run in a fresh process."""
    return timed_run(
        [sys.executable, "-c", f"import sys; from drillsim.main import main; sys.exit(main({argv!r}))"], env=env
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journal", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    kinds = ("no par (baseline)", "par not cached (first report)", "par cached")
    wall: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
    with tempfile.TemporaryDirectory() as tmp:
        journal = args.journal or play(Path(tmp) / "played")
        run = Path(tmp) / "run"
        run.mkdir()
        shutil.copy(journal, run / "journal.jsonl")
        for n in range(args.runs):
            cold = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / f"cache-{n}")}  # empty: par is played
            warm = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache-0")}  # par played by run 0
            for kind, argv, env in (
                (kinds[0], ["report", str(run), "--no-par"], warm),
                (kinds[1], ["report", str(run)], cold),
                (kinds[2], ["report", str(run)], warm),
            ):
                seconds, used = timed(argv, env)
                wall[kind].append(seconds)
                cpu[kind].append(used)
        written = sorted(p.relative_to(run).as_posix() for p in run.rglob("*") if p.is_file())
    print(f"journal -> report ({', '.join(written)}), {args.runs} runs each, alternating")
    base_wall, base_cpu = statistics.median(wall[kinds[0]]), statistics.median(cpu[kinds[0]])
    print(f"{'':<32} {'wall s':>7} {'x base':>7} {'CPU s':>7} {'x base':>7}")
    for kind in kinds:
        w, c = statistics.median(wall[kind]), statistics.median(cpu[kind])
        print(f"{kind:<32} {w:>7.2f} {w / base_wall:>7.2f} {c:>7.2f} {c / base_cpu:>7.2f}")
    first = statistics.median(wall[kinds[1]])
    print(f"first report of a scenario (par not cached): {first:.2f}s wall (target < {TARGET:.0f}s)")
    return 0 if first < TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
