"""Injects and decisions: an inject delivered, a decision opened, answered, timed out or made moot.

A part of :class:`~drillsim.simulator.engine.Drill` (a mixin: the state lives on the drill).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import simpy
from drillsim.simulator.durations import format_clock
from drillsim.simulator.model import ALERT_CHANNELS, Inject
from drillsim.simulator.team import Submission

if TYPE_CHECKING:
    from drillsim.simulator.engine import Drill


@dataclass
class _OpenDecision:
    inject: Inject
    opened_at: float
    deadline_at: float


class Decisions:
    """The injects and decisions of a drill."""

    def _deliver(self: Drill, inject: Inject) -> None:
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
            **{"from": inject.from_},
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

    def _decision_deadline(self: Drill, inject_id: str) -> Generator[simpy.Event, Any, None]:
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
            self._apply_effects(consequence.effects, f"decision:{inject_id}")
            if consequence.penalty is not None:
                self._penalise(consequence.penalty, f"decision:{inject_id}")
            if consequence.action is not None:
                action = self.actions[consequence.action]
                if self._why_not(action) is None:  # done by the stakeholders themselves, at once
                    self._finish(action, open_.inject.from_ or "stakeholders", True)
        self._check_event_triggers()

    def _resolve_moot(self: Drill, inject_id: str, just_done: str | None = None, underway: bool = False) -> bool:
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

    def answer(self: Drill, inject_id: str, action_id: str) -> Submission:
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
