"""The team: members paged and responding, actions submitted, queued on their member, run and finished.

A part of :class:`~drillsim.simulator.engine.Drill` (a mixin: the state lives on the drill). Each member
is a ``simpy.Resource(capacity=1)``: a busy member makes the next action queue.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import simpy
from drillsim.simulator.durations import format_clock
from drillsim.simulator.model import Action, Member
from simpy.resources.resource import Request

if TYPE_CHECKING:
    from drillsim.simulator.engine import Drill

OFF_ROLE_SLOWDOWN = 1.5
"""A member without the responsible role takes this much longer."""
OFF_ROLE_RELIABILITY = 0.75
"""...and succeeds this much less often (the success chance is multiplied)."""
SKILL_SPEEDUP = 0.8
"""A member with a skill the action asks for takes this fraction of the time."""
SKILL_FAILURE_CUT = 0.5
"""...and fails this fraction as often."""


@dataclass(frozen=True)
class Submission:
    """The answer to a submitted action or decision: accepted, or why not."""

    ok: bool
    reason: str | None = None
    code: str = "ok"
    """``ok``, ``ended``, ``unknown``, ``requires``, ``done``, ``underway``, ``forbidden``, ``member``, ``decision``."""


ACCEPTED = Submission(True)
"""The answer to every accepted submission (a Submission is immutable: one object serves them all)."""


@dataclass
class _ActionRun:
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


class _ActionRunRequest(Request):
    """A request for a member that carries the action it is for: the member's resource holds the queue."""

    def __init__(self, resource: simpy.Resource, task: _ActionRun) -> None:
        self.task = task
        super().__init__(resource)


@dataclass
class _MemberState:
    """A roster member: paged or engaged, and a ``simpy.Resource(capacity=1)`` whose users and queue are
    the member's actions (``_ActionRunRequest``): the one holding it runs, the others wait their turn."""

    spec: Member
    index: int
    env: simpy.Environment
    engaged: bool = False
    responding_since: float | None = None
    available_at: float | None = None
    ready: simpy.Event | None = None
    _resource: simpy.Resource | None = None

    @property
    def resource(self) -> simpy.Resource:
        """The member's queue, made when first asked for (most members of a roster do nothing in a drill)."""
        if self._resource is None:
            self._resource = simpy.Resource(self.env, capacity=1)
        return self._resource

    def _tasks(self) -> list[_ActionRun]:
        """The member's actions not done yet, in their turn (the resource's user first, then its queue)."""
        resource = self._resource
        if resource is None:
            return []
        requests = [*resource.users, *resource.queue]
        return [r.task for r in requests if isinstance(r, _ActionRunRequest) and not r.task.done]

    @property
    def current(self) -> _ActionRun | None:
        """The action running now (its member holds the resource and has started it)."""
        return next((task for task in self._tasks() if task.started_at is not None), None)

    @property
    def waiting(self) -> list[_ActionRun]:
        """The actions waiting for this member: queued, or granted while the member is still on the way."""
        return [task for task in self._tasks() if task.started_at is None]

    @property
    def load(self) -> int:
        return len(self._tasks())


