"""Rebuilding a drill from its journal: replay checks and resuming an interrupted drill.

The journal's first record holds the scenario, roster, seed and speed; its input records
(``input: true``) are everything people did. Re-applying the inputs at their sim times to
a fresh ``Drill`` must give the same journal, wall-clock fields aside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drillsim.simulator.engine import Drill
from drillsim.simulator.journal import JournalWriter
from drillsim.simulator.model import Roster, Scenario

Record = dict[str, Any]
IGNORED = ("wall",)
EMITTED_BY_INPUTS = ("action_cancelled",)
"""Records an input writes before its own record (ending a drill cancels running actions first)."""


class ReplayError(ValueError):
    """A journal whose inputs cannot be re-applied."""


def drill_from_start(first: Record, journal: JournalWriter | None = None) -> Drill:
    """A fresh drill built from a journal's ``drill_started`` record."""
    if first.get("type") != "drill_started":
        raise ReplayError("a journal starts with a drill_started record")
    try:
        scenario = Scenario.model_validate(first["scenario"])
        roster = Roster.model_validate(first["roster"])
    except (KeyError, ValueError) as exc:
        raise ReplayError(f"the journal's scenario or roster copy is not valid: {exc}") from None
    return Drill(
        scenario,
        roster,
        int(first.get("seed", 0)),
        speed=float(first.get("speed", 1.0)),
        team=first.get("team"),
        label=first.get("label"),
        participants=first.get("participants") or {},
        policy=first.get("policy"),
        journal=journal,
        wall=first.get("wall"),
    )


def apply_input(drill: Drill, record: Record) -> None:
    """Re-apply one input record at the drill's current time."""
    kind = record["type"]
    if kind == "action_submitted":
        drill.submit(record["action"], record.get("by"), source=record.get("source", "participant"))
    elif kind == "decision_answered":
        drill.answer(record["inject"], record["action"])
    elif kind == "facilitator_inject":
        drill.facilitator_inject(
            record["text"],
            record.get("to", "everyone"),
            record.get("channel", "chat"),
            record.get("from") or "Facilitator",
        )
    elif kind == "note":
        drill.note(record["text"], record.get("author", "facilitator"))
    elif kind == "paused":
        drill.pause()
    elif kind == "resumed":
        drill.resume()
    elif kind == "speed_changed":
        drill.set_speed(float(record["speed"]))
    elif kind == "drill_ended":
        drill.end(record.get("reason", "facilitator"))
    elif kind in ("rating_override", "hotwash", "feedback"):
        fields = {k: v for k, v in record.items() if k not in ("seq", "t", "type", "input", "wall")}
        drill.debrief(kind, **fields)
    elif kind == "observation":
        drill.observe(
            record["objective"],
            record.get("task"),
            record["text"],
            record.get("rating"),
            record.get("author", "evaluator"),
        )
    else:
        raise ReplayError(f"record {record.get('seq')}: unknown input type '{kind}'")


def rebuild(records: list[Record], journal: JournalWriter | None = None, *, to_end: bool = True) -> Drill:
    """Re-run a journal's inputs; with ``to_end`` the world then runs to the journal's last time."""
    drill = drill_from_start(records[0], journal)
    was_paused = False
    for record in records[1:]:
        if not record.get("input"):
            continue
        t = float(record["t"])
        if drill.paused and record["type"] != "resumed" and t > drill.now:
            raise ReplayError(f"record {record['seq']}: sim time moved while the drill was paused")
        drill.advance_to(t)
        # events at exactly t that the journal shows before this input (a drill that ended at its
        # time limit before a debrief note) run first, so the order is the journal's
        while (
            len(drill.records) < record["seq"]
            and records[len(drill.records)]["type"] not in EMITTED_BY_INPUTS
            and not drill.paused
            and drill.next_event_time() <= t
        ):
            drill.env.step()
        apply_input(drill, record)
        was_paused = drill.paused
    if to_end and not drill.ended and not was_paused:
        last = float(records[-1]["t"])
        drill.advance_to(last)
        # events at exactly the last recorded time
        while not drill.ended and drill.next_event_time() <= last and len(drill.records) < len(records):
            drill.env.step()
    return drill


def _comparable(record: Record) -> Record:
    return {k: v for k, v in record.items() if k not in IGNORED}


@dataclass(frozen=True)
class Difference:
    seq: int
    expected: Record | None
    got: Record | None

    def __str__(self) -> str:
        if self.expected is None:
            return f"record {self.seq}: the replay produced an extra record {self.got}"
        if self.got is None:
            return (
                f"record {self.seq}: the replay stops before {self.expected.get('type')} at t={self.expected.get('t')}"
            )
        keys = sorted(set(self.expected) | set(self.got))
        diffs = [k for k in keys if self.expected.get(k) != self.got.get(k)]
        parts = ", ".join(f"{k}: journal {self.expected.get(k)!r} vs replay {self.got.get(k)!r}" for k in diffs[:3])
        return f"record {self.seq} ({self.expected.get('type')} at t={self.expected.get('t')}): {parts}"


def first_difference(original: list[Record], replayed: list[Record]) -> Difference | None:
    """The first record where the replay differs from the journal, or None."""
    for seq, expected in enumerate(original):
        if seq >= len(replayed):
            return Difference(seq, _comparable(expected), None)
        got = replayed[seq]
        if _comparable(expected) != _comparable(got):
            return Difference(seq, _comparable(expected), _comparable(got))
    if len(replayed) > len(original) and original[-1].get("type") == "drill_ended":
        return Difference(len(original), None, _comparable(replayed[len(original)]))
    return None


def check(records: list[Record]) -> Difference | None:
    """Replay a journal and return its first difference, or None when it reproduces exactly."""
    drill = rebuild(records)
    return first_difference(records, drill.records)
