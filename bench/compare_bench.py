"""Time ``drillsim compare`` on real run folders (report with figures) in a fresh process.

    python bench/compare_bench.py [--drills N] [--runs N] [--fresh]

The run folders are made as ``drillsim autoplay`` makes them, N distinct drills: 5 teams x 4
built-in scenarios x N/20 quarters, each with its own seed, a playbook or random drill with its
journal, and ``scorecard.json`` written by the report itself (``write_report``: the findings, the
AAR and the journal's sha256 in it, issue 17; par from the reference team, no figures). They are
played in worker processes and kept under the temp folder, keyed by the drillsim version, the
journal format, the scorecard schema and N, so a rerun starts at once (``--fresh`` plays them
again). The timing includes interpreter start-up, importing pandas, matplotlib and Jinja2,
loading, the tables, the figures and writing every file atomically. It is measured at N/4, N/2
and N drills, alternating, ``--runs`` times each, each size's median taken (time should grow linearly:
the CPU ms per drill is printed), and at N drills once
more on a copy with the findings taken out of the scorecards (scorecards written before issue 17:
compare re-reads and replays every journal for them), the baseline in the same run. Target:
under 5 s of CPU for 1,000 drills.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from timing import timed_run

TARGET = 5.0
TEAMS = ["Checkout", "Payments AI", "Search", "Recs", "Platform"]
SCENARIOS = ["flash-sale-latency", "model-drift", "llm-pii-exposure", "label-error"]
DONE = "complete.json"


def plan(count: int, seed: int = 7) -> list[dict[str, object]]:
    """``count`` distinct drills: (quarter, team, scenario) each once, each with its own seed and policy."""
    rng = random.Random(seed)
    seeds: set[int] = set()
    drills: list[dict[str, object]] = []
    quarter = 0
    while len(drills) < count:
        year, q = 2014 + quarter // 4, quarter % 4 + 1
        for team in TEAMS:
            for n, scenario in enumerate(SCENARIOS):
                if len(drills) >= count:
                    break
                drill_seed = rng.randrange(1_000_000)
                while drill_seed in seeds:
                    drill_seed = rng.randrange(1_000_000)
                seeds.add(drill_seed)
                drills.append(
                    {
                        "base": f"{year}{q}-{team.lower().replace(' ', '-')}-{scenario}",
                        "scenario": scenario,
                        "team": team,
                        "label": f"{year}-Q{q}",
                        "seed": drill_seed,
                        "policy": "playbook" if rng.random() < 0.7 else "random",
                        "wall": f"{year}-{3 * q - 1:02d}-{10 + n:02d}T10:00:00+00:00",
                    }
                )
        quarter += 1
    return drills


_PAIRS: dict[str, object] = {}


def _play(job: tuple[Path, dict[str, object], object]) -> str:
    """One run folder: the drill autoplayed into its journal, then its report's scorecard (no figures)."""
    from drillsim.reports.render import write_report
    from drillsim.simulator.engine import Drill
    from drillsim.simulator.journal import JournalWriter, new_folder
    from drillsim.simulator.policies import autoplay, make_policy
    from drillsim.simulator.session import load_pair

    folder, spec, par = job
    scenario = str(spec["scenario"])
    loaded = _PAIRS.get(scenario) or _PAIRS.setdefault(scenario, load_pair(scenario))
    run = new_folder(folder, str(spec["base"]))
    seed = int(spec["seed"])  # type: ignore[call-overload]
    policy = make_policy(str(spec["policy"]), loaded.scenario, seed)  # type: ignore[attr-defined]
    writer = JournalWriter(run / "journal.jsonl")
    drill = Drill(
        loaded.scenario,  # type: ignore[attr-defined]
        loaded.roster,  # type: ignore[attr-defined]
        seed,
        team=str(spec["team"]),
        label=str(spec["label"]),
        policy=policy.name,
        journal=writer,
        wall=str(spec["wall"]),
    )
    autoplay(drill, policy)
    writer.close()
    write_report(run, par, figures=False)
    return run.name


