"""The format additions of #20 as the players and the controller notice them: time_scale, forbids,
on_timeout actions, controller-only metrics and fault labels, declared roles, and the feed's SLO lines."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from drillsim.simulator.engine import Drill
from drillsim.simulator.loading import check_text
from drillsim.simulator.model import Scenario

from tests.engine.helpers import tiny_roster, tiny_scenario


def _data(**overrides: Any) -> dict[str, Any]:
    return copy.deepcopy(tiny_scenario(**overrides).model_dump(mode="json", by_alias=True, exclude_defaults=True))


def _feed_texts(drill: Drill) -> list[str]:
    return [item.text for item in drill.view().feed]


def test_time_scale_runs_clocks_and_decision_deadlines_faster() -> None:
    data = _data(time_scale=60)  # one drill minute stands for a real hour
    data["clocks"][0]["deadline"] = "72h"
    data["injects"][1]["decision"]["deadline"] = "2h"  # the CEO wants an answer within two real hours
    scenario = Scenario.model_validate(data)
    drill = Drill(scenario, tiny_roster(), 0)
    drill.advance_to(60)
    drill.submit("confirm")
    drill.advance_to(200)
    started = next(r for r in drill.records if r["type"] == "clock_started")
    assert started["due_at"] == started["t"] + 72 * 60  # 72 real hours are 72 drill minutes
    clock = drill.view().clocks[0]
    assert clock.deadline == 72 * 60
    inject = next(r for r in drill.records if r["type"] == "inject" and r["inject"] == "boss")
    assert inject["decision"]["deadline_at"] == inject["t"] + 120  # two real hours: two drill minutes


def test_time_scale_defaults_to_real_time() -> None:
    drill = Drill(tiny_scenario(), tiny_roster(), 0)
    drill.submit("confirm")
    drill.advance_to(200)
    started = next(r for r in drill.records if r["type"] == "clock_started")
    assert started["due_at"] == started["t"] + 120


def test_forbids_rules_out_an_action_once_done() -> None:
    data = _data()
    data["actions"].append(
        {"id": "wipe", "label": "Delete the pods", "role": "ai-ops-engineer", "duration": "10s", "forbids": ["image"]}
    )
    data["actions"].append({"id": "image", "label": "Image the disks", "role": "security-engineer", "duration": "1m"})
    drill = Drill(Scenario.model_validate(data), tiny_roster(), 0)
    assert drill.submit("wipe").ok
    drill.advance_to(120)
    result = drill.submit("image")
    assert not result.ok and result.code == "forbidden"
    assert "Delete the pods" in (result.reason or "")
    assert next(a for a in drill.availability() if a.id == "image").available is False


def test_forbids_cancels_a_queued_action() -> None:
    data = _data()
    data["actions"].append(
        {"id": "wipe", "label": "Delete the pods", "role": "ai-ops-engineer", "duration": "10s", "forbids": ["image"]}
    )
    data["actions"].append({"id": "image", "label": "Image the disks", "role": "ai-ops-engineer", "duration": "1m"})
    drill = Drill(Scenario.model_validate(data), tiny_roster(), 0)
    assert drill.submit("wipe", "Ana").ok
    assert drill.submit("image", "Ana").ok  # queued behind the wipe
    drill.advance_to(200)
    assert "image" not in drill.done_actions
    assert any(r["type"] == "action_cancelled" and r["action"] == "image" for r in drill.records)


def test_on_timeout_takes_an_action() -> None:
    data = _data()
    data["actions"].append(
        {
            "id": "ceo-tweets",
            "label": "The CEO tweets an ETA",
            "role": "crisis-lead",
            "duration": "10s",
            "penalty": {"points": 7, "reason": "An ETA went public"},
            "outcome": "The CEO promised a fix by noon on social media.",
        }
    )
    data["injects"][1]["decision"]["on_timeout"]["action"] = "ceo-tweets"
    drill = Drill(Scenario.model_validate(data), tiny_roster(), 0)
    drill.advance_to(300)  # the decision opened at 3m, with 1m to answer
    assert drill.done_actions["ceo-tweets"] == 240
    finished = next(r for r in drill.records if r["type"] == "action_finished" and r["action"] == "ceo-tweets")
    assert finished["member"] == "CEO"  # done by the stakeholder, not by the team
    assert drill.penalty_points == 5 + 7
    assert "The CEO promised a fix by noon on social media." in _feed_texts(drill)


def test_fault_label_never_reaches_the_player_feed() -> None:
    drill = Drill(tiny_scenario(), tiny_roster(), 0)
    drill.submit("ack")
    drill.advance_to(60)
    drill.submit("rollback")
    drill.advance_to(400)
    assert "bad-deploy" in drill.fault_stopped
    assert any(r["type"] == "fault_stopped" and r["fault_label"] == "Bad deploy" for r in drill.records)
    assert not any("Bad deploy" in text for text in _feed_texts(drill))
    assert not any(text.startswith("Stopped") for text in _feed_texts(drill))


def test_no_slo_line_in_the_feed_before_the_first_alert() -> None:
    # latency is outside its SLO from t=0; the page comes only when it passes 500 ms
    data = _data()
    data["faults"][0]["at"] = "0s"
    data["faults"][0]["effects"] = [{"metric": "latency", "ramp": {"to": 1000, "over": "2m"}}]
    data["metrics"]["latency"]["baseline"] = 250
    drill = Drill(Scenario.model_validate(data), tiny_roster(), 0)
    drill.advance_to(30)
    assert any(r["type"] == "metric_breach" for r in drill.records)  # the journal knows
    assert not any(item.kind == "alert" for item in drill.view().feed)  # the feed does not say
    drill.advance_to(200)
    kinds = [(item.kind, item.channel) for item in drill.view().feed]
    assert ("alert", "pager") in kinds


def test_controller_metric_is_hidden_from_players() -> None:
    data = _data()
    data["metrics"]["docs_read"] = {
        "label": "Documents read by the attacker",
        "baseline": 0,
        "visibility": "controller",
    }
    data["metrics"]["docs_read"]["slo"] = {"max": 0}
    data["faults"][0]["effects"].append({"metric": "docs_read", "ramp": {"to": 500, "over": "5m"}})
    scenario = Scenario.model_validate(data)
    drill = Drill(scenario, tiny_roster(), 0)
    drill.advance_to(300)
    assert "docs_read" not in [m.id for m in drill.view().metrics]
    assert "docs_read" in [m.id for m in drill.view(controller=True).metrics]
    assert not any("Documents read" in text for text in _feed_texts(drill))
    assert drill.metrics["docs_read"].at(300) > 0  # it still moves, and the report still has it


SCENARIO_WITH_ROLES = """\
id: roles-demo
title: Declared roles
category: hallucination
severity: SEV3
summary: A scenario with its own roles.
duration: 10m
roles:
  trust-safety-lead: "Head of trust and safety: decides on takedowns and customer redress"
