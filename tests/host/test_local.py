"""The host in-process (host.local): the same core as drillsim host, with seats and no socket."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from drillsim.host.clock import SimClock
from drillsim.host.local import LocalHost
from drillsim.host.protocol import ProtocolError
from drillsim.host.views import seat_view
from drillsim.simulator.session import load_pair, start_run


class Wall:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def started(tmp_path: Path, *, in_memory: bool = False) -> tuple[LocalHost, Wall]:
    run = start_run(load_pair("flash-sale-latency", "crisis-team"), seed=7, out=tmp_path, speed=60, in_memory=in_memory)
    wall = Wall()
    return LocalHost(run.drill, run.folder, clock=SimClock(wall)), wall


def on_disk(folder: Path) -> list[dict[str, Any]]:
    lines = (folder / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def run_to(local: LocalHost, wall: Wall, t: float) -> None:
    for _ in range(10_000):
        if local.drill.now >= t or local.drill.ended:
            return
        wall.now += 1.0  # one wall second: a sim minute at 60x
        local.tick()


async def test_a_local_seat_plays_a_drill_and_each_input_is_on_disk_when_acknowledged(tmp_path: Path) -> None:
    local, wall = started(tmp_path)
    folder = local.core.folder
    assert folder is not None
    seat = local.seat()
    assert seat.kind == "controller"
    run_to(local, wall, 240)
    assert any(m["id"] == "detected" for m in seat.view()["milestones"])
    ack = await seat.send("submit", action="activate-playbook")
    assert ack.ok and ack.seq is not None
    assert local.drill.journal.synced >= ack.seq  # type: ignore[union-attr]  (fsync'd before the ack)
    record = on_disk(folder)[ack.seq]
    assert record["type"] == "action_submitted" and record["action"] == "activate-playbook" and record["by"] == "Avery"
    ack = await seat.send("pause")
    assert ack.ok and on_disk(folder)[ack.seq]["type"] == "paused"
    paused_at = local.drill.now
    wall.now += 30  # paused: the clock does not move the drill
    local.tick()
    assert local.drill.now == paused_at and seat.view()["paused"]
    await seat.send("resume")
    ack = await seat.send("end")
    assert ack.ok and local.drill.ended and on_disk(folder)[-1]["type"] == "drill_ended"
    local.close()


async def test_a_resend_is_answered_not_applied_twice(tmp_path: Path) -> None:
    local, wall = started(tmp_path)
    seat = local.seat("crisis-lead")
    run_to(local, wall, 240)
    first = await seat.send("submit", client_id="c1", action="activate-playbook")
    again = await seat.send("submit", client_id="c1", action="activate-playbook")
    assert again == first
    submitted = [r for r in local.drill.records if r["type"] == "action_submitted"]
    assert len(submitted) == 1
    # the client id is in seat-inputs.jsonl before the input is applied: a host resumed after a crash knows it
    intents = (local.core.folder / "seat-inputs.jsonl").read_text().splitlines()
    assert json.loads(intents[-1])["id"] == "c1"
    local.close()


async def test_a_local_role_seat_has_the_remote_seats_rights(tmp_path: Path) -> None:
    local, wall = started(tmp_path)
    lead = local.seat("crisis-lead")
    assert lead.kind == "role" and lead.member == "Avery"
    run_to(local, wall, 240)
    length = len(local.drill.records)
    for kind, fields, code in [
        ("submit", {"action": "rollback-model"}, "not-your-role"),
        ("submit", {"action": "activate-playbook", "by": "Blake"}, "not-your-member"),
        ("end", {}, "not-allowed"),
        ("inject", {"text": "hello"}, "not-allowed"),
        ("submit", {"action": "x\x1b[2J"}, "bad-field"),
        ("format-disk", {}, "unknown-type"),
    ]:
        with pytest.raises(ProtocolError) as refused:
            await lead.send(kind, **fields)
        assert refused.value.code == code, kind
    assert len(local.drill.records) == length, "a refused input reached the journal"
    with pytest.raises(ProtocolError):
        await local.seat("room").send("submit", action="activate-playbook")
    local.close()


async def test_local_views_are_the_hosts_views_and_come_only_when_they_change(tmp_path: Path) -> None:
    local, wall = started(tmp_path)
    controller = local.seat()
    lead = local.seat("crisis-lead")
    await controller.send("note", text="CONTROLLER-ONLY: they missed the schema change")
    run_to(local, wall, 300)
    view = lead.changed()
    assert view is not None and lead.changed() is None  # nothing changed since: nothing new
    assert view == seat_view(local.drill, "crisis-lead", local.core.audiences, local.core.snapshot())
    assert "CONTROLLER-ONLY" not in json.dumps(view) and "fault_label" not in json.dumps(view)
    assert "CONTROLLER-ONLY" in json.dumps(controller.view())
    wall.now += 1.0
    local.tick()
    assert lead.changed() is not None  # the clock moved
    assert lead.drill_view().t == local.drill.now
    assert {a.id for a in lead.actions()} == {a.id for a in local.drill.scenario.actions if a.role == "crisis-lead"}
    local.close()


async def test_a_held_clock_stops_the_drill_without_a_pause(tmp_path: Path) -> None:
    local, wall = started(tmp_path)
    run_to(local, wall, 120)
    at = local.drill.now
    local.clock.hold(at)  # a facilitator dialog is open
    wall.now += 60
    local.tick()
    assert local.drill.now == at and not local.drill.paused
    local.clock.release()
    wall.now += 1
    local.tick()
    assert local.drill.now == pytest.approx(at + 60)
    assert not any(r["type"] == "paused" for r in local.drill.records)
    local.close()


async def test_an_acknowledgement_waits_for_a_journal_that_fsyncs_in_the_background(tmp_path: Path) -> None:
    from drillsim.tui.session import BackgroundJournal, background_journal

    run = start_run(load_pair("flash-sale-latency", "crisis-team"), seed=7, out=tmp_path, speed=60)
    background_journal(run.drill)  # what the TUI's start_drill does: fsyncs off the frame path
    wall = Wall()
    local = LocalHost(run.drill, run.folder, clock=SimClock(wall))
    journal = local.drill.journal
    assert isinstance(journal, BackgroundJournal)
    run_to(local, wall, 240)
    ack = await local.seat().send("submit", action="activate-playbook")
    assert ack.seq is not None and journal.synced >= ack.seq
    local.close()


async def test_a_drill_in_memory_plays_through_the_local_host(tmp_path: Path) -> None:
    local, wall = started(tmp_path / "nowhere", in_memory=True)
    assert local.core.folder is None and local.drill.journal is None
    run_to(local, wall, 240)
    assert (await local.seat().send("submit", action="activate-playbook")).ok
    assert not (tmp_path / "nowhere").exists()


async def test_a_resumed_drills_local_seat_is_not_answered_with_the_last_processs_acks(tmp_path: Path) -> None:
    """seat-inputs.jsonl keeps the client ids of the process before a resume: a new local seat's ids differ."""
    from drillsim.simulator.session import resume_run

    local, wall = started(tmp_path)
    run_to(local, wall, 240)
    await local.seat().send("note", text="before the crash")
    folder = local.core.folder
    local.close()
    assert folder is not None
    resumed = resume_run(folder)
    again = LocalHost(resumed.drill, folder, clock=SimClock(Wall()))
    ack = await again.seat().send("note", text="after the resume")
    notes = [r["text"] for r in again.drill.records if r["type"] == "note"]
    assert ack.ok and notes == ["before the crash", "after the resume"]
    again.close()


async def test_post_applies_at_once_and_acknowledges_once_on_disk(tmp_path: Path) -> None:
    local, wall = started(tmp_path)
    run_to(local, wall, 240)
    seat = local.seat()
    ack, recorded = seat.post("submit", action="activate-playbook")
    assert local.drill.records[ack.seq]["action"] == "activate-playbook"  # type: ignore[index]  (applied now)
    assert await recorded == ack
    assert on_disk(local.core.folder)[ack.seq]["type"] == "action_submitted"
    ack = await seat.send(
        "observe", objective=local.drill.scenario.objectives[0].id, task=None, text="seen", rating="S"
    )
    assert local.drill.records[ack.seq]["type"] == "observation"
    with pytest.raises(ProtocolError):
        await seat.send("observe", objective="no-such-objective", text="seen")
    local.close()
