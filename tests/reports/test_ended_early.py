"""A drill ended before a target's time (#18): the report says "not reached before the drill ended", not "never".

Each case is the tiny scenario (impact 01:00, page 02:00; acknowledged due 2 min and contained 10 min
from impact, so at 03:00 and 11:00; the first update 5 min from impact, so 06:00; the contained lesson's
``not_by`` 10:00) with the team doing nothing after the page and the drill ending at ``end``. The
words a team reads (score terms, objective ratings, findings, the interval table, the AAR's
improvement plan) are checked against the rule: "never" only where the target passed during the drill.
The scoring rule does not change: a target the drill ended before still earns no credit.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest
from drillsim.reports.facts import DrillFacts
from drillsim.reports.lessons import findings_from
from drillsim.reports.render import render_report
from drillsim.reports.scoring import Scorecard, score_facts
from journal_builder import JournalBuilder, tiny_roster, tiny_scenario


def scenario() -> dict[str, Any]:
    """The tiny scenario with a detection target too (3 min from impact: 04:00)."""
    data = copy.deepcopy(tiny_scenario())
    data["scoring"]["milestones"] = {"detected": {"label": "Detected", "target": "3m"}, **data["scoring"]["milestones"]}
    return data


def journal(end: float, reason: str = "facilitator") -> list[dict[str, Any]]:
    b = JournalBuilder(scenario(), tiny_roster())
    b.impact(60, "leak")
    b.inject(120, "page")
    b.add(120, "page", member="Bo", reason="alert: page", available_at=180)
    b.end(end, reason=reason)
    return b.sorted_records()


def judged(end: float, reason: str = "facilitator") -> tuple[Scorecard, dict[str, Any], str]:
    records = journal(end, reason)
    facts = DrillFacts.from_records(records)
    card = score_facts(facts)
    found = {f.rule: f for f in findings_from(facts, card)}
    return card, found, render_report(records, figures=False).markdown


def term(card: Scorecard, item: str) -> str:
    return next(t.detail for t in card.score.terms if t.item == item)


def measure(card: Scorecard, objective: str, name: str) -> Any:
    rating = next(o for o in card.objectives if o.id == objective)
    return next(m for m in rating.measures if m.measure == name)


def interval_row(markdown: str, name: str) -> str:
    escaped = name.replace("_", "\\_")
    return next(line for line in markdown.splitlines() if f"({escaped})" in line and line.startswith("|"))


@dataclass
class Case:
    name: str
    end: float
    item: str
    """A score term's item (a milestone, or ``first_update``)."""
    term_starts: str
    interval: str | None
    interval_status: str | None