def fixture(count: int, fresh: bool = False) -> Path:
    """The folder of ``count`` run folders, played once and kept per drillsim version (see the module doc)."""
    from drillsim import __version__
    from drillsim.reports.par import median_par
    from drillsim.reports.scoring import SCHEMA_VERSION
    from drillsim.simulator.metrics import FORMAT
    from drillsim.simulator.session import load_pair
    from drillsim.simulator.whatif import default_jobs

    key = f"drillsim-compare-bench-{__version__}-journal{FORMAT}-scorecard{SCHEMA_VERSION}-{count}"
    home = Path(tempfile.gettempdir()) / key
    drills = home / "drills"
    if (home / DONE).is_file() and not fresh:
        return drills
    shutil.rmtree(home, ignore_errors=True)
    drills.mkdir(parents=True)
    start = time.perf_counter()
    jobs = default_jobs()
    pars = {}
    for scenario in SCENARIOS:  # par as the report has it, once per scenario (cached beside the fixture)
        loaded = load_pair(scenario)
        pars[scenario] = median_par(loaded.scenario, loaded.roster, jobs=jobs, cache=home / "cache")
    specs = plan(count)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        names = list(pool.map(_play, [(drills, spec, pars[str(spec["scenario"])]) for spec in specs], chunksize=16))
    (home / DONE).write_text(json.dumps({"drills": len(names), "seconds": time.perf_counter() - start}) + "\n")
    print(f"{len(names)} distinct run folders made by autoplay in {time.perf_counter() - start:.1f}s ({home})")
    return drills


def without_findings(folder: Path) -> None:
    """Take the findings out of every scorecard: scorecards as written before issue 17."""
    for path in folder.rglob("scorecard.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("findings", None)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def time_compare(paths: list[Path], out: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``drillsim compare`` of ``paths`` in a fresh process."""
    return timed_run([sys.executable, "-m", "drillsim", "compare", *map(str, paths), "--out", str(out)], env=env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drills", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="play the run folders again (not from the kept fixture)")
    args = parser.parse_args()
    drills = fixture(args.drills, args.fresh)
    runs = sorted(p for p in drills.iterdir() if p.is_dir())
    seeds = {json.loads((run / "scorecard.json").read_text(encoding="utf-8")).get("seed") for run in runs}
    print(f"{len(runs)} run folders, {len(seeds)} distinct seeds, in {drills}")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}  # no replay outcome kept from a rerun
        print(f"{'drills':>7} {'wall s':>7} {'CPU s':>7} {'CPU ms/drill':>12}")
        cpus: dict[int, list[float]] = {4: [], 2: [], 1: []}
        # N/4, N/2 and N alternate, --runs times each (a busy moment of a shared machine, or the first read of
        # the folders from disk, then weighs on one run of each size, not on one size), each size's median taken
        for _ in range(args.runs):
            for share in cpus:
                subset = runs[: len(runs) // share]
                wall, cpu = time_compare(subset, Path(tmp) / f"out-{share}", env)
                cpus[share].append(cpu)
                print(f"{len(subset):>7} {wall:>7.2f} {cpu:>7.2f} {cpu / len(subset) * 1000:>12.2f}")
        full = cpus[1]
        points = [(len(runs) // share, statistics.median(values)) for share, values in cpus.items()]
        old_runs = Path(tmp) / "old"
        shutil.copytree(drills, old_runs)
        without_findings(old_runs)
        old_subset = sorted(p for p in old_runs.iterdir() if p.is_dir())
        wall, old = time_compare(old_subset, Path(tmp) / "out-old", env)
        print(f"{len(runs):>7} {wall:>7.2f} {old:>7.2f} {old / len(runs) * 1000:>12.2f}  (scorecards without findings)")
    median = statistics.median(full)
    (n1, c1), (n2, c2), (n3, c3) = points
    first, second = (c2 - c1) / max(1, n2 - n1) * 1000, (c3 - c2) / max(1, n3 - n2) * 1000
    print(
        f"compare of {len(runs)} run folders: {median:.2f}s CPU (target < {TARGET:.0f}s); "
        f"{median / old:.2f}x the same folders with findings re-read from the journals; "
        f"each drill more costs {first:.2f} ms from N/4 to N/2 and {second:.2f} ms from N/2 to N "
        f"({second / first if first > 0 else float('nan'):.2f}x: 1.00 is linear)"
    )
    return 0 if median < TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
