"""Time ``drillsim compare`` on real run folders (report with figures) in a fresh process.

    python bench/compare_bench.py [--drills N] [--runs N]

The run folders are made as ``drillsim autoplay`` makes them: 5 teams x 4 built-in scenarios
x quarters, each a playbook or random drill with its journal, and its ``scorecard.json``
written by the report code (with the findings and the journal's sha256 in it, issue 17). The timing includes
interpreter start-up, importing pandas, matplotlib and Jinja2, loading, the tables, the
figures and writing every file atomically. It is measured at N/4, N/2 and N drills (time
should grow linearly), and at N drills once more with the findings taken out of the
scorecards (scorecards written before issue 17: compare re-reads every journal for them),
the baseline in the same run. Target: under 5 s for 1,000 drills.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from drillsim.simulator.journal import read_journal

ROOT = Path(__file__).resolve().parents[1]
TARGET = 5.0
TEAMS = ["Checkout", "Payments AI", "Search", "Recs", "Platform"]
SCENARIOS = ["flash-sale-latency", "model-drift", "llm-pii-exposure", "label-error"]


def generate(folder: Path, count: int, seed: int = 7) -> None:
    """``count`` real run folders under ``folder``: journal.jsonl and scorecard.json (with findings)."""
    from drillsim.reports.facts import DrillFacts
    from drillsim.reports.lessons import findings_from
    from drillsim.reports.render import scorecard_with_findings
    from drillsim.reports.scoring import score
    from drillsim.simulator.engine import Drill
    from drillsim.simulator.journal import JournalWriter, atomic_write, new_folder
    from drillsim.simulator.policies import autoplay, make_policy
    from drillsim.simulator.session import load_pair

    pairs = {scenario: load_pair(scenario) for scenario in SCENARIOS}
    rng = random.Random(seed)
    per_group = max(1, -(-count // (len(TEAMS) * len(SCENARIOS))))
    written = 0
    for quarter in range(per_group):
        year, q = 2014 + quarter // 4, quarter % 4 + 1
        for team in TEAMS:
            for n, scenario in enumerate(SCENARIOS):
                if written >= count:
                    return
                loaded = pairs[scenario]
                run = new_folder(folder, f"{year}{q}-{team.lower().replace(' ', '-')}-{scenario}")
                drill_seed = rng.randrange(1_000_000)
                policy = make_policy("playbook" if rng.random() < 0.7 else "random", loaded.scenario, drill_seed)
                writer = JournalWriter(run / "journal.jsonl")
                drill = Drill(
                    loaded.scenario,
                    loaded.roster,
                    drill_seed,
                    team=team,
                    label=f"{year}-Q{q}",
                    policy=policy.name,
                    journal=writer,
                    wall=f"{year}-{3 * q - 1:02d}-{10 + n:02d}T10:00:00+00:00",
                )
                autoplay(drill, policy)
                writer.close()
                # what write_report puts in scorecard.json, without rendering report.md and report.html
                records = read_journal(run).records
                card = score(records)
                data = json.loads(scorecard_with_findings(card, findings_from(DrillFacts.from_records(records), card)))
                data["journal_sha256"] = hashlib.sha256((run / "journal.jsonl").read_bytes()).hexdigest()
                atomic_write(run / "scorecard.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
                written += 1


def without_findings(folder: Path) -> None:
    """Take the findings out of every scorecard: scorecards as written before issue 17."""
    for path in folder.rglob("scorecard.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("findings", None)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def time_compare(paths: list[Path], out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``drillsim compare`` of ``paths`` in a fresh process."""
    start, used = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-m", "drillsim", "compare", *map(str, paths), "--out", str(out)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - start, after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drills", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        drills = Path(tmp) / "drills"
        start = time.perf_counter()
        generate(drills, args.drills)
        runs = sorted(p for p in drills.iterdir() if p.is_dir())
        print(f"{len(runs)} run folders made by autoplay in {time.perf_counter() - start:.1f}s")
        print(f"{'drills':>7} {'wall s':>7} {'CPU s':>7} {'CPU ms/drill':>12}")
        full: list[float] = []
        for share in (4, 2, 1):
            subset = runs[: len(runs) // share]
            for _ in range(args.runs if share == 1 else 1):
                wall, cpu = time_compare(subset, Path(tmp) / f"out-{share}")
                if share == 1:
                    full.append(cpu)
                print(f"{len(subset):>7} {wall:>7.2f} {cpu:>7.2f} {cpu / len(subset) * 1000:>12.2f}")
        without_findings(drills)
        wall, old = time_compare(runs, Path(tmp) / "out-old")
        print(f"{len(runs):>7} {wall:>7.2f} {old:>7.2f} {old / len(runs) * 1000:>12.2f}  (scorecards without findings)")
    median = statistics.median(full)
    print(
        f"compare of {len(runs)} run folders: {median:.2f}s CPU (target < {TARGET:.0f}s); "
        f"{median / old:.2f}x the same folders with findings re-read from the journals"
    )
    return 0 if median < TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
