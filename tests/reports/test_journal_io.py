from __future__ import annotations

import json

import pytest
from drillsim.reports.journal_io import JournalReadError, atomic_write, read_journal


def test_torn_last_line_is_skipped_with_a_warning(tmp_path):
    from conftest import JOURNALS

    warnings: list[str] = []
    records = read_journal(JOURNALS / "torn.jsonl", warnings)
    assert records[-1]["type"] == "drill_ended"
    assert len(warnings) == 1 and "cut mid-write" in warnings[0]


def test_run_folder_and_bad_middle_line(tmp_path):
    lines = [
        json.dumps({"seq": 0, "t": 0, "type": "drill_started"}),
        "{not json",
        json.dumps({"seq": 1, "t": 1, "type": "note"}),
    ]
    (tmp_path / "journal.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(JournalReadError, match=":2:"):
        read_journal(tmp_path)
    (tmp_path / "journal.jsonl").write_text(lines[0] + "\n")
    assert read_journal(tmp_path)[0]["type"] == "drill_started"
    with pytest.raises(JournalReadError):
        read_journal(tmp_path / "missing")


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "sub" / "a.txt"
    atomic_write(target, "one")
    atomic_write(target, b"two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["a.txt"]
