"""Rebuilding a drill from its journal: replay checks and resuming an interrupted drill.

The journal's first record holds the scenario, roster, seed and speed; its input records
(``input: true``) are everything people did. Re-applying the inputs at their sim times to
a fresh ``Drill`` must give the same journal, wall-clock fields aside.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from drillsim.simulator.engine import Drill
from drillsim.simulator.journal import JournalWriter
from drillsim.simulator.model import Roster, Scenario, raw_hash

Record = dict[str, Any]
"""A journal record as read (``simulator.records`` has each type's fields)."""
IGNORED = ("wall",)
EMITTED_BY_INPUTS = ("action_cancelled",)
"""Records an input writes before its own record (ending a drill cancels running actions first)."""


class ReplayError(ValueError):
    """A journal whose inputs cannot be re-applied."""


def start_models(first: Record) -> tuple[Scenario, Roster]:
    """The scenario and roster of a journal's ``drill_started`` record, checked as a file would be
    (the model, the cross-references) and against the content hashes recorded beside them: a copy
    edited after the drill is refused."""
    if first.get("type") != "drill_started":
        raise ReplayError("a journal starts with a drill_started record")
    try:
        scenario = Scenario.model_validate(first["scenario"])
        roster = Roster.model_validate(first["roster"])
    except KeyError as exc:
        raise ReplayError(f"the drill_started record has no {exc.args[0]!r}") from None
    except ValueError as exc:
        problems = _pydantic_lines(exc)
        raise ReplayError(f"the journal's scenario or roster copy is not valid: {problems}") from None
    from drillsim.simulator.checks import check_roster, check_scenario

    wrong = [p for p in [*check_scenario(scenario), *check_roster(roster)] if p.is_error]
    if wrong:
        where = f"{wrong[0].where}: " if wrong[0].where else ""
        raise ReplayError(f"the journal's scenario or roster copy is not valid: {where}{wrong[0].message}")
    for name, model in (("scenario", scenario), ("roster", roster)):
        recorded = first.get(f"{name}_hash")
        # A journal written by an earlier drillsim recorded the hash of its copy as that version dumped it:
        # the copy is genuine if either the model's hash or the copy's own canonical hash matches.
        if isinstance(recorded, str) and recorded not in (model.content_hash(), raw_hash(first[name])):
            raise ReplayError(
                f"the journal's {name} copy does not match its recorded {name}_hash: it was edited after the drill"
            )
    return scenario, roster


def _pydantic_lines(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors(include_url=False)[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
    return str(exc)


def drill_from_start(first: Record, journal: JournalWriter | None = None) -> Drill:
    """A fresh drill built from a journal's ``drill_started`` record."""
    scenario, roster = start_models(first)
    seed = first.get("seed", 0)
    speed = first.get("speed", 1.0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ReplayError(f"the journal's seed must be a whole number; got {seed!r}")
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not math.isfinite(speed) or speed <= 0:
        raise ReplayError(f"the journal's speed must be a positive number; got {speed!r}")
    participants = first.get("participants") or {}
    if not isinstance(participants, dict):
        raise ReplayError("the journal's participants must be a mapping of member to person")
    return Drill(
        scenario,
        roster,
        seed,
        speed=float(speed),
        team=first.get("team"),
        label=first.get("label"),
        participants=participants,
        policy=first.get("policy"),
        journal=journal,
        wall=first.get("wall"),
        journal_format=int(first.get("format", 1)),
    )


def apply_input(drill: Drill, record: Record) -> None:
    """Re-apply one input record at the drill's current time."""
    match record:
        case {"type": "action_submitted"}:
            drill.submit(
                record["action"], record.get("by"), source=record.get("source", "participant"), took=record.get("took")
            )
        case {"type": "decision_answered"}:
            drill.answer(record["inject"], record["action"])
        case {"type": "facilitator_inject"}:
            drill.facilitator_inject(
                record["text"],
                record.get("to", "everyone"),
                record.get("channel", "chat"),
                record.get("from") or "Facilitator",
            )
        case {"type": "note"}:
            drill.note(record["text"], record.get("author", "facilitator"))
        case {"type": "paused"}:
            drill.pause()
        case {"type": "resumed"}:
            drill.resume()
        case {"type": "speed_changed"}:
            drill.set_speed(float(record["speed"]))
        case {"type": "drill_ended"}:
            drill.end(record.get("reason", "facilitator"))
        case {"type": "rating_override" | "hotwash" | "feedback" as kind}:
            fields = {k: v for k, v in record.items() if k not in ("seq", "t", "type", "input", "wall")}
            drill.debrief(kind, **fields)
        case {"type": "observation"}:
            drill.observe(
                record["objective"],
                record.get("task"),
                record["text"],
                record.get("rating"),
                record.get("author", "evaluator"),
            )
        case _:
            raise ReplayError(f"record {record.get('seq')}: unknown input type '{record['type']}'")


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
            and (ahead := _next_real(records, len(drill.records)))["seq"] < record["seq"]
            and ahead["type"] not in EMITTED_BY_INPUTS
            and not drill.paused
            and drill.next_event_time() <= t
        ):
            drill.env.step()
        try:
            apply_input(drill, record)
        except ReplayError:
            raise
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            what = f"{type(exc).__name__}: {exc}" if not isinstance(exc, KeyError) else f"unknown {exc}"
            raise ReplayError(f"record {record['seq']} ({record['type']}) cannot be re-applied ({what})") from None
        was_paused = drill.paused
    if to_end and not drill.ended and not was_paused:
        last = float(records[-1]["t"])
        drill.advance_to(last)
        # events at exactly the last recorded time
        while not drill.ended and drill.next_event_time() <= last and len(drill.records) < len(records):
            drill.env.step()
    return drill


def _next_real(records: list[Record], seq: int) -> Record:
    """The first record at or after ``seq`` that is not a block of metric samples (formats 2 and 3 write a
    block just before a record, whether an input or an event of the world wrote it)."""
    for record in records[seq:]:
        if record["type"] != "metric_samples":
            return record
    return records[-1]


COPIES = frozenset({"scenario", "roster", "scenario_hash", "roster_hash"})
"""``drill_started`` fields checked by :func:`start_models` instead: the copies as the drill's drillsim
dumped them (a later version dumps new fields with their defaults), and their hashes."""


def _comparable(record: Record) -> Record:
    if record.get("type") == "drill_started":
        return {k: v for k, v in record.items() if k not in IGNORED and k not in COPIES}
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


def _stub_pair(a: Record, b: Record) -> bool:
    """Two ``metric_samples`` records of which one is kept in memory without its samples (``values: {}``)."""
    return a.get("type") == b.get("type") == "metric_samples" and (a.get("values") == {} or b.get("values") == {})


def first_difference(original: list[Record], replayed: list[Record]) -> Difference | None:
    """The first record where the replay differs from the journal, or None."""
    for seq, expected in enumerate(original):
        if seq >= len(replayed):
            return Difference(seq, _comparable(expected), None)
        got = replayed[seq]
        if _stub_pair(expected, got):
            # a drill with a journal keeps a block of samples without them (they are on disk)
            expected, got = {**expected, "values": {}}, {**got, "values": {}}
        if _comparable(expected) != _comparable(got):
            return Difference(seq, _comparable(expected), _comparable(got))
    if len(replayed) > len(original) and original[-1].get("type") == "drill_ended":
        return Difference(len(original), None, _comparable(replayed[len(original)]))
    return None


def verify(records: list[Record]) -> tuple[str, bool] | None:
    """A journal's integrity check beyond its shape: ``None`` when it holds, else ``(what failed, fatal)``,
    the message in one line starting with the record's position (``record 12: ...``).

    Fatal: the scenario or roster copy is not valid, or does not match its recorded hash (the copy
    was edited). Not fatal: the recorded inputs, re-applied, do not give the same journal, which an
    edit does, but so does a journal written by an earlier drillsim build (engines change).
    Every failure is a message, never an exception: a journal is hostile input too.
    """
    try:
        start_models(records[0])
    except ReplayError as exc:
        return str(exc), True
    try:
        drill = rebuild(records)
    except ReplayError as exc:
        return str(exc), False
    except Exception as exc:  # the engine refusing an input no drill could have recorded
        return f"the journal cannot be replayed ({type(exc).__name__}: {exc})", False
    difference = first_difference(records, drill.records)
    if difference is None:
        return None
    detail = re.sub(r"^record \d+:? ?", "", str(difference))
    return f"record {difference.seq}: the journal does not replay to the same drill: {detail}", False


def located(path: object, message: str) -> str:
    """``path:line: message``: a message about ``record N`` is at line N + 1 of the journal (one
    record a line), anything about the drill's start at line 1."""
    match = re.match(r"record (\d+)\b", message)
    line = int(match.group(1)) + 1 if match else 1
    return f"{path}:{line}: {message}"


def check(records: list[Record]) -> Difference | None:
    """Replay a journal and return its first difference, or None when it reproduces exactly."""
    drill = rebuild(records)
    return first_difference(records, drill.records)
