"""Judgment, not only timing (#14): a journal built for each case, and what the score and the debrief say.

Each case is a short story on the tiny scenario (impact 01:00, page 02:00, the CEO's decision at
04:00; targets: acknowledged 2 min and contained 10 min from impact, first update 5 min, cadence
10 min, a 10-minute GDPR clock), told with ``JournalBuilder`` and checked against the scorecard and
the findings a team would read.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from drillsim.reports.facts import DrillFacts
from drillsim.reports.lessons import Finding, findings_from
from drillsim.reports.scoring import Par, ParBasis, ParValue, Scorecard, score_facts, with_par
from journal_builder import JournalBuilder, tiny_roster, tiny_scenario


def scenario(**changes: Any) -> dict[str, Any]:
    """The tiny scenario with a poor and a harmful option on the CEO's decision, and a press statement."""
    data = copy.deepcopy(tiny_scenario())
    data["actions"] += [
        {
            "id": "promise",
            "label": "Promise a fix in five minutes",
            "role": "crisis-lead",
            "duration": "30s",
            "communication": "executive",
        },
        {"id": "shrug", "label": "Say we are looking into it", "role": "crisis-lead", "duration": "30s"},
        {
            "id": "deny",
            "label": "Tell the press nothing was exposed",
            "role": "communications-manager",
            "duration": "30s",
            "communication": {"kind": "press", "sound": False},
        },
    ]
    boss = data["injects"][1]["decision"]
    boss["options"] = ["brief", "promise", "shrug"]
    boss["quality"] = {
        "brief": {"quality": "sound", "why": "Facts and the next update time."},
        "promise": {"quality": "harmful", "why": "A fix time nobody can keep."},
        "shrug": {"quality": "poor", "why": "Says nothing useful."},
    }
    boss["on_timeout"] = {"text": "The CEO is angry.", "penalty": {"points": 5, "reason": "CEO left waiting"}}
    data.update(changes)
    return data


def base(b: JournalBuilder, *, ack: bool = True, rollback: bool = True, status: bool = True) -> None:
    """A competent team: acknowledges at 02:00, rolls back at 02:30, posts the status page at 02:30."""
    b.impact(60, "leak")
    b.inject(120, "page")
    b.add(120, "page", member="Bo", reason="alert: page", available_at=180)
    if ack:
        b.action(120, "ack", "Ana")
    if rollback:
        b.action(150, "rollback", "Bo")
    if status:
        b.action(150, "status", "Cy")
        b.action(600, "status", "Cy")
    b.inject(240, "boss")


@dataclass
class Case:
    name: str
    story: Callable[[JournalBuilder], None]
    check: Callable[[Scorecard, dict[str, Finding]], None]


def answer(b: JournalBuilder, option: str, t: float = 260) -> None:
    b.add(t, "decision_answered", inject="boss", action=option, input=True)
    b.action(t, option, "Ana", source="decision")


def _dont_as_update(b: JournalBuilder) -> None:
    base(b, status=False)
    answer(b, "brief")
    b.action(200, "deny", "Cy")
    b.action(230, "blame", "Cy")


def _check_dont_as_update(card: Scorecard, found: dict[str, Finding]) -> None:
    comm = card.communication
    assert [(s.action, s.counted) for s in comm.statements] == [("deny", False), ("blame", False), ("brief", True)]
    assert comm.external_updates == 0 and card.moment("first_external_update") is None
    assert comm.first_update_at == 320  # the executive brief, not the denial at 03:50
    assert "communication" not in found  # a don't is never a strength
    tell = next(o for o in card.objectives if o.id == "tell")
    assert tell.computed == "M" and "a don't in scope: 03:50 Unverified speculation" in tell.computed_reason


def _harmful_option(b: JournalBuilder) -> None:
    base(b)
    answer(b, "promise")


def _check_harmful_option(card: Scorecard, found: dict[str, Finding]) -> None:
    (decision,) = card.people.decisions
    assert (decision.quality, decision.why) == ("harmful", "A fix time nobody can keep.")
    term = next(t for t in card.score.terms if t.component == "decisions")
    assert term.credit == 0.0 and "is harmful (A fix time nobody can keep.)" in term.detail
    assert "decisions" not in found  # never a strength
    assert found["decision-quality"].evidence == [
        "'What is going on?' (04:00): 'Promise a fix in five minutes' is harmful: A fix time nobody can keep."
    ]
    tell = next(o for o in card.objectives if o.id == "tell")
    assert tell.computed == "M" and "harmful choice 'Promise a fix in five minutes'" in tell.computed_reason


