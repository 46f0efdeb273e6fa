"""The TUI's plain parts: the sim clock, speed steps, discovery, and no markup from scenario text."""

from __future__ import annotations

import random
from pathlib import Path

from drillsim.simulator.view import FeedItem
from drillsim.tui.screens.briefing import briefing_text
from drillsim.tui.screens.launcher import scenario_detail
from drillsim.tui.session import (
    MAX_STEP_WALL,
    SPEEDS,
    ScenarioEntry,
    Settings,
    SimClock,
    discover_scenarios,
    faster,
    slower,
)
from drillsim.tui.widgets import (
    SLO_MARK,
    FeedFilter,
    feed_line,
    member_choice_text,
    member_choices,
    spark_bars,
    spark_text,
)
from rich.console import Console
from rich.style import Style

from .conftest import ManualClock


def plain(renderable: object, width: int = 100) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_sim_time_is_wall_time_times_speed_from_the_anchor() -> None:
    wall = ManualClock()
    clock = SimClock(wall)
    clock.anchor(0.0, 1.0)
    wall.advance(1.5)
    assert clock.target() == 1.5
    clock.anchor(1.5, 60.0)  # speed change: re-anchor at the drill's time
    wall.advance(0.25)
    assert clock.target() == 1.5 + 15.0
    wall.advance(0.25)  # no accumulation of tick counts: the same answer however often it is asked
    assert clock.target() == clock.target() == 1.5 + 30.0


def test_a_long_gap_does_not_replay_minutes_at_once() -> None:
    wall = ManualClock()
    clock = SimClock(wall)
    clock.anchor(100.0, 10.0)
    wall.advance(3600)  # a suspended laptop
    assert clock.target() == 100.0 + MAX_STEP_WALL * 10.0


def test_a_held_clock_stands_still_and_goes_on_from_where_it_stood() -> None:
    wall = ManualClock()
    clock = SimClock(wall)
    clock.anchor(0.0, 60.0)
    wall.advance(1.0)
    assert clock.target() == 60.0 and not clock.held
    clock.hold(60.0)
    wall.advance(30.0)  # half a minute with a dialog open: 30 sim minutes at x60, were it not held
    assert clock.held and clock.target() == 60.0
    clock.hold(60.0)  # a dialog over the dialog
    clock.release()
    wall.advance(10.0)
    assert clock.held and clock.target() == 60.0
    clock.release()
    assert not clock.held and clock.target() == 60.0
    wall.advance(0.5)
    assert clock.target() == 90.0  # from where it stood, not from the wall clock
    clock.release()  # one release too many changes nothing
    assert not clock.held and clock.target() == 90.0


