"""validate --play warns about each authoring pitfall it can detect (#20), on small scenarios."""

from __future__ import annotations

import copy
from typing import Any

from drillsim.simulator.lint import names_root_cause, play_check
from drillsim.simulator.model import Scenario

from tests.engine.helpers import tiny_roster, tiny_scenario


def _data() -> dict[str, Any]:
    return copy.deepcopy(tiny_scenario().model_dump(mode="json", by_alias=True, exclude_defaults=True))


def _warnings(data: dict[str, Any]) -> list[str]:
    report = play_check(Scenario.model_validate(data), tiny_roster(), seeds=2)
    return [f.message for f in report.findings if f.level == "warning"]


def test_the_tiny_scenario_has_none_of_the_pitfalls() -> None:
    data = _data()
    data["actions"] = [a for a in data["actions"] if a["id"] != "blame"]
    next(a for a in data["actions"] if a["id"] == "brief")["repeatable"] = True  # never moot
    found = _warnings(data)
    assert not [w for w in found if "SLO at t=0" in w or "before any signal" in w or "moot" in w]
    assert not [w for w in found if "names fault" in w]


def test_metric_outside_its_slo_at_t0() -> None:
    data = _data()
    data["faults"][0]["at"] = "0s"
    data["faults"][0]["effects"].insert(0, {"metric": "latency", "set": 950})
    assert any("metric 'latency' is outside its SLO at t=0 (value 950)" in w for w in _warnings(data))


def test_dont_available_before_any_signal() -> None:
    found = _warnings(_data())  # 'blame' has a penalty and no requires; the first inject comes later
    assert any("don't 'blame' can be taken before any signal" in w for w in found)
    data = _data()
    next(a for a in data["actions"] if a["id"] == "blame")["requires"] = ["acknowledged"]
    assert not any("don't 'blame'" in w for w in _warnings(data))


def test_decision_that_can_become_moot() -> None:
    data = _data()
    data["playbook"].insert(0, {"at": "10s", "action": "brief"})  # the CEO's only option is done before 3m
    assert any("decision 'boss' can become moot" in w for w in _warnings(data))


def test_clock_that_can_never_be_missed() -> None:
    data = _data()
    data["clocks"][0]["deadline"] = "72h"
    data["playbook"].append({"at": "2m", "action": "confirm"})
    found = _warnings(data)
    assert any("clock 'gdpr' can never be missed" in w and "set time_scale" in w for w in found)
    data["time_scale"] = 1000  # 72 real hours are 4m19s of drill time
    assert not any("can never be missed" in w for w in _warnings(data))


def test_text_that_names_the_root_cause_before_it_is_found() -> None:
    data = _data()
    data["faults"][0]["label"] = "Feature-store schema change slows every request"
    data["injects"][0]["text"] = "latency above 500 ms after a schema change"
    found = _warnings(data)
    assert any("inject 'page' names fault 'bad-deploy' ('schema change' from its label)" in w for w in found)
    data["briefing"] = "A schema change shipped an hour ago."
    assert any("the briefing names fault 'bad-deploy'" in w for w in _warnings(data))


def test_names_root_cause_heuristic() -> None:
    label = "Catalog 'price v2' writes dollars where the ranker was trained on cents"
    assert names_root_cause("The catalog team shipped price v2 at 08:58.", label) == ("price", "v2")
    assert names_root_cause("Feature 'price' skew JSD 0.31 between training and serving.", label) is None
    assert names_root_cause("Dollars, cents and the ranker.", label) is None  # words apart: no pair
