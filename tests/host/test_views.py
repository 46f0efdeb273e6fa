"""What each seat sees is decided on the host: controller-only data never reaches a role seat or the room."""

from __future__ import annotations

import json
from typing import Any

import pytest
from drillsim.host.protocol import drill_view_from
from drillsim.host.views import CONTROLLER, ROOM, Audiences, seat_view, seats_of
from drillsim.simulator.engine import Drill
from drillsim.simulator.model import Roster, Scenario, dump
from drillsim.simulator.policies import autoplay, make_policy

CUE = "CONTROLLER CUE: expect the team to blame the CDN next"
SECRET_METRIC = "true_error_budget"


def with_secrets(scenario: Scenario) -> Scenario:
    """flash-sale-latency plus a controller-only inject, a controller-only metric and an ops-only metric."""
    data: dict[str, Any] = dump(scenario)
    data["injects"].append({"id": "cue", "at": 120.0, "text": CUE, "visibility": "controller"})
    data["injects"].append(
        {"id": "cc-all", "at": 130.0, "text": "CEO to the crisis lead, copied to all", "to": "crisis-lead",
         "visibility": "everyone"}
    )  # fmt: skip
    data["metrics"][SECRET_METRIC] = {
        "label": "Error budget left (truth)",
        "baseline": 100.0,
        "visibility": "controller",
    }
    data["metrics"]["gpu_mem"] = {"label": "GPU memory", "baseline": 40.0, "visibility": "ai-ops-engineer"}
    return Scenario.model_validate(data)


@pytest.fixture(scope="module")
def drill(scenario: Scenario, crisis: Roster) -> Drill:
    """A drill played to its end by the playbook plus two don'ts (penalties) and a facilitator note."""
    played = Drill(with_secrets(scenario), crisis, 7)
    played.advance_to(300)
    played.submit("blame-cdn")
    played.submit("promise-eta")
    played.note("Facilitator: the team has not looked at the feature store yet")
    return autoplay(played, make_policy("playbook", played.scenario, 7))


def wire(view: dict[str, Any]) -> str:
    return json.dumps(view, ensure_ascii=False)


def test_the_seats_are_the_controller_the_room_and_each_role_someone_holds(drill: Drill) -> None:
    seats = seats_of(drill)
    assert seats[:2] == [CONTROLLER, ROOM]
    assert {"crisis-lead", "ai-ops-engineer", "communications-manager"} <= set(seats[2:])
    held = {r for m in drill.roster.members for r in m.roles}
    assert set(seats[2:]) <= held


def test_controller_only_data_never_appears_in_a_role_view_or_the_room(drill: Drill) -> None:
    assert drill.penalty_points >= 20  # the two don'ts were taken
    audiences = Audiences(drill)
    fault_labels = [f.label for f in drill.scenario.faults]
    notes = [r["text"] for r in drill.records if r["type"] == "note"]
    penalty_reasons = [r["reason"] for r in drill.records if r["type"] == "penalty"]
    for seat in seats_of(drill)[1:]:
        view = seat_view(drill, seat, audiences)
        text = wire(view)
        assert CUE not in text, seat
        assert SECRET_METRIC not in text, seat
        assert "controller" not in view
        assert view["penalty_points"] == 0
        assert not any(label in text for label in fault_labels), seat
        assert not any(note in text for note in notes), seat
        assert not any(reason in text for reason in penalty_reasons), seat
        assert all(m["target"] is None and m["reached_at"] is not None for m in view["milestones"])
        assert all(not a["penalty"] for a in view["actions"])
        assert "red_herring" not in text
        if seat != "ai-ops-engineer":
            assert "gpu_mem" not in text, seat


def test_the_controller_sees_everything(drill: Drill) -> None:
    view = seat_view(drill, CONTROLLER)
    text = wire(view)
    assert CUE in text and SECRET_METRIC in text and "gpu_mem" in text
    assert view["penalty_points"] == drill.penalty_points
    assert [m["id"] for m in view["milestones"]] == list(drill.scenario.scoring.milestones)
    extras = view["controller"]
    assert [f["label"] for f in extras["faults"]] == [f.label for f in drill.scenario.faults]
    assert {p["reason"] for p in extras["penalties"]} >= {
        "Shared unverified speculation with customers",
        "Over-promised a recovery time without a clear technical path",
    }
    assert len(view["actions"]) == len(drill.scenario.actions)
    assert any(a["penalty"] for a in view["actions"])


