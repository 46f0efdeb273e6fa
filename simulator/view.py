"""A read-only snapshot of a drill for a UI: plain frozen dataclasses, no SimPy inside."""

from __future__ import annotations

from dataclasses import dataclass


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
    communication: str | None
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
    outside_slo: dict[str, float]
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
