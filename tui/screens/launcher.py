"""The launcher: pick a scenario (built-in or ./scenarios), a roster and the drill settings.

The default scenario is highlighted and the table has focus, so Enter opens its briefing
and ctrl+s there starts the drill (Enter in the briefing moves between the name fields).

The launcher paints first (the title, the scenario table and the highlighted scenario), then
mounts the settings fields and the footer, then loads (validates) the scenarios in a thread
worker: a row shows "checking" until its file is loaded. Enter on a row still being
checked loads that one file at once. The rosters load in the same worker (the roster choice
offers "default" until then). Nothing this module imports at the top pulls in pydantic or
the engine: the first paint pays only for Textual (bench/launcher_bench.py).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from drillsim.tui import keys
from drillsim.tui.messages import BriefingRequested
from drillsim.tui.session import (
    SPEEDS,
    RosterEntry,
    ScenarioEntry,
    Settings,
    default_roster_id,
    format_speed,
    load_scenario_entry,
)
from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

if TYPE_CHECKING:  # the settings fields' widgets are imported when they are mounted, after the first paint
    from drillsim.simulator.model import Scenario
    from drillsim.tui.shell import Shell
    from textual.widgets import Input, Select

HERE = Path(__file__).parent
DEFAULT_ROSTER_CHOICE = "__scenario_default__"


def _shadow_note(entry: ScenarioEntry) -> Text:
    text = Text()
    if entry.shadows is not None:
        text.append("\n\nLocal copy: ", "bold yellow")
        text.append(f"{entry.path} is used instead of the built-in '{entry.id}' (it shadows it).")
    return text


def scenario_detail(entry: ScenarioEntry) -> Group | Text:
    if not entry.loaded:
        text = Text()
        text.append(f"{entry.id}\n", "bold")
        text.append(f"{entry.path} · {entry.label}\n\n", "dim")
        text.append("Checking this scenario…", "italic")
        text.append_text(_shadow_note(entry))
        return text
    if entry.scenario is None:
        text = Text()
        text.append(f"{entry.id}\n", "bold")
        text.append(f"{entry.path}\n\n", "dim")
        text.append("This file does not load:\n", "bold red")
        text.append(entry.error or "unknown error")
        text.append("\n\nRun 'drillsim validate' on it for every problem with its line and column.", "dim")
        return text
    from drillsim.simulator.durations import format_duration

    s: Scenario = entry.scenario
    head = Text()
    head.append(s.title, "bold")
    head.append("\n")
    head.append(f"{s.severity} · {s.category} · {format_duration(s.duration)} · {entry.label}", "dim")
    head.append_text(_shadow_note(entry))
    head.append("\n\n")
    head.append(s.summary.strip())
    parts: list[Text] = [head]
    if s.objectives:
        objectives = Text("\n\nObjectives\n", "bold")
        for o in s.objectives:
            objectives.append("  • ")
            objectives.append(o.text)
            objectives.append(f"\n    target: {o.target}\n", "dim")
        objectives.rstrip()
        parts.append(objectives)
    facts = Text("\n")
    facts.append("Roster: ", "bold")
    facts.append(default_roster_id(s))
    facts.append(f"\n{len(s.injects)} injects · {len(s.actions)} actions · {len(s.metrics)} metrics", "dim")
    if s.clocks:
        facts.append("\nRegulatory clocks: ", "bold")
        facts.append(", ".join(c.regime for c in s.clocks))
    parts.append(facts)
    return Group(*parts)


class LauncherScreen(Screen[None]):
    """Choose what to run."""

    CSS_PATH = HERE / "launcher.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open_briefing",
            "Briefing",
            tooltip="Open the highlighted scenario's briefing (ctrl+s there starts the drill)",
            priority=False,
            id="launcher.open",
        ),
        Binding("r", "focus_roster", "Roster", tooltip="Choose the roster (the team's people)", id="launcher.roster"),
        Binding("s", "focus_settings", "Settings", tooltip="Team, label, speed and seed", id="launcher.settings"),
        Binding("h", "history", "History", tooltip="Past drills and each team's trend", id="launcher.history"),
        Binding("question_mark,f1", "help", "Help", tooltip="This help", key_display="?", id="launcher.help"),
        Binding("q", "app.quit", "Quit", tooltip="Quit drillsim", id="launcher.quit"),
    ]

    def __init__(
        self,
        scenarios: list[ScenarioEntry],
        rosters: list[RosterEntry] | None,
        settings: Settings,
        default_scenario: str,
    ) -> None:
        super().__init__()
        self.scenarios = scenarios
        self.rosters = rosters
        self.settings = settings
        self.default_scenario = default_scenario
        self.default_index = 0
        self.settings_ready = False
        """Whether the settings fields are mounted (at once, or a moment after the app's first paint)."""
        self.deferred = False
        """Whether the fields and the footer wait for the launcher's first paint (``after_first_paint``)."""
        self._completing = False

    @property
    def shell(self) -> Shell:
        return self.app

    def compose(self) -> ComposeResult:
        self.set_class(self.app.size.width < 100, "compact")  # before the children exist: no second styling pass
        yield Static(self._title(self.app.size.width), id="title")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                table: DataTable[Text | str] = DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
                table.border_title = "Scenarios"
                yield table
                fields = [] if self.deferred else self._settings_fields()
                settings = Horizontal(*fields, id="settings")  # deferred: its fields come after the first paint
                settings.border_title = "Settings"
                yield settings
            with VerticalScroll(id="detail-pane") as pane:
                pane.border_title = "Scenario"
                yield Static(id="detail")
        if not self.deferred:
            from textual.widgets import Footer

            self.settings_ready = True
            yield Footer()

    DEFER_HEADLESS: ClassVar[bool] = False
    """Defer the fields in a headless app too (a test of the deferred start; Pilot tests click them at once)."""

    def as_first_screen(self) -> LauncherScreen:
        """The app's first screen: on a terminal, where the first paint is what the facilitator
        waits for, the settings fields and the footer are mounted after it. Call before pushing."""
        self.deferred = self.DEFER_HEADLESS or not self.app.is_headless
        return self

    def _settings_fields(self) -> list[Vertical]:
        """The settings row's fields: two Selects and three Inputs, about a third of the launcher's widgets."""
        from textual.widgets import Input, Label, Select

        return [
            Vertical(
                Label("Roster"),
                Select(
                    self._roster_options(),
                    value=DEFAULT_ROSTER_CHOICE,
                    allow_blank=False,
                    id="roster",
                    compact=True,
                ),
                classes="field wide",
            ),
            Vertical(
                Label("Team"),
                Input(self.settings.team or "", placeholder="roster's", id="team", compact=True),
                classes="field",
            ),
            Vertical(
                Label("Label"),
                Input(self.settings.label or "", placeholder="e.g. 2026-Q4", id="label", compact=True),
                classes="field",
            ),
            Vertical(
                Label("Speed"),
                Select(
                    [(format_speed(s), s) for s in SPEEDS],
                    value=self.settings.speed if self.settings.speed in SPEEDS else 1.0,
                    allow_blank=False,
                    id="speed",
                    compact=True,
                ),
                classes="field narrow",
            ),
            Vertical(
                Label("Seed"),
                Input(
                    "" if self.settings.seed is None else str(self.settings.seed),
                    placeholder="random",
                    id="seed",
                    type="integer",
                    compact=True,
                ),
                classes="field narrow",
            ),
        ]

    def after_first_paint(self) -> None:
        """Once the first frame is on the terminal: the fields, the footer, then the files."""
        if not self.deferred or self._completing:  # once
            return
        self._completing = True
        self.run_worker(self._complete(), group="launcher-complete")

    async def _complete(self) -> None:
        """Mount the settings fields and the footer, then check the scenario files (in a thread).

        The table and the highlighted scenario paint first: the fields and the footer's keys are
        most of the launcher's widgets, and composing them before the first paint made it twice a
        bare Textual app's (bench/launcher_bench.py)."""
        if not self.is_mounted or self.settings_ready:
            return
        from textual.widgets import Footer

        await self.mount(Footer())
        await self.query_one("#settings", Horizontal).mount_all(self._settings_fields())
        self.settings_ready = True
        self.refresh_bindings()  # a footer mounted after the screen's first bindings update waits for the next
        if self.rosters is None or not all(entry.loaded for entry in self.scenarios):
            self._load_scenarios()

    def _roster_options(self) -> list[tuple[str, str]]:
        options = [("default", DEFAULT_ROSTER_CHOICE)]
        for entry in self.rosters or []:
            if entry.roster is not None:
                options.append((f"{entry.id} ({len(entry.roster.members)} people)", entry.id))
        return options

    COLUMN_KEYS = ("sev", "length", "category", "title")

    def on_mount(self) -> None:
        table = self.query_one("#scenarios", DataTable)
        for key, label in zip(self.COLUMN_KEYS, ("Sev", "Length", "Category", "Title"), strict=True):
            table.add_column(label, key=key)
        start = 0
        for index, entry in enumerate(self.scenarios):
            table.add_row(*self._cells(entry), key=entry.id)
            if entry.id == self.default_scenario:
                start = index
        self.default_index = start
        table.move_cursor(row=start)
        table.focus()
        self._show_detail(start)
        if not self.deferred and (self.rosters is None or not all(entry.loaded for entry in self.scenarios)):
            self.call_after_refresh(self._load_scenarios)  # paint first, then check the files
        if self.deferred:
            self.call_after_refresh(self.after_first_paint)  # once this screen's first frame is written

    @staticmethod
    def _cells(entry: ScenarioEntry) -> tuple[Text | str, ...]:
        """The row: a local file's title starts with "local" (or "local copy" when it shadows a built-in)."""
        s = entry.scenario
        title = Text(overflow="ellipsis")
        if entry.shadows is not None:
            title.append("local copy ", "bold yellow")
        elif entry.source != "built-in":
            title.append("local ", "bold")
        if not entry.loaded:
            title.append(entry.id, "dim")
            return ("", "", Text("checking…", "dim italic"), title)
        if s is None:
            title.append(entry.id, "red")
            return ("", "", Text("does not load", "red"), title)
        from drillsim.simulator.durations import format_duration

        title.append(s.title)
        return (s.severity, format_duration(s.duration), s.category, title)

    def _load_scenarios(self) -> None:
        self.run_worker(
            self._load_all,
            thread=True,
            exclusive=True,
            group="launcher-load",
            name="load scenarios",
            exit_on_error=False,
        )

    def _load_all(self) -> None:
        """In a thread: load the highlighted scenario and show it, then load the rest and show them at once.

        One update for the rest (not one per row) keeps the table from laying itself out again
        for every row while the facilitator reads the first one.
        """
        entries = list(self.scenarios)
        first = min(max(self.default_index, 0), len(entries) - 1) if entries else 0
        order = [first, *(i for i in range(len(entries)) if i != first)]
        pending = [i for i in order if not entries[i].loaded]
        if pending and pending[0] == first:
            self._from_thread([(first, load_scenario_entry(entries[first]))])
            pending = pending[1:]
        rest = [(i, load_scenario_entry(entries[i])) for i in pending]
        if rest:
            self._from_thread(rest)
        if self.rosters is None:
            rosters = self.shell.rosters  # loads them once for the app
            with contextlib.suppress(RuntimeError):
                self.app.call_from_thread(self._show_rosters, rosters)

    def _show_rosters(self, rosters: list[RosterEntry]) -> None:
        if not self.is_mounted or not self.settings_ready:
            return
        self.rosters = rosters
        from textual.widgets import Select

        select: Select[str] = self.query_one("#roster", Select)
        chosen = select.value
        select.set_options(self._roster_options())
        if any(value == chosen for _, value in self._roster_options()):
            select.value = chosen

    def _from_thread(self, loaded: list[tuple[int, ScenarioEntry]]) -> None:
        with contextlib.suppress(RuntimeError):  # the app closed while the files were being checked
            self.app.call_from_thread(self._show_loaded, loaded)

    def _show_loaded(self, loaded: list[tuple[int, ScenarioEntry]]) -> None:
        if not self.is_mounted:
            return
        table = self.query_one("#scenarios", DataTable)
        for index, entry in loaded:
            if index >= len(self.scenarios) or self.scenarios[index].id != entry.id:
                continue
            self.scenarios[index] = entry  # the app's list: the next launcher starts with it loaded
            for key, value in zip(self.COLUMN_KEYS, self._cells(entry), strict=True):
                table.update_cell(entry.id, key, value, update_width=True)
            if table.cursor_row == index:
                self._show_detail(index)
        self.call_after_refresh(self._fit_titles)  # the titles as loaded, in the room there is

    @staticmethod
    def _title(width: int) -> Text:
        """The top line: the name, what the tool is and the keys that start a drill, as fits ``width``."""
        what, enter = "  tabletop drills for AI incidents", "Enter opens the briefing"
        if width >= 104:
            words = f"{what} · {enter}, ctrl+s there starts the drill"
        else:
            words = f"{what} · {enter}" if width >= 72 else f"  {enter}"  # the briefing's footer shows ctrl+s
        title = Text()
        title.append(" drillsim ", "bold reverse")
        title.append(words)
        return title

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < 100, "compact")
        with contextlib.suppress(NoMatches):
            self.query_one("#title", Static).update(self._title(event.size.width))
        self.call_after_refresh(self._fit_titles)  # once the table has its new width

    def _fit_titles(self) -> None:
        """The Title column takes the table's room left: a longer title ends with "…" (no sideways scrolling)."""
        with contextlib.suppress(NoMatches):
            table = self.query_one("#scenarios", DataTable)
            column = table.columns.get(ColumnKey("title"))
            if column is None or not table.row_count:
                return
            others = sum(c.get_render_width(table) for key, c in table.columns.items() if key != "title")
            room = table.scrollable_content_region.width - others - 2 * table.cell_padding
            fits = column.content_width <= room
            wanted = (True, column.width) if fits else (False, max(8, room))
            if (column.auto_width, column.width) == wanted:
                return
            column.auto_width, column.width = wanted
            first = next(iter(table.rows))  # a cell updated with its width: the table measures its columns again
            table.update_cell(first, "title", table.get_cell(first, "title"), update_width=True)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_briefing()

    def _show_detail(self, row: int) -> None:
        if 0 <= row < len(self.scenarios):
            self.query_one("#detail", Static).update(scenario_detail(self.scenarios[row]))

    def selected(self) -> ScenarioEntry | None:
        table = self.query_one("#scenarios", DataTable)
        row = table.cursor_row
        return self.scenarios[row] if 0 <= row < len(self.scenarios) else None

    def read_settings(self) -> Settings | None:
        if not self.settings_ready:  # Enter before the fields were mounted: the settings given
            return self.settings
        from textual.widgets import Input, Select

        seed_text = self.query_one("#seed", Input).value.strip()
        try:
            seed = int(seed_text) if seed_text else None
        except ValueError:
            self.notify("The seed is a whole number (or empty for a random one).", severity="error")
            return None
        speed = self.query_one("#speed", Select).value
        return Settings(
            team=self.query_one("#team", Input).value.strip() or None,
            label=self.query_one("#label", Input).value.strip() or None,
            speed=float(speed) if isinstance(speed, (int, float)) else 1.0,
            seed=seed,
            out=self.settings.out,
            in_memory=self.settings.in_memory,
        )

    def action_open_briefing(self) -> None:
        from textual.widgets import Input, Select

        if isinstance(self.focused, Input):
            return
        entry = self.selected()
        if entry is None:
            return
        if not entry.loaded:  # still being checked in the background: load this one now
            entry = load_scenario_entry(entry)
            self._show_loaded([(self.query_one("#scenarios", DataTable).cursor_row, entry)])
        if entry.scenario is None:
            self.notify(Text(f"{entry.id}: {entry.error}").markup, title="Cannot load", severity="error", timeout=10)
            return
        settings = self.read_settings()
        if settings is None:
            return
        choice = self.query_one("#roster", Select).value if self.settings_ready else DEFAULT_ROSTER_CHOICE
        roster_id = default_roster_id(entry.scenario) if choice == DEFAULT_ROSTER_CHOICE else str(choice)
        self.post_message(BriefingRequested(entry.scenario, roster_id, settings))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#scenarios", DataTable).focus()

    def action_focus_roster(self) -> None:
        if self.settings_ready:
            self.query_one("#roster").focus()

    def action_focus_settings(self) -> None:
        if self.settings_ready:
            self.query_one("#team").focus()

    def action_history(self) -> None:
        """Past drills in the drills folder and the selected team and scenario's trend."""
        from drillsim.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.settings.out))

    def action_help(self) -> None:
        from drillsim.tui.screens.modals import HelpScreen

        self.app.push_screen(
            HelpScreen(
                "Keys in the launcher",
                [
                    ("Launcher", keys.binding_rows(self)),
                    ("Scenario list", [("up/down", "Choose a scenario")]),
                    ("Anywhere", keys.app_binding_rows(self.app)),
                ],
            )
        )
