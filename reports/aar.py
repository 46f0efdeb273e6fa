"""The after-action report / improvement plan (AAR/IP) built from the scorecard and the findings.

``build_aar(facts, card, findings, info)`` returns plain JSON data with every section of the
HSEEP AAR/IP template (rev. 2013, as reference/methodology.md 1.6 lists it):

- ``overview``: exercise name, dates, scope, mission areas, core capabilities, objectives,
  threat or hazard, scenario, sponsor, participating organisations, point of contact, and
  the real-time duration, each from ``ExerciseInfo`` or a default drawn from the drill;
- ``executive_summary``: paragraphs written from the ratings and the findings;
- ``analysis``: per objective (capability), the rating, the evidence, the strengths, the
  areas for improvement with a reference, a root cause read from the journal and a
  recommendation, and the evaluator's observations;
- ``plan``: the improvement plan, one row per underlying problem (a missed decision that
  several rules notice is one row), with capability element (POETE), responsible
  organisation and point of contact, start and completion dates relative to the drill;
- ``appendices``: the hotwash, the evaluator observations and the participant feedback.

It reads the scorecard and ``Finding`` structures and never re-judges the drill: what is
found is ``reports.lessons``' business; this module only arranges, merges and explains it.

It is long because it is the HSEEP AAR/IP template section by section, in the order the
sections are built: findings merged into issues, the objective each issue belongs to, root causes read
from the journal, then the overview, summary, analysis and plan. Each step uses the merged issues of the
one before, and the templates read the result as one dictionary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from drillsim.reports.exercise import ExerciseInfo, critical_tasks, task_label
from drillsim.reports.facts import DrillFacts
from drillsim.reports.lessons import Finding, declared_roles, join_words, lower_first, par_team
from drillsim.reports.scoring import CANONICAL_MILESTONES, RATING_NAMES, Scorecard
from drillsim.simulator.durations import format_duration, format_time
from drillsim.simulator.roles import role_title

SECTIONS = (
    ("executive_summary", "Executive summary"),
    ("overview", "Exercise overview"),
    ("analysis", "Analysis of core capabilities"),
    ("plan", "Appendix A: Improvement plan"),
    ("hotwash", "Appendix B: Hotwash"),
    ("observations", "Appendix C: Evaluator observations"),
    ("feedback", "Appendix D: Participant feedback"),
)
"""The AAR/IP's sections (key in ``scorecard.json``'s ``aar``, heading in report.md and report.html)."""

FEEDBACK_QUESTIONS = (
    ("structure", "The exercise was well structured and organised."),
    ("realism", "The scenario was plausible and realistic."),
    ("role", "The exercise helped me understand my role and responsibilities."),
    ("plans", "The exercise showed where our plans and procedures need to change."),
    ("facilitation", "The facilitator kept the exercise on time and on track."),
)
"""The participant feedback form's rated statements (1 strongly disagree .. 5 strongly agree)."""

FEEDBACK_TEXT = (
    ("strengths", "What went well, the strengths you saw"),
    ("improvements", "The most important thing to improve"),
    ("comments", "Other comments about the exercise"),
)
"""The form's free-text questions."""

SCALE = ("strongly disagree", "disagree", "neutral", "agree", "strongly agree")

DEFAULT_TYPE = "Tabletop exercise (timed: discussion-based, played against a real-time simulated clock)"

_ELEMENT_BY_RULE = {
    "slow-detection": "Equipment",
    "no-update": "Planning",
    "late-first-update": "Planning",
    "update-gap": "Training",
    "clock-never-started": "Planning",
    "clock-missed": "Planning",
    "clock-recorded-late": "Planning",
    "compliance-not-involved": "Organization",
    "load": "Organization",
    "role-missing": "Organization",
    "decision-timeout": "Organization",
    "penalties": "Training",
    "role-mismatch": "Training",
}
_ELEMENT_WORDS = (
    ("Exercises", re.compile(r"\b(drill|exercise|rehears)", re.IGNORECASE)),
    (
        "Equipment",
        re.compile(r"\b(automat|tool|dashboard|alert|script|pipeline|monitor|validation|contract test)", re.IGNORECASE),
    ),
    (
        "Planning",
        re.compile(r"\b(template|checklist|playbook|plan|procedure|policy|runbook|pre-approv)", re.IGNORECASE),
    ),
    ("Organization", re.compile(r"\b(name|owner|deputy|roster|assign|raci|delegate|on-call)", re.IGNORECASE)),
)


