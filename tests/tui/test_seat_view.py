"""The single-terminal drill screen is the host in-process (host.local) with the controller's seat:
the players' view by default (the screen may be on a projector), the controller's behind ctrl+k and
a confirmation, and every input through the host (applied at once, "recorded" only after the Ack)."""

from __future__ import annotations

import io
import os
import threading
from typing import Any

import pytest
from drillsim.host.views import CONTROLLER_ONLY_RECORDS
from drillsim.tui.screens.drill import SHOW_CONTROLLER, DrillScreen
from drillsim.tui.screens.modals import ConfirmScreen
from drillsim.tui.widgets import IncidentFeed
from rich.console import Console
from rich.text import Text
from textual.widgets import Static

from .conftest import SIZE
from .helpers import advance, last_input, of_type, start_from_launcher


def text_of(widget: Static) -> str:
    content = widget.content
    if isinstance(content, str | Text):
        return str(content)
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)  # a table (milestones, the controller's panel)
    return console.export_text()


def on_screen(screen: DrillScreen) -> str:
    """Every line the drill screen shows now: its visible text widgets and the feed."""
    parts = [text_of(w) for w in screen.query(Static) if w.display and all(a.display for a in w.ancestors)]
    parts += [line.text for line in screen.query_one(IncidentFeed).lines]
    return "\n".join(parts)


async def after_a_penalty_and_a_note(pilot: Any) -> DrillScreen:
    """A drill at 11:05: the CEO's decision timed out (a -5 penalty), a facilitator note written."""
    screen = await start_from_launcher(pilot)
    await pilot.press("n", *"the lead froze", "ctrl+s")
    await pilot.pause()
    await advance(pilot, screen, 11 * 60 + 5)
    assert of_type(screen.drill.records, "penalty") and of_type(screen.drill.records, "note")
    return screen


async def test_by_default_nothing_only_the_controller_may_see_is_on_screen(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await after_a_penalty_and_a_note(pilot)
        text = on_screen(screen)
        penalty = of_type(screen.drill.records, "penalty")[0]
        assert f"-{penalty['points']} points" not in text  # the penalty's feed line
        assert "the lead froze" not in text  # the facilitator's note
        assert "live score" not in text and "penalties" not in text  # no live score, no penalty total
        for fault in screen.drill.scenario.faults:
            assert fault.label not in text
        assert "by 0" not in text and "by 1" not in text  # no milestone targets ("by 05:00")
        assert not screen.query_one("#truth").display
        assert "players' view" in str(screen.query_one("#header").render())
        # the screen's feed is the host's rule for every seat but the controller's
        shown = {item.seq for item in screen.view.feed} if screen.view else set()
        assert not any(screen.drill.records[seq]["type"] in CONTROLLER_ONLY_RECORDS for seq in shown)
        assert screen.view is not None and screen.view.penalty_points == 0


async def test_the_controller_view_asks_first_and_cancel_keeps_it_hidden(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await after_a_penalty_and_a_note(pilot)
        await pilot.press("ctrl+k")
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen) and dialog.question == SHOW_CONTROLLER
        assert screen.clock.held  # a facilitator's dialog: sim time stands still
        await pilot.press("enter")  # Cancel has focus
        await pilot.pause()
        assert app.screen is screen and not screen.controller
        assert "live score" not in on_screen(screen) and not screen.query_one("#truth").display
        await pilot.press("ctrl+k", "y")
        await pilot.pause()
        assert app.screen is screen and screen.controller
        text = on_screen(screen)
        header = str(screen.query_one("#header").render())
        assert "CONTROLLER VIEW" in header and "-5" in header
        assert screen.query_one("#truth").display and "live score" in text
        assert "-5 points" in text and "the lead froze" in text  # the penalty and the note are in the feed
        assert any(fault.label[:30] in text for fault in screen.drill.scenario.faults)
        await pilot.press("ctrl+k")  # back to the players' view: no question
        await pilot.pause()
        assert app.screen is screen and not screen.controller
        assert "-5 points" not in on_screen(screen) and "players' view" in str(screen.query_one("#header").render())


async def test_the_live_score_is_computed_only_while_the_controller_view_is_on(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        core = screen.local.core
        assert "controller" not in core.present  # no scoring thread for a view nobody sees
        screen.controller = True
        await pilot.pause()
        assert "controller" in core.present


async def test_an_input_goes_through_the_host_sent_at_once_recorded_after_the_ack(app_factory, monkeypatch) -> None:
    gate = threading.Event()
    real_fsync = os.fsync

    def slow_fsync(fd: int) -> None:  # the disk is slow: nothing is on it until the test says so
        gate.wait(10)
        real_fsync(fd)

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 130)
        monkeypatch.setattr(os, "fsync", slow_fsync)
        inputs_before = screen.local.core.stats["inputs"]
        await pilot.press("1")  # activate the playbook
        await pilot.pause()
        submitted = of_type(screen.drill.records, "action_submitted")
        assert submitted and submitted[-1]["action"] == "activate-playbook"  # applied at once, by the host
        hint = last_input(screen)  # on the action menu's bottom edge
        assert "sent" in hint and "recorded" not in hint and screen.unrecorded == 1
        assert screen.local.core.stats["inputs"] == inputs_before  # not acknowledged yet
        gate.set()
        for _ in range(200):
            if screen.unrecorded == 0:
                break
            await pilot.pause(0.02)
        await pilot.pause()
        monkeypatch.setattr(os, "fsync", real_fsync)
        hint = last_input(screen)
        assert "✓ Submitted" in hint and "recorded" in hint
        assert screen.local.core.stats["inputs"] == inputs_before + 1
        assert screen.drill.journal.synced >= submitted[-1]["seq"]
        await app.workers.wait_for_complete()


async def test_a_resend_is_not_applied_twice_and_a_refused_input_applies_nothing(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 130)
        first, recorded = screen.seat.post("submit", client_id="k1", action="activate-playbook")
        again, recorded_again = screen.seat.post("submit", client_id="k1", action="activate-playbook")
        assert again == first and (await recorded) == (await recorded_again)
        assert len(of_type(screen.drill.records, "action_submitted")) == 1
        before = len(screen.drill.records)
        assert not screen.send("inject", "Inject", None, text="hello", to="nobody-here")  # the host's rule
        await pilot.pause()
        assert len(screen.drill.records) == before
        assert any(n.title == "Refused" for n in app._notifications)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_controller_view_key_is_in_the_help(app_factory, size) -> None:
    from drillsim.tui.keys import binding_rows
    from drillsim.tui.screens.modals import HelpScreen

    app = app_factory()
    async with app.run_test(size=size) as pilot:
        screen = await start_from_launcher(pilot)
        rows = dict(binding_rows(screen))
        assert "ctrl+k" in rows and "projector" in rows["ctrl+k"]
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert ("ctrl+k", rows["ctrl+k"]) in help_screen.sections[0][1]
