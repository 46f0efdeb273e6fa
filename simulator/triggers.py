"""Triggers: the faults, injects and milestones waiting for a condition, the faults and their effects.

A part of :class:`~drillsim.simulator.engine.Drill` (a mixin: the state lives on the drill). A condition
that can come true with time alone (a metric one, a ``not_by`` one) is watched (simulator/metrics.py and
``_check_deadlines``); everything else that happens calls ``_check_event_triggers``. Effects of faults,
actions and decisions all go through ``_apply_effects``.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

import simpy
from drillsim.simulator.metrics import MetricWatch
from drillsim.simulator.model import Action, Condition, Effect, Fault, MetricCondition, Penalty

if TYPE_CHECKING:
    from drillsim.simulator.engine import Drill


class _DeadlineWatch:
    """A waiting trigger's milestone or action condition with ``not_by``: it can come true when its time comes."""

    __slots__ = ("cond", "due", "pending", "trigger_id")

    def __init__(self, pending: dict[str, Any], trigger_id: str, cond: Condition, due: float) -> None:
        self.pending = pending
        self.trigger_id = trigger_id
        self.cond = cond
        self.due = due


class Triggers:
    """The waiting triggers, faults and effects of a drill."""

    def _not_by_times(self: Drill) -> set[float]:
        times: set[float] = set()
        for cond in self._pending_faults_conds():
            if cond.deadline is not None:
                times.add(cond.deadline)
        return times

    def _waiting_conditions(self: Drill) -> list[tuple[dict[str, Any], str, Condition]]:
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

    def _watch_conditions(self: Drill) -> None:
        """Make the watches of the conditions that can come true with time alone (see simulator/metrics.py)."""
        for pending, trigger_id, cond in self._waiting_conditions():
            if isinstance(cond, MetricCondition):
                self._metric_watches.append(MetricWatch(pending, trigger_id, cond, self.metrics[cond.metric]))
            elif cond.deadline is not None:
                self._deadline_watches.append(_DeadlineWatch(pending, trigger_id, cond, cond.deadline))
        self._deadline_watches.sort(key=lambda watch: watch.due)

    def _pending_faults_conds(self: Drill) -> list[Condition]:
        """Conditions of the faults and injects still waiting to fire."""
        conds = [f.when for f in self._pending_faults.values()] + [i.when for i in self._pending_injects.values()]
        return [c for c in conds if c is not None]

    def _check_deadlines(self: Drill, t: float) -> bool:
        """Whether a waiting not_by condition whose time came since the previous sample is true.

        Past its time, a not_by condition changes only when its milestone or action happens."""
        deadlines = self._deadline_watches
        came_true = False
        while self._deadlines_passed < len(deadlines) and deadlines[self._deadlines_passed].due <= t:
            watch = deadlines[self._deadlines_passed]
            self._deadlines_passed += 1
            if watch.trigger_id in watch.pending and watch.cond.holds(self, t):
                came_true = True
        return came_true

    def _check_event_triggers(self: Drill) -> None:
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

    def _fire_ready(self: Drill) -> None:
        t = self.now
        for fault_id, fault in list(self._pending_faults.items()):
            if fault_id in self._pending_faults and fault.when is not None and fault.when.holds(self, t):
                del self._pending_faults[fault_id]
                self._start_fault(fault)
        for inject_id, inject in list(self._pending_injects.items()):
            if inject_id in self._pending_injects and inject.when is not None and inject.when.holds(self, t):
                del self._pending_injects[inject_id]
                self._deliver(inject)
        for mid, cond in list(self._pending_milestones.items()):
            if mid not in self._pending_milestones:
                continue
            if mid in self.milestones:
                del self._pending_milestones[mid]
            elif cond.holds(self, t):
                del self._pending_milestones[mid]
                self._mark(mid, "condition")

    def _start_fault(self: Drill, fault: Fault) -> None:
        if fault.id in self.fault_started or self.ended:
            return
        self.fault_started[fault.id] = self.now
        self._emit("fault_started", fault=fault.id, impact=fault.impact)
        if fault.impact and self.impact_started_at is None:
            self.impact_started_at = self.now
            self._emit("impact_started", fault=fault.id)
        self._fault_procs[fault.id] = self._apply_effects(fault.effects, f"fault:{fault.id}")

    def _apply_effects(self: Drill, effects: Sequence[Effect], owner: str) -> list[simpy.Process]:
        """Apply a fault's, an action's or a decision's effects: now, or ``after`` their delay (in a process,
        returned, so a fault stopped before its delayed effects land can cancel them)."""
        later = []
        for effect in effects:
            if effect.after > 0:
                later.append(self.env.process(self._later(effect, owner)))
            else:
                self._apply(effect, owner)
        return later

    def _later(self: Drill, effect: Effect, owner: str) -> Generator[simpy.Event, Any, None]:
        try:
            yield self.env.timeout(effect.after)
        except simpy.Interrupt:
            return
        if not self.ended:
            self._apply(effect, owner)

    def _apply(self: Drill, effect: Effect, owner: str) -> None:
        self._sampler.before_change(self.now)
        effect.apply(self.metrics[effect.metric], self.now, owner)
        self._sampler.changed(self.now)

    def _stop_fault(self: Drill, fault_id: str, action: Action, member: str) -> None:
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

    def _penalise(self: Drill, penalty: Penalty, source: str) -> None:
        self.penalty_points += penalty.points
        self._emit("penalty", points=penalty.points, reason=penalty.reason, source=source)

    def _mark(self: Drill, milestone: str, by: str) -> None:
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

    def _milestone_label(self: Drill, mid: str) -> str:
        spec = self.milestone_specs.get(mid)
        return spec.label if spec and spec.label else mid.replace("-", " ").replace("_", " ").capitalize()
