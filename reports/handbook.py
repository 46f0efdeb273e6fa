"""The exercise kit before the drill: the players' Situation Manual and the controller and evaluator handbook.

``write_handbook(scenario, roster, out_dir)`` writes, as Markdown and HTML (printable, the
report's stylesheet):

- ``situation-manual``: for the players. The situation, the exercise's scope, objectives
  and capabilities, the timing expectations by phase, the roles and who plays them, the
  ground rules and the schedule. No answers: no playbook, no fault labels, no inject texts
  or triggers, no decision options, no lessons.
- ``controller-handbook``: for the controller and the evaluators. The Master Scenario
  Events List (time or trigger, inject, addressee, expected action, controller notes), the
  exercise evaluation guide (per objective the core capability, the critical tasks, their
  targets and what to observe, with room for the rating), the faults, the reference
  response (the playbook) and the lessons rules; ``msel.csv`` holds the MSEL for a
  spreadsheet.
- ``feedback-form``: the participant feedback form to print.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drillsim.reports.aar import FEEDBACK_QUESTIONS, FEEDBACK_TEXT, SCALE
from drillsim.reports.exercise import GROUND_RULES, ExerciseInfo, critical_tasks
from drillsim.reports.journal_io import atomic_write
from drillsim.reports.scoring import RATING_NAMES
from drillsim.simulator.describe import action_label
from drillsim.simulator.durations import format_clock, format_duration
from drillsim.simulator.model import (
    ActionCondition,
    ClockCondition,
    Condition,
    Inject,
    MetricCondition,
    MilestoneCondition,
    Roster,
    Scenario,
)
from drillsim.simulator.roles import role_title

DOCUMENTS = ("situation-manual", "controller-handbook", "feedback-form")
HOTWASH = 25 * 60.0
PREBRIEF = 10 * 60.0
FEEDBACK = 5 * 60.0
MSEL_COLUMNS = (
    "seq",
    "time_or_trigger",
    "inject",
    "channel",
    "from",
    "to",
    "synopsis",
    "expected_action",
    "controller_notes",
)


@dataclass(frozen=True)
class HandbookPaths:
    out_dir: Path
    files: list[Path]


def _label(scenario: Scenario, milestone: str) -> str:
    spec = scenario.scoring.milestones.get(milestone)
    return spec.label if spec and spec.label else milestone.replace("-", " ").capitalize()


def condition_text(scenario: Scenario, condition: Condition) -> str:
    """A trigger in words: "when Recommender p95 latency > 900 ms", "if Contained is not reached by 10:00"."""
    if isinstance(condition, MetricCondition):
        spec = scenario.metrics.get(condition.metric)
        name = spec.label if spec and spec.label else condition.metric
        unit = f" {spec.unit}" if spec and spec.unit else ""
        parts = []
        for attr, sign in (("above", ">"), ("below", "<"), ("at_least", "≥"), ("at_most", "≤")):
            value = getattr(condition, attr)
            if value is not None:
                parts.append(f"{sign} {value:g}{unit}")
        held = f" for {format_duration(condition.for_)}" if condition.for_ else ""
        return f"when {name} {' and '.join(parts)}{held}"
    if isinstance(condition, MilestoneCondition):
        label = _label(scenario, condition.milestone)
        if condition.not_by is not None:
            return f"if {label} is not reached by {format_clock(condition.not_by)} (contingency)"
        return f"when {label} is reached"
    if isinstance(condition, ActionCondition):
        label = action_label(scenario, condition.action)
        if condition.not_by is not None:
            return f"if '{label}' is not done by {format_clock(condition.not_by)} (contingency)"
        return f"when '{label}' is done"
    if isinstance(condition, ClockCondition):
        return f"when the {condition.clock} clock is missed"
    return f"when the decision '{condition.decision}' times out"


def _expected(scenario: Scenario, inject: Inject) -> str:
    """What the players should do: the good options of a decision, the playbook's next step for the addressee."""
    if inject.red_herring:
        return "Recognise it as unrelated to the incident; check it against the timeline, do not act on it."
    if inject.decision is not None:
        good: list[str] = []
        bad: list[str] = []
        for option in inject.decision.options:
            try:
                action = scenario.action(option)
            except KeyError:
                continue
            (bad if action.penalty is not None else good).append(action.label)
        text = f"Decide within {format_duration(inject.decision.deadline)}"
        if good:
            text += ": " + " or ".join(f"'{g}'" for g in good)
        return text + "."
    steps = [s for s in scenario.playbook if inject.to != "everyone" and _role(scenario, s.action) == inject.to]
    if inject.at is not None:
        later = [s for s in steps if s.at >= inject.at]
        steps = later or steps
    if steps:
        return f"{role_title(inject.to, scenario.roles)}: '{action_label(scenario, steps[0].action)}' (playbook, {format_clock(steps[0].at)})"
    return (
        "Take note; no action required."
        if inject.to == "everyone"
        else f"{role_title(inject.to, scenario.roles)} acknowledges and acts."
    )


