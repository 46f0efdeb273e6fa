"""The AAR/IP: every section in report.md, report.html and scorecard.json; one improvement-plan row
per problem; dates relative to the drill; the golden AAR/IP of the seed timeline drill with an
evaluator observation, two feedback forms and an exercise.yaml."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from drillsim.reports.aar import FEEDBACK_QUESTIONS, SECTIONS, build_aar, merge_issues
from drillsim.reports.exercise import ExerciseError, ExerciseInfo, critical_tasks, load_exercise
from drillsim.reports.facts import DrillFacts
from drillsim.reports.lessons import findings_from
from drillsim.reports.render import render_report, write_report
from drillsim.reports.scoring import score
from drillsim.simulator.replay import rebuild

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"
JOURNALS = DATA / "journals"
EXERCISE = DATA / "exercise" / "exercise.yaml"


OBSERVATION = {
    "type": "observation",
    "input": True,
    "objective": "contain-fast",
    "task": "action:rollback-model",
    "rating": "P",
    "text": "Blake rolled back on the change-log evidence, not on a hunch; announced it in #ai-crisis.",
    "author": "Evaluator: R. Ortiz",
    "wall": "2025-09-18T10:05:40+00:00",
}
FEEDBACK = [
    {
        "participant": "Dana R.",
        "ratings": {"structure": 5, "realism": 4, "role": 4, "plans": 5, "facilitation": 4},
        "answers": {"strengths": "Clear roles from the first page.", "improvements": "Practise the CDN triage."},
    },
    {
        "participant": "Lee M.",
        "ratings": {"structure": 4, "realism": 3, "role": 5, "plans": 4},
        "answers": {"comments": "More time for the status-page wording."},
    },
]


def kit_records(seed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The seed timeline drill's journal with an evaluator observation during play (05:30, as the
    rollback lands) and after it, and two participant feedback forms after the hotwash."""
    out: list[dict[str, Any]] = []
    for record in seed:
        out.append(record)
        if record.get("seq") == 24:
            out.append({"seq": 24, "t": 330.0, **OBSERVATION})
    end = float(seed[-1]["t"])
    seq = int(seed[-1]["seq"])
    out.append(
        {
            "seq": seq + 1,
            "t": end,
            **OBSERVATION,
            "objective": "communicate",
            "task": "communication",
            "rating": None,
            "text": "Status page went out before the CEO asked.",
            "author": "R. Ortiz",
        }
    )
    for n, form in enumerate(FEEDBACK, start=2):
        out.append({"seq": seq + n, "t": end, "type": "feedback", "input": True, **form})
    return out


@pytest.fixture
def kit(journal) -> list[dict[str, Any]]:
    return kit_records(journal("flash-sale-seed"))


def test_golden_aar_of_the_seed_drill(kit):
    md = render_report(kit, figures=False, exercise=load_exercise(EXERCISE)).markdown
    golden = JOURNALS / "flash-sale-kit.golden.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(md, encoding="utf-8")
    assert md == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["flash-sale-seed", "flash-sale-late", "hostile", "tiny-good"])
def test_every_aar_section_in_md_html_and_json(journal, name):
    rendered = render_report(journal(name), figures=False)
    data = json.loads(rendered.scorecard_json)
    for key, title in SECTIONS:
        assert f"## {title}" in rendered.markdown, title
        assert f"<h2>{title}</h2>" in rendered.html, title
        assert key in data["aar"], key
    overview = data["aar"]["overview"]
    for key in ("name", "type", "scope", "mission_areas", "threat", "sponsor", "participating_organisations"):
        assert overview[key], key
    assert overview["point_of_contact"] and overview["real_time_duration"]
    # the scorecard's own keys are unchanged beside it
    assert data["schema_version"] == 3 and "intervals" in data


def test_one_missed_decision_is_one_plan_row(journal):
    records = journal("flash-sale-late")
    facts = DrillFacts.from_records(records)
    card = score(records)
    found = findings_from(facts, card)
    rules = [f.rule for f in found if f.kind == "improvement"]
    # the CEO's unanswered question: the scenario's lesson; the timeout's penalty is charged once, as the
    # decision's credit, and is not a second row
    assert "scenario:5" in rules
    issues = merge_issues(found, facts, card)
    about_ceo = [i for i in issues if "decision:ceo-asks" in i.keys]
    assert len(about_ceo) == 1
    assert any("timed out at 11:00" in e for e in about_ceo[0].evidence)
    plan = build_aar(facts, card, found)["plan"]
    assert len(plan) == len(issues)
    assert len({p["issue"] for p in plan}) == len(plan)
    # the blame-cdn don't: its lesson and its penalty line are one row, not two
    assert sum("action:blame-cdn" in i.keys for i in issues) == 1