def element_for(finding: Finding, info: ExerciseInfo) -> str:
    """The capability element (POETE): set in exercise.yaml, the generic rule's, else read from the corrective action."""
    if finding.rule in info.elements:
        return info.elements[finding.rule]
    base = finding.rule.split(":", 1)[0]
    if base in _ELEMENT_BY_RULE:
        return _ELEMENT_BY_RULE[base]
    text = finding.corrective_action or ""
    for element, words in _ELEMENT_WORDS:
        if words.search(text):
            return element
    return "Training"


# ---------------------------------------------------------------------------- merging findings


@dataclass
class _Item:
    """A finding, or one evidence line of a finding that lists several problems, with what it is about."""

    finding: Finding
    keys: set[str]
    evidence: list[str]
    whole: bool = True
    """False for one line of a finding that lists several problems (its corrective action is generic)."""


@dataclass
class Issue:
    """One area for improvement: a finding and every other finding about the same problem."""

    finding: Finding
    keys: set[str]
    evidence: list[str]
    also: list[Finding] = field(default_factory=list)
    also_actions: list[str] = field(default_factory=list)
    """Corrective actions of the joined findings that are about this problem alone."""

    @property
    def rules(self) -> list[str]:
        return [self.finding.rule, *(f.rule for f in self.also)]

    @property
    def actions(self) -> list[str]:
        out: list[str] = []
        for action in (self.finding.corrective_action, *self.also_actions):
            if action and action not in out:
                out.append(action)
        return out

    @property
    def due_days(self) -> int | None:
        days = [f.due_days for f in (self.finding, *self.also) if f.due_days]
        return min(days) if days else None


def _lesson_key(facts: DrillFacts, number: int) -> set[str]:
    try:
        condition = facts.scenario.lessons[number - 1].when
    except IndexError:
        return set()
    return {f"{condition.kind}:{condition.subject}"}


def _items(f: Finding, facts: DrillFacts, card: Scorecard) -> list[_Item]:
    rule = f.rule
    base, _, arg = rule.partition(":")
    if base == "scenario" and arg.isdigit():
        return [_Item(f, _lesson_key(facts, int(arg)), list(f.evidence))]
    split: list[str] | None = None
    if base == "penalties":
        split = [p.source for p in card.penalties]
    elif base == "decision-timeout":
        split = [f"decision:{d.inject}" for d in card.people.decisions if d.timed_out]
    elif base == "role-mismatch":
        split = [f"action:{m.action}" for m in card.people.role_mismatches]
    if split is not None and len(split) == len(f.evidence):
        return [_Item(f, {key}, [line], whole=False) for key, line in zip(split, f.evidence, strict=True)]
    keys = {
        "slow-detection": {"milestone:detected"},
        "no-update": {"communication"},
        "late-first-update": {"communication"},
        "update-gap": {"communication"},
        "clock-never-started": {f"clock:{arg}"},
        "clock-missed": {f"clock:{arg}"},
        "clock-recorded-late": {
            f"clock:{arg}",
            *(f"action:{c.recorded_by}" for c in facts.scenario.clocks if c.id == arg),
        },
        "compliance-not-involved": {"role:compliance-officer"},
        "role-missing": {f"role:{arg}"},
    }.get(base, {rule})
    return [_Item(f, set(keys), list(f.evidence))]


def merge_issues(found: list[Finding], facts: DrillFacts, card: Scorecard) -> list[Issue]:
    """The areas for improvement, one per problem: findings (or lines of them) about the same
    milestone, action, decision, clock or the communication join the first finding about it.

    "The CEO's question went unanswered" (the scenario's lesson), "decisions were left
    unanswered" and "penalties incurred: 5 points" for the same timeout become one issue with
    the evidence of all three.
    """
    issues: list[Issue] = []
    leftovers: dict[int, Issue] = {}
    for f in found:
        if f.kind != "improvement":
            continue
        for item in _items(f, facts, card):
            target = next((i for i in issues if i.keys & item.keys), None)
            if target is None:
                target = leftovers.get(id(f))
                if target is not None:
                    target.keys |= item.keys
                    target.evidence.extend(line for line in item.evidence if line not in target.evidence)
                    continue
                target = Issue(f, set(item.keys), list(item.evidence))
                issues.append(target)
                leftovers[id(f)] = target
                continue
            if target.finding is not f and f not in target.also:
                target.also.append(f)
                if item.whole and f.corrective_action:
                    target.also_actions.append(f.corrective_action)
            target.evidence.extend(line for line in item.evidence if line not in target.evidence)
    return issues


