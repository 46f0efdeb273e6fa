"""Time journal -> full report (scorecard.json, report.md, report.html, figures) in a fresh process.

Each run is ``drillsim report RUN`` (``--no-par`` unless ``--par``): interpreter start-up,
importing matplotlib and Jinja2, scoring, lessons, three figures and writing every file
atomically. Target: under 3 s.

    python bench/report_bench.py [JOURNAL] [--runs N] [--par]

Without JOURNAL it uses tests/data/journals/flash-sale-late.jsonl. With ``--par`` par is in
the report too: the first run plays the playbook's 101 drills into an empty cache (the first
report of a scenario and roster), the later runs read the cache (every report after it).
"""

from __future__ import annotations

import argparse
import os
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
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        run.mkdir()
        shutil.copy(args.journal, run / "journal.jsonl")
        argv = ["report", str(run)] + ([] if args.par else ["--no-par"])
        code = f"import sys; from drillsim.main import main; sys.exit(main({argv!r}))"
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        written = sorted(p.relative_to(run).as_posix() for p in run.rglob("*") if p.is_file())
    best, median = min(times), statistics.median(times)
    print(f"journal -> report ({', '.join(written)})")
    print(
        f"runs: {', '.join(f'{t:.2f}s' for t in times)}; best {best:.2f}s, median {median:.2f}s (target < {TARGET:.0f}s)"
    )
    if args.par:
        print(f"first run (par simulated into an empty cache): {times[0]:.2f}s; the later runs read it from the cache")
    return 0 if median < TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
