"""What each seat may see, decided on the host: a pure function of the drill's state and journal.

A seat is ``controller``, ``room`` or a role id. Every feed item, metric and decision has
an *audience*, worked out from the journal record behind it and the scenario's
``visibility`` keys (``simulator.model.Visibility``) with defaults that keep today's
scenarios playable:

- an inject reaches its ``to`` role (or everyone); ``visibility`` overrides that
  (``controller``: the controller's console only; ``everyone``: every seat; a role id);
- a metric is public unless its ``visibility`` is ``controller`` or a role;
- a page reaches the seats of the roles the paged member holds;
- penalties, facilitator notes and "fault stopped" lines (they name the fault) are the
  controller's, as are fault labels, red-herring flags, milestone targets, clocks not yet
  started, the true metric values and the live score.

The room sees what is public: the clock, public metrics, broadcast feed items, and open
decisions with their countdowns (a decision put to one role shows who it is for and the
time left, not its prompt). A role seat sees its own inbox and the broadcasts, public
metrics and its own, milestones once reached (no targets), the actions of its role (with
no hint of which are don'ts), decisions put to it or to everyone, and the team panel.

``seat_view`` returns plain JSON-ready data; :func:`drill_view_from` (in ``protocol``)
turns it back into a ``DrillView`` that the TUI's widgets render.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drillsim.simulator.engine import Drill
from drillsim.simulator.roles import role_title
from drillsim.simulator.view import ActionAvailability, DecisionView, DrillView, FeedItem, MetricView

CONTROLLER = "controller"
ROOM = "room"
EVERYONE = "everyone"

FEED_LIMIT = 150
"""Feed items a view carries (the newest)."""
HISTORY_LIMIT = 72
"""Metric samples a view carries (what a sparkline shows: 6 sim minutes)."""

CONTROLLER_ONLY_RECORDS = frozenset({"penalty", "note", "fault_stopped"})
"""Journal records whose feed line only the controller sees (a penalty says which option was a don't, a
"Stopped:" line names the fault)."""


def seat_kind(seat: str) -> str:
    """``controller``, ``room`` or ``role``."""
    return seat if seat in (CONTROLLER, ROOM) else "role"


def seats_of(drill: Drill) -> list[str]:
    """The seats a drill offers: the controller, the room, then each role that has actions or is sent
    injects and that somebody on the roster holds, in first-use order."""
    held = {role for member in drill.roster.members for role in member.roles}
    wanted: dict[str, None] = {}
    for role in drill.scenario.roles_needed:
        wanted.setdefault(role, None)
    for inject in drill.scenario.injects:
        if inject.to != EVERYONE:
            wanted.setdefault(inject.to, None)
    return [CONTROLLER, ROOM, *(role for role in wanted if role in held)]


class Audiences:
    """Who each journal record's feed line is for; cached by seq (records never change)."""

    def __init__(self, drill: Drill) -> None:
        self.drill = drill
        self.injects = {i.id: i for i in drill.scenario.injects}
        self.metric_vis = {mid: m.visibility or EVERYONE for mid, m in drill.scenario.metrics.items()}
        self.member_roles = {m.name: tuple(m.roles) for m in drill.roster.members}
        self._cache: dict[int, str] = {}

    def of_record(self, record: dict[str, Any]) -> str:
        """``everyone``, ``controller``, a role id, or ``member:NAME``."""
        seq = record["seq"]
        audience = self._cache.get(seq)
        if audience is None:
            audience = self._compute(record)
            self._cache[seq] = audience
        return audience

    def _compute(self, r: dict[str, Any]) -> str:
        match r:
            case {"type": kind} if kind in CONTROLLER_ONLY_RECORDS:
                return CONTROLLER
            case {"type": "inject"}:
                return self.of_inject(str(r.get("inject")))
            case {"type": "facilitator_inject"}:
                to = r.get("to") or EVERYONE
                return f"member:{to}" if to in self.member_roles else to
            case {"type": "page"}:
                return f"member:{r.get('member')}"
            case {"type": "metric_breach" | "metric_restored"}:
                return self.metric_vis.get(str(r.get("metric")), CONTROLLER)
            case _:
                return EVERYONE

    def of_inject(self, inject_id: str) -> str:
        spec = self.injects.get(inject_id)
        if spec is None:
            return CONTROLLER
        return spec.visibility or spec.to

    def sees(self, seat: str, audience: str) -> bool:
        if seat == CONTROLLER:
            return True
        if audience == EVERYONE:
            return True
        if seat == ROOM:
            return False
        if audience.startswith("member:"):
            return seat in self.member_roles.get(audience[len("member:") :], ())
        return audience == seat


def _plain(item: Any) -> dict[str, Any]:
    """A flat view dataclass as a dict: a shallow copy (``dataclasses.asdict`` deep-copies every value,
    which costs more than building the whole view)."""
    return dict(item.__dict__)


def _feed(drill: Drill, audiences: Audiences, seat: str, items: tuple[FeedItem, ...]) -> list[dict[str, Any]]:
    records = drill.records
    shown = [item for item in items if audiences.sees(seat, audiences.of_record(records[item.seq]))]
    return [_plain(item) for item in shown[-FEED_LIMIT:]]


def _metric(metric: MetricView) -> dict[str, Any]:
    data = _plain(metric)
    data["history"] = metric.history[-HISTORY_LIMIT:]
    return data


