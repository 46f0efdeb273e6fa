"""The scorecard: a pure function of a drill's journal (and, optionally, of par).

``score(records, par=None)`` reads the ground truth the simulator knows (when
impact really started) and measures every interval by both of its ends
(``ack_from_first_alert``, ``recover_from_impact``), rates each objective in the style of
HSEEP (P/S/M/U, with the facilitator's ``rating_override`` records shown beside the
computed rating) and adds up a 0-100 score term by term. docs/scoring.md spells out every
rule and the formula with a worked example.

Par is what the scenario's playbook policy achieves with the drill's roster: the median
(with p10 and p90) of many playbook drills, a :class:`Par` that ``reports.par`` computes
with the what-if simulator and caches per scenario and roster content.

It is long because the scorecard is one pure function with one rule set, read in the order
docs/scoring.md explains it: the models scorecard.json holds (read back by compare and the report),
then each part (moments, communication, detection, clocks, intervals, business impact, harm, people,
objectives, the score's terms), then the API. Each part reads ``DrillFacts`` and the parts before it;
split into modules they would import each other's helpers (``team_time``, ``option_quality``,
``interval_status``) back and forth.
"""

from __future__ import annotations

import contextlib
import itertools
from typing import Any, Literal

from drillsim.reports.facts import ClockStatus, DrillFacts, ended_before
from drillsim.simulator.durations import format_duration, format_time
from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = 3
"""3: judgment as well as timing (communication ``statements`` by kind and soundness, ``detection``,
decisions' ``quality``, penalties' objective ``scope``, an unclamped ``total``); 2: par is the playbook's median over many drills (``par_basis``, intervals' ``par_p10`` and
``par_p90``); 1: par was the playbook's single drill with the same seed."""


Rating = Literal["P", "S", "M", "U"]
ComputedRating = Literal["P", "S", "M", "U", "N/A"]
IntervalStatus = Literal["met", "late", "missed", "reached", "not_reached"]
MeasureStatus = Literal["met", "late", "missed", "unknown"]

RATING_NAMES: dict[str, str] = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
    "N/A": "Not observed",
}

CANONICAL_MILESTONES: dict[str, str] = {
    "detected": "detect",
    "acknowledged": "ack",
    "declared": "declare",
    "identified": "identify",
    "mitigated": "mitigate",
    "contained": "contain",
    "recovered": "recover",
    "resolved": "resolve",
    "postmortem": "postmortem",
}
"""Canonical milestone ids and the verb their interval is named by (``contain_from_impact``)."""

WEIGHTS: dict[str, float] = {"milestones": 50.0, "communication": 20.0, "clocks": 15.0, "decisions": 15.0}
"""Base weights of the score's components; the components a drill has are scaled to sum to 100."""

OPEN_CREDIT = 0.5
"""Credit for a clock or decision still open when the drill ended (neither met nor missed)."""

RECORD_WITHIN = 0.25
"""A clock the team records (``recorded_by``) earns full recording credit when recorded within this share
of its deadline after the law started it, falling to 0 at twice that; a longer delay is a finding."""

QUALITY_CREDIT: dict[str, float] = {"sound": 1.0, "poor": 0.5, "harmful": 0.0}
"""Decision credit of the option chosen (answered, or resolved by what the team did)."""


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Moment(Model):
    id: str
    label: str
    t: float | None
    """Sim seconds; null when it never happened."""


class Interval(Model):
    name: str
    """Named by both ends: ``contain_from_impact``."""
    label: str
    start: str
    """Moment id the interval starts from."""
    end: str
    """Moment id it ends at."""
    seconds: float | None
    """Null when either end never happened."""
    target: float | None
    par: float | None
    """The playbook's median over par's drills; null without par or when par does not reach it in half of them."""
    par_p10: float | None = None
    """Par's 10th percentile: the playbook's fast end."""
    par_p90: float | None = None
    """Par's 90th percentile: the playbook's slow end; null when more than 10% of par's drills never reach it."""
    status: IntervalStatus
    credit: float | None
    """Timeliness against the target: 1 on time, falling linearly to 0 at twice the target, 0 never; null without a target."""


class Statement(Model):
    """One communication the team sent, and whether it counts as a stakeholder update."""

    t: float
    action: str
    label: str
    kind: str
    """``internal``, ``executive``, ``status_page``, ``customer``, ``regulator``, ``press`` or ``external``."""
    external: bool
    sound: bool
    """False for a don't (an action with a penalty) or content the scenario marks unsound."""
    premature: bool
    """Sent before any signal the team could have seen (no inject, no SLO breach yet)."""
    counted: bool
    """Whether it counts as an update for the first-update and cadence targets."""
    why: str
    """Why it does not count (empty when it does)."""


class CommunicationResult(Model):
    first_update_target: float | None
    cadence: float | None
    updates: int
    internal_updates: int
    external_updates: int
    update_times: list[float]
    first_update_at: float | None
    first_update_from_impact: float | None
    first_external_update_from_impact: float | None
    largest_gap: float | None
    """Largest time between updates (and from the last update to the gap end); null without updates."""
    largest_gap_from: float | None
    largest_gap_until: float | None
    gap_end_at: float
    gap_end: str
    """What ends the gap count: ``resolved``, ``recovered`` or ``drill end``."""
    first_update_credit: float | None
    cadence_credit: float | None
    cadence_met: bool | None
    statements: list[Statement] = []
    """Every communication sent, counted or not (a don't, internal coordination, premature)."""
    first_signal_at: float | None = None
    """The first inject or SLO breach: a statement before it is premature."""


class DetectionResult(Model):
    """Who detected the incident: the monitoring (impact -> alert) apart from the team (alert -> acknowledge)."""

    source: Literal["alert", "human", "none"]
    """``alert``: an alert inject fired; ``human``: no alert, the team noticed; ``none``: nobody did."""
    first_alert_at: float | None
    first_alert_inject: str | None
    alert_from_impact: float | None
    """The monitoring's time: impact -> first alert. Never team credit."""
    alert_target: float | None
    """The ``detected`` milestone's target, against which the alert rule is judged."""
    responder: str | None
    """Who acknowledged: the first paged responder to act after the alert (anyone, when nobody was paged)."""
    ack_at: float | None
    ack_from_alert: float | None
    """The team's time: alert -> the responder's first action."""
    human_detected_at: float | None
    """Without an alert: when the team detected it (the detected milestone by an action, else its first action after the first signal)."""


class ClockResult(Model):
    id: str
    regime: str
    deadline: float
    started_at: float | None
    due_at: float | None
    notified_at: float | None
    status: ClockStatus
    recorded_at: float | None = None
    """With ``recorded_by``: when the team recorded the clock's start (None: never)."""
    record_delay: float | None = None
    """With ``recorded_by``: drill time from the law's start of the clock to the team's recording (to the end
    when never recorded)."""
    record_target: float | None = None
    """With ``recorded_by``: the delay that still earns full recording credit (``RECORD_WITHIN`` of the deadline)."""


