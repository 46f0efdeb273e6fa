"""Hand-written journals in the documented format (docs/architecture.md, "The journal").

``JournalBuilder`` appends records with gap-free ``seq`` numbers, so a test can write a
drill's story in a few lines; ``tiny_scenario()`` and ``tiny_roster()`` are the smallest
useful scenario and roster. ``make_fixtures.py`` uses these to write tests/data/journals.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from drillsim.simulator.model import Roster, Scenario, content_hash, dump

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "journals"


def tiny_scenario() -> dict[str, Any]:
    """A scenario with one impact fault, two milestones with targets, comms, a clock and a decision."""
    return {
        "id": "tiny",
        "title": "Tiny drill",
        "category": "privacy",
        "severity": "SEV2",
        "summary": "A model leaks data; roll it back, tell people and notify the regulator.",
        "duration": "30m",
        "objectives": [
            {
                "id": "contain",
                "text": "Contain the leak quickly.",
                "capability": "Operational Coordination",
                "target": "Rollback within 10 minutes",
                "measures": ["contained"],
            },
            {
                "id": "tell",
                "text": "Keep people informed.",
                "capability": "Public Information and Warning",
                "target": "First update in 5 minutes, then every 10",
                "measures": ["communication"],
            },
            {
                "id": "comply",
                "text": "Notify the regulator.",
                "capability": "Compliance",
                "target": "Within the deadline",
                "measures": ["gdpr"],
            },
        ],
        "metrics": {
            "errors": {"label": "Error rate", "baseline": 1, "unit": "%", "slo": {"max": 5}},
        },
        "business": {"revenue_per_minute": 100, "follows": None, "currency": "EUR"},
        "faults": [{"id": "leak", "label": "The model leaks data", "at": "1m", "effects": []}],
        "injects": [
            {"id": "page", "at": "2m", "channel": "pager", "to": "ai-ops-engineer", "text": "Errors up"},
            {
                "id": "boss",
                "at": "4m",
                "channel": "chat",
                "from": "CEO",
                "to": "crisis-lead",
                "text": "What is going on?",
                "decision": {"options": ["brief"], "deadline": "2m"},
            },
        ],
        "actions": [
            {"id": "ack", "label": "Acknowledge", "role": "crisis-lead", "duration": "30s", "marks": ["acknowledged"]},
            {
                "id": "rollback",
                "label": "Roll back",
                "role": "ai-ops-engineer",
                "duration": "1m",
                "marks": ["contained"],
            },
            {
                "id": "brief",
                "label": "Brief execs",
                "role": "crisis-lead",
                "duration": "1m",
                "communication": "executive",
                "repeatable": True,
            },
            {
                "id": "status",
                "label": "Status page",
                "role": "communications-manager",
                "duration": "1m",
                "communication": "external",
                "repeatable": True,
            },
            {
                "id": "confirm-breach",
                "label": "Confirm a personal-data breach",
                "role": "compliance-officer",
                "duration": "30s",
            },
            {"id": "notify-dpa", "label": "Notify the DPA", "role": "compliance-officer", "duration": "1m"},
            {
                "id": "blame",
                "label": "Blame the vendor",
                "role": "communications-manager",
                "duration": "30s",
                "communication": "external",
                "penalty": {"points": 10, "reason": "Unverified speculation"},
            },
        ],
        "clocks": [
            {
                "id": "gdpr",
                "regime": "GDPR Art. 33",
                "starts_on": "confirm-breach",
                "deadline": "10m",
                "satisfied_by": "notify-dpa",
            }
        ],
        "scoring": {
            "milestones": {
                "acknowledged": {"label": "Acknowledged", "target": "2m"},
                "contained": {"label": "Contained", "target": "10m"},
            },
            "communication": {"first_update": "5m", "cadence": "10m"},
        },
        "playbook": [{"at": "2m", "action": "ack"}, {"at": "3m", "action": "rollback"}],
        "lessons": [
            {
                "when": {"milestone": "contained", "not_by": "10m"},
                "finding": "The rollback was late.",
                "corrective_action": "Automate the rollback.",
                "owner": "ai-ops-engineer",
                "due": "14d",
            },
            {
                "when": {"action": "blame"},
                "finding": "The vendor was blamed without evidence.",
                "corrective_action": "Use factual templates.",
                "owner": "communications-manager",
            },
            {
                "when": {"metric": "errors", "above": 10, "for": "1m"},
                "finding": "Errors stayed above 10% for a minute.",
                "corrective_action": "Add a circuit breaker.",
                "owner": "platform-engineer",
            },
        ],
    }


def tiny_roster() -> dict[str, Any]:
    return {
        "id": "tiny-team",
        "team": "Tiny team",
        "members": [
            {"name": "Ana", "roles": ["crisis-lead"], "response_time": "1m"},
            {"name": "Bo", "roles": ["ai-ops-engineer"], "response_time": "1m"},
            {"name": "Cy", "roles": ["communications-manager", "compliance-officer"], "response_time": "1m"},
        ],
    }


def load_yaml_scenario(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


class JournalBuilder:
    """Build a journal record by record; times are sim seconds."""

    def __init__(
        self,
        scenario: dict[str, Any],
        roster: dict[str, Any],
        *,
        seed: int = 7,
        team: str | None = None,
        label: str | None = "Q3 drill",
        participants: dict[str, str] | None = None,
        wall: str = "2025-09-18T10:00:00+00:00",
        policy: str | None = None,
    ) -> None:
        scen = Scenario.model_validate(copy.deepcopy(scenario))
        rost = Roster.model_validate(copy.deepcopy(roster))
        self.scenario = scen
        self.records: list[dict[str, Any]] = []
        self.add(
            0,
            "drill_started",
            version="0.1.0",
            seed=seed,
            speed=1.0,
            team=team or rost.team,
            label=label,
            scenario=dump(scen),
            scenario_hash=content_hash(scen),
            roster=dump(rost),
            roster_hash=content_hash(rost),
            participants=participants or {},
            policy=policy,
            wall=wall,
        )

    def add(self, t: float, type_: str, **fields: Any) -> dict[str, Any]:
        record = {"seq": len(self.records), "t": float(t), "type": type_, **fields}
        self.records.append(record)
        return record

    # shorthands ---------------------------------------------------------------

    def impact(self, t: float, fault: str) -> None:
        self.add(t, "fault_started", fault=fault, impact=True)
        self.add(t, "impact_started", fault=fault)

    def inject(self, t: float, inject_id: str) -> None:
        spec = next(i for i in self.scenario.injects if i.id == inject_id)
        decision = None
        if spec.decision is not None:
            decision = {
                "prompt": spec.decision.prompt or spec.text,
                "options": [{"action": a, "label": self.scenario.action(a).label} for a in spec.decision.options],
                "deadline_at": t + spec.decision.deadline,
            }
        self.add(
            t,
            "inject",
            inject=spec.id,
            channel=spec.channel,
            **{"from": spec.from_},
            to=spec.to,
            text=spec.text,
            discussion=list(spec.discussion),
            alert=spec.channel in ("alert", "pager"),
            red_herring=spec.red_herring,
            decision=decision,
        )

    def action(
        self,
        submitted: float,
        action_id: str,
        member: str,
        *,
        started: float | None = None,
        success: bool = True,
        role_match: bool = True,
        source: str = "participant",
        duration: float | None = None,
    ) -> float:
        """Submit, start and finish an action; returns the finish time. Marks milestones and penalties."""
        spec = self.scenario.action(action_id)
        start = submitted if started is None else started
        length = float(duration if duration is not None else spec.duration)
        self.add(
            submitted,
            "action_submitted",
            action=action_id,
            by=member,
            source=source,
            input=True,
            wall="2025-09-18T10:00:00+00:00",
        )
        if start > submitted:
            self.add(submitted, "action_queued", action=action_id, member=member, ahead=1)
        self.add(
            start,
            "action_started",
            action=action_id,
            member=member,
            role_match=role_match,
            duration=length,
            waited=start - submitted,
        )
        end = start + length
        if spec.penalty is not None:
            self.add(
                start, "penalty", points=spec.penalty.points, reason=spec.penalty.reason, source=f"action:{action_id}"
            )
        self.add(
            end,
            "action_finished",
            action=action_id,
            member=member,
            success=success,
            text=spec.outcome or f"{spec.label}: done",
        )
        if success:
            for milestone in spec.marks:
                self.milestone(end, milestone, by=f"action:{action_id}")
        return end

    def milestone(self, t: float, milestone: str, by: str = "condition") -> None:
        if any(r["type"] == "milestone" and r["milestone"] == milestone for r in self.records):
            return
        self.add(t, "milestone", milestone=milestone, by=by)

    def sample(self, t: float, values: dict[str, float], revenue_lost: float, outside: dict[str, float]) -> None:
        self.add(t, "metric_sample", values=values, revenue_lost=revenue_lost, outside_slo=outside)

    def end(self, t: float, reason: str = "time_limit") -> None:
        summary = {r["milestone"]: r["t"] for r in self.records if r["type"] == "milestone"}
        self.add(t, "drill_ended", reason=reason, summary=summary)

    def sorted_records(self) -> list[dict[str, Any]]:
        """Records in time order (stable), renumbered: builders may add a finish before later submissions."""
        ordered = sorted(self.records[1:], key=lambda r: r["t"])
        debrief = [r for r in ordered if r["type"] in ("rating_override", "hotwash")]
        body = [r for r in ordered if r["type"] not in ("rating_override", "hotwash")]
        out = [self.records[0], *body, *debrief]
        for n, record in enumerate(out):
            record["seq"] = n
        return out

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as handle:
            for record in self.sorted_records():
                handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
