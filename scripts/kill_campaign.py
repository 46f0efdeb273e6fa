"""Crash-safety campaign (run on demand): kill a real drill process at many random moments.

    python scripts/kill_campaign.py [--kills N] [--seed S]

Each round starts scripts/drive_drill.py, waits for a random number of acknowledged inputs,
sends SIGKILL, then reads the journal back (a torn last line is dropped), rebuilds the drill
from its inputs and checks that (1) every acknowledged input is in the journal and (2) the
rebuilt drill reproduces the journal record for record. Prints the counts.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drillsim.simulator.journal import read_journal  # noqa: E402
from drillsim.simulator.replay import first_difference, rebuild  # noqa: E402

from tests.test_crash_safety import kill_and_resume  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    survived = lost = diverged = torn = 0
    start = time.perf_counter()
    for i in range(args.kills):
        with tempfile.TemporaryDirectory() as tmp:
            acked, records = kill_and_resume(Path(tmp), rng.randrange(1_000_000), rng.randint(1, 60))
            folder = next(Path(tmp).iterdir())
            torn += bool(read_journal(folder).warnings)
            if not acked <= {r["seq"] for r in records if r.get("input")}:
                lost += 1
                print(f"kill {i}: an acknowledged input is missing", file=sys.stderr)
                continue
            if first_difference(records, rebuild(records).records) is not None:
                diverged += 1
                print(f"kill {i}: the rebuilt drill differs from the journal", file=sys.stderr)
                continue
            survived += 1
    elapsed = time.perf_counter() - start
    print(
        f"{args.kills} kills in {elapsed:.1f} s: {survived} resumed intact, {lost} lost an input, "
        f"{diverged} diverged on rebuild, {torn} had a torn last record (recovered)"
    )
    return 0 if survived == args.kills else 1


if __name__ == "__main__":
    raise SystemExit(main())
