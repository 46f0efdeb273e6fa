"""A read-only snapshot of a drill for a UI: plain frozen dataclasses, no SimPy inside.

``drill_view`` and ``action_availability`` build them from a running drill (``Drill.view()`` and
``Drill.availability()`` call them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drillsim.simulator.engine import Drill


@dataclass(frozen=True)
class MetricView:
    id: str
    label: str
    unit: str
    value: float
    """The latest sampled (displayed) value."""
    baseline: float
    slo_min: float | None
    slo_max: float | None
    breached: bool
    history: tuple[float, ...]
    """Sampled values, oldest first (at most the last few hundred samples)."""


@dataclass(frozen=True)
class MemberView:
    name: str
    roles: tuple[str, ...]
    status: str
    """``standby`` (not yet engaged), ``paged`` (responding), ``idle``, ``busy``."""
    on_call: bool
    action: str | None
    """Label of the running action."""
    progress: float
    """0..1 progress of the running action (or of the response to a page)."""
    finishes_at: float | None
    queued: tuple[str, ...]
    """Labels of actions waiting for this member."""
    participant: str | None
    """The participant playing this member, if assigned at the briefing."""


@dataclass(frozen=True)
class QueuedView:
    action: str
    label: str
    member: str
    since: float


@dataclass(frozen=True)
class OptionView:
    action: str
    label: str


@dataclass(frozen=True)
class DecisionView:
    inject: str
    prompt: str
    sender: str | None
    options: tuple[OptionView, ...]
    deadline_at: float
    time_left: float


@dataclass(frozen=True)
class MilestoneView:
    id: str
    label: str
    target: float | None
    reached_at: float | None


@dataclass(frozen=True)
class ClockView:
    id: str
    regime: str
    deadline: float
    started_at: float | None
    due_at: float | None
    met_at: float | None
    missed: bool


@dataclass(frozen=True)
class FeedItem:
    seq: int
    t: float
    kind: str
    """``inject``, ``alert``, ``facilitator``, ``outcome``, ``failure``, ``milestone``, ``penalty``, ``decision``, ``clock``, ``page``, ``note``, ``system``."""
    channel: str
    sender: str | None
    to: str
    text: str


@dataclass(frozen=True)
class ActionAvailability:
    id: str
    label: str
    role: str
    available: bool
    reason: str | None
    """Why it cannot be taken now (None when available)."""
    penalty: bool


@dataclass(frozen=True)
class DrillView:
    t: float
    duration: float
    paused: bool
    speed: float
    ended: bool
    end_reason: str | None
    severity: str
    title: str
    revenue_lost: float
    currency: str
    penalty_points: int
    metrics: tuple[MetricView, ...]
    members: tuple[MemberView, ...]
    queued: tuple[QueuedView, ...]
    decisions: tuple[DecisionView, ...]
    milestones: tuple[MilestoneView, ...]
    clocks: tuple[ClockView, ...]
    feed: tuple[FeedItem, ...]
    discussion: tuple[str, ...]
    """Discussion questions of the latest inject that has any."""


def action_availability(drill: Drill) -> list[ActionAvailability]:
    out = []
    for action in drill.scenario.actions:
        why = drill._why_not(action)
        out.append(
            ActionAvailability(
                action.id,
                action.label,
                action.role,
                why is None,
                None if why is None else why[1],
                action.penalty is not None,
            )
        )
    return out


def drill_view(drill: Drill, feed_limit: int = 200, *, controller: bool = False) -> DrillView:
    """What the players see; ``controller=True`` adds the controller-only metrics (ground truth)."""
    t = drill.now
    drill._sampler.catch_up(t)
    revenue_lost, _ = drill._sampler.totals(t)
    metrics = []
    for mid, metric in drill.metrics.items():
        spec = metric.spec
        if spec.visibility == "controller" and not controller:
            continue
        value = metric.history[-1] if metric.history else metric.at(t)
        metrics.append(
            MetricView(
                mid,
                spec.label or mid,
                spec.unit,
                value,
                metric.baseline,
                spec.slo.min if spec.slo else None,
                spec.slo.max if spec.slo else None,
                metric.breached,
                tuple(metric.history),
            )
        )
    members: list[MemberView] = []
    queued: list[QueuedView] = []
    by_member = {name: drill.participants.get(name) for name in drill.members}
    for name, state in drill.members.items():
        task = state.current
        if task is not None and not task.done and task.finishes_at is not None:  # not cancelled at the end
            span = max(task.finishes_at - task.started_at, 1e-9)
            status, label, progress, finish = (
                "busy",
                task.action.label,
                min(1.0, (t - task.started_at) / span),
                task.finishes_at,
            )
        elif state.responding_since is not None and state.available_at is not None:
            span = max(state.available_at - state.responding_since, 1e-9)
            status, label, progress, finish = (
                "paged",
                None,
                min(1.0, (t - state.responding_since) / span),
                state.available_at,
            )
        else:
            status, label, progress, finish = ("idle" if state.engaged else "standby"), None, 0.0, None
        members.append(
            MemberView(
                name,
                tuple(state.spec.roles),
                status,
                state.spec.on_call,
                label,
                progress,
                finish,
                tuple(w.action.label for w in state.waiting),
                by_member[name],
            )
        )
        queued.extend(QueuedView(w.action.id, w.action.label, name, w.submitted_at) for w in state.waiting)
    decisions = []
    for inject_id, open_ in drill.decisions.items():
        decision = open_.inject.decision
        assert decision is not None
        decisions.append(
            DecisionView(
                inject_id,
                decision.prompt or open_.inject.text,
                open_.inject.from_,
                tuple(OptionView(a, drill.actions[a].label) for a in decision.options),
                open_.deadline_at,
                max(0.0, open_.deadline_at - t),
            )
        )
    milestones = tuple(
        MilestoneView(mid, drill._milestone_label(mid), spec.target, drill.milestones.get(mid))
        for mid, spec in drill.milestone_specs.items()
    )
    clocks = tuple(
        ClockView(c.id, c.regime, drill.scenario.scaled(c.deadline), s.started_at, s.due_at, s.met_at, s.missed)
        if controller or not drill._unrecorded(c.id) or s.missed
        else ClockView(c.id, c.regime, drill.scenario.scaled(c.deadline), None, None, None, False)
        for c in drill.scenario.clocks
        for s in [drill.clocks[c.id]]
    )
    return DrillView(
        t=t,
        duration=drill.scenario.duration,
        paused=drill.paused,
        speed=drill.speed,
        ended=drill.ended,
        end_reason=drill.end_reason,
        severity=drill.scenario.severity,
        title=drill.scenario.title,
        revenue_lost=revenue_lost,
        currency=drill.scenario.business.currency,
        penalty_points=drill.penalty_points,
        metrics=tuple(metrics),
        members=tuple(members),
        queued=tuple(queued),
        decisions=tuple(sorted(decisions, key=lambda d: d.deadline_at)),
        milestones=milestones,
        clocks=clocks,
        feed=tuple(drill._feed[-feed_limit:]),
        discussion=drill._discussion,
    )
