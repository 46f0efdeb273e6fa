"""A real host process on 127.0.0.1 and seats over real sockets: views, inputs, reconnects, a killed host, hostile frames."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from .conftest import HostProcess, Seat

pytestmark = pytest.mark.serial

ROLES = ("crisis-lead", "ai-ops-engineer", "communications-manager")


def join(host: HostProcess, seat: str) -> Seat:
    joined = Seat(host.url, seat, host.codes[seat])
    assert joined.welcome["type"] == "welcome", joined.welcome
    return joined


def start(host: HostProcess) -> Seat:
    controller = join(host, "controller")
    assert controller.ack(controller.input("resume"))["ok"]
    return controller


def detected(seat: Seat) -> None:
    """Wait until the team may act: activate-playbook needs the 'detected' milestone."""
    seat.view(lambda v: any(m["id"] == "detected" for m in v["milestones"]), timeout=30)


def inputs(host: HostProcess) -> list[dict[str, Any]]:
    return [r for r in host.journal() if r.get("input")]


def test_each_seat_sees_only_its_own_injects_and_controller_lines_never_reach_a_role(host: HostProcess) -> None:
    seats = {role: join(host, role) for role in ROLES}
    room = join(host, "room")
    controller = start(host)
    # a controller-only line (a note) and an inject for one role only
    assert controller.ack(controller.input("note", text="CONTROLLER-ONLY: they missed the schema change"))["ok"]
    assert controller.ack(controller.input("inject", text="Regulator on line 2", to="communications-manager"))["ok"]
    for seat in seats.values():
        seat.view(lambda v: v["t"] > 400, timeout=30)
    room.view(lambda v: v["t"] > 400, timeout=30)
    journal = host.journal()
    injects = [r for r in journal if r["type"] == "inject"]
    assert injects
    for role, seat in seats.items():
        wire = "\n".join(seat.frames)
        assert "CONTROLLER-ONLY" not in wire
        assert '"controller":{' not in wire and "fault_label" not in wire
        last = seat.view()  # the next view (WAIT: a busy machine pushes late, never wrongly)
        seen = {item["seq"] for item in last["feed"]}
        for record in injects:
            assert (record["seq"] in seen) == (record["to"] in ("everyone", role)), (role, record["inject"])
        assert ("Regulator on line 2" in wire) == (role == "communications-manager")
    room_wire = "\n".join(room.frames)
    assert "CONTROLLER-ONLY" not in room_wire and "Regulator on line 2" not in room_wire
    assert "CONTROLLER-ONLY" in "\n".join(controller.frames)


def test_actions_are_attributed_to_the_seats_member_and_acknowledged_once_journaled(host: HostProcess) -> None:
    lead = join(host, "crisis-lead")
    ops = join(host, "ai-ops-engineer")
    assert lead.welcome["member"] == "Avery" and ops.welcome["member"] == "Blake"
    start(host)
    detected(lead)
    ack = lead.ack(lead.input("submit", action="activate-playbook"))
    assert ack["ok"], ack
    record = host.journal()[ack["seq"]]  # on disk when the ack came
    assert record["type"] == "action_submitted" and record["action"] == "activate-playbook" and record["by"] == "Avery"
    ack = ops.ack(ops.input("submit", action="check-change-log"))
    assert host.journal()[ack["seq"]]["by"] == "Blake"
    started = lead.view(lambda v: any(m["name"] == "Avery" and m["status"] in ("busy", "idle") for m in v["members"]))
    assert started


def test_a_seat_that_reconnects_gets_its_view_back_and_a_resend_is_not_applied_twice(host: HostProcess) -> None:
    lead = join(host, "crisis-lead")
    start(host)
    detected(lead)
    cid = lead.input("submit", action="activate-playbook")
    first = lead.ack(cid)
    assert first["ok"]
    lead.close()
    time.sleep(0.5)
    again = join(host, "crisis-lead")
    view = again.view()
    assert any(item["text"] for item in view["feed"])
    assert view["t"] > 0
    resent = again.ack(again.input("submit", client_id=cid, action="activate-playbook"))
    assert resent["ok"] and resent["seq"] == first["seq"] and resent.get("again")
    submitted = [r for r in inputs(host) if r["type"] == "action_submitted" and r["action"] == "activate-playbook"]
    assert len(submitted) == 1


def test_a_killed_host_resumes_from_its_journal_and_the_seats_carry_on(
    host: HostProcess, host_factory: Callable[..., HostProcess]
) -> None:
    lead = join(host, "crisis-lead")
    controller = start(host)
    detected(lead)
    cid = lead.input("submit", action="activate-playbook")
    first = lead.ack(cid)
    lead.view(lambda v: v["t"] > 200, timeout=30)
    before = host.journal()
    host.kill()
    with pytest.raises((ConnectionClosed, TimeoutError, OSError)):
        lead.recv(5)
    controller.close()
    mode = stat.S_IMODE(os.stat(host.folder / "seats.json").st_mode)
    assert mode == 0o600
    port = host.url.rsplit(":", 1)[1]
    back = host_factory("resume", str(host.folder), "--host", "--port", port)
    assert back.codes == host.codes
    lead = join(back, "crisis-lead")  # the same code
    view = lead.view()
    assert view["paused"] and view["t"] >= before[-1]["t"] - 1
    resent = lead.ack(lead.input("submit", client_id=cid, action="activate-playbook"))
    assert resent["seq"] == first["seq"]
    controller = join(back, "controller")
    assert controller.ack(controller.input("resume"))["ok"]
    moved = lead.view(lambda v: v["t"] > view["t"] + 60, timeout=30)
    assert not moved["paused"]
    journal = back.journal()
    assert [r["type"] for r in journal[: len(before)]] == [r["type"] for r in before]
    assert len([r for r in journal if r["type"] == "action_submitted" and r["action"] == "activate-playbook"]) == 1


HOSTILE: list[tuple[str, Any, str]] = [
    ("malformed JSON", "{not json", "bad-json"),
    ("not an object", "[1, 2]", "bad-json"),
    ("unknown type", {"type": "format-disk"}, "unknown-type"),
    ("no client id", {"type": "submit", "action": "activate-playbook"}, "bad-field"),
    ("another role's action", {"type": "submit", "id": "x1", "action": "rollback-model"}, "not-your-role"),
    ("another role's member", {"type": "submit", "id": "x2", "action": "activate-playbook", "by": "Blake"}, "not-your-member"),
    ("a controller input", {"type": "end", "id": "x3"}, "not-allowed"),
    ("a control character", {"type": "submit", "id": "x4", "action": "ack\x1b[2J"}, "bad-field"),
    ("a second hello", {"type": "hello", "seat": "controller", "code": "x"}, "already-joined"),
]  # fmt: skip


def test_each_hostile_message_is_refused_while_the_drill_goes_on(host: HostProcess) -> None:
    controller = start(host)
    lead = join(host, "crisis-lead")
    length = len(inputs(host))
    for name, frame, code in HOSTILE:
        lead.ws.send(frame if isinstance(frame, str) else json.dumps(frame))
        refused = lead.expect(lambda m: m["type"] == "error")
        assert refused["code"] == code, name
    assert len(inputs(host)) == length, "a refused message reached the journal"
    # a wrong code, a reused code, an unknown seat: refused and closed
    for seat, code, expected in [
        ("crisis-lead", "wrong", "bad-code"),
        ("crisis-lead", host.codes["crisis-lead"], "seat-in-use"),
        ("nobody", "x", "bad-code"),
        ("crisis-lead", host.codes["ai-ops-engineer"], "bad-code"),
    ]:
        intruder = Seat(host.url, seat, code)
        assert intruder.welcome["type"] == "error" and intruder.welcome["code"] == expected
        with pytest.raises(ConnectionClosed):
            intruder.recv(5)
    # an oversized frame closes that connection (1009) only
    big = join(host, "ai-ops-engineer")
    big.ws.send(json.dumps({"type": "note", "id": "big", "text": "x" * 100_000}))
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            big.recv(5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    # a flood is cut off
    flood = join(host, "communications-manager")
    with contextlib.suppress(ConnectionClosed):
        for _ in range(1000):  # far past the burst even if a busy machine sends them slowly
            flood.send({"type": "ping"})
    with pytest.raises(ConnectionClosed):
        while True:
            flood.recv(5)
    assert any(json.loads(f).get("code") == "flood" for f in flood.frames)
    # silence after connecting: closed, never let in
    with connect(host.url, open_timeout=30) as silent, pytest.raises(ConnectionClosed):
        silent.recv(15)
    assert len(inputs(host)) == length
    # and the drill went on: the host answers, time moves, an honest input is journaled
    assert host.alive()
    t0 = lead.view()["t"]
    lead.view(lambda v: v["t"] > t0 + 30)
    ack = lead.ack(lead.input("submit", action="activate-playbook"))
    assert ack["ok"] and host.journal()[ack["seq"]]["by"] == "Avery"
    assert controller.ack(controller.input("pause"))["ok"]


def test_the_host_refuses_a_busy_port_and_a_lonely_key_in_one_line(
    host: HostProcess, tmp_path: Path, host_factory: Callable[..., HostProcess]
) -> None:
    import subprocess
    import sys

    port = host.url.rsplit(":", 1)[1]
    for extra, words in [(["--port", port], "cannot listen"), (["--cert", "x.pem"], "--cert and --key go together")]:
        result = subprocess.run(
            [sys.executable, "-m", "drillsim", "host", "flash-sale-latency", "--out", str(tmp_path / "d2"), *extra],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 2, result.stderr
        assert words in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "d2").exists(), "a refused host left a run folder behind"


def test_views_are_pushed_only_when_they_change(host: HostProcess) -> None:
    lead = join(host, "crisis-lead")  # the drill is paused until the controller starts it
    first = lead.view()
    assert first["paused"]
    with pytest.raises((TimeoutError, AssertionError)):
        lead.expect(lambda m: m["type"] == "view", timeout=1.5)  # nothing changed: nothing sent
    controller = start(host)
    moving = lead.view(lambda v: not v["paused"])
    assert moving["t"] >= first["t"]
    assert controller.ack(controller.input("pause"))["ok"]
    lead.view(lambda v: v["paused"])
    with pytest.raises((TimeoutError, AssertionError)):
        lead.expect(lambda m: m["type"] == "view", timeout=1.5)


def test_a_controllers_inject_to_a_role_reaches_that_seat_only_and_pages_its_member(host: HostProcess) -> None:
    comms = join(host, "communications-manager")
    lead = join(host, "crisis-lead")
    controller = join(host, "controller")  # the drill stays paused: the inject goes out all the same
    text = "Regulator on line 2: call back within the hour"
    ack = controller.ack(controller.input("inject", text=text, to="communications-manager", channel="phone"))
    assert ack["ok"], ack
    journal = host.journal()
    assert journal[ack["seq"]]["type"] == "facilitator_inject"
    pages = [r for r in journal[ack["seq"] :] if r["type"] == "page"]
    assert [(p["member"], p["reason"]) for p in pages] == [("Casey", "facilitator inject")]
    # on the wire: the addressee's seat gets the inject and the page, and Casey is on the way
    seen = comms.view(lambda v: any(i["text"] == text for i in v["feed"]))
    assert any(i["seq"] == pages[0]["seq"] for i in seen["feed"])
    casey = next(m for m in seen["members"] if m["name"] == "Casey")
    assert casey["status"] == "paged", casey
    # another role's seat never gets it: the lead's views after the inject (the drill moving) carry neither
    assert controller.ack(controller.input("resume"))["ok"]
    lead.view(lambda v: v["t"] > 60, timeout=30)
    wire = "\n".join(lead.frames)
    assert text not in wire and "Casey paged" not in wire