metrics:
  m: {baseline: 1}
injects:
  - {id: hello, at: 1m, to: trust-safety-lead, text: Hello}
actions:
  - {id: a, label: Act, role: trust-safety-lead}
  - {id: b, label: Pay, role: finance-lead}
"""


def test_declared_roles_are_accepted_and_typos_are_not() -> None:
    model, problems = check_text(SCENARIO_WITH_ROLES, "roles.yaml")
    assert model is not None, [str(p) for p in problems]
    typo = SCENARIO_WITH_ROLES.replace("role: trust-safety-lead}", "role: trust-safty-lead}")
    model, problems = check_text(typo, "roles.yaml")
    assert model is None
    assert any(
        "'trust-safty-lead' is not a role in the catalogue (did you mean 'trust-safety-lead'?)" in p.message
        and "declare it under 'roles:'" in p.message
        for p in problems
    ), [str(p) for p in problems]


def test_roster_declares_its_own_roles() -> None:
    text = (
        "id: t\nteam: T\nroles:\n  trust-safety-lead: Head of trust and safety\n"
        "members:\n  - {name: Ana, roles: [trust-safety-lead, crisis-lead]}\n"
    )
    model, problems = check_text(text, "roster.yaml")
    assert model is not None, [str(p) for p in problems]
    model, problems = check_text(text.replace("roles:\n  trust-safety-lead: Head of trust and safety\n", ""), "r.yaml")
    assert model is None


def _revenue_lost(follows: Any, checkout_to: float = 0.0, journal_format: int = 2) -> float:
    """Revenue lost by 6:00: from 1:00 conversion is at half its baseline and checkout at ``checkout_to``."""
    data = _data(duration="6m")  # the drill ends at 6:00, with the impact integrated to then
    data["metrics"]["checkout"] = {"baseline": 100, "unit": "%"}
    data["faults"][0]["effects"].append({"metric": "checkout", "set": checkout_to, "after": "30s"})
    data["business"]["follows"] = follows
    drill = Drill(Scenario.model_validate(data), tiny_roster(), 0, journal_format=journal_format)
    drill.advance_to(400)
    assert drill.ended
    return drill.revenue_lost


def test_business_follows_several_metrics_each_with_its_share() -> None:
    per_second = 600 / 60  # revenue_per_minute 600, over the 300 s from 1:00 to 6:00
    assert _revenue_lost("conversion") == pytest.approx(per_second * 300 * 0.5)  # the old form still works
    # a list shares revenue equally: half follows conversion (down 50%), half checkout (down 100%)
    assert _revenue_lost(["conversion", "checkout"]) == pytest.approx(per_second * 300 * (0.5 * 0.5 + 0.5 * 1.0))
    # a mapping gives the shares
    shares = {"conversion": 0.2, "checkout": 0.8}
    assert _revenue_lost(shares) == pytest.approx(per_second * 300 * (0.2 * 0.5 + 0.8 * 1.0))
    # each metric loses at most its share: checkout far below zero does not lose more than 80%
    assert _revenue_lost(shares, checkout_to=-500) == pytest.approx(per_second * 300 * (0.2 * 0.5 + 0.8))
    # journal format 1 (sampled every few seconds, as replays of old journals are) agrees
    assert _revenue_lost(shares, journal_format=1) == pytest.approx(_revenue_lost(shares), rel=0.02)


def test_business_follows_is_checked_metric_by_metric() -> None:
    text = SCENARIO_WITH_ROLES.replace(
        "metrics:\n  m: {baseline: 1}\n",
        "metrics:\n  m: {baseline: 1}\n  n: {baseline: 2}\nbusiness:\n  revenue_per_minute: 10\n  follows: [m, nn]\n",
    )
    model, problems = check_text(text, "business.yaml")
    assert model is None
    assert any("'nn'" in p.message and p.line == 14 for p in problems), [str(p) for p in problems]
    model, problems = check_text(text.replace("[m, nn]", "{m: 0.7, n: 0.6}"), "business.yaml")
    assert model is None
    assert any("sum to 1.3; they may sum to at most 1" in p.message for p in problems), [str(p) for p in problems]
    model, problems = check_text(text.replace("[m, nn]", "{m: 0.7, n: 0.3}"), "business.yaml")
    assert model is not None, [str(p) for p in problems]
