"""Reading a run folder's journal and writing report files atomically.

The journal is the only input of ``reports``: one JSON object a line, the first a
``drill_started`` record (see docs/architecture.md). The reading and the atomic writes are
the engine's own (``simulator.journal``): a torn last line (a drill killed mid-write) is
skipped with a warning, and files are replaced via a fsync'd temp file and a rename.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from drillsim.simulator.journal import JOURNAL_NAME, atomic_write, encode
from drillsim.simulator.journal import JournalError as JournalReadError
from drillsim.simulator.journal import read_journal as _read_journal

__all__ = ["JOURNAL_NAME", "JournalReadError", "atomic_write", "journal_path", "read_journal", "write_journal"]

log = logging.getLogger(__name__)


def journal_path(run: str | os.PathLike[str]) -> Path:
    """The journal of a run folder (or the path itself when it names a file)."""
    path = Path(run)
    return path / JOURNAL_NAME if path.is_dir() else path


def read_journal(run: str | os.PathLike[str], warnings: list[str] | None = None) -> list[dict[str, Any]]:
    """The records of a run folder's ``journal.jsonl`` (or of a journal file).

    A torn last line is skipped: the warning is appended to ``warnings`` when a list is given (its caller
    says it, once), else logged. A bad line anywhere else, an empty journal or one not starting with
    ``drill_started`` raises ``JournalReadError``.
    """
    read = _read_journal(journal_path(run))
    for message in read.warnings:
        if warnings is not None:
            warnings.append(message)
        else:
            log.warning(message)
    return read.records


def write_journal(path: str | os.PathLike[str], records: list[dict[str, Any]]) -> None:
    """Write records as JSON Lines (atomically); used for fixtures and par journals."""
    atomic_write(path, "".join(encode(r) + "\n" for r in records))
