"""Crash safety: a real drill process killed with SIGKILL loses no acknowledged input."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from drillsim.simulator.journal import read_journal
from drillsim.simulator.replay import first_difference, rebuild

ROOT = Path(__file__).resolve().parents[1]


def kill_and_resume(tmp_path: Path, seed: int, acks_before_kill: int) -> tuple[set[int], list[dict]]:
    env = dict(os.environ)
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "drive_drill.py"), str(tmp_path), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    folder = None
    acked: set[int] = set()
    for line in proc.stdout:
        if line.startswith("RUN "):
            folder = Path(line.split(" ", 1)[1].strip())
        elif line.startswith("ACK "):
            acked.add(int(line.split()[1]))
            if len(acked) >= acks_before_kill:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert folder is not None
    read = read_journal(folder)
    return acked, read.records


@pytest.mark.serial
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_loses_no_acknowledged_input_and_resumes(tmp_path: Path, seed: int) -> None:
    acks = random.Random(seed).randint(3, 25)
    acked, records = kill_and_resume(tmp_path, seed, acks)
    recorded_inputs = {r["seq"] for r in records if r.get("input")}
    assert acked <= recorded_inputs, "every input acknowledged on screen is in the journal"
    drill = rebuild(records)
    assert first_difference(records, drill.records) is None, "the journal rebuilds to the same drill"
    # the resumed drill goes on from where it stopped
    before = drill.now
    drill.advance_to(before + 60)
    assert drill.ended or drill.now == before + 60


def test_torn_write_is_recovered_up_to_the_last_whole_record(tmp_path: Path) -> None:
    _acked, records = kill_and_resume(tmp_path, 4, 5)
    folder = next(tmp_path.iterdir())
    journal = folder / "journal.jsonl"
    whole = journal.read_text()
    journal.write_text(whole + json.dumps({"seq": len(records), "t": 1.0, "type": "note", "text": "cut"})[:20])
    read = read_journal(journal)
    assert [r["seq"] for r in read.records] == [r["seq"] for r in records]
    assert read.warnings and "cut mid-write" in read.warnings[0]
