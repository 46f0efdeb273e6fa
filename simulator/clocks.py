"""Regulatory clocks: started (by a milestone or an action, or when the team records them), met, missed.

A part of :class:`~drillsim.simulator.engine.Drill` (a mixin: the state lives on the drill). A clock is
met in one place, ``_meet_clock``.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import simpy
from drillsim.simulator.model import Clock

if TYPE_CHECKING:
    from drillsim.simulator.engine import Drill


@dataclass
class _ClockState:
    started_at: float | None = None
    due_at: float | None = None
    met_at: float | None = None
    missed: bool = False
    recorded_at: float | None = None


class Clocks:
    """The regulatory clocks of a drill."""

    def _unrecorded(self: Drill, clock_id: str) -> bool:
        """Whether the clock waits for the team to record its start (``recorded_by``) and they have not yet."""
        clock = next(c for c in self.scenario.clocks if c.id == clock_id)
        return clock.recorded_by is not None and self.clocks[clock_id].recorded_at is None

    def _start_clock(self: Drill, clock_id: str, by: str) -> None:
        """Start a regulatory clock (its ``starts_on`` happened, or the team recorded it first)."""
        clock = next(c for c in self.scenario.clocks if c.id == clock_id)
        state = self.clocks[clock_id]
        state.started_at = self.now
        state.due_at = self.now + self.scenario.scaled(clock.deadline)
        self._emit("clock_started", clock=clock.id, regime=clock.regime, due_at=round(state.due_at, 3))
        self.env.process(self._clock_deadline(clock.id))
        if clock.satisfied_by in self.done_actions and clock.satisfied_by != by:
            self._meet_clock(clock)

    def _meet_clock(self: Drill, clock: Clock) -> None:
        """The clock's satisfying action is done: met, if it runs and has not been met or missed yet."""
        state = self.clocks[clock.id]
        if state.started_at is not None and state.met_at is None and not state.missed:
            state.met_at = self.now
            self._emit("clock_met", clock=clock.id, regime=clock.regime)

    def _clocks_after(self: Drill, action_id: str) -> None:
        """An action succeeded: the clocks it starts, records or satisfies."""
        for clock in self.scenario.clocks:
            state = self.clocks[clock.id]
            if action_id in (clock.starts_on, clock.recorded_by) and state.started_at is None:
                self._start_clock(clock.id, action_id)
            if clock.recorded_by == action_id and state.recorded_at is None:
                state.recorded_at = self.now
                delay = round(self.now - (state.started_at or self.now), 3)
                self._emit("clock_recorded", clock=clock.id, regime=clock.regime, action=action_id, delay=delay)
            if clock.satisfied_by == action_id:
                self._meet_clock(clock)

    def _clock_deadline(self: Drill, clock_id: str) -> Generator[simpy.Event, Any, None]:
        state = self.clocks[clock_id]
        assert state.due_at is not None
        yield self.env.timeout(state.due_at - self.now)
        if self.ended or state.met_at is not None:
            return
        state.missed = True
        regime = next(c.regime for c in self.scenario.clocks if c.id == clock_id)
        self._emit("clock_missed", clock=clock_id, regime=regime)
        self._check_event_triggers()
