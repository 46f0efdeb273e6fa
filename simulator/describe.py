"""Journal records in words: the one place a record becomes a line, for the live feed and the report.

``describe(record, scenario, clocks)`` returns a :class:`Line`, or None for a record nobody reads as a
line (samples, submissions, a member responding, debrief inputs). The live feed (``Drill._to_feed``,
``feed=True``) shows the ``text`` of the records in ``FEED_TYPES``; the report's timeline shows the
records in ``REPORT_TYPES`` as ``title``, ``who`` and ``report_text`` (the text with what the controller
knows: labels, deadlines, waits). Which lines a *seat* sees is the host's rule
(``host.views.Audiences``); which feed lines wait for the first alert is the engine's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple, Protocol

from drillsim.simulator.durations import format_clock, format_duration, format_time
from drillsim.simulator.model import Metric, Scenario

CLOCK_VERBS = {"clock_started": "started", "clock_met": "met", "clock_missed": "MISSED"}


class _Clock(Protocol):
    @property
    def started_at(self) -> float | None: ...


class Line(NamedTuple):
    """A record in words."""

    kind: str
    """How the feed styles it: ``inject``, ``alert``, ``facilitator``, ``outcome``, ``failure``, ``milestone``,
    ``penalty``, ``decision``, ``clock``, ``page``, ``note``, ``system``."""
    channel: str
    sender: str | None
    to: str
    text: str
    """The feed's line."""
    title: str
    """What happened in a word or two: the report timeline's kind column."""
    who: str | None = None
    """Who acted, or who a message went from and to: the report timeline's who column."""
    full: str | None = None
    """The report's line when it says more than ``text`` (None: ``text``)."""

    @property
    def report_text(self) -> str:
        return self.text if self.full is None else self.full


def readable_number(value: float) -> str:
    """A metric value for people: 1,234 · 12.3 · 1.17 (no trailing zeros), not 1.1667."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    text = f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def metric_text(spec: Metric, value: float, slo: bool = False) -> str:
    """``9.85/min (SLO ≤ 1/min)``: rounded, with the metric's unit (and its SLO)."""
    unit = spec.unit
    text = f"{readable_number(value)}{unit}"
    if slo and spec.slo is not None:
        bounds = [f"≤ {readable_number(spec.slo.max)}{unit}"] if spec.slo.max is not None else []
        bounds += [f"≥ {readable_number(spec.slo.min)}{unit}"] if spec.slo.min is not None else []
        if bounds:
            text += f" (SLO {', '.join(bounds)})"
    return text


def _bound_at(spec: Metric, value: float) -> tuple[str, str] | None:
    """``("max", "≤ 360ms")`` when ``value`` reads as one of the metric's SLO bounds (a crossing: the engine
    finds it exactly, so the value then is the bound), else None: "outside its SLO: 360ms (SLO ≤ 360ms)" would
    read as within it."""
    if spec.slo is None:
        return None
    shown = readable_number(value)
    if spec.slo.max is not None and shown == readable_number(spec.slo.max):
        return "max", f"≤ {shown}{spec.unit}"
    if spec.slo.min is not None and shown == readable_number(spec.slo.min):
        return "min", f"≥ {shown}{spec.unit}"
    return None


def milestone_label(scenario: Scenario, milestone: str) -> str:
    """The milestone's label, or its id in words (``root-cause_found`` -> ``Root cause found``)."""
    spec = scenario.scoring.milestones.get(milestone)
    if spec is not None and spec.label:
        return spec.label
    return milestone.replace("-", " ").replace("_", " ").capitalize()


def action_label(scenario: Scenario, action: Any) -> str:
    """The action's label, or the id the journal gave."""
    try:
        return scenario.action(action).label
    except KeyError:
        return str(action)


def fault_label(scenario: Scenario, fault: Any) -> str:
    return next((f.label for f in scenario.faults if f.id == fault), str(fault))


def _system(text: str, title: str, channel: str = "drill", **more: Any) -> Line:
    return Line("system", channel, None, "everyone", text, title, **more)


FEED_TYPES = frozenset(
    {
        "inject",
        "facilitator_inject",
        "action_finished",
        "action_queued",
        "milestone",
        "penalty",
        "decision_timed_out",
        "decision_resolved",
        "clock_started",
        "clock_met",
        "clock_missed",
        "clock_recorded",
        "page",
        "note",
        "metric_breach",
        "metric_restored",
        "drill_ended",
    }
)
"""The records the live feed shows (the engine holds back some until the players may see them)."""
REPORT_TYPES = FEED_TYPES | {
    "action_started",
    "action_rejected",
    "decision_answered",
    "impact_started",
    "fault_started",
    "paused",
    "resumed",
}
"""The records the report's timeline shows: the feed's and what the team saw elsewhere (the member panel,
the status bar) or only the controller knows (impact start, faults)."""


def describe(
    record: Mapping[str, Any], scenario: Scenario, clocks: Mapping[str, _Clock], *, feed: bool = False
) -> Line | None:
    """The record in words, or None: for the live feed (``feed``) the records of ``FEED_TYPES``, else those of
    ``REPORT_TYPES``. ``clocks``: each clock's state by id (its ``started_at``), which a ``clock_recorded`` line
    tells. A record without the fields its type has (a hostile journal) has no line."""
    if record.get("type") not in (FEED_TYPES if feed else REPORT_TYPES):
        return None  # most records (samples, submissions, rejections) leave here, cheaply
    try:
        return _words(record, scenario, clocks)
    except (KeyError, TypeError, AttributeError):
        return None


