"""Engine benchmark (run on demand, not a test): drills per second and cost per scheduled event.

    python bench/engine_bench.py [--repeat N]

For each built-in scenario (or each --scenario) it autoplays the playbook N times (after one
warm-up drill) and prints drills per second, milliseconds per drill and, of those, the set-up
(building the Drill: the scenario's journal copy, processes), in the journal format new drills
write (3), and the same drills written in format 2 (a block of samples before every record) and
on the format-1 engine (a SimPy process sampling every 5 s: the engine before issue 17), each as
a ratio.
It then compares the engine's cost per event with a bare SimPy loop that schedules the same
number of events, measured in the same run. The events of a drill are the world's moments:
the SimPy events it scheduled plus its metric samples (each sample was a SimPy timeout in the
format-1 engine; now they are computed in a loop between real events), so the denominator is
the same for both engines. Times are CPU time of this process (the machine may be shared); the bare
loop runs after each format-3 drill, alternating with the drills, and each side's median is taken.
The policy's wake-ups (``autoplay`` calling ``act``: a playbook step taken, a look every 10 s at a step
waiting for its requirements (``Drill.why_not``; the refusal is journaled once) or at an action in
progress) are not SimPy events in any format, so they are not counted: a scenario whose playbook waits
much (chatbot-false-refund) shows a higher ratio.
Targets: flash-sale under 2 ms per drill (issue 17); under 3x the bare SimPy cost per event.
``--where`` prints instead the shares of a drill's time: SimPy itself, the samples, the policy.
``--floor`` prints a floor under the ratio: a bare SimPy loop of the drill's world events, plus its sample
values computed in one loop per metric (the same noise draw and rounding), plus a copy of each of its
records, against the bare loop alone: what any engine writing this journal costs before a trigger, an
action or the policy runs.

``Drill.advance_to`` steps SimPy itself and schedules no event; before, ``env.run(until=t)`` scheduled a
stop event (twice: once more as it stopped the run), which is not a moment of the world, so baselines of
that engine leave those out (the drill's advance_to calls that ran, two events each).
"""

from __future__ import annotations

import argparse
import statistics
import time

import simpy
from drillsim.simulator.engine import Drill
from drillsim.simulator.library import DEFAULT_ROSTER, builtin_scenarios, resolve_roster
from drillsim.simulator.loading import load_roster, load_scenario
from drillsim.simulator.metrics import FORMAT
from drillsim.simulator.policies import autoplay, make_policy


def scheduled_events(drill: Drill) -> int:
    """How many events the drill's environment scheduled (SimPy numbers each one)."""
    return next(drill.env._eid)


def world_events(drill: Drill) -> int:
    """The drill's SimPy events plus its metric samples (formats 2 and 3 compute those without SimPy)."""
    sampler = drill._sampler
    samples = getattr(sampler, "next_k", 0)
    return scheduled_events(drill) + samples


def play_ms(
    scenario: object, roster: object, seeds: range, journal_format: int, bare: list[float] | None = None
) -> tuple[float, float, int]:
    """Median CPU ms per drill, median set-up ms, median world events. With ``bare``, each drill is followed
    by a bare SimPy loop of ten times its world events, whose CPU ms per drill's worth go into ``bare``:
    the two alternate, so a busy moment of a shared machine slows both alike."""
    times, set_ups, events = [], [], []
    for seed in seeds:
        start = time.process_time()
        drill = Drill(scenario, roster, seed, journal_format=journal_format)
        built = time.process_time()
        autoplay(drill, make_policy("playbook", scenario, seed))
        times.append(time.process_time() - start)
        set_ups.append(built - start)
        events.append(world_events(drill))
        if bare is not None:
            # the bare loop's cost per event does not depend on how many it runs (one timeout pending at a
            # time): ten drills' worth per measurement, so the ratio is not timer noise
            bare.append(bare_simpy(10 * events[-1]) * 1000 / 10 / events[-1])
    return statistics.median(times) * 1000, statistics.median(set_ups) * 1000, int(statistics.median(events))


def bare_simpy(events: int) -> float:
    """Seconds for a bare SimPy process that schedules ``events`` timeouts."""
    env = simpy.Environment()

    def ticker(env: simpy.Environment) -> object:
        for _ in range(events):
            yield env.timeout(1)

    env.process(ticker(env))
    start = time.process_time()
    env.run()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--scenario", action="append", metavar="ID", help="only this built-in scenario (repeatable)")
    parser.add_argument("--where", action="store_true", help="where a drill's time goes instead (shares of it)")
    parser.add_argument("--floor", action="store_true", help="the floor under the ratio instead (see above)")
    args = parser.parse_args()
    if args.where:
        where(args)
        return
    if args.floor:
        floor(args)
        return
    print(
        f"{'scenario':<22} {'drills/s':>8} {'ms/drill':>8} {'set-up':>6} {'fmt-2 ms':>8} {'vs fmt-2':>8} "
        f"{'fmt-1 ms':>8} {'vs fmt-1':>8} "
        f"{'events':>6} {'µs/event':>8} {'bare µs':>7} {'ratio':>5}"
    )
    for scenario_id, path in builtin_scenarios():
        if args.scenario and scenario_id not in args.scenario:
            continue
        scenario = load_scenario(path)
        roster = load_roster(resolve_roster(scenario.default_roster or DEFAULT_ROSTER))
        autoplay(Drill(scenario, roster, 0), make_policy("playbook", scenario, 0))  # warm-up
        bare_ms_per_event: list[float] = []
        per_drill, set_up, n_events = play_ms(scenario, roster, range(args.repeat), FORMAT, bare_ms_per_event)
        two, _, _ = play_ms(scenario, roster, range(args.repeat), 2)
        old, _, _ = play_ms(scenario, roster, range(args.repeat), 1)
        per_event = per_drill / n_events * 1000
        bare_per_event = statistics.median(bare_ms_per_event) * 1000
        print(
            f"{scenario_id:<22} {1000 / per_drill:>8.1f} {per_drill:>8.2f} {set_up:>6.2f} {two:>8.2f} "
            f"{per_drill / two:>8.2f} {old:>8.2f} "
            f"{per_drill / old:>8.2f} {n_events:>6} {per_event:>8.2f} {bare_per_event:>7.2f} "
            f"{per_event / bare_per_event:>5.1f}"
        )


