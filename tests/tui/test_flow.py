"""Pilot tests of the facilitator's flow: launcher, briefing, drill, facilitator controls, debrief."""

from __future__ import annotations

import json
from pathlib import Path

from drillsim.simulator.durations import format_clock
from drillsim.simulator.journal import read_journal
from drillsim.tui.screens.briefing import BriefingScreen
from drillsim.tui.screens.debrief import DebriefScreen
from drillsim.tui.screens.drill import DrillScreen
from drillsim.tui.screens.launcher import LauncherScreen
from drillsim.tui.screens.modals import (
    ConfirmScreen,
    DecisionScreen,
    FilterScreen,
    HelpScreen,
    InjectScreen,
    MemberScreen,
    TextScreen,
)
from drillsim.tui.session import Settings
from drillsim.tui.widgets import FRESH, ActionMenu, DecisionPanel, FeedFilter, IncidentFeed, PausedBanner
from textual.widgets import Input, OptionList, Static

from .conftest import SIZE
from .helpers import advance, of_type, start_from_launcher, types


def feed_text(screen: DrillScreen) -> str:
    return "\n".join(line.text for line in screen.query_one(IncidentFeed).lines)


async def test_launcher_reaches_a_running_drill_in_two_keypresses(app_factory, tmp_path: Path) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LauncherScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        assert screen.drill.scenario.id == "flash-sale-latency"
        assert screen.drill.roster.id == "crisis-team"
        run_dir = screen.session.run_dir
        assert run_dir is not None and run_dir.parent == tmp_path / "drills"
        first = read_journal(run_dir / "journal.jsonl").records[0]
        assert first["type"] == "drill_started" and first["seed"] == 7


async def test_launcher_settings_reach_the_drill(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#team")
        await pilot.press(*"Payments AI")
        await pilot.click("#label")
        await pilot.press(*"2026-Q4")
        await pilot.click("#seed")
        await pilot.press("end", "backspace", "4", "2")
        await pilot.press("enter")  # leaves the field for the scenario list
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        drill = app.screen.drill
        assert (drill.team, drill.label, drill.seed) == ("Payments AI", "2026-Q4", 42)


async def test_run_opens_the_briefing_and_records_participants(app_factory, scenario, roster) -> None:
    app = app_factory(scenario=scenario, roster=roster)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, BriefingScreen)
        text = str(app.screen.query_one("#briefing-text").render())
        assert "flash sale" in text and "Objectives" in text
        assert app.focused is not None and app.focused.id == "participant-0"  # where the text says to type
        await pilot.press(*"Maria", "enter")  # Enter moves on to the next name
        assert app.focused is not None and app.focused.id == "participant-1"
        await pilot.press(*"Tom")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        assert screen.drill.records[0]["participants"] == {"Avery": "Maria", "Blake": "Tom"}
        members = {m.name: m for m in screen.drill.view().members}
        assert members["Avery"].participant == "Maria"


