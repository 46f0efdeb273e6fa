"""What happened in a drill, read once from its journal.

``DrillFacts.from_records`` walks the journal records (docs/architecture.md, "The
journal") and keeps the facts scoring, lessons and rendering need: the scenario and
roster rebuilt from the ``drill_started`` dumps, ground-truth moments, action runs,
decisions, clocks, penalties, metric samples and debrief inputs. Everything is a plain
value; nothing here imports the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from drillsim.simulator.describe import action_label, milestone_label
from drillsim.simulator.durations import format_time
from drillsim.simulator.metrics import samples_of
from drillsim.simulator.model import Roster, Scenario
from drillsim.simulator.records import current_hotwash


@dataclass
class ActionRun:
    """One action from submission to its end, as the journal tells it."""

    action: str
    member: str | None
    submitted_at: float | None = None
    source: str | None = None
    started_at: float | None = None
    finished_at: float | None = None
    success: bool | None = None
    role_match: bool | None = None
    waited: float = 0.0
    duration: float | None = None
    rejected: str | None = None
    text: str | None = None


@dataclass
class DecisionFacts:
    """A decision an inject opened, and what became of it."""

    inject: str
    arrived_at: float
    prompt: str
    options: list[dict[str, Any]]
    deadline_at: float | None
    answered_at: float | None = None
    answer: str | None = None
    timed_out_at: float | None = None
    consequence: str | None = None
    resolved_at: float | None = None
    """When the state answered it (one of its options was done or underway): ``decision_resolved``."""
    resolved_by: str | None = None
    resolved_text: str | None = None

    @property
    def choice(self) -> str | None:
        """The option that stands: the one answered, else the one the state resolved it with."""
        return self.answer if self.answer is not None else self.resolved_by


ClockStatus = Literal["met", "missed", "open", "never_started"]


def ended_before(played_until: float, due_at: float | None) -> bool:
    """Whether play stopped before ``due_at``: something due then that had not happened was cut short
    (the team did not get the chance), not "never" (docs/scoring.md, "A drill ended early")."""
    return due_at is not None and played_until < float(due_at) - 1e-9


def before_the_end(played_until: float) -> str:
    """The words for something a drill ended before: "before the drill ended at 04:00"."""
    return f"before the drill ended at {format_time(played_until)}"


@dataclass
class ClockFacts:
    id: str
    regime: str
    deadline: float
    started_at: float | None = None
    due_at: float | None = None
    met_at: float | None = None
    missed_at: float | None = None
    notified_at: float | None = None

    def status(self, played_until: float) -> ClockStatus:
        """``met``, ``missed`` (the journal says so, or it was due before play stopped and nobody notified
        in time), ``open`` (still running at the end) or ``never_started``: the one rule for a clock."""
        if self.started_at is None:
            return "never_started"
        if self.met_at is not None:
            return "met"
        due = None if self.due_at is None else float(self.due_at)
        if self.missed_at is not None or (due is not None and played_until > due and self.notified_at is None):
            return "missed"
        if self.notified_at is not None and due is not None:
            return "met" if self.notified_at <= due else "missed"
        return "open"


@dataclass
class DrillFacts:
    records: list[dict[str, Any]]
    start: dict[str, Any]
    scenario: Scenario
    roster: Roster | None
    impact_started_at: float | None = None
    """The ``impact_started`` record's time: ground-truth impact start (None: no impact)."""
    first_alert_at: float | None = None
    first_alert_inject: str | None = None
    first_signal_at: float | None = None
    """The first thing the team could have noticed: an inject of any kind or a metric leaving its SLO."""
    pages: list[dict[str, Any]] = field(default_factory=list)
    milestones: dict[str, float] = field(default_factory=dict)
    milestone_by: dict[str, str] = field(default_factory=dict)
    runs: list[ActionRun] = field(default_factory=list)
    decisions: list[DecisionFacts] = field(default_factory=list)
    clocks: dict[str, ClockFacts] = field(default_factory=dict)
    penalties: list[dict[str, Any]] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    injects: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    hotwash: list[dict[str, Any]] = field(default_factory=list)
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    ended_at: float | None = None
    """The ``drill_ended`` record's time (None for a drill that did not end: see ``played_until``)."""
    end_reason: str | None = None
    last_t: float = 0.0

    # ------------------------------------------------------------------ reading

    @classmethod
    def from_records(cls, records: list[dict[str, Any]]) -> DrillFacts:
        if not records or records[0].get("type") != "drill_started":
            raise ValueError("a journal starts with a drill_started record")
        start = records[0]
        scenario = Scenario.model_validate(start["scenario"])
        roster = Roster.model_validate(start["roster"]) if start.get("roster") else None
        facts = cls(records=records, start=start, scenario=scenario, roster=roster)
        facts._read(records)
        return facts

    def _read(self, records: list[dict[str, Any]]) -> None:
        open_runs: dict[str, list[ActionRun]] = {}
        pending: dict[str, list[ActionRun]] = {}
        clock_specs = {c.id: c for c in self.scenario.clocks}
        for spec in self.scenario.clocks:
            self.clocks[spec.id] = ClockFacts(spec.id, spec.regime, spec.deadline)
        decisions: dict[str, DecisionFacts] = {}
        hotwash: list[dict[str, Any]] = []
        for record in records:
            t = float(record.get("t", 0.0))
            match record:
                case {"type": "rating_override" | "hotwash"}:
                    pass  # debrief inputs after the end: they do not move the drill's last moment
                case _:
                    self.last_t = max(self.last_t, t)
            match record:
                case {"type": "inject" | "facilitator_inject" | "metric_breach"} if self.first_signal_at is None:
                    self.first_signal_at = t
            match record:
                case {"type": "impact_started"}:
                    if self.impact_started_at is None:
                        self.impact_started_at = t
                case {"type": "page"}:
                    self.pages.append(record)
                case {"type": "inject"}:
                    self.injects.append(record)
                    if record.get("alert") and self.first_alert_at is None:
                        self.first_alert_at = t
                        self.first_alert_inject = record.get("inject")
                    decision = record.get("decision")
                    if decision:
                        facts = DecisionFacts(
                            inject=str(record.get("inject")),
                            arrived_at=t,
                            prompt=str(decision.get("prompt") or record.get("text") or ""),
                            options=list(decision.get("options") or []),
                            deadline_at=decision.get("deadline_at"),
                        )
                        decisions[facts.inject] = facts
                        self.decisions.append(facts)
                case {"type": "facilitator_inject"}:
                    self.injects.append(record)
                case {"type": "milestone"}:
                    name = str(record.get("milestone"))
                    if name not in self.milestones:
                        self.milestones[name] = t
                        self.milestone_by[name] = str(record.get("by") or "")
                case {"type": "action_submitted"}:
                    run = ActionRun(
                        action=str(record.get("action")),
                        member=record.get("by"),
                        submitted_at=t,
                        source=record.get("source"),
                    )
                    self.runs.append(run)
                    pending.setdefault(run.action, []).append(run)
                case {"type": "action_rejected"}:
                    queue = pending.get(str(record.get("action"))) or []
                    if queue:
                        run = queue.pop()
                        run.rejected = str(record.get("reason") or "rejected")
                case {"type": "action_started"}:
                    action = str(record.get("action"))
                    queue = pending.get(action) or []
                    if queue:
                        run = queue.pop(0)
                    else:
                        run = ActionRun(action=action, member=None)
                        self.runs.append(run)
                    run.member = record.get("member")
                    run.started_at = t
                    run.role_match = record.get("role_match")
                    run.waited = float(record.get("waited") or 0.0)
                    run.duration = record.get("duration")
                    if run.submitted_at is None:
                        run.submitted_at = t - run.waited
                    open_runs.setdefault(f"{action}\0{run.member}", []).append(run)
                case {"type": "action_finished"}:
                    action = str(record.get("action"))
                    queue = open_runs.get(f"{action}\0{record.get('member')}") or []
                    if queue:
                        run = queue.pop(0)
                    else:
                        run = ActionRun(action=action, member=record.get("member"), started_at=t)
                        self.runs.append(run)
                    run.finished_at = t
                    run.success = bool(record.get("success"))
                    run.text = record.get("text")
                case {"type": "penalty"}:
                    self.penalties.append(record)
                case {"type": "clock_started"}:
                    clock = self._clock(record)
                    if clock.started_at is None:
                        clock.started_at = t
                        clock.due_at = record.get("due_at", t + clock.deadline)
                case {"type": "clock_met"}:
                    clock = self._clock(record)
                    clock.met_at = t if clock.met_at is None else clock.met_at
                case {"type": "clock_missed"}:
                    clock = self._clock(record)
                    clock.missed_at = t if clock.missed_at is None else clock.missed_at
                case {"type": "decision_answered"}:
                    found = decisions.get(str(record.get("inject")))
                    if found is not None and found.answered_at is None:
                        found.answered_at = t
                        found.answer = record.get("action")
                case {"type": "decision_resolved"}:
                    found = decisions.get(str(record.get("inject")))
                    if found is not None and found.answered_at is None and found.resolved_at is None:
                        found.resolved_at = t
                        found.resolved_by = record.get("action")
                        found.resolved_text = record.get("text")
                case {"type": "decision_timed_out"}:
                    found = decisions.get(str(record.get("inject")))
                    if found is not None:
                        found.timed_out_at = t
                        found.consequence = record.get("text")
                case {"type": "metric_sample"}:
                    self.samples.append(record)
                case {"type": "metric_samples"}:  # journal format 2: a block of samples by column
                    self.samples.extend(samples_of([record]))
                case {"type": "note"}:
                    self.notes.append(record)
                case {"type": "hotwash"}:
                    hotwash.append(record)
                case {"type": "rating_override"}:
                    self.overrides[str(record.get("objective"))] = record
                case {"type": "drill_ended"}:
                    self.ended_at = t
                    self.end_reason = record.get("reason")
        self.hotwash = current_hotwash(hotwash)
        # notified: the first success of the clock's satisfying action after the clock started
        for clock in self.clocks.values():
            clock_spec = clock_specs.get(clock.id)
            if clock_spec is not None and clock.started_at is not None:
                done = [
                    r.finished_at
                    for r in self.runs
                    if r.action == clock_spec.satisfied_by
                    and r.success
                    and r.finished_at is not None
                    and r.finished_at >= clock.started_at
                ]
                if done:
                    clock.notified_at = min(done)
            if clock.notified_at is None and clock.met_at is not None:
                clock.notified_at = clock.met_at

    def _clock(self, record: dict[str, Any]) -> ClockFacts:
        """The clock a record names (one the scenario does not declare is added, as the journal tells it)."""
        clock_id = str(record.get("clock"))
        if clock_id not in self.clocks:
            self.clocks[clock_id] = ClockFacts(clock_id, str(record.get("regime") or clock_id), 0.0)
        return self.clocks[clock_id]

    # ------------------------------------------------------------------ derived

    @property
    def played_until(self) -> float:
        """When play stopped: ``ended_at``, or the last record's time for a drill that did not end."""
        return self.ended_at if self.ended_at is not None else self.last_t

    def ended_before(self, due_at: float | None) -> bool:
        """Whether this drill stopped before ``due_at`` (see the module function ``ended_before``)."""
        return ended_before(self.played_until, due_at)

    @property
    def before_the_end(self) -> str:
        """ "before the drill ended at 04:00": this drill's words for something it ended before."""
        return before_the_end(self.played_until)

    @property
    def anchor(self) -> float:
        """The time milestone targets are measured from: impact start, or 0 when no impact happened."""
        return self.impact_started_at if self.impact_started_at is not None else 0.0

    @property
    def wall(self) -> datetime | None:
        text = self.start.get("wall")
        if not text:
            return None
        try:
            return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
        except ValueError:
            return None

    @property
    def drill_date(self) -> date | None:
        wall = self.wall
        return wall.date() if wall is not None else None

    def action_label(self, action_id: str) -> str:
        return action_label(self.scenario, action_id)

    def milestone_label(self, milestone: str) -> str:
        return milestone_label(self.scenario, milestone)

    def action_done_at(self, action_id: str) -> float | None:
        """When the action first succeeded."""
        times = [r.finished_at for r in self.runs if r.action == action_id and r.success and r.finished_at is not None]
        return min(times) if times else None

    def communication_runs(self) -> list[ActionRun]:
        """Successful communications (actions with ``communication``, sound or not), in time order."""
        kinds = {a.id for a in self.scenario.actions if a.communication}
        done = [r for r in self.runs if r.action in kinds and r.success and r.finished_at is not None]
        return sorted(done, key=lambda r: float(r.finished_at or 0.0))

    def communication_kind(self, action_id: str) -> str | None:
        try:
            return self.scenario.action(action_id).communication_kind
        except KeyError:
            return None

    def decision_spec(self, inject_id: str) -> Any:
        """The scenario's ``Decision`` of an inject, or None."""
        for inject in self.scenario.injects:
            if inject.id == inject_id:
                return inject.decision
        return None

    def team_acted_by(self, t: float) -> bool:
        """Whether the team had submitted or started an action (not a don't) at or before ``t``."""
        donts = {a.id for a in self.scenario.actions if a.penalty is not None}
        for run in self.runs:
            at = run.submitted_at if run.submitted_at is not None else run.started_at
            if run.rejected is None and run.action not in donts and at is not None and at <= t + 1e-9:
                return True
        return False

    def first_team_action_after(self, t: float, members: set[str] | None = None) -> ActionRun | None:
        """The first action (not rejected, not a don't) submitted at or after ``t``, by one of ``members`` if given."""
        donts = {a.id for a in self.scenario.actions if a.penalty is not None}
        found: ActionRun | None = None
        for run in self.runs:
            at = run.submitted_at if run.submitted_at is not None else run.started_at
            if at is None or at < t - 1e-9 or run.rejected is not None or run.action in donts:
                continue
            if members is not None and run.member not in members:
                continue
            if found is None or at < float(
                found.submitted_at if found.submitted_at is not None else found.started_at or 0.0
            ):
                found = run
        return found

    def started_runs(self) -> list[ActionRun]:
        return [r for r in self.runs if r.started_at is not None]

    def member_roles(self, member: str | None) -> list[str]:
        if self.roster is None or member is None:
            return []
        try:
            return list(self.roster.member(member).roles)
        except KeyError:
            return []