def hotwash_issues(facts: DrillFacts) -> list[Issue]:
    """The hotwash's areas for improvement: the participants' own, in the plan beside the journal's."""
    out = []
    for number, record in enumerate((h for h in facts.hotwash if h.get("kind") == "improvement"), start=1):
        text = " ".join(str(record.get("text") or "").split())
        if not text:
            continue
        finding = Finding(
            kind="improvement",
            rule=f"hotwash:{number}",
            title=text,
            evidence=["raised by the participants in the hotwash"],
            owner="crisis-lead",
            owner_title=role_title("crisis-lead", declared_roles(facts)),
            due_days=30,
        )
        out.append(Issue(finding, {f"hotwash:{number}"}, list(finding.evidence)))
    return out


# ---------------------------------------------------------------------------- which objective


def _objectives_of_action(facts: DrillFacts, action_id: str) -> list[str]:
    try:
        action = facts.scenario.action(action_id)
    except KeyError:
        return []
    out = []
    for o in facts.scenario.objectives:
        measures = set(o.measures)
        clocks = {c.id for c in facts.scenario.clocks if action_id in (c.starts_on, c.satisfied_by)}
        if measures & set(action.marks) or measures & clocks or (action.communication and "communication" in measures):
            out.append(o.id)
    return out


def objectives_of(keys: set[str], facts: DrillFacts) -> list[str]:
    """The objectives an issue belongs to (by the milestones, actions, clocks and updates it is about)."""
    out: list[str] = []
    for key in sorted(keys):
        kind, _, value = key.partition(":")
        found: list[str] = []
        if kind in ("milestone", "clock"):
            found = [o.id for o in facts.scenario.objectives if value in o.measures]
            verb = CANONICAL_MILESTONES.get(value)
            if not found and verb:
                # a milestone no objective measures belongs to the objective that names its verb ("Identify the root cause")
                found = [o.id for o in facts.scenario.objectives if re.search(rf"\b{verb}", o.text, re.IGNORECASE)]
        elif key == "communication":
            found = [o.id for o in facts.scenario.objectives if "communication" in o.measures]
        elif kind == "action":
            found = _objectives_of_action(facts, value)
        elif kind == "decision":
            inject = next((i for i in facts.scenario.injects if i.id == value), None)
            if inject is not None and inject.decision is not None:
                for option in inject.decision.options:
                    found.extend(x for x in _objectives_of_action(facts, option) if x not in found)
        out.extend(x for x in found if x not in out)
    return out


# ---------------------------------------------------------------------------- root causes


def _possible_from(facts: DrillFacts, requires: list[str]) -> tuple[float | None, list[str]]:
    """When every requirement held (None when one never did), and the ones never met."""
    times: list[float] = []
    missing: list[str] = []
    for req in requires:
        t = facts.milestones.get(req)
        if t is None:
            t = facts.action_done_at(req)
        if t is None:
            missing.append(_requirement_label(facts, req))
        else:
            times.append(t)
    if missing:
        return None, missing
    return (max(times) if times else 0.0), []


def _requirement_label(facts: DrillFacts, req: str) -> str:
    """A requirement in words: an action's label in quotes, else the milestone's label (never a bare id)."""
    if any(a.id == req for a in facts.scenario.actions):
        return f"'{facts.action_label(req)}'"
    return facts.milestone_label(req)


def _holders(facts: DrillFacts, role: str) -> list[str]:
    if facts.roster is None:
        return []
    return [m.name for m in facts.roster.members if role in m.roles]


def _busy_with(facts: DrillFacts, member: str, start: float, end: float) -> str | None:
    for run in facts.runs:
        if run.member != member or run.started_at is None:
            continue
        finished = run.finished_at if run.finished_at is not None else facts.played_until
        if run.started_at < end and finished > start:
            return facts.action_label(run.action)
    return None


