"""Lessons learned: the scenario's own rules and the rules every drill gets.

``findings(records, card=None)`` returns the report's strengths and areas for improvement.
Each finding carries evidence from the journal (times as ``mm:ss``), a corrective action,
the role that owns it and a due date (the drill date plus the rule's ``due``). The
scenario's ``lessons`` are evaluated over the whole journal at the end: a ``not_by``
condition holds when the milestone or action had not happened by that time, including
when the drill ended before it without it happening.

It is long because ``_generic`` is the rule book every drill gets (one rule after another, each
with its evidence, corrective action and owner) and ``_strengths`` its mirror, after the scenario's own
conditions. The rules share their helpers (``_improvement``, ``_due``, ``declared_roles``), and one file is
where a trainer reads everything a drill is judged by (docs/scoring.md lists the rules).
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection
from datetime import date, timedelta
from typing import Any, Literal

from drillsim.reports.facts import DrillFacts
from drillsim.reports.scoring import (
    ClockResult,
    Scorecard,
    milestone_interval_name,
    score_facts,
    shorten,
    team_time,
)
from drillsim.simulator.durations import format_duration, format_time
from drillsim.simulator.model import (
    ActionCondition,
    ClockCondition,
    Condition,
    DecisionCondition,
    MetricCondition,
    MilestoneCondition,
)
from drillsim.simulator.roles import role_title
from pydantic import BaseModel, ConfigDict

DEFAULT_DUE = 30 * 86400.0
LOAD_SHARE = 0.5
"""One member carrying more than this share of the actions (with three or more members) is a finding."""


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["improvement", "strength"]
    rule: str
    """``scenario:N`` for the scenario's N-th lesson, else the generic rule's id."""
    title: str
    evidence: list[str]
    corrective_action: str | None = None
    owner: str | None = None
    """Role id that owns the corrective action."""
    owner_title: str | None = None
    due: str | None = None
    """ISO date, the drill date plus the rule's due period (null without a drill date)."""
    due_days: int | None = None
    status: Literal["late", "never", "not_reached"] | None = None
    """For a ``not_by`` lesson: whether it happened late, never at all, or was ``not_reached`` because the
    drill ended before its ``not_by`` time (the team did not get the chance)."""


def clauses(items: list[str]) -> str:
    """Texts joined with "; " as one sentence: a full stop ending any but the last is dropped ("the exposure
    grows; 'What does...", not "grows.; 'What")."""
    texts = [str(item) for item in items]
    return "; ".join([t[:-1] if t.endswith(".") and not t.endswith("..") else t for t in texts[:-1]] + texts[-1:])


def par_team(card: Scorecard) -> str:
    """Who par is: the reference team (par's policy since scorecard schema 3) or, in older par, the playbook."""
    if card.par_basis is not None and card.par_basis.policy == "playbook":
        return "the playbook"
    return "the reference team (the playbook played with realistic delays)"


def par_drills(card: Scorecard) -> str:
    """Par's drills, in a count: "reference-team drills" (or "playbook drills" for older par)."""
    return (
        "playbook drills"
        if card.par_basis is not None and card.par_basis.policy == "playbook"
        else "reference-team drills"
    )


def lower_first(text: str, names: Collection[str] = ()) -> str:
    """Lower-case a title's first letter for a sentence ("The rollback" -> "the rollback"); "CEO" and names stay."""
    first = text.split(" ", 1)[0]
    if (len(text) > 1 and text[1].isupper()) or first in names:
        return text
    return text[:1].lower() + text[1:]


