"""Findings: the scenario's lesson rules and the generic rules every drill gets."""

from __future__ import annotations

from drillsim.reports.lessons import findings


def rules(found):
    return {f.rule: f for f in found}


def test_seed_timeline_has_only_strengths(journal):
    found = findings(journal("flash-sale-seed"))
    assert all(f.kind == "strength" for f in found)
    assert {"targets-met", "communication", "no-penalties", "decisions"} <= set(rules(found))


def test_late_drill_raises_scenario_lessons_with_evidence_and_due_dates(journal):
    found = rules(findings(journal("flash-sale-late")))
    late = found["scenario:1"]
    assert late.kind == "improvement"
    assert late.evidence == ["Contained (rollback done) reached at 13:00, after 10:00"]
    assert late.owner == "ai-ops-engineer"
    assert late.due == "2025-10-18"  # drill date 2025-09-18 + 30 days
    assert found["scenario:4"].due == "2025-10-02"  # due: 14d
    assert "not reached by the end of the drill" in found["scenario:4"].evidence[0]
    assert "done at 06:00 by Casey" in found["scenario:2"].evidence[0]
    assert found["scenario:5"].evidence[0].endswith("timed out at 11:00")
    assert late.status == "late" and found["scenario:4"].status == "never"
    assert found["scenario:4"].title == "Root cause identified never happened during the drill"
    # every penalty is already a row: the scenario's lessons on blame-cdn and promise-eta, and the
    # CEO's timed-out decision (scenario:5) - one missed decision is one row, not three
    assert "penalties" not in found and "decision-timeout" not in found
    assert found["no-update"].evidence[1:] == [
        "04:00 'Activate the incident playbook and open #ai-crisis' did not count: internal coordination, not a stakeholder update",
        "06:00 'Tell customers the CDN provider is at fault' did not count: a don't (penalised): never an update",
        "08:35 'Promise the CEO a full fix in five minutes' did not count: a don't (penalised): never an update",
    ]
    assert found["role-mismatch"].evidence[0].startswith("10:30 Avery")
    assert found["load"].evidence == ["Avery took 4 of 7 actions (57%); busy 03:55"]


def test_generic_rules_on_a_bad_drill(journal):
    found = rules(findings(journal("tiny-bad")))
    assert "scenario:1" not in found  # contained at 7:00 from impact, before 10:00
    assert found["scenario:3"].evidence == ["Error rate above 10% from 01:00 (held at least 01:00)"]
    assert found["clock-missed:gdpr"].owner == "compliance-officer"
    assert found["compliance-not-involved"].kind == "improvement"
    assert found["load"].title == "Bo carried most of the work"
    assert found["no-update"].kind == "improvement"  # blaming the vendor is no update
    assert found["decision-timeout"].kind == "improvement"
    assert len(found["role-mismatch"].evidence) == 3
    assert "no-penalties" not in found


def test_clock_never_started_and_missing_role(journal):
    records = journal("tiny-good")
    # drop the clock and make the roster lack a communications manager
    records = [r for r in records if r["type"] not in ("clock_started", "clock_met")]
    start = dict(records[0])
    roster = dict(start["roster"])
    roster["members"] = [dict(m) for m in roster["members"]]
    roster["members"][2]["roles"] = ["compliance-officer"]
    start["roster"] = roster
    found = rules(findings([start, *records[1:]]))
    assert found["clock-never-started:gdpr"].kind == "improvement"
    assert found["role-missing:communications-manager"].title.startswith(
        "Nobody on the roster is a Communications manager"
    )


def test_no_update_at_all(journal):
    records = [r for r in journal("tiny-good") if r.get("action") not in ("status", "brief")]
    found = rules(findings(records))
    assert found["no-update"].owner == "communications-manager"


def test_evidence_reads_as_one_sentence_without_a_full_stop_before_each_semicolon() -> None:
    """Two timed-out decisions' consequences read 'the exposure grows.; 'What does the reporter get?''."""
    from drillsim.reports.lessons import clauses

    assert clauses(["the exposure grows.", "'What does the reporter get?' timed out.", "last."]) == (
        "the exposure grows; 'What does the reporter get?' timed out; last."
    )
    assert clauses(["wait...", "done"]) == "wait...; done"
    assert clauses([]) == ""
