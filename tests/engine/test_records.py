"""simulator/records.py is the journal's schema: every record the engine writes is one of its types,
with the fields that type declares (all the required ones, nothing undeclared)."""

from __future__ import annotations

import typing
from typing import Any

import pytest
from drillsim.simulator import records
from drillsim.simulator.engine import Drill
from drillsim.simulator.library import builtin_scenarios
from drillsim.simulator.policies import play
from drillsim.simulator.session import load_pair

TYPES: dict[str, Any] = {typing.get_args(t.__annotations__["type"])[0]: t for t in typing.get_args(records.Record)}


def problems(drill_records: list[dict[str, Any]]) -> list[str]:
    found = []
    for record in drill_records:
        spec = TYPES.get(record["type"])
        if spec is None:
            found.append(f"{record['type']}: not a type of simulator/records.py")
            continue
        missing = spec.__required_keys__ - record.keys()
        unknown = record.keys() - spec.__required_keys__ - spec.__optional_keys__
        if missing or unknown:
            found.append(f"{record['type']}: missing {sorted(missing)}, undeclared {sorted(unknown)}")
    return sorted(set(found))


def with_every_input(drill: Drill) -> Drill:
    """A drill the facilitator pauses, speeds up, injects into and annotates, ended early and debriefed."""
    drill.advance_to(30)
    drill.pause()
    drill.resume()
    drill.set_speed(2.0)
    drill.facilitator_inject("A journalist calls.", to="everyone")
    drill.note("Team is calm.")
    action = drill.scenario.actions[0]
    drill.submit(action.id)
    drill.submit(action.id)  # a second submission: rejected or queued
    drill.advance_to(90)
    objective = drill.scenario.objectives[0].id
    drill.observe(objective, None, "Seen doing well.", "S")
    drill.end()
    drill.debrief("rating_override", objective=objective, rating="P", reason="Better than scored.")
    first = drill.debrief("hotwash", kind="strength", text="Fast page.")
    drill.debrief("hotwash", kind="strength", text="Fast page to the lead.", replaces=first["seq"])
    drill.debrief("feedback", participant="Ana", ratings={"q1": 4}, answers={"q2": "More time."})
    return drill


@pytest.mark.parametrize("scenario_id", [sid for sid, _ in builtin_scenarios()])
def test_every_record_a_played_drill_writes_is_declared(scenario_id: str) -> None:
    loaded = load_pair(scenario_id)
    assert problems(play(loaded.scenario, loaded.roster, seed=3).records) == []
    assert problems(play(loaded.scenario, loaded.roster, seed=3, journal_format=1).records) == []


def test_every_input_record_is_declared() -> None:
    loaded = load_pair("flash-sale-latency")
    drill = with_every_input(Drill(loaded.scenario, loaded.roster, seed=1))
    kinds = {r["type"] for r in drill.records}
    assert {"paused", "speed_changed", "facilitator_inject", "observation", "hotwash", "feedback"} <= kinds
    assert problems(drill.records) == []
