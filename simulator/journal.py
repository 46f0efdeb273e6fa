"""The journal (JSON Lines, append-only) and the run folder a drill writes into.

Inputs are flushed and fsync'd as they are written, so a drill killed mid-way loses no
participant or facilitator input; other records are regenerated on resume. If the disk
refuses a write (unwritable folder, full disk) the writer stops writing, keeps a warning,
and the drill goes on in memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

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


def encode(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@dataclass
class JournalWriter:
    """Appends records to ``journal.jsonl``; inputs are flushed and fsync'd at once."""

    path: Path
    append: bool = False
    warnings: list[str] = field(default_factory=list)
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
            if sync:
                self._file.flush()
                os.fsync(self._file.fileno())
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
        except OSError as exc:
            self._fail(exc)

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


def read_journal(path: Path) -> JournalRead:
    """Read a journal; a torn last line (a write cut by a crash) is dropped with a warning."""
    if path.is_dir():
        path = path / JOURNAL_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise JournalError(f"{path}: no such journal") from None
    except OSError as exc:
        raise JournalError(f"{path}: cannot read: {exc.strerror or exc}") from None
    lines = raw.split(b"\n")
    records: list[dict[str, Any]] = []
    warnings: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
            if not isinstance(record, dict) or "type" not in record or "seq" not in record:
                raise ValueError("not a journal record")
        except (ValueError, UnicodeDecodeError) as exc:
            last = all(not rest.strip() for rest in lines[number:])
            if last:
                warnings.append(
                    f"{path}:{number}: the last record was cut mid-write; recovered up to record {number - 1}"
                )
                break
            raise JournalError(f"{path}:{number}: not a journal record ({exc})") from None
        records.append(record)
    if not records:
        raise JournalError(f"{path}: the journal is empty")
    if records[0].get("type") != "drill_started":
        raise JournalError(f"{path}:1: a journal starts with a drill_started record")
    return JournalRead(records, warnings)


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Replace a file so readers see the old or the new content, never half: a uniquely named
    temp file in the same folder, written, fsync'd, then renamed over the target."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return target
