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
from datetime import UTC, datetime
from typing import Any

import simpy
from drillsim import __version__
from drillsim.simulator.clocks import Clocks, _ClockState
from drillsim.simulator.decisions import Decisions, _OpenDecision
from drillsim.simulator.describe import FEED_TYPES, describe, readable_number
from drillsim.simulator.journal import JournalWriter
from drillsim.simulator.metrics import (
    FORMAT,
    MetricState,
    MetricWatch,
    make_sampler,
)
from drillsim.simulator.model import (
    Condition,
    Fault,
    Inject,
    MetricCondition,
    Roster,
    Scenario,
    shared_dump,
)
from drillsim.simulator.team import (
    OFF_ROLE_RELIABILITY,
    OFF_ROLE_SLOWDOWN,
    SKILL_FAILURE_CUT,
    SKILL_SPEEDUP,
    Submission,
    Team,
    _ActionRun,
    _MemberState,
)
from drillsim.simulator.triggers import Triggers, _DeadlineWatch
from drillsim.simulator.view import (
    ActionAvailability,
    DrillView,
    FeedItem,
    action_availability,
    drill_view,
)

__all__ = [
    "OFF_ROLE_RELIABILITY",
    "OFF_ROLE_SLOWDOWN",
    "SKILL_FAILURE_CUT",
    "SKILL_SPEEDUP",
    "Drill",
    "Submission",
    "readable_number",
]

Record = dict[str, Any]


