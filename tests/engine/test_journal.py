"""The journal on disk, the run folder and rebuilding a drill from a journal."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from drillsim.simulator.engine import Drill
from drillsim.simulator.journal import JournalError, JournalWriter, new_run_folder, read_journal, slug
from drillsim.simulator.replay import check, first_difference, rebuild


def test_run_folder_names_are_safe_and_unique(tmp_path: Path) -> None:
    now = datetime(2026, 11, 22, 10, 0, 0)
    first = new_run_folder(tmp_path, "../../etc/Ops Team ☃", "flash-sale", now)
    second = new_run_folder(tmp_path, "../../etc/Ops Team ☃", "flash-sale", now)
    assert first.name == "20261122-100000-etc-ops-team-flash-sale"
    assert second.name == first.name + "-2"
    assert first.parent == tmp_path and second.parent == tmp_path
    assert slug("") == "drill" and slug("CON") == "con" and "/" not in slug("a/b\\c:d")


def test_journal_is_written_with_inputs_synced_and_read_back(tmp_path: Path, scenario, roster) -> None:
    writer = JournalWriter(tmp_path / "journal.jsonl")
    drill = Drill(scenario, roster, seed=5, journal=writer)
    drill.advance_to(90)
    drill.submit("ack")
    # the input is on disk at once, before any close or flush by us
    on_disk = (tmp_path / "journal.jsonl").read_text().splitlines()
    assert json.loads(on_disk[-1])["type"] == "action_submitted"
    drill.advance_to(1000)
    writer.close()
    read = read_journal(tmp_path)
    assert read.warnings == []
    # in memory, a block of samples keeps its totals only (memory stays flat); on disk it has its samples
    assert [{**r, "values": {}} if r["type"] == "metric_samples" else r for r in read.records] == json.loads(
        json.dumps(drill.records)
    )
    in_memory = Drill(scenario, roster, seed=5)
    in_memory.advance_to(90)
    in_memory.submit("ack")
    in_memory.advance_to(1000)
    assert [{k: v for k, v in r.items() if k != "wall"} for r in read.records] == [
        {k: v for k, v in r.items() if k != "wall"} for r in json.loads(json.dumps(in_memory.records))
    ]
    assert sum(len(r["values"]["latency"]) for r in read.records if r["type"] == "metric_samples") == 121
    assert read.records[0]["scenario_hash"] == scenario.content_hash()
    assert read.records[-1]["type"] == "drill_ended"


def test_torn_last_line_is_recovered_with_a_message(tmp_path: Path, scenario, roster) -> None:
    drill = Drill(scenario, roster, seed=5)
    drill.advance_to(120)
    path = tmp_path / "journal.jsonl"
    text = "".join(json.dumps(r) + "\n" for r in drill.records)
    path.write_text(text + '{"seq": 999, "t": 12')
    read = read_journal(path)
    assert len(read.records) == len(drill.records)
    assert "cut mid-write" in read.warnings[0]
    path.write_text('{"seq": 0, "t": 0, "type": "note"}\n')
    with pytest.raises(JournalError, match="starts with a drill_started"):
        read_journal(path)
    (tmp_path / "empty.jsonl").write_text("")
    with pytest.raises(JournalError, match="empty"):
        read_journal(tmp_path / "empty.jsonl")


def test_unwritable_folder_keeps_the_drill_in_memory(tmp_path: Path, scenario, roster) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o500)
    try:
        writer = JournalWriter(locked / "journal.jsonl")
        if writer.ok:  # running as root: permissions do not bind; simulate a full disk instead
            writer._fail(OSError(28, "No space left on device"))
        drill = Drill(scenario, roster, seed=5, journal=writer)
        drill.advance_to(100)
        drill.submit("ack")
        assert not writer.ok and "in memory" in writer.warnings[0]
        assert drill.records[-1]["type"] == "action_submitted"
    finally:
        os.chmod(locked, 0o700)


def test_rebuild_from_a_cut_journal_resumes_identically(scenario, roster) -> None:
    full = Drill(scenario, roster, seed=9, wall="w")
    full.advance_to(90)
    full.submit("ack")
    full.advance_to(130)
    full.note("halfway")
    full.advance_to(150)
    full.submit("rollback")
    full.advance_to(1000)
    cut = [r for r in full.records if r["t"] <= 140]
    resumed = rebuild(cut)
    assert first_difference(cut, resumed.records) is None
    resumed.advance_to(150)
    resumed.submit("rollback")
    resumed.advance_to(1000)
    assert first_difference(full.records, resumed.records) is None


def test_replay_check_names_the_first_difference(scenario, roster) -> None:
    drill = Drill(scenario, roster, seed=9)
    drill.advance_to(90)
    drill.submit("ack")
    drill.advance_to(1000)
    assert check(drill.records) is None
    tampered = [dict(r) for r in drill.records]
    index = next(i for i, r in enumerate(tampered) if r["type"] == "action_started")
    tampered[index]["member"] = "Bo"
    difference = check(tampered)
    assert difference is not None and difference.seq == index
    assert "member: journal 'Bo' vs replay 'Ana'" in str(difference)


def test_a_note_after_the_time_limit_replays_after_the_end(scenario, roster) -> None:
    drill = Drill(scenario, roster, seed=0)
    drill.advance_to(scenario.duration + 1)
    drill.note("hotwash: the page went to the right person")
    assert [r["type"] for r in drill.records[-2:]] == ["drill_ended", "note"]
    assert check(drill.records) is None


def test_autoplay_fsyncs_only_at_the_end_and_a_person_s_input_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scenario, roster
) -> None:
    from drillsim.simulator.policies import play

    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    writer = JournalWriter(tmp_path / "auto.jsonl")
    drill = play(scenario, roster, seed=2, policy="playbook", journal=writer)
    inputs = [r for r in drill.records if r.get("input")]
    assert inputs, "the policy's submissions are inputs in the journal"
    assert len(synced) == 1  # the policy re-runs its inputs: one fsync when the drill ends
    writer.close()
    synced.clear()
    person = Drill(scenario, roster, seed=2, journal=JournalWriter(tmp_path / "person.jsonl"))
    person.advance_to(90)
    person.submit("ack")
    person.note("ack sent")
    assert len(synced) == 2  # each typed input is on disk before the call returns
