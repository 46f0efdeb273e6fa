"""The sim clock that drives a drill from the wall clock: one owner for the host and the single-terminal TUI.

:class:`SimClock`: sim time = ``anchor_sim + (wall - anchor_wall) x speed`` from monotonic
clock deltas, frozen while the drill is paused (the drill ignores it then), and held
(without the drill knowing) while a facilitator dialog is open. ``tui.session`` re-exports
it for the drill screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable

MAX_STEP_WALL = 2.0
"""Wall seconds a stalled tick counts for after a long gap."""
MAX_GAP = 5.0
"""A gap between ticks longer than this (a suspended laptop) is not replayed at once."""


class SimClock:
    """Sim time from a monotonic wall clock: ``anchor_sim + (wall - anchor_wall) x speed``.

    Re-anchor (``anchor``) whenever the speed changes or the drill resumes; while paused
    the drill ignores the clock. Nothing accumulates tick counts, so a slow or skipped
    tick never makes the sim drift from the wall clock.

    ``hold`` stops the clock where the drill is while a facilitator dialog is open and
    ``release`` goes on from there. A hold is the UI's business, not a pause: the drill is
    not told and nothing is journaled, so the journal and the report do not count it.
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self._sim = 0.0
        self._wall = self._last = monotonic()
        self._speed = 1.0
        self._holds = 0

    def anchor(self, sim_t: float, speed: float) -> None:
        self._sim = sim_t
        self._wall = self._last = self.monotonic()
        self._speed = speed

    @property
    def held(self) -> bool:
        return self._holds > 0

    def hold(self, sim_t: float) -> None:
        """Stand still at ``sim_t`` until every hold is released (holds nest: a dialog over a dialog)."""
        if self._holds == 0:
            self.anchor(sim_t, self._speed)
        self._holds += 1

    def release(self) -> None:
        """Release one hold; after the last one sim time goes on from where it stood, not from the wall clock."""
        if self._holds == 0:
            return
        self._holds -= 1
        if self._holds == 0:
            self.anchor(self._sim, self._speed)

    def target(self) -> float:
        """The sim time it is now (where it stands while held).

        A gap between two calls longer than ``MAX_GAP`` (a suspended machine, a stalled
        terminal) counts as one ``MAX_STEP_WALL`` step instead of minutes of drill at once.
        """
        if self._holds:
            self._last = self.monotonic()
            return self._sim
        wall = self.monotonic()
        gap = wall - self._last
        if gap > MAX_GAP:
            self._wall += gap - MAX_STEP_WALL
        self._last = wall
        return self._sim + (wall - self._wall) * self._speed
