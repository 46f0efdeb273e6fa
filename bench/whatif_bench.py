"""What-if benchmark (run on demand, not a test): wall time and peak memory of ``simulate`` as N grows.

    python bench/whatif_bench.py [--jobs 2] [--sizes 1000 5000 10000] [--no-score]

For each N it starts a fresh interpreter that plays N flash-sale-latency drills (playbook
policy, crisis-team, scored like ``drillsim simulate``) over ``--jobs`` worker processes
and reports the wall time, drills per second, and the peak RSS of the parent
(``getrusage(RUSAGE_SELF)``) and of the largest worker (``getrusage(RUSAGE_CHILDREN)``,
read after the pool has been joined). A fresh interpreter per N keeps one size's peak
from hiding the next. Memory should stay flat as N grows: workers return a small summary
per drill, never a journal. Target (issue "What-if analysis"): 10,000 drills under 60 s
on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def _one(runs: int, jobs: int, scored: bool) -> dict[str, float]:
    from drillsim.reports.whatif_render import score_total
    from drillsim.simulator.library import resolve_roster, resolve_scenario
    from drillsim.simulator.loading import load_roster, load_scenario
    from drillsim.simulator.whatif import aggregate, simulate

    scenario = load_scenario(resolve_scenario("flash-sale-latency"))
    roster = load_roster(resolve_roster("crisis-team"))
    start = time.perf_counter()
    sim = simulate(scenario, [roster], runs, seed=0, jobs=jobs, scorer=score_total if scored else None)
    score = aggregate(sim)[roster.id].score
    wall = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux -> MiB
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "runs": runs,
        "wall": wall,
        "parent_mib": own,
        "worker_mib": children,
        "median_score": score.median if score is not None else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--no-score", action="store_true", help="skip the 0-100 score (engine cost only)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(_one(args.one, args.jobs, not args.no_score)))
        return
    print(f"flash-sale-latency, playbook, crisis-team, {args.jobs} jobs, {'unscored' if args.no_score else 'scored'}")
    print(f"{'drills':>7} {'wall s':>7} {'drills/s':>9} {'parent MiB':>11} {'worker MiB':>11}")
    for size in args.sizes:
        command = [sys.executable, __file__, "--one", str(size), "--jobs", str(args.jobs)]
        if args.no_score:
            command.append("--no-score")
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        row = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{row['runs']:>7,} {row['wall']:>7.1f} {row['runs'] / row['wall']:>9.0f} "
            f"{row['parent_mib']:>11.1f} {row['worker_mib']:>11.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