def test_plan_columns_dates_and_owners(journal):
    records = journal("flash-sale-late")
    facts = DrillFacts.from_records(records)
    card = score(records)
    plan = build_aar(facts, card, findings_from(facts, card))["plan"]
    for row in plan:
        assert row["element"] in ("Planning", "Organization", "Equipment", "Training", "Exercises")
        assert row["start"] == "2025-09-19"  # the day after the drill (HSEEP day 1)
        assert row["completion"] > row["start"]
        assert row["organisation"] == "Checkout crisis team"
    rollback = next(r for r in plan if r["issue"].startswith("The rollback came late"))
    assert rollback["completion"] == "2025-10-18"  # the lesson's due: 30 days after 2025-09-18
    assert rollback["contact"] == "AI ops engineer: Blake"
    assert rollback["element"] == "Equipment"  # "Automate the model rollback in CI/CD ..."
    correlate = next(r for r in plan if "Root cause identified" in r["issue"])
    assert correlate["completion"] == "2025-10-02"  # due: 14d


def test_exercise_settings_override_the_defaults(journal):
    records = journal("flash-sale-late")
    facts = DrillFacts.from_records(records)
    card = score(records)
    info = load_exercise(EXERCISE)
    aar = build_aar(facts, card, findings_from(facts, card), info)
    assert aar["overview"]["name"] == "Q3 checkout resilience drill"
    assert aar["overview"]["mission_areas"] == ["Response", "Recovery"]
    assert aar["overview"]["sponsor"] == "VP Engineering, Shop platform"
    rollback = next(r for r in aar["plan"] if r["issue"].startswith("The rollback came late"))
    assert (rollback["organisation"], rollback["contact"]) == ("ML platform team", "Sam K.")
    assert rollback["start"] == "2025-09-21" and rollback["element"] == "Training"
    fixed = ExerciseInfo(ip_completion_days=60)
    assert {r["completion"] for r in build_aar(facts, card, findings_from(facts, card), fixed)["plan"]} == {
        "2025-11-17"
    }


def test_observations_and_feedback_in_the_report(kit):
    rendered = render_report(kit, figures=False)
    aar = json.loads(rendered.scorecard_json)["aar"]
    contain = next(a for a in aar["analysis"] if a["id"] == "contain-fast")
    assert [o["t"] for o in contain["observations"]] == ["05:30"]
    assert contain["observations"][0]["task_text"] == "Roll back the recommender to v41"
    assert aar["feedback"]["forms"] == 2
    structure = next(q for q in aar["feedback"]["questions"] if q["id"] == "structure")
    assert (structure["responses"], structure["mean"], structure["distribution"]) == (2, "4.5", [0, 0, 0, 1, 1])
    facilitation = next(q for q in aar["feedback"]["questions"] if q["id"] == "facilitation")
    assert facilitation["responses"] == 1
    assert "Dana R.: Clear roles from the first page." in rendered.markdown
    assert "Blake rolled back on the change-log evidence" in rendered.html
    assert len(aar["feedback"]["questions"]) == len(FEEDBACK_QUESTIONS)


def test_observations_are_journaled_and_replayed_but_never_reach_the_feed(scenario, crisis):
    from drillsim.simulator.engine import Drill

    drill = Drill(scenario, crisis, seed=3)
    drill.advance_to(200)
    drill.observe("contain-fast", "action:rollback-model", "Nobody has looked at the change log yet.", "S")
    drill.end()
    drill.debrief("feedback", participant="Ira P.", ratings={"realism": 2}, answers={"comments": "Too easy."})
    with pytest.raises(ValueError):
        drill.observe("contain-fast", None, "x", rating="X")
    seen = [r for r in drill.records if r["type"] == "observation"]
    assert seen[0]["t"] == 200 and seen[0]["input"] and seen[0]["wall"] and seen[0]["rating"] == "S"
    assert not any("change log yet" in item.text for item in drill.view(feed_limit=10_000).feed)
    again = rebuild(drill.records)
    assert [r["type"] for r in again.records] == [r["type"] for r in drill.records]
    assert again.records[-1]["answers"] == {"comments": "Too easy."}