class Drill(Triggers, Decisions, Team, Clocks):
    """A scenario replayed against a roster in a SimPy world, with a seeded random generator.

    Its parts, by entity: triggers, faults and effects (simulator/triggers.py), injects and decisions
    (decisions.py), the team and its actions (team.py), regulatory clocks (clocks.py), the metrics
    (metrics.py) and what the players see (view.py). This module holds the drill's state, its journal,
    time, the facilitator's inputs and the end."""

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
        self._feed_items: list[FeedItem] = []
        # Records not yet put in words for the feed: describing is left until someone reads the feed (a
        # policy's drill never does). Each with what the feed's rules need from that moment.
        self._feed_pending: list[tuple[Record, bool]] = []
        self._discussion: tuple[str, ...] = ()
        self._alerted = False  # an alert has reached the feed: SLO lines follow it, never precede it
        # action id -> the actions whose success rules it out (``forbids``)
        self._forbidden_by: dict[str, list[str]] = {}
        # the answers a rejected submission gets, made once each (a policy retries the same step every 10 s)
        self._requires_why: dict[tuple[str, ...], tuple[str, str]] = {}
        self._rejections: dict[tuple[str, str], Submission] = {}
        for a in scenario.actions:
            for target in a.forbids:
                self._forbidden_by.setdefault(target, []).append(a.id)

        self.metrics = {mid: MetricState(mid, spec) for mid, spec in scenario.metrics.items()}
        self.members = {m.name: _MemberState(m, i, self.env) for i, m in enumerate(roster.members)}
        self.actions = {a.id: a for a in scenario.actions}
        self.milestone_specs = scenario.scoring.milestones
        self.milestones: dict[str, float] = {}
        self.done_actions: dict[str, float] = {}
        self.tasks: list[_ActionRun] = []
        self._runs_of: dict[str, list[_ActionRun]] = {}  # the same runs by action id, in submission order
        self.fault_started: dict[str, float] = {}
        self.fault_stopped: dict[str, float] = {}
        self.impact_started_at: float | None = None
        self.decisions: dict[str, _OpenDecision] = {}
        self.timed_out: set[str] = set()
        self.clocks = {c.id: _ClockState() for c in scenario.clocks}
        self.penalty_points = 0
        self.revenue_lost = 0.0
        self.outside_slo = dict.fromkeys(scenario.metrics, 0.0)
        self.held_since: dict[int, float | None] = {}
        # Triggers waiting for their condition, by id (dicts: membership is by key, not model equality).
        self._pending_faults: dict[str, Fault] = {f.id: f for f in scenario.faults if f.when is not None}
        self._pending_injects: dict[str, Inject] = {i.id: i for i in scenario.injects if i.when is not None}
        self._pending_milestones: dict[str, Condition] = {
            mid: spec.when for mid, spec in self.milestone_specs.items() if spec.when is not None
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
            if isinstance(cond, MetricCondition) and cond.holds_for_value(self.metrics[cond.metric].baseline)
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
        # the hot path of every drill (a record per event): self.now and _append inlined
        ended_at = self.ended_at
        now = float(self.env._now) if ended_at is None else ended_at
        sampler = self._sampler
        if now > sampler.record_mark:  # samples due before this record (otherwise there is nothing to do)
            sampler.before_record(now)
        if input:
            record: Record = {"seq": self._seq, "t": now, "type": type_, "input": True, **fields}
            if "wall" not in fields:
                record["wall"] = _wall()
        else:
            record = {"seq": self._seq, "t": now, "type": type_, **fields}
        self._seq += 1
        self.records.append(record)
        journal = self.journal
        if journal is not None:
            # An input is fsync'd at once: nothing a person typed is lost. A policy's inputs are not: the
            # policy plays them again (the journal is synced when the drill ends).
            journal.write(record, sync=input and self.policy is None)
        if type_ in FEED_TYPES:
            # whether a clock's line is held back depends on the moment (it waits for the team to record it)
            self._feed_pending.append((record, type_ == "clock_started" and self._unrecorded(fields["clock"])))
        return record

    def _append(self, record: Record, sync: bool = False) -> None:
        self._seq += 1
        self.records.append(record)
        if self.journal is not None:
            self.journal.write(record, sync=sync)

    @property
    def _feed(self) -> list[FeedItem]:
        """The live feed's items so far (the records written since the last look put in words first)."""
        pending = self._feed_pending
        if pending:
            self._feed_pending = []
            for record, held_back in pending:
                self._to_feed(record, held_back)
        return self._feed_items

    def _to_feed(self, r: Record, held_back: bool = False) -> None:
        """The record's line in the live feed (``simulator.describe``), if the players see it now; in record
        order. ``held_back``: a clock started that the team has not recorded yet when it was written."""
        line = describe(r, self.scenario, self.clocks, feed=True)
        if line is None:
            return
        match r:
            case {"type": "inject", "alert": alert}:
                self._alerted = self._alerted or alert
            case {"type": "clock_started"} if held_back:
                return  # the law's clock runs from the evidence; the players learn it when they record it
            case {"type": "metric_breach" | "metric_restored", "metric": metric} if (
                not self._alerted or self.scenario.metrics[metric].visibility == "controller"
            ):
                return  # a dashboard line is not an alert: none before the first alert, none for ground truth
        self._feed_items.append(FeedItem(r["seq"], r["t"], line.kind, line.channel, line.sender, line.to, line.text))

    # ------------------------------------------------------------------ time

    @property
    def now(self) -> float:
        if self.ended_at is not None:
            return self.ended_at
        return float(self.env._now)  # (Environment.now without its property call)

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
        queue, step = env._queue, env.step
        while queue and queue[0][0] < t:
            step()
        env._now = t

    def next_event_time(self) -> float:
        return float(self.env.peek())

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

    def _at(self, t: float, fn: Any, *args: Any) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(max(0.0, t - self.env.now))
        if not self.ended:
            fn(*args)

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
        """Each action of the scenario: whether it can be taken now, and why not (simulator/view.py)."""
        return action_availability(self)

    def view(self, feed_limit: int = 200, *, controller: bool = False) -> DrillView:
        """What the players see; ``controller=True`` adds the controller-only metrics (ground truth)."""
        return drill_view(self, feed_limit, controller=controller)


_WALL: list[Any] = [None, ""]  # (the second, its stamp): records written in the same second share one stamp


def _wall() -> str:
    """The wall clock to the second, local time with its offset (``2026-12-02T03:04:05+01:00``)."""
    second = int(time.time())
    if _WALL[0] != second:
        _WALL[0], _WALL[1] = second, datetime.fromtimestamp(second, UTC).astimezone().isoformat(timespec="seconds")
    return str(_WALL[1])
