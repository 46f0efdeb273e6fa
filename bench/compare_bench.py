"""Time ``drillsim compare`` on 1,000 scorecards (report with figures) in a fresh process.

The scorecards are derived from tests/data/scorecards/base-v1.scorecard.json: 5 teams x
4 scenarios x 50 quarters, intervals drawn from a heavy-tailed (log-normal) distribution,
one scenario changing its content hash halfway. No journals sit beside them, so findings
are not recomputed (that costs about 10 ms a drill: see docs/compare.md). The timing
includes interpreter start-up, importing pandas, matplotlib and Jinja2, loading, the
tables, the figures and writing every file atomically. Target: under 5 s.

    python bench/compare_bench.py [--drills N] [--runs N]
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "tests" / "data" / "scorecards" / "base-v1.scorecard.json"
TARGET = 5.0
TEAMS = ["Checkout", "Payments AI", "Search", "Recs", "Platform"]
SCENARIOS = ["flash-sale-latency", "model-drift", "llm-pii-exposure", "label-error"]


def generate(folder: Path, count: int, seed: int = 7) -> None:
    base = json.loads(BASE.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    per_group = max(1, count // (len(TEAMS) * len(SCENARIOS)))
    written = 0
    for quarter in range(per_group):
        year, q = 2014 + quarter // 4, quarter % 4 + 1
        for team in TEAMS:
            for n, scenario in enumerate(SCENARIOS):
                if written >= count:
                    return
                card = copy.deepcopy(base)
                changed = scenario == "model-drift" and quarter >= per_group // 2
                card.update(
                    team=team,
                    label=f"{year}-Q{q}",
                    date=f"{year}-{3 * q - 1:02d}-{10 + n:02d}",
                    scenario_id=scenario,
                    scenario_title=scenario.replace("-", " ").title(),
                    scenario_hash=("b" if changed else "a") * 64,
                )
                card["score"]["total"] = round(min(100.0, max(0.0, rng.gauss(65, 15))), 1)
                for interval in card["intervals"]:
                    if interval["seconds"] is None or rng.random() < 0.05:
                        interval["seconds"] = None
                    else:
                        interval["seconds"] = round(interval["seconds"] * rng.lognormvariate(0, 0.5), 3)
                    target, seconds = interval["target"], interval["seconds"]
                    if target is not None:
                        interval["status"] = "missed" if seconds is None else "met" if seconds <= target else "late"
                run = folder / f"{year}{q}-{team.lower().replace(' ', '-')}-{scenario}"
                run.mkdir(parents=True)
                (run / "scorecard.json").write_text(json.dumps(card), encoding="utf-8")
                written += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drills", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    times, cpu = [], []
    with tempfile.TemporaryDirectory() as tmp:
        drills, out = Path(tmp) / "drills", Path(tmp) / "out"
        generate(drills, args.drills)
        count = sum(1 for _ in drills.rglob("scorecard.json"))
        for _ in range(args.runs):
            start, used = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(
                [sys.executable, "-m", "drillsim", "compare", str(drills), "--out", str(out)],
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
        written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    median = statistics.median(times)
    print(f"{count} scorecards -> comparison ({len(written)} files: {', '.join(written)})")
    print(f"runs: {', '.join(f'{t:.2f}s' for t in times)}; median {median:.2f}s wall (target < {TARGET:.0f}s)")
    print(f"CPU (user + system) per run: {', '.join(f'{t:.2f}s' for t in cpu)}")
    return 0 if median < TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
