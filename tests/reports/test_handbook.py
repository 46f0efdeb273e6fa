"""drillsim handbook: golden Situation Manual and controller handbook for flash-sale, no answer in the
players' document for any built-in scenario, the MSEL CSV, the feedback form and the command."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from drillsim.main import main
from drillsim.reports.aar import FEEDBACK_QUESTIONS
from drillsim.reports.exercise import GROUND_RULES
from drillsim.reports.handbook import MSEL_COLUMNS, render_handbook
from drillsim.simulator.library import DEFAULT_ROSTER, builtin_scenario_ids, resolve_roster, resolve_scenario
from drillsim.simulator.loading import load_roster, load_scenario

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "handbooks"


@pytest.fixture(scope="module")
def kit(scenario, crisis) -> dict[str, str]:
    return render_handbook(scenario, crisis)


@pytest.mark.parametrize("name", ["situation-manual.md", "controller-handbook.md", "msel.csv", "feedback-form.md"])
def test_golden_handbooks(kit, name):
    golden = GOLDEN / f"flash-sale-latency.{name}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(kit[name], encoding="utf-8")
    assert kit[name] == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("scenario_id", builtin_scenario_ids())
def test_situation_manual_holds_no_answers(scenario_id):
    scenario = load_scenario(resolve_scenario(scenario_id))
    roster = load_roster(resolve_roster(scenario.default_roster or DEFAULT_ROSTER))
    kit = render_handbook(scenario, roster)
    for name in ("situation-manual.md", "situation-manual.html"):
        text = kit[name]
        plain = re.sub(r"\\(.)", r"\1", text)  # Markdown escapes off
        secrets = {
            # ids of one word ("screenshot") can be ordinary words of the briefing; ids with a dash cannot
            *(f"action id {a.id}" for a in scenario.actions if "-" in a.id),
            *(f"action {a.label}" for a in scenario.actions),
            *(f"fault {f.label}" for f in scenario.faults),
            *(f"inject {i.id}" for i in scenario.injects if "-" in i.id),
            *(f"inject text {i.text}" for i in scenario.injects),
            *(f"lesson {lesson.finding}" for lesson in scenario.lessons),
            *(f"milestone {m.label}" for m in scenario.scoring.milestones.values() if m.label and "(" in m.label),
            *(f"target {o.target}" for o in scenario.objectives),
        }
        for secret in secrets:
            kind, _, value = secret.partition(" ")
            value = value.removeprefix("id ").removeprefix("text ")
            assert value not in plain, f"{name} of {scenario_id} shows the {kind} '{value}'"
        assert "playbook" not in plain.lower() and "red herring" not in plain.lower()
        assert not re.search(r"\b(penalty|penalties|points?)\b", plain, re.IGNORECASE)
    # and the controller handbook does show them
    handbook = kit["controller-handbook.md"]
    assert "Master Scenario Events List" in handbook and "Exercise evaluation guide" in handbook


def test_situation_manual_has_the_pre_brief(kit, crisis):
    text = kit["situation-manual.md"]
    for heading in ("## The situation", "## Objectives", "## Roles", "## Ground rules", "## Schedule"):
        assert heading in text
    assert GROUND_RULES[0] in text
    for member in crisis.members:
        assert f"| {member.name} |" in text


def test_msel_csv_one_row_per_inject(kit, scenario):
    rows = list(csv.DictReader(io.StringIO(kit["msel.csv"])))
    assert tuple(rows[0].keys()) == MSEL_COLUMNS
    assert sorted(r["inject"] for r in rows) == sorted(i.id for i in scenario.injects)
    ceo = next(r for r in rows if r["inject"] == "ceo-asks")
    assert ceo["time_or_trigger"] == "T+08:00"
    assert "Brief the executives" in ceo["expected_action"] and "Promise the CEO" not in ceo["expected_action"]
    assert "don't: 'Promise the CEO a full fix in five minutes' costs 10 points" in ceo["controller_notes"]
    herring = next(r for r in rows if r["inject"] == "cdn-red-herring")
    assert "red herring" in herring["controller_notes"]
    extend = next(r for r in rows if r["inject"] == "marketing-extend")
    assert extend["time_or_trigger"] == "if Contained (rollback done) is not reached by 10:00 (contingency)"


def test_feedback_form_lists_every_question(kit):
    for question_id, text in FEEDBACK_QUESTIONS:
        assert text in kit["feedback-form.md"], question_id
        assert text in kit["feedback-form.html"], question_id


def test_cli_writes_the_kit(tmp_path, capsys):
    out = tmp_path / "kit"
    assert main(["handbook", "flash-sale-latency", "--roster", "weekend-skeleton", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [f"{d}.{e}" for d in ("situation-manual", "controller-handbook", "feedback-form") for e in ("md", "html")]
        + ["msel.csv"]
    )
    assert "Situation Manual" in capsys.readouterr().out
    exercise = tmp_path / "exercise.yaml"
    exercise.write_text("name: Q4 drill\nlocation: Room 2\n")
    assert main(["handbook", "flash-sale-latency", "--out", str(out), "--exercise", str(exercise)]) == 0
    assert "# Situation Manual: Q4 drill" in (out / "situation-manual.md").read_text()


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["handbook", "no-such-scenario"]) == 2
    bad = tmp_path / "exercise.yaml"
    bad.write_text("sponsr: x\n")
    assert main(["handbook", "flash-sale-latency", "--exercise", str(bad), "--out", str(tmp_path / "k")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "sponsr" in err[-1] and "known keys" in err[-1]


def test_report_exercise_option_is_kept_in_the_run_folder(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    journals = Path(__file__).resolve().parents[1] / "data" / "journals"
    (run / "journal.jsonl").write_text((journals / "flash-sale-seed.jsonl").read_text())
    exercise = tmp_path / "exercise.yaml"
    exercise.write_text("sponsor: Shop platform\n")
    assert main(["report", str(run), "--no-par", "--exercise", str(exercise)]) == 0
    assert (run / "exercise.yaml").read_text() == "sponsor: Shop platform\n"
    assert "| Sponsor | Shop platform |" in (run / "report.md").read_text()