class PenaltyItem(Model):
    t: float
    points: int
    reason: str
    source: str
    scope: list[str] = []
    """Objective ids whose scope this don't breaks (each is rated M at best)."""
    counted: bool = True
    """False for a timed-out decision's penalty: the decision's 0 credit already charges it, once."""


class MetricImpact(Model):
    metric: str
    label: str
    unit: str
    baseline: float
    slo_min: float | None
    slo_max: float | None
    worst: float | None
    outside_slo_seconds: float
    breaches: int


class HarmResult(Model):
    id: str
    label: str
    unit: str
    metric: str
    measure: str
    amount: float
    """The harm in its unit: the metric's last or peak excess over its baseline, or that excess summed per minute."""
    cost: float
    """``amount × cost_per_unit`` in the business currency."""


class BusinessImpact(Model):
    revenue_lost: float
    currency: str
    metrics: list[MetricImpact]
    harm: list[HarmResult] = []
    """The scenario's harm measures besides revenue."""
    total_cost: float | None = None
    """Revenue lost plus the cost of every harm measure."""


class RoleMismatch(Model):
    t: float
    action: str
    member: str
    action_role: str
    member_roles: list[str]


class Wait(Model):
    t: float
    action: str
    member: str
    waited: float


class MemberLoad(Model):
    member: str
    roles: list[str]
    participant: str | None
    actions: int
    succeeded: int
    failed: int
    busy_seconds: float
    waited_seconds: float
    role_mismatches: int
    share: float
    """Fraction of all started actions this member did."""


class DecisionResult(Model):
    inject: str
    prompt: str
    arrived_at: float
    deadline_at: float | None
    answer: str | None
    answered_at: float | None
    response_seconds: float | None
    timed_out: bool
    consequence: str | None
    resolved_at: float | None = None
    """When the state answered it (its option done or underway): no timeout, no consequence."""
    resolved_by: str | None = None
    choice: str | None = None
    """The option that stands: answered, else the one the state resolved it with."""
    choice_label: str | None = None
    quality: Literal["sound", "poor", "harmful"] | None = None
    why: str | None = None
    """The scenario's reason for the option's quality."""


class People(Model):
    members: list[MemberLoad]
    total_actions: int
    role_mismatches: list[RoleMismatch]
    waited_total: float
    waits: list[Wait]
    decisions: list[DecisionResult]
    decisions_answered: int
    decisions_timed_out: int


class MeasureResult(Model):
    measure: str
    kind: Literal["milestone", "clock", "communication", "unknown"]
    status: MeasureStatus
    credit: float | None
    detail: str
    cut_short: bool = False
    """Not reached because the drill ended before its target passed: still ``missed`` and no credit,
    but the report says "not reached before the drill ended", never "never" (docs/scoring.md)."""


class ObjectiveRating(Model):
    id: str
    text: str
    capability: str
    target: str
    measures: list[MeasureResult]
    computed: ComputedRating
    computed_reason: str
    penalties: list[PenaltyItem] = []
    """The don'ts in this objective's scope."""
    override: Rating | None
    override_reason: str | None
    rating: ComputedRating
    """The rating that stands: the override when there is one, else the computed one."""


class ScoreTerm(Model):
    component: Literal["milestones", "communication", "clocks", "decisions", "penalties"]
    item: str
    label: str
    weight: float
    """Points available (negative for a penalty)."""
    credit: float
    points: float
    detail: str


class ScoreBreakdown(Model):
    components: dict[str, float]
    """Points available per component (scaled so the present ones sum to 100)."""
    terms: list[ScoreTerm]
    earned: float
    penalties: int
    total: float
    """``earned - penalties``, rounded to one decimal: never clamped, so it can fall below 0."""


class ParValue(Model):
    """One number's distribution over par's drills; null = never reached at that quantile."""

    p10: float | None
    median: float | None
    p90: float | None


class ParBasis(Model):
    """What par was computed from."""

    policy: str
    runs: int
    seed: int
    statistic: Literal["median"] = "median"


class Par(Model):
    """Par for a scenario and roster: the reference team's distribution over ``basis.runs`` drills (``basis.policy``:
    ``reference``, the playbook with realistic delays; par computed before scorecard schema 3 is ``playbook``).

    ``values`` maps each scorecard interval name, and ``score``, to its distribution.
    """

    basis: ParBasis
    values: dict[str, ParValue]

    @property
    def score(self) -> float | None:
        value = self.values.get("score")
        return None if value is None else value.median


class Scorecard(Model):
    schema_version: int = SCHEMA_VERSION
    scenario_id: str
    scenario_title: str
    scenario_hash: str | None
    roster_id: str | None
    roster_hash: str | None
    team: str | None
    label: str | None
    seed: int | None
    date: str | None
    """Drill date (ISO) from drill_started's wall clock."""
    wall: str | None
    policy: str | None
    version: str | None
    end_reason: str | None
    ended_at: float
    impact_started_at: float | None
    moments: list[Moment]
    intervals: list[Interval]
    communication: CommunicationResult
    clocks: list[ClockResult]
    penalties: list[PenaltyItem]
    penalty_total: int
    business: BusinessImpact
    people: People
    objectives: list[ObjectiveRating]
    score: ScoreBreakdown
    detection: DetectionResult | None = None
    par_score: float | None
    par_available: bool
    par_basis: ParBasis | None = None
    """How par was computed; null without par."""

    def interval(self, name: str) -> Interval | None:
        for item in self.intervals:
            if item.name == name:
                return item
        return None

    def moment(self, moment_id: str) -> float | None:
        for item in self.moments:
            if item.id == moment_id:
                return item.t
        return None

    def cut_short(self, interval: Interval) -> bool:
        """Whether a missed interval's target had not yet passed when the drill ended (its start moment
        plus its target is after the end): not reached, but the team did not get the chance."""
        start = self.moment(interval.start)
        if interval.status != "missed" or interval.target is None or start is None:
            return False
        return ended_before(self.ended_at, start + interval.target)


# ---------------------------------------------------------------------------- helpers


def timeliness(elapsed: float | None, target: float) -> float:
    """1.0 by the target, falling linearly to 0 at twice the target; 0 when it never happened."""
    if elapsed is None:
        return 0.0
    if elapsed <= target:
        return 1.0
    if target <= 0:
        return 0.0
    return max(0.0, 1.0 - (elapsed - target) / target)


STRETCH = 0.5
"""The score's full credit needs this fraction of the target (half of it): a team that only just meets
its targets does not score like one that is well inside them."""
AT_TARGET = 0.8
"""Score credit exactly at the target."""