def _action_cause(facts: DrillFacts, action_id: str) -> str:
    """Why an action came late or never: when it was possible, asked for, waited, failed."""
    try:
        action = facts.scenario.action(action_id)
    except KeyError:
        return ""
    runs = [r for r in facts.runs if r.action == action_id and not r.rejected]
    possible, missing = _possible_from(facts, list(action.requires))
    if action.penalty is not None:
        run = runs[0] if runs else None
        if run is None:
            return ""
        source = " in answer to a decision" if run.source == "decision" else ""
        return (
            f"'{action.label}' was chosen{source} at {format_time(run.submitted_at)}"
            + (f" and done by {run.member}" if run.member else "")
            + "; it is not part of the playbook (a don't)"
        )
    if not runs:
        if missing:
            return (  # not "never": the drill may have ended before the requirement's time
                f"nobody took '{action.label}': it needs {', '.join(missing)}, not reached by the end of the drill"
                f" ({format_time(facts.played_until)})"
            )
        return (
            f"nobody took '{action.label}' ({role_title(action.role, declared_roles(facts))}), possible from {format_time(possible)}"
            f" until the end at {format_time(facts.played_until)}"
        )
    first = runs[0]
    parts = []
    if possible is not None and first.submitted_at is not None and first.submitted_at - possible >= 60:
        parts.append(
            f"'{action.label}' was first asked for at {format_time(first.submitted_at)}, "
            f"{format_time(first.submitted_at - possible)} after it became possible at {format_time(possible)}"
        )
    elif first.submitted_at is not None:
        parts.append(f"'{action.label}' was asked for at {format_time(first.submitted_at)}")
    if action.requires and possible is not None and possible - facts.anchor >= 60:
        parts.append(
            f"it needs {', '.join(facts.milestone_label(r) for r in action.requires)}, reached only at {format_time(possible)}"
        )
    if first.waited:
        parts.append(f"it then waited {format_time(first.waited)} for {first.member or 'a free member'}")
    failed = [r for r in runs if r.success is False]
    if failed:
        parts.append(f"{len(failed)} attempt(s) failed (first at {format_time(failed[0].finished_at)})")
    if first.role_match is False:
        parts.append(
            f"{first.member} did it without the {role_title(action.role, declared_roles(facts))} role (slower, less reliable)"
        )
    return "; ".join(parts)


def root_cause(keys: set[str], facts: DrillFacts, card: Scorecard) -> str:
    """A root-cause analysis read from the journal (what made the problem happen), or an empty string."""
    causes: list[str] = []
    for key in sorted(keys):
        kind, _, value = key.partition(":")
        text = ""
        if kind == "milestone":
            marking = [a for a in facts.scenario.actions if value in a.marks and a.penalty is None]
            spec = facts.scenario.scoring.milestones.get(value)
            if marking:
                text = "; ".join(x for x in (_action_cause(facts, a.id) for a in marking[:2]) if x)
            elif spec is not None and spec.when is not None:
                text = f"{facts.milestone_label(value)} is reached when the metric condition holds; see the actions that move it"
        elif kind == "action":
            text = _action_cause(facts, value)
        elif kind == "decision":
            decision = next((d for d in facts.decisions if d.inject == value), None)
            inject = next((i for i in facts.scenario.injects if i.id == value), None)
            if decision is not None and inject is not None:
                end = decision.deadline_at if decision.deadline_at is not None else facts.played_until
                role = inject.to
                who = []
                for member in _holders(facts, role) if role != "everyone" else []:
                    busy = _busy_with(facts, member, decision.arrived_at, end)
                    who.append(f"{member} was busy with '{busy}'" if busy else f"{member} was free but did not answer")
                text = f"the question went to the {role_title(role, declared_roles(facts)) if role != 'everyone' else 'whole team'} at {format_time(decision.arrived_at)}"
                if who:
                    text += f" ({'; '.join(who)})"
                text += f" and nobody answered by {format_time(decision.deadline_at)}"
        elif key == "communication":
            comm = card.communication
            senders = [a for a in facts.scenario.actions if a.communication and a.penalty is None]
            if comm.updates == 0:
                text = "no update action was taken (" + ", ".join(f"'{a.label}'" for a in senders[:3]) + ")"
            elif comm.first_update_at is not None:
                first = next((r for r in facts.communication_runs()), None)
                if first is not None:
                    text = (
                        f"the first update ('{facts.action_label(first.action)}' by {first.member}) was asked for at "
                        f"{format_time(first.submitted_at)}"
                        + (f" and waited {format_time(first.waited)}" if first.waited else "")
                    )
                if comm.largest_gap is not None and comm.cadence is not None and comm.largest_gap > comm.cadence:
                    text += ("; " if text else "") + (
                        f"nobody sent an update between {format_time(comm.largest_gap_from)} and {format_time(comm.largest_gap_until)}"
                    )
        elif kind == "clock":
            clock = next((c for c in facts.scenario.clocks if c.id == value), None)
            if clock is not None:
                started = facts.clocks.get(value)
                if started is None or started.started_at is None:
                    text = f"'{facts.action_label(clock.starts_on)}' was never done, so the {clock.regime} clock never started"
                else:
                    text = _action_cause(facts, clock.satisfied_by)
        elif key == "load":
            others = [m for m in card.people.members if m.actions < max(x.actions for x in card.people.members)]
            if others:
                text = "the rest of the team took " + ", ".join(f"{m.member} {m.actions}" for m in others)
                idle = [m.member for m in others if m.actions == 0]
                if idle:
                    text += f" ({', '.join(idle)} none): work was not handed on by role"
        elif kind == "role":
            holders = _holders(facts, value)
            text = (
                f"the roster has nobody in the {role_title(value, declared_roles(facts))} role"
                if not holders
                else f"{', '.join(holders)} ({role_title(value, declared_roles(facts))}) took no part"
            )
        if text and text not in causes:
            causes.append(text)
    return "; ".join(causes)


