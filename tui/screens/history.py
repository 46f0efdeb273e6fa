"""``HistoryScreen``: past drills in a drills folder and the trend of the selected team and scenario.

A standalone Textual ``Screen`` (not wired into the app): push it with
``app.push_screen(HistoryScreen(Path("drills")))``. The table lists every drill found
under the folder (date, team, scenario, label, score) in drill order; selecting one shows
the team and scenario's score trend in words (and a ``Sparkline`` from two drills on) and a
small table of its key intervals for the last eight drills. Drills played by people and
autoplay drills are told apart (the journal records the policy that drove one). Scorecards are read with ``reports.compare.load_drills`` (no pandas: the loader
is pure Python); findings are not computed here, so the screen opens quickly.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from drillsim.reports.compare import CHANGED_MARK, KEY_INTERVALS, DrillRow, load_drills, summarize, trend
from drillsim.reports.compare_render import span
from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Sparkline, Static


def driver(drill: DrillRow) -> str:
    """Who played it: ``people`` (the TUI), or ``autoplay: <policy>`` (the journal's drill_started says)."""
    return f"autoplay: {drill.policy}" if drill.policy else "people"


def short_date(date: str | None) -> str:
    """``2026-12-01T22:10:05+00:00`` -> ``2026-12-01 22:10``."""
    if not date:
        return "—"
    return date.replace("T", " ")[:16]


SPARKLINE_FROM = 5
"""Scored drills a sparkline needs: below it the scores are listed in words (a bar per drill says nothing)."""


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def trend_text(team: str, scenario: str, scores: list[float | None], autoplay: bool) -> str:
    """One line on the series of a team and scenario: what a person can read from one drill or twenty."""
    known = [s for s in scores if s is not None]
    who = "autoplay" if autoplay else "people"
    head = f"{team} · {scenario} ({who}): "
    if not known:
        return head + f"{plural(len(scores), 'drill')}, none scored yet."
    if len(known) == 1:
        return head + f"one scored drill, {known[0]:.1f}/100. A trend needs two or more drills."
    stats = summarize(known)
    direction = trend(scores, lower_is_better=False)
    if len(known) < SPARKLINE_FROM:
        listed = " → ".join(f"{s:.1f}" for s in known)
        return head + f"{len(known)} scored drills, oldest first: {listed}; {direction} (Theil-Sen slope)"
    return head + (
        f"{len(known)} scored drills, median {stats['median']:.1f}, from {stats['min']:.1f} to {stats['max']:.1f}; "
        f"last {known[-1]:.1f}; {direction} (Theil-Sen slope over the series; the bars below: oldest to newest)"
    )


DRILL_COLUMNS = ("When", "Team", "Scenario", "Label", "Score", "Played by")
"""The drills table; the score before who played it, so that 80 columns show it."""


def fit_columns(table: DataTable[str], headers: list[str] | tuple[str, ...], rows: list[list[str]]) -> None:
    """Add the columns with the width of their widest cell: a DataTable refilled after ``clear`` kept
    the widths of its first rows and cut the new ones (a drill label "2026-12-01 22:10" showed as "2026-")."""
    for column, header in enumerate(headers):
        table.add_column(header, width=max(cell_len(text) for text in [header, *(r[column] for r in rows)]))


def status_text(shown: int, hidden: int, mixed: bool, warnings: int) -> str:
    """The screen's one status line: how many drills, what is hidden, and that some files had warnings."""
    status = plural(shown, "drill")  # the folder is in the header
    if hidden:
        status += f"; {hidden} autoplay drill(s) hidden (a shows them)"
    elif mixed:
        status += " (people and autoplay; a hides autoplay)"
    if warnings:
        status += f"; {plural(warnings, 'warning')} (w shows them)"
    return status


class HistoryScreen(Screen[None]):
    """Past drills (DataTable) and the selected team and scenario's trend (Sparkline and intervals).

    Drills played by people and autoplay drills (``drillsim simulate``, par) are told apart by
    the policy the journal records; autoplay ones are hidden while there are human ones (``a``).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "reload", "Reload"),
        Binding("a", "toggle_autoplay", "Autoplay drills"),
        Binding("w", "warnings", "Warnings"),
    ]

    DEFAULT_CSS = """
    HistoryScreen #status { height: 1; text-wrap: nowrap; text-overflow: ellipsis; padding: 0 1; }
    HistoryScreen #drills { height: 1fr; min-height: 4; }
    HistoryScreen #trend { height: auto; max-height: 50%; border-top: solid $accent; padding: 0 1; }
    HistoryScreen #sparkline { height: 1; margin: 0 0 1 0; }
    HistoryScreen #intervals { height: auto; max-height: 12; }
    """

    def __init__(self, drills_dir: Path, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.drills_dir = Path(drills_dir)
        self.drills: list[DrillRow] = []
        self.all_drills: list[DrillRow] = []
        self.show_autoplay: bool | None = None
        """None: hide autoplay drills while there are human ones."""
        self.warnings: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status")
        table: DataTable[str] = DataTable(id="drills", cursor_type="row", zebra_stripes=True)
        yield table
        with Vertical(id="trend"):
            yield Static("Select a drill to see its team and scenario's trend.", id="trend-title")
            yield Sparkline([], id="sparkline")
            intervals: DataTable[str] = DataTable(id="intervals", cursor_type="none")
            yield intervals
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Drill history"
        self.sub_title = str(self.drills_dir)
        self.load()

    def load(self) -> None:
        """(Re)read the drills folder and fill the table."""
        self.warnings = []
        collection = load_drills([self.drills_dir], with_findings=False, warnings=self.warnings)
        self.all_drills = collection.drills
        human = [d for d in self.all_drills if not d.policy]
        show_autoplay = self.show_autoplay if self.show_autoplay is not None else not human
        self.drills = self.all_drills if show_autoplay else human
        hidden = len(self.all_drills) - len(self.drills)
        table = self.query_one("#drills", DataTable)
        table.clear(columns=True)
        rows = [
            [
                short_date(drill.date),
                drill.team,
                drill.scenario_id,
                drill.label or "—",
                "—" if drill.score is None else f"{drill.score:.1f}",
                driver(drill),
            ]
            for drill in self.drills
        ]
        fit_columns(table, DRILL_COLUMNS, rows)
        for index, row in enumerate(rows):
            table.add_row(*row, key=str(index))
        mixed = bool(show_autoplay and human and len(human) < len(self.all_drills))
        status = status_text(len(self.drills), hidden, mixed, len(self.warnings))
        self.query_one("#status", Static).update(status)
        if self.drills:
            self.show_trend(len(self.drills) - 1)
            table.move_cursor(row=len(self.drills) - 1)
        else:
            self.query_one("#trend-title", Static).update("No drill to show.")
            self.query_one("#sparkline", Sparkline).display = False

    def action_reload(self) -> None:
        self.load()

    def action_warnings(self) -> None:
        """What the loader said of the files it read (a journal that does not replay, a torn line, ...)."""
        if not self.warnings:
            self.notify("No warnings: every drill folder read cleanly.", timeout=4)
            return
        shown = self.warnings[:5]
        more = len(self.warnings) - len(shown)
        text = "\n\n".join(shown) + (f"\n\n... and {more} more" if more else "")
        self.notify(Text(text).markup, title=plural(len(self.warnings), "warning"), severity="warning", timeout=30)

    def action_toggle_autoplay(self) -> None:
        human = any(not d.policy for d in self.all_drills)
        current = self.show_autoplay if self.show_autoplay is not None else not human
        self.show_autoplay = not current
        self.load()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "drills" and event.row_key.value is not None:
            self.show_trend(int(event.row_key.value))

    def series(self, index: int) -> list[DrillRow]:
        """The drills of the same team and scenario as drill ``index``, in drill order."""
        chosen = self.drills[index]
        return [
            d
            for d in self.drills
            if d.team == chosen.team and d.scenario_id == chosen.scenario_id and bool(d.policy) == bool(chosen.policy)
        ]

    def show_trend(self, index: int) -> None:
        if not 0 <= index < len(self.drills):
            return
        series = self.series(index)
        chosen = self.drills[index]
        scores = [d.score for d in series]
        known = [s for s in scores if s is not None]
        sparkline = self.query_one("#sparkline", Sparkline)
        sparkline.display = len(known) >= SPARKLINE_FROM  # fewer: the scores are in the line above
        sparkline.data = known[-60:]
        sparkline.styles.width = min(60, 2 * len(sparkline.data))  # two columns a drill, not a stretched block
        self.query_one("#trend-title", Static).update(
            trend_text(chosen.team, chosen.scenario_id, scores, bool(chosen.policy))
        )
        names = [n for n in KEY_INTERVALS if any(n in d.intervals for d in series)]
        table = self.query_one("#intervals", DataTable)
        table.clear(columns=True)
        rows: list[list[str]] = []
        previous: str | None = None
        for d in series[-8:]:
            changed = previous is not None and d.scenario_hash is not None and d.scenario_hash != previous
            previous = d.scenario_hash or previous
            cells = []
            for name in names:
                value = d.intervals.get(name)
                mark = {"met": " ✓", "late": " ✗", "missed": " ✗"}.get(value.status, "") if value else ""
                cells.append(span(value.seconds if value else None) + mark)
            label = (d.label or short_date(d.date)) + (CHANGED_MARK if changed else "")
            rows.append([label, "—" if d.score is None else f"{d.score:.1f}", *cells])
        fit_columns(table, ["Drill", "Score", *[KEY_INTERVALS[n] for n in names]], rows)
        for row in rows:
            table.add_row(*row)
