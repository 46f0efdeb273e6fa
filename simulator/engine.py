"""The SimPy world: a scenario replayed against a roster, driven by people or by a policy.

``Drill`` owns one ``simpy.Environment`` and one ``random.Random(seed)``. Faults, injects,
decisions, pages and actions are SimPy processes; each roster member is a
``simpy.Resource(capacity=1)``, so a busy member makes the next action queue. The metrics
(samples, SLO crossings, metric conditions, business impact) are simulator/metrics.py's: functions
of time between real events, solved exactly. Every event is a journal record (docs/architecture.md);
the same scenario, roster, seed and inputs at the same sim times give the same journal.

The UI and policies drive the drill through ``advance_to``, ``submit``, ``answer``,
``pause``/``resume``, ``facilitator_inject``, ``note`` and ``end``, and read it through
``view()`` and ``availability()``.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import simpy
from drillsim import __version__
from drillsim.simulator.durations import format_clock, format_duration
from drillsim.simulator.journal import JournalWriter
from drillsim.simulator.metrics import (
    EPS,
    FORMAT,
    MetricState,
    MetricWatch,
    make_sampler,
)
from drillsim.simulator.model import (
    ALERT_CHANNELS,
    Action,
    Condition,
    Effect,
    Fault,
    Inject,
    Member,
    Penalty,
    Roster,
    Scenario,
    shared_dump,
)
from drillsim.simulator.view import (
    ActionAvailability,
    ClockView,
    DecisionView,
    DrillView,
    FeedItem,
    MemberView,
    MetricView,
    MilestoneView,
    OptionView,
    QueuedView,
)

OFF_ROLE_SLOWDOWN = 1.5
"""A member without the responsible role takes this much longer."""
OFF_ROLE_RELIABILITY = 0.75
"""...and succeeds this much less often (the success chance is multiplied)."""
SKILL_SPEEDUP = 0.8
"""A member with a skill the action asks for takes this fraction of the time."""
SKILL_FAILURE_CUT = 0.5
"""...and fails this fraction as often."""

Record = dict[str, Any]


@dataclass(frozen=True)
class Submission:
    """The answer to a submitted action or decision: accepted, or why not."""

    ok: bool
    reason: str | None = None
    code: str = "ok"
    """``ok``, ``ended``, ``unknown``, ``requires``, ``done``, ``underway``, ``forbidden``, ``member``, ``decision``."""


@dataclass
class _Task:
    """A submitted action on its way: waiting for its member, running, or done."""

    action: Action
    member: str
    submitted_at: float
    source: str
    started_at: float | None = None
    finishes_at: float | None = None
    done: bool = False
    took: float | None = None
    """A duration the submission fixed (a scripted replay of a real timeline), instead of a drawn one."""


@dataclass
class _MemberState:
    spec: Member
    index: int
    resource: simpy.Resource
    engaged: bool = False
    responding_since: float | None = None
    available_at: float | None = None
    ready: simpy.Event | None = None
    current: _Task | None = None
    waiting: list[_Task] = field(default_factory=list)

    @property
    def load(self) -> int:
        return len(self.waiting) + (1 if self.current is not None else 0)


@dataclass
class _OpenDecision:
    inject: Inject
    opened_at: float
    deadline_at: float


class _DeadlineWatch:
    """A waiting trigger's milestone or action condition with ``not_by``: it can come true when its time comes."""

    __slots__ = ("cond", "due", "pending", "trigger_id")

    def __init__(self, pending: dict[str, Any], trigger_id: str, cond: Condition, due: float) -> None:
        self.pending = pending
        self.trigger_id = trigger_id
        self.cond = cond
        self.due = due


@dataclass
class _ClockState:
    started_at: float | None = None
    due_at: float | None = None
    met_at: float | None = None
    missed: bool = False
    recorded_at: float | None = None


