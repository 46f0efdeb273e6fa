"""The drill host: one authoritative ``Drill``, advanced by an asyncio timer, served to seats over WebSocket.

The timer does what the TUI's drill screen does: every ``TICK`` wall seconds the sim clock
(wall time x speed, frozen while paused) says what sim time it is and the drill runs up to
it. Inputs from seats are checked (``protocol.parse``, then who may do what), applied at
the current sim time, and acknowledged once the journal has them on disk. Each connected
seat gets its view (``views.seat_view``) whenever it differs from the last one it got.

Nothing a seat sends can stop the host or the drill: a refused frame gets an ``error``
(and, for a wrong code, a flood or an oversized frame, the connection is closed); the
journal is only ever written through the engine's API.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillsim.host.protocol import MAX_FRAME, Message, ProtocolError, encode, error, parse
from drillsim.host.run import INPUTS_NAME, Ack, InputLog
from drillsim.host.views import CONTROLLER, ROOM, Audiences, Snapshot, live_score, seat_kind, seat_view
from drillsim.simulator.engine import Drill
from drillsim.simulator.model import Action
from drillsim.simulator.roles import ROLE_IDS

TICK = 0.1
"""Wall seconds between timer ticks."""
PUSH_EVERY = 0.2
"""Wall seconds between view pushes while the drill runs (an input pushes at once)."""
SCORE_EVERY = 5.0
"""Wall seconds between live-score updates on the controller's console."""
HELLO_TIMEOUT = 10.0
RATE = 20.0
"""Frames a second a seat may send on average..."""
BURST = 40.0
"""...and at once; past that the connection is closed as a flood."""
MAX_ERRORS = 20
"""Refused frames a connection may send before it is closed."""
MAX_STEP_WALL = 2.0
MAX_GAP = 5.0


