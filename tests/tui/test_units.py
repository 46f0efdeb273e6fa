"""The TUI's plain parts: the sim clock, speed steps, discovery, and no markup from scenario text."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from simulator.view import FeedItem
from tui.screens.briefing import briefing_text
from tui.screens.launcher import scenario_detail
from tui.session import (
    MAX_STEP_WALL,
    SPEEDS,
    ScenarioEntry,
    Settings,
    SimClock,
    discover_scenarios,
    faster,
    slower,
)
from tui.widgets import FeedFilter, feed_line

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
    line = plain(feed_line(item, fresh=True))
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