def score_credit(elapsed: float | None, target: float) -> float:
    """The score's credit for something with a target: 1 by half the target, 0.8 at the target,
    falling linearly to 0 at twice the target; 0 when it never happened (docs/scoring.md)."""
    if elapsed is None:
        return 0.0
    if target <= 0:
        return 1.0 if elapsed <= 0 else 0.0
    stretch = STRETCH * target
    if elapsed <= stretch:
        return 1.0
    if elapsed <= target:
        return 1.0 - (1.0 - AT_TARGET) * (elapsed - stretch) / (target - stretch)
    return max(0.0, AT_TARGET * (1.0 - (elapsed - target) / target))


def interval_status(seconds: float | None, target: float | None) -> IntervalStatus:
    if target is None:
        return "reached" if seconds is not None else "not_reached"
    if seconds is None:
        return "missed"
    return "met" if seconds <= target + 1e-9 else "late"


def milestone_interval_name(milestone: str) -> str:
    return f"{CANONICAL_MILESTONES.get(milestone, milestone.replace('-', '_'))}_from_impact"


def milestone_ids(facts: DrillFacts) -> list[str]:
    """Canonical milestones first (in lifecycle order), then the scenario's own, then any others reached."""
    declared = list(facts.scenario.scoring.milestones)
    known = set(declared) | set(facts.milestones)
    ordered = [m for m in CANONICAL_MILESTONES if m in known]
    ordered += [m for m in declared if m not in ordered]
    ordered += [m for m in facts.milestones if m not in ordered]
    return ordered