def _reference(keys: set[str], facts: DrillFacts) -> str:
    """The plan the issue is measured against: the playbook step, the objective's target."""
    steps = {s.action: s for s in facts.scenario.playbook}
    refs: list[str] = []
    for key in sorted(keys):
        kind, _, value = key.partition(":")
        actions = []
        if kind == "action":
            actions = [value]
        elif kind == "milestone":
            actions = [a.id for a in facts.scenario.actions if value in a.marks and a.penalty is None]
        elif kind == "clock":
            spec = next((c for c in facts.scenario.clocks if c.id == value), None)
            actions = [spec.starts_on, spec.satisfied_by] if spec else []
        elif kind == "decision":
            inject = next((i for i in facts.scenario.injects if i.id == value), None)
            if inject is not None and inject.decision is not None:
                actions = [a for a in inject.decision.options if a in steps]
        for action in actions:
            step = steps.get(action)
            if step is not None:
                text = f"playbook: '{facts.action_label(action)}' at {format_time(step.at)}"
                if text not in refs:
                    refs.append(text)
            elif kind == "action":
                try:
                    if facts.scenario.action(action).penalty is not None:
                        refs.append("playbook don'ts: not to be done")
                except KeyError:
                    pass
        if key == "communication" and facts.scenario.scoring.communication is not None:
            comm = facts.scenario.scoring.communication
            refs.append(
                f"communication plan: first update within {format_duration(comm.first_update)}, "
                f"then every {format_duration(comm.cadence)}"
            )
    return "; ".join(refs) or "the scenario's objectives and targets"


# ---------------------------------------------------------------------------- the AAR/IP


def _member_label(facts: DrillFacts, name: str) -> str:
    participant = (facts.start.get("participants") or {}).get(name)
    return f"{participant} (playing {name})" if participant else name


def _contact(facts: DrillFacts, role: str, info: ExerciseInfo) -> tuple[str, str]:
    team = facts.start.get("team") or (facts.roster.team if facts.roster else None) or "the team"
    owner = info.owners.get(role)
    organisation = (owner.organisation if owner else None) or team
    contact = owner.contact if owner and owner.contact else None
    if contact is None:
        holders = _holders(facts, role)
        contact = (
            f"{role_title(role, declared_roles(facts))}: {', '.join(_member_label(facts, h) for h in holders)}"
            if holders
            else f"{role_title(role, declared_roles(facts))} (nobody on the roster holds the role)"
        )
    return organisation, contact


def _day(drill: date | None, days: int) -> str:
    return (drill + timedelta(days=days)).isoformat() if drill else f"day {days} after the drill"


