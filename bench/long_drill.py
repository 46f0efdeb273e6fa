"""Long drill campaign (run on demand): a 2-hour drill at 60x in the real terminal UI, headless.

    python bench/long_drill.py [--hours 2] [--speed 60]

It stretches the flash-sale scenario to the given length (its faults never get fixed, so the
world keeps moving), starts it in the Textual app with the real monotonic clock and the
real timer, lets it run to its end (2 hours at 60x is 2 minutes of wall time), and every
10 wall seconds prints the sim clock against wall time x speed and the process's memory.
Guarantees checked (issue 9): the sim clock stays within 1% of wall time x speed, and memory
stays flat while the drill runs (the last reading within 20% of the reading at 25% of the run).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mib() -> float:
    """Current resident memory (Linux /proc), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(hours: float, speed: float) -> int:
    from drillsim.simulator.library import resolve_roster, resolve_scenario
    from drillsim.simulator.loading import load_roster, load_scenario
    from drillsim.tui.app import make_app
    from drillsim.tui.screens.drill import DrillScreen
    from drillsim.tui.session import Settings, start_drill

    scenario = load_scenario(resolve_scenario("flash-sale-latency"))
    scoring = scenario.scoring.model_copy(update={"end_on": []})
    scenario = scenario.model_copy(update={"duration": hours * 3600.0, "scoring": scoring})
    roster = load_roster(resolve_roster("crisis-team"))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(seed=1, speed=speed, out=Path(tmp))
        session = start_drill(scenario, roster, settings)
        app = make_app(session=session, settings=settings)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, DrillScreen), screen
            drill = screen.drill
            start_wall, start_sim = time.monotonic(), drill.now
            readings = []
            total_wall = hours * 3600.0 / speed
            print(f"{'wall s':>7} {'sim s':>8} {'expected':>9} {'drift %':>8} {'RSS MiB':>8}")
            while not drill.ended:
                await asyncio.sleep(10)
                wall = time.monotonic() - start_wall
                expected = min(start_sim + wall * speed, scenario.duration)
                drift = (drill.now - expected) / max(expected, 1) * 100
                readings.append((wall, drill.now, expected, drift, rss_mib()))
                print(f"{wall:>7.0f} {drill.now:>8.0f} {expected:>9.0f} {drift:>8.2f} {readings[-1][4]:>8.1f}")
                if wall > total_wall * 1.5:
                    break
        journal = next(Path(tmp).iterdir()) / "journal.jsonl"
        records = sum(1 for _ in journal.open())
    running = [r for r in readings if r[1] < scenario.duration]
    worst = max((abs(r[3]) for r in running), default=0.0)
    # memory while the drill runs (the debrief that follows imports the report modules)
    quarter = running[max(0, len(running) // 4 - 1)][4] if running else 0.0
    growth = (running[-1][4] - quarter) / quarter * 100 if running else 0.0
    print(f"journal records: {records}")
    print(
        f"worst clock drift while running: {worst:.2f}% (bound 1%); memory from 25% to end: {growth:+.1f}% (bound 20%)"
    )
    return 0 if worst <= 1.0 and growth <= 20 and drill.ended else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=2.0)
    parser.add_argument("--speed", type=float, default=60.0)
    args = parser.parse_args()
    return asyncio.run(run(args.hours, args.speed))


if __name__ == "__main__":
    raise SystemExit(main())
