"""Engine behaviour as exact event traces on small scenarios (SimPy's own test style)."""

from __future__ import annotations

import math

import pytest
from drillsim.simulator.engine import OFF_ROLE_SLOWDOWN, Drill
from drillsim.simulator.metrics import samples_of
from drillsim.simulator.policies import autoplay, make_policy

from tests.engine.helpers import tiny_roster, tiny_scenario, trace


def test_idle_drill_runs_to_the_time_limit_with_alert_timeout_and_contingency(scenario, roster):
    drill = Drill(scenario, roster, seed=1)
    drill.advance_to(1000)
    assert trace(
        drill,
        "fault_started",
        "impact_started",
        "inject",
        "page",
        "member_available",
        "decision_timed_out",
        "penalty",
        "drill_ended",
    ) == [
        ("fault_started", 30.0, "bad-deploy"),
        ("impact_started", 30.0, "bad-deploy"),
        # latency ramps 100 -> 1000 over 30..90 s: it passes 500 at 30 + 400/900 * 60 s, not at a sample
        ("inject", 56.666667, "page"),
        ("page", 56.666667, "Ana"),  # on-call holder of the alert's role is paged
        ("member_available", 76.666667, "Ana"),
        ("inject", 180.0, "boss"),
        ("decision_timed_out", 240.0, "boss"),
        ("penalty", 240.0, None),
        ("inject", 300.0, "chaser"),  # contingency: contained not reached by 5m
        ("drill_ended", 600.0, None),
    ]
    assert drill.end_reason == "time_limit"
    assert drill.now == 600.0
    assert drill.penalty_points == 5


def test_fix_stops_the_fault_and_metric_milestone_ends_the_drill(scenario, roster):
    drill = Drill(scenario, roster, seed=1)
    drill.advance_to(90)
    assert drill.submit("ack").ok
    drill.advance_to(100)  # events strictly before 100 s: the ack finishing at 100 s is not done yet
    assert drill.submit("rollback").code == "requires"
    drill.advance_to(110)
    assert drill.submit("rollback").ok
    drill.advance_to(1000)
    assert trace(drill, "action_started", "action_finished", "fault_stopped", "milestone", "drill_ended") == [
        ("action_started", 90.0, "ack"),
        ("action_finished", 100.0, "ack"),
        ("milestone", 100.0, "acknowledged"),
        ("action_started", 110.0, "rollback"),
        ("action_finished", 170.0, "rollback"),
        ("fault_stopped", 170.0, "bad-deploy"),
        ("milestone", 170.0, "contained"),
        # latency ramps back from 1000 to 100 over 30 s: at most 150 from 170 + 850/900 * 30 s, held 30 s
        ("milestone", 228.333333, "recovered"),
        ("drill_ended", 228.333333, None),
    ]
    assert drill.end_reason == "resolved"
    assert drill.metrics["latency"].at(drill.now) == pytest.approx(100)


def test_business_impact_integrates_revenue_lost_and_minutes_outside_slo(scenario, roster):
    drill = Drill(scenario, roster, seed=1)
    drill.advance_to(121)
    # conversion drops to 1.0 (half of baseline) at 60 s; 600/min at baseline -> 300/min lost
    view = drill.view()
    assert view.revenue_lost == pytest.approx(305.0, rel=1e-9)  # 61 s at 300/min, exactly
    _, outside_slo = drill._sampler.totals(drill.now)  # what the journal's sample blocks carry
    assert outside_slo["conversion"] == pytest.approx(61.0)
    # latency is above 200 from 30 + 100/900 * 60 s (its ramp crosses the SLO between samples)
    assert outside_slo["latency"] == pytest.approx(121 - (30 + 100 / 900 * 60))
    drill.end()
    samples = samples_of(drill.records)
    assert [s["t"] for s in samples[:3]] == [0.0, 5.0, 10.0]
    assert samples[-1]["t"] == 120.0 and samples[-1]["revenue_lost"] == pytest.approx(305.0)
    assert drill.revenue_lost == pytest.approx(305.0, rel=1e-9)