def join_words(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------------------- conditions


def _late_or_never(
    subject: str, verb: str, at: float | None, not_by: float, facts: DrillFacts
) -> tuple[bool, list[str]]:
    """A ``not_by`` condition: it holds when the moment came after ``not_by`` or never came at all."""
    if at is None:
        return True, [
            f"{subject} not {verb} by the end of the drill ({format_time(facts.played_until)}); due by {format_time(not_by)}"
        ]
    if at > not_by:
        return True, [f"{subject} {verb} at {format_time(at)}, after {format_time(not_by)}"]
    return False, []


def evaluate(condition: Condition, facts: DrillFacts) -> tuple[bool, list[str]]:
    """Whether a scenario condition held over the whole drill, with the evidence."""
    if isinstance(condition, MilestoneCondition):
        name = condition.milestone
        reached = facts.milestones.get(name)
        label = facts.milestone_label(name)
        if condition.not_by is None:
            return reached is not None, ([f"{label} reached at {format_time(reached)}"] if reached is not None else [])
        return _late_or_never(label, "reached", reached, condition.not_by, facts)
    if isinstance(condition, ActionCondition):
        name = condition.action
        done = facts.action_done_at(name)
        label = facts.action_label(name)
        if condition.not_by is None:
            if done is None:
                return False, []
            who = next((r.member for r in facts.runs if r.action == name and r.finished_at == done), None)
            return True, [f"'{label}' done at {format_time(done)}" + (f" by {who}" if who else "")]
        return _late_or_never(f"'{label}'", "done", done, condition.not_by, facts)
    if isinstance(condition, ClockCondition):
        clock = facts.clocks.get(condition.clock)
        if clock is None or clock.started_at is None:
            return bool(condition.missed), [f"the {clock.regime if clock else condition.clock} clock never started"]
        missed = clock.status(facts.played_until) == "missed"
        if missed:
            return bool(condition.missed), [
                f"the {clock.regime} clock started at {format_time(clock.started_at)} and was due at {format_time(clock.due_at)}"
                + (
                    f"; notified at {format_time(clock.notified_at)}"
                    if clock.notified_at is not None
                    else "; never notified"
                )
            ]
        return not condition.missed, []
    if isinstance(condition, DecisionCondition):
        found = next((d for d in facts.decisions if d.inject == condition.decision), None)
        timed_out = found is not None and found.timed_out_at is not None
        if timed_out and found is not None:
            return bool(condition.timed_out), [
                f"'{shorten(found.prompt, 90)}' arrived at {format_time(found.arrived_at)} and timed out at {format_time(found.timed_out_at)}"
            ]
        return not condition.timed_out and found is not None, []
    return _metric_held(condition, facts)


def _metric_held(condition: MetricCondition, facts: DrillFacts) -> tuple[bool, list[str]]:
    metric = condition.metric
    need = float(condition.for_ or 0.0)
    since: float | None = None
    spec = facts.scenario.metrics.get(metric)
    unit = spec.unit if spec else ""
    label = spec.label if spec and spec.label else metric
    for sample in facts.samples:
        values = sample.get("values") or {}
        if metric not in values:
            continue
        t = float(sample.get("t", 0.0))
        value = float(values[metric])
        if condition.holds_for_value(value):
            if since is None:
                since = t
            if t - since >= need:
                comparison = condition.comparison_text()
                return True, [
                    f"{label} {comparison}{unit} from {format_time(since)} (held at least {format_time(need)})"
                ]
        else:
            since = None
    return False, []


# ---------------------------------------------------------------------------- findings


def _due(day: date | None, seconds: float) -> tuple[str | None, int]:
    days = max(1, round(seconds / 86400.0))
    return ((day + timedelta(days=days)).isoformat() if day else None), days


def declared_roles(facts: DrillFacts) -> dict[str, str]:
    """The roles the roster and the scenario declare (``roles:``), for ``role_title``: a report names a
    declared role by its title, as it does a catalogue role."""
    return {**(facts.roster.roles if facts.roster is not None else {}), **facts.scenario.roles}


def _improvement(
    facts: DrillFacts, rule: str, title: str, evidence: list[str], action: str, owner: str, due: float = DEFAULT_DUE
) -> Finding:
    when, days = _due(facts.drill_date, due)
    return Finding(
        kind="improvement",
        rule=rule,
        title=title,
        evidence=evidence,
        corrective_action=action,
        owner=owner,
        owner_title=role_title(owner, declared_roles(facts)),
        due=when,
        due_days=days,
    )


def _recorded_late(facts: DrillFacts, clock: ClockResult) -> Finding:
    """A clock the law started on evidence ran more than a quarter of its deadline before the team recorded it."""
    assert clock.record_delay is not None and clock.record_target is not None
    spec = next(c for c in facts.scenario.clocks if c.id == clock.id)
    scale = facts.scenario.time_scale
    real = (
        f" ({format_duration(clock.record_delay * scale)} of the real {format_duration(spec.deadline)})"
        if scale != 1
        else ""
    )
    recorded = (
        f"recorded at {format_time(clock.recorded_at)} by '{shorten(facts.action_label(str(spec.recorded_by)), 60)}'"
        if clock.recorded_at is not None
        else f"never recorded by the end ({format_time(facts.played_until)})"
    )
    return _improvement(
        facts,
        f"clock-recorded-late:{clock.id}",
        f"The {clock.regime} clock ran {format_time(clock.record_delay)} before the team recorded it",
        [
            f"the law started it at {format_time(clock.started_at)} ({facts.milestone_label(spec.starts_on)}); {recorded}: "
            f"{format_time(clock.record_delay)}{real}, more than a quarter of the deadline ({format_time(clock.record_target)})"
        ],
        f"Record the {clock.regime} start when the first credible evidence arrives, with that time; "
        "make the recording a timed step of the first hour and pre-draft the notification.",
        "compliance-officer",
    )


def _strength(rule: str, title: str, evidence: list[str]) -> Finding:
    return Finding(kind="strength", rule=rule, title=title, evidence=evidence)


def findings(records: list[dict[str, Any]], card: Scorecard | None = None) -> list[Finding]:
    """Strengths and areas for improvement of a drill, improvements first (scenario rules, then generic)."""
    facts = DrillFacts.from_records(records)
    return findings_from(facts, card or score_facts(facts))


def _never(condition: Condition, facts: DrillFacts) -> bool | None:
    """For a ``not_by`` condition: True when it never happened, False when it happened late; else None."""
    if isinstance(condition, MilestoneCondition) and condition.not_by is not None:
        return facts.milestones.get(condition.milestone) is None
    if isinstance(condition, ActionCondition) and condition.not_by is not None:
        return facts.action_done_at(condition.action) is None
    return None


def findings_from(facts: DrillFacts, card: Scorecard) -> list[Finding]:
    out: list[Finding] = []
    covered: set[str] = set()
    """What the scenario's own lessons already raised (``action:ID``, ``decision:ID``): one row each."""
    for number, lesson in enumerate(facts.scenario.lessons, start=1):
        held, evidence = evaluate(lesson.when, facts)
        if held:
            never = _never(lesson.when, facts)
            title = lesson.finding
            cut_short = bool(never) and facts.ended_before(getattr(lesson.when, "not_by", None))
            if cut_short:
                title = f"{_subject(lesson.when, facts)} not reached {facts.before_the_end} (due by {format_time(lesson.when.not_by)})"
                evidence = _how_far(lesson.when, facts) or evidence  # the title says when it ended: say how far it got
            elif never:
                title = lesson.finding_never or f"{_subject(lesson.when, facts)} never happened during the drill"
            found = _improvement(
                facts,
                f"scenario:{number}",
                title,
                evidence,
                lesson.corrective_action,
                lesson.owner,
                lesson.due,
            )
            if never is not None:
                status = "not_reached" if cut_short else "never" if never else "late"
                found = found.model_copy(update={"status": status})
            out.append(found)
            if isinstance(lesson.when, ActionCondition) and lesson.when.not_by is None:
                covered.add(f"action:{lesson.when.action}")
            if isinstance(lesson.when, DecisionCondition):
                covered.add(f"decision:{lesson.when.decision}")
    out.extend(_generic(facts, card, covered))
    out.extend(_strengths(facts, card))
    return out


def _how_far(condition: Condition, facts: DrillFacts) -> list[str]:
    """How far the team got towards a milestone or action the drill ended before: each action that would
    have done it (the action itself, or the actions that mark the milestone), as the drill left it."""
    if isinstance(condition, ActionCondition):
        actions = [condition.action]
    elif isinstance(condition, MilestoneCondition):
        actions = [a.id for a in facts.scenario.actions if condition.milestone in a.marks]
    else:
        return []
    out = []
    for action in actions:
        label = facts.action_label(action)
        runs = [r for r in facts.runs if r.action == action]
        taken = [r for r in runs if r.rejected is None]  # a refused retry says less than the run it retried
        last = taken[-1] if taken else runs[-1] if runs else None
        ruled_out = next(
            (
                r
                for r in facts.records
                if r.get("type") == "action_cancelled" and r.get("action") == action and r.get("forbidden_by")
            ),
            None,
        )
        if last is None:
            out.append(f"'{label}' was never asked for")
        elif ruled_out is not None and last.started_at is None:
            by = facts.action_label(str(ruled_out["forbidden_by"]))
            out.append(f"'{label}' was ruled out by '{by}' at {format_time(float(ruled_out.get('t', 0.0)))}")
        elif last.rejected is not None:
            out.append(
                f"'{label}' was asked for at {format_time(last.submitted_at or 0.0)} and refused: {last.rejected}"
            )
        elif last.finished_at is not None and last.success is False:
            out.append(f"'{label}' failed at {format_time(last.finished_at)}")
        elif last.started_at is not None and last.finished_at is None:
            out.append(f"'{label}' was under way when the drill ended (started at {format_time(last.started_at)})")
        elif last.started_at is None and last.submitted_at is not None:
            out.append(f"'{label}' was waiting for {last.member or 'its member'} when the drill ended")
    return out


def _subject(condition: Condition, facts: DrillFacts) -> str:
    if isinstance(condition, MilestoneCondition):
        return facts.milestone_label(condition.milestone)
    assert isinstance(condition, ActionCondition), "only milestone and action conditions have a not_by"
    return f"'{facts.action_label(condition.action)}'"


def _generic(facts: DrillFacts, card: Scorecard, covered: set[str] | None = None) -> list[Finding]:
    out: list[Finding] = []
    covered = covered or set()
    # detection: the monitoring (impact -> alert) apart from the team (alert -> acknowledge)
    detection = card.detection
    spec = facts.scenario.scoring.milestones.get("detected")
    target = spec.target if spec is not None else None
    if detection is not None and target is not None and card.impact_started_at is not None:
        alerts_exist = any(i.channel in ("alert", "pager") for i in facts.scenario.injects)
        if detection.source == "alert" and (detection.alert_from_impact or 0.0) > target + 1e-9:
            out.append(
                _improvement(
                    facts,
                    "alert-rule",
                    "The alert fired later than the detection target (the monitoring, not the team)",
                    [
                        f"impact started at {format_time(card.impact_started_at)}; the first alert ({detection.first_alert_inject}) fired at {format_time(detection.first_alert_at)}, {format_time(detection.alert_from_impact)} after impact (target {format_time(target)})"
                    ],
                    "Tighten the alert rule on the customer-facing metric (threshold, window) so it fires within the target.",
                    "ai-ops-engineer",
                )
            )
        elif detection.source != "alert" and alerts_exist and card.impact_started_at is not None:
            out.append(
                _improvement(
                    facts,
                    "alert-rule",
                    "No alert fired during the drill (the monitoring, not the team)",
                    [f"impact started at {format_time(card.impact_started_at)}; no alert or page inject fired"],
                    "Add an alert on the customer-facing metric that pages the on-call owner.",
                    "ai-ops-engineer",
                )
            )
        at, _ = team_time(facts, "detected", detection)
        seconds = None if at is None else at - card.impact_started_at
        cut_short = seconds is None and facts.ended_before(card.impact_started_at + target)
        if seconds is None or seconds > target + 1e-9:
            if cut_short:
                title = (
                    f"The alert was not acknowledged {facts.before_the_end}"
                    if detection.source == "alert"
                    else f"The incident was not detected {facts.before_the_end}"
                )
                evidence = (
                    f"impact started at {format_time(card.impact_started_at)}"
                    + (f"; alert at {format_time(detection.first_alert_at)}" if detection.source == "alert" else "")
                    + f"; the drill ended at {format_time(facts.played_until)}, before the detection target"
                    + f" ({format_time(target)} from impact, due at {format_time(card.impact_started_at + target)})"
                )
            elif detection.source == "alert":
                title = (
                    "Nobody acknowledged the alert"
                    if detection.ack_at is None
                    else "The alert was acknowledged later than the detection target"
                )
                evidence = (
                    f"alert at {format_time(detection.first_alert_at)}; "
                    + (
                        "no paged responder acted before the end"
                        if detection.ack_at is None
                        else f"{detection.responder or 'the responder'} acted at {format_time(detection.ack_at)}, {format_time(detection.ack_from_alert)} after the alert"
                    )
                    + f" (target {format_time(target)} from impact)"
                )
            else:
                title = "Nobody detected the incident" if seconds is None else "Detection was slower than the target"
                evidence = (
                    f"impact started at {format_time(card.impact_started_at)}; "
                    + (
                        "not detected by the end"
                        if seconds is None
                        else f"detected {format_time(seconds)} after impact"
                    )
                    + f" (target {format_time(target)})"
                )
            out.append(
                _improvement(
                    facts,
                    "slow-detection",
                    title,
                    [evidence],
                    "The paged on-call owner acknowledges within minutes and hands over to the crisis lead; rehearse the page path.",
                    "ai-ops-engineer",
                )
            )
    # communication
    comm = card.communication
    communicators = [a for a in facts.scenario.actions if a.communication and a.communication_sound]
    if comm.updates == 0 and (comm.cadence is not None or communicators):
        sent = [s for s in comm.statements if not s.counted]
        update_evidence = [
            f"no sound stakeholder update between impact ({format_time(card.impact_started_at)}) and the end ({format_time(card.ended_at)})"
        ]
        due = None if comm.first_update_target is None else facts.anchor + comm.first_update_target
        title = "No stakeholder update was sent"
        if facts.ended_before(due):
            title = f"No stakeholder update was sent {facts.before_the_end}"
            update_evidence[0] += f", before the first update was due ({format_time(due)})"
        update_evidence += [f"{format_time(s.t)} '{shorten(s.label, 60)}' did not count: {s.why}" for s in sent]
        out.append(
            _improvement(
                facts,
                "no-update",
                title,
                update_evidence,
                "Send a templated first update within the target and state the time of the next one.",
                "communications-manager",
            )
        )
    else:
        if (
            comm.first_update_target is not None
            and comm.first_update_from_impact is not None
            and comm.first_update_from_impact > comm.first_update_target
        ):
            out.append(
                _improvement(
                    facts,
                    "late-first-update",
                    "The first stakeholder update came late",
                    [
                        f"first update at {format_time(comm.first_update_at)}, {format_time(comm.first_update_from_impact)} after impact (target {format_time(comm.first_update_target)})"
                    ],
                    "Pre-approve a first-update template the communications manager can post without waiting for the cause.",
                    "communications-manager",
                )
            )
        if comm.cadence is not None and comm.largest_gap is not None and comm.largest_gap > comm.cadence:
            out.append(
                _improvement(
                    facts,
                    "update-gap",
                    "Updates stopped for longer than the agreed cadence",
                    [
                        f"no update from {format_time(comm.largest_gap_from)} to {format_time(comm.largest_gap_until)} ({format_time(comm.largest_gap)}; cadence {format_time(comm.cadence)}, counted until {comm.gap_end})"
                    ],
                    "Give every update the time of the next one and have the deputy watch the update timer.",
                    "communications-manager",
                )
            )
    premature = [s for s in comm.statements if s.premature and s.kind != "internal"]
    if premature:
        signal = comm.first_signal_at
        out.append(
            _improvement(
                facts,
                "premature-statement",
                "A statement went out before any signal the team could have seen",
                [
                    f"{format_time(s.t)} '{shorten(s.label, 60)}'; first signal "
                    + (f"at {format_time(signal)}" if signal is not None else "never")
                    for s in premature
                ],
                "Say only what the evidence shows; statements of cause go through the crisis lead and legal.",
                "communications-manager",
            )
        )
    # regulatory clocks
    for clock in card.clocks:
        if clock.status == "never_started":
            out.append(
                _improvement(
                    facts,
                    f"clock-never-started:{clock.id}",
                    f"The {clock.regime} clock was never started",
                    [
                        f"nobody made the decision that starts the {clock.regime} clock during the drill (ended {format_time(card.ended_at)})"
                    ],
                    f"Add the {clock.regime} assessment to the incident checklist and decide it explicitly in the first hour.",
                    "compliance-officer",
                )
            )
        elif clock.status == "missed":
            notified = (
                "never notified" if clock.notified_at is None else f"notified at {format_time(clock.notified_at)}"
            )
            out.append(
                _improvement(
                    facts,
                    f"clock-missed:{clock.id}",
                    f"The {clock.regime} deadline was missed",
                    [
                        f"clock started at {format_time(clock.started_at)}, due at {format_time(clock.due_at)}, {notified}"
                    ],
                    f"Pre-draft the {clock.regime} notification and name who files it as soon as the clock starts.",
                    "compliance-officer",
                )
            )
        if (
            clock.record_delay is not None
            and clock.record_target is not None
            and clock.record_delay > clock.record_target
        ):
            out.append(_recorded_late(facts, clock))
    # compliance involvement
    if facts.scenario.clocks and facts.roster is not None:
        involved = [r for r in facts.started_runs() if "compliance-officer" in facts.member_roles(r.member)]
        if not involved:
            holders = [m.name for m in facts.roster.members if "compliance-officer" in m.roles]
            who = f" ({', '.join(holders)})" if holders else " (nobody on the roster holds the role)"
            out.append(
                _improvement(
                    facts,
                    "compliance-not-involved",
                    "Compliance was not involved although the scenario has regulatory clocks",
                    [
                        f"no action was taken by a compliance officer{who}; clocks: {', '.join(c.regime for c in facts.scenario.clocks)}"
                    ],
                    "Page the compliance officer / DPO whenever personal data or a regulated system may be involved.",
                    "crisis-lead",
                )
            )
    # one member carrying the load
    members = card.people.members
    if len(members) >= 3 and card.people.total_actions >= 3:
        top = max(members, key=lambda m: m.actions)
        if top.share > LOAD_SHARE:
            out.append(
                _improvement(
                    facts,
                    "load",
                    f"{top.member} carried most of the work",
                    [
                        f"{top.member} took {top.actions} of {card.people.total_actions} actions ({top.share:.0%}); busy {format_time(top.busy_seconds)}"
                    ],
                    "Delegate by role from the start; the crisis lead assigns owners instead of doing the work.",
                    "crisis-lead",
                )
            )
    # roles nobody holds
    if facts.roster is not None:
        held = {role for m in facts.roster.members for role in m.roles}
        needed: list[str] = []
        for action in facts.scenario.actions:
            if action.penalty is None and action.role not in held and action.role not in needed:
                needed.append(action.role)
        for role in needed:
            labels = [a.label for a in facts.scenario.actions if a.role == role and a.penalty is None]
            out.append(
                _improvement(
                    facts,
                    f"role-missing:{role}",
                    f"Nobody on the roster is a {role_title(role, declared_roles(facts))}",
                    [f"the scenario needs the role for: {'; '.join(shorten(x, 60) for x in labels[:4])}"],
                    f"Name a {role_title(role, declared_roles(facts))} (and a deputy) on the on-call roster.",
                    "crisis-lead",
                )
            )
    # decisions that timed out (one row each missed decision: here, or the scenario's own lesson)
    timed_out = [d for d in card.people.decisions if d.timed_out and f"decision:{d.inject}" not in covered]
    if timed_out:
        out.append(
            _improvement(
                facts,
                "decision-timeout",
                "Decisions were left unanswered past their deadline",
                [
                    f"'{shorten(d.prompt, 70)}' arrived at {format_time(d.arrived_at)}, deadline {format_time(d.deadline_at)}"
                    + (f": {shorten(d.consequence, 80)}" if d.consequence else "")
                    for d in timed_out
                ],
                "The crisis lead names who answers stakeholder questions and answers with the next update time when facts are missing.",
                "crisis-lead",
            )
        )
    # decisions answered with a poor or harmful option
    judged = [
        d for d in card.people.decisions if d.quality in ("poor", "harmful") and f"action:{d.choice}" not in covered
    ]
    if judged:
        out.append(
            _improvement(
                facts,
                "decision-quality",
                "A decision was answered with a poor or harmful option",
                [
                    f"'{shorten(d.prompt, 60)}' ({format_time(d.arrived_at)}): '{shorten(d.choice_label or d.choice or '', 60)}' is {d.quality}"
                    + (f": {shorten(d.why, 100)}" if d.why else "")
                    for d in judged
                ],
                "Rehearse the decision with its options and their consequences; the crisis lead states the reason for the choice in the log.",
                "crisis-lead",
            )
        )
    # penalties not raised already (a scenario lesson on the don't, a timed-out decision)
    listed = [p for p in card.penalties if p.counted and p.source not in covered]
    if listed:
        owners = []
        for penalty in listed:
            if penalty.source.startswith("action:"):
                with contextlib.suppress(KeyError):
                    owners.append(facts.scenario.action(penalty.source.split(":", 1)[1]).role)
        owner = max(set(owners), key=owners.count) if owners else "crisis-lead"
        out.append(
            _improvement(
                facts,
                "penalties",
                f"Penalties incurred: {sum(p.points for p in listed)} points"
                + (f" (of {card.penalty_total})" if len(listed) < len(card.penalties) else ""),
                [f"{format_time(p.t)} −{p.points}: {shorten(p.reason, 100)}" for p in listed],
                "Review the don'ts in the playbook: no speculation about causes, no fix times, no decisions left to others.",
                owner,
            )
        )
    # actions by someone without the role
    if card.people.role_mismatches:
        out.append(
            _improvement(
                facts,
                "role-mismatch",
                "Actions were done by someone without the responsible role",
                [
                    f"{format_time(m.t)} {m.member} did '{shorten(facts.action_label(m.action), 60)}' (needs {role_title(m.action_role, declared_roles(facts))})"
                    for m in card.people.role_mismatches
                ],
                "Check the RACI at the start of the drill and hand tasks to the role that owns them.",
                "crisis-lead",
            )
        )
    return out


def _team_earned(facts: DrillFacts, card: Scorecard) -> set[str]:
    """Interval names that measure the team (not the monitoring, not a metric that moved on its own)."""
    names = {"first_update_from_impact", "first_external_update_from_impact", "ack_from_first_alert"}
    names |= {i.name for i in card.intervals if i.name.startswith("notify_")}

    for milestone in facts.milestones:
        if not team_time(facts, milestone, card.detection)[1]:
            names.add(milestone_interval_name(milestone))
    return names


def _targets_met_title(met: list[Any], targets: int) -> str:
    """The milestone-targets strength says how many of the scenario's were met, and names up to three: alone in
    the executive summary, "milestone targets met" would read as all of them."""
    if len(met) == targets:
        return f"Every milestone target met by the team ({targets})"
    if len(met) <= 3:
        labels = [met[0].label] + [lower_first(t.label) for t in met[1:]]
        return f"{join_words(labels)} on time ({len(met)} of {targets} milestone targets)"
    return f"{len(met)} of {targets} milestone targets met by the team"


def _strengths(facts: DrillFacts, card: Scorecard) -> list[Finding]:
    out: list[Finding] = []
    targets = [t for t in card.score.terms if t.component == "milestones"]
    met = [t for t in targets if t.credit >= 1.0]
    if met:
        out.append(
            _strength("targets-met", _targets_met_title(met, len(targets)), [f"{t.label}: {t.detail}" for t in met])
        )
    team = _team_earned(facts, card)
    # what the playbook reaches from the impact, and when: a moment reached "fast" while one the playbook reaches
    # before it never came (a post-mortem scheduled before anything recovered) is out of order, not fast
    from_impact = [i for i in card.intervals if i.start == "impact_started" and i.par is not None]
    # beyond noise: faster than par's fast end (p10), not merely its median
    beat = [
        i
        for i in card.intervals
        if i.name in team
        and i.par_p10 is not None
        and i.seconds is not None
        and i.par is not None
        and i.par_p10 < i.par - 1e-6
        and i.seconds < i.par_p10 - 1e-6
        and not (
            i.start == "impact_started"
            and any(e.seconds is None and e.par is not None and e.par < i.par for e in from_impact)
        )
    ]
    if beat:
        out.append(
            _strength(
                "par-beaten",
                f"{join_words([beat[0].label] + [lower_first(i.label) for i in beat[1:]])} faster than par's fast end (quicker than nine {par_drills(card)} in ten)",
                [
                    f"{i.label}: {format_time(i.seconds)} vs par {format_time(i.par)} (p10 {format_time(i.par_p10)})"
                    for i in beat
                ],
            )
        )
    comm = card.communication
    unsound = [s for s in comm.statements if not s.sound]
    if (
        comm.cadence is not None
        and comm.updates
        and comm.cadence_met
        and (comm.first_update_credit or 0) >= 1.0
        and not unsound
    ):
        out.append(
            _strength(
                "communication",
                "Stakeholders were kept informed on time",
                [
                    f"{comm.updates} updates; first {format_time(comm.first_update_from_impact)} after impact; largest gap {format_time(comm.largest_gap)}"
                ],
            )
        )
    if not card.penalties and card.people.total_actions:
        out.append(
            _strength(
                "no-penalties", "No penalties: none of the don'ts were done", ["no penalty records in the journal"]
            )
        )
    # a clock met only because the deadline was long, its start recorded after the full-credit delay (the law's
    # clock running unrecorded), is not a strength: the recording is an area for improvement
    if card.clocks and all(
        c.status == "met" and (c.record_target is None or (c.record_delay or 0.0) <= c.record_target)
        for c in card.clocks
    ):
        out.append(
            _strength(
                "clocks-met",
                "Every regulatory clock was met",
                [
                    f"{c.regime}: started {format_time(c.started_at)}, notified {format_time(c.notified_at)} (due {format_time(c.due_at)})"
                    for c in card.clocks
                ],
            )
        )
    settled = [
        d
        for d in card.people.decisions
        if (d.answered_at is not None or d.resolved_at is not None) and d.quality in (None, "sound")
    ]
    if card.people.decisions and len(settled) == len(card.people.decisions):
        out.append(
            _strength(
                "decisions",
                "Every decision was settled in time with a sound option",
                [
                    f"'{shorten(d.prompt, 70)}' "
                    + (
                        f"answered in {format_time(d.response_seconds)}"
                        if d.answered_at is not None
                        else f"already answered by what the team had done ({format_time(d.resolved_at)})"
                    )
                    + f": '{shorten(d.choice_label or '', 60)}'"
                    for d in settled
                ],
            )
        )
    return out


def improvement_plan(items: list[Finding]) -> list[Finding]:
    """The improvement-plan rows: improvements, in the order they were found."""
    return [f for f in items if f.kind == "improvement"]


__all__ = ["Finding", "evaluate", "findings", "findings_from", "improvement_plan"]
