"""The built-in scenarios' fixes of #20, each as the players or the controller would notice it."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from drillsim.simulator.engine import Drill
from drillsim.simulator.model import ActionCondition, Effect, PlaybookStep, RampEffect, ScaleEffect, Scenario
from drillsim.simulator.policies import ScriptedPolicy, autoplay

from tests.engine.helpers import load_builtin, load_builtin_roster

ROOT = Path(__file__).resolve().parents[2]


def _injects(drill: Drill) -> dict[str, float]:
    return {r["inject"]: r["t"] for r in drill.records if r["type"] == "inject"}


def test_flash_sale_starts_healthy_and_the_page_takes_time() -> None:
    drill = Drill(load_builtin("flash-sale-latency"), load_builtin_roster("crisis-team"), 0)
    drill.advance_to(1)
    assert drill.metrics["latency_p95_ms"].at(0.0) < 360 * 1.05  # not 950 ms at t=0
    drill.advance_to(50)
    assert "latency-page" not in _injects(drill)
    assert not [i for i in drill.view().feed if i.kind == "alert"]  # the red dashboard is for players to notice
    drill.advance_to(61)
    assert 50 < _injects(drill)["latency-page"] <= 60  # the moment latency crosses 5x baseline, solved on the ramp


def test_model_drift_muting_the_alert_mutes_the_page() -> None:
    scenario = load_builtin("model-drift")
    roster = load_builtin_roster("crisis-team")
    drill = Drill(scenario, roster, 0)
    while "drift-warning" not in drill.milestones:
        drill.advance_to(drill.now + 5)
    assert drill.submit("mute-drift-alert").ok
    drill.advance_to(30 * 60)
    assert "drift-page" not in _injects(drill)
    assert "detected" not in drill.milestones  # muted: nobody is credited with detecting the drift
    assert "psi_paged" not in [m.id for m in drill.view().metrics]  # the pager's view is ground truth
    # without the mute, the page fires and detection is credited
    plain = Drill(scenario, roster, 0)
    plain.advance_to(30 * 60)
    assert "drift-page" in _injects(plain) and "detected" in plain.milestones


def _until(drill: Drill, done: object, limit: float = 3600) -> None:
    while not done() and drill.now < limit:  # type: ignore[operator]
        drill.advance_to(drill.now + 5)


def test_llm_pii_gdpr_clock_runs_from_the_evidence_and_the_recording_delay_is_journalled() -> None:
    scenario = load_builtin("llm-pii-exposure")
    drill = Drill(scenario, load_builtin_roster("full-crisis-team"), 0)
    _until(drill, lambda: "detected" in drill.milestones)
    page = _injects(drill)["pii-page"]
    started = next(r for r in drill.records if r["type"] == "clock_started")
    assert started["t"] == page  # awareness from evidence, not from a button press
    assert started["due_at"] == pytest.approx(page + 72 * 60, abs=0.001)  # 72 real hours at time_scale 60
    assert drill.view().clocks[0].started_at is None  # the players have not recorded it yet
    assert drill.view(controller=True).clocks[0].started_at == page
    for action in ("ack-pii-page", "declare-sev1", "engage-dpo", "confirm-personal-data-breach"):
        _until(drill, lambda a=action: drill.submit(a).ok or a in drill.done_actions)
        _until(drill, lambda a=action: a in drill.done_actions)
    recorded = next(r for r in drill.records if r["type"] == "clock_recorded")
    assert recorded["delay"] == pytest.approx(recorded["t"] - page, abs=0.001) and recorded["delay"] > 0
    assert drill.view().clocks[0].started_at == page
    # idle: nobody notifies, and 72 drill minutes after the page the clock is missed within the drill
    idle = Drill(scenario, load_builtin_roster("full-crisis-team"), 0)
    idle.advance_to(scenario.duration)
    assert idle.clocks["gdpr-art33"].missed


def test_llm_pii_notification_is_phased_and_a_flushed_cache_cannot_be_preserved() -> None:
    scenario = load_builtin("llm-pii-exposure")
    notify = scenario.action("notify-authority")
    assert notify.requires == ["confirm-personal-data-breach"]  # no full scoping first (Art. 33(4))
    assert "update-authority" in [a.id for a in scenario.actions]
    drill = Drill(scenario, load_builtin_roster("full-crisis-team"), 0)
    _until(drill, lambda: "detected" in drill.milestones)
    assert drill.submit("flush-cache-now").ok
    _until(drill, lambda: "flush-cache-now" in drill.done_actions)
    _until(drill, lambda: drill.submit("ack-pii-page").ok or "ack-pii-page" in drill.done_actions)
    _until(drill, lambda: "acknowledged" in drill.milestones)
    result = drill.submit("preserve-evidence")
    assert not result.ok and result.code == "forbidden"


def test_prompt_injection_is_a_processors_duty_from_the_dlp_page() -> None:
    scenario = load_builtin("prompt-injection-rag")
    clock = scenario.clocks[0]
    assert clock.regime == "GDPR Art. 33(2)" and clock.starts_on == "aware"
    assert "processor" in (scenario.briefing or "") and "controller" in (clock.description or "")
    drill = Drill(scenario, load_builtin_roster("full-crisis-team"), 0)
    _until(drill, lambda: "dlp-page" in _injects(drill))
    started = next(r for r in drill.records if r["type"] == "clock_started")
    assert started["t"] == _injects(drill)["dlp-page"]
    assert started["due_at"] == pytest.approx(started["t"] + 24 * 3600 / 48, abs=0.001)


def test_provider_outage_compresses_the_dora_clock_with_time_scale() -> None:
    scenario = load_builtin("provider-outage")
    assert scenario.time_scale == 8 and scenario.clocks[0].deadline == 4 * 3600
    assert "2025/301" in scenario.clocks[0].regime
    drill = Drill(scenario, load_builtin_roster("crisis-team"), 0)
    _until(drill, lambda: "detected" in drill.milestones)
    for action in ("ack-breaker-page", "declare-incident", "classify-major"):
        _until(drill, lambda a=action: drill.submit(a).ok or a in drill.done_actions)
        _until(drill, lambda a=action: a in drill.done_actions)
    started = next(r for r in drill.records if r["type"] == "clock_started")
    assert started["due_at"] == pytest.approx(started["t"] + 30 * 60, abs=0.001)


def test_feature_skew_first_page_shows_the_symptom_not_the_cause() -> None:
    scenario = load_builtin("feature-skew")
    page = next(i for i in scenario.injects if i.id == "skew-page")
    for giveaway in ("int64", "double", "schema", "dollars", "cents"):
        assert giveaway not in page.text.lower()
        assert giveaway not in scenario.title.lower()
    identify = [a for a in scenario.actions if "identified" in a.marks]
    assert identify and any("dollars" in (a.outcome or "") for a in identify)  # investigation reveals it


def test_flash_sale_marketing_extends_the_sale_itself_on_timeout() -> None:
    scenario = load_builtin("flash-sale-latency")
    drill = Drill(scenario, load_builtin_roster("crisis-team"), 0)
    drill.advance_to(20 * 60)  # nobody acts: the marketing decision opens at 10m and lapses at 14m
    assert drill.done_actions.get("extend-sale") == 14 * 60


def test_the_feed_says_how_long_the_clock_ran_before_it_was_recorded() -> None:
    scenario = load_builtin("llm-pii-exposure")
    drill = Drill(scenario, load_builtin_roster("full-crisis-team"), 0)
    _until(drill, lambda: "detected" in drill.milestones)
    assert not any("GDPR" in item.text for item in drill.view().feed)  # the law's clock runs unannounced
    for action in ("ack-pii-page", "declare-sev1", "engage-dpo", "confirm-personal-data-breach"):
        _until(drill, lambda a=action: drill.submit(a).ok or a in drill.done_actions)
        _until(drill, lambda a=action: a in drill.done_actions)
    line = next(item.text for item in drill.view().feed if "clock recorded" in item.text)
    assert line.startswith("GDPR Art. 33 clock recorded; it has run since ")
    assert "h" in line.split("(")[1]  # the delay in real time: hours, at time_scale 60


def test_llm_pii_sec_8k_clock_runs_from_the_materiality_determination() -> None:
    scenario = load_builtin("llm-pii-exposure")
    clock = next(c for c in scenario.clocks if c.id == "sec-8k-item105")
    assert clock.regime == "SEC 8-K Item 1.05" and clock.starts_on == "determine-material"
    assert any("33-11216" in r.url for r in scenario.references)  # the SEC's release is cited
    assert "listed" in (scenario.briefing or "")
    roster = load_builtin_roster("full-crisis-team")
    played = autoplay(Drill(scenario, roster, 0), ScriptedPolicy(scenario.playbook))
    started = next(r for r in played.records if r["type"] == "clock_started" and r["clock"] == clock.id)
    determined = played.done_actions["determine-material"]
    assert started["t"] == determined  # anchored to the determination, not to detection or the scope
    assert started["due_at"] == pytest.approx(determined + 96 * 60, abs=0.001)  # Monday -> Friday at time_scale 60
    assert played.clocks[clock.id].met_at is not None
    # a team that decides but never files misses the 8-K within the drill
    steps = [s for s in scenario.playbook if s.action != "file-8k"]
    unfiled = autoplay(Drill(scenario, roster, 0), ScriptedPolicy(steps))
    assert unfiled.clocks[clock.id].missed
    # deferring the determination never starts it, and costs the penalty
    steps = [
        s if s.action != "determine-material" else s.model_copy(update={"action": "defer-materiality"}) for s in steps
    ]
    deferred = autoplay(Drill(scenario, roster, 0), ScriptedPolicy(steps))
    assert deferred.clocks[clock.id].started_at is None
    assert any(r["type"] == "penalty" and r.get("source") == "action:defer-materiality" for r in deferred.records)


RED_HERRINGS = {  # scenario: (its red-herring inject, the action that chases it)
    "chatbot-false-refund": ("provider-note", "pin-previous-model"),
    "credit-bias-ai-act": ("campaign-note", "pause-expat-campaign"),
    "feature-skew": ("deploy-note", "rollback-ranker"),
    "flash-sale-latency": ("cdn-red-herring", "blame-cdn"),
    "gpu-node-failure": ("storage-alert", "blame-storage"),
    "label-error": ("consignment-note", "blame-consignment"),
    "llm-pii-exposure": ("soc-logins", "force-logout-everyone"),
    "model-drift": ("app-release-note", "rollback-app-release"),
    "prompt-injection-rag": ("soc-login", "reset-all-passwords"),
    "provider-outage": ("deploy-note", "rollback-gateway"),
}


def _worsens(scenario: Scenario, effect: Effect) -> bool:
    """Whether an effect moves its metric the wrong way: up for a metric with a max, down for one with a
    min or one revenue follows."""
    spec = scenario.metrics[effect.metric]
    lower_is_better = spec.slo is not None and spec.slo.max is not None
    higher_is_better = (spec.slo is not None and spec.slo.min is not None) or effect.metric in scenario.business.shares
    if isinstance(effect, ScaleEffect):
        return (lower_is_better and effect.scale > 1) or (higher_is_better and effect.scale < 1)
    target = effect.ramp.to if isinstance(effect, RampEffect) else effect.set
    if not isinstance(target, float | int):
        return False
    return (lower_is_better and target > spec.baseline) or (higher_is_better and target < spec.baseline)


def test_every_builtin_is_reviewed_for_its_red_herring() -> None:
    assert sorted(RED_HERRINGS) == sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("scenario_id", sorted(RED_HERRINGS))
def test_red_herring_has_pull_and_chasing_it_costs(scenario_id: str) -> None:
    inject_id, chase = RED_HERRINGS[scenario_id]
    scenario = load_builtin(scenario_id)
    roster = load_builtin_roster(scenario.default_roster or "crisis-team")
    assert [i.id for i in scenario.injects if i.red_herring] == [inject_id]
    played = autoplay(Drill(scenario, roster, 0), ScriptedPolicy(scenario.playbook))
    arrived = _injects(played)[inject_id]
    # pull: it arrives while the cause is unknown, and chasing it can start before the cause is found
    assert arrived < played.milestones["identified"]
    steps = [*scenario.playbook, PlaybookStep(at=arrived + 30, action=chase)]
    chased = autoplay(Drill(scenario, roster, 0), ScriptedPolicy(steps))
    taken = [r["t"] for r in chased.records if r["type"] == "action_submitted" and r["action"] == chase]
    assert taken and taken[0] == arrived + 30 < chased.milestones.get("identified", math.inf)
    # cost: a lesson names it, and it costs points, moves a metric the wrong way, or takes the time of
    # someone the response needs after the red herring arrives (their next step marks a milestone)
    assert any(isinstance(lesson.when, ActionCondition) and lesson.when.action == chase for lesson in scenario.lessons)
    action = scenario.action(chase)
    worse = [e.metric for e in action.effects if _worsens(scenario, e)]
    needed = [
        s.action
        for s in scenario.playbook
        if s.at >= arrived and scenario.action(s.action).role == action.role and scenario.action(s.action).marks
    ]
    assert action.penalty is not None or worse or needed, f"chasing '{inject_id}' with '{chase}' costs nothing"
