"""A property (#14): a team that does everything the playbook does plus one don't never scores above
the same team without it, and none of its objectives is rated better.

The team is the scenario's playbook played with random delays on every step (a different seed each
time); the don't is one of the scenario's penalised actions, done by someone on the roster at a
random moment: its submission, start, penalty and result are added to the team's own journal, so
both teams are otherwise the same drill.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from drillsim.reports.scoring import score
from drillsim.simulator.engine import Drill
from drillsim.simulator.model import PlaybookStep, Roster, Scenario
from drillsim.simulator.policies import ScriptedPolicy, autoplay
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engine.helpers import load_builtin, load_builtin_roster

SCENARIOS = ("flash-sale-latency", "llm-pii-exposure", "provider-outage", "label-error")
RANK = {"P": 0, "S": 1, "M": 2, "U": 3, "N/A": -1}


@cache
def world(scenario_id: str) -> tuple[Scenario, Roster]:
    scenario = load_builtin(scenario_id)
    return scenario, load_builtin_roster(scenario.default_roster or "crisis-team")


def team_journal(scenario: Scenario, roster: Roster, seed: int, delays: list[int]) -> list[dict[str, Any]]:
    steps = [
        PlaybookStep(at=step.at + delays[i % len(delays)], action=step.action, by=step.by)
        for i, step in enumerate(scenario.playbook)
    ]
    drill = autoplay(Drill(scenario, roster, seed), ScriptedPolicy(steps))
    return [dict(r) for r in drill.records]


def with_dont(records: list[dict[str, Any]], scenario: Scenario, roster: Roster, pick: int, when: float) -> list:
    donts = [a for a in scenario.actions if a.penalty is not None]
    action = donts[pick % len(donts)]
    assert action.penalty is not None
    end = max(float(r["t"]) for r in records if r["type"] != "drill_ended")
    t = round(when * end, 3)
    member = next((m.name for m in roster.members if action.role in m.roles), roster.members[0].name)
    duration = float(action.duration if isinstance(action.duration, float) else action.duration.mode)
    done = min(t + duration, end)
    added = [
        {"t": t, "type": "action_submitted", "action": action.id, "by": member, "source": "participant", "input": True},
        {
            "t": t,
            "type": "action_started",
            "action": action.id,
            "member": member,
            "role_match": True,
            "duration": duration,
            "waited": 0.0,
        },
        {
            "t": t,
            "type": "penalty",
            "points": action.penalty.points,
            "reason": action.penalty.reason,
            "source": f"action:{action.id}",
        },
        {
            "t": done,
            "type": "action_finished",
            "action": action.id,
            "member": member,
            "success": True,
            "text": action.outcome or action.label,
        },
    ]
    first, rest = records[0], records[1:]
    merged = sorted([*rest, *added], key=lambda r: float(r["t"]))  # stable: the team's own order stays
    return [first, *merged]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario_id=st.sampled_from(SCENARIOS),
    seed=st.integers(0, 10_000),
    delays=st.lists(st.integers(0, 240), min_size=1, max_size=6),
    pick=st.integers(0, 50),
    when=st.floats(0.0, 1.0),
)
def test_a_dont_never_raises_the_score(scenario_id: str, seed: int, delays: list[int], pick: int, when: float) -> None:
    scenario, roster = world(scenario_id)
    records = team_journal(scenario, roster, seed, delays)
    without = score(records)
    with_it = score(with_dont(records, scenario, roster, pick, when))
    assert with_it.score.total <= without.score.total
    assert with_it.score.earned <= without.score.earned + 1e-9
    for a, b in zip(with_it.objectives, without.objectives, strict=True):
        assert RANK[a.computed] >= RANK[b.computed], (a.id, a.computed, b.computed, a.computed_reason)