def test_busy_member_makes_actions_queue_in_order(scenario, roster):
    drill = Drill(scenario, roster, seed=1)
    assert drill.submit("brief").ok
    assert drill.submit("blame").ok
    drill.advance_to(50)
    assert trace(drill, "page", "action_queued", "action_started", "action_finished", "penalty") == [
        ("page", 0.0, "Bo"),  # Bo was not engaged yet: paged on first use
        ("action_queued", 0.0, "brief"),
        ("action_queued", 0.0, "blame"),
        ("action_started", 10.0, "brief"),
        ("action_finished", 30.0, "brief"),
        ("action_started", 30.0, "blame"),
        ("action_finished", 35.0, "blame"),
        ("penalty", 35.0, None),
    ]
    started = [r for r in drill.records if r["type"] == "action_started"]
    assert [r["waited"] for r in started] == [10.0, 30.0]
    assert drill.penalty_points == 10


def test_view_shows_queue_progress_and_pages(scenario, roster):
    drill = Drill(scenario, roster, seed=1)
    drill.submit("brief")
    drill.submit("blame")
    drill.advance_to(5)
    bo = next(m for m in drill.view().members if m.name == "Bo")
    assert bo.status == "paged" and bo.progress == pytest.approx(0.5)
    assert bo.queued == ("Brief", "Blame someone")
    drill.advance_to(20)
    bo = next(m for m in drill.view().members if m.name == "Bo")
    assert (bo.status, bo.action, bo.queued) == ("busy", "Brief", ("Blame someone",))
    assert bo.progress == pytest.approx(0.5)
    assert [q.label for q in drill.view().queued] == ["Blame someone"]


def test_member_without_the_role_acts_slower():
    roster = tiny_roster(members=[{"name": "Ana", "roles": ["ai-ops-engineer"], "response_time": 0}])
    drill = Drill(tiny_scenario(), roster, seed=1)
    assert drill.submit("notify").ok
    drill.advance_to(100)
    started = next(r for r in drill.records if r["type"] == "action_started")
    assert started["member"] == "Ana" and started["role_match"] is False
    assert started["duration"] == pytest.approx(30 * OFF_ROLE_SLOWDOWN)


def test_preconditions_and_once_only_are_enforced_with_reasons(scenario, roster):
    drill = Drill(scenario, roster, seed=1)
    result = drill.submit("rollback")
    assert not result.ok and result.code == "requires"
    assert result.reason == "needs 'Acknowledged' first"
    assert drill.submit("ack").ok
    again = drill.submit("ack")
    assert not again.ok and again.reason == "already queued (Ana)"
    drill.advance_to(60)
    done = drill.submit("ack")
    assert done.reason == "already done at 00:30 (once only)"
    assert not drill.submit("nope").ok
    assert not drill.submit("brief", by="Nobody").ok
    unavailable = {a.id: a.reason for a in drill.availability() if not a.available}
    assert unavailable == {"ack": "already done at 00:30 (once only)"}
    rejected = [r["reason"] for r in drill.records if r["type"] == "action_rejected"]
    assert len(rejected) == 5


def test_named_member_does_the_action(scenario, roster):
    drill = Drill(scenario, roster, seed=1)
    drill.submit("brief", by="Cy")
    drill.advance_to(200)
    started = next(r for r in drill.records if r["type"] == "action_started")
    assert (started["member"], started["role_match"], started["t"]) == ("Cy", False, 60.0)


def test_regulatory_clock_met_and_missed(scenario, roster):
    met = Drill(scenario, roster, seed=1)
    met.submit("confirm")
    met.submit("notify")
    met.advance_to(400)
    assert trace(met, "clock_started", "clock_met", "clock_missed") == [
        ("clock_started", 70.0, "gdpr"),  # Cy is off call: 60 s to respond, 10 s to confirm
        ("clock_met", 100.0, "gdpr"),
    ]
    missed = Drill(scenario, roster, seed=1)
    missed.submit("confirm")
    missed.advance_to(400)
    assert trace(missed, "clock_started", "clock_met", "clock_missed") == [
        ("clock_started", 70.0, "gdpr"),
        ("clock_missed", 190.0, "gdpr"),
    ]
    assert missed.view().clocks[0].missed


