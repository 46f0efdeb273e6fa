"""The history screen readable for one drill and for twenty, people apart from autoplay (#18).

Run folders are made the way ``drillsim autoplay`` and the TUI make them (``start_run`` with or
without a policy) and read by the screen; what a facilitator reads is checked at 80x24 and 120x40.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from drillsim.tui.screens.history import SPARKLINE_FROM, HistoryScreen, status_text, trend_text
from textual.app import App
from textual.widgets import DataTable


def make_drills(folder: Path, runs: list[tuple[int, str | None, str]]) -> None:
    """(seed, policy, label) each: policy None is a drill people played (the TUI records no policy)."""
    from drillsim.reports.render import write_report
    from drillsim.simulator.policies import autoplay, make_policy
    from drillsim.simulator.session import load_pair, start_run

    loaded = load_pair("flash-sale-latency")
    for seed, policy, label in runs:
        run = start_run(loaded, seed=seed, out=folder, label=label, policy=policy)
        autoplay(run.drill, make_policy("random" if policy else "playbook", loaded.scenario, seed))
        assert run.writer is not None and run.folder is not None
        run.writer.close()
        write_report(run.folder, figures=False)


@pytest.fixture(scope="module")
def twenty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("history") / "drills"
    make_drills(
        folder, [(s, "random", f"sim-{s:02d}") for s in range(1, 21)] + [(41, None, "2026-Q1"), (42, None, "2026-Q2")]
    )
    return folder


@pytest.fixture(scope="module")
def one(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("history-one") / "drills"
    make_drills(folder, [(7, None, "")])  # no label: the intervals table names it by its date and time
    return folder


class Host(App[None]):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self.folder))


def cells(table: DataTable[str]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def shown(table: DataTable[str], column: int) -> int:
    """The width a column is drawn with (its content, not the width of the first rows it had)."""
    return list(table.columns.values())[column].get_render_width(table) - 2 * table.cell_padding


def drawn(table: DataTable[str]) -> str:
    """The table as it is drawn on the screen."""
    return "\n".join(strip.text for strip in table.render_lines(table.region.reset_offset))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_one_drill_reads_in_words_with_no_bars(one: Path, size: tuple[int, int]) -> None:
    app = Host(one)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        title = str(screen.query_one("#trend-title").render())
        assert "one scored drill" in title and "A trend needs two or more drills" in title
        assert not screen.query_one("#sparkline").display  # no full-width block for one drill
        assert "median" not in title and "n/a" not in title
        intervals = screen.query_one("#intervals", DataTable)
        label = cells(intervals)[0][0]
        assert len(label) >= 10 and label[:2] == "20"  # "2026-12-02": the drill's date
        assert shown(intervals, 0) >= len(label)
        assert f" {label} " in drawn(intervals)  # drawn whole, not cut to "2026-"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_twenty_autoplay_drills_stay_apart_from_the_people(twenty: Path, size: tuple[int, int]) -> None:
    app = Host(twenty)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one("#drills", DataTable)
        assert table.row_count == 2  # people's drills; the twenty autoplay ones hidden
        assert "20 autoplay drill(s) hidden (a shows them)" in str(screen.query_one("#status").render())
        assert screen.query_one("#status").region.height == 1
        title = str(screen.query_one("#trend-title").render())
        assert "(people): 2 scored drills, oldest first:" in title
        assert not screen.query_one("#sparkline").display
        await pilot.press("a")
        await pilot.pause()
        assert table.row_count == 22
        rows = cells(table)
        assert {r[-1] for r in rows} == {"people", "autoplay: random"}
        score = list(table.columns.values())[4]
        assert str(score.label) == "Score"
        left = sum(c.get_render_width(table) for c in list(table.columns.values())[:5])
        assert left <= size[0]  # the score shows at 80 columns, before who played it
        table.move_cursor(row=0)
        await pilot.pause()
        chosen = screen.drills[table.cursor_row]
        if chosen.policy:  # the autoplay series: twenty scores, a bar line two columns a drill
            spark = screen.query_one("#sparkline")
            assert spark.display and spark.region.height == 1 and spark.region.width == 40
            assert "(autoplay): 20 scored drills, median" in str(screen.query_one("#trend-title").render())
        for column in range(len(table.columns)):
            assert shown(table, column) >= max(len(r[column]) for r in rows)
        intervals = screen.query_one("#intervals", DataTable)
        text = drawn(intervals)
        for row in cells(intervals):
            assert f" {row[0]} " in text and f" {row[1]} " in text  # each drill's name and score, whole


async def test_warnings_are_one_line_and_behind_a_key(tmp_path: Path) -> None:
    folder = tmp_path / "drills"
    make_drills(folder, [(5, None, "Q1")])
    torn = folder / "20990101-000000-x-y"
    torn.mkdir()
    (torn / "scorecard.json").write_text("{not json", encoding="utf-8")
    app = Host(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        status = str(screen.query_one("#status").render())
        if screen.warnings:
            assert f"{len(screen.warnings)} warning" in status and "(w shows them)" in status
            assert screen.query_one("#status").region.height == 1
            assert screen.query_one("#drills", DataTable).region.height >= 4  # the table keeps its room
            await pilot.press("w")
            await pilot.pause()
            assert app._notifications  # the warnings, in full, in a notification


@pytest.mark.parametrize(
    ("scores", "has"),
    [
        ([None], "1 drill, none scored yet."),
        ([80.0], "one scored drill, 80.0/100. A trend needs two or more drills."),
        ([80.0, 60.0, 90.0], "3 scored drills, oldest first: 80.0 → 60.0 → 90.0;"),
        ([float(s) for s in range(SPARKLINE_FROM)], f"{SPARKLINE_FROM} scored drills, median 2.0, from 0.0 to 4.0"),
    ],
)
def test_trend_words(scores: list[float | None], has: str) -> None:
    assert has in trend_text("T", "s", scores, autoplay=False)


def test_status_words() -> None:
    assert status_text(1, 0, False, 0) == "1 drill"
    assert (
        status_text(3, 20, False, 2)
        == "3 drills; 20 autoplay drill(s) hidden (a shows them); 2 warnings (w shows them)"
    )
    assert status_text(23, 0, True, 1) == "23 drills (people and autoplay; a hides autoplay); 1 warning (w shows them)"
