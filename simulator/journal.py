"""The journal (JSON Lines, append-only) and the run folder a drill writes into.

Inputs are flushed and fsync'd as they are written, so a drill killed mid-way loses no
participant or facilitator input; other records are regenerated on resume. If the disk
refuses a write (unwritable folder, full disk) the writer stops writing, keeps a warning,
and the drill goes on in memory.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from drillsim.simulator.files import FileRefused, read_limited
from drillsim.simulator.text import escape_all

JOURNAL_NAME = "journal.jsonl"


def slug(text: str, limit: int = 40) -> str:
    """A filesystem-safe name on any OS: lower-case ``[a-z0-9-]``, never empty, never a path."""
    normalised = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", normalised.lower()).strip("-")
    return cleaned[:limit].strip("-") or "drill"


def new_folder(root: Path, base: str) -> Path:
    """Create ``<root>/<base>/`` exclusively; when it exists, ``<base>-2``, ``<base>-3`` ..."""
    root.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        candidate = root / (base if n == 1 else f"{base}-{n}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"too many folders named {base} in {root}")


def new_run_folder(out: Path, team: str, scenario_id: str, now: datetime | None = None) -> Path:
    """Create ``<out>/<YYYYMMDD-HHMMSS>-<team>-<scenario>/``; a second drill in the same second gets ``-2``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return new_folder(out, f"{stamp}-{slug(team)}-{slug(scenario_id)}")


