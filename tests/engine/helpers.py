from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from drillsim.simulator.model import Roster, Scenario

ROOT = Path(__file__).resolve().parents[2]


def tiny_scenario(**overrides: Any) -> Scenario:
    """A small scenario with exact, fixed durations: one fault, one alert, a fix, a decision."""
    data: dict[str, Any] = {
        "id": "tiny",
        "title": "Tiny",
        "category": "capacity",
        "severity": "SEV3",
        "summary": "A tiny scenario for engine tests.",
        "duration": "10m",
        "metrics": {
            "latency": {"baseline": 100, "unit": "ms", "slo": {"max": 200}},
            "conversion": {"baseline": 2.0, "unit": "%", "slo": {"min": 1.8}},
        },
        "business": {"revenue_per_minute": 600, "follows": "conversion"},
        "faults": [
            {
                "id": "bad-deploy",
                "label": "Bad deploy",
                "at": "30s",
                "effects": [
                    {"metric": "latency", "ramp": {"to": 1000, "over": "1m"}},
                    {"metric": "conversion", "set": 1.0, "after": "30s"},
                ],
            }
        ],
        "injects": [
            {
                "id": "page",
                "when": {"metric": "latency", "above": 500},
                "channel": "pager",
                "from": "Monitoring",
                "to": "ai-ops-engineer",
                "text": "latency above 500 ms",
            },
            {
                "id": "boss",
                "at": "3m",
                "from": "CEO",
                "to": "crisis-lead",
                "text": "What is going on?",
                "decision": {
                    "options": ["brief"],
                    "deadline": "1m",
                    "on_timeout": {"text": "The CEO is annoyed.", "penalty": {"points": 5, "reason": "silence"}},
                },
            },
            {
                "id": "chaser",
                "when": {"milestone": "contained", "not_by": "5m"},
                "from": "CTO",
                "text": "Still broken?",
            },
        ],
        "actions": [
            {
                "id": "ack",
                "label": "Acknowledge",
                "role": "ai-ops-engineer",
                "duration": "10s",
                "marks": ["acknowledged"],
            },
            {
                "id": "rollback",
                "label": "Roll back",
                "role": "ai-ops-engineer",
                "duration": "1m",
                "requires": ["acknowledged"],
                "stops": ["bad-deploy"],
                "effects": [
                    {"metric": "latency", "ramp": {"to": "baseline", "over": "30s"}},
                    {"metric": "conversion", "set": "baseline"},
                ],
                "marks": ["contained"],
            },
            {"id": "brief", "label": "Brief", "role": "crisis-lead", "duration": "20s", "communication": "internal"},
            {
                "id": "blame",
                "label": "Blame someone",
                "role": "communications-manager",
                "duration": "5s",
                "penalty": {"points": 10, "reason": "speculation"},
            },
            {"id": "notify", "label": "Notify regulator", "role": "compliance-officer", "duration": "30s"},
            {"id": "confirm", "label": "Confirm breach", "role": "compliance-officer", "duration": "10s"},
        ],
        "clocks": [
            {"id": "gdpr", "regime": "GDPR Art. 33", "starts_on": "confirm", "deadline": "2m", "satisfied_by": "notify"}
        ],
        "scoring": {
            "milestones": {
                "acknowledged": {"target": "2m"},
                "contained": {"target": "5m"},
                "recovered": {"target": "8m", "when": {"metric": "latency", "at_most": 150, "for": "30s"}},
            },
            "end_on": ["recovered"],
        },
        "playbook": [{"at": "1m", "action": "ack"}, {"at": "1m30s", "action": "rollback"}],
    }
    data.update(overrides)
    return Scenario.model_validate(data)


def tiny_roster(**overrides: Any) -> Roster:
    data: dict[str, Any] = {
        "id": "tiny-team",
        "team": "Tiny team",
        "members": [
            {"name": "Ana", "roles": ["ai-ops-engineer"], "response_time": "20s"},
            {"name": "Bo", "roles": ["crisis-lead", "communications-manager"], "response_time": "10s"},
            {"name": "Cy", "roles": ["compliance-officer"], "response_time": "1m", "on_call": False},
        ],
    }
    data.update(overrides)
    return Roster.model_validate(data)


def load_builtin(name: str) -> Scenario:
    return Scenario.model_validate(yaml.safe_load((ROOT / "scenarios" / f"{name}.yaml").read_text()))


def load_builtin_roster(name: str) -> Roster:
    return Roster.model_validate(yaml.safe_load((ROOT / "scenarios" / "rosters" / f"{name}.yaml").read_text()))


def trace(drill: Any, *types: str) -> list[tuple[Any, ...]]:
    """(type, t, key) for records of the given types: the SimPy-style exact trace (t to the microsecond:
    a crossing solved from a ramp is exact up to floating point)."""
    out = []
    for r in drill.records:
        if r["type"] in types:
            key = (
                r.get("inject")
                or r.get("fault")
                or r.get("milestone")
                or r.get("clock")
                or r.get("action")
                or r.get("member")
            )
            out.append((r["type"], round(r["t"], 6), key))
    return out
