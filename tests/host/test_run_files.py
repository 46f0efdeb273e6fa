"""The run folder's host files: join codes (0600) and the client ids resolved against the journal after a crash."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from drillsim.host.run import CODE_BYTES, HostRunError, InputLog, new_codes, read_codes, write_codes
from drillsim.simulator.engine import Drill
from drillsim.simulator.model import Roster, Scenario


def test_codes_are_long_random_distinct_and_readable_by_the_owner_only(tmp_path: Path) -> None:
    codes = new_codes(["controller", "room", "crisis-lead"])
    assert len(set(codes.values())) == 3
    assert CODE_BYTES * 8 >= 128
    assert all(len(code) == 4 * CODE_BYTES // 3 for code in codes.values())  # base64 of CODE_BYTES random bytes
    path = write_codes(tmp_path, codes)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert read_codes(tmp_path) == codes
    with pytest.raises(HostRunError, match="not hosted"):
        read_codes(tmp_path / "elsewhere")


def test_a_client_id_counts_as_applied_only_if_the_journal_has_its_input(
    tmp_path: Path, scenario: Scenario, crisis: Roster
) -> None:
    drill = Drill(scenario, crisis, 7)
    drill.advance_to(200)
    log = InputLog(tmp_path / "seat-inputs.jsonl")
    log.intent("crisis-lead", "a1", "submit", len(drill.records))
    drill.submit("activate-playbook", "Avery")  # applied
    drill.advance_to(400)
    log.intent("crisis-lead", "a2", "submit", len(drill.records))
    drill.submit("no-such-action", "Avery")  # applied, and refused by the engine
    drill.advance_to(500)
    log.intent("ai-ops-engineer", "b1", "submit", len(drill.records))  # the host died before applying it
    with open(log.path, "a", encoding="utf-8") as handle:
        handle.write('{"seat": "room", "id": "torn"')  # a line cut by the crash
    again = InputLog(log.path)
    again.load(drill.records)
    first = again.acks[("crisis-lead", "a1")]
    assert first.ok and drill.records[first.seq or 0]["action"] == "activate-playbook"
    second = again.acks[("crisis-lead", "a2")]
    assert not second.ok and "no action" in (second.reason or "")
    assert ("ai-ops-engineer", "b1") not in again.acks  # a resend is applied: it never was
    assert all(json.loads(line) for line in log.path.read_text().splitlines()[:3])