def _poor_option(b: JournalBuilder) -> None:
    base(b)
    answer(b, "shrug")


def _check_poor_option(card: Scorecard, found: dict[str, Finding]) -> None:
    term = next(t for t in card.score.terms if t.component == "decisions")
    assert term.credit == 0.5
    assert "is poor" in found["decision-quality"].evidence[0]


def _moot_decision(b: JournalBuilder) -> None:
    base(b)
    b.action(230, "brief", "Ana")  # briefed the CEO while the question was open
    b.add(290, "decision_resolved", inject="boss", action="brief", done=True, text="Already answered.")


def _check_moot_decision(card: Scorecard, found: dict[str, Finding]) -> None:
    (decision,) = card.people.decisions
    assert (decision.timed_out, decision.resolved_by, decision.quality) == (False, "brief", "sound")
    term = next(t for t in card.score.terms if t.component == "decisions")
    assert term.credit == 1.0 and term.detail.startswith("resolved at 04:50 by what the team had done")
    assert "decision-timeout" not in found and "penalties" not in found
    assert "decisions" in found  # settled with a sound option


def _timed_out_decision(b: JournalBuilder) -> None:
    base(b)
    b.add(360, "decision_timed_out", inject="boss", text="The CEO is angry.")
    b.add(360, "penalty", points=5, reason="CEO left waiting", source="decision:boss")


def _check_timed_out_decision(card: Scorecard, found: dict[str, Finding]) -> None:
    term = next(t for t in card.score.terms if t.component == "decisions")
    assert term.credit == 0.0
    (penalty,) = card.penalties
    assert penalty.counted is False and card.score.penalties == 0  # charged once: the 0 credit
    rows = [f for f in found.values() if f.kind == "improvement" and "CEO" in " ".join(f.evidence)]
    assert [f.rule for f in rows] == ["decision-timeout"]  # one missed decision, one row


def _idle(b: JournalBuilder) -> None:
    b.impact(60, "leak")
    b.inject(120, "page")
    b.add(120, "page", member="Bo", reason="alert: page", available_at=180)
    b.milestone(130, "acknowledged")  # even a milestone a condition marks is no team credit
    b.inject(240, "boss")
    b.add(360, "decision_timed_out", inject="boss", text="The CEO is angry.")


def _check_idle(card: Scorecard, found: dict[str, Finding]) -> None:
    assert [t.credit for t in card.score.terms if t.component != "penalties"] == [0.0] * 6
    ack = next(t for t in card.score.terms if t.item == "acknowledged")
    assert "without the team acting: no team credit" in ack.detail
    assert card.score.total == 0.0
    assert [f for f in found.values() if f.kind == "strength"] == []
    assert card.detection is not None and card.detection.ack_at is None
    assert card.interval("ack_from_first_alert").seconds is None


def _dont_in_scope(b: JournalBuilder) -> None:
    base(b)
    answer(b, "brief")
    b.action(400, "blame", "Cy")


def _check_dont_in_scope(card: Scorecard, found: dict[str, Finding]) -> None:
    ratings = {o.id: (o.computed, o.computed_reason) for o in card.objectives}
    assert ratings["tell"][0] == "M"  # all measures met; the don't caps it
    assert "06:40 Unverified speculation (-10)" in ratings["tell"][1]
    assert ratings["contain"][0] == "P"  # not in its scope
    assert card.penalties[0].scope == ["tell"]


def _never_vs_late(b: JournalBuilder) -> None:
    base(b, rollback=False)
    answer(b, "brief")


def _check_never_vs_late(card: Scorecard, found: dict[str, Finding]) -> None:
    lesson = found["scenario:1"]
    assert lesson.status == "never" and lesson.title == "Contained never happened during the drill"
    contained = next(t for t in card.score.terms if t.item == "contained")
    assert contained.detail.startswith("never, target 10:00")
    contain = next(o for o in card.objectives if o.id == "contain")
    assert contain.computed == "U" and "Contained: never reached (target 10:00)" in contain.computed_reason