def _real_duration(facts: DrillFacts) -> str:
    start = facts.wall
    ended = facts.played_until
    sim = format_duration(ended) if ended else "0s"
    policy = facts.start.get("policy")
    if policy:  # autoplay: nobody sat at it, so its wall-clock time says nothing about the team
        return f"none: played headless by the {policy} policy, {sim} of simulated time"
    if start is None:
        return "not recorded"
    last: tuple[datetime, float] | None = None
    for record in facts.records[1:]:
        wall = record.get("wall")
        t = float(record.get("t", 0.0))
        if not wall or t > ended or record.get("type") in ("hotwash", "rating_override", "feedback"):
            continue
        try:
            when = datetime.fromisoformat(str(wall).replace("Z", "+00:00"))
        except ValueError:
            continue
        if last is None or when >= last[0]:
            last = (when, t)
    speed = float(facts.start.get("speed") or 1.0)
    # the wall clock of the last input during play, then the sim time after it at the drill's speed
    played = ended / speed if last is None else (last[0] - start).total_seconds() + max(0.0, ended - last[1]) / speed
    seconds = max(played, 0.0)
    return f"about {format_duration(round(seconds))} of wall-clock time for {sim} of simulated time (speed x{speed:g})"


def _threat(facts: DrillFacts) -> str:
    scenario = facts.scenario
    words = scenario.category.replace("-", " ")
    return f"AI system failure: {words} ({scenario.severity})"


def overview(facts: DrillFacts, card: Scorecard, info: ExerciseInfo) -> dict[str, Any]:
    scenario = facts.scenario
    team = card.team or (facts.roster.team if facts.roster else None) or "—"
    kind = info.type or DEFAULT_TYPE
    limit = format_duration(scenario.duration)
    ended = (card.end_reason or "not ended").replace("_", " ")
    scope = info.scope or (
        f"{kind}; time limit {limit} of simulated time, ended at {format_time(card.ended_at)} ({ended}); "
        f"{'played by ' + card.policy if card.policy else 'played by the team in one room with a facilitator'}"
        f"{'; held at ' + info.location if info.location else ''}. Limits on play: the systems, metrics and "
        "outside parties are simulated; no real system is changed and no real message is sent."
    )
    crisis = _holders(facts, "crisis-lead")
    poc = info.point_of_contact or (
        f"{_member_label(facts, crisis[0])}, crisis lead, {team}" if crisis else f"the facilitator of {team}"
    )
    capabilities: list[str] = []
    for o in scenario.objectives:
        if o.capability not in capabilities:
            capabilities.append(o.capability)
    name = info.name or " — ".join(x for x in (scenario.title, card.label) if x)
    return {
        "name": name,
        "dates": card.date or "not recorded",
        "type": kind,
        "scope": scope,
        "mission_areas": list(info.mission_areas) or ["Response"],
        "core_capabilities": capabilities,
        "objectives": [o.text for o in scenario.objectives],
        "threat": info.threat or _threat(facts),
        "scenario": scenario.summary,
        "sponsor": info.sponsor or team,
        "participating_organisations": list(info.participating_organisations) or [team],
        "point_of_contact": poc,
        "real_time_duration": _real_duration(facts),
    }


OVERVIEW_LABELS = (
    ("name", "Exercise name"),
    ("dates", "Exercise dates"),
    ("type", "Exercise type"),
    ("scope", "Scope"),
    ("mission_areas", "Mission area(s)"),
    ("core_capabilities", "Core capabilities"),
    ("objectives", "Objectives"),
    ("threat", "Threat or hazard"),
    ("scenario", "Scenario"),
    ("sponsor", "Sponsor"),
    ("participating_organisations", "Participating organisations"),
    ("point_of_contact", "Point of contact"),
    ("real_time_duration", "Real-time duration"),
)


def observations_of(facts: DrillFacts) -> list[dict[str, Any]]:
    """The evaluator observations in the journal, oldest first."""
    out = []
    for record in facts.records:
        if record.get("type") != "observation":
            continue
        objective = record.get("objective")
        out.append(
            {
                "t": format_time(float(record.get("t", 0.0))),
                "recorded": record.get("wall"),
                "objective": objective,
                "task": record.get("task"),
                "task_text": task_label(facts.scenario, objective, record.get("task")),
                "rating": record.get("rating"),
                "text": record.get("text"),
                "author": record.get("author") or "evaluator",
            }
        )
    return out


