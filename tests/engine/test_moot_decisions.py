"""A decision the state has already answered closes itself (#14): no timeout, no consequence, a feed line."""

from __future__ import annotations

from drillsim.simulator.engine import Drill
from drillsim.simulator.model import PlaybookStep
from drillsim.simulator.policies import ScriptedPolicy, autoplay

from tests.engine.helpers import load_builtin, load_builtin_roster


def kinds(drill: Drill, inject: str) -> list[str]:
    return [r["type"] for r in drill.records if r.get("inject") == inject and r["type"].startswith("decision")]


def test_an_option_done_before_the_question_arrives_answers_it() -> None:
    scenario = load_builtin("llm-pii-exposure")
    steps = [
        PlaybookStep(at=300, action="ack-pii-page"),
        PlaybookStep(at=310, action="take-assistant-offline"),  # offline before the CEO asks at 08:00
        PlaybookStep(at=320, action="declare-sev1"),
        PlaybookStep(at=1380, action="press-statement"),  # the reporter's question comes at 25:00
    ]
    drill = autoplay(Drill(scenario, load_builtin_roster("full-crisis-team"), 1), ScriptedPolicy(steps))
    assert kinds(drill, "ceo-offline") == ["decision_resolved"]
    assert kinds(drill, "journalist") == ["decision_resolved"]
    sources = {r["source"] for r in drill.records if r["type"] == "penalty"}
    assert "decision:ceo-offline" not in sources and "decision:journalist" not in sources
    feed = [item.text for item in drill.view().feed]
    assert any(
        text.startswith("Decision closed. Already answered: 'Take the shopping assistant offline") for text in feed
    )
    assert not any("did not respond to requests for comment" in text for text in feed)
    assert not any("the assistant stays up" in text for text in feed)


def test_an_option_underway_at_the_deadline_answers_it() -> None:
    scenario = load_builtin("flash-sale-latency")
    drill = Drill(scenario, load_builtin_roster("crisis-team"), 0)
    drill.advance_to(150)
    assert drill.submit("activate-playbook").ok
    drill.advance_to(630)  # the CEO asked at 08:00; the deadline is 11:00
    assert drill.submit("exec-brief").ok  # briefed directly, not through the decision: done 11:30
    drill.advance_to(700)
    assert kinds(drill, "ceo-asks") == ["decision_resolved"]
    resolved = next(r for r in drill.records if r["type"] == "decision_resolved")
    assert resolved["t"] == 660 and resolved["done"] is False
    assert "ceo-asks" not in drill.timed_out


def test_a_repeatable_option_done_earlier_does_not_answer_a_new_question() -> None:
    scenario = load_builtin("flash-sale-latency")
    drill = Drill(scenario, load_builtin_roster("crisis-team"), 0)
    drill.advance_to(150)
    drill.submit("activate-playbook")
    drill.advance_to(300)
    drill.submit("exec-brief")  # done at about 06:00, before the CEO asks at 08:00
    drill.advance_to(700)
    assert kinds(drill, "ceo-asks") == ["decision_timed_out"]