async def test_actions_by_key_and_menu_and_the_reason_when_not_now(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await pilot.press("2")  # roll back: needs 'Acknowledged' first
        rejected = of_type(screen.drill.records, "action_rejected")
        assert rejected and "Acknowledged" in rejected[-1]["reason"]
        hint = str(screen.query_one("#action-hint").render())
        assert "needs" in hint  # the highlighted first action says why, too
        await advance(pilot, screen, 70)  # the page comes at 01:00
        await pilot.press("enter")  # the menu has focus; its first action is the playbook
        submitted = of_type(screen.drill.records, "action_submitted")
        assert submitted[-1]["action"] == "activate-playbook"
        await advance(pilot, screen, 260)
        await pilot.press("2")
        assert of_type(screen.drill.records, "action_submitted")[-1]["action"] == "rollback-model"
        await advance(pilot, screen, 320)
        assert "v41 is serving" in feed_text(screen) or "rollback job timed out" in feed_text(screen)
        busy = {m.name: m.status for m in screen.drill.view().members}
        assert set(busy.values()) <= {"standby", "paged", "idle", "busy"}


async def test_choose_who_does_an_action(app_factory, clock) -> None:
    """`p` on the highlighted action lists the team with drillsim's pick highlighted; a number picks someone else."""
    app = app_factory(auto_advance=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await run_until(screen, clock, 70)  # the page came at 01:00
        menu = screen.query_one(ActionMenu)
        menu.highlighted = [a.id for a in screen.drill.scenario.actions].index("restart-pods")
        await pilot.press("p")
        chooser = app.screen
        assert isinstance(chooser, MemberScreen) and chooser.action_id == "restart-pods"
        assert not screen.clock.held  # the participants' dialog: the drill runs on while they choose
        options = chooser.query_one(OptionList)
        assert options.get_option_at_index(options.highlighted or 0).id == "Blake"  # the ai-ops engineer
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "drillsim's pick" in prompts[0] and "paged" in prompts[0]
        assert [p.split(".")[0] for p in prompts] == ["1", "2", "3", "4", "5"]
        assert "off-role" in prompts[1] and "Avery" in prompts[1]
        before = screen.drill.now
        clock.advance(2)
        screen.tick()
        assert screen.drill.now > before
        await pilot.press("2")  # Avery, the crisis lead, off-role
        await pilot.pause()
        assert app.screen is screen
        submitted = of_type(screen.drill.records, "action_submitted")[-1]
        assert (submitted["action"], submitted["by"]) == ("restart-pods", "Avery")
        queued = of_type(screen.drill.records, "action_queued")[-1]  # Avery is still answering her page
        assert (queued["action"], queued["member"]) == ("restart-pods", "Avery")
        await run_until(screen, clock, 150)
        started = [r for r in of_type(screen.drill.records, "action_started") if r["action"] == "restart-pods"]
        assert [(r["member"], r["role_match"]) for r in started] == [("Avery", False)]
        # Enter takes drillsim's own pick; the one-key path stays one key
        menu.highlighted = [a.id for a in screen.drill.scenario.actions].index("add-replicas")
        await pilot.press("p", "enter")
        await pilot.pause()
        submitted = of_type(screen.drill.records, "action_submitted")[-1]
        assert (submitted["action"], submitted["by"]) == ("add-replicas", "Blake")
        pick = screen.drill.default_member("restart-pods")
        await pilot.press("4")  # an action's key alone: no chooser, drillsim picks (as before)
        assert app.screen is screen
        submitted = of_type(screen.drill.records, "action_submitted")[-1]
        # through the host, the journal names drillsim's pick (host.core), as for a remote seat
        assert (submitted["action"], submitted["by"]) == ("restart-pods", pick)
        # an action that cannot be taken now says why instead of opening the chooser
        menu.highlighted = [a.id for a in screen.drill.scenario.actions].index("rollback-model")
        await pilot.press("p")
        assert app.screen is screen
        assert "p: choose who" not in str(screen.query_one("#action-hint").render())


async def test_the_chooser_follows_drillsims_pick_until_the_participant_moves(app_factory) -> None:
    from dataclasses import replace

    from drillsim.tui.widgets import member_choices

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        drill = screen.drill
        action = drill.actions["status-page"]
        choices = member_choices(action, drill.view().members, drill.roster, drill.now, drill.default_member(action.id))

        def pick(index: int) -> list:
            return [replace(c, default=i == index) for i, c in enumerate(choices)]

        chooser = MemberScreen(action.id, action.label, pick(0), drill.now)
        await app.push_screen(chooser)
        options = chooser.query_one(OptionList)
        assert options.highlighted == 0
        chooser.update(pick(2), drill.now)  # drillsim would now pick someone else: the highlight follows
        assert options.highlighted == 2
        assert "drillsim's pick" in str(options.get_option_at_index(2).prompt)
        assert "drillsim's pick" not in str(options.get_option_at_index(0).prompt)
        await pilot.press("down")  # the participant moves: it stays where they put it
        chooser.update(pick(0), drill.now)
        assert options.highlighted == 3
        await pilot.press("escape")
        assert app.screen is screen and not of_type(drill.records, "action_submitted")


async def test_answer_a_decision_from_the_prompt(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 8 * 60 + 1)
        panel = screen.query_one(DecisionPanel)
        assert panel.display
        assert "How do you answer the CEO?" in str(panel.query_one(".decision-text").render())
        assert "02:59" in str(panel.query_one(".decision-text").render()) or "03:00" in str(
            panel.query_one(".decision-text").render()
        )
        await pilot.press("d")
        assert isinstance(app.screen, DecisionScreen)
        await pilot.press("1")
        await pilot.pause()
        answered = of_type(screen.drill.records, "decision_answered")
        assert answered == [answered[0]] and answered[0]["action"] == "exec-brief"
        assert not screen.query_one(DecisionPanel).display


async def test_click_a_decision_option(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 8 * 60 + 1)
        await pilot.click(".decision-option")
        await pilot.pause()
        assert of_type(screen.drill.records, "decision_answered")[0]["action"] == "exec-brief"


async def test_a_missed_decision_has_its_consequence(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 8 * 60 + 1)
        assert screen.query_one(DecisionPanel).display
        await advance(pilot, screen, 11 * 60 + 5)
        timed_out = of_type(screen.drill.records, "decision_timed_out")
        assert [r["inject"] for r in timed_out][:1] == ["ceo-asks"]
        assert "No answer in time" in feed_text(screen)
        assert "-5" not in str(screen.query_one("#header").render())  # the players' view: no penalties
        screen.controller = True  # (ctrl+k, confirmed: tests/tui/test_seat_view.py)
        await pilot.pause()
        assert "-5" in str(screen.query_one("#header").render())  # the penalty shows in the controller's header
        await pilot.press("d")
        if isinstance(app.screen, DecisionScreen):  # the marketing decision may be open by now
            await pilot.press("escape")


async def test_pause_shows_discussion_and_resume(app_factory, clock) -> None:
    app = app_factory(auto_advance=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await run_until(screen, clock, 65)  # the page came at 01:00
        at = screen.drill.now
        assert 64.9 <= at <= 65.6
        await pilot.press("space")
        assert screen.drill.paused
        banner = screen.query_one(PausedBanner)
        assert banner.display
        assert "Who is the crisis lead right now" in str(banner.render())
        clock.advance(100)
        screen.tick()
        assert screen.drill.now < at + 0.2  # frozen while paused
        await pilot.press("space")
        assert not screen.drill.paused and not banner.display
        clock.advance(2)
        screen.tick()
        assert at + 1.9 <= screen.drill.now <= at + 2.2
        assert types(screen.drill.records).count("paused") == 1
        assert types(screen.drill.records).count("resumed") == 1


async def test_speed_steps_and_the_clock_follows(app_factory, clock) -> None:
    app = app_factory(auto_advance=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await pilot.press("plus", "plus", "plus")  # 1 -> 2 -> 5 -> 10
        assert screen.drill.speed == 10
        clock.advance(3)
        screen.tick()
        assert 29.9 <= screen.drill.now <= 30.1
        await pilot.press("minus")
        assert screen.drill.speed == 5
        assert [r["speed"] for r in of_type(screen.drill.records, "speed_changed")] == [2, 5, 10, 5]
        for _ in range(10):
            await pilot.press("plus")
        assert screen.drill.speed == 60
        assert "x60" in str(screen.query_one("#header").render())


async def test_at_x60_the_timer_redraws_once_a_second_and_an_input_shows_at_once(app_factory, clock) -> None:
    """At x60 every tick has new samples: the timer's redraws come once a second (the screen stays light),
    while the drill itself runs at every tick and a key press shows at once (issue 18)."""
    app = app_factory(auto_advance=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        for _ in range(6):
            await pilot.press("plus")
        assert screen.drill.speed == 60
        clock.advance(1.0)
        screen.tick()
        shown, at = header_text(screen), screen.drill.now
        clock.advance(0.6)
        screen.tick()
        assert screen.drill.now >= at + 35  # the drill ran on (36 sim seconds)...
        assert header_text(screen) == shown  # ...the screen waits for its second
        clock.advance(0.5)
        screen.tick()
        assert header_text(screen) != shown
        await pilot.press("space")
        assert screen.query_one(PausedBanner).display  # an input: at once, no tick needed


def header_text(screen: DrillScreen) -> str:
    return str(screen.query_one("#header").render())


async def run_until(screen: DrillScreen, clock, t: float) -> None:
    """Let wall time pass in steps (as the timer does) until the drill reaches sim time t."""
    while screen.drill.now < t:
        clock.advance(0.5)
        screen.tick()


async def test_facilitator_dialogs_hold_the_clock(app_factory, clock) -> None:
    """While the inject dialog is open at x60 the sim clock stands still; it goes on from there after."""
    app = app_factory(auto_advance=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        for _ in range(6):
            await pilot.press("plus")
        assert screen.drill.speed == 60
        await run_until(screen, clock, 60)
        await pilot.press("i")
        assert isinstance(app.screen, InjectScreen)
        held_at = screen.drill.now
        assert screen.clock.held and "HELD" in header_text(screen)
        for _ in range(40):  # 20 wall seconds: 20 sim minutes at x60, were the clock not held
            clock.advance(0.5)
            screen.tick()
        await pilot.pause()
        assert screen.drill.now == held_at
        await pilot.press(*"The CFO calls", "ctrl+s")
        await pilot.pause()
        assert of_type(screen.drill.records, "facilitator_inject")[-1]["t"] == held_at
        assert not screen.clock.held and "HELD" not in header_text(screen) and "x60" in header_text(screen)
        clock.advance(1)
        screen.tick()
        assert held_at + 59 <= screen.drill.now <= held_at + 61  # on from where it stood
        for key, dialog in (
            ("question_mark", HelpScreen),
            ("n", TextScreen),
            ("f", FilterScreen),
            ("e", ConfirmScreen),
        ):
            await pilot.press(key)
            assert isinstance(app.screen, dialog) and screen.clock.held, key
            at = screen.drill.now
            clock.advance(2)
            screen.tick()
            assert screen.drill.now == at, key
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen and not screen.clock.held, key
        await pilot.press("q")  # quitting asks first; the question holds the clock too
        assert isinstance(app.screen, ConfirmScreen) and screen.clock.held
        await pilot.press("n")
        assert not screen.clock.held
        # a hold is not a pause: nothing in the journal
        assert "paused" not in types(screen.drill.records) and "resumed" not in types(screen.drill.records)


async def test_a_dialog_opened_while_paused_leaves_the_drill_paused(app_factory, clock) -> None:
    app = app_factory(auto_advance=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await run_until(screen, clock, 5)
        await pilot.press("space")
        assert screen.drill.paused
        await pilot.press("n")
        assert "PAUSED" in header_text(screen)  # paused wins over held
        await pilot.press(*"the team's answer", "ctrl+s")
        await pilot.pause()
        assert screen.drill.paused and not screen.clock.held
        clock.advance(10)
        screen.tick()
        at = screen.drill.now
        await pilot.press("space")
        clock.advance(1)
        screen.tick()
        assert at + 0.9 <= screen.drill.now <= at + 1.1
        assert types(screen.drill.records).count("paused") == 1 and types(screen.drill.records).count("resumed") == 1


async def test_the_decision_dialog_does_not_hold_the_clock(app_factory, clock) -> None:
    """The participants' deadline pressure is the point: the drill runs on while they choose."""
    app = app_factory(auto_advance=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        for _ in range(6):
            await pilot.press("plus")
        await run_until(screen, clock, 8 * 60 + 5)
        await pilot.press("d")
        assert isinstance(app.screen, DecisionScreen) and not screen.clock.held
        at = screen.drill.now
        clock.advance(1)
        screen.tick()
        await pilot.pause()
        assert at + 59 <= screen.drill.now <= at + 61
        assert "HELD" not in header_text(screen)
        await pilot.press("1")
        await pilot.pause()
        assert of_type(screen.drill.records, "decision_answered")[0]["t"] >= at + 59


async def test_an_open_decision_dialog_counts_down_with_the_drill(app_factory) -> None:
    """The dialog follows the drill's views while it is open: its title says the time left now."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 8 * 60 + 5)
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DecisionScreen)
        before = dialog.decision.time_left
        await advance(pilot, screen, 8 * 60 + 35)
        assert dialog.decision.time_left == before - 30
        title = dialog.query_one("#choice-title", Static).content
        assert str(title) == f"Decision, {format_clock(before - 30)} left"


async def test_ad_hoc_inject(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await pilot.press("i")
        assert isinstance(app.screen, InjectScreen)
        await pilot.press(*"The CFO calls: [bold]is data lost?[/bold]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        record = of_type(screen.drill.records, "facilitator_inject")[-1]
        assert record["text"] == "The CFO calls: [bold]is data lost?[/bold]"
        assert record["to"] == "everyone" and record["input"] is True
        shown = " ".join(feed_text(screen).split())  # the feed wraps long lines
        assert "[bold]is data lost?[/bold]" in shown  # shown literally, not as markup


async def test_note_and_cancel(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, TextScreen)
        await pilot.press(*"Avery took the lead")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("n", "escape")
        notes = of_type(screen.drill.records, "note")
        assert [n["text"] for n in notes] == ["Avery took the lead"]


async def test_filter_the_feed_by_channel_and_role(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 4 * 60 + 5)
        await pilot.press("f")
        assert isinstance(app.screen, FilterScreen)
        options = app.screen.choices
        index = [value for value, _ in options].index("channel:ticket")
        await pilot.press(*["down"] * index, "enter")
        await pilot.pause()
        text = feed_text(screen)
        assert "TICKET" in text and "PAGER" not in text
        await pilot.press("f")
        index = [value for value, _ in app.screen.choices].index("role:ai-ops-engineer")
        await pilot.press(*["down"] * index, "enter")
        await pilot.pause()
        assert "Actions for ai-ops-engineer" in str(screen.query_one("#actions").border_title)
        assert screen.query_one("#actions").option_count == 5


async def test_the_feed_counts_what_is_new_in_its_title_and_names_its_filter(app_factory, clock) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        feed = screen.query_one(IncidentFeed)
        shown = len(screen.drill.view().feed)  # on the screen as the drill starts: not counted as new
        assert feed.border_title == "Incident feed"
        await advance(pilot, screen, 4 * 60 + 5)
        arrived = len(screen.drill.view().feed) - shown
        assert arrived >= 3 and feed.border_title == f"Incident feed · {arrived} new"
        clock.advance(FRESH)  # wall time: they are no longer new
        screen.refresh_view()
        await pilot.pause()
        assert feed.border_title == "Incident feed"
        screen.feed_filter = FeedFilter(channel="chat")  # what the filter dialog sets (f)
        await pilot.pause()
        assert feed.border_title == "Incident feed (channel: chat)" and not feed_text(screen).strip()
        await advance(pilot, screen, 11 * 60)  # the chat messages of 8:00 and 10:00 come in
        chats = [i for i in screen.drill.view().feed if i.channel == "chat"]
        assert len(chats) >= 2 and feed.border_title == f"Incident feed (channel: chat) · {len(chats)} new"
        assert "CHAT" in feed_text(screen) and "PAGER" not in feed_text(screen)


async def test_help_lists_every_key_and_theme_toggles(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for needle in ("space", "Pause or resume", "ad-hoc inject", "ctrl+p", "Roll back", "choosing who does it"):
            assert needle in text
        for binding in screen.BINDINGS:
            assert binding.description
        assert "stands still" in str(app.screen.query_one("#help-note").render())
        await pilot.press("escape")
        theme = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != theme


async def test_command_palette_takes_an_action(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 10)
        await pilot.press("ctrl+p")
        await pilot.press(*"activate playbook")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert of_type(screen.drill.records, "action_submitted")[-1]["action"] == "activate-playbook"


async def test_end_debrief_hotwash_override_and_report(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 130)
        await pilot.press("1")
        await advance(pilot, screen, 300)
        await pilot.press("e")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        assert screen.drill.ended and screen.drill.end_reason == "facilitator"
        assert debrief.card is not None and "SCORE" in str(debrief.query_one("#summary").render())
        await pilot.press("s")
        await pilot.press(*"Fast page to the crisis lead", "enter")
        await pilot.press("escape", "i")
        await pilot.press(*"Roll back sooner", "enter")
        await pilot.press("escape", "o")
        await pilot.press(*"pipeline was down", "enter")
        await pilot.pause()
        for _ in range(2):  # the par worker, then the report it rewrites
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert debrief.par is not None and f"(par {debrief.card.par_score:g})" in str(
            debrief.query_one("#summary").render()
        )
        records = screen.drill.records
        hotwash = of_type(records, "hotwash")
        assert [(h["kind"], h["text"]) for h in hotwash] == [
            ("strength", "Fast page to the crisis lead"),
            ("improvement", "Roll back sooner"),
        ]
        override = of_type(records, "rating_override")[0]
        assert override["objective"] == "contain-fast" and override["reason"] == "pipeline was down"
        run_dir = screen.session.run_dir
        assert run_dir is not None
        report = (run_dir / "report.md").read_text(encoding="utf-8")
        assert "Fast page to the crisis lead" in report and "Roll back sooner" in report
        assert "pipeline was down" in report
        assert (run_dir / "report.html").exists() and (run_dir / "scorecard.json").exists()
        assert "report.html" in str(debrief.query_one("#report-status").render())
        card = json.loads((run_dir / "scorecard.json").read_text(encoding="utf-8"))
        assert card["par_basis"]["runs"] == 101 and card["par_score"] == debrief.card.par_score
        journal = read_journal(run_dir / "journal.jsonl").records
        assert types(journal)[-3:] == ["hotwash", "hotwash", "rating_override"]


async def test_the_drill_ends_on_its_own_and_the_debrief_follows(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 45 * 60 + 1)
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert screen.drill.end_reason == "time_limit"
        await app.workers.wait_for_complete()
        await pilot.press("l")  # back to the launcher for the next drill
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen) and app.session is None
        assert len(app.screen_stack) == 2


async def test_the_drill_ending_under_an_open_decision_dialog_leaves_no_drill_screen_behind(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 8 * 60 + 1)
        await pilot.press("d")
        assert isinstance(app.screen, DecisionScreen)
        await advance(pilot, screen, 45 * 60 + 1)  # the time limit passes while the team deliberates
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert [type(s) for s in app.screen_stack[1:]] == [LauncherScreen, DebriefScreen]
        await app.workers.wait_for_complete()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen) and len(app.screen_stack) == 2


async def test_quit_mid_drill_asks_first(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.screen is screen
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_value is not None and "drillsim resume" in app.return_value


async def test_an_unwritable_run_folder_warns_and_goes_on_in_memory(app_factory, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    app = app_factory(settings=Settings(seed=7, out=blocker / "drills"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        assert screen.session.run_dir is None
        assert any("memory" in w for w in screen.session.warnings)
        assert "NOT RECORDED" in str(screen.query_one("#header").render())
        await advance(pilot, screen, 60)
        assert screen.drill.now == 60


async def test_compact_layout_at_80x24(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_from_launcher(pilot)
        assert screen.compact and screen.has_class("-narrow")
        await advance(pilot, screen, 8 * 60 + 1)
        assert screen.query_one(DecisionPanel).display
        assert screen.query_one("#actions").region.height >= 3


async def test_briefing_inputs_do_not_trigger_screen_keys(app_factory, scenario, roster) -> None:
    app = app_factory(scenario=scenario, roster=roster)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#participant-2")
        await pilot.press(*"q e n")
        assert isinstance(app.screen, BriefingScreen)
        assert app.screen.query_one("#participant-2", Input).value == "q e n"


async def test_stays_responsive_at_60x(app_factory, clock) -> None:
    """A tick at x60 (12 sim seconds every 0.2 s) must stay far below the tick interval."""
    import time

    app = app_factory(auto_advance=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        for _ in range(10):
            await pilot.press("plus")
        assert screen.drill.speed == 60
        started = time.perf_counter()
        ticks = 0
        while not screen.drill.ended and ticks < 300:
            clock.advance(0.2)
            screen.tick()
            ticks += 1
        elapsed = time.perf_counter() - started
        assert screen.drill.ended or screen.drill.now > 40 * 60
        assert elapsed / ticks < 0.05, f"{elapsed / ticks * 1000:.1f} ms per tick"
        await pilot.pause()
        await app.workers.wait_for_complete()


async def test_launcher_opens_the_history_of_past_drills(app_factory, tmp_path: Path) -> None:
    """`h` in the launcher lists the drills already in the drills folder."""
    from drillsim.reports.render import write_report
    from drillsim.simulator.policies import autoplay, make_policy
    from drillsim.simulator.session import load_pair, start_run
    from drillsim.tui.screens.history import HistoryScreen

    loaded = load_pair("flash-sale-latency")
    run = start_run(loaded, seed=3, out=tmp_path / "drills", label="2026-Q3", policy="playbook")
    autoplay(run.drill, make_policy("playbook", loaded.scenario, 3))
    assert run.writer is not None and run.folder is not None
    run.writer.close()
    write_report(run.folder, figures=False)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one("DataTable").row_count == 1
        await pilot.press("escape")
        assert isinstance(app.screen, LauncherScreen)