def _words(r: Mapping[str, Any], scenario: Scenario, clocks: Mapping[str, _Clock]) -> Line | None:
    # One match on the type string: mapping patterns (``case {"type": "inject", "text": text}``) read better
    # but cost about 10 us a line, and the engine describes every record it writes.
    match r["type"]:
        case "inject":
            channel, sender, to, text = r["channel"], r.get("from"), r["to"], r["text"]
            decision = r.get("decision")
            asked = (
                f"{text} — decision: {decision.get('prompt')} (deadline {format_time(decision.get('deadline_at'))})"
                if isinstance(decision, dict) and decision
                else None
            )
            return Line(
                "alert" if r.get("alert") else "inject",
                channel,
                sender,
                to,
                text,
                f"inject · {channel}" + (" (red herring)" if r.get("red_herring") else ""),
                f"{sender or '?'} → {to or 'everyone'}",
                asked,
            )
        case "facilitator_inject":
            sender, to = r.get("from"), r["to"]
            who = f"{sender or 'Facilitator'} → {to or 'everyone'}"
            return Line("facilitator", r["channel"], sender, to, r["text"], "facilitator inject", who)
        case "action_finished":
            member, success, text = r["member"], r["success"], r.get("text") or ""
            full = f"{action_label(scenario, r['action'])}: {text}"
            title = "action done" if success else "action FAILED"
            return Line("outcome" if success else "failure", "team", member, "everyone", text, title, member, full)
        case "action_queued":
            label, member = action_label(scenario, r["action"]), r["member"]
            return _system(f"{label}: queued for {member}", "action queued", "team", who=member, full=label)
        case "action_started":
            waited = float(r.get("waited") or 0.0)
            after = f" after waiting {format_time(waited)}" if waited > 0 else ""
            role = "" if r.get("role_match", True) else " (outside their role)"
            text = f"{action_label(scenario, r['action'])}{after}{role}"
            return _system(text, "action started", "team", who=r["member"])
        case "action_rejected":
            return _system(f"{action_label(scenario, r['action'])}: {r['reason']}", "action rejected", "team")
        case "milestone":
            label = milestone_label(scenario, r["milestone"])
            return Line("milestone", "drill", None, "everyone", f"Milestone reached: {label}", "milestone", full=label)
        case "penalty":
            return Line("penalty", "drill", None, "everyone", f"-{r['points']} points: {r['reason']}", "penalty")
        case "decision_answered":
            return _system(f"answered: {action_label(scenario, r['action'])}", "decision")
        case "decision_timed_out":
            text = r["text"]
            return Line(
                "decision", "drill", None, "everyone", f"No answer in time. {text}", "decision timed out", full=text
            )
        case "decision_resolved":
            text = r["text"]
            return Line(
                "decision", "drill", None, "everyone", f"Decision closed. {text}", "decision resolved", full=text
            )
        case "clock_recorded":
            state = clocks.get(r["clock"])
            since = format_clock((state.started_at if state is not None else None) or 0.0)
            real = format_duration(_number(r["delay"]) * scenario.time_scale)
            text = f"{r['regime']} clock recorded; it has run since {since} ({real} before recording)"
            return Line("clock", "regulator", None, "everyone", text, "clock recorded")
        case "clock_started" | "clock_met" | "clock_missed" as kind:
            text = f"{r['regime']} clock {CLOCK_VERBS[kind]}"
            due = f" (due {format_time(r.get('due_at'))})" if kind == "clock_started" else ""
            return Line("clock", "regulator", None, "everyone", text, "clock", full=text + due)
        case "page":
            member, reason = r["member"], r["reason"]
            return Line(
                "page", "pager", None, member, f"{member} paged ({reason})", "page", member, f"paged ({reason})"
            )
        case "note":
            author = r.get("author")
            return Line("note", "note", author, "everyone", r["text"], "note", author)
        case "metric_breach" | "metric_restored" as kind:
            metric, value = r["metric"], _number(r["value"])
            spec = scenario.metrics.get(metric)
            label = (spec.label if spec else None) or metric
            at = _bound_at(spec, value) if spec else None
            if kind == "metric_breach":
                if at is not None:  # a ramp crossing, found exactly: the value is the bound itself
                    verb = "fell below" if at[0] == "min" else "rose above"
                    text = f"{label} {verb} its SLO ({at[1]})"
                else:
                    shown = metric_text(spec, value, slo=True) if spec else readable_number(value)
                    text = f"{label} outside its SLO: {shown}"
                return Line("alert", "dashboard", "Monitoring", "everyone", text, "SLO breach")
            if at is not None:
                text = f"{label} back within its SLO ({at[1]})"
            else:
                text = f"{label} back within its SLO: {metric_text(spec, value) if spec else readable_number(value)}"
            return Line("system", "dashboard", "Monitoring", "everyone", text, "SLO restored")
        case "drill_ended":
            words = str(r["reason"]).replace("_", " ")
            return _system(f"Drill ended ({words})", "drill ended", full=words)
        case "impact_started":
            return _system(f"Impact started: {fault_label(scenario, r['fault'])}", "impact")
        case "fault_started" if r.get("impact") is False:
            return _system(f"Non-impacting fault: {fault_label(scenario, r['fault'])}", "fault")
        case "paused" | "resumed" as kind:
            return _system("", kind, who="facilitator")
        case _:
            # fault_stopped: no line. Its label names the root cause (the controller's); the players read
            # the stopping action's own outcome text.
            return None


def _number(value: Any) -> float:
    """A journal number; anything else (text, true/false) is no number (TypeError: the record has no line)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    return value