class HostClock:
    """Sim time = anchor + (wall - anchor_wall) x speed; a gap over ``MAX_GAP`` (a suspended laptop) counts as
    ``MAX_STEP_WALL``. The same rule as the TUI's ``SimClock``, without its dialog holds."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self._sim = 0.0
        self._wall = self._last = monotonic()
        self._speed = 1.0

    def anchor(self, sim_t: float, speed: float) -> None:
        self._sim, self._speed = sim_t, speed
        self._wall = self._last = self.monotonic()

    def target(self) -> float:
        wall = self.monotonic()
        gap = wall - self._last
        if gap > MAX_GAP:
            self._wall += gap - MAX_STEP_WALL
        self._last = wall
        return self._sim + (wall - self._wall) * self._speed


@dataclass
class _Conn:
    ws: Any
    seat: str
    last_sent: str = ""
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    tokens: float = BURST
    refill_at: float = field(default_factory=time.monotonic)
    errors: int = 0

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(BURST, self.tokens + (now - self.refill_at) * RATE)
        self.refill_at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class DrillHost:
    """Serves one drill to its seats. ``codes``: the join code of each seat (``controller``, ``room``, role ids)."""

    def __init__(
        self,
        drill: Drill,
        folder: Path,
        codes: dict[str, str],
        *,
        log: Callable[[str], None] = print,
    ) -> None:
        self.drill = drill
        self.folder = folder
        self.codes = codes
        self.log = log
        self.clock = HostClock()
        self.clock.anchor(drill.now, drill.speed)
        self.audiences = Audiences(drill)
        self.inputs = InputLog(folder / INPUTS_NAME)
        self.inputs.load(drill.records)
        self.conns: dict[str, _Conn] = {}
        self.actions: dict[str, Action] = {a.id: a for a in drill.scenario.actions}
        self.members = {m.name: m for m in drill.roster.members}
        self.score: dict[str, Any] | None = None
        self._score_at = 0.0
        self._score_len = -1
        self._pushed_at = 0.0
        self._dirty = True
        self._ended_logged = drill.ended
        self.server: Any = None
        self._snap: Snapshot | None = None
        self._input_lock = asyncio.Lock()
        self._snap_key: tuple[Any, ...] = ()
        self.url = ""
        self.stats = {"views_sent": 0, "views_skipped": 0, "inputs": 0, "refused": 0}

    # ------------------------------------------------------------------ running

    async def start(self, bind: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None) -> str:
        from websockets.asyncio.server import serve

        self.server = await serve(
            self._handler,
            bind,
            port,
            max_size=MAX_FRAME,
            max_queue=64,
            ssl=tls,
            ping_interval=10,
            ping_timeout=10,
            close_timeout=2,
            server_header=None,
        )
        sock_port = next(iter(self.server.sockets)).getsockname()[1]
        host = f"[{bind}]" if ":" in bind else bind
        self.url = f"{'wss' if tls else 'ws'}://{host}:{sock_port}"
        self._timer = asyncio.create_task(self._run_timer())
        return self.url

    async def stop(self) -> None:
        self._timer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._timer
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
        if self.drill.journal is not None:
            self.drill.journal.close()

    async def _run_timer(self) -> None:
        while True:
            await asyncio.sleep(TICK)
            try:
                self.tick()
            except Exception as exc:  # the host must go on; the journal has every input already
                self.log(f"drillsim host: error in the timer: {exc!r}")

    def tick(self) -> None:
        drill = self.drill
        if not drill.paused and not drill.ended:
            drill.advance_to(self.clock.target())
            self._dirty = True  # the clock moved
        if drill.ended and not self._ended_logged:
            self._ended_logged = True
            self.log(
                f"The drill ended ({drill.end_reason}). Write its report: drillsim report {self.folder}\n"
                "Seats stay connected for the debrief; Ctrl-C stops the host."
            )
        now = time.monotonic()
        if CONTROLLER in self.conns and now - self._score_at >= SCORE_EVERY and len(drill.records) != self._score_len:
            self._score_at = now
            self._score_len = len(drill.records)
            snapshot = list(drill.records)
            task = asyncio.get_running_loop().run_in_executor(None, live_score, snapshot)
            task.add_done_callback(self._got_score)
        if self._dirty and now - self._pushed_at >= PUSH_EVERY:
            self.push()

    def _got_score(self, future: asyncio.Future[dict[str, Any] | None]) -> None:
        with contextlib.suppress(Exception):
            result = future.result()
            if result is not None:
                self.score = result
                self._dirty = True

    def push(self) -> None:
        """Compute each connected seat's view once and wake its sender if it changed."""
        self._pushed_at = time.monotonic()
        self._dirty = False
        for conn in list(self.conns.values()):
            conn.wake.set()

    def snapshot(self) -> Snapshot:
        """The drill read once per state (records, time, pause, speed) for every seat's view."""
        drill = self.drill
        key = (len(drill.records), drill.now, drill.paused, drill.speed, drill.ended)
        if key != self._snap_key or self._snap is None:
            self._snap, self._snap_key = Snapshot.of(drill), key
        return self._snap

    def view_text(self, seat: str) -> str:
        view = seat_view(self.drill, seat, self.audiences, self.snapshot())
        if seat == CONTROLLER:
            view["controller"]["score"] = self.score
            view["controller"]["seats"] = {s: s in self.conns for s in self.codes}
        return encode({"type": "view", "view": view})

    async def _sender(self, conn: _Conn) -> None:
        from websockets.exceptions import ConnectionClosed

        with contextlib.suppress(ConnectionClosed):
            while True:
                await conn.wake.wait()
                conn.wake.clear()
                text = self.view_text(conn.seat)
                if text == conn.last_sent:
                    self.stats["views_skipped"] += 1
                    continue
                conn.last_sent = text
                await conn.ws.send(text)
                self.stats["views_sent"] += 1

    # ------------------------------------------------------------------ connections

    async def _handler(self, ws: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        conn: _Conn | None = None
        sender: asyncio.Task[None] | None = None
        try:
            try:
                first = await asyncio.wait_for(ws.recv(), HELLO_TIMEOUT)
                hello = parse(first)
            except TimeoutError:
                await ws.close(1008, "say hello first")
                return
            except ProtocolError as exc:
                await self._refuse(ws, exc.code, exc.message)
                return
            if hello.type != "hello":
                await self._refuse(ws, "hello-first", "the first message is a hello with your seat and join code")
                return
            seat, code = hello.fields["seat"], hello.fields["code"]
            expected = self.codes.get(seat)
            if expected is None or not secrets.compare_digest(expected.encode(), code.encode()):
                self.stats["refused"] += 1
                await self._refuse(ws, "bad-code", "wrong seat or join code; ask the facilitator for your join command")
                return
            if seat in self.conns:
                await self._refuse(
                    ws,
                    "seat-in-use",
                    f"the {seat} seat is already connected; close it first (a dropped seat frees itself within 20 s)",
                )
                return
            conn = _Conn(ws, seat)
            self.conns[seat] = conn
            self.log(f"seat connected: {seat} ({_peer(ws)})")
            await ws.send(encode(self._welcome(seat)))
            sender = asyncio.create_task(self._sender(conn))
            conn.wake.set()
            self._dirty = True
            async for frame in ws:
                if not conn.allow():
                    await self._refuse(ws, "flood", f"more than {RATE:g} messages a second; slow down and reconnect")
                    return
                await self._frame(conn, frame)
                if conn.errors >= MAX_ERRORS:
                    await self._refuse(ws, "too-many-errors", "too many refused messages")
                    return
        except ConnectionClosed:
            pass
        finally:
            if sender is not None:
                sender.cancel()
            if conn is not None and self.conns.get(conn.seat) is conn:
                del self.conns[conn.seat]
                self._dirty = True
                self.log(f"seat disconnected: {conn.seat}")

    async def _refuse(self, ws: Any, code: str, message: str) -> None:
        from websockets.exceptions import ConnectionClosed

        with contextlib.suppress(ConnectionClosed):
            await ws.send(error(code, message))
            await ws.close(1008, code)

    def _welcome(self, seat: str) -> dict[str, Any]:
        return {
            "type": "welcome",
            "seat": seat,
            "kind": seat_kind(seat),
            "member": self._member_for(seat),
            "title": self.drill.scenario.title,
            "run": self.folder.name,
            "team": self.drill.team,
        }

    def _member_for(self, seat: str) -> str | None:
        holders = [m.name for m in self.drill.roster.members if seat in m.roles]
        return holders[0] if holders else None

    async def _frame(self, conn: _Conn, frame: str | bytes) -> None:
        try:
            message = parse(frame)
            if message.type == "ping":
                await conn.ws.send(encode({"type": "pong"}))
                return
            if message.type == "hello":
                raise ProtocolError("already-joined", "this connection has joined already")
            assert message.id is not None
            again = self.inputs.acks.get((conn.seat, message.id))
            if again is not None:  # a resend after a reconnect: answered, not applied twice
                await conn.ws.send(encode(again.message(message.id, again=True)))
                return
            self._authorise(conn.seat, message)
            ack = await self._apply(conn.seat, message)
        except ProtocolError as exc:
            conn.errors += 1
            self.stats["refused"] += 1
            await conn.ws.send(error(exc.code, exc.message, exc.client_id))
            return
        self.stats["inputs"] += 1
        await conn.ws.send(encode(ack.message(message.id or "")))
        conn.wake.set()  # this seat sees its input's effect at once; the others with the next push

    # ------------------------------------------------------------------ who may do what

    def _authorise(self, seat: str, message: Message) -> None:
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
        elif kind == "note" and fields.get("objective") is not None:
            if fields["objective"] not in {o.id for o in self.drill.scenario.objectives}:
                raise ProtocolError("bad-field", f"no objective '{fields['objective']}' in this scenario", cid)
        elif kind == "inject":
            to = fields["to"]
            if to != "everyone" and to not in ROLE_IDS and to not in self.members:
                raise ProtocolError("bad-field", f"'to' is everyone, a role id or a member name, not '{to}'", cid)

    async def _apply(self, seat: str, message: Message) -> Ack:
        """Apply an authorised input at the current sim time; its journal record is on disk when this returns.

        One input at a time: its client id goes to ``seat-inputs.jsonl`` (fsync'd in a worker thread, so the
        timer and the views go on meanwhile), then the engine applies it and fsyncs its journal record."""
        async with self._input_lock:
            assert message.id is not None
            before = len(self.drill.records)
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, self.inputs.intent, seat, message.id, message.type, before)
            return self._apply_now(seat, message, before)

    def _apply_now(self, seat: str, message: Message, before: int) -> Ack:
        drill = self.drill
        kind, fields = message.type, message.fields
        assert message.id is not None
        if not drill.paused and not drill.ended:
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
        self._dirty = True
        return ack


def _peer(ws: Any) -> str:
    try:
        host, port = ws.remote_address[:2]
        return f"{host}:{port}"
    except (AttributeError, TypeError, ValueError):
        return "?"


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    return context


def is_loopback(bind: str) -> bool:
    import ipaddress

    if bind == "localhost":
        return True
    try:
        return ipaddress.ip_address(bind).is_loopback
    except ValueError:
        return False


async def serve_until_stopped(
    host: DrillHost,
    bind: str,
    port: int,
    tls: ssl.SSLContext | None,
    on_ready: Callable[[str], None],
) -> None:
    """Serve until SIGINT or SIGTERM; the journal is closed on the way out (every input is on disk already)."""
    import signal

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    url = await host.start(bind, port, tls)
    on_ready(url)
    try:
        await stop.wait()
    finally:
        await host.stop()