def where(args: argparse.Namespace) -> None:
    """Shares of a format-3 playbook drill's time: SimPy itself (a bare loop of as many SimPy events), the
    samples' values, the policy (its submissions, the rejected ones apart), everything else. Measured with
    timers around those calls (each adds a fraction of a microsecond), so the shares are approximate."""
    from collections import Counter

    from drillsim.simulator import metrics, policies

    spent: Counter[str] = Counter()

    def timed(cls: type, name: str, key: str, rejected: str | None = None) -> None:
        original = getattr(cls, name)

        def wrapper(*a: object, **k: object) -> object:
            start = time.perf_counter()
            result = original(*a, **k)
            took = time.perf_counter() - start
            spent[key] += took
            if rejected is not None and not getattr(result, "ok", True):
                spent[rejected] += took
            return result

        setattr(cls, name, wrapper)

    timed(metrics.RampSampler, "_compute", "sample values (noise, rounding)")
    timed(policies.ScriptedPolicy, "act", "the policy, with the submissions it makes")
    timed(Drill, "submit", "  of which submissions", rejected="  of which rejected submissions")
    for scenario_id, path in builtin_scenarios():
        if args.scenario and scenario_id not in args.scenario:
            continue
        scenario = load_scenario(path)
        roster = load_roster(resolve_roster(scenario.default_roster or DEFAULT_ROSTER))
        spent.clear()
        total, events = 0.0, 0
        for seed in range(args.repeat):
            start = time.perf_counter()
            drill = Drill(scenario, roster, seed)
            autoplay(drill, make_policy("playbook", scenario, seed))
            total += time.perf_counter() - start
            events += scheduled_events(drill)
        simpy_share = statistics.median(bare_simpy(events) for _ in range(5)) / total
        print(f"{scenario_id}: {total / args.repeat * 1000:.2f} ms a drill (timers included)")
        print(f"  {'SimPy itself (a bare loop of its events)':<44} {simpy_share:6.1%}")
        for key in (
            "sample values (noise, rounding)",
            "the policy, with the submissions it makes",
            "  of which submissions",
            "  of which rejected submissions",
        ):
            print(f"  {key:<44} {spent[key] / total:6.1%}")


def floor(args: argparse.Namespace) -> None:
    """The floor under the ratio (module docstring), each part as a multiple of the bare loop, in one run."""
    print(f"{'scenario':<22} {'bare ms':>7} {'values':>7} {'records':>7} {'floor':>6} {'drill':>6}")
    for scenario_id, path in builtin_scenarios():
        if args.scenario and scenario_id not in args.scenario:
            continue
        scenario = load_scenario(path)
        roster = load_roster(resolve_roster(scenario.default_roster or DEFAULT_ROSTER))
        played, _, _ = play_ms(scenario, roster, range(args.repeat), FORMAT)
        drill = Drill(scenario, roster, 0)
        autoplay(drill, make_policy("playbook", scenario, 0))
        events = world_events(drill)
        bare = statistics.median(bare_simpy(10 * events) * 100 for _ in range(7))  # ms a drill's worth
        values = statistics.median(_values_ms(len(drill.metrics), drill._sampler.next_k) for _ in range(7))
        copies = statistics.median(_copies_ms(drill.records) for _ in range(7))
        print(
            f"{scenario_id:<22} {bare:>7.3f} {values / bare:>6.2f}x {copies / bare:>6.2f}x "
            f"{(bare + values + copies) / bare:>5.2f}x {played / bare:>5.2f}x"
        )


def _values_ms(metrics: int, samples: int) -> float:
    """CPU ms for ``samples`` noisy, rounded values of each of ``metrics`` metrics, one loop per metric."""
    import random

    from drillsim.simulator.metrics import round4_range

    draw = random.Random(0).random
    start = time.process_time()
    for _ in range(10):
        for _ in range(metrics):
            round4_range([100.0 * (1 + (-0.02 + 0.04 * draw())) for _ in range(samples)])
    return (time.process_time() - start) * 100


def _copies_ms(records: list[dict[str, object]]) -> float:
    """CPU ms to build a dict like each of ``records`` (what writing them costs at the least)."""
    start = time.process_time()
    for _ in range(10):
        [{**record} for record in records]
    return (time.process_time() - start) * 100


if __name__ == "__main__":
    main()
