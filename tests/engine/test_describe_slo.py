"""The feed's and the report's SLO lines read right at a crossing (simulator/describe.py).

The engine finds a ramp's SLO crossing exactly, so the value in the ``metric_breach`` record is the bound
itself: "outside its SLO: 200ms (SLO ≤ 200ms)" read as within it. A crossing says which way it went; a
jump past the bound still shows the value it jumped to.
"""

from __future__ import annotations

from drillsim.simulator.describe import describe
from drillsim.simulator.engine import Drill

from tests.engine.helpers import tiny_roster, tiny_scenario


def _text(record: dict[str, object]) -> str:
    scenario = tiny_scenario()
    line = describe(record, scenario, {}, feed=True)
    assert line is not None
    return line.text


def test_a_crossing_says_which_way_it_went() -> None:
    breach = {"seq": 1, "t": 60.0, "type": "metric_breach", "metric": "latency", "value": 200.0, "bound": "max"}
    assert _text(breach) == "latency rose above its SLO (≤ 200ms)"
    low = {"seq": 2, "t": 60.0, "type": "metric_breach", "metric": "conversion", "value": 1.8, "bound": "min"}
    assert _text(low) == "conversion fell below its SLO (≥ 1.8%)"
    back = {"seq": 3, "t": 90.0, "type": "metric_restored", "metric": "conversion", "value": 1.8}
    assert _text(back) == "conversion back within its SLO (≥ 1.8%)"


def test_a_jump_past_the_bound_shows_where_it_landed() -> None:
    breach = {"seq": 1, "t": 60.0, "type": "metric_breach", "metric": "latency", "value": 950.0, "bound": "max"}
    assert _text(breach) == "latency outside its SLO: 950ms (SLO ≤ 200ms)"
    back = {"seq": 2, "t": 90.0, "type": "metric_restored", "metric": "latency", "value": 120.0}
    assert _text(back) == "latency back within its SLO: 120ms"


def test_no_breach_line_of_a_played_drill_reads_as_within_its_slo() -> None:
    drill = Drill(tiny_scenario(), tiny_roster(), seed=3)
    drill.advance_to(drill.scenario.duration + 1)
    lines = [_text(r) for r in drill.records if r["type"] == "metric_breach"]
    assert lines
    for text in lines:
        assert "rose above" in text or "fell below" in text or "outside its SLO" in text
        if "outside its SLO: " in text:
            shown, bound = text.split("outside its SLO: ")[1].split(" (SLO ")
            assert shown != bound.split(" ", 1)[1].rstrip(")"), text
