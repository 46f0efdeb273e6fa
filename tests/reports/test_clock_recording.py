"""A clock the law starts on evidence (``recorded_by``): the delay before the team recorded it is scored (#20)."""

from __future__ import annotations

from drillsim.reports.lessons import findings
from drillsim.reports.render import render_report
from drillsim.reports.scoring import score
from drillsim.simulator.durations import format_time
from drillsim.simulator.engine import Drill
from drillsim.simulator.policies import ScriptedPolicy, autoplay

from tests.engine.helpers import load_builtin, load_builtin_roster


def _play(record_at: float | None) -> list[dict]:
    """llm-pii-exposure played by its playbook, with awareness recorded at ``record_at`` (None: never)."""
    scenario = load_builtin("llm-pii-exposure")
    late = {
        "confirm-personal-data-breach": record_at,
        "notify-authority": None if record_at is None else record_at + 60,
    }
    steps = [
        s if s.action not in late else s.model_copy(update={"at": late[s.action]})
        for s in scenario.playbook
        if s.action not in late or late[s.action] is not None
    ]
    drill = autoplay(Drill(scenario, load_builtin_roster("full-crisis-team"), 0), ScriptedPolicy(steps))
    return drill.records


def _term(card, item: str):
    return next(t for t in card.score.terms if t.item == item)


def test_recording_awareness_late_costs_score_and_is_a_finding() -> None:
    prompt, late = _play(15 * 60), _play(40 * 60)
    on_time, slow = score(prompt), score(late)
    clock = next(c for c in slow.clocks if c.id == "gdpr-art33")
    started = next(r["t"] for r in late if r["type"] == "clock_started")
    recorded = next(r["t"] for r in late if r["type"] == "clock_recorded")
    assert clock.recorded_at == recorded and clock.record_delay == round(recorded - started, 3)
    assert clock.record_target == 72 * 60 / 4  # a quarter of 72 real hours at time_scale 60
    assert clock.status == "met"  # notified in time: only the recording was late
    assert _term(on_time, "gdpr-art33:recorded").credit == 1.0
    assert _term(slow, "gdpr-art33:recorded").credit < 0.5
    assert slow.score.total < on_time.score.total
    gdpr = next(o for o in slow.objectives if o.id == "gdpr")
    assert next(m for m in gdpr.measures if m.measure == "gdpr-art33").status == "late"
    rules = [f.rule for f in findings(late)]
    assert "clock-recorded-late:gdpr-art33" in rules
    assert "clock-recorded-late:gdpr-art33" not in [f.rule for f in findings(prompt)]
    md = render_report(late, figures=False).markdown
    assert "| GDPR Art. 33 | 72h |" in md and f"(+{format_time(clock.record_delay)})" in md
    assert "GDPR Art. 33 clock recorded; it has run since" in md  # the timeline (the live feed's words)


def test_a_clock_never_recorded_counts_its_whole_run() -> None:
    records = _play(None)
    card = score(records)
    clock = next(c for c in card.clocks if c.id == "gdpr-art33")
    assert clock.recorded_at is None
    assert clock.record_delay == round(card.ended_at - clock.started_at, 3)
    assert _term(card, "gdpr-art33:recorded").credit == 0.0
    assert "never (ran" in render_report(records, figures=False).markdown


def test_a_clock_started_by_the_teams_decision_has_no_recording_term() -> None:
    scenario = load_builtin("provider-outage")  # DORA: starts on the team's classification
    drill = autoplay(
        Drill(scenario, load_builtin_roster(scenario.default_roster or "crisis-team"), 0),
        ScriptedPolicy(scenario.playbook),
    )
    card = score(drill.records)
    assert all(c.record_delay is None for c in card.clocks)
    assert not [t for t in card.score.terms if t.item.endswith(":recorded")]


def test_a_clock_met_while_its_start_went_unrecorded_is_no_strength() -> None:
    """A team that notified in time but recorded awareness long after the law's clock started (the
    recording earning no full credit) read 'Major strengths: every regulatory clock was met' above an area
    for improvement saying the clock had been running unrecorded."""
    prompt, late = _play(15 * 60), _play(40 * 60)
    clock = next(c for c in score(late).clocks if c.id == "gdpr-art33")
    assert all(c.status == "met" for c in score(late).clocks)
    assert clock.record_delay is not None and clock.record_target is not None
    assert clock.record_delay > clock.record_target
    strengths = {f.rule: f for f in findings(late) if f.kind == "strength"}
    assert "clocks-met" not in strengths
    assert "clocks-met" in {f.rule for f in findings(prompt) if f.kind == "strength"}


def test_the_detection_paragraph_of_a_team_that_never_acted_says_so() -> None:
    """An idle team's report read 'The team acknowledged at — (nobody, — after the alert)'."""
    scenario = load_builtin("llm-pii-exposure")
    drill = autoplay(Drill(scenario, load_builtin_roster("full-crisis-team"), 0), ScriptedPolicy([]))
    markdown = render_report(drill.records, figures=False).markdown
    assert "Nobody on the team acted on it before the drill ended." in markdown
    assert "nobody, —" not in markdown
    assert (
        "The team first acted on it at 06:00 (Ravi, 00:06 after the alert)."
        in render_report(_play(15 * 60), figures=False).markdown
    )