def _late(b: JournalBuilder) -> None:
    base(b, rollback=False)
    answer(b, "brief")
    b.action(840, "rollback", "Bo")  # contained 15:00: 14:00 from impact, target 10:00


def _check_late(card: Scorecard, found: dict[str, Finding]) -> None:
    lesson = found["scenario:1"]
    assert lesson.status == "late" and lesson.title == "The rollback was late."
    contained = next(t for t in card.score.terms if t.item == "contained")
    assert contained.detail.startswith("14:00 from impact, late by 04:00")
    assert contained.credit == pytest.approx(0.48)  # 0.8 at the target, 0 at twice it: 0.8 x (1 - 4/10)


def _premature(b: JournalBuilder) -> None:
    b.action(30, "status", "Cy")  # before the impact, before any signal
    base(b)
    answer(b, "brief")


def _check_premature(card: Scorecard, found: dict[str, Finding]) -> None:
    first = card.communication.statements[0]
    assert (first.t, first.premature, first.counted) == (90.0, True, False)
    assert found["premature-statement"].evidence == ["01:30 'Status page'; first signal at 02:00"]


def _below_zero(b: JournalBuilder) -> None:
    _idle(b)
    for t in (400, 500, 600):
        b.action(t, "blame", "Cy")


def _check_below_zero(card: Scorecard, found: dict[str, Finding]) -> None:
    assert card.score.earned == 0.0 and card.score.penalties == 30
    assert card.score.total == -30.0  # never clamped: worse than idle shows


CASES = [
    Case("a don't is never an update", _dont_as_update, _check_dont_as_update),
    Case("a harmful option scores 0 and caps the objective", _harmful_option, _check_harmful_option),
    Case("a poor option scores half", _poor_option, _check_poor_option),
    Case("a moot decision resolves itself", _moot_decision, _check_moot_decision),
    Case("a timed-out decision costs once", _timed_out_decision, _check_timed_out_decision),
    Case("an idle team earns nothing", _idle, _check_idle),
    Case("a penalty rates only its objective", _dont_in_scope, _check_dont_in_scope),
    Case("never reads never", _never_vs_late, _check_never_vs_late),
    Case("late reads late", _late, _check_late),
    Case("a statement before any signal", _premature, _check_premature),
    Case("the score is not clamped", _below_zero, _check_below_zero),
]


def judge(b: JournalBuilder) -> tuple[Scorecard, dict[str, Finding]]:
    facts = DrillFacts.from_records(b.sorted_records())
    card = score_facts(facts)
    return card, {f.rule: f for f in findings_from(facts, card)}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_judgment(case: Case) -> None:
    b = JournalBuilder(scenario(), tiny_roster())
    case.story(b)
    b.end(900)
    card, found = judge(b)
    case.check(card, found)


@pytest.mark.parametrize(
    ("seconds", "beaten"),
    [(140.0, False), (100.0, True)],  # faster than par's median only, then faster than its p10 too
)
def test_faster_than_par_only_beyond_its_spread(seconds: float, beaten: bool) -> None:
    b = JournalBuilder(scenario(), tiny_roster())
    b.impact(60, "leak")
    b.inject(120, "page")
    b.action(60 + seconds - 30, "ack", "Ana")
    b.end(900)
    facts = DrillFacts.from_records(b.sorted_records())
    par = Par(
        basis=ParBasis(policy="playbook", runs=101, seed=0),
        values={"ack_from_impact": ParValue(p10=120.0, median=150.0, p90=200.0)},
    )
    card = with_par(score_facts(facts), par)
    found = {f.rule: f for f in findings_from(facts, card)}
    assert ("par-beaten" in found) is beaten
    if beaten:  # the strength says what was faster: it reads alone in the executive summary
        label = next(i.label for i in card.intervals if i.name == "ack_from_impact")
        assert found["par-beaten"].title.startswith(f"{label} faster than par")


