"""Pilot tests of the exercise kit in the TUI: the ground rules on the briefing, an evaluator
observation during play (controller only) and a participant feedback form after the hotwash,
both journaled and in the report."""

from __future__ import annotations

import json

from drillsim.reports.exercise import GROUND_RULES
from drillsim.simulator.journal import read_journal
from drillsim.tui.screens.briefing import BriefingScreen
from drillsim.tui.screens.debrief import DebriefScreen
from drillsim.tui.screens.feedback import FeedbackScreen
from drillsim.tui.screens.observation import ObservationScreen
from textual.widgets import Input, Select, TextArea

from .conftest import SIZE
from .helpers import advance, of_type, start_from_launcher
from .test_flow import feed_text


async def test_briefing_shows_the_ground_rules(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, BriefingScreen)
        text = str(app.screen.query_one("#briefing-text").render())
        assert "Ground rules" in text and GROUND_RULES[0][:40] in " ".join(text.split())
        assert "rules read" in str(app.screen.query_one("#start").render())


async def test_observation_then_feedback_form_reach_the_journal_and_the_report(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 130)
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ObservationScreen)
        assert screen.clock.held  # the clock holds while the evaluator writes
        dialog.query_one("#observation-objective", Select).value = "contain-fast"
        await pilot.pause()
        dialog.query_one("#observation-task", Select).value = "action:rollback-model"
        dialog.query_one("#observation-rating", Select).value = "S"
        author = dialog.query_one("#observation-author", Input)
        author.value = "R. Ortiz"
        dialog.query_one("#observation-text", TextArea).focus()
        await pilot.press(*"Blake waits for the lead before rolling back")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and not screen.clock.held
        seen = of_type(screen.drill.records, "observation")
        assert len(seen) == 1
        assert (seen[0]["objective"], seen[0]["task"], seen[0]["rating"], seen[0]["author"]) == (
            "contain-fast",
            "action:rollback-model",
            "S",
            "R. Ortiz",
        )
        assert seen[0]["t"] == 130 and seen[0]["text"] == "Blake waits for the lead before rolling back"
        assert "Blake waits" not in feed_text(screen)  # controller only
        await advance(pilot, screen, 300)
        await pilot.press("e", "y")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FeedbackScreen)
        await pilot.press(*"Dana R.")
        form.query_one("#feedback-structure", Select).value = 4
        form.query_one("#feedback-realism", Select).value = 5
        form.query_one("#feedback-improvements", Input).value = "More time for the hotwash"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is debrief
        for _ in range(2):  # the par worker, then the report it rewrites
            await app.workers.wait_for_complete()
            await pilot.pause()
        forms = of_type(screen.drill.records, "feedback")
        assert [(f["participant"], f["ratings"], f["answers"]) for f in forms] == [
            ("Dana R.", {"structure": 4, "realism": 5}, {"improvements": "More time for the hotwash"})
        ]
        run_dir = screen.session.run_dir
        assert run_dir is not None
        journal = read_journal(run_dir / "journal.jsonl").records
        assert [r["type"] for r in journal].count("observation") == 1 and journal[-1]["type"] == "feedback"
        report = (run_dir / "report.md").read_text(encoding="utf-8")
        assert "Blake waits for the lead before rolling back" in report
        assert "Dana R.: More time for the hotwash" in report
        aar = json.loads((run_dir / "scorecard.json").read_text(encoding="utf-8"))["aar"]
        assert aar["feedback"]["forms"] == 1 and aar["observations"][0]["rating"] == "S"


async def test_an_empty_feedback_form_is_not_saved(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await pilot.press("e", "y")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)  # still open: nothing to save
        await pilot.press("escape")
        await pilot.pause()
        assert not of_type(screen.drill.records, "feedback")
        await app.workers.wait_for_complete()