class Drill:
    """A scenario replayed against a roster in a SimPy world, with a seeded random generator."""

    def __init__(
        self,
        scenario: Scenario,
        roster: Roster,
        seed: int = 0,
        *,
        speed: float = 1.0,
        team: str | None = None,
        label: str | None = None,
        participants: dict[str, str] | None = None,
        policy: str | None = None,
        journal: JournalWriter | None = None,
        wall: str | None = None,
        journal_format: int = FORMAT,
    ) -> None:
        self.scenario = scenario
        self.roster = roster
        self.seed = seed
        self.speed = speed
        self.team = team or roster.team
        self.label = label
        self.participants = dict(participants or {})
        self.policy = policy
        self.journal = journal
        self.env = simpy.Environment()
        self.rng = random.Random(seed)
        self.records: list[Record] = []
        """What the drill wrote; with a journal, metric-sample blocks keep their totals only (the samples are on disk)."""
        self._seq = 0
        self.journal_format = journal_format
        self.paused = False
        self.ended = False
        self.end_reason: str | None = None
        self.ended_at: float | None = None
        self._feed: list[FeedItem] = []
        self._discussion: tuple[str, ...] = ()
        self._alerted = False  # an alert has reached the feed: SLO lines follow it, never precede it
        # action id -> the actions whose success rules it out (``forbids``)
        self._forbidden_by: dict[str, list[str]] = {}
        for a in scenario.actions:
            for target in a.forbids:
                self._forbidden_by.setdefault(target, []).append(a.id)

        self.metrics = {mid: MetricState(mid, spec) for mid, spec in scenario.metrics.items()}
        self.members = {
            m.name: _MemberState(m, i, simpy.Resource(self.env, capacity=1)) for i, m in enumerate(roster.members)
        }
        self.actions = {a.id: a for a in scenario.actions}
        self.milestone_specs = scenario.scoring.milestones
        self.milestones: dict[str, float] = {}
        self.done_actions: dict[str, float] = {}
        self.tasks: list[_Task] = []
        self.fault_started: dict[str, float] = {}
        self.fault_stopped: dict[str, float] = {}
        self.impact_started: float | None = None
        self.decisions: dict[str, _OpenDecision] = {}
        self.timed_out: set[str] = set()
        self.clocks = {c.id: _ClockState() for c in scenario.clocks}
        self.penalty_points = 0
        self.revenue_lost = 0.0
        self.outside_slo = dict.fromkeys(scenario.metrics, 0.0)
        self._held: dict[int, float | None] = {}
        # Triggers waiting for their condition, by id (dicts: membership is by key, not model equality).
        self._pending_faults: dict[str, Fault] = {f.id: f for f in scenario.faults if f.when is not None}
        self._pending_injects: dict[str, Inject] = {i.id: i for i in scenario.injects if i.when is not None}
        self._pending_milestones: dict[str, Condition] = {
            mid: spec.when for mid, spec in self.milestone_specs.items() if spec.when is not None
        }
        self._kinds: dict[int, str] = {
            id(c): c.kind for c in [*self._pending_faults_conds(), *self._pending_milestones.values()]
        }
        # The conditions that can come true with time alone: metric conditions, looked at whenever a
        # metric changes or crosses a threshold, and not_by conditions, looked at once, at not_by.
        self._metric_watches: list[MetricWatch] = []
        self._deadline_watches: list[_DeadlineWatch] = []
        self._watch_conditions()
        self._deadlines_passed = 0
        self._fault_procs: dict[str, list[simpy.Process]] = {}
        self._checking = False
        self._recheck = False
        self._ending = False
        # A milestone condition that already holds on the healthy baseline counts only after it stopped
        # holding: "recovered" means the metric came back, not that it was fine before anything broke.
        self._unarmed: set[int] = {
            id(cond)
            for cond in self._pending_milestones.values()
            if cond.kind == "metric" and cond.holds_for_value(self.metrics[cond.metric or ""].baseline)
        }

        self._sampler = make_sampler(self, journal_format)
        started: dict[str, Any] = {} if journal_format == 1 else {"format": journal_format}
        self._emit(
            "drill_started",
            **started,
            version=__version__,
            seed=seed,
            speed=speed,
            team=self.team,
            label=label,
            scenario=shared_dump(scenario),
            scenario_hash=scenario.content_hash(),
            roster=shared_dump(roster),
            roster_hash=roster.content_hash(),
            participants=self.participants,
            policy=policy,
            wall=wall or _wall(),
        )
        self._start_processes()

    # ------------------------------------------------------------------ journal

    def _emit(self, type_: str, *, input: bool = False, **fields: Any) -> Record:
        now = self.now
        self._sampler.before_record(now)
        record: Record = {"seq": self._seq, "t": now, "type": type_}
        if input:
            record["input"] = True
            fields.setdefault("wall", _wall())
        record.update(fields)
        # An input is fsync'd at once: nothing a person typed is lost. A policy's inputs are not: the
        # policy plays them again (the journal is synced when the drill ends).
        self._append(record, sync=input and self.policy is None)
        self._to_feed(record)
        return record

    def _append(self, record: Record, sync: bool = False) -> None:
        self._seq += 1
        self.records.append(record)
        if self.journal is not None:
            self.journal.write(record, sync=sync)

    def _metric_text(self, metric_id: str, value: float, slo: bool = False) -> str:
        """``9.85/min (SLO ≤ 1/min)``: rounded, with the metric's unit (and its SLO)."""
        spec = self.scenario.metrics[metric_id]
        unit = spec.unit
        text = f"{readable_number(value)}{unit}"
        if slo and spec.slo is not None:
            bounds = [f"≤ {readable_number(spec.slo.max)}{unit}"] if spec.slo.max is not None else []
            bounds += [f"≥ {readable_number(spec.slo.min)}{unit}"] if spec.slo.min is not None else []
            if bounds:
                text += f" (SLO {', '.join(bounds)})"
        return text

    def _to_feed(self, r: Record) -> None:
        kind = r["type"]
        item: tuple[str, str, str | None, str, str] | None = None
        if kind == "inject":
            self._alerted = self._alerted or r["alert"]
            item = ("alert" if r["alert"] else "inject", r["channel"], r["from"], r["to"], r["text"])
        elif kind == "facilitator_inject":
            item = ("facilitator", r["channel"], r["from"], r["to"], r["text"])
        elif kind == "action_finished":
            item = ("outcome" if r["success"] else "failure", "team", r["member"], "everyone", r["text"])
        elif kind == "action_queued":
            who = r["member"]
            item = ("system", "team", None, "everyone", f"{self.actions[r['action']].label}: queued for {who}")
        elif kind == "milestone":
            label = self._milestone_label(r["milestone"])
            item = ("milestone", "drill", None, "everyone", f"Milestone reached: {label}")
        elif kind == "penalty":
            item = ("penalty", "drill", None, "everyone", f"-{r['points']} points: {r['reason']}")
        elif kind == "decision_timed_out":
            item = ("decision", "drill", None, "everyone", f"No answer in time. {r['text']}")
        elif kind == "decision_resolved":
            item = ("decision", "drill", None, "everyone", f"Decision closed. {r['text']}")
        elif kind == "clock_started" and self._unrecorded(r["clock"]):
            pass  # the law's clock runs from the evidence; the players learn it when they record it
        elif kind == "clock_recorded":
            since = format_clock(self.clocks[r["clock"]].started_at or 0.0)
            real = r["delay"] * self.scenario.time_scale
            text = f"{r['regime']} clock recorded; it has run since {since} ({format_duration(real)} before recording)"
            item = ("clock", "regulator", None, "everyone", text)
        elif kind in ("clock_started", "clock_met", "clock_missed"):
            verb = {"clock_started": "started", "clock_met": "met", "clock_missed": "MISSED"}[kind]
            item = ("clock", "regulator", None, "everyone", f"{r['regime']} clock {verb}")
        elif kind == "page":
            item = ("page", "pager", None, r["member"], f"{r['member']} paged ({r['reason']})")
        elif kind == "note":
            item = ("note", "note", r.get("author"), "everyone", r["text"])
        elif kind in ("metric_breach", "metric_restored") and (
            not self._alerted or self.scenario.metrics[r["metric"]].visibility == "controller"
        ):
            pass  # a dashboard line is not an alert: none before the first alert, none for ground truth
        elif kind == "metric_breach":
            label = self.scenario.metrics[r["metric"]].label or r["metric"]
            value = self._metric_text(r["metric"], r["value"], slo=True)
            item = ("alert", "dashboard", "Monitoring", "everyone", f"{label} outside its SLO: {value}")
        elif kind == "metric_restored":
            label = self.scenario.metrics[r["metric"]].label or r["metric"]
            value = self._metric_text(r["metric"], r["value"])
            item = ("system", "dashboard", "Monitoring", "everyone", f"{label} back within its SLO: {value}")
        # fault_stopped: nothing in the feed. The label names the root cause (controller-only); the players
        # read the stopping action's own outcome text.
        elif kind == "drill_ended":
            item = ("system", "drill", None, "everyone", f"Drill ended ({r['reason'].replace('_', ' ')})")
        if item is not None:
            self._feed.append(FeedItem(r["seq"], r["t"], item[0], item[1], item[2], item[3], item[4]))

    # ------------------------------------------------------------------ time

    @property
    def now(self) -> float:
        if self.ended_at is not None:
            return self.ended_at
        return float(self.env.now)

    def advance_to(self, t: float) -> None:
        """Run the world up to sim time ``t`` (events strictly before ``t``); nothing moves while paused or ended."""
        if self.paused or self.ended or t <= self.env.now:
            return
        if not math.isfinite(t):
            raise ValueError("advance_to needs a finite time")
        # env.run(until=t) without its stop event: the events before t exactly (SimPy would stop at
        # now + (t - now), which can miss t by a rounding error), then the clock pinned to t, so the same
        # input times give the same journal on replay however the drill got there.
        env = self.env
        queue, step = env._queue, env.step  # type: ignore[attr-defined]
        while queue and queue[0][0] < t:
            step()
        env._now = t

    def in_progress(self, action_id: str) -> bool:
        """Whether the action is queued or running now."""
        return any(task.action.id == action_id and not task.done for task in self.tasks)

    def running_until(self, action_id: str) -> float | None:
        """When the action's last run finishes, if every run of it now is under way (none still queued)."""
        finish = None
        for task in self.tasks:
            if task.action.id == action_id and not task.done:
                if task.finishes_at is None:
                    return None
                finish = task.finishes_at if finish is None else max(finish, task.finishes_at)
        return finish

    def next_event_time(self) -> float:
        return float(self.env.peek())

    # ------------------------------------------------------------------ processes

    def _start_processes(self) -> None:
        env = self.env
        for fault in self.scenario.faults:
            if fault.at == 0:
                self._start_fault(fault)  # before the first sample, so t=0 already shows it
            elif fault.at is not None:
                env.process(self._at(fault.at, self._start_fault, fault))
        for inject in self.scenario.injects:
            if inject.at is not None:
                env.process(self._at(inject.at, self._deliver, inject))
        for t in sorted(self._not_by_times()):
            env.process(self._at(t, self._check_event_triggers))
        self._sampler.start()
        env.process(self._at(self.scenario.duration, self.end, "time_limit"))

    def _not_by_times(self) -> set[float]:
        times: set[float] = set()
        for cond in self._pending_faults_conds():
            if cond.not_by is not None:
                times.add(cond.not_by)
        return times

    def _waiting_conditions(self) -> list[tuple[dict[str, Any], str, Condition]]:
        """(pending dict, trigger id, condition) of every fault, inject and milestone waiting for a condition."""
        waiting: list[tuple[dict[str, Any], str, Condition]] = []
        for fault_id, fault in self._pending_faults.items():
            if fault.when is not None:
                waiting.append((self._pending_faults, fault_id, fault.when))
        for inject_id, inject in self._pending_injects.items():
            if inject.when is not None:
                waiting.append((self._pending_injects, inject_id, inject.when))
        for mid, cond in self._pending_milestones.items():
            waiting.append((self._pending_milestones, mid, cond))
        return waiting

    def _watch_conditions(self) -> None:
        """Make the watches of the conditions that can come true with time alone (see simulator/metrics.py)."""
        for pending, trigger_id, cond in self._waiting_conditions():
            if self._kinds[id(cond)] == "metric":
                metric = self.metrics[cond.metric or ""]
                self._metric_watches.append(MetricWatch(pending, trigger_id, cond, metric))
            elif cond.not_by is not None:
                self._deadline_watches.append(_DeadlineWatch(pending, trigger_id, cond, cond.not_by))
        self._deadline_watches.sort(key=lambda watch: watch.due)

    def _pending_faults_conds(self) -> list[Condition]:
        """Conditions of the faults and injects still waiting to fire."""
        conds = [f.when for f in self._pending_faults.values()] + [i.when for i in self._pending_injects.values()]
        return [c for c in conds if c is not None]

    def _at(self, t: float, fn: Any, *args: Any) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(max(0.0, t - self.env.now))
        if not self.ended:
            fn(*args)

    def _cond_true(self, cond: Condition, t: float) -> bool:
        kind = self._kinds.get(id(cond)) or cond.kind
        if kind == "metric":
            key = id(cond)
            since = self._held.get(key)
            return since is not None and t - since >= (cond.for_ or 0.0) - EPS
        if kind in ("milestone", "action"):
            happened = self.milestones if kind == "milestone" else self.done_actions
            name = cond.milestone if kind == "milestone" else cond.action
            at = happened.get(name or "")
            if cond.not_by is None:
                return at is not None
            return t >= cond.not_by and (at is None or at > cond.not_by)
        if kind == "clock":
            state = self.clocks.get(cond.clock or "")
            return state is not None and state.missed
        if kind == "decision":
            return (cond.decision or "") in self.timed_out
        return False

    def _check_deadlines(self, t: float) -> bool:
        """Whether a waiting not_by condition whose time came since the previous sample is true.

        Past its time, a not_by condition changes only when its milestone or action happens."""
        deadlines = self._deadline_watches
        came_true = False
        while self._deadlines_passed < len(deadlines) and deadlines[self._deadlines_passed].due <= t:
            watch = deadlines[self._deadlines_passed]
            self._deadlines_passed += 1
            if watch.trigger_id in watch.pending and self._cond_true(watch.cond, t):
                came_true = True
        return came_true

    def _check_event_triggers(self) -> None:
        """Fire every pending fault, inject and milestone whose condition holds now (until nothing changes)."""
        if self.ended:
            return
        if self._checking:
            self._recheck = True
            return
        self._checking = True
        try:
            self._recheck = True
            while self._recheck and not self.ended:
                self._recheck = False
                self._fire_ready()
        finally:
            self._checking = False

    def _fire_ready(self) -> None:
        t = self.now
        for fault_id, fault in list(self._pending_faults.items()):
            if fault_id in self._pending_faults and fault.when is not None and self._cond_true(fault.when, t):
                del self._pending_faults[fault_id]
                self._start_fault(fault)
        for inject_id, inject in list(self._pending_injects.items()):
            if inject_id in self._pending_injects and inject.when is not None and self._cond_true(inject.when, t):
                del self._pending_injects[inject_id]
                self._deliver(inject)
        for mid, cond in list(self._pending_milestones.items()):
            if mid not in self._pending_milestones:
                continue
            if mid in self.milestones:
                del self._pending_milestones[mid]
            elif self._cond_true(cond, t):
                del self._pending_milestones[mid]
                self._mark(mid, "condition")

    # ------------------------------------------------------------------ faults and effects

    def _start_fault(self, fault: Fault) -> None:
        if fault.id in self.fault_started or self.ended:
            return
        self.fault_started[fault.id] = self.now
        self._emit("fault_started", fault=fault.id, impact=fault.impact)
        if fault.impact and self.impact_started is None:
            self.impact_started = self.now
            self._emit("impact_started", fault=fault.id)
        procs = []
        for effect in fault.effects:
            if effect.after > 0:
                procs.append(self.env.process(self._later(effect, f"fault:{fault.id}")))
            else:
                self._apply(effect, f"fault:{fault.id}")
        self._fault_procs[fault.id] = procs

    def _later(self, effect: Effect, owner: str) -> Generator[simpy.Event, Any, None]:
        try:
            yield self.env.timeout(effect.after)
        except simpy.Interrupt:
            return
        if not self.ended:
            self._apply(effect, owner)

    def _apply(self, effect: Effect, owner: str) -> None:
        self._sampler.before_change(self.now)
        self.metrics[effect.metric].apply(effect, self.now, owner)
        self._sampler.changed(self.now)

    def _stop_fault(self, fault_id: str, action: Action, member: str) -> None:
        if fault_id not in self.fault_started or fault_id in self.fault_stopped:
            if fault_id not in self.fault_started:
                # stopping a fault before it starts keeps it from starting
                self._pending_faults.pop(fault_id, None)
                self.fault_stopped.setdefault(fault_id, self.now)
            return
        self.fault_stopped[fault_id] = self.now
        for proc in self._fault_procs.get(fault_id, []):
            if proc.is_alive:
                proc.interrupt("stopped")
        self._sampler.before_change(self.now)
        for state in self.metrics.values():
            state.cancel_ramp_of(f"fault:{fault_id}", self.now)
        self._sampler.changed(self.now)
        label = next(f.label for f in self.scenario.faults if f.id == fault_id)
        self._emit("fault_stopped", fault=fault_id, fault_label=label, action=action.id, member=member)

    # ------------------------------------------------------------------ injects and decisions

    def _deliver(self, inject: Inject) -> None:
        if self.ended:
            return
        decision = None
        if inject.decision is not None:
            deadline_at = self.now + self.scenario.scaled(inject.decision.deadline)
            decision = {
                "prompt": inject.decision.prompt or inject.text,
                "options": [{"action": a, "label": self.actions[a].label} for a in inject.decision.options],
                "deadline_at": round(deadline_at, 3),
            }
            self.decisions[inject.id] = _OpenDecision(inject, self.now, deadline_at)
        alert = inject.channel in ALERT_CHANNELS
        self._emit(
            "inject",
            inject=inject.id,
            channel=inject.channel,
            **{"from": inject.from_},  # type: ignore[arg-type]
            to=inject.to,
            text=inject.text,
            discussion=list(inject.discussion),
            alert=alert,
            red_herring=inject.red_herring,
            decision=decision,
        )
        if inject.discussion:
            self._discussion = tuple(inject.discussion)
        if decision is not None:
            self.env.process(self._decision_deadline(inject.id))
            self._resolve_moot(inject.id)
        if alert and inject.to != "everyone":
            for state in self.members.values():
                if state.spec.on_call and inject.to in state.spec.roles:
                    self._page(state, f"alert: {inject.id}")
        self._check_event_triggers()

    def _decision_deadline(self, inject_id: str) -> Generator[simpy.Event, Any, None]:
        open_ = self.decisions.get(inject_id)
        if open_ is None:  # already resolved by the state when it arrived
            return
        yield self.env.timeout(open_.deadline_at - self.now)
        if self.ended or inject_id not in self.decisions:
            return
        if self._resolve_moot(inject_id, underway=True):
            return
        del self.decisions[inject_id]
        self.timed_out.add(inject_id)
        decision = open_.inject.decision
        consequence = decision.on_timeout if decision else None
        text = consequence.text if consequence else "The decision lapsed."
        self._emit("decision_timed_out", inject=inject_id, text=text)
        if consequence is not None:
            for effect in consequence.effects:
                if effect.after > 0:
                    self.env.process(self._later(effect, f"decision:{inject_id}"))
                else:
                    self._apply(effect, f"decision:{inject_id}")
            if consequence.penalty is not None:
                self._penalise(consequence.penalty, f"decision:{inject_id}")
            if consequence.action is not None:
                action = self.actions[consequence.action]
                if self._why_not(action) is None:  # done by the stakeholders themselves, at once
                    self._finish(action, open_.inject.from_ or "stakeholders", True)
        self._check_event_triggers()

    def _resolve_moot(self, inject_id: str, just_done: str | None = None, underway: bool = False) -> bool:
        """Close an open decision the state has already answered: one of its options was done (a once-only
        one before it arrived, any one since), or at the deadline is underway. Recorded as
        ``decision_resolved``, without the timeout's consequence."""
        open_ = self.decisions.get(inject_id)
        if open_ is None or open_.inject.decision is None:
            return False
        options = open_.inject.decision.options
        if just_done is not None:
            done = [just_done]
        else:
            done = [a for a in options if a in self.done_actions and not self.actions[a].repeatable]
        going = [a for a in options if underway and self.in_progress(a)]
        if not done and not going:
            return False
        action = (done or going)[0]
        label = self.actions[action].label
        if done:
            at = self.now if just_done is not None else self.done_actions[action]
            text = f"Already answered: '{label}' was done at {format_clock(at)}."
        else:
            text = f"Already being answered: '{label}' is underway."
        del self.decisions[inject_id]
        self._emit("decision_resolved", inject=inject_id, action=action, done=bool(done), text=text)
        return True

    def answer(self, inject_id: str, action_id: str) -> Submission:
        """Answer an open decision with one of its options; the chosen action is submitted."""
        if self.ended:
            return Submission(False, "the drill has ended", "ended")
        open_ = self.decisions.get(inject_id)
        if open_ is None:
            reason = "that decision timed out" if inject_id in self.timed_out else f"no open decision '{inject_id}'"
            return Submission(False, reason, "decision")
        options = open_.inject.decision.options if open_.inject.decision else []
        if action_id not in options:
            return Submission(False, f"'{action_id}' is not one of the options: {', '.join(options)}", "decision")
        why = self._why_not(self.actions[action_id])
        if why is not None:  # the decision stays open: the team can choose again
            return Submission(False, why[1], why[0])
        del self.decisions[inject_id]
        self._emit("decision_answered", input=True, inject=inject_id, action=action_id)
        return self.submit(action_id, source="decision")

    # ------------------------------------------------------------------ team and actions

    def _page(self, state: _MemberState, reason: str) -> None:
        if state.engaged or state.responding_since is not None:
            return
        state.responding_since = self.now
        state.available_at = self.now + state.spec.response_time
        state.ready = self.env.event()
        self._emit("page", member=state.spec.name, reason=reason, available_at=round(state.available_at, 3))
        self.env.process(self._respond(state))

    def _respond(self, state: _MemberState) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(state.spec.response_time)
        state.engaged = True
        state.responding_since = None
        if not self.ended:
            self._emit("member_available", member=state.spec.name)
        if state.ready is not None:
            state.ready.succeed()

    def _why_not(self, action: Action) -> tuple[str, str] | None:
        if self.ended:
            return ("ended", "the drill has ended")
        missing = [r for r in action.requires if r not in self.milestones and r not in self.done_actions]
        if missing:
            names = ", ".join(self._requirement_label(r) for r in missing)
            return ("requires", f"needs {names} first")
        for source in self._forbidden_by.get(action.id, ()):
            if source in self.done_actions:
                when = format_clock(self.done_actions[source])
                return ("forbidden", f"ruled out by '{self.actions[source].label}' at {when}")
        if not action.repeatable:
            if action.id in self.done_actions:
                return ("done", f"already done at {format_clock(self.done_actions[action.id])} (once only)")
            for task in self.tasks:
                if task.action.id == action.id and not task.done:
                    state = "under way" if task.started_at is not None else "queued"
                    return ("underway", f"already {state} ({task.member})")
        return None

    def _requirement_label(self, req: str) -> str:
        if req in self.milestone_specs:
            return f"'{self._milestone_label(req)}'"
        if req in self.actions:
            return f"'{self.actions[req].label}'"
        return f"'{req}'"

    def _milestone_label(self, mid: str) -> str:
        spec = self.milestone_specs.get(mid)
        return spec.label if spec and spec.label else mid.replace("-", " ").replace("_", " ").capitalize()

    def default_member(self, action_id: str) -> str:
        """Who would do ``action_id`` if it were submitted now without ``by`` (a UI shows it as the default)."""
        return self._choose_member(self.actions[action_id])[0].spec.name

    def _choose_member(self, action: Action) -> tuple[_MemberState, bool]:
        """Among the action's role holders (everyone when nobody holds it): the fewest tasks ahead, then
        the soonest ready, then roster order; and whether the chosen member holds the role."""
        holders = [s for s in self.members.values() if action.role in s.spec.roles]
        pool, match = (holders, True) if holders else (list(self.members.values()), False)

        def key(s: _MemberState) -> tuple[float, float, int]:
            ready_in = 0.0 if s.engaged else (s.available_at - self.now if s.available_at else s.spec.response_time)
            return (s.load, ready_in, s.index)

        return min(pool, key=key), match

    def submit(
        self, action_id: str, by: str | None = None, *, source: str = "participant", took: float | None = None
    ) -> Submission:
        """Submit an action, optionally naming the member who does it; says why when it cannot be taken now.

        ``took`` fixes how long it takes (a script replaying a real incident's timeline) instead of drawing it.
        """
        if self.ended:  # nothing but debrief inputs follows drill_ended
            return Submission(False, "the drill has ended", "ended")
        action = self.actions.get(action_id)
        record_input = source != "decision"
        if action is None:
            if record_input:
                self._emit("action_submitted", input=True, action=action_id, by=by, source=source)
            reason = f"no action '{action_id}' in this scenario"
            self._emit("action_rejected", action=action_id, reason=reason)
            return Submission(False, reason, "unknown")
        extra = {} if took is None else {"took": round(float(took), 3)}
        self._emit("action_submitted", input=record_input, action=action_id, by=by, source=source, **extra)
        why = self._why_not(action)
        if why is None and by is not None and by not in self.members:
            why = ("member", f"no member named '{by}' on the roster")
        if why is not None:
            self._emit("action_rejected", action=action_id, reason=why[1])
            return Submission(False, why[1], why[0])
        if by is not None:
            state = self.members[by]
            match = action.role in state.spec.roles
        else:
            state, match = self._choose_member(action)
        task = _Task(action, state.spec.name, self.now, source, took=None if took is None else float(took))
        self.tasks.append(task)
        state.waiting.append(task)
        if not state.engaged:
            self._page(state, f"to {action.label.lower()}")
        if state.current is not None or not state.engaged or len(state.waiting) > 1:
            self._emit("action_queued", action=action.id, member=state.spec.name, ahead=state.load - 1)
        self.env.process(self._run(task, state, match))
        return Submission(True)

    def _run(self, task: _Task, state: _MemberState, match: bool) -> Generator[simpy.Event, Any, None]:
        action = task.action
        with state.resource.request() as request:
            yield request
            if not state.engaged and state.ready is not None:
                yield state.ready
            if self.ended:
                return
            state.waiting.remove(task)
            forbidden = next((a for a in self._forbidden_by.get(action.id, ()) if a in self.done_actions), None)
            if forbidden is not None:  # ruled out while it waited
                task.done = True
                self._emit("action_cancelled", action=action.id, member=state.spec.name, forbidden_by=forbidden)
                return
            state.current = task
            duration = self._draw_duration(action, state.spec, match) if task.took is None else task.took
            chance = self._chance(action, state.spec, match)
            success = self.rng.random() < chance
            task.started_at = self.now
            task.finishes_at = self.now + duration
            self._emit(
                "action_started",
                action=action.id,
                member=state.spec.name,
                role_match=match,
                duration=round(duration, 3),
                waited=round(self.now - task.submitted_at, 3),
            )
            yield self.env.timeout(duration)
            state.current = None
            task.done = True
            if self.ended:
                return
            self._finish(action, state.spec.name, success)

    def _draw_duration(self, action: Action, member: Member, match: bool) -> float:
        spec = action.duration
        base = spec if isinstance(spec, float) else self.rng.triangular(spec.min, spec.max, spec.mode)
        if not match:
            base *= OFF_ROLE_SLOWDOWN
        if set(action.skills) & set(member.skills):
            base *= SKILL_SPEEDUP
        return base

    def _chance(self, action: Action, member: Member, match: bool) -> float:
        chance = action.success
        if not match:
            chance *= OFF_ROLE_RELIABILITY
        if set(action.skills) & set(member.skills):
            chance = 1 - (1 - chance) * SKILL_FAILURE_CUT
        return chance

    def _finish(self, action: Action, member: str, success: bool) -> None:
        if not success:
            text = action.failure or f"{action.label}: it did not work. It can be tried again."
            self._emit("action_finished", action=action.id, member=member, success=False, text=text)
            return
        text = action.outcome or f"{action.label}: done."
        self._emit("action_finished", action=action.id, member=member, success=True, text=text)
        self.done_actions.setdefault(action.id, self.now)
        for inject_id in [
            i for i, d in self.decisions.items() if d.inject.decision and action.id in d.inject.decision.options
        ]:
            self._resolve_moot(inject_id, just_done=action.id)
        for fault_id in action.stops:
            self._stop_fault(fault_id, action, member)
        for effect in action.effects:
            if effect.after > 0:
                self.env.process(self._later(effect, f"action:{action.id}"))
            else:
                self._apply(effect, f"action:{action.id}")
        if action.penalty is not None:
            self._penalise(action.penalty, f"action:{action.id}")
        for role in action.pages:
            holders = [s for s in self.members.values() if role in s.spec.roles]
            on_call = [s for s in holders if s.spec.on_call]
            for state in on_call or holders:
                self._page(state, f"called in by {action.label.lower()}")
        for clock in self.scenario.clocks:
            clock_state = self.clocks[clock.id]
            if action.id in (clock.starts_on, clock.recorded_by) and clock_state.started_at is None:
                self._start_clock(clock.id, action.id)
            if clock.recorded_by == action.id and clock_state.recorded_at is None:
                clock_state.recorded_at = self.now
                delay = round(self.now - (clock_state.started_at or self.now), 3)
                self._emit("clock_recorded", clock=clock.id, regime=clock.regime, action=action.id, delay=delay)
            if (
                clock.satisfied_by == action.id
                and clock_state.started_at is not None
                and clock_state.met_at is None
                and not clock_state.missed
            ):
                clock_state.met_at = self.now
                self._emit("clock_met", clock=clock.id, regime=clock.regime)
        for milestone in action.marks:
            self._mark(milestone, f"action:{action.id}")
        self._check_event_triggers()

    def _unrecorded(self, clock_id: str) -> bool:
        """Whether the clock waits for the team to record its start (``recorded_by``) and they have not yet."""
        clock = next(c for c in self.scenario.clocks if c.id == clock_id)
        return clock.recorded_by is not None and self.clocks[clock_id].recorded_at is None

    def _start_clock(self, clock_id: str, by: str) -> None:
        """Start a regulatory clock (its ``starts_on`` happened, or the team recorded it first)."""
        clock = next(c for c in self.scenario.clocks if c.id == clock_id)
        state = self.clocks[clock_id]
        state.started_at = self.now
        state.due_at = self.now + self.scenario.scaled(clock.deadline)
        self._emit("clock_started", clock=clock.id, regime=clock.regime, due_at=round(state.due_at, 3))
        self.env.process(self._clock_deadline(clock.id))
        if clock.satisfied_by in self.done_actions and clock.satisfied_by != by:
            state.met_at = self.now
            self._emit("clock_met", clock=clock.id, regime=clock.regime)

    def _clock_deadline(self, clock_id: str) -> Generator[simpy.Event, Any, None]:
        state = self.clocks[clock_id]
        assert state.due_at is not None
        yield self.env.timeout(state.due_at - self.now)
        if self.ended or state.met_at is not None:
            return
        state.missed = True
        regime = next(c.regime for c in self.scenario.clocks if c.id == clock_id)
        self._emit("clock_missed", clock=clock_id, regime=regime)
        self._check_event_triggers()

    def _penalise(self, penalty: Penalty, source: str) -> None:
        self.penalty_points += penalty.points
        self._emit("penalty", points=penalty.points, reason=penalty.reason, source=source)

    def _mark(self, milestone: str, by: str) -> None:
        if milestone in self.milestones or self.ended:
            return
        self.milestones[milestone] = self.now
        self._emit("milestone", milestone=milestone, by=by)
        for clock in self.scenario.clocks:
            if clock.starts_on == milestone and self.clocks[clock.id].started_at is None:
                self._start_clock(clock.id, milestone)
        self._check_event_triggers()
        end_on = self.scenario.scoring.end_on
        if end_on and all(m in self.milestones for m in end_on) and not self._ending:
            # end once this instant is over, so injects triggered by the last milestone still arrive
            self._ending = True
            self.env.process(self._at(self.now, self.end, "resolved"))

    # ------------------------------------------------------------------ facilitator

    def pause(self) -> None:
        if not self.paused and not self.ended:
            self.paused = True
            self._emit("paused", input=True)

    def resume(self) -> None:
        if self.paused and not self.ended:
            self.paused = False
            self._emit("resumed", input=True)

    def set_speed(self, speed: float) -> None:
        if speed <= 0 or not math.isfinite(speed):
            raise ValueError("speed must be a positive number")
        if speed != self.speed and not self.ended:
            self.speed = speed
            self._emit("speed_changed", input=True, speed=speed)

    def facilitator_inject(
        self, text: str, to: str = "everyone", channel: str = "chat", sender: str = "Facilitator"
    ) -> None:
        if not self.ended:
            self._emit("facilitator_inject", input=True, text=text, to=to, channel=channel, **{"from": sender})
            if to != "everyone":  # the addressee is paged like for a scenario alert (on call first, else anyone)
                holders = [s for s in self.members.values() if to in s.spec.roles or s.spec.name == to]
                for state in [s for s in holders if s.spec.on_call] or holders:
                    self._page(state, "facilitator inject")

    def note(self, text: str, author: str = "facilitator") -> None:
        """A note from the facilitator or scribe; allowed during and after the drill."""
        self._emit("note", input=True, text=text, author=author)

    def observe(
        self, objective: str, task: str | None, text: str, rating: str | None = None, author: str = "evaluator"
    ) -> Record:
        """An evaluator's observation against an objective and critical task (allowed during and after the
        drill). Journaled with the sim time it was seen and the wall clock; never shown in the feed."""
        if rating is not None and rating not in ("P", "S", "M", "U"):
            raise ValueError(f"not a rating: {rating}")
        return self._emit(
            "observation", input=True, objective=objective, task=task, text=text, rating=rating, author=author
        )

    def debrief(self, type_: str, **fields: Any) -> Record:
        """Record a debrief input after the drill: ``rating_override``, ``hotwash`` or a participant's ``feedback``."""
        if type_ not in ("rating_override", "hotwash", "feedback"):
            raise ValueError(f"not a debrief record: {type_}")
        return self._emit(type_, input=True, **fields)

    def end(self, reason: str = "facilitator") -> None:
        """End the drill; actions still queued or running are cancelled."""
        if self.ended:
            return
        self._sampler.finish(self.now)
        for task in self.tasks:
            if not task.done:
                task.done = True
                self._emit("action_cancelled", action=task.action.id, member=task.member)
        summary = {m: round(t, 3) for m, t in self.milestones.items()}
        self.ended_at = float(self.env.now)
        self.ended = True
        self.end_reason = reason
        self.paused = False
        self._emit("drill_ended", input=reason == "facilitator", reason=reason, summary=summary)
        if self.journal is not None:
            self.journal.sync()

    # ------------------------------------------------------------------ views

    def availability(self) -> list[ActionAvailability]:
        out = []
        for action in self.scenario.actions:
            why = self._why_not(action)
            out.append(
                ActionAvailability(
                    action.id,
                    action.label,
                    action.role,
                    why is None,
                    None if why is None else why[1],
                    action.communication_kind,
                    action.penalty is not None,
                )
            )
        return out

    def view(self, feed_limit: int = 200, *, controller: bool = False) -> DrillView:
        """What the players see; ``controller=True`` adds the controller-only metrics (ground truth)."""
        t = self.now
        self._sampler.catch_up(t)
        revenue_lost, outside_slo = self._sampler.totals(t)
        metrics = []
        for mid, metric in self.metrics.items():
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
        by_member = {name: self.participants.get(name) for name in self.members}
        for name, state in self.members.items():
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
        for inject_id, open_ in self.decisions.items():
            decision = open_.inject.decision
            assert decision is not None
            decisions.append(
                DecisionView(
                    inject_id,
                    decision.prompt or open_.inject.text,
                    open_.inject.from_,
                    tuple(OptionView(a, self.actions[a].label) for a in decision.options),
                    open_.deadline_at,
                    max(0.0, open_.deadline_at - t),
                )
            )
        milestones = tuple(
            MilestoneView(mid, self._milestone_label(mid), spec.target, self.milestones.get(mid))
            for mid, spec in self.milestone_specs.items()
        )
        clocks = tuple(
            ClockView(c.id, c.regime, self.scenario.scaled(c.deadline), s.started_at, s.due_at, s.met_at, s.missed)
            if controller or not self._unrecorded(c.id) or s.missed
            else ClockView(c.id, c.regime, self.scenario.scaled(c.deadline), None, None, None, False)
            for c in self.scenario.clocks
            for s in [self.clocks[c.id]]
        )
        return DrillView(
            t=t,
            duration=self.scenario.duration,
            paused=self.paused,
            speed=self.speed,
            ended=self.ended,
            end_reason=self.end_reason,
            severity=self.scenario.severity,
            title=self.scenario.title,
            revenue_lost=revenue_lost,
            currency=self.scenario.business.currency,
            outside_slo=outside_slo,
            penalty_points=self.penalty_points,
            metrics=tuple(metrics),
            members=tuple(members),
            queued=tuple(queued),
            decisions=tuple(sorted(decisions, key=lambda d: d.deadline_at)),
            milestones=milestones,
            clocks=clocks,
            feed=tuple(self._feed[-feed_limit:]),
            discussion=self._discussion,
        )


def readable_number(value: float) -> str:
    """A metric value for people: 1,234 · 12.3 · 1.17 (no trailing zeros), not 1.1667."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    text = f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


_WALL: list[Any] = [None, ""]  # (the second, its stamp): records written in the same second share one stamp


def _wall() -> str:
    """The wall clock to the second, local time with its offset (``2026-12-02T03:04:05+01:00``)."""
    second = int(time.time())
    if _WALL[0] != second:
        _WALL[0], _WALL[1] = second, datetime.fromtimestamp(second, UTC).astimezone().isoformat(timespec="seconds")
    return str(_WALL[1])
