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

``--storage`` measures only what the parent keeps per drill (tracemalloc, no drills played):
summaries unpickled from chunks as they arrive from the workers, kept as ``RunSummary`` objects
(before issue 17) against stored in ``RunColumns`` (now), at 1k/10k/100k drills, in the same run.
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


def storage(sizes: list[int]) -> None:
    """Bytes the parent keeps per drill: a list of RunSummary (the baseline) against RunColumns."""
    import pickle
    import random
    import tracemalloc

    from drillsim.simulator.whatif import RunColumns, RunSummary

    def summary(i: int) -> RunSummary:
        r = random.Random(i)
        intervals = tuple(round(r.random() * 900, 3) for _ in range(5))
        return RunSummary(
            "crisis-team",
            i,
            i + 1_000_003,
            round(r.random() * 300, 3),
            intervals,
            round(r.random() * 5e4, 2),
            r.randrange(5),
            round(r.random() * 100, 3),
            "resolved",
        )

    print(f"{'drills':>7} {'RunSummary MiB':>15} {'B/drill':>8} {'RunColumns MiB':>15} {'B/drill':>8} {'ratio':>6}")
    for n in sizes:
        chunks = [pickle.dumps([summary(i) for i in range(c, min(n, c + 200))]) for c in range(0, n, 200)]
        tracemalloc.start()
        kept: list[RunSummary] = []
        for chunk in chunks:
            kept.extend(pickle.loads(chunk))
        old = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del kept
        tracemalloc.start()
        columns = RunColumns("crisis-team", 0, n, 5)
        for chunk in chunks:
            for run in pickle.loads(chunk):
                columns.add(run)
        new = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        print(f"{n:>7,} {old / 2**20:>15.2f} {old / n:>8.0f} {new / 2**20:>15.2f} {new / n:>8.0f} {new / old:>6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--no-score", action="store_true", help="skip the 0-100 score (engine cost only)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--storage", action="store_true", help="only what the parent keeps per drill (no drills)")
    args = parser.parse_args()
    if args.storage:
        storage([1000, 10000, 100000])
        return
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