def _decision(decision: DecisionView, seat: str, audience: str) -> dict[str, Any] | None:
    if seat == CONTROLLER or audience in (EVERYONE, seat):
        return {**_plain(decision), "options": [_plain(o) for o in decision.options]}
    if seat == ROOM:  # who it is for and the time left; the prompt and options are the addressee's
        return {
            "inject": decision.inject,
            "prompt": f"A decision for the {role_title(audience).lower()}" if audience != CONTROLLER else "A decision",
            "sender": None,
            "options": [],
            "deadline_at": decision.deadline_at,
            "time_left": decision.time_left,
        }
    return None


@dataclass(frozen=True)
class Snapshot:
    """The drill's full view and action availability at one moment, shared by every seat's view of it."""

    view: DrillView
    availability: list[ActionAvailability]

    @classmethod
    def of(cls, drill: Drill) -> Snapshot:
        return cls(drill.view(feed_limit=1_000_000), drill.availability())


def seat_view(
    drill: Drill, seat: str, audiences: Audiences | None = None, snapshot: Snapshot | None = None
) -> dict[str, Any]:
    """The view of ``seat`` (``controller``, ``room`` or a role id): JSON-ready data, nothing the seat may not see.

    ``snapshot`` (``Snapshot.of(drill)``) lets several seats share one reading of the drill."""
    audiences = audiences or Audiences(drill)
    view = snapshot.view if snapshot is not None else drill.view(feed_limit=1_000_000)
    kind = seat_kind(seat)
    controller = kind == CONTROLLER

    def metric_visible(metric_id: str) -> bool:
        return audiences.sees(seat, audiences.metric_vis.get(metric_id, CONTROLLER))

    metrics = [_metric(m) for m in view.metrics if metric_visible(m.id)]
    decisions = []
    for decision in view.decisions:
        shown = _decision(decision, seat, audiences.of_inject(decision.inject))
        if shown is not None:
            decisions.append(shown)
    if controller:
        milestones = [_plain(m) for m in view.milestones]
        clocks = [_plain(c) for c in view.clocks]
    else:
        milestones = [{**_plain(m), "target": None} for m in view.milestones if m.reached_at is not None]
        clocks = [_plain(c) for c in view.clocks if c.started_at is not None]
    if kind == "room":
        members: list[dict[str, Any]] = []
        queued: list[dict[str, Any]] = []
        actions: list[dict[str, Any]] = []
    else:
        members = [_plain(m) for m in view.members]
        queued = [_plain(q) for q in view.queued]
        actions = [
            _plain(a) if controller else {**_plain(a), "penalty": False}
            for a in (snapshot.availability if snapshot is not None else drill.availability())
            if controller or a.role == seat
        ]
    data: dict[str, Any] = {
        "seat": seat,
        "kind": kind,
        "t": view.t,
        "duration": view.duration,
        "paused": view.paused,
        "speed": view.speed,
        "ended": view.ended,
        "end_reason": view.end_reason,
        "severity": view.severity,
        "title": view.title,
        "revenue_lost": view.revenue_lost,
        "currency": view.currency,
        "penalty_points": view.penalty_points if controller else 0,
        "metrics": metrics,
        "members": members,
        "queued": queued,
        "decisions": decisions,
        "milestones": milestones,
        "clocks": clocks,
        "feed": _feed(drill, audiences, seat, view.feed),
        "discussion": list(view.discussion),
        "actions": actions,
    }
    if controller:
        data["controller"] = controller_extras(drill, audiences, view.feed)
    return data


def controller_extras(drill: Drill, audiences: Audiences, feed: tuple[FeedItem, ...]) -> dict[str, Any]:
    """Ground truth for the controller: faults, impact, true metric values, red herrings, penalties, audiences."""
    faults = [
        {
            "id": f.id,
            "label": f.label,
            "impact": f.impact,
            "started_at": drill.fault_started.get(f.id),
            "stopped_at": drill.fault_stopped.get(f.id),
        }
        for f in drill.scenario.faults
    ]
    red_herrings = [
        r["seq"] for r in drill.records if r["type"] == "inject" and r.get("red_herring")
    ]  # cheap next to view(): a drill has a few hundred non-sample records
    penalties = [
        {"t": r["t"], "points": r["points"], "reason": r["reason"], "source": r["source"]}
        for r in drill.records
        if r["type"] == "penalty"
    ]
    feed_to = {str(item.seq): audiences.of_record(drill.records[item.seq]) for item in feed[-FEED_LIMIT:]}
    return {
        "faults": faults,
        "impact_started_at": drill.impact_started_at,
        "truth": {mid: round(state.at(drill.now), 4) for mid, state in drill.metrics.items()},  # no noise, now
        "hidden_metrics": sorted(mid for mid, vis in audiences.metric_vis.items() if vis != EVERYONE),
        "red_herrings": red_herrings,
        "penalties": penalties,
        "audience": feed_to,
        "objectives": [{"id": o.id, "text": o.text, "capability": o.capability} for o in drill.scenario.objectives],
        "roles": sorted({role for m in drill.roster.members for role in m.roles}),
    }


def live_score(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The score so far, term by term (the report's breakdown), for the controller; None if it cannot be computed yet."""
    from drillsim.reports.scoring import score

    try:
        card = score(records)
    except Exception:  # a journal mid-drill the scorer cannot read yet must not stop the host
        return None
    breakdown = card.score
    return {
        "total": breakdown.total,
        "earned": breakdown.earned,
        "penalties": breakdown.penalties,
        "terms": [
            {"component": t.component, "label": t.label, "weight": t.weight, "points": t.points, "detail": t.detail}
            for t in breakdown.terms
        ],
    }
