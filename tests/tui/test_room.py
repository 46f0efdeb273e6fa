"""The facilitator's room: hotwash edits, ad-hoc injects that page and stay open, resume where it stopped,
warnings before the drill ends itself, and the journal's fsync off the key handler."""

from __future__ import annotations

from drillsim.simulator.journal import JOURNAL_NAME, read_journal
from drillsim.tui.screens.debrief import DebriefScreen, current_hotwash
from drillsim.tui.screens.modals import ChoiceScreen, ConfirmScreen, TextScreen
from drillsim.tui.session import BackgroundJournal, resume_drill
from textual.widgets import TextArea

from .conftest import SIZE
from .helpers import advance, last_input, of_type, start_from_launcher


async def test_hotwash_entries_are_edited_and_removed_before_the_report(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 60)
        await pilot.press("e", "y")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        await pilot.press("s", *"Fast pagee", "enter", "escape")
        await pilot.press("i", *"n", "enter", "escape")  # a stray keystroke became an entry
        await pilot.pause()
        await pilot.press("e")  # edit: pick the entry, change its text
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
        area = app.screen.query_one(TextArea)
        assert area.text == "Fast pagee"
        area.text = "Fast page to the crisis lead"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("d", "2")  # remove the stray one: asks first, Enter keeps it
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "n" in app.screen.detail
        await pilot.press("enter")
        await pilot.pause()
        assert [h["text"] for h in current_hotwash(screen.drill.records)] == ["Fast page to the crisis lead", "n"]
        await pilot.press("d", "2", "y")
        await pilot.pause()
        entries = current_hotwash(screen.drill.records)
        assert [(h["kind"], h["text"]) for h in entries] == [("strength", "Fast page to the crisis lead")]
        notes = str(debrief.query_one("#notes").render())
        assert "Fast page to the crisis lead" in notes and "pagee" not in notes
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        run_dir = screen.session.run_dir
        assert run_dir is not None
        report = (run_dir / "report.md").read_text(encoding="utf-8")
        assert "Fast page to the crisis lead" in report and "Fast pagee" not in report
        journal = read_journal(run_dir / JOURNAL_NAME).records
        assert len(of_type(journal, "hotwash")) == 4  # nothing is rewritten: edits and removals are records


async def test_an_ad_hoc_inject_pages_its_addressee_and_stays_open_until_acted_on(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 30)
        drill = screen.drill
        comms = next(m for m in drill.roster.members if "communications-manager" in m.roles)
        assert not [r for r in of_type(drill.records, "page") if r["member"] == comms.name]
        drill.facilitator_inject("A journalist calls: is customer data affected?", to="communications-manager")
        screen.refresh_view()
        await pilot.pause()
        pages = [r for r in of_type(drill.records, "page") if r["member"] == comms.name]
        assert pages and pages[0]["reason"] == "facilitator inject"
        box = screen.query_one("#open-injects")
        assert box.display and "journalist" in str(box.render())
        assert screen.open_injects
        action = next(a for a in drill.scenario.actions if a.role == "communications-manager")
        screen.submit(action.id)
        await pilot.pause()
        assert not screen.open_injects and not box.display


async def test_resume_reopens_where_the_journal_stopped_paused(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 130)
        await pilot.press("1")
        await advance(pilot, screen, 12 * 60)  # events (a missed decision's penalty) well after the last input
        run_dir = screen.session.run_dir
        last_t = screen.drill.records[-1]["t"]
        penalties = len(of_type(screen.drill.records, "penalty"))
        assert last_t >= 11 * 60 and penalties
    # torn down without quitting, as a kill would: every record already went to the OS
    on_disk = read_journal(run_dir / JOURNAL_NAME).records
    assert on_disk[-1]["t"] == last_t
    session = resume_drill(run_dir)
    assert session.drill.paused and abs(session.drill.now - last_t) < 1e-6
    assert len(of_type(session.drill.records, "penalty")) == penalties  # no penalty fires twice


