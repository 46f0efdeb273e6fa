"""Cross-reference checks: references resolve, ids are unique, times fit, rosters cover the roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillsim.simulator.checks import check_roster, check_roster_covers, check_scenario
from drillsim.simulator.loading import check_text, load_roster, load_roster_text, load_scenario
from drillsim.simulator.model import Member, Roster, Scenario

DATA = Path(__file__).parent / "data"
TINY = (DATA / "valid" / "tiny.yaml").read_text()


def problems_of(text: str) -> list[str]:
    _, problems = check_text(text, "t.yaml")
    return [f"{p.line}:{p.col}: {p.where}: {'warning: ' if p.level == 'warning' else ''}{p.message}" for p in problems]


def edited(old: str, new: str, text: str = TINY) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_tiny_has_no_problems() -> None:
    assert problems_of(TINY) == []


def test_everything_fixture_uses_every_condition_kind() -> None:
    scenario = load_scenario(DATA / "valid" / "everything.yaml")
    from drillsim.simulator.checks import conditions

    kinds = {condition.kind for _, condition in conditions(scenario)}
    assert kinds == {"metric", "milestone", "action", "clock", "decision"}


def test_checks_without_a_source_map_give_no_positions() -> None:
    scenario = load_scenario(DATA / "valid" / "tiny.yaml")
    broken = scenario.model_copy(update={"playbook": [scenario.playbook[0].model_copy(update={"action": "nope"})]})
    problems = check_scenario(broken, path="code")
    assert [(p.line, p.col, p.where, p.message) for p in problems] == [
        (None, None, "playbook[0].action", "unknown action 'nope'; choose from: brief, rollback")
    ]


def test_requires_may_name_an_action() -> None:
    text = edited("    communication: internal\n", "    communication: internal\n    requires: [rollback]\n")
    assert problems_of(text) == []


def test_an_action_cannot_require_itself() -> None:
    text = edited("    communication: internal\n", "    communication: internal\n    requires: [brief]\n")
    assert problems_of(text) == ["46:16: actions[1].requires[0]: an action cannot require itself"]


def test_milestone_never_reached_is_a_warning() -> None:
    text = edited("    contained: {target: 10m}\n", "    contained: {target: 10m}\n    resolved: {target: 20m}\n")
    assert problems_of(text) == [
        "50:5: scoring.milestones.resolved: warning: milestone 'resolved' can never be reached: "
        "no action marks it and it has no 'when'"
    ]


def test_a_milestone_target_as_long_as_the_drill_is_a_warning() -> None:
    """'target: 2h' in a 30-minute drill validated silently: measured from impact, it can never be late."""
    assert problems_of(edited("    contained: {target: 10m}\n", "    contained: {target: 30m}\n")) == [
        "49:25: scoring.milestones.contained.target: warning: milestone 'contained' has a target of 30m, not "
        "shorter than the drill (30m): measured from impact, it can never be late; shorten it"
    ]
    assert problems_of(edited("    contained: {target: 10m}\n", "    contained: {target: 29m}\n")) == []


def test_unknown_default_roster_is_a_warning() -> None:
    text = edited("duration: 30m\n", "duration: 30m\ndefault_roster: crisis-teem\n")
    (problem,) = problems_of(text)
    assert problem.startswith("9:17: default_roster: warning: unknown built-in roster 'crisis-teem'")
    assert "did you mean 'crisis-team'?" in problem


def test_objectives_measure_milestones_clocks_or_communication() -> None:
    objective = "objectives:\n  - {id: o, text: T, capability: Detect, target: fast, measures: [contained, communication, nope]}\n"
    problems = problems_of(edited("duration: 30m\n", "duration: 30m\n" + objective))
    assert problems == [
        "10:78: objectives[0].measures[1]: warning: 'communication' is measured but scoring.communication sets no targets",
        "10:93: objectives[0].measures[2]: unknown milestone or clock 'nope'; "
        "choose from: communication, contained, detected",
    ]


def test_clock_references_are_checked() -> None:
    clock = "clocks:\n  - {id: c, regime: GDPR, starts_on: brief, deadline: 72h, satisfied_by: notify}\n"
    problems = problems_of(edited("scoring:\n", clock + "scoring:\n"))
    assert problems == ["47:74: clocks[0].satisfied_by: unknown action 'notify'; choose from: brief, rollback"]


def test_condition_references_are_checked() -> None:
    text = edited("  - when: {milestone: contained, not_by: 10m}", "  - when: {clock: gdpr, missed: true}")
    assert problems_of(text) == ["54:19: lessons[0].when.clock: unknown clock 'gdpr': this scenario declares none"]
    text = edited(
        "when: {metric: latency_ms, above: 300}\n    channel", "when: {metric: latency, above: 300}\n    channel"
    )
    assert problems_of(text) == ["19:20: injects[0].when.metric: unknown metric 'latency' (did you mean 'latency_ms'?)"]


def test_duplicate_ids_of_each_kind() -> None:
    text = edited("  - id: boss\n", "  - id: page\n")
    assert problems_of(text) == ["24:9: injects[1].id: duplicate inject id 'page' (first at injects[0], line 18)"]


def test_playbook_step_at_the_end_of_the_drill_never_happens() -> None:
    text = edited("{at: 3m, action: rollback}", "{at: 30m, action: rollback}")
    assert problems_of(text) == [
        "52:10: playbook[0].at: at 30m is not within the drill (duration 30m); it would never happen"
    ]


def test_roster_member_names_unique() -> None:
    roster = Roster(id="r", team="T", members=[Member(name="A", roles=["deputy"]), Member(name="A", roles=["scribe"])])
    assert [p.message for p in check_roster(roster)] == ["duplicate member name 'A' (first at members[0])"]


def test_roster_covers_gives_warnings_for_missing_roles() -> None:
    scenario = load_scenario(DATA / "valid" / "tiny.yaml")
    roster = load_roster_text("id: solo\nteam: Solo\nmembers:\n  - {name: Ana, roles: [crisis-lead]}\n")
    problems = check_roster_covers(scenario, roster)
    assert [(p.level, p.where, p.message) for p in problems] == [
        (
            "warning",
            "actions[0].role",
            "no one on roster 'solo' holds the role 'ai-ops-engineer' (others can act, slower and less reliably)",
        )
    ]
    assert check_roster_covers(scenario, load_roster(DATA / "valid" / "roster.yaml")) == []


def test_roster_covers_checks_playbook_members() -> None:
    scenario = load_scenario(DATA / "valid" / "everything.yaml")
    roster = load_roster(DATA / "valid" / "roster.yaml")
    messages = [p.message for p in check_roster_covers(scenario, roster)]
    assert "'Blake' is not a member of roster 'pair'; members: Ana, Bo" in messages
    assert all(p.level == "warning" for p in check_roster_covers(scenario, roster))


@pytest.mark.parametrize("roles_needed", [["crisis-lead"]])
def test_roles_needed_comes_from_the_model(roles_needed: list[str]) -> None:
    scenario = Scenario.model_validate(
        {
            "id": "s",
            "title": "S",
            "category": "capacity",
            "severity": "SEV5",
            "summary": "S",
            "duration": 60,
            "metrics": {"m": {"baseline": 1}},
            "actions": [{"id": "a", "label": "A", "role": roles_needed[0]}],
        }
    )
    assert check_scenario(scenario) == []
    assert scenario.roles_needed == roles_needed
