"""Time journal -> full report (scorecard.json, report.md, report.html, figures) in a fresh process.

Each run is ``drillsim report RUN`` (``--no-par`` unless ``--par``): interpreter start-up,
importing matplotlib and Jinja2, scoring, lessons, three figures and writing every file
atomically. Target: under 3 s of wall time (the CPU time, par's workers included, is printed too:
on a shared machine the wall time says little).

    python bench/report_bench.py [JOURNAL] [--runs N] [--par]

Without JOURNAL it uses tests/data/journals/flash-sale-late.jsonl. With ``--par`` par is in
the report too: the first run plays the playbook's 101 drills into an empty cache (the first
report of a scenario and roster), the later runs read the cache (every report after it).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "tests" / "data" / "journals" / "flash-sale-late.jsonl"
TARGET = 3.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journal", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--par", action="store_true", help="par in the report: simulated on the first run, then cached")
    args = parser.parse_args()
    times, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        run.mkdir()
        shutil.copy(args.journal, run / "journal.jsonl")
        argv = ["report", str(run)] + ([] if args.par else ["--no-par"])
        code = f"import sys; from drillsim.main import main; sys.exit(main({argv!r}))"
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        for _ in range(args.runs):
            start, used = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times.append(time.perf_counter() - start)
            cpus.append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)  # with par's workers
        written = sorted(p.relative_to(run).as_posix() for p in run.rglob("*") if p.is_file())
    best, median = min(times), statistics.median(times)
    print(f"journal -> report ({', '.join(written)})")
    print(
        f"runs: {', '.join(f'{t:.2f}s' for t in times)}; best {best:.2f}s, median {median:.2f}s (target < {TARGET:.0f}s)"
    )
    print(f"CPU (the report and par's worker processes): {', '.join(f'{t:.2f}s' for t in cpus)}")
    if args.par:
        print(
            f"first run (par simulated into an empty cache): {times[0]:.2f}s wall, {cpus[0]:.2f}s CPU; "
            "the later runs read it from the cache"
        )
    return 0 if median < TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