def _r(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


# ---------------------------------------------------------------------------- the parts


def _moments(facts: DrillFacts, comm: CommunicationResult) -> list[Moment]:
    moments = [
        Moment(id="impact_started", label="Impact started", t=facts.impact_started_at),
        Moment(id="first_alert", label="First alert", t=facts.first_alert_at),
    ]
    for milestone in milestone_ids(facts):
        moments.append(Moment(id=milestone, label=facts.milestone_label(milestone), t=facts.milestones.get(milestone)))
    moments.append(Moment(id="first_update", label="First stakeholder update", t=comm.first_update_at))
    external = [s.t for s in comm.statements if s.counted and s.external]
    moments.append(
        Moment(id="first_external_update", label="First external update", t=min(external) if external else None)
    )
    moments.append(Moment(id="first_signal", label="First signal", t=facts.first_signal_at))
    detection = _detection(facts)
    moments.append(
        Moment(id="responder_ack", label="Paged responder's first action after the alert", t=detection.ack_at)
    )
    for clock in facts.clocks.values():
        moments.append(
            Moment(id=f"clock:{clock.id}:started", label=f"{clock.regime} clock started", t=clock.started_at)
        )
        moments.append(Moment(id=f"clock:{clock.id}:notified", label=f"{clock.regime} notified", t=clock.notified_at))
    moments.append(Moment(id="drill_ended", label="Drill ended", t=facts.ended_at))
    return moments


def _statements(facts: DrillFacts) -> list[Statement]:
    """Every communication sent, with whether it counts as a stakeholder update and why not."""
    spec = facts.scenario.scoring.communication
    counts = set(spec.counts) if spec is not None and spec.counts else None
    signal = facts.first_signal_at
    out = []
    for run in facts.communication_runs():
        try:
            action = facts.scenario.action(run.action)
        except KeyError:
            continue
        t = float(run.finished_at or 0.0)
        kind = action.communication_kind or ""
        sound = action.communication_sound
        premature = signal is None or t < signal - 1e-9
        if action.penalty is not None:
            why = "a don't (penalised): never an update"
        elif not sound:
            why = "unsound content: never an update"
        elif counts is not None and kind not in counts:
            why = f"{kind.replace('_', ' ')} does not count toward the update targets"
        elif counts is None and kind == "internal":
            why = "internal coordination, not a stakeholder update"
        elif premature:
            why = "sent before any signal the team could have seen"
        else:
            why = ""
        out.append(
            Statement(
                t=t,
                action=action.id,
                label=action.label,
                kind=kind,
                external=action.external,
                sound=sound,
                premature=premature,
                counted=not why,
                why=why,
            )
        )
    return out


def _communication(facts: DrillFacts) -> CommunicationResult:
    spec = facts.scenario.scoring.communication
    statements = _statements(facts)
    updates = [(s.t, "external" if s.external else "internal") for s in statements if s.counted]
    times = [t for t, _ in updates]
    anchor = facts.anchor
    if "resolved" in facts.milestones:
        gap_end, gap_end_at = "resolved", facts.milestones["resolved"]
    elif "recovered" in facts.milestones:
        gap_end, gap_end_at = "recovered", facts.milestones["recovered"]
    else:
        gap_end, gap_end_at = "drill end", facts.played_until
    largest: tuple[float, float, float] | None = None
    counted = [t for t in times if t <= gap_end_at]
    for before, after in zip(counted, [*counted[1:], gap_end_at], strict=False):
        gap = after - before
        if largest is None or gap > largest[0]:
            largest = (gap, before, after)
    first = times[0] if times else None
    external = [t for t, kind in updates if kind == "external"]
    first_from_impact = None if first is None else first - anchor
    first_credit = cadence_credit = None
    cadence_met = None
    if spec is not None:
        first_credit = timeliness(first_from_impact, spec.first_update)
        if times:
            gap = largest[0] if largest else 0.0
            cadence_credit = timeliness(gap, spec.cadence)
            cadence_met = gap <= spec.cadence + 1e-9
        else:
            cadence_credit = 0.0
            cadence_met = False
    return CommunicationResult(
        first_update_target=spec.first_update if spec else None,
        cadence=spec.cadence if spec else None,
        updates=len(times),
        internal_updates=sum(1 for _, kind in updates if kind == "internal"),
        external_updates=len(external),
        update_times=[float(t) for t in times],
        first_update_at=first,
        first_update_from_impact=_r(first_from_impact),
        first_external_update_from_impact=_r(external[0] - anchor) if external else None,
        largest_gap=_r(largest[0]) if largest else None,
        largest_gap_from=largest[1] if largest else None,
        largest_gap_until=largest[2] if largest else None,
        gap_end_at=gap_end_at,
        gap_end=gap_end,
        first_update_credit=first_credit,
        cadence_credit=cadence_credit,
        cadence_met=cadence_met,
        statements=statements,
        first_signal_at=facts.first_signal_at,
    )


def _alert_pages(facts: DrillFacts) -> list[dict[str, Any]]:
    """Pages sent by an alert (``alert: INJECT`` in the engine's reason, or the alert inject's id)."""
    alerts = {str(r.get("inject")) for r in facts.injects if r.get("alert")}
    out = []
    for page in facts.pages:
        reason = str(page.get("reason") or "")
        if reason.startswith("alert") or reason in alerts:
            out.append(page)
    return out


def _detection(facts: DrillFacts) -> DetectionResult:
    spec = facts.scenario.scoring.milestones.get("detected")
    target = spec.target if spec is not None else None
    anchor = facts.anchor
    alert = facts.first_alert_at
    if alert is not None:
        paged = {str(p.get("member")) for p in _alert_pages(facts)}
        run = facts.first_team_action_after(alert, paged or None)
        if run is None and paged:
            run = facts.first_team_action_after(alert)
        at = None if run is None else _run_at(run)
        return DetectionResult(
            source="alert",
            first_alert_at=alert,
            first_alert_inject=facts.first_alert_inject,
            alert_from_impact=_r(alert - anchor),
            alert_target=target,
            responder=None if run is None else run.member,
            ack_at=at,
            ack_from_alert=_r(None if at is None else at - alert),
            human_detected_at=None,
        )
    human: float | None = None
    by = facts.milestone_by.get("detected", "")
    if "detected" in facts.milestones and by.startswith("action:"):
        human = facts.milestones["detected"]
    elif facts.first_signal_at is not None:
        run = facts.first_team_action_after(facts.first_signal_at)
        human = None if run is None else _run_at(run)
    return DetectionResult(
        source="human" if human is not None else "none",
        first_alert_at=None,
        first_alert_inject=None,
        alert_from_impact=None,
        alert_target=target,
        responder=None,
        ack_at=None,
        ack_from_alert=None,
        human_detected_at=human,
    )


def _run_at(run: Any) -> float:
    return float(run.submitted_at if run.submitted_at is not None else run.started_at or 0.0)


def team_time(facts: DrillFacts, milestone: str, detection: DetectionResult | None = None) -> tuple[float | None, str]:
    """When the team earned a milestone, and a note when that differs from when it was reached.

    A milestone an action marked is the team's. One a condition marked (the monitoring, a metric
    recovering) is the team's only if the team had acted by then; otherwise the team earns it when it
    first acts afterwards (for ``detected`` with an alert: the paged responder's acknowledgement), and
    never if it never acts: a team that does nothing earns no milestone.
    """
    reached = facts.milestones.get(milestone)
    if reached is None:
        return None, ""
    by = facts.milestone_by.get(milestone, "")
    if by.startswith("action:") or facts.team_acted_by(reached):
        return reached, ""
    if milestone == "detected" and detection is not None and detection.source == "alert":
        if detection.ack_at is None:
            return None, f"alert at {format_time(detection.first_alert_at)} (the monitoring); nobody acted on it"
        who = f" by {detection.responder}" if detection.responder else ""
        return max(reached, detection.ack_at), (
            f"alert at {format_time(detection.first_alert_at)} (the monitoring); first acted on{who} at {format_time(detection.ack_at)}"
        )
    run = facts.first_team_action_after(reached)
    if run is None:
        return None, f"reached at {format_time(reached)} without the team acting: no team credit"
    return _run_at(
        run
    ), f"reached at {format_time(reached)} before the team acted; team's first action {format_time(_run_at(run))}"


def _clocks(facts: DrillFacts) -> list[ClockResult]:
    results = []
    for clock in facts.clocks.values():
        status = clock.status(facts.played_until)
        results.append(
            ClockResult(
                id=clock.id,
                regime=clock.regime,
                deadline=clock.deadline,
                started_at=clock.started_at,
                due_at=None if clock.due_at is None else float(clock.due_at),
                notified_at=clock.notified_at,
                status=status,
            )
        )
    return results


def _recording(facts: DrillFacts, clocks: list[ClockResult]) -> list[ClockResult]:
    """The clocks with when the team recorded their start (``recorded_by``) and the delay since the law
    started them (the evidence milestone); a clock that ran unrecorded to the end has the whole run as delay."""
    specs = {c.id: c for c in facts.scenario.clocks}
    recorded: dict[str, float] = {}
    for record in facts.records:
        if record.get("type") == "clock_recorded":
            recorded.setdefault(str(record.get("clock")), float(record.get("t", 0.0)))
    out = []
    for clock in clocks:
        spec = specs.get(clock.id)
        if spec is None or spec.recorded_by is None or clock.started_at is None:
            out.append(clock)
            continue
        at = recorded.get(clock.id)
        delay = max(0.0, (facts.played_until if at is None else at) - clock.started_at)
        target = facts.scenario.scaled(spec.deadline) * RECORD_WITHIN
        out.append(clock.model_copy(update={"recorded_at": at, "record_delay": _r(delay), "record_target": target}))
    return out


def _recording_row(facts: DrillFacts, clock: ClockResult) -> tuple[str, str, float, str]:
    """The score row for how long a clock ran before the team recorded it."""
    assert clock.record_delay is not None and clock.record_target is not None
    real = format_duration(clock.record_delay * facts.scenario.time_scale)
    scale = f" ({real} real)" if facts.scenario.time_scale != 1 else ""
    when = "never recorded" if clock.recorded_at is None else f"recorded at {format_time(clock.recorded_at)}"
    detail = (
        f"ran {format_time(clock.record_delay)}{scale} from {format_time(clock.started_at)} before the team knew: {when}; "
        f"full credit within {format_time(clock.record_target)}, a quarter of the deadline"
    )
    return (
        f"{clock.id}:recorded",
        f"{clock.regime} start recorded",
        timeliness(clock.record_delay, clock.record_target),
        detail,
    )


def _intervals(facts: DrillFacts, comm: CommunicationResult, clocks: list[ClockResult]) -> list[Interval]:
    anchor = facts.anchor
    specs = facts.scenario.scoring.milestones
    out: list[Interval] = []

    def add(name: str, label: str, start: str, end: str, seconds: float | None, target: float | None) -> None:
        out.append(
            Interval(
                name=name,
                label=label,
                start=start,
                end=end,
                seconds=_r(seconds),
                target=target,
                par=None,
                status=interval_status(seconds, target),
                credit=None if target is None else timeliness(seconds, target),
            )
        )

    first_alert = facts.first_alert_at
    add(
        "first_alert_from_impact",
        "First alert after impact",
        "impact_started",
        "first_alert",
        None if first_alert is None else first_alert - anchor,
        None,
    )
    for milestone in milestone_ids(facts):
        reached = facts.milestones.get(milestone)
        spec = specs.get(milestone)
        add(
            milestone_interval_name(milestone),
            facts.milestone_label(milestone),
            "impact_started",
            milestone,
            None if reached is None else reached - anchor,
            spec.target if spec else None,
        )
        if milestone == "acknowledged":
            add(
                "acknowledged_from_first_alert",
                "Acknowledged (milestone) after first alert",
                "first_alert",
                "acknowledged",
                None if reached is None or first_alert is None else reached - first_alert,
                None,
            )
    detection = _detection(facts)
    if first_alert is not None:
        add(
            "ack_from_first_alert",
            "Paged responder's first action after the alert",
            "first_alert",
            "responder_ack",
            detection.ack_from_alert,
            None,
        )
    add(
        "first_update_from_impact",
        "First stakeholder update",
        "impact_started",
        "first_update",
        comm.first_update_from_impact,
        comm.first_update_target,
    )
    add(
        "first_external_update_from_impact",
        "First external update",
        "impact_started",
        "first_external_update",
        comm.first_external_update_from_impact,
        None,
    )
    for clock in clocks:
        seconds = None
        if clock.started_at is not None and clock.notified_at is not None:
            seconds = clock.notified_at - clock.started_at
        add(
            f"notify_{clock.id.replace('-', '_')}_from_clock_start",
            f"{clock.regime} notification",
            f"clock:{clock.id}:started",
            f"clock:{clock.id}:notified",
            seconds,
            facts.scenario.scaled(clock.deadline),
        )
    return out


def _business(facts: DrillFacts) -> BusinessImpact:
    last = facts.samples[-1] if facts.samples else {}
    outside = last.get("outside_slo") or {}
    breaches: dict[str, int] = {}
    for record in facts.records:
        if record.get("type") == "metric_breach":
            name = str(record.get("metric"))
            breaches[name] = breaches.get(name, 0) + 1
    metrics = []
    for metric_id, metric in facts.scenario.metrics.items():
        values = [float(s["values"][metric_id]) for s in facts.samples if metric_id in (s.get("values") or {})]
        values.extend(float(v) for v in (last.get("range") or {}).get(metric_id, ()))  # format 2: lowest, highest
        worst: float | None = None
        if values:
            if metric.slo is not None and metric.slo.min is not None and metric.slo.max is None:
                worst = min(values)
            elif metric.slo is not None and metric.slo.max is not None:
                worst = max(values)
            else:
                worst = max(values, key=lambda v: abs(v - metric.baseline))
        metrics.append(
            MetricImpact(
                metric=metric_id,
                label=metric.label or metric_id,
                unit=metric.unit,
                baseline=metric.baseline,
                slo_min=metric.slo.min if metric.slo else None,
                slo_max=metric.slo.max if metric.slo else None,
                worst=_r(worst),
                outside_slo_seconds=float(outside.get(metric_id, 0.0)),
                breaches=breaches.get(metric_id, 0),
            )
        )
    revenue = round(float(last.get("revenue_lost") or 0.0), 2)
    harm = _harm(facts)
    return BusinessImpact(
        revenue_lost=revenue,
        currency=facts.scenario.business.currency,
        metrics=metrics,
        harm=harm,
        total_cost=round(revenue + sum(h.cost for h in harm), 2),
    )


def _harm(facts: DrillFacts) -> list[HarmResult]:
    """Each harm measure from the metric samples, integrated like revenue (left rectangles per minute)."""
    out = []
    for spec in facts.scenario.harm:
        metric = facts.scenario.metrics.get(spec.metric)
        baseline = metric.baseline if metric is not None else 0.0
        series = [
            (float(s.get("t", 0.0)), float(s["values"][spec.metric]))
            for s in facts.samples
            if spec.metric in (s.get("values") or {})
        ]
        amount = 0.0
        if series and spec.measure == "last":
            amount = max(0.0, series[-1][1] - baseline)
        elif series and spec.measure == "peak":
            amount = max(0.0, max(v for _, v in series) - baseline)
        elif series:
            for (t0, v0), (t1, _) in itertools.pairwise(series):
                amount += max(0.0, v0 - baseline) * (t1 - t0) / 60.0
        out.append(
            HarmResult(
                id=spec.id,
                label=spec.label,
                unit=spec.unit,
                metric=spec.metric,
                measure=spec.measure,
                amount=round(amount, 3),
                cost=round(amount * spec.cost_per_unit, 2),
            )
        )
    return out


def _people(facts: DrillFacts) -> People:
    participants: dict[str, str] = facts.start.get("participants") or {}
    started = facts.started_runs()
    total = len(started)
    names: list[str] = [m.name for m in facts.roster.members] if facts.roster else []
    for run in started:
        if run.member and run.member not in names:
            names.append(run.member)
    mismatches: list[RoleMismatch] = []
    waits: list[Wait] = []
    for run in started:
        if run.role_match is False:
            role: str = "?"
            with contextlib.suppress(KeyError):
                role = facts.scenario.action(run.action).role
            mismatches.append(
                RoleMismatch(
                    t=float(run.started_at or 0.0),
                    action=run.action,
                    member=str(run.member),
                    action_role=role,
                    member_roles=facts.member_roles(run.member),
                )
            )
        if run.waited > 0:
            waits.append(
                Wait(t=float(run.started_at or 0.0), action=run.action, member=str(run.member), waited=run.waited)
            )
    # in the order they started (a run submitted earlier can start later: its member was busier)
    mismatches.sort(key=lambda m: m.t)
    waits.sort(key=lambda w: w.t)
    members = []
    for name in names:
        mine = [r for r in started if r.member == name]
        busy = 0.0
        for run in mine:
            end = run.finished_at if run.finished_at is not None else facts.played_until
            busy += max(0.0, end - float(run.started_at or 0.0))
        members.append(
            MemberLoad(
                member=name,
                roles=facts.member_roles(name),
                participant=participants.get(name),
                actions=len(mine),
                succeeded=sum(1 for r in mine if r.success),
                failed=sum(1 for r in mine if r.success is False),
                busy_seconds=round(busy, 3),
                waited_seconds=round(sum(r.waited for r in mine), 3),
                role_mismatches=sum(1 for r in mine if r.role_match is False),
                share=round(len(mine) / total, 4) if total else 0.0,
            )
        )
    decisions = []
    for d in facts.decisions:
        quality, why = option_quality(facts, d.inject, d.choice)
        decisions.append(
            DecisionResult(
                inject=d.inject,
                prompt=d.prompt,
                arrived_at=d.arrived_at,
                deadline_at=d.deadline_at,
                answer=d.answer,
                answered_at=d.answered_at,
                response_seconds=_r(None if d.answered_at is None else d.answered_at - d.arrived_at),
                timed_out=d.timed_out_at is not None,
                consequence=d.consequence,
                resolved_at=d.resolved_at,
                resolved_by=d.resolved_by,
                choice=d.choice,
                choice_label=None if d.choice is None else facts.action_label(d.choice),
                quality=quality,
                why=why,
            )
        )
    return People(
        members=members,
        total_actions=total,
        role_mismatches=mismatches,
        waited_total=round(sum(r.waited for r in started), 3),
        waits=waits,
        decisions=decisions,
        decisions_answered=sum(1 for d in decisions if d.answered_at is not None),
        decisions_timed_out=sum(1 for d in decisions if d.timed_out),
    )


def option_quality(facts: DrillFacts, inject: str, action: str | None) -> tuple[Any, str | None]:
    """The quality of a decision option and why: the scenario's, else harmful for a don't, else sound."""
    if action is None:
        return None, None
    spec = facts.decision_spec(inject)
    given = spec.option_quality(action) if spec is not None else None
    if given is not None:
        return given.quality, given.why
    try:
        penalty = facts.scenario.action(action).penalty
    except KeyError:
        penalty = None
    if penalty is not None:
        return "harmful", penalty.reason
    return "sound", None


def penalty_scope(facts: DrillFacts, source: str, explicit: str | None = None) -> list[str]:
    """The objectives whose scope a penalty breaks (docs/scoring.md, "Ratings").

    The penalty's own ``objective`` when the scenario names one; otherwise by kind: a communication
    don't belongs to the objectives measuring ``communication``; another action's to the objectives
    measuring a milestone it marks or a clock it starts or satisfies; a decision's timeout, and an
    option with neither, to those of the decision's other options.
    """
    objectives = facts.scenario.objectives
    ids = [o.id for o in objectives]
    if explicit:
        return [explicit] if explicit in ids else []
    kind, _, name = source.partition(":")

    def of_action(action_id: str) -> list[str]:
        try:
            action = facts.scenario.action(action_id)
        except KeyError:
            return []
        measured: set[str] = set(action.marks)
        if action.communication is not None and action.communication_kind != "internal":
            measured.add("communication")
        for clock in facts.scenario.clocks:
            if action_id in (clock.starts_on, clock.satisfied_by):
                measured.add(clock.id)
        return [o.id for o in objectives if measured & set(o.measures)]

    def of_decision(inject_id: str, skip: str | None = None) -> list[str]:
        spec = facts.decision_spec(inject_id)
        found: list[str] = []
        for option in spec.options if spec is not None else []:
            if option != skip:
                found += [o for o in of_action(option) if o not in found]
        return found

    if kind == "action":
        found = of_action(name)
        if found:
            return found
        for inject in facts.scenario.injects:
            if inject.decision is not None and name in inject.decision.options:
                found = of_decision(inject.id, skip=name)
                if found:
                    return found
        return []
    if kind == "decision":
        return of_decision(name)
    return []


def _measure(
    measure: str,
    facts: DrillFacts,
    intervals: dict[str, Interval],
    comm: CommunicationResult,
    clocks: dict[str, ClockResult],
) -> MeasureResult:
    if measure == "communication":
        if comm.updates == 0:
            due = None if comm.first_update_target is None else facts.anchor + comm.first_update_target
            if facts.ended_before(due):
                return MeasureResult(
                    measure=measure,
                    kind="communication",
                    status="missed",
                    credit=0.0,
                    detail=f"no update {facts.before_the_end} (first update target {format_time(comm.first_update_target)})",
                    cut_short=True,
                )
            return MeasureResult(measure=measure, kind="communication", status="missed", credit=0.0, detail="no update")
        if comm.first_update_credit is None or comm.cadence_credit is None:
            return MeasureResult(measure=measure, kind="communication", status="met", credit=1.0, detail="updates sent")
        credit = (comm.first_update_credit + comm.cadence_credit) / 2
        detail = f"first update {format_time(comm.first_update_from_impact)} (target {format_time(comm.first_update_target)}), largest gap {format_time(comm.largest_gap)} (cadence {format_time(comm.cadence)})"
        status: MeasureStatus = "met" if credit >= 1.0 else "late"
        return MeasureResult(measure=measure, kind="communication", status=status, credit=credit, detail=detail)
    if measure in clocks:
        clock = clocks[measure]
        delay, target = clock.record_delay, clock.record_target
        if clock.status == "met" and delay is not None and target is not None and delay > target:
            return MeasureResult(
                measure=measure,
                kind="clock",
                status="late",
                credit=timeliness(delay, target),
                detail=f"{clock.regime}: notified in time, but it ran {format_time(delay)} before the team "
                f"recorded it (full credit within {format_time(target)})",
            )
        if clock.status == "met":
            return MeasureResult(
                measure=measure, kind="clock", status="met", credit=1.0, detail=f"{clock.regime}: notified in time"
            )
        if clock.status == "open":
            return MeasureResult(
                measure=measure,
                kind="clock",
                status="late",
                credit=OPEN_CREDIT,
                detail=f"{clock.regime}: still open at the end",
            )
        text = "never started" if clock.status == "never_started" else "deadline missed"
        return MeasureResult(
            measure=measure, kind="clock", status="missed", credit=0.0, detail=f"{clock.regime}: {text}"
        )
    name = milestone_interval_name(measure)
    if measure in facts.scenario.scoring.milestones or measure in facts.milestones:
        interval = intervals.get(name)
        if interval is None:
            return MeasureResult(measure=measure, kind="milestone", status="missed", credit=0.0, detail="not reached")
        at, note = team_time(facts, measure, _detection(facts))
        if note:  # reached by the monitoring or a metric before the team acted: measured from the team's act
            seconds = None if at is None else at - facts.anchor
            interval = interval.model_copy(
                update={
                    "seconds": _r(seconds),
                    "status": interval_status(seconds, interval.target),
                    "credit": None if interval.target is None else timeliness(seconds, interval.target),
                }
            )
        label = facts.milestone_label(measure) + (f" ({note})" if note else "")
        if interval.target is None:
            reached = interval.seconds is not None
            return MeasureResult(
                measure=measure,
                kind="milestone",
                status="met" if reached else "missed",
                credit=1.0 if reached else 0.0,
                detail=f"{label}: {'reached at ' + format_time(interval.seconds) if reached else 'not reached'}",
            )
        cut_short = interval.seconds is None and facts.ended_before(facts.anchor + interval.target)
        if cut_short:
            detail = f"{label}: not reached {facts.before_the_end} (target {format_time(interval.target)})"
        elif interval.seconds is None:
            detail = f"{label}: never reached (target {format_time(interval.target)})"
        else:
            detail = f"{label}: {format_time(interval.seconds)} from impact (target {format_time(interval.target)})"
        status = {"met": "met", "late": "late"}.get(interval.status, "missed")  # type: ignore[assignment]
        return MeasureResult(
            measure=measure,
            kind="milestone",
            status=status,
            credit=interval.credit,
            detail=detail,
            cut_short=cut_short,
        )
    return MeasureResult(
        measure=measure,
        kind="unknown",
        status="unknown",
        credit=None,
        detail="not a milestone, clock or 'communication'",
    )


def _in_words(measure: MeasureResult) -> str:
    """A measure in a rating's reason: its detail, which names a milestone or a clock itself ("Contained:
    never reached (target 10:00)", "GDPR: notified late"); a communication measure's detail does not ("no
    update"), so its id goes first."""
    if measure.kind in ("milestone", "clock"):
        return measure.detail
    return f"{measure.measure}: {measure.detail}"


def rate(measures: list[MeasureResult], donts: list[PenaltyItem] | int | None = None) -> tuple[ComputedRating, str]:
    """The computed HSEEP rating of an objective from its measures and the don'ts in its scope
    (rules in docs/scoring.md); the reason names the evidence."""
    if donts is None or isinstance(donts, int):  # a number of penalty points in scope
        donts = [PenaltyItem(t=0.0, points=donts, reason="penalty", source="")] if donts else []
    known = [m for m in measures if m.status != "unknown"]
    if not known:
        return "N/A", "no measure observed"
    missed = [m for m in known if m.status == "missed"]
    late = [m for m in known if m.status == "late"]
    never = "; ".join(_in_words(m) for m in missed)
    dont = "; ".join(
        f"{format_time(p.t)} {shorten(p.reason, 70)}"
        + (
            (f" (-{p.points})" if p.counted else " (not deducted: the open decision's 0 credit charges it)")
            if p.points
            else ""
        )
        for p in donts
    )
    if len(missed) * 2 > len(known):
        return "U", f"critical tasks not performed: {never}" + (f"; and a don't in scope: {dont}" if donts else "")
    reasons = []
    if missed:
        reasons.append(f"missed: {never}")
    doubled = [m for m in late if (m.credit or 0.0) <= 0.0]
    if doubled:
        reasons.append("at twice its target or later: " + "; ".join(_in_words(m) for m in doubled))
    if donts:
        reasons.append(f"a don't in scope: {dont}")
    if reasons:
        return "M", "; ".join(reasons)
    if late:
        return "S", "late: " + "; ".join(_in_words(m) for m in late)
    return "P", "every measure met its target; no don't in scope"


def _objectives(
    facts: DrillFacts,
    intervals: list[Interval],
    comm: CommunicationResult,
    clocks: list[ClockResult],
    penalties: list[PenaltyItem],
) -> list[ObjectiveRating]:
    by_name = {i.name: i for i in intervals}
    by_clock = {c.id: c for c in clocks}
    out = []
    # a harmful choice is a don't for the rating too (no points: its decision credit is 0), unless
    # the chosen action's own penalty already is one
    choices: list[tuple[str, PenaltyItem]] = []
    for d in facts.decisions:
        quality, why = option_quality(facts, d.inject, d.choice)
        at = d.answered_at if d.answered_at is not None else d.resolved_at
        if quality == "harmful" and d.choice is not None and at is not None:
            item = PenaltyItem(
                t=at,
                points=0,
                reason=f"harmful choice '{facts.action_label(d.choice)}'" + (f": {why}" if why else ""),
                source=f"choice:{d.inject}",
                scope=penalty_scope(facts, f"action:{d.choice}"),
                counted=False,
            )
            choices.append((f"action:{d.choice}", item))
    for objective in facts.scenario.objectives:
        measures = [_measure(m, facts, by_name, comm, by_clock) for m in objective.measures]
        mine = [p for p in penalties if objective.id in p.scope]
        sources = {p.source for p in mine}
        mine += [item for action, item in choices if objective.id in item.scope and action not in sources]
        mine.sort(key=lambda p: p.t)
        computed, why = rate(measures, mine)
        override = facts.overrides.get(objective.id)
        override_rating = override.get("rating") if override else None
        if override_rating not in ("P", "S", "M", "U"):
            override_rating = None
        out.append(
            ObjectiveRating(
                id=objective.id,
                text=objective.text,
                capability=objective.capability,
                target=objective.target,
                measures=measures,
                computed=computed,
                computed_reason=why,
                penalties=mine,
                override=override_rating,
                override_reason=str(override.get("reason") or "") if override and override_rating else None,
                rating=override_rating or computed,
            )
        )
    return out


def _breakdown(
    facts: DrillFacts,
    intervals: list[Interval],
    comm: CommunicationResult,
    clocks: list[ClockResult],
    people: People,
    penalties: list[PenaltyItem],
) -> ScoreBreakdown:
    items: dict[str, list[tuple[str, str, float, str]]] = {}
    targeted = [(m, s) for m, s in facts.scenario.scoring.milestones.items() if s.target is not None]
    detection = _detection(facts)
    if targeted:
        rows = []
        for milestone, spec in targeted:
            assert spec.target is not None
            at, note = team_time(facts, milestone, detection)
            seconds = None if at is None else at - facts.anchor
            credit = score_credit(seconds, spec.target)
            if seconds is None and milestone not in facts.milestones and facts.ended_before(facts.anchor + spec.target):
                detail = f"not reached {facts.before_the_end} (target {format_time(spec.target)})"
            else:
                if seconds is None:
                    seen = "never" if milestone not in facts.milestones else "no team credit"
                else:
                    when = (
                        "on time" if seconds <= spec.target + 1e-9 else f"late by {format_time(seconds - spec.target)}"
                    )
                    seen = f"{format_time(seconds)} from impact, {when}"
                detail = f"{seen}, target {format_time(spec.target)}"
            detail += f"; {note}" if note else ""
            rows.append((milestone, facts.milestone_label(milestone), credit, detail))
        items["milestones"] = rows
    if comm.first_update_target is not None and comm.cadence is not None:
        first = (
            "none"
            if comm.first_update_from_impact is None
            else f"{format_time(comm.first_update_from_impact)} from impact"
        )
        if comm.first_update_from_impact is None and facts.ended_before(facts.anchor + comm.first_update_target):
            first = f"not sent {facts.before_the_end}"
        gap = "no updates" if comm.largest_gap is None else format_time(comm.largest_gap)
        first_credit = score_credit(comm.first_update_from_impact, comm.first_update_target)
        cadence_credit = 0.0 if not comm.updates else score_credit(comm.largest_gap or 0.0, comm.cadence)
        items["communication"] = [
            (
                "first_update",
                "First update",
                first_credit,
                f"{first}, target {format_time(comm.first_update_target)}",
            ),
            (
                "cadence",
                "Update cadence",
                cadence_credit,
                f"largest gap {gap}, cadence {format_time(comm.cadence)}",
            ),
        ]
    if clocks:
        credits = {"met": 1.0, "open": OPEN_CREDIT, "missed": 0.0, "never_started": 0.0}
        items["clocks"] = []
        for c in clocks:
            items["clocks"].append((c.id, c.regime, credits[c.status], c.status.replace("_", " ")))
            if c.record_delay is not None:
                items["clocks"].append(_recording_row(facts, c))
    if people.decisions:
        rows = []
        for d in people.decisions:
            judged = ""
            if d.quality is not None:
                judged = f": '{shorten(d.choice_label or d.choice or '', 60)}' is {d.quality}" + (
                    f" ({shorten(d.why, 90)})" if d.why else ""
                )
            if d.answered_at is not None:
                credit = QUALITY_CREDIT.get(d.quality or "sound", 1.0)
                detail = f"answered after {format_time(d.response_seconds)}{judged}"
            elif d.resolved_at is not None:
                credit = QUALITY_CREDIT.get(d.quality or "sound", 1.0)
                detail = f"resolved at {format_time(d.resolved_at)} by what the team had done{judged}"
            elif d.timed_out:
                credit, detail = 0.0, "never answered: timed out (charged once, here)"
            else:
                credit, detail = OPEN_CREDIT, "still open at the end"
            rows.append((d.inject, shorten(d.prompt), credit, detail))
        items["decisions"] = rows
    present = sum(WEIGHTS[c] for c in items)
    components = {c: round(WEIGHTS[c] * 100.0 / present, 4) for c in items} if present else {}
    terms: list[ScoreTerm] = []
    for component, rows in items.items():
        each = components[component] / len(rows)
        for item, label, credit, detail in rows:
            terms.append(
                ScoreTerm(
                    component=component,
                    item=item,
                    label=label,
                    weight=round(each, 4),
                    credit=round(credit, 4),
                    points=round(each * credit, 4),
                    detail=detail,
                )
            )
    for penalty in penalties:
        scope = f"; objective {', '.join(penalty.scope)}" if penalty.scope else "; in no objective's scope"
        terms.append(
            ScoreTerm(
                component="penalties",
                item=penalty.source,
                label=shorten(penalty.reason),
                weight=-float(penalty.points),
                credit=1.0 if penalty.counted else 0.0,
                points=-float(penalty.points) if penalty.counted else 0.0,
                detail=f"at {format_time(penalty.t)}{scope}"
                + ("" if penalty.counted else "; not subtracted: the timed-out decision's 0 credit charges it once"),
            )
        )
    earned = round(sum(t.points for t in terms if t.component != "penalties"), 4)
    penalty_total = sum(p.points for p in penalties if p.counted)
    total = round(earned - penalty_total, 1)
    return ScoreBreakdown(components=components, terms=terms, earned=earned, penalties=penalty_total, total=total)


def shorten(text: str, limit: int = 80) -> str:
    """The text on one line, cut to at most ``limit`` characters with an ellipsis, at the end of a word
    when one ends in the second half (a reason cut to "the comp…" read as a typo)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " ":
        word_end = cut.rfind(" ")
        if word_end >= limit // 2:
            cut = cut[:word_end]
    return cut.rstrip(" ,;:") + "…"


# ---------------------------------------------------------------------------- the API


def score(records: list[dict[str, Any]], par: Par | None = None) -> Scorecard:
    """Score a drill from its journal records; ``par`` (``reports.par.par_for``) fills each
    interval's ``par``, ``par_p10`` and ``par_p90``, and ``par_score``.

    Facilitator overrides come from the journal's ``rating_override`` records.
    """
    card = score_facts(DrillFacts.from_records(records))
    return card if par is None else with_par(card, par)


def with_par(card: Scorecard, par: Par) -> Scorecard:
    """The scorecard with par's medians (and p10, p90) beside its intervals and score."""
    intervals = []
    for interval in card.intervals:
        value = par.values.get(interval.name)
        if value is not None:
            interval = interval.model_copy(update={"par": value.median, "par_p10": value.p10, "par_p90": value.p90})
        intervals.append(interval)
    update = {"intervals": intervals, "par_score": par.score, "par_available": True, "par_basis": par.basis}
    return card.model_copy(update=update)


def score_facts(facts: DrillFacts) -> Scorecard:
    """The scorecard of a drill already read (``score`` reads the journal first), without par."""
    comm = _communication(facts)
    clocks = _recording(facts, _clocks(facts))
    intervals = _intervals(facts, comm, clocks)
    timed_out = {d.inject for d in facts.decisions if d.timed_out_at is not None}
    penalties = []
    for p in facts.penalties:
        source = str(p.get("source") or "")
        penalties.append(
            PenaltyItem(
                t=float(p.get("t", 0.0)),
                points=int(p.get("points") or 0),
                reason=str(p.get("reason") or ""),
                source=source,
                scope=penalty_scope(facts, source, _explicit_objective(facts, source)),
                counted=not (source.startswith("decision:") and source.split(":", 1)[1] in timed_out),
            )
        )
    penalty_total = sum(p.points for p in penalties if p.counted)
    people = _people(facts)
    start = facts.start
    seed = start.get("seed")
    return Scorecard(
        scenario_id=facts.scenario.id,
        scenario_title=facts.scenario.title,
        scenario_hash=start.get("scenario_hash"),
        roster_id=facts.roster.id if facts.roster else None,
        roster_hash=start.get("roster_hash"),
        team=start.get("team") or (facts.roster.team if facts.roster else None),
        label=start.get("label"),
        seed=int(seed) if isinstance(seed, int) else None,
        date=facts.drill_date.isoformat() if facts.drill_date else None,
        wall=start.get("wall"),
        policy=start.get("policy"),
        version=start.get("version"),
        end_reason=facts.end_reason,
        ended_at=facts.played_until,
        impact_started_at=facts.impact_started_at,
        moments=_moments(facts, comm),
        intervals=intervals,
        communication=comm,
        clocks=clocks,
        penalties=penalties,
        penalty_total=penalty_total,
        business=_business(facts),
        people=people,
        objectives=_objectives(facts, intervals, comm, clocks, penalties),
        score=_breakdown(facts, intervals, comm, clocks, people, penalties),
        detection=_detection(facts),
        par_score=None,
        par_available=False,
    )


def _explicit_objective(facts: DrillFacts, source: str) -> str | None:
    """The ``objective`` a scenario gave the penalty of an action or of a decision's timeout."""
    kind, _, name = source.partition(":")
    penalty = None
    if kind == "action":
        with contextlib.suppress(KeyError):
            penalty = facts.scenario.action(name).penalty
    elif kind == "decision":
        spec = facts.decision_spec(name)
        if spec is not None and spec.on_timeout is not None:
            penalty = spec.on_timeout.penalty
    return penalty.objective if penalty is not None else None


def scorecard_json(card: Scorecard) -> str:
    """The ``scorecard.json`` text: stable key order, two-space indent."""
    return card.model_dump_json(indent=2) + "\n"