def test_the_controllers_truth_is_each_metric_now_without_its_noise(scenario: Scenario, crisis: Roster) -> None:
    """Mid-fault, the truth the controller sees is where the metric is now, not its baseline."""
    live = Drill(scenario, crisis, 7)
    live.advance_to(600)  # the latency spike is well under way and nobody has acted
    truth = seat_view(live, CONTROLLER)["controller"]["truth"]
    latency = live.metrics["latency_p95_ms"]
    assert truth["latency_p95_ms"] == round(latency.at(live.now), 4)
    assert truth["latency_p95_ms"] > 2 * latency.spec.baseline
    shown = live.view().metrics  # the cards show the truth plus noise: near it, not equal to it
    card = next(m for m in shown if m.id == "latency_p95_ms")
    assert abs(card.value - truth["latency_p95_ms"]) <= truth["latency_p95_ms"] * 0.5


def test_each_role_sees_its_own_injects_and_the_broadcasts_only(drill: Drill) -> None:
    audiences = Audiences(drill)
    delivered = [r for r in drill.records if r["type"] == "inject"]
    seats = seats_of(drill)[2:]
    for seat in seats:
        seqs = {item["seq"] for item in seat_view(drill, seat, audiences)["feed"]}
        for record in delivered:
            spec = next(i for i in drill.scenario.injects if i.id == record["inject"])
            should = (spec.visibility or spec.to) in ("everyone", seat)
            assert (record["seq"] in seqs) == should, (seat, record["inject"])
    cc = next(r for r in delivered if r["inject"] == "cc-all")
    assert all(cc["seq"] in {i["seq"] for i in seat_view(drill, s, audiences)["feed"]} for s in seats)


def test_a_role_sees_only_its_own_actions(drill: Drill) -> None:
    for seat in seats_of(drill)[2:]:
        actions = seat_view(drill, seat)["actions"]
        assert {a["role"] for a in actions} <= {seat}
        assert {a["id"] for a in actions} == {a.id for a in drill.scenario.actions if a.role == seat}


def test_the_room_shows_public_items_and_decisions_without_their_prompt(scenario: Scenario, crisis: Roster) -> None:
    live = Drill(with_secrets(scenario), crisis, 7)
    live.advance_to(900)
    audiences = Audiences(live)
    room = seat_view(live, ROOM, audiences)
    assert room["actions"] == [] and room["members"] == []
    for item in room["feed"]:
        assert audiences.of_record(live.records[item["seq"]]) == "everyone"
    opened = [r for r in live.records if r["type"] == "inject" and r["decision"]]
    assert opened, "flash-sale-latency opens a decision by 15 minutes"
    for decision in room["decisions"]:
        record = next(r for r in opened if r["inject"] == decision["inject"])
        if record["to"] != "everyone":
            assert decision["options"] == [] and record["text"] not in wire(room)
            assert decision["time_left"] > 0


def test_a_seat_view_turns_back_into_a_drill_view_the_widgets_render(drill: Drill) -> None:
    for seat in seats_of(drill):
        data = json.loads(wire(seat_view(drill, seat)))
        view = drill_view_from(data)
        assert view.t == drill.now
        assert {m.id for m in view.metrics} == {m["id"] for m in data["metrics"]}
        assert all(isinstance(item.seq, int) for item in view.feed)


def test_default_visibility_keeps_scenarios_and_their_hash_as_they_were(scenario: Scenario) -> None:
    # the content hash reads values that differ from their defaults: an unset visibility is not in it
    assert "visibility" not in json.dumps(scenario.model_dump(mode="json", by_alias=True, exclude_defaults=True))
    assert with_secrets(scenario).injects[-2].visibility == "controller"
    again = Scenario.model_validate(dump(with_secrets(scenario)))
    assert again.content_hash() == with_secrets(scenario).content_hash()