def _finite(value: Any) -> Any:
    """``value`` with every float that is not finite (NaN, infinity) replaced by ``None``."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def encode(record: dict[str, Any]) -> str:
    """One journal line (without its newline): strict JSON, always. A NaN or an infinity (a metric
    overflowing in an extreme scenario) is written as ``null`` rather than as the non-JSON ``NaN``,
    and rather than losing the record."""
    try:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:
        return json.dumps(_finite(record), ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@dataclass
class JournalWriter:
    """Appends records to ``journal.jsonl``; inputs are flushed and fsync'd at once."""

    path: Path
    append: bool = False
    warnings: list[str] = field(default_factory=list)
    written: int = field(default=0, init=False)
    """Records handed to the file by this writer (some may still be in a buffer)."""
    synced: int = field(default=0, init=False)
    """Records of this writer known to be on disk (fsync'd): the journal holds at least these."""
    failed: bool = field(default=False, init=False)
    """The disk refused a write: records after ``synced`` may be missing from the journal."""
    _file: TextIO | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        try:
            self._file = open(self.path, "a" if self.append else "x", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            self._fail(exc)

    @property
    def ok(self) -> bool:
        return self._file is not None

    def _fail(self, exc: OSError) -> None:
        self.failed = True
        self.warnings.append(
            f"cannot write the journal {self.path}: {exc.strerror or exc}; the drill goes on in memory only"
        )
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
        self._file = None

    def write(self, record: dict[str, Any], sync: bool = False) -> None:
        if self._file is None:
            return
        try:
            self._file.write(encode(record) + "\n")
            self.written += 1
            # every record goes to the operating system at once (a killed process loses nothing it wrote;
            # readers such as a host's seats see it); inputs are also fsync'd (a crashed machine loses none)
            self._file.flush()
            if sync:
                os.fsync(self._file.fileno())
                self.synced = self.written
        except OSError as exc:
            self._fail(exc)

    def write_all(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            self.write(record)
        self.sync()

    def sync(self) -> None:
        if self._file is None:
            return
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self.synced = self.written
        except OSError as exc:
            self._fail(exc)

    @property
    def complete(self) -> bool:
        """Every record handed to this writer is on disk (fsync'd), and no write failed."""
        return not self.failed and self.synced == self.written

    def close(self) -> None:
        if self._file is not None:
            self.sync()
            if self._file is not None:
                self._file.close()
                self._file = None


class JournalError(Exception):
    """A journal that cannot be read at all (missing, empty, not a drill journal)."""


@dataclass(frozen=True)
class JournalRead:
    records: list[dict[str, Any]]
    warnings: list[str]


MAX_JOURNAL_BYTES = 256 * 1024 * 1024
"""The largest journal read (256 MiB); a 4-day drill, the longest by default, writes about 17 MB."""

_NUMBER = (int, float)
_OPTIONAL_TEXT = (str, type(None))
INPUT_FIELDS: dict[str, dict[str, tuple[type, ...]]] = {
    "action_submitted": {"action": (str,), "by": _OPTIONAL_TEXT, "source": (str,)},
    "decision_answered": {"inject": (str,), "action": (str,)},
    "facilitator_inject": {"text": (str,), "to": (str,), "channel": (str,), "from": _OPTIONAL_TEXT},
    "note": {"text": (str,), "author": (str,)},
    "paused": {},
    "resumed": {},
    "speed_changed": {"speed": _NUMBER},
    "drill_ended": {"reason": (str,)},
    "rating_override": {"objective": (str,), "rating": (str,), "reason": _OPTIONAL_TEXT},
    "hotwash": {"kind": _OPTIONAL_TEXT, "text": (str,), "replaces": (int,), "removed": (bool,)},
    "observation": {
        "objective": (str,),
        "task": _OPTIONAL_TEXT,
        "text": (str,),
        "rating": _OPTIONAL_TEXT,
        "author": (str,),
    },
    "feedback": {"participant": _OPTIONAL_TEXT, "ratings": (dict,), "answers": (dict,)},
}
"""The inputs a journal may hold and the type of each of their fields (the replay reads these)."""
START_FIELDS: dict[str, tuple[type, ...]] = {
    "seed": (int,),
    "speed": _NUMBER,
    "scenario": (dict,),
    "roster": (dict,),
    "scenario_hash": (str,),
    "team": _OPTIONAL_TEXT,
    "label": _OPTIONAL_TEXT,
    "policy": _OPTIONAL_TEXT,
    "participants": (dict, type(None)),
}
_TYPE_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
_NAMES = {int: "a whole number", float: "a number", str: "text", dict: "a mapping", list: "a list", bool: "true/false"}


def _wanted(types: tuple[type, ...]) -> str:
    names = [_NAMES.get(t, "nothing") for t in types if t is not float or int not in types]
    return " or ".join(dict.fromkeys(names))


def _got(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    return {int: "a whole number", float: "a number", str: "text", dict: "a mapping", list: "a list"}.get(
        type(value), type(value).__name__
    )


def _type_ok(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return bool in types
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return isinstance(value, types)


def record_problem(record: Any, index: int, previous_t: float) -> str | None:
    """What is wrong with the record at position ``index`` of a journal, or ``None``: its shape
    (a mapping with ``seq``, ``t`` and ``type``), ``seq`` equal to its position, ``t`` a finite,
    non-negative sim time that never goes back, and the fields of the inputs the replay re-applies."""
    if not isinstance(record, dict):
        return f"not a journal record (a JSON {_got(record)}, not a mapping)"
    kind = record.get("type")
    if not isinstance(kind, str) or not _TYPE_NAME.fullmatch(kind):
        return f"the record type {kind!r} is not a record type" if "type" in record else "the record has no 'type'"
    seq = record.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int):
        return f"{kind}: 'seq' must be a whole number; got {_got(seq)}"
    if seq != index:
        return f"{kind}: 'seq' is {seq} where {index} was expected (records are missing, added or reordered)"
    t = record.get("t")
    if "t" not in record:
        return f"{kind}: the record has no sim time 't'"
    if isinstance(t, bool) or not isinstance(t, _NUMBER) or not math.isfinite(t):
        return f"{kind}: 't' must be a finite number of sim seconds; got {_got(t) if not isinstance(t, float) else t}"
    if t < 0 or t < previous_t:
        return f"{kind}: 't' is {t}, before the previous record's {previous_t} (sim time never goes back)"
    is_input = record.get("input", False)
    if not isinstance(is_input, bool):
        return f"{kind}: 'input' must be true or false; got {_got(is_input)}"
    if index == 0 or kind == "drill_started":
        if index != 0 or kind != "drill_started":
            return "a journal starts with a drill_started record, and only once"
        fields = START_FIELDS
    elif is_input:
        if kind not in INPUT_FIELDS:
            return f"{kind}: not an input this drillsim records"
        fields = INPUT_FIELDS[kind]
    else:
        return None
    for name, types in fields.items():
        if name in record and not _type_ok(record[name], types):
            return f"{kind}: '{name}' must be {_wanted(types)}; got {_got(record[name])}"
    speed = record.get("speed")
    if "speed" in fields and speed is not None and speed <= 0:
        return f"{kind}: 'speed' must be a positive number; got {speed}"
    return None


def _needs_escape(line: bytes) -> bool:
    """Whether a JSON line may hold a control character: an escape (``\\u001b``, ``\\r``) or non-ASCII bytes."""
    return not line.isascii() or b"\\u" in line or b"\\r" in line or b"\\b" in line or b"\\f" in line


def read_journal(path: Path) -> JournalRead:
    """Read and check a journal: a regular file of at most ``MAX_JOURNAL_BYTES``, JSON Lines whose
    records pass ``record_problem``. Raises ``JournalError`` naming the file and the line.

    Only a genuinely torn last write is forgiven: a last line *without its newline* that does not
    parse (a crash in the middle of a write) is dropped with a warning. A bad line that ends with
    a newline was written whole, so it is garbage or an edit, and refused. Control characters in
    any text of the journal come back escaped (``\\x1b``), so no consumer can send them to a terminal.
    """
    path = Path(path)
    if path.is_dir():
        path = path / JOURNAL_NAME
    try:
        raw = read_limited(path, MAX_JOURNAL_BYTES)
    except FileRefused as exc:
        raise JournalError(f"{path}: {exc.reason}") from None
    except FileNotFoundError:
        raise JournalError(f"{path}: no such journal") from None
    except OSError as exc:
        raise JournalError(f"{path}: cannot read: {exc.strerror or exc}") from None
    lines = raw.split(b"\n")
    records: list[dict[str, Any]] = []
    warnings: list[str] = []
    previous_t = 0.0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"), parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            if number == len(lines):  # the last chunk has no newline after it: a torn write
                warnings.append(
                    f"{path}:{number}: the last record was cut mid-write; recovered up to record {len(records)}"
                )
                break
            raise JournalError(f"{path}:{number}: not a journal record ({_unreadable(exc)})") from None
        problem = record_problem(record, len(records), previous_t)
        if problem is not None:
            raise JournalError(f"{path}:{number}: {problem}")
        if _needs_escape(line):
            record = escape_all(record)
        previous_t = float(record["t"])
        records.append(record)
    if not records:
        if warnings:  # the only record there is was cut mid-write
            raise JournalError(f"{path}: its only record was cut mid-write: nothing of the drill was recorded")
        raise JournalError(f"{path}: the journal is empty")
    return JournalRead(records, warnings)


def _unreadable(exc: Exception) -> str:
    """Why a journal line is not JSON, in words (not Python's: 'codec can't decode byte 0xff...')."""
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at column {exc.colno}"
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text at byte {exc.start + 1} of the line"
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply"
    if "digits" in str(exc):  # int('9' * 5000): Python refuses integers of more than 4,300 digits
        return "a number with thousands of digits"
    return str(exc) or type(exc).__name__


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def atomic_write(path: str | os.PathLike[str], data: str | bytes, mode: int = 0o644) -> Path:
    """Replace a file so readers see the old or the new content, never half: a uniquely named
    temp file in the same folder, written, fsync'd, then renamed over the target. The file has
    ``mode`` from the start (``0o600``: its owner alone ever reads it)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return target