def test_write_report_reads_the_run_folders_exercise_yaml(tmp_path, journal):
    run = tmp_path / "run"
    run.mkdir()
    (run / "journal.jsonl").write_text((JOURNALS / "flash-sale-seed.jsonl").read_text())
    (run / "exercise.yaml").write_text(EXERCISE.read_text())
    paths = write_report(run, par=False, figures=False)
    assert "| Sponsor | VP Engineering, Shop platform |" in paths.markdown.read_text()
    (run / "exercise.yaml").write_text("sponsr: typo\n")
    paths = write_report(run, par=False, figures=False)
    assert any("sponsr" in w and "known keys" in w for w in paths.warnings)
    assert "| Sponsor | Checkout crisis team |" in paths.markdown.read_text()


def test_bad_exercise_file_is_one_line(tmp_path):
    bad = tmp_path / "exercise.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(ExerciseError) as err:
        load_exercise(bad)
    assert str(err.value).startswith(f"{bad}:") and "\n" not in str(err.value)


def test_critical_tasks_come_from_the_measures(scenario):
    tasks = critical_tasks(scenario)
    assert [t.id for t in tasks["contain-fast"]] == ["action:rollback-model", "milestone:recovered"]
    assert [t.id for t in tasks["communicate"]] == ["communication"]
    assert [t.id for t in tasks["learn"]] == ["action:schedule-postmortem", "action:check-change-log"]


def test_typed_observations_and_feedback_stay_inert(journal):
    records = kit_records(journal("flash-sale-seed"))
    hostile = "<script>alert(1)</script> [x](javascript:alert(1)) | col"
    records.append(
        {**records[-1], "seq": records[-1]["seq"] + 1, "participant": hostile, "answers": {"comments": hostile}}
    )
    records.append({"seq": records[-1]["seq"] + 1, "t": 1800.0, **OBSERVATION, "text": hostile, "author": hostile})
    rendered = render_report(records, figures=False)
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "\\<script>" in rendered.markdown and "\\[x\\]" in rendered.markdown and "\\| col" in rendered.markdown
    assert not re.search(r"(?<!\\)<script", rendered.markdown)  # each '<' they typed has its backslash


def test_the_executive_summary_names_the_donts_done_worst_first():
    """A team that flushed the evidence, denied the exposure to the press and blamed a library: the executive
    summary's three areas for improvement were missed milestones and the cache, and said nothing of the
    denial (-15, the worst harm of the drill); it now lists the don'ts done, worst first."""
    from drillsim.simulator.engine import Drill
    from drillsim.simulator.model import PlaybookStep
    from drillsim.simulator.policies import ScriptedPolicy, autoplay
    from drillsim.simulator.session import load_pair

    loaded = load_pair("llm-pii-exposure")
    steps = [
        PlaybookStep.model_validate({"at": at, "action": action})
        for at, action in (
            ("8m", "ack-pii-page"),
            ("10m", "declare-sev1"),
            ("11m", "flush-cache-now"),
            ("12m", "say-no-personal-data"),
            ("13m", "blame-library"),
        )
    ]
    records = autoplay(Drill(loaded.scenario, loaded.roster, 0), ScriptedPolicy(steps)).records
    facts, card = DrillFacts.from_records(records), score(records)
    summary = build_aar(facts, card, findings_from(facts, card))["executive_summary"]
    donts = next(p for p in summary if p.startswith("Don'ts done: "))
    assert donts.index("Denied a personal-data exposure") < donts.index("Destroyed the evidence")
    assert "-15 points" in donts and "Shifted blame to a dependency" in donts
    # numbered: a don't's reason may hold a semicolon itself, so "; " alone would not say where one ends
    assert donts.startswith("Don'ts done: (1) Denied a personal-data exposure") and "; (2) " in donts
    assert not any(p.startswith("Don'ts done") for p in build_aar(*_played("flash-sale-latency"))["executive_summary"])


def _played(scenario_id):
    from drillsim.simulator.policies import play
    from drillsim.simulator.session import load_pair

    loaded = load_pair(scenario_id)
    records = play(loaded.scenario, loaded.roster, seed=0, policy="playbook").records
    facts, card = DrillFacts.from_records(records), score(records)
    return facts, card, findings_from(facts, card)
