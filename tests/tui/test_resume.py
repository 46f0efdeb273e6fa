"""Never lose a drill: resume after the app is torn down mid-drill, a torn last line, a finished drill."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillsim.main import main
from drillsim.simulator.journal import JOURNAL_NAME, read_journal
from drillsim.simulator.replay import first_difference
from drillsim.tui.screens.debrief import DebriefScreen
from drillsim.tui.screens.drill import DrillScreen
from drillsim.tui.session import SessionError, resume_drill

from .conftest import SIZE
from .helpers import advance, of_type, start_from_launcher, types


async def play_and_tear_down(app_factory) -> tuple[Path, list[dict]]:
    """Start a drill, do a few things, then tear the app down without quitting (as a crash would)."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 130)
        await pilot.press("1")  # activate the playbook
        await advance(pilot, screen, 200)
        await pilot.press("plus")
        screen.drill.note("before the crash")
        await advance(pilot, screen, 8 * 60 + 30)
        await pilot.press("d", "1")  # answer the CEO
        await advance(pilot, screen, 9 * 60)
        run_dir = screen.session.run_dir
        assert run_dir is not None
        records = list(screen.drill.records)
    return run_dir, records


async def test_resume_after_the_app_is_torn_down(app_factory) -> None:
    run_dir, before = await play_and_tear_down(app_factory)
    inputs = [r for r in before if r.get("input")]
    kept = len(read_journal(run_dir / JOURNAL_NAME).records)  # inputs are fsync'd; later events may be lost
    assert kept >= before.index(inputs[-1]) + 1
    session = resume_drill(run_dir)
    drill = session.drill
    assert drill.paused and session.resumed
    assert first_difference(before[:kept], drill.records[:kept]) is None
    assert [r for r in drill.records if r.get("input")][: len(inputs)] == inputs  # nothing people did is lost
    assert drill.records[-1]["type"] == "paused"
    on_disk = read_journal(run_dir / JOURNAL_NAME).records
    assert on_disk == drill.records

    app = app_factory(session=session)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        assert "PAUSED" in str(screen.query_one("#header").render())
        await pilot.press("space")
        assert not drill.paused
        await advance(pilot, screen, 10 * 60)
        await pilot.press("n")
        await pilot.press(*"after the resume", "ctrl+s")
        await pilot.pause()
    final = read_journal(run_dir / JOURNAL_NAME).records
    assert [r["text"] for r in of_type(final, "note")] == ["before the crash", "after the resume"]
    assert [r["seq"] for r in final] == list(range(len(final)))
    assert "decision_answered" in types(final) and "speed_changed" in types(final)


async def test_resume_tolerates_a_torn_last_line(app_factory) -> None:
    run_dir, before = await play_and_tear_down(app_factory)
    path = run_dir / JOURNAL_NAME
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"seq": 999, "t": 540.0, "type": "no')  # a write cut by the crash
    kept = len(read_journal(path).records)
    session = resume_drill(run_dir)
    assert any("cut mid-write" in w for w in session.warnings)
    assert first_difference(before[:kept], session.drill.records[:kept]) is None
    assert read_journal(path).warnings == []  # rewritten whole


async def test_resume_a_finished_drill_opens_the_debrief(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 60)
        screen.drill.end("facilitator")
        screen.refresh_view()
        await pilot.pause()
        await app.workers.wait_for_complete()
        run_dir = screen.session.run_dir
    session = resume_drill(run_dir)
    assert session.drill.ended
    app = app_factory(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await app.workers.wait_for_complete()


def test_resume_refuses_a_journal_that_does_not_replay(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / JOURNAL_NAME).write_text('{"seq": 0, "t": 0, "type": "note", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(SessionError, match="drill_started"):
        resume_drill(folder)
    with pytest.raises(SessionError, match="no such journal"):
        resume_drill(tmp_path / "missing")


def test_cli_resume_of_a_missing_run_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resume", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "no such journal" in err and "Traceback" not in err


def test_cli_run_rejects_a_bad_speed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "flash-sale-latency", "--speed", "0"]) == 2
    assert "positive number" in capsys.readouterr().err