async def test_the_header_warns_before_the_time_limit_and_the_debrief_says_why(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, screen.drill.scenario.duration - 90)
        assert "time limit in" in str(screen.query_one("#header").render())
        assert any("time limit" in str(n.message) for n in app._notifications)
        await advance(pilot, screen, screen.drill.scenario.duration + 1)
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        assert "ended at its time limit" in str(debrief.query_one("#summary").render())
        await app.workers.wait_for_complete()


async def test_an_input_is_acknowledged_once_recorded_and_fsync_is_off_the_key_handler(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        journal = screen.drill.journal
        assert isinstance(journal, BackgroundJournal)
        await advance(pilot, screen, 130)
        await pilot.press("1")
        seq = of_type(screen.drill.records, "action_submitted")[-1]["seq"]
        for _ in range(50):
            if journal.synced >= seq:
                break
            await pilot.pause(0.02)
        await pilot.pause()
        assert journal.synced >= seq
        # on the line under the action menu, on screen (the highlighted action follows it)
        assert "✓ Submitted (recorded)" in last_input(screen)
        shown = "\n".join("".join(s.text for s in strip) for strip in screen._compositor.render_strips())
        assert "✓ Submitted (recorded)" in shown


async def test_history_tells_people_from_autoplay_and_explains_one_drill(app_factory, tmp_path) -> None:
    from drillsim.reports.render import write_report
    from drillsim.simulator.policies import autoplay, make_policy
    from drillsim.simulator.session import load_pair, start_run
    from drillsim.tui.screens.history import HistoryScreen

    loaded = load_pair("flash-sale-latency")
    for seed, policy in ((3, "playbook"), (4, None)):  # None: as the TUI starts one (people drive it)
        run = start_run(loaded, seed=seed, out=tmp_path / "drills", label=f"Q{seed}", policy=policy)
        autoplay(run.drill, make_policy("playbook", loaded.scenario, seed))
        assert run.writer is not None and run.folder is not None
        run.writer.close()
        write_report(run.folder, figures=False)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await pilot.pause()
        history = app.screen
        assert isinstance(history, HistoryScreen)
        table = history.query_one("#drills")
        assert table.row_count == 1  # the autoplay drill is hidden while there is a human one
        assert "1 autoplay drill(s) hidden" in str(history.query_one("#status").render())
        title = str(history.query_one("#trend-title").render())
        assert "people" in title and "A trend needs two or more drills" in title
        assert not history.query_one("#sparkline").display
        await pilot.press("a")
        await pilot.pause()
        assert table.row_count == 2
        cells = [str(c) for c in table.get_row_at(0)] + [str(c) for c in table.get_row_at(1)]
        assert "autoplay: playbook" in cells and "people" in cells


async def test_ended_early_the_debrief_says_by_whom_and_no_inject_never_came(app_factory) -> None:
    """Ended by the facilitator at 05:00: injects still to come are "not reached", not "never"."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 300)
        await pilot.press("e", "y")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        summary = str(debrief.query_one("#summary").render())
        assert "ended by the facilitator at 05:00" in summary
        assert "it ended before" in summary and "scheduled inject" in summary and "the next at" in summary
        assert "never" not in summary
        await app.workers.wait_for_complete()


async def test_every_debrief_key_fits_the_footer_at_120_columns(app_factory) -> None:
    from textual.widgets._footer import FooterKey

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        await advance(pilot, screen, 60)
        screen.drill.end("facilitator")
        screen.refresh_view()
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        await pilot.pause()
        keys = [k for k in debrief.query(FooterKey) if not k.has_class("-command-palette")]
        palette = next(k for k in debrief.query(FooterKey) if k.has_class("-command-palette"))
        shown = [b for b in debrief.BINDINGS if getattr(b, "show", True)]
        assert len(keys) >= len(shown)
        for key in keys:  # left of the palette key, which is docked at the right end
            assert key.region.right <= palette.region.x, (key.description, key.region, palette.region)
        await app.workers.wait_for_complete()
