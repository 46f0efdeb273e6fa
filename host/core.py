"""The host's core: one drill driven by the sim clock, inputs checked and applied, a view per seat.

This is the part of the host that knows nothing of sockets; the WebSocket server
(``host.server.DrillHost``) and the in-process single-terminal seat (``host.local``) both
drive a drill through one :class:`HostCore`, so a seat's rights, the acknowledgement rule
and the views are the same whichever way the seat is connected.

- ``tick()``: the drill runs up to the clock's sim time (unless paused, ended or held).
- ``authorise(seat, message)``: who may do what (a ``ProtocolError`` says why not).
- ``await apply(seat, message)``: the input's client id is fsync'd to ``seat-inputs.jsonl``
  (off the event loop), the engine applies it at the current sim time and journals it,
  and the returned ``Ack`` comes once the journal record is on disk. A client id already
  answered is answered again (``answered``), never applied twice.
- ``view(seat)`` / ``view_text(seat)``: what that seat may see (``host.views.seat_view``),
  the controller's with the live score and who is connected (``present``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from drillsim.host.clock import SimClock
from drillsim.host.protocol import Message, ProtocolError, encode
from drillsim.host.run import INPUTS_NAME, Ack, InputLog
from drillsim.host.views import CONTROLLER, ROOM, Audiences, Snapshot, live_score, seat_kind, seat_view
from drillsim.simulator.engine import Drill
from drillsim.simulator.journal import JournalWriter
from drillsim.simulator.model import Action
from drillsim.simulator.roles import ROLE_IDS

TICK = 0.1
"""Wall seconds between timer ticks."""
SCORE_EVERY = 5.0
"""Wall seconds between live-score updates on the controller's console."""
SYNC_WAIT = 10.0
"""Longest wait (wall seconds) for a journal that fsyncs in the background to report an input on disk."""


class OffLoopJournal:
    """The drill's journal with the inputs' fsyncs taken off the event loop.

    ``write`` hands each record to the OS at once (``JournalWriter`` flushes every record: a
    killed host loses nothing it wrote) but does not fsync; ``fsync_to(seq)``, run in a worker
    thread before an input is acknowledged, makes everything written so far durable. So an
    input's fsync never stops the timer, the views or another seat's input meanwhile."""

    def __init__(self, writer: JournalWriter) -> None:
        self.writer = writer
        self.synced = -1
        """The highest seq known to be on disk."""
        self.deferring = False
        """True while the core applies an input (it fsyncs before the ack); any other input written
        (the drill driven directly) is fsync'd as it is written, as the engine asks."""

    def write(self, record: dict[str, Any], sync: bool = False) -> None:
        self.writer.write(record, sync=sync and not self.deferring)

    def fsync_to(self, seq: int) -> None:
        if self.synced >= seq:
            return
        file = self.writer._file
        try:
            if file is not None:
                os.fsync(file.fileno())
        except ValueError:  # closed meanwhile: close() synced it
            return
        except OSError as exc:  # as when the engine's writer fails: the journal says so and the drill goes on
            self.writer._fail(exc)
            return
        self.synced = max(self.synced, seq)

    def __getattr__(self, name: str) -> Any:  # path, ok, warnings, sync, close, write_all...
        return getattr(self.writer, name)