CASES = [
    # the facilitator ends at 04:00: acknowledged (due 03:00) passed, contained (due 11:00) did not
    Case("ack passed during the drill", 240, "acknowledged", "never, target 02:00", "ack_from_impact", "never"),
    Case(
        "contained cut short",
        240,
        "contained",
        "not reached before the drill ended at 04:00 (target 10:00)",
        "contain_from_impact",
        "not reached before the drill ended at 04:00",
    ),
    Case(
        "first update cut short",
        240,
        "first_update",
        "not sent before the drill ended at 04:00, target 05:00",
        "first_update_from_impact",
        "not reached before the drill ended at 04:00",
    ),
    # ended at 12:00: every target passed during the drill, so "never" is the fair word
    Case("contained passed", 720, "contained", "never, target 10:00", "contain_from_impact", "never"),
    Case("first update passed", 720, "first_update", "none, target 05:00", "first_update_from_impact", "never"),
    # the drill ended itself (time limit) before the target: the same words, whoever ended it
    Case(
        "time limit before the target",
        300,
        "contained",
        "not reached before the drill ended at 05:00 (target 10:00)",
        "contain_from_impact",
        "not reached before the drill ended at 05:00",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_words_for_what_the_drill_ended_before(case: Case) -> None:
    card, _, markdown = judged(case.end, "time_limit" if case.name.startswith("time limit") else "facilitator")
    assert term(card, case.item).startswith(case.term_starts)
    if case.interval is not None:
        assert interval_row(markdown, case.interval).rstrip(" |").endswith(case.interval_status)


def test_a_target_the_drill_ended_before_still_earns_nothing() -> None:
    """The scoring rule is unchanged: ended early is not a win (docs/scoring.md, "A drill ended early")."""
    early, _, _ = judged(240)
    late, _, _ = judged(720)
    for item in ("contained", "first_update", "acknowledged"):
        assert next(t.credit for t in early.score.terms if t.item == item) == 0.0
        assert next(t.credit for t in late.score.terms if t.item == item) == 0.0
    assert measure(early, "contain", "contained").status == "missed"  # the rating counts it as not done
    assert next(o.computed for o in early.objectives if o.id == "contain") == "U"


@pytest.mark.parametrize(
    ("end", "cut_short", "reason_has", "detail_has"),
    [
        (
            240,
            True,
            "critical tasks not performed: Contained: not reached before the drill ended",
            "Contained: not reached before the drill ended at 04:00 (target 10:00)",
        ),
        (
            720,
            False,
            "critical tasks not performed: Contained: never reached",
            "Contained: never reached (target 10:00)",
        ),
    ],
)
def test_the_objective_rating_says_why(end: float, cut_short: bool, reason_has: str, detail_has: str) -> None:
    card, _, _ = judged(end)
    found = measure(card, "contain", "contained")
    assert found.cut_short is cut_short and found.detail == detail_has
    assert reason_has in next(o.computed_reason for o in card.objectives if o.id == "contain")
    tell = measure(card, "tell", "communication")
    assert tell.cut_short is cut_short
    assert tell.detail == (
        "no update before the drill ended at 04:00 (first update target 05:00)" if cut_short else "no update"
    )


@pytest.mark.parametrize(
    ("end", "rule", "title", "status"),
    [
        (240, "scenario:1", "Contained not reached before the drill ended at 04:00 (due by 10:00)", "not_reached"),
        (660, "scenario:1", "Contained never happened during the drill", "never"),  # not_by 10:00 passed
        (240, "no-update", "No stakeholder update was sent before the drill ended at 04:00", None),
        (720, "no-update", "No stakeholder update was sent", None),
        (200, "slow-detection", "The alert was not acknowledged before the drill ended at 03:20", None),
        (720, "slow-detection", "Nobody acknowledged the alert", None),
    ],
)
def test_findings_say_the_drill_ended(end: float, rule: str, title: str, status: str | None) -> None:
    _, found, markdown = judged(end)
    assert found[rule].title == title
    assert found[rule].status == status
    assert title in markdown  # the AAR's issue and the improvement plan use the same title
    if status == "not_reached":
        assert "Contained never happened" not in markdown


def test_the_report_names_who_ended_it() -> None:
    _, _, markdown = judged(240)
    assert "| Ended | 04:00 (facilitator) |" in markdown


def _cut_short_evidence(records: list[dict[str, Any]]) -> list[str]:
    facts = DrillFacts.from_records(records)
    found = {f.rule: f for f in findings_from(facts, score_facts(facts))}
    assert found["scenario:1"].status == "not_reached"
    return found["scenario:1"].evidence


def test_a_target_the_drill_ended_before_says_how_far_the_team_got() -> None:
    """The title says when the drill ended; the evidence says what became of the action that reaches it,
    not the title again."""
    assert _cut_short_evidence(journal(240)) == ["'Roll back' was never asked for"]

    b = JournalBuilder(scenario(), tiny_roster())
    b.impact(60, "leak")
    b.add(190, "action_submitted", action="rollback", by="Bo", source="participant", input=True, wall="w")
    b.add(200, "action_started", action="rollback", member="Bo", role_match=True, duration=120.0, waited=10.0)
    b.end(240)
    assert _cut_short_evidence(b.sorted_records()) == [
        "'Roll back' was under way when the drill ended (started at 03:20)"
    ]

    b = JournalBuilder(scenario(), tiny_roster())
    b.impact(60, "leak")
    b.action(100, "rollback", "Bo", success=False, duration=60)
    b.end(240)
    assert _cut_short_evidence(b.sorted_records()) == ["'Roll back' failed at 02:40"]