class Team:
    """The team and the actions of a drill."""

    def in_progress(self: Drill, action_id: str) -> bool:
        """Whether the action is queued or running now."""
        return any(not task.done for task in self._runs_of.get(action_id, ()))

    def running_until(self: Drill, action_id: str) -> float | None:
        """When the action's last run finishes, if every run of it now is under way (none still queued)."""
        finish = None
        for task in self._runs_of.get(action_id, ()):
            if not task.done:
                if task.finishes_at is None:
                    return None
                finish = task.finishes_at if finish is None else max(finish, task.finishes_at)
        return finish

    def _page(self: Drill, state: _MemberState, reason: str) -> None:
        if state.engaged or state.responding_since is not None:
            return
        state.responding_since = self.now
        state.available_at = self.now + state.spec.response_time
        state.ready = self.env.event()
        self._emit("page", member=state.spec.name, reason=reason, available_at=round(state.available_at, 3))
        self.env.process(self._respond(state))

    def _respond(self: Drill, state: _MemberState) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(state.spec.response_time)
        state.engaged = True
        state.responding_since = None
        if not self.ended:
            self._emit("member_available", member=state.spec.name)
        if state.ready is not None:
            state.ready.succeed()

    def _why_not(self: Drill, action: Action) -> tuple[str, str] | None:
        if self.ended:
            return ("ended", "the drill has ended")
        missing = tuple(r for r in action.requires if r not in self.milestones and r not in self.done_actions)
        if missing:
            # the same requirements missing give the same answer: a policy's retries ask again and again
            why = self._requires_why.get(missing)
            if why is None:
                names = ", ".join(self._requirement_label(r) for r in missing)
                why = self._requires_why[missing] = ("requires", f"needs {names} first")
            return why
        for source in self._forbidden_by.get(action.id, ()):
            if source in self.done_actions:
                when = format_clock(self.done_actions[source])
                return ("forbidden", f"ruled out by '{self.actions[source].label}' at {when}")
        if not action.repeatable:
            if action.id in self.done_actions:
                return ("done", f"already done at {format_clock(self.done_actions[action.id])} (once only)")
            for task in self._runs_of.get(action.id, ()):
                if not task.done:
                    state = "under way" if task.started_at is not None else "queued"
                    return ("underway", f"already {state} ({task.member})")
        return None

    def why_not(self: Drill, action_id: str, by: str | None = None) -> tuple[str, str] | None:
        """Why ``submit(action_id, by)`` would be refused now, as (code, reason), or None; journals nothing
        (a policy waiting for a step's requirements looks with it instead of being refused every retry)."""
        action = self.actions.get(action_id)
        if action is None:
            return ("unknown", f"no action '{action_id}' in this scenario")
        why = self._why_not(action)
        if why is None and by is not None and by not in self.members:
            why = ("member", f"no member named '{by}' on the roster")
        return why

    def _requirement_label(self: Drill, req: str) -> str:
        if req in self.milestone_specs:
            return f"'{self._milestone_label(req)}'"
        if req in self.actions:
            return f"'{self.actions[req].label}'"
        return f"'{req}'"

    def default_member(self: Drill, action_id: str) -> str:
        """Who would do ``action_id`` if it were submitted now without ``by`` (a UI shows it as the default)."""
        return self._choose_member(self.actions[action_id])[0].spec.name

    def _choose_member(self: Drill, action: Action) -> tuple[_MemberState, bool]:
        """Among the action's role holders (everyone when nobody holds it): the fewest tasks ahead, then
        the soonest ready, then roster order; and whether the chosen member holds the role."""
        holders = [s for s in self.members.values() if action.role in s.spec.roles]
        pool, match = (holders, True) if holders else (list(self.members.values()), False)

        def key(s: _MemberState) -> tuple[float, float, int]:
            ready_in = 0.0 if s.engaged else (s.available_at - self.now if s.available_at else s.spec.response_time)
            return (s.load, ready_in, s.index)

        return min(pool, key=key), match

    def submit(
        self: Drill, action_id: str, by: str | None = None, *, source: str = "participant", took: float | None = None
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
        why = self.why_not(action_id, by)
        if why is not None:
            self._emit("action_rejected", action=action_id, reason=why[1])
            rejected = self._rejections.get(why)
            if rejected is None:
                rejected = self._rejections[why] = Submission(False, why[1], why[0])
            return rejected
        if by is not None:
            state = self.members[by]
            match = action.role in state.spec.roles
        else:
            state, match = self._choose_member(action)
        task = _ActionRun(action, state.spec.name, self.now, source, took=None if took is None else float(took))
        self.tasks.append(task)
        self._runs_of.setdefault(action_id, []).append(task)
        request = _ActionRunRequest(state.resource, task)  # in the member's queue from now on
        if not state.engaged:
            self._page(state, f"to {action.label.lower()}")
        if state.load > 1 or not state.engaged:
            self._emit("action_queued", action=action.id, member=state.spec.name, ahead=state.load - 1)
        self.env.process(self._run(request, state, match))
        return ACCEPTED

    def _run(
        self: Drill, request: _ActionRunRequest, state: _MemberState, match: bool
    ) -> Generator[simpy.Event, Any, None]:
        task = request.task
        action = task.action
        with request:
            yield request
            if not state.engaged and state.ready is not None:
                yield state.ready
            if self.ended:
                return
            forbidden = next((a for a in self._forbidden_by.get(action.id, ()) if a in self.done_actions), None)
            if forbidden is not None:  # ruled out while it waited
                task.done = True
                self._emit("action_cancelled", action=action.id, member=state.spec.name, forbidden_by=forbidden)
                return
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
            task.done = True
            if self.ended:
                return
            self._finish(action, state.spec.name, success)

    def _draw_duration(self: Drill, action: Action, member: Member, match: bool) -> float:
        spec = action.duration
        base = spec if isinstance(spec, float) else self.rng.triangular(spec.min, spec.max, spec.mode)
        if not match:
            base *= OFF_ROLE_SLOWDOWN
        if set(action.skills) & set(member.skills):
            base *= SKILL_SPEEDUP
        return base

    def _chance(self: Drill, action: Action, member: Member, match: bool) -> float:
        chance = action.success
        if not match:
            chance *= OFF_ROLE_RELIABILITY
        if set(action.skills) & set(member.skills):
            chance = 1 - (1 - chance) * SKILL_FAILURE_CUT
        return chance

    def _finish(self: Drill, action: Action, member: str, success: bool) -> None:
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
        self._apply_effects(action.effects, f"action:{action.id}")
        if action.penalty is not None:
            self._penalise(action.penalty, f"action:{action.id}")
        for role in action.pages:
            holders = [s for s in self.members.values() if role in s.spec.roles]
            on_call = [s for s in holders if s.spec.on_call]
            for state in on_call or holders:
                self._page(state, f"called in by {action.label.lower()}")
        self._clocks_after(action.id)
        for milestone in action.marks:
            self._mark(milestone, f"action:{action.id}")
        self._check_event_triggers()
