"""The seat protocol: JSON text frames over a WebSocket, checked on the host before anything reaches the drill.

A seat's first frame is ``hello``; every later frame is one input or a ``ping``. Each input
carries ``id``, a client id the seat chooses (a resend after a reconnect carries the same
one, and the host answers it without applying it twice). The host answers every input
with an ``ack`` once it is in the journal (fsync'd), or with an ``error``.

Seat -> host::

    {"type": "hello", "seat": "crisis-lead" | "controller" | "room", "code": "<join code>"}
    {"type": "submit", "id": "c1", "action": "rollback-model", "by": "Blake"}      by: optional, a holder of the seat's role
    {"type": "answer", "id": "c2", "inject": "ceo-asks", "action": "brief-execs"}
    {"type": "note", "id": "c3", "text": "...", "objective": "contain"}          controller (objective: an evaluator observation)
    {"type": "observe", "id": "c7", "objective": "contain", "task": "t1", "text": "...", "rating": "S", "author": "..."}
                                                             controller (task, rating, author optional)
    {"type": "inject", "id": "c4", "text": "...", "to": "compliance-officer", "channel": "email", "from": "Regulator"}
    {"type": "pause" | "resume" | "end", "id": "c5"}  {"type": "speed", "id": "c6", "speed": 30}
    {"type": "ping"}

Host -> seat::

    {"type": "welcome", "seat": ..., "kind": "role"|"controller"|"room", "member": ..., "title": ..., "run": ...}
    {"type": "view", "view": {...}}                      only when it changed
    {"type": "ack", "id": "c1", "ok": true, "reason": null, "seq": 812}
    {"type": "error", "code": "not-your-role", "message": "...", "id": "c1"}
    {"type": "pong"}
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from drillsim.simulator.view import (
    ActionAvailability,
    ClockView,
    DecisionView,
    DrillView,
    FeedItem,
    MemberView,
    MetricView,
    MilestoneView,
    OptionView,
    QueuedView,
)

MAX_FRAME = 64 * 1024
"""Largest frame the host reads (bytes); a bigger one closes the connection (WebSocket close code 1009)."""
MAX_TEXT = 4000
"""Longest text in an input (the scenario format's limit)."""
MAX_ID = 100
SEAT_INPUTS = frozenset({"submit", "answer"})
CONTROLLER_INPUTS = frozenset({"submit", "answer", "note", "observe", "inject", "pause", "resume", "speed", "end"})
RATINGS = ("P", "S", "M", "U")
INPUTS = CONTROLLER_INPUTS
CHANNELS = ("chat", "email", "phone", "pager", "alert", "ticket", "social", "press", "regulator", "status-page")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class ProtocolError(Exception):
    """A frame the host refuses: ``code`` names the rule, the message says what to do."""

    def __init__(self, code: str, message: str, client_id: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.client_id = client_id


@dataclass(frozen=True)
class Message:
    type: str
    id: str | None
    fields: dict[str, Any]


def _text(data: dict[str, Any], key: str, *, required: bool = True, limit: int = MAX_TEXT) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ProtocolError("bad-field", f"'{key}' must be a non-empty string", data.get("id"))
    if len(value) > limit:
        raise ProtocolError("bad-field", f"'{key}' is longer than {limit} characters", data.get("id"))
    if _CONTROL.search(value):
        raise ProtocolError("bad-field", f"'{key}' contains a control character; send plain text", data.get("id"))
    return value.strip()


def parse(frame: str | bytes) -> Message:
    """One frame as a checked message; raises ``ProtocolError`` with a clear reason."""
    if isinstance(frame, bytes):
        raise ProtocolError("bad-frame", "send JSON text frames, not binary ones")
    try:
        data = json.loads(frame)
    except ValueError as exc:
        raise ProtocolError("bad-json", f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ProtocolError("bad-json", "a message is a JSON object with a 'type'")
    kind = data.get("type")
    if not isinstance(kind, str):
        raise ProtocolError("bad-json", "a message needs a 'type' string")
    if kind == "ping":
        return Message(kind, None, {})
    if kind == "hello":
        seat = _text(data, "seat", limit=64)
        code = _text(data, "code", limit=200)
        return Message(kind, None, {"seat": seat, "code": code})
    if kind not in INPUTS:
        raise ProtocolError("unknown-type", f"unknown message type '{kind[:40]}'")
    client_id = data.get("id")
    if not isinstance(client_id, str) or not _ID.match(client_id):
        raise ProtocolError("bad-field", "every input needs an 'id': 1-100 letters, digits, '.', '_', ':' or '-'")
    fields: dict[str, Any] = {}
    if kind == "submit":
        fields["action"] = _text(data, "action", limit=64)
        fields["by"] = _text(data, "by", required=False, limit=200)
    elif kind == "answer":
        fields["inject"] = _text(data, "inject", limit=64)
        fields["action"] = _text(data, "action", limit=64)
    elif kind == "note":
        fields["text"] = _text(data, "text")
        fields["objective"] = _text(data, "objective", required=False, limit=64)
    elif kind == "observe":
        fields["objective"] = _text(data, "objective", limit=64)
        fields["task"] = _text(data, "task", required=False, limit=64)
        fields["text"] = _text(data, "text")
        rating = data.get("rating")
        if rating is not None and rating not in RATINGS:
            raise ProtocolError("bad-field", f"'rating' is one of {', '.join(RATINGS)} or null", client_id)
        fields["rating"] = rating
        fields["author"] = _text(data, "author", required=False, limit=200) or "evaluator"
    elif kind == "inject":
        fields["text"] = _text(data, "text")
        fields["to"] = _text(data, "to", required=False, limit=64) or "everyone"
        channel = _text(data, "channel", required=False, limit=20) or "chat"
        if channel not in CHANNELS:
            raise ProtocolError("bad-field", f"'channel' is one of {', '.join(CHANNELS)}", client_id)
        fields["channel"] = channel
        fields["from"] = _text(data, "from", required=False, limit=200) or "Facilitator"
    elif kind == "speed":
        speed = data.get("speed")
        if (
            isinstance(speed, bool)
            or not isinstance(speed, (int, float))
            or not math.isfinite(speed)
            or not 0 < speed <= 600
        ):
            raise ProtocolError("bad-field", "'speed' is a number above 0 and at most 600", client_id)
        fields["speed"] = float(speed)
    return Message(kind, client_id, fields)


def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def error(code: str, message: str, client_id: str | None = None) -> str:
    out: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if client_id is not None:
        out["id"] = client_id
    return encode(out)


# ---------------------------------------------------------------------------- views on the seat side


def drill_view_from(data: dict[str, Any]) -> DrillView:
    """A seat view (``host.views.seat_view``, through JSON) as the ``DrillView`` the TUI's widgets render."""
    return DrillView(
        t=float(data["t"]),
        duration=float(data["duration"]),
        paused=bool(data["paused"]),
        speed=float(data["speed"]),
        ended=bool(data["ended"]),
        end_reason=data.get("end_reason"),
        severity=data["severity"],
        title=data["title"],
        revenue_lost=float(data["revenue_lost"]),
        currency=data["currency"],
        penalty_points=int(data.get("penalty_points") or 0),
        metrics=tuple(MetricView(**{**m, "history": tuple(m["history"])}) for m in data["metrics"]),
        members=tuple(
            MemberView(**{**m, "roles": tuple(m["roles"]), "queued": tuple(m["queued"])}) for m in data["members"]
        ),
        queued=tuple(QueuedView(**q) for q in data["queued"]),
        decisions=tuple(
            DecisionView(**{**d, "options": tuple(OptionView(**o) for o in d["options"])}) for d in data["decisions"]
        ),
        milestones=tuple(MilestoneView(**m) for m in data["milestones"]),
        clocks=tuple(ClockView(**c) for c in data["clocks"]),
        feed=tuple(FeedItem(**f) for f in data["feed"]),
        discussion=tuple(data.get("discussion") or ()),
    )


def actions_from(data: dict[str, Any]) -> list[ActionAvailability]:
    return [ActionAvailability(**a) for a in data.get("actions") or ()]
