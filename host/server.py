"""The drill host: one authoritative ``Drill``, advanced by an asyncio timer, served to seats over WebSocket.

The drill, its clock, who may do what, applying inputs and the views are ``host.core.HostCore``'s,
shared with the single-terminal seat (``host.local``): every ``TICK`` wall seconds the sim clock
(wall time x speed, frozen while paused) says what sim time it is and the drill runs up to
it. Inputs from seats are checked (``protocol.parse``, then who may do what), applied at
the current sim time, and acknowledged once the journal has them on disk. This module adds
the sockets: join codes, limits, and pushing each connected seat its view (``views.seat_view``)
whenever it differs from the last one it got.

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

from drillsim.host.core import HostCore
from drillsim.host.protocol import MAX_FRAME, ProtocolError, encode, error, parse
from drillsim.simulator.engine import Drill

PUSH_EVERY = 0.2
"""Wall seconds between view pushes while the drill runs (an input pushes at once)."""
HELLO_TIMEOUT = 10.0
RATE = 20.0
"""Frames a second a seat may send on average..."""
BURST = 40.0
"""...and at once; past that the connection is closed as a flood."""
MAX_ERRORS = 20
"""Refused frames a connection may send before it is closed."""


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
    """Serves one drill to its seats over WebSocket. ``codes``: the join code of each seat (``controller``,
    ``room``, role ids). The drill, its clock, who may do what and the views are the ``core``'s
    (``host.core.HostCore``, shared with the single-terminal seat); this class adds the sockets."""

    def __init__(
        self,
        drill: Drill,
        folder: Path,
        codes: dict[str, str],
        *,
        log: Callable[[str], None] = print,
    ) -> None:
        self.core = HostCore(drill, folder, codes, log=log)
        self.core.end_note = "\nSeats stay connected for the debrief; Ctrl-C stops the host."
        self.drill = drill
        self.folder = folder
        self.codes = codes
        self.log = log
        self.stats = self.core.stats
        self.conns: dict[str, _Conn] = {}
        self._pushed_at = 0.0
        self.server: Any = None
        self.url = ""

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
        self._timer = asyncio.create_task(self.core.run_timer(self._maybe_push))
        return self.url

    async def stop(self) -> None:
        self._timer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._timer
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
        self.core.close()

    def tick(self) -> None:
        self.core.tick()
        self._maybe_push()

    def _maybe_push(self) -> None:
        if self.core.dirty and time.monotonic() - self._pushed_at >= PUSH_EVERY:
            self.push()

    def push(self) -> None:
        """Wake every connected seat's sender; each sends its view if it changed."""
        self._pushed_at = time.monotonic()
        self.core.dirty = False
        for conn in list(self.conns.values()):
            conn.wake.set()

    def view_text(self, seat: str) -> str:
        return self.core.view_text(seat)

    async def _sender(self, conn: _Conn) -> None:
        from websockets.exceptions import ConnectionClosed

        with contextlib.suppress(ConnectionClosed):
            while True:
                await conn.wake.wait()
                conn.wake.clear()
                text = self.core.view_text(conn.seat)
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
            self.core.present.add(seat)
            self.log(f"seat connected: {seat} ({_peer(ws)})")
            await ws.send(encode(self.core.welcome(seat)))
            sender = asyncio.create_task(self._sender(conn))
            conn.wake.set()
            self.core.dirty = True
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
                self.core.present.discard(conn.seat)
                self.core.dirty = True
                self.log(f"seat disconnected: {conn.seat}")

    async def _refuse(self, ws: Any, code: str, message: str) -> None:
        from websockets.exceptions import ConnectionClosed

        with contextlib.suppress(ConnectionClosed):
            await ws.send(error(code, message))
            await ws.close(1008, code)

    async def _frame(self, conn: _Conn, frame: str | bytes) -> None:
        try:
            message = parse(frame)
            if message.type == "ping":
                await conn.ws.send(encode({"type": "pong"}))
                return
            if message.type == "hello":
                raise ProtocolError("already-joined", "this connection has joined already")
            assert message.id is not None
            again = self.core.answered(conn.seat, message.id)
            if again is not None:  # a resend after a reconnect: answered, not applied twice
                await conn.ws.send(encode(again.message(message.id, again=True)))
                return
            ack = await self.core.apply(conn.seat, message)
        except ProtocolError as exc:
            conn.errors += 1
            self.stats["refused"] += 1
            await conn.ws.send(error(exc.code, exc.message, exc.client_id))
            return
        await conn.ws.send(encode(ack.message(message.id)))
        conn.wake.set()  # this seat sees its input's effect at once; the others with the next push


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
