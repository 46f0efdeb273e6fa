"""Engine benchmark (run on demand, not a test): drills per second and cost per scheduled event.

    python bench/engine_bench.py [--repeat N]

For each built-in scenario (or each --scenario) it autoplays the playbook N times (after one
warm-up drill) and prints drills per second, milliseconds per drill and, of those, the set-up
(building the Drill: the scenario's journal copy, processes). It then compares the engine's
cost per scheduled SimPy event (the whole drill, set-up included, over its events) with a bare
SimPy loop that schedules the same number of events, measured in the same run. Targets
(issue 3): the flash-sale scenario under 20 ms per drill after start-up; under 3x the bare
SimPy cost per event.
"""

from __future__ import annotations

import argparse
import statistics
import time

import simpy
from drillsim.simulator.engine import Drill
from drillsim.simulator.library import DEFAULT_ROSTER, builtin_scenarios, resolve_roster
from drillsim.simulator.loading import load_roster, load_scenario
from drillsim.simulator.policies import autoplay, make_policy


def scheduled_events(drill: Drill) -> int:
    """How many events the drill's environment scheduled (SimPy numbers each one)."""
    return next(drill.env._eid)  # type: ignore[attr-defined]


def bare_simpy(events: int) -> float:
    """Seconds for a bare SimPy process that schedules ``events`` timeouts."""
    env = simpy.Environment()

    def ticker(env: simpy.Environment) -> object:
        for _ in range(events):
            yield env.timeout(1)

    env.process(ticker(env))
    start = time.perf_counter()
    env.run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--scenario", action="append", metavar="ID", help="only this built-in scenario (repeatable)")
    args = parser.parse_args()
    print(
        f"{'scenario':<28} {'drills/s':>9} {'ms/drill':>9} {'set-up':>7} {'events':>7} "
        f"{'µs/event':>9} {'bare µs':>8} {'ratio':>6}"
    )
    for scenario_id, path in builtin_scenarios():
        if args.scenario and scenario_id not in args.scenario:
            continue
        scenario = load_scenario(path)
        roster = load_roster(resolve_roster(scenario.default_roster or DEFAULT_ROSTER))
        autoplay(Drill(scenario, roster, 0), make_policy("playbook", scenario, 0))  # warm-up
        times = []
        set_ups = []
        events = []
        for seed in range(args.repeat):
            start = time.perf_counter()
            drill = Drill(scenario, roster, seed)
            built = time.perf_counter()
            autoplay(drill, make_policy("playbook", scenario, seed))
            times.append(time.perf_counter() - start)
            set_ups.append(built - start)
            events.append(scheduled_events(drill))
        per_drill = statistics.median(times)
        set_up = statistics.median(set_ups)
        n_events = int(statistics.median(events))
        bare = statistics.median(bare_simpy(n_events) for _ in range(5))
        per_event = per_drill / n_events * 1e6
        bare_per_event = bare / n_events * 1e6
        print(
            f"{scenario_id:<28} {1 / per_drill:>9.1f} {per_drill * 1000:>9.2f} {set_up * 1000:>7.2f} {n_events:>7} "
            f"{per_event:>9.2f} {bare_per_event:>8.2f} {per_event / bare_per_event:>6.1f}"
        )


if __name__ == "__main__":
    main()
