"""The host in-process: a drill driven through the same ``HostCore`` as ``drillsim host``, with seats and no socket.

The single-terminal mode (``drillsim``, ``drillsim run``) is the host with one local seat:
the same clock, the same rule of who may do what, the same acknowledgement (only once the
journal has the input on disk), the same client ids (a resend is answered, not applied
twice) and the same views per seat as a remote seat gets over the WebSocket. Nothing here
imports textual or websockets.

API (all of it; ``drill`` is a started ``Drill``, ``folder`` its run folder or None)::

    from drillsim.host.local import LocalHost

    local = LocalHost(drill, folder)          # clock=SimClock(...) to share or fake the clock
    #   (the TUI's tui.session.background_journal may wrap the journal before: acks then wait for its fsync)
    seat = local.seat()                       # the controller's seat (default); local.seat("crisis-lead") a role's
    local.tick()                              # from the UI's timer: the drill runs to the clock's sim time
    #   or: await local.start() ... await local.stop()   its own timer task (every host.core.TICK s)
    local.clock.hold(drill.now) / .release()  # a dialog is open: sim time stands still (not a pause)

    ack = await seat.send("submit", action="rollback-model")       # by="Blake" to choose the member
    ack, recorded = seat.post("submit", action="rollback-model")  # applied now (a UI shows it at once);
    ack = await recorded                                           #   the Ack once the journal has it on disk
    ack = await seat.send("answer", inject="ceo-asks", action="brief-execs")
    ack = await seat.send("inject", text="...", to="compliance-officer", channel="email", **{"from": "Regulator"})
    ack = await seat.send("note", text="...", objective=None)      # objective: an evaluator observation
    ack = await seat.send("observe", objective="contain", task=None, text="...", rating="S", author="R. Ortiz")
    ack = await seat.send("pause" | "resume" | "end");  await seat.send("speed", speed=30)
    #   ack: host.run.Ack(ok, reason, seq); seq is the input's journal record, on disk when send returns.
    #   client_id="..." resends an earlier input: the same Ack again, nothing applied twice.
    #   A refused input raises host.protocol.ProtocolError(code, message) and leaves the journal untouched.

    seat.view()          # the seat's view now (JSON-ready dict, host.views.seat_view; the controller's has
                         # view["controller"]: ground truth, live score, penalties, fault labels)
    seat.changed()       # that view if it differs from the last one this seat took, else None
    seat.drill_view()    # the view as a DrillView for the TUI's widgets; seat.actions(): its ActionAvailability
    seat.player_view()   # the controller's seat only: what the players may see (the room's rules, with every
                         # role's inbox, actions and the team): the single terminal's default, on a projector
    seat.live_score(on)  # whether the host keeps the controller's live score up to date (off: no scoring thread)
    seat.welcome         # kind ("role" | "controller" | "room"), member, title, run, team
    seat.leave(); local.close()               # close() closes the journal

The drill screen keeps its own rendering; what it gains is that its inputs go through the
host's rules and acknowledgement, and that a local seat and a remote seat cannot disagree.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drillsim.host.clock import SimClock
from drillsim.host.core import HostCore
from drillsim.host.protocol import ProtocolError, actions_from, drill_view_from, encode, parse
from drillsim.host.run import Ack
from drillsim.host.views import CONTROLLER, Audiences, seats_of
from drillsim.simulator.engine import Drill
from drillsim.simulator.view import ActionAvailability, DrillView


class LocalHost:
    """One drill and its in-process seats, through the host's core (``host.core.HostCore``)."""

    def __init__(
        self,
        drill: Drill,
        folder: Path | None,
        *,
        clock: SimClock | None = None,
        log: Callable[[str], None] = lambda line: None,
    ) -> None:
        self.core = HostCore(drill, folder, seats_of(drill), clock=clock, log=log)
        self.seats: dict[str, LocalSeat] = {}
        self._timer: asyncio.Task[None] | None = None

    @property
    def drill(self) -> Drill:
        return self.core.drill

    @property
    def clock(self) -> SimClock:
        return self.core.clock

    def seat(self, seat: str = CONTROLLER) -> LocalSeat:
        """The local seat ``seat`` (``controller``, ``room`` or a role id), joined on first use."""
        if seat not in self.seats:
            if seat not in self.core.seats and seat != CONTROLLER:
                raise ValueError(f"no seat '{seat}' in this drill; the seats are {', '.join(self.core.seats)}")
            self.seats[seat] = LocalSeat(self, seat)
            self.core.present.add(seat)
            self.core.dirty = True
        return self.seats[seat]

    def tick(self) -> None:
        """Run the drill up to the clock's sim time (not while paused, ended or held)."""
        self.core.tick()

    async def start(self) -> None:
        """Tick by itself every ``host.core.TICK`` wall seconds (instead of ``tick`` from a UI timer)."""
        if self._timer is None:
            self._timer = asyncio.create_task(self.core.run_timer())

    async def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._timer
            self._timer = None

    def close(self) -> None:
        """Close the journal (every acknowledged input is on disk already)."""
        self.core.close()


