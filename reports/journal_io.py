"""Reading a run folder's journal and writing report files atomically.

The journal is the only input of ``reports``: one JSON object a line, the first a
``drill_started`` record (see docs/architecture.md). A drill killed mid-write can leave a
torn last line; it is skipped with a warning. Report files are written so a reader sees
the old or the new content, never half of it: a temp file in the same folder, written,
flushed and fsync'd, then ``os.replace``'d over the target.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

JOURNAL_NAME = "journal.jsonl"

log = logging.getLogger(__name__)


class JournalReadError(Exception):
    """A journal that cannot be read at all: missing, empty, not a drill journal, or corrupt before its end."""


def journal_path(run: str | os.PathLike[str]) -> Path:
    """The journal of a run folder (or the path itself when it names a file)."""
    path = Path(run)
    return path / JOURNAL_NAME if path.is_dir() else path


def read_journal(run: str | os.PathLike[str], warnings: list[str] | None = None) -> list[dict[str, Any]]:
    """Read the records of a run folder's ``journal.jsonl`` (or of a journal file).

    A last line that is not a complete JSON record (a write cut by a crash) is skipped:
    the warning is logged and appended to ``warnings`` when a list is given. A bad line
    anywhere else raises ``JournalReadError``, as does a journal not starting with
    ``drill_started``.
    """
    path = journal_path(run)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise JournalReadError(f"{path}: no such journal") from None
    except OSError as exc:
        raise JournalReadError(f"{path}: cannot read: {exc.strerror or exc}") from None
    lines = raw.split(b"\n")
    last_content = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    records: list[dict[str, Any]] = []
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
            if not isinstance(record, dict) or "type" not in record:
                raise ValueError("not a journal record")
        except (ValueError, UnicodeDecodeError) as exc:
            if index == last_content:
                message = f"{path}:{index + 1}: the last line was cut mid-write and is skipped"
                log.warning(message)
                if warnings is not None:
                    warnings.append(message)
                break
            raise JournalReadError(f"{path}:{index + 1}: not a journal record ({exc})") from None
        records.append(record)
    if not records:
        raise JournalReadError(f"{path}: the journal is empty")
    if records[0].get("type") != "drill_started":
        raise JournalReadError(f"{path}:1: a journal starts with a drill_started record")
    return records


def write_journal(path: str | os.PathLike[str], records: list[dict[str, Any]]) -> None:
    """Write records as JSON Lines (atomically); used for fixtures and par journals."""
    text = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)
    atomic_write(path, text)


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Replace ``path`` with ``data`` atomically: temp file in the same folder, fsync, ``os.replace``."""
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
