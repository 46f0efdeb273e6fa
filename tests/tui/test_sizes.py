"""The drill room at every terminal size (issue #18), seen with Pilot at the sizes a facilitator uses:
the help key in the footer at 80 columns, every action label readable, the controller's panel on screen,
who plays a busy member, the metric title on its line, and the warning before the drill ends itself."""

from __future__ import annotations

from typing import Any

import pytest
from drillsim.tui.screens.debrief import DebriefScreen
from drillsim.tui.screens.drill import DrillScreen
from drillsim.tui.session import Settings
from drillsim.tui.widgets import ActionMenu, MemberRow, MetricCard
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from .helpers import advance

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SIZES = [(80, 24), (120, 40), (160, 48)]


def _pii_app(app_factory: Any) -> Any:
    from drillsim.simulator.session import load_pair

    loaded = load_pair("llm-pii-exposure")
    return app_factory(
        scenario=loaded.scenario, roster=loaded.roster, settings=Settings(seed=7, in_memory=True, label="t")
    )


async def _start(pilot: Pilot[Any], who: str = "") -> DrillScreen:
    """From the briefing (the first participant's name takes ``who``) to the running drill, ten minutes in."""
    if who:
        await pilot.press(*who)
    await pilot.press("ctrl+s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DrillScreen)
    await advance(pilot, screen, 600)
    return screen


async def _controller_view(pilot: Pilot[Any]) -> DrillScreen:
    """The running drill ten minutes in, in the controller's view (ctrl+k, then y to its question)."""
    screen = await _start(pilot)
    await pilot.press("ctrl+k", "y")
    await pilot.pause()
    assert screen.controller
    return screen


def screen_text(app: Any) -> str:
    """What the terminal shows now, one line per row (the toasts, the dialogs and every panel)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def _help_fits(screen: Any, width: int) -> None:
    keys = list(screen.query(FooterKey))
    help_key = next(k for k in keys if k.description == "Help")
    palette = next(k for k in keys if k.has_class("-command-palette"))
    assert help_key.region.width > 0 and help_key.region.right <= min(palette.region.x, width), help_key.region


@pytest.mark.parametrize("size", SIZES)
async def test_the_help_key_shows_in_the_drill_and_debrief_footers(app_factory, size) -> None:
    app = _pii_app(app_factory)
    async with app.run_test(size=size) as pilot:
        screen = await _start(pilot)
        await pilot.pause()
        _help_fits(screen, size[0])
        screen.drill.end("facilitator")
        screen.refresh_view()
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        await pilot.pause()
        _help_fits(debrief, size[0])
        await app.workers.wait_for_complete()


@pytest.mark.parametrize("size", SIZES)
async def test_every_action_label_is_one_line_and_the_highlighted_one_reads_in_full(app_factory, size) -> None:
    app = _pii_app(app_factory)
    async with app.run_test(size=size) as pilot:
        screen = await _start(pilot)
        menu = screen.query_one(ActionMenu)
        assert menu.option_count == len(screen.drill.scenario.actions)
        # one line per action: the menu's content is as tall as its options
        assert menu.virtual_size.height == menu.option_count
        longest = max(range(menu.option_count), key=lambda i: len(screen.actions[i].label))
        menu.highlighted = longest
        await pilot.pause()
        label = screen.actions[longest].label
        hint = screen.query_one("#action-hint", Static)
        text = str(hint.render())
        assert " ".join(label.split()) in " ".join(text.split())  # wrapped, but every word of it
        assert hint.region.height >= 2 and hint.region.bottom <= size[1] - 1  # above the footer


@pytest.mark.parametrize("size", [*SIZES, (110, 32)])
async def test_every_hint_fits_its_box_says_why_not_and_marks_a_cut(app_factory, size) -> None:
    """The hint under the menu has a fixed height (an input's acknowledgement on its first line): every
    action's hint fits it, an unavailable one says why before its role, and one cut short ends with "…"."""
    app = _pii_app(app_factory)
    async with app.run_test(size=size) as pilot:
        screen = await _start(pilot)
        await pilot.press("1")  # an input: its acknowledgement takes the first line
        await pilot.pause()
        menu = screen.query_one(ActionMenu)
        box = screen.query_one("#action-hint", Static)
        cut = 0
        for index in range(menu.option_count):
            menu.highlighted = index
            await pilot.pause()
            action = menu.current()
            assert action is not None
            lines = str(box.render()).split("\n")
            assert len(lines) <= box.content_region.height
            assert "(recorded)" in lines[0] or "sent" in lines[0]
            body = " ".join(lines[1:])
            if not action.available:
                assert "✗" in body, body  # the reason, which the role follows
            shown = " ".join(body.split())
            if " ".join(action.label.split()) not in shown or action.role not in shown:
                cut += 1
                assert body.endswith("…"), body
        assert cut < menu.option_count  # most hints read in full
        await app.workers.wait_for_complete()


async def test_the_controller_view_at_120x40_keeps_the_actions_and_its_panel_on_screen(app_factory) -> None:
    app = _pii_app(app_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _controller_view(pilot)
        truth = screen.query_one("#truth")
        assert truth.display and truth.region.height >= 3
        assert truth.region.bottom <= 39, truth.region  # the footer is row 39
        assert "live score" in str(truth._shown)  # the rows it shows (faults, score, penalties)
        menu = screen.query_one(ActionMenu)
        assert menu.region.height - 2 >= 8, menu.region  # rows of actions inside its border (its min-height)
        panel = screen.query_one("#milestones")  # it scrolls; the regulatory clocks come first, so they show
        rows = screen_text(app).splitlines()[panel.region.y : panel.region.bottom]
        for clock in screen.view.clocks:
            assert any(clock.regime in row for row in rows), (clock.regime, rows)


async def test_the_controller_only_panel_is_whole_above_the_footer_at_110x32(app_factory) -> None:
    """At 110x32 the controller's view had its Controller-only panel cut by the footer (3 of 5 lines)."""
    app = _pii_app(app_factory)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await _controller_view(pilot)
        truth = screen.query_one("#truth")
        assert truth.display and truth.region.bottom <= 31, truth.region  # the footer is row 31
        rows = screen_text(app).splitlines()[truth.region.y : truth.region.bottom]
        assert "Controller only" in rows[0] and "╰" in rows[-1], rows  # its whole box, both borders
        assert truth.region.height - 2 >= 5, truth.region  # five of its lines (more scroll within it)
        menu = screen.query_one(ActionMenu)
        assert menu.region.height - 2 >= 4, menu.region  # the action list still shows a few actions


async def test_the_controller_view_lists_the_whole_team_at_160x48(app_factory) -> None:
    """At 160x48 the controller's view showed 3 of the 10 members (its team panel scrolled)."""
    app = _pii_app(app_factory)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _controller_view(pilot)
        team = screen.query_one("#team")
        rows = list(screen.query(MemberRow))
        assert len(rows) == 10
        assert team.max_scroll_y == 0, "the team panel scrolls"
        for row in rows:
            assert row.region.height >= 1 and team.region.contains_region(row.region), (row.region, team.region)
        truth = screen.query_one("#truth")
        assert truth.region.bottom <= 47, truth.region  # the footer is row 47


async def test_the_players_milestones_wrap_instead_of_being_cut_at_120x40(app_factory) -> None:
    app = _pii_app(app_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _start(pilot)
        reached = [m for m in screen.view.milestones if m.reached_at is not None]
        assert reached
        panel = screen.query_one("#milestones")
        shown = " ".join(
            line[panel.region.x - 0 : panel.region.right].strip(" │")
            for line in screen_text(app).splitlines()[panel.region.y : panel.region.bottom]
        )
        shown = " ".join(shown.split())
        for milestone in reached:  # every word of it (wrapped beside its time), none cut with an ellipsis
            assert all(word in shown.split() for word in milestone.label.split()), (milestone.label, shown)
        assert "…" not in shown


async def test_a_busy_member_line_names_who_plays_them(app_factory) -> None:
    app = _pii_app(app_factory)
    async with app.run_test(size=(160, 60)) as pilot:  # two-line member rows
        members = app.initial_roster.members
        for index in range(len(members)):  # Enter in a name field moves to the next
            await pilot.press(*f"P{index}", "enter")
        screen = await _start(pilot)
        plays = {m.name: f"P{i}" for i, m in enumerate(members)}
        busy = []
        for t in range(610, 1800, 15):
            for action in screen.actions:
                if action.available:
                    screen.drill.submit(action.id)
            await advance(pilot, screen, t)
            busy = [m for m in screen.view.members if m.status == "busy" and m.action]
            if busy:
                break
        assert busy
        rows = {r.member_name: r for r in screen.query(MemberRow)}
        for member in busy:
            row = rows[member.name]
            assert row.region.height == 2
            assert row._lines is not None
            detail = row._lines[3].plain
            assert plays[member.name] in detail and member.action in detail, detail


async def test_the_first_metric_title_fits_its_line_at_160x48(app_factory) -> None:
    app = _pii_app(app_factory)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _start(pilot)
        card = next(c for c in screen.query(MetricCard) if c.display)
        label = card.query_one(".metric-label", Static)
        full = screen.view.metrics[0].label
        assert label.region.height == 1
        shown = str(label.render())
        assert shown.rstrip().endswith("…") or shown.strip() == full
        assert card.tooltip == full


async def test_a_drill_about_to_end_by_itself_warns_on_screen_and_the_debrief_says_why(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:  # toasts on screen, as in a terminal
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        await advance(pilot, screen, screen.drill.scenario.duration - 60)
        await pilot.pause(0.2)
        toasts = screen_text(app)
        assert "Ending soon" in toasts and "time limit" in toasts
        assert not screen.drill.ended
        await advance(pilot, screen, screen.drill.scenario.duration + 1)
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        assert "ended at its time limit" in str(debrief.query_one("#summary").render())
        await app.workers.wait_for_complete()


async def test_a_drill_about_to_resolve_itself_warns_on_screen_and_the_debrief_says_why(app_factory) -> None:
    """flash-sale-latency ends itself once recovered and the post-mortem is scheduled: with recovery reached,
    the facilitator reads on screen that the next end milestone ends the drill, before it does; the debrief
    then says why it ended, and no warning of the drill covers that (80 columns, toasts on as in a terminal)."""
    from .helpers import start_from_launcher

    app = app_factory()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await start_from_launcher(pilot)
        drill = screen.drill
        for t, action in ((120, "activate-playbook"), (300, "rollback-model"), (360, "check-change-log")):
            await advance(pilot, screen, t)
            assert drill.submit(action).ok
        t = 360.0
        while "recovered" not in {m.id for m in drill.view().milestones if m.reached_at is not None}:
            t += 30
            await advance(pilot, screen, t)
            assert not drill.ended and t < 1800
        await pilot.pause()
        shown = " ".join(screen_text(app).split())
        assert "Almost resolved" in shown and "ends the drill" in shown, shown  # the toast, beside the panels
        assert isinstance(app.screen, DrillScreen) and not drill.ended  # warned before, not as it ends
        assert drill.submit("schedule-postmortem").ok
        while not drill.ended:
            t += 30
            await advance(pilot, screen, t)
            assert t < 2700  # resolved well before the time limit (45:00)
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert drill.end_reason == "resolved"
        summary = " ".join(" ".join(screen_text(app).splitlines()[:3]).split())
        assert "resolved at" in summary and "Post-mortem scheduled" in summary, summary
        await app.workers.wait_for_complete()


async def test_the_controller_view_marks_the_donts_and_the_players_view_never_does(app_factory) -> None:
    """The controller knows which actions are don'ts (the handbook lists them): the menu and the hint say so
    in the controller's view only (the players' view carries no such flag)."""
    app = _pii_app(app_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _start(pilot)
        menu = screen.query_one(ActionMenu)
        donts = [i for i, a in enumerate(screen.drill.scenario.actions) if a.penalty is not None]
        assert donts
        menu.highlighted = donts[0]
        await pilot.pause()
        hint = screen.query_one("#action-hint", Static)
        assert "⚑" not in str(hint.render()) and "⚑" not in screen_text(app)
        await pilot.press("ctrl+k", "y")  # the controller's view, after its question
        await pilot.pause()
        assert screen.controller
        menu.highlighted = donts[0]
        await pilot.pause()
        assert "a don't" in str(hint.render())
        assert "⚑" in screen_text(app)  # the menu's line too
        await app.workers.wait_for_complete()