def feedback_of(facts: DrillFacts) -> dict[str, Any]:
    """The participant feedback forms, aggregated: per rated statement the count, mean and spread; the texts."""
    forms = [r for r in facts.records if r.get("type") == "feedback"]
    questions = []
    for qid, text in FEEDBACK_QUESTIONS:
        values = [
            int(v)
            for v in ((r.get("ratings") or {}).get(qid) for r in forms)
            if isinstance(v, int | float) and 1 <= int(v) <= 5
        ]
        questions.append(
            {
                "id": qid,
                "text": text,
                "responses": len(values),
                "mean": f"{sum(values) / len(values):.1f}" if values else "—",
                "distribution": [values.count(n) for n in range(1, 6)],
            }
        )
    texts = []
    for qid, label in FEEDBACK_TEXT:
        answers = []
        for r in forms:
            value = (r.get("answers") or {}).get(qid)
            if value and str(value).strip():
                answers.append({"who": r.get("participant") or "anonymous", "text": str(value).strip()})
        texts.append({"id": qid, "label": label, "answers": answers})
    return {"forms": len(forms), "questions": questions, "texts": texts}


def _numbered(items: list[str]) -> str:
    """Several items of a summary's list numbered, "(1) ...; (2) ...": a title or a don't's reason may hold a
    semicolon itself ("Denied an exposure before it was scoped; shared unverified claims")."""
    if len(items) == 1:
        return items[0]
    return "; ".join(f"({n}) {item}" for n, item in enumerate(items, 1))


def executive_summary(
    facts: DrillFacts,
    card: Scorecard,
    info: ExerciseInfo,
    issues: list[Issue],
    strengths: list[Finding],
    plan: list[dict[str, Any]],
) -> list[str]:
    ov = overview(facts, card, info)
    team = card.team or "The team"
    names = {m.name for m in facts.roster.members} if facts.roster else set()
    policy = facts.start.get("policy")
    ran = f"was played headless by the {policy} policy" if policy else f"ran {ov['real_time_duration']}"
    paragraphs = [
        f'On {ov["dates"]} {team} exercised its response to "{facts.scenario.title}" ({facts.scenario.severity}), '
        f"a {facts.scenario.category.replace('-', ' ')} failure of an AI system: {facts.scenario.summary} "
        f"The drill {ran} and ended at {format_time(card.ended_at)} "
        f"({(card.end_reason or 'not ended').replace('_', ' ')}); it scored {card.score.total:g} out of 100"
        + (f" against a par of {card.par_score:g} for {par_team(card)}." if card.par_score is not None else ".")
    ]
    if card.objectives:
        by_rating: dict[str, list[str]] = {}
        for o in card.objectives:
            by_rating.setdefault(o.rating, []).append(f"{o.capability} ({o.id})")
        parts = [f"{RATING_NAMES[r].lower()} ({r}): {join_words(names)}" for r, names in by_rating.items()]
        paragraphs.append(f"Of {len(card.objectives)} objectives, " + "; ".join(parts) + ".")
    if strengths:
        paragraphs.append(f"Major strengths: {_numbered([lower_first(s.title, names) for s in strengths[:3]])}.")
    if issues:
        items = [lower_first(i.finding.title.rstrip("."), names) for i in issues[:3]]
        more = f" ({len(issues) - 3} more in the analysis)" if len(issues) > 3 else ""
        paragraphs.append(f"Primary areas for improvement: {_numbered(items)}{more}.")
    else:
        paragraphs.append("No area for improvement was found in the journal.")
    donts = sorted((p for p in card.penalties if p.source.startswith("action:")), key=lambda p: (-p.points, p.t))
    if donts:
        # the harm the team did, worst first, in the summary an executive reads (the analysis has each in its
        # objective, where a missed milestone can come before it)
        shown = [f"{p.reason.rstrip('.')} (at {format_time(p.t)}, -{p.points} points)" for p in donts[:3]]
        more = f" ({len(donts) - 3} more in the scorecard)" if len(donts) > 3 else ""
        paragraphs.append(f"Don'ts done: {_numbered(shown)}{more}.")
    if plan:
        first = min(plan, key=lambda p: p["completion_days"])
        paragraphs.append(
            f"The improvement plan assigns {len(plan)} corrective action{'s' if len(plan) != 1 else ''}; "
            f"the first is due {first['completion']} ({first['organisation']}, {first['contact']})."
        )
    return paragraphs


