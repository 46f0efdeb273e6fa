"""Memory of one drill against its length (run on demand): the flash-sale scenario stretched to 1, 4
and 16 sim days (its faults never fixed, so the metrics keep moving), played with a journal on disk,
then without one. Prints the peak Python allocation (tracemalloc) while the drill runs, as a ratio
against the 1-day drill measured in the same run. Target (issue 17): flat with a journal.

    python bench/drill_memory.py
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from pathlib import Path

from drillsim.simulator.engine import Drill
from drillsim.simulator.journal import JournalWriter
from drillsim.simulator.session import load_pair


def peak_mib(days: float, journal: bool, folder: Path) -> tuple[float, float]:
    loaded = load_pair("flash-sale-latency")
    scoring = loaded.scenario.scoring.model_copy(update={"end_on": []})
    scenario = loaded.scenario.model_copy(update={"duration": days * 86400.0, "scoring": scoring})
    writer = JournalWriter(folder / f"{days}-{journal}.jsonl") if journal else None
    tracemalloc.start()
    start = time.process_time()
    drill = Drill(scenario, loaded.roster, 1, journal=writer)
    drill.advance_to(scenario.duration + 1)
    elapsed = time.process_time() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if writer is not None:
        writer.close()
    return peak / 2**20, elapsed


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for journal in (True, False):
            base = None
            print(f"{'with a journal' if journal else 'in memory (journal=None)'}:")
            for days in (1, 4, 16):
                peak, cpu = peak_mib(days, journal, Path(tmp))
                base = base or peak
                print(
                    f"  {days:>3} sim days: peak {peak:7.2f} MiB ({peak / base:5.2f}x the 1-day drill), {cpu:.2f}s CPU"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
