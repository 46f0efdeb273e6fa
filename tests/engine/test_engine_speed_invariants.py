"""Behaviour the engine's shortcuts must keep (simulator/engine.py, simulator/metrics.py).

The metrics look only at the trigger conditions that can come true with time alone, write the
journal's figures rounded from the drill's own, and compare metric conditions with precomputed
operators; the journal must be exactly what checking every trigger every time gives.
"""

from __future__ import annotations

from typing import Any

import drillsim.simulator.engine as engine
import pytest
from drillsim.simulator.engine import Drill
from drillsim.simulator.library import builtin_scenarios
from drillsim.simulator.metrics import HISTORY, samples_of
from drillsim.simulator.model import Scenario, dump
from drillsim.simulator.policies import play
from drillsim.simulator.session import load_pair

from tests.engine.helpers import tiny_roster, tiny_scenario

BUILTIN = [scenario_id for scenario_id, _ in builtin_scenarios()]


@pytest.fixture(autouse=True)
def fixed_wall(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wall-clock stamps are the only records that differ between two plays."""
    monkeypatch.setattr(engine, "_wall", lambda: "wall")


def _tiny_with_timed_milestones() -> Scenario:
    """The tiny scenario with milestones on every kind of condition, not_by times between samples."""
    milestones = tiny_scenario().scoring.milestones
    return tiny_scenario(
        scoring={
            "milestones": {
                **{mid: dump(spec) for mid, spec in milestones.items()},
                "slow-containment": {"when": {"milestone": "contained", "not_by": "2m2s"}},
                "no-brief": {"when": {"action": "brief", "not_by": "62s"}},
                "briefed-late": {"when": {"action": "brief", "not_by": "1s"}},
                "ceo-ignored": {"when": {"decision": "boss", "timed_out": True}},
                "gdpr-missed": {"when": {"clock": "gdpr", "missed": True}},
                "slow-page": {"when": {"metric": "latency", "above": 300, "for": "12s"}},
            },
            "end_on": ["recovered"],
        }
    )


def _plays(scenario_id: str, policy: str, seeds: range) -> list[list[dict[str, Any]]]:
    if scenario_id == "tiny":
        scenario, roster = tiny_scenario(), tiny_roster()
    elif scenario_id == "tiny-timed":
        scenario, roster = _tiny_with_timed_milestones(), tiny_roster()
    else:
        loaded = load_pair(scenario_id)
        scenario, roster = loaded.scenario, loaded.roster
    return [play(scenario, roster, seed=seed, policy=policy).records for seed in seeds]


@pytest.mark.parametrize("policy", ["playbook", "idle", "random"])
@pytest.mark.parametrize("scenario_id", ["tiny", "tiny-timed", *BUILTIN])
def test_checking_every_trigger_at_every_sample_writes_the_same_journal(
    monkeypatch: pytest.MonkeyPatch, scenario_id: str, policy: str
) -> None:
    shortcut = _plays(scenario_id, policy, range(3))
    check_deadlines = Drill._check_deadlines
    # Pretend a condition came true at every sample, so every sample checks every trigger.
    monkeypatch.setattr(Drill, "_check_deadlines", lambda self, t: check_deadlines(self, t) or True)
    everything = _plays(scenario_id, policy, range(3))
    assert shortcut == everything


@pytest.mark.parametrize("scenario_id", BUILTIN)
def test_sampled_figures_are_the_drill_figures_rounded(scenario_id: str) -> None:
    loaded = load_pair(scenario_id)
    drill = play(loaded.scenario, loaded.roster, seed=3, policy="idle")
    blocks = [r for r in drill.records if r["type"] == "metric_samples"]
    assert blocks[-1]["revenue_lost"] == round(drill.revenue_lost, 2)
    assert blocks[-1]["outside_slo"] == {k: round(v, 3) for k, v in drill.outside_slo.items()}
    assert blocks[-1]["t"] == drill.ended_at
    # each record has its own dicts and columns: changing one record changes no other
    assert len({id(r["outside_slo"]) for r in blocks}) == len(blocks)
    assert len({id(column) for r in blocks for column in r["values"].values()}) == sum(len(r["values"]) for r in blocks)


@pytest.mark.parametrize("scenario_id", BUILTIN)
def test_metric_watches_compare_as_the_condition_does(scenario_id: str) -> None:
    loaded = load_pair(scenario_id)
    drill = Drill(loaded.scenario, loaded.roster, 0)
    assert drill._metric_watches
    for watch in drill._metric_watches:
        for value in (watch.threshold - 1, watch.threshold, watch.threshold + 1, watch.metric.baseline):
            assert watch.compare(value, watch.threshold) == watch.cond.holds_for_value(value)


def test_the_view_keeps_the_latest_samples() -> None:
    loaded = load_pair("llm-pii-exposure")
    drill = play(loaded.scenario, loaded.roster, seed=0, policy="idle")
    samples = [r["values"] for r in samples_of(drill.records) if r["values"]]
    assert len(samples) > HISTORY
    for metric in drill.view().metrics:
        assert metric.history == tuple(values[metric.id] for values in samples[-HISTORY:])
        assert metric.value == samples[-1][metric.id]


def test_a_retried_submission_is_told_what_it_still_needs() -> None:
    """A rejection's answer is made once per set of missing requirements and reused by retries: as the
    requirements are met one by one, each answer names only those still missing."""
    actions = [dump(a) for a in tiny_scenario().actions]
    for action in actions:
        if action["id"] == "notify":
            action["requires"] = ["acknowledged", "confirm"]
    drill = Drill(tiny_scenario(actions=actions), tiny_roster(), 0)
    both = f"needs {drill._requirement_label('acknowledged')}, {drill._requirement_label('confirm')} first"
    first, again = drill.submit("notify"), drill.submit("notify")
    assert (first.ok, first.code, first.reason) == (False, "requires", both) and again == first
    assert drill.submit("ack").ok
    drill.advance_to(drill.milestones.get("acknowledged", 0) + 300)
    assert "acknowledged" in drill.milestones
    assert drill.submit("notify").reason == f"needs {drill._requirement_label('confirm')} first"
    assert drill.submit("confirm").ok
    drill.advance_to(drill.now + 300)
    assert drill.submit("notify").ok
    rejected = [r["reason"] for r in drill.records if r["type"] == "action_rejected"]
    assert rejected == [both, both, f"needs {drill._requirement_label('confirm')} first"]


@pytest.mark.parametrize("scenario_id", ["model-drift", "chatbot-false-refund", "llm-pii-exposure"])
def test_a_waiting_playbook_step_is_refused_once_and_taken_at_the_first_retry_after_its_requirements(
    scenario_id: str,
) -> None:
    """A playbook step whose requirements are not met yet is journaled as refused once, at its own time; its
    retries every RETRY seconds look first (``Drill.why_not``) and submit at the first retry after the last
    requirement was met, so a reference team's timeline is not a wall of refusals."""
    from drillsim.simulator.policies import RETRY

    loaded = load_pair(scenario_id)
    drill = play(loaded.scenario, loaded.roster, seed=0, policy="playbook")
    refused = [r for r in drill.records if r["type"] == "action_rejected"]
    assert refused, "the playbook has a step that waits for its requirements"
    assert len({r["action"] for r in refused}) == len(refused)  # one refusal per step, not one per retry
    met = {**drill.done_actions, **drill.milestones}
    for rejection in refused:
        action = drill.actions[rejection["action"]]
        later = [
            r
            for r in drill.records
            if r["type"] == "action_submitted" and r["action"] == action.id and r["t"] > rejection["t"]
        ]
        if not later or not all(req in met for req in action.requires):
            continue  # never met before the end: never submitted again
        taken, ready = later[0]["t"], max(met[req] for req in action.requires)
        assert (taken - rejection["t"]) / RETRY == pytest.approx(round((taken - rejection["t"]) / RETRY))
        assert taken - RETRY <= ready < taken, (action.id, taken, ready)