class HostCore:
    """One drill and the rules of its seats. ``folder``: the run folder (None: a drill kept in memory, whose
    client ids are remembered in memory only); ``seats``: the seats the controller's console lists."""

    def __init__(
        self,
        drill: Drill,
        folder: Path | None,
        seats: Iterable[str] = (),
        *,
        clock: SimClock | None = None,
        log: Callable[[str], None] = print,
    ) -> None:
        if isinstance(drill.journal, JournalWriter):
            drill.journal = OffLoopJournal(drill.journal)
        self.drill = drill
        self.folder = folder
        self.seats = list(seats)
        self.log = log
        self.clock = clock or SimClock()
        self.clock.anchor(drill.now, drill.speed)
        self.audiences = Audiences(drill)
        self.inputs = InputLog(folder / INPUTS_NAME if folder is not None else None)
        self.inputs.load(drill.records)
        self.actions: dict[str, Action] = {a.id: a for a in drill.scenario.actions}
        self.members = {m.name: m for m in drill.roster.members}
        self.present: set[str] = set()
        """Seats connected now (the controller's console shows them)."""
        self.score: dict[str, Any] | None = None
        self._score_at = 0.0
        self._score_len = -1
        self._ended_logged = drill.ended
        self.end_note = ""
        """Said after "The drill ended" in the log (the server: the seats stay for the debrief)."""
        self._snap: Snapshot | None = None
        self._snap_key: tuple[Any, ...] = ()
        self._input_lock = asyncio.Lock()
        self.dirty = True
        """Something a seat may see changed since the last push."""
        self.stats = {"views_sent": 0, "views_skipped": 0, "inputs": 0, "refused": 0}

    # ------------------------------------------------------------------ time

    def tick(self) -> None:
        """Run the drill up to the clock's sim time; refresh the controller's live score now and then."""
        drill = self.drill
        if not drill.paused and not drill.ended and not self.clock.held:
            drill.advance_to(self.clock.target())
            self.dirty = True  # the clock moved
        if drill.ended and not self._ended_logged:
            self._ended_logged = True
            where = f"drillsim report {self.folder}" if self.folder is not None else "(kept in memory: no report)"
            self.log(f"The drill ended ({drill.end_reason}). Write its report: {where}{self.end_note}")
        now = time.monotonic()
        if CONTROLLER in self.present and now - self._score_at >= SCORE_EVERY and len(drill.records) != self._score_len:
            with contextlib.suppress(RuntimeError):  # no event loop: the score waits for the next tick that has one
                loop = asyncio.get_running_loop()
                self._score_at = now
                self._score_len = len(drill.records)
                task = loop.run_in_executor(None, live_score, list(drill.records))
                task.add_done_callback(self._got_score)

    def _got_score(self, future: asyncio.Future[dict[str, Any] | None]) -> None:
        with contextlib.suppress(Exception):
            result = future.result()
            if result is not None:
                self.score = result
                self.dirty = True

    async def run_timer(self, on_tick: Callable[[], None] = lambda: None) -> None:
        """Tick every ``TICK`` wall seconds until cancelled; an error in a tick is logged, the timer goes on."""
        while True:
            await asyncio.sleep(TICK)
            try:
                self.tick()
                on_tick()
            except Exception as exc:  # the host must go on; the journal has every input already
                self.log(f"drillsim host: error in the timer: {exc!r}")

    # ------------------------------------------------------------------ views

    def snapshot(self) -> Snapshot:
        """The drill read once per state (records, time, pause, speed) for every seat's view."""
        drill = self.drill
        key = (len(drill.records), drill.now, drill.paused, drill.speed, drill.ended)
        if key != self._snap_key or self._snap is None:
            self._snap, self._snap_key = Snapshot.of(drill), key
        return self._snap

    def view(self, seat: str) -> dict[str, Any]:
        """What ``seat`` may see now, as JSON-ready data."""
        view = seat_view(self.drill, seat, self.audiences, self.snapshot())
        if seat == CONTROLLER:
            view["controller"]["score"] = self.score
            view["controller"]["seats"] = {s: s in self.present for s in self.seats}
        return view

    def view_text(self, seat: str) -> str:
        """The ``view`` frame of ``seat`` as sent on the wire (two equal texts: nothing changed)."""
        return encode({"type": "view", "view": self.view(seat)})

    # ------------------------------------------------------------------ who may do what

    def welcome(self, seat: str) -> dict[str, Any]:
        """What a seat is told when it joins: its kind, the roster member it submits as, the drill."""
        return {
            "type": "welcome",
            "seat": seat,
            "kind": seat_kind(seat),
            "member": self.member_for(seat),
            "title": self.drill.scenario.title,
            "run": self.folder.name if self.folder is not None else None,
            "team": self.drill.team,
        }

    def member_for(self, seat: str) -> str | None:
        """The first roster member holding the seat's role (None for the controller and the room)."""
        holders = [m.name for m in self.drill.roster.members if seat in m.roles]
        return holders[0] if holders else None

    def answered(self, seat: str, client_id: str) -> Ack | None:
        """The answer already given to this client id of this seat (a resend), if any."""
        return self.inputs.acks.get((seat, client_id))

    def authorise(self, seat: str, message: Message) -> None:
        kind, cid, fields = message.type, message.id, message.fields
        if seat == ROOM:
            raise ProtocolError("not-allowed", "the room display only watches", cid)
        controller = seat == CONTROLLER
        if not controller and kind not in ("submit", "answer"):
            raise ProtocolError("not-allowed", f"only the controller may send '{kind}'", cid)
        if kind == "submit":
            action = self.actions.get(fields["action"])
            if action is None:
                raise ProtocolError("unknown-action", f"no action '{fields['action']}' in this scenario", cid)
            if not controller and action.role != seat:
                raise ProtocolError(
                    "not-your-role", f"'{action.id}' is the {action.role}'s action; your seat is {seat}", cid
                )
            by = fields["by"]
            if by is not None:
                member = self.members.get(by)
                if member is None:
                    raise ProtocolError("bad-field", f"no member named '{by}' on the roster", cid)
                if not controller and seat not in member.roles:
                    raise ProtocolError("not-your-member", f"{by} does not hold the {seat} role", cid)
        elif kind == "answer":
            if not controller and self.audiences.of_inject(fields["inject"]) not in ("everyone", seat):
                raise ProtocolError("not-your-decision", f"the decision '{fields['inject']}' is not put to you", cid)
        elif kind == "observe" and fields["objective"] not in {o.id for o in self.drill.scenario.objectives}:
            raise ProtocolError("bad-field", f"no objective '{fields['objective']}' in this scenario", cid)
        elif kind == "note" and fields.get("objective") is not None:
            if fields["objective"] not in {o.id for o in self.drill.scenario.objectives}:
                raise ProtocolError("bad-field", f"no objective '{fields['objective']}' in this scenario", cid)
        elif kind == "inject":
            to = fields["to"]
            if to != "everyone" and to not in ROLE_IDS and to not in self.members:
                raise ProtocolError("bad-field", f"'to' is everyone, a role id or a member name, not '{to}'", cid)

    # ------------------------------------------------------------------ applying inputs

    async def apply(self, seat: str, message: Message) -> Ack:
        """Check and apply one input of ``seat``; the ``Ack`` comes once its journal record is on disk.

        One input at a time: its client id goes to ``seat-inputs.jsonl`` (fsync'd in a worker thread, so the
        timer and the views go on meanwhile), then the engine applies it and journals it. A resend of an
        answered client id gets the same answer again. Raises ``ProtocolError`` for an input the seat may
        not send (nothing reaches the journal then)."""
        assert message.id is not None
        again = self.answered(seat, message.id)
        if again is not None:
            return again
        self.authorise(seat, message)
        async with self._input_lock:
            again = self.answered(seat, message.id)
            if again is not None:  # the same id sent twice at once
                return again
            before = len(self.drill.records)
            if self.inputs.path is not None:  # a drill in memory has no seat-inputs.jsonl to fsync
                loop = asyncio.get_running_loop()
                await loop.run_in_executor(None, self.inputs.intent, seat, message.id, message.type, before)
            ack = self._apply_now(seat, message, before)
        await self._on_disk(ack)
        self.stats["inputs"] += 1
        return ack

    def apply_at_once(self, seat: str, message: Message) -> Ack:
        """``apply`` for an in-process seat (``host.local``): checked and applied now, in the caller's step (a
        key press shows its effect at once); ``await settle(ack)`` before acknowledging it. The client id
        goes to ``seat-inputs.jsonl`` first but is fsync'd with the journal, after: an in-process seat's
        ids never outlive the process, so no resend can come after a power cut. Raises ``ProtocolError``."""
        assert message.id is not None
        again = self.answered(seat, message.id)
        if again is not None:
            return again
        self.authorise(seat, message)
        if self._input_lock.locked():  # a remote input is between its intent and its record: never interleave
            raise ProtocolError("busy", "another input is being recorded; send it again", message.id)
        before = len(self.drill.records)
        self.inputs.intent(seat, message.id, message.type, before, sync=False)
        return self._apply_now(seat, message, before)

    async def settle(self, ack: Ack) -> Ack:
        """Wait until an ``apply_at_once`` input (its client id and its journal record) is on disk."""
        if self.inputs.path is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.inputs.fsync)
        await self._on_disk(ack)
        self.stats["inputs"] += 1
        return ack

    async def _on_disk(self, ack: Ack) -> None:
        """Wait until the journal has the input on disk: fsync'd in a worker thread (``OffLoopJournal``), or,
        for a journal that fsyncs in its own thread (the TUI's), until its ``synced`` seq reaches it. The
        engine's plain writer fsyncs an input as it writes it."""
        journal: Any = self.drill.journal
        if ack.seq is None or journal is None or isinstance(journal, JournalWriter):
            return
        if isinstance(journal, OffLoopJournal):
            await asyncio.get_running_loop().run_in_executor(None, journal.fsync_to, ack.seq)
            return
        if not isinstance(getattr(journal, "synced", None), int):
            return
        deadline = time.monotonic() + SYNC_WAIT
        while journal.ok and journal.synced < ack.seq and time.monotonic() < deadline:
            await asyncio.sleep(0.002)

    def _apply_now(self, seat: str, message: Message, before: int) -> Ack:
        journal = self.drill.journal
        if isinstance(journal, OffLoopJournal):
            journal.deferring = True  # fsync'd in a worker thread before the ack (``_on_disk``)
        try:
            return self._apply_input(seat, message, before)
        finally:
            if isinstance(journal, OffLoopJournal):
                journal.deferring = False

    def _apply_input(self, seat: str, message: Message, before: int) -> Ack:
        drill = self.drill
        kind, fields = message.type, message.fields
        assert message.id is not None
        if not drill.paused and not drill.ended and not self.clock.held:
            drill.advance_to(self.clock.target())
        ok, reason = True, None
        if kind == "submit":
            by = fields["by"]
            if by is None and fields["action"] in self.actions and not drill.ended:
                by = drill.default_member(fields["action"])  # the engine's pick among the role's holders
            result = drill.submit(fields["action"], by)
            ok, reason = result.ok, result.reason
        elif kind == "answer":
            result = drill.answer(fields["inject"], fields["action"])
            ok, reason = result.ok, result.reason
        elif kind == "note":
            author = f"evaluator:{fields['objective']}" if fields.get("objective") else "controller"
            drill.note(fields["text"], author)
        elif kind == "observe":
            drill.observe(fields["objective"], fields["task"], fields["text"], fields["rating"], fields["author"])
        elif kind == "inject":
            if drill.ended:
                ok, reason = False, "the drill has ended"
            drill.facilitator_inject(fields["text"], fields["to"], fields["channel"], fields["from"])
        elif kind == "pause":
            drill.pause()
        elif kind == "resume":
            drill.resume()
            self.clock.anchor(drill.now, drill.speed)
        elif kind == "speed":
            if not drill.ended:
                drill.set_speed(fields["speed"])
                self.clock.anchor(drill.now, drill.speed)
        elif kind == "end":
            drill.end("facilitator")
        seq = next((r["seq"] for r in drill.records[before:] if r.get("input")), None)
        if seq is None and ok and kind in ("pause", "resume", "speed"):
            reason = "nothing changed"
        ack = Ack(ok, reason, seq)
        self.inputs.acks[(seat, message.id)] = ack
        self.dirty = True
        return ack

    def close(self) -> None:
        """Close the journal (every input is on disk already)."""
        if self.drill.journal is not None:
            self.drill.journal.close()