class LocalSeat:
    """A seat in the same process: inputs as the host checks and acknowledges them, views as the host builds them."""

    def __init__(self, host: LocalHost, seat: str) -> None:
        self.host = host
        self.name = seat
        self.welcome: dict[str, Any] = host.core.welcome(seat)
        self._last = ""
        self._n = 0
        self._token = secrets.token_hex(4)
        """In the client ids: a resumed drill's seat-inputs.jsonl holds the ids of the process before."""

    @property
    def kind(self) -> str:
        return str(self.welcome["kind"])

    @property
    def member(self) -> str | None:
        return self.welcome["member"]

    def post(self, kind: str, *, client_id: str | None = None, **fields: Any) -> tuple[Ack, asyncio.Task[Ack]]:
        """Send one input and apply it now (``HostCore.apply_at_once``): the ``Ack`` it will get, and a task
        that finishes once the journal has it on disk (only then is it acknowledged: "recorded"). Needs a
        running event loop. Raises ``ProtocolError`` if refused (nothing applied)."""
        if client_id is None:
            self._n += 1
            client_id = f"local-{self._token}-{self._n}"
        core = self.host.core
        try:
            message = parse(encode({**fields, "type": kind, "id": client_id}))  # the same checks as a remote frame
            ack = core.apply_at_once(self.name, message)
        except ProtocolError:
            core.stats["refused"] += 1
            raise
        return ack, asyncio.ensure_future(core.settle(ack))

    async def send(self, kind: str, *, client_id: str | None = None, **fields: Any) -> Ack:
        """Send one input (the protocol's ``submit``, ``answer``, ``note``, ``observe``, ``inject``, ``pause``,
        ``resume``, ``speed``, ``end``); returns its ``Ack`` once the journal has it. Raises ``ProtocolError``
        if refused."""
        _ack, recorded = self.post(kind, client_id=client_id, **fields)
        return await recorded

    def view(self) -> dict[str, Any]:
        """What this seat may see now (``host.views.seat_view``)."""
        return self.host.core.view(self.name)

    def changed(self) -> dict[str, Any] | None:
        """The seat's view if it differs from the last one this seat took (the host's push rule), else None."""
        view = self.view()
        text = encode(view)
        if text == self._last:
            self.host.core.stats["views_skipped"] += 1
            return None
        self._last = text
        self.host.core.stats["views_sent"] += 1
        return view

    def drill_view(self, view: dict[str, Any] | None = None) -> DrillView:
        """A seat view (this seat's now, by default) as the ``DrillView`` the TUI's widgets render."""
        return drill_view_from(view if view is not None else self.view())

    def actions(self, view: dict[str, Any] | None = None) -> list[ActionAvailability]:
        """The actions this seat may take, with whether each is available now and why not."""
        return actions_from(view if view is not None else self.view())

    def player_view(self, view: dict[str, Any] | None = None) -> dict[str, Any]:
        """The controller's view (this seat's now, by default) as the players may see it (``player_view``)."""
        return player_view(view if view is not None else self.view(), self.host.core.audiences)

    def live_score(self, on: bool) -> None:
        """Whether the host computes the controller's live score (every ``host.core.SCORE_EVERY`` s, in a thread)."""
        if on and self.name in self.host.seats:
            self.host.core.present.add(self.name)
        else:
            self.host.core.present.discard(self.name)

    def leave(self) -> None:
        self.host.seats.pop(self.name, None)
        self.host.core.present.discard(self.name)
        self.host.core.dirty = True


def player_view(view: dict[str, Any], audiences: Audiences) -> dict[str, Any]:
    """The controller's seat view with what only the controller may see taken out (``host.views``' rules):
    every seat's feed lines but the controller's (penalties, notes, "stopped" lines), the metrics any seat
    sees, milestones once reached and without targets, clocks once started, no penalty points, no hint
    of which actions are don'ts, no ground truth. What the room sees, plus every role's inbox, decisions,
    actions and the team: the single terminal's players are all in the room."""
    if view.get("kind") != CONTROLLER:
        raise ValueError("player_view takes the controller's view")
    drill = audiences.drill
    records = drill.records

    def public(audience: str) -> bool:
        return audience != CONTROLLER

    metric_vis = audiences.metric_vis
    shown_metrics = {m["id"] for m in view["metrics"] if public(metric_vis.get(m["id"], CONTROLLER))}
    out = {key: value for key, value in view.items() if key != "controller"}
    out.update(
        metrics=[m for m in view["metrics"] if m["id"] in shown_metrics],
        penalty_points=0,
        decisions=[d for d in view["decisions"] if public(audiences.of_inject(d["inject"]))],
        milestones=[{**m, "target": None} for m in view["milestones"] if m["reached_at"] is not None],
        clocks=[c for c in view["clocks"] if c["started_at"] is not None],
        feed=[f for f in view["feed"] if public(audiences.of_record(records[f["seq"]]))],
        actions=[{**a, "penalty": False} for a in view["actions"]],
    )
    return out