def test_answering_a_decision_submits_the_option(scenario, roster):
    drill = Drill(scenario, roster, seed=1)
    drill.advance_to(200)
    view = drill.view()
    assert [(d.inject, d.time_left) for d in view.decisions] == [("boss", 40.0)]
    assert not drill.answer("boss", "blame").ok
    assert drill.answer("boss", "brief").ok
    drill.advance_to(300)
    assert trace(drill, "decision_answered", "action_submitted", "action_started", "decision_timed_out")[:3] == [
        ("decision_answered", 200.0, "boss"),
        ("action_submitted", 200.0, "brief"),
        ("action_started", 210.0, "brief"),
    ]
    assert [r.get("input", False) for r in drill.records if r["type"] in ("decision_answered", "action_submitted")] == [
        True,
        False,
    ]
    assert not drill.answer("boss", "brief").ok


def test_pause_freezes_sim_time_and_is_journaled(scenario, roster):
    drill = Drill(scenario, roster, seed=1)
    drill.advance_to(50)
    drill.pause()
    drill.advance_to(500)
    assert drill.now == 50.0 and drill.view().paused
    drill.note("Who owns the rollback?")
    drill.resume()
    drill.advance_to(70)
    assert drill.now == 70.0
    inputs = [(r["type"], r["t"]) for r in drill.records if r.get("input")]
    assert inputs == [("paused", 50.0), ("note", 50.0), ("resumed", 50.0)]


def test_facilitator_can_end_and_running_actions_are_cancelled(scenario, roster):
    drill = Drill(scenario, roster, seed=1)
    drill.advance_to(90)
    drill.submit("ack")
    drill.facilitator_inject("The CFO wants numbers", to="crisis-lead")
    drill.advance_to(95)
    drill.end()
    assert drill.ended and drill.end_reason == "facilitator"
    assert trace(drill, "action_cancelled", "drill_ended") == [
        ("action_cancelled", 95.0, "ack"),
        ("drill_ended", 95.0, None),
    ]
    assert drill.records[-1]["input"] is True
    assert not drill.submit("brief").ok
    drill.debrief("hotwash", kind="strength", text="Fast page")
    assert drill.records[-1]["type"] == "hotwash"
    with pytest.raises(ValueError):
        drill.debrief("drill_started")


def test_feed_lists_what_players_see(scenario, roster):
    drill = Drill(scenario, roster, seed=1)
    drill.advance_to(200)
    kinds = [(f.kind, f.text) for f in drill.view().feed]
    assert ("alert", "latency above 500 ms") in kinds
    assert ("inject", "What is going on?") in kinds
    assert not any("Bad deploy" in text for _, text in kinds)  # faults are ground truth, not shown


def test_same_seed_and_inputs_give_the_same_journal(scenario, roster):
    def run() -> list[dict]:
        drill = autoplay(Drill(scenario, roster, seed=42, wall="x"), make_policy("random", scenario, 42))
        return [{k: v for k, v in r.items() if k != "wall"} for r in drill.records]

    assert run() == run()


def test_metrics_stay_finite_under_noise():
    scenario = tiny_scenario(metrics={"latency": {"baseline": 100, "noise": 0.5}, "conversion": {"baseline": 2}})
    drill = Drill(scenario, tiny_roster(), seed=3)
    drill.advance_to(600)
    for r in samples_of(drill.records):
        assert all(math.isfinite(v) for v in r["values"].values())


def test_journal_copy_keeps_the_scenario_field_order(scenario, roster):
    # metrics are sampled (and noise drawn) in declaration order: the copy must keep it
    first = Drill(scenario, roster, seed=1).records[0]
    assert list(first["scenario"]["metrics"]) == list(scenario.metrics) == ["latency", "conversion"]
    assert first["scenario_hash"] == scenario.content_hash() == Drill(scenario, roster, 2).records[0]["scenario_hash"]


def test_injects_triggered_by_the_final_milestone_still_arrive(roster):
    scenario = tiny_scenario(
        injects=[{"id": "all-clear", "when": {"milestone": "recovered"}, "text": "All clear", "from": "Monitoring"}]
    )
    drill = Drill(scenario, roster, seed=1)
    drill.submit("ack")  # Ana is paged (20 s) and acknowledges by 30 s
    drill.advance_to(40)
    drill.submit("rollback")  # 40-100 s; latency ramps 1000 -> 100 by 130 s: at most 150 from 100 + 850/900 * 30 s
    drill.advance_to(1000)
    assert trace(drill, "milestone", "inject", "drill_ended")[-3:] == [  # ... held 30 s
        ("milestone", 158.333333, "recovered"),
        ("inject", 158.333333, "all-clear"),
        ("drill_ended", 158.333333, None),
    ]
