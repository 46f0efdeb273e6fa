"""The facilitator's terminal UI: one factory, ``make_app``, builds it for the command line and the tests.

Flow: launcher -> briefing -> drill -> debrief. ``drillsim run`` starts at the briefing,
``drillsim resume`` at the drill (paused) or, for a finished drill, at the debrief.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from drillsim.tui.session import Settings
from textual.app import App, CSSPathType
from textual.binding import Binding, BindingType

if TYPE_CHECKING:  # the screens, the engine and pydantic are imported when first needed, after the first paint
    from drillsim.simulator.model import Roster, Scenario
    from drillsim.tui.messages import (
        BriefingRequested,
        DrillFinished,
        DrillStartRequested,
        LauncherRequested,
        QuitRequested,
    )
    from drillsim.tui.screens.drill import DrillScreen
    from drillsim.tui.screens.launcher import LauncherScreen
    from drillsim.tui.session import DrillSession, RosterEntry, ScenarioEntry
    from textual.command import Provider

HERE = Path(__file__).parent
DARK, LIGHT = "textual-dark", "textual-light"


def _drill_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens."""
    from drillsim.tui.commands import DrillCommands

    return DrillCommands


class DrillsimApp(App[str | None]):
    """The drillsim TUI. Build it with :func:`make_app`."""

    TITLE = "drillsim"
    CSS_PATH: ClassVar[CSSPathType | None] = [
        HERE / "app.tcss",
        HERE / "footer.tcss",
        HERE / "screens" / "launcher.tcss",
    ]
    """The launcher's styles are parsed with the app's: a screen's own CSS_PATH, read when it is
    pushed, makes Textual reparse every stylesheet and restyle the app before its first frame (#18)."""
    COMMANDS = App.COMMANDS | {_drill_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "toggle_theme", "Light/dark", tooltip="Switch light/dark theme", show=False, id="app.theme"),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            tooltip="Quit (asks first during a drill)",
            show=False,
            priority=True,
            id="app.quit",
        ),
    ]

    def __init__(
        self,
        *,
        settings: Settings,
        scenario: Scenario | None = None,
        roster: Roster | None = None,
        session: DrillSession | None = None,
        clock: Callable[[], float] = time.monotonic,
        auto_advance: bool = True,
        cwd: Path | None = None,
        scenarios: list[ScenarioEntry] | None = None,
        rosters: list[RosterEntry] | None = None,
        default_scenario: str | None = None,
        theme: str = DARK,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.initial_scenario = scenario
        self.initial_roster = roster
        self.session = session
        self.monotonic = clock
        self.auto_advance = auto_advance
        self.cwd = cwd
        self._scenarios = scenarios
        self._rosters = rosters
        self.default_scenario = default_scenario
        self.theme = theme
        self.painted = False
        """Whether the first frame has been shown (Textual's Ready event)."""

    # ------------------------------------------------------------------ library

    @property
    def scenarios(self) -> list[ScenarioEntry]:
        from drillsim.tui.session import discover_scenarios

        if self._scenarios is None:
            self._scenarios = discover_scenarios(self.cwd, load=False)  # the launcher loads them after its first paint
        return self._scenarios

    @property
    def rosters(self) -> list[RosterEntry]:
        """The library's rosters, loaded on first use (the launcher asks in its worker, after the first paint)."""
        from drillsim.tui.session import discover_rosters

        if self._rosters is None:
            self._rosters = discover_rosters(self.cwd)
        return self._rosters

    # ------------------------------------------------------------------ flow

    def on_mount(self) -> None:
        if self.session is not None:
            if self.session.drill.ended:
                from drillsim.tui.screens.debrief import DebriefScreen

                self.push_screen(DebriefScreen(self.session))
            else:
                self.push_screen(self.drill_screen(self.session))
        elif self.initial_scenario is not None:
            from drillsim.tui.screens.briefing import BriefingScreen
            from drillsim.tui.session import find_roster

            roster = self.initial_roster or find_roster(
                self.initial_scenario.default_roster or "crisis-team", self.rosters
            )
            self.push_screen(BriefingScreen(self.initial_scenario, roster, self.settings, can_go_back=False))
        elif self.is_headless:  # Pilot tests find the launcher there as soon as the app runs
            self._push_launcher()
        else:
            self.call_later(self._push_launcher)

    def _push_launcher(self) -> None:
        """On a terminal the launcher is pushed once Textual's start-up batch is over: a screen laid out
        inside that batch (``App.batch_update`` around the app's Compose and Mount) has its first
        frame dropped by ``App._display``, and the table waited for a second full layout (#18)."""
        self.push_screen(self.launcher().as_first_screen())

    def on_ready(self) -> None:
        """The first frame is on the terminal (Textual's Ready event)."""
        self.painted = True

    def launcher(self) -> LauncherScreen:
        from drillsim.simulator.library import DEFAULT_SCENARIO
        from drillsim.tui.screens.launcher import LauncherScreen

        return LauncherScreen(self.scenarios, self._rosters, self.settings, self.default_scenario or DEFAULT_SCENARIO)

    def drill_screen(self, session: DrillSession) -> DrillScreen:
        from drillsim.tui.screens.drill import DrillScreen
        from drillsim.tui.session import SimClock

        return DrillScreen(session, SimClock(self.monotonic), auto_advance=self.auto_advance)

    def open_briefing(self, scenario: Scenario, roster_id: str, settings: Settings) -> None:
        from drillsim.tui.screens.briefing import BriefingScreen
        from drillsim.tui.session import find_roster

        try:
            roster = find_roster(roster_id, self.rosters)
        except Exception as exc:
            from rich.text import Text

            self.notify(Text(f"Roster '{roster_id}': {exc}").markup, title="Cannot load", severity="error", timeout=10)
            return
        self.push_screen(BriefingScreen(scenario, roster, settings))

    def start(self, scenario: Scenario, roster: Roster, settings: Settings, participants: dict[str, str]) -> None:
        """Start the drill (run folder, journal) and show it in place of the briefing."""
        from drillsim.tui.session import start_drill

        self.session = start_drill(scenario, roster, settings, participants)
        self.switch_screen(self.drill_screen(self.session))

    def on_briefing_requested(self, message: BriefingRequested) -> None:
        self.open_briefing(message.scenario, message.roster_id, message.settings)

    def on_drill_start_requested(self, message: DrillStartRequested) -> None:
        self.start(message.scenario, message.roster, message.settings, message.participants)

    def on_launcher_requested(self, message: LauncherRequested) -> None:
        self.back_to_launcher()

    async def on_quit_requested(self, message: QuitRequested) -> None:
        await self.action_quit()

    def on_drill_finished(self, message: DrillFinished) -> None:
        self.drill_finished(message.session)

    def drill_finished(self, session: DrillSession) -> None:
        """The drill ended (time limit, resolved, or the facilitator): on to the debrief."""
        from drillsim.tui.screens.debrief import DebriefScreen
        from drillsim.tui.screens.drill import DrillScreen

        if session.drill.journal is not None:
            session.drill.journal.sync()
        if any(isinstance(s, DrillScreen) for s in self.screen_stack):
            while not isinstance(self.screen, DrillScreen):  # a dialog still open over the drill closes with it
                self.pop_screen()
        self.switch_screen(DebriefScreen(session))

    def back_to_launcher(self) -> None:
        from drillsim.tui.screens.launcher import LauncherScreen

        if self.session is not None:
            self.session.close()
            self.session = None
        if len(self.screen_stack) >= 2 and isinstance(self.screen_stack[-2], LauncherScreen):
            self.pop_screen()  # the launcher this drill was started from
        else:
            self.switch_screen(self.launcher())

    # ------------------------------------------------------------------ quitting

    def exit_message(self) -> str | None:
        session = self.session
        if session is None or session.run_dir is None:
            return None
        if session.drill.ended:
            return f"Run folder: {session.run_dir}"
        return f"The drill is saved in {session.run_dir}\nContinue it with: drillsim resume {session.run_dir}"

    async def action_quit(self) -> None:
        from drillsim.tui.screens.drill import DrillScreen
        from drillsim.tui.screens.modals import ConfirmScreen

        session = self.session
        if session is None or session.drill.ended or isinstance(self.screen, ConfirmScreen):
            self.leave()
            return
        where = (
            f"The journal stays in {session.run_dir}; continue later with 'drillsim resume {session.run_dir}'."
            if session.run_dir is not None
            else "This drill is NOT recorded (in memory only): quitting loses it."
        )

        def done(yes: bool | None) -> None:
            if yes:
                self.leave()

        confirm = ConfirmScreen(
            "Quit drillsim in the middle of the drill?", where, yes="Quit drillsim", no="Keep playing"
        )
        drill_screen = next((s for s in self.screen_stack if isinstance(s, DrillScreen)), None)
        if drill_screen is not None:
            drill_screen.open_dialog(confirm, done)  # the clock stands still while the question is open
        else:
            self.push_screen(confirm, done)

    def leave(self) -> None:
        message = self.exit_message()
        if self.session is not None:
            self.session.close()
        self.exit(message)

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK


def make_app(
    scenario: Scenario | None = None,
    roster: Roster | None = None,
    *,
    settings: Settings | None = None,
    session: DrillSession | None = None,
    clock: Callable[[], float] = time.monotonic,
    auto_advance: bool = True,
    cwd: Path | None = None,
    scenarios: list[ScenarioEntry] | None = None,
    rosters: list[RosterEntry] | None = None,
    default_scenario: str | None = None,
    theme: str = DARK,
) -> DrillsimApp:
    """Build the app.

    - no scenario and no session: the launcher (built-in and ./scenarios scenarios);
    - ``scenario`` (and optionally ``roster``): straight to its briefing (``drillsim run``);
    - ``session``: a drill already started or resumed (``drillsim resume``).

    ``clock`` is the monotonic wall clock the sim time follows; ``auto_advance=False``
    stops the timer so tests move the drill themselves (``drill.advance_to`` then
    ``screen.refresh_view()``).
    """
    return DrillsimApp(
        settings=settings or Settings(),
        scenario=scenario,
        roster=roster,
        session=session,
        clock=clock,
        auto_advance=auto_advance,
        cwd=cwd,
        scenarios=scenarios,
        rosters=rosters,
        default_scenario=default_scenario,
        theme=theme,
    )