def test_several_faster_than_par_read_as_one_sentence() -> None:
    """The strength names each interval beaten; after the first, each label is lower-cased as in a sentence
    (the executive summary lower-cases only the title's first letter), acronyms kept."""
    b = JournalBuilder(scenario(), tiny_roster())
    b.impact(60, "leak")
    b.inject(120, "page")
    b.action(130, "ack", "Ana")
    b.action(200, "rollback", "Ana")
    b.end(900)
    facts = DrillFacts.from_records(b.sorted_records())
    fast = ParValue(p10=600.0, median=700.0, p90=800.0)
    par = Par(
        basis=ParBasis(policy="playbook", runs=101, seed=0),
        values={"ack_from_impact": fast, "contain_from_impact": fast},
    )
    card = with_par(score_facts(facts), par)
    found = {f.rule: f for f in findings_from(facts, card)}
    assert found["par-beaten"].title.startswith("Acknowledged and contained faster than par")


def test_reached_before_what_the_playbook_does_first_is_not_fast() -> None:
    """Contained "faster than par" by a team that never acknowledged (par acknowledges first) is out of order:
    no strength. The same containment after an acknowledgement is one (the test above)."""
    b = JournalBuilder(scenario(), tiny_roster())
    b.impact(60, "leak")
    b.inject(120, "page")
    b.action(200, "rollback", "Ana")
    b.end(900)
    facts = DrillFacts.from_records(b.sorted_records())
    card = score_facts(facts)
    assert next(i for i in card.intervals if i.name == "contain_from_impact").seconds is not None
    fast = ParValue(p10=600.0, median=700.0, p90=800.0)
    values = {"ack_from_impact": ParValue(p10=100.0, median=150.0, p90=200.0), "contain_from_impact": fast}
    card = with_par(card, Par(basis=ParBasis(policy="playbook", runs=101, seed=0), values=values))
    found = {f.rule: f for f in findings_from(facts, card)}
    assert "par-beaten" not in found


def test_the_milestone_strength_says_how_many_were_met() -> None:
    b = JournalBuilder(scenario(), tiny_roster())
    b.impact(60, "leak")
    b.inject(62, "page")
    b.action(64, "ack", "Ana")
    b.end(900)
    card, found = judge(b)
    targets = [t for t in card.score.terms if t.component == "milestones"]
    assert len(targets) > 1
    assert found["targets-met"].title == f"Acknowledged on time (1 of {len(targets)} milestone targets)"


def test_an_explicit_objective_takes_the_penalty() -> None:
    data = scenario()
    blame = next(a for a in data["actions"] if a["id"] == "blame")
    blame["penalty"]["objective"] = "contain"
    b = JournalBuilder(data, tiny_roster())
    _dont_in_scope(b)
    b.end(900)
    card, _ = judge(b)
    ratings = {o.id: o.computed for o in card.objectives}
    assert ratings["contain"] == "M" and ratings["tell"] == "P"


@pytest.mark.parametrize(
    ("policy", "drills", "who"),
    [
        (
            "reference",
            "nine reference-team drills in ten",
            "for the reference team (the playbook played with realistic delays).",
        ),
        ("playbook", "nine playbook drills in ten", "for the playbook."),
    ],
)
def test_par_is_named_for_who_played_it(policy: str, drills: str, who: str) -> None:
    """Par is the reference team's (the playbook with realistic delays); the report said 'a par of 92.2 for
    the playbook response' and 'quicker than nine playbook drills in ten'."""
    from drillsim.reports.aar import build_aar

    b = JournalBuilder(scenario(), tiny_roster())
    b.impact(60, "leak")
    b.inject(120, "page")
    b.action(130, "ack", "Ana")
    b.end(900)
    facts = DrillFacts.from_records(b.sorted_records())
    par = Par(
        basis=ParBasis(policy=policy, runs=101, seed=0),
        values={
            "ack_from_impact": ParValue(p10=600.0, median=700.0, p90=800.0),
            "score": ParValue(p10=70.0, median=80.0, p90=90.0),
        },
    )
    card = with_par(score_facts(facts), par)
    found = findings_from(facts, card)
    assert f"(quicker than {drills})" in next(f.title for f in found if f.rule == "par-beaten")
    assert f"against a par of 80 {who}" in build_aar(facts, card, found)["executive_summary"][0]