def _role(scenario: Scenario, action_id: str) -> str | None:
    try:
        return scenario.action(action_id).role
    except KeyError:
        return None


def _controller_notes(scenario: Scenario, inject: Inject) -> str:
    notes = []
    if inject.red_herring:
        notes.append("red herring (players are not told)")
    if inject.when is not None and inject.when.deadline is not None:
        notes.append("contingency inject: arrives only if the team is behind")
    if inject.decision is not None:
        for option in inject.decision.options:
            try:
                action = scenario.action(option)
            except KeyError:
                continue
            if action.penalty is not None:
                notes.append(f"don't: '{action.label}' costs {action.penalty.points} points ({action.penalty.reason})")
        timeout = inject.decision.on_timeout
        if timeout is not None:
            notes.append(
                f"no answer in time: {timeout.text}"
                + (f" (−{timeout.penalty.points} points)" if timeout.penalty is not None else "")
            )
    if inject.discussion:
        notes.append("pause and ask: " + " / ".join(inject.discussion))
    return "; ".join(notes) or "—"


def msel(scenario: Scenario) -> list[dict[str, Any]]:
    """The Master Scenario Events List: the injects by time (timed ones first, in order), then the triggered ones."""
    timed = sorted((i for i in scenario.injects if i.at is not None), key=lambda i: float(i.at or 0.0))
    triggered = [i for i in scenario.injects if i.at is None]
    rows = []
    for seq, inject in enumerate([*timed, *triggered], start=1):
        when = f"T+{format_clock(inject.at)}" if inject.at is not None else condition_text(scenario, inject.when)
        rows.append(
            {
                "seq": seq,
                "time_or_trigger": when,
                "inject": inject.id,
                "channel": inject.channel,
                "from": inject.from_ or "—",
                "to": "everyone" if inject.to == "everyone" else role_title(inject.to, scenario.roles),
                "synopsis": inject.text,
                "expected_action": _expected(scenario, inject),
                "controller_notes": _controller_notes(scenario, inject),
            }
        )
    return rows


def msel_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=MSEL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row[k] for k in MSEL_COLUMNS})
    return buffer.getvalue()


PHASES = {
    "detected": "Detect",
    "acknowledged": "Acknowledge",
    "declared": "Declare the incident",
    "identified": "Identify the cause",
    "mitigated": "Mitigate",
    "contained": "Contain",
    "recovered": "Recover",
    "resolved": "Resolve",
    "postmortem": "Schedule the post-mortem",
}
"""Phase names for the players: the canonical milestones only, never a milestone's label (which may name the fix)."""


def _phases(scenario: Scenario) -> list[dict[str, str]]:
    """Timing expectations by phase, in target order."""
    out = []
    timed = [(m, spec) for m, spec in scenario.scoring.milestones.items() if spec.target is not None and m in PHASES]
    for milestone, spec in sorted(timed, key=lambda item: float(item[1].target or 0.0)):
        out.append(
            {"phase": PHASES[milestone], "target": f"within {format_duration(spec.target or 0.0)} of the impact"}
        )
    comm = scenario.scoring.communication
    if comm is not None:
        out.append(
            {
                "phase": "Update stakeholders",
                "target": f"first update within {format_duration(comm.first_update)}, then at least every {format_duration(comm.cadence)}",
            }
        )
    for clock in scenario.clocks:
        out.append(
            {"phase": f"Notify ({clock.regime})", "target": f"within {format_duration(clock.deadline)} once it applies"}
        )
    return out


def _schedule(scenario: Scenario, speed: float) -> list[dict[str, str]]:
    play = scenario.duration / speed
    rows = [
        ("Pre-brief: ground rules, roles, questions", PREBRIEF),
        (
            f"Play: up to {format_duration(scenario.duration)} of simulated time at x{speed:g}, with pauses for discussion",
            play,
        ),
        ("Hotwash: what went well, what to improve", HOTWASH),
        ("Participant feedback forms", FEEDBACK),
    ]
    out, t = [], 0.0
    for what, length in rows:
        out.append(
            {
                "start": f"+{format_duration(round(t)) if t else '0m'}",
                "length": format_duration(round(length)),
                "what": what,
            }
        )
        t += length
    out.append({"start": f"+{format_duration(round(t))}", "length": "—", "what": "End"})
    return out