def build_aar(
    facts: DrillFacts, card: Scorecard, found: list[Finding], info: ExerciseInfo | None = None
) -> dict[str, Any]:
    """Every AAR/IP section as plain JSON data (see the module docstring)."""
    info = info or ExerciseInfo()
    issues = merge_issues(found, facts, card) + hotwash_issues(facts)
    strengths = [f for f in found if f.kind == "strength"]
    observations = observations_of(facts)
    tasks = critical_tasks(facts.scenario)
    objective_text = {o.id: o for o in facts.scenario.objectives}
    drill_day = facts.drill_date

    issue_rows: list[dict[str, Any]] = []
    for number, issue in enumerate(issues, start=1):
        objectives = objectives_of(issue.keys, facts)
        role = issue.finding.owner or "crisis-lead"
        organisation, contact = _contact(facts, role, info)
        completion_days = info.ip_completion_days or issue.due_days or 30
        start_days = min(info.ip_start_days, completion_days)
        issue_rows.append(
            {
                "number": number,
                "title": issue.finding.title,
                "rules": issue.rules,
                "objectives": objectives,
                "capability": objective_text[objectives[0]].capability
                if objectives
                else "Cross-cutting (no single objective)",
                "evidence": issue.evidence,
                "reference": _reference(issue.keys, facts),
                "root_cause": root_cause(issue.keys, facts, card)
                or (
                    "not analysed yet: raised in the hotwash, for the after-action meeting"
                    if issue.finding.rule.startswith("hotwash:")
                    else "see the evidence"
                ),
                "recommendation": " ".join(issue.actions)
                or "To be agreed at the after-action meeting, with an owner and a date.",
                "element": element_for(issue.finding, info),
                "owner_role": role,
                "owner": role_title(role, declared_roles(facts)),
                "organisation": organisation,
                "contact": contact,
                "start": _day(drill_day, start_days),
                "completion": _day(drill_day, completion_days),
                "completion_days": completion_days,
            }
        )

    analysis = []
    for o in card.objectives:
        measured = [m.detail for m in o.measures]
        good = [m.detail for m in o.measures if m.status == "met"]
        for s in strengths:
            keys = {"communication"} if s.rule == "communication" else set()
            if s.rule == "clocks-met":
                keys = {f"clock:{c.id}" for c in facts.scenario.clocks}
            if o.id in objectives_of(keys, facts):
                good.append(f"{s.title}: {'; '.join(s.evidence)}")
        analysis.append(
            {
                "id": o.id,
                "text": o.text,
                "capability": o.capability,
                "target": o.target,
                "rating": o.rating,
                "rating_name": RATING_NAMES[o.rating],
                "computed": o.computed,
                "computed_reason": o.computed_reason,
                "override": o.override,
                "override_reason": o.override_reason,
                "evidence": measured,
                "critical_tasks": [t.text for t in tasks.get(o.id, [])],
                "strengths": good,
                "improvements": [r["number"] for r in issue_rows if o.id in r["objectives"]],
                "observations": [x for x in observations if x["objective"] == o.id],
            }
        )
    plan = [
        {
            "number": r["number"],
            "capability": r["capability"],
            "issue": r["title"],
            "corrective_action": r["recommendation"],
            "element": r["element"],
            "organisation": r["organisation"],
            "contact": r["contact"],
            "start": r["start"],
            "completion": r["completion"],
            "completion_days": r["completion_days"],
        }
        for r in issue_rows
    ]
    return {
        "sections": [{"key": k, "title": t} for k, t in SECTIONS],
        "overview": overview(facts, card, info),
        "overview_labels": [{"key": k, "label": label} for k, label in OVERVIEW_LABELS],
        "executive_summary": executive_summary(facts, card, info, issues, strengths, plan),
        "analysis": analysis,
        "issues": issue_rows,
        "cross_cutting": [r["number"] for r in issue_rows if not r["objectives"]],
        "plan": plan,
        "hotwash": [{"kind": h.get("kind") or "note", "text": h.get("text")} for h in facts.hotwash],
        "observations": observations,
        "feedback": feedback_of(facts),
    }


__all__ = ["FEEDBACK_QUESTIONS", "FEEDBACK_TEXT", "SECTIONS", "Issue", "build_aar", "merge_issues"]