def test_speed_steps() -> None:
    assert SPEEDS == (0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
    assert faster(1.0) == 2.0 and faster(60.0) == 60.0 and faster(3.0) == 5.0
    assert slower(1.0) == 0.5 and slower(0.5) == 0.5 and slower(3.0) == 2.0


def test_settings_pick_a_seed_once() -> None:
    settings = Settings()
    seed = settings.resolved_seed()
    assert settings.resolved_seed() == seed and isinstance(seed, int)


def test_discovery_lists_builtins_and_local_files_and_survives_a_broken_one(tmp_path: Path) -> None:
    local = tmp_path / "scenarios"
    local.mkdir()
    (local / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    entries = {e.id: e for e in discover_scenarios(tmp_path)}
    assert entries["flash-sale-latency"].source == "built-in" and entries["flash-sale-latency"].scenario
    assert entries["broken"].source == "local" and entries["broken"].scenario is None and entries["broken"].error
    assert "does not load" in plain(scenario_detail(entries["broken"]))


def test_scenario_text_is_never_markup(scenario) -> None:
    hostile = scenario.model_copy(
        update={"title": "[bold red]Pwned[/]", "briefing": "[link=http://x]click[/link] [reverse]me"}
    )
    text = plain(briefing_text(hostile, Settings()))
    assert "[bold red]Pwned[/]" in text and "[link=http://x]click[/link]" in text
    entry = ScenarioEntry("x", Path("x.yaml"), "local", hostile)
    assert "[bold red]Pwned[/]" in plain(scenario_detail(entry))
    item = FeedItem(3, 60.0, "inject", "chat", "[b]CEO[/b]", "everyone", "[red]boom[/red]")
    line = plain(feed_line(item))
    assert "[b]CEO[/b]" in line and "[red]boom[/red]" in line


def test_feed_filter() -> None:
    item = FeedItem(1, 0.0, "alert", "pager", "Monitoring", "ai-ops-engineer", "latency")
    everyone = FeedItem(2, 0.0, "inject", "chat", "CEO", "everyone", "hello")
    roles = {"Blake": ("ai-ops-engineer",)}
    assert FeedFilter().accepts(item, roles)
    assert FeedFilter(channel="pager").accepts(item, roles) and not FeedFilter(channel="chat").accepts(item, roles)
    assert FeedFilter(role="ai-ops-engineer").accepts(item, roles)
    assert not FeedFilter(role="crisis-lead").accepts(item, roles)
    assert FeedFilter(role="crisis-lead").accepts(everyone, roles)


def noisy(baseline: float, share: float, count: int = 72, seed: int = 1) -> list[float]:
    rng = random.Random(seed)
    return [baseline * (1 + rng.uniform(-share, share)) for _ in range(count)]


def test_sparkline_noise_around_the_baseline_stays_flat_in_the_bottom_bars() -> None:
    """±1% noise with the SLO 50% away: every bar in the bottom row (Textual's own scale would fill all three)."""
    bars = spark_bars(noisy(200.0, 0.01), 200.0, None, 300.0, width=72, rows=3)
    assert len(bars.levels) == 72 and bars.top == 23
    assert max(bars.levels) < 8 and not any(bars.outside)
    assert max(bars.levels) - min(bars.levels) <= 1
    assert bars.thresholds[0] >= 16  # the SLO line is in the top row, well above the noise


def test_sparkline_a_breach_reaches_the_top_and_is_flagged() -> None:
    values = [*noisy(200.0, 0.01, 40), *(200.0 + 60 * i for i in range(32))]  # up to 2060, far past 300
    bars = spark_bars(values, 200.0, None, 300.0, width=72, rows=3)
    assert bars.levels[-1] == bars.top and bars.outside[-1]
    assert [o for o, v in zip(bars.outside, values, strict=True) if v <= 300.0] == [False] * sum(
        v <= 300.0 for v in values
    )
    assert all(level < 8 for level in bars.levels[:40])


def test_sparkline_crossing_the_slo_is_crossing_its_line() -> None:
    """Just under the SLO stays at or under its level and in colour; just over rises above it and turns red."""
    bars = spark_bars([200.0, 295.0, 300.0, 310.0], 200.0, None, 300.0, width=10, rows=3)
    line = bars.thresholds[0]
    assert bars.levels[0] == 0 and bars.levels[1] <= line and bars.levels[2] == line
    assert bars.levels[3] > line and bars.top > bars.levels[3]  # the scale reaches a little past the SLO
    assert bars.outside == (False, False, False, True)  # on the threshold is inside, as in the engine


def test_sparkline_a_minimum_slo_drops_to_the_bottom() -> None:
    values = [*noisy(3.0, 0.01, 40), *[1.0] * 32]
    bars = spark_bars(values, 3.0, 1.5, None, width=72, rows=2)
    head = bars.levels[:40]
    assert max(head) - min(head) <= 2 and min(head) > bars.thresholds[0]  # noise: flat, above the SLO line
    assert bars.levels[-1] == 0 and all(bars.outside[40:]) and not any(bars.outside[:40])


def test_sparkline_columns_share_samples_and_keep_the_worst() -> None:
    values = [100.0] * 72
    values[37] = 900.0  # one bad sample among many
    bars = spark_bars(values, 100.0, None, 200.0, width=12, rows=1)
    assert len(bars.levels) == 12
    assert bars.outside.count(True) == 1 and bars.levels[bars.outside.index(True)] == bars.top
    few = spark_bars([100.0, 101.0, 99.0], 100.0, None, 200.0, width=30)
    assert len(few.levels) == 3  # one column a sample, from the left: no stretching of three samples
    assert spark_bars([], 100.0, None, 200.0, width=30).levels == ()


def test_sparkline_without_an_slo_and_at_zero() -> None:
    flat = spark_bars([0.0] * 10, 0.0, None, None, width=10, rows=2)
    assert len(set(flat.levels)) == 1 and flat.thresholds == () and not any(flat.outside)
    counter = spark_bars([0.0, 0.0, 3.0], 0.0, None, 0.5, width=3, rows=1)  # an event count: SLO max 0.5
    assert counter.levels == (0, 0, 7) and counter.outside == (False, False, True)


def test_sparkline_text_draws_bars_and_the_slo_line() -> None:
    bars = spark_bars([200.0, 200.0, 2000.0], 200.0, None, 300.0, width=6, rows=2)
    ok, bad, mark = Style(color="blue"), Style(color="red"), Style(color="grey50")
    text = spark_text(bars, 6, 2, ok, bad, mark)
    top, bottom = text.plain.split("\n")
    assert bottom == "▁▁█" + SLO_MARK * 3  # the SLO lies in the bottom row here: its line fills the empty cells
    assert top == "  █   "
    cells = [(glyph, seg.style) for seg in text.render(Console()) if seg.text != "\n" for glyph in seg.text]
    assert [style for glyph, style in cells if glyph == "█"] == [bad, bad]  # outside the SLO: red, both rows
    assert [style for glyph, style in cells if glyph == "▁"] == [ok, ok]
    assert {style for glyph, style in cells if glyph in (SLO_MARK, " ")} == {mark}


def test_who_does_it_lists_role_holders_first_and_marks_the_engines_own_pick(scenario, roster) -> None:
    """The chooser's default is the member ``Drill.submit`` picks without ``by``, in every state tried."""
    from drillsim.simulator.engine import Drill

    # two more engineers (one off call, one slow) so the engine's tie-breaks matter: load, then readiness, then order
    extra = [
        {"name": "Faye", "roles": ["ai-ops-engineer"], "on_call": False, "response_time": 90.0},
        {"name": "Gil", "roles": ["ai-ops-engineer", "crisis-lead"], "response_time": 240.0},
    ]
    crowded = roster.model_validate({**roster.model_dump(), "members": [*roster.model_dump()["members"], *extra]})
    for team in (roster, crowded):
        picks = check_choices_match_the_engine(scenario, team)
        assert len(picks) > 50
    assert {"Blake", "Faye", "Gil"} <= set(check_choices_match_the_engine(scenario, crowded).values())
    drill = Drill(scenario, roster, seed=3)
    for t, submit in ((130, "activate-playbook"), (200, "rollback-model"), (205, "restart-pods")):
        drill.advance_to(t)
        assert drill.submit(submit).ok
    restart = next(a for a in scenario.actions if a.id == "restart-pods")
    view = drill.view()
    choices = {
        c.member.name: c
        for c in member_choices(restart, view.members, roster, drill.now, drill.default_member("restart-pods"))
    }
    blake, avery = choices["Blake"], choices["Avery"]
    assert blake.role_match and blake.default and blake.load == 2  # the rollback running, the restart queued
    assert not avery.role_match and avery.load == 0
    text = plain(member_choice_text(blake, drill.now))
    assert "busy" in text and "+1 queued" in text and "drillsim's pick" in text
    assert "off-role: 1.5x the time, 0.75x the success chance" in plain(member_choice_text(avery, drill.now))


def check_choices_match_the_engine(scenario, roster) -> dict[tuple[float, str], str]:
    """Walk a drill through pages, busy members and queues; at each state every action's default is the
    engine's pick (``Drill.default_member``), and each submit without ``by`` goes to the default shown just before."""
    from drillsim.simulator.engine import Drill

    drill = Drill(scenario, roster, seed=3)
    picks: dict[tuple[float, str], str] = {}
    steps = [(0, None), (20, None), (30, None), (130, "activate-playbook"), (150, None), (200, "rollback-model")]
    steps += [(205, "restart-pods"), (206, "add-replicas"), (207, "check-change-log"), (230, None), (400, None)]
    for t, submit in steps:  # members standing by, paged and halfway through responding, busy, with queues
        drill.advance_to(t)
        if submit:
            shown = drill.default_member(submit)
            assert drill.submit(submit).ok
            assert drill.tasks[-1].member == shown, (t, submit)
        view = drill.view()
        for action in scenario.actions:
            engine_pick = drill.default_member(action.id)
            choices = member_choices(action, view.members, roster, view.t, engine_pick)
            assert sorted(c.member.name for c in choices) == sorted(m.name for m in roster.members)
            holders = [c.role_match for c in choices]
            assert holders == sorted(holders, reverse=True)  # role holders first
            assert [c.member.name for c in choices if c.default] == [engine_pick], (t, action.id)
            picks[(drill.now, action.id)] = engine_pick
    return picks
