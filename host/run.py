"""What a hosted drill keeps in its run folder besides the journal: the join codes and the seats' input ids.

- ``seats.json`` (mode 0600): the join code of each seat, so a resumed host lets the seats
  back in with the codes they have. Each code is ``secrets.token_urlsafe(24)`` (192 bits).
- ``seat-inputs.jsonl``: one line per input a seat sent, written and fsync'd *before* the
  input is applied: the seat, its client id, and the journal length at that moment. After a
  crash the journal says which of them were applied (the first input record at or after that
  length, before the next line's), so a resend after a reconnect is answered, not applied twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillsim.simulator import session
from drillsim.simulator.engine import Drill
from drillsim.simulator.journal import atomic_write, encode

SEATS_NAME = "seats.json"
INPUTS_NAME = "seat-inputs.jsonl"
CODE_BYTES = 24
"""Random bytes in a join code (192 bits; the issue asks for at least 128)."""


class HostRunError(Exception):
    """A run folder a host cannot start or resume from; the message is for the facilitator."""


def new_codes(seats: list[str]) -> dict[str, str]:
    return {seat: _code() for seat in seats}


def _code() -> str:
    """A random join code that never starts with ``-`` (a shell user's ``--code -x...`` would read as an option)."""
    while True:
        code = secrets.token_urlsafe(CODE_BYTES)
        if not code.startswith("-"):
            return code


def write_codes(folder: Path, codes: dict[str, str]) -> Path:
    """``seats.json`` readable by its owner only (0600 from the start), replaced atomically."""
    return atomic_write(folder / SEATS_NAME, json.dumps({"seats": codes}, indent=2) + "\n", mode=0o600)


def read_codes(folder: Path) -> dict[str, str]:
    path = folder / SEATS_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        codes = data["seats"]
        if not isinstance(codes, dict) or not all(isinstance(v, str) for v in codes.values()):
            raise ValueError("no seats")
    except FileNotFoundError:
        raise HostRunError(f"{path}: no join codes; this drill was not hosted (resume it without --host)") from None
    except (OSError, ValueError, KeyError) as exc:
        raise HostRunError(f"{path}: cannot read the join codes: {exc}") from None
    return dict(codes)


@dataclass
class Ack:
    ok: bool
    reason: str | None
    seq: int | None

    def message(self, client_id: str, *, again: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "ack", "id": client_id, "ok": self.ok, "reason": self.reason, "seq": self.seq}
        if again:
            out["again"] = True
        return out


@dataclass
class InputLog:
    """The seats' client ids: which were applied and what the answer was (see the module docstring).
    ``path`` None: a drill kept in memory; the ids are remembered in memory only."""

    path: Path | None
    acks: dict[tuple[str, str], Ack] = field(default_factory=dict)

    def load(self, records: list[dict[str, Any]]) -> None:
        """Resolve every line against the journal (after a resume)."""
        if self.path is None:
            return
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        intents = []
        for line in lines:
            try:
                intents.append(json.loads(line))
            except ValueError:
                continue  # a torn last line: its input was never applied (the line comes first)
        for n, intent in enumerate(intents):
            before = int(intent.get("before", 0))
            limit = int(intents[n + 1].get("before", len(records))) if n + 1 < len(intents) else len(records)
            applied = next((r for r in records[before : max(before, limit)] if r.get("input")), None)
            key = (str(intent.get("seat")), str(intent.get("id")))
            if applied is None:
                self.acks.pop(key, None)
                continue
            seq = applied["seq"]
            following = records[seq + 1] if seq + 1 < len(records) else {}
            if following.get("type") == "action_rejected":
                self.acks[key] = Ack(False, following.get("reason"), seq)
            else:
                self.acks[key] = Ack(True, None, seq)

    def intent(self, seat: str, client_id: str, kind: str, before: int, sync: bool = True) -> None:
        """Append the client id (``sync``: fsync'd; else with the OS only, ``fsync`` later)."""
        if self.path is None:
            return
        line = encode({"seat": seat, "id": client_id, "type": kind, "before": before}) + "\n"
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())

    def fsync(self) -> None:
        """Make every intent written so far durable (after ``intent(..., sync=False)``)."""
        if self.path is None:
            return
        with contextlib.suppress(FileNotFoundError):
            fd = os.open(self.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


@dataclass
class Resumed:
    drill: Drill
    folder: Path
    warnings: list[str]


def resume_run(run: Path) -> Resumed:
    """Rebuild an interrupted hosted drill from its journal and keep appending to it; it starts paused
    (``simulator.session.resume_run``). A hosted drill needs its journal: no journal writer is an error."""
    try:
        resumed = session.resume_run(run)
    except session.ResumeError as exc:
        raise HostRunError(str(exc)) from None
    if resumed.writer is None or resumed.folder is None:
        raise HostRunError("; ".join(resumed.warnings) or f"{run}: cannot append to the journal")
    return Resumed(resumed.drill, resumed.folder, resumed.warnings)