def _roles(roster: Roster, scenario: Scenario) -> list[dict[str, Any]]:
    return [
        {
            "member": m.name,
            "roles": ", ".join(role_title(r, {**roster.roles, **scenario.roles}) for r in m.roles),
            "on_call": "on call" if m.on_call else "off call (called in when needed)",
        }
        for m in roster.members
    ]


def handbook_context(
    scenario: Scenario, roster: Roster, info: ExerciseInfo | None = None, speed: float = 1.0
) -> dict[str, Any]:
    """Everything the three documents show (the Situation Manual's part holds no answers)."""
    from drillsim.reports.render import _css

    info = info or ExerciseInfo()
    tasks = critical_tasks(scenario)
    channels: list[str] = []
    for inject in scenario.injects:
        channel = inject.channel.replace("-", " ")
        if channel not in channels:
            channels.append(channel)
    team = roster.team
    eeg = [
        {
            "id": o.id,
            "text": o.text,
            "capability": o.capability,
            "target": o.target,
            "tasks": [
                {"id": t.id, "text": t.text, "target": t.target, "observe": t.observe} for t in tasks.get(o.id, [])
            ],
        }
        for o in scenario.objectives
    ]
    faults = [
        {
            "label": f.label,
            "when": f"T+{format_clock(f.at)}" if f.at is not None else condition_text(scenario, f.when),
            "impact": "yes" if f.impact else "no (unrelated)",
        }
        for f in scenario.faults
    ]
    playbook = [
        {
            "at": format_clock(s.at),
            "action": action_label(scenario, s.action),
            "role": role_title(_role(scenario, s.action) or "", scenario.roles),
        }
        for s in sorted(scenario.playbook, key=lambda s: s.at)
    ]
    donts = [
        {"action": a.label, "points": a.penalty.points, "reason": a.penalty.reason}
        for a in scenario.actions
        if a.penalty is not None
    ]
    lessons = [
        {"when": condition_text(scenario, lesson.when), "finding": lesson.finding, "action": lesson.corrective_action}
        for lesson in scenario.lessons
    ]
    return {
        "exercise": {
            "name": info.name or scenario.title,
            "type": info.type or "Tabletop exercise (timed)",
            "sponsor": info.sponsor or team,
            "location": info.location,
            "point_of_contact": info.point_of_contact,
            "mission_areas": ", ".join(info.mission_areas) or "Response",
        },
        "scenario": {
            "id": scenario.id,
            "title": scenario.title,
            "severity": scenario.severity,
            "category": scenario.category.replace("-", " "),
            "situation": (scenario.briefing or scenario.summary).strip(),
            "duration": format_duration(scenario.duration),
            "hash": scenario.content_hash()[:12],
        },
        "team": team,
        "objectives": [{"text": o.text, "capability": o.capability} for o in scenario.objectives],
        "capabilities": sorted({o.capability for o in scenario.objectives}),
        "phases": _phases(scenario),
        "roles": _roles(roster, scenario),
        "channels": ", ".join(channels),
        "ground_rules": list(GROUND_RULES),
        "schedule": _schedule(scenario, speed),
        "msel": msel(scenario),
        "eeg": eeg,
        "ratings": [{"code": k, "name": v} for k, v in RATING_NAMES.items()],
        "faults": faults,
        "playbook": playbook,
        "donts": donts,
        "lessons": lessons,
        "questions": [{"id": q, "text": t} for q, t in FEEDBACK_QUESTIONS],
        "texts": [{"id": q, "label": t} for q, t in FEEDBACK_TEXT],
        "scale": list(SCALE),
        "css": _css(),
    }


def render_handbook(
    scenario: Scenario, roster: Roster, info: ExerciseInfo | None = None, speed: float = 1.0
) -> dict[str, str]:
    """Every handbook file's text by file name (``situation-manual.md`` ... ``msel.csv``)."""
    from drillsim.reports.render import render_template

    context = handbook_context(scenario, roster, info, speed)
    out = {}
    for name in DOCUMENTS:
        stem = name.replace("-", "_")
        out[f"{name}.md"] = render_template(f"handbook_{stem}.md.j2", context)
        out[f"{name}.html"] = render_template(f"handbook_{stem}.html.j2", context)
    out["msel.csv"] = msel_csv(context["msel"])
    return out


def write_handbook(
    scenario: Scenario, roster: Roster, out_dir: str | Path, info: ExerciseInfo | None = None, speed: float = 1.0
) -> HandbookPaths:
    """Write the kit into ``out_dir`` (atomically, file by file)."""
    folder = Path(out_dir)
    files = [atomic_write(folder / name, text) for name, text in render_handbook(scenario, roster, info, speed).items()]
    return HandbookPaths(folder, files)
